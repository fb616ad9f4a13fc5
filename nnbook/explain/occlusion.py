"""Occlusion: how much the score drops when part of the input is hidden.

One function for tables and images. A window slides over the sample with
step ``stride``; each position replaces the values under it with the
``baseline`` and records the drop of the target's score. An element's
attribution is the mean drop over all positions that cover it: positive
values mark evidence for the target, negative values evidence against it.
With ``window=1`` on a table this is feature ablation, one column at a time.

Zeiler & Fergus (2014), "Visualizing and Understanding Convolutional
Networks", ECCV.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int
from ._core import (
    MAX_ROWS,
    check_baseline,
    check_inputs,
    check_output,
    check_target,
    forward,
)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["occlusion"]


def _as_tuple(value: Any, name: str, dims: int, spatial: tuple[int, ...]):
    values = (value,) * dims if np.ndim(value) == 0 else tuple(value)
    if len(values) != dims:
        raise ValueError(
            f"{name} must be one int or {dims} ints (one per axis {spatial}), "
            f"got {value!r}"
        )
    return tuple(
        check_int(v, name, low=1, high=s) for v, s in zip(values, spatial, strict=True)
    )


def _positions(size: int, window: int, stride: int) -> list[int]:
    starts = list(range(0, size - window + 1, stride))
    if starts[-1] != size - window:  # cover the far edge too
        starts.append(size - window)
    return starts


# The attribution methods' one signature (see nnbook.explain): alike on purpose.
def occlusion(
    model: keras.Model,
    X: Any,
    *,
    target: Any = None,
    baseline: Any = None,
    output: str = "logit",
    window: int | tuple[int, ...] = 1,
    stride: int | tuple[int, ...] | None = None,
) -> np.ndarray:
    """Occlusion with a sliding window, for tables and images.

    The window slides over the sample's spatial axes: the features of a
    table row ``(d,)``, or the height and width of an image ``(h, w, c)``
    (all channels of a pixel are hidden together).

    Args:
        model: A Keras model with one input.
        X: float array ``(n, *input_shape)``.
        target: ``None``, one class index, or one per sample.
        baseline: What hides a value: ``None`` (zeros), a scalar, one sample
            ``X.shape[1:]`` (for example the training mean), or one per
            sample.
        output: ``"logit"`` or ``"probability"``: the score whose drop is
            measured.
        window: Size of the window: one int for every spatial axis, or one
            per axis.
        stride: Step between window positions; ``None`` means 1. It may not
            exceed the window, or some values would never be hidden.

    Returns:
        np.ndarray: float64 signed attributions shaped like ``X``.

    Raises:
        ValueError: If the window does not fit, the stride exceeds the window,
            or an input is malformed.
    """
    X = check_inputs(model, X)
    t = check_target(model, target, X)
    B = check_baseline(baseline, X)
    output = check_output(output)
    n, shape = X.shape[0], X.shape[1:]
    spatial = shape if len(shape) <= 2 else shape[:-1]
    dims = len(spatial)
    window = _as_tuple(window, "window", dims, spatial)
    stride = (
        (1,) * dims if stride is None else _as_tuple(stride, "stride", dims, spatial)
    )
    if any(s > w for s, w in zip(stride, window, strict=True)):
        raise ValueError(
            f"stride {stride} must not exceed the window {window}: some values "
            "would never be occluded"
        )
    starts = [
        _positions(s, w, st) for s, w, st in zip(spatial, window, stride, strict=True)
    ]
    masks = []
    for corner in itertools.product(*starts):
        mask = np.zeros(spatial, dtype=bool)
        mask[tuple(slice(c, c + w) for c, w in zip(corner, window, strict=True))] = True
        masks.append(mask)
    masks = np.stack(masks)  # (P, *spatial)
    if len(spatial) < len(shape):
        masks = np.broadcast_to(masks[..., None], (len(masks), *shape))
    P = len(masks)
    rows = np.arange(n)
    f0 = forward(model, X, output=output)[rows, t]
    drop = np.empty((n, P))
    chunk = max(1, MAX_ROWS // P)
    for i in range(0, n, chunk):
        xi, bi = X[i : i + chunk], B[i : i + chunk]
        m = xi.shape[0]
        copies = np.where(masks[None], bi[:, None], xi[:, None])  # (m, P, *shape)
        f = forward(model, copies.reshape(m * P, *shape), output=output)
        f = f[np.arange(m * P), np.repeat(t[i : i + chunk], P)].reshape(m, P)
        drop[i : i + chunk] = f0[i : i + chunk, None] - f
    count = masks.sum(axis=0)  # >= 1 everywhere: the stride never skips
    flat = masks.reshape(P, -1).astype(np.float64)
    total = drop @ flat  # (n, prod(shape))
    return (total / count.reshape(-1)).reshape(n, *shape)
