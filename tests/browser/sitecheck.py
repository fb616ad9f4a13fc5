"""Check the built website the way a reader meets it: in headless Chromium, offline.

The site is served on 127.0.0.1 by a throw-away HTTP server and opened in
Debian's Chromium driven by Playwright (never a downloaded browser). Every
request that is not for that server is blocked and reported. For one page,
:meth:`SiteChecker.check_page` returns a :class:`PageReport` whose
``problems`` list is empty when the page is fine:

- no console errors, no uncaught exceptions, no failed or blocked requests,
  no resource (script, stylesheet, image, frame) addressed to another host;
- math is typeset by the site's own MathJax (every ``.math`` element holds
  MathJax output);
- every ``<img>`` loads with a non-zero natural size and has meaningful alt text;
- every ipywidgets view is rendered by the widget manager the site serves;
- every kernel-free scrubber (``.nnbook-scrubber``) shows a new frame when its
  slider is moved with the keyboard;
- headings in the main content skip no level;
- axe-core (vendored in ``tests/browser/vendor``, not in the site) finds no
  serious or critical violation;
- every internal link and anchor resolves, and a chapter page built from a
  notebook offers that ``.ipynb`` for download.

Used by ``test_site.py`` (every page of the build), ``test_checker.py`` (broken
fixtures, to show each check can fail) and ``screenshots.py``.
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import json
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The built site to check: NNBOOK_SITE, else the build `make test` just made.
SITE = Path(os.environ.get("NNBOOK_SITE", REPO / "_build" / "html")).resolve()
AXE_JS = HERE / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
# Keep Chromium from phoning home (its own update, sync and background calls).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FAIL_IMPACTS = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Alt text that names a file or says only "image" describes nothing.
_GENERIC_ALT = {
    "image", "img", "figure", "fig", "plot", "picture", "graph", "chart",
    "output", "png", "screenshot", "untitled", "alt", "photo",
}  # fmt: skip
_FILENAME_ALT = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)
MIN_ALT_CHARS = 10
_REFRESH = re.compile(r"<meta[^>]+http-equiv=.?refresh", re.I)
TIMEOUT_MS = 20_000
# Problems that come from the toolchain, not from the book, each with why it is
# tolerated. They never fail a page, and every run prints them (kind, pattern).
# (None at present: the duplicated sphinx-thebe script that Sphinx 7.4 wrote
# into every page is removed by the local extension _ext/nnbook_site.py.)
KNOWN_ISSUES: list[tuple[str, str, str]] = []


@dataclass
class Problem:
    """One thing wrong with one page.

    Attributes:
        kind: A short stable key (``"alt"``, ``"request"``, ``"link"``, ...).
        detail: What is wrong, for a human.
    """

    kind: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.detail}"


@dataclass
class PageReport:
    """What :meth:`SiteChecker.check_page` found on one page."""

    page: str
    problems: list[Problem] = field(default_factory=list)
    images: int = 0
    math: int = 0
    widgets: int = 0
    scrubbers: int = 0
    links: int = 0
    axe: Counter = field(default_factory=Counter)
    axe_rules: list[str] = field(default_factory=list)
    axe_rules_seen: list[str] = field(default_factory=list)
    seconds: float = 0.0
    waived: list[Problem] = field(default_factory=list)

    def add(self, kind: str, detail: str) -> None:
        for known_kind, pattern, _why in KNOWN_ISSUES:
            if kind == known_kind and re.search(pattern, detail):
                self.waived.append(Problem(kind, detail))
                return
        self.problems.append(Problem(kind, detail))

    def kinds(self) -> set[str]:
        return {p.kind for p in self.problems}

    def summary(self) -> str:
        return "\n".join(f"{self.page}: {p}" for p in self.problems)


def site_pages(root: Path) -> list[str]:
    """Every HTML page of a built site, relative to ``root``, posix-style.

    Folders whose name starts with ``_`` (``_static``, ``_sources``,
    ``_images``) hold assets and templates, not pages.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not any(part.startswith("_") for part in p.relative_to(root).parts)
    )


class _IdCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (name == "name" and tag == "a"):
                if value:
                    self.ids.add(value)


