"""Baseline images (nnbook.explain.baselines): shapes, values, errors, seeds."""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E

RNG = np.random.default_rng(0)
X = RNG.random((5, 8, 8, 1)).astype(np.float32)
X_TRAIN = RNG.random((30, 8, 8, 1))


@pytest.mark.parametrize("kind", E.BASELINE_KINDS)
def test_one_float64_baseline_per_image(kind):
    B = E.image_baseline(X, kind, X_train=X_TRAIN)
    assert B.shape == X.shape and B.dtype == np.float64
    assert np.all(np.isfinite(B))


def test_zero_and_mean():
    assert np.all(E.image_baseline(X, "zero") == 0.0)
    B = E.image_baseline(X, "mean", X_train=X_TRAIN)
    np.testing.assert_allclose(B[0], X_TRAIN.mean(axis=0))
    np.testing.assert_array_equal(B[0], B[-1])  # the same image for every sample


def test_blur_smooths_each_image_and_keeps_constants():
    B = E.image_baseline(X, "blur", sigma=1.0)
    assert B.var(axis=(1, 2, 3)).max() < X.var(axis=(1, 2, 3)).min()
    np.testing.assert_allclose(B.mean(), X.mean(), atol=0.05)
    flat = np.full((2, 8, 8, 1), 0.3)
    np.testing.assert_allclose(E.image_baseline(flat, "blur"), flat)
    # channels are never mixed: a two-channel image blurs channel by channel
    two = np.concatenate([np.zeros((1, 8, 8, 1)), np.ones((1, 8, 8, 1))], axis=-1)
    np.testing.assert_allclose(E.image_baseline(two, "blur"), two)
    # each image alone: its neighbours in the batch do not leak in
    np.testing.assert_allclose(E.image_baseline(X[:1], "blur"), B[:1])


def test_noise_is_seeded_and_in_range():
    a = E.image_baseline(X, "noise", seed=3)
    b = E.image_baseline(X, "noise", seed=3)
    c = E.image_baseline(X, "noise", seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert a.min() >= X.min() and a.max() <= X.max()
    d = E.image_baseline(X, "noise", X_train=np.clip(X_TRAIN, 0.2, 0.4))
    assert d.min() >= 0.2 and d.max() <= 0.4


def test_feeds_integrated_gradients(cnn, digits):
    X_img = digits.X_test[:3]
    t = np.argmax(cnn.predict(X_img, verbose=0), axis=1)
    B = E.image_baseline(X_img, "blur")
    attr, delta = E.integrated_gradients(
        cnn, X_img, target=t, baseline=B, return_delta=True
    )
    assert attr.shape == X_img.shape
    change = E.model_output(cnn, X_img, target=t) - E.model_output(cnn, B, target=t)
    assert np.all(np.abs(delta) <= 0.05 * np.abs(change) + 1e-6)


@pytest.mark.parametrize(
    ("args", "kw", "error", "match"),
    [
        ((X, "gray"), {}, ValueError, "kind must be one of"),
        ((X, "mean"), {}, ValueError, "needs X_train"),
        ((X[0], "zero"), {}, ValueError, r"X must be images of shape \(n"),
        ((X[:0], "zero"), {}, ValueError, "at least one image"),
        ((np.full_like(X, np.nan), "zero"), {}, ValueError, "NaN"),
        ((X.astype(object), "zero"), {}, TypeError, "X must hold numbers"),
        ((X, "mean"), {"X_train": X_TRAIN[:, :4]}, ValueError, "X_train must hold"),
        ((X, "blur"), {"sigma": 0.0}, ValueError, "sigma must be > 0"),
        ((X, "blur"), {"sigma": "1"}, TypeError, "sigma must be a real number"),
        ((X, "noise"), {"seed": -1}, ValueError, "seed must be >= 0"),
        ((X, "noise"), {"seed": 1.5}, TypeError, "seed must be an integer"),
    ],
)
def test_clear_errors(args, kw, error, match):
    with pytest.raises(error, match=match):
        E.image_baseline(*args, **kw)
