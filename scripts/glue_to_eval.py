"""Convert chapters from ``myst_nb.glue`` + ``{glue:text}`` to ``{eval}``.

Decision 1 of the book: a number or word of the prose is a plain ``str``
variable bound by a code cell, and the markdown cites it as
``{eval}`name```: JupyterLab (jupyterlab-myst) and the website then show the
same stored value (``_ext/nnbook_eval.py``). This tool rewrites a chapter
that still uses glue:

- ``glue("name", value, display=False)`` becomes ``name = value``; a glue
  that also displays becomes ``name = value`` and ``display(name)``; a glue
  whose name is computed (``glue(f"t{i}_auc", ...)`` in a loop) becomes
  ``globals()[f"t{i}_auc"] = value``;
- a glue name that is already a variable, a function, an import or a builtin
  of the chapter is renamed (``n_wrong`` -> ``n_wrong_text``), in the code and
  in every role citing it, so no variable changes meaning;
- ``{glue}``, ``{glue:text}`` and ``{glue:md}`` roles become ``{eval}``;
- a ``{glue:md}`` block directive (a computed Markdown table) becomes a code
  cell at its place that displays ``Markdown(name)`` (input hidden on the
  website), the markdown cell being split around it;
- ``{eval}`` is evaluated where the markdown cell stands, so a value cited
  *before* the code cell that computes it is hoisted: the statements it needs
  move into a new code cell right before the citing markdown cell. Only
  statements made of literals, arithmetic and f-strings move, unless
  ``--hoist-calls`` also allows calls (check the result with ``--check``);
- ``from myst_nb import glue`` goes when nothing uses it.

Every change is printed. A chapter the tool cannot convert safely is left
untouched and named, with the reason, and the exit status is 1.

After converting, regenerate (``make notebooks``, which stores the values)
and compare every prose value with the glued value of the original::

    python scripts/glue_to_eval.py chapters/*.ipynb
    make notebooks
    python scripts/glue_to_eval.py --check HEAD chapters/*.ipynb

``--check REF`` reads each notebook as it is at git revision ``REF`` (the
glue version, with its recorded glue outputs) and fails unless every value
cited there is now stored with the same text under its new name.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import json
import keyword
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
from nnbook_eval import METADATA_KEY  # noqa: E402

GLUE_ROLE = re.compile(r"\{glue(?::(?P<kind>text|md|any))?\}`(?P<body>[^`\n]*)`")
GLUE_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{glue(?::(?P<kind>[a-z]+))?\}[ \t]*(?P<name>\S*)[ \t]*\n"
    r"(?P<body>(?:.*\n)*?)(?P=fence)[ \t]*$",
    re.M,
)
ANY_GLUE = re.compile(r"\{glue(?::[a-z]+)?\}")
RECORD = "application/papermill.record/"
IPYTHON_NAMES = {"display", "get_ipython", "In", "Out", "exit", "quit", "_", "__"}
# What a statement may call and still be hoisted without --hoist-calls.
PURE_CALLS = {"str", "int", "float", "round", "len", "abs", "min", "max", "bool"}


class ConversionError(ValueError):
    """A chapter that cannot be converted safely (the message says why)."""


@dataclass
class Glue:
    """One ``glue(...)`` call of a chapter."""

    cell: int
    stmt: ast.stmt
    value: ast.expr
    display: bool
    name: str | None = None  # a literal name
    pattern: ast.JoinedStr | None = None  # a computed name
    top_level: bool = True
    cited: list[str] = field(default_factory=list)  # names cited in markdown


@dataclass
class Plan:
    """What :func:`convert` will do to one notebook, and what it did."""

    renames: dict[str, str] = field(default_factory=dict)  # old -> new
    log: list[str] = field(default_factory=list)


def _sources(nb) -> list[str]:
    return [
        c.source if isinstance(c.source, str) else "".join(c.source) for c in nb.cells
    ]


def _parse(source: str, index: int) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise ConversionError(f"code cell {index} does not parse: {exc}") from None


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name a code cell binds or uses (not attribute or keyword names)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names.update(node.names)
    return names


def _is_glue_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "glue") or (
        isinstance(func, ast.Attribute)
        and func.attr == "glue"
        and isinstance(func.value, ast.Name)
        and func.value.id == "myst_nb"
    )


def _find_glues(nb, trees: dict[int, ast.Module]) -> list[Glue]:
    glues = []
    for index, tree in trees.items():
        top = {id(s) for s in tree.body}
        for node in ast.walk(tree):
            if not _is_glue_call(node):
                continue
            parent_stmt = next(
                (
                    s
                    for s in ast.walk(tree)
                    if isinstance(s, ast.Expr) and s.value is node
                ),
                None,
            )
            if parent_stmt is None:
                raise ConversionError(
                    f"code cell {index}: a glue(...) call that is not a statement "
                    f"of its own (line {node.lineno})"
                )
            args = list(node.args)
            kwargs = {k.arg: k.value for k in node.keywords}
            name_node = args[0] if args else kwargs.get("name")
            value = args[1] if len(args) > 1 else kwargs.get("variable")
            show = args[2] if len(args) > 2 else kwargs.get("display")
            if name_node is None or value is None:
                raise ConversionError(f"code cell {index}: glue(...) without a value")
            if show is None:
                display = True
            elif isinstance(show, ast.Constant) and isinstance(show.value, bool):
                display = show.value
            else:
                raise ConversionError(
                    f"code cell {index}: glue(..., display=<not a constant>)"
                )
            glue = Glue(index, parent_stmt, value, display,
                        top_level=id(parent_stmt) in top)  # fmt: skip
            if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
                glue.name = name_node.value
            elif isinstance(name_node, ast.JoinedStr):
                glue.pattern = name_node
            else:
                raise ConversionError(
                    f"code cell {index}: glue name {ast.unparse(name_node)} is neither "
                    "a string nor an f-string"
                )
            glues.append(glue)
    return glues


def _pattern_regex(pattern: ast.JoinedStr) -> re.Pattern:
    parts = []
    for part in pattern.values:
        if isinstance(part, ast.Constant):
            parts.append(re.escape(str(part.value)))
        else:
            parts.append(r"[A-Za-z0-9_]+?")
    return re.compile("".join(parts))


def _roles(source: str) -> list[re.Match]:
    return list(GLUE_ROLE.finditer(source))


def _owns_lines(lines: list[str], stmt: ast.stmt) -> str:
    """Check ``stmt`` owns its lines; return the comment after it, if any."""
    first, last = lines[stmt.lineno - 1], lines[stmt.end_lineno - 1]
    if first[: stmt.col_offset].strip():
        raise ConversionError(f"line {stmt.lineno} holds another statement first")
    rest = last[stmt.end_col_offset :].strip()
    if rest and not rest.startswith("#"):
        raise ConversionError(f"line {stmt.end_lineno} holds another statement after")
    return rest


def _value_lines(source: str, value: ast.expr, indent: str) -> list[str]:
    """``value``'s source, re-indented to follow ``indent``."""
    segment = ast.get_source_segment(source, value)
    assert segment is not None
    lines = segment.split("\n")
    if len(lines) == 1:
        return lines
    out = [lines[0]]
    for line in lines[1:]:
        lead = len(line) - len(line.lstrip(" "))
        extra = max(0, lead - value.col_offset)
        out.append(indent + "    " + " " * extra + line.lstrip(" "))
    return out


