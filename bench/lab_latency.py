"""How fast does the project explorer answer in JupyterLab? Release to image.

Starts JupyterLab the way ``make lab`` does (``make lab-server``: copies of
the chapters, trusted, jupyterlab-myst), opens chapter 05 in headless
Chromium (Playwright driving Debian's ``chromium``, as ``tests/browser``
does), runs it (Run All Cells), then moves each control of the project
explorer twice, there and back: a mouse drag and release on each slider, a
new choice in the dropdown. For each move it times, in the page, the release
(``mouseup``, or the dropdown's ``change``) to the new ``<img>`` decoded in
the page: kernel round trip, debounce, retraining, PNG, transfer and render.

Then, in this process, it measures ``bench/slider_latency.py``'s in-process
path (``ProjectExplorer.update`` on its fixed changes) in the same run, and
prints the ratio of the two medians.

Usage::

    .venv/bin/python bench/lab_latency.py [--chapters DIR]

The last line reads
``lab_median_ms=<n> update_median_ms=<n> ratio=<x>``. Target: ratio <= 2.
The machine's load average is printed: other processes slow both paths.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lab"))
sys.path.insert(0, str(ROOT / "bench"))

CHAPTER = "05_project.ipynb"
DEST = ROOT / "lab" / ".lab-bench"  # inside make lab's ignored folder

# Record, in page time, every release and every new explorer image decoded.
_PROBE_JS = """
(explorer) => {
  window.__nnbook = {releases: [], images: []};
  const record = (kind) => (event) => window.__nnbook.releases.push(
      [kind, performance.now()]);
  document.addEventListener('mouseup', record('mouseup'), true);
  explorer.addEventListener('change', record('change'), true);
  const view = explorer.querySelectorAll('.widget-html');
  const target = view[view.length - 1];
  new MutationObserver(() => {
    const img = target.querySelector('img');
    if (!img) return;
    img.decode().catch(() => null).then(() =>
      window.__nnbook.images.push([img.src.length, performance.now()]));
  }).observe(target, {childList: true, subtree: true, attributes: true});
}
"""


def _latency(page, before_images: int, timeout_s: float = 60) -> float:
    """Wait for a new image after the last release; return release -> image."""
    page.wait_for_function(
        f"window.__nnbook.images.length > {before_images}",
        timeout=timeout_s * 1000,
        polling=10,
    )
    page.wait_for_timeout(300)  # a second image would mean a second render
    probe = page.evaluate("window.__nnbook")
    release = probe["releases"][-1][1]
    first = next(t for _, t in probe["images"][before_images:] if t >= release)
    return first - release


def _drag(page, handle, dx: float) -> None:
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=4)
    page.mouse.up()


def measure_lab(
    chapters: Path, log: Path, chapter: str = CHAPTER
) -> tuple[list[tuple[str, float]], float]:
    """Release -> image times in JupyterLab, one per move, and Run All's time."""
    import labserver
    import test_lab

    shutil.rmtree(DEST, ignore_errors=True)
    rows = []
    with (
        labserver.running_lab(chapters, DEST, log) as lab,
        labserver.chromium() as browser,
    ):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(120_000)
        nb = json.loads((DEST / chapter).read_text(encoding="utf-8"))
        labserver.open_notebook(page, lab, chapter, nb, workspace="bench")
        t0 = time.perf_counter()
        test_lab.run_all(page, timeout_s=1200)
        run_all_s = time.perf_counter() - t0
        explorer = page.locator(".nnbook-explorer").first
        explorer.scroll_into_view_if_needed()
        page.evaluate(_PROBE_JS, explorer.element_handle())
        sliders = explorer.locator(".widget-slider")
        for i in range(sliders.count()):
            slider = sliders.nth(i)
            name = slider.locator(".widget-label").first.inner_text().strip()
            handle = slider.locator(".noUi-handle").first
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute(
                "aria-valuemax"
            )
            sign = -1 if at_max else 1  # a slider at its maximum moves left first
            track = slider.locator(".noUi-base").first.bounding_box()
            step = 0.3 * track["width"] * sign  # a third of the way along
            for label, dx in (("there", step), ("back", -step)):
                before = len(page.evaluate("window.__nnbook.images"))
                readout = slider.locator(".widget-readout").first
                value = readout.inner_text()
                _drag(page, handle, dx)
                if readout.inner_text() == value:
                    raise RuntimeError(f"dragging {name} did not change its value")
                rows.append((f"{name} ({label})", _latency(page, before)))
        select = explorer.locator("select").first
        if select.count():
            options = select.locator("option").all_inner_texts()
            start = select.input_value()
            for value in [o for o in options if o != start][:1] + [start]:
                before = len(page.evaluate("window.__nnbook.images"))
                select.select_option(value)
                rows.append((f"dropdown -> {value}", _latency(page, before)))
        context.close()
        lab.shutdown_kernels()
    shutil.rmtree(DEST, ignore_errors=True)
    return rows, run_all_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=Path, default=ROOT / "chapters")
    parser.add_argument("--chapter", default=CHAPTER, help="the notebook to run")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    log = ROOT / "_build" / "lab-latency-server.log"
    log.parent.mkdir(exist_ok=True)
    rows, run_all_s = measure_lab(args.chapters.resolve(), log, args.chapter)

    import slider_latency  # the in-process path, measured now, in this run

    startup, _, update_rows = slider_latency.explorer_times()
    update_ms = [r[1] for r in update_rows]

    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        f"Run All of {args.chapter} in JupyterLab {run_all_s:.0f} s; in-process "
        f"explorer start-up {startup:.1f} s"
    )
    print(f"{'#':>2}  {'control (move)':<34} {'release -> image ms':>19}")
    for i, (name, ms) in enumerate(rows, 1):
        print(f"{i:>2}  {name:<34} {ms:19.0f}")
    lab_ms = [ms for _, ms in rows]
    lab_median = statistics.median(lab_ms)
    update_median = statistics.median(update_ms)
    print(
        f"JupyterLab: median {lab_median:.0f} ms, max {max(lab_ms):.0f} ms over "
        f"{len(lab_ms)} moves; in-process update: median {update_median:.0f} ms, "
        f"max {max(update_ms):.0f} ms over {len(update_ms)} changes"
    )
    print(
        f"lab_median_ms={lab_median:.0f} update_median_ms={update_median:.0f} "
        f"ratio={lab_median / update_median:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
