"""Grad-CAM, class models and deletion curves on the trained digits CNN."""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E

N_EXPLAIN = 40  # the fixed set of test images the statistical checks use


@pytest.fixture(scope="module")
def X(digits):
    return digits.X_test[:N_EXPLAIN]


def test_the_cnn_learns(cnn, digits):
    acc = cnn.evaluate(digits.X_test, digits.y_test, verbose=0, return_dict=True)
    assert acc["accuracy"] > 0.93  # chance is 0.1
    assert E.conv_layer_names(cnn) == ["conv1", "conv2"]


@pytest.mark.parametrize("layer", [None, "conv1", "conv2", 3])
def test_grad_cam_one_nonnegative_map_per_image(cnn, X, layer):
    cam = E.grad_cam(cnn, X, layer=layer)
    assert cam.shape == X.shape == (N_EXPLAIN, 8, 8, 1) and cam.dtype == np.float64
    assert np.all(np.isfinite(cam)) and cam.min() >= 0.0
    assert np.all(cam.reshape(N_EXPLAIN, -1).max(axis=1) > 0)  # not all blank
    assert not np.allclose(cam[0], cam[1])  # one map per image


def test_grad_cam_default_layer_is_the_last_conv(cnn, X):
    np.testing.assert_array_equal(
        E.grad_cam(cnn, X[:5]), E.grad_cam(cnn, X[:5], layer="conv2")
    )


def test_grad_cam_matches_the_scratch_version(cnn, X):
    """The chapter's from-scratch Grad-CAM (on the logit) and the package agree."""
    import keras
    import tensorflow as tf

    x = tf.constant(X[:8].astype("float32"))
    c = tf.constant(cnn.predict(X[:8], verbose=0).argmax(axis=1))
    probe = keras.Model(
        cnn.inputs[0], [cnn.get_layer("conv2").output, cnn.get_layer("logits").output]
    )
    with tf.GradientTape() as tape:
        A, logits = probe(x)
        score = tf.gather(logits, c, axis=1, batch_dims=1)
    alpha = tf.reduce_mean(tape.gradient(score, A), axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(alpha * A, axis=-1, keepdims=True))
    cam = tf.image.resize(cam, (8, 8), method="bilinear").numpy()
    np.testing.assert_allclose(E.grad_cam(cnn, X[:8]), cam, rtol=1e-5, atol=1e-6)


def test_grad_cam_depends_on_the_target_and_the_output(cnn, X):
    a = E.grad_cam(cnn, X[:10], target=0)
    assert not np.allclose(a, E.grad_cam(cnn, X[:10], target=1))
    assert not np.allclose(a, E.grad_cam(cnn, X[:10], target=0, output="probability"))


@pytest.mark.parametrize("layer", ["dense", "pool", "logits", "nope"])
def test_grad_cam_needs_a_conv_layer(cnn, X, layer):
    with pytest.raises(ValueError, match=r"convolutional.*\['conv1', 'conv2'\]"):
        E.grad_cam(cnn, X[:2], layer=layer)
    with pytest.raises(ValueError, match="convolutional"):
        E.conv_feature_maps(cnn, X[:2], layers=[layer])


def test_a_table_model_is_refused():
    from nnbook.models import build_seed_mlp

    with pytest.raises(TypeError, match="images"):
        E.grad_cam(build_seed_mlp(compile=False), np.zeros((2, 20)))


def test_ig_completeness_gap_below_one_percent(cnn, X):
    attr, delta = E.integrated_gradients(cnn, X, return_delta=True)
    change = E.model_output(cnn, X) - E.model_output(
        cnn, np.zeros_like(X), target=E.make_classifier(cnn).predict(X)
    )
    assert np.median(np.abs(delta) / np.abs(change)) <= 0.01


