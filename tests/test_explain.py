"""Properties of nnbook.explain: axioms, ground truth, sanity checks, errors."""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E

ATTRIBUTION_METHODS = [
    E.gradient_saliency,
    E.gradient_x_input,
    E.smoothgrad,
    E.integrated_gradients,
    E.occlusion,
]


@pytest.fixture(scope="module")
def X_test(seed_data):
    return seed_data.X_test


@pytest.fixture(scope="module")
def tiny_cnn():
    """An untrained image model: (n, 8, 8, 1) -> softmax over 3 classes."""
    import keras

    keras.utils.set_random_seed(1)
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(
        inputs
    )
    x = keras.layers.Flatten(name="flatten")(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    return keras.Model(inputs, keras.layers.Softmax(name="softmax")(logits))


def _copy(model):
    import keras

    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    return clone


# --- integrated gradients: completeness, the exact version, a scratch loop ---


def test_ig_completeness_at_default_steps(trained_seed_model, X_test):
    model = trained_seed_model
    _, delta = E.integrated_gradients(model, X_test, return_delta=True)
    change = E.model_output(model, X_test) - E.model_output(
        model, np.zeros_like(X_test)
    )
    assert np.median(np.abs(delta) / np.abs(change)) <= 0.01


def test_ig_gap_shrinks_as_steps_grow(trained_seed_model, X_test):
    gaps = [
        np.median(
            np.abs(
                E.integrated_gradients(
                    trained_seed_model, X_test, steps=s, return_delta=True
                )[1]
            )
        )
        for s in (4, 16, 64, 256)
    ]
    assert all(a > b for a, b in zip(gaps, gaps[1:], strict=False)), gaps


def test_exact_ig_matches_riemann_and_is_complete(trained_seed_model, X_test):
    X = X_test[:40]
    exact, delta = E.integrated_gradients(
        trained_seed_model, X, method="exact", return_delta=True
    )
    riemann = E.integrated_gradients(trained_seed_model, X, steps=4096)
    assert np.max(np.abs(delta)) < 1e-5
    assert np.max(np.abs(exact - riemann)) < 1e-3 * np.max(np.abs(exact))


def test_exact_ig_refuses_models_it_cannot_do(tiny_cnn):
    X = np.zeros((2, 8, 8, 1))
    with pytest.raises(ValueError, match="method='exact'"):
        E.integrated_gradients(tiny_cnn, X, method="exact")


def test_ig_agrees_with_a_scratch_loop(trained_seed_model, X_test):
    import tensorflow as tf

    X, steps = X_test[:5], 32
    expected = np.zeros_like(X)
    for k in range(steps):
        point = tf.constant((k + 0.5) / steps * X, dtype=tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(point)
            out = trained_seed_model(point)[:, 0]
        expected += tape.gradient(out, point).numpy() / steps
    expected *= X
    got = E.integrated_gradients(trained_seed_model, X, steps=steps)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)


def test_gradient_matches_finite_differences(trained_seed_model, X_test):
    x = X_test[:3]
    g = E.gradient_saliency(trained_seed_model, x)
    h = 1e-2
    for j in (0, 5, 14):
        up, down = x.copy(), x.copy()
        up[:, j] += h
        down[:, j] -= h
        fd = (
            E.model_output(trained_seed_model, up)
            - E.model_output(trained_seed_model, down)
        ) / (2 * h)
        np.testing.assert_allclose(g[:, j], fd, rtol=0.05, atol=1e-4)


def test_hidden_activations_are_relu_of_the_first_layer(trained_seed_model, X_test):
    W, b = trained_seed_model.get_layer("hidden").get_weights()
    scratch = np.maximum(X_test @ W + b, 0)
    for layer in ("hidden", 0):
        acts = E.hidden_activations(trained_seed_model, X_test, layer=layer)
        np.testing.assert_allclose(acts, scratch, rtol=1e-4, atol=1e-5)


def test_dead_units_counts_a_killed_unit(trained_seed_model, X_test):
    model = _copy(trained_seed_model)
    W, b = model.get_layer("hidden").get_weights()
    W[:, 3], b[3] = 0.0, -1.0
    model.get_layer("hidden").set_weights([W, b])
    dead = E.dead_units(model, X_test)
    assert dead.shape == (10,) and dead[3] and dead.sum() >= 1


# --- ground truth, permutation importance ---


@pytest.fixture(scope="module")
def other_seed_models():
    """Models on 5 data seeds other than 42 (short training, larger lr)."""
    from nnbook.data import make_seed_data
    from nnbook.models import build_seed_mlp
    from nnbook.training import set_seed, train

    out = []
    for seed in (0, 1, 2, 3, 4):
        data = make_seed_data(seed)
        set_seed(0)
        model = build_seed_mlp(lr=2e-2)
        train(
            model,
            data.X_train,
            data.y_train,
            epochs=5,
            batch_size=100,
            validation_split=0.0,
        )
        out.append((data, model))
    return out


def test_methods_find_the_useful_columns_on_other_seeds(other_seed_models):
    pi_scores, ig_scores = [], []
    for data, model in other_seed_models:
        pi = E.permutation_importance(model, data.X_test, data.y_test, n_repeats=5)
        ig = E.integrated_gradients(model, data.X_test)
        pi_scores.append(E.ground_truth_score(pi, data.roles)["precision_at_k"])
        ig_scores.append(E.ground_truth_score(ig, data.roles)["precision_at_k"])
    assert np.mean(pi_scores) >= 0.8, pi_scores
    assert np.mean(ig_scores) >= 0.8, ig_scores


def test_permutation_importance_of_an_ignored_column_is_zero(
    trained_seed_model, seed_data
):
    model = _copy(trained_seed_model)
    W, b = model.get_layer("hidden").get_weights()
    W[7] = 0.0  # column 7 can no longer reach any unit
    model.get_layer("hidden").set_weights([W, b])
    for scoring in ("neg_log_loss", "accuracy"):
        imp = E.permutation_importance(
            model, seed_data.X_test, seed_data.y_test, n_repeats=3, scoring=scoring
        )
        assert imp.shape == (20,)
        assert imp[7] == 0.0
        assert np.count_nonzero(imp) > 10


def test_classifier_adapter_is_a_fitted_sklearn_classifier(trained_seed_model):
    from sklearn.base import is_classifier

    est = E.make_classifier(trained_seed_model)
    assert is_classifier(est)
    np.testing.assert_array_equal(est.classes_, [0, 1])
    proba = est.predict_proba(np.zeros((3, 20)))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_partial_dependence(trained_seed_model, X_test):
    grid, avg = E.partial_dependence(trained_seed_model, X_test, 5, grid_resolution=9)
    assert grid.shape == avg.shape == (9,)
    assert np.all((avg >= 0) & (avg <= 1))
    grid, ice = E.partial_dependence(
        trained_seed_model, X_test[:7], 5, grid_resolution=9, kind="individual"
    )
    assert ice.shape == (7, grid.size)  # sklearn uses the 7 unique values


def test_ground_truth_score_on_known_rankings():
    roles = np.array(["informative", "noise", "redundant", "noise", "noise"])
    perfect = np.array([3.0, 0.1, 2.0, 0.2, 0.0])
    assert E.ground_truth_score(perfect, roles) == {
        "precision_at_k": 1.0,
        "auc": 1.0,
        "k": 2,
    }
    worst = -perfect
    assert E.ground_truth_score(worst, roles)["precision_at_k"] == 0.0
    assert E.ground_truth_score(worst, roles)["auc"] == 0.0
    per_sample = np.array([[3.0, 0.0, -2.0, 0.1, 0.0], [-3.0, 0.2, 2.0, 0.0, 0.0]])
    assert E.ground_truth_score(per_sample, roles)["auc"] == 1.0
    with pytest.raises(ValueError, match="roles"):
        E.ground_truth_score(perfect, roles[:4])


# --- sanity checks ---


def test_cascading_randomization_destroys_the_ranking(trained_seed_model, X_test):
    before = [w.copy() for w in trained_seed_model.get_weights()]
    for method in (E.gradient_saliency, E.integrated_gradients):
        res = E.cascading_randomization(
            trained_seed_model, X_test, method=method, seed=0
        )
        assert res.steps == ["output", "output+hidden"]
        assert res.per_sample.shape == (2, X_test.shape[0])
        assert res.spearman[-1] < 0.5, (method.__name__, res.spearman)
    for a, b in zip(before, trained_seed_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # weights restored


def test_rank_correlation_of_identical_maps_is_one():
    a = np.random.default_rng(0).normal(size=(4, 20))
    np.testing.assert_allclose(E.rank_correlation(a, 2 * a), 1.0)
    np.testing.assert_allclose(E.rank_correlation(a, -a, absolute=False), -1.0)


# --- every method: shape of X, any input shape, softmax targets ---


@pytest.mark.parametrize("method", ATTRIBUTION_METHODS, ids=lambda m: m.__name__)
def test_every_method_returns_the_shape_of_X(method, trained_seed_model, X_test):
    out = method(trained_seed_model, X_test[:7])
    assert out.shape == (7, 20) and np.all(np.isfinite(out))


@pytest.mark.parametrize("method", ATTRIBUTION_METHODS, ids=lambda m: m.__name__)
def test_every_method_works_on_images_and_softmax(method, tiny_cnn):
    X = np.random.default_rng(0).uniform(size=(3, 8, 8, 1))
    for target in (None, 2, np.array([0, 1, 2])):
        out = method(tiny_cnn, X, target=target)
        assert out.shape == X.shape


def test_ig_completeness_on_softmax_target(tiny_cnn):
    X = np.random.default_rng(1).uniform(size=(4, 8, 8, 1))
    target = np.array([0, 1, 2, 1])
    _, delta = E.integrated_gradients(
        tiny_cnn, X, target=target, steps=256, return_delta=True
    )
    assert np.max(np.abs(delta)) < 1e-3


def test_smoothgrad_randomness_only_through_seed(trained_seed_model, X_test):
    a = E.smoothgrad(trained_seed_model, X_test[:4], seed=3, samples=8)
    b = E.smoothgrad(trained_seed_model, X_test[:4], seed=3, samples=8)
    c = E.smoothgrad(trained_seed_model, X_test[:4], seed=4, samples=8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_occlusion_is_the_output_drop(trained_seed_model, X_test):
    x = X_test[:2]
    occ = E.occlusion(trained_seed_model, x)
    masked = x.copy()
    masked[:, 5] = 0.0
    drop = E.model_output(trained_seed_model, x) - E.model_output(
        trained_seed_model, masked
    )
    np.testing.assert_allclose(occ[:, 5], drop, atol=1e-6)


def test_feature_plane_maps_back_and_forth(X_test):
    plane = E.feature_plane(X_test, resolution=7)
    assert plane.points.shape == (49, 20)
    uv = np.array([[0.3, -1.2], [2.0, 0.5]])
    np.testing.assert_allclose(plane.project(plane.to_features(uv)), uv, atol=1e-10)
    fp = E.feature_plane(X_test, kind="features", features=(5, 14), resolution=5)
    pts = fp.points
    others = np.delete(np.arange(20), [5, 14])
    np.testing.assert_allclose(pts[:, others], np.tile(X_test.mean(0)[others], (25, 1)))
    assert "x05" in fp.title and "PCA" in plane.title


def test_plane_outputs(trained_seed_model, X_test):
    plane = E.feature_plane(X_test, resolution=6)
    assert E.plane_outputs(trained_seed_model, plane).shape == (6, 6, 1)
    assert E.plane_outputs(trained_seed_model, plane, layer="hidden").shape == (
        6,
        6,
        10,
    )


# --- bad input: clear errors naming the argument ---


def test_wrong_feature_count(trained_seed_model):
    for method in ATTRIBUTION_METHODS:
        with pytest.raises(ValueError, match=r"X must have 20 features"):
            method(trained_seed_model, np.zeros((3, 19)))
    with pytest.raises(ValueError, match=r"X must have 20 features"):
        E.hidden_activations(trained_seed_model, np.zeros((3, 21)))
    with pytest.raises(ValueError, match=r"X must have 20 features"):
        E.permutation_importance(trained_seed_model, np.zeros((3, 19)), [0, 1, 0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_are_refused(trained_seed_model, bad):
    X = np.zeros((3, 20))
    X[1, 4] = bad
    for method in ATTRIBUTION_METHODS:
        with pytest.raises(ValueError, match="X holds NaN or infinite"):
            method(trained_seed_model, X)
    with pytest.raises(ValueError, match="baseline holds NaN or infinite"):
        E.integrated_gradients(trained_seed_model, np.zeros((3, 20)), baseline=X[1])


def test_wrong_baseline_shape(trained_seed_model):
    with pytest.raises(ValueError, match=r"baseline must be .* got \(19,\)"):
        E.integrated_gradients(
            trained_seed_model, np.zeros((3, 20)), baseline=np.zeros(19)
        )
    with pytest.raises(ValueError, match="reference must be"):
        E.occlusion(trained_seed_model, np.zeros((3, 20)), reference=np.zeros((2, 20)))


def test_unknown_layer_lists_the_valid_ones(trained_seed_model):
    with pytest.raises(
        ValueError, match=r"layer must be one of \['hidden', 'output'\]"
    ):
        E.hidden_activations(trained_seed_model, np.zeros((2, 20)), layer="hiden")
    with pytest.raises(ValueError, match="layer index"):
        E.hidden_activations(trained_seed_model, np.zeros((2, 20)), layer=5)


@pytest.mark.parametrize("steps", [0, -3])
def test_steps_below_one(trained_seed_model, steps):
    with pytest.raises(ValueError, match="steps must be >= 1"):
        E.integrated_gradients(trained_seed_model, np.zeros((2, 20)), steps=steps)


def test_steps_must_be_an_integer(trained_seed_model):
    with pytest.raises(TypeError, match="steps must be an integer"):
        E.integrated_gradients(trained_seed_model, np.zeros((2, 20)), steps=2.5)


def test_target_out_of_range(trained_seed_model, tiny_cnn):
    for method in ATTRIBUTION_METHODS:
        with pytest.raises(
            ValueError, match=r"target must be a class index in \[0, 1\)"
        ):
            method(trained_seed_model, np.zeros((2, 20)), target=1)
    with pytest.raises(ValueError, match=r"target must be a class index in \[0, 3\)"):
        E.gradient_saliency(tiny_cnn, np.zeros((2, 8, 8, 1)), target=[0, 3])
    with pytest.raises(ValueError, match="target must be one index or an array"):
        E.gradient_saliency(tiny_cnn, np.zeros((2, 8, 8, 1)), target=[0, 1, 2])
    with pytest.raises(TypeError, match="target must be an integer"):
        E.gradient_saliency(tiny_cnn, np.zeros((2, 8, 8, 1)), target=1.5)


def test_image_shape_is_checked(tiny_cnn):
    with pytest.raises(ValueError, match=r"X must have shape \(n, 8, 8, 1\)"):
        E.smoothgrad(tiny_cnn, np.zeros((2, 8, 8, 3)))
    with pytest.raises(ValueError, match="X must have 4 dimensions"):
        E.smoothgrad(tiny_cnn, np.zeros((8, 8, 1)))


def test_model_must_be_keras():
    with pytest.raises(TypeError, match="model must be a built Keras model"):
        E.gradient_saliency("not a model", np.zeros((2, 20)))
