"""nnbook.training: the NumPy loop against GradientTape, fit and full-batch Keras."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.models import build_mlp, init_weights
from nnbook.models.numpy_mlp import loss_value, predict_proba
from nnbook.training import (
    Adam,
    batch_order,
    model_from_weights,
    train_fit,
    train_numpy,
    train_tape,
)

EPOCHS = 2
N_TRAIN = 800


def _max_rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.abs(b)))


@pytest.fixture(scope="module")
def start():
    return init_weights(seed=3, dtype="float32"), batch_order(
        N_TRAIN, epochs=EPOCHS, seed=5
    )


@pytest.fixture(
    scope="module", params=[("sgd", 0.05), ("adam", 1e-2)], ids=["sgd", "adam"]
)
def three_runs(request, seed_data, start):
    optimizer, lr = request.param
    w0, order = start
    kw = {"optimizer": optimizer, "lr": lr, "batch_size": 32}
    X, y = seed_data.X_train, seed_data.y_train
    return (
        train_numpy(w0, X, y, order=order, **kw),
        train_tape(w0, X, y, order, **kw),
        train_fit(w0, X, y, order, **kw),
    )


def test_three_implementations_agree_step_by_step(three_runs):
    numpy_run, tape, fit = three_runs
    n_steps = EPOCHS * N_TRAIN // 32
    for run in three_runs:
        assert run.step_loss.shape == (n_steps,)
        assert run.steps_per_epoch == N_TRAIN // 32
        assert run.W1.shape == (EPOCHS + 1, 20, 10)
    assert _max_rel(numpy_run.step_loss, tape.step_loss) <= 1e-5
    assert _max_rel(numpy_run.step_loss, fit.step_loss) <= 1e-5
    assert _max_rel(tape.step_loss, fit.step_loss) <= 1e-5
    # The runs really trained: the loss moved well beyond the tolerance.
    assert numpy_run.epoch_loss[-1] < numpy_run.step_loss[0] - 0.05
    for a, b in zip(numpy_run.weights(), fit.weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)


def test_fit_epoch_loss_matches_its_own_history(seed_data, start):
    """The per-step losses read by the callback average to fit's epoch loss."""
    import keras

    w0, order = start
    model = model_from_weights(w0)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="binary_crossentropy")
    X = seed_data.X_train.astype("float32")[order[0]]
    y = seed_data.y_train.astype("float32")[order[0]]
    hist = model.fit(X, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    run = train_fit(
        w0, seed_data.X_train, seed_data.y_train, order[:1], optimizer="sgd", lr=0.05
    )
    assert run.epoch_loss[0] == pytest.approx(hist.history["loss"][0], rel=1e-5)


def test_full_batch_adam_matches_keras(seed_data):
    """Three full-batch Adam steps with L2 on both kernels: the same weights."""
    X, y = seed_data.X_train[:60], seed_data.y_train[:60]
    w0 = init_weights(20, 8, seed=5)
    run = train_numpy(w0, X, y, epochs=3, lr=0.01, l2=0.01)
    net = build_mlp(20, 8, l2=0.01, lr=0.01, dtype="float64")  # L2 on both kernels
    net.set_weights(w0.to_keras())
    net.fit(X, y, batch_size=len(X), epochs=3, shuffle=False, verbose=0)
    for ours, theirs in zip(run.weights(), net.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_adam_first_step_moves_each_weight_by_lr():
    """Keras's Adam: the first step is lr * g / (|g| + eps), about lr * sign(g)."""
    from nnbook.models import MLPWeights

    w = MLPWeights(np.ones((2, 1)), np.zeros(1), np.ones((1, 1)), np.zeros(1))
    g = MLPWeights(
        np.array([[0.5], [-2.0]]), np.ones(1), np.full((1, 1), 1e-3), np.zeros(1)
    )
    Adam(lr=0.1).step(w, g)
    np.testing.assert_allclose(w.W1[:, 0], [0.9, 1.1], rtol=1e-6)
    np.testing.assert_allclose(w.W2, 0.9, rtol=1e-3)
    np.testing.assert_array_equal(w.b2, 0)


def test_early_stopping_keeps_the_best_epoch(seed_data):
    X, y = seed_data.X_train, seed_data.y_train
    run = train_numpy(
        init_weights(seed=0),
        X[:600],
        y[:600],
        order=batch_order(600, epochs=60, seed=0),
        lr=0.05,
        validation_data=(X[600:], y[600:]),
        patience=5,
    )
    best = int(np.argmin(run.val_loss)) + 1
    assert run.best_epoch == best
    assert len(run.val_loss) == min(60, best + 5) == run.epochs
    assert loss_value(run.weights(), X[600:], y[600:]) == pytest.approx(
        min(run.val_loss), rel=1e-12
    )


def test_overfitting_run_is_deterministic_and_measured_after_each_epoch(seed_data):
    X, y = seed_data.X_train[:60], seed_data.y_train[:60]
    X_val, y_val = seed_data.X_train[600:640], seed_data.y_train[600:640]
    kw = {"epochs": 80, "lr": 0.01, "validation_data": (X_val, y_val)}
    w0 = init_weights(20, 64, seed=0, max_hidden=256)
    a, b = train_numpy(w0, X, y, **kw), train_numpy(w0, X, y, **kw)
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        np.testing.assert_array_equal(a.history[key], b.history[key])
        assert a.history[key].shape == (80,)
    assert a.best_epoch == 80
    assert a.kept("loss") < 0.05 and a.gap > 0.1  # a large net memorizes 60 rows
    p = np.clip(predict_proba(a.weights(), X_val), 1e-12, 1 - 1e-12)
    bce = -np.mean(y_val * np.log(p) + (1 - y_val) * np.log(1 - p))
    assert a.kept("val_loss") == pytest.approx(bce, rel=1e-9)


def test_cures_change_the_run(seed_data):
    X, y = seed_data.X_train[:60], seed_data.y_train[:60]
    X_val, y_val = seed_data.X_train[600:640], seed_data.y_train[600:640]
    kw = {"epochs": 80, "lr": 0.01, "validation_data": (X_val, y_val)}
    w0 = init_weights(20, 64, seed=0, max_hidden=256)
    base = train_numpy(w0, X, y, **kw)
    l2 = train_numpy(w0, X, y, l2=0.01, **kw)
    drop = train_numpy(w0, X, y, dropout=0.5, **kw)
    assert np.sum(l2.weights().W1 ** 2) < np.sum(base.weights().W1 ** 2)
    assert l2.gap < base.gap
    assert not np.array_equal(drop.history["loss"], base.history["loss"])
    early = train_numpy(w0, X, y, patience=5, **kw)
    assert early.epochs == early.best_epoch + 5 < 80
    assert early.kept("val_loss") == early.val_loss.min()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": 0.0}, "lr"),
        ({"lr": -0.1}, "lr"),
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"loss": "hinge"}, "loss"),
        ({"patience": 3}, "validation_data"),
        ({"dropout": 1.0}, "dropout"),
        ({"l2": -0.1}, "l2"),
        ({"epochs": 3}, "epochs"),
        ({"activation": "swish"}, "activation"),
    ],
)
def test_train_numpy_rejects_bad_arguments(seed_data, kwargs, match):
    X, y = seed_data.X_train[:64], seed_data.y_train[:64]
    with pytest.raises(ValueError, match=match):
        train_numpy(init_weights(), X, y, order=batch_order(64), **kwargs)


def test_full_batch_needs_epochs(seed_data):
    with pytest.raises(ValueError, match="epochs is needed"):
        train_numpy(init_weights(), seed_data.X_train[:10], seed_data.y_train[:10])


def test_mismatched_shapes_are_named(seed_data):
    X, y = seed_data.X_train[:64], seed_data.y_train[:64]
    w = init_weights()
    numpy_loop = lambda w, X, y, order, **kw: train_numpy(w, X, y, order=order, **kw)  # noqa: E731
    for fn in (numpy_loop, train_tape, train_fit):
        with pytest.raises(ValueError, match="20 features"):
            fn(w, X[:, :5], y, batch_order(64))
        with pytest.raises(ValueError, match="y must have shape"):
            fn(w, X, y[:10], batch_order(64))
        with pytest.raises(ValueError, match="order must have shape"):
            fn(w, X, y, batch_order(63))
        with pytest.raises(ValueError, match="lr"):
            fn(w, X, y, batch_order(64), lr=-1.0)
    with pytest.raises(ValueError, match="permutation"):
        train_numpy(w, X, y, order=np.zeros((1, 64), int))
