"""Argument checks shared by the package: clear errors instead of TF traces."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = [
    "FLOAT32_MAX",
    "check_array",
    "check_int",
    "check_real",
    "check_matrix",
    "check_labels",
    "check_class_labels",
    "check_choice",
    "check_sequence",
]

#: The largest finite float32 (about 3.4e38). Data that a float32 model sees
#: must stay below it, or the cast turns it into ``inf`` and every result NaN.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_array(
    value: Any,
    name: str,
    *,
    finite: bool = True,
    allow_empty: bool = False,
    max_abs: float | None = None,
) -> np.ndarray:
    """The one way arrays enter the package: a real float64 array, or an error.

    Every argument that carries data goes through here (directly, or through
    :func:`check_matrix` and ``nnbook.explain._core.check_inputs``), so the
    same inputs are refused everywhere with the same message:

    - masked arrays (``np.ma``): the mask would be dropped silently, so they
      are refused; fill them first (``X.filled(value)``) or drop the rows;
    - complex numbers: the imaginary part would be dropped silently;
    - strings, objects, ``None`` and ragged lists: not numbers;
    - NaN and infinities (unless ``finite=False``);
    - values above ``max_abs`` in size, e.g. :data:`FLOAT32_MAX` where the
      data is cast to float32 (they would overflow to ``inf``).

    Booleans and integers are converted to float64.

    Args:
        value: The argument to check (array-like).
        name: The argument's name, used in every message.
        finite: Refuse NaN and infinite values.
        allow_empty: Accept an array with no elements.
        max_abs: The largest allowed ``|value|``, or ``None``.

    Returns:
        np.ndarray: A float64 array (a copy if a conversion was needed).

    Raises:
        TypeError: If ``value`` is masked, complex or not numeric.
        ValueError: If it is empty, holds NaN or infinite values, or
            exceeds ``max_abs``.
    """
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{name} must be a plain array, got a masked array: its mask would be "
            f"ignored; pass {name}.filled(value) or drop the masked rows"
        )
    if value is None or isinstance(value, str | bytes | dict | set):
        raise TypeError(
            f"{name} must be an array of numbers, got {type(value).__name__}"
        )
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(
            f"{name} must be a rectangular array of numbers, got "
            f"{type(value).__name__} ({exc})"
        ) from exc
    if np.iscomplexobj(arr):
        raise TypeError(
            f"{name} must hold real numbers, got dtype {arr.dtype}; pass "
            f"{name}.real or abs({name}) explicitly"
        )
    if arr.dtype != bool and not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    if max_abs is not None and arr.size and np.nanmax(np.abs(arr)) > max_abs:
        raise ValueError(
            f"{name} holds values of size up to {np.nanmax(np.abs(arr)):.3g}, above "
            f"{max_abs:.3g}: the model computes in float32, where they overflow; "
            "rescale the data or build the model in float64"
        )
    return arr


def check_sequence(value: Any, name: str, *, min_len: int = 0) -> list:
    """Return ``value`` as a list, refusing strings, mappings and non-iterables.

    A string is iterable, so ``layers="conv1"`` would otherwise be read as the
    layers ``"c"``, ``"o"``, ...; this check says what was meant instead.

    Raises:
        TypeError: If ``value`` is a string, a mapping or not iterable.
        ValueError: If it has fewer than ``min_len`` items.
    """
    if isinstance(value, str | bytes):
        raise TypeError(
            f"{name} must be a list, got the string {value!r}; pass [{value!r}]"
        )
    if isinstance(value, dict) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a list or tuple, got {type(value).__name__}")
    items = list(value)
    if len(items) < min_len:
        raise ValueError(
            f"{name} must have at least {min_len} item(s), got {len(items)}"
        )
    return items


def check_int(
    value: Any,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    why: str | None = None,
) -> int:
    """Return ``value`` as an ``int`` or raise a clear error.

    Args:
        value: The argument to check.
        name: The argument's name, used in the message.
        low: The smallest allowed value (inclusive), or ``None``.
        high: The largest allowed value (inclusive), or ``None``.
        why: The reason for ``high``, added to its message (size arguments
            are bounded so that a typo cannot run for minutes or fill memory).

    Raises:
        TypeError: If ``value`` is not an integer (``bool`` is refused).
        ValueError: If ``value`` lies outside ``[low, high]``.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if why is not None and high is not None and value > high:
        raise ValueError(f"{name} must be <= {high} ({why}), got {value}")
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
    X: Any,
    name: str = "X",
    *,
    n_features: int | None = None,
    max_abs: float | None = None,
) -> np.ndarray:
    """Return ``X`` as a finite 2-D float array or raise a clear error.

    Args:
        X: Array-like of shape ``(n_samples, n_features)``.
        name: The argument's name, used in the message.
        n_features: The expected number of columns, or ``None`` for any.
        max_abs: The largest allowed ``|value|`` (see :func:`check_array`).

    Returns:
        np.ndarray: ``X`` as a float64 array ``(n_samples, n_features)``.

    Raises:
        TypeError: If ``X`` is not numeric, complex or masked.
        ValueError: If ``X`` is not 2-D, is empty, has the wrong number of
            columns, or holds NaN or infinite values.
    """
    arr = check_array(X, name, finite=False, allow_empty=True)
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
    if arr.shape[1] == 0:
        raise ValueError(
            f"{name} must have at least one feature, got shape {arr.shape}"
        )
    return check_array(arr, name, max_abs=max_abs)