def test_activation_maximization_makes_each_class(cnn):
    images = E.activation_maximization(cnn, n_steps=100, seed=1)
    assert images.shape == (10, 8, 8, 1) and images.dtype == np.float64
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert np.array_equal(cnn.predict(images, verbose=0).argmax(axis=1), np.arange(10))
    again = E.activation_maximization(cnn, n_steps=100, seed=1)
    np.testing.assert_allclose(images, again, atol=1e-6)  # randomness via seed
    stronger = E.activation_maximization(cnn, n_steps=100, seed=1, l2=5.0)
    assert np.square(stronger).sum() < np.square(images).sum()  # the L2 penalty


def test_activation_maximization_from_given_images(cnn, X):
    images = E.activation_maximization(cnn, X[:3], target=[7, 7, 7], n_steps=50)
    assert images.shape == (3, 8, 8, 1)
    assert np.all(cnn.predict(images, verbose=0).argmax(axis=1) == 7)


def test_deletion_curve_endpoints(cnn, X):
    dc = E.deletion_curve(cnn, X[:10], seed=3)
    t = cnn.predict(X[:10], verbose=0).argmax(axis=1)
    assert dc.order == "random"
    assert dc.fraction[0] == 0 and dc.fraction[-1] == 1 and len(dc.fraction) == 65
    p0 = E.model_output(cnn, X[:10], output="probability")
    np.testing.assert_allclose(dc.prob[:, 0], p0, atol=1e-6)
    blank = cnn.predict(np.zeros((1, 8, 8, 1)), verbose=0)[0, t]
    np.testing.assert_allclose(dc.prob[:, -1], blank, atol=1e-6)
    assert dc.prob.shape == (10, 65) and np.isclose(dc.curve.mean(), dc.prob.mean())
    np.testing.assert_array_equal(dc.prob, E.deletion_curve(cnn, X[:10], seed=3).prob)
    assert not np.array_equal(dc.prob, E.deletion_curve(cnn, X[:10], seed=4).prob)


def test_deletion_curve_baseline_and_output(cnn, X):
    grey = E.deletion_curve(cnn, X[:4], baseline=0.5, n_steps=8)
    t = cnn.predict(X[:4], verbose=0).argmax(axis=1)
    full = cnn.predict(np.full((1, 8, 8, 1), 0.5), verbose=0)[0, t]
    np.testing.assert_allclose(grey.prob[:, -1], full, atol=1e-6)
    logit = E.deletion_curve(cnn, X[:4], n_steps=8, output="logit")
    np.testing.assert_allclose(logit.prob[:, 0], E.model_output(cnn, X[:4]), atol=1e-5)


def test_deletion_curve_follows_the_attribution_order(cnn, X):
    x = X[:1]
    attr = np.zeros_like(x)
    attr[0, 3, 4, 0] = 5.0  # the single most important pixel
    dc = E.deletion_curve(cnn, x, attr, n_steps=64)
    hidden = x.copy()
    hidden[0, 3, 4, 0] = 0.0
    t = int(cnn.predict(x, verbose=0).argmax())
    np.testing.assert_allclose(
        dc.prob[0, 1], cnn.predict(hidden, verbose=0)[0, t], atol=1e-6
    )


def test_insertion_curve_mirrors_deletion(cnn, X):
    """Insertion starts at the baseline image and ends at the image itself;
    with the same order, its first put-back pixel is deletion's first removed."""
    x = X[:3]
    t = cnn.predict(x, verbose=0).argmax(axis=1)
    ins = E.insertion_curve(cnn, x, seed=2, n_steps=16)
    assert ins.kind == "insertion" and ins.order == "random"
    blank = cnn.predict(np.zeros((1, 8, 8, 1)), verbose=0)[0, t]
    np.testing.assert_allclose(ins.prob[:, 0], blank, atol=1e-6)
    p0 = E.model_output(cnn, x, output="probability")
    np.testing.assert_allclose(ins.prob[:, -1], p0, atol=1e-6)
    attr = np.zeros_like(x[:1])
    attr[0, 3, 4, 0] = 5.0
    one = E.insertion_curve(cnn, x[:1], attr, n_steps=64)
    only = np.zeros_like(x[:1])
    only[0, 3, 4, 0] = x[0, 3, 4, 0]
    np.testing.assert_allclose(
        one.prob[0, 1], cnn.predict(only, verbose=0)[0, t[0]], atol=1e-6
    )
    with pytest.raises(ValueError, match="kind must be one of"):
        E.pixel_curve(cnn, x, kind="deletions")