def _assignment(target: str, source: str, value: ast.expr, indent: str,
                comment: str) -> list[str]:  # fmt: skip
    lines = _value_lines(source, value, indent)
    tail = f"  {comment}" if comment else ""
    if len(lines) == 1:
        return [f"{indent}{target} = {lines[0]}{tail}"]
    return [f"{indent}{target} = ({lines[0]}", *lines[1:-1], f"{lines[-1]}){tail}"]


def _free_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Load)}  # fmt: skip


def _calls(node: ast.AST) -> set[str]:
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            out.add(ast.unparse(n.func))
    return out


def _targets(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, ast.Assign):
        nodes = stmt.targets
    elif isinstance(stmt, ast.AnnAssign | ast.AugAssign):
        nodes = [stmt.target]
    else:
        return set()
    return {n.id for t in nodes for n in ast.walk(t) if isinstance(n, ast.Name)}


def convert(nb, *, hoist_calls: bool = False) -> Plan:
    """Convert one notebook in place (see the module docstring).

    Args:
        nb: The notebook (``nbformat`` v4), changed in place.
        hoist_calls: Allow hoisted statements to call functions.

    Returns:
        Plan: The renames made and a log line per change.

    Raises:
        ConversionError: If the chapter cannot be converted safely; ``nb``
            may then be partly changed (convert a copy).
    """
    plan = Plan()
    sources = _sources(nb)
    trees = {i: _parse(s, i) for i, s in enumerate(sources)
             if nb.cells[i].cell_type == "code"}  # fmt: skip
    glues = _find_glues(nb, trees)
    literal = {g.name: g for g in glues if g.name is not None}
    dynamic = [g for g in glues if g.pattern is not None]
    seen: dict[str, int] = {}
    for g in glues:
        if g.name is not None:
            seen[g.name] = seen.get(g.name, 0) + 1
    duplicates = {n for n, k in seen.items() if k > 1}
    if duplicates:
        raise ConversionError(f"names glued more than once: {sorted(duplicates)}")

    # Which glue each citation refers to, and where it is first cited.
    first_cited: dict[int, int] = {}  # id(glue) -> first markdown cell citing it
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        names = [m.group("body").strip() for m in _roles(sources[index])]
        names += [m.group("name") for m in GLUE_DIRECTIVE.finditer(sources[index])]
        for name in names:
            if ":" in name:
                raise ConversionError(
                    f"markdown cell {index}: {{glue}}`{name}` has a format spec; "
                    "format the value in the code instead"
                )
            glue = literal.get(name) or next(
                (g for g in dynamic if _pattern_regex(g.pattern).fullmatch(name)), None
            )
            if glue is None:
                raise ConversionError(
                    f"markdown cell {index}: `{name}` is cited but never glued"
                )
            if name not in glue.cited:
                glue.cited.append(name)
            first_cited.setdefault(id(glue), index)

    # Renames: a glue name must not be a name the chapter already uses.
    taken = set(dir(builtins)) | IPYTHON_NAMES | set(keyword.kwlist)
    for tree in trees.values():
        taken |= _bound_names(tree)
    glue_names = set(literal) | {n for g in dynamic for n in g.cited}

    def fresh(name: str) -> str:
        base = re.sub(r"\W", "_", name)
        if not re.match(r"[A-Za-z]", base):
            base = "v_" + base
        if base == name and name not in taken:
            return name
        candidate, k = f"{base}_text", 1
        while candidate in taken or candidate in glue_names:
            k += 1
            candidate = f"{base}_text{k}"
        return candidate

    for name in literal:
        new = fresh(name)
        if new != name:
            plan.renames[name] = new
            plan.log.append(
                f"renamed {name} -> {new} (the chapter already uses {name})"
            )
        taken.add(new)
    for glue in dynamic:
        if any(not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n) or n in taken
               for n in glue.cited):  # fmt: skip
            suffix = "_text"
            while any(n + suffix in taken for n in glue.cited):
                suffix += "_"
            glue.pattern.values.append(ast.Constant(suffix))
            for n in glue.cited:
                plan.renames[n] = n + suffix
            plan.log.append(
                f"renamed the computed names {glue.cited} (+{suffix}): they are in use"
            )
        taken.update(plan.renames.get(n, n) for n in glue.cited)

    # Forward citations: hoist what they need above the citing cell.
    inserts: dict[int, list[str]] = {}  # markdown cell -> new code cell before it
    removed: dict[int, set[int]] = {}  # code cell -> top-level stmt ids removed
    moved_to: dict[int, int] = {}  # stmt id -> the markdown cell it moved above
    for glue in glues:
        at = first_cited.get(id(glue))
        if at is None or at > glue.cell:
            continue
        label = glue.name or ast.unparse(glue.pattern)
        if glue.pattern is not None or not glue.top_level:
            raise ConversionError(
                f"`{label}` is cited in markdown cell {at}, before code cell "
                f"{glue.cell} computes it in a loop or block: move the sentence "
                "below that cell, or the computation above it"
            )
        tree = trees[glue.cell]
        body = tree.body
        pos = next(i for i, s in enumerate(body) if s is glue.stmt)
        defined_before = set(dir(builtins)) | IPYTHON_NAMES
        for i, t in trees.items():
            if i < at:
                defined_before |= _bound_names(t)
        needed, moved = _free_names(glue.value), []
        for stmt in reversed(body[:pos]):
            targets = _targets(stmt)
            if not targets & needed:
                continue
            if id(stmt) in moved_to:  # moved already, for another value
                if moved_to[id(stmt)] > at:
                    raise ConversionError(
                        f"`{label}`: `{ast.unparse(stmt)[:60]}` would move above "
                        "two different markdown cells; edit the chapter"
                    )
                needed -= targets
                continue
            calls = _calls(stmt) - PURE_CALLS
            if calls and not hoist_calls:
                raise ConversionError(
                    f"`{label}` is cited in markdown cell {at}, before code cell "
                    f"{glue.cell} computes it, and moving it up means moving "
                    f"`{ast.unparse(stmt)[:80]}`, which calls {sorted(calls)}: "
                    "rerun with --hoist-calls and check the values (--check), or "
                    "edit the chapter"
                )
            moved.insert(0, stmt)
            needed = (needed - targets) | _free_names(stmt)
        missing = needed - defined_before - {t for s in moved for t in _targets(s)}
        if missing:
            raise ConversionError(
                f"`{label}` cannot move above markdown cell {at}: it needs "
                f"{sorted(missing)}, defined in code cell {glue.cell} in a way the "
                "tool cannot move"
            )
        moved_names = {t for s in moved for t in _targets(s)}
        for i, t in trees.items():
            if at < i < glue.cell and _bound_names(t) & moved_names:
                raise ConversionError(
                    f"`{label}`: moving {sorted(moved_names)} above markdown cell "
                    f"{at} would change code cell {i}, which uses them"
                )
        lines = sources[glue.cell].split("\n")
        block = inserts.setdefault(at, [])
        for stmt in moved:
            _owns_lines(lines, stmt)
            moved_to[id(stmt)] = at
            block.extend(lines[stmt.lineno - 1 : stmt.end_lineno])
            removed.setdefault(glue.cell, set()).add(id(stmt))
        removed.setdefault(glue.cell, set()).add(id(glue.stmt))
        new = plan.renames.get(glue.name, glue.name)
        block.extend(_assignment(new, sources[glue.cell], glue.value, "", ""))
        plan.log.append(
            f"hoisted {new} (and {len(moved)} statement(s)) into a new code cell "
            f"before markdown cell {at}: it was cited before code cell {glue.cell}"
        )

    # Rewrite the code cells.
    md_directive_glues = {
        m.group("name")
        for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
        for m in GLUE_DIRECTIVE.finditer(sources[i])
    }  # fmt: skip
    for index, tree in trees.items():
        lines = sources[index].split("\n")
        edits = []
        for glue in [g for g in glues if g.cell == index]:
            comment = _owns_lines(lines, glue.stmt)
            indent = lines[glue.stmt.lineno - 1][: glue.stmt.col_offset]
            new_lines: list[str] = []
            if id(glue.stmt) not in removed.get(index, set()):
                value = glue.value
                if glue.name in md_directive_glues and _is_markdown_call(value):
                    value = value.args[0]  # bind the str; the new cell displays it
                if glue.name is not None:
                    target = plan.renames.get(glue.name, glue.name)
                else:
                    target = f"globals()[{ast.unparse(glue.pattern)}]"
                new_lines = _assignment(target, sources[index], value, indent, comment)
                if glue.display:
                    new_lines.append(f"{indent}display({target})")
            edits.append((glue.stmt.lineno, glue.stmt.end_lineno, new_lines))
        for stmt in tree.body:
            if id(stmt) in removed.get(index, set()) and not any(
                e[0] == stmt.lineno for e in edits
            ):
                _owns_lines(lines, stmt)
                edits.append((stmt.lineno, stmt.end_lineno, []))
        for first, last, new_lines in sorted(edits, reverse=True):
            lines[first - 1 : last] = new_lines
        if edits:
            plan.log.append(f"code cell {index}: {len(edits)} glue call(s) rewritten")
        sources[index] = "\n".join(lines)
    still_used = any(
        isinstance(n, ast.Name) and n.id == "glue"
        for i in trees
        for n in ast.walk(_parse(sources[i], i))
    )
    if not still_used:
        for index in trees:
            sources[index] = _drop_glue_import(sources[index], plan, index)

    # Rewrite the markdown: roles, then block directives.
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue

        def role(m: re.Match) -> str:
            name = m.group("body").strip()
            return f"{{eval}}`{plan.renames.get(name, name)}`"

        text, n = GLUE_ROLE.subn(role, sources[index])
        if n:
            plan.log.append(f"markdown cell {index}: {n} role(s) -> {{eval}}")
        sources[index] = text
    for index, cell in enumerate(nb.cells):
        cell.source = sources[index]

    new_cells = []
    for index, cell in enumerate(nb.cells):
        if index in inserts:
            new_cells.append(nbformat.v4.new_code_cell("\n".join(inserts[index])))
        if cell.cell_type == "markdown" and GLUE_DIRECTIVE.search(cell.source):
            new_cells.extend(_split_directives(cell, plan, index, nb, trees))
            continue
        new_cells.append(cell)
    nb.cells = new_cells
    for index, cell in enumerate(nb.cells):
        leftover = ANY_GLUE.search(cell.source)
        if leftover or (
            cell.cell_type == "code" and re.search(r"\bglue\(", cell.source)
        ):
            raise ConversionError(f"cell {index} still uses glue after conversion")
    return plan


