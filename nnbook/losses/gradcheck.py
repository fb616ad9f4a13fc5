"""Gradient checking: central finite differences and TensorFlow's answer.

The checker compares an analytical gradient with central finite differences
in float64; :func:`tape_gradient` gives TensorFlow's automatic
differentiation of the same function. Taught in the chapter *The mathematics
of loss*.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._checks import check_real
from ._inputs import as_float, pair

__all__ = ["numerical_gradient", "relative_error", "check_gradient", "tape_gradient"]


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
    x = as_float(x, "x").astype(np.float64)
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
    a, b = pair(a, b, "b")
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
    x = as_float(x, "x").astype(np.float64)
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

    x = tf.constant(as_float(x, "x"), dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        value = f(x)
    return tape.gradient(value, x).numpy()
