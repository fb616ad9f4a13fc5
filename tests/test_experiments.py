"""nnbook.experiments: model comparisons, metrics and the NumPy MLP."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)

from nnbook.experiments import (
    binary_metrics,
    build_mlp,
    count_macs,
    fit_score,
    init_mlp_weights,
    mlp_forward,
    mlp_loss_and_grads,
    train_numpy_mlp,
)
from nnbook.models import build_digits_cnn, build_seed_mlp
from nnbook.training import set_seed


@pytest.fixture(scope="module")
def small(seed_data):
    """60 training and 40 validation rows of the article's data."""
    d = seed_data
    return d.X_train[:60], d.y_train[:60], d.X_train[600:640], d.y_train[600:640]


# -- build_mlp and count_macs -------------------------------------------------
def test_build_mlp_binary_and_multiclass():
    binary = build_mlp(20, 8)
    assert binary.output_shape == (None, 1)
    assert binary.loss == "binary_crossentropy"
    assert binary.count_params() == 20 * 8 + 8 + 8 + 1
    multi = build_mlp(64, (32, 16), n_classes=10, dropout=0.25, l2=1e-3)
    assert multi.output_shape == (None, 10)
    assert multi.loss == "sparse_categorical_crossentropy"
    names = [layer.name for layer in multi.layers]
    assert names == ["hidden1", "dropout1", "hidden2", "dropout2", "output"]
    assert multi.get_layer("dropout1").rate == pytest.approx(0.25)
    assert multi.get_layer("hidden1").kernel_regularizer is not None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_features": 0}, "n_features"),
        ({"hidden_units": 0}, "hidden_units"),
        ({"hidden_units": ()}, "hidden_units"),
        ({"n_classes": 1}, "n_classes"),
        ({"dropout": 1.0}, "dropout"),
        ({"dropout": -0.1}, "dropout"),
        ({"l2": -1.0}, "l2"),
        ({"lr": 0.0}, "lr"),
    ],
)
def test_build_mlp_rejects_bad_arguments(kwargs, match):
    args = {"n_features": 20, **kwargs}
    with pytest.raises(ValueError, match=match):
        build_mlp(**args)


def test_count_macs_by_hand():
    assert count_macs(build_seed_mlp()) == 20 * 10 + 10 * 1
    cnn = build_digits_cnn(filters=(4, 8), dense_units=16)
    conv1 = 8 * 8 * 3 * 3 * 1 * 4  # same padding keeps 8 x 8
    conv2 = 4 * 4 * 3 * 3 * 4 * 8  # after 2 x 2 pooling
    dense = (4 * 4 * 8) * 16 + 16 * 10
    assert count_macs(cnn) == conv1 + conv2 + dense


def test_fit_score_measures_what_it_says(seed_data):
    d = seed_data
    set_seed(0)
    model = build_seed_mlp(lr=0.01)
    score = fit_score(model, d.X_train, d.y_train, d.X_test, d.y_test, epochs=2)
    assert score.n_params == 221 and score.macs == 210
    assert score.y_score.shape == (len(d.y_test),)
    assert 0.0 <= score.y_score.min() and score.y_score.max() <= 1.0
    expected = np.mean((score.y_score >= 0.5) == d.y_test)
    assert score.accuracy == pytest.approx(expected)
    assert score.accuracy > 0.6  # two epochs at lr 0.01 already learn
    assert score.seconds > 0


def test_fit_score_multiclass_images():
    rng = np.random.default_rng(0)
    X = rng.random((40, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 10, 40)
    score = fit_score(
        build_digits_cnn(filters=(2, 2), dense_units=4),
        X,
        y,
        X,
        y,
        epochs=1,
        batch_size=20,
    )
    assert score.y_score.shape == (40, 10)
    assert score.accuracy == pytest.approx(np.mean(score.y_score.argmax(1) == y))


def test_fit_score_rejects_mismatched_lengths(seed_data):
    d = seed_data
    with pytest.raises(ValueError, match="as many samples"):
        fit_score(build_seed_mlp(), d.X_train, d.y_train[:-1], d.X_test, d.y_test)


# -- binary_metrics -----------------------------------------------------------
@pytest.mark.parametrize("threshold", [0.0, 0.2, 0.5, 0.77, 1.0, 1.5])
def test_binary_metrics_match_sklearn(threshold):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 100)
    score = np.clip(0.3 * y + 0.7 * rng.random(100), 0, 1)
    m = binary_metrics(y, score, threshold)
    y_pred = (score >= threshold).astype(int)
    np.testing.assert_array_equal(
        m["confusion"], confusion_matrix(y, y_pred, labels=[0, 1])
    )
    assert m["confusion"].sum() == 100
    assert m["accuracy"] == accuracy_score(y, y_pred)
    assert m["precision"] == precision_score(y, y_pred, zero_division=0)
    assert m["recall"] == recall_score(y, y_pred, zero_division=0)
    assert m["f1"] == f1_score(y, y_pred, zero_division=0)