def _is_markdown_call(value: ast.expr) -> bool:
    return (
        isinstance(value, ast.Call)
        and ast.unparse(value.func).split(".")[-1] == "Markdown"
        and len(value.args) == 1
        and not value.keywords
    )


def _drop_glue_import(source: str, plan: Plan, index: int) -> str:
    tree = ast.parse(source)
    lines = source.split("\n")
    for stmt in reversed(tree.body):
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "myst_nb":
            keep = [a for a in stmt.names if a.name != "glue"]
            if len(keep) == len(stmt.names):
                continue
            _owns_lines(lines, stmt)
            new = []
            if keep:
                names = ", ".join(
                    a.name + (f" as {a.asname}" if a.asname else "") for a in keep
                )
                new = [f"from myst_nb import {names}"]
            lines[stmt.lineno - 1 : stmt.end_lineno] = new
            plan.log.append(f"code cell {index}: dropped `from myst_nb import glue`")
    return "\n".join(lines).strip("\n") if lines else ""


def _split_directives(cell, plan: Plan, index: int, nb, trees) -> list:
    """Split a markdown cell around ``{glue:md}`` blocks; one code cell each."""
    markdown_bound = any(
        "Markdown" in _bound_names(t) for i, t in trees.items() if i < index
    )
    out, rest = [], cell.source
    while True:
        m = GLUE_DIRECTIVE.search(rest)
        if m is None:
            break
        if m.group("kind") != "md":
            raise ConversionError(
                f"markdown cell {index}: the {{glue:{m.group('kind') or ''}}} "
                "directive has no {eval} form; show the output in a code cell"
            )
        fmt = re.search(r"^:format:\s*(\S+)", m.group("body"), re.M)
        name = plan.renames.get(m.group("name"), m.group("name"))
        before = rest[: m.start()].rstrip("\n")
        if before.strip():
            first = copy.deepcopy(cell) if not out else nbformat.v4.new_markdown_cell()
            first.source = before
            if out:
                first.metadata = {}
            out.append(first)
        code = f"Markdown({name})"
        if not markdown_bound:
            code = f"from IPython.display import Markdown\n\n{code}"
        new = nbformat.v4.new_code_cell(code)
        new.metadata["tags"] = ["remove-input"]
        new.metadata["mystnb"] = {
            "markdown_format": fmt.group(1) if fmt else "commonmark"
        }
        out.append(new)
        plan.log.append(
            f"markdown cell {index}: the {{glue:md}} block `{name}` became a code "
            "cell displaying Markdown (input hidden on the website)"
        )
        rest = rest[m.end() :].lstrip("\n")
    if rest.strip():
        out.append(nbformat.v4.new_markdown_cell(rest))
    return out


