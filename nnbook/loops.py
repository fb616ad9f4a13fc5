"""The same training run two more ways: a ``tf.GradientTape`` loop and ``fit``.

Both functions take what :func:`nnbook.scratch.train_scratch` takes (initial
parameters, data, one permutation per epoch) and return the same
:class:`~nnbook.scratch.TrainResult`, so the three implementations can be
compared loss by loss.

Taught in the chapter *The training loop*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._checks import check_choice, check_int, check_labels, check_matrix, check_real
from .models import build_seed_mlp
from .scratch import (
    TrainResult,
    _check_order,
    _check_params,
    iter_batches,
    params_to_weights,
    weights_to_params,
)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["model_from_params", "train_tape", "train_fit"]


def _keras_optimizer(optimizer: str, lr: float) -> Any:
    import keras

    optimizer = check_choice(optimizer, "optimizer", ("sgd", "adam"))
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    if optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=lr)
    return keras.optimizers.Adam(learning_rate=lr)


def model_from_params(params: dict[str, np.ndarray]) -> keras.Model:
    """The article's Keras network (uncompiled) holding the weights ``params``.

    Args:
        params: ``{"W1", "b1", "W2", "b2"}`` as made by
            :func:`nnbook.scratch.init_params`.

    Returns:
        keras.Model: :func:`nnbook.models.build_seed_mlp` with those weights.
    """
    params = _check_params(params)
    n_features, hidden_units = params["W1"].shape
    model = build_seed_mlp(hidden_units, n_features=n_features, compile=False)
    model.set_weights(params_to_weights(params))
    return model


def _prepare(params: Any, X: Any, y: Any, order: Any, batch_size: int):
    params = _check_params(params)
    X = check_matrix(X, "X", n_features=params["W1"].shape[0]).astype(np.float32)
    y = check_labels(y, X.shape[0]).astype(np.float32)
    order = _check_order(order, X.shape[0])
    batch_size = check_int(batch_size, "batch_size", low=1)
    return params, X, y, order, batch_size


def train_tape(
    params: dict[str, np.ndarray],
    X: Any,
    y: Any,
    order: Any,
    *,
    batch_size: int = 32,
    optimizer: str = "adam",
    lr: float = 1e-3,
) -> TrainResult:
    """Train with an explicit ``tf.GradientTape`` loop (a custom training loop).

    Each step records the forward pass on the tape, computes the binary
    cross-entropy, asks the tape for the gradients and hands them to a Keras
    optimizer: the six steps with TensorFlow doing the calculus.

    Args:
        params: Initial parameters (copied into a new Keras model).
        X: float array ``(n_samples, n_features)``.
        y: labels 0/1 ``(n_samples,)``.
        order: int array ``(epochs, n_samples)``, one permutation per epoch.
        batch_size: Mini-batch size.
        optimizer: ``"sgd"`` or ``"adam"`` (Keras's, default settings).
        lr: Learning rate, > 0.

    Returns:
        TrainResult: Final parameters, per-step losses and snapshots.
    """
    params, X, y, order, batch_size = _prepare(params, X, y, order, batch_size)
    opt = _keras_optimizer(optimizer, lr)
    import keras
    import tensorflow as tf

    model = model_from_params(params)
    loss_fn = keras.losses.BinaryCrossentropy()
    step_loss: list[float] = []
    snapshots = [weights_to_params(model.get_weights())]
    spec = [
        tf.TensorSpec([None, X.shape[1]], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
    ]

    @tf.function(input_signature=spec)  # traced once: the signature is fixed
    def train_step(xb: tf.Tensor, yb: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            y_hat = model(xb, training=True)  # step 2: forward
            loss = loss_fn(yb, y_hat)  # step 3: loss
        grads = tape.gradient(loss, model.trainable_variables)  # step 4
        opt.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss  # step 5 done by the optimizer

    for perm in order:  # step 6: iterate
        for idx in iter_batches(perm, batch_size):
            loss = train_step(tf.constant(X[idx]), tf.constant(y[idx][:, None]))
            step_loss.append(float(loss))
        snapshots.append(weights_to_params(model.get_weights()))
    steps_per_epoch = -(-order.shape[1] // batch_size)
    return TrainResult(
        snapshots[-1], np.asarray(step_loss), steps_per_epoch, snapshots, [], len(order)
    )


def train_fit(
    params: dict[str, np.ndarray],
    X: Any,
    y: Any,
    order: Any,
    *,
    batch_size: int = 32,
    optimizer: str = "adam",
    lr: float = 1e-3,
) -> TrainResult:
    """Train with Keras ``fit`` from given weights and a given batch order.

    ``fit`` shuffles by itself; here each epoch's data is permuted beforehand
    and passed with ``shuffle=False``, one ``fit(epochs=1)`` call per epoch
    (the optimizer's state carries over between calls). The loss of each
    mini-batch is read by a callback at the start of the step, at the weights
    ``fit`` is about to update.

    Args:
        params: Initial parameters (copied into a new Keras model).
        X: float array ``(n_samples, n_features)``.
        y: labels 0/1 ``(n_samples,)``.
        order: int array ``(epochs, n_samples)``, one permutation per epoch.
        batch_size: Mini-batch size.
        optimizer: ``"sgd"`` or ``"adam"``.
        lr: Learning rate, > 0.

    Returns:
        TrainResult: Final parameters, per-step losses and snapshots.
    """
    params, X, y, order, batch_size = _prepare(params, X, y, order, batch_size)
    opt = _keras_optimizer(optimizer, lr)
    import keras

    model = model_from_params(params)
    model.compile(optimizer=opt, loss="binary_crossentropy")
    import tensorflow as tf

    loss_fn = keras.losses.BinaryCrossentropy()
    step_loss: list[float] = []
    spec = [
        tf.TensorSpec([None, X.shape[1]], tf.float32),
        tf.TensorSpec([None, 1], tf.float32),
    ]

    @tf.function(input_signature=spec)  # traced once: the signature is fixed
    def batch_loss(xb: tf.Tensor, yb: tf.Tensor) -> tf.Tensor:
        return loss_fn(yb, model(xb, training=False))

    class StepLoss(keras.callbacks.Callback):
        def __init__(self, Xe: np.ndarray, ye: np.ndarray) -> None:
            super().__init__()
            self.Xe, self.ye = Xe, ye

        def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
            sl = slice(batch * batch_size, (batch + 1) * batch_size)
            step_loss.append(float(batch_loss(self.Xe[sl], self.ye[sl][:, None])))

    snapshots = [weights_to_params(model.get_weights())]
    for perm in order:
        Xe, ye = X[perm], y[perm]
        model.fit(
            Xe,
            ye,
            batch_size=batch_size,
            epochs=1,
            shuffle=False,
            verbose=0,
            callbacks=[StepLoss(Xe, ye)],
        )
        snapshots.append(weights_to_params(model.get_weights()))
    steps_per_epoch = -(-order.shape[1] // batch_size)
    return TrainResult(
        snapshots[-1], np.asarray(step_loss), steps_per_epoch, snapshots, [], len(order)
    )
