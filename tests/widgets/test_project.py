"""ProjectExplorer: every control changes the figure consistently, in place."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnbook.explain import dead_mask
from nnbook.models.numpy_mlp import forward
from nnbook.widgets import ProjectExplorer, png_bytes


@pytest.fixture(scope="module")
def ex(seed_data):
    return ProjectExplorer(seed_data, dpi=50)


def _fresh_accuracy(ex, seed_data):
    """Keras's evaluation of the weights the explorer shows."""
    from nnbook.models import build_seed_mlp

    p = ex.params
    model = build_seed_mlp(
        p["hidden_units"], activation=p["activation"], dtype="float64"
    )
    model.set_weights(ex.run.weights(p["epoch"]).to_keras())
    return model.evaluate(seed_data.X_test, seed_data.y_test, verbose=0)[1]


def _check_consistent(ex, seed_data):
    p = ex.params
    panels = ex.panels
    # the heatmap's columns are the hidden units, its rows the test samples
    assert panels.heat.image.get_array().shape == (200, p["hidden_units"])
    # the loss curves have one point per epoch
    assert len(panels.loss.train.get_xdata()) == p["epochs"]
    assert len(panels.loss.val.get_ydata()) == p["epochs"]
    np.testing.assert_array_equal(panels.loss.train.get_ydata(), ex.run.epoch_loss)
    # the accuracy text is a fresh evaluation of the trained weights
    shown = re.search(r"test accuracy: (\d\.\d{3})", ex.accuracy_text).group(1)
    assert shown == f"{_fresh_accuracy(ex, seed_data):.3f}"
    assert f"(epoch {p['epoch']} of {p['epochs']})" in ex.accuracy_text
    # the dead-unit count is recomputed from the shown weights
    hidden = forward(
        ex.run.weights(p["epoch"]), ex.trainer.X_train, activation=p["activation"]
    ).a1
    n_dead = int(dead_mask(hidden).sum())
    assert ex.dead_text == f"dead units: {n_dead} of {p['hidden_units']}"
    # tiles: one per unit in a grid of at least that many cells
    rows, cols = panels.tiles.grid
    assert rows * cols >= p["hidden_units"] > (rows - 1) * cols


CHANGES = [
    {"hidden_units": 3},
    {"hidden_units": 64},
    {"lr": 0.05},
    {"epochs": 4},
    {"epochs": 15},
    {"batch_size": 128},
    {"l2": 0.02},
    {"activation": "tanh"},
    {"activation": "sigmoid"},
    {"seed": 5},
    {"epoch": 0},
    {"epoch": 7},
]


def test_every_control_redraws_consistently(ex, seed_data):
    fig = ex.fig
    n_axes = len(fig.axes)
    artists = (ex.panels.heat.image, ex.panels.loss.train, ex.panels.acc_text)
    covered = set()
    for change in CHANGES:
        ex.update(**change)
        covered |= set(change)
        assert all(ex.params[k] == v for k, v in change.items())
        _check_consistent(ex, seed_data)
    assert covered == {p.name for p in ProjectExplorer.PARAMS}
    # built once: the same figure and the same artists were updated in place
    assert ex.fig is fig and len(fig.axes) == n_axes
    assert (ex.panels.heat.image, ex.panels.loss.train, ex.panels.acc_text) == artists


def test_training_change_shows_the_last_epoch(ex):
    ex.update(epochs=12, epoch=5)
    assert ex.params["epoch"] == 5
    ex.update(lr=0.02)
    assert ex.params["epoch"] == 12  # a new run starts at its last epoch


def test_replay_returns_the_recorded_weights_without_retraining(ex):
    ex.update(hidden_units=6, epochs=8, seed=2, lr=0.01)
    run, trained = ex.run, ex.trainer.n_trained
    for epoch in (0, 3, 8):
        ex.update(epoch=epoch)
        assert ex.run is run and ex.trainer.n_trained == trained
        for shown, recorded in zip(
            ex.run.weights(epoch),
            (run.W1[epoch], run.b1[epoch], run.W2[epoch], run.b2[epoch]),
            strict=True,
        ):
            np.testing.assert_array_equal(shown, recorded)
        # the heatmap shows the recorded activations of that epoch
        np.testing.assert_array_equal(
            ex.panels.heat.image.get_array(),
            run.probe_hidden[epoch][ex.panels.heat.order],
        )
        assert ex.panels.loss.marker.get_xdata()[0] == epoch


