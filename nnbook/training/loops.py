"""The same training run two more ways: a ``tf.GradientTape`` loop and ``fit``.

Both functions take what :func:`nnbook.training.train_numpy` takes (initial
weights, data, one permutation per epoch) and return the same
:class:`~nnbook.training.TrainingRecord`, so the three implementations can
be compared loss by loss. They compute in the dtype of the initial weights.

Taught in the chapter *The training loop*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_choice, check_int, check_labels, check_matrix, check_real
from ..models.numpy_mlp import MLPWeights
from ..models.tabular import build_seed_mlp
from .numpy_loop import check_order, iter_batches
from .optimizers import OPTIMIZERS
from .record import TrainingRecord

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["model_from_weights", "train_tape", "train_fit"]


def _keras_optimizer(optimizer: str, lr: float) -> Any:
    import keras

    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    if optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=lr)
    return keras.optimizers.Adam(learning_rate=lr)


def model_from_weights(weights: MLPWeights | list[Any]) -> keras.Model:
    """The article's Keras network (uncompiled) holding ``weights``.

    Args:
        weights: :class:`~nnbook.models.numpy_mlp.MLPWeights` (or
            ``[W1, b1, W2, b2]``); the model computes in their dtype.

    Returns:
        keras.Model: :func:`nnbook.models.build_seed_mlp` with those weights.
    """
    w = MLPWeights.check(weights)
    model = build_seed_mlp(
        w.hidden_units, n_features=w.n_features, compile=False, dtype=str(w.dtype)
    )
    model.set_weights(w.to_keras())
    return model


def _prepare(weights: Any, X: Any, y: Any, order: Any, batch_size: int):
    w = MLPWeights.check(weights)
    X = check_matrix(X, "X", n_features=w.n_features).astype(w.dtype)
    y = check_labels(y, X.shape[0]).astype(w.dtype)
    order = check_order(order, X.shape[0])
    batch_size = check_int(batch_size, "batch_size", low=1)
    return w, X, y, order, batch_size


def _start(weights, X, y, order, batch_size, optimizer, lr):
    """Checked data, the Keras model holding ``weights``, an optimizer, a spec.

    The spec is the fixed input signature of the loops' ``tf.function``:
    batches ``(None, n_features)`` and labels ``(None, 1)`` in the weights'
    dtype, so the function is traced once.
    """
    import tensorflow as tf

    w, X, y, order, batch_size = _prepare(weights, X, y, order, batch_size)
    spec = [
        tf.TensorSpec([None, X.shape[1]], str(X.dtype)),
        tf.TensorSpec([None, 1], str(X.dtype)),
    ]
    model = model_from_weights(w)
    return X, y, order, batch_size, model, _keras_optimizer(optimizer, lr), spec


def _snapshot(model: keras.Model) -> MLPWeights:
    return MLPWeights.from_keras(model.get_weights())


def _record(snapshots, step_loss, order, batch_size, optimizer, lr) -> TrainingRecord:
    steps_per_epoch = -(-order.shape[1] // batch_size)
    sizes = [len(i) for perm in order for i in iter_batches(perm, batch_size)]
    weighted = (np.asarray(step_loss) * sizes).reshape(len(order), -1)
    return TrainingRecord.from_snapshots(
        snapshots,
        weighted.sum(axis=1) / order.shape[1],
        step_loss=np.asarray(step_loss),
        steps_per_epoch=steps_per_epoch,
        settings={"optimizer": optimizer, "lr": lr, "batch_size": batch_size},
    )


# Deliberate teaching parallel: train_tape and train_fit take what
# train_numpy takes in mini-batch mode, argument for argument, so that the
# training chapter can run one run three ways and compare it loss by loss.
def train_tape(
    weights: MLPWeights | list[Any],
    X: Any,
    y: Any,
    order: Any,
    *,
    batch_size: int = 32,
    optimizer: str = "adam",
    lr: float = 1e-3,
) -> TrainingRecord:
    """Train with an explicit ``tf.GradientTape`` loop (a custom training loop).

    Each step records the forward pass on the tape, computes the binary
    cross-entropy, asks the tape for the gradients and hands them to a Keras
    optimizer: the six steps with TensorFlow doing the calculus.

    Args:
        weights: Initial weights (copied into a new Keras model).
        X: float array ``(n_samples, n_features)``.
        y: labels 0/1 ``(n_samples,)``.
        order: int array ``(epochs, n_samples)``, one permutation per epoch.
        batch_size: Mini-batch size.
        optimizer: ``"sgd"`` or ``"adam"`` (Keras's, default settings).
        lr: Learning rate, > 0.

    Returns:
        TrainingRecord: Weights after every epoch and per-step losses.
    """
    import keras
    import tensorflow as tf

    X, y, order, batch_size, model, opt, spec = _start(
        weights, X, y, order, batch_size, optimizer, lr
    )
    loss_fn = keras.losses.BinaryCrossentropy()
    step_loss: list[float] = []
    snapshots = [_snapshot(model)]

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
        snapshots.append(_snapshot(model))
    return _record(snapshots, step_loss, order, batch_size, optimizer, lr)


def train_fit(
    weights: MLPWeights | list[Any],
    X: Any,
    y: Any,
    order: Any,
    *,
    batch_size: int = 32,
    optimizer: str = "adam",
    lr: float = 1e-3,
) -> TrainingRecord:
    """Train with Keras ``fit`` from given weights and a given batch order.

    ``fit`` shuffles by itself; here each epoch's data is permuted beforehand
    and passed with ``shuffle=False``, one ``fit(epochs=1)`` call per epoch
    (the optimizer's state carries over between calls). The loss of each
    mini-batch is read by a callback at the start of the step, at the weights
    ``fit`` is about to update.

    The arguments and the result are those of :func:`train_tape`.
    """
    import keras
    import tensorflow as tf

    X, y, order, batch_size, model, opt, spec = _start(
        weights, X, y, order, batch_size, optimizer, lr
    )
    model.compile(optimizer=opt, loss="binary_crossentropy")
    loss_fn = keras.losses.BinaryCrossentropy()
    step_loss: list[float] = []

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

    snapshots = [_snapshot(model)]
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
        snapshots.append(_snapshot(model))
    return _record(snapshots, step_loss, order, batch_size, optimizer, lr)
