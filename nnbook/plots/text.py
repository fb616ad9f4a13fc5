"""Coloured tokens: per-word attributions as HTML or as a matplotlib figure.

Signed scores use the book's diverging map centred at zero (``RdBu_r``): red
pushes towards class 1, blue towards class 0, white is no effect. Unsigned
scores (a saliency's magnitude) use a grey scale from white, so that red and
blue keep their meaning. Both renderings carry a scale and a text
alternative.

- :func:`tokens_html` returns an HTML string (show it with
  ``IPython.display.HTML``). It uses inline styles only, no script and no
  stylesheet, so JupyterLab shows it even in an untrusted notebook and the
  website shows it as it is. Every word has a tooltip with its score, and a
  collapsible text version lists every word with its score for readers who
  cannot see the colours.
- :func:`plot_tokens` draws the same on matplotlib axes (PNG in the book),
  with a colour bar; the chapter's figure metadata carries its alt text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import get_ax

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.text import Text

__all__ = ["TOKEN_SIGNED_CMAP", "TOKEN_UNSIGNED_CMAP", "tokens_html", "plot_tokens"]

#: Colour map of signed token scores (red: towards class 1; blue: class 0).
TOKEN_SIGNED_CMAP = "RdBu_r"
#: Colour map of unsigned token scores (white: none; black: the largest).
TOKEN_UNSIGNED_CMAP = "Greys"


def _check_rows(tokens: Any, scores: Any, labels: Any) -> tuple[list, list, list]:
    """Sentences as lists of words, scores as float arrays, one label each."""
    if isinstance(tokens, str) or not isinstance(tokens, Sequence):
        raise TypeError(
            "tokens must be a list of sentences, each a list of words, got "
            f"{type(tokens).__name__}"
        )
    rows = []
    for i, words in enumerate(tokens):
        if isinstance(words, str) or not isinstance(words, Sequence):
            raise TypeError(
                f"tokens[{i}] must be a list of words (str), got {type(words).__name__}"
            )
        rows.append([str(w) for w in words])
    if len(scores) != len(rows):
        raise ValueError(
            f"scores must have one entry per sentence ({len(rows)}), got {len(scores)}"
        )
    vals = []
    for i, (words, s) in enumerate(zip(rows, scores, strict=True)):
        arr = np.asarray(s, dtype=np.float64)
        if arr.shape != (len(words),):
            raise ValueError(
                f"scores[{i}] must have one score per word ({len(words)}), got "
                f"shape {arr.shape}"
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"scores[{i}] holds NaN or infinite values")
        vals.append(arr)
    if labels is None:
        labels = [None] * len(rows)
    elif len(labels) != len(rows):
        raise ValueError(
            f"labels must have one entry per sentence ({len(rows)}), got {len(labels)}"
        )
    if not rows:
        raise ValueError("tokens must hold at least one sentence")
    return rows, vals, list(labels)


def _scale(vals: list[np.ndarray], signed: bool | None, vmax: float | None):
    """(signed, vmax, cmap name) shared by every sentence."""
    every = np.concatenate(vals) if vals else np.zeros(0)
    if signed is None:
        signed = bool(np.any(every < 0))
    elif not signed and np.any(every < 0):
        raise ValueError("signed=False, but the scores hold negative values")
    if vmax is None:
        vmax = float(np.max(np.abs(every))) if every.size else 0.0
    else:
        vmax = float(vmax)
        if not np.isfinite(vmax) or vmax <= 0:
            raise ValueError(f"vmax must be a positive number, got {vmax}")
    vmax = vmax if vmax > 0 else 1.0
    return signed, vmax, TOKEN_SIGNED_CMAP if signed else TOKEN_UNSIGNED_CMAP


def _colours(values: np.ndarray, signed: bool, vmax: float, cmap: str):
    """Background RGB (0-1) for each value, clipped to the scale."""
    import matplotlib as mpl

    lo = -vmax if signed else 0.0
    norm = mpl.colors.Normalize(vmin=lo, vmax=vmax, clip=True)
    return mpl.colormaps[cmap](norm(values))[..., :3]


def _luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB colours in [0, 1]."""
    c = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def _text_colours(rgb: np.ndarray) -> list[str]:
    """Black or white text, whichever contrasts more with each background.

    One of the two always reaches a contrast ratio of at least 4.5:1
    (WCAG AA for normal text).
    """
    lum = _luminance(rgb)
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return np.where(on_black >= on_white, "#000000", "#ffffff").tolist()


