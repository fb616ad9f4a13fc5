"""SingleNeuronExplorer: the figure follows the parameters, bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.widgets import SingleNeuronExplorer
from nnbook.widgets.neuron import boundary_segment, neuron_output

X_SMALL = np.array([[-2.0, 0.0], [-1.0, 1.0], [1.0, -1.0], [2.0, 0.5]])
Y_SMALL = np.array([0, 0, 1, 1])


@pytest.fixture
def explorer():
    ex = SingleNeuronExplorer(X_SMALL, Y_SMALL, w1=1.0, w2=0.0, b=0.0)
    yield ex
    import matplotlib.pyplot as plt

    plt.close(ex.fig)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_update_recomputes_the_output_map(explorer):
    fig = explorer.fig
    explorer.update(w1=-1.5, w2=2.0, b=0.5)
    assert explorer.fig is fig, "the figure must be updated in place"
    assert explorer.n_renders == 2
    img = np.asarray(explorer.image.get_array())
    expected = _sigmoid(explorer._grid @ np.array([-1.5, 2.0]) + 0.5)
    np.testing.assert_allclose(img.ravel(), expected, rtol=1e-12)


def test_outputs_and_accuracy_match_a_hand_computation(explorer):
    explorer.update(w1=1.0, w2=0.0, b=0.0)
    z = X_SMALL @ np.array([1.0, 0.0])
    np.testing.assert_allclose(explorer.z, z)
    np.testing.assert_allclose(explorer.y_hat, _sigmoid(z))
    assert explorer.accuracy == 1.0  # x1 > 0 separates the toy classes
    explorer.update(w1=-1.0)  # the flipped neuron gets every sample wrong
    assert explorer.accuracy == 0.0
    assert "accuracy 0.00" in explorer.title.get_text()


def test_points_on_the_activation_panel_follow_z(explorer):
    explorer.update(w1=0.5, w2=1.0, b=-0.25)
    z, y_hat = neuron_output(X_SMALL, (0.5, 1.0), -0.25)
    np.testing.assert_allclose(explorer.y_hat, y_hat)
    for label, scatter in explorer.points.items():
        mask = Y_SMALL == label
        offsets = np.asarray(scatter.get_offsets())
        np.testing.assert_allclose(offsets[:, 0], z[mask])
        # drawn at the true label's height, within the fixed jitter
        assert np.all(np.abs(offsets[:, 1] - (0.95 if label else 0.05)) <= 0.04)
    heights = explorer.label_height.copy()
    explorer.update(b=1.0)  # moving the neuron moves z, never the heights
    np.testing.assert_array_equal(explorer.label_height, heights)
    np.testing.assert_allclose(
        np.asarray(explorer.points[1].get_offsets())[:, 0], z[Y_SMALL == 1] + 1.25
    )


def test_boundary_lies_on_z_equal_zero(explorer):
    w, b = (0.8, -1.3), 0.4
    explorer.update(w1=w[0], w2=w[1], b=b)
    xs, ys = explorer.boundary.get_data()
    assert len(xs) == 2
    np.testing.assert_allclose(
        w[0] * np.asarray(xs) + w[1] * np.asarray(ys) + b, 0.0, atol=1e-9
    )
    # the end points lie on the edges of the plotted box
    for x, y in zip(xs, ys, strict=True):
        on_x_edge = np.isclose(x, explorer.xlim).any()
        on_y_edge = np.isclose(y, explorer.ylim).any()
        assert on_x_edge or on_y_edge


def test_boundary_moves_with_the_bias(explorer):
    explorer.update(w1=1.0, w2=0.0, b=0.0)
    x0 = np.asarray(explorer.boundary.get_data()[0]).copy()
    explorer.update(b=1.0)  # x1 + 1 = 0: the vertical line moves to x1 = -1
    np.testing.assert_allclose(explorer.boundary.get_data()[0], x0 - 1.0)


def test_zero_weights_have_no_boundary(explorer):
    explorer.update(w1=0.0, w2=0.0, b=0.5)
    xs, ys = explorer.boundary.get_data()
    assert len(xs) == 0 and len(ys) == 0
    assert np.allclose(explorer.y_hat, _sigmoid(0.5))


def test_boundary_segment_misses_the_box():
    xs, _ = boundary_segment((1.0, 0.0), -10.0, (-1.0, 1.0), (-1.0, 1.0))
    assert xs.size == 0


@pytest.mark.parametrize("name", ["w1", "w2", "b"])
def test_out_of_range_raises_a_clear_error(explorer, name):
    before = dict(explorer.params)
    with pytest.raises(ValueError, match=rf"{name} must be <= 4"):
        explorer.update(**{name: 4.5})
    with pytest.raises(ValueError, match=rf"{name} must be >= -4"):
        explorer.update(**{name: -100})
    assert explorer.params == before, "a refused update must change nothing"


def test_unknown_and_mistyped_parameters(explorer):
    with pytest.raises(ValueError, match="unknown parameter"):
        explorer.update(weight=1.0)
    with pytest.raises(TypeError, match="b must be a real number"):
        explorer.update(b="high")


def test_bad_data_is_refused():
    with pytest.raises(ValueError, match="X must have 2 features"):
        SingleNeuronExplorer(np.zeros((4, 3)), Y_SMALL)
    with pytest.raises(ValueError, match=r"y must have shape \(4,\)"):
        SingleNeuronExplorer(X_SMALL, np.array([0, 1]))
    with pytest.raises(ValueError, match="together"):
        SingleNeuronExplorer(X_SMALL)
    with pytest.raises(ValueError, match="feature_names must hold two"):
        SingleNeuronExplorer(X_SMALL, Y_SMALL, feature_names=("a",))


def test_scrubber_renders_one_frame_per_value(explorer):
    html = explorer.scrubber("b", [-1.0, 0.0, 1.0], alt="a neuron's boundary")
    assert html.data.count("data:image/png;base64,") == 4  # first img + 3 frames
    assert explorer.params["b"] == 1.0
