"""nnbook.scratch and nnbook.loops: three implementations, one set of numbers."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.losses import check_gradient
from nnbook.scratch import (
    Adam,
    backward,
    batch_order,
    forward,
    init_params,
    loss_value,
    params_to_weights,
    train_scratch,
    weights_to_params,
)

EPOCHS = 2
N_TRAIN = 800


@pytest.fixture(scope="module")
def setup(seed_data):
    return init_params(seed=3), batch_order(N_TRAIN, epochs=EPOCHS, seed=5)


def _max_rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.abs(b)))


@pytest.fixture(
    scope="module", params=[("sgd", 0.05), ("adam", 1e-2)], ids=["sgd", "adam"]
)
def three_runs(request, seed_data, setup):
    from nnbook.loops import train_fit, train_tape

    optimizer, lr = request.param
    p0, order = setup
    kw = {"optimizer": optimizer, "lr": lr, "batch_size": 32}
    X, y = seed_data.X_train, seed_data.y_train
    return (
        train_scratch(p0, X, y, order, **kw),
        train_tape(p0, X, y, order, **kw),
        train_fit(p0, X, y, order, **kw),
    )


def test_three_implementations_agree_step_by_step(three_runs):
    scratch, tape, fit = three_runs
    n_steps = EPOCHS * N_TRAIN // 32
    for run in three_runs:
        assert run.step_loss.shape == (n_steps,)
        assert run.steps_per_epoch == N_TRAIN // 32
    assert _max_rel(scratch.step_loss, tape.step_loss) <= 1e-5
    assert _max_rel(scratch.step_loss, fit.step_loss) <= 1e-5
    assert _max_rel(tape.step_loss, fit.step_loss) <= 1e-5
    # The runs really trained: the loss moved well beyond the tolerance.
    assert scratch.epoch_loss[-1] < scratch.step_loss[0] - 0.05
    for a, b in zip(
        params_to_weights(scratch.params), params_to_weights(fit.params), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)


def test_fit_epoch_loss_matches_its_own_history(seed_data, setup):
    """The per-step losses read by the callback average to fit's epoch loss."""
    import keras

    from nnbook.loops import model_from_params

    p0, order = setup
    model = model_from_params(p0)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="binary_crossentropy")
    X = seed_data.X_train.astype("float32")[order[0]]
    y = seed_data.y_train.astype("float32")[order[0]]
    hist = model.fit(X, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    from nnbook.loops import train_fit

    run = train_fit(
        p0, seed_data.X_train, seed_data.y_train, order[:1], optimizer="sgd", lr=0.05
    )
    assert run.epoch_loss[0] == pytest.approx(hist.history["loss"][0], rel=1e-5)


def test_backward_matches_finite_differences(seed_data):
    """Backprop of the scratch network, checked in float64 by central differences."""
    p = {k: v.astype(np.float64) for k, v in init_params(seed=1).items()}
    X = seed_data.X_train[:16]
    y = seed_data.y_train[:16]

    def as64(params):
        # The scratch code computes in float32; redo its forward in float64.
        z1 = X @ params["W1"] + params["b1"]
        a1 = np.maximum(z1, 0)
        z2 = (a1 @ params["W2"] + params["b2"])[:, 0]
        return {"X": X, "z1": z1, "a1": a1, "z2": z2, "y_hat": 1 / (1 + np.exp(-z2))}

    def mean_loss(params, loss):
        c = as64(params)
        if loss == "bce":
            z = c["z2"]
            return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-abs(z))))
        return np.mean((c["y_hat"] - y) ** 2)

    for loss in ("bce", "mse"):
        grads = backward(p, as64(p), y, loss=loss)
        for name in p:
            err = check_gradient(
                lambda v, name=name, loss=loss: mean_loss(dict(p, **{name: v}), loss),
                lambda _v, g=grads[name]: g,
                p[name],
            )
            assert err < 1e-6, (loss, name, err)


def test_forward_intermediates(seed_data):
    p = init_params(seed=0)
    c = forward(p, seed_data.X_train[:5])
    assert c["z1"].shape == (5, 10) and c["a1"].shape == (5, 10)
    assert c["z2"].shape == (5,) and c["y_hat"].shape == (5,)
    assert all(v.dtype == np.float32 for v in c.values())
    np.testing.assert_array_equal(c["a1"], np.maximum(c["z1"], 0))
    assert np.all((c["y_hat"] > 0) & (c["y_hat"] < 1))


def test_init_is_glorot_and_reproducible():
    a, b = init_params(seed=4), init_params(seed=4)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    limit = np.sqrt(6 / 30)
    assert np.abs(a["W1"]).max() <= limit and np.abs(a["W1"]).max() > 0.8 * limit
    assert not np.any(a["b1"]) and not np.any(a["b2"])
    assert weights_to_params(params_to_weights(a)).keys() == a.keys()


def test_adam_first_step_moves_each_weight_by_lr():
    """Keras's Adam: the first step is lr * g / (|g| + eps), about lr * sign(g)."""
    p = {
        "W1": np.ones((2, 1), np.float32),
        "b1": np.zeros(1, np.float32),
        "W2": np.ones((1, 1), np.float32),
        "b2": np.zeros(1, np.float32),
    }
    g = {
        "W1": np.array([[0.5], [-2.0]], np.float32),
        "b1": np.ones(1, np.float32),
        "W2": np.full((1, 1), 1e-3, np.float32),
        "b2": np.zeros(1, np.float32),
    }
    Adam(lr=0.1).step(p, g)
    np.testing.assert_allclose(p["W1"][:, 0], [0.9, 1.1], rtol=1e-5)
    np.testing.assert_allclose(p["W2"], 0.9, rtol=1e-3)
    np.testing.assert_array_equal(p["b2"], 0)