@functools.lru_cache(maxsize=256)
def _ids_in(path: Path) -> frozenset[str]:
    parser = _IdCollector()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def _is_meaningful_alt(alt: str | None) -> bool:
    if alt is None:
        return False
    text = " ".join(alt.split())
    return (
        len(text) >= MIN_ALT_CHARS
        and " " in text
        and text.lower().strip(".") not in _GENERIC_ALT
        and not _FILENAME_ALT.search(text)
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base signature
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium(executable: str = CHROMIUM):
    """Launch headless Debian Chromium through Playwright; yield the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


# Everything the page can tell about itself in one round trip, after the
# widget manager and MathJax have had their chance to run.
_COLLECT_JS = """
async (widgetView) => {
  const withTimeout = (p, ms) => Promise.race(
    [p, new Promise((resolve) => setTimeout(resolve, ms))]);
  const imgs = Array.from(document.images);
  await withTimeout(Promise.all(imgs.map((img) => {
    img.loading = 'eager';
    return img.decode().catch(() => null);
  })), 10000);
  const math = Array.from(document.querySelectorAll('.math'));
  const views = Array.from(document.querySelectorAll(
    `script[type="${widgetView}"]`));
  const rendered = (v) => {
    const prev = v.previousElementSibling;
    return !!(prev && prev.classList.contains('widget-subarea')
              && prev.childElementCount > 0);
  };
  const main = document.querySelector('article.bd-article')
    || document.querySelector('main') || document.body;
  const origin = location.origin;
  const external = [];
  for (const el of document.querySelectorAll(
      'script[src], link[href], img[src], iframe[src], source[src], '
      + 'video[src], audio[src], embed[src], object[data]')) {
    if (el.tagName === 'LINK' && !/stylesheet|preload|icon|modulepreload|prefetch/i
        .test(el.rel)) continue;
    const url = el.src || el.href || el.data;
    if (/^https?:/.test(url) && new URL(url).origin !== origin) {
      external.push(el.tagName.toLowerCase() + ' ' + url);
    }
  }
  return {
    images: imgs.map((img) => ({
      src: (img.currentSrc || img.src).slice(0, 120),
      alt: img.getAttribute('alt'),
      width: img.naturalWidth, height: img.naturalHeight})),
    math: math.length,
    mathUnrendered: math.filter((m) => !m.querySelector('mjx-container'))
      .map((m) => m.textContent.trim().slice(0, 60)),
    mathjaxScripts: Array.from(document.querySelectorAll('script[src]'))
      .map((s) => s.src).filter((s) => /mathjax/i.test(s)),
    views: views.length,
    viewsUnrendered: views.filter((v) => !rendered(v)).length,
    headings: Array.from(main.querySelectorAll('h1, h2, h3, h4, h5, h6'))
      .map((h) => [+h.tagName[1], h.textContent.trim().slice(0, 60)]),
    links: Array.from(document.querySelectorAll('a[href]'))
      .map((a) => [a.getAttribute('href'), a.href]),
    ids: Array.from(document.querySelectorAll('[id], a[name]'))
      .map((e) => e.id || e.getAttribute('name')),
    external,
  };
}
"""

_WAIT_JS = """
async (widgetView) => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const views = document.querySelectorAll(`script[type="${widgetView}"]`);
  // No views, or no AMD loader for a widget manager: nothing will render.
  if (views.length === 0 || typeof window.require !== 'function') return true;
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const done = Array.from(views).every((v) => {
      const prev = v.previousElementSibling;
      return prev && prev.classList.contains('widget-subarea')
             && prev.childElementCount > 0;
    });
    if (done) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
"""

_AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
    count: v.nodes.length}));
}
"""


class SiteChecker:
    """Check pages of a site served from ``root`` at ``base_url``.

    Args:
        root: The folder served (a built ``_build/html``).
        base_url: Where :func:`serve` serves it (ends with ``/``).
        browser: A Playwright ``Browser`` (see :func:`chromium`).
    """

    def __init__(self, root: Path, base_url: str, browser) -> None:
        self.root = Path(root).resolve()
        self.base_url = base_url
        self.origin = base_url.rstrip("/")
        self.browser = browser

    # -- one page ---------------------------------------------------------
    def check_page(self, page: str, *, run_axe: bool = True) -> PageReport:
        """Open ``page`` (relative to the site root) and check everything."""
        report = PageReport(page)
        start = time.perf_counter()
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block"
        )
        context.route("**/*", lambda route: self._route(route, report))
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.on("console", lambda msg: self._console(msg, report))
        pg.on("pageerror", lambda err: report.add("js-error", str(err)[:300]))
        redirect = _REFRESH.search((self.root / page).read_text(errors="replace"))
        pg.on("requestfailed", lambda req: self._failed(req, report, redirect))
        pg.on("response", lambda resp: self._response(resp, report))
        try:
            if redirect:  # a bare redirect page (index.html): follow it, check that
                with pg.expect_navigation(wait_until="load"):
                    pg.goto(self.base_url + page)
                if not pg.url.startswith(self.origin + "/"):
                    report.add("link", f"redirects off the site to {pg.url[:200]}")
                elif not self._target(pg.url).is_file():
                    report.add("link", f"redirects to a missing page {pg.url[:200]}")
                report.links = 1
                return report
            pg.goto(self.base_url + page, wait_until="load")
            if not pg.evaluate(_WAIT_JS, WIDGET_VIEW):
                report.add("widget", "widget views still not rendered after 15 s")
            info = pg.evaluate(_COLLECT_JS, WIDGET_VIEW)
            self._check_resources(info, report)
            self._check_math(info, report)
            self._check_images(info, report)
            self._check_widgets(info, report)
            self._check_headings(info, report)
            self._check_links(page, info, report)
            self._check_download(page, info, report)
            if run_axe:
                self._check_axe(pg, report)
            self._check_scrubbers(pg, report)
        finally:
            context.close()
            report.seconds = time.perf_counter() - start
        return report

    # -- network and console ---------------------------------------------
    def _route(self, route, report: PageReport) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/") or url == self.origin:
            route.continue_()
        else:
            report.add("blocked", f"non-local request blocked: {url[:200]}")
            route.abort("blockedbyclient")

    @staticmethod
    def _console(msg, report: PageReport) -> None:
        if msg.type == "error":
            report.add("console", msg.text[:300])

    def _failed(self, req, report: PageReport, redirect) -> None:
        if not req.url.startswith(self.origin):
            return  # blocked, and reported as such already
        if redirect and req.resource_type == "document":
            return  # the redirect interrupts its own first navigation
        report.add("request", f"failed: {req.url[:200]} ({req.failure})")

    @staticmethod
    def _response(resp, report: PageReport) -> None:
        if resp.status >= 400:
            report.add("request", f"HTTP {resp.status}: {resp.url[:200]}")

    @staticmethod
    def _check_resources(info: dict, report: PageReport) -> None:
        for item in info["external"]:
            report.add("external", f"resource from another host: {item[:200]}")

    # -- content ---------------------------------------------------------
    def _check_math(self, info: dict, report: PageReport) -> None:
        report.math = info["math"]
        for src in info["mathjaxScripts"]:
            if not src.startswith(self.origin):
                report.add("math", f"MathJax not served by the site: {src[:200]}")
        if info["math"] and not info["mathjaxScripts"]:
            report.add("math", f"{info['math']} math element(s) but no MathJax")
        for text in info["mathUnrendered"]:
            report.add("math", f"math not typeset: {text!r}")

    @staticmethod
    def _check_images(info: dict, report: PageReport) -> None:
        images = info["images"]
        report.images = len(images)
        missing = [i for i in images if not _is_meaningful_alt(i["alt"])]
        for img in missing:
            report.add(
                "alt", f"no meaningful alt text ({img['alt']!r}) on {img['src']}"
            )
        if missing:
            report.add("alt", f"{len(missing)} of {len(images)} image(s) lack alt text")
        for img in images:
            if not (img["width"] > 0 and img["height"] > 0):
                report.add("image", f"image did not load: {img['src']}")

    @staticmethod
    def _check_widgets(info: dict, report: PageReport) -> None:
        report.widgets = info["views"]
        if info["viewsUnrendered"]:
            report.add(
                "widget",
                f"{info['viewsUnrendered']} of {info['views']} widget view(s) "
                "not rendered by the widget manager",
            )

    @staticmethod
    def _check_headings(info: dict, report: PageReport) -> None:
        levels = info["headings"]
        if levels and levels[0][0] != 1:
            report.add("heading", f"main content starts at h{levels[0][0]}")
        for (prev, _), (level, text) in zip(levels, levels[1:], strict=False):
            if level > prev + 1:
                report.add("heading", f"h{prev} then h{level} ({text!r})")

    def _target(self, url: str) -> Path | None:
        path = unquote(urlsplit(url).path)
        target = (self.root / path.lstrip("/")).resolve()
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target

    def _check_links(self, page: str, info: dict, report: PageReport) -> None:
        here_ids = set(info["ids"])
        for raw, url in info["links"]:
            if not url.startswith(self.origin + "/"):
                continue  # external (not followed offline), mailto:, javascript:
            report.links += 1
            target = self._target(url)
            if not target.is_relative_to(self.root) or not target.is_file():
                report.add("link", f"broken link {raw!r}")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if not fragment or target.suffix != ".html":
                continue
            ids = _ids_in(target)
            if target == (self.root / page).resolve():
                ids = ids | here_ids
            if fragment not in ids:
                report.add("anchor", f"no anchor #{fragment} for link {raw!r}")

    def _check_download(self, page: str, info: dict, report: PageReport) -> None:
        source = self.root / "_sources" / Path(page).with_suffix(".ipynb")
        if not source.is_file():
            return
        if not any(self._target(url) == source.resolve() for _, url in info["links"]):
            report.add("download", f"no download link to {source.name}")

    @staticmethod
    def _check_axe(pg, report: PageReport) -> None:
        pg.add_script_tag(path=str(AXE_JS))
        for v in pg.evaluate(_AXE_JS):
            impact = v["impact"] or "minor"
            report.axe[impact] += v["count"]
            report.axe_rules.append(f"{impact}: {v['id']} x{v['count']}")
            report.axe_rules_seen.append(f"{impact} {v['id']}")
            if impact in FAIL_IMPACTS:
                report.add(
                    "axe",
                    f"{impact} {v['id']} ({v['help']}) x{v['count']}: "
                    + "; ".join(v["nodes"]),
                )

    @staticmethod
    def _check_scrubbers(pg, report: PageReport) -> None:
        scrubbers = pg.locator(".nnbook-scrubber")
        report.scrubbers = scrubbers.count()
        for i in range(report.scrubbers):
            box = scrubbers.nth(i)
            name = box.get_attribute("id") or f"scrubber {i + 1}"
            slider, img = box.locator("input[type=range]"), box.locator("img")
            if slider.count() != 1 or img.count() != 1:
                report.add("scrubber", f"{name}: needs one range input and one img")
                continue
            lo, hi = slider.get_attribute("min"), slider.get_attribute("max")
            if lo is None or hi is None or float(hi) <= float(lo):
                report.add("scrubber", f"{name}: the slider has one position")
                continue
            before = img.evaluate("(i) => i.src")
            slider.scroll_into_view_if_needed()
            slider.focus()
            slider.press("End")  # the keyboard moves a slider, as a reader can
            img.evaluate("(i) => i.decode().catch(() => null)")
            after = img.evaluate("(i) => [i.src, i.naturalWidth]")
            if after[0] == before:
                report.add("scrubber", f"{name}: moving the slider kept the frame")
            elif not after[1]:
                report.add("scrubber", f"{name}: the new frame did not load")


