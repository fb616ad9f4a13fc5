"""Loss functions, their analytical gradients, and a gradient checker.

Every loss is the *mean* over the ``n`` samples, as Keras computes it, and
every gradient is the gradient of that mean, so it carries a factor ``1/n``.
Gradients are given with respect to the predicted probability ``y_hat`` and
with respect to the logit ``z`` (``y_hat = sigmoid(z)`` or ``softmax(z)``).

The checker compares an analytical gradient with central finite differences
in float64; :func:`tape_gradient` gives TensorFlow's answer for the same
function. Taught in the chapter *The mathematics of loss*.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._checks import check_real

__all__ = [
    "sigmoid",
    "softmax",
    "mse",
    "mse_grad_prob",
    "mse_grad_logit",
    "bce",
    "bce_grad_prob",
    "bce_with_logits",
    "bce_grad_logit",
    "categorical_crossentropy",
    "cce_grad_prob",
    "cce_with_logits",
    "cce_grad_logit",
    "numerical_gradient",
    "relative_error",
    "check_gradient",
    "tape_gradient",
]


# -- input checks -------------------------------------------------------------
def _as_float(a: Any, name: str) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64) if not np.issubdtype(arr.dtype, np.floating) else arr
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return arr


def _pair(y: Any, other: Any, other_name: str) -> tuple[np.ndarray, np.ndarray]:
    y = _as_float(y, "y")
    other = _as_float(other, other_name)
    if y.shape != other.shape:
        raise ValueError(
            f"y and {other_name} must have the same shape, got {y.shape} and "
            f"{other.shape}"
        )
    return y, other


def _check_prob(p: np.ndarray, name: str) -> np.ndarray:
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values in "
            f"[{p.min():.3g}, {p.max():.3g}]"
        )
    return p


def _n(y: np.ndarray) -> int:
    """Number of samples: the first axis (rows for one-hot targets)."""
    return y.shape[0] if y.ndim > 0 else 1


# -- activations ----------------------------------------------------------------
def sigmoid(z: Any) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, overflow-free."""
    z = _as_float(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z: Any) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum for stability.

    Args:
        z: Logits of shape ``(n, n_classes)``.

    Returns:
        np.ndarray: Probabilities of the same shape; each row sums to 1.
    """
    z = _as_float(z, "z")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# -- mean squared error -----------------------------------------------------------
def mse(y: Any, y_hat: Any) -> float:
    """The article's loss: ``L = (1/n) sum_i (y_hat_i - y_i)^2``.

    Args:
        y: Targets, any shape.
        y_hat: Predictions, the shape of ``y``.

    Returns:
        float: The mean squared error.
    """
    y, y_hat = _pair(y, y_hat, "y_hat")
    return float(np.mean((y_hat - y) ** 2))


def mse_grad_prob(y: Any, y_hat: Any) -> np.ndarray:
    """``dL/dy_hat = 2 (y_hat - y) / n`` for :func:`mse` (shape of ``y``)."""
    y, y_hat = _pair(y, y_hat, "y_hat")
    return 2 * (y_hat - y) / y.size


def mse_grad_logit(y: Any, z: Any) -> np.ndarray:
    """``dL/dz = 2 (y_hat - y) y_hat (1 - y_hat) / n`` with ``y_hat = sigmoid(z)``.

    The factor ``y_hat (1 - y_hat)`` is the sigmoid's slope: it vanishes when
    the sigmoid saturates, even if the prediction is confidently wrong.
    """
    y, z = _pair(y, z, "z")
    p = sigmoid(z)
    return 2 * (p - y) * p * (1 - p) / y.size


# -- binary cross-entropy ---------------------------------------------------------
def bce(y: Any, y_hat: Any, *, eps: float = 0.0) -> float:
    """Binary cross-entropy ``-(1/n) sum [y log y_hat + (1-y) log(1-y_hat)]``.

    Args:
        y: Labels (or target probabilities) in [0, 1].
        y_hat: Predicted probabilities in [0, 1], the shape of ``y``.
        eps: If positive, ``y_hat`` is clipped to ``[eps, 1 - eps]`` first,
            as Keras does with ``eps = 1e-7``; ``0`` clips nothing.

    Returns:
        float: The mean loss (``inf`` if a prediction is exactly wrong and
        ``eps = 0``).

    Raises:
        ValueError: If the shapes differ or a value lies outside [0, 1].
    """
    y, y_hat = _pair(y, y_hat, "y_hat")
    _check_prob(y, "y")
    _check_prob(y_hat, "y_hat")
    eps = check_real(eps, "eps", low=0.0, high=0.5)
    if eps > 0:
        y_hat = np.clip(y_hat, eps, 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(y_hat), 0.0) + np.where(
            y < 1, (1 - y) * np.log1p(-y_hat), 0.0
        )
    return float(-np.mean(terms))


def bce_grad_prob(y: Any, y_hat: Any) -> np.ndarray:
    """``dL/dy_hat = (y_hat - y) / (y_hat (1 - y_hat)) / n`` for :func:`bce`.

    Raises:
        ValueError: If ``y_hat`` is 0 or 1 exactly (the gradient is infinite).
    """
    y, y_hat = _pair(y, y_hat, "y_hat")
    _check_prob(y, "y")
    _check_prob(y_hat, "y_hat")
    if np.any((y_hat == 0) | (y_hat == 1)):
        raise ValueError("y_hat must lie strictly inside (0, 1) for the gradient")
    return (y_hat - y) / (y_hat * (1 - y_hat)) / y.size


def bce_with_logits(y: Any, z: Any) -> float:
    """Binary cross-entropy from logits, ``y_hat = sigmoid(z)``, stably.

    ``(1/n) sum [max(z, 0) - z y + log(1 + exp(-|z|))]``, the formula of
    ``tf.nn.sigmoid_cross_entropy_with_logits``.
    """
    y, z = _pair(y, z, "z")
    _check_prob(y, "y")
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_grad_logit(y: Any, z: Any) -> np.ndarray:
    """``dL/dz = (sigmoid(z) - y) / n``: the sigmoid's slope cancels out."""
    y, z = _pair(y, z, "z")
    _check_prob(y, "y")
    return (sigmoid(z) - y) / y.size


