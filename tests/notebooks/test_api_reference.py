"""The API reference (chapters/api.md) documents every public module of nnbook.

The page is generated from the docstrings by Sphinx autodoc, so functions
never drift; but a new *module* must be listed once. This test names it.
"""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import nnbook

API_PAGE = Path(__file__).resolve().parents[2] / "chapters" / "api.md"


SUBPACKAGES = (
    "nnbook.data",
    "nnbook.losses",
    "nnbook.models",
    "nnbook.training",
    "nnbook.explain",
    "nnbook.plots",
    "nnbook.widgets",
)


def _public_modules() -> list[str]:
    return sorted(
        f"nnbook.{info.name}"
        for info in pkgutil.iter_modules(nnbook.__path__)
        if not info.name.startswith("_")
    )


def _documented() -> list[str]:
    return re.findall(r"^\.\. automodule:: (\S+)$", API_PAGE.read_text(), re.M)


def test_every_public_module_is_in_the_api_reference():
    documented = set(_documented())
    missing = [m for m in _public_modules() if m not in documented]
    assert not missing, f"add an automodule block for {missing} to chapters/api.md"


def test_the_api_reference_names_only_real_modules_once():
    import importlib

    documented = _documented()
    assert len(documented) == len(set(documented)), "a module is listed twice"
    for name in documented:
        importlib.import_module(name)  # raises if the module does not exist


def test_subpackage_all_names_exist():
    """Sub-packages are documented through ``__all__``; each name must exist."""
    import importlib

    for pkg in SUBPACKAGES:
        package = importlib.import_module(pkg)
        exported = set(package.__all__)
        for name in exported:
            assert hasattr(package, name), f"{pkg}.__all__ lists missing {name}"


def test_submodule_helpers_are_in_the_api_reference():
    """Names a sub-package does not re-export are listed under their module."""
    import importlib

    text = API_PAGE.read_text()
    listed = {
        mod: {n.strip() for n in members.split(",")}
        for mod, members in re.findall(
            r"^\.\. automodule:: (\S+)\n\s+:members: (.+)$", text, re.M
        )
    }
    missing = []
    for pkg in SUBPACKAGES:
        package = importlib.import_module(pkg)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("_"):
                continue
            name = f"{pkg}.{info.name}"
            module = importlib.import_module(name)
            for public in getattr(module, "__all__", []):
                if public not in package.__all__ and public not in listed.get(
                    name, set()
                ):
                    missing.append(f"{name}.{public}")
    assert not missing, f"list {missing} in chapters/api.md (or re-export them)"
