"""nnbook.widgets.loss_surface: the explorer driven through update()."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.losses import gradient_descent, surface_data
from nnbook.widgets import LossSurfaceExplorer


@pytest.fixture(scope="module")
def explorer():
    ex = LossSurfaceExplorer()
    yield ex
    import matplotlib.pyplot as plt

    plt.close(ex.fig)


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


def test_scrubber_renders_frames(explorer):
    frames = explorer.frames("lr", [0.05, 0.6], steps=10)
    assert len(frames) == 2 and frames[0] != frames[1]
    html = explorer.scrubber(
        "lr", [0.05, 0.6], alt="gradient descent paths", steps=10
    ).data
    assert 'alt="gradient descent paths"' in html
