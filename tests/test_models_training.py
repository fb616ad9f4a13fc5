"""nnbook.models and nnbook.training: the article's network, reproducibly."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from nnbook.models import build_seed_mlp
from nnbook.training import evaluate, n_inputs, set_seed, train


def test_architecture_matches_the_article():
    model = build_seed_mlp()
    assert [layer.name for layer in model.layers] == ["hidden", "output"]
    hidden, output = model.layers
    assert hidden.units == 10 and hidden.activation.__name__ == "relu"
    assert output.units == 1 and output.activation.__name__ == "sigmoid"
    assert model.count_params() == 20 * 10 + 10 + 10 + 1 == 221
    assert n_inputs(model) == 20
    assert model.loss == "binary_crossentropy"
    assert isinstance(model.optimizer, keras.optimizers.Adam)


def test_options_change_the_network():
    model = build_seed_mlp(32, n_features=5, activation="tanh", l2=1e-3, lr=0.01)
    assert model.layers[0].units == 32
    assert model.layers[0].activation.__name__ == "tanh"
    assert model.layers[0].kernel_regularizer is not None
    assert n_inputs(model) == 5
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)


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


def test_different_seeds_give_different_weights(seed_data):
    set_seed(1)
    w1 = build_seed_mlp().get_weights()[0]
    set_seed(2)
    w2 = build_seed_mlp().get_weights()[0]
    assert not np.array_equal(w1, w2)


def test_the_article_run_learns(trained_seed_model, seed_data):
    scores = evaluate(trained_seed_model, seed_data.X_test, seed_data.y_test)
    # Chance is 0.5; the seeded article run reaches about 0.8.
    assert 0.7 < scores["accuracy"] <= 1.0
    assert scores["loss"] < 0.6


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"hidden_units": 0}, "hidden_units"),
        ({"hidden_units": -3}, "hidden_units"),
        ({"n_features": 0}, "n_features"),
        ({"activation": "swishy"}, "activation"),
        ({"l2": -1.0}, "l2"),
        ({"lr": 0.0}, "lr"),
        ({"lr": float("nan")}, "lr"),
        ({"loss": "hinge"}, "loss"),
    ],
)
def test_build_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_seed_mlp(**kwargs)


def test_build_rejects_wrong_types():
    with pytest.raises(TypeError, match="hidden_units"):
        build_seed_mlp(hidden_units=2.5)
    with pytest.raises(TypeError, match="hidden_units"):
        build_seed_mlp(hidden_units=True)


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
