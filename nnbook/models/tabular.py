"""Model builders: the article's network, written in Keras 3 style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._checks import check_choice, check_int, check_real

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["ACTIVATIONS", "build_seed_mlp"]

#: Hidden-layer activations the builders accept.
ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "sigmoid", "elu", "gelu", "linear")


def build_seed_mlp(
    hidden_units: int = 10,
    *,
    n_features: int = 20,
    activation: str = "relu",
    l2: float = 0.0,
    lr: float = 1e-3,
    loss: str = "binary_crossentropy",
    compile: bool = True,
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
        activation: Hidden activation, one of :data:`ACTIVATIONS`.
        l2: L2 penalty on the hidden layer's kernel; ``0`` adds none.
        lr: Adam's learning rate (Keras's default ``1e-3``, as in the article).
        loss: ``"binary_crossentropy"`` (the article's) or ``"mse"``.
        compile: If true, compile with Adam, ``loss`` and accuracy, as the
            article does.

    Returns:
        keras.Model: A built ``Sequential`` model mapping float32
        ``(n, n_features)`` to probabilities of shape ``(n, 1)``.

    Raises:
        ValueError: If a size is below 1, ``lr`` is not positive, ``l2`` is
            negative, or ``activation`` or ``loss`` is unknown.
    """
    hidden_units = check_int(hidden_units, "hidden_units", low=1)
    n_features = check_int(n_features, "n_features", low=1)
    activation = check_choice(activation, "activation", ACTIVATIONS)
    l2 = check_real(l2, "l2", low=0.0)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    loss = check_choice(loss, "loss", ("binary_crossentropy", "mse"))

    import keras

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
