"""nnbook.widgets.loss_surface: the explorer driven through update()."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.widgets import LossSurfaceExplorer
from nnbook.widgets.loss_surface import (
    divergence_threshold,
    gradient_descent,
    hessian_threshold,
    linear_mse,
    surface_data,
)


@pytest.fixture(scope="module")
def xy():
    return surface_data()


@pytest.fixture(scope="module")
def explorer():
    ex = LossSurfaceExplorer()
    yield ex
    import matplotlib.pyplot as plt

    plt.close(ex.fig)


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


def test_explorer_update_moves_the_artists_in_place(explorer):
    fig = explorer.fig
    line = explorer.path_line
    explorer.update(lr=0.05, steps=25, w0=-1.5, b0=2.5)
    assert explorer.fig is fig and explorer.path_line is line
    assert not explorer.diverged
    xs, ys = line.get_data()
    assert len(xs) == 26 and (xs[0], ys[0]) == (-1.5, 2.5)
    assert "converges" in explorer.title.get_text()
    before = np.linalg.norm(explorer.path[-1] - explorer.best)
    explorer.update(steps=100)
    assert np.linalg.norm(explorer.path[-1] - explorer.best) < before
    explorer.update(lr=0.6, steps=25)
    assert explorer.diverged and "diverges" in explorer.title.get_text()
    assert explorer.loss[-1] > 1e3 * explorer.loss[0]
    n = explorer.n_renders
    explorer.update(w0=1.0, b0=-1.0, lr=0.01)
    assert explorer.n_renders == n + 1
    assert tuple(explorer.start_marker.get_data()[0]) == (1.0,)
    assert len(fig.axes) == 2  # nothing new was created


def test_explorer_rejects_bad_values(explorer):
    with pytest.raises(ValueError, match="lr"):
        explorer.update(lr=0.0)
    with pytest.raises(ValueError, match="steps"):
        explorer.update(steps=0)
    with pytest.raises(ValueError, match="unknown"):
        explorer.update(speed=1)
    with pytest.raises(ValueError, match="same length"):
        LossSurfaceExplorer(x=np.zeros(3), y=np.zeros(4))
    x, y = surface_data()
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(x, y, w0=0, b0=0, lr=-1.0, steps=3)


def test_linear_mse_broadcasts(xy):
    x, y = xy
    W, B = np.meshgrid([0.0, 1.0], [0.5, -0.5])
    grid = linear_mse(x, y, W, B)
    assert grid.shape == (2, 2)
    assert grid[1, 1] == pytest.approx(np.mean((1.0 * x - 0.5 - y) ** 2))


def test_scrubber_renders_frames(explorer):
    frames = explorer.frames("lr", [0.05, 0.6], steps=10)
    assert len(frames) == 2 and frames[0] != frames[1]
    html = explorer.scrubber(
        "lr", [0.05, 0.6], alt="gradient descent paths", steps=10
    ).data
    assert 'alt="gradient descent paths"' in html
