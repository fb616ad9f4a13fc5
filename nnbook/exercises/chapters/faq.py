"""Exercises of the chapter *FAQ: choosing, evaluating, not overfitting* (``faq``).

Chapter objects used: ``data`` (the article's data), ``y_score`` (the
article's network's probabilities of class 1 on the test set, shape
``(200,)``), ``y_val`` and ``y_score_val`` (the labels and the network's
probabilities on the validation samples, the last fifth of the training
data, shape ``(160,)``), ``np``.
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from .._judges import Choice, Judged, Mistake, Numeric, Verdict
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []

_GRID = np.linspace(0.0, 1.0, 101)
_COST_FN, _COST_FP = 5.0, 1.0


def _counts(y, score, t=0.5):
    y = np.asarray(y)
    pred = np.asarray(score, np.float64) >= t
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    tn = int(np.sum(~pred & (y == 0)))
    return tp, fp, fn, tn


def _f1(y, score):
    tp, fp, fn, _ = _counts(y, score)
    return 2 * tp / (2 * tp + fp + fn)


def _accuracy(y, score):
    tp, fp, fn, tn = _counts(y, score)
    return (tp + tn) / (tp + fp + fn + tn)


def _arithmetic_mean(y, score):
    tp, fp, fn, _ = _counts(y, score)
    return (tp / (tp + fp) + tp / (tp + fn)) / 2


def _cost(y, score, t, fn_cost=_COST_FN, fp_cost=_COST_FP):
    tp, fp, fn, _ = _counts(y, score, t)
    return fn_cost * fn + fp_cost * fp


def _min_cost(y, score):
    return min(_cost(y, score, t) for t in _GRID)


def _judge_threshold(answer, reference, *, y, score) -> Verdict:
    if isinstance(answer, bool) or not isinstance(answer, (Real, np.floating)):
        return False, [
            f"Expected a threshold, one number, got {type(answer).__name__}."
        ]
    t = float(answer)
    if not 0.0 <= t <= 1.0:
        return False, ["A threshold on a probability lies between 0 and 1."]
    cost = _cost(y, score, t)
    if cost <= reference:
        return True, []
    lines = []
    if min(_cost(y, score, s, _COST_FP, _COST_FN) for s in _GRID) == _cost(
        y, score, t, _COST_FP, _COST_FN
    ):
        lines.append(
            "This threshold is best if a false *positive* costs 5 and a "
            "false negative 1: the costs are swapped."
        )
    elif t == 0.5:
        lines.append(
            "One half minimizes the number of errors when both kinds cost "
            "the same; here a missed positive costs five times more."
        )
    direction = "lower" if _cost(y, score, max(t - 0.05, 0.0)) < cost else "higher"
    lines.append(
        f"Your threshold costs more than the best one on the grid; try "
        f"{direction} thresholds."
    )
    return False, lines


def _constant_auc(y):
    y = np.asarray(y)
    score = np.zeros(len(y))
    auc = _auc(y, score)
    options = {"0": 0.0, "0.5": 0.5, "1": 1.0}
    return min(options, key=lambda k: abs(options[k] - auc))


def _auc(y, score, *, swapped=False):
    y = np.asarray(y)
    score = np.asarray(score, np.float64)
    pos, neg = score[y == 1], score[y == 0]
    if swapped:
        pos, neg = neg, pos
    diff = pos[:, None] - neg[None, :]
    return float(np.mean((diff > 0) + 0.5 * (diff == 0)))


register(
    Exercise(
        id="faq.1",
        title="F1 from the counts",
        kind="value",
        level=1,
        statement="""\
At the threshold one half, count the true positives, false positives and
false negatives of the article's network (probabilities `y_score`, labels
`data.y_test`), and compute its F1 score,
$F_1 = 2\\,\\mathrm{TP}/(2\\,\\mathrm{TP} + \\mathrm{FP} + \\mathrm{FN})$. Answer:
one number.""",
        answer_name="f1",
        answer_comment="one number",
        check_args="y=data.y_test, score=y_score",
        needs=("data", "y_score", "np"),
        reference=_f1,
        judge=Numeric(rtol=1e-9),
        hint="pred = y_score >= 0.5; a true positive is pred & (y == 1).",
        mistakes=(
            Mistake(
                "That is the accuracy, which also counts the true negatives.", _accuracy
            ),
            Mistake(
                "That is the arithmetic mean of precision and recall; F1 is "
                "their harmonic mean.",
                _arithmetic_mean,
            ),
        ),
        solution="""\
pred = y_score >= 0.5
y = data.y_test
tp = np.sum(pred & (y == 1))
fp = np.sum(pred & (y == 0))
fn = np.sum(~pred & (y == 1))
f1 = 2 * tp / (2 * tp + fp + fn)""",
        explanation="""\
It equals `sklearn.metrics.f1_score(data.y_test, y_score >= 0.5)`. F1 never
looks at the true negatives, which is why it tells a useless majority
classifier apart on imbalanced data.""",
        wrong_answers=(
            WrongAnswer("f1 = np.mean((y_score >= 0.5) == data.y_test)", "accuracy"),
            WrongAnswer(
                "pred, y = y_score >= 0.5, data.y_test\n"
                "precision = np.sum(pred & (y == 1)) / np.sum(pred)\n"
                "recall = np.sum(pred & (y == 1)) / np.sum(y == 1)\n"
                "f1 = (precision + recall) / 2",
                "harmonic",
            ),
        ),
    ),
    Exercise(
        id="faq.2",
        title="Choose the threshold",
        kind="code",
        level=2,
        statement="""\
