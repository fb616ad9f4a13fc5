"""Tiny models for the hostile suite, built once per module (no training)."""

from __future__ import annotations

import contextlib

import pytest


@contextlib.contextmanager
def floatx(dtype: str):
    """Build models in ``dtype`` (the model's own compute dtype follows floatx)."""
    import keras

    old, old_policy = keras.config.floatx(), keras.config.dtype_policy()
    keras.config.set_floatx(dtype)
    keras.config.set_dtype_policy(dtype)  # Keras caches the first policy
    try:
        yield
    finally:
        keras.config.set_floatx(old)
        keras.config.set_dtype_policy(old_policy)


def _mlp(dtype: str, n_features: int = 4, n_out: int = 1):
    import keras

    keras.utils.set_random_seed(0)
    with floatx(dtype):
        inputs = keras.Input((n_features,))
        h = keras.layers.Dense(3, activation="relu", name="hidden")(inputs)
        act = "sigmoid" if n_out == 1 else "softmax"
        out = keras.layers.Dense(n_out, activation=act, name="out")(h)
        model = keras.Model(inputs, out)
    loss = "binary_crossentropy" if n_out == 1 else "sparse_categorical_crossentropy"
    model.compile(optimizer="adam", loss=loss)
    return model


@pytest.fixture(scope="module")
def mlp64():
    """4 features -> 3 ReLU -> 1 sigmoid, float64, untrained but compiled."""
    return _mlp("float64")


@pytest.fixture(scope="module")
def mlp32():
    """The same network in float32 (values above 3.4e38 overflow here)."""
    return _mlp("float32")


@pytest.fixture(scope="module")
def mlp3():
    """4 features -> 3 softmax outputs, float64."""
    return _mlp("float64", n_out=3)


@pytest.fixture(scope="module")
def small_cnn():
    """(n, 6, 6, 1) -> conv -> softmax over 3 classes, float64."""
    import keras

    keras.utils.set_random_seed(1)
    with floatx("float64"):
        inputs = keras.Input((6, 6, 1))
        x = keras.layers.Conv2D(2, 3, activation="relu", name="conv1")(inputs)
        x = keras.layers.Flatten()(x)
        out = keras.layers.Dense(3, activation="softmax", name="out")(x)
        return keras.Model(inputs, out)
