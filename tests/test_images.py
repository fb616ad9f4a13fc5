"""nnbook.explain.images, nnbook.plots.images and the feature-map explorer.

The CNN is trained once per session (few epochs: enough to be accurate, so
that the explanations have something to explain).
"""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.explain import (
    activation_maximization,
    cascading_randomization,
    conv_feature_maps,
    conv_layer_names,
    deletion_curve,
    grad_cam,
    gradient_saliency,
    integrated_gradients,
    model_output,
    occlusion,
    patch_occlusion,
    smoothgrad,
)

N_EXPLAIN = 40  # the fixed set of test images the statistical checks use


@pytest.fixture(scope="module")
def digits():
    from nnbook.data import make_digits_data

    return make_digits_data()


@pytest.fixture(scope="module")
def cnn(digits):
    from nnbook.models import build_digits_cnn
    from nnbook.training import set_seed

    set_seed(0)
    model = build_digits_cnn()
    model.fit(digits.X_train, digits.y_train, epochs=8, batch_size=32, verbose=0)
    return model


@pytest.fixture(scope="module")
def X(digits):
    return digits.X_test[:N_EXPLAIN]


def test_the_cnn_learns(cnn, digits):
    acc = cnn.evaluate(digits.X_test, digits.y_test, verbose=0, return_dict=True)
    assert acc["accuracy"] > 0.93  # chance is 0.1
    assert conv_layer_names(cnn) == ["conv1", "conv2"]


# -- Grad-CAM ----------------------------------------------------------------
@pytest.mark.parametrize("layer", [None, "conv1", "conv2"])
def test_grad_cam_one_nonnegative_8x8_map_per_image(cnn, X, layer):
    cam = grad_cam(cnn, X, layer=layer)
    assert cam.shape == X.shape == (N_EXPLAIN, 8, 8, 1)
    assert np.all(np.isfinite(cam)) and cam.min() >= 0.0
    assert np.all(cam.reshape(N_EXPLAIN, -1).max(axis=1) > 0)  # not all blank
    # maps differ between images: one map per image, not one for all
    assert not np.allclose(cam[0], cam[1])


def test_grad_cam_default_layer_is_the_last_conv(cnn, X):
    np.testing.assert_array_equal(
        grad_cam(cnn, X[:5]), grad_cam(cnn, X[:5], layer="conv2")
    )


def test_grad_cam_matches_the_scratch_version(cnn, X):
    """The chapter's from-scratch Grad-CAM and the package agree."""
    import keras
    import tensorflow as tf

    x = tf.constant(X[:8])
    c = tf.constant(cnn.predict(X[:8], verbose=0).argmax(axis=1))
    probe = keras.Model(
        cnn.inputs[0],
        [cnn.get_layer("conv2").output, cnn.get_layer("logits").output],
    )
    with tf.GradientTape() as tape:
        A, logits = probe(x)
        score = tf.gather(logits, c, axis=1, batch_dims=1)
    alpha = tf.reduce_mean(tape.gradient(score, A), axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(alpha * A, axis=-1, keepdims=True))
    cam = tf.image.resize(cam, (8, 8), method="bilinear").numpy()
    np.testing.assert_allclose(grad_cam(cnn, X[:8]), cam, rtol=1e-5, atol=1e-6)


def test_grad_cam_depends_on_the_target(cnn, X):
    a = grad_cam(cnn, X[:10], target=0)
    b = grad_cam(cnn, X[:10], target=1)
    assert not np.allclose(a, b)


# -- integrated gradients on the CNN -----------------------------------------
def test_ig_completeness_gap_below_one_percent(cnn, X):
    attr, delta = integrated_gradients(cnn, X, return_delta=True)
    assert attr.shape == X.shape
    t = cnn.predict(X, verbose=0).argmax(axis=1)
    change = model_output(cnn, X, target=t) - model_output(
        cnn, np.zeros_like(X), target=t
    )
    rel = np.abs(delta) / np.abs(change)
    assert np.median(rel) <= 0.01


# -- occlusion ---------------------------------------------------------------
def test_patch_occlusion_with_1x1_patch_is_feature_ablation(cnn, X):
    ours = patch_occlusion(cnn, X[:6], patch=1)
    reference = occlusion(cnn, X[:6])  # one pixel at a time, replaced by 0
    np.testing.assert_allclose(ours, reference, atol=1e-5)


