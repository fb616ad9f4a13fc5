"""What the checker says: a verdict and a few lines, as text and as HTML.

The text is deterministic (nbval compares it exactly) and never contains the
reference answer. The HTML carries the same words; the verdict is spelled
out, never shown by colour alone.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Feedback", "Status"]

Status = Literal["right", "wrong", "pending"]

_VERDICT: dict[str, str] = {
    "right": "right.",
    "wrong": "not right yet.",
    "pending": "not answered yet.",
}
_BORDER: dict[str, str] = {"right": "solid", "wrong": "dashed", "pending": "dotted"}
_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Feedback:
    """The checker's answer to one attempt at one exercise.

    It displays itself in a notebook (``text/plain`` and ``text/html`` carry
    the same words) and is truthy when the answer is right, so that
    ``assert check(...)`` works in a script.

    Attributes:
        exercise_id: The exercise, for example ``"loss.2"``.
        title: The exercise's short title.
        status: ``"right"``, ``"wrong"`` or ``"pending"`` (not answered yet).
        lines: What is off, and hints, one sentence or two per line.
    """

    exercise_id: str
    title: str
    status: Status
    lines: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """True when the answer is right."""
        return self.status == "right"

    def __bool__(self) -> bool:
        return self.passed

    @property
    def text(self) -> str:
        """The feedback as plain text, a verdict line then a line per finding."""
        head = f"Exercise {self.exercise_id} ({self.title}): {_VERDICT[self.status]}"
        return "\n".join([head, *(f"- {line}" for line in self.lines)])

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's ``text/plain``: the same text as :attr:`text`."""
        printer.text(self.text)

    def _repr_html_(self) -> str:
        """The same words as :attr:`text`, with inline code marked up."""

        def markup(text: str) -> str:
            return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))

        head = (
            f"<strong>Exercise {html.escape(self.exercise_id)}</strong> "
            f"({markup(self.title)}): <strong>{_VERDICT[self.status]}</strong>"
        )
        items = "".join(f"<li>{markup(line)}</li>" for line in self.lines)
        body = f'<ul style="margin:0.25em 0">{items}</ul>' if items else ""
        style = (
            f"border-left:4px {_BORDER[self.status]} currentColor;"
            "padding:0.25em 0.75em;margin:0.25em 0"
        )
        return (
            f'<div class="nnbook-check nnbook-check-{self.status}" '
            f'style="{style}"><p style="margin:0">{head}</p>{body}</div>'
        )
