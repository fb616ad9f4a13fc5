"""Model builders for tables: the article's network and a general MLP, Keras 3.

Both builders compute in ``dtype`` (default ``keras.config.floatx()``), so a
chapter that sets ``keras.config.set_floatx("float64")`` gets float64 models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._checks import check_choice, check_int, check_real
from ..activations import ACTIVATIONS
from ._keras import floatx

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["ACTIVATIONS", "build_seed_mlp", "build_mlp"]

#: Widest layer the builders make: a 10,000 x 10,000 float64 kernel is 800 MB.
MAX_UNITS = 10_000
_WHY_UNITS = "a kernel has n_in x n_out weights in memory"


def build_seed_mlp(
    hidden_units: int = 10,
    *,
    n_features: int = 20,
    activation: str = "relu",
    l2: float = 0.0,
    lr: float = 1e-3,
    loss: str = "binary_crossentropy",
    compile: bool = True,
    dtype: str | None = None,
) -> keras.Model:
    """The article's binary classifier: ``Dense(10, relu)`` then ``Dense(1, sigmoid)``.

    The article writes ``Dense(10, input_dim=20, ...)``; Keras 3 deprecates
    ``input_dim``, so the input is declared with ``keras.Input((20,))``. The
    layers are named ``"hidden"`` and ``"output"`` so that later chapters can
    ask for them by name. Weights are drawn from Keras's global generator:
    seed it first (:func:`nnbook.training.set_seed`) for a reproducible model.

    Args:
        hidden_units: Width of the hidden layer (the article uses 10).
        n_features: Number of input columns (the article uses 20).
        activation: Hidden activation, one of :data:`~nnbook.activations.ACTIVATIONS`.
        l2: L2 penalty on the hidden layer's kernel; ``0`` adds none.
        lr: Adam's learning rate (Keras's default ``1e-3``, as in the article).
        loss: ``"binary_crossentropy"`` (the article's) or ``"mse"``.
        compile: If true, compile with Adam, ``loss`` and accuracy, as the
            article does.
        dtype: ``"float32"`` or ``"float64"``; ``None`` means
            ``keras.config.floatx()``.

    Returns:
        keras.Model: A built ``Sequential`` model mapping float
        ``(n, n_features)`` to probabilities of shape ``(n, 1)``.

    Raises:
        ValueError: If a size is below 1, ``lr`` is not positive, ``l2`` is
            negative, or ``activation`` or ``loss`` is unknown.
    """
    hidden_units = check_int(
        hidden_units, "hidden_units", low=1, high=MAX_UNITS, why=_WHY_UNITS
    )
    n_features = check_int(
        n_features, "n_features", low=1, high=MAX_UNITS, why=_WHY_UNITS
    )
    activation = check_choice(activation, "activation", ACTIVATIONS)
    l2 = check_real(l2, "l2", low=0.0)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    loss = check_choice(loss, "loss", ("binary_crossentropy", "mse"))

    import keras

    with floatx(dtype):
        return _seed_mlp(
            keras, hidden_units, n_features, activation, l2, lr, loss, compile
        )


def _seed_mlp(keras, hidden_units, n_features, activation, l2, lr, loss, compile):
    regularizer = keras.regularizers.L2(l2) if l2 > 0 else None
    model = keras.Sequential(
        [
            keras.Input((n_features,), name="features"),
            keras.layers.Dense(
                hidden_units,
                activation=activation,
                kernel_regularizer=regularizer,
                name="hidden",
            ),
            keras.layers.Dense(1, activation="sigmoid", name="output"),
        ],
        name="seed_mlp",
    )
    if compile:
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=lr),
            loss=loss,
            metrics=["accuracy"],
        )
    return model


def build_mlp(
    n_features: int,
    hidden_units: int | tuple[int, ...] = 10,
    *,
    n_classes: int = 2,
    dropout: float = 0.0,
    l2: float = 0.0,
    lr: float = 1e-3,
    dtype: str | None = None,
) -> keras.Model:
    """A compiled MLP: dense ReLU layers, optional dropout, then the output.

    For ``n_classes == 2`` the output is one sigmoid unit trained with binary
    cross-entropy (the article's head); otherwise a softmax over
    ``n_classes`` trained with sparse categorical cross-entropy. Dropout
    (Srivastava et al., 2014, JMLR 15) follows every hidden layer when
    ``dropout > 0``.

    Args:
        n_features: Width of the flat input ``(n, n_features)``.
        hidden_units: Width of the hidden layer, or a tuple of widths.
        n_classes: Number of classes, at least 2.
        dropout: Fraction of hidden activations dropped in training, in
            ``[0, 1)``.
        l2: L2 penalty on every kernel; ``0`` adds none.
        lr: Adam's learning rate.
        dtype: ``"float32"`` or ``"float64"``; ``None`` means
            ``keras.config.floatx()``.

    Returns:
        keras.Model: Maps ``(n, n_features)`` to ``(n, 1)`` probabilities of
        class 1, or to ``(n, n_classes)`` class probabilities.

    Raises:
        ValueError: If a size is below 1, ``dropout`` is outside ``[0, 1)``,
            ``l2`` is negative or ``lr`` is not positive.
    """
    n_features = check_int(
        n_features, "n_features", low=1, high=MAX_UNITS, why=_WHY_UNITS
    )
    widths = (hidden_units,) if not isinstance(hidden_units, tuple) else hidden_units
    if not widths:
        raise ValueError("hidden_units must hold at least one width")
    widths = tuple(
        check_int(h, "hidden_units", low=1, high=MAX_UNITS, why=_WHY_UNITS)
        for h in widths
    )
    n_classes = check_int(n_classes, "n_classes", low=2)
    dropout = check_real(dropout, "dropout", low=0.0)
    if dropout >= 1:
        raise ValueError(f"dropout must be < 1, got {dropout}")
    l2 = check_real(l2, "l2", low=0.0)
    lr = check_real(lr, "lr", low=0.0, low_open=True)

    import keras

    with floatx(dtype):
        return _mlp(keras, n_features, widths, n_classes, dropout, l2, lr)


def _mlp(keras, n_features, widths, n_classes, dropout, l2, lr):
    def reg():
        return keras.regularizers.L2(l2) if l2 > 0 else None

    layers: list[Any] = [keras.Input((n_features,), name="features")]
    for i, width in enumerate(widths, start=1):
        layers.append(
            keras.layers.Dense(
                width,
                activation="relu",
                kernel_regularizer=reg(),
                name=f"hidden{i}",
            )
        )
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout{i}"))
    binary = n_classes == 2
    layers.append(
        keras.layers.Dense(
            1 if binary else n_classes,
            activation="sigmoid" if binary else "softmax",
            kernel_regularizer=reg(),
            name="output",
        )
    )
    model = keras.Sequential(layers, name="mlp")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=lr),
        loss="binary_crossentropy" if binary else "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
