"""Numbers in the prose: ``{eval}`` results stored in the notebook.

A chapter's code binds every number or word of its prose to a plain variable
holding a ``str`` (``published_acc = f"{accuracy:.3f}"``), and its markdown
cites it as ``{eval}`published_acc```. ``make notebooks``
(``scripts/regenerate.py``) evaluates each markdown cell's expressions in the
kernel right after the code cells before it and stores the results in the
cell's ``metadata.user_expressions``, in jupyterlab-myst's format::

    [{"expression": "published_acc",
      "result": {"status": "ok", "data": {"text/plain": "'0.795'"},
                 "metadata": {}}}]

Three readers use them:

- JupyterLab with jupyterlab-myst shows the stored result before anything
  runs (``text/plain`` is safe, so even in an untrusted notebook);
- the website: this Sphinx extension overrides myst-nb's ``eval`` role, which
  works only when myst-nb executes the notebook itself, with one that reads
  the stored result. A missing, failed or non-``str`` result, or one
  expression stored with two different values in one chapter, is a build
  warning, so the strict build (``-W``) fails;
- CI: ``tests/nbval_eval.py`` re-evaluates every expression in nbval's kernel
  at its place and compares it with the stored text.

The helpers here (:func:`eval_expressions`, :func:`cell_problems`, ...) are
the one definition of the format; ``scripts/regenerate.py``,
``tests/nbval_eval.py`` and ``tests/test_notebooks.py`` import them.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

__all__ = [
    "EVAL_ROLE",
    "EXPRESSION",
    "METADATA_KEY",
    "eval_expressions",
    "stored_entries",
    "prose_value",
    "cell_problems",
    "notebook_values",
    "setup",
]

#: The role as MyST (and jupyterlab-myst) writes it: {eval}`expression`.
EVAL_ROLE = re.compile(r"\{eval\}`([^`\n]*)`")
#: What an expression may be: a plain variable name (myst-nb's pattern).
EXPRESSION = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*")
#: The markdown cell metadata key jupyterlab-myst reads and writes.
METADATA_KEY = "user_expressions"
# Fenced code blocks (not directives such as ```{note}, whose body is
# markdown and may cite values) are not prose.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(?P<info>[^\n]*)\n.*?^ {0,3}\1[`~]*[ \t]*$",
                    re.M | re.S)  # fmt: skip
# An inline code span: a run of backticks, content, the same run (CommonMark).
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_CODE_DIRECTIVES = ("{code", "{code-block", "{code-cell", "{sourcecode")


def _mask_code_blocks(source: str) -> str:
    def mask(match: re.Match) -> str:
        info = match.group("info").strip()
        if info.startswith("{") and not info.startswith(_CODE_DIRECTIVES):
            # A directive: its body is markdown (the fences are not).
            lines = match.group(0).split("\n")
            return "\n" + _mask_code_blocks("\n".join(lines[1:-1])) + "\n"
        return "\n" * match.group(0).count("\n")

    return _FENCE.sub(mask, source)


def eval_expressions(source: str) -> list[str]:
    """The expressions of the ``{eval}`` roles of a markdown source, in order.

    Args:
        source: A markdown cell's source.

    Returns:
        list[str]: One entry per role (repeats kept), in document order, as
        jupyterlab-myst evaluates them.
    """
    text = _mask_code_blocks(source)
    found = []
    for span in _CODE_SPAN.finditer(text):
        # A role is a code span right after its name; other spans are code.
        if text[: span.start()].endswith("{eval}"):
            found.append(span.group(2).strip())
    return found


def stored_entries(cell: dict) -> list[dict]:
    """The ``user_expressions`` entries stored in a markdown cell's metadata."""
    entries = cell.get("metadata", {}).get(METADATA_KEY, [])
    return entries if isinstance(entries, list) else []


def prose_value(result: dict) -> str:
    """The ``str`` a stored (or freshly evaluated) result shows in the prose.

    Args:
        result: ``{"status": "ok", "data": {"text/plain": "'0.795'"}, ...}``.

    Returns:
        str: The value without its quotes (``0.795``).

    Raises:
        ValueError: If the evaluation failed, or the value is not a ``str``
            whose ``repr`` both places can show without escapes.
    """
    if not isinstance(result, dict) or result.get("status") != "ok":
        what = ""
        if isinstance(result, dict) and result.get("status") == "error":
            what = f": {result.get('ename', '')}: {result.get('evalue', '')}"
        raise ValueError(f"the evaluation failed{what}")
    text = result.get("data", {}).get("text/plain")
    if not isinstance(text, str):
        raise ValueError("the result has no text/plain representation")
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = None
    if not isinstance(value, str):
        raise ValueError(
            f"the value is not a str (its repr is {text[:60]!r}); bind the "
            "prose value to a formatted str, e.g. f'{x:.3f}'"
        )
    if len(text) < 2 or text[1:-1] != value:
        raise ValueError(
            f"the str {text[:60]} has escapes in its repr (quotes of both "
            "kinds, a backslash or a newline), which JupyterLab would show"
        )
    return value


