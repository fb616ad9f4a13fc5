"""Exercises of the chapter *Why look inside a neural network* (``background``).

Chapter objects used: ``data`` (the article's data), ``model`` (the
article's network, trained), ``np``.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._reference import dense_weights, logit, relu_logit_gradient
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _logits(p):
    return logit(p)


def _z(model, x):
    (W, b), (v, c) = dense_weights(model)
    return float(np.maximum(x @ W + b, 0) @ v[:, 0] + c[0])


def _doubles(model, x):
    x = np.asarray(x, dtype=np.float64)
    return "yes" if np.isclose(_z(model, 2 * x), 2 * _z(model, x), rtol=1e-6) else "no"


def _contributions(model, x):
    x = np.asarray(x, dtype=np.float64)
    return x * relu_logit_gradient(model, x[None])[0]


def _all_units(model, x):
    (W, _), (v, _) = dense_weights(model)
    return np.asarray(x, np.float64) * (W @ v[:, 0])


register(
    Exercise(
        id="background.1",
        title="From a probability back to the logit",
        kind="code",
        level=1,
        statement="""\
The network outputs a probability $p$; the teaser explained its *logit* $z$,
the score before the sigmoid, $p = \\sigma(z) = 1/(1 + e^{-z})$. The cell
below puts the probabilities of the first five test samples into `p5`.
Compute their logits: an array of shape `(5,)`.""",
        setup='p5 = model.predict(data.X_test[:5], verbose=0)[:, 0].astype("float64")',
        answer_name="logits",
        answer_comment="the logits of the five samples, shape (5,)",
        check_args="p=p5",
        needs=("data", "model", "np"),
        reference=_logits,
        judge=Numeric(rtol=1e-6),
        hint="solve p = 1 / (1 + exp(-z)) for z.",
        mistakes=(
            Mistake(
                "That is the log of p. The logit is the log of the *odds*, "
                "p / (1 - p).",
                lambda p: np.log(p),
            ),
            Mistake(
                "That applies the sigmoid once more; the logit undoes it.",
                lambda p: 1 / (1 + np.exp(-np.asarray(p))),
            ),
        ),
        solution="logits = np.log(p5 / (1 - p5))",
        explanation="""\
Solving $p = 1/(1+e^{-z})$ for $z$ gives $e^{-z} = (1-p)/p$, so
$z = \\log\\frac{p}{1-p}$: the log of the odds. A probability above one
half has a positive logit.""",
        wrong_answers=(
            WrongAnswer("logits = np.log(p5)", "odds"),
            WrongAnswer("logits = np.log((1 - p5) / p5)", "sign is flipped"),
        ),
    ),
    Exercise(
        id="background.2",
        title="Double the input, double the logit?",
        kind="prediction",
        level=2,
        statement="""\
For one given input, the article's ReLU network *is* a linear function: the
teaser wrote its logit as a sum of contributions plus a bias term. Before
you compute anything, predict: if you double every column of a test sample,
$x \\mapsto 2x$, does its logit double too? Answer `"yes"` or `"no"`, then
compute both logits from the weights and see.""",
        setup="x_ex = data.X_test[0]",
        answer_name="prediction",
        answer_comment='"yes" or "no"',
        check_args="model=model, x=x_ex",
        needs=("data", "model"),
        reference=_doubles,
        judge=Choice(
            options=("yes", "no"),
            hints={
                "yes": "The biases b and c do not double with x, and doubling x can "
                "switch hidden units on or off: the logit is linear in x only "
                "while the same units stay active, and only without bias.",
                "no": "Compute both logits: for this network and input they agree, "
                "which needs the bias terms to vanish for the active units.",
            },
        ),
        hint="write the logit as relu(x W + b) v + c and ask which parts scale with x.",
        solution="""\
(W, b), (v, c) = (layer.get_weights() for layer in model.layers)


def logit_of(x):
    return float(np.maximum(x @ W + b, 0) @ v[:, 0] + c[0])


doubles = np.isclose(logit_of(2 * x_ex), 2 * logit_of(x_ex))
prediction = "yes" if doubles else "no\"""",
        explanation="""\
The contributions $x_i \\sum_j v_j W_{ij}$ double, but the bias term
$\\sum_{j \\in \\text{on}} v_j b_j + c$ does not, and $2x$ can switch units on
or off. "Linear for one input" means linear in a neighbourhood where the
same units are active, through the bias term: an *affine* function.""",
        wrong_answers=(WrongAnswer('prediction = "yes"', "biases"),),
    ),
    Exercise(
        id="background.3",
        title="The contributions of another sample",
        kind="code",
        level=2,
        statement="""\
Compute the contribution $x_i \\sum_{j \\in \\text{on}} v_j W_{ij}$ of each of
the 20 columns to the logit of test sample 5 (`x_ex`), as the teaser did for
its sample, from the weights of `model`. Answer: an array of shape `(20,)`.
Check for yourself that the contributions plus the bias term add up to the
logit.""",
        setup="x_ex = data.X_test[5]",
        answer_name="contrib_ex",
        answer_comment="one contribution per column, shape (20,)",
        check_args="model=model, x=x_ex",
        needs=("data", "model", "np"),
        reference=_contributions,
        judge=Numeric(rtol=1e-5, atol=1e-8),
        hint="find the active hidden units first: on = (x_ex @ W + b) > 0.",
        mistakes=(
            Mistake(
                "Only the hidden units that are active for this input "
                "(x W + b > 0) pass their weight on: mask the others out.",
                _all_units,
            ),
            Mistake(
                "Those are the effective weights; a contribution multiplies "
                "each by the column's value x_i.",
                lambda model, x: relu_logit_gradient(model, np.asarray(x)[None])[0],
            ),
        ),
        solution="""\
(W, b), (v, c) = (layer.get_weights() for layer in model.layers)
on = (x_ex @ W + b) > 0
contrib_ex = x_ex * (W[:, on] @ v[on, 0])""",
        explanation="""\
The inactive units output zero whatever their weights, so only the active
ones link an input to the output. Adding the bias term
`b[on] @ v[on, 0] + c[0]` to `contrib_ex.sum()` gives the logit exactly.""",
        wrong_answers=(
            WrongAnswer(
                "(W, b), (v, c) = (layer.get_weights() for layer in model.layers)\n"
                "contrib_ex = x_ex * (W @ v[:, 0])",
                "active",
            ),
            WrongAnswer(
                "(W, b), (v, c) = (layer.get_weights() for layer in model.layers)\n"
                "on = (x_ex @ W + b) > 0\n"
                "contrib_ex = W[:, on] @ v[on, 0]",
                "multiplies",
            ),
        ),
    ),
)
