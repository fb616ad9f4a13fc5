"""Exercises of the chapter *Tools and resources* (``tools``).

Chapter objects used: ``data`` (the article's data), ``model`` (the
article's network), ``logreg`` (the fitted logistic regression),
``LogisticRegression`` (scikit-learn's class), ``np``.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._reference import predict
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _central(model, x, j, h, *, denominator=2.0, sign=1.0):
    x = np.asarray(x, np.float64).reshape(1, -1)
    plus, minus = x.copy(), x.copy()
    plus[0, j] += h
    minus[0, j] -= h
    f = predict(model, np.concatenate([plus, minus]))[:, 0]
    return sign * float(f[0] - f[1]) / (denominator * h)


def _gradient_library():
    return "TensorFlow"


def _noise_only(logreg, data):
    noise = np.asarray(data.roles) == "noise"
    fresh = type(logreg)(**logreg.get_params())
    fresh.fit(data.X_train[:, noise], data.y_train)
    acc_noise = fresh.score(data.X_test[:, noise], data.y_test)
    acc_all = logreg.score(data.X_test, data.y_test)
    if acc_noise > acc_all + 0.02:
        return "higher"
    return (
        "about one half"
        if abs(acc_noise - 0.5) < abs(acc_noise - acc_all)
        else ("about the same as on all columns")
    )


register(
    Exercise(
        id="tools.1",
        title="A central difference",
        kind="code",
        level=1,
        statement="""\
Estimate $\\partial \\hat y/\\partial x_j$ of `model` for the first test sample
`x_ex` (shape `(1, 20)`) and the column `j_ex` with a central difference of
step `h_ex`: $\\big(F(x + h e_j) - F(x - h e_j)\\big)/2h$, where $F$ is the
predicted probability. Answer: one number.""",
        setup="x_ex, j_ex, h_ex = data.X_test[:1], 3, 1e-3",
        answer_name="slope_j",
        answer_comment="one number",
        check_args="model=model, x=x_ex, j=j_ex, h=h_ex",
        needs=("data", "model", "np"),
        reference=_central,
        judge=Numeric(rtol=1e-4, atol=1e-7),
        hint="copy x_ex twice, move column j_ex up by h_ex in one copy and down "
        "in the other; predict both in one call.",
        mistakes=(
            Mistake(
                "Divide by 2h: the two points are 2h apart.",
                lambda model, x, j, h: _central(model, x, j, h, denominator=1.0),
            ),
        ),
        solution="""\
plus, minus = x_ex.copy(), x_ex.copy()
plus[0, j_ex] += h_ex
minus[0, j_ex] -= h_ex
f = model.predict(np.concatenate([plus, minus]), verbose=0)[:, 0]
slope_j = float(f[0] - f[1]) / (2 * h_ex)""",
        explanation="""\
`tf.GradientTape` gives the same derivative exactly, for all 20 columns in
one pass; the central difference needs two forward passes per column and
carries an error of order $h^2$ (and rounding of order $10^{-16}/h$ in
`float64`, the book's precision; $10^{-7}/h$ in `float32`).""",
        wrong_answers=(
            WrongAnswer(
                "plus, minus = x_ex.copy(), x_ex.copy()\n"
                "plus[0, j_ex] += h_ex\n"
                "minus[0, j_ex] -= h_ex\n"
                "f = model.predict(np.concatenate([plus, minus]), verbose=0)[:, 0]\n"
                "slope_j = float(f[0] - f[1]) / h_ex",
                "2h",
            ),
            WrongAnswer(
                "plus, minus = x_ex.copy(), x_ex.copy()\n"
                "plus[0, j_ex] += h_ex\n"
                "minus[0, j_ex] -= h_ex\n"
                "f = model.predict(np.concatenate([plus, minus]), verbose=0)[:, 0]\n"
                "slope_j = float(f[1] - f[0]) / (2 * h_ex)",
                "sign is flipped",
            ),
            WrongAnswer('slope_j = "0.01"', "got str"),
        ),
    ),
    Exercise(
        id="tools.2",
        title="Which library differentiates?",
        kind="choice",
        level=1,
        statement="""\
In this book, which library computes the gradients behind saliency,
integrated gradients and Grad-CAM? Answer `"TensorFlow"`, `"Keras"`,
`"scikit-learn"` or `"NumPy"`.""",
        answer_name="library",
        answer_comment='"TensorFlow", "Keras", "scikit-learn" or "NumPy"',
        check_args="",
        needs=(),
        reference=_gradient_library,
        judge=Choice(
            options=("TensorFlow", "Keras", "scikit-learn", "NumPy"),
            hints={
                "Keras": "Keras builds and trains the network, but the gradient tape "
                "in this chapter's code belongs to the library underneath it.",
                "scikit-learn": "scikit-learn makes the data and the baseline, and "
                "permutation importance needs no gradient at all.",
                "NumPy": "NumPy runs the from-scratch versions, where the chapters "
                "write each gradient by hand; the explanation methods ask "
                "an automatic differentiator.",
            },
        ),
        hint="look for the library whose gradient tape appears in this chapter.",
        solution='library = "TensorFlow"',
        explanation="""\
`tf.GradientTape` records the forward pass and differentiates it. Keras 3
can run on other back ends (JAX, PyTorch), each with its own differentiator;
this book runs it on TensorFlow.""",
        wrong_answers=(
            WrongAnswer('library = "Keras"', "library underneath"),
            WrongAnswer('library = "PyTorch"', "not one of the options"),
        ),
    ),
    Exercise(
        id="tools.3",
        title="A baseline on noise",
        kind="prediction",
        level=2,
        statement="""\
Before you run it, predict: logistic regression fitted on the 16 *noise*
columns only (`data.roles == "noise"`) will reach a test accuracy that is
`"about one half"`, `"about the same as on all columns"`, or `"higher"`?
Then fit it and see.""",
        answer_name="prediction",
        answer_comment="one of the three options, as a string",
        check_args="logreg=logreg, data=data",
        needs=("data", "logreg", "LogisticRegression"),
        reference=_noise_only,
        judge=Choice(
            options=("about one half", "about the same as on all columns", "higher"),
            hints={
                "about the same as on all columns": "The noise columns are drawn "
                "independently of the label: no model can learn the class from "
                "them, so it guesses.",
                "higher": "Removing the columns that carry the signal cannot help; "
                "what is left is noise.",
            },
        ),
        hint="make_classification draws the noise columns independently of the label.",
        solution="""\
noise = data.roles == "noise"
noise_model = LogisticRegression(max_iter=1000)
noise_model.fit(data.X_train[:, noise], data.y_train)
accuracy_noise = noise_model.score(data.X_test[:, noise], data.y_test)
if accuracy_noise < 0.6:
    prediction = "about one half"
else:
    prediction = "about the same as on all columns\"""",
        explanation="""\
Near one half, up to the noise of 200 test samples. A baseline on columns
known to be noise is a cheap check of a pipeline: if it scores well, the
label has leaked into the data.""",
        wrong_answers=(
            WrongAnswer('prediction = "about the same as on all columns"', "guesses"),
        ),
    ),
)
