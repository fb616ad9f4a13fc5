"""Gradient methods against their axioms and references (completeness, FD, TF)."""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E


@pytest.fixture(scope="module")
def X_test(seed_data):
    return seed_data.X_test


def test_ig_completeness_at_default_steps(trained_seed_model, X_test):
    model = trained_seed_model
    _, delta = E.integrated_gradients(model, X_test, return_delta=True)
    change = E.model_output(model, X_test) - E.model_output(
        model, np.zeros_like(X_test)
    )
    assert np.median(np.abs(delta) / np.abs(change)) <= 0.01


@pytest.mark.parametrize("output", ["logit", "probability"])
def test_ig_gap_shrinks_as_steps_grow(trained_seed_model, X_test, output):
    gaps = [
        np.median(
            np.abs(
                E.integrated_gradients(
                    trained_seed_model,
                    X_test,
                    n_steps=s,
                    output=output,
                    return_delta=True,
                )[1]
            )
        )
        for s in (4, 16, 64, 256)
    ]
    assert all(a > b for a, b in zip(gaps, gaps[1:], strict=False)), gaps


@pytest.mark.parametrize("output", ["logit", "probability"])
def test_exact_ig_matches_riemann_and_is_complete(trained_seed_model, X_test, output):
    X = X_test[:40]
    exact, delta = E.integrated_gradients(
        trained_seed_model, X, method="exact", output=output, return_delta=True
    )
    riemann = E.integrated_gradients(trained_seed_model, X, n_steps=4096, output=output)
    assert np.max(np.abs(delta)) < 1e-5  # float32 model: rounding-level
    assert np.max(np.abs(exact - riemann)) < 1e-3 * np.max(np.abs(exact))


def test_exact_ig_refuses_models_it_cannot_do(tiny_cnn):
    with pytest.raises(ValueError, match="method='exact'"):
        E.integrated_gradients(tiny_cnn, np.zeros((2, 8, 8, 1)), method="exact")


