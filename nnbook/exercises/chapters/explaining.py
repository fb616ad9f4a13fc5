"""Exercises of the chapter *Explaining the project's decisions* (``explaining``).

Chapter objects used: ``model`` (the article's network, trained for the
article's 10 epochs), ``data`` (the article's data, with ``roles``), ``np``.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._reference import dense_weights, logit, predict, relu_logit_gradient, sigmoid
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _logit_of(model, X):
    (W, b), (v, c) = dense_weights(model)
    return (np.maximum(np.asarray(X, np.float64) @ W + b, 0) @ v + c)[:, 0]


def _saliency_logit(model, X):
    return relu_logit_gradient(model, X)


def _slope_rows(model, X):
    p = sigmoid(_logit_of(model, X))
    return (p * (1 - p))[:, None]


def _unmasked(model, X):
    (W, _), (v, _) = dense_weights(model)
    return np.tile(W @ v[:, 0], (len(X), 1))


def _occluded(x):
    x = np.asarray(x, np.float64)
    copies = np.tile(x, (x.size, 1))
    copies[np.arange(x.size), np.arange(x.size)] = 0.0
    return copies


def _occlusion(model, x, *, on_logit=False):
    p_x = predict(model, np.asarray(x)[None])[0, 0]
    p_occ = predict(model, _occluded(x))[:, 0]
    if on_logit:
        return logit(p_x) - logit(p_occ)
    return p_x - p_occ


def _permutation_top_role(model, X, y, roles, n_draws=5, seed=0):
    """Role of the column whose shuffling raises the log loss most."""
    X = np.asarray(X, np.float64)
    y = np.asarray(y, np.float64)
    rng = np.random.default_rng(seed)
    n, d = X.shape
    batches = [X]
    for j in range(d):
        for _ in range(n_draws):
            Xp = X.copy()
            Xp[:, j] = X[rng.permutation(n), j]
            batches.append(Xp)
    p = np.clip(predict(model, np.concatenate(batches))[:, 0], 1e-7, 1 - 1e-7)
    loss = -(y * np.log(p.reshape(-1, n)) + (1 - y) * np.log(1 - p.reshape(-1, n)))
    loss = loss.mean(axis=1)
    rise = loss[1:].reshape(d, n_draws).mean(axis=1) - loss[0]
    return "noise" if str(roles[int(np.argmax(rise))]) == "noise" else "useful"


def _ig_logit(model, x, steps=64, *, left=False, times_x=True):
    x = np.asarray(x, np.float64)
    alphas = (np.arange(steps) + (0.0 if left else 0.5)) / steps
    grads = relu_logit_gradient(model, alphas[:, None] * x)
    avg = grads.mean(axis=0)
    return x * avg if times_x else avg


register(
    Exercise(
        id="explaining.1",
        title="Saliency of the logit, from the weights",
        kind="code",
        level=1,
        statement="""\
For the article's ReLU network the gradient of the logit with respect to the
input is the *effective weights* of the background chapter:
$\\partial z/\\partial x = W_{:,\\text{on}}\\,v_{\\text{on}}$, with the hidden
units active for $x$. Compute it from the weights of `model` for the first
five test samples `X5`. Answer: an array of shape `(5, 20)`, one row per
sample.""",
        setup="X5 = data.X_test[:5]",
        answer_name="saliency",
        answer_comment="dz/dx for each sample, shape (5, 20)",
        check_args="model=model, X=X5",
        needs=("data", "model", "np"),
        reference=_saliency_logit,
        judge=Numeric(rtol=1e-5, atol=1e-8, slope=_slope_rows),
        hint="on = (X5 @ W + b) > 0 has shape (5, 10); multiply it by the output "
        "weights v before the product with W.T.",
        mistakes=(
            Mistake(
                "Every sample got the same row: only the hidden units that are "
                "active for that sample (x W + b > 0) pass their weight on.",
                _unmasked,
            ),
        ),
        solution="""\
