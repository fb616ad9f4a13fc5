"""Exercises of the chapter *Neurons, layers and the article's network* (``concepts``).

Chapter objects used: ``data`` (the article's data), ``model`` (the
article's network; trained or not, its weights are what counts), ``np``.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._reference import dense_weights, sigmoid
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _n_params():
    return 20 * 32 + 32 + 32 * 1 + 1


def _dsigmoid(z):
    s = sigmoid(z)
    return s * (1 - s)


def _forward(model, X, *, relu=True, squash=True):
    (W1, b1), (W2, b2) = dense_weights(model)
    h = np.asarray(X, np.float64) @ W1 + b1
    z = (np.maximum(h, 0) if relu else h) @ W2 + b2
    return (sigmoid(z) if squash else z)[:, 0]


def _boundary(X, w, b):
    X = np.asarray(X, np.float64)
    same = np.array_equal(X @ w + b > 0, X @ (10 * np.asarray(w)) + 10 * b > 0)
    return "stays" if same else "moves"


register(
    Exercise(
        id="concepts.1",
        title="Count the parameters of a wider network",
        kind="value",
        level=1,
        statement="""\
How many parameters would the article's network have with 32 hidden units
instead of 10, still with 20 inputs and one sigmoid output? Answer with a
whole number (you may write the arithmetic).""",
        answer_name="n_params",
        answer_comment="a whole number",
        check_args="",
        needs=(),
        reference=_n_params,
        judge=Numeric(integer=True, rtol=0, atol=0),
        hint="a dense layer from n_in inputs to n_out units has n_in x n_out "
        "weights and n_out biases; add the two layers.",
        mistakes=(
            Mistake(
                "You counted the weights and one bias per hidden unit, but the "
                "output unit has a bias of its own too.",
                lambda: 20 * 32 + 32 + 32,
            ),
            Mistake(
                "Each unit also has a bias: count one per hidden unit and one "
                "for the output unit.",
                lambda: 20 * 32 + 32,
            ),
            Mistake(
                "Each unit also has a bias: count one per hidden unit and one "
                "for the output unit.",
                lambda: 20 * 32,
            ),
        ),
        solution="n_params = (20 * 32 + 32) + (32 * 1 + 1)",
        explanation="""\
The hidden layer has $20 \\times 32$ weights and 32 biases, the output layer
$32 \\times 1$ weights and one bias. Build `build_seed_mlp(hidden_units=32)`
and call `count_params()` to confirm.""",
        wrong_answers=(
            WrongAnswer("n_params = 20 * 32 + 32 * 1", "bias"),
            WrongAnswer("n_params = 20 * 32 + 32 + 32", "output unit has a bias"),
        ),
    ),
    Exercise(
        id="concepts.2",
        title="The sigmoid's derivative",
        kind="code",
        level=1,
        statement="""\
