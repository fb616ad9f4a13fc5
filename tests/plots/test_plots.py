"""nnbook.plots: artists returned, given axes used, handles update in place."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.explain import PixelCurve, SanityResult, feature_plane  # noqa: E402
from nnbook.plots import (  # noqa: E402
    plot_activation_distributions,
    plot_activation_heatmap,
    plot_attribution_bars,
    plot_confusion_matrix,
    plot_decision_plane,
    plot_feature_maps,
    plot_filters,
    plot_history,
    plot_image_grid,
    plot_map_over_image,
    plot_neuron_tiles,
    plot_pixel_curves,
    plot_sample_attribution,
    plot_sanity,
    plot_unit_mosaic,
    plot_weight_heatmap,
    tile_mosaic,
)
from nnbook.plots.style import (  # noqa: E402
    CLASS_COLORS,
    METHOD_STYLES,
    RESERVED,
    ROLE_COLORS,
    STYLE,
)

RNG = np.random.default_rng(0)
ACTS = np.maximum(RNG.normal(size=(30, 10)), 0)
Y = np.array([1, 0] * 15)
ROLES = np.array(["informative", "redundant"] + ["noise"] * 18)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_the_style_file_sets_readable_fonts_at_page_width():
    with plt.style.context(STYLE):
        width = plt.rcParams["figure.figsize"][0]
        assert width <= 7.5
        for key in (
            "font.size",
            "xtick.labelsize",
            "ytick.labelsize",
            "legend.fontsize",
        ):
            assert plt.rcParams[key] * 7.5 / width >= 9, key
    assert plt.rcParams["font.size"] == matplotlib.rcParamsDefault["font.size"]


def test_series_styles_avoid_the_reserved_colours():
    reserved = {c.lower() for c in RESERVED}
    for name, style in METHOD_STYLES.items():
        if name != "random order":
            assert style["color"].lower() not in reserved, name
    assert (
        CLASS_COLORS[0].lower() in reserved and ROLE_COLORS["noise"].lower() in reserved
    )


def test_activation_heatmap_sorts_by_class_and_updates_in_place():
    fig, ax = plt.subplots()
    heat = plot_activation_heatmap(ACTS, Y, ax=ax)
    im, line, _ = heat
    assert im.axes is ax
    np.testing.assert_array_equal(im.get_array(), ACTS[np.argsort(Y, kind="stable")])
    assert line.get_ydata()[0] == pytest.approx(14.5)
    assert im.get_cmap().name == "viridis" and im.get_clim()[0] == 0.0
    signed = ACTS - 1.0
    heat.update(signed)
    assert heat.image is im and im.get_cmap().name == "RdBu_r"
    lo, hi = im.get_clim()
    assert lo == -hi == -np.abs(signed).max()
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
    assert [t.get_text() for t in im.axes.get_yticklabels()][0] == "x00 (infor)"
    with pytest.raises(ValueError, match="W must be 2-D"):
        plot_weight_heatmap(W[0])


def test_decision_plane_says_which_plane_and_updates():
    X = RNG.normal(size=(40, 20))
    plane = feature_plane(X, resolution=12)
    uu, _ = np.meshgrid(plane.u, plane.v)
    proba = 1 / (1 + np.exp(-uu))
    y = (X[:, 0] > 0).astype(int)
    dp = plot_decision_plane(plane, proba, X, y)
    ax = dp.image.axes
    assert "PCA" in ax.get_title() and ax.get_xlabel() == "PC 1"
    assert len(dp) == 5  # image, boundary, two scatters, colorbar
    xs, ys = dp.boundary.get_data()
    assert len(xs) > 2  # the 0.5 contour crosses the plane
    # the boundary is where the probability is 0.5: u = 0 for this map
    np.testing.assert_allclose(np.asarray(xs)[np.isfinite(xs)], 0.0, atol=0.05)
    wrong = np.zeros(40, bool)
    wrong[:3] = True
    dp.update(1 - proba, wrong=wrong)
    np.testing.assert_allclose(dp.image.get_array(), 1 - proba)
    widths = np.concatenate([sc.get_linewidths() for _, sc in dp.points])
    assert (widths > 1).sum() == 3
    fplane = feature_plane(X, kind="features", features=(3, 7), resolution=12)
    arts = plot_decision_plane(fplane, proba[..., None])
    assert "x03 and x07" in arts[0].axes.get_title()


def test_unit_mosaic_and_neuron_tiles():
    X = RNG.normal(size=(40, 20))
    plane = feature_plane(X, resolution=10)
    units = RNG.uniform(size=(10, 10, 10))
    units[..., 2] = 0.0
    y = (X[:, 0] > 0).astype(int)
    arts = plot_neuron_tiles(plane, units, RNG.uniform(size=(10, 10, 1)), X=X, y=y)
    assert len(arts) == 11 and "dead" in arts[2].axes.get_title()
    mosaic = plot_unit_mosaic(units)
    assert mosaic.grid == (3, 4)
    assert mosaic.image.get_array().shape == (3 * 11 - 1, 4 * 11 - 1)
    mosaic.update(units[..., :4])
    assert mosaic.grid == (2, 2)
    with pytest.raises(ValueError, match="units must be"):
        plot_neuron_tiles(plane, units[..., 0], units[..., 0])


def test_history_lines_update_in_place():
    h = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.6, 0.55]}
    lines = plot_history(h, epoch=2)
    train, val, marker = lines
    np.testing.assert_array_equal(train.get_ydata(), h["loss"])
    lines.update({"loss": [0.3, 0.2], "val_loss": [0.4, 0.3]}, epoch=1)
    assert lines.train is train and list(train.get_xdata()) == [1, 2]
    assert marker.get_xdata()[0] == 1
    with pytest.raises(ValueError, match="metric must be one of"):
        plot_history(h, "accuracy")


def test_attribution_bars_coloured_by_role():
    imp = np.arange(20, dtype=float)
    fig, ax = plt.subplots()
    bars = plot_attribution_bars(imp, ROLES, ax=ax)
    assert len(bars) == 20 and bars[-1].get_width() == 19.0
    assert (
        matplotlib.colors.to_hex(bars[-20].get_facecolor())
        == ROLE_COLORS["informative"].lower()
    )
    with pytest.raises(ValueError, match="importance must be 1-D"):
        plot_attribution_bars(np.zeros((2, 20)), ROLES, ax=ax)


def test_sample_attribution_is_red_towards_class_one():
    a = np.linspace(-1, 3, 20)
    bars = plot_sample_attribution(a, roles=ROLES)
    lo, hi = bars[0].axes.get_xlim()
    assert lo == pytest.approx(-hi)
    colors = [matplotlib.colors.to_hex(b.get_facecolor()) for b in bars]
    assert (
        colors[-1] == CLASS_COLORS[1].lower() and colors[0] == CLASS_COLORS[0].lower()
    )
    with pytest.raises(ValueError, match="feature_names must have 20"):
        plot_sample_attribution(a, feature_names=["a"])


def test_sanity_labels_dodge_and_the_pass_mark():
    rho = np.array([[0.6, 0.5, 0.7], [np.nan, np.nan, np.nan]])
    res = SanityResult(
        ["output", "output+hidden"], np.array([0.6, np.nan]), rho, "gradient_x_input"
    )
    lines = plot_sanity([res, res], labels=["gradient x input", "mine"], dodge=0.2)
    assert [ln.get_label() for ln in lines] == ["gradient x input", "mine"]
    assert lines[0].get_color() == METHOD_STYLES["gradient x input"]["color"]
    np.testing.assert_allclose(lines[1].get_xdata() - lines[0].get_xdata(), 0.2)
    legend = [t.get_text() for t in lines[0].axes.get_legend().get_texts()]
    assert "pass mark 0.5" in legend
    default = plot_sanity(res)
    assert default[0].get_label() == "gradient x input"  # underscores read as spaces
    with pytest.raises(ValueError, match="labels"):
        plot_sanity([res], labels=["a", "b"])


def test_sanity_and_deletion_use_fixed_method_styles():
    res = SanityResult(
        ["output", "output+hidden"],
        np.array([0.4, 0.1]),
        np.zeros((2, 3)),
        "integrated gradients",
    )
    lines = plot_sanity([res, res])
    np.testing.assert_allclose(lines[0].get_ydata(), [1.0, 0.4, 0.1])
    assert lines[0].get_color() == METHOD_STYLES["integrated gradients"]["color"]
    frac = np.linspace(0, 1, 5)
    curves = {
        "random": PixelCurve(
            frac, np.zeros((1, 5)), 1 - frac, 0.5, np.zeros(1), "random"
        ),
        "occlusion 2 x 2": PixelCurve(
            frac, np.zeros((1, 5)), (1 - frac) ** 2, 0.3, np.zeros(1), "attribution"
        ),
    }
    lines = plot_pixel_curves(curves)
    assert lines[0].get_linestyle() == "--"
    assert lines[1].get_color() == METHOD_STYLES["occlusion"]["color"]
    with pytest.raises(ValueError, match="at least one"):
        plot_pixel_curves({})
    assert lines[0].axes.get_xlabel() == "fraction of pixels removed"
    inserted = {
        "occlusion": PixelCurve(
            frac, np.zeros((1, 5)), frac, 0.5, np.zeros(1), "attribution", "insertion"
        )
    }
    line = plot_pixel_curves(inserted)[0]
    assert line.axes.get_xlabel() == "fraction of pixels inserted"
    assert line.axes.get_title() == "Insertion curves"
    with pytest.raises(ValueError, match="all be deletion or all insertion"):
        plot_pixel_curves({**curves, **inserted})


def test_image_plotters(digits):
    X = digits.X_test
    ims = plot_image_grid(X[:5], titles=list("abcde"))
    assert len(ims) == 5 and ims[0].axes.get_title() == "a"
    kernel = RNG.normal(size=(3, 3, 1, 6))
    filt = plot_filters(kernel)
    assert len(filt) == 6 and filt[0].get_clim()[0] == -filt[0].get_clim()[1]
    maps = RNG.uniform(size=(4, 4, 32))
    tiles = tile_mosaic(maps, ncols=8)
    assert tiles.shape == (4 * 5 - 1, 8 * 5 - 1)
    np.testing.assert_array_equal(tiles[5:9, 10:14], maps[..., 10])  # row 1, col 2
    assert plot_feature_maps(maps).get_array().shape == tiles.shape
    with pytest.raises(ValueError, match="titles"):
        plot_image_grid(X[:3], titles=["a"])


def test_signed_maps_use_a_diverging_scale_centred_at_zero(digits):
    image = digits.X_test[0]
    attr = np.linspace(-1, 3, 64).reshape(8, 8, 1)
    im = plot_map_over_image(image, attr)
    assert im.get_cmap().name == "RdBu_r" and im.get_clim() == (-3.0, 3.0)
    im2 = plot_map_over_image(image, np.abs(attr), ax=im.axes)
    assert im2.get_cmap().name == "viridis" and im2.get_clim()[0] == 0.0
    with pytest.raises(ValueError, match="diverging"):
        plot_map_over_image(image, attr, cmap="viridis", ax=im.axes)
    with pytest.raises(ValueError, match="shape"):
        plot_map_over_image(image, np.zeros((4, 4)), ax=im.axes)


def test_confusion_matrix_updates_counts_in_place():
    cm = plot_confusion_matrix(np.array([[5, 1], [2, 7]]))
    cm.update(np.array([[3, 3], [0, 9]]))
    shown = [[int(t.get_text()) for t in row] for row in cm.texts]
    assert shown == [[3, 3], [0, 9]]
    np.testing.assert_array_equal(cm.image.get_array(), [[3, 3], [0, 9]])
