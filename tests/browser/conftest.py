"""Browser tests: the built website in headless Debian Chromium, offline.

They run in ``make browser`` (a step of ``make test``, after the strict build),
which sets ``NNBOOK_BROWSER=1``. Anywhere else (``make unit``, a bare
``pytest tests``) they are skipped, because the site may not be built yet.

Environment:
    NNBOOK_BROWSER: ``1`` to run these tests.
    NNBOOK_SITE: the built site to check (default ``_build/html``).
    NNBOOK_CHROMIUM: the Chromium binary (default ``/usr/bin/chromium``).
    CI: ``true`` turns a missing Chromium or Playwright into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import sitecheck

HERE = Path(__file__).resolve().parent
SITE = sitecheck.SITE
ENABLED = os.environ.get("NNBOOK_BROWSER") == "1"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
INSTALL_HINT = (
    "install Debian's Chromium (as root: `apt-get install chromium`, or "
    "`make browser-deps`) and Playwright for Python (`pip install -r "
    "requirements.txt`); never `playwright install`"
)


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(
        reason="browser tests run in `make browser`, after the site is built "
        "(NNBOOK_BROWSER=1)"
    )
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


def _unavailable(why: str) -> None:
    message = f"BROWSER TEST NOT RUN: {why}; {INSTALL_HINT}"
    if IN_CI:
        pytest.fail(message + " (CI=true: the browser test must run)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright, with the quiet flags."""
    if not Path(sitecheck.CHROMIUM).is_file():
        _unavailable(f"no Chromium at {sitecheck.CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package `playwright` is not installed")
    with sitecheck.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def site_checker(browser):
    """A checker for the built site, served on 127.0.0.1."""
    with sitecheck.serve(SITE) as url:
        yield sitecheck.SiteChecker(SITE, url, browser)


def pytest_sessionstart(session):
    """Start the run with no page records (not on xdist workers)."""
    if ENABLED and not hasattr(session.config, "workerinput"):
        shutil.rmtree(sitecheck.REPORT_DIR, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    if not ENABLED or not sitecheck.REPORT_DIR.is_dir():
        return
    records = [
        json.loads(p.read_text()) for p in sorted(sitecheck.REPORT_DIR.glob("*.json"))
    ]
    if not records:
        return
    write = terminalreporter.write_line
    total = sitecheck.summarize(records)
    terminalreporter.section("website in a browser")
    write(f"site: {SITE}")
    write(
        f"pages: {total['pages']}, images: {total['images']}, math elements: "
        f"{total['math']}, widget views: {total['widgets']}, scrubbers: "
        f"{total['scrubbers']}, internal links: {total['links']}"
    )
    write(
        "axe violations (nodes) by severity: "
        + ", ".join(f"{k} {v}" for k, v in total["axe"].items())
    )
    for rule, pages in sorted(total["axe_rules"].items()):
        write(f"  {rule} on {pages} page(s)")
    write(
        f"problems: {total['problems']}; time in pages: {total['seconds']:.1f} s "
        "(summed over workers)"
    )
    for kind, detail, why, pages in total["waived"]:
        write(f"waived on {pages} page(s) (known, not the book's): [{kind}] {detail}")
        write(f"  why: {why}")
    out = SITE.parent / "browser-report.json"
    out.write_text(json.dumps(total, indent=1) + "\n")
    write(f"report: {out}")
