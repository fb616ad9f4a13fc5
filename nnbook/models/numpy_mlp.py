"""The article's network in NumPy: one weights type, one initialization, one pass.

The network is ``Dense(hidden_units, activation)`` then ``Dense(1, sigmoid)``.
Everything the package computes about it without TensorFlow goes through
this module: the training chapter's from-scratch loop, the NumPy trainer of
the overfitting experiments (:func:`nnbook.training.train_numpy`), the
initial weights of the compiled sweep trainer, the explorers' views and the
re-initialization of the sanity checks (:func:`glorot_uniform`).

- :class:`MLPWeights` holds ``W1 (d, h)``, ``b1 (h,)``, ``W2 (h, 1)`` and
  ``b2 (1,)`` with Keras's shapes; :meth:`MLPWeights.to_keras` gives the
  list ``model.set_weights`` expects. Every computation runs in the dtype of
  the weights (float32 to compare with TensorFlow step by step, float64
  elsewhere).
- :func:`init_weights` draws Glorot-uniform kernels (Keras's default) with a
  *shared draw*: for one ``seed`` and ``max_hidden``, a network of ``h``
  units takes the first ``h`` units of the draw, so networks of different
  widths start from the same numbers and can be compared fairly.
- :func:`forward` keeps every intermediate, with an optional dropout mask;
  :func:`backward` is backpropagation for binary cross-entropy or MSE with an
  optional L2 penalty on both kernels.

Taught in the chapter *The training loop* (the scratch cells there are a
deliberate teaching parallel of this module; ``tests/models`` proves they
agree).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .._checks import check_choice, check_int, check_labels, check_matrix, check_real
from ..activations import activation as apply_activation
from ..activations import activation_derivative, sigmoid
from ..losses import bce_grad_logit, bce_with_logits, mse, mse_grad_logit

__all__ = [
    "PARAM_NAMES",
    "LOSSES",
    "MLPWeights",
    "ForwardPass",
    "glorot_limit",
    "glorot_uniform",
    "init_weights",
    "forward",
    "predict_proba",
    "loss_value",
    "data_loss",
    "l2_penalty",
    "backward",
]

#: The parameter names, in the order of ``model.get_weights()``.
PARAM_NAMES: tuple[str, ...] = ("W1", "b1", "W2", "b2")
#: The losses :func:`backward` knows.
LOSSES: tuple[str, ...] = ("bce", "mse")


@dataclass
class MLPWeights:
    """The four parameter arrays of the network, with Keras's shapes.

    Attributes:
        W1: Hidden kernel ``(n_features, hidden_units)``.
        b1: Hidden bias ``(hidden_units,)``.
        W2: Output kernel ``(hidden_units, 1)``.
        b2: Output bias ``(1,)``.

    Iterating gives ``W1, b1, W2, b2`` in that order.

    Raises:
        ValueError: If the shapes do not fit together.
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        arrays = [np.asarray(getattr(self, k)) for k in PARAM_NAMES]
        for name, arr in zip(PARAM_NAMES, arrays, strict=True):
            if not np.issubdtype(arr.dtype, np.floating):
                arr = arr.astype(np.float64)
            setattr(self, name, arr)
        W1, b1, W2, b2 = self
        h = W1.shape[1] if W1.ndim == 2 else -1
        if W1.ndim != 2 or b1.shape != (h,) or W2.shape != (h, 1) or b2.shape != (1,):
            raise ValueError(
                "weights have mismatched shapes: expected W1 (n_features, h), "
                f"b1 (h,), W2 (h, 1), b2 (1,); got W1 {W1.shape}, b1 {b1.shape}, "
                f"W2 {W2.shape}, b2 {b2.shape}"
            )

    def __iter__(self) -> Iterator[np.ndarray]:
        return (getattr(self, f.name) for f in fields(self))

    @property
    def n_features(self) -> int:
        """The input width ``d``."""
        return int(self.W1.shape[0])

    @property
    def hidden_units(self) -> int:
        """The hidden width ``h``."""
        return int(self.W1.shape[1])

    @property
    def dtype(self) -> np.dtype:
        """The dtype every computation with these weights uses (``W1``'s)."""
        return self.W1.dtype

    def astype(self, dtype: Any) -> MLPWeights:
        """A copy in ``dtype`` (always a copy, so it can be trained in place)."""
        return MLPWeights(*(np.array(a, dtype=dtype, copy=True) for a in self))

    def copy(self) -> MLPWeights:
        """A copy in the same dtype."""
        return self.astype(self.dtype)

    def to_keras(self) -> list[np.ndarray]:
        """``[W1, b1, W2, b2]``, the order of ``model.set_weights``."""
        return list(self)

    @classmethod
    def from_keras(cls, weights: Sequence[Any], dtype: Any = None) -> MLPWeights:
        """The weights of ``model.get_weights()`` (``[W1, b1, W2, b2]``).

        Args:
            weights: Four arrays in Keras's order.
            dtype: The dtype to convert to; ``None`` keeps the arrays' own.

        Raises:
            ValueError: If there are not four arrays or their shapes disagree.
        """
        if len(weights) != len(PARAM_NAMES):
            raise ValueError(
                f"weights must hold {len(PARAM_NAMES)} arrays (W1, b1, W2, b2), "
                f"got {len(weights)}"
            )
        return cls(*(np.array(w, dtype=dtype, copy=True) for w in weights))

    @classmethod
    def check(cls, weights: Any) -> MLPWeights:
        """``weights`` as :class:`MLPWeights` (from itself or a Keras list)."""
        if isinstance(weights, MLPWeights):
            return weights
        if isinstance(weights, list | tuple):
            return cls.from_keras(weights)
        raise TypeError(
            "weights must be MLPWeights or a list [W1, b1, W2, b2], got "
            f"{type(weights).__name__}"
        )


