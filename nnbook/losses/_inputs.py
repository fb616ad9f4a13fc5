"""Input checks shared by the loss functions and the gradient checker."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_array

__all__ = ["as_float", "pair", "check_prob", "n_rows", "check_rows"]


def as_float(a: Any, name: str) -> np.ndarray:
    """A finite, non-empty float array (:func:`nnbook._checks.check_array`).

    Float input keeps its dtype (float32 stays float32); the rest is float64.
    """
    arr = check_array(a, name)
    dtype = np.asarray(a).dtype
    return arr.astype(dtype) if np.issubdtype(dtype, np.floating) else arr


def pair(y: Any, other: Any, other_name: str) -> tuple[np.ndarray, np.ndarray]:
    y = as_float(y, "y")
    other = as_float(other, other_name)
    if y.shape != other.shape:
        raise ValueError(
            f"y and {other_name} must have the same shape, got {y.shape} and "
            f"{other.shape}"
        )
    return y, other


def check_prob(p: np.ndarray, name: str) -> np.ndarray:
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values in "
            f"[{p.min():.3g}, {p.max():.3g}]"
        )
    return p


def n_rows(y: np.ndarray) -> int:
    """Number of samples: the first axis (rows for one-hot targets)."""
    return y.shape[0] if y.ndim > 0 else 1


def check_rows(Y: np.ndarray, name: str) -> None:
    if Y.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n, n_classes), got shape {Y.shape}")
