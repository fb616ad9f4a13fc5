"""Label encodings into everything that takes labels.

Binary models take 0 and 1 (bools and 0.0/1.0 too); {1, 2}, {-1, 1}, 0.7,
strings, NaN, a wrong length or a second column are refused with a message
naming the argument, never re-encoded silently (``check_labels``).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import nnbook.explain as E
from nnbook._checks import check_labels
from nnbook.plots import plot_activation_heatmap, plot_decision_plane

from .strategies import HOSTILE, HOSTILE_SLOW, check_outcome, is_valid_labels, labels

N = 8


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(0).normal(size=(N, 4))


@HOSTILE
@given(y=labels(N))
def test_check_labels(y):
    check_outcome(
        lambda: check_labels(y, N, "y"),
        ["y"],
        lambda r: np.testing.assert_array_equal(r, np.asarray(y)),
        valid=is_valid_labels(y, N),
    )


@HOSTILE
@given(y=labels(N))
def test_permutation_importance_accuracy(y, mlp64, X):
    check_outcome(
        lambda: E.permutation_importance(mlp64, X, y, n_draws=1, scoring="accuracy"),
        ["y"],
        lambda r: np.all(np.isfinite(r)) and r.shape == (4,),
        valid=is_valid_labels(y, N),
    )


def test_permutation_importance_multiclass(mlp3, X):
    y = np.arange(N) % 3
    imp = E.permutation_importance(mlp3, X, y, n_draws=1, scoring="accuracy")
    assert imp.shape == (4,)
    with pytest.raises(ValueError, match="y must hold integer class labels 0..2"):
        E.permutation_importance(mlp3, X, y + 1, n_draws=1)


@HOSTILE_SLOW
@given(y=labels(N))
def test_label_randomization(y, mlp64, X):
    check_outcome(
        lambda: E.label_randomization(
            mlp64, X, y, X[:2], method=E.gradient_saliency, epochs=1
        ),
        ["y_train"],
        lambda r: r.per_sample.shape == (1, 2),
        valid=is_valid_labels(y, N),
    )


@HOSTILE
@given(y=labels(N))
def test_tabular_plotters(y, X):
    import matplotlib.pyplot as plt

    plane = E.feature_plane(X, resolution=5)
    try:
        for plot in (
            lambda: plot_activation_heatmap(np.abs(X), y, colorbar=False),
            lambda: plot_decision_plane(
                plane, np.full((5, 5), 0.5), X=X, y=y, colorbar=False
            ),
        ):
            check_outcome(plot, ["y"], lambda r: None, valid=is_valid_labels(y, N))
    finally:
        plt.close("all")


@HOSTILE_SLOW
@given(y=labels(N))
def test_threshold_explorer_labels(y):
    import matplotlib.pyplot as plt

    from nnbook.widgets import ThresholdExplorer

    score = np.linspace(0.05, 0.95, N)
    try:
        check_outcome(
            lambda: ThresholdExplorer(y, score),
            ["y_true"],
            lambda r: None,
            valid=is_valid_labels(y, N),
        )
    finally:
        plt.close("all")


@pytest.mark.parametrize(
    "score",
    [np.linspace(-3, 3, N), np.array(["0.5"] * N), np.full(N, np.nan)],
    ids=["logits", "strings", "nan"],
)
def test_threshold_explorer_refuses_non_probabilities(score):
    from nnbook.widgets import ThresholdExplorer

    with pytest.raises((ValueError, TypeError), match="y_score"):
        ThresholdExplorer(np.arange(N) % 2, score)
