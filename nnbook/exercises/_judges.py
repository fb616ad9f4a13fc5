"""Judges: compare an answer with the reference and say what is off.

A judge never formats the reference answer into its message: it may say the
expected *shape* or *type* (the exercise states them anyway), the relative
error, or the kind of mistake (a flipped sign, the sigmoid's slope, a
constant factor, the right values in the wrong order), and it passes on the
exercise's own hints.

Three judges cover the book's exercises:

- :class:`Numeric` for numbers and arrays (a gradient, a count, a threshold);
- :class:`Choice` for one option out of a few (a column role, a prediction);
- :class:`Judged` for answers that are right in more than one way (any
  threshold with the lowest cost), judged by a function of the exercise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = [
    "Verdict",
    "Mistake",
    "Numeric",
    "Choice",
    "Judged",
    "relative_error",
]

#: A judge's result: is the answer right, and what to tell the learner.
Verdict = tuple[bool, list[str]]


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``max|a - b| / max(max|a|, max|b|)``, the book's relative error.

    Args:
        a: An array of numbers.
        b: An array of numbers of the same shape.

    Returns:
        float: 0 when both are all zeros.
    """
    scale = max(
        float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0))
    )
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(a - b), initial=0.0)) / scale


def _fmt_error(err: float) -> str:
    return f"{err:.1e}"


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer, computed from the exercise's context, and its hint.

    Attributes:
        hint: What the learner most likely did, and what to do instead.
        value: ``value(**context)`` computes the wrong answer (for a
            :class:`Numeric` judge); ``None`` for a :class:`Choice`, whose
            wrong options carry their hints in :attr:`Choice.hints`.
    """

    hint: str
    value: Callable[..., Any] | None = None


def _as_numbers(answer: Any) -> np.ndarray | None:
    """The answer as a float64 array, or ``None`` if it does not hold numbers."""
    if isinstance(answer, (str, bytes)) or callable(answer):
        return None
    try:
        arr = np.asarray(answer)
    except (TypeError, ValueError):
        return None
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        return None
    return arr.astype(np.float64)


def _type_name(answer: Any) -> str:
    return type(answer).__name__


def _describe_shape(shape: tuple[int, ...]) -> str:
    return "a single number" if shape == () else f"an array of shape {shape}"


def _describe_numbers(shape: tuple[int, ...]) -> str:
    return "a number" if shape == () else f"an array of numbers of shape {shape}"


@dataclass(frozen=True)
class Numeric:
    """Judge a number or an array of numbers against a reference.

    The answer is right when ``np.allclose(answer, reference, rtol, atol)``
    and it has the reference's shape. When it is not, the judge looks, in
    this order, for: the wrong type; NaN or infinite values; the wrong shape
    (the right values reshaped, transposed, or broadcast against each
    other); one of the exercise's :class:`Mistake` values; a flipped sign;
    a factor of the sigmoid's slope ``p(1 - p)`` (when the exercise gives
    :attr:`slope`); the right values in another order; a constant factor;
    and last, a value that is close but not equal, with the relative error.

    Attributes:
        rtol: Relative tolerance of ``np.allclose``.
        atol: Absolute tolerance of ``np.allclose``.
        integer: If true, the answer must be a whole number (a count).
        slope: ``slope(**context)`` gives the sigmoid's slope ``p(1 - p)``,
            broadcastable against the reference; ``None`` skips that check.
    """

    rtol: float = 1e-6
    atol: float = 1e-9
    integer: bool = False
    slope: Callable[..., Any] | None = None

    def _close(self, a: np.ndarray, b: np.ndarray) -> bool:
        return a.shape == b.shape and bool(
            np.allclose(a, b, rtol=self.rtol, atol=self.atol)
        )

    def judge(
        self,
        answer: Any,
        reference: Any,
        context: Mapping[str, Any],
        mistakes: tuple[Mistake, ...] = (),
    ) -> Verdict:
        """Compare ``answer`` with ``reference``.

        Args:
            answer: The learner's answer.
            reference: The expected answer (a number or an array).
            context: The chapter objects the exercise was checked with.
            mistakes: The exercise's typical wrong answers.

        Returns:
            Verdict: ``(right, lines)``.
        """
        ref = np.asarray(reference, dtype=np.float64)
        want = _describe_shape(ref.shape)
        if isinstance(answer, bool) or isinstance(answer, np.bool_):
            return False, [f"Expected {want}, got a truth value ({answer!r})."]
        ans = _as_numbers(answer)
        if ans is None:
            extra = (
                " Call the function and pass its result." if callable(answer) else ""
            )
            return False, [
                f"Expected {_describe_numbers(ref.shape)}, got {_type_name(answer)}."
                f"{extra}"
            ]
        if not np.all(np.isfinite(ans)):
            return False, [
                "Your answer holds NaN or infinite values: look for a division by "
                "zero or the log of zero, or an exp that overflows."
            ]
        if self.integer and ref.shape == ():
            if ans.shape == () and not (
                isinstance(answer, Integral) or float(ans) == round(float(ans))
            ):
                lines = ["Expected a whole number (a count), got a fraction."]
                return False, lines + self._mistake_lines(ans, context, mistakes)
        if ans.shape != ref.shape:
            return False, self._shape_lines(ans, ref, want)
        if self._close(ans, ref):
            return True, []
        lines = self._mistake_lines(ans, context, mistakes)
        if lines:
            return False, lines
        return False, self._generic_lines(ans, ref, context)

    def _mistake_lines(
        self, ans: np.ndarray, context: Mapping[str, Any], mistakes: tuple[Mistake, ...]
    ) -> list[str]:
        for mistake in mistakes:
            if mistake.value is None:
                continue
            wrong = np.asarray(mistake.value(**context), dtype=np.float64)
            if self._close(ans, wrong):
                return [mistake.hint]
        return []

    def _shape_lines(self, ans: np.ndarray, ref: np.ndarray, want: str) -> list[str]:
        got = _describe_shape(ans.shape)
        lines = [f"Expected {want}, got {got}."]
        if ans.size == ref.size and ref.size > 0:
            if np.allclose(ans.reshape(ref.shape), ref, rtol=self.rtol, atol=self.atol):
                lines.append(
                    "The numbers are right: reshape them (for example with "
                    "`.ravel()` or `[:, 0]`)."
                )
            elif (
                ans.ndim == 2
                and ans.shape[::-1] == ref.shape
                and np.allclose(ans.T, ref, rtol=self.rtol, atol=self.atol)
            ):
                lines.append("The numbers are right but transposed: use `.T`.")
        elif ref.ndim == 1 and ans.ndim == 2 and ans.shape == (ref.size, ref.size):
            lines.append(
                "A square result often means broadcasting: an array of shape "
                "(n, 1) met one of shape (n,). Flatten the column first "
                "(`[:, 0]` or `.ravel()`)."
            )
        return lines

    def _generic_lines(
        self, ans: np.ndarray, ref: np.ndarray, context: Mapping[str, Any]
    ) -> list[str]:
        if np.any(ref != 0) and self._close(ans, -ref):
            return [
                "The sign is flipped: your answer is the negative of the expected one."
            ]
        if self.slope is not None:
            s = np.asarray(self.slope(**context), dtype=np.float64)
            if self._close(ans, ref * s):
                return [
                    "Off by the sigmoid's slope: your answer is the expected one "
                    "times p(1 - p). Look for a derivative of the sigmoid that "
                    "should not be there (or that should cancel)."
                ]
            if np.all(s != 0) and self._close(ans, ref / s):
                return [
                    "Off by the sigmoid's slope: your answer is the expected one "
                    "divided by p(1 - p). The chain rule multiplies by the "
                    "sigmoid's derivative; did you leave it out?"
                ]
        if ref.size > 1 and self._close(
            np.sort(ans, axis=None), np.sort(ref, axis=None)
        ):
            return ["These are the right values in the wrong order."]
        err = relative_error(ans, ref)
        norm = float(ref.ravel() @ ref.ravel())
        if ref.size > 1 and norm > 0 and err >= 0.1:
            factor = float(ans.ravel() @ ref.ravel()) / norm
            if factor != 0.0 and self._close(ans, factor * ref):
                return [
                    "Your answer is proportional to the expected one but scaled by "
                    "a constant factor: look for a missing or extra constant, such "
                    "as a mean instead of a sum, or a factor of 2."
                ]
        if err < 0.1:
            return [
                f"Close, but not equal: the relative error is {_fmt_error(err)}; "
                f"it must be below {self.rtol:.0e}."
            ]
        if ref.shape == ():
            side = "large" if float(ans) > float(ref) else "small"
            return [
                f"Not right: your value is too {side} "
                f"(relative error {_fmt_error(err)})."
            ]
        off = int(np.sum(~np.isclose(ans, ref, rtol=self.rtol, atol=self.atol)))
        return [
            f"Not right: {off} of {ref.size} values differ (relative error "
            f"{_fmt_error(err)})."
        ]


@dataclass(frozen=True)
class Choice:
    """Judge one option out of a few (a prediction, a column role, a class).

    The answer is compared as text, without regard to case or surrounding
    spaces. A wrong option gets its own hint from :attr:`hints`; the judge
    never names the right option.

    Attributes:
        options: The allowed answers, as the statement lists them.
        hints: A hint for each wrong option, keyed by the option.
    """

    options: tuple[str, ...]
    hints: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.hints) - set(self.options)
        if unknown:
            raise ValueError(f"hints for unknown options: {sorted(unknown)}")

    def normalize(self, answer: Any) -> str | None:
        """The option ``answer`` names, or ``None`` if it names none."""
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (str, Real)):
            return None
        text = str(answer).strip().lower()
        for option in self.options:
            if option.lower() == text:
                return option
        return None

    def judge(
        self,
        answer: Any,
        reference: Any,
        context: Mapping[str, Any],
        mistakes: tuple[Mistake, ...] = (),
    ) -> Verdict:
        """Compare the chosen option with the reference option.

        Args:
            answer: The learner's choice, a string (``"noise"``).
            reference: The right option.
            context: Unused; accepted for a uniform interface.
            mistakes: Unused; a choice's hints live in :attr:`hints`.

        Returns:
            Verdict: ``(right, lines)``.
        """
        listed = ", ".join(f'"{o}"' for o in self.options)
        if not isinstance(answer, str):
            return False, [
                f"Expected one of the options as a string ({listed}), "
                f"got {_type_name(answer)}."
            ]
        chosen = self.normalize(answer)
        if chosen is None:
            return False, [f"{answer.strip()!r} is not one of the options: {listed}."]
        if chosen == reference:
            return True, []
        return False, [self.hints.get(chosen, "That is not what the experiment shows.")]


@dataclass(frozen=True)
class Judged:
    """Judge with a function of the exercise, for answers right in several ways.

    Attributes:
        judge_fn: ``judge_fn(answer, reference, **context) -> Verdict``. It
            must not put the reference into its lines.
    """

    judge_fn: Callable[..., Verdict]

    def judge(
        self,
        answer: Any,
        reference: Any,
        context: Mapping[str, Any],
        mistakes: tuple[Mistake, ...] = (),
    ) -> Verdict:
        """Call :attr:`judge_fn` (mistakes are its business).

        Args:
            answer: The learner's answer.
            reference: What the exercise's reference computes.
            context: The chapter objects.
            mistakes: Unused.

        Returns:
            Verdict: ``(right, lines)``.
        """
        return self.judge_fn(answer, reference, **context)
