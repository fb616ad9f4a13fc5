"""The package as a whole: its layers hold, and it installs on its own.

The layers are an import-linter contract in ``pyproject.toml``
(``[tool.importlinter]``); ``make test`` runs ``lint-imports``. These tests
prove the contract is the real one: it passes on the package, and a copy of
the package with one import the wrong way fails it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_contract_names_every_part_of_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    apart = {  # parts outside the layers, each under a contract of its own
        m
        for c in config["contracts"]
        if c["type"] == "forbidden"
        for m in c["source_modules"]
        if m not in layers
    }
    parts = {
        f"nnbook.{p.stem}"
        for p in (ROOT / "nnbook").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    assert apart == {"nnbook.exercises"}, apart
    assert parts - apart == set(layers), (
        f"add {parts - apart - set(layers)} to the layers contract"
    )
    assert layers[-1] == "nnbook._checks" and layers[0] == "nnbook.widgets"


def test_the_package_keeps_its_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "message"),
    [
        (
            "models/tabular.py",
            "from nnbook.widgets import ProjectExplorer",
            "nnbook.models is not allowed to import nnbook.widgets",
        ),
        (
            "widgets/threshold.py",
            "from nnbook.explain._core import forward",
            "nnbook.widgets is not allowed to import nnbook.explain._core",
        ),
    ],
)
def test_a_wrong_way_import_breaks_the_contract(tmp_path, module, line, message):
    shutil.copytree(ROOT / "nnbook", tmp_path / "nnbook")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "nnbook" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa: E402, F401\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert message in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("NNBOOK_SLOW") != "1", reason="minutes; set NNBOOK_SLOW=1 to run"
)
def test_pip_install_alone_gives_an_importable_package(tmp_path):
    """``pip install .`` in a fresh venv: every module imports and a model trains."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        check=True,
        timeout=1800,
    )
    code = (
        "import importlib, pkgutil, nnbook\n"
        "names = [m.name for m in pkgutil.walk_packages(nnbook.__path__, 'nnbook.')]\n"
        "[importlib.import_module(n) for n in names]\n"
        "from nnbook.data import make_seed_data\n"
        "from nnbook.models import build_seed_mlp\n"
        "from nnbook.training import train\n"
        "from nnbook.plots.style import STYLE\n"
        "import matplotlib.pyplot as plt; plt.style.use(STYLE)\n"
        "d = make_seed_data(); m = build_seed_mlp()\n"
        "train(m, d.X_train, d.y_train, epochs=1)\n"
        "print('ok', len(names))\n"
    )
    out = subprocess.run(
        [str(python), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("ok")