Write the derivative $\\sigma'(z)$ of the sigmoid and evaluate it at the
nine points `z_ex` of the cell. Answer: an array of shape `(9,)`. (The
chapter's table gives the formula; the point is to write it.)""",
        setup="z_ex = np.linspace(-4, 4, 9)",
        answer_name="dsigmoid",
        answer_comment="sigma'(z) at each point, shape (9,)",
        check_args="z=z_ex",
        needs=("np",),
        reference=_dsigmoid,
        judge=Numeric(rtol=1e-9),
        hint="write s = 1 / (1 + np.exp(-z_ex)) first; the derivative is a "
        "product of s and something.",
        mistakes=(
            Mistake(
                "That is sigma(z) itself; its derivative is sigma(z) (1 - sigma(z)).",
                lambda z: sigmoid(z),
            ),
            Mistake(
                "Square the denominator: the derivative of (1 + e^-z)^-1 is "
                "e^-z / (1 + e^-z)^2.",
                lambda z: np.exp(-np.asarray(z)) / (1 + np.exp(-np.asarray(z))),
            ),
        ),
        solution="""\
s = 1 / (1 + np.exp(-z_ex))
dsigmoid = s * (1 - s)""",
        explanation="""\
The derivative is largest, $\\tfrac14$, at $z = 0$, and falls towards zero on
both sides: the sigmoid *saturates*. The chapter on loss shows what that
does to training.""",
        wrong_answers=(
            WrongAnswer("dsigmoid = 1 / (1 + np.exp(-z_ex))", "itself"),
            WrongAnswer("dsigmoid = np.exp(-z_ex) / (1 + np.exp(-z_ex))", "Square"),
        ),
    ),
    Exercise(
        id="concepts.3",
        title="The forward pass by hand",
        kind="code",
        level=2,
        statement="""\
Compute the probability of class 1 that `model` gives the first five test
samples `X5`, from its weights only:
$\\hat y = \\sigma\\big(\\operatorname{relu}(X W_1 + b_1) W_2 + b_2\\big)$.
`model.layers[0].get_weights()` returns $(W_1, b_1)$. Answer: an array of
shape `(5,)`.""",
        setup="X5 = data.X_test[:5]",
        answer_name="y_hat5",
        answer_comment="one probability per sample, shape (5,)",
        check_args="model=model, X=X5",
        needs=("data", "model", "np"),
        reference=_forward,
        judge=Numeric(rtol=1e-5, atol=1e-7),
        hint="two lines: the hidden layer H = relu(X5 @ W1 + b1), then the output.",
        mistakes=(
            Mistake(
                "Apply the ReLU to the hidden layer: without it the two "
                "layers collapse into one linear layer.",
                lambda model, X: _forward(model, X, relu=False),
            ),
            Mistake(
                "These look like logits: apply the sigmoid to get probabilities.",
                lambda model, X: _forward(model, X, squash=False),
            ),
        ),
        solution="""\
(W1, b1), (W2, b2) = (layer.get_weights() for layer in model.layers)
H = np.maximum(X5 @ W1 + b1, 0)
y_hat5 = 1 / (1 + np.exp(-(H @ W2 + b2)[:, 0]))""",
        explanation="""\
`H @ W2 + b2` has shape `(5, 1)`, one logit per sample; `[:, 0]` takes the
column. `model.predict(X5, verbose=0)[:, 0]` gives the same numbers.""",
        wrong_answers=(
            WrongAnswer(
                "(W1, b1), (W2, b2) = (layer.get_weights() for layer in model.layers)\n"
                "y_hat5 = 1 / (1 + np.exp(-((X5 @ W1 + b1) @ W2 + b2)[:, 0]))",
                "ReLU",
            ),
            WrongAnswer(
                "(W1, b1), (W2, b2) = (layer.get_weights() for layer in model.layers)\n"
                "y_hat5 = 1 / (1 + np.exp(-(np.maximum(X5 @ W1 + b1, 0) @ W2 + b2)))",
                "reshape",
            ),
        ),
    ),
    Exercise(
        id="concepts.4",
        title="Scale a neuron's weights",
        kind="prediction",
        level=2,
        statement="""\
A sigmoid neuron on the two informative columns has the weights `w_ex` and
the bias `b_ex` of the cell. Before you compute anything, predict: if you
multiply the weights *and* the bias by 10, what happens to its decision
boundary (the line where the output is one half)? Answer `"moves"`,
`"stays"` or `"disappears"`; then compare which side of the boundary each
training sample falls on, before and after.""",
        setup="""\
w_ex, b_ex = np.array([1.5, -0.5]), 0.3
X2_ex = data.X_train[:, data.roles == "informative"]""",
        answer_name="prediction",
        answer_comment='"moves", "stays" or "disappears"',
        check_args="X=X2_ex, w=w_ex, b=b_ex",
        needs=("data", "np"),
        reference=_boundary,
        judge=Choice(
            options=("moves", "stays", "disappears"),
            hints={
                "moves": "The boundary is where w . x + b = 0, and 10 (w . x + b) = 0 "
                "at exactly the same points. What changes is how sharply the "
                "output switches from 0 to 1 across it.",
                "disappears": "It disappears only when the weights are all zero; "
                "scaling by 10 keeps it and makes the switch sharper.",
            },
        ),
        hint="where is the output one half? Write the condition on z = w . x + b.",
        solution="""\
side = X2_ex @ w_ex + b_ex > 0
side_scaled = X2_ex @ (10 * w_ex) + 10 * b_ex > 0
prediction = "stays" if np.array_equal(side, side_scaled) else "moves\"""",
        explanation="""\
$\\sigma(z) = \\tfrac12$ exactly where $z = 0$, and $10z = 0$ at the same
points. Multiplying by 10 steepens the sigmoid across the line: the neuron
becomes more confident on both sides, and its decision does not change.""",
        wrong_answers=(WrongAnswer('prediction = "moves"', "same points"),),
    ),
)
