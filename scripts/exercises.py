"""Stage the chapters' exercise cells, and append them to chapter notebooks.

The exercises are defined in ``nnbook/exercises/chapters/<topic>.py``. This
script turns them into notebook cells and puts them at the end of a chapter:

``python scripts/exercises.py stage``
    Write ``exercises/staging/<chapter>.json``: the exact cells each chapter
    gets (a test checks that the files match the definitions).
``python scripts/exercises.py append chapters/04_loss.ipynb [...]``
    Append the staged cells to each chapter, or replace the ones appended
    before (cells marked ``metadata["nnbook"]["exercises"]``): running it
    twice changes nothing. The appended code cells have no outputs yet;
    ``--execute`` then runs ``scripts/regenerate.py`` on the chapter (a fresh
    kernel, top to bottom), which ``make notebooks NB=...`` does too.
``python scripts/exercises.py remove chapters/04_loss.ipynb [...]``
    Take the exercise cells out again.
``python scripts/exercises.py trial DIR [--solutions]``
    Copy every chapter into ``DIR``, append, and execute the copies (the
    check before merging; DIR is not committed). With ``--solutions`` each
    answer cell holds its reference solution instead of the placeholder,
    and every ``check`` must say "right".
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGING = ROOT / "exercises" / "staging"
MARKER = "nnbook"


def _chapters() -> dict[str, str]:
    from nnbook.exercises import CHAPTERS

    return CHAPTERS


def topic_of(notebook: Path) -> str:
    """The chapter topic of a notebook file such as ``04_loss.ipynb``."""
    by_stem = {stem: topic for topic, stem in _chapters().items()}
    if notebook.stem not in by_stem:
        raise SystemExit(
            f"{notebook}: not a chapter with exercises ({sorted(by_stem)})"
        )
    return by_stem[notebook.stem]


def staged_text(topic: str) -> str:
    """The staging file's text for one chapter: its cells as pretty JSON."""
    from nnbook.exercises import chapter_cells

    return json.dumps(chapter_cells(topic), indent=1, ensure_ascii=False) + "\n"


def stage(directory: Path = STAGING) -> list[Path]:
    """Write one staging file per chapter; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for topic, stem in _chapters().items():
        path = directory / f"{stem}.json"
        path.write_text(staged_text(topic), encoding="utf-8")
        written.append(path)
    return written


def is_exercise_cell(cell: dict[str, Any]) -> bool:
    """True for a cell that :func:`append` added."""
    return "exercises" in cell.get("metadata", {}).get(MARKER, {})


def with_exercises(
    nb: dict[str, Any],
    cells: list[dict[str, Any]],
    solutions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``nb`` with its exercise cells (if any) replaced by ``cells`` at the end.

    Args:
        nb: A notebook as a dict (nbformat 4.5).
        cells: The staged cells.
        solutions: Exercise id -> the answer cell's code, to put in place of
            the staged answer cells (the solutions trial).

    Returns:
        dict: A new notebook dict.
    """
    kept = [c for c in nb["cells"] if not is_exercise_cell(c)]
    new = json.loads(json.dumps(cells))  # a deep copy
    for cell in new:
        info = cell["metadata"][MARKER]["exercises"]
        if solutions and info.get("part") == "answer" and info["id"] in solutions:
            cell["source"] = solutions[info["id"]].splitlines(keepends=True)
    taken = {c.get("id") for c in kept}
    clash = [c["id"] for c in new if c["id"] in taken]
    if clash:
        raise SystemExit(f"cell ids already used in the chapter: {clash}")
    return {**nb, "cells": kept + new}


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, nb: dict[str, Any]) -> None:
    """Write as nbformat does (sorted keys, one-space indent), after validating."""
    import nbformat

    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    nbformat.write(node, str(path))


def append(path: Path, solutions: bool = False) -> int:
    """Append (or replace) a chapter's exercise cells from its staging file."""
    staged = STAGING / f"{path.stem}.json"
    if not staged.exists():
        raise SystemExit(f"{staged} is missing: run `scripts/exercises.py stage`")
    cells = json.loads(staged.read_text(encoding="utf-8"))
    answers = None
    if solutions:
        from nnbook.exercises import exercises

        answers = {e.id: e.answer_cell(e.solution) for e in exercises(topic_of(path))}
    nb = with_exercises(_read(path), cells, answers)
    _write(path, nb)
    return sum(
        1 for c in cells if c["metadata"][MARKER]["exercises"]["part"] == "answer"
    )


def remove(path: Path) -> None:
    """Take a chapter's exercise cells out."""
    nb = _read(path)
    _write(path, {**nb, "cells": [c for c in nb["cells"] if not is_exercise_cell(c)]})


def execute(paths: list[Path]) -> None:
    """Run ``scripts/regenerate.py`` on the notebooks (fresh kernels)."""
    cmd = [sys.executable, str(ROOT / "scripts" / "regenerate.py"), *map(str, paths)]
    subprocess.run(cmd, check=True)


def verdicts(path: Path) -> dict[str, str]:
    """Exercise id -> the first line of its answer cell's stored output."""
    found = {}
    for cell in _read(path)["cells"]:
        info = cell.get("metadata", {}).get(MARKER, {}).get("exercises", {})
        if info.get("part") != "answer":
            continue
        texts = [
            "".join(o.get("data", {}).get("text/plain", ""))
            for o in cell.get("outputs", [])
            if o.get("output_type") == "execute_result"
        ]
        found[info["id"]] = texts[0].splitlines()[0] if texts else "(no output)"
    return found


def trial(directory: Path, solutions: bool) -> int:
    """Copy, append and execute every chapter in ``directory``; report verdicts."""
    directory.mkdir(parents=True, exist_ok=True)
    copies = []
    for stem in _chapters().values():
        src = ROOT / "chapters" / f"{stem}.ipynb"
        dst = directory / src.name
        shutil.copyfile(src, dst)
        append(dst, solutions=solutions)
        copies.append(dst)
    execute(copies)
    want = "right." if solutions else "not answered yet."
    bad = 0
    for path in copies:
        for line in verdicts(path).values():
            ok = line.endswith(want)
            bad += not ok
            print(f"{'ok ' if ok else 'BAD'} {path.name:24} {line}")
    print(f"{bad} answer cells did not say {want!r}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("stage", help="write exercises/staging/*.json")
    p_append = sub.add_parser("append", help="append the exercise cells to chapters")
    p_append.add_argument("notebooks", nargs="+", type=Path)
    p_append.add_argument(
        "--execute",
        action="store_true",
        help="then re-execute each chapter in a fresh kernel",
    )
    p_remove = sub.add_parser("remove", help="take the exercise cells out")
    p_remove.add_argument("notebooks", nargs="+", type=Path)
    p_trial = sub.add_parser("trial", help="append and execute copies of the chapters")
    p_trial.add_argument("directory", type=Path)
    p_trial.add_argument(
        "--solutions",
        action="store_true",
        help="answer cells hold the reference solutions",
    )
    args = parser.parse_args(argv)
    if args.command == "stage":
        for path in stage():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    if args.command == "append":
        for path in args.notebooks:
            n = append(path)
            print(f"{path}: {n} exercises appended (or replaced)")
        if args.execute:
            execute(args.notebooks)
        return 0
    if args.command == "remove":
        for path in args.notebooks:
            remove(path)
        return 0
    return trial(args.directory, args.solutions)


if __name__ == "__main__":
    sys.exit(main())