def glorot_limit(fan_in: int, fan_out: int) -> float:
    """``sqrt(6 / (fan_in + fan_out))``: the half-width of Glorot's uniform law.

    Glorot & Bengio (2010), "Understanding the difficulty of training deep
    feedforward neural networks", AISTATS; Keras's default kernel
    initializer.
    """
    return math.sqrt(6.0 / (fan_in + fan_out))


def _scaled(unit: np.ndarray, limit: float) -> np.ndarray:
    # rng.uniform(low, high) computes low + (high - low) * rng.random(): the
    # same arithmetic here keeps a draw equal to ``rng.uniform(-limit, limit)``.
    return -limit + (limit - (-limit)) * unit


def glorot_uniform(
    shape: Sequence[int], rng: np.random.Generator, dtype: Any = np.float64
) -> np.ndarray:
    """A Glorot-uniform kernel of any shape, with Keras's fans.

    For a ``Dense`` kernel ``(fan_in, fan_out)``; for a convolution kernel
    ``(..., in_channels, filters)`` both fans are multiplied by the receptive
    field (the product of the leading dimensions), as Keras computes them.

    Args:
        shape: The kernel's shape, at least 2-D.
        rng: The NumPy generator to draw from.
        dtype: The result's dtype.

    Returns:
        np.ndarray: Uniform values in ``[-limit, limit]`` of ``shape``.
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 dimensions, got {shape}")
    receptive = math.prod(shape[:-2])
    limit = glorot_limit(shape[-2] * receptive, shape[-1] * receptive)
    return _scaled(rng.random(shape), limit).astype(dtype)


def init_weights(
    n_features: int = 20,
    hidden_units: int = 10,
    *,
    seed: int = 0,
    max_hidden: int | None = None,
    dtype: Any = np.float64,
) -> MLPWeights:
    """Step 1: Glorot-uniform kernels and zero biases, with a shared draw.

    Uniform numbers are drawn once for ``max_hidden`` units, a
    ``(n_features, max_hidden)`` block then a ``(max_hidden, 1)`` block, from
    ``numpy.random.default_rng(seed)``. A network of ``hidden_units`` units
    takes the first ``hidden_units`` columns (rows) and scales them to the
    Glorot limit of its own layers, so for one ``seed`` and ``max_hidden`` a
    narrower network starts from the first units of a wider one's draw. With
    ``max_hidden=None`` (the draw's width is the network's) the kernels are
    exactly ``rng.uniform(-limit, limit, shape)``, drawn ``W1`` first.

    Args:
        n_features: Input width ``d`` (the article uses 20).
        hidden_units: Hidden width ``h`` (the article uses 10), at most
            ``max_hidden``.
        seed: Seed of the draw.
        max_hidden: Width of the shared draw; ``None`` means ``hidden_units``.
        dtype: The dtype of the weights (float64, or float32 to compare with
            TensorFlow).

    Returns:
        MLPWeights: ``W1 (d, h)``, ``b1 (h,)`` zeros, ``W2 (h, 1)``,
        ``b2 (1,)`` zeros.
    """
    n_features = check_int(n_features, "n_features", low=1)
    hidden_units = check_int(hidden_units, "hidden_units", low=1)
    seed = check_int(seed, "seed", low=0)
    if max_hidden is None:
        max_hidden = hidden_units
    max_hidden = check_int(max_hidden, "max_hidden", low=1)
    h = check_int(hidden_units, "hidden_units", low=1, high=max_hidden)
    rng = np.random.default_rng(seed)
    U1 = rng.random((n_features, max_hidden))
    U2 = rng.random((max_hidden, 1))
    return MLPWeights(
        _scaled(U1[:, :h], glorot_limit(n_features, h)).astype(dtype),
        np.zeros(h, dtype),
        _scaled(U2[:h], glorot_limit(h, 1)).astype(dtype),
        np.zeros(1, dtype),
    )


@dataclass(frozen=True)
class ForwardPass:
    """Every intermediate of one forward pass (what backpropagation needs).

    Attributes:
        X: The input ``(n, d)`` in the weights' dtype.
        z1: Hidden pre-activations ``(n, h)``.
        a1: Hidden activations ``(n, h)``, before dropout.
        h1: What the output layer sees: ``a1 * keep_mask / keep`` with
            dropout, else ``a1``.
        z2: Output logits ``(n,)``.
        y_hat: Probabilities of class 1 ``(n,)``.
        activation: The hidden activation's name.
        keep_mask: The dropout mask ``(n, h)`` or ``None``.
        keep: The probability of keeping a unit.
    """

    X: np.ndarray
    z1: np.ndarray
    a1: np.ndarray
    h1: np.ndarray
    z2: np.ndarray
    y_hat: np.ndarray
    activation: str = "relu"
    keep_mask: np.ndarray | None = None
    keep: float = 1.0


def forward(
    weights: MLPWeights | Sequence[Any],
    X: Any,
    *,
    activation: str = "relu",
    keep_mask: Any = None,
    keep: float = 1.0,
) -> ForwardPass:
    """Step 2: the forward pass, layer by layer, keeping every intermediate.

    With ``keep_mask``, the hidden activations are multiplied by
    ``keep_mask / keep`` (inverted dropout, Srivastava et al., 2014, JMLR
    15), as Keras's ``Dropout`` does in training.

    Args:
        weights: :class:`MLPWeights` (or ``[W1, b1, W2, b2]``).
        X: float array ``(n, n_features)``.
        activation: The hidden activation, one of
            :data:`nnbook.activations.ACTIVATIONS`.
        keep_mask: Optional 0/1 array ``(n, hidden_units)``.
        keep: Probability of keeping a unit, in ``(0, 1]``.

    Returns:
        ForwardPass: The intermediates, in the weights' dtype.

    Raises:
        ValueError: If ``X`` does not have ``n_features`` columns or the
            mask's shape is wrong.
    """
    w = MLPWeights.check(weights)
    X = check_matrix(X, "X", n_features=w.n_features).astype(w.dtype, copy=False)
    z1 = X @ w.W1 + w.b1
    a1 = apply_activation(z1, activation)
    h1 = a1
    if keep_mask is not None:
        keep_mask = np.asarray(keep_mask, dtype=w.dtype)
        if keep_mask.shape != a1.shape:
            raise ValueError(
                f"keep_mask must have shape {a1.shape}, got {keep_mask.shape}"
            )
        keep = check_real(keep, "keep", low=0.0, high=1.0, low_open=True)
        h1 = a1 * keep_mask / w.dtype.type(keep)
    z2 = (h1 @ w.W2 + w.b2)[:, 0]
    return ForwardPass(X, z1, a1, h1, z2, sigmoid(z2), activation, keep_mask, keep)


def predict_proba(
    weights: MLPWeights | Sequence[Any], X: Any, *, activation: str = "relu"
) -> np.ndarray:
    """Probabilities of class 1, ``(n,)``, in the weights' dtype."""
    return forward(weights, X, activation=activation).y_hat


