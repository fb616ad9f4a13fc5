"""nnbook.models.tabular and images: the builders, in the model's dtype."""

from __future__ import annotations

import keras
import pytest

from nnbook.models import build_digits_cnn, build_mlp, build_seed_mlp
from nnbook.training import n_inputs


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


@pytest.mark.parametrize("build", [build_seed_mlp, build_digits_cnn])
def test_dtype_follows_floatx_unless_given(build):
    assert build(dtype="float64").compute_dtype == "float64"
    assert build(dtype="float32").compute_dtype == "float32"
    old = keras.config.floatx()
    try:
        keras.config.set_floatx("float64")
        assert build().compute_dtype == "float64"
    finally:
        keras.config.set_floatx(old)
    assert build_mlp(20, 4, dtype="float64").compute_dtype == "float64"


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


def test_build_mlp_binary_and_multiclass():
    binary = build_mlp(20, 8)
    assert binary.output_shape == (None, 1)
    assert binary.loss == "binary_crossentropy"
    assert binary.count_params() == 20 * 8 + 8 + 8 + 1
    multi = build_mlp(64, (32, 16), n_classes=10, dropout=0.25, l2=1e-3)
    assert multi.output_shape == (None, 10)
    assert multi.loss == "sparse_categorical_crossentropy"
    names = [layer.name for layer in multi.layers]
    assert names == ["hidden1", "dropout1", "hidden2", "dropout2", "output"]
    assert multi.get_layer("dropout1").rate == pytest.approx(0.25)
    assert multi.get_layer("hidden1").kernel_regularizer is not None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_features": 0}, "n_features"),
        ({"hidden_units": 0}, "hidden_units"),
        ({"hidden_units": ()}, "hidden_units"),
        ({"n_classes": 1}, "n_classes"),
        ({"dropout": 1.0}, "dropout"),
        ({"dropout": -0.1}, "dropout"),
        ({"l2": -1.0}, "l2"),
        ({"lr": 0.0}, "lr"),
    ],
)
def test_build_mlp_rejects_bad_arguments(kwargs, match):
    args = {"n_features": 20, **kwargs}
    with pytest.raises(ValueError, match=match):
        build_mlp(**args)
