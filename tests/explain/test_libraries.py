"""SHAP and LIME through nnbook.explain: closed-form answers, seeds, errors.

On a model whose logit is linear, ``F(x) = w . x + c``, the exact SHAP value
of column ``j`` with background sample ``B`` is ``w_j (x_j - mean(B_j))``,
and LIME's local surrogate is exact, so its weights are the ridge solution
for the slope ``w_j * std(B_j)`` (per background standard deviation).
"""

from __future__ import annotations

import gc
import socket
import subprocess
import sys
import warnings
import weakref

import numpy as np
import pytest

import nnbook.explain as E
from nnbook.explain import lime_weights, shap_values

D = 6  # columns of the small linear models


def _linear_logit_models() -> dict:
    """Two models with a linear logit: a logistic regression, and a linear
    hidden layer under a sigmoid head. Returns ``{name: (model, w, c)}``."""
    import keras

    rng = np.random.default_rng(3)
    logreg = keras.Sequential(
        [keras.Input((D,)), keras.layers.Dense(1, activation="sigmoid")]
    )
    w = rng.normal(size=(D, 1))
    logreg.set_weights([w, np.array([0.3])])
    two = keras.Sequential(
        [
            keras.Input((D,)),
            keras.layers.Dense(4, activation="linear", name="hidden"),
            keras.layers.Dense(1, activation="sigmoid", name="output"),
        ]
    )
    W1, b1 = rng.normal(size=(D, 4)), rng.normal(size=4)
    W2, b2 = rng.normal(size=(4, 1)) / 2, np.array([-0.2])
    two.set_weights([W1, b1, W2, b2])
    # the weights as the model stores them (float32 by default)
    W1, b1, W2, b2 = (np.asarray(v, dtype=np.float64) for v in two.get_weights())
    w_lr, c_lr = (np.asarray(v, dtype=np.float64) for v in logreg.get_weights())
    return {
        "logistic regression": (logreg, w_lr[:, 0], float(c_lr[0])),
        "linear hidden layer": (two, (W1 @ W2)[:, 0], float((b1 @ W2 + b2)[0])),
    }


@pytest.fixture(scope="module")
def linear_models():
    return _linear_logit_models()


@pytest.fixture(scope="module")
def samples():
    """Samples to explain and a background sample that is not centred."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, D)) * 1.5
    background = rng.normal(size=(40, D)) * rng.uniform(0.5, 2, size=D) + 0.7
    return X, background


# Relative tolerance of the closed-form SHAP checks. The logistic regression's
# logit is computed in float64 from the stored weights (agreement ~1e-15); the
# two-layer model's hidden layer goes through the model in its float dtype
# (float32 by default: agreement ~1e-6).
SHAP_RTOL = 1e-5


@pytest.mark.parametrize(
    "name", ["logistic regression", "linear hidden layer"], ids=["logreg", "linear2"]
)
def test_kernel_shap_is_exact_on_a_linear_logit(linear_models, samples, name):
    model, w, _ = linear_models[name]
    X, background = samples
    exact = w * (X - background.mean(axis=0))
    phi = shap_values(model, X, baseline=background)  # d=6: all 62 coalitions
    assert np.abs(phi - exact).max() <= SHAP_RTOL * np.abs(exact).max()


def test_kernel_shap_from_few_sampled_coalitions_is_exact_when_linear():
    """With 20 columns and 60 random coalitions (of 2**20), the weighted
    regression still recovers a linear logit exactly."""
    import keras

    rng = np.random.default_rng(1)
    model = keras.Sequential(
        [keras.Input((20,)), keras.layers.Dense(1, activation="sigmoid")]
    )
    model.set_weights([rng.normal(size=(20, 1)), np.zeros(1)])
    w = np.asarray(model.get_weights()[0], dtype=np.float64)[:, 0]
    X, background = rng.normal(size=(3, 20)), rng.normal(size=(10, 20)) + 1
    phi = shap_values(model, X, baseline=background, n_draws=60)
    exact = w * (X - background.mean(axis=0))
    assert np.abs(phi - exact).max() <= SHAP_RTOL * np.abs(exact).max()


def test_permutation_shap_is_exact_on_a_linear_logit_from_one_permutation(
    linear_models, samples
):
    model, w, _ = linear_models["logistic regression"]
    X, background = samples
    phi = shap_values(
        model, X[:2], baseline=background, algorithm="permutation", n_draws=1
    )
    exact = w * (X[:2] - background.mean(axis=0))
    assert np.abs(phi - exact).max() <= SHAP_RTOL * np.abs(exact).max()


def test_shap_default_baseline_is_zeros(linear_models, samples):
    model, w, _ = linear_models["logistic regression"]
    X, _ = samples
    phi = shap_values(model, X)
    assert np.abs(phi - w * X).max() <= SHAP_RTOL * np.abs(w * X).max()


def _lime_by_hand(x, f, background, *, n_draws, width, seed):
    """LIME's continuous tabular algorithm, written out: Gaussian draws
    around x with the background's std, kernel weights on standardized
    distance, ridge (alpha 1) of f on the draws standardized by the
    background's mean and std."""
    from sklearn.linear_model import Ridge

    mu, sigma = background.mean(axis=0), background.std(axis=0)
    sigma[sigma == 0] = 1.0
    rs = np.random.RandomState(seed)  # noqa: NPY002 (LIME's generator)
    Z = rs.normal(0, 1, n_draws * x.size).reshape(n_draws, x.size) * sigma + x
    Z[0] = x
    S = (Z - mu) / sigma
    dist = np.linalg.norm(S - S[0], axis=1)
    kernel = np.sqrt(np.exp(-(dist**2) / width**2))
    return Ridge(alpha=1.0).fit(S, f(Z), sample_weight=kernel).coef_


