"""Exercises of the chapter *The mathematics of loss* (``loss``).

Chapter objects used: ``x_col`` (the informative column of the loss-surface
section), ``np``. The other answer cells build their own small arrays.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._reference import sigmoid
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _bce_pair(y_hat):
    return np.array([-np.log(y_hat), -np.log(1 - y_hat)])


def _bce_grad_logit(y, z, *, mean=True, slope=False, mse=False):
    p = sigmoid(z)
    g = p - np.asarray(y, np.float64)
    if mse:
        g = 2 * g * p * (1 - p)
    elif slope:
        g = g * p * (1 - p)
    return g / len(g) if mean else g


def _slope(y, z):
    p = sigmoid(z)
    return p * (1 - p)


def _mse_push_peak():
    y_hat = np.linspace(0.001, 0.999, 9_999)
    push = 2 * (1 - y_hat) * y_hat * (1 - y_hat)
    peak = float(y_hat[np.argmax(push)])
    options = {"near 0": 0.0, "1/3": 1 / 3, "1/2": 0.5, "near 1": 1.0}
    return min(options, key=lambda k: abs(options[k] - peak))


def _softmax(Z):
    Z = np.asarray(Z, np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _cce_grad(Y, Z, *, mean=True, squash=_softmax):
    g = squash(Z) - np.asarray(Y, np.float64)
    return g / len(g) if mean else g


def _hessian(x, *, mean=True):
    x = np.asarray(x, np.float64)
    A = np.c_[x, np.ones_like(x)]
    return 2 * A.T @ A / (len(x) if mean else 1)


def _lr_limit(x):
    return 2 / np.linalg.eigvalsh(_hessian(x)).max()


register(
    Exercise(
        id="loss.1",
        title="The cross-entropy of one prediction",
        kind="value",
        level=1,
        statement="""\
The network gives a sample the probability `y_hat_ex` of class 1. Compute
the binary cross-entropy of this one prediction if the sample's label is 1,
and if it is 0: answer `[loss_if_1, loss_if_0]`, an array of shape `(2,)`.""",
        setup="y_hat_ex = 0.9",
        answer_name="losses",
        answer_comment="[loss if the label is 1, loss if it is 0]",
        check_args="y_hat=y_hat_ex",
        needs=("np",),
        reference=_bce_pair,
        judge=Numeric(rtol=1e-9),
        hint="for y = 1 the loss is -log of the probability of class 1; for y = 0, "
        "of the probability of class 0.",
        mistakes=(
            Mistake(
                "Cross-entropy uses the natural logarithm, `np.log`, not `np.log10`.",
                lambda y_hat: _bce_pair(y_hat) / np.log(10),
            ),
        ),
        solution="losses = [-np.log(y_hat_ex), -np.log(1 - y_hat_ex)]",
        explanation="""\
A confident right answer costs little, $-\\log 0.9$; the same confidence in
the wrong class costs $-\\log 0.1$, more than twenty times as much, and the
cost grows without bound as the probability of the true class goes to 0.""",
        wrong_answers=(
            WrongAnswer(
                "losses = [-np.log10(y_hat_ex), -np.log10(1 - y_hat_ex)]",
                "natural logarithm",
            ),
            WrongAnswer(
                "losses = [-np.log(1 - y_hat_ex), -np.log(y_hat_ex)]", "wrong order"
            ),
            WrongAnswer(
                "losses = [np.log(y_hat_ex), np.log(1 - y_hat_ex)]", "sign is flipped"
            ),
        ),
    ),
    Exercise(
        id="loss.2",
        title="The gradient on the logit",
        kind="code",
        level=2,
        statement="""\
Write the gradient of the *mean* binary cross-entropy of $\\sigma(z)$ with
respect to the logits $z$, for the four samples of the cell (labels `y_ex`,
logits `z_ex`). Answer: an array of shape `(4,)`. The chapter derives the
formula; write it from the derivation, not from `nnbook.losses`.""",
        setup="""\
y_ex = np.array([1.0, 0.0, 1.0, 0.0])
z_ex = np.array([2.0, -1.0, -3.0, 0.5])""",
        answer_name="grad",
        answer_comment="dL/dz for each sample, shape (4,)",
        check_args="y=y_ex, z=z_ex",
        needs=("np",),
        reference=_bce_grad_logit,
        judge=Numeric(rtol=1e-9, atol=1e-12, slope=_slope),
        hint="the chain rule: dL/dz = dL/dy_hat times the sigmoid's slope, and "
        "something cancels. Mind the mean over the samples.",
        mistakes=(
            Mistake(
                "n times too large: the loss is the mean over the n samples, "
                "so each gradient carries a factor 1/n.",
                lambda y, z: _bce_grad_logit(y, z, mean=False),
            ),
            Mistake(
                "That is the gradient of the mean squared error, "
                "2 (y_hat - y) y_hat (1 - y_hat) / n; binary cross-entropy "
                "has no slope factor left.",
                lambda y, z: _bce_grad_logit(y, z, mse=True),
            ),
        ),
        solution="""\
