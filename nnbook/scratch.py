"""The article's network from scratch in NumPy: forward, backward, SGD, Adam.

The network is the article's: ``Dense(hidden_units, relu)`` then
``Dense(1, sigmoid)``, trained with binary cross-entropy. Everything is
written out so that each of the six steps of training is a few lines of
NumPy, and every step computes in ``float32`` so that its numbers can be
compared with TensorFlow's (:mod:`nnbook.loops`).

The parameters are a dict ``{"W1", "b1", "W2", "b2"}`` with Keras's shapes
(``W1`` is ``(n_features, hidden_units)``), so ``[W1, b1, W2, b2]`` is what
``model.set_weights`` expects.

Taught in the chapter *The training loop*.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import check_choice, check_int, check_labels, check_matrix, check_real

__all__ = [
    "PARAM_NAMES",
    "init_params",
    "forward",
    "bce_from_logits",
    "loss_value",
    "backward",
    "SGD",
    "Adam",
    "make_optimizer",
    "batch_order",
    "iter_batches",
    "TrainResult",
    "train_scratch",
    "params_to_weights",
    "weights_to_params",
]

#: The parameter names, in the order of ``model.get_weights()``.
PARAM_NAMES: tuple[str, ...] = ("W1", "b1", "W2", "b2")

Params = dict[str, np.ndarray]


def init_params(
    n_features: int = 20, hidden_units: int = 10, *, seed: int = 0
) -> Params:
    """Step 1: initialize the weights as Keras's ``Dense`` does.

    Kernels are drawn from the Glorot (Xavier) uniform distribution on
    ``[-limit, limit]`` with ``limit = sqrt(6 / (fan_in + fan_out))``; biases
    start at zero (Glorot & Bengio, 2010, "Understanding the difficulty of
    training deep feedforward neural networks").

    Args:
        n_features: Number of input columns (the article uses 20).
        hidden_units: Width of the hidden layer (the article uses 10).
        seed: Seed of the NumPy generator that draws the kernels.

    Returns:
        dict: float32 arrays ``W1 (n_features, hidden_units)``,
        ``b1 (hidden_units,)``, ``W2 (hidden_units, 1)``, ``b2 (1,)``.
    """
    n_features = check_int(n_features, "n_features", low=1)
    hidden_units = check_int(hidden_units, "hidden_units", low=1)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)

    def glorot(fan_in: int, fan_out: int) -> np.ndarray:
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)

    return {
        "W1": glorot(n_features, hidden_units),
        "b1": np.zeros(hidden_units, np.float32),
        "W2": glorot(hidden_units, 1),
        "b2": np.zeros(1, np.float32),
    }


def _check_params(params: Any) -> Params:
    if not isinstance(params, dict) or set(params) != set(PARAM_NAMES):
        raise ValueError(f"params must be a dict with keys {list(PARAM_NAMES)}")
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in PARAM_NAMES)
    h = W1.shape[1] if W1.ndim == 2 else -1
    if W1.ndim != 2 or b1.shape != (h,) or W2.shape != (h, 1) or b2.shape != (1,):
        raise ValueError(
            "params have mismatched shapes: expected W1 (n_features, h), b1 (h,), "
            f"W2 (h, 1), b2 (1,); got W1 {W1.shape}, b1 {b1.shape}, "
            f"W2 {W2.shape}, b2 {b2.shape}"
        )
    return params


def forward(params: Params, X: Any) -> dict[str, np.ndarray]:
    """Step 2: the forward pass, layer by layer, keeping every intermediate.

    Args:
        params: The network's parameters (see :func:`init_params`).
        X: float array of shape ``(n_samples, n_features)``.

    Returns:
        dict: ``X`` (float32 input), ``z1`` pre-activations ``(n, h)``, ``a1``
        ReLU activations ``(n, h)``, ``z2`` output logits ``(n,)`` and
        ``y_hat`` probabilities ``(n,)``, all float32.

    Raises:
        ValueError: If ``X`` does not have ``W1.shape[0]`` columns.
    """
    params = _check_params(params)
    X = check_matrix(X, "X", n_features=params["W1"].shape[0]).astype(np.float32)
    z1 = X @ params["W1"] + params["b1"]
    a1 = np.maximum(z1, np.float32(0))
    z2 = (a1 @ params["W2"] + params["b2"])[:, 0]
    y_hat = 1 / (1 + np.exp(-z2))
    return {"X": X, "z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat}


def bce_from_logits(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per-sample binary cross-entropy from logits, in the stable form.

    ``max(z, 0) - z * y + log(1 + exp(-|z|))``, which is what
    ``tf.nn.sigmoid_cross_entropy_with_logits`` computes.

    Args:
        y: Labels 0/1, shape ``(n,)``.
        z: Logits, shape ``(n,)``.

    Returns:
        np.ndarray: Losses of shape ``(n,)`` in the dtype of ``z``.
    """
    y = np.asarray(y, dtype=z.dtype)
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def loss_value(params: Params, X: Any, y: Any, *, loss: str = "bce") -> float:
    """Step 3: the mean loss of the network on ``(X, y)``.

    Args:
        params: The network's parameters.
        X: float array ``(n_samples, n_features)``.
        y: labels 0/1 ``(n_samples,)``.
        loss: ``"bce"`` (binary cross-entropy) or ``"mse"``.

    Returns:
        float: The mean loss.
    """
    loss = check_choice(loss, "loss", ("bce", "mse"))
    cache = forward(params, X)
    y = check_labels(y, cache["X"].shape[0]).astype(np.float32)
    if loss == "bce":
        return float(np.mean(bce_from_logits(y, cache["z2"])))
    return float(np.mean((cache["y_hat"] - y) ** 2))


def backward(
    params: Params, cache: dict[str, np.ndarray], y: Any, *, loss: str = "bce"
) -> Params:
    """Step 4: backpropagation, the gradient of the mean loss by the chain rule.

    For binary cross-entropy on a sigmoid output the gradient with respect to
    the logit is ``(y_hat - y) / n`` (derived in the chapter *The mathematics
    of loss*); for MSE it is ``2 (y_hat - y) y_hat (1 - y_hat) / n``. The rest
    is the chain rule through the two ``Dense`` layers and the ReLU.

    Args:
        params: The network's parameters.
        cache: The output of :func:`forward` on the same batch.
        y: labels 0/1 of shape ``(n,)``.
        loss: ``"bce"`` or ``"mse"``.

    Returns:
        dict: Gradients with the keys and shapes of ``params`` (float32).
    """
    params = _check_params(params)
    loss = check_choice(loss, "loss", ("bce", "mse"))
    X, a1, z1, y_hat = cache["X"], cache["a1"], cache["z1"], cache["y_hat"]
    n = X.shape[0]
    y = check_labels(y, n).astype(np.float32)
    if loss == "bce":
        dz2 = (y_hat - y) / np.float32(n)
    else:
        dz2 = 2 * (y_hat - y) * y_hat * (1 - y_hat) / np.float32(n)
    dz2 = dz2[:, None]  # (n, 1)
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ params["W2"].T  # (n, h)
    dz1 = da1 * (z1 > 0)  # the ReLU passes the gradient where it was active
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


@dataclass
class SGD:
    """Step 5, plain gradient descent: ``w <- w - lr * g``, as Keras's ``SGD``.

    Attributes:
        lr: The learning rate, > 0.
    """

    lr: float = 0.01

    def __post_init__(self) -> None:
        self.lr = check_real(self.lr, "lr", low=0.0, low_open=True)

    def step(self, params: Params, grads: Params) -> None:
        """Update ``params`` in place with ``grads``."""
        lr = np.float32(self.lr)
        for k in PARAM_NAMES:
            params[k] -= grads[k] * lr


@dataclass
class Adam:
    """Step 5 with Adam, exactly as Keras 3 implements it.

    Kingma & Ba (2015), "Adam: A method for stochastic optimization", in the
    form of ``keras.optimizers.Adam.update_step``: the bias corrections are
    folded into the step size and ``epsilon`` is added to ``sqrt(v)`` *after*
    the square root, without bias-correcting ``v`` first::

        m <- m + (g - m) (1 - beta_1)
        v <- v + (g^2 - v) (1 - beta_2)
        alpha = lr sqrt(1 - beta_2^t) / (1 - beta_1^t)
        w <- w - m alpha / (sqrt(v) + epsilon)

    Attributes:
        lr: The learning rate, > 0 (Keras's default ``1e-3``).
        beta_1: Decay of the first moment.
        beta_2: Decay of the second moment.
        epsilon: Keras's default ``1e-7`` (the paper uses ``1e-8``).
    """

    lr: float = 1e-3
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-7
    t: int = 0
    m: Params = field(default_factory=dict)
    v: Params = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lr = check_real(self.lr, "lr", low=0.0, low_open=True)

    def step(self, params: Params, grads: Params) -> None:
        """Update ``params`` in place with ``grads``."""
        f32 = np.float32
        self.t += 1
        t = f32(self.t)
        b1, b2 = f32(self.beta_1), f32(self.beta_2)
        # Keras computes 1 - beta in Python (float64) and then casts: keep that.
        one_minus_b1, one_minus_b2 = f32(1 - self.beta_1), f32(1 - self.beta_2)
        alpha = f32(self.lr) * np.sqrt(1 - b2**t) / (1 - b1**t)
        for k in PARAM_NAMES:
            g = grads[k]
            m = self.m.setdefault(k, np.zeros_like(params[k]))
            v = self.v.setdefault(k, np.zeros_like(params[k]))
            m += (g - m) * one_minus_b1
            v += (g * g - v) * one_minus_b2
            params[k] -= m * alpha / (np.sqrt(v) + f32(self.epsilon))


def make_optimizer(optimizer: str, lr: float) -> SGD | Adam:
    """``"sgd"`` or ``"adam"`` with learning rate ``lr`` (> 0)."""
    optimizer = check_choice(optimizer, "optimizer", ("sgd", "adam"))
    return SGD(lr) if optimizer == "sgd" else Adam(lr)


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
    n_samples = check_int(n_samples, "n_samples", low=1)
    epochs = check_int(epochs, "epochs", low=1)
    rng = np.random.default_rng(check_int(seed, "seed", low=0))
    return np.stack([rng.permutation(n_samples) for _ in range(epochs)])


def _check_order(order: Any, n_samples: int) -> np.ndarray:
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


@dataclass
class TrainResult:
    """What a training run returns, the same for all three implementations.

    Attributes:
        params: The final parameters (float32, see :func:`init_params`).
        step_loss: float array ``(n_steps,)``: the loss of each mini-batch at
            the weights *before* that step's update.
        steps_per_epoch: Number of mini-batches in one epoch.
        snapshots: The parameters at the start and after each epoch
            (``epochs + 1`` dicts).
        val_loss: Validation loss after each epoch (empty without
            validation data).
        best_epoch: With early stopping, the epoch whose weights were kept
            (1-based); otherwise the last epoch.
    """

    params: Params
    step_loss: np.ndarray
    steps_per_epoch: int
    snapshots: list[Params] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    best_epoch: int = 0

    @property
    def epoch_loss(self) -> np.ndarray:
        """Mean training loss of each epoch, float array ``(epochs,)``."""
        n = len(self.step_loss) // self.steps_per_epoch
        steps = self.step_loss[: n * self.steps_per_epoch]
        return steps.reshape(n, self.steps_per_epoch).mean(axis=1)


def _copy(params: Params) -> Params:
    return {k: np.array(v, dtype=np.float32, copy=True) for k, v in params.items()}


def train_scratch(
    params: Params,
    X: Any,
    y: Any,
    order: Any,
    *,
    batch_size: int = 32,
    optimizer: str = "adam",
    lr: float = 1e-3,
    loss: str = "bce",
    validation_data: tuple[Any, Any] | None = None,
    patience: int | None = None,
) -> TrainResult:
    """Step 6: iterate steps 2-5 over the mini-batches of every epoch.

    Args:
        params: Initial parameters; they are copied, not changed.
        X: float array ``(n_samples, n_features)``.
        y: labels 0/1 ``(n_samples,)``.
        order: int array ``(epochs, n_samples)``, one permutation per epoch
            (see :func:`batch_order`).
        batch_size: Mini-batch size.
        optimizer: ``"sgd"`` or ``"adam"``.
        lr: Learning rate, > 0.
        loss: ``"bce"`` or ``"mse"``.
        validation_data: Optional ``(X_val, y_val)``; its BCE is recorded after
            each epoch.
        patience: With ``validation_data``, stop when the validation loss has
            not improved for ``patience`` epochs and keep the best weights
            (early stopping). ``None`` trains every epoch.

    Returns:
        TrainResult: Final parameters, per-step losses and snapshots.

    Raises:
        ValueError: If shapes disagree, ``lr`` is not positive, or ``order``
            is not one permutation per epoch.
    """
    params = _copy(_check_params(params))
    X = check_matrix(X, "X", n_features=params["W1"].shape[0]).astype(np.float32)
    y = check_labels(y, X.shape[0]).astype(np.float32)
    order = _check_order(order, X.shape[0])
    batch_size = check_int(batch_size, "batch_size", low=1)
    opt = make_optimizer(optimizer, lr)
    loss = check_choice(loss, "loss", ("bce", "mse"))
    if patience is not None:
        patience = check_int(patience, "patience", low=1)
        if validation_data is None:
            raise ValueError("patience needs validation_data to watch")
    if validation_data is not None:
        X_val = check_matrix(
            validation_data[0], "validation_data[0]", n_features=X.shape[1]
        )
        y_val = check_labels(validation_data[1], X_val.shape[0], "validation_data[1]")

    step_loss: list[float] = []
    snapshots = [_copy(params)]
    val_loss: list[float] = []
    best, best_at, best_epoch, best_params = np.inf, 0, 0, _copy(params)
    for epoch, perm in enumerate(order, start=1):
        for idx in iter_batches(perm, batch_size):
            cache = forward(params, X[idx])  # step 2
            yb = y[idx]
            if loss == "bce":  # step 3
                step_loss.append(float(np.mean(bce_from_logits(yb, cache["z2"]))))
            else:
                step_loss.append(float(np.mean((cache["y_hat"] - yb) ** 2)))
            grads = backward(params, cache, yb, loss=loss)  # step 4
            opt.step(params, grads)  # step 5
        snapshots.append(_copy(params))
        best_epoch = epoch
        if validation_data is not None:
            val_loss.append(loss_value(params, X_val, y_val))
            if val_loss[-1] < best:
                best, best_params, best_at = val_loss[-1], _copy(params), epoch
            if patience is not None:
                best_epoch = best_at
                if epoch - best_at >= patience:
                    params = best_params
                    break
    if patience is not None:
        params = best_params
    steps_per_epoch = -(-order.shape[1] // batch_size)
    return TrainResult(
        params, np.asarray(step_loss), steps_per_epoch, snapshots, val_loss, best_epoch
    )


def params_to_weights(params: Params) -> list[np.ndarray]:
    """``[W1, b1, W2, b2]``, the order of ``model.set_weights``."""
    params = _check_params(params)
    return [np.asarray(params[k], dtype=np.float32) for k in PARAM_NAMES]


def weights_to_params(weights: list[Any]) -> Params:
    """The inverse of :func:`params_to_weights` (from ``model.get_weights()``)."""
    if len(weights) != len(PARAM_NAMES):
        raise ValueError(
            f"weights must hold {len(PARAM_NAMES)} arrays (W1, b1, W2, b2), "
            f"got {len(weights)}"
        )
    params = {
        k: np.array(w, dtype=np.float32)
        for k, w in zip(PARAM_NAMES, weights, strict=True)
    }
    return _check_params(params)