def data_loss(fp: ForwardPass, y: np.ndarray, loss: str) -> float:
    """The mean loss of a forward pass's outputs against ``y`` (no penalty)."""
    if loss == "bce":
        return bce_with_logits(y, fp.z2)
    return mse(y, fp.y_hat)


def loss_value(
    weights: MLPWeights | Sequence[Any],
    X: Any,
    y: Any,
    *,
    loss: str = "bce",
    activation: str = "relu",
) -> float:
    """Step 3: the mean loss on ``(X, y)``, in inference mode (no dropout).

    Binary cross-entropy is computed from the logit in the stable form of
    ``tf.nn.sigmoid_cross_entropy_with_logits``, as Keras does for a sigmoid
    output; ``"mse"`` is the mean squared error of the probability.

    Args:
        weights: The network's weights.
        X: float array ``(n, n_features)``.
        y: labels 0/1 ``(n,)``.
        loss: ``"bce"`` or ``"mse"``.
        activation: The hidden activation.

    Returns:
        float: The mean loss (no penalty).
    """
    loss = check_choice(loss, "loss", LOSSES)
    fp = forward(weights, X, activation=activation)
    y = check_labels(y, fp.X.shape[0]).astype(fp.X.dtype)
    return data_loss(fp, y, loss)


def l2_penalty(weights: MLPWeights, l2: float) -> float:
    """``l2 * (sum(W1**2) + sum(W2**2))``: Keras's ``L2(l2)`` on both kernels."""
    if l2 == 0:
        return 0.0
    return float(l2 * (np.sum(weights.W1**2) + np.sum(weights.W2**2)))