def test_ig_agrees_with_a_scratch_loop(trained_seed_model, X_test):
    import tensorflow as tf

    X, steps = X_test[:5], 32
    expected = np.zeros_like(X)
    for k in range(steps):
        point = tf.constant((k + 0.5) / steps * X, dtype=tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(point)
            out = trained_seed_model(point)[:, 0]
        expected += tape.gradient(out, point).numpy() / steps
    expected *= X
    got = E.integrated_gradients(
        trained_seed_model, X, n_steps=steps, output="probability"
    )
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("output", ["logit", "probability"])
def test_gradient_matches_finite_differences(trained_seed_model, X_test, output):
    x = X_test[:3]
    g = E.gradient_saliency(trained_seed_model, x, output=output)
    h = 1e-2
    for j in (0, 5, 14):
        up, down = x.copy(), x.copy()
        up[:, j] += h
        down[:, j] -= h
        fd = (
            E.model_output(trained_seed_model, up, output=output)
            - E.model_output(trained_seed_model, down, output=output)
        ) / (2 * h)
        np.testing.assert_allclose(g[:, j], fd, rtol=0.05, atol=1e-4)


def test_logit_gradient_is_the_probability_gradient_over_the_slope(
    trained_seed_model, X_test
):
    X = X_test[:20]
    g_logit = E.gradient_saliency(trained_seed_model, X)
    g_prob = E.gradient_saliency(trained_seed_model, X, output="probability")
    p = E.model_output(trained_seed_model, X, output="probability")
    np.testing.assert_allclose(
        g_prob, g_logit * (p * (1 - p))[:, None], rtol=1e-3, atol=1e-8
    )
    z = E.model_output(trained_seed_model, X)
    np.testing.assert_allclose(1 / (1 + np.exp(-z)), p, rtol=1e-5)


def test_float64_models_give_float64_gradients(seed_data):
    from nnbook.models import build_seed_mlp

    model = build_seed_mlp(dtype="float64")
    x = seed_data.X_test[:2]
    g = E.gradient_saliency(model, x)
    h = 1e-6
    up, down = x.copy(), x.copy()
    up[:, 3] += h
    down[:, 3] -= h
    fd = (E.model_output(model, up) - E.model_output(model, down)) / (2 * h)
    np.testing.assert_allclose(g[:, 3], fd, rtol=1e-7)  # float32 could not


def test_smoothgrad_wraps_any_gradient_method(trained_seed_model, X_test):
    X = X_test[:4]
    plain = E.smoothgrad(trained_seed_model, X, noise=0.0, n_draws=3)
    np.testing.assert_allclose(plain, E.gradient_saliency(trained_seed_model, X))
    gxi = E.smoothgrad(
        trained_seed_model, X, method=E.gradient_x_input, noise=0.0, n_draws=2
    )
    np.testing.assert_allclose(gxi, E.gradient_x_input(trained_seed_model, X))
    ig = E.smoothgrad(
        trained_seed_model,
        X,
        method=E.integrated_gradients,
        noise=0.0,
        n_draws=2,
        n_steps=8,
    )
    expected = E.integrated_gradients(trained_seed_model, X, n_steps=8)
    np.testing.assert_allclose(ig, expected, rtol=1e-9)
    noisy = E.smoothgrad(trained_seed_model, X, method=E.gradient_x_input, n_draws=8)
    assert not np.allclose(noisy, gxi)
    with pytest.raises(TypeError, match="method"):
        E.smoothgrad(trained_seed_model, X, method="saliency")


@pytest.mark.parametrize("n_steps", [0, -3])
def test_counts_below_one(trained_seed_model, n_steps):
    with pytest.raises(ValueError, match="n_steps must be >= 1"):
        E.integrated_gradients(trained_seed_model, np.zeros((2, 20)), n_steps=n_steps)
    with pytest.raises(ValueError, match="n_draws must be >= 1"):
        E.smoothgrad(trained_seed_model, np.zeros((2, 20)), n_draws=n_steps)


def test_counts_must_be_integers(trained_seed_model):
    with pytest.raises(TypeError, match="n_steps must be an integer"):
        E.integrated_gradients(trained_seed_model, np.zeros((2, 20)), n_steps=2.5)


def test_ig_completeness_on_softmax_target(tiny_cnn):
    X = np.random.default_rng(1).uniform(size=(4, 8, 8, 1))
    target = np.array([0, 1, 2, 1])
    for output in ("logit", "probability"):
        _, delta = E.integrated_gradients(
            tiny_cnn, X, target=target, n_steps=256, output=output, return_delta=True
        )
        assert np.max(np.abs(delta)) < 1e-3


def test_expected_gradients_is_complete_in_expectation(trained_seed_model, seed_data):
    """sum(EG) = F(x) - mean_b F(b) up to Monte Carlo error that shrinks
    with n_draws; the same seed gives the same draws."""
    X = seed_data.X_test[:20]
    B = seed_data.X_train[:50]
    gaps = []
    for n_draws in (16, 1024):
        eg, delta = E.expected_gradients(
            trained_seed_model, X, baseline=B, n_draws=n_draws, return_delta=True
        )
        change = np.abs(E.model_output(trained_seed_model, X)).mean()
        gaps.append(np.median(np.abs(delta)) / change)
    assert gaps[1] < gaps[0] / 3 and gaps[1] < 0.05, gaps
    again = E.expected_gradients(trained_seed_model, X, baseline=B, n_draws=16)
    first = E.expected_gradients(trained_seed_model, X, baseline=B, n_draws=16)
    np.testing.assert_array_equal(again, first)


def test_expected_gradients_on_a_linear_logit_is_exact():
    """For a linear logit w.x + c every draw gives w_i (x_i - b_i): EG is
    w_i (x_i - mean(b_i)) whatever the path positions (the SHAP value too)."""
    import keras

    rng = np.random.default_rng(1)
    model = keras.Sequential(
        [keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")]
    )
    w = rng.normal(size=(5, 1))
    model.set_weights([w, np.array([0.3])])
    X, B = rng.normal(size=(4, 5)), rng.normal(size=(200, 5))
    eg = E.expected_gradients(model, X, baseline=B, n_draws=4000, seed=2)
    # the draws pick references from B: compare with the mean of the draws'
    # references, within the Monte Carlo error of a 4000-draw mean
    expected = w[:, 0] * (X - B.mean(axis=0))
    np.testing.assert_allclose(eg, expected, atol=0.1)
    one = E.expected_gradients(model, X, baseline=B[:1], n_draws=8)
    np.testing.assert_allclose(one, w[:, 0] * (X - B[0]), atol=1e-5)
    with pytest.raises(ValueError, match="reference sample of shape"):
        E.expected_gradients(model, X, baseline=np.zeros((3, 4)))
