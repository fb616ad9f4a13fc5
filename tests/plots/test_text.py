"""Coloured tokens: the HTML rendering and the matplotlib figure."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pytest

from nnbook.plots import plot_tokens, tokens_html

TOKENS = [["the", "film", "not", "good"], ["a", "<b>bad</b>", "plot"]]
SCORES = [np.array([0.0, 0.1, -2.0, 0.5]), np.array([0.0, -1.0, 2.0])]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.spans = [], []
        self._open = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "span" and "title" in attrs:
            self.spans.append(attrs)


def _contrast(hex_a, hex_b):
    def lum(h):
        rgb = np.array([int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        c = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return c @ [0.2126, 0.7152, 0.0722]

    hi, lo = sorted((lum(hex_a), lum(hex_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_html_colours_words_by_sign_with_readable_text():
    out = tokens_html(TOKENS, SCORES, labels=["label 0", "label 1"], title="IG")
    p = _Collect()
    p.feed(out)
    assert len(p.spans) == 7
    assert "script" not in p.tags and "style" not in p.tags  # inline styles only
    colours = [re.search(r"background-color:(#[0-9a-f]{6})", s["style"])[1]
               for s in p.spans]  # fmt: skip
    inks = [re.search(r";color:(#[0-9a-f]{6})", s["style"])[1] for s in p.spans]

    def rgb(h):
        return [int(h[i : i + 2], 16) for i in (1, 3, 5)]

    # zero is (almost) white, negative blue (B > R), positive red (R > B)
    assert min(rgb(colours[0])) >= 0xF0

    assert rgb(colours[2])[2] > rgb(colours[2])[0]  # "not": -2 -> blue
    assert rgb(colours[3])[0] > rgb(colours[3])[2]  # "good": +0.5 -> red
    assert all(_contrast(c, k) >= 4.5 for c, k in zip(colours, inks, strict=True))
    # the strongest scores share one scale: -2 and +2 are the two ends
    assert p.spans[2]["title"] == "not: \u22122.00"


def test_html_has_a_scale_a_text_version_and_escapes_words():
    out = tokens_html(TOKENS, SCORES)
    assert "towards class 1 (red)" in out and "towards class 0 (blue)" in out
    assert "<details" in out and "not (\u22122.00)" in out
    assert "&lt;b&gt;bad&lt;/b&gt;" in out and "<b>bad</b>" not in out
    unsigned = tokens_html(TOKENS, [np.abs(s) for s in SCORES])
    assert "towards class" not in unsigned and "magnitude" in unsigned


def test_plot_tokens_draws_every_word_with_a_colorbar():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 2))
    texts = plot_tokens(TOKENS * 3, SCORES * 3, ax=ax, labels=list("abcdef"))
    assert [t.get_text() for t in texts[:4]] == TOKENS[0]
    assert all(t.get_fontsize() >= 9 for t in texts)
    assert len(fig.axes) == 2  # the axes and its colour bar
    assert "towards class 1" in fig.axes[1].get_xlabel()
    # words stay inside the axes: wrapped lines, not cut off
    fig.canvas.draw()
    box = ax.get_window_extent()
    for t in texts:
        ext = t.get_window_extent()
        assert ext.x1 <= box.x1 + 2 and ext.x0 >= box.x0 - 2
    plt.close(fig)


@pytest.mark.parametrize(
    ("tokens", "scores", "kwargs", "error", "match"),
    [
        ("the film", SCORES, {}, TypeError, "tokens"),
        (TOKENS, SCORES[:1], {}, ValueError, "scores"),
        (TOKENS, [np.ones(3), SCORES[1]], {}, ValueError, r"scores\[0\]"),
        (TOKENS, [np.full(4, np.nan), SCORES[1]], {}, ValueError, "NaN"),
        (TOKENS, SCORES, {"vmax": 0}, ValueError, "vmax"),
        (TOKENS, SCORES, {"signed": False}, ValueError, "negative"),
        (TOKENS, SCORES, {"labels": ["one"]}, ValueError, "labels"),
    ],
)
def test_bad_input(tokens, scores, kwargs, error, match):
    with pytest.raises(error, match=match):
        tokens_html(tokens, scores, **kwargs)


def test_plot_tokens_aligns_one_sentence_under_several_labels():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 2))
    texts = plot_tokens([TOKENS[0]] * 2, [SCORES[0], -SCORES[0]], ax=ax,
                        labels=["IG", "a much longer label"])  # fmt: skip
    first, second = texts[:4], texts[4:]
    assert [t.get_position()[0] for t in first] == [t.get_position()[0] for t in second]
    plt.close(fig)


def test_plot_tokens_refuses_small_fonts():
    with pytest.raises(ValueError, match="fontsize"):
        plot_tokens(TOKENS, SCORES, fontsize=8)
