"""The chapters in JupyterLab, as a learner opens them with ``make lab``.

These tests run in ``make lab-test`` (a step of ``make test``), which sets
``NNBOOK_LAB=1``; anywhere else (``make unit``, a bare ``pytest tests``) they
are skipped.

Environment:
    NNBOOK_LAB: ``1`` to run these tests.
    NNBOOK_LAB_CHAPTERS: the notebooks to open (default ``chapters/``).
    NNBOOK_LAB_RUN: the one notebook that is run and played with (default
        ``02_concepts.ipynb``, or the first notebook with an explorer).
    NNBOOK_CHROMIUM: the Chromium binary (default ``/usr/bin/chromium``).
    CI: ``true`` turns a missing Chromium or Playwright into a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import labserver
import pytest
from labserver import DEST, SOURCE, git_status

HERE = Path(__file__).resolve().parent
ENABLED = os.environ.get("NNBOOK_LAB") == "1"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(
        reason="JupyterLab tests run in `make lab-test` (NNBOOK_LAB=1)"
    )
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


def _unavailable(why: str) -> None:
    message = (
        f"LAB TEST NOT RUN: {why}; install Debian's chromium (`make browser-deps`)"
        " and the lab requirements (`make lab-deps`)"
    )
    if IN_CI:
        pytest.fail(message + " (CI=true: the lab test must run)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def git_status_before() -> str:
    """``git status --porcelain`` before JupyterLab starts."""
    return git_status()


@pytest.fixture(scope="session")
def lab(git_status_before, tmp_path_factory):
    """JupyterLab started by ``make lab-server`` on copies of SOURCE."""
    try:
        import jupyterlab_myst  # noqa: F401
    except ImportError:
        _unavailable("jupyterlab-myst is not installed")
    shutil.rmtree(DEST, ignore_errors=True)
    log = tmp_path_factory.mktemp("lab") / "server.log"
    with labserver.running_lab(SOURCE, DEST, log) as server:
        yield server
    shutil.rmtree(DEST, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright (tests/browser's flags)."""
    if not Path(labserver.CHROMIUM).is_file():
        _unavailable(f"no Chromium at {labserver.CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package `playwright` is not installed")
    with labserver.chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser, lab):
    """A fresh browser page; the kernels it started are stopped afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
    lab.shutdown_kernels()