def test_patch_occlusion_scratch_value_of_one_patch(cnn, X):
    """A pixel covered by a single patch position gets exactly that drop."""
    x = X[:1]
    t = int(cnn.predict(x, verbose=0).argmax())
    attr = patch_occlusion(cnn, x, patch=2, stride=2)  # patches tile the image
    hidden = x.copy()
    hidden[0, 2:4, 4:6, :] = 0.0
    p = cnn.predict(np.concatenate([x, hidden]), verbose=0)[:, t]
    np.testing.assert_allclose(attr[0, 2:4, 4:6, 0], p[0] - p[1], atol=1e-5)
    assert attr.shape == x.shape


def test_occluding_blank_background_changes_nothing(cnn, digits):
    X = digits.X_test[:20]
    attr = patch_occlusion(cnn, X, patch=1)
    np.testing.assert_allclose(attr[X == 0], 0.0, atol=1e-6)


# -- activation maximization -------------------------------------------------
def test_activation_maximization_makes_each_class(cnn):
    images = activation_maximization(cnn, steps=100, seed=1)
    assert images.shape == (10, 8, 8, 1)
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert np.array_equal(cnn.predict(images, verbose=0).argmax(axis=1), np.arange(10))
    again = activation_maximization(cnn, steps=100, seed=1)
    np.testing.assert_allclose(images, again, atol=1e-6)  # randomness via seed
    stronger = activation_maximization(cnn, steps=100, seed=1, l2=5.0)
    assert np.square(stronger).sum() < np.square(images).sum()  # the L2 penalty


def test_activation_maximization_from_given_images(cnn, X):
    images = activation_maximization(cnn, X[:3], target=[7, 7, 7], steps=50)
    assert images.shape == (3, 8, 8, 1)
    assert np.all(cnn.predict(images, verbose=0).argmax(axis=1) == 7)


# -- deletion curves ---------------------------------------------------------
def test_deletion_curve_endpoints(cnn, X):
    dc = deletion_curve(cnn, X[:10], seed=3)
    t = cnn.predict(X[:10], verbose=0).argmax(axis=1)
    assert dc.order == "random"
    assert dc.fraction[0] == 0 and dc.fraction[-1] == 1 and len(dc.fraction) == 65
    np.testing.assert_allclose(dc.prob[:, 0], model_output(cnn, X[:10]), atol=1e-6)
    blank = cnn.predict(np.zeros((1, 8, 8, 1)), verbose=0)[0, t]
    np.testing.assert_allclose(dc.prob[:, -1], blank, atol=1e-6)
    assert dc.prob.shape == (10, 65) and np.isclose(dc.curve.mean(), dc.prob.mean())
    again = deletion_curve(cnn, X[:10], seed=3)
    np.testing.assert_array_equal(dc.prob, again.prob)
    other = deletion_curve(cnn, X[:10], seed=4)
    assert not np.array_equal(dc.prob, other.prob)


def test_deletion_curve_follows_the_attribution_order(cnn, X):
    """Deleting in the order of a map removes its top pixels first."""
    x = X[:1]
    attr = np.zeros_like(x)
    attr[0, 3, 4, 0] = 5.0  # the single most important pixel
    dc = deletion_curve(cnn, x, attr, n_steps=64)
    hidden = x.copy()
    hidden[0, 3, 4, 0] = 0.0
    t = int(cnn.predict(x, verbose=0).argmax())
    np.testing.assert_allclose(
        dc.prob[0, 1], cnn.predict(hidden, verbose=0)[0, t], atol=1e-6
    )


def test_gradient_methods_beat_random_order(cnn, X):
    random_auc = deletion_curve(cnn, X, seed=0).auc
    methods = {
        "saliency": gradient_saliency(cnn, X),
        "smoothgrad": smoothgrad(cnn, X, seed=0),
        "integrated gradients": integrated_gradients(cnn, X),
    }
    for name, attr in methods.items():
        auc = deletion_curve(cnn, X, attr, seed=0).auc
        assert auc < random_auc - 0.1, (name, auc, random_auc)


