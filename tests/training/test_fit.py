"""nnbook.training.fit: seeded, quiet training in the model's dtype."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.models import build_seed_mlp
from nnbook.training import evaluate, model_dtype, set_seed, train


def test_training_is_deterministic(seed_data):
    weights = []
    for _ in range(2):
        set_seed(7)
        model = build_seed_mlp()
        history = train(model, seed_data.X_train, seed_data.y_train, epochs=2)
        weights.append(model.get_weights())
    for a, b in zip(*weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert len(history["loss"]) == 2 and len(history["val_loss"]) == 2


def test_different_seeds_give_different_weights():
    set_seed(1)
    w1 = build_seed_mlp().get_weights()[0]
    set_seed(2)
    w2 = build_seed_mlp().get_weights()[0]
    assert not np.array_equal(w1, w2)


def test_a_float64_model_trains_in_float64(seed_data):
    set_seed(0)
    model = build_seed_mlp(dtype="float64")
    assert model_dtype(model) == "float64"
    train(model, seed_data.X_train[:64], seed_data.y_train[:64], epochs=1)
    assert all(w.dtype == np.float64 for w in model.get_weights())
    scores = evaluate(model, seed_data.X_test, seed_data.y_test)
    assert 0.0 <= scores["accuracy"] <= 1.0


def test_the_article_run_learns(trained_seed_model, seed_data):
    scores = evaluate(trained_seed_model, seed_data.X_test, seed_data.y_test)
    # Chance is 0.5; the seeded article run reaches about 0.8.
    assert 0.7 < scores["accuracy"] <= 1.0
    assert scores["loss"] < 0.6


def test_train_rejects_bad_data(seed_data):
    model = build_seed_mlp()
    X, y = seed_data.X_train, seed_data.y_train
    with pytest.raises(ValueError, match="20 features"):
        train(model, X[:, :19], y)
    with pytest.raises(ValueError, match="y must have shape"):
        train(model, X, y[:-1])
    with pytest.raises(ValueError, match="2-D"):
        train(model, X[0], y)
    bad = X.copy()
    bad[3, 4] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        train(model, bad, y)
    with pytest.raises(ValueError, match="binary"):
        train(model, X, y + 2)
    with pytest.raises(ValueError, match="epochs"):
        train(model, X, y, epochs=0)
    with pytest.raises(ValueError, match="validation_split"):
        train(model, X, y, validation_split=1.0)
    with pytest.raises(TypeError, match="model"):
        train(object(), X, y)