def backward(
    weights: MLPWeights,
    fp: ForwardPass,
    y: Any,
    *,
    loss: str = "bce",
    l2: float = 0.0,
) -> MLPWeights:
    """Step 4: backpropagation, the gradient of the mean loss by the chain rule.

    For binary cross-entropy on a sigmoid output the gradient with respect to
    the logit is ``(y_hat - y) / n`` (derived in the chapter *The mathematics
    of loss*); for MSE it is ``2 (y_hat - y) y_hat (1 - y_hat) / n``
    (:mod:`nnbook.losses`). The rest is the chain rule through the two
    ``Dense`` layers, the dropout mask and the activation. ``l2`` adds
    ``2 l2 W`` to both kernels' gradients (the penalty of :func:`l2_penalty`).

    Args:
        weights: The network's weights.
        fp: The output of :func:`forward` on the same batch.
        y: labels 0/1 ``(n,)``.
        loss: ``"bce"`` or ``"mse"``.
        l2: The L2 coefficient, >= 0.

    Returns:
        MLPWeights: The gradients, with the shapes and dtype of ``weights``.
    """
    loss = check_choice(loss, "loss", LOSSES)
    n = fp.X.shape[0]
    y = check_labels(y, n).astype(fp.X.dtype)
    grad_logit = bce_grad_logit if loss == "bce" else mse_grad_logit
    dz2 = grad_logit(y, fp.z2)[:, None]  # (n, 1)
    dW2 = fp.h1.T @ dz2
    db2 = dz2.sum(axis=0)
    dh1 = dz2 @ weights.W2.T  # (n, h)
    if fp.keep_mask is not None:
        dh1 = dh1 * fp.keep_mask / fp.X.dtype.type(fp.keep)
    dz1 = dh1 * activation_derivative(fp.z1, fp.activation)
    dW1 = fp.X.T @ dz1
    db1 = dz1.sum(axis=0)
    if l2:
        two_l2 = fp.X.dtype.type(2 * l2)
        dW1 = dW1 + two_l2 * weights.W1
        dW2 = dW2 + two_l2 * weights.W2
    return MLPWeights(dW1, db1, dW2, db2)
