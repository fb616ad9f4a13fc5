"""nnbook.training.evaluation: cost, accuracy and threshold metrics."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)

from nnbook.models import build_digits_cnn, build_seed_mlp
from nnbook.training import binary_metrics, count_macs, fit_score, set_seed


def test_count_macs_by_hand():
    assert count_macs(build_seed_mlp()) == 20 * 10 + 10 * 1
    cnn = build_digits_cnn(filters=(4, 8), dense_units=16)
    conv1 = 8 * 8 * 3 * 3 * 1 * 4  # same padding keeps 8 x 8
    conv2 = 4 * 4 * 3 * 3 * 4 * 8  # after 2 x 2 pooling
    dense = (4 * 4 * 8) * 16 + 16 * 10
    assert count_macs(cnn) == conv1 + conv2 + dense


def test_fit_score_measures_what_it_says(seed_data):
    d = seed_data
    set_seed(0)
    model = build_seed_mlp(lr=0.01)
    score = fit_score(model, d.X_train, d.y_train, d.X_test, d.y_test, epochs=2)
    assert score.n_params == 221 and score.macs == 210
    assert score.y_score.shape == (len(d.y_test),)
    assert 0.0 <= score.y_score.min() and score.y_score.max() <= 1.0
    expected = np.mean((score.y_score >= 0.5) == d.y_test)
    assert score.accuracy == pytest.approx(expected)
    assert score.accuracy > 0.6  # two epochs at lr 0.01 already learn
    assert score.seconds > 0


def test_fit_score_multiclass_images():
    rng = np.random.default_rng(0)
    X = rng.random((40, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 10, 40)
    model = build_digits_cnn(filters=(2, 2), dense_units=4)
    score = fit_score(model, X, y, X, y, epochs=1, batch_size=20)
    assert score.y_score.shape == (40, 10)
    assert score.accuracy == pytest.approx(np.mean(score.y_score.argmax(1) == y))


def test_fit_score_rejects_mismatched_lengths(seed_data):
    d = seed_data
    with pytest.raises(ValueError, match="as many samples"):
        fit_score(build_seed_mlp(), d.X_train, d.y_train[:-1], d.X_test, d.y_test)


@pytest.mark.parametrize("threshold", [0.0, 0.2, 0.5, 0.77, 1.0, 1.5])
def test_binary_metrics_match_sklearn(threshold):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 100)
    score = np.clip(0.3 * y + 0.7 * rng.random(100), 0, 1)
    m = binary_metrics(y, score, threshold)
    y_pred = (score >= threshold).astype(int)
    np.testing.assert_array_equal(
        m["confusion"], confusion_matrix(y, y_pred, labels=[0, 1])
    )
    assert m["confusion"].sum() == 100
    assert m["accuracy"] == accuracy_score(y, y_pred)
    assert m["precision"] == precision_score(y, y_pred, zero_division=0)
    assert m["recall"] == recall_score(y, y_pred, zero_division=0)
    assert m["f1"] == f1_score(y, y_pred, zero_division=0)


def test_binary_metrics_always_negative_has_zero_f1():
    y = np.array([0] * 9 + [1])
    m = binary_metrics(y, np.zeros(10))
    assert m["accuracy"] == pytest.approx(0.9)
    assert m["precision"] == m["recall"] == m["f1"] == 0.0


def test_binary_metrics_rejects_bad_input():
    with pytest.raises(ValueError, match="y_true"):
        binary_metrics([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="y_true"):
        binary_metrics([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="y_score"):
        binary_metrics([0, 1], [[0.1], [0.2]])