A missed positive (false negative) costs 5, a false alarm (false positive)
costs 1. Find a threshold $t$ among `np.linspace(0, 1, 101)` that minimizes
the total cost on the *validation* samples (labels `y_val`, the network's
probabilities `y_score_val`), predicting class 1 when the probability is at
least $t$. A threshold is a choice, so it is made on validation data; the
test set then reports its cost once. Answer: the threshold, one number.
(Several thresholds may tie; any of them is right.)""",
        answer_name="t_best",
        answer_comment="one threshold between 0 and 1",
        check_args="y=y_val, score=y_score_val",
        needs=("data", "y_score", "y_val", "y_score_val", "np"),
        reference=_min_cost,
        judge=Judged(_judge_threshold),
        hint="compute the cost 5 FN + FP on the validation samples for every "
        "threshold of the grid and take the cheapest.",
        solution="""\
grid = np.linspace(0, 1, 101)


def cost(t, y, score):
    pred = score >= t
    return 5 * np.sum(~pred & (y == 1)) + np.sum(pred & (y == 0))


t_best = grid[np.argmin([cost(t, y_val, y_score_val) for t in grid])]
test_cost = cost(t_best, data.y_test, y_score)  # reported once""",
        explanation="""\
The cheapest threshold lies below one half: when a miss costs more than a
false alarm, the model should say "class 1" on weaker evidence. The costs
come from the problem, not from the model. Chosen on the test set, the
same search would make the test cost the best of 101 tries, an optimistic
report; chosen on validation data, the test cost is an honest one.""",
        wrong_answers=(
            WrongAnswer("t_best = 0.5", "costs more"),
            WrongAnswer(
                "grid = np.linspace(0, 1, 101)\n"
                "costs = [np.sum(~(y_score_val >= t) & (y_val == 1))"
                " + 5 * np.sum((y_score_val >= t) & (y_val == 0)) for t in grid]\n"
                "t_best = grid[np.argmin(costs)]",
                "swapped",
            ),
            WrongAnswer("t_best = 50", "between 0 and 1"),
        ),
    ),
    Exercise(
        id="faq.3",
        title="The ROC AUC of a constant",
        kind="prediction",
        level=2,
        statement="""\
The always-class-0 model of the imbalanced-classes section gives every
sample the same score. Before you compute it, predict its ROC AUC: `"0"`,
`"0.5"` or `"1"`. Then compute it: the share of (positive, negative) pairs in
which the positive sample scores higher, ties counting one half.""",
        answer_name="prediction",
        answer_comment='"0", "0.5" or "1"',
        check_args="y=data.y_test",
        needs=("data",),
        reference=_constant_auc,
        judge=Choice(
            options=("0", "0.5", "1"),
            hints={
                "0": "An AUC of 0 means every positive scores below every negative: "
                "perfectly wrong, and as informative as perfectly right. A "
                "constant ranks nothing.",
                "1": "An AUC of 1 needs every positive to score above every "
                "negative; a constant score ties every pair.",
            },
        ),
        hint="with one score for all, how does any positive compare with any negative?",
        solution="""\
score = np.zeros(len(data.y_test))  # the same score for every sample
pos, neg = score[data.y_test == 1], score[data.y_test == 0]
diff = pos[:, None] - neg[None, :]
auc_constant = np.mean((diff > 0) + 0.5 * (diff == 0))
prediction = "0.5\"""",
        explanation="""\
Every pair is a tie, worth one half, so the AUC is exactly one half whatever the
class balance: the AUC of chance. Accuracy, by contrast, rewards the
constant model for the imbalance.""",
        wrong_answers=(WrongAnswer('prediction = "0"', "ranks nothing"),),
    ),
    Exercise(
        id="faq.4",
        title="ROC AUC by hand",
        kind="code",
        level=3,
        statement="""\
The ROC AUC is the probability that a randomly chosen positive sample gets a
higher score than a randomly chosen negative one (ties count one half).
Compute it for the network's `y_score` against `data.y_test` by comparing
every positive with every negative. Answer: one number; it must match
`sklearn.metrics.roc_auc_score`.""",
        answer_name="auc_ex",
        answer_comment="one number",
        check_args="y=data.y_test, score=y_score",
        needs=("data", "y_score", "np"),
        reference=_auc,
        judge=Numeric(rtol=1e-9),
        hint="pos[:, None] - neg[None, :] compares every pair in one array.",
        mistakes=(
            Mistake(
                "You counted the pairs in which the *negative* scores higher: "
                "that is 1 - AUC.",
                lambda y, score: _auc(y, score, swapped=True),
            ),
            Mistake(
                "That is the accuracy at one half; the AUC looks at the ranking "
                "of the scores, at every threshold at once.",
                _accuracy,
            ),
        ),
        solution="""\
pos = y_score[data.y_test == 1]
neg = y_score[data.y_test == 0]
diff = pos[:, None] - neg[None, :]  # every (positive, negative) pair
auc_ex = np.mean((diff > 0) + 0.5 * (diff == 0))""",
        explanation="""\
This is the Mann-Whitney form of the area under the ROC curve; it needs
$n_+ n_-$ comparisons, which sorting the scores reduces to
$O(n \\log n)$.""",
        wrong_answers=(
            WrongAnswer(
                "pos, neg = y_score[data.y_test == 1], y_score[data.y_test == 0]\n"
                "auc_ex = np.mean(neg[:, None] > pos[None, :])",
                "negative",
            ),
        ),
    ),
)
