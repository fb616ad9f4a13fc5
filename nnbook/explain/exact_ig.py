"""Exact integrated gradients for a plain Dense ReLU network.

Along the straight path from a baseline to the input, a ReLU network is
piecewise linear: each hidden unit switches on or off where its
pre-activation crosses zero. This module finds every such kink, and
integrates each linear piece in closed form (through the sigmoid head, when
the probability is explained), so the completeness gap is at the level of
float rounding. The forward pass of every piece goes through
:func:`nnbook.activations.activation` and its derivative, the same code as
the package's NumPy network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..activations import activation, activation_derivative, sigmoid

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["dense_stack", "exact_integrated_gradients"]

_HIDDEN = {"relu", "linear"}
_HEADS = {"sigmoid", "linear"}


def dense_stack(model: keras.Model) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """``(W, b, activation)`` per layer of a plain Dense network, float64.

    Raises:
        ValueError: If a layer is not ``Dense`` with a ReLU or linear hidden
            activation and a sigmoid or linear single-unit output.
    """
    import keras

    layers = [
        lay for lay in model.layers if not isinstance(lay, keras.layers.InputLayer)
    ]
    stack = []
    for k, lay in enumerate(layers):
        act = getattr(getattr(lay, "activation", None), "__name__", None)
        ok = _HEADS if k == len(layers) - 1 else _HIDDEN
        if not isinstance(lay, keras.layers.Dense) or act not in ok:
            raise ValueError(
                "method='exact' needs a plain Dense network with ReLU or linear "
                "hidden layers and one sigmoid or linear output; layer "
                f"{lay.name!r} ({type(lay).__name__}, activation {act}) is not"
            )
        W = np.asarray(lay.kernel.numpy(), dtype=np.float64)
        # Dense(use_bias=False) has no bias: the affine map's shift is zero.
        b = (
            np.asarray(lay.bias.numpy(), dtype=np.float64)
            if lay.use_bias
            else np.zeros(W.shape[1])
        )
        stack.append((W, b, act))
    if stack[-1][0].shape[1] != 1:
        raise ValueError("method='exact' needs a single output unit")
    return stack


def _kinks(stack, x, b):
    """The path's breakpoints ``alphas`` and the logit ``z`` at each of them."""
    alphas = np.array([0.0, 1.0])
    h = np.stack([b, x])
    for W, c, act in stack[:-1]:
        pre = h @ W + c  # affine in alpha between breakpoints
        p0, p1 = pre[:-1], pre[1:]
        seg, unit = np.nonzero(p0 * p1 < 0) if act == "relu" else ((), ())
        if len(seg):
            frac = p0[seg, unit] / (p0[seg, unit] - p1[seg, unit])
            new = alphas[seg] + frac * (alphas[seg + 1] - alphas[seg])
            merged = np.unique(np.concatenate([alphas, new]))
            pre = np.stack(
                [np.interp(merged, alphas, pre[:, j]) for j in range(pre.shape[1])],
                axis=1,
            )
            alphas = merged
        h = activation(pre, act)
    W, c, _ = stack[-1]
    return alphas, (h @ W + c)[:, 0]


def _exact_one(stack, x, b, output):
    alphas, z = _kinks(stack, x, b)
    W_out, _, head = stack[-1]
    squash = head == "sigmoid" and output == "probability"
    total = np.zeros_like(x)
    for k in range(len(alphas) - 1):
        a0, a1 = alphas[k], alphas[k + 1]
        if a1 - a0 <= 0:
            continue
        # the logit's gradient on this piece is constant: the product of the
        # weights and the activations' slopes at the piece's midpoint
        hm = b + 0.5 * (a0 + a1) * (x - b)
        G = np.eye(x.shape[0])
        for W, c, act in stack[:-1]:
            pre = hm @ W + c
            G = (G @ W) * activation_derivative(pre, act)
            hm = activation(pre, act)
        g = (G @ W_out)[:, 0]
        dz = z[k + 1] - z[k]
        if not squash:
            weight = a1 - a0
        elif abs(dz) > 1e-12:
            weight = (a1 - a0) * (sigmoid(z[k + 1]) - sigmoid(z[k])) / dz
        else:
            s0 = sigmoid(z[k])
            weight = (a1 - a0) * s0 * (1 - s0)
        total += weight * g
    return (x - b) * total


def exact_integrated_gradients(
    model: keras.Model, X: np.ndarray, B: np.ndarray, *, output: str = "logit"
) -> np.ndarray:
    """Exact IG of checked ``X`` against baselines ``B`` (both ``(n, d)``).

    Used by :func:`nnbook.explain.integrated_gradients` with
    ``method="exact"``; ``output`` is ``"logit"`` or ``"probability"``.

    Returns:
        np.ndarray: float64 ``(n, d)``.
    """
    stack = dense_stack(model)
    return np.stack(
        [_exact_one(stack, x, b, output) for x, b in zip(X, B, strict=True)]
    )