y_hat = 1 / (1 + np.exp(-z_ex))
grad = (y_hat - y_ex) / len(y_ex)""",
        explanation="""\
$\\partial \\ell/\\partial \\hat y = (\\hat y - y)/(\\hat y(1-\\hat y))$ and
$\\partial \\hat y/\\partial z = \\hat y(1-\\hat y)$: the slope cancels and
each sample contributes $(\\hat y - y)/n$ to the mean's gradient.""",
        wrong_answers=(
            WrongAnswer("grad = 1 / (1 + np.exp(-z_ex)) - y_ex", "1/n"),
            WrongAnswer(
                "p = 1 / (1 + np.exp(-z_ex))\ngrad = (p - y_ex) * p * (1 - p) / 4",
                "sigmoid's slope",
            ),
            WrongAnswer(
                "p = 1 / (1 + np.exp(-z_ex))\ngrad = (p - y_ex) / (p * (1 - p)) / 4",
                "divided by p(1 - p)",
            ),
            WrongAnswer(
                "grad = (y_ex - 1 / (1 + np.exp(-z_ex))) / 4", "sign is flipped"
            ),
        ),
    ),
    Exercise(
        id="loss.3",
        title="Where does MSE push hardest?",
        kind="prediction",
        level=2,
        statement="""\
For a sample with label 1, mean squared error pushes the logit with
$|\\partial \\ell/\\partial z| = 2(1-\\hat y)\\,\\hat y(1-\\hat y)$. Before you
plot it, predict: at which predicted probability $\\hat y$ is this push
largest? Answer `"near 0"` (the most wrong predictions), `"1/3"`, `"1/2"`
or `"near 1"`; then evaluate it on a grid of $\\hat y$.""",
        answer_name="prediction",
        answer_comment='"near 0", "1/3", "1/2" or "near 1"',
        check_args="",
        needs=("np",),
        reference=_mse_push_peak,
        judge=Choice(
            options=("near 0", "1/3", "1/2", "near 1"),
            hints={
                "near 0": "Near y_hat = 0 the prediction is confidently wrong, but the "
                "sigmoid's slope y_hat (1 - y_hat) is almost zero there: MSE "
                "barely pushes. That is the chapter's point.",
                "1/2": "The slope y_hat (1 - y_hat) peaks at one half, but the error "
                "(1 - y_hat) keeps growing as y_hat falls, so their product "
                "peaks lower.",
                "near 1": "Near 1 the prediction is right and the error 1 - y_hat "
                "vanishes.",
            },
        ),
        hint="the push is a product of the error (1 - y_hat), which grows as y_hat "
        "falls, and the slope y_hat (1 - y_hat), which vanishes at both ends.",
        solution="""\
y_hat_grid = np.linspace(0.001, 0.999, 999)
push = 2 * (1 - y_hat_grid) * y_hat_grid * (1 - y_hat_grid)
peak = y_hat_grid[np.argmax(push)]  # about 0.333
prediction = "1/3\"""",
        explanation="""\
$\\frac{d}{d\\hat y}\\,\\hat y(1-\\hat y)^2 = (1-\\hat y)(1-3\\hat y)$ is zero at
$\\hat y = \\tfrac13$. Below that, the more wrong the prediction, the *less*
MSE corrects it; binary cross-entropy's push, $1-\\hat y$, keeps growing.""",
        wrong_answers=(
            WrongAnswer('prediction = "near 0"', "barely pushes"),
            WrongAnswer('prediction = "1/2"', "peaks lower"),
            WrongAnswer('prediction = "one third"', "not one of the options"),
        ),
    ),
    Exercise(
        id="loss.4",
        title="Softmax cross-entropy's gradient",
        kind="code",
        level=3,
        statement="""\
Three samples, four classes: the cell gives their logits `Z_ex`, shape
`(3, 4)`, and one-hot targets `Y_ex`. Write the gradient of the *mean*
categorical cross-entropy of $\\operatorname{softmax}(Z)$ with respect to
$Z$. Answer: an array of shape `(3, 4)`. Compute the softmax yourself,
shifted by each row's maximum so that nothing overflows.""",
        setup="""\
Z_ex = np.array([[2.0, 1.0, 0.1, -1.0], [0.5, 0.5, 0.5, 0.5], [-2.0, 3.0, 0.0, 1.0]])
Y_ex = np.eye(4)[[0, 3, 1]]  # one-hot targets: classes 0, 3 and 1""",
        answer_name="grad_Z",
        answer_comment="dL/dZ, shape (3, 4)",
        check_args="Y=Y_ex, Z=Z_ex",
        needs=("np",),
        reference=_cce_grad,
        judge=Numeric(rtol=1e-9, atol=1e-12),
        hint="the same form as the binary case: probabilities minus targets, "
        "over the number of samples.",
        mistakes=(
            Mistake(
                "n times too large: the loss is the mean over the rows, so the "
                "gradient carries a factor 1/n.",
                lambda Y, Z: _cce_grad(Y, Z, mean=False),
            ),
            Mistake(
                "A sigmoid per class does not make the rows sum to 1: use the "
                "softmax, exp(z_k) / sum_j exp(z_j), row by row.",
                lambda Y, Z: _cce_grad(Y, Z, squash=sigmoid),
            ),
        ),
        solution="""\
E = np.exp(Z_ex - Z_ex.max(axis=1, keepdims=True))
P = E / E.sum(axis=1, keepdims=True)  # softmax, row by row
grad_Z = (P - Y_ex) / len(Y_ex)""",
        explanation="""\
Every row of the gradient sums to zero: raising all logits of a sample by the
same amount leaves its softmax unchanged. The second row has equal logits,
so its probabilities are all one quarter.""",
        wrong_answers=(
            WrongAnswer(
                "E = np.exp(Z_ex)\ngrad_Z = E / E.sum(axis=1, keepdims=True) - Y_ex",
                "1/n",
            ),
            WrongAnswer("grad_Z = (1 / (1 + np.exp(-Z_ex)) - Y_ex) / 3", "softmax"),
        ),
    ),
    Exercise(
        id="loss.5",
        title="The learning-rate limit",
        kind="value",
        level=3,
        statement="""\
The one-neuron MSE bowl of the last section, on the column `x_col`, has the
Hessian $H = \\frac{2}{N}\\sum_i (x_i, 1)^\\top (x_i, 1)$ over $(w, b)$. Compute
the largest learning rate for which full-batch gradient descent still
converges, from the eigenvalues of $H$ (`np.linalg.eigvalsh`).""",
        answer_name="lr_max",
        answer_comment="a learning rate",
        check_args="x=x_col",
        needs=("x_col", "np"),
        reference=_lr_limit,
        judge=Numeric(rtol=1e-6),
        hint="along an eigenvector with eigenvalue lambda, one step multiplies the "
        "distance to the minimum by |1 - lr lambda|.",
        mistakes=(
            Mistake(
                "Half the limit: |1 - lr lambda| stays below 1 up to "
                "lr = 2 / lambda, not 1 / lambda.",
                lambda x: 1 / np.linalg.eigvalsh(_hessian(x)).max(),
            ),
            Mistake(
                "That is the limit along the flattest direction; the steepest "
                "one, with the largest eigenvalue, diverges first.",
                lambda x: 2 / np.linalg.eigvalsh(_hessian(x)).min(),
            ),
            Mistake(
                "The mean squared error averages over the N samples: the "
                "Hessian carries 2/N, not 2.",
                lambda x: 2 / np.linalg.eigvalsh(_hessian(x, mean=False)).max(),
            ),
        ),
        solution="""\
A = np.c_[x_col, np.ones_like(x_col)]  # rows (x_i, 1)
H = 2 * A.T @ A / len(x_col)
lr_max = 2 / np.linalg.eigvalsh(H).max()""",
        explanation="""\
This is the chapter's `lr_theory`; the bisection on real runs
(`divergence_threshold`) lands a hair above it.""",
        wrong_answers=(
            WrongAnswer(
                "A = np.c_[x_col, np.ones_like(x_col)]\n"
                "lr_max = 1 / np.linalg.eigvalsh(2 * A.T @ A / len(x_col)).max()",
                "Half the limit",
            ),
            WrongAnswer(
                "A = np.c_[x_col, np.ones_like(x_col)]\n"
                "lr_max = 2 / np.linalg.eigvalsh(2 * A.T @ A / len(x_col)).min()",
                "flattest",
            ),
        ),
    ),
)