W, b = model.get_layer("hidden").get_weights()
v, c = model.get_layer("output").get_weights()
on = (X5 @ W + b) > 0  # (5, 10): the active units of each sample
saliency = (on * v[:, 0]) @ W.T  # (5, 10) @ (10, 20)""",
        explanation="""\
This is gradient saliency of the logit, the default output of every
attribution method in the package. The gradient of the *probability* is the
same times the sigmoid's slope $p(1-p)$, which vanishes for confident
samples; the chapter shows what that does to saliency.""",
        wrong_answers=(
            WrongAnswer(
                "W, b = model.get_layer('hidden').get_weights()\n"
                "v, c = model.get_layer('output').get_weights()\n"
                "z = np.maximum(X5 @ W + b, 0) @ v + c\n"
                "p = 1 / (1 + np.exp(-z))\n"
                "saliency = p * (1 - p) * (((X5 @ W + b) > 0) * v[:, 0]) @ W.T",
                "sigmoid's slope",
            ),
            WrongAnswer(
                "W, b = model.get_layer('hidden').get_weights()\n"
                "v, c = model.get_layer('output').get_weights()\n"
                "saliency = np.tile(W @ v[:, 0], (5, 1))",
                "active",
            ),
        ),
    ),
    Exercise(
        id="explaining.2",
        title="The occlusion loop",
        kind="code",
        level=2,
        statement="""\
Write occlusion feature by feature for test sample 0 (`x0`): for each
column $j$, $F(x) - F(x \\text{ with } x_j := 0)$, where $F$ is the predicted
probability of class 1. Build the 20 occluded copies as the rows of one
array and call `model.predict` once. Answer: an array of shape `(20,)`.""",
        setup="x0 = data.X_test[0]",
        answer_name="occ",
        answer_comment="one drop in probability per column, shape (20,)",
        check_args="model=model, x=x0",
        needs=("data", "model", "np"),
        reference=_occlusion,
        judge=Numeric(rtol=1e-4, atol=1e-6),
        hint="np.tile(x0, (20, 1)) gives 20 copies; zero the diagonal.",
        mistakes=(
            Mistake(
                "That is the drop in the *logit*; F here is the probability "
                "of class 1.",
                lambda model, x: _occlusion(model, x, on_logit=True),
            ),
        ),
        solution="""\
copies = np.tile(x0, (20, 1))
copies[np.arange(20), np.arange(20)] = 0.0  # row j has column j occluded
p_x = model.predict(x0[None], verbose=0)[0, 0]
occ = p_x - model.predict(copies, verbose=0)[:, 0]""",
        explanation="""\
One `predict` call on a `(20, 20)` array costs about as much as one on a
single row: batching is what makes occlusion cheap. A positive entry means
that the column's value pushed the prediction towards class 1.""",
        wrong_answers=(
            WrongAnswer(
                "copies = np.tile(x0, (20, 1))\n"
                "copies[np.arange(20), np.arange(20)] = 0.0\n"
                "occ = model.predict(copies, verbose=0)[:, 0]"
                " - model.predict(x0[None], verbose=0)[0, 0]",
                "sign is flipped",
            ),
            WrongAnswer(
                "copies = np.tile(x0, (20, 1))\n"
                "copies[np.arange(20), np.arange(20)] = 0.0\n"
                "occ = model.predict(copies, verbose=0)",
                "shape (20,)",
            ),
        ),
    ),
    Exercise(
        id="explaining.3",
        title="What will permutation importance rank first?",
        kind="prediction",
        level=2,
        statement="""\
Permutation importance shuffles one column of the test set and measures how
much the log loss rises. Before you run it on the article's 10-epoch
network, predict: will the column it ranks first be a *useful* column
(informative or redundant) or a *noise* column? Answer `"useful"` or
`"noise"`; then compute it: five shuffles per column, all copies in one
`predict` call.""",
        answer_name="prediction",
        answer_comment='"useful" or "noise"',
        check_args="model=model, X=data.X_test, y=data.y_test, roles=data.roles",
        needs=("data", "model"),
        reference=_permutation_top_role,
        judge=Choice(
            options=("useful", "noise"),
            hints={
                "noise": "A noise column says nothing about the label: shuffling it "
                "hurts only as much as the model leans on it, and this "
                "model leans harder on the columns that carry signal.",
                "useful": "Run it: on this model the top column is a noise column. "
                "The 10-epoch network still listens to noise, as its "
                "first-layer weights showed.",
            },
        ),
        hint="shuffling a column breaks its link with the label. Which columns had "
        "a link to break?",
        solution="""\
rng = np.random.default_rng(0)
X, y = data.X_test, data.y_test
n, d, draws = len(X), X.shape[1], 5
batches = [X]
for j in range(d):
    for _ in range(draws):
        Xp = X.copy()
        Xp[:, j] = X[rng.permutation(n), j]  # shuffle column j only
        batches.append(Xp)
p = np.clip(model.predict(np.concatenate(batches), verbose=0)[:, 0], 1e-7, 1 - 1e-7)
p = p.reshape(-1, n)  # one row per copy of the test set
loss = -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(axis=1)
rise = loss[1:].reshape(d, draws).mean(axis=1) - loss[0]
top = int(np.argmax(rise))
prediction = "noise" if data.roles[top] == "noise" else "useful\"""",
        explanation="""\
The column ranked first is an informative or redundant one. The chapter
scores every method against the true roles; permutation importance asks the
model, not the data, so a column the model ignored would score zero even if
it carried signal.""",
        wrong_answers=(WrongAnswer('prediction = "noise"', "leans"),),
    ),
    Exercise(
        id="explaining.4",
        title="Integrated gradients with the midpoint rule",
        kind="code",
        level=3,
        statement="""\
Compute integrated gradients of the *logit* for test sample 0 (`x0`) from a
baseline of zeros, with the midpoint rule and $m = 64$ steps:
$\\mathrm{IG}_i = x_i \\cdot \\frac1m \\sum_{k=0}^{m-1}
\\frac{\\partial z}{\\partial x_i}\\big(\\tfrac{k + 1/2}{m}\\,x\\big)$.
Use the gradient of exercise explaining.1 for the path points. Answer: an
array of shape `(20,)`. Then check completeness: the sum should be close to
$z(x) - z(0)$.""",
        setup="x0 = data.X_test[0]",
        answer_name="ig",
        answer_comment="one attribution per column, shape (20,)",
        check_args="model=model, x=x0",
        needs=("data", "model", "np"),
        reference=_ig_logit,
        judge=Numeric(rtol=1e-5, atol=1e-7),
        hint="stack the 64 path points alpha_k x0 as rows, take the gradient of "
        "each row as in explaining.1, average, and multiply by x0.",
        mistakes=(
            Mistake(
                "Use the midpoints (k + 1/2) / m of the steps, not their left "
                "ends k / m.",
                lambda model, x: _ig_logit(model, x, left=True),
            ),
            Mistake(
                "That is the average gradient along the path; integrated "
                "gradients multiplies it by x - x' (here x).",
                lambda model, x: _ig_logit(model, x, times_x=False),
            ),
        ),
        solution="""\
W, b = model.get_layer("hidden").get_weights()
v, c = model.get_layer("output").get_weights()
alphas = (np.arange(64) + 0.5) / 64
path = alphas[:, None] * x0  # (64, 20): the path points
grads = (((path @ W + b) > 0) * v[:, 0]) @ W.T  # dz/dx at each point
ig = x0 * grads.mean(axis=0)""",
        explanation="""\
Between kinks of the ReLU units the logit is linear along the path, so the
midpoint rule errs only in the steps where a unit switches on or off. The
package's `integrated_gradients(..., method="exact")` removes even that
error.""",
        wrong_answers=(
            WrongAnswer(
                "W, b = model.get_layer('hidden').get_weights()\n"
                "v, c = model.get_layer('output').get_weights()\n"
                "path = (np.arange(64) / 64)[:, None] * x0\n"
                "ig = x0 * ((((path @ W + b) > 0) * v[:, 0]) @ W.T).mean(axis=0)",
                "midpoints",
            ),
            WrongAnswer(
                "W, b = model.get_layer('hidden').get_weights()\n"
                "v, c = model.get_layer('output').get_weights()\n"
                "path = ((np.arange(64) + 0.5) / 64)[:, None] * x0\n"
                "ig = ((((path @ W + b) > 0) * v[:, 0]) @ W.T).mean(axis=0)",
                "multiplies it by",
            ),
            WrongAnswer(
                "W, b = model.get_layer('hidden').get_weights()\n"
                "v, c = model.get_layer('output').get_weights()\n"
                "path = ((np.arange(16) + 0.5) / 16)[:, None] * x0\n"
                "ig = x0 * ((((path @ W + b) > 0) * v[:, 0]) @ W.T).mean(axis=0)",
                "Close, but not equal",
            ),
        ),
    ),
)