def _label_array(y: Any, n_samples: int, name: str) -> np.ndarray:
    if isinstance(y, np.ma.MaskedArray):
        raise TypeError(f"{name} must be a plain array, got a masked array")
    if y is None or isinstance(y, str | bytes):
        raise TypeError(f"{name} must be an array of labels, got {type(y).__name__}")
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name} must be a 1-D array of labels ({exc})") from exc
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} must have shape ({n_samples},) to match X, got {arr.shape}"
        )
    if np.iscomplexobj(arr) or (
        arr.dtype != bool and not np.issubdtype(arr.dtype, np.number)
    ):
        raise TypeError(
            f"{name} must hold integer class labels, got dtype {arr.dtype}; encode "
            "string labels first, e.g. with sklearn.preprocessing.LabelEncoder"
        )
    return arr


def check_labels(y: Any, n_samples: int, name: str = "y") -> np.ndarray:
    """Return binary labels ``y`` as a 1-D array or raise a clear error.

    The one label check for binary models: every label must be exactly 0 or
    1 (``True``/``False`` and ``0.0``/``1.0`` are accepted). Other encodings
    are refused, never re-encoded silently: ``{1, 2}`` or ``{-1, 1}`` would
    make every "1" the wrong class for a sigmoid output, and ``0.7`` is not a
    class at all. The message says how to re-encode.

    Args:
        y: Array-like of shape ``(n_samples,)`` (or ``(n_samples, 1)``)
            with values 0 and 1.
        n_samples: The number of rows of the matching ``X``.
        name: The argument's name, used in the message.

    Returns:
        np.ndarray: ``y`` of shape ``(n_samples,)``, its dtype kept.

    Raises:
        TypeError: If ``y`` holds strings, objects or complex numbers.
        ValueError: If ``y`` has the wrong length or values other than 0 and 1.
    """
    arr = _label_array(y, n_samples, name)
    if not np.all(np.isin(arr, (0, 1))):
        values = np.unique(arr[np.isfinite(arr)]) if arr.size else arr
        shown = ", ".join(f"{v:g}" for v in values[:5])
        hint = ""
        finite = bool(np.all(np.isfinite(arr)))
        if finite and values.size == 2 and np.all(values == np.round(values)):
            hint = f"; re-encode them, e.g. ({name} == {values[1]:g}).astype(int)"
        raise ValueError(
            f"{name} must hold binary labels 0 and 1, got values {{{shown}}}"
            f"{'...' if values.size > 5 else ''}"
            f"{'' if finite else ' and NaN'}{hint}"
        )
    return arr


def check_class_labels(
    y: Any, n_samples: int, n_classes: int, name: str = "y"
) -> np.ndarray:
    """Return class labels ``0..n_classes-1`` as a 1-D int array, or raise.

    For a single-output (sigmoid) model pass ``n_classes=2``: the labels
    must then be 0 and 1 exactly as :func:`check_labels` requires.

    Raises:
        TypeError: If ``y`` holds strings, objects or complex numbers.
        ValueError: If ``y`` has the wrong length or a label outside
            ``0..n_classes-1`` (or a non-integer label).
    """
    if n_classes <= 2:
        return check_labels(y, n_samples, name).astype(np.int64)
    arr = _label_array(y, n_samples, name)
    ok = np.isfinite(arr) & (arr == np.round(arr)) & (arr >= 0) & (arr < n_classes)
    if not np.all(ok):
        bad = arr[~ok][0]
        raise ValueError(
            f"{name} must hold integer class labels 0..{n_classes - 1} (one per "
            f"output of the model), got {float(bad):g}"
        )
    return arr.astype(np.int64)


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value
