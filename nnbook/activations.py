"""Activation functions in NumPy: the one sigmoid, softmax, and the hidden ones.

Every NumPy computation of the package that squashes a number goes through
this module: the from-scratch network (:mod:`nnbook.models.numpy_mlp`), the
losses (:mod:`nnbook.losses`), the exact integrated gradients and the
explorers. Each function keeps a floating input's dtype (float32 stays
float32, so the NumPy network can be compared with TensorFlow step by step)
and turns anything else into float64.

:data:`ACTIVATIONS` names the hidden activations the model builders accept;
:func:`activation` and :func:`activation_derivative` compute them as Keras
does (GELU exactly, with ``erf``, as ``keras.activations.gelu(approximate=
False)``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._checks import check_choice

__all__ = [
    "ACTIVATIONS",
    "sigmoid",
    "softmax",
    "relu",
    "activation",
    "activation_derivative",
]

#: Hidden-layer activations the builders, the trainers and the explorers accept.
ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "sigmoid", "elu", "gelu", "linear")


def _as_float(z: Any) -> np.ndarray:
    arr = np.asarray(z)
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def sigmoid(z: Any) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, without overflow.

    ``exp`` is only ever taken of ``-|z|``, so no value overflows: a logit of
    800 gives exactly 1 and one of -800 exactly 0.

    Args:
        z: Logits, any shape.

    Returns:
        np.ndarray: Probabilities in ``[0, 1]``, the shape and float dtype of
        ``z`` (float64 for integer input).
    """
    z = _as_float(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z: Any) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum for stability.

    Args:
        z: Logits of shape ``(n, n_classes)`` (any leading shape).

    Returns:
        np.ndarray: Probabilities of the same shape; each row sums to 1.
    """
    z = _as_float(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def relu(z: Any) -> np.ndarray:
    """``max(z, 0)``, in the dtype of ``z``."""
    z = _as_float(z)
    return np.maximum(z, z.dtype.type(0))


def activation(z: Any, name: str) -> np.ndarray:
    """A hidden activation of :data:`ACTIVATIONS`, as Keras computes it.

    Args:
        z: Pre-activations, any shape.
        name: One of :data:`~nnbook.activations.ACTIVATIONS`.

    Returns:
        np.ndarray: ``name(z)``, the shape and float dtype of ``z``.

    Raises:
        ValueError: If ``name`` is not one of :data:`~nnbook.activations.ACTIVATIONS`.
    """
    name = check_choice(name, "activation", ACTIVATIONS)
    z = _as_float(z)
    if name == "relu":
        return relu(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return sigmoid(z)
    if name == "elu":
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
    if name == "gelu":
        from scipy.special import erf

        return (0.5 * z * (1 + erf(z / math.sqrt(2)))).astype(z.dtype)
    return z


def activation_derivative(z: Any, name: str) -> np.ndarray:
    """The derivative of :func:`activation` with respect to ``z``.

    At ``z = 0`` ReLU's derivative is taken as 0, as TensorFlow's gradient
    does.

    Args:
        z: Pre-activations, any shape.
        name: One of :data:`~nnbook.activations.ACTIVATIONS`.

    Returns:
        np.ndarray: ``d name(z) / dz``, the shape and float dtype of ``z``.
    """
    name = check_choice(name, "activation", ACTIVATIONS)
    z = _as_float(z)
    one = z.dtype.type(1)
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "tanh":
        return one - np.tanh(z) ** 2
    if name == "sigmoid":
        s = sigmoid(z)
        return s * (one - s)
    if name == "elu":
        return np.where(z > 0, one, np.exp(np.minimum(z, 0)))
    if name == "gelu":
        from scipy.special import erf

        pdf = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
        return (0.5 * (1 + erf(z / math.sqrt(2))) + z * pdf).astype(z.dtype)
    return np.ones_like(z)