# -- checking converted chapters against their glue originals -----------------


def _glue_records(nb: dict) -> dict[str, dict]:
    """name -> the data glue recorded (``text/plain``, ``text/markdown``)."""
    found = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook", {})
            if "name" in meta:
                prefix = meta.get("mime_prefix", RECORD)
                found[meta["name"]] = {
                    k[len(prefix) :]: v for k, v in out.get("data", {}).items()
                    if k.startswith(prefix)
                }  # fmt: skip
    return found


def check(path: Path, ref: str) -> list[str]:
    """Compare a converted, regenerated chapter with its glue version at ``ref``.

    Returns:
        list[str]: One line per value that differs or is missing; empty if
        every cited value reads as before.
    """
    rel = path.resolve().relative_to(ROOT)
    text = subprocess.run(
        ["git", "show", f"{ref}:{rel.as_posix()}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    original = nbformat.reads(text, as_version=4)
    records = _glue_records(json.loads(text))
    plan = convert(copy.deepcopy(original), hoist_calls=True)
    now = json.loads(path.read_text(encoding="utf-8"))
    stored: dict[str, str] = {}
    markdown_outputs = []
    for cell in now["cells"]:
        for entry in cell.get("metadata", {}).get(METADATA_KEY, []):
            text_plain = entry.get("result", {}).get("data", {}).get("text/plain")
            stored.setdefault(entry["expression"], text_plain)
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md is not None:
                markdown_outputs.append("".join(md))
    problems = []
    cited = set()
    for cell in original.cells:
        if cell.cell_type == "markdown":
            cited |= {m.group("body").strip() for m in GLUE_ROLE.finditer(cell.source)}
            cited |= {m.group("name") for m in GLUE_DIRECTIVE.finditer(cell.source)}
    for name in sorted(cited):
        record = records.get(name)
        if record is None:
            problems.append(f"{rel}: `{name}` has no glue record at {ref}")
            continue
        if "text/markdown" in record:
            if "".join(record["text/markdown"]) not in markdown_outputs:
                problems.append(f"{rel}: the Markdown of `{name}` changed")
            continue
        new = plan.renames.get(name, name)
        if stored.get(new) != record.get("text/plain"):
            problems.append(
                f"{rel}: `{name}` was {record.get('text/plain')} with glue, "
                f"`{new}` is now {stored.get(new)}"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--hoist-calls",
        action="store_true",
        help="let hoisted statements call functions (then check the values)",
    )
    parser.add_argument(
        "--check",
        metavar="REF",
        help="compare converted, regenerated chapters with their glue version "
        "at git revision REF instead of converting",
    )
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks:
        if args.check:
            try:
                problems = check(path, args.check)
            except (ConversionError, subprocess.CalledProcessError) as exc:
                problems = [f"{path}: cannot check: {exc}"]
            print("\n".join(problems) if problems else f"{path}: every value as before")
            status |= bool(problems)
            continue
        nb = nbformat.read(path, as_version=4)
        work = copy.deepcopy(nb)
        try:
            plan = convert(work, hoist_calls=args.hoist_calls)
        except ConversionError as exc:
            print(f"{path}: NOT CONVERTED: {exc}")
            status = 1
            continue
        if work == nb:
            print(f"{path}: nothing to convert")
            continue
        for cell in work.cells:  # outputs and values are stale until regenerated
            cell.metadata.pop(METADATA_KEY, None)
        nbformat.validate(work)
        nbformat.write(work, path)
        print(f"{path}: converted")
        for line in plan.log:
            print(f"  {line}")
        mentions = [
            f"cell {i}: ...{m.group(0).strip()}..."
            for i, c in enumerate(work.cells)
            for m in re.finditer(r".{0,40}\bglu(?:e|ed|es|ing)\b.{0,40}", c.source)
        ]
        for line in mentions:
            print(f"  NOTE: the word 'glue' is still in {line}")
    if status == 0 and not args.check:
        script = Path(__file__).relative_to(ROOT)
        print(f"now run `make notebooks`, then `python {script} --check HEAD ...`")
    return status


if __name__ == "__main__":
    sys.exit(main())