# The site test saves one JSON record per page here (xdist workers included);
# conftest.py sums them up at the end of the run.
REPORT_DIR = SITE.parent / "browser-report.d"


def save_record(report: PageReport, folder: Path = REPORT_DIR) -> None:
    """Write ``report`` as JSON into ``folder`` (one file per page)."""
    record = {
        "page": report.page,
        "images": report.images,
        "math": report.math,
        "widgets": report.widgets,
        "scrubbers": report.scrubbers,
        "links": report.links,
        "axe": dict(report.axe),
        "axe_rules": report.axe_rules_seen,
        "problems": [str(p) for p in report.problems],
        "waived": [[p.kind, p.detail] for p in report.waived],
        "seconds": round(report.seconds, 2),
    }
    folder.mkdir(parents=True, exist_ok=True)
    name = report.page.replace("/", "__") + ".json"
    (folder / name).write_text(json.dumps(record, indent=1) + "\n")


def summarize(records: list[dict]) -> dict:
    """Totals over page records: counts, axe violations by severity, waivers."""
    axe: Counter = Counter({impact: 0 for impact in IMPACTS})
    rules: Counter = Counter()
    waived: Counter = Counter()
    for r in records:
        axe.update(r["axe"])
        rules.update(set(r["axe_rules"]))
        waived.update({tuple(w) for w in r["waived"]})

    def why(kind: str, detail: str) -> str:
        return next(
            (w for k, pat, w in KNOWN_ISSUES if k == kind and re.search(pat, detail)),
            "",
        )

    return {
        "pages": len(records),
        **{
            key: sum(r[key] for r in records)
            for key in ("images", "math", "widgets", "scrubbers", "links", "seconds")
        },
        "axe": dict(axe),
        "axe_rules": dict(rules),
        "problems": sum(len(r["problems"]) for r in records),
        "waived": [[k, d, why(k, d), n] for (k, d), n in waived.items()],
        "per_page": {r["page"]: r for r in records},
    }


def check_site(root: Path, pages: list[str] | None = None) -> list[PageReport]:
    """Check ``pages`` (default: every page) of the site in ``root``."""
    root = Path(root)
    pages = site_pages(root) if pages is None else pages
    with serve(root) as url, chromium() as browser:
        checker = SiteChecker(root, url, browser)
        return [checker.check_page(p) for p in pages]
