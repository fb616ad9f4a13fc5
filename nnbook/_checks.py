"""Argument checks shared by the package: clear errors instead of TF traces."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = [
    "check_int",
    "check_real",
    "check_matrix",
    "check_labels",
    "check_choice",
]


def check_int(
    value: Any, name: str, *, low: int | None = None, high: int | None = None
) -> int:
    """Return ``value`` as an ``int`` or raise a clear error.

    Args:
        value: The argument to check.
        name: The argument's name, used in the message.
        low: The smallest allowed value (inclusive), or ``None``.
        high: The largest allowed value (inclusive), or ``None``.

    Raises:
        TypeError: If ``value`` is not an integer (``bool`` is refused).
        ValueError: If ``value`` lies outside ``[low, high]``.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    _check_range(value, name, low, high)
    return value


def check_real(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` or raise a clear error.

    Args:
        value: The argument to check.
        name: The argument's name, used in the message.
        low: The smallest allowed value, or ``None``.
        high: The largest allowed value (inclusive), or ``None``.
        low_open: If true, ``low`` itself is not allowed (``value > low``).

    Raises:
        TypeError: If ``value`` is not a real number.
        ValueError: If ``value`` is not finite or lies outside the range.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low_open and low is not None and value <= low:
        raise ValueError(f"{name} must be > {low}, got {value}")
    _check_range(value, name, low, high)
    return value


def _check_range(value: float, name: str, low: float | None, high: float | None):
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}")


def check_matrix(
    X: Any, name: str = "X", *, n_features: int | None = None
) -> np.ndarray:
    """Return ``X`` as a finite 2-D float array or raise a clear error.

    Args:
        X: Array-like of shape ``(n_samples, n_features)``.
        name: The argument's name, used in the message.
        n_features: The expected number of columns, or ``None`` for any.

    Returns:
        np.ndarray: ``X`` as an array of shape ``(n_samples, n_features)``.

    Raises:
        TypeError: If ``X`` is not numeric.
        ValueError: If ``X`` is not 2-D, is empty, has the wrong number of
            columns, or holds NaN or infinite values.
    """
    try:
        arr = np.asarray(X)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise TypeError(f"{name} must be array-like, got {type(X).__name__}") from exc
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must have at least one sample, got shape {arr.shape}")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} features (columns), got {arr.shape[1]}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return arr


def check_labels(y: Any, n_samples: int, name: str = "y") -> np.ndarray:
    """Return binary labels ``y`` as a 1-D array or raise a clear error.

    Args:
        y: Array-like of shape ``(n_samples,)`` with values 0 and 1.
        n_samples: The number of rows of the matching ``X``.
        name: The argument's name, used in the message.

    Raises:
        ValueError: If ``y`` has the wrong length or values other than 0 and 1.
    """
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} must have shape ({n_samples},) to match X, got {arr.shape}"
        )
    if not np.all(np.isin(arr, (0, 1))):
        raise ValueError(f"{name} must hold binary labels 0 and 1")
    return arr


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value
