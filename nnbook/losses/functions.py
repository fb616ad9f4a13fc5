"""Loss functions and their analytical gradients.

Every loss is the *mean* over the ``n`` samples, as Keras computes it, and
every gradient is the gradient of that mean, so it carries a factor ``1/n``.
Gradients are given with respect to the predicted probability ``y_hat`` and
with respect to the logit ``z`` (``y_hat = sigmoid(z)`` or ``softmax(z)``,
from :mod:`nnbook.activations`). Taught in the chapter *The mathematics of
loss*.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_real
from ..activations import sigmoid, softmax
from ._inputs import check_prob, check_rows, n_rows, pair

__all__ = [
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
]


# -- mean squared error -----------------------------------------------------------
def mse(y: Any, y_hat: Any) -> float:
    """The article's loss: ``L = (1/n) sum_i (y_hat_i - y_i)^2``.

    Args:
        y: Targets, any shape.
        y_hat: Predictions, the shape of ``y``.

    Returns:
        float: The mean squared error.
    """
    y, y_hat = pair(y, y_hat, "y_hat")
    return float(np.mean((y_hat - y) ** 2))


def mse_grad_prob(y: Any, y_hat: Any) -> np.ndarray:
    """``dL/dy_hat = 2 (y_hat - y) / n`` for :func:`mse` (shape of ``y``)."""
    y, y_hat = pair(y, y_hat, "y_hat")
    return 2 * (y_hat - y) / y.size


def mse_grad_logit(y: Any, z: Any) -> np.ndarray:
    """``dL/dz = 2 (y_hat - y) y_hat (1 - y_hat) / n`` with ``y_hat = sigmoid(z)``.

    The factor ``y_hat (1 - y_hat)`` is the sigmoid's slope: it vanishes when
    the sigmoid saturates, even if the prediction is confidently wrong.
    """
    y, z = pair(y, z, "z")
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
    y, y_hat = pair(y, y_hat, "y_hat")
    check_prob(y, "y")
    check_prob(y_hat, "y_hat")
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
    y, y_hat = pair(y, y_hat, "y_hat")
    check_prob(y, "y")
    check_prob(y_hat, "y_hat")
    if np.any((y_hat == 0) | (y_hat == 1)):
        raise ValueError("y_hat must lie strictly inside (0, 1) for the gradient")
    return (y_hat - y) / (y_hat * (1 - y_hat)) / y.size


def bce_with_logits(y: Any, z: Any) -> float:
    """Binary cross-entropy from logits, ``y_hat = sigmoid(z)``, stably.

    ``(1/n) sum [max(z, 0) - z y + log(1 + exp(-|z|))]``, the formula of
    ``tf.nn.sigmoid_cross_entropy_with_logits``.
    """
    y, z = pair(y, z, "z")
    check_prob(y, "y")
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_grad_logit(y: Any, z: Any) -> np.ndarray:
    """``dL/dz = (sigmoid(z) - y) / n``: the sigmoid's slope cancels out."""
    y, z = pair(y, z, "z")
    check_prob(y, "y")
    return (sigmoid(z) - y) / y.size


# -- softmax and categorical cross-entropy --------------------------------------
def categorical_crossentropy(Y: Any, P: Any) -> float:
    """``-(1/n) sum_i sum_k Y_ik log P_ik`` for one-hot (or soft) targets ``Y``.

    Args:
        Y: Targets ``(n, n_classes)``, rows of probabilities (one-hot).
        P: Predicted probabilities ``(n, n_classes)``, rows summing to 1.

    Returns:
        float: The mean loss.
    """
    Y, P = pair(Y, P, "P")
    check_rows(Y, "Y")
    check_prob(Y, "Y")
    check_prob(P, "P")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(Y > 0, Y * np.log(P), 0.0)
    return float(-terms.sum() / n_rows(Y))


def cce_grad_prob(Y: Any, P: Any) -> np.ndarray:
    """``dL/dP_ik = -Y_ik / P_ik / n`` for :func:`categorical_crossentropy`."""
    Y, P = pair(Y, P, "P")
    check_rows(Y, "Y")
    check_prob(P, "P")
    if np.any((P == 0) & (Y > 0)):
        raise ValueError("P must be > 0 wherever Y > 0 for the gradient")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(Y > 0, -Y / P, 0.0) / n_rows(Y)


def cce_with_logits(Y: Any, Z: Any) -> float:
    """Categorical cross-entropy of ``softmax(Z)``, via log-sum-exp."""
    Y, Z = pair(Y, Z, "Z")
    check_rows(Y, "Y")
    check_prob(Y, "Y")
    zmax = Z.max(axis=1, keepdims=True)
    log_p = Z - zmax - np.log(np.exp(Z - zmax).sum(axis=1, keepdims=True))
    return float(-(Y * log_p).sum() / n_rows(Y))


def cce_grad_logit(Y: Any, Z: Any) -> np.ndarray:
    """``dL/dZ = (softmax(Z) - Y) / n`` when each row of ``Y`` sums to 1."""
    Y, Z = pair(Y, Z, "Z")
    check_rows(Y, "Y")
    check_prob(Y, "Y")
    return (softmax(Z) - Y * 1.0) / n_rows(Y)
