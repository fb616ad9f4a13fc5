"""nnbook.losses: every analytical gradient against finite differences and TF."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook import losses as L

TOL = 1e-6


def test_checker_on_a_function_with_a_known_gradient():
    A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])

    def f(x):
        return float(np.sum(np.sin(x)) + 0.5 * x @ A @ x)

    def grad(x):
        return np.cos(x) + A @ x

    x = np.array([0.3, -1.2, 2.0])
    assert L.check_gradient(f, grad, x) < 1e-9
    np.testing.assert_allclose(L.numerical_gradient(f, x), grad(x), rtol=1e-8)
    # A wrong gradient is caught: drop the symmetric half of A x.
    assert L.check_gradient(f, lambda x: np.cos(x) + 0.5 * A @ x, x) > 0.1
    with pytest.raises(ValueError, match="shape"):
        L.check_gradient(f, lambda x: grad(x)[:2], x)
    assert L.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert L.relative_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 2.2)


@pytest.fixture(scope="module")
def points():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 12).astype(float)
    z = rng.normal(0, 2, 12)
    Y = np.eye(4)[rng.integers(0, 4, 6)]
    Z = rng.normal(0, 2, (6, 4))
    return y, z, L.sigmoid(z), Y, Z


def _tf_cases(points):
    import keras
    import tensorflow as tf

    y, z, p, Y, Z = points
    yt, Yt = tf.constant(y), tf.constant(Y)
    return {
        "mse/prob": (
            lambda v: L.mse(y, v),
            lambda v: L.mse_grad_prob(y, v),
            p,
            lambda t: tf.reduce_mean((t - yt) ** 2),
        ),
        "mse/logit": (
            lambda v: L.mse(y, L.sigmoid(v)),
            lambda v: L.mse_grad_logit(y, v),
            z,
            lambda t: keras.losses.mean_squared_error(yt, tf.sigmoid(t)),
        ),
        "bce/prob": (
            lambda v: L.bce(y, v),
            lambda v: L.bce_grad_prob(y, v),
            p,
            lambda t: (
                -tf.reduce_mean(yt * tf.math.log(t) + (1 - yt) * tf.math.log(1 - t))
            ),
        ),
        "bce/logit": (
            lambda v: L.bce_with_logits(y, v),
            lambda v: L.bce_grad_logit(y, v),
            z,
            lambda t: tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(yt, t)),
        ),
        "cce/prob": (
            lambda v: L.categorical_crossentropy(Y, v),
            lambda v: L.cce_grad_prob(Y, v),
            L.softmax(Z),
            lambda t: -tf.reduce_mean(tf.reduce_sum(Yt * tf.math.log(t), 1)),
        ),
        "cce/logit": (
            lambda v: L.cce_with_logits(Y, v),
            lambda v: L.cce_grad_logit(Y, v),
            Z,
            lambda t: tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(Yt, t)),
        ),
    }


CASES = ["mse/prob", "mse/logit", "bce/prob", "bce/logit", "cce/prob", "cce/logit"]


@pytest.mark.parametrize("case", CASES)
def test_gradients_against_finite_differences_and_tape(points, case):
    f, grad, x, f_tf = _tf_cases(points)[case]
    assert L.check_gradient(f, grad, x) <= TOL
    assert L.relative_error(grad(x), L.tape_gradient(f_tf, x)) <= TOL
    # The TF function computes the same loss value.
    import tensorflow as tf

    assert float(f_tf(tf.constant(x))) == pytest.approx(f(x), rel=1e-12)


def test_losses_agree_with_keras(points):
    import keras

    y, z, p, Y, Z = points
    assert L.bce(y, p) == pytest.approx(
        float(keras.losses.binary_crossentropy(y[:, None], p[:, None]).numpy().mean()),
        rel=1e-6,
    )
    assert L.bce_with_logits(y, z) == pytest.approx(L.bce(y, p), rel=1e-12)
    assert L.cce_with_logits(Y, Z) == pytest.approx(
        L.categorical_crossentropy(Y, L.softmax(Z)), rel=1e-12
    )
    assert L.cce_with_logits(Y, Z) == pytest.approx(
        float(
            keras.losses.categorical_crossentropy(Y, Z, from_logits=True).numpy().mean()
        ),
        rel=1e-6,
    )


def test_simple_forms():
    """The gradients the chapter derives by hand, in closed form."""
    y = np.array([1.0, 0.0])
    z = np.array([-4.0, 4.0])  # confidently wrong
    p = L.sigmoid(z)
    np.testing.assert_allclose(L.bce_grad_logit(y, z), (p - y) / 2)
    np.testing.assert_allclose(L.bce_grad_prob(y, p) * p * (1 - p), (p - y) / 2)
    # Saturation: MSE's logit gradient is far smaller when confidently wrong.
    g_mse, g_bce = L.mse_grad_logit(y, z), L.bce_grad_logit(y, z)
    assert np.all(np.abs(g_mse) < 0.05 * np.abs(g_bce))
    np.testing.assert_allclose(
        L.softmax(np.array([[0.0, np.log(3.0)]])), [[0.25, 0.75]]
    )
    assert L.sigmoid(np.array([-800.0, 800.0])).tolist() == [0.0, 1.0]
    assert L.bce([1.0], [0.0]) == np.inf
    assert L.bce([1.0], [0.0], eps=1e-7) == pytest.approx(-np.log(1e-7))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: L.mse([0, 1], [0.5]), "same shape"),
        (
            lambda: L.bce([0, 1], [0.5, 1.2]),
            r"y_hat must hold probabilities in \[0, 1\]",
        ),
        (lambda: L.bce([0, 1], [-0.1, 0.5]), "y_hat must hold probabilities"),
        (lambda: L.bce([0, 2], [0.5, 0.5]), "y must hold probabilities"),
        (lambda: L.bce_grad_prob([0, 1], [0.0, 0.5]), "strictly inside"),
        (lambda: L.bce_with_logits([0, 1], [0.0]), "same shape"),
        (
            lambda: L.categorical_crossentropy(np.eye(3), np.full((3, 3), 1.5)),
            "P must hold probabilities",
        ),
        (lambda: L.cce_grad_logit(np.eye(3)[0], np.zeros(3)), "2-D"),
        (lambda: L.mse([0, np.nan], [0, 1]), "NaN"),
        (lambda: L.numerical_gradient(np.sum, [1.0], h=0.0), "h must be"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_chapter_scratch_code_agrees_with_the_package(points, chapter_cells):
    """The from-scratch cells of the loss chapter give the package's numbers."""
    ns = chapter_cells("04_loss.ipynb")
    y, z, p, Y, Z = points
    assert ns["mse_scratch"](y, p) == pytest.approx(L.mse(y, p), rel=1e-12)
    assert ns["bce_scratch"](y, p) == pytest.approx(L.bce(y, p), rel=1e-12)
    np.testing.assert_allclose(
        ns["bce_grad_logit_scratch"](y, z), L.bce_grad_logit(y, z), rtol=1e-12
    )
    np.testing.assert_allclose(ns["softmax_scratch"](Z), L.softmax(Z), rtol=1e-12)
    np.testing.assert_allclose(
        ns["cce_grad_logit_scratch"](Y, Z), L.cce_grad_logit(Y, Z), rtol=1e-12
    )
    f = ns["central_difference"]
    np.testing.assert_allclose(
        f(lambda v: L.mse(y, v), p),
        L.numerical_gradient(lambda v: L.mse(y, v), p),
        rtol=1e-9,
    )
