"""Every page of the built website, opened in headless Chromium with the network off.

Run by ``make browser`` after the strict build; ``NNBOOK_SITE`` picks another
build (default ``_build/html``). What each page must satisfy is listed in
``sitecheck.py``; new chapters, figures, widgets and scrubbers are picked up
without changing this file.
"""

from __future__ import annotations

import re

import pytest
import sitecheck

SITE = sitecheck.SITE

PAGES = sitecheck.site_pages(SITE)
WIDGET_VIEW = re.compile(r'type="application/vnd\.jupyter\.widget-view\+json"')


def test_the_site_is_built():
    assert PAGES, f"no HTML pages under {SITE}: build first (`make build-strict`)"
    assert "intro.html" in PAGES


def test_mathjax_is_served_by_the_site():
    """sphinx-mathjax-offline copies MathJax into the site; no CDN."""
    assert (SITE / "_static" / "mathjax" / "tex-chtml.js").is_file(), (
        "MathJax is not in _static/mathjax: is sphinx-mathjax-offline in "
        "_config.yml extra_extensions?"
    )


def test_widget_pages_ship_the_widget_manager():
    """A page with widget views needs the vendored require.js and embed-amd.js."""
    for page in PAGES:
        text = (SITE / page).read_text(encoding="utf-8")
        if not WIDGET_VIEW.search(text):
            continue
        scripts = re.findall(r'<script[^>]+src="([^"]*)"', text)
        for name in ("require.js", "embed-amd.js"):
            found = [s for s in scripts if s.split("?")[0].endswith(name)]
            assert found, f"{page}: widget views but no {name}"
            assert not any(re.match(r"https?://", s) for s in found), (
                f"{page}: {name} from a CDN: {found}"
            )


@pytest.mark.parametrize("page", PAGES)
def test_page(site_checker, page):
    report = site_checker.check_page(page)
    sitecheck.save_record(report)
    assert not report.problems, f"{len(report.problems)} problem(s):\n" + (
        report.summary()
    )