def test_identical_settings_give_identical_figures(ex, seed_data):
    a = dict(
        hidden_units=9,
        lr=0.003,
        epochs=6,
        batch_size=64,
        l2=0.001,
        activation="elu",
        seed=1,
    )
    ex.update(**a)
    first = png_bytes(ex.fig)
    ex.update(hidden_units=20, activation="relu")
    assert png_bytes(ex.fig) != first
    ex.update(**a)
    assert png_bytes(ex.fig) == first
    other = ProjectExplorer(seed_data, dpi=50, **a)
    assert png_bytes(other.fig) == first


@pytest.mark.parametrize(
    "change, name",
    [
        ({"hidden_units": 0}, "hidden_units"),
        ({"hidden_units": 65}, "hidden_units"),
        ({"lr": 1e-5}, "lr"),
        ({"lr": 1.5}, "lr"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 101}, "epochs"),
        ({"batch_size": 4}, "batch_size"),
        ({"l2": -0.01}, "l2"),
        ({"activation": "swish"}, "activation"),
        ({"seed": 100}, "seed"),
        ({"epoch": -1}, "epoch"),
        ({"epoch": 11}, "epoch"),
        ({"dropout": 0.5}, "dropout"),
    ],
)
def test_out_of_range_raises_a_clear_error(ex, change, name):
    ex.update(epochs=10)
    before = dict(ex.params)
    with pytest.raises(ValueError, match=name):
        ex.update(**change)
    assert ex.params == before  # nothing changed


def test_wrong_type_raises(ex):
    with pytest.raises(TypeError, match="hidden_units"):
        ex.update(hidden_units=2.5)


def test_widget_wires_controls_and_shows_errors(seed_data):
    ex = ProjectExplorer(seed_data, dpi=40)
    box = ex.widget()
    assert box.children[-1] is ex._view  # the figure, below the controls
    controls = ex.controls
    retrain = {p.name for p in ProjectExplorer.PARAMS if p.retrains}
    assert retrain == set(controls) - {"epoch"}
    for name in retrain - {"activation"}:
        assert controls[name].continuous_update is False
    assert controls["epoch"].continuous_update is True
    controls["hidden_units"].value = 12
    assert ex.params["hidden_units"] == 12
    assert ex.panels.heat.image.get_array().shape[1] == 12
    controls["epochs"].value = 5  # the replay slider follows
    assert controls["epoch"].max == 5 and controls["epoch"].value == 5
    controls["epoch"].value = 2
    assert ex.params["epoch"] == 2

    def boom(**settings):
        raise RuntimeError("training failed on purpose")

    ex.trainer.run = boom
    controls["seed"].value = 9  # the callback fails: shown, not lost
    assert "training failed on purpose" in ex.last_error
    assert "training failed on purpose" in ex._error.value
    assert ex.params["seed"] == 0  # the explorer keeps the last good state


def _pixels(png: bytes):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_a_replay_blits_the_same_picture_a_full_draw_makes(seed_data):
    ex = ProjectExplorer(seed_data, dpi=50, epochs=6)
    ex.update(epoch=2)  # the layout was drawn once; a replay only blits
    blits = ex.n_blits
    ex.update(epoch=4)
    assert ex.n_blits == blits + 1
    blitted = _pixels(ex.png())
    ex._background = None  # force a full draw of the same state
    ex.draw()
    full = _pixels(ex.png())
    assert blitted.shape == full.shape
    differ = np.any(blitted != full, axis=-1).mean()
    assert differ < 0.01, differ  # only where an axes frame meets a panel
    ex.update(hidden_units=7)  # fixed boxes: a new width only blits
    assert ex.n_blits == blits + 2
    ex.update(epochs=25)  # the loss axis now ends at 30, not 10: a full draw
    assert ex.n_blits == blits + 2
