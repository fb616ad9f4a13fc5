"""Global methods against ground truth; sanity checks; layers and planes."""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E


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
        pi = E.permutation_importance(model, data.X_test, data.y_test, n_draws=5)
        ig = E.integrated_gradients(model, data.X_test)
        pi_scores.append(E.ground_truth_score(pi, data.roles)["precision_at_k"])
        ig_scores.append(E.ground_truth_score(ig, data.roles)["precision_at_k"])
    assert np.mean(pi_scores) >= 0.8, pi_scores
    assert np.mean(ig_scores) >= 0.8, ig_scores


def test_permutation_importance_of_an_ignored_column_is_zero(
    trained_seed_model, seed_data, copy_model
):
    model = copy_model(trained_seed_model)
    W, b = model.get_layer("hidden").get_weights()
    W[7] = 0.0  # column 7 can no longer reach any unit
    model.get_layer("hidden").set_weights([W, b])
    for scoring in ("neg_log_loss", "accuracy"):
        imp = E.permutation_importance(
            model, seed_data.X_test, seed_data.y_test, n_draws=3, scoring=scoring
        )
        assert imp.shape == (20,)
        assert imp[7] == 0.0
        assert np.count_nonzero(imp) > 10
    with pytest.raises(ValueError, match="n_draws must be >= 1"):
        E.permutation_importance(model, seed_data.X_test, seed_data.y_test, n_draws=0)


def test_classifier_adapter_is_a_fitted_sklearn_classifier(trained_seed_model):
    from sklearn.base import is_classifier

    est = E.make_classifier(trained_seed_model)
    assert is_classifier(est)
    np.testing.assert_array_equal(est.classes_, [0, 1])
    proba = est.predict_proba(np.zeros((3, 20)))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_partial_dependence(trained_seed_model, seed_data):
    X = seed_data.X_test
    grid, avg = E.partial_dependence(trained_seed_model, X, 5, grid_resolution=9)
    assert grid.shape == avg.shape == (9,)
    assert np.all((avg >= 0) & (avg <= 1))
    grid, ice = E.partial_dependence(
        trained_seed_model, X[:7], 5, grid_resolution=9, kind="individual"
    )
    assert ice.shape == (7, grid.size)


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


def test_cascading_randomization_destroys_the_ranking(trained_seed_model, seed_data):
    X = seed_data.X_test
    before = [w.copy() for w in trained_seed_model.get_weights()]
    for method in (E.gradient_saliency, E.integrated_gradients):
        res = E.cascading_randomization(trained_seed_model, X, method=method, seed=0)
        assert res.steps == ["output", "output+hidden"]
        assert res.per_sample.shape == (2, X.shape[0])
        assert res.spearman[-1] < 0.5, (method.__name__, res.spearman)
    for a, b in zip(before, trained_seed_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # weights restored


def test_rank_correlation_of_identical_maps_is_one():
    a = np.random.default_rng(0).normal(size=(4, 20))
    np.testing.assert_allclose(E.rank_correlation(a, 2 * a), 1.0)
    np.testing.assert_allclose(E.rank_correlation(a, -a, absolute=False), -1.0)


def test_dead_units_are_constant_over_every_sample(
    trained_seed_model, seed_data, copy_model
):
    model = copy_model(trained_seed_model)
    W, b = model.get_layer("hidden").get_weights()
    W[:, 3], b[3] = 0.0, -1.0  # ReLU never positive: always 0
    model.get_layer("hidden").set_weights([W, b])
    dead = E.dead_units(model, seed_data.X_test)
    assert dead.shape == (10,) and dead[3]
    alive = E.hidden_activations(model, seed_data.X_test)
    assert dead.sum() == int((np.ptp(alive, axis=0) <= 1e-6).sum())
    # a unit stuck at a positive constant is dead too: one meaning, "constant"
    acts = np.c_[np.full(5, 2.0), np.arange(5.0), np.zeros(5)]
    np.testing.assert_array_equal(E.dead_mask(acts), [True, False, True])


def test_feature_plane_maps_back_and_forth(seed_data):
    X = seed_data.X_test
    plane = E.feature_plane(X, resolution=7)
    assert plane.points.shape == (49, 20)
    uv = np.array([[0.3, -1.2], [2.0, 0.5]])
    np.testing.assert_allclose(plane.project(plane.to_features(uv)), uv, atol=1e-10)
    fp = E.feature_plane(X, kind="features", features=(5, 14), resolution=5)
    others = np.delete(np.arange(20), [5, 14])
    np.testing.assert_allclose(
        fp.points[:, others], np.tile(X.mean(0)[others], (25, 1))
    )
    assert "x05" in fp.title and "PCA" in plane.title
    coarse = plane.with_resolution(3)
    assert coarse.u.size == 3 and coarse.extent == plane.extent


def test_feature_plane_extent_from_quantiles(seed_data):
    X = seed_data.X_train
    full = E.feature_plane(X, margin=0.0)
    inner = E.feature_plane(X, margin=0.0, quantile=0.05)
    assert full.u[0] < inner.u[0] < inner.u[-1] < full.u[-1]
    wider = E.feature_plane(X, margin=0.0, extent_X=np.r_[X, 3 * X])
    assert wider.u[-1] > full.u[-1]
    np.testing.assert_array_equal(wider.axes, full.axes)


def test_plane_outputs(trained_seed_model, seed_data):
    plane = E.feature_plane(seed_data.X_test, resolution=6)
    p = E.plane_outputs(trained_seed_model, plane)
    assert p.shape == (6, 6, 1) and np.all((p > 0) & (p < 1))
    z = E.plane_outputs(trained_seed_model, plane, output="logit")
    np.testing.assert_allclose(1 / (1 + np.exp(-z)), p, rtol=1e-5)
    assert E.plane_outputs(trained_seed_model, plane, layer="hidden").shape == (
        6,
        6,
        10,
    )


def _result(rhos):
    per = np.asarray(rhos, dtype=float)[None]
    finite = np.isfinite(per)
    mean = np.where(finite, per, 0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
    mean[finite.sum(axis=1) == 0] = np.nan  # all NaN: no mean (nanmean warns)
    return E.SanityResult(["all"], mean, per, "m")


def test_the_randomization_verdict_reads_the_interval():
    """The one rule: below the pass mark -> passes, above -> fails, straddling
    it (a wide interval around 0.5) -> inconclusive; NaN samples are skipped."""
    rng = np.random.default_rng(0)
    low = _result(rng.normal(0.1, 0.05, 50))
    high = _result(rng.normal(0.9, 0.05, 50))
    near = _result(rng.normal(0.5, 0.3, 20))
    assert low.verdict().label == "passes"
    assert high.verdict().label == "fails"
    v = near.verdict()
    assert v.label == "inconclusive" and v.low < 0.5 < v.high
    assert v.threshold == E.RANDOMIZATION_THRESHOLD == 0.5
    assert high.verdict(threshold=0.95).label == "passes"
    with_nan = _result([0.1, np.nan, 0.12, 0.08] * 10)
    assert np.isclose(with_nan.verdict().rho, 0.1)
    np.testing.assert_equal(low.verdict(seed=3), low.verdict(seed=3))
    with pytest.raises(ValueError, match="no finite correlation"):
        _result([np.nan, np.nan]).verdict()
    with pytest.raises(ValueError, match="step must be"):
        low.verdict(step=1)