def _hex(rgb: np.ndarray) -> str:
    r, g, b = (int(round(255 * v)) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def _fmt(v: float, decimals: int, signed: bool) -> str:
    text = f"{v:+.{decimals}f}" if signed else f"{v:.{decimals}f}"
    if float(text) == 0:  # no "-0.00"
        text = f"{0:+.{decimals}f}" if signed else f"{0:.{decimals}f}"
    return text.replace("-", "\u2212")


def tokens_html(
    tokens: Sequence[Sequence[str]],
    scores: Sequence[Any],
    *,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    signed: bool | None = None,
    vmax: float | None = None,
    decimals: int = 2,
) -> str:
    """Sentences with each word's background coloured by its score, as HTML.

    Every sentence shares one colour scale (``-vmax`` to ``vmax``), shown
    under the sentences with its end values. In the spirit of Li et al.
    (2016), "Visualizing and Understanding Neural Models in NLP", who drew
    word saliency as heat maps over sentences.

    Args:
        tokens: One list of words per sentence (padding already dropped,
            e.g. ``[data.tokens(x) for x in X]``).
        scores: One float array per sentence, one score per word.
        labels: Optional text shown before each sentence (e.g. its label
            and prediction).
        title: Optional caption above the sentences.
        signed: ``True`` for the diverging red-blue scale, ``False`` for
            the grey magnitude scale, ``None`` to decide from the scores.
        vmax: The scale's end; defaults to the largest ``|score|``.
        decimals: Decimals of the scores in tooltips and the text version.

    Returns:
        str: A self-contained HTML fragment: inline styles only, no script.

    Raises:
        TypeError: If ``tokens`` is not a list of lists of words.
        ValueError: If lengths disagree, scores are not finite, or ``vmax``
            is not positive.
    """
    rows, vals, labels = _check_rows(tokens, scores, labels)
    signed, vmax, cmap = _scale(vals, signed, vmax)
    esc = html.escape
    box = "padding:0 0.25em;border-radius:0.3em;border:1px solid #bbbbbb"
    parts = [
        '<div class="nnbook-tokens" style="font-family:sans-serif;'
        'font-size:0.95em;line-height:2.2;margin:0.5em 0">'
    ]
    if title:
        parts.append(f'<div style="font-weight:bold">{esc(title)}</div>')
    for words, v, label in zip(rows, vals, labels, strict=True):
        rgb = _colours(v, signed, vmax, cmap)
        ink = _text_colours(rgb)
        spans = [
            f'<span style="background-color:{_hex(c)};color:{k};{box}" '
            f'title="{esc(w)}: {_fmt(s, decimals, signed)}">{esc(w)}</span>'
            for w, s, c, k in zip(words, v, rgb, ink, strict=True)
        ]
        head = (
            f'<span style="font-weight:bold;margin-right:0.4em">{esc(label)}</span>'
            if label
            else ""
        )
        parts.append(f'<div style="margin:0.2em 0">{head}{" ".join(spans)}</div>')
    # the scale: eleven swatches from -vmax (or 0) to vmax, with end labels
    lo = -vmax if signed else 0.0
    steps = np.linspace(lo, vmax, 11)
    swatch = "display:inline-block;width:1.6em;height:0.9em;border:1px solid #bbbbbb"
    sw = "".join(
        f'<span style="{swatch};background-color:{_hex(c)}"></span>'
        for c in _colours(steps, signed, vmax, cmap)
    )
    if signed:
        left = f"{_fmt(lo, decimals, True)} towards class 0 (blue)"
        right = f"towards class 1 (red) {_fmt(vmax, decimals, True)}"
    else:
        left, right = _fmt(0.0, decimals, False), f"{_fmt(vmax, decimals, False)}"
    parts.append(
        f'<div style="font-size:0.85em;margin-top:0.3em">Scale: {esc(left)} '
        f"{sw} {esc(right)}</div>"
    )
    # the text version, for readers who cannot see the colours
    lines = []
    for words, v, label in zip(rows, vals, labels, strict=True):
        pairs = " ".join(
            f"{esc(w)} ({_fmt(s, decimals, signed)})"
            for w, s in zip(words, v, strict=True)
        )
        lead = f"{esc(label)}: " if label else ""
        lines.append(f'<p style="margin:0.2em 0;line-height:1.4">{lead}{pairs}</p>')
    kind = "signed, red = towards class 1" if signed else "magnitude"
    parts.append(
        '<details style="font-size:0.85em;line-height:1.4">'
        f"<summary>Text version (each word with its score, {kind})</summary>"
        + "".join(lines)
        + "</details>"
    )
    parts.append("</div>")
    return "".join(parts)


def plot_tokens(
    tokens: Sequence[Sequence[str]],
    scores: Sequence[Any],
    *,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    signed: bool | None = None,
    vmax: float | None = None,
    fontsize: float = 10.0,
    colorbar: bool = True,
    cbar_label: str | None = None,
    title: str | None = None,
) -> list[Text]:
    """Sentences with each word's background coloured by its score.

    Words flow left to right and wrap at the axes' right edge; each
    sentence starts on a new line. Labels sit in a column of their own, so
    the same sentence under several labels (one per method) lines up word
    for word. The axes' limits are set so every line fits: give the figure
    enough height (about 0.3 inch per line at the default font size).

    Args:
        tokens: One list of words per sentence.
        scores: One float array per sentence, one score per word.
        ax: Axes to draw on; a new figure is made when ``None``.
        labels: Optional text shown at the start of each sentence.
        signed: ``True`` (red-blue around zero), ``False`` (grey from
            zero) or ``None`` (decide from the scores).
        vmax: The colour scale's end; defaults to the largest ``|score|``.
        fontsize: Font size of the words in points (at least 9).
        colorbar: Draw a horizontal colour bar under the axes.
        cbar_label: The colour bar's label; a default names the colours.
        title: Axes title.

    Returns:
        list[Text]: The word artists, in reading order (labels excluded).

    Raises:
        TypeError: If ``tokens`` is not a list of lists of words.
        ValueError: If lengths disagree, scores are not finite, ``vmax`` is
            not positive, or ``fontsize`` is below 9.
    """
    import matplotlib as mpl

    rows, vals, labels = _check_rows(tokens, scores, labels)
    if fontsize < 9:
        raise ValueError(f"fontsize must be >= 9 points, got {fontsize}")
    signed, vmax, cmap = _scale(vals, signed, vmax)
    ax = get_ax(ax, figsize=(9, 0.45 * (len(rows) + 2) + 1), dpi=90)
    fig = ax.figure
    get_renderer = getattr(fig.canvas, "get_renderer", None)  # Agg, inline
    renderer = get_renderer() if get_renderer else fig._get_renderer()
    ax_width = ax.get_window_extent(renderer).width
    ax.set_xlim(0, 1)
    ax.set_axis_off()
    gap = 0.006

    def width(text: Text) -> float:
        return text.get_window_extent(renderer).width / ax_width + gap

    artists: list[Text] = []
    label_artists = []
    line = 0
    for label in labels:  # the label column: as wide as the widest label
        if label:
            lab = ax.text(0, 0, label, fontsize=fontsize, fontweight="bold")
            label_artists.append(lab)
    start = max((width(lab) for lab in label_artists), default=0.0)
    start = start + 0.01 if label_artists else 0.0
    for lab in label_artists:
        lab.remove()
    for words, v, label in zip(rows, vals, labels, strict=True):
        rgb = _colours(v, signed, vmax, cmap)
        ink = _text_colours(rgb)
        x = start
        if label:
            ax.text(0, line, label, fontsize=fontsize, fontweight="bold", va="center")
        for w, c, k in zip(words, rgb, ink, strict=True):
            t = ax.text(
                x,
                line,
                w,
                fontsize=fontsize,
                color=k,
                va="center",
                bbox={
                    "boxstyle": "round,pad=0.25",
                    "facecolor": c,
                    "edgecolor": "#bbbbbb",
                    "linewidth": 0.6,
                },
            )
            wd = width(t) + 0.008
            if x > start and x + wd > 1.0:  # wrap to the next line
                line += 1
                x = start + 0.02
                t.set_position((x, line))
            x += wd
            artists.append(t)
        line += 1
    ax.set_ylim(line - 0.4, -0.6)
    if title is not None:
        ax.set_title(title, fontsize=max(fontsize, 10))
    if colorbar:
        lo = -vmax if signed else 0.0
        mappable = mpl.cm.ScalarMappable(
            norm=mpl.colors.Normalize(vmin=lo, vmax=vmax), cmap=cmap
        )
        if cbar_label is None:
            cbar_label = (
                "attribution: blue = towards class 0, red = towards class 1"
                if signed
                else "attribution (magnitude)"
            )
        cb = fig.colorbar(
            mappable,
            ax=ax,
            orientation="horizontal",
            fraction=0.08,
            pad=0.04,
            aspect=40,
        )
        cb.set_label(cbar_label, fontsize=9)
        cb.ax.tick_params(labelsize=9)
    return artists
