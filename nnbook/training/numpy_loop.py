"""Step 6 in NumPy: train the article's network, mini-batch or full batch.

:func:`train_numpy` is the package's one NumPy training loop. It repeats the
steps of :mod:`nnbook.models.numpy_mlp` (forward, loss, backward) and an
optimizer step (:mod:`nnbook.training.optimizers`) over the mini-batches of
every epoch, in a given order (so that the NumPy, ``GradientTape`` and
``fit`` runs of the training chapter see the same batches), or over the
whole training set at once; with optional L2, dropout and early stopping.
The whole run takes milliseconds to a fraction of a second, so an explorer
can retrain on every slider move.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .._checks import check_choice, check_int, check_labels, check_matrix, check_real
from ..activations import ACTIVATIONS
from ..models.numpy_mlp import (
    LOSSES,
    MLPWeights,
    backward,
    data_loss,
    forward,
    l2_penalty,
)
from .optimizers import make_optimizer
from .record import TrainingRecord

__all__ = ["batch_order", "check_order", "iter_batches", "train_numpy"]


def batch_order(n_samples: int, *, epochs: int = 1, seed: int = 0) -> np.ndarray:
    """One random permutation of the sample indices per epoch.

    The same order fed to all three implementations (NumPy, GradientTape,
    Keras ``fit``) is what makes their losses comparable step by step.

    Args:
        n_samples: Number of training samples.
        epochs: Number of epochs.
        seed: Seed of the NumPy generator.

    Returns:
        np.ndarray: int array of shape ``(epochs, n_samples)``.
    """
    n_samples = check_int(
        n_samples, "n_samples", low=1, high=10_000_000, why="memory"
    )
    epochs = check_int(epochs, "epochs", low=1, high=100_000, why="memory")
    rng = np.random.default_rng(check_int(seed, "seed", low=0))
    return np.stack([rng.permutation(n_samples) for _ in range(epochs)])


def check_order(order: Any, n_samples: int) -> np.ndarray:
    """``order`` as an int array ``(epochs, n_samples)`` of permutations.

    Raises:
        ValueError: If the shape is wrong or a row is not a permutation.
    """
    order = np.asarray(order)
    if order.ndim != 2 or order.shape[1] != n_samples:
        raise ValueError(
            f"order must have shape (epochs, {n_samples}) to match X, got {order.shape}"
        )
    if not np.all(np.sort(order, axis=1) == np.arange(n_samples)):
        raise ValueError("order must hold one permutation of range(n_samples) per row")
    return order


def iter_batches(perm: np.ndarray, batch_size: int) -> Iterator[np.ndarray]:
    """Split one epoch's permutation into consecutive mini-batches of indices."""
    batch_size = check_int(batch_size, "batch_size", low=1)
    for start in range(0, len(perm), batch_size):
        yield perm[start : start + batch_size]


def _measure(weights, X, y, activation, loss) -> tuple[float, float]:
    fp = forward(weights, X, activation=activation)
    return data_loss(fp, y, loss), float(np.mean((fp.y_hat >= 0.5) == (y == 1)))


