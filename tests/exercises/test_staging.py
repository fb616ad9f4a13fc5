"""The staged cells: up to date, idempotent to append, valid notebook cells."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest

from nnbook.exercises import CHAPTERS, chapter_cells, exercises

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "exercises_script", ROOT / "scripts" / "exercises.py"
)
script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(script)


@pytest.mark.parametrize("topic", list(CHAPTERS))
def test_staging_files_match_the_definitions(topic):
    path = ROOT / "exercises" / "staging" / f"{CHAPTERS[topic]}.json"
    assert path.read_text(encoding="utf-8") == script.staged_text(topic), (
        f"{path.name} is stale: run `python scripts/exercises.py stage`"
    )


@pytest.mark.parametrize("topic", list(CHAPTERS))
def test_cells_are_valid_and_say_what_the_book_needs(topic):
    import nbformat

    cells = chapter_cells(topic)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.from_dict(c) for c in cells]
    nbformat.validate(nb)
    assert len({c["id"] for c in cells}) == len(cells)
    text = "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )
    for ex in exercises(topic):
        assert f":::{{exercise}} {ex.title}\n:label: {ex.label}" in text
        assert f":::{{solution}} {ex.label}\n:class: dropdown" in text
    # The prose rule of tests/test_notebooks.py: no typed decimal results.
    masked = text
    for pattern in (r"```.*?```", r"\$\$.*?\$\$", r"\$[^$\n]+\$", r"`[^`\n]*`"):
        masked = re.sub(pattern, " ", masked, flags=re.S)
    assert not re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", masked)


@pytest.mark.parametrize("topic", list(CHAPTERS))
def test_every_chapter_ends_with_its_staged_exercises(topic):
    """The staged cells are in the committed chapter, in order, at its end."""
    path = ROOT / "chapters" / f"{CHAPTERS[topic]}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    staged = chapter_cells(topic)
    tail = cells[-len(staged) :]
    assert ["".join(c["source"]) for c in tail] == [
        "".join(c["source"]) for c in staged
    ], (
        f"{path.name} does not end with its exercises: run "
        f"`python scripts/exercises.py append {path.relative_to(ROOT)} --execute`"
    )


def test_append_is_idempotent_and_replaces(tmp_path):
    src = ROOT / "chapters" / f"{CHAPTERS['loss']}.ipynb"
    nb_path = tmp_path / src.name
    shutil.copyfile(src, nb_path)
    script.remove(nb_path)  # the committed chapter may end with its exercises
    original = json.loads(nb_path.read_text())
    n = script.append(nb_path)
    once = nb_path.read_text()
    assert n == len(exercises("loss"))
    script.append(nb_path)
    assert nb_path.read_text() == once  # twice: nothing changes
    appended = json.loads(once)
    assert appended["cells"][: len(original["cells"])] == original["cells"]
    assert len(appended["cells"]) == len(original["cells"]) + 2 + 3 * n
    script.append(nb_path, solutions=True)  # replaces, does not add
    solved = json.loads(nb_path.read_text())
    assert len(solved["cells"]) == len(appended["cells"])
    answers = [c for c in solved["cells"] if "-answer" in c["id"]]
    assert all("..." not in "".join(c["source"]).split("\n")[-2] for c in answers)
    script.remove(nb_path)
    assert json.loads(nb_path.read_text())["cells"] == original["cells"]
