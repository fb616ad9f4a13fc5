"""nnbook.plots.tabular: artists returned, given axes used, bad shapes refused."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.explain import SanityResult, feature_plane  # noqa: E402
from nnbook.plots import (  # noqa: E402
    ROLE_COLORS,
    plot_activation_distributions,
    plot_activation_heatmap,
    plot_attribution_bars,
    plot_decision_plane,
    plot_neuron_tiles,
    plot_sample_attribution,
    plot_sanity,
    plot_weight_heatmap,
)

RNG = np.random.default_rng(0)
ACTS = np.maximum(RNG.normal(size=(30, 10)), 0)
Y = np.array([1, 0] * 15)
ROLES = np.array(["informative", "redundant"] + ["noise"] * 18)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_activation_heatmap_sorts_by_class_and_marks_the_boundary():
    fig, ax = plt.subplots()
    im, line, _ = plot_activation_heatmap(ACTS, Y, ax=ax)
    assert im.axes is ax
    np.testing.assert_array_equal(im.get_array(), ACTS[np.argsort(Y, kind="stable")])
    assert line.get_ydata()[0] == pytest.approx(14.5)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    with pytest.raises(ValueError, match="y must have shape"):
        plot_activation_heatmap(ACTS, Y[:5], ax=ax)


def test_activation_distributions_one_panel_per_unit():
    arts = plot_activation_distributions(ACTS, Y)
    assert len(arts) == 20
    fig, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="axes must hold at least 10"):
        plot_activation_distributions(ACTS, Y, axes=axes)


def test_weight_heatmap_is_centred_at_zero():
    W = RNG.normal(size=(20, 10))
    im, _ = plot_weight_heatmap(W, roles=ROLES)
    lo, hi = im.get_clim()
    assert lo == -hi and hi == pytest.approx(np.abs(W).max())
    assert im.get_cmap().name == "RdBu_r"
    labels = [t.get_text() for t in im.axes.get_yticklabels()]
    assert labels[0] == "x00 (infor)"
    with pytest.raises(ValueError, match="W must be 2-D"):
        plot_weight_heatmap(W[0])


def test_decision_plane_says_which_plane():
    X = RNG.normal(size=(40, 20))
    plane = feature_plane(X, resolution=12)
    uu, _ = np.meshgrid(plane.u, plane.v)
    proba = 1 / (1 + np.exp(-uu))
    arts = plot_decision_plane(plane, proba, X, (X[:, 0] > 0).astype(int))
    ax = arts[0].axes
    assert "PCA" in ax.get_title()
    assert ax.get_xlabel() == "PC 1"
    assert len(arts) == 5  # image, boundary, two scatters, colorbar
    fplane = feature_plane(X, kind="features", features=(3, 7), resolution=12)
    arts = plot_decision_plane(fplane, proba[..., None])
    assert "x03 and x07" in arts[0].axes.get_title()


def test_neuron_tiles_one_per_unit_and_the_output():
    X = RNG.normal(size=(40, 20))
    plane = feature_plane(X, resolution=10)
    units = RNG.uniform(size=(10, 10, 10))
    units[..., 2] = 0.0
    y = (X[:, 0] > 0).astype(int)
    arts = plot_neuron_tiles(plane, units, RNG.uniform(size=(10, 10, 1)), X=X, y=y)
    assert len(arts) == 11
    assert "never active" in arts[2].axes.get_title()
    with pytest.raises(ValueError, match="units must be"):
        plot_neuron_tiles(plane, units[..., 0], units[..., 0])


def test_attribution_bars_coloured_by_role():
    imp = np.arange(20, dtype=float)
    fig, ax = plt.subplots()
    bars = plot_attribution_bars(imp, ROLES, ax=ax)
    assert len(bars) == 20
    top = bars[-1]  # sorted: largest last (drawn at the top)
    assert top.get_width() == 19.0
    assert (
        matplotlib.colors.to_hex(bars[-20].get_facecolor())
        == ROLE_COLORS["informative"].lower()
    )
    with pytest.raises(ValueError, match="importance must be 1-D"):
        plot_attribution_bars(np.zeros((2, 20)), ROLES, ax=ax)


def test_sample_attribution_is_symmetric_about_zero():
    a = np.linspace(-1, 3, 20)
    bars = plot_sample_attribution(a, roles=ROLES)
    ax = bars[0].axes
    lo, hi = ax.get_xlim()
    assert lo == pytest.approx(-hi)
    colors = {matplotlib.colors.to_hex(b.get_facecolor()) for b in bars}
    assert len(colors) == 2
    with pytest.raises(ValueError, match="feature_names must have 20"):
        plot_sample_attribution(a, feature_names=["a"])


def test_sanity_plot_starts_at_one():
    res = SanityResult(
        ["output", "output+hidden"], np.array([0.4, 0.1]), np.zeros((2, 3)), "m"
    )
    lines = plot_sanity([res, res])
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), [1.0, 0.4, 0.1])
    assert plot_sanity(res)[0].get_label() == "m"
