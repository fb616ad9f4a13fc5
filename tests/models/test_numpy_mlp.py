"""nnbook.models.numpy_mlp: one NumPy network, checked against axioms and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.activations import ACTIVATIONS
from nnbook.losses import check_gradient, relative_error
from nnbook.models.numpy_mlp import (
    MLPWeights,
    backward,
    forward,
    glorot_limit,
    glorot_uniform,
    init_weights,
    l2_penalty,
    loss_value,
)


def _loss(weights, X, y, *, loss, l2=0.0, activation="relu", mask=None, keep=1.0):
    fp = forward(weights, X, activation=activation, keep_mask=mask, keep=keep)
    if loss == "bce":
        z = fp.z2
        value = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    else:
        value = np.mean((fp.y_hat - y) ** 2)
    return value + l2_penalty(weights, l2)


def _replace(weights, name, value):
    arrays = dict(zip(("W1", "b1", "W2", "b2"), weights, strict=True))
    arrays[name] = value
    return MLPWeights(**arrays)


# -- initialization -----------------------------------------------------------
def test_init_is_glorot_reproducible_and_float64_by_default():
    a, b = init_weights(seed=4), init_weights(seed=4)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert a.dtype == np.float64 and init_weights(dtype="float32").dtype == np.float32
    limit = glorot_limit(20, 10)
    assert np.abs(a.W1).max() <= limit and np.abs(a.W1).max() > 0.8 * limit
    assert not np.any(a.b1) and not np.any(a.b2)
    assert not np.array_equal(a.W1, init_weights(seed=5).W1)


def test_narrower_networks_take_the_first_units_of_the_shared_draw():
    wide = init_weights(20, 256, seed=3, max_hidden=256)
    narrow = init_weights(20, 16, seed=3, max_hidden=256)
    assert narrow.W1.shape == (20, 16) and narrow.W2.shape == (16, 1)
    # the same uniform numbers, rescaled to each width's Glorot limit
    unit_wide = (wide.W1[:, :16] / glorot_limit(20, 256) + 1) / 2
    unit_narrow = (narrow.W1 / glorot_limit(20, 16) + 1) / 2
    np.testing.assert_allclose(unit_narrow, unit_wide, rtol=1e-12)
    np.testing.assert_allclose(
        (narrow.W2 / glorot_limit(16, 1) + 1) / 2,
        (wide.W2[:16] / glorot_limit(256, 1) + 1) / 2,
        rtol=1e-12,
    )
    with pytest.raises(ValueError, match="hidden_units"):
        init_weights(20, 300, max_hidden=256)


def test_without_max_hidden_the_draw_is_rng_uniform():
    rng = np.random.default_rng(7)
    W1 = rng.uniform(-glorot_limit(20, 10), glorot_limit(20, 10), (20, 10))
    W2 = rng.uniform(-glorot_limit(10, 1), glorot_limit(10, 1), (10, 1))
    w = init_weights(20, 10, seed=7)
    np.testing.assert_array_equal(w.W1, W1)
    np.testing.assert_array_equal(w.W2, W2)


def test_glorot_uniform_uses_keras_fans_for_convolutions():
    rng = np.random.default_rng(0)
    kernel = glorot_uniform((3, 3, 4, 8), rng, "float32")
    assert kernel.shape == (3, 3, 4, 8) and kernel.dtype == np.float32
    limit = glorot_limit(9 * 4, 9 * 8)
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.9 * limit
    with pytest.raises(ValueError, match="2 dimensions"):
        glorot_uniform((5,), rng)


def test_weights_convert_to_and_from_keras_and_check_shapes():
    w = init_weights(seed=1)
    back = MLPWeights.from_keras(w.to_keras())
    for a, b in zip(w, back, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="mismatched shapes"):
        MLPWeights(w.W1, w.b1, np.zeros((3, 1)), w.b2)
    with pytest.raises(ValueError, match="4 arrays"):
        MLPWeights.from_keras(w.to_keras()[:3])
    with pytest.raises(TypeError, match="weights"):
        MLPWeights.check({"W1": w.W1})


# -- forward ------------------------------------------------------------------
def test_forward_keeps_every_intermediate_in_the_weights_dtype(seed_data):
    w = init_weights(seed=0, dtype="float32")
    fp = forward(w, seed_data.X_train[:5])
    assert fp.z1.shape == (5, 10) and fp.a1.shape == (5, 10)
    assert fp.z2.shape == (5,) and fp.y_hat.shape == (5,)
    for arr in (fp.X, fp.z1, fp.a1, fp.z2, fp.y_hat):
        assert arr.dtype == np.float32
    np.testing.assert_array_equal(fp.a1, np.maximum(fp.z1, 0))
    assert np.all((fp.y_hat > 0) & (fp.y_hat < 1))
    with pytest.raises(ValueError, match="20 features"):
        forward(w, seed_data.X_train[:5, :7])


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_forward_matches_keras(seed_data, activation):
    from nnbook.training import model_from_weights

    w = init_weights(seed=2)
    model = model_from_weights(w)
    model.get_layer("hidden").activation = __import__("keras").activations.get(
        activation
    )
    X = seed_data.X_test[:30]
    keras_p = np.asarray(model(X))[:, 0]
    ours = forward(w, X, activation=activation).y_hat
    np.testing.assert_allclose(ours, keras_p, rtol=1e-7, atol=1e-12)


# -- backward: finite differences, TensorFlow -----------------------------------
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_backward_matches_finite_differences(seed_data, loss, activation):
    w = init_weights(seed=1, hidden_units=6)
    w = MLPWeights(*(a + 0.05 for a in w))  # off zero: no kink at the start
    X, y = seed_data.X_train[:16], seed_data.y_train[:16].astype(float)
    mask = (np.random.default_rng(0).random((16, 6)) < 0.7).astype(float)
    kw = {"loss": loss, "l2": 0.03, "activation": activation, "mask": mask, "keep": 0.7}
    fp = forward(w, X, activation=activation, keep_mask=mask, keep=0.7)
    grads = backward(w, fp, y, loss=loss, l2=0.03)
    for name, g in zip(("W1", "b1", "W2", "b2"), grads, strict=True):
        err = check_gradient(
            lambda v, name=name: _loss(_replace(w, name, v), X, y, **kw),
            lambda _v, g=g: g,
            getattr(w, name),
        )
        assert err < 1e-6, (name, err)


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_backward_matches_gradient_tape(seed_data, loss):
    import tensorflow as tf

    w = init_weights(seed=2)
    X, y = seed_data.X_train[:32], seed_data.y_train[:32].astype(np.float64)
    grads = backward(w, forward(w, X), y, loss=loss, l2=0.01)
    v = {k: tf.Variable(a) for k, a in zip(("W1", "b1", "W2", "b2"), w, strict=True)}
    with tf.GradientTape() as tape:
        h = tf.nn.relu(X @ v["W1"] + v["b1"])
        logit = (h @ v["W2"] + v["b2"])[:, 0]
        if loss == "bce":
            value = tf.reduce_mean(
                tf.nn.sigmoid_cross_entropy_with_logits(tf.constant(y), logit)
            )
        else:
            value = tf.reduce_mean((tf.sigmoid(logit) - y) ** 2)
        value += 0.01 * (tf.reduce_sum(v["W1"] ** 2) + tf.reduce_sum(v["W2"] ** 2))
    tape_grads = tape.gradient(value, v)
    for k, g in zip(("W1", "b1", "W2", "b2"), grads, strict=True):
        assert relative_error(g, tape_grads[k].numpy()) <= 1e-10, k


def test_loss_value_is_keras_binary_crossentropy(seed_data):
    import keras

    from nnbook.training import model_from_weights

    w = init_weights(seed=3)
    X, y = seed_data.X_test, seed_data.y_test
    expected = keras.losses.binary_crossentropy(y[:, None], model_from_weights(w)(X))
    assert loss_value(w, X, y) == pytest.approx(float(np.mean(expected)), rel=1e-6)


# -- the training chapter's scratch cells: a deliberate teaching parallel ------
def test_chapter_scratch_code_agrees_with_the_package(seed_data, chapter_cells):
    """The chapter trains in float64 (NumPy's default): the scratch loop and
    the package agree to float64 rounding, not only to float32's."""
    from nnbook.training import batch_order, train_numpy

    ns = chapter_cells("03_training_loop.ipynb")
    X = seed_data.X_train[:200].astype("float64")
    y = seed_data.y_train[:200].astype("float64")
    order = batch_order(200, epochs=3, seed=1)
    p = ns["init"](20, 10, np.random.default_rng(7))
    ref = init_weights(20, 10, seed=7)
    for name, arr in zip(("W1", "b1", "W2", "b2"), ref, strict=True):
        assert p[name].dtype == np.float64
        np.testing.assert_array_equal(p[name], arr)
    losses = ns["train"](p, X, y, order, 32, 0.1)
    run = train_numpy(ref, X, y, order=order, batch_size=32, optimizer="sgd", lr=0.1)
    np.testing.assert_allclose(losses, run.step_loss, rtol=1e-12)
    for name, arr in zip(("W1", "b1", "W2", "b2"), run.weights(), strict=True):
        np.testing.assert_allclose(p[name], arr, rtol=1e-10, atol=1e-12)
    z1, _, _, y_hat = ns["forward"](p, X)
    fp = forward(run.weights(), X)
    np.testing.assert_allclose(y_hat, fp.y_hat, rtol=1e-12)
    np.testing.assert_allclose(z1, fp.z1, rtol=1e-12, atol=1e-12)
