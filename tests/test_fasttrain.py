"""The compiled whole-run trainer: same numbers as Keras, and no retracing."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.fasttrain import (
    MAX_HIDDEN,
    FastTrainer,
    hidden_activation,
    initial_weights,
    trace_count,
)


@pytest.fixture(scope="module")
def trainer(seed_data):
    return FastTrainer(
        seed_data.X_train,
        seed_data.y_train,
        X_probe=seed_data.X_test,
        y_probe=seed_data.y_test,
    )


def _keras_fit(seed_data, *, hidden_units, activation, l2, lr, batch_size, epochs):
    from nnbook.models import build_seed_mlp

    model = build_seed_mlp(hidden_units, activation=activation, l2=l2, lr=lr)
    model.set_weights(initial_weights(hidden_units, seed=0))
    history = model.fit(
        seed_data.X_train.astype("float32"),
        seed_data.y_train.astype("float32"),
        epochs=epochs,
        batch_size=batch_size,
        validation_split=0.2,
        shuffle=False,
        verbose=0,
    )
    return model, history.history


@pytest.mark.parametrize(
    "hidden_units, activation, l2, batch_size",
    [(10, "relu", 0.0, 32), (5, "tanh", 0.01, 50), (64, "gelu", 0.001, 100)],
)
def test_same_losses_and_weights_as_keras(
    trainer, seed_data, hidden_units, activation, l2, batch_size
):
    """Same init and batch order as model.fit: the same run, to float32 noise."""
    settings = dict(
        hidden_units=hidden_units,
        activation=activation,
        l2=l2,
        lr=0.01,
        batch_size=batch_size,
        epochs=3,
    )
    run = trainer.run(**settings, seed=0, shuffle=False)
    model, history = _keras_fit(seed_data, **settings)
    np.testing.assert_allclose(run.loss, history["loss"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(run.val_loss, history["val_loss"], rtol=1e-5, atol=1e-6)
    for ours, theirs in zip(run.weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    # the recorded probe accuracy is Keras's evaluation of the same weights
    acc = model.evaluate(
        seed_data.X_test.astype("float32"),
        seed_data.y_test.astype("float32"),
        verbose=0,
    )[1]
    assert run.probe_accuracy[-1] == pytest.approx(acc, abs=1e-6)  # float32 in Keras


def test_changing_any_setting_does_not_retrace(trainer):
    trainer.run(seed=1)  # traced at most once, here or earlier in the process
    before = trace_count()
    assert before >= 1
    for settings in (
        dict(hidden_units=1),
        dict(hidden_units=MAX_HIDDEN),
        dict(lr=0.1),
        dict(epochs=1),
        dict(epochs=7),
        dict(batch_size=8),
        dict(batch_size=640),
        dict(l2=0.05),
        dict(activation="tanh"),
        dict(activation="linear"),
        dict(seed=7),
        dict(shuffle=False),
    ):
        run = trainer.run(**settings)
        h = settings.get("hidden_units", 10)
        assert run.W1.shape == (run.epochs + 1, 20, h)
        assert run.probe_hidden.shape == (run.epochs + 1, 200, h)
    assert trace_count() == before


def test_replay_records_every_epoch_from_the_fixed_init(trainer):
    run = trainer.run(hidden_units=8, epochs=6, seed=3)
    assert run.loss.shape == (6,) and run.W1.shape[0] == 7
    init = initial_weights(8, seed=3)
    for ours, start in zip(run.weights(0), init, strict=True):
        np.testing.assert_array_equal(ours, start)
    # the recorded activations are the activations of the recorded weights
    W1, b1, _, _ = run.weights(4)
    expected = hidden_activation(trainer.X_probe @ W1 + b1, "relu")
    np.testing.assert_allclose(run.probe_hidden[4], expected, atol=1e-5)
    # weights move during training
    assert not np.allclose(run.W1[1], run.W1[0])


def test_narrower_networks_share_the_initial_draws():
    W_small = initial_weights(5, seed=2)[0]
    W_wide = initial_weights(40, seed=2)[0]
    ratio = W_small / W_wide[:, :5]
    np.testing.assert_allclose(ratio, ratio[0, 0], rtol=1e-5)
    assert not np.allclose(initial_weights(5, seed=3)[0], W_small)


def test_cache_and_prefix(trainer, seed_data):
    long = trainer.run(hidden_units=12, epochs=9, seed=4)
    trained = trainer.n_trained
    short = trainer.run(hidden_units=12, epochs=4, seed=4)
    assert trainer.n_trained == trained  # served from the longer run
    assert trainer.run(hidden_units=12, epochs=9, seed=4) is long
    # ... and it is what a fresh 4-epoch run gives (the same compiled graph)
    fresh = FastTrainer(
        seed_data.X_train,
        seed_data.y_train,
        X_probe=seed_data.X_test,
        y_probe=seed_data.y_test,
    )
    direct = fresh.run(hidden_units=12, epochs=4, seed=4)
    np.testing.assert_allclose(short.loss, direct.loss, rtol=1e-6)
    for a, b in zip(short.weights(), direct.weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize(
    "settings, name",
    [
        (dict(hidden_units=0), "hidden_units"),
        (dict(hidden_units=65), "hidden_units"),
        (dict(lr=0.0), "lr"),
        (dict(lr=2.0), "lr"),
        (dict(epochs=0), "epochs"),
        (dict(epochs=101), "epochs"),
        (dict(batch_size=0), "batch_size"),
        (dict(l2=-1.0), "l2"),
        (dict(activation="swish"), "activation"),
        (dict(seed=-1), "seed"),
    ],
)
def test_bad_settings_raise_clear_errors(trainer, settings, name):
    with pytest.raises(ValueError, match=name):
        trainer.run(**settings)


def test_bad_data_raises():
    with pytest.raises(ValueError, match="y"):
        FastTrainer(np.zeros((10, 3)), np.zeros(9))
    with pytest.raises(ValueError, match="validation_split"):
        FastTrainer(np.zeros((10, 3)), np.zeros(10), validation_split=1.0)
    with pytest.raises(TypeError, match="hidden_units"):
        initial_weights(2.5, seed=0)
