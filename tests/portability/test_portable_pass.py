"""The portable nbval pass can fail (scripts/portability_report.py).

The fixture notebook trains one small Keras model three ways. It is executed
afresh (nbclient, in a temporary copy) on the machine that runs the test, as
`make notebooks` would, since its stored digits belong to one CPU and one set
of package versions. Plain strict nbval then accepts all of it; the portable
pass (every perturbation of ``make
nbval-portable`` at once) must reject exactly the cell that prints an
unrounded float32 loss, and accept its twins: the float32 loss printed at
three decimals and the float64 loss printed with every digit.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "portability_report.py"
FIXTURE = ROOT / "tests" / "portability" / "fixtures" / "unrounded_loss.ipynb"
UNROUNDED_FLOAT32_CELL = 1  # nbval's code-cell index


def _load_script():
    spec = importlib.util.spec_from_file_location("_portability_report", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


report = _load_script()


ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


def _execute_fixture(dest: Path) -> Path:
    """The fixture, executed in a fresh kernel on this machine, saved to dest."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(FIXTURE, as_version=4)
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)  # the kernel inherits this process's environment
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3").execute(
            cwd=str(FIXTURE.parent)
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    path = dest / FIXTURE.name
    nbformat.write(notebook, path)
    return path


def _start(perturbation: str, notebook: Path, out: Path) -> subprocess.Popen:
    env = dict(os.environ, **ENV)
    cmd = [sys.executable, str(SCRIPT), perturbation, "--paths", str(notebook)]
    cmd += ["-n", "0", "--quiet", "--json", str(out), "--", "-q", "--tb=no"]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


@pytest.fixture(scope="module")
def passes(tmp_path_factory):
    """The fixture executed here, then plain and portable nbval on it, side by side."""
    tmp = tmp_path_factory.mktemp("passes")
    notebook = _execute_fixture(tmp)
    procs = {
        name: _start(name, notebook, tmp / f"{name}.json")
        for name in ("none", "portable")
    }
    results = {}
    for name, proc in procs.items():
        output, _ = proc.communicate(timeout=600)
        (result,) = json.loads((tmp / f"{name}.json").read_text())
        results[name] = (proc.returncode, result, output.decode())
    return results


def test_plain_pass_accepts_every_stored_output(passes):
    status, result, output = passes["none"]
    assert (status, result["failures"]) == (0, []), output
    assert result["counts"]["passed"] == 4


def test_portable_pass_rejects_the_unrounded_float32_loss_only(passes):
    status, result, output = passes["portable"]
    assert status == 1, output
    failed = [(f["cell"], f["when"]) for f in result["failures"]]
    assert failed == [(UNROUNDED_FLOAT32_CELL, "call")], output
    diff = result["failures"][0]["first_difference"]
    assert diff.startswith("'float32 loss, unrounded: "), diff
    stored, obtained = diff.split(" -> ")
    assert stored != obtained
    assert result["counts"]["passed"] == 3  # the rounded and float64 twins too


def test_every_perturbation_of_the_portable_pass_is_applied():
    _, applied = report.perturbation_env(report.PERTURBATIONS["portable"], base={})
    assert applied["PYTHONPATH"] == str(report.SHIM_DIR)
    assert applied["TF_NUM_INTRAOP_THREADS"] != str(len(os.sched_getaffinity(0)))
    if report.platform.machine().lower() in report.X86_64:
        assert applied["ONEDNN_MAX_CPU_ISA"] == "AVX"
        assert applied["NPY_DISABLE_CPU_FEATURES"] == "X86_V3"
    assert "OPENBLAS_CORETYPE" not in applied and "OPENBLAS_L2_SIZE" not in applied


def test_x86_only_variables_are_left_out_on_arm64(monkeypatch):
    monkeypatch.setattr(report.platform, "machine", lambda: "aarch64")
    env, applied = report.perturbation_env(
        report.PERTURBATIONS["portable"], base={"PYTHONPATH": "/elsewhere"}
    )
    assert set(applied) == {"TF_NUM_INTRAOP_THREADS", "PYTHONPATH"}
    assert env["PYTHONPATH"] == f"{report.SHIM_DIR}{os.pathsep}/elsewhere"
    _, applied = report.perturbation_env(report.PERTURBATIONS["numpy-x86-v2"], {})
    assert applied == {}


def test_first_difference_names_the_first_differing_line():
    assert report.first_difference(["a", "b 1.25", "c"], ["a", "b 1.26", "d"]) == (
        "'b 1.25' -> 'b 1.26'"
    )
    assert report.first_difference(["a"], ["a", "b"]) == "'<no line>' -> 'b'"
    long_a, long_b = "x" * 200 + "1", "x" * 200 + "2"
    clipped = report.first_difference([long_a], [long_b])
    assert clipped.count("x") < 100 and "1" in clipped and "2" in clipped


def test_the_makefile_runs_the_portable_pass_with_this_script():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nnbval-portable:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/portability_report.py portable" in recipe
    assert "OPENBLAS" not in makefile