# -- sanity: randomization changes the maps ----------------------------------
@pytest.mark.parametrize("method", [grad_cam, gradient_saliency])
def test_cascading_randomization_changes_the_maps(cnn, X, method):
    before = [w.copy() for w in cnn.get_weights()]
    maps = []

    def recording(model, X, *, target=None):
        maps.append(method(model, X, target=target))
        return maps[-1]

    res = cascading_randomization(cnn, X[:15], method=recording, seed=0)
    assert len(res.steps) == 4 and len(maps) == 5  # logits, dense, conv2, conv1
    assert res.spearman[-1] < 0.5
    for randomized in maps[1:]:
        assert not np.allclose(randomized, maps[0])
    for a, b in zip(before, cnn.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # weights restored


# -- feature maps ------------------------------------------------------------
def test_conv_feature_maps_shapes(cnn, X):
    maps = conv_feature_maps(cnn, X[:3])
    assert list(maps) == ["conv1", "conv2"]
    assert maps["conv1"].shape == (3, 8, 8, 16)
    assert maps["conv2"].shape == (3, 4, 4, 32)
    assert maps["conv1"].min() >= 0  # after ReLU
    only = conv_feature_maps(cnn, X[:3], layers=["conv2"])
    np.testing.assert_array_equal(only["conv2"], maps["conv2"])


# -- clear errors ------------------------------------------------------------
@pytest.mark.parametrize(
    "fn",
    [grad_cam, patch_occlusion, deletion_curve, conv_feature_maps],
    ids=lambda f: f.__name__,
)
def test_wrong_image_shape_is_a_clear_error(cnn, X, fn):
    with pytest.raises(ValueError, match=r"single image.*X\[None\]"):
        fn(cnn, X[0])
    with pytest.raises(ValueError, match=r"\(n_images, 8, 8, 1\)"):
        fn(cnn, X[:, :7])
    with pytest.raises(ValueError, match=r"\(n_images, 8, 8, 1\)"):
        fn(cnn, X.reshape(len(X), 64))
    with pytest.raises(TypeError, match="numbers"):
        fn(cnn, np.full((2, 8, 8, 1), "a"))
    bad = X[:2].copy()
    bad[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fn(cnn, bad)


@pytest.mark.parametrize("layer", ["dense", "pool", "logits", "nope"])
def test_grad_cam_needs_a_conv_layer(cnn, X, layer):
    with pytest.raises(ValueError, match=r"convolutional.*\['conv1', 'conv2'\]"):
        grad_cam(cnn, X[:2], layer=layer)
    with pytest.raises(ValueError, match="convolutional"):
        conv_feature_maps(cnn, X[:2], layers=[layer])


def test_grad_cam_layer_type_error(cnn, X):
    with pytest.raises(TypeError, match="layer"):
        grad_cam(cnn, X[:2], layer=3.5)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, X: grad_cam(m, X, target=10),
        lambda m, X: grad_cam(m, X, target=-1),
        lambda m, X: patch_occlusion(m, X, target=12),
        lambda m, X: deletion_curve(m, X, target=10),
        lambda m, X: activation_maximization(m, target=10, steps=1),
        lambda m, X: activation_maximization(m, X, target=[0, 99], steps=1),
    ],
)
def test_class_index_out_of_range(cnn, X, call):
    with pytest.raises(ValueError, match=r"class index in \[0, 10\)"):
        call(cnn, X[:2])


def test_other_bad_options(cnn, X):
    with pytest.raises(TypeError, match="target"):
        grad_cam(cnn, X[:2], target=1.5)
    with pytest.raises(ValueError, match="target"):
        grad_cam(cnn, X[:2], target=[1, 2, 3])
    with pytest.raises(ValueError, match="patch"):
        patch_occlusion(cnn, X[:2], patch=9)
    with pytest.raises(ValueError, match="stride"):
        patch_occlusion(cnn, X[:2], stride=0)
    with pytest.raises(ValueError, match="attribution must be shaped like X"):
        deletion_curve(cnn, X[:2], np.zeros((2, 64)))
    with pytest.raises(ValueError, match="n_steps"):
        deletion_curve(cnn, X[:2], n_steps=65)
    with pytest.raises(ValueError, match="value_range"):
        activation_maximization(cnn, value_range=(1.0, 0.0), steps=1)
    with pytest.raises(ValueError, match="l2"):
        activation_maximization(cnn, l2=-1.0, steps=1)