def cell_problems(cell: dict) -> list[str]:
    """What is wrong with a markdown cell's stored ``{eval}`` results.

    Every role must have a stored entry for the same expression, in the same
    order, each a plain variable name whose result is a ``str``.

    Returns:
        list[str]: One sentence per problem; empty when the cell is fine.
    """
    problems = []
    wanted = eval_expressions("".join(cell.get("source", "")))
    for expr in wanted:
        if not EXPRESSION.fullmatch(expr):
            problems.append(
                f"{{eval}}`{expr}`: an expression must be a plain variable name"
            )
    entries = stored_entries(cell)
    stored = [e.get("expression") for e in entries if isinstance(e, dict)]
    if stored != wanted:
        missing = [e for e in wanted if e not in stored]
        extra = [e for e in stored if e not in wanted]
        detail = []
        if missing:
            detail.append(f"no stored result for {missing}")
        if extra:
            detail.append(f"stored results for expressions not cited {extra}")
        if not detail:
            detail.append(f"stored in the order {stored}, cited as {wanted}")
        problems.append("; ".join(detail) + "; run `make notebooks`")
    for entry in entries:
        try:
            prose_value(entry.get("result", {}))
        except ValueError as exc:
            problems.append(f"{{eval}}`{entry.get('expression')}`: {exc}")
    return problems


def notebook_values(nb: dict) -> dict[str, dict[str, list[int]]]:
    """Every stored prose value of a notebook: expression -> value -> cells.

    Results that are not valid ``str`` values are left out (see
    :func:`cell_problems`).
    """
    values: dict[str, dict[str, list[int]]] = {}
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        for entry in stored_entries(cell):
            try:
                value = prose_value(entry.get("result", {}))
            except ValueError:
                continue
            cells = values.setdefault(entry.get("expression"), {})
            cells.setdefault(value, [])
            if index not in cells[value]:
                cells[value].append(index)
    return values


# -- the Sphinx role ---------------------------------------------------------

_CACHE: dict[Path, tuple[float, dict]] = {}


def _notebook(path: Path) -> dict:
    mtime = path.stat().st_mtime
    hit = _CACHE.get(path)
    if hit is None or hit[0] != mtime:
        if len(_CACHE) > 64:  # bounded: one entry per chapter is plenty
            _CACHE.clear()
        _CACHE[path] = (mtime, json.loads(path.read_text(encoding="utf-8")))
    return _CACHE[path][1]


def _cell_at(nb: dict, lineno: int, expr: str) -> dict | None:
    """The markdown cell a role is in, from myst-nb's line numbers.

    myst-nb numbers the lines of cell ``i`` from ``(i + 1) * 10000``; the
    cell must cite ``expr``, or the line does not point into it.
    """
    index = lineno // 10000 - 1
    cells = nb.get("cells", [])
    if 0 <= index < len(cells):
        cell = cells[index]
        if cell.get("cell_type") == "markdown" and expr in eval_expressions(
            "".join(cell.get("source", ""))
        ):
            return cell
    return None


def eval_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{eval}`expr```: the stored ``str`` result, without its quotes."""
    from docutils import nodes
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    document = inliner.document
    env = document.settings.env
    expr = text.strip()
    location = (env.docname, lineno)

    def fail(message: str):
        logger.warning(
            f"{{eval}}`{expr}`: {message}",
            location=location,
            type="nnbook",
            subtype="eval",
        )
        node = nodes.inline(rawtext, expr, classes=["nnbook-eval-missing"])
        return [node], []

    source = Path(env.doc2path(env.docname))
    if source.suffix != ".ipynb":
        return fail("{eval} is only for notebook chapters (stored results)")
    if not EXPRESSION.fullmatch(expr):
        return fail("an expression must be a plain variable name")
    nb = _notebook(source)
    values = notebook_values(nb).get(expr, {})
    if len(values) > 1:
        seen = "; ".join(f"{v!r} in cell(s) {c}" for v, c in values.items())
        return fail(f"stored with different values in one chapter: {seen}")
    cell = _cell_at(nb, lineno, expr)
    if cell is not None:
        entries = [e for e in stored_entries(cell) if e.get("expression") == expr]
        if not entries:
            return fail("no stored result in this cell; run `make notebooks`")
        try:
            value = prose_value(entries[0].get("result", {}))
        except ValueError as exc:
            return fail(str(exc))
    elif len(values) == 1:  # a line number myst-nb did not map to the cell
        value = next(iter(values))
    else:
        return fail("no stored result; run `make notebooks`")
    return [nodes.inline(rawtext, value, classes=["nnbook-eval"])], []


def _register(app, *args: Any) -> None:
    app.add_role("eval", eval_role, override=True)


def setup(app) -> dict[str, Any]:
    # myst-nb registers its own `eval` role when it is set up; ours replaces
    # it now and again once every extension is loaded (whatever their order).
    _register(app)
    app.connect("builder-inited", _register)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
