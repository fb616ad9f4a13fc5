"""Run an exercise's answer cell as a chapter would, with any answer in it."""

from __future__ import annotations

from typing import Any

from nnbook.exercises import Exercise, Feedback, check


def run_answer_cell(
    exercise: Exercise, namespace: dict[str, Any], answer: str | None = None
) -> tuple[Feedback, dict[str, Any]]:
    """Execute the answer cell in a copy of ``namespace``.

    Args:
        exercise: The exercise whose cell to run.
        namespace: The chapter's objects (copied, so the cell's own names do
            not leak from one exercise to the next).
        answer: Code assigning the answer; ``None`` keeps the placeholder.

    Returns:
        tuple: The feedback of the cell's last line (the ``check`` call), and
        the keyword arguments that line passed (the exercise's context).
    """
    ns = dict(namespace)
    ns["check"] = check
    *body, last = exercise.answer_cell(answer).rstrip().split("\n")
    exec(compile("\n".join(body), f"<{exercise.id}>", "exec"), ns)  # noqa: S102
    feedback = eval(compile(last, f"<{exercise.id}: check>", "eval"), ns)  # noqa: S307
    assert isinstance(feedback, Feedback), type(feedback)
    context = eval(f"dict({exercise.check_args})", ns)  # noqa: S307
    return feedback, context
