"""Every chapter in JupyterLab reads as it does on the website.

``make lab``'s setup (copies in the ignored ``lab/``, ``jupyter trust``,
jupyterlab-myst, windowing off) is started by ``make lab-server``; each
chapter is opened in headless Chromium. Opening every chapter is cheap (no
cell runs); one chapter is run and played with.
"""

from __future__ import annotations

import json
import os
import re
import sys

import labserver
import pytest
from labserver import DEST, SOURCE, git_status

sys.path.insert(0, str(labserver.REPO / "_ext"))
from nnbook_eval import _mask_code_blocks, prose_value, stored_entries  # noqa: E402

NOTEBOOKS = sorted(SOURCE.glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Raw MyST that a learner must never see: roles, directives' fences, labels.
RAW_MYST = [
    (re.compile(r"\{(eval|glue[:\w]*|doc|ref|numref|term|download)\}"), "a raw role"),
    (re.compile(r"^\s*\(\w[\w-]*\)=\s*$", re.M), "a raw label line"),
    (re.compile(r"^\s*(```|:::)\{", re.M), "a raw directive"),
]


# Roles that jupyterlab-myst renders (and the book uses). Any other role
# shows only its content as plain text ({glue:text}`acc` reads "acc"), which
# the page alone cannot tell from prose, so the source is checked too.
RENDERED_ROLES = {"eval", "doc", "ref", "numref", "math", "term", "sub", "sup",
                  "abbr", "kbd"}  # fmt: skip
ROLE = re.compile(r"\{([\w:.-]+)\}`([^`\n]*)`")


def _has_explorer(path) -> bool:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return any(
        WIDGET_VIEW in out.get("data", {})
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
    )


def _run_target():
    name = os.environ.get("NNBOOK_LAB_RUN")
    if name:
        return SOURCE / name
    preferred = SOURCE / "02_concepts.ipynb"
    if preferred.exists():
        return preferred
    return next((p for p in NOTEBOOKS if _has_explorer(p)), None)


_PAGE_JS = """
() => {
  const nb = document.querySelector('NOTEBOOK');
  // The prose as read: code spans and blocks (which may show markup on
  // purpose) and typeset math left out.
  const md = Array.from(nb.querySelectorAll('.jp-MarkdownCell')).map((c) => {
    const area = c.querySelector('.jp-InputArea').cloneNode(true);
    area.querySelectorAll('code, pre, mjx-container, .MathJax, .katex, math, .math')
      .forEach((e) => e.replaceWith(' '));
    document.body.appendChild(area);  // innerText needs a rendered node
    const text = area.innerText;
    area.remove();
    return text;
  });
  const imgs = Array.from(nb.querySelectorAll('.jp-OutputArea-output .widget-html img'))
    .map((i) => ({alt: i.getAttribute('alt') || '', width: i.naturalWidth}));
  const explorers = Array.from(nb.querySelectorAll('.nnbook-explorer')).map((e) => {
    const note = e.querySelector('.nnbook-needs-kernel');
    const icons = Array.from(e.querySelectorAll('.jupyter-widgets-disconnected'))
      .concat([e]).filter((x) => {
        const c = getComputedStyle(x, '::before').content;
        return c && c !== 'none' && c !== 'normal';
      }).length;
    return {disconnected: e.classList.contains('jupyter-widgets-disconnected'),
            note: !!(note && note.offsetParent !== null), icons};
  });
  return {text: nb.innerText, markdown: md, imgs, explorers,
          views: nb.querySelectorAll('.jp-OutputArea-output .widget-vbox').length,
          scrubbers: nb.querySelectorAll('.nnbook-scrubber').length};
}
"""


def _stored_values(nb: dict) -> list[list[str]]:
    return [
        [prose_value(e["result"]) for e in stored_entries(c)]
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    ]


_PAGE_JS = _PAGE_JS.replace("NOTEBOOK", labserver.NOTEBOOK)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_reads_right_before_anything_runs(lab, page, path):
    nb = json.loads((DEST / path.name).read_text(encoding="utf-8"))
    labserver.open_notebook(page, lab, path.name, nb, workspace=path.stem)
    n_views = sum(
        WIDGET_VIEW in out.get("data", {})
        for c in nb["cells"]
        for out in c.get("outputs", [])
    )
    try:  # the widget manager draws stored explorers after the cells
        page.wait_for_function(
            "(n) => document.querySelectorAll("
            "'.jp-OutputArea-output .widget-vbox .widget-html img').length >= n",
            arg=n_views,
            timeout=30_000,
        )
    except Exception:  # noqa: BLE001 - the assertion below says what is missing
        pass
    info = page.evaluate(_PAGE_JS)
    cells = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]
    for index, text, values in zip(
        cells, info["markdown"], _stored_values(nb), strict=True
    ):
        source = "".join(nb["cells"][index]["source"])
        for role, content in ROLE.findall(_mask_code_blocks(source)):
            assert role in RENDERED_ROLES, (
                f"{path.name}: markdown cell {index} uses {{{role}}}, which "
                f"jupyterlab-myst does not render: the page shows {content!r}"
            )
        for pattern, what in RAW_MYST:
            found = pattern.search(text)
            assert not found, (
                f"{path.name}: {what} in markdown cell {index}: {found.group(0)!r}"
            )
        for value in values:  # every prose value is shown, stored, unrun
            assert value in text, (
                f"{path.name}: markdown cell {index} does not show {value!r}:\n"
                f"{text[:400]}"
            )
    assert "VBox(children=" not in info["text"], f"{path.name}: widget fallback text"
    assert info["views"] >= n_views, f"{path.name}: stored explorers not drawn"
    for img in info["imgs"]:
        assert img["width"] > 0, f"{path.name}: an explorer image did not load"
        assert len(img["alt"]) >= 10, f"{path.name}: an explorer image lacks alt text"
    for explorer in info["explorers"]:
        assert explorer["disconnected"] and explorer["note"], (
            f"{path.name}: a stored explorer does not say it needs a kernel"
        )
        assert explorer["icons"] == 0, f"{path.name}: broken-link icons shown"
    scrubbers = page.locator(".nnbook-scrubber")
    for i in range(info["scrubbers"]):  # trusted: the scrubbers' script runs
        box = scrubbers.nth(i)
        img, slider = box.locator("img"), box.locator("input[type=range]")
        before = img.get_attribute("src")
        slider.scroll_into_view_if_needed()
        slider.focus()
        slider.press("End")
        assert img.get_attribute("src") != before, f"{path.name}: dead scrubber {i}"


