"""nnbook.losses.surface: gradient descent on one neuron's loss, and its limit."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.losses import (
    divergence_threshold,
    gradient_descent,
    hessian_threshold,
    least_squares,
    linear_mse,
    surface_data,
)


@pytest.fixture(scope="module")
def xy():
    return surface_data()


def test_surface_data_is_the_informative_column(xy, seed_data):
    x, y = xy
    assert x.shape == y.shape == (800,)
    col = np.flatnonzero(np.all(seed_data.X_train == x[:, None], axis=0))
    assert col.size == 1 and seed_data.roles[col[0]] == "informative"


def test_gradient_descent_matches_a_plain_loop(xy):
    x, y = xy
    path, loss = gradient_descent(x, y, w0=-1.0, b0=2.0, lr=0.2, steps=15)
    w, b = -1.0, 2.0
    for _ in range(15):
        r = w * x + b - y
        w, b = w - 0.2 * 2 * np.mean(r * x), b - 0.2 * 2 * np.mean(r)
    np.testing.assert_allclose(path[-1], [w, b], rtol=1e-12)
    np.testing.assert_allclose(loss[-1], np.mean((w * x + b - y) ** 2), rtol=1e-12)
    assert np.all(np.diff(loss) <= 1e-15)  # below the limit, the loss only falls


def test_threshold_by_bisection_matches_the_hessian(xy):
    x, y = xy
    found = divergence_threshold(x, y)
    theory = hessian_threshold(x, y)
    assert found == pytest.approx(theory, rel=1e-3)
    for lr, diverges in ((0.97 * theory, False), (1.03 * theory, True)):
        path, loss = gradient_descent(x, y, w0=0.0, b0=0.0, lr=lr, steps=400)
        assert (loss[-1] > loss[0]) == diverges
    with pytest.raises(ValueError, match="hi must"):
        divergence_threshold(x, y, hi=0.1)


def test_linear_mse_broadcasts(xy):
    x, y = xy
    W, B = np.meshgrid([0.0, 1.0], [0.5, -0.5])
    grid = linear_mse(x, y, W, B)
    assert grid.shape == (2, 2)
    assert grid[1, 1] == pytest.approx(np.mean((1.0 * x - 0.5 - y) ** 2))


def test_least_squares_is_the_minimum(xy):
    x, y = xy
    best = least_squares(x, y)
    np.testing.assert_allclose(best, np.polyfit(x, y, 1), rtol=1e-10)
    around = linear_mse(x, y, best[0] + np.array([-0.01, 0.01]), best[1])
    assert np.all(around > linear_mse(x, y, *best))
    with pytest.raises(ValueError, match="same length"):
        least_squares(x, y[:-1])
