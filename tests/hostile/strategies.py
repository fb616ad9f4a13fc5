"""Hostile inputs for the property-based suite, and the one property.

Every public function that takes data must, for any input, either raise
``ValueError``/``TypeError`` with a message naming the argument, or return
a finite result of the documented shape. :func:`check_outcome` is that
property; the strategies draw arrays of random shapes, dtypes and values
(NaN, inf, huge, empty, complex, masked, strings), label encodings and
sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: One profile for the whole suite: reproducible in CI, no timing flakiness.
HOSTILE = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: For properties whose valid examples train a model (about 1 s each).
HOSTILE_SLOW = settings(HOSTILE, max_examples=8)

SPECIAL = [np.nan, np.inf, -np.inf, 1e39, -1e39, 1e308, 0.0, 1.0, -1.0]
KINDS = ("float64", "float32", "int", "bool", "complex", "masked", "str", "object")


def _values(kind: str, shape: tuple[int, ...], draw) -> Any:
    n = int(np.prod(shape)) if shape else 1
    base = draw(
        st.lists(
            st.one_of(
                st.floats(-3, 3, allow_nan=False),
                st.sampled_from(SPECIAL),
            ),
            min_size=n,
            max_size=n,
        )
    )
    arr = np.asarray(base, dtype=np.float64).reshape(shape)
    if kind == "float64":
        return arr
    if kind == "float32":
        with np.errstate(over="ignore"):
            return arr.astype(np.float32)
    clean = np.nan_to_num(arr, nan=0.0, posinf=1.0, neginf=-1.0).clip(-5, 5)
    if kind == "int":
        return clean.astype(np.int64)
    if kind == "bool":
        return clean > 0
    if kind == "complex":
        return clean + 1j * clean
    if kind == "masked":
        return np.ma.masked_array(clean, mask=clean > 0)
    if kind == "str":
        return clean.astype(str)
    return clean.astype(object)


@st.composite
def arrays(draw, shapes: Iterable[tuple[int, ...]], kinds: Iterable[str] = KINDS):
    """An array of one of ``shapes`` (or a random other shape) and ``kinds``."""
    shapes = list(shapes)
    random_shape = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)
    shape = draw(st.one_of(st.sampled_from(shapes), random_shape))
    kind = draw(st.sampled_from(list(kinds)))
    return _values(kind, shape, draw)


@st.composite
def labels(draw, n: int):
    """Labels for ``n`` samples: valid 0/1, or a hostile encoding."""
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    y01 = rng.integers(0, 2, n)
    y01[:2] = (0, 1)
    choice = draw(
        st.sampled_from(
            ["01", "bool", "float01", "12", "pm1", "0.7", "str", "short", "nan", "2d"]
        )
    )
    return {
        "01": y01,
        "bool": y01.astype(bool),
        "float01": y01.astype(float),
        "12": y01 + 1,
        "pm1": 2 * y01 - 1,
        "0.7": np.where(y01 == 1, 0.7, 0.0),
        "str": np.where(y01 == 1, "yes", "no"),
        "short": y01[:-1],
        "nan": np.where(y01 == 1, np.nan, 0.0),
        "2d": np.stack([y01, y01], axis=1),
    }[choice]


def is_valid_labels(y: Any, n: int) -> bool:
    arr = np.asarray(y)
    return (
        arr.shape == (n,)
        and arr.dtype.kind in "biuf"
        and bool(np.all(np.isin(arr, (0, 1))))
    )


def is_valid_array(
    X: Any, shape: tuple[int, ...] | None = None, *, max_abs: float = np.inf
) -> bool:
    """Whether ``X`` is data the package must accept (real, finite, in range)."""
    if isinstance(X, np.ma.MaskedArray):
        return False
    arr = np.asarray(X)
    if arr.dtype.kind not in "biuf" or arr.size == 0:
        return False
    if shape is not None and arr.shape != shape:
        return False
    with np.errstate(over="ignore", invalid="ignore"):
        vals = arr.astype(np.float64)
    return bool(np.all(np.isfinite(vals)) and np.all(np.abs(vals) <= max_abs))


def check_outcome(
    call: Callable[[], Any],
    names: Iterable[str],
    check_result: Callable[[Any], None],
    *,
    valid: bool | None = None,
) -> Any:
    """The property: a clear error naming an argument, or a good result.

    Args:
        call: The call under test.
        names: Argument names; the error message must contain one of them.
        check_result: Asserts the result's documented shape and finiteness.
        valid: ``True`` if the input is valid (the call must succeed),
            ``False`` if not (it must raise: no silent wrong answer), or
            ``None`` if either outcome is fine.

    Returns:
        The result, or ``None`` if the call raised a clear error.
    """
    names = list(names)
    try:
        result = call()
    except (ValueError, TypeError) as exc:
        message = str(exc)
        assert any(name in message for name in names), (
            f"{type(exc).__name__} does not name any of {names}: {message}"
        )
        assert valid is not True, f"valid input refused: {message}"
        return None
    assert valid is not False, "invalid input accepted without an error"
    check_result(result)
    return result


def finite_of_shape(shape: tuple[int, ...] | Callable[[], tuple[int, ...]]):
    """A ``check_result`` for float arrays of one shape, all finite."""

    def check(result: Any) -> None:
        want = shape() if callable(shape) else shape
        arr = np.asarray(result)
        assert arr.shape == want, (arr.shape, want)
        assert arr.dtype.kind == "f"
        assert np.all(np.isfinite(arr))

    return check
