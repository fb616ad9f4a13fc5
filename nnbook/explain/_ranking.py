"""Ranking scores against a truth mask, row by row: precision@k and ROC AUC.

One implementation of both measures for every scorer of the package:
:func:`nnbook.explain.token_ground_truth_score` calls them with one row per
sentence, and a per-column score (one row) is the same computation. Inputs
are checked by the callers; here ``scores``, ``truth`` and ``valid`` are
arrays of one shape ``(n, m)`` (float, bool, bool), every row with at least
one true and one other valid entry.
"""

from __future__ import annotations

import numpy as np

__all__ = ["top_k_rows", "precision_at_k_rows", "auc_rows"]


def top_k_rows(scores: np.ndarray, truth: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per row: which entries are among the k top-scored valid ones.

    ``k`` is the row's number of true entries; ties are broken by position
    (the earlier entry first), as :func:`nnbook.explain.ground_truth_score`
    breaks them by column order.

    Args:
        scores: float ``(n, m)``; higher ranks first.
        truth: bool ``(n, m)``; its row sums are the ``k``.
        valid: bool ``(n, m)``; entries to rank (the rest, e.g. padding,
            rank last and are never selected).

    Returns:
        np.ndarray: bool ``(n, m)``, ``k`` entries True per row.
    """
    s = np.where(valid, scores, -np.inf)
    order = np.argsort(-s, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(s.shape[1])[None, :], axis=1)
    return rank < truth.sum(axis=1, keepdims=True)


def precision_at_k_rows(
    scores: np.ndarray, truth: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    """Per row: the share of true entries among the k top-scored valid ones.

    ``k`` is the row's number of true entries; the top ``k`` are those of
    :func:`top_k_rows` (ties broken by position).

    Args:
        scores: float ``(n, m)``; higher ranks first.
        truth: bool ``(n, m)``; the entries that should rank first.
        valid: bool ``(n, m)``; entries to rank (the rest, e.g. padding,
            rank last and are never counted).

    Returns:
        np.ndarray: float64 ``(n,)`` in [0, 1].
    """
    hits = (top_k_rows(scores, truth, valid) & truth).sum(axis=1)
    return hits / truth.sum(axis=1)


def auc_rows(scores: np.ndarray, truth: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per row: ROC AUC of the scores as a true-vs-other score, valid only.

    The Mann-Whitney form with average ranks for ties (Hanley & McNeil,
    1982, "The meaning and use of the area under a ROC curve"), which is
    what ``sklearn.metrics.roc_auc_score`` computes for one row, vectorized
    over rows (calling scikit-learn once per sentence costs about a
    millisecond each).

    Args:
        scores: float ``(n, m)``.
        truth: bool ``(n, m)``.
        valid: bool ``(n, m)``; only valid entries are compared.

    Returns:
        np.ndarray: float64 ``(n,)`` in [0, 1]; 0.5 is chance.
    """
    from scipy.stats import rankdata

    s = np.where(valid, scores, -np.inf)
    ranks = rankdata(s, axis=1, method="average")
    ranks -= (~valid).sum(axis=1, keepdims=True)  # invalid ones rank lowest
    p = truth.sum(axis=1)
    q = valid.sum(axis=1) - p
    rank_sum = np.where(truth, ranks, 0.0).sum(axis=1)
    return (rank_sum - p * (p + 1) / 2) / (p * q)
