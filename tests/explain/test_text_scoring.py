"""token_ground_truth_score: hand-made cases, and agreement with the one
per-column implementation (ground_truth_score) and with scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from nnbook.explain import ground_truth_score, token_ground_truth_score

X = np.array([[5, 6, 7, 8, 0, 0], [5, 6, 7, 8, 9, 9]])
MASK = np.array(
    [[1, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0]],
    dtype=bool,
)


def test_perfect_and_reversed_rankings():
    perfect = np.array([[3.0, 1, 1, 1, 0, 0], [0, -5, 4, 1, 1, 1]])
    s = token_ground_truth_score(perfect, MASK, X, per_sample=True)
    assert s["precision_at_k"].tolist() == [1.0, 1.0] and s["auc"].tolist() == [1, 1]
    reversed_ = np.array([[0.0, 1, 1, 1, 0, 0], [9, 0, 0, 9, 9, 9]])
    s = token_ground_truth_score(reversed_, MASK, X)
    assert s["precision_at_k"] == 0.0 and s["auc"] == 0.0 and s["n_samples"] == 2


def test_padding_is_ignored_whatever_its_score():
    attr = np.array([[3.0, 1, 1, 1, 99, 99], [0, 5, 4, 1, 1, 1]])
    s = token_ground_truth_score(attr, MASK, X, per_sample=True)
    assert s["precision_at_k"][0] == 1.0 and s["auc"][0] == 1.0


def test_ranking_uses_magnitude_and_ties_break_by_position():
    attr = np.array([[-3.0, 1, 1, 1, 0, 0], [0, 2, 1, 2, 0, 0]])
    s = token_ground_truth_score(attr, MASK, X, per_sample=True)
    assert s["precision_at_k"][0] == 1.0  # |-3| ranks first
    # row 1: k=2, scores 2 (true) and 2 (other) tie at the top, then 1 (true);
    # position breaks the tie: positions 1 (true) and 3 (other) -> 1 of 2
    assert s["precision_at_k"][1] == 0.5
    # AUC counts a tie as half. Pairs (true, other), others 0, 2, 0, 0:
    # true 2 wins 3 and ties 1 (3.5); true 1 wins 3 (3); of 2 x 4 pairs
    assert s["auc"][1] == pytest.approx((3.5 + 3) / 8)


def test_agrees_with_ground_truth_score_and_sklearn_row_by_row():
    rng = np.random.default_rng(0)
    n, T = 60, 15
    ids = rng.integers(1, 50, size=(n, T))
    lengths = rng.integers(6, T + 1, size=n)
    ids[np.arange(T)[None, :] >= lengths[:, None]] = 0
    mask = np.zeros((n, T), dtype=bool)
    for i in range(n):
        k = rng.integers(1, 4)
        mask[i, rng.choice(lengths[i], size=k, replace=False)] = True
    attr = np.round(rng.normal(size=(n, T)), 1)  # rounding makes ties
    s = token_ground_truth_score(attr, mask, ids, per_sample=True)
    for i in range(n):
        L = lengths[i]
        roles = np.where(mask[i, :L], "informative", "noise")
        ref = ground_truth_score(np.abs(attr[i, :L]), roles)
        assert s["precision_at_k"][i] == pytest.approx(ref["precision_at_k"])
        assert s["auc"][i] == pytest.approx(ref["auc"])
        assert s["auc"][i] == pytest.approx(
            roc_auc_score(mask[i, :L], np.abs(attr[i, :L]))
        )
    means = token_ground_truth_score(attr, mask, ids)
    assert means["auc"] == pytest.approx(s["auc"].mean())


@pytest.mark.parametrize(
    ("attr", "mask", "ids", "error", "match"),
    [
        (np.ones((2, 6)), MASK.astype(int), X, TypeError, "cue_mask"),
        (np.ones((2, 6)), MASK, X.astype(float), TypeError, "X"),
        (np.ones((2, 5)), MASK, X, ValueError, "shape"),
        (np.ones(6), MASK, X, ValueError, "2-D"),
        (np.full((2, 6), np.nan), MASK, X, ValueError, "NaN"),
        (np.ones((2, 6)), MASK | (X == 0), X, ValueError, "padding"),
        (np.ones((2, 6)), MASK & False, X, ValueError, "sentence 0"),
        (np.ones((2, 6)), X != 0, X, ValueError, "other"),
    ],
)
def test_bad_input(attr, mask, ids, error, match):
    with pytest.raises(error, match=match):
        token_ground_truth_score(attr, mask, ids)


def test_in_top_k_marks_the_k_top_ranked_real_tokens():
    attr = np.array([[-3.0, 1, 1, 1, 99, 99], [0, 2, 1, 2, 0, 0]])
    s = token_ground_truth_score(attr, MASK, X, per_sample=True)
    top = s["in_top_k"]
    assert top.dtype == bool and top.shape == X.shape
    # row 0: k=1, |-3| first, padding never selected; row 1: k=2, the tie of
    # the two 2s at positions 1 and 3 both make it (position breaks ties)
    assert np.flatnonzero(top[0]).tolist() == [0]
    assert np.flatnonzero(top[1]).tolist() == [1, 3]
    hits = (top & MASK).sum(axis=1) / MASK.sum(axis=1)
    np.testing.assert_array_equal(hits, s["precision_at_k"])
