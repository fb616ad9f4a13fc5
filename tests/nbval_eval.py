"""A pytest plugin for nbval: the prose values are what the code computes.

Loaded by ``make nbval`` (``-p tests.nbval_eval``). For every markdown cell
that cites values with ``{eval}``, it adds one test item to the notebook,
placed right after the code cell before it, so that it runs in nbval's
kernel at the cell's place (nbval runs a notebook's items in order in one
kernel; ``--dist loadfile`` keeps them on one worker). The item

- checks the stored ``metadata.user_expressions`` against the cell's roles
  (one stored entry per role, in order, each a ``str``);
- re-evaluates every expression in the kernel (a silent request: no code, no
  history, no execution count) and compares its ``text/plain`` with the
  stored one strictly, after nbval's sanitizers (``--nbval-sanitize-with``).

A failure names the notebook, the cell, the expression and both texts. The
format is defined once, in ``_ext/nnbook_eval.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from queue import Empty

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from nnbook_eval import (  # noqa: E402
    cell_problems,
    eval_expressions,
    prose_value,
    stored_entries,
)

__all__ = ["ProseValuesItem", "ProseValuesError", "pytest_collection_modifyitems"]


class ProseValuesError(AssertionError):
    """The stored prose values of a markdown cell are not what the code gives."""


class ProseValuesItem(pytest.Item):
    """The ``{eval}`` values of one markdown cell, checked in nbval's kernel.

    Args:
        cell_index: The cell's index in the notebook (all cells counted).
        after: The name of the nbval item this one runs after (``Cell 3``),
            or ``""`` when no code cell comes before it.
    """

    def __init__(self, *, cell, cell_index: int, after: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cell = cell
        self.cell_index = cell_index
        self.after = after

    def _sanitize(self, text: str) -> str:
        for regex, replace in getattr(self.parent, "sanitize_patterns", {}).items():
            text = re.sub(regex, replace, text)
        return text

    def _evaluate(self, expressions: list[str]) -> dict:
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            raise ProseValuesError(f"{self._where()}: nbval's kernel is not running")
        request = {str(i): e for i, e in enumerate(expressions)}
        msg_id = kernel.kc.execute(
            "", silent=True, store_history=False, user_expressions=request,
            allow_stdin=False,
        )  # fmt: skip
        timeout = self.config.option.nbval_cell_timeout or 60
        try:
            while True:
                msg = kernel.get_message(stream="shell", timeout=timeout)
                if msg["parent_header"].get("msg_id") == msg_id:
                    break
            kernel.await_idle(msg_id, timeout)  # leave no message of ours behind
        except Empty:
            raise ProseValuesError(
                f"{self._where()}: the kernel did not answer in {timeout} s"
            ) from None
        content = msg["content"]
        if content.get("status") != "ok":
            raise ProseValuesError(f"{self._where()}: the evaluation request failed")
        return {e: content["user_expressions"][k] for k, e in request.items()}

    def _where(self) -> str:
        place = f"after code {self.after}" if self.after else "before any code"
        return f"{self.path.name}, markdown cell {self.cell_index} ({place})"

    def runtest(self) -> None:
        problems = [f"{self._where()}: {p}" for p in cell_problems(self.cell)]
        expressions = eval_expressions("".join(self.cell.source))
        fresh = self._evaluate(sorted(set(expressions)))
        checked = set()
        for entry in stored_entries(self.cell):
            expr = entry.get("expression")
            if expr not in fresh or expr in checked:
                continue  # not cited (cell_problems says so), or seen already
            checked.add(expr)
            result = fresh[expr]
            try:
                prose_value(result)
            except ValueError as exc:
                problems.append(f"{self._where()}: {{eval}}`{expr}` now: {exc}")
                continue
            stored = entry.get("result", {}).get("data", {}).get("text/plain", "")
            now = result["data"]["text/plain"]
            if self._sanitize(stored) != self._sanitize(now):
                problems.append(
                    f"{self._where()}: {{eval}}`{expr}` is stored as {stored} but "
                    f"the code now gives {now}; run `make notebooks`"
                )
        if problems:
            raise ProseValuesError("\n".join(problems))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ProseValuesError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


def _nbval_file(item):
    parent = item.parent
    if type(parent).__name__ == "IPyNbFile" and hasattr(parent, "nb"):
        return parent
    return None


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection sees the items
def pytest_collection_modifyitems(session, config, items) -> None:
    """Insert one :class:`ProseValuesItem` per citing markdown cell."""
    files: dict[int, tuple] = {}
    for item in items:
        parent = _nbval_file(item)
        if parent is not None:
            files.setdefault(id(parent), (parent, []))[1].append(item)
    for parent, cell_items in files.values():
        by_cell = {id(i.cell): i for i in cell_items if hasattr(i, "cell")}
        previous = None  # the nbval item of the last code cell seen
        placed: list[tuple[object | None, ProseValuesItem]] = []
        for index, cell in enumerate(parent.nb.cells):
            if cell.cell_type == "code" and id(cell) in by_cell:
                previous = by_cell[id(cell)]
            elif cell.cell_type == "markdown" and eval_expressions(cell.source):
                name = f"Markdown cell {index}"
                item = ProseValuesItem.from_parent(
                    parent,
                    name=name,
                    cell=cell,
                    cell_index=index,
                    after=previous.name if previous is not None else "",
                )
                placed.append((previous, item))
        for anchor, item in reversed(placed):  # reversed keeps cell order
            if anchor is None:
                at = items.index(cell_items[0]) if cell_items else len(items)
            else:
                at = items.index(anchor) + 1
            items.insert(at, item)
