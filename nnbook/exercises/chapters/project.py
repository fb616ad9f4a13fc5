"""Exercises of the chapter *The project* (``project``).

Chapter objects used: ``data`` (the article's data), ``model`` (the article's
network, trained through ``nnbook``), ``history`` (its training history:
per-epoch ``loss`` and ``val_loss``), ``logreg`` (the fitted logistic
regression), ``np``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _column(p):
    return np.asarray(p, np.float64).reshape(len(p), -1)[:, 0]


def _n_wrong(p, y):
    return int(np.sum((_column(p) > 0.5) != np.asarray(y)))


def _n_wrong_broadcast(p, y):
    return int(np.sum((np.asarray(p).reshape(len(p), -1) > 0.5) != np.asarray(y)))


def _bce(p, y, *, log=np.log, broadcast=False):
    p = np.asarray(p, np.float64).reshape(len(p), -1)
    p = p if broadcast else p[:, 0]
    y = np.asarray(y, np.float64)
    return float(-np.mean(y * log(p) + (1 - y) * log(1 - p)))


def _flipped(logreg, X, y):
    acc = logreg.score(X, y)
    flipped = logreg.score(-np.asarray(X), y)
    options = {"the same": acc, "1 minus its accuracy": 1 - acc, "about one half": 0.5}
    return min(options, key=lambda k: abs(options[k] - flipped))


def _series(history: Any, name: str) -> np.ndarray:
    """A per-epoch series from a history dict or record (``loss``, ``val_loss``)."""
    try:
        values = history[name]
    except (TypeError, KeyError):
        values = getattr(history, name)
    return np.asarray(values, np.float64)


def _best_epoch(history, *, zero_based=False, sign=1.0):
    val, train = _series(history, "val_loss"), _series(history, "loss")
    i = int(np.argmin(val))
    return np.array([i if zero_based else i + 1, sign * (val[i] - train[i])])


register(
    Exercise(
        id="project.1",
        title="Count the mistakes",
        kind="value",
        level=1,
        statement="""\
How many of the 200 test samples does `model` classify wrongly, predicting
class 1 when its probability exceeds one half? The cell puts the
probabilities into `p_ex`; mind its shape. Answer with a whole number.""",
        setup="p_ex = model.predict(data.X_test, verbose=0)  # shape (200, 1)",
        answer_name="n_wrong",
        answer_comment="a whole number",
        check_args="p=p_ex, y=data.y_test",
        needs=("data", "model", "np"),
        reference=_n_wrong,
        judge=Numeric(integer=True, rtol=0, atol=0),
        hint="compare the predicted classes with data.y_test and count the "
        "differences; check the shapes of both first.",
        mistakes=(
            Mistake(
                "Your count is far larger than 200: `p_ex` has shape (200, 1) and "
                "`data.y_test` shape (200,), so `!=` compared every pair. Use "
                "`p_ex[:, 0]`.",
                _n_wrong_broadcast,
            ),
            Mistake(
                "That is the number classified correctly.",
                lambda p, y: len(y) - _n_wrong(p, y),
            ),
        ),
        solution="n_wrong = int(np.sum((p_ex[:, 0] > 0.5) != data.y_test))",
        explanation="""\
One minus the test accuracy, times 200. Broadcasting a column `(200, 1)`
against a row `(200,)` makes a `(200, 200)` table without any warning: the
most common silent bug in code like this.""",
        wrong_answers=(
            WrongAnswer(
                "n_wrong = int(np.sum((p_ex > 0.5) != data.y_test))", "every pair"
            ),
            WrongAnswer(
                "n_wrong = int(np.sum((p_ex[:, 0] > 0.5) == data.y_test))", "correctly"
            ),
        ),
    ),
    Exercise(
        id="project.2",
        title="The test loss by hand",
        kind="code",
        level=2,
        statement="""\
`evaluate` reported the test loss, the mean binary cross-entropy. Compute it
yourself from the probabilities `p_ex` (shape `(200, 1)`) and the labels
`data.y_test`:
$L = -\\frac1N \\sum_i \\big[y_i \\log \\hat y_i + (1-y_i)\\log(1-\\hat y_i)\\big]$.""",
        setup="p_ex = model.predict(data.X_test, verbose=0)  # shape (200, 1)",
        answer_name="test_loss",
        answer_comment="one number",
        check_args="p=p_ex, y=data.y_test",
        needs=("data", "model", "np"),
        reference=_bce,
        judge=Numeric(rtol=1e-5),
        hint="take the probabilities as a flat array first, then one line of NumPy.",
        mistakes=(
            Mistake(
                "`p_ex` has shape (200, 1) and `data.y_test` shape (200,): the "
                "product broadcast to (200, 200) and compared every pair. Use "
                "`p_ex[:, 0]`.",
                lambda p, y: _bce(p, y, broadcast=True),
            ),
            Mistake(
                "Cross-entropy uses the natural logarithm, `np.log`, not `np.log10`.",
                lambda p, y: _bce(p, y, log=np.log10),
            ),
        ),
        solution="""\
