"""The notebook cells that put a chapter's exercises at its end.

Directives use colon fences (``:::``, the ``colon_fence`` extension of the
book and jupyterlab-myst's default), so that a solution's code fence nests
without a longer backtick fence.

For each chapter: an intro cell (a heading and how to answer), one code cell
importing :func:`~nnbook.exercises.check`, and for every exercise three
cells: its statement (a sphinx-exercise ``exercise`` directive), its answer
cell (setup, the placeholder, the ``check`` call) and its solution (a
``solution`` directive with the ``dropdown`` class, folded on the website
and in JupyterLab with jupyterlab-myst).

Every cell carries ``metadata["nnbook"]["exercises"]`` and a fixed id, so
``scripts/exercises.py`` can replace the cells it added before instead of
adding them twice. Cells are plain nbformat-4.5 dictionaries.
"""

from __future__ import annotations

from typing import Any

from ._registry import Exercise, exercises

__all__ = ["KIND_WORDS", "LEVEL_WORDS", "MARKER", "chapter_cells"]

#: The metadata key that marks a cell as added by the exercises.
MARKER = "nnbook"

#: How each kind of exercise is introduced in its statement.
KIND_WORDS: dict[str, str] = {
    "code": "Write code",
    "prediction": "Predict, then run the experiment",
    "value": "Compute a value",
    "choice": "Choose",
}

#: The words for the three levels.
LEVEL_WORDS: dict[int, str] = {1: "easy", 2: "medium", 3: "hard"}

_INTRO = """\
(exercises-{topic})=
## Exercises

Each exercise below has an answer cell. Replace the `...` in it with your
answer and run the cell: `check` says whether the answer is right and, when
it is not, what is off (the shape, the sign, a factor, how close it is), but
never what the answer is. The exercises build on this chapter's objects, so
run the chapter from the top first. Each solution is folded under its answer
cell: try first, then look."""


def _cell(kind: str, cell_id: str, source: str, part: str, ex_id: str | None) -> dict:
    meta: dict[str, Any] = {MARKER: {"exercises": {"part": part}}}
    if ex_id is not None:
        meta[MARKER]["exercises"]["id"] = ex_id
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": cell_id,
        "metadata": meta,
        "source": source.splitlines(keepends=True),
    }
    if kind == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


def _statement(ex: Exercise) -> str:
    words = f"*{KIND_WORDS[ex.kind]} ({LEVEL_WORDS[ex.level]}).*"
    return (
        f":::{{exercise}} {ex.title}\n:label: {ex.label}\n\n{words}\n"
        f"{ex.statement.strip()}\n\n"
        f'Answer in the cell below; it calls `check("{ex.id}", ...)`.\n:::'
    )


def _solution(ex: Exercise) -> str:
    parts = [
        f":::{{solution}} {ex.label}\n:class: dropdown\n",
        f"```python\n{ex.solution.strip()}\n```",
    ]
    if ex.explanation.strip():
        parts.append("\n" + ex.explanation.strip())
    parts.append(":::")
    return "\n".join(parts)


def chapter_cells(topic: str) -> list[dict[str, Any]]:
    """The cells that end one chapter with its exercises, in order.

    Args:
        topic: The chapter's topic, for example ``"loss"``.

    Returns:
        list[dict]: nbformat-4.5 cells (markdown and code, no outputs).

    Raises:
        ValueError: If ``topic`` is not a chapter topic.
    """
    cells = [
        _cell(
            "markdown", f"exercises-{topic}", _INTRO.format(topic=topic), "intro", None
        ),
        _cell(
            "code",
            f"exercises-{topic}-import",
            "from nnbook.exercises import check",
            "import",
            None,
        ),
    ]
    for ex in exercises(topic):
        cells += [
            _cell("markdown", ex.label, _statement(ex), "statement", ex.id),
            _cell("code", f"{ex.label}-answer", ex.answer_cell(), "answer", ex.id),
            _cell("markdown", f"{ex.label}-solution", _solution(ex), "solution", ex.id),
        ]
    return cells
