"""Exercises, their registry, and :func:`check`.

An exercise is data: its statement and solution (MyST and Python, rendered
into the chapter by ``scripts/exercises.py``), the code of its answer cell,
the chapter objects it needs, a *reference* that computes the expected
answer from those objects, a judge, hints, and typical wrong answers with
the hint each must produce (CI runs them all: ``tests/exercises``).

Exercise ids name the chapter by its topic, not its number (``"loss.2"``),
so that renumbering the chapters does not change them. Each chapter's
exercises live in ``nnbook/exercises/chapters/<topic>.py`` and are imported
the first time one of them is checked.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ._feedback import Feedback
from ._judges import Choice, Judged, Mistake, Numeric

__all__ = [
    "CHAPTERS",
    "Exercise",
    "WrongAnswer",
    "check",
    "get_exercise",
    "exercises",
    "register",
]

#: Chapter topic -> the chapter's file stem. Renumbering a chapter changes
#: this table only; exercise ids use the topic.
CHAPTERS: dict[str, str] = {
    "background": "01_background",
    "concepts": "02_concepts",
    "training_loop": "03_training_loop",
    "loss": "04_loss",
    "project": "05_project",
    "explaining": "06_explaining",
    "images": "07_images",
    "text": "08_text",
    "tools": "09_tools",
    "summary": "10_summary",
    "faq": "11_faq",
}

Kind = Literal["code", "prediction", "value", "choice"]
_ID = re.compile(r"^([a-z_]+)\.([1-9])$")
_REGISTRY: dict[str, Exercise] = {}


@dataclass(frozen=True)
class WrongAnswer:
    """A typical wrong answer, as code, and a phrase its feedback must contain.

    CI runs the answer cell with :attr:`code` in place of the placeholder and
    asserts that the checker says "not right yet" and that the feedback
    contains :attr:`expect`.

    Attributes:
        code: Python that assigns the exercise's answer name.
        expect: A phrase of the intended hint.
    """

    code: str
    expect: str


@dataclass(frozen=True)
class Exercise:
    """One exercise at the end of a chapter.

    Attributes:
        id: ``"<topic>.<n>"``, for example ``"loss.2"``.
        title: A short title, shown by sphinx-exercise and the checker.
        kind: ``"code"`` (write code), ``"prediction"`` (predict the outcome
            of an experiment, then run it), ``"value"`` (compute a number)
            or ``"choice"`` (pick an option).
        level: 1 (easy), 2 (medium) or 3 (hard).
        statement: The exercise in MyST markdown.
        solution: The reference solution: Python that assigns
            :attr:`answer_name`, run by CI in the answer cell's place.
        explanation: MyST shown after the solution's code (why it works).
        answer_name: The variable the answer cell assigns.
        answer_comment: The comment after the placeholder (what to write).
        setup: Python run before the answer, in the answer cell.
        check_args: The keyword arguments of the ``check`` call, as code.
        needs: The chapter objects the answer cell uses (names that must
            exist when it runs); documentation, and the fixtures of CI.
        reference: ``reference(**context)`` computes the expected answer
            from the keyword arguments of ``check``. It may call methods of
            the objects it is given (a Keras model's ``predict``), and never
            imports TensorFlow or another part of ``nnbook``.
        judge: How answers are compared (:class:`Numeric`, :class:`Choice`
            or :class:`Judged`).
        hint: Shown with "not answered yet": where to start.
        mistakes: Typical wrong answers the checker recognises, with hints.
        wrong_answers: Typical wrong answers as code, for CI.
        placeholder: What the stored chapter's answer cell holds.
    """

    id: str
    title: str
    kind: Kind
    level: int
    statement: str
    solution: str
    answer_name: str
    answer_comment: str
    check_args: str
    needs: tuple[str, ...]
    reference: Callable[..., Any]
    judge: Numeric | Choice | Judged
    hint: str
    wrong_answers: tuple[WrongAnswer, ...]
    explanation: str = ""
    setup: str = ""
    mistakes: tuple[Mistake, ...] = ()
    placeholder: str = "..."
    context_names: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        match = _ID.match(self.id)
        if not match or match.group(1) not in CHAPTERS:
            raise ValueError(
                f"exercise id {self.id!r} must be '<topic>.<1-9>' "
                f"with a topic in {sorted(CHAPTERS)}"
            )
        if self.kind not in ("code", "prediction", "value", "choice"):
            raise ValueError(
                f"kind must be code, prediction, value or choice, got {self.kind!r}"
            )
        if self.level not in (1, 2, 3):
            raise ValueError(f"level must be 1, 2 or 3, got {self.level!r}")
        if self.placeholder not in ("...", "None"):
            raise ValueError("placeholder must be '...' or 'None'")
        names = tuple(re.findall(r"(\w+)\s*=", self.check_args))
        object.__setattr__(self, "context_names", names)

    @property
    def topic(self) -> str:
        """The chapter's topic, for example ``"loss"``."""
        return self.id.split(".")[0]

    @property
    def chapter(self) -> str:
        """The chapter's file stem, for example ``"04_loss"``."""
        return CHAPTERS[self.topic]

    @property
    def label(self) -> str:
        """The MyST label of the exercise directive, for example ``ex-loss-2``."""
        return "ex-" + self.id.replace(".", "-").replace("_", "-")

    @property
    def check_call(self) -> str:
        """The ``check(...)`` line of the answer cell."""
        args = f", {self.check_args}" if self.check_args else ""
        return f'check("{self.id}", {self.answer_name}{args})'

    def answer_cell(self, answer: str | None = None) -> str:
        """The answer cell's code, with the placeholder or with ``answer``.

        Args:
            answer: Code that assigns :attr:`answer_name`; ``None`` puts the
                placeholder line there, as the stored chapter does.

        Returns:
            str: Setup, the answer, and the ``check`` call.
        """
        if answer is None:
            answer = f"{self.answer_name} = {self.placeholder}  # {self.answer_comment}"
        parts = [
            f"# Exercise {self.id}: replace the {self.placeholder} with your answer."
        ]
        if self.setup.strip():
            parts.append(self.setup.strip())
        parts += [answer.strip(), self.check_call]
        return "\n".join(parts)

    def check(self, answer: Any, **context: Any) -> Feedback:
        """Judge ``answer``; see :func:`check`."""
        missing = [n for n in self.context_names if n not in context]
        extra = [n for n in context if n not in self.context_names]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing keyword arguments {missing}")
            if extra:
                parts.append(f"unexpected keyword arguments {extra}")
            raise TypeError(
                f"check({self.id!r}, ...) takes {list(self.context_names) or 'no'} "
                f"keyword arguments: {'; '.join(parts)}"
            )
        if answer is ... or answer is None:
            lines = [
                f"Replace the {self.placeholder} in `{self.answer_name} = "
                f"{self.placeholder}` with your answer and run the cell again.",
                f"Hint: {self.hint}",
            ]
            return Feedback(self.id, self.title, "pending", tuple(lines))
        try:
            expected = self.reference(**context)
        except Exception as err:  # a wrong object passed as context
            raise TypeError(
                f"check({self.id!r}, ...): the keyword arguments "
                f"{list(self.context_names)} must be the chapter's objects named in "
                f"the answer cell; computing the reference failed with "
                f"{type(err).__name__}: {err}"
            ) from err
        right, lines = self.judge.judge(answer, expected, context, self.mistakes)
        return Feedback(
            self.id, self.title, "right" if right else "wrong", tuple(lines)
        )


def register(*new: Exercise) -> None:
    """Add exercises to the registry (each chapter module calls this once).

    Args:
        *new: The chapter's exercises.

    Raises:
        ValueError: If an id is registered twice.
    """
    for exercise in new:
        if exercise.id in _REGISTRY and _REGISTRY[exercise.id] is not exercise:
            raise ValueError(f"exercise {exercise.id!r} is registered twice")
        _REGISTRY[exercise.id] = exercise


def _load(topic: str) -> None:
    importlib.import_module(f"nnbook.exercises.chapters.{topic}")


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id.

    Args:
        exercise_id: For example ``"loss.2"``.

    Returns:
        Exercise: The registered exercise.

    Raises:
        TypeError: If ``exercise_id`` is not a string.
        ValueError: If there is no such exercise.
    """
    if not isinstance(exercise_id, str):
        raise TypeError(
            f"exercise_id must be a string such as 'loss.2', got "
            f"{type(exercise_id).__name__}"
        )
    topic = exercise_id.split(".")[0]
    if topic not in CHAPTERS:
        raise ValueError(
            f"no exercise {exercise_id!r}: the chapter topic must be "
            f"one of {sorted(CHAPTERS)}"
        )
    _load(topic)
    if exercise_id not in _REGISTRY:
        known = sorted(k for k in _REGISTRY if k.startswith(topic + "."))
        raise ValueError(f"no exercise {exercise_id!r}; chapter {topic!r} has {known}")
    return _REGISTRY[exercise_id]


def exercises(topic: str | None = None) -> list[Exercise]:
    """All registered exercises, in chapter order, or those of one chapter.

    Args:
        topic: A chapter topic such as ``"loss"``; ``None`` for every chapter.

    Returns:
        list[Exercise]: Sorted by chapter, then by number.

    Raises:
        ValueError: If ``topic`` is not a chapter topic.
    """
    if topic is not None and topic not in CHAPTERS:
        raise ValueError(f"topic must be one of {sorted(CHAPTERS)}, got {topic!r}")
    topics = [topic] if topic is not None else list(CHAPTERS)
    for t in topics:
        _load(t)
    order = {t: i for i, t in enumerate(CHAPTERS)}
    chosen = [e for e in _REGISTRY.values() if e.topic in topics]
    return sorted(chosen, key=lambda e: (order[e.topic], int(e.id.split(".")[1])))


def check(exercise_id: str, answer: Any, /, **context: Any) -> Feedback:
    """Check an answer to an exercise and say what is off.

    Call it as the last line of an answer cell, for example
    ``check("loss.2", grad, y=y_ex, z=z_ex)``. The keyword arguments are the
    chapter objects the reference answer is computed from; the exercise's
    answer cell passes the right ones. The answer ``...`` or ``None`` means
    "not answered yet" and gets a hint; nothing is computed then.

    Args:
        exercise_id: The exercise, for example ``"loss.2"``.
        answer: Your answer: a number, an array, or an option as a string.
        **context: The chapter objects the exercise needs.

    Returns:
        Feedback: Right or not, and when not, what is off. It displays
        itself in a notebook and never shows the reference answer.

    Raises:
        TypeError: If the keyword arguments are not the exercise's.
        ValueError: If there is no such exercise.
    """
    return get_exercise(exercise_id).check(answer, **context)
