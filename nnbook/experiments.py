"""Small, tested experiments behind the FAQ chapter.

Three groups of helpers:

- **Choosing a model**: :func:`build_mlp` (an MLP with optional dropout, for
  binary or multi-class targets), :func:`count_macs` (multiply-adds per
  example, a deterministic measure of cost) and :func:`fit_score` (train,
  time and score any Keras classifier).
- **Evaluating a model**: :func:`binary_metrics` (confusion matrix,
  accuracy, precision, recall and F1 at one decision threshold, through
  ``sklearn.metrics``).
- **Overfitting**: a one-hidden-layer MLP trained by a short NumPy loop
  (:func:`train_numpy_mlp`), fast enough to retrain on every slider move and
  to compare cures (more data, fewer units, L2, dropout, early stopping) from
  the *same* initialization. :func:`mlp_loss_and_grads` is its forward and
  backward pass; the tests check it against Keras and ``tf.GradientTape``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._checks import check_int, check_labels, check_matrix, check_real

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "build_mlp",
    "count_macs",
    "FitScore",
    "fit_score",
    "binary_metrics",
    "MLPRun",
    "init_mlp_weights",
    "mlp_forward",
    "mlp_loss_and_grads",
    "train_numpy_mlp",
]

_EPS = 1e-7  # Keras's epsilon: probabilities are clipped to [eps, 1 - eps]


# -- Choosing a model ---------------------------------------------------------
def build_mlp(
    n_features: int,
    hidden_units: int | tuple[int, ...] = 10,
    *,
    n_classes: int = 2,
    dropout: float = 0.0,
    l2: float = 0.0,
    lr: float = 1e-3,
) -> keras.Model:
    """A compiled MLP: dense ReLU layers, optional dropout, then the output.

    For ``n_classes == 2`` the output is one sigmoid unit trained with binary
    cross-entropy (the article's head); otherwise a softmax over
    ``n_classes`` trained with sparse categorical cross-entropy. Dropout
    (Srivastava et al., 2014, JMLR 15) follows every hidden layer when
    ``dropout > 0``.

    Args:
        n_features: Width of the flat float32 input ``(n, n_features)``.
        hidden_units: Width of the hidden layer, or a tuple of widths.
        n_classes: Number of classes, at least 2.
        dropout: Fraction of hidden activations dropped in training, in
            ``[0, 1)``.
        l2: L2 penalty on every kernel; ``0`` adds none.
        lr: Adam's learning rate.

    Returns:
        keras.Model: Maps ``(n, n_features)`` to ``(n, 1)`` probabilities of
        class 1, or to ``(n, n_classes)`` class probabilities.

    Raises:
        ValueError: If a size is below 1, ``dropout`` is outside ``[0, 1)``,
            ``l2`` is negative or ``lr`` is not positive.
    """
    n_features = check_int(n_features, "n_features", low=1)
    widths = (hidden_units,) if not isinstance(hidden_units, tuple) else hidden_units
    if not widths:
        raise ValueError("hidden_units must hold at least one width")
    widths = tuple(check_int(h, "hidden_units", low=1) for h in widths)
    n_classes = check_int(n_classes, "n_classes", low=2)
    dropout = check_real(dropout, "dropout", low=0.0)
    if dropout >= 1:
        raise ValueError(f"dropout must be < 1, got {dropout}")
    l2 = check_real(l2, "l2", low=0.0)
    lr = check_real(lr, "lr", low=0.0, low_open=True)

    import keras

    def reg():
        return keras.regularizers.L2(l2) if l2 > 0 else None

    layers: list[Any] = [keras.Input((n_features,), name="features")]
    for i, width in enumerate(widths, start=1):
        layers.append(
            keras.layers.Dense(
                width, activation="relu", kernel_regularizer=reg(), name=f"hidden{i}"
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


def count_macs(model: keras.Model) -> int:
    """Multiply-adds one example costs in the forward pass.

    Counts ``Dense`` (inputs x units) and ``Conv2D`` (output pixels x kernel
    area x input channels x filters) layers; pooling, activations, dropout and
    reshapes are free here. Unlike a wall-clock time, this number is the same
    on every machine.

    Args:
        model: A built Keras model.

    Returns:
        int: The number of multiply-adds per example.
    """
    import keras

    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            total += int(layer.kernel.shape[0]) * int(layer.kernel.shape[1])
        elif isinstance(layer, keras.layers.Conv2D):
            kh, kw, cin, cout = (int(s) for s in layer.kernel.shape)
            oh, ow = (int(s) for s in layer.output.shape[1:3])
            total += oh * ow * kh * kw * cin * cout
    return total


@dataclass(frozen=True)
class FitScore:
    """What :func:`fit_score` measured.

    Attributes:
        n_params: Trainable and non-trainable parameters.
        macs: Multiply-adds per example (:func:`count_macs`).
        accuracy: Test accuracy in ``[0, 1]``.
        seconds: Wall-clock training time (varies from run to run).
        y_score: Test-set probabilities: ``(n,)`` of class 1 for a binary
            model, ``(n, n_classes)`` otherwise.
    """

    n_params: int
    macs: int
    accuracy: float
    seconds: float
    y_score: np.ndarray


def fit_score(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    epochs: int = 10,
    batch_size: int = 32,
) -> FitScore:
    """Train a compiled Keras classifier quietly, time it, and score it.

    Works for any input shape (flat features or images), unlike
    :func:`nnbook.training.train`, which checks the article's flat input.

    Args:
        model: A compiled Keras classifier with an accuracy metric.
        X_train: float array ``(n_train, ...)`` matching the model's input.
        y_train: int labels ``(n_train,)``.
        X_test: float array ``(n_test, ...)``.
        y_test: int labels ``(n_test,)``.
        epochs: Passes over the training data, at least 1.
        batch_size: Mini-batch size, at least 1.

    Returns:
        FitScore: Parameters, multiply-adds, test accuracy, seconds and the
        test-set probabilities.

    Raises:
        ValueError: If the numbers of samples and labels disagree.
    """
    epochs = check_int(epochs, "epochs", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    X_train, X_test = np.asarray(X_train, "float32"), np.asarray(X_test, "float32")
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    if len(X_train) != len(y_train) or len(X_test) != len(y_test):
        raise ValueError(
            f"X and y must have as many samples: X_train {X_train.shape}, "
            f"y_train {y_train.shape}, X_test {X_test.shape}, y_test {y_test.shape}"
        )
    start = time.perf_counter()
    model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - start
    # A direct call, not model.predict: predict traces a new tf.function per
    # model, and after a few models TF warns about retracing on stderr.
    proba = np.asarray(model(X_test, training=False))
    if proba.shape[1] == 1:
        y_score = proba[:, 0]
        y_pred = (y_score >= 0.5).astype(int)
    else:
        y_score = proba
        y_pred = proba.argmax(axis=1)
    return FitScore(
        n_params=int(model.count_params()),
        macs=count_macs(model),
        accuracy=float(np.mean(y_pred == y_test)),
        seconds=seconds,
        y_score=y_score,
    )


# -- Evaluating a model -------------------------------------------------------
def binary_metrics(y_true: Any, y_score: Any, threshold: float = 0.5) -> dict:
    """Confusion matrix and the four usual metrics at one decision threshold.

    A sample is predicted positive when ``y_score >= threshold``, the same
    rule ``sklearn.metrics.roc_curve`` uses. Precision (and so F1) is ``0``
    when nothing is predicted positive (``zero_division=0``).

    Args:
        y_true: int labels 0 and 1, shape ``(n,)``.
        y_score: float scores (probabilities of class 1), shape ``(n,)``.
        threshold: The decision threshold.

    Returns:
        dict: ``confusion`` (int ``(2, 2)``, rows true class, columns
        predicted: ``[[TN, FP], [FN, TP]]``), ``y_pred`` (int ``(n,)``),
        and the floats ``accuracy``, ``precision``, ``recall``, ``f1``.

    Raises:
        ValueError: If the shapes disagree or labels are not 0 and 1.
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_score,
        recall_score,
    )

    y_score = np.asarray(y_score, dtype=float)
    if y_score.ndim != 1:
        raise ValueError(f"y_score must be 1-D (n,), got shape {y_score.shape}")
    y_true = check_labels(y_true, y_score.shape[0], "y_true").astype(int)
    threshold = check_real(threshold, "threshold")
    y_pred = (y_score >= threshold).astype(int)
    return {
        "confusion": confusion_matrix(y_true, y_pred, labels=[0, 1]),
        "y_pred": y_pred,
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
    }


