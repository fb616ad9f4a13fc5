"""Exercises of the chapter *Summary and outlook* (``summary``).

Chapter objects used: ``imp_a`` and ``imp_b`` (the per-column importances of
the article's network trained with seeds 42 and 43 at the article's settings,
in float64, shape ``(20,)``), ``np``.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []

_RHO_OPTIONS = {"-1": -1.0, "0": 0.0, "0.5": 0.5, "1": 1.0}


def _ranks(a):
    return np.argsort(np.argsort(np.asarray(a, np.float64)))


def _spearman(a, b):
    return float(np.corrcoef(_ranks(a), _ranks(b))[0, 1])


def _chance_rho():
    rng = np.random.default_rng(0)
    rhos = [_spearman(rng.random(20), rng.random(20)) for _ in range(1000)]
    mean = float(np.mean(rhos))
    return min(_RHO_OPTIONS, key=lambda k: abs(_RHO_OPTIONS[k] - mean))


def _top3(a):
    return np.argsort(-np.asarray(a, np.float64))[:3]


register(
    Exercise(
        id="summary.1",
        title="Agreement by chance",
        kind="prediction",
        level=1,
        statement="""\
The chapter measured the rank correlation of the two networks'
importances. To read it you need a yardstick: before you compute anything,
predict the average
Spearman rank correlation of two *unrelated* rankings of 20 columns. Answer
`"-1"`, `"0"`, `"0.5"` or `"1"`; then draw 1000 pairs of random importances
and see.""",
        answer_name="prediction",
        answer_comment='"-1", "0", "0.5" or "1"',
        check_args="",
        needs=("np",),
        reference=_chance_rho,
        judge=Choice(
            options=tuple(_RHO_OPTIONS),
            hints={
                "1": "Only identical rankings have a rank correlation of 1; unrelated "
                "ones agree on some columns and disagree on others.",
                "-1": "A correlation of -1 means one ranking is the other reversed: "
                "perfectly related, not unrelated.",
                "0.5": "Unrelated rankings agree as often as they disagree, so their "
                "correlations scatter around a value with no sign.",
            },
        ),
        hint="for unrelated rankings, is agreeing more likely than disagreeing?",
        solution="""\
rng = np.random.default_rng(0)


def ranks(a):
    return np.argsort(np.argsort(a))


rhos = [np.corrcoef(ranks(rng.random(20)), ranks(rng.random(20)))[0, 1]
        for _ in range(1000)]
spread = np.quantile(np.abs(rhos), 0.95)
print(f"mean {np.mean(rhos):+.3f}; 95 % of the pairs lie within +-{spread:.2f}")
prediction = "0\"""",
        explanation="""\
The mean is zero, but a single pair of unrelated rankings of 20 columns
scatters: about one pair in twenty reaches $|\\rho| \\approx 0.45$. A rank
correlation between two networks means something only well beyond that
spread.""",
        wrong_answers=(
            WrongAnswer('prediction = "0.5"', "no sign"),
            WrongAnswer("prediction = 0", "as a string"),
        ),
    ),
    Exercise(
        id="summary.2",
        title="The top three columns",
        kind="code",
        level=2,
        statement="""\
Which three columns does the seed-42 network rank as most important? Give
their indices from `imp_a` (shape `(20,)`), the most important first: an
array of shape `(3,)`. Then compare them with the top three of `imp_b`.""",
        answer_name="top3",
        answer_comment="three column indices, most important first",
        check_args="a=imp_a",
        needs=("imp_a", "imp_b", "np"),
        reference=_top3,
        judge=Numeric(integer=True, rtol=0, atol=0),
        hint="np.argsort gives the columns from least to most important.",
        mistakes=(
            Mistake(
                "np.argsort sorts ascending: its first three entries are the "
                "*least* important columns. Sort -imp_a, or take the end.",
                lambda a: np.argsort(a)[:3],
            ),
        ),
        solution="""\
top3 = np.argsort(-imp_a)[:3]
shared = len(set(top3.tolist()) & set(np.argsort(-imp_b)[:3].tolist()))""",
        explanation="""\
The redundant columns let two networks take the same signal from different
columns, and after ten epochs the two are not even equally far in their
training, so their top columns need not agree even when both rely on the
useful ones.""",
        wrong_answers=(
            WrongAnswer("top3 = np.argsort(imp_a)[:3]", "ascending"),
            WrongAnswer("top3 = np.argsort(imp_a)[-3:]", "wrong order"),
        ),
    ),
    Exercise(
        id="summary.3",
        title="Spearman's correlation by hand",
        kind="code",
        level=3,
        statement="""\
Compute the Spearman rank correlation of `imp_a` and `imp_b` yourself: rank
each vector (0 for its smallest entry, 19 for its largest), then take the
Pearson correlation of the two rank vectors with `np.corrcoef`. It must
match `scipy.stats.spearmanr`. Answer: one number.""",
        answer_name="rho_ex",
        answer_comment="one number",
        check_args="a=imp_a, b=imp_b",
        needs=("imp_a", "imp_b", "np"),
        reference=_spearman,
        judge=Numeric(rtol=1e-9, atol=1e-12),
        hint="np.argsort gives the order of the entries; applied twice, it gives "
        "each entry's rank.",
        mistakes=(
            Mistake(
                "That is the Pearson correlation of the importances themselves; "
                "rank them first.",
                lambda a, b: float(np.corrcoef(a, b)[0, 1]),
            ),
            Mistake(
                "`np.argsort` once gives the order (which column is smallest, "
                "next, ...), not the ranks: apply it twice.",
                lambda a, b: float(np.corrcoef(np.argsort(a), np.argsort(b))[0, 1]),
            ),
        ),
        solution="""\
rank_a = np.argsort(np.argsort(imp_a))
rank_b = np.argsort(np.argsort(imp_b))
rho_ex = np.corrcoef(rank_a, rank_b)[0, 1]""",
        explanation="""\
Ranks make the correlation blind to the size of the importances, only their
order counts; ties would need average ranks, which continuous importances do
not have.""",
        wrong_answers=(
            WrongAnswer("rho_ex = np.corrcoef(imp_a, imp_b)[0, 1]", "rank them first"),
            WrongAnswer(
                "rho_ex = np.corrcoef(np.argsort(imp_a), np.argsort(imp_b))[0, 1]",
                "twice",
            ),
        ),
    ),
)