_BUSY_JS = """
() => {
  const nb = document.querySelector('NOTEBOOK');
  const prompts = Array.from(nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
    .map((p) => p.innerText.trim());
  const errors = nb.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length;
  return {running: prompts.some((p) => p.includes('*')),
          done: prompts.every((p) => /\\[\\d+\\]/.test(p)), errors};
}
"""


_BUSY_JS = _BUSY_JS.replace("NOTEBOOK", labserver.NOTEBOOK)


def run_all(page, timeout_s: float = 600) -> None:
    """Run ▸ Run All Cells, then wait until every code cell has run."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(
        f"({_BUSY_JS})().done && !({_BUSY_JS})().running",
        timeout=timeout_s * 1000,
        polling=500,
    )


def move_slider(page, explorer) -> str:
    """Drag the explorer's first slider to the right; return the old image."""
    img = explorer.locator(".widget-html img").last
    before = img.get_attribute("src")
    handle = explorer.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2,
                    steps=5)  # fmt: skip
    page.mouse.up()  # continuous_update=False: the change is sent on release
    return before


def test_run_all_move_a_slider_and_leave_git_clean(lab, page, git_status_before):
    target = _run_target()
    if target is None:
        pytest.skip("no notebook with an explorer to play with")
    chapter = DEST / target.name
    original = target.read_bytes()
    nb = json.loads(chapter.read_text(encoding="utf-8"))
    labserver.open_notebook(page, lab, target.name, nb, workspace="run")
    run_all(page)
    assert page.evaluate(_BUSY_JS)["errors"] == 0, f"{target.name}: a cell failed"
    explorer = page.locator(".nnbook-explorer").last
    assert "jupyter-widgets-disconnected" not in (explorer.get_attribute("class"))
    assert not explorer.locator(".nnbook-needs-kernel").is_visible()
    before = move_slider(page, explorer)
    page.wait_for_function(  # the HTML widget replaces its <img> on each render
        """([box, before]) => {
          const imgs = box.querySelectorAll('.widget-html img');
          const img = imgs[imgs.length - 1];
          return img && img.src !== before && img.naturalWidth > 0;
        }""",
        arg=[explorer.element_handle(), before],
        timeout=120_000,
    )
    page.keyboard.press("Control+s")  # as a learner saves; autosave does too
    page.wait_for_timeout(2000)
    assert chapter.read_bytes() != original, "the learner's copy was not saved"
    assert target.read_bytes() == original, f"{target} changed"
    assert git_status() == git_status_before, "working in JupyterLab dirtied git"