# -- Overfitting: a NumPy MLP -------------------------------------------------
@dataclass(frozen=True)
class MLPRun:
    """One training run of :func:`train_numpy_mlp`.

    Attributes:
        history: ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``: one
            float per epoch run. Losses are the plain binary cross-entropy
            (no penalty), measured after each epoch in inference mode (no
            dropout), so train and validation are directly comparable.
        weights: ``(W1, b1, W2, b2)`` of the kept model, float64, shapes
            ``(d, h)``, ``(h,)``, ``(h, 1)``, ``(1,)``.
        best_epoch: The 1-based epoch whose weights were kept (the last one,
            unless early stopping restored an earlier one).
    """

    history: dict[str, list[float]]
    weights: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    best_epoch: int

    @property
    def val_loss(self) -> float:
        """Validation loss of the kept weights."""
        return self.history["val_loss"][self.best_epoch - 1]

    @property
    def train_loss(self) -> float:
        """Training loss of the kept weights."""
        return self.history["loss"][self.best_epoch - 1]

    @property
    def gap(self) -> float:
        """``val_loss - train_loss`` of the kept weights: the overfitting gap."""
        return self.val_loss - self.train_loss


def init_mlp_weights(
    n_features: int, hidden_units: int, *, max_hidden: int = 256, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Glorot-uniform weights, shared across widths for fair comparisons.

    A ``(n_features, max_hidden)`` and a ``(max_hidden, 1)`` block of
    uniform numbers in ``[-1, 1]`` are drawn from ``seed``; a network with
    ``hidden_units`` units takes their first columns (rows) and scales them to
    the Glorot limit ``sqrt(6 / (fan_in + fan_out))`` of its own layers
    (Glorot and Bengio, 2010, AISTATS). So, for one seed, a smaller network
    starts from a slice of the larger one's initialization. Biases start at 0.

    Args:
        n_features: Input width ``d``.
        hidden_units: Hidden width ``h``, in ``[1, max_hidden]``.
        max_hidden: Width of the shared draw.
        seed: Seed of the draw.

    Returns:
        tuple: ``(W1, b1, W2, b2)``, float64, shapes ``(d, h)``, ``(h,)``,
        ``(h, 1)``, ``(1,)``.
    """
    n_features = check_int(n_features, "n_features", low=1)
    max_hidden = check_int(max_hidden, "max_hidden", low=1)
    hidden_units = check_int(hidden_units, "hidden_units", low=1, high=max_hidden)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    U1 = rng.uniform(-1.0, 1.0, size=(n_features, max_hidden))
    U2 = rng.uniform(-1.0, 1.0, size=(max_hidden, 1))
    h = hidden_units
    W1 = U1[:, :h] * np.sqrt(6.0 / (n_features + h))
    W2 = U2[:h] * np.sqrt(6.0 / (h + 1))
    return W1, np.zeros(h), W2, np.zeros(1)


def mlp_forward(weights: tuple[np.ndarray, ...], X: np.ndarray) -> np.ndarray:
    """Probabilities of class 1: ``sigmoid(relu(X W1 + b1) W2 + b2)``.

    Args:
        weights: ``(W1, b1, W2, b2)`` as from :func:`init_mlp_weights`.
        X: float array ``(n, d)``.

    Returns:
        np.ndarray: float64 ``(n,)``.
    """
    W1, b1, W2, b2 = weights
    H = np.maximum(X @ W1 + b1, 0.0)
    return _sigmoid(H @ W2 + b2)[:, 0]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # stable for large |z|


def _bce(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, _EPS, 1 - _EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def mlp_loss_and_grads(
    weights: tuple[np.ndarray, ...],
    X: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 0.0,
    keep_mask: np.ndarray | None = None,
    keep: float = 1.0,
) -> tuple[float, list[np.ndarray]]:
    """Mean binary cross-entropy plus L2, and its gradients (backpropagation).

    The loss is ``mean(BCE(y, p)) + l2 * (sum(W1**2) + sum(W2**2))``, as
    Keras computes it with ``L2(l2)`` on both kernels. With ``keep_mask``,
    hidden activations are multiplied by ``keep_mask / keep`` (inverted
    dropout, Srivastava et al., 2014).

    Args:
        weights: ``(W1, b1, W2, b2)``.
        X: float array ``(n, d)``.
        y: labels 0/1 ``(n,)``.
        l2: L2 coefficient, at least 0.
        keep_mask: Optional 0/1 array ``(n, h)`` of kept hidden units.
        keep: Probability of keeping a unit (``1 - dropout``).

    Returns:
        tuple: ``(loss, [dW1, db1, dW2, db2])`` with the shapes of
        ``weights``.
    """
    W1, b1, W2, b2 = weights
    n = X.shape[0]
    Z = X @ W1 + b1
    H = np.maximum(Z, 0.0)
    if keep_mask is not None:
        H = H * keep_mask / keep
    p = _sigmoid(H @ W2 + b2)[:, 0]
    loss = _bce(y, p) + l2 * (np.sum(W1**2) + np.sum(W2**2))
    # d(mean BCE)/d(logit) = (p - y) / n (the clip only matters at 1e-7).
    dlogit = ((p - y) / n)[:, None]
    dW2 = H.T @ dlogit + 2 * l2 * W2
    db2 = dlogit.sum(axis=0)
    dH = dlogit @ W2.T
    if keep_mask is not None:
        dH = dH * keep_mask / keep
    dZ = dH * (Z > 0)
    dW1 = X.T @ dZ + 2 * l2 * W1
    db1 = dZ.sum(axis=0)
    return float(loss), [dW1, db1, dW2, db2]


def train_numpy_mlp(
    X: Any,
    y: Any,
    X_val: Any,
    y_val: Any,
    *,
    hidden_units: int = 64,
    epochs: int = 200,
    lr: float = 0.01,
    l2: float = 0.0,
    dropout: float = 0.0,
    patience: int | None = None,
    seed: int = 0,
    max_hidden: int = 256,
) -> MLPRun:
    """Train ``Dense(h, relu) -> Dense(1, sigmoid)`` with full-batch Adam.

    One epoch is one Adam step (Kingma and Ba, 2015, ICLR) on the whole
    training set, with Keras's defaults ``beta_1=0.9``, ``beta_2=0.999``,
    ``epsilon=1e-7``. The whole run takes milliseconds to a fraction of a
    second, so an explorer can retrain on every slider move. For one ``seed``
    every run starts from the same initialization (:func:`init_mlp_weights`)
    and, with dropout, draws the same masks.

    Args:
        X: float array ``(n, d)``, the training set.
        y: labels 0/1 ``(n,)``.
        X_val: float array ``(m, d)``, the validation set.
        y_val: labels 0/1 ``(m,)``.
        hidden_units: Hidden width, in ``[1, max_hidden]``.
        epochs: Number of epochs (Adam steps), at least 1.
        lr: Adam's learning rate.
        l2: L2 coefficient on both kernels.
        dropout: Fraction of hidden units dropped per step, in ``[0, 1)``.
        patience: If given, early stopping: stop once the validation loss has
            not improved for ``patience`` epochs and keep the best weights.
        seed: Seed of the initialization and the dropout masks.
        max_hidden: Width of the shared initialization.

    Returns:
        MLPRun: The per-epoch history, the kept weights and their epoch.

    Raises:
        ValueError: If shapes disagree or a hyperparameter is out of range.
    """
    X = check_matrix(X, "X").astype(float)
    y = check_labels(y, X.shape[0]).astype(float)
    X_val = check_matrix(X_val, "X_val", n_features=X.shape[1]).astype(float)
    y_val = check_labels(y_val, X_val.shape[0], "y_val").astype(float)
    epochs = check_int(epochs, "epochs", low=1)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    l2 = check_real(l2, "l2", low=0.0)
    dropout = check_real(dropout, "dropout", low=0.0)
    if dropout >= 1:
        raise ValueError(f"dropout must be < 1, got {dropout}")
    if patience is not None:
        patience = check_int(patience, "patience", low=1)
    weights = list(
        init_mlp_weights(X.shape[1], hidden_units, max_hidden=max_hidden, seed=seed)
    )
    rng = np.random.default_rng(seed + 1)
    keep = 1.0 - dropout
    m = [np.zeros_like(w) for w in weights]
    v = [np.zeros_like(w) for w in weights]
    b1_, b2_ = 0.9, 0.999
    history: dict[str, list[float]] = {
        "loss": [],
        "val_loss": [],
        "accuracy": [],
        "val_accuracy": [],
    }
    best = (np.inf, 0, [w.copy() for w in weights])
    from threadpoolctl import threadpool_limits

    # Small matrices: one BLAS thread is several times faster than many on a
    # shared machine, and the result does not depend on the thread count.
    with threadpool_limits(limits=1):
        for t in range(1, epochs + 1):
            mask = None
            if dropout > 0:
                shape = (X.shape[0], weights[0].shape[1])
                mask = (rng.random(shape) < keep).astype(float)
            _, grads = mlp_loss_and_grads(
                weights, X, y, l2=l2, keep_mask=mask, keep=keep
            )
            alpha = lr * np.sqrt(1 - b2_**t) / (1 - b1_**t)
            for i, g in enumerate(grads):
                m[i] = b1_ * m[i] + (1 - b1_) * g
                v[i] = b2_ * v[i] + (1 - b2_) * g * g
                weights[i] = weights[i] - alpha * m[i] / (np.sqrt(v[i]) + _EPS)
            p, p_val = mlp_forward(weights, X), mlp_forward(weights, X_val)
            history["loss"].append(_bce(y, p))
            history["val_loss"].append(_bce(y_val, p_val))
            history["accuracy"].append(float(np.mean((p >= 0.5) == y)))
            history["val_accuracy"].append(float(np.mean((p_val >= 0.5) == y_val)))
            if history["val_loss"][-1] < best[0]:
                best = (history["val_loss"][-1], t, [w.copy() for w in weights])
            elif patience is not None and t - best[1] >= patience:
                break
    if patience is not None:
        kept, best_epoch = best[2], best[1]
    else:
        kept, best_epoch = weights, len(history["loss"])
    return MLPRun(history, tuple(kept), best_epoch)
