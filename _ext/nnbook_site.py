"""Small Sphinx fixes for the book's website (a local extension).

- sphinx-thebe adds its inline configuration script once per read phase, and
  Sphinx 7.4 keeps both copies, so every page declared ``const THEBE_JS_URL``
  twice and the browser logged a SyntaxError. We drop exact duplicate script
  entries when each page is rendered.
- With thebe off (``launch_buttons.thebe: false``), its scripts do nothing but
  name a CDN address on every page; we leave them out.
"""

from __future__ import annotations

from typing import Any


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    files = context.get("script_files")
    if not files:
        return
    thebe_on = bool(
        app.config.html_theme_options.get("launch_buttons", {}).get("thebe", False)
    )
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for js in files:
        attributes = getattr(js, "attributes", {}) or {}
        filename = str(getattr(js, "filename", js) or "")  # '' and None: inline
        key = (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        body = str(attributes.get("body", ""))
        if not thebe_on and ("THEBE_JS_URL" in body or "sphinx-thebe" in filename):
            continue
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    context["script_files"] = unique


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", _dedupe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