def test_early_stopping_keeps_the_best_epoch(seed_data):
    X, y = seed_data.X_train, seed_data.y_train
    order = batch_order(600, epochs=60, seed=0)
    run = train_scratch(
        init_params(seed=0),
        X[:600],
        y[:600],
        order,
        optimizer="adam",
        lr=0.05,
        validation_data=(X[600:], y[600:]),
        patience=5,
    )
    best = int(np.argmin(run.val_loss)) + 1
    assert run.best_epoch == best
    assert len(run.val_loss) == min(60, best + 5)
    assert loss_value(run.params, X[600:], y[600:]) == pytest.approx(
        min(run.val_loss), rel=1e-6
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": 0.0}, "lr"),
        ({"lr": -0.1}, "lr"),
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"loss": "hinge"}, "loss"),
        ({"patience": 3}, "validation_data"),
    ],
)
def test_train_scratch_rejects_bad_arguments(seed_data, kwargs, match):
    X, y = seed_data.X_train[:64], seed_data.y_train[:64]
    with pytest.raises(ValueError, match=match):
        train_scratch(init_params(), X, y, batch_order(64), **kwargs)


def test_mismatched_shapes_are_named(seed_data):
    from nnbook.loops import train_fit, train_tape

    X, y = seed_data.X_train[:64], seed_data.y_train[:64]
    p = init_params()
    for fn in (train_scratch, train_tape, train_fit):
        with pytest.raises(ValueError, match="20 features"):
            fn(p, X[:, :5], y, batch_order(64))
        with pytest.raises(ValueError, match="y must have shape"):
            fn(p, X, y[:10], batch_order(64))
        with pytest.raises(ValueError, match="order must have shape"):
            fn(p, X, y, batch_order(63))
        with pytest.raises(ValueError, match="lr"):
            fn(p, X, y, batch_order(64), lr=-1.0)
    bad = dict(p, W2=np.zeros((3, 1), np.float32))
    with pytest.raises(ValueError, match="mismatched shapes"):
        forward(bad, X)
    with pytest.raises(ValueError, match="permutation"):
        train_scratch(p, X, y, np.zeros((1, 64), int))


def test_chapter_scratch_code_agrees_with_the_package(seed_data):
    """The from-scratch cell of the training-loop chapter agrees with the package."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    path = root / "chapters" / "03_training_loop.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "scratch" in c["metadata"].get("tags", [])]
    assert cells, "the chapter has no cell tagged 'scratch'"
    ns: dict = {}
    for cell in cells:
        exec("".join(cell["source"]), ns)  # our own chapter's code

    X = seed_data.X_train[:200].astype("float32")
    y = seed_data.y_train[:200].astype("float32")
    order = batch_order(200, epochs=3, seed=1)
    p = ns["init"](20, 10, np.random.default_rng(7))
    ref = init_params(20, 10, seed=7)
    for k in ref:
        np.testing.assert_array_equal(p[k], ref[k])
    losses = ns["train"](p, X, y, order, 32, 0.1)
    run = train_scratch(ref, X, y, order, batch_size=32, optimizer="sgd", lr=0.1)
    np.testing.assert_allclose(losses, run.step_loss, rtol=1e-6)
    for k in ref:
        np.testing.assert_allclose(p[k], run.params[k], rtol=1e-5, atol=1e-7)
    z1, a1, z2, y_hat = ns["forward"](run.params, X)
    cache = forward(run.params, X)
    np.testing.assert_allclose(y_hat, cache["y_hat"], rtol=1e-6)
    np.testing.assert_allclose(z1, cache["z1"], rtol=1e-6)


def test_backward_matches_gradient_tape(seed_data):
    """Backprop of the scratch network against TensorFlow's autodiff, in float64."""
    import tensorflow as tf

    from nnbook.losses import relative_error

    p = {k: v.astype(np.float64) for k, v in init_params(seed=2).items()}
    X = seed_data.X_train[:32]
    y = seed_data.y_train[:32].astype(np.float64)
    z1 = X @ p["W1"] + p["b1"]
    a1 = np.maximum(z1, 0)
    z2 = (a1 @ p["W2"] + p["b2"])[:, 0]
    cache = {"X": X, "z1": z1, "a1": a1, "z2": z2, "y_hat": 1 / (1 + np.exp(-z2))}
    variables = {k: tf.Variable(v) for k, v in p.items()}
    for loss in ("bce", "mse"):
        grads = backward(p, cache, y, loss=loss)
        with tf.GradientTape() as tape:
            h = tf.nn.relu(X @ variables["W1"] + variables["b1"])
            logit = (h @ variables["W2"] + variables["b2"])[:, 0]
            if loss == "bce":
                value = tf.reduce_mean(
                    tf.nn.sigmoid_cross_entropy_with_logits(tf.constant(y), logit)
                )
            else:
                value = tf.reduce_mean((tf.sigmoid(logit) - y) ** 2)
        tape_grads = tape.gradient(value, variables)
        for k in p:
            assert relative_error(grads[k], tape_grads[k].numpy()) <= 1e-6, (loss, k)
