"""The test of the browser test: on broken pages, the checker reports each fault.

``fixtures/`` holds small hand-written pages, each broken in one way (a
missing alt text, a CDN script, a broken link, ...) and one with nothing
wrong. Pages that need the real markup of the book are written here: the
kernel-free scrubber from ``nnbook.widgets._scrubber`` (working, and with its
script removed so the slider moves nothing), an ipywidgets slider embedded
with and without the vendored widget manager, and math typeset by the
MathJax that sphinx-mathjax-offline ships.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
import sitecheck

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
WIDGETS_JS = sitecheck.REPO / "_widgets_js_root" / "ipywidgets"
A11Y_JS = sitecheck.REPO / "_static" / "nnbook-a11y.js"
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Fixture: {title}</title>{head}</head>
<body><main><article class="bd-article">
<h1>{title}</h1>
{body}
</article></main></body>
</html>
"""


def _mathjax_dir() -> Path | None:
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax"
    return path if (path / "tex-chtml.js").is_file() else None


def _scrubber(*, responsive: bool) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nnbook.widgets._scrubber import png_bytes, scrubber_html

    frames = []
    for colour in ("tab:blue", "tab:orange", "tab:green"):
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_facecolor(colour)
        frames.append(png_bytes(fig, dpi=20))
        plt.close(fig)
    html = scrubber_html(
        frames,
        ["1", "2", "3"],
        label="epoch",
        alt="Three coloured squares, one per epoch, standing in for frames.",
    )
    if not responsive:
        html = html[: html.index("<script>")] + "</div>"
    return html


def _widget_page(*, with_manager: bool) -> str:
    import ipywidgets
    from ipywidgets.embed import embed_data

    slider = ipywidgets.IntSlider(value=3, min=1, max=10, description="epochs")
    data = embed_data(views=[slider])
    # As on the site: the theme fixes (_static/nnbook-a11y.js) name the
    # slider's handle, which the widget toolkit leaves unnamed.
    head = (
        '<script src="nnbook-a11y.js"></script>'
        '<script src="ipywidgets/require.js"></script>'
        '<script src="ipywidgets/embed-amd.js"></script>'
        if with_manager
        else ""
    )
    body = (
        '<script type="application/vnd.jupyter.widget-state+json">'
        f"{json.dumps(data['manager_state'])}</script>\n"
        '<script type="application/vnd.jupyter.widget-view+json">'
        f"{json.dumps(data['view_specs'][0])}</script>"
    )
    slider.close_all()
    return PAGE.format(title="An ipywidgets slider", head=head, body=body)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("fixture-site")
    for path in FIXTURES.iterdir():
        shutil.copy(path, root / path.name)
    (root / "_sources").mkdir()
    (root / "_sources" / "chapter_no_download.ipynb").write_text("{}\n")
    for name, responsive in (("scrubber_ok", True), ("scrubber_stuck", False)):
        body = _scrubber(responsive=responsive)
        page = PAGE.format(title=f"A scrubber ({name})", head="", body=body)
        (root / f"{name}.html").write_text(page)
    (root / "widget_no_manager.html").write_text(_widget_page(with_manager=False))
    if WIDGETS_JS.is_dir():
        (root / "ipywidgets").symlink_to(WIDGETS_JS, target_is_directory=True)
        shutil.copy(A11Y_JS, root / A11Y_JS.name)
        (root / "widget_ok.html").write_text(_widget_page(with_manager=True))
    mathjax = _mathjax_dir()
    if mathjax is not None:
        (root / "_static").mkdir()
        (root / "_static" / "mathjax").symlink_to(mathjax, target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def check(fixture_site, browser):
    """``check(page)``: the page's report, computed once per page."""
    cache: dict[str, sitecheck.PageReport] = {}
    with sitecheck.serve(fixture_site) as url:
        checker = sitecheck.SiteChecker(fixture_site, url, browser)

        def _check(page: str) -> sitecheck.PageReport:
            if page not in cache:
                cache[page] = checker.check_page(page)
            return cache[page]

        yield _check


# Each broken page, and the kinds of problem the checker must report on it.
BROKEN = {
    "missing_alt.html": {"alt"},
    "cdn_script.html": {"blocked", "external"},
    "broken_link.html": {"link", "anchor"},
    "broken_image.html": {"image", "request"},
    "skipped_heading.html": {"heading"},
    "console_error.html": {"js-error"},
    "unrendered_math.html": {"math"},
    "axe_violation.html": {"axe"},
    "chapter_no_download.html": {"download"},
    "scrubber_stuck.html": {"scrubber"},
    "widget_no_manager.html": {"widget"},
}


@pytest.mark.parametrize("page", sorted(BROKEN))
def test_each_fault_is_reported(check, page):
    report = check(page)
    missing = BROKEN[page] - report.kinds()
    assert not missing, f"{page}: not reported: {missing}; got:\n{report.summary()}"


def test_a_good_page_passes(check):
    report = check("good.html")
    assert report.problems == [], report.summary()
    assert report.images == 1
    assert report.links == 3
    assert sum(report.axe[i] for i in sitecheck.FAIL_IMPACTS) == 0


def test_missing_alt_texts_are_counted(check):
    report = check("missing_alt.html")
    alt = [p.detail for p in report.problems if p.kind == "alt"]
    assert "3 of 4 image(s) lack alt text" in alt, alt
    assert len(alt) == 4  # one per image, and the count


def test_every_broken_link_is_reported(check):
    report = check("broken_link.html")
    details = " ".join(str(p) for p in report.problems)
    for href in ("no_such_page.html", "good.html#no-such-anchor", "#nowhere"):
        assert repr(href) in details, details
    assert "'#top'" not in details  # the good anchor is not reported


def test_axe_reports_the_severity(check):
    report = check("axe_violation.html")
    rules = " ".join(report.axe_rules)
    assert "critical: button-name" in rules, rules
    assert "serious: color-contrast" in rules, rules


def test_a_working_scrubber_passes(check):
    report = check("scrubber_ok.html")
    assert report.scrubbers == 1
    assert report.problems == [], report.summary()


def test_math_is_typeset_by_the_site_mathjax(check, fixture_site):
    if not (fixture_site / "_static" / "mathjax").exists():
        pytest.skip("sphinx-mathjax-offline is not installed")
    report = check("math_ok.html")
    assert report.math == 2
    assert report.problems == [], report.summary()


def test_widgets_render_from_the_vendored_manager(check, fixture_site):
    if not (fixture_site / "widget_ok.html").exists():
        pytest.skip(f"no vendored widget manager in {WIDGETS_JS}")
    report = check("widget_ok.html")
    assert report.widgets == 1
    assert report.problems == [], report.summary()


def test_no_error_is_waived():
    """Every console or script error fails the page: nothing is tolerated.

    (The duplicated sphinx-thebe script that once declared THEBE_JS_URL twice
    is removed at build time by _ext/nnbook_site.py, so no waiver remains.)
    """
    report = sitecheck.PageReport("page.html")
    report.add("js-error", "Identifier 'THEBE_JS_URL' has already been declared")
    report.add("console", "Identifier 'other' has already been declared")
    assert report.waived == []
    assert [p.kind for p in report.problems] == ["js-error", "console"]