p = p_ex[:, 0]
y = data.y_test
test_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))""",
        explanation="""\
It matches `evaluate(model, data.X_test, data.y_test)["loss"]` to rounding;
Keras clips probabilities to $[10^{-7}, 1-10^{-7}]$, which matters only for a
probability of exactly 0 or 1.""",
        wrong_answers=(
            WrongAnswer(
                "y = data.y_test\n"
                "test_loss = -np.mean(y * np.log(p_ex) + (1 - y) * np.log(1 - p_ex))",
                "every pair",
            ),
            WrongAnswer(
                "p, y = p_ex[:, 0], data.y_test\n"
                "test_loss = np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))",
                "sign is flipped",
            ),
        ),
    ),
    Exercise(
        id="project.3",
        title="Flip every input",
        kind="prediction",
        level=2,
        statement="""\
Before you run it, predict: if every input of the test set is multiplied by
$-1$, what test accuracy will the fitted logistic regression `logreg` reach?
Answer `"the same"`, `"1 minus its accuracy"` or `"about one half"`; then
score it on `-data.X_test`.""",
        answer_name="prediction",
        answer_comment='"the same", "1 minus its accuracy" or "about one half"',
        check_args="logreg=logreg, X=data.X_test, y=data.y_test",
        needs=("data", "logreg"),
        reference=_flipped,
        judge=Choice(
            options=("the same", "1 minus its accuracy", "about one half"),
            hints={
                "the same": "Logistic regression decides by the sign of w . x + b. "
                "Negating x negates w . x, so with a small intercept b "
                "almost every decision flips.",
                "about one half": "Negating x does not scramble the decisions, it "
                "flips them: the sign of w . x + b changes wherever "
                "|w . x| exceeds |b|.",
            },
        ),
        hint="logistic regression predicts class 1 where w . x + b > 0. What does "
        "x -> -x do to w . x?",
        solution="""\
accuracy = logreg.score(data.X_test, data.y_test)
flipped = logreg.score(-data.X_test, data.y_test)
outcomes = {"the same": accuracy, "1 minus its accuracy": 1 - accuracy,
            "about one half": 0.5}
prediction = min(outcomes, key=lambda k: abs(outcomes[k] - flipped))""",
        explanation="""\
A linear model is an odd function of its input up to the intercept, so a
sign flip of the input flips its decisions: right answers become wrong ones.
(The article's network is not linear; try it on `model` too.)""",
        wrong_answers=(
            WrongAnswer('prediction = "about one half"', "flips them"),
            WrongAnswer('prediction = "the same"', "sign of w . x + b"),
        ),
    ),
    Exercise(
        id="project.4",
        title="The best epoch",
        kind="code",
        level=3,
        statement="""\
`history` holds the training and validation loss of every epoch
(`history["loss"]`, `history["val_loss"]`). Find the epoch, counted from 1,
with the lowest validation loss, and the gap between the validation and the
training loss at that epoch. Answer: `(best_epoch, gap)`.""",
        answer_name="best_and_gap",
        answer_comment="(best_epoch, gap)",
        check_args="history=history",
        needs=("history", "np"),
        reference=_best_epoch,
        judge=Numeric(rtol=1e-9),
        hint="np.argmin finds the index of the smallest validation loss.",
        mistakes=(
            Mistake(
                "Epochs count from 1: the best epoch is its index plus one.",
                lambda history: _best_epoch(history, zero_based=True),
            ),
            Mistake(
                "The gap is the validation loss minus the training loss.",
                lambda history: _best_epoch(history, sign=-1.0),
            ),
        ),
        solution="""\
val, train_loss = np.array(history["val_loss"]), np.array(history["loss"])
i = int(np.argmin(val))
best_and_gap = (i + 1, val[i] - train_loss[i])""",
        explanation="""\
In the article's ten epochs the validation loss is still falling, so the
best epoch is the last; run it for 100 epochs and it moves.""",
        wrong_answers=(
            WrongAnswer(
                "val = np.array(history['val_loss'])\n"
                "i = int(np.argmin(val))\n"
                "best_and_gap = (i, val[i] - history['loss'][i])",
                "count from 1",
            ),
            WrongAnswer(
                "val = np.array(history['val_loss'])\n"
                "i = int(np.argmin(val))\n"
                "best_and_gap = (i + 1, history['loss'][i] - val[i])",
                "validation loss minus",
            ),
        ),
    ),
)