def test_gradient_methods_beat_random_order_on_insertion(cnn, X):
    random_auc = E.insertion_curve(cnn, X, seed=0).auc
    attr = E.integrated_gradients(cnn, X)
    assert E.insertion_curve(cnn, X, attr, seed=0).auc > random_auc + 0.1


def test_gradient_methods_beat_random_order(cnn, X):
    random_auc = E.deletion_curve(cnn, X, seed=0).auc
    methods = {
        "saliency": E.gradient_saliency(cnn, X),
        "smoothgrad": E.smoothgrad(cnn, X, seed=0),
        "integrated gradients": E.integrated_gradients(cnn, X),
    }
    for name, attr in methods.items():
        auc = E.deletion_curve(cnn, X, attr, seed=0).auc
        assert auc < random_auc - 0.1, (name, auc, random_auc)


@pytest.mark.parametrize("method", [E.grad_cam, E.gradient_saliency])
def test_cascading_randomization_changes_the_maps(cnn, X, method):
    before = [w.copy() for w in cnn.get_weights()]
    maps = []

    def recording(model, X, *, target=None):
        maps.append(method(model, X, target=target))
        return maps[-1]

    res = E.cascading_randomization(cnn, X[:15], method=recording, seed=0)
    assert len(res.steps) == 4 and len(maps) == 5  # logits, dense, conv2, conv1
    assert res.spearman[-1] < 0.5
    for randomized in maps[1:]:
        assert not np.allclose(randomized, maps[0])
    for a, b in zip(before, cnn.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # weights restored


def test_conv_feature_maps_shapes(cnn, X):
    maps = E.conv_feature_maps(cnn, X[:3])
    assert list(maps) == ["conv1", "conv2"]
    assert maps["conv1"].shape == (3, 8, 8, 16) and maps["conv1"].dtype == np.float64
    assert maps["conv2"].shape == (3, 4, 4, 32)
    assert maps["conv1"].min() >= 0  # after ReLU
    only = E.conv_feature_maps(cnn, X[:3], layers=["conv2"])
    np.testing.assert_array_equal(only["conv2"], maps["conv2"])


@pytest.mark.parametrize(
    "fn",
    [E.grad_cam, E.occlusion, E.deletion_curve, E.conv_feature_maps],
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


@pytest.mark.parametrize(
    "call",
    [
        lambda m, X: E.grad_cam(m, X, target=10),
        lambda m, X: E.grad_cam(m, X, target=-1),
        lambda m, X: E.occlusion(m, X, target=12),
        lambda m, X: E.deletion_curve(m, X, target=10),
        lambda m, X: E.activation_maximization(m, target=10, n_steps=1),
        lambda m, X: E.activation_maximization(m, X, target=[0, 99], n_steps=1),
    ],
)
def test_class_index_out_of_range(cnn, X, call):
    with pytest.raises(ValueError, match=r"class index in \[0, 10\)"):
        call(cnn, X[:2])


def test_other_bad_options(cnn, X):
    with pytest.raises(ValueError, match="attribution must be shaped like X"):
        E.deletion_curve(cnn, X[:2], np.zeros((2, 64)))
    with pytest.raises(ValueError, match="n_steps"):
        E.deletion_curve(cnn, X[:2], n_steps=65)
    with pytest.raises(ValueError, match="baseline must be"):
        E.deletion_curve(cnn, X[:2], baseline=np.zeros(5))
    with pytest.raises(ValueError, match="value_range"):
        E.activation_maximization(cnn, value_range=(1.0, 0.0), n_steps=1)
    with pytest.raises(ValueError, match="l2"):
        E.activation_maximization(cnn, l2=-1.0, n_steps=1)
