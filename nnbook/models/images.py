"""A small convolutional network for the 8 x 8 digits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._checks import check_int, check_real
from ._keras import floatx

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["build_digits_cnn"]


def build_digits_cnn(
    *,
    filters: tuple[int, int] = (16, 32),
    dense_units: int = 64,
    lr: float = 3e-3,
    compile: bool = True,
    dtype: str | None = None,
) -> keras.Model:
    """A small CNN for 8 x 8 digits: conv -> pool -> conv -> dense -> softmax.

    Layers are named ``conv1``, ``pool``, ``conv2``, ``flatten``, ``dense``
    and ``logits`` / ``softmax`` so that explanation methods (Grad-CAM, feature
    maps) can ask for them by name. The softmax is a separate layer so the
    logits stay reachable.

    Args:
        filters: Channels of the two 3 x 3 convolutions.
        dense_units: Width of the dense layer.
        lr: Adam's learning rate.
        compile: Compile with sparse categorical cross-entropy and accuracy.
        dtype: ``"float32"`` or ``"float64"``; ``None`` means
            ``keras.config.floatx()``.

    Returns:
        keras.Model: Maps ``(n, 8, 8, 1)`` images to class
        probabilities ``(n, 10)``.
    """
    if not isinstance(filters, tuple | list) or len(filters) != 2:
        raise TypeError(
            "filters must be a pair of channel counts such as (16, 32), got "
            f"{filters!r}"
        )
    f1 = check_int(filters[0], "filters[0]", low=1, high=1024, why="memory")
    f2 = check_int(filters[1], "filters[1]", low=1, high=1024, why="memory")
    dense_units = check_int(dense_units, "dense_units", low=1)
    lr = check_real(lr, "lr", low=0.0, low_open=True)

    import keras

    with floatx(dtype):
        return _cnn(keras, f1, f2, dense_units, lr, compile)


def _cnn(keras, f1, f2, dense_units, lr, compile):
    L = keras.layers
    inputs = keras.Input((8, 8, 1), name="image")
    x = L.Conv2D(f1, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = L.MaxPooling2D(2, name="pool")(x)
    x = L.Conv2D(f2, 3, padding="same", activation="relu", name="conv2")(x)
    x = L.Flatten(name="flatten")(x)
    x = L.Dense(dense_units, activation="relu", name="dense")(x)
    logits = L.Dense(10, name="logits")(x)
    outputs = L.Softmax(name="softmax")(logits)
    model = keras.Model(inputs, outputs, name="digits_cnn")
    if compile:
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=lr),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    return model
