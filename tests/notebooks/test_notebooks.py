"""Static invariants of the committed chapter notebooks.

nbval proves that every stored output is what the code produces; these
checks prove that the notebooks were made the right way: by
``make notebooks`` in a fresh kernel, with quiet, small, described outputs.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))
from nnbook_eval import cell_problems, notebook_values  # noqa: E402

# NNBOOK_CHAPTERS checks another folder of chapters (converted copies, say).
CHAPTER_DIR = Path(os.environ.get("NNBOOK_CHAPTERS", ROOT / "chapters"))
CHAPTERS = sorted(CHAPTER_DIR.glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[dict]:
    return [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and "".join(c["source"]).strip()
    ]


def _src(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found in chapters/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_name_and_toc(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name
    toc = (ROOT / "_toc.yml").read_text()
    assert f"chapters/{path.stem}" in toc, f"{path.name} is not in _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_executed_in_order_in_a_fresh_kernel(path):
    nb = _load(path)
    counts = [c["execution_count"] for c in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; run `make notebooks`"
    )
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_outputs_are_clean(path):
    for cell in _code_cells(_load(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name}: stored error"
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", (
                    f"{path.name}: stderr output {''.join(out['text'])[:120]!r}"
                )
                assert "ETA:" not in "".join(out["text"]), "Keras progress bar"
            data = out.get("data", {})
            assert "image/svg+xml" not in data, f"{path.name}: SVG output, use PNG"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_seeded_once_at_the_top(path):
    cells = _code_cells(_load(path))
    first = _src(cells[0])
    assert re.search(r"set_seed\(|set_random_seed\(", first), (
        f"{path.name}: the first code cell must seed"
    )
    assert "TF_CPP_MIN_LOG_LEVEL" in first


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_widget_state_is_saved(path):
    nb = _load(path)
    has_views = any(
        WIDGET_VIEW in out.get("data", {})
        for c in _code_cells(nb)
        for out in c.get("outputs", [])
    )
    if has_views:
        state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {})
        assert state.get("state"), f"{path.name}: widget views but no saved state"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_ignored_outputs_say_why(path):
    for cell in _code_cells(_load(path)):
        if "nbval-ignore-output" in cell["metadata"].get("tags", []):
            assert re.search(r"#.*nbval", _src(cell)), (
                f"{path.name}: a cell tagged nbval-ignore-output must say why "
                f"in a comment mentioning nbval:\n{_src(cell)[:200]}"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_figures_are_described(path):
    for cell in _code_cells(_load(path)):
        has_png = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if not has_png:
            continue
        meta = cell["metadata"].get("mystnb", {})
        alt = meta.get("image", {}).get("alt", "")
        caption = meta.get("figure", {}).get("caption", "")
        assert len(alt) >= 20, f"{path.name}: a figure without alt text"
        assert len(caption) >= 20, f"{path.name}: a figure without a caption"


_MASK = [
    re.compile(r"```.*?```", re.S),  # fenced code and directives
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"\$[^$\n]+\$"),  # inline math
    re.compile(r"`[^`\n]*`"),  # inline code and roles
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\(\w[\w-]*\)="),  # labels
]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_hand_typed_results_in_prose(path):
    """Decimal results belong in {eval} values, not in the prose."""
    for cell in _load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = _src(cell)
        for pattern in _MASK:
            text = pattern.sub(" ", text)
        found = re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", text)
        assert not found, f"{path.name}: typed decimal numbers {found} in prose"


_GLUE_CODE = re.compile(r"\bglue\(|\bmyst_nb\b")
_GLUE_RECORD = "application/papermill.record/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_glue_left(path):
    """Prose values are {eval} roles over str variables, never myst_nb.glue
    (jupyterlab-myst cannot render glue; scripts/glue_to_eval.py converts)."""
    for index, cell in enumerate(_load(path)["cells"]):
        text = _src(cell)
        if cell["cell_type"] == "markdown":
            assert "{glue" not in text, (
                f"{path.name}: markdown cell {index} cites a glue role; use "
                "{eval} (python scripts/glue_to_eval.py converts a chapter)"
            )
        elif cell["cell_type"] == "code":
            assert not _GLUE_CODE.search(text), (
                f"{path.name}: code cell {index} uses myst_nb.glue; bind a str "
                "variable and cite it with {eval}"
            )
            for out in cell.get("outputs", []):
                assert not any(k.startswith(_GLUE_RECORD) for k in out.get("data", {}))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_eval_has_a_stored_str_result(path):
    """Each {eval} role has its str result stored by `make notebooks`, so
    JupyterLab and the website show it before anything runs."""
    problems = [
        f"markdown cell {index}: {problem}"
        for index, cell in enumerate(_load(path)["cells"])
        if cell["cell_type"] == "markdown"
        for problem in cell_problems(cell)
    ]
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_one_value_per_name_in_a_chapter(path):
    """The same name cited in two cells reads the same in both."""
    for expr, values in notebook_values(_load(path)).items():
        assert len(values) == 1, (
            f"{path.name}: {{eval}}`{expr}` reads differently in different cells: "
            + "; ".join(f"{v!r} in cells {c}" for v, c in values.items())
        )
