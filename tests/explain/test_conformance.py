"""Every per-sample attribution method, tabular and image, passes the same checks.

In the spirit of scikit-learn's ``check_estimator``: one parametrized suite
that each method of :data:`nnbook.explain.ATTRIBUTION_METHODS` must pass:
the shape of ``X``, float64, randomness only through ``seed``, clear errors
for a bad ``X``, ``target``, ``baseline`` or ``output``, and both explained
quantities.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import nnbook.explain as E

TABULAR = [m for m in E.ATTRIBUTION_METHODS if m is not E.grad_cam]  # needs a conv
IMAGE = list(E.ATTRIBUTION_METHODS)
FAST = {"n_steps": 16, "n_draws": 4}  # options that keep the suite quick


def _call(method, model, X, **kw):
    params = inspect.signature(method).parameters
    opts = {k: v for k, v in FAST.items() if k in params}
    return method(model, X, **opts, **kw)


@pytest.fixture(scope="module", params=["tabular", "image"])
def case(request, trained_seed_model, seed_data, tiny_cnn):
    if request.param == "tabular":
        return "tabular", trained_seed_model, seed_data.X_test[:6], TABULAR
    X = np.random.default_rng(0).uniform(size=(3, 8, 8, 1))
    return "image", tiny_cnn, X, IMAGE


def test_the_list_names_every_method():
    assert {m.__name__ for m in E.ATTRIBUTION_METHODS} == {
        "gradient_saliency",
        "gradient_x_input",
        "smoothgrad",
        "integrated_gradients",
        "expected_gradients",
        "occlusion",
        "grad_cam",
    }


@pytest.mark.parametrize("method", IMAGE, ids=lambda m: m.__name__)
def test_signature(method):
    params = inspect.signature(method).parameters
    names = list(params)
    assert names[:2] == ["model", "X"]
    for name in names[2:]:
        if params[name].kind is not inspect.Parameter.VAR_KEYWORD:
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert params["target"].default is None
    assert params["output"].default == "logit"
    if "seed" in params:
        assert params["seed"].default == 0


def test_shape_dtype_and_determinism(case):
    _, model, X, methods = case
    for method in methods:
        a = _call(method, model, X)
        assert a.shape == X.shape and a.dtype == np.float64, method.__name__
        assert np.all(np.isfinite(a)), method.__name__
        np.testing.assert_array_equal(a, _call(method, model, X))


def test_randomness_only_through_seed(case):
    _, model, X, _ = case
    a = _call(E.smoothgrad, model, X, seed=3)
    np.testing.assert_array_equal(a, _call(E.smoothgrad, model, X, seed=3))
    assert not np.array_equal(a, _call(E.smoothgrad, model, X, seed=4))


def test_logit_and_probability_are_both_explained(case):
    _, model, X, methods = case
    for method in methods:
        logit = _call(method, model, X)
        proba = _call(method, model, X, output="probability")
        assert proba.shape == X.shape, method.__name__
        assert not np.allclose(logit, proba), method.__name__
        with pytest.raises(ValueError, match="output must be one of"):
            _call(method, model, X, output="score")


def test_targets_of_every_kind(case):
    kind, model, X, methods = case
    k = 1 if kind == "tabular" else 3
    targets = [None, 0, np.zeros(len(X), int)] + ([np.arange(len(X)) % 3] * (k > 1))
    for method in methods:
        outs = [_call(method, model, X, target=t) for t in targets]
        for out in outs:
            assert out.shape == X.shape
        np.testing.assert_array_equal(outs[1], outs[2])  # one int == one per sample


def test_bad_inputs_raise_clear_errors(case):
    kind, model, X, methods = case
    k = 1 if kind == "tabular" else 3
    wrong_width = X[:, :-1] if kind == "tabular" else X[:, :7]
    nan = X.copy()
    nan.flat[3] = np.nan
    for method in methods:
        name = method.__name__
        with pytest.raises(ValueError, match="X must have"):
            _call(method, model, wrong_width)
        with pytest.raises(ValueError, match="X holds NaN or infinite"):
            _call(method, model, nan)
        with pytest.raises(TypeError, match="X must hold numbers"):
            _call(method, model, np.full(X.shape, "a"))
        with pytest.raises(ValueError, match=rf"class index in \[0, {k}\)"):
            _call(method, model, X, target=k)
        with pytest.raises(ValueError, match="target must be one index or an array"):
            _call(method, model, X, target=np.zeros(len(X) + 1, int))
        with pytest.raises(TypeError, match="target must be an integer"):
            _call(method, model, X, target=0.5)
        if "baseline" in inspect.signature(method).parameters:
            with pytest.raises(ValueError, match="baseline must be"):
                _call(method, model, X, baseline=np.zeros(3))
            bad = np.zeros(X.shape[1:])
            bad.flat[0] = np.inf
            with pytest.raises(ValueError, match="baseline holds NaN"):
                _call(method, model, X, baseline=bad)
        assert name  # every method went through every check


def test_baseline_is_the_reference(case):
    """With the input as its own baseline, IG and occlusion attribute nothing.

    (Up to float32 rounding: the models compute in float32, and a batch's
    size can change the last bit of a row's output.)
    """
    _, model, X, _ = case
    for method in (E.integrated_gradients, E.occlusion):
        np.testing.assert_allclose(_call(method, model, X, baseline=X), 0.0, atol=1e-6)


def test_model_must_be_keras():
    for method in IMAGE:
        with pytest.raises(TypeError, match="model must be a built Keras model"):
            method("not a model", np.zeros((2, 20)))