def train_numpy(
    weights: MLPWeights | list[Any],
    X: Any,
    y: Any,
    *,
    order: Any = None,
    epochs: int | None = None,
    batch_size: int = 32,
    optimizer: str = "adam",
    lr: float = 1e-3,
    loss: str = "bce",
    activation: str = "relu",
    l2: float = 0.0,
    dropout: float = 0.0,
    validation_data: tuple[Any, Any] | None = None,
    patience: int | None = None,
    seed: int = 0,
) -> TrainingRecord:
    """Train ``Dense(h, activation) -> Dense(1, sigmoid)`` in NumPy.

    With ``order`` (one permutation per epoch, :func:`batch_order`) each
    epoch runs the mini-batches of ``batch_size`` samples in that order; with
    ``order=None`` each of the ``epochs`` epochs is one full-batch step.
    Every computation runs in the dtype of ``weights``.

    After every epoch the record measures, in inference mode (no dropout)
    and without the penalty, the loss and accuracy of the training data and,
    with ``validation_data``, of the validation data; early stopping watches
    that validation loss.

    Args:
        weights: Initial weights (:func:`nnbook.models.numpy_mlp.init_weights`);
            they are copied, not changed.
        X: float array ``(n_samples, n_features)``.
        y: labels 0/1 ``(n_samples,)``.
        order: int array ``(epochs, n_samples)``, or ``None`` for full batch.
        epochs: Number of full-batch epochs; with ``order``, ``None`` or
            ``len(order)``.
        batch_size: Mini-batch size (ignored in full batch).
        optimizer: ``"sgd"`` or ``"adam"`` (Keras 3's update, default betas).
        lr: Learning rate, > 0.
        loss: ``"bce"`` (binary cross-entropy) or ``"mse"``.
        activation: The hidden activation.
        l2: L2 coefficient on both kernels (Keras's ``L2(l2)`` on each).
        dropout: Fraction of hidden units dropped at each step, in ``[0, 1)``.
        validation_data: Optional ``(X_val, y_val)``.
        patience: With ``validation_data``, stop once the validation loss has
            not improved for ``patience`` epochs and keep the best weights.
        seed: Seed of the dropout masks.

    Returns:
        TrainingRecord: Weights after every epoch, losses and the kept epoch.

    Raises:
        ValueError: If shapes disagree, a hyperparameter is out of range,
            ``order`` is not one permutation per epoch, or ``patience`` is
            given without ``validation_data``.
    """
    w = MLPWeights.check(weights).copy()
    dtype = w.dtype
    X = check_matrix(X, "X", n_features=w.n_features).astype(dtype)
    y = check_labels(y, X.shape[0]).astype(dtype)
    n = X.shape[0]
    if order is not None:
        order = check_order(order, n)
        if epochs is not None and check_int(epochs, "epochs", low=1) != len(order):
            raise ValueError(f"epochs must be len(order) = {len(order)}, got {epochs}")
        batch_size = check_int(batch_size, "batch_size", low=1)
    else:
        if epochs is None:
            raise ValueError("epochs is needed when order is None (full batch)")
        epochs = check_int(epochs, "epochs", low=1)
        order = np.broadcast_to(np.arange(n), (epochs, n))
        batch_size = n
    opt = make_optimizer(optimizer, lr)
    loss = check_choice(loss, "loss", LOSSES)
    activation = check_choice(activation, "activation", ACTIVATIONS)
    l2 = check_real(l2, "l2", low=0.0)
    dropout = check_real(dropout, "dropout", low=0.0)
    if dropout >= 1:
        raise ValueError(f"dropout must be < 1, got {dropout}")
    seed = check_int(seed, "seed", low=0)
    if patience is not None:
        patience = check_int(patience, "patience", low=1)
        if validation_data is None:
            raise ValueError("patience needs validation_data to watch")
    measured = {"": (X, y)}
    if validation_data is not None:
        X_val = check_matrix(
            validation_data[0], "validation_data[0]", n_features=w.n_features
        ).astype(dtype)
        y_val = check_labels(
            validation_data[1], X_val.shape[0], "validation_data[1]"
        ).astype(dtype)
        measured["val_"] = (X_val, y_val)

    rng = np.random.default_rng(seed)
    keep = 1.0 - dropout
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    if validation_data is not None:
        history.update(val_loss=[], val_accuracy=[])
    step_loss: list[float] = []
    epoch_loss: list[float] = []
    snapshots = [w.copy()]
    best, best_at = np.inf, 0
    from threadpoolctl import threadpool_limits

    # Small matrices: one BLAS thread is several times faster than many on a
    # shared machine, and the result does not depend on the thread count.
    with threadpool_limits(limits=1):
        for epoch, perm in enumerate(order, start=1):
            total = 0.0
            for idx in iter_batches(perm, batch_size):
                mask = None
                if dropout > 0:
                    mask = rng.random((len(idx), w.hidden_units)) < keep
                fp = forward(
                    w, X[idx], activation=activation, keep_mask=mask, keep=keep
                )
                step_loss.append(data_loss(fp, y[idx], loss) + l2_penalty(w, l2))
                total += step_loss[-1] * len(idx)
                opt.step(w, backward(w, fp, y[idx], loss=loss, l2=l2))
            epoch_loss.append(total / n)
            snapshots.append(w.copy())
            for prefix, (Xs, ys) in measured.items():
                value, acc = _measure(w, Xs, ys, activation, loss)
                history[prefix + "loss"].append(value)
                history[prefix + "accuracy"].append(acc)
            if validation_data is not None and history["val_loss"][-1] < best:
                best, best_at = history["val_loss"][-1], epoch
            if patience is not None and epoch - best_at >= patience:
                break
    return TrainingRecord.from_snapshots(
        snapshots,
        epoch_loss,
        history=history,
        step_loss=np.asarray(step_loss),
        steps_per_epoch=-(-n // batch_size),
        best_epoch=best_at if patience is not None else len(epoch_loss),
        settings={
            "optimizer": optimizer,
            "lr": lr,
            "batch_size": batch_size,
            "loss": loss,
            "activation": activation,
            "l2": l2,
            "dropout": dropout,
            "patience": patience,
            "seed": seed,
        },
    )
