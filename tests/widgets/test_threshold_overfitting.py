"""The FAQ chapter's explorers: every control changes the figure consistently."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)

from nnbook.models import init_weights
from nnbook.training import train_numpy
from nnbook.widgets import OverfittingExplorer, ThresholdExplorer


@pytest.fixture(scope="module")
def scores():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 120)
    y_score = np.clip(0.35 * y + 0.65 * rng.random(120), 0, 1)
    return y, y_score


@pytest.fixture(scope="module")
def threshold_explorer(scores):
    ex = ThresholdExplorer(*scores, name="test model")
    yield ex
    plt.close(ex.fig)


@pytest.mark.parametrize("threshold", [0.0, 0.05, 0.3, 0.5, 0.62, 0.9, 1.0])
def test_threshold_counts_and_metrics_match_sklearn(
    threshold_explorer, scores, threshold
):
    y, y_score = scores
    ex = threshold_explorer.update(threshold=threshold)
    y_pred = (y_score >= threshold).astype(int)
    expected = confusion_matrix(y, y_pred, labels=[0, 1])
    # The image and the printed counts both show sklearn's matrix.
    np.testing.assert_array_equal(np.asarray(ex.confusion.image.get_array()), expected)
    shown = np.array([[int(t.get_text()) for t in row] for row in ex.confusion.texts])
    np.testing.assert_array_equal(shown, expected)
    text = (
        f"accuracy {accuracy_score(y, y_pred):.3f} | "
        f"precision {precision_score(y, y_pred, zero_division=0):.3f} | "
        f"recall {recall_score(y, y_pred, zero_division=0):.3f} | "
        f"f1 {f1_score(y, y_pred, zero_division=0):.3f}"
    )
    assert ex.metrics_text == text
    assert text in ex._suptitle.get_text()
    assert f"threshold {threshold:.2f}" in ex._suptitle.get_text()
    # The operating point sits where the threshold puts it on both curves.
    (tn, fp), (fn, tp) = expected
    x_roc, y_roc = (np.asarray(a)[0] for a in ex.roc_curve.point.get_data())
    assert x_roc == pytest.approx(fp / (fp + tn))
    assert y_roc == pytest.approx(tp / (tp + fn))
    x_pr, y_pr = (np.asarray(a)[0] for a in ex.pr_curve.point.get_data())
    assert x_pr == pytest.approx(recall_score(y, y_pred, zero_division=0))
    assert y_pr == pytest.approx(precision_score(y, y_pred, zero_division=0))


def test_threshold_point_lies_on_the_roc_curve(threshold_explorer):
    ex = threshold_explorer.update(threshold=0.5)
    fpr, tpr = ex.roc
    x, y = (np.asarray(a)[0] for a in ex.roc_curve.point.get_data())
    assert any(np.isclose(x, fpr) & np.isclose(y, tpr))


def test_threshold_extremes(threshold_explorer, scores):
    y, _ = scores
    ex = threshold_explorer.update(threshold=0.0)
    assert ex.metrics["recall"] == 1.0  # everything predicted positive
    assert ex.metrics["confusion"][:, 0].sum() == 0
    ex.update(threshold=1.0)
    assert ex.metrics["confusion"][:, 1].sum() <= 1  # only scores of exactly 1


@pytest.mark.parametrize("bad", [-0.1, 1.01, float("nan")])
def test_threshold_out_of_range_raises(threshold_explorer, bad):
    before = dict(threshold_explorer.params)
    with pytest.raises(ValueError, match="threshold"):
        threshold_explorer.update(threshold=bad)
    assert threshold_explorer.params == before


def test_threshold_rejects_unknown_parameter_and_bad_data(threshold_explorer, scores):
    y, y_score = scores
    with pytest.raises(ValueError, match="unknown parameter"):
        threshold_explorer.update(thresh=0.4)
    with pytest.raises(ValueError, match="y_true"):
        ThresholdExplorer(y[:-1], y_score)
    with pytest.raises(ValueError, match="both classes"):
        ThresholdExplorer(np.zeros(120, int), y_score)
    with pytest.raises(ValueError, match="y_score"):
        ThresholdExplorer(y, y_score[:, None])
    with pytest.raises(ValueError, match="y_score"):
        ThresholdExplorer(y, np.full(120, np.nan))


def test_threshold_widget_and_scrubber(threshold_explorer):
    box = threshold_explorer.widget()
    slider = threshold_explorer.controls["threshold"]
    assert slider.continuous_update  # cheap: follows the mouse
    slider.value = 0.25
    assert threshold_explorer.params["threshold"] == pytest.approx(0.25)
    assert threshold_explorer.last_error is None
    assert box.children[-1] is threshold_explorer._view
    html = threshold_explorer.scrubber("threshold", [0.2, 0.8], alt="x" * 25).data
    assert html.count("data:image/png;base64,") >= 2


# -- OverfittingExplorer ------------------------------------------------------
@pytest.fixture(scope="module")
def pool(seed_data):
    d = seed_data
    return d.X_train[:120], d.y_train[:120], d.X_train[600:680], d.y_train[600:680]


@pytest.fixture(scope="module")
def overfit(pool):
    ex = OverfittingExplorer(*pool, lr=0.01, seed=1, epochs=20, hidden_units=32)
    yield ex
    plt.close(ex.fig)


def _curves(ex):
    lines = (
        ex.loss_lines.train,
        ex.loss_lines.val,
        ex.acc_lines.train,
        ex.acc_lines.val,
    )
    return [np.asarray(line.get_ydata()) for line in lines]


@pytest.mark.parametrize(
    "change",
    [
        {"n_train": 30},
        {"n_train": 120},
        {"hidden_units": 4},
        {"hidden_units": 64},
        {"l2": 0.02},
        {"dropout": 0.5},
        {"epochs": 40},
        {"epochs": 10},
    ],
)
def test_every_control_retrains_consistently(overfit, pool, change):
    X, y, X_val, y_val = pool
    before = _curves(overfit)
    overfit.update(**change)
    p = overfit.params
    expected = train_numpy(
        init_weights(20, p["hidden_units"], seed=1, max_hidden=256),
        X[: p["n_train"]],
        y[: p["n_train"]],
        epochs=p["epochs"],
        lr=0.01,
        l2=p["l2"],
        dropout=p["dropout"],
        validation_data=(X_val, y_val),
        seed=1,
    )
    after = _curves(overfit)
    keys = ("loss", "val_loss", "accuracy", "val_accuracy")
    for curve, key in zip(after, keys, strict=True):
        assert len(curve) == p["epochs"]  # one point per epoch
        np.testing.assert_allclose(curve, expected.history[key])
    np.testing.assert_array_equal(
        overfit.loss_lines.train.get_xdata(), np.arange(1, p["epochs"] + 1)
    )
    assert any(
        len(a) != len(b) or not np.allclose(a, b)
        for a, b in zip(before, after, strict=True)
    )
    title = overfit._suptitle.get_text()
    assert f"{p['n_train']} samples, {p['hidden_units']} units" in title
    assert f"gap {expected.gap:.3f}" in title
    # Every curve fits inside the loss axes.
    assert overfit._ax_loss.get_ylim()[1] >= max(expected.history["val_loss"])


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"n_train": 121}, "n_train"),  # more than the pool holds
        ({"n_train": 5}, "n_train"),
        ({"hidden_units": 0}, "hidden_units"),
        ({"hidden_units": 257}, "hidden_units"),
        ({"l2": -0.01}, "l2"),
        ({"dropout": 0.95}, "dropout"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 1000}, "epochs"),
    ],
)
def test_overfitting_out_of_range_raises(overfit, change, match):
    before = dict(overfit.params)
    with pytest.raises(ValueError, match=match):
        overfit.update(**change)
    assert overfit.params == before


def test_overfitting_rejects_bad_data(pool):
    X, y, X_val, y_val = pool
    with pytest.raises(ValueError, match="X_val"):
        OverfittingExplorer(X, y, X_val[:, :3], y_val)
    with pytest.raises(ValueError, match="y_pool"):
        OverfittingExplorer(X, y[:-1], X_val, y_val)
    with pytest.raises(ValueError, match="at least 10"):
        OverfittingExplorer(X[:5], y[:5], X_val, y_val)


def test_overfitting_widget_retrains_on_release_only(overfit):
    overfit.widget()
    for name, ctrl in overfit.controls.items():
        assert ctrl.continuous_update is False, name
    assert overfit.controls["n_train"].max == 120  # the pool's size
    overfit.controls["hidden_units"].value = 8
    assert overfit.params["hidden_units"] == 8
    assert overfit.last_error is None
