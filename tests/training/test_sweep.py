"""The compiled sweep trainer: Keras's numbers, no retracing, a bounded cache."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.activations import activation
from nnbook.training import MAX_HIDDEN, SweepTrainer, trace_count


@pytest.fixture(scope="module")
def trainer(seed_data):
    return SweepTrainer(
        seed_data.X_train,
        seed_data.y_train,
        X_probe=seed_data.X_test,
        y_probe=seed_data.y_test,
    )


def _keras_fit(
    trainer, seed_data, *, hidden_units, activation, l2, lr, batch_size, epochs
):
    from nnbook.models import build_seed_mlp

    model = build_seed_mlp(
        hidden_units, activation=activation, l2=l2, lr=lr, dtype=trainer.dtype
    )
    model.set_weights(trainer.initial_weights(hidden_units, seed=0))
    history = model.fit(
        seed_data.X_train,
        seed_data.y_train.astype(float),
        epochs=epochs,
        batch_size=batch_size,
        validation_split=0.2,
        shuffle=False,
        verbose=0,
    )
    return model, history.history


@pytest.mark.parametrize(
    "hidden_units, activation_name, l2, batch_size",
    [(10, "relu", 0.0, 32), (5, "tanh", 0.01, 50), (64, "gelu", 0.001, 100)],
)
def test_same_losses_and_weights_as_keras(
    trainer, seed_data, hidden_units, activation_name, l2, batch_size
):
    """Same init and batch order as model.fit: the same run.

    Both run in float64; Keras's own bookkeeping leaves differences near
    1e-6, the tolerance the float32 version of this test had.
    """
    settings = dict(
        hidden_units=hidden_units,
        activation=activation_name,
        l2=l2,
        lr=0.01,
        batch_size=batch_size,
        epochs=3,
    )
    run = trainer.run(**settings, seed=0, shuffle=False)
    model, history = _keras_fit(trainer, seed_data, **settings)
    np.testing.assert_allclose(run.epoch_loss, history["loss"], rtol=1e-5)
    # Keras's val_loss includes the penalty; the record's does not.
    penalty = l2 * (run.W1[1:] ** 2).sum(axis=(1, 2))
    np.testing.assert_allclose(run.val_loss + penalty, history["val_loss"], rtol=1e-5)
    for ours, theirs in zip(run.weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    acc = model.evaluate(seed_data.X_test, seed_data.y_test, verbose=0)[1]
    assert run.probe_accuracy[-1] == pytest.approx(acc, abs=1e-6)


def test_float64_by_default_and_float32_on_request(seed_data, trainer):
    assert trainer.dtype == "float64" and trainer.run(epochs=1).W1.dtype == np.float64
    small = SweepTrainer(seed_data.X_train, seed_data.y_train, dtype="float32")
    assert small.run(epochs=1).W1.dtype == np.float32
    with pytest.raises(ValueError, match="dtype"):
        SweepTrainer(seed_data.X_train, seed_data.y_train, dtype="float16")


def test_changing_any_setting_does_not_retrace(trainer):
    trainer.run(seed=1)  # traced at most once, here or earlier in the process
    before = trace_count()
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
    assert run.epoch_loss.shape == (6,) and run.W1.shape[0] == 7
    for ours, start in zip(run.weights(0), trainer.initial_weights(8, 3), strict=True):
        np.testing.assert_array_equal(ours, start)
    # the recorded activations are the activations of the recorded weights
    w = run.weights(4)
    expected = activation(trainer.X_probe @ w.W1 + w.b1, "relu")
    np.testing.assert_allclose(run.probe_hidden[4], expected, atol=1e-12)
    assert not np.allclose(run.W1[1], run.W1[0])  # weights move


def test_cache_and_prefix(trainer, seed_data):
    long = trainer.run(hidden_units=12, epochs=9, seed=4)
    trained = trainer.n_trained
    short = trainer.run(hidden_units=12, epochs=4, seed=4)
    assert trainer.n_trained == trained  # served from the longer run
    assert trainer.run(hidden_units=12, epochs=9, seed=4) is long
    fresh = SweepTrainer(
        seed_data.X_train,
        seed_data.y_train,
        X_probe=seed_data.X_test,
        y_probe=seed_data.y_test,
    )
    direct = fresh.run(hidden_units=12, epochs=4, seed=4)
    np.testing.assert_allclose(short.epoch_loss, direct.epoch_loss, rtol=1e-12)
    for a, b in zip(short.weights(), direct.weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_cache_is_bounded_in_entries_and_bytes(seed_data):
    by_count = SweepTrainer(seed_data.X_train, seed_data.y_train, cache_size=2)
    for seed in range(4):
        by_count.run(epochs=2, seed=seed)
    assert len(by_count._cache) == 2
    one = by_count.run(epochs=2, seed=0).nbytes
    by_bytes = SweepTrainer(
        seed_data.X_train, seed_data.y_train, cache_bytes=int(2.5 * one)
    )
    for seed in range(5):
        by_bytes.run(epochs=2, seed=seed)
    assert len(by_bytes._cache) == 2
    assert by_bytes.cached_bytes <= 2.5 * one


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
        SweepTrainer(np.zeros((10, 3)), np.zeros(9))
    with pytest.raises(ValueError, match="validation_split"):
        SweepTrainer(np.zeros((10, 3)), np.zeros(10), validation_split=1.0)
