"""Screenshots of the built website for the README (``make screenshots``).

Same tooling as the browser test: the site served on 127.0.0.1, headless
Debian Chromium through Playwright, every non-local request blocked.

- ``project-explorer.png``: ``chapters/05_project.html``, scrolled to its
  explorer (a kernel-free scrubber, an ipywidgets view, or a section whose
  heading names an explorer) when the page has one, else to its first figure.
- ``attribution-figure.png``: ``chapters/06_explaining.html`` at its first
  figure when that chapter is built with figures, else the first chapter page
  with a figure.

Usage: ``python tests/browser/screenshots.py [OUT_DIR]`` (default
``docs/screenshots``); ``NNBOOK_SITE`` picks the build (default ``_build/html``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import sitecheck

VIEWPORT = {"width": 1280, "height": 800}
EXPLORER_PAGE = "chapters/05_project.html"
ATTRIBUTION_PAGES = ("chapters/06_explaining.html",)
# Where to scroll, best first: the first selector that matches wins.
EXPLORER_TARGETS = (
    ".widget-subarea",  # the explorer itself, rendered from its saved state
    ".nnbook-scrubber",
    "heading:explor",  # a section heading that names an explorer
    "figure",
    "img",
)
FIGURE_TARGETS = (
    "figure#fig-explain-global",
    "figure#fig-explain-samples",
    "figure",
    "img",
)
_SCROLL_JS = """
(target) => {
  let el = null;
  if (target.startsWith('heading:')) {
    const word = new RegExp(target.slice(8), 'i');
    el = Array.from(document.querySelectorAll('article h2, article h3'))
      .find((h) => word.test(h.textContent));
  } else {
    el = document.querySelector('article ' + target);
  }
  if (!el) return false;
  el.scrollIntoView({block: 'start'});
  window.scrollBy(0, -70);  // clear the sticky header
  return true;
}
"""


def _has_figure(path: Path) -> bool:
    return path.is_file() and "<img" in path.read_text(encoding="utf-8")


def _first_page_with_figure(root: Path) -> str | None:
    for page in sitecheck.site_pages(root):
        if page.startswith("chapters/") and _has_figure(root / page):
            return page
    return None


def shoot(browser, base_url: str, page: str, targets, out: Path) -> str:
    """Screenshot ``page`` scrolled to the first of ``targets``; say which."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base_url)
            else route.abort("blockedbyclient")
        ),
    )
    pg = context.new_page()
    pg.goto(base_url + page, wait_until="load")
    pg.evaluate(sitecheck._WAIT_JS, sitecheck.WIDGET_VIEW)
    where = next((t for t in targets if pg.evaluate(_SCROLL_JS, t)), "top")
    pg.wait_for_timeout(300)  # let the theme settle after the scroll
    out.parent.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(out))
    context.close()
    return where


def main(argv: list[str]) -> int:
    root = sitecheck.SITE
    out_dir = Path(argv[1]) if len(argv) > 1 else sitecheck.REPO / "docs/screenshots"
    if not (root / EXPLORER_PAGE).is_file():
        print(f"no {EXPLORER_PAGE} under {root}: build the book first")
        return 1
    attribution = next(
        (p for p in ATTRIBUTION_PAGES if _has_figure(root / p)), None
    ) or _first_page_with_figure(root)
    with sitecheck.serve(root) as url, sitecheck.chromium() as browser:
        for page, targets, name in (
            (EXPLORER_PAGE, EXPLORER_TARGETS, "project-explorer.png"),
            (attribution, FIGURE_TARGETS, "attribution-figure.png"),
        ):
            if page is None:
                print(f"skipped {name}: no chapter page with a figure")
                continue
            where = shoot(browser, url, page, targets, out_dir / name)
            print(f"wrote {out_dir / name}: {page} at {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