# -- softmax and categorical cross-entropy --------------------------------------
def _check_rows(Y: np.ndarray, name: str) -> None:
    if Y.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n, n_classes), got shape {Y.shape}")


def categorical_crossentropy(Y: Any, P: Any) -> float:
    """``-(1/n) sum_i sum_k Y_ik log P_ik`` for one-hot (or soft) targets ``Y``.

    Args:
        Y: Targets ``(n, n_classes)``, rows of probabilities (one-hot).
        P: Predicted probabilities ``(n, n_classes)``, rows summing to 1.

    Returns:
        float: The mean loss.
    """
    Y, P = _pair(Y, P, "P")
    _check_rows(Y, "Y")
    _check_prob(Y, "Y")
    _check_prob(P, "P")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(Y > 0, Y * np.log(P), 0.0)
    return float(-terms.sum() / _n(Y))


def cce_grad_prob(Y: Any, P: Any) -> np.ndarray:
    """``dL/dP_ik = -Y_ik / P_ik / n`` for :func:`categorical_crossentropy`."""
    Y, P = _pair(Y, P, "P")
    _check_rows(Y, "Y")
    _check_prob(P, "P")
    if np.any((P == 0) & (Y > 0)):
        raise ValueError("P must be > 0 wherever Y > 0 for the gradient")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(Y > 0, -Y / P, 0.0) / _n(Y)


def cce_with_logits(Y: Any, Z: Any) -> float:
    """Categorical cross-entropy of ``softmax(Z)``, via log-sum-exp."""
    Y, Z = _pair(Y, Z, "Z")
    _check_rows(Y, "Y")
    _check_prob(Y, "Y")
    zmax = Z.max(axis=1, keepdims=True)
    log_p = Z - zmax - np.log(np.exp(Z - zmax).sum(axis=1, keepdims=True))
    return float(-(Y * log_p).sum() / _n(Y))


def cce_grad_logit(Y: Any, Z: Any) -> np.ndarray:
    """``dL/dZ = (softmax(Z) - Y) / n`` when each row of ``Y`` sums to 1."""
    Y, Z = _pair(Y, Z, "Z")
    _check_rows(Y, "Y")
    _check_prob(Y, "Y")
    return (softmax(Z) - Y * 1.0) / _n(Y)


# -- gradient checking ----------------------------------------------------------
def numerical_gradient(
    f: Callable[[np.ndarray], float], x: Any, *, h: float = 1e-6
) -> np.ndarray:
    """Central finite differences ``(f(x + h e_i) - f(x - h e_i)) / 2h`` in float64.

    The error is of order ``h^2`` (truncation) plus ``eps |f| / h`` (rounding),
    so ``h = 1e-6`` keeps both near ``1e-10`` for losses of order 1 at points
    not much closer than 0.01 to a singularity such as ``log(0)``.

    Args:
        f: A scalar function of an array shaped like ``x``.
        x: The point, any shape; converted to float64.
        h: The step, > 0.

    Returns:
        np.ndarray: float64 array shaped like ``x``.
    """
    h = check_real(h, "h", low=0.0, low_open=True)
    x = _as_float(x, "x").astype(np.float64)
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = float(f(x))
        x[i] = old - h
        f_minus = float(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a: Any, b: Any) -> float:
    """``max |a - b| / max(max |a|, max |b|)``: 0 when equal, 1 when unrelated.

    Args:
        a: An array.
        b: An array of the same shape.

    Returns:
        float: The relative error in the max norm (``0`` if both are zero).
    """
    a, b = _pair(a, b, "b")
    scale = max(np.abs(a).max(), np.abs(b).max())
    return 0.0 if scale == 0 else float(np.abs(a - b).max() / scale)


def check_gradient(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray],
    x: Any,
    *,
    h: float = 1e-6,
) -> float:
    """Compare an analytical gradient with central finite differences.

    Args:
        f: A scalar function of an array shaped like ``x``.
        grad: Its claimed gradient, returning an array shaped like ``x``.
        x: The point where to compare (converted to float64).
        h: The finite-difference step.

    Returns:
        float: :func:`relative_error` between ``grad(x)`` and the numerical
        gradient; about ``1e-10`` for a correct gradient, order 1 for a wrong
        one.

    Raises:
        ValueError: If ``grad(x)`` does not have the shape of ``x``.
    """
    x = _as_float(x, "x").astype(np.float64)
    analytic = np.asarray(grad(x.copy()), dtype=np.float64)
    if analytic.shape != x.shape:
        raise ValueError(
            f"grad(x) must have the shape of x {x.shape}, got {analytic.shape}"
        )
    return relative_error(analytic, numerical_gradient(f, x, h=h))


def tape_gradient(f: Callable[[Any], Any], x: Any) -> np.ndarray:
    """The gradient TensorFlow's automatic differentiation gives, in float64.

    Args:
        f: A function of a float64 ``tf.Tensor`` shaped like ``x`` returning
            a scalar tensor, written with TensorFlow/Keras operations.
        x: The point (converted to float64).

    Returns:
        np.ndarray: float64 gradient shaped like ``x``.
    """
    import tensorflow as tf

    x = tf.constant(_as_float(x, "x"), dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        value = f(x)
    return tape.gradient(value, x).numpy()
