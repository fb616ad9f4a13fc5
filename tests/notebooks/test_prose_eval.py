"""Prose values ({eval}): the format, the Sphinx role, the nbval plugin, the
regeneration and the glue conversion, on the fixture ``fixtures/prose_values``.

The fixture is made like a chapter (``scripts/regenerate.py``): its markdown
cells cite str variables with ``{eval}``, one of them inside an admonition and
a table, one twice, one with an apostrophe; it ends with a tiny explorer.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "prose_values.ipynb"
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "scripts"))
import glue_to_eval  # noqa: E402
from nnbook_eval import (  # noqa: E402
    cell_problems,
    eval_expressions,
    notebook_values,
    prose_value,
)

ENV = dict(
    os.environ,
    TF_CPP_MIN_LOG_LEVEL="2",
    JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"),
    JUPYTER_PLATFORM_DIRS="1",
    MPLBACKEND="Agg",
)


def _fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _write(nb: dict, path: Path) -> Path:
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    return path


def _ok(text: str) -> dict:
    return {"status": "ok", "data": {"text/plain": text}, "metadata": {}}


# -- the format -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a {eval}`x` and {eval}`y_2`, {eval}`x`", ["x", "y_2", "x"]),
        ("the `{eval}` role (`_ext/x.py`) {eval}`a`", ["a"]),  # inline code
        ("```python\n{eval}`code`\n```\n{eval}`b`", ["b"]),  # a code block
        ("```{note}\nIn a note: {eval}`c`\n```", ["c"]),  # a directive's body
        ("````{admonition} T\n```{note}\n{eval}`d`\n```\n````", ["d"]),  # nested
        ("| a | {eval}`e` |\n| --- | --- |", ["e"]),  # a table cell
        ("``{eval}`f` `` is code", []),
        ("no roles {glue:text}`g`", []),
    ],
)
def test_eval_expressions(source, expected):
    assert eval_expressions(source) == expected


def test_prose_value():
    assert prose_value(_ok("'0.795'")) == "0.795"
    assert prose_value(_ok('"the model\'s habit"')) == "the model's habit"
    with pytest.raises(ValueError, match="not a str"):
        prose_value(_ok("0.795"))
    with pytest.raises(ValueError, match="escapes"):
        prose_value(_ok("'a\\nb'"))
    with pytest.raises(ValueError, match="NameError: name 'x'"):
        prose_value({"status": "error", "ename": "NameError", "evalue": "name 'x'"})
    with pytest.raises(ValueError, match="no text/plain"):
        prose_value({"status": "ok", "data": {}, "metadata": {}})


def test_cell_problems():
    cell = {"source": "{eval}`a` {eval}`b`", "metadata": {}}
    assert "no stored result for ['a', 'b']" in cell_problems(cell)[0]
    cell["metadata"]["user_expressions"] = [
        {"expression": "a", "result": _ok("'1'")},
        {"expression": "b", "result": _ok("2")},
    ]
    assert cell_problems(cell) == ["{eval}`b`: the value is not a str (its repr "
                                   "is '2'); bind the prose value to a formatted "
                                   "str, e.g. f'{x:.3f}'"]  # fmt: skip
    cell["source"] = "{eval}`x.y`"
    problems = cell_problems(cell)
    assert any("plain variable name" in p for p in problems)
    assert any("not cited ['a', 'b']" in p for p in problems)


def test_the_fixture_is_consistent():
    nb = _fixture()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            assert cell_problems(cell) == []
    values = notebook_values(nb)
    assert values["mean_text"] == {"-0.048": [2, 4]}  # cited twice, one value
    assert values["habit"] == {"the model's habit": [4]}


# -- regeneration ---------------------------------------------------------------


def test_regenerate_stores_the_values_as_committed(tmp_path):
    copy_path = _write(_fixture(), tmp_path / "fixture.ipynb")
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate.py"), "-j", "1",
         str(copy_path)],
        capture_output=True, text=True, env=ENV, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "s  " in run.stdout and "regenerated in" in run.stdout  # wall times
    fresh, committed = json.loads(copy_path.read_text()), _fixture()
    for new, old in zip(fresh["cells"], committed["cells"], strict=True):
        assert new["metadata"].get("user_expressions") == old["metadata"].get(
            "user_expressions"
        )


def test_regenerate_refuses_a_value_that_is_not_a_str(tmp_path):
    nb = _fixture()
    nb["cells"][3]["source"] = "verdict = 1\nhabit = 'h'"
    path = _write(nb, tmp_path / "bad.ipynb")
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate.py"), str(path)],
        capture_output=True, text=True, env=ENV, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1
    assert "markdown cell 4: {eval}`verdict`: the value is not a str" in run.stdout


# -- the nbval plugin -------------------------------------------------------------


def _nbval(*paths: Path, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
         "--rootdir", str(paths[0].parent),  # node ids relative to the copies
         "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg"),
         "-p", "tests.nbval_eval", "-p", "no:cacheprovider", "-q", *extra,
         *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=300,
    )  # fmt: skip


def test_plugin_passes_the_fixture_under_xdist_loadfile(tmp_path):
    a = _write(_fixture(), tmp_path / "a.ipynb")
    b = _write(_fixture(), tmp_path / "b.ipynb")
    run = _nbval(a, b, extra=("-n", "2", "--dist", "loadfile"))
    assert run.returncode == 0, run.stdout[-3000:]
    assert "14 passed" in run.stdout, run.stdout + run.stderr  # 7 items, twice


def test_plugin_fails_on_a_stale_value_and_names_it(tmp_path):
    nb = _fixture()
    entry = nb["cells"][4]["metadata"]["user_expressions"][0]
    entry["result"]["data"]["text/plain"] = "'positive'"  # the code says otherwise
    del nb["cells"][7]["metadata"]["user_expressions"]
    run = _nbval(_write(nb, tmp_path / "stale.ipynb"))
    assert run.returncode == 1
    assert (
        "stale.ipynb, markdown cell 4 (after code Cell 1): {eval}`verdict` is stored "
        "as 'positive' but the code now gives 'not positive'" in run.stdout
    )
    assert "markdown cell 7 (after code Cell 3): no stored result for ['k_text']" in (
        run.stdout
    )
    assert "2 failed, 5 passed" in run.stdout


# -- the Sphinx role ----------------------------------------------------------------


def _sphinx(tmp_path: Path, nb: dict) -> tuple[int, str, str]:
    src = tmp_path / "src"
    src.mkdir()
    _write(nb, src / "index.ipynb")
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "extensions = ['myst_nb', 'nnbook_eval']\n"
        "nb_execution_mode = 'off'\n"
        "exclude_patterns = ['_build', 'jupyter_execute']\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src),
         str(tmp_path / "out")],
        capture_output=True, text=True, env=ENV, timeout=300,
    )  # fmt: skip
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    return run.returncode, run.stderr, html


def test_role_renders_the_stored_values(tmp_path):
    code, warnings, html = _sphinx(tmp_path, _fixture())
    assert code == 0 and "WARNING" not in warnings, warnings
    assert html.count('class="nnbook-eval"') == 9  # every role, none missing
    assert 'The mean of <span class="nnbook-eval">1000</span> draws is ' in html
    assert ">not positive<" in html and "’s habit<" in html  # quotes stripped


def test_role_warns_on_missing_non_str_and_inconsistent_values(tmp_path):
    nb = copy.deepcopy(_fixture())
    cell2 = nb["cells"][2]["metadata"]["user_expressions"]
    nb["cells"][2]["metadata"]["user_expressions"] = [
        e for e in cell2 if e["expression"] != "n_scores"
    ]
    nb["cells"][4]["metadata"]["user_expressions"][1]["result"] = _ok("'0.5'")
    nb["cells"][7]["metadata"]["user_expressions"][0]["result"] = _ok("1")
    _, warnings, _ = _sphinx(tmp_path, nb)
    assert "index.ipynb:30002: WARNING: {eval}`n_scores`: no stored result in " in (
        warnings
    )
    assert "{eval}`mean_text`: stored with different values in one chapter" in warnings
    assert "{eval}`k_text`: the value is not a str" in warnings


# -- the glue conversion --------------------------------------------------------------


def _glue_chapter() -> nbformat.NotebookNode:
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        code("from myst_nb import glue\nimport numpy as np\n\nSEED = 0"),
        md("Learning rate {glue:text}`lr_text`."),
        code("LR, EPOCHS = 0.1, 5\nglue('lr_text', f'{LR:g}', display=False)\n"
             "acc = 0.81234\nglue('acc', f'{acc:.3f}', display=False)  # kept\n"
             "for i in range(2):\n    glue(f't{i}_n', str(i), display=False)\n"
             "glue('long',\n     'a' if acc > 0.5 else\n     'b',\n"
             "     display=False)"),
        code("from IPython.display import Markdown\n"
             "glue('table', Markdown('| a |\\n| --- |\\n| 1 |'), display=False)"),
        md("Rows {glue:text}`t0_n`, {glue}`t1_n`; {glue:text}`acc` is "
           "{glue:text}`long`.\n\n"
           "```{glue:md} table\n:format: myst\n```\n\nAfter the table."),
    ]  # fmt: skip
    return nb


def test_conversion_renames_hoists_and_drops_glue():
    nb = _glue_chapter()
    plan = glue_to_eval.convert(nb)
    src = [c.source for c in nb.cells]
    assert plan.renames == {"acc": "acc_text"}  # `acc` is a variable already
    assert src[0] == "import numpy as np\n\nSEED = 0"  # the import is gone
    assert src[1] == "LR, EPOCHS = 0.1, 5\nlr_text = f'{LR:g}'"  # hoisted above
    assert src[2] == "Learning rate {eval}`lr_text`."
    assert "acc_text = f'{acc:.3f}'  # kept" in src[3]
    assert "    globals()[f't{i}_n'] = str(i)" in src[3]
    assert "long = ('a' if acc > 0.5 else\n    'b')" in src[3]
    assert "LR, EPOCHS" not in src[3]
    assert "table = '| a |\\n| --- |\\n| 1 |'" in src[4]
    assert src[5] == (
        "Rows {eval}`t0_n`, {eval}`t1_n`; {eval}`acc_text` is {eval}`long`."
    )
    assert src[6] == "Markdown(table)"
    assert nb.cells[6].metadata == {
        "tags": ["remove-input"], "mystnb": {"markdown_format": "myst"}
    }  # fmt: skip
    assert src[7] == "After the table."
    assert not any("glue" in s for s in src)
    nbformat.validate(nb)
    compile("\n".join(s for c, s in zip(nb.cells, src, strict=True)
                      if c.cell_type == "code"), "nb", "exec")  # fmt: skip


def test_conversion_refuses_what_it_cannot_do_safely():
    nb = _glue_chapter()
    nb.cells[2].source = nb.cells[2].source.replace(
        "LR, EPOCHS = 0.1, 5", "LR, EPOCHS = float(np.float64(0.1)), 5"
    )
    with pytest.raises(glue_to_eval.ConversionError, match="--hoist-calls"):
        glue_to_eval.convert(copy.deepcopy(nb))
    glue_to_eval.convert(nb, hoist_calls=True)
    nb = _glue_chapter()
    nb.cells[1].source += " {glue:text}`t1_n`"  # cited before its loop runs
    with pytest.raises(glue_to_eval.ConversionError, match="in a loop or block"):
        glue_to_eval.convert(nb)
    nb = _glue_chapter()
    nb.cells[1].source += " {glue:text}`nowhere`"
    with pytest.raises(glue_to_eval.ConversionError, match="never glued"):
        glue_to_eval.convert(nb)