def test_binary_metrics_always_negative_has_zero_f1():
    y = np.array([0] * 9 + [1])
    m = binary_metrics(y, np.zeros(10))
    assert m["accuracy"] == pytest.approx(0.9)
    assert m["precision"] == m["recall"] == m["f1"] == 0.0


def test_binary_metrics_rejects_bad_input():
    with pytest.raises(ValueError, match="y_true"):
        binary_metrics([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="y_true"):
        binary_metrics([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="y_score"):
        binary_metrics([0, 1], [[0.1], [0.2]])


# -- the NumPy MLP ------------------------------------------------------------
def test_init_is_shared_across_widths():
    W1, b1, W2, b2 = init_mlp_weights(20, 256, seed=3)
    V1, c1, V2, c2 = init_mlp_weights(20, 16, seed=3)
    assert W1.shape == (20, 256) and V1.shape == (20, 16) and V2.shape == (16, 1)
    # The narrow network's weights are the wide one's first units, rescaled.
    ratio = V1 / W1[:, :16]
    np.testing.assert_allclose(ratio, np.sqrt((20 + 256) / (20 + 16)))
    np.testing.assert_allclose(V2 / W2[:16], np.sqrt((256 + 1) / (16 + 1)))
    assert not np.any(b1) and not np.any(c1) and b2.shape == c2.shape == (1,)
    assert np.abs(W1).max() <= np.sqrt(6 / (20 + 256))
    other = init_mlp_weights(20, 256, seed=4)[0]
    assert not np.array_equal(W1, other)
    with pytest.raises(ValueError, match="hidden_units"):
        init_mlp_weights(20, 300)


def test_forward_and_gradients_match_keras(small):
    import keras
    import tensorflow as tf

    X, y, _, _ = small
    weights = init_mlp_weights(20, 12, seed=0)
    l2 = 0.01
    net = build_seed_mlp(hidden_units=12, compile=False)
    net.set_weights([w.astype("float32") for w in weights])
    np.testing.assert_allclose(
        mlp_forward(weights, X), net(X.astype("float32")).numpy()[:, 0], atol=1e-5
    )
    with tf.GradientTape() as tape:
        p = net(X.astype("float32"))[:, 0]
        loss = keras.losses.binary_crossentropy(y.astype("float32"), p)
        kernels = [net.layers[0].kernel, net.layers[1].kernel]
        loss = loss + l2 * tf.add_n([tf.reduce_sum(k**2) for k in kernels])
    grads_tf = tape.gradient(loss, net.trainable_weights)
    loss_np, grads_np = mlp_loss_and_grads(weights, X, y, l2=l2)
    assert loss_np == pytest.approx(float(loss), abs=1e-5)
    for g, gt in zip(grads_np, grads_tf, strict=True):
        assert g.shape == tuple(gt.shape)
        np.testing.assert_allclose(g, gt.numpy(), atol=1e-5)


def test_dropout_gradients_by_finite_differences(small):
    X, y, _, _ = small
    X, y = X[:20], y[:20]
    weights = [w + 0.01 for w in init_mlp_weights(20, 6, seed=1)]
    mask = (np.random.default_rng(0).random((20, 6)) < 0.5).astype(float)
    kw = {"l2": 0.05, "keep_mask": mask, "keep": 0.5}
    _, grads = mlp_loss_and_grads(weights, X, y, **kw)
    eps = 1e-6
    for i, w in enumerate(weights):
        for idx in list(np.ndindex(w.shape))[:5]:
            plus = [v.copy() for v in weights]
            minus = [v.copy() for v in weights]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            numeric = (
                mlp_loss_and_grads(plus, X, y, **kw)[0]
                - mlp_loss_and_grads(minus, X, y, **kw)[0]
            ) / (2 * eps)
            assert grads[i][idx] == pytest.approx(numeric, abs=1e-6)


def test_numpy_training_matches_keras_full_batch_adam(small):
    """Scratch and concise agree: three full-batch Adam steps, same weights."""
    import keras

    X, y, X_val, y_val = small
    run = train_numpy_mlp(
        X, y, X_val, y_val, hidden_units=8, epochs=3, lr=0.01, seed=5, max_hidden=8
    )
    net = build_seed_mlp(hidden_units=8, compile=False)
    net.set_weights(
        [w.astype("float32") for w in init_mlp_weights(20, 8, max_hidden=8, seed=5)]
    )
    net.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy"
    )
    net.fit(
        X.astype("float32"),
        y.astype("float32"),
        batch_size=len(X),
        epochs=3,
        shuffle=False,
        verbose=0,
    )
    for ours, theirs in zip(run.weights, net.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_training_overfits_and_is_deterministic(small):
    X, y, X_val, y_val = small
    kw = {"hidden_units": 64, "epochs": 80, "lr": 0.01, "seed": 0}
    a = train_numpy_mlp(X, y, X_val, y_val, **kw)
    b = train_numpy_mlp(X, y, X_val, y_val, **kw)
    assert a.history == b.history
    assert all(len(v) == 80 for v in a.history.values())
    assert a.best_epoch == 80
    assert a.train_loss < 0.05 and a.gap > 0.1  # a large net memorizes 60 rows
    np.testing.assert_allclose(a.history["loss"][-1], a.train_loss)
    # The kept weights give the recorded loss.
    p = np.clip(mlp_forward(a.weights, X_val), 1e-7, 1 - 1e-7)
    bce = -np.mean(y_val * np.log(p) + (1 - y_val) * np.log(1 - p))
    assert a.val_loss == pytest.approx(bce)


def test_cures_change_the_run(small):
    X, y, X_val, y_val = small
    kw = {"hidden_units": 64, "epochs": 80, "lr": 0.01, "seed": 0}
    base = train_numpy_mlp(X, y, X_val, y_val, **kw)
    l2 = train_numpy_mlp(X, y, X_val, y_val, l2=0.01, **kw)
    drop = train_numpy_mlp(X, y, X_val, y_val, dropout=0.5, **kw)
    assert np.sum(l2.weights[0] ** 2) < np.sum(base.weights[0] ** 2)
    assert l2.gap < base.gap
    assert drop.history != base.history
    early = train_numpy_mlp(X, y, X_val, y_val, patience=5, **kw)
    n_run = len(early.history["val_loss"])
    assert n_run == early.best_epoch + 5 < 80
    assert early.val_loss == min(early.history["val_loss"])
    # The kept weights are those of the best epoch, not the last.
    p = np.clip(mlp_forward(early.weights, X_val), 1e-7, 1 - 1e-7)
    bce = -np.mean(y_val * np.log(p) + (1 - y_val) * np.log(1 - p))
    assert early.val_loss == pytest.approx(bce)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"epochs": 0}, "epochs"),
        ({"dropout": 1.0}, "dropout"),
        ({"l2": -0.1}, "l2"),
        ({"lr": 0.0}, "lr"),
        ({"patience": 0}, "patience"),
        ({"hidden_units": 0}, "hidden_units"),
        ({"hidden_units": 257}, "hidden_units"),
    ],
)
def test_training_rejects_bad_arguments(small, kwargs, match):
    X, y, X_val, y_val = small
    with pytest.raises(ValueError, match=match):
        train_numpy_mlp(X, y, X_val, y_val, **kwargs)


def test_training_rejects_mismatched_data(small):
    X, y, X_val, y_val = small
    with pytest.raises(ValueError, match="X_val"):
        train_numpy_mlp(X, y, X_val[:, :5], y_val)
    with pytest.raises(ValueError, match="y_val"):
        train_numpy_mlp(X, y, X_val, y_val[:-1])
