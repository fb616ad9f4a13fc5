"""The explorer base class: validation, in-place updates, accessible views."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from nnbook.widgets import ChoiceParam, Explorer, FloatParam, IntParam, LogFloatParam


class Line(Explorer):
    """y = a * x ** p, drawn once and updated in place."""

    PARAMS = (
        FloatParam("a", 1.0, low=-2.0, high=2.0),
        IntParam("p", 1, low=0, high=3),
        LogFloatParam("scale", 1.0, low=1e-2, high=1e2),
        ChoiceParam("style", "solid", options=("solid", "dashed")),
    )

    def _build_figure(self):
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
        self.x = np.linspace(-1, 1, 11)
        (self.line,) = ax.plot(self.x, self.x)
        ax.set_title("A power of x")
        self.n_figures = 1
        return fig

    def _render(self, params):
        if params["a"] == 2.0 and params["p"] == 3:
            raise RuntimeError("refused on purpose")
        self.line.set_ydata(params["scale"] * params["a"] * self.x ** params["p"])
        self.line.set_linestyle(params["style"])


def test_update_changes_the_artist_in_place():
    ex = Line()
    line, fig = ex.line, ex.fig
    ex.update(a=0.5, p=2)
    assert ex.line is line and ex.fig is fig
    np.testing.assert_allclose(line.get_ydata(), 0.5 * ex.x**2)
    assert ex.n_renders == 2


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"a": 3.0}, ValueError, "a must be <= 2.0"),
        ({"p": -1}, ValueError, "p must be >= 0"),
        ({"p": 1.5}, TypeError, "p must be an integer"),
        ({"scale": 0.0}, ValueError, "scale must be >= 0.01"),
        ({"a": float("nan")}, ValueError, "a must be finite"),
        ({"style": "dotted"}, ValueError, "style must be one of"),
        ({"b": 1}, ValueError, "unknown parameter"),
    ],
)
def test_bad_values_raise_clear_errors_and_change_nothing(params, error, match):
    ex = Line()
    before = dict(ex.params)
    with pytest.raises(error, match=match):
        ex.update(**params)
    assert ex.params == before


def test_widget_shows_an_accessible_image_and_callback_errors():
    ex = Line()
    box = ex.widget()
    html = ex._view.value
    m = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', html)
    assert m, html[:200]
    assert base64.b64decode(m.group(1)).startswith(b"\x89PNG")
    assert "A power of x" in m.group(2) and "a = 1" in m.group(2)
    assert box.children[-1] is ex._view

    ex.controls["a"].value = 0.5  # a slider move goes through update()
    assert ex.params["a"] == 0.5 and "a = 0.5" in ex._view.value

    ex.controls["a"].value = 2.0
    ex.controls["p"].value = 3  # the render raises: shown, not lost
    assert "refused on purpose" in ex.last_error
    assert "refused on purpose" in ex._error.value
    ex.controls["p"].value = 1
    assert ex.last_error is None and ex._error.value == ""


def test_scrubber_frames_follow_the_parameter():
    ex = Line()
    frames = ex.frames("a", [-1.0, 0.0, 1.0])
    assert len(frames) == 3 and len(set(frames)) == 3
    html = ex.scrubber("a", [-1.0, 1.0], alt="A line whose slope changes").data
    assert html.count("data:image/png;base64,") == 3  # first frame + 2 in JS
    assert 'alt="A line whose slope changes"' in html
    assert "http" not in html
