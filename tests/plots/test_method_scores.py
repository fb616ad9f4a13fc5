"""nnbook.plots.plot_method_scores: one row per method, artists returned."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.plots import plot_method_scores  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


SCORES = {"IG": [0.9, 0.95, 1.0], "SHAP": [0.8, 0.85, 0.9], "LIME": [0.7, 0.7, 0.75]}


def test_rows_top_to_bottom_with_a_mean_per_method():
    fig, ax = plt.subplots()
    art = plot_method_scores(SCORES, ax=ax, reference=0.5)
    by_height = sorted(
        zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True)
    )
    assert [label for _, label in by_height][::-1] == list(SCORES)  # top to bottom
    assert len(art["points"]) == 3 and len(art["means"]) == 3
    for line, values in zip(art["means"], SCORES.values(), strict=True):
        np.testing.assert_allclose(line.get_xdata(), np.mean(values))
    # the first method is the top row, every seed drawn
    top = art["points"][0].get_offsets()
    np.testing.assert_allclose(top[:, 0], SCORES["IG"])
    assert np.all(np.abs(top[:, 1] - 2) <= 0.15)
    assert art["reference"][0].get_xdata()[0] == 0.5


def test_log_axis_and_a_new_figure():
    art = plot_method_scores({"a": [1e-3, 2e-3], "b": [0.5]}, log=True)
    ax = art["means"][0].axes
    assert ax.get_xscale() == "log" and art["reference"] == []


@pytest.mark.parametrize(
    "scores, kw, match",
    [
        ({}, {}, "at least one method"),
        ({"a": []}, {}, "has no values"),
        ({"a": [np.nan]}, {}, "finite"),
        ({"a": [0.0, 1.0]}, {"log": True}, "positive"),
    ],
)
def test_bad_scores_are_refused(scores, kw, match):
    with pytest.raises(ValueError, match=match):
        plot_method_scores(scores, **kw)