def test_a_table_model_is_refused():
    from nnbook.models import build_seed_mlp

    with pytest.raises(TypeError, match="images"):
        grad_cam(build_seed_mlp(compile=False), np.zeros((2, 20)))


# -- plots -------------------------------------------------------------------
def test_signed_maps_use_a_diverging_scale_centred_at_zero(X):
    import matplotlib.pyplot as plt

    from nnbook.plots import plot_map_over_image

    attr = np.linspace(-1, 3, 64).reshape(8, 8, 1)
    im = plot_map_over_image(X[0], attr)
    assert im.get_cmap().name == "RdBu_r"
    assert im.get_clim() == (-3.0, 3.0)
    im2 = plot_map_over_image(X[0], np.abs(attr), ax=im.axes)
    assert im2.get_cmap().name == "viridis" and im2.get_clim()[0] == 0.0
    with pytest.raises(ValueError, match="diverging"):
        plot_map_over_image(X[0], attr, cmap="viridis", ax=im.axes)
    with pytest.raises(ValueError, match="shape"):
        plot_map_over_image(X[0], np.zeros((4, 4)), ax=im.axes)
    plt.close(im.figure)


def test_plotters_return_their_artists(cnn, X):
    import matplotlib.pyplot as plt

    from nnbook.plots import (
        feature_mosaic,
        plot_deletion_curves,
        plot_feature_maps,
        plot_filters,
        plot_image_grid,
    )

    ims = plot_image_grid(X[:5], titles=list("abcde"))
    assert len(ims) == 5 and ims[0].axes.get_title() == "a"
    filt = plot_filters(cnn.get_layer("conv1").get_weights()[0])
    assert len(filt) == 16 and filt[0].get_clim()[0] == -filt[0].get_clim()[1]
    maps = conv_feature_maps(cnn, X[:1])["conv2"][0]
    tiles = feature_mosaic(maps, ncols=8)
    assert tiles.shape == (4 * 5 - 1, 8 * 5 - 1)
    np.testing.assert_array_equal(tiles[5:9, 10:14], maps[..., 10])  # row 1, col 2
    im = plot_feature_maps(maps)
    assert im.get_array().shape == tiles.shape
    curves = {
        "random": deletion_curve(cnn, X[:3]),
        "cam": deletion_curve(cnn, X[:3], grad_cam(cnn, X[:3])),
    }
    lines = plot_deletion_curves(curves)
    assert len(lines) == 2 and lines[0].get_linestyle() == "--"
    with pytest.raises(ValueError, match="titles"):
        plot_image_grid(X[:3], titles=["a"])
    plt.close("all")


# -- the explorer ------------------------------------------------------------
def test_feature_map_explorer(cnn, digits):
    import matplotlib.pyplot as plt

    from nnbook.widgets import FeatureMapExplorer

    X, y = digits.X_test[:30], digits.y_test[:30]
    ex = FeatureMapExplorer(cnn, X, y=y, index=2, layer="conv1", channel=3)
    maps = conv_feature_maps(cnn, X)
    np.testing.assert_allclose(ex._map.get_array(), maps["conv1"][2, ..., 3])
    ex.update(layer="conv2", channel=20, index=5)
    np.testing.assert_allclose(ex._map.get_array(), maps["conv2"][5, ..., 20])
    assert "conv2" in ex._axes[1].get_title()
    with pytest.raises(ValueError, match=r"channel must be in \[0, 15\]"):
        ex.update(layer="conv1")  # channel 20 does not exist in conv1
    assert ex.params["layer"] == "conv2"  # a refused update changes nothing
    with pytest.raises(ValueError, match="index"):
        ex.update(index=30)
    with pytest.raises(ValueError, match="layer"):
        ex.update(layer="dense")
    frames = ex.frames("channel", [0, 1])
    assert len(frames) == 2 and frames[0][:4] == b"\x89PNG"
    plt.close(ex.fig)