@pytest.mark.parametrize("width", [0.8, None, 50.0])
def test_lime_is_a_kernel_weighted_ridge_on_standardized_draws(
    linear_models, samples, width
):
    model, w, c = linear_models["logistic regression"]
    X, background = samples
    got = lime_weights(model, X[:2], baseline=background, kernel_width=width, seed=4)
    for x, row in zip(X[:2], got, strict=True):
        want = _lime_by_hand(
            x,
            lambda Z: Z @ w + c,
            background,
            n_draws=5000,
            width=width or 0.75 * np.sqrt(D),
            seed=4,
        )
        np.testing.assert_allclose(row, want, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(
    "name", ["logistic regression", "linear hidden layer"], ids=["logreg", "linear2"]
)
def test_lime_recovers_slope_times_std_on_a_linear_logit(linear_models, samples, name):
    """With a wide kernel every draw counts (weights near 1), the ridge
    shrinks by about 1 / 5000, and the weights are w_j * std(B_j); times the
    standardized deviation of x they are the exact SHAP values."""
    model, w, _ = linear_models[name]
    X, background = samples
    mu, sigma = background.mean(axis=0), background.std(axis=0)
    weights = lime_weights(model, X, baseline=background, kernel_width=50.0)
    slope = w * sigma
    assert np.abs(weights - slope).max() <= 1e-3 * np.abs(slope).max()
    exact_shap = w * (X - mu)
    from_lime = weights * (X - mu) / sigma
    assert np.abs(from_lime - exact_shap).max() <= 2e-3 * np.abs(exact_shap).max()


# --- the article's network: additivity, harnesses -----------------------------


@pytest.fixture(scope="module")
def X_small(seed_data):
    return seed_data.X_test[:6]


@pytest.fixture(scope="module")
def background(seed_data):
    return seed_data.X_train[:20]


def _logit(model, X):
    p = np.asarray(model(X.astype("float32"), training=False), dtype=np.float64)
    return np.log(p / (1 - p))[:, 0]


@pytest.mark.parametrize("algorithm", ["kernel", "permutation"])
def test_shap_adds_up_on_the_article_network(
    trained_seed_model, X_small, background, algorithm
):
    phi = shap_values(
        trained_seed_model,
        X_small,
        baseline=background,
        algorithm=algorithm,
        n_draws=100 if algorithm == "kernel" else 2,
    )
    F = _logit(trained_seed_model, X_small)
    EF = _logit(trained_seed_model, background).mean()
    np.testing.assert_allclose(phi.sum(axis=1), F - EF, atol=1e-4)


def test_shap_of_the_probability_adds_up(trained_seed_model, X_small, background):
    phi = shap_values(
        trained_seed_model,
        X_small,
        baseline=background,
        output="probability",
        n_draws=100,
    )
    p = E.model_output(trained_seed_model, X_small, output="probability")
    Ep = E.model_output(trained_seed_model, background, output="probability").mean()
    np.testing.assert_allclose(phi.sum(axis=1), p - Ep, atol=1e-5)


def test_every_harness_takes_them(seed_data, trained_seed_model, X_small, background):
    """ground_truth_score and the cascading sanity check run on them unchanged,
    and the model's weights are restored."""
    before = [w.copy() for w in trained_seed_model.get_weights()]
    for method, kw in (
        (shap_values, {"baseline": background, "n_draws": 60}),
        (lime_weights, {"baseline": seed_data.X_train, "n_draws": 300}),
    ):
        attr = method(trained_seed_model, seed_data.X_test[:20], **kw)
        score = E.ground_truth_score(attr, seed_data.roles)
        assert 0.5 < score["auc"] <= 1.0
        res = E.cascading_randomization(
            trained_seed_model, X_small, method=method, seed=0, **kw
        )
        assert res.method == method.__name__
        assert len(res.steps) == 2 and np.all(np.isfinite(res.spearman))
        assert res.spearman[-1] < 0.9  # random weights change the explanation
    for a, b in zip(before, trained_seed_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


# --- images, softmax targets, per-sample targets -----------------------------


@pytest.fixture(scope="module")
def tiny_softmax_cnn():
    """An untrained (n, 4, 4, 1) -> softmax over 3 classes model."""
    import keras

    keras.utils.set_random_seed(2)
    inputs = keras.Input((4, 4, 1))
    x = keras.layers.Conv2D(2, 2, activation="relu")(inputs)
    x = keras.layers.Flatten()(x)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


def test_images_and_per_sample_targets(tiny_softmax_cnn):
    import keras

    model = tiny_softmax_cnn
    rng = np.random.default_rng(5)
    X = rng.normal(size=(4, 4, 4, 1))
    t = np.array([0, 2, 1, 2])
    phi = shap_values(model, X, target=t, n_draws=200)
    assert phi.shape == X.shape and phi.dtype == np.float64
    # logits: the input of the last Dense layer's softmax, computed by hand
    last = model.layers[-1]
    h = keras.Model(model.inputs[0], last.input)(X.astype("float32")).numpy()
    W, b = last.get_weights()
    z = (h @ W + b)[np.arange(4), t]
    z0 = (
        keras.Model(model.inputs[0], last.input)(np.zeros((1, 4, 4, 1))).numpy() @ W + b
    )[0, t]
    np.testing.assert_allclose(phi.reshape(4, -1).sum(axis=1), z - z0, atol=1e-4)
    weights = lime_weights(model, X, target=t, n_draws=200)
    assert weights.shape == X.shape and weights.dtype == np.float64


def test_logit_of_a_separate_softmax_layer():
    """The book's digits CNN ends in a Softmax layer: its logit is the input."""
    from nnbook.models import build_digits_cnn

    model = build_digits_cnn()
    X = np.random.default_rng(6).uniform(0, 1, size=(2, 8, 8, 1))
    phi = shap_values(model, X, target=3, n_draws=100)
    import keras

    z = keras.Model(model.inputs[0], model.get_layer("logits").output)
    gap = z(X.astype("float32")).numpy()[:, 3] - z(np.zeros((1, 8, 8, 1))).numpy()[0, 3]
    np.testing.assert_allclose(phi.reshape(2, -1).sum(axis=1), gap, atol=1e-4)


# --- seeds, side effects, stderr, network ------------------------------------


@pytest.mark.parametrize(
    "method, kw",
    [
        (shap_values, {"n_draws": 40}),
        (shap_values, {"algorithm": "permutation", "n_draws": 1}),
        (lime_weights, {"n_draws": 200}),
    ],
    ids=["kernel", "permutation", "lime"],
)
def test_a_seed_gives_the_same_values_and_leaves_numpy_alone(
    trained_seed_model, X_small, background, method, kw
):
    np.random.seed(123)  # noqa: NPY002 (the caller's global state)
    expected_next = np.random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    a = method(trained_seed_model, X_small, baseline=background, seed=7, **kw)
    assert np.random.random() == expected_next  # noqa: NPY002
    b = method(trained_seed_model, X_small, baseline=background, seed=7, **kw)
    c = method(trained_seed_model, X_small, baseline=background, seed=8, **kw)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # one sample's values do not depend on the other samples explained with it
    alone = method(trained_seed_model, X_small[3:4], baseline=background, seed=7, **kw)
    np.testing.assert_array_equal(alone[0], a[3])


def test_quiet_and_offline(trained_seed_model, X_small, seed_data, capfd, monkeypatch):
    """No warning, nothing on stderr (a large background makes shap log one),
    and no network access."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    import lime.lime_tabular  # noqa: F401 - importing is not what is tested
    import shap  # noqa: F401 - (shap's import warns on newer matplotlib)

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    capfd.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shap_values(
            trained_seed_model,
            X_small[:2],
            baseline=seed_data.X_train[:120],
            n_draws=50,
        )
        lime_weights(trained_seed_model, X_small[:2], baseline=seed_data.X_train)
    assert capfd.readouterr().err == ""


def test_importing_nnbook_explain_imports_neither_library():
    code = (
        "import sys, nnbook.explain; "
        "print([m for m in ('shap', 'lime', 'numba') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("method", [shap_values, lime_weights])
def test_no_model_is_kept_alive(method):
    """Neither the wrappers, the libraries nor the package's cache hold the
    model after a call."""
    import keras

    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    method(model, np.ones((2, 3)), n_draws=20)
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


# --- clear errors ------------------------------------------------------------


@pytest.mark.parametrize("method", [shap_values, lime_weights])
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"X": np.zeros((3, 19))}, ValueError, "X must have 20 features"),
        ({"X": np.full((2, 20), np.nan)}, ValueError, "X holds NaN"),
        ({"X": np.array([["a"] * 20])}, TypeError, "X must hold numbers"),
        ({"baseline": np.zeros((4, 19))}, ValueError, "baseline must be"),
        ({"baseline": np.zeros((0, 20))}, ValueError, "baseline must have at least"),
        ({"baseline": np.full(20, np.inf)}, ValueError, "baseline holds NaN"),
        ({"target": 1}, ValueError, "target must be a class index"),
        ({"target": 0.5}, TypeError, "target must be an integer"),
        ({"output": "prob"}, ValueError, "output must be one of"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": None}, TypeError, "seed must be an integer"),
        ({"n_draws": 0}, ValueError, "n_draws must be >="),
        ({"n_draws": 2.5}, TypeError, "n_draws must be an integer"),
    ],
)
def test_bad_input_gets_a_clear_error(
    trained_seed_model, seed_data, method, kwargs, error, match
):
    kw = {"X": seed_data.X_test[:2], **kwargs}
    X = kw.pop("X")
    with pytest.raises(error, match=match):
        method(trained_seed_model, X, **kw)


def test_errors_of_each_wrapper(trained_seed_model, seed_data):
    X = seed_data.X_test[:2]
    with pytest.raises(ValueError, match="algorithm must be one of"):
        shap_values(trained_seed_model, X, algorithm="deep")
    with pytest.raises(ValueError, match="n_draws must be >= 22"):
        shap_values(trained_seed_model, X, n_draws=10)  # kernel: d + 2 at least
    with pytest.raises(ValueError, match="kernel_width must be > 0"):
        lime_weights(trained_seed_model, X, kernel_width=0.0)
    with pytest.raises(TypeError, match="discretize must be True or False"):
        lime_weights(trained_seed_model, X, discretize="yes")
    with pytest.raises(TypeError, match="model must be a built Keras model"):
        shap_values(object(), X)


def test_logit_needs_a_known_head():
    import keras

    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, activation="relu")]
    )
    with pytest.raises(ValueError, match="output=.probability."):
        shap_values(model, np.ones((1, 3)), target=0)
    # the probability (here: the ReLU output) is still explained
    phi = shap_values(model, np.ones((1, 3)), target=0, output="probability")
    assert phi.shape == (1, 3)
