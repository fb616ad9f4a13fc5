"""Words, not broken-link icons, for an explorer shown without its kernel.

A notebook stores its widgets' state, so an explorer's last figure shows
before anything runs: on the website (the vendored widget manager) and in
JupyterLab once the notebook is trusted. Its controls then move, but nothing
recomputes, because no kernel holds the explorer. ipywidgets marks every such
view with the class ``jupyter-widgets-disconnected`` (and JupyterLab draws a
red chain-broken icon before each one). :func:`needs_kernel_note` is an HTML
paragraph, with its own stylesheet, that says so in words while the
explorer's box is disconnected and disappears once a kernel runs it; the
icons inside the explorer are hidden.
"""

from __future__ import annotations

__all__ = ["EXPLORER_CLASS", "NEEDS_KERNEL", "needs_kernel_note"]

#: The CSS class of an explorer's outer box (``VBox.add_class``).
EXPLORER_CLASS = "nnbook-explorer"
#: What the note says.
NEEDS_KERNEL = (
    "This is the figure stored with the page. The controls recompute it only "
    "in a running notebook: in JupyterLab, run the notebook's cells (Run, "
    "Run All Cells), then move them."
)
_CSS = (
    f".{EXPLORER_CLASS} .nnbook-needs-kernel{{display:none;margin:0 0 6px;"
    "font-style:italic}"
    f".{EXPLORER_CLASS}.jupyter-widgets-disconnected .nnbook-needs-kernel"
    "{display:block}"
    f".{EXPLORER_CLASS}.jupyter-widgets-disconnected::before,"
    f".{EXPLORER_CLASS} .jupyter-widgets-disconnected::before"
    "{content:none;display:none}"
)


def needs_kernel_note(text: str = NEEDS_KERNEL) -> str:
    """The note's HTML: shown only while the explorer has no kernel.

    Args:
        text: What to say (plain text; ``<``, ``>`` and ``&`` are escaped).

    Returns:
        str: A ``<style>`` element and a ``<p class="nnbook-needs-kernel">``,
        for an ``ipywidgets.HTML`` inside a box with class
        :data:`EXPLORER_CLASS`.

    Raises:
        TypeError: If ``text`` is not a ``str``.
        ValueError: If ``text`` is empty.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text must not be empty")
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<style>{_CSS}</style><p class="nnbook-needs-kernel">{safe}</p>'
