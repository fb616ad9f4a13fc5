"""Text models and token attributions: shapes, axioms, references, errors.

Tiny float64 models (a few hundred parameters, random weights) keep this
fast; the builders take ``dtype=`` so Keras's global floatx is left alone.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from nnbook.data import make_text_data
from nnbook.explain import (
    TOKEN_METHODS,
    recurrent_states,
    token_attribution,
    token_output,
)
from nnbook.models import build_text_bag, build_text_rnn

SEQ_LEN, VOCAB = 16, 40


@pytest.fixture(scope="module")
def tiny_data():
    return make_text_data(n_samples=240, seq_len=SEQ_LEN, vocab_size=VOCAB, min_len=10)


def _tiny(builder, seed, **kw):
    """A float64 model with random weights large enough to give clear signals.

    Training is not needed for these tests (they check shapes, axioms and
    closed forms), and skipping ``fit`` saves its tracing time.
    """
    model = builder(VOCAB, SEQ_LEN, embed_dim=4, dtype="float64", **kw)
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0.0, 0.7, size=w.shape) for w in model.get_weights()])
    return model


@pytest.fixture(scope="module")
def tiny_models():
    """A GRU, an LSTM and a bag of embeddings, float64, random weights."""
    return {
        "gru": _tiny(build_text_rnn, 0, units=4),
        "lstm": _tiny(build_text_rnn, 1, units=4, cell="lstm"),
        "bag": _tiny(build_text_bag, 2),
    }


@pytest.fixture(scope="module")
def X(tiny_data):
    return tiny_data.X_test[:12]


# ----------------------------------------------------------------- models --


def test_builders_make_named_float64_models(tiny_models):
    for name, model in tiny_models.items():
        names = [lay.name for lay in model.layers]
        middle = "pool" if name == "bag" else "rnn"
        assert names == ["tokens", "embedding", middle, "logit", "probability"]
        assert model.get_layer("embedding").mask_zero
        assert model.get_layer("logit").compute_dtype == "float64"
        assert model.output.shape[1:] == (1,)
        assert model.loss == "binary_crossentropy"
    assert type(tiny_models["lstm"].get_layer("rnn")).__name__ == "LSTM"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"cell": "rnn"}, "cell"),
        ({"units": 0}, "units"),
        ({"lr": 0.0}, "lr"),
        ({"dtype": "int8"}, "dtype"),
        ({"embed_dim": 0}, "embed_dim"),
    ],
)
def test_builder_errors(kwargs, name):
    with pytest.raises(ValueError, match=name):
        build_text_rnn(VOCAB, SEQ_LEN, **kwargs)


def test_builder_type_errors():
    with pytest.raises(TypeError, match="vocab_size"):
        build_text_bag(1.5, SEQ_LEN)
    with pytest.raises(TypeError, match="seq_len"):
        build_text_rnn(VOCAB, "40")


@pytest.mark.parametrize("name", ["gru", "bag"])
def test_padding_in_the_middle_is_deletion(tiny_models, X, name):
    """A masked model reads a sentence with a token set to 0 as if deleted."""
    model = tiny_models[name]
    row = X[0].copy()
    n = int((row != 0).sum())
    holed = row.copy()
    holed[3] = 0
    deleted = np.zeros_like(row)
    deleted[: n - 1] = np.delete(row[:n], 3)
    out = model.predict(np.stack([holed, deleted]), verbose=0)
    assert abs(out[0, 0] - out[1, 0]) < 1e-12


# ----------------------------------------------------- token_attribution --


@pytest.mark.parametrize("method", TOKEN_METHODS)
@pytest.mark.parametrize("name", ["gru", "lstm", "bag"])
def test_shape_dtype_padding_and_determinism(tiny_models, X, method, name):
    model = tiny_models[name]
    a = token_attribution(model, X, method=method)
    assert a.shape == X.shape and a.dtype == np.float64
    assert np.all(a[X == 0] == 0.0), "padding must get exactly zero"
    assert np.any(a[X != 0] != 0.0)
    b = token_attribution(model, X, method=method, seed=3)
    assert np.array_equal(a, b)
    if method == "saliency":
        assert np.all(a >= 0)


@pytest.mark.parametrize("name", ["gru", "lstm"])
@pytest.mark.parametrize("output", ["logit", "probability"])
def test_ig_completeness(tiny_models, tiny_data, X, name, output):
    """sum(IG) = F(x) - F(baseline), checked against token_output."""
    model = tiny_models[name]
    base_id = tiny_data.vocab.index("the")
    X_base = np.where(X != 0, base_id, 0)  # the baseline sentence
    attr, delta = token_attribution(
        model, X, baseline=base_id, output=output, n_steps=64, return_delta=True
    )
    change = token_output(model, X, output=output) - token_output(
        model, X_base, output=output
    )
    assert np.allclose(attr.sum(axis=1) - change, delta, atol=1e-12)
    assert np.max(np.abs(delta)) < 1e-3 * max(1.0, np.max(np.abs(change)))
    # the gap shrinks with the number of steps (midpoint rule)
    _, coarse = token_attribution(
        model, X, baseline=base_id, output=output, n_steps=2, return_delta=True
    )
    assert np.max(np.abs(delta)) < np.max(np.abs(coarse))


def test_bag_matches_its_closed_form(tiny_models, X):
    """A bag's logit is w . mean(e_t) + b: every method has a closed form."""
    model = tiny_models["bag"]
    table = model.get_layer("embedding").get_weights()[0]
    w, b = model.get_layer("logit").get_weights()
    w = w[:, 0]
    real = X != 0
    L = real.sum(axis=1, keepdims=True)
    share = np.where(real, table[X] @ w, 0.0) / L  # each token's part of the logit
    for method in ("integrated_gradients", "gradient_x_input"):
        assert np.allclose(token_attribution(model, X, method=method), share)
    sal = token_attribution(model, X, method="saliency")
    assert np.allclose(sal, np.where(real, np.linalg.norm(w) / L, 0.0))
    # occlusion: logit(x) - logit(x without t), the mean over one token fewer
    total = (table[X] @ w * real).sum(axis=1, keepdims=True)
    logit = total / L + b
    without = (total - table[X] @ w) / np.maximum(L - 1, 1) + b
    occ = token_attribution(model, X, method="occlusion")
    assert np.allclose(occ, np.where(real, logit - without, 0.0))


def test_occlusion_removes_or_replaces(tiny_models, tiny_data, X):
    model = tiny_models["gru"]
    f = token_output(model, X)
    occ = token_attribution(model, X, method="occlusion")
    row = X[1]
    n = int((row != 0).sum())
    shorter = np.zeros_like(row)
    shorter[: n - 1] = np.delete(row[:n], 2)
    assert np.isclose(occ[1, 2], f[1] - token_output(model, shorter[None])[0])
    the = tiny_data.vocab.index("the")
    rep = token_attribution(model, X, method="occlusion", baseline=the)
    swapped = row.copy()
    swapped[2] = the
    assert np.isclose(rep[1, 2], f[1] - token_output(model, swapped[None])[0])


def test_gradient_methods_match_a_gradient_tape(tiny_models, X):
    """IG with one step is the gradient at e/2, times e: checked with a tape."""
    import keras
    import tensorflow as tf

    model = tiny_models["gru"]
    emb = model.get_layer("embedding")
    E = tf.constant(emb.get_weights()[0][X])
    mask = tf.constant(X != 0)
    rnn, logit = model.get_layer("rnn"), model.get_layer("logit")
    for scale, method, kw in (
        (1.0, "gradient_x_input", {}),
        (0.5, "integrated_gradients", {"n_steps": 1}),
    ):
        e = E * scale
        with tf.GradientTape() as tape:
            tape.watch(e)
            z = logit(rnn(e, mask=mask))[:, 0]
        g = tape.gradient(z, e).numpy()
        expected = np.where(X != 0, (E.numpy() * g).sum(axis=2), 0.0)
        assert np.allclose(token_attribution(model, X, method=method, **kw), expected)
    assert isinstance(model, keras.Model)


def test_logit_is_the_score_before_the_sigmoid(tiny_models, X):
    model = tiny_models["gru"]
    z = token_output(model, X)
    p = token_output(model, X, output="probability")
    assert np.allclose(1 / (1 + np.exp(-z)), p)
    assert np.allclose(p, model.predict(X, verbose=0)[:, 0])


def test_model_is_not_kept_alive(tiny_data):
    model = build_text_bag(VOCAB, SEQ_LEN, embed_dim=2, dtype="float64")
    token_attribution(model, tiny_data.X_test[:3])
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


# ---------------------------------------------------------- bad input ----


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (lambda X: X.astype(np.float64), TypeError, "X must hold integer"),
        (lambda X: X.astype(bool), TypeError, "X must hold integer"),
        (lambda X: np.where(X == 0, VOCAB, X), ValueError, "vocabulary"),
        (lambda X: X - 1, ValueError, "negative"),
        (lambda X: X[:, :-1], ValueError, f"{SEQ_LEN} tokens"),
        (lambda X: X[0], ValueError, "2-D"),
        (lambda X: X[:0], ValueError, "at least one"),
    ],
)
def test_bad_token_ids(tiny_models, X, bad, error, match):
    with pytest.raises(error, match=match):
        token_attribution(tiny_models["gru"], bad(X))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"method": "lime"}, ValueError, "method must be one of"),
        ({"output": "prob"}, ValueError, "output must be one of"),
        ({"n_steps": 0}, ValueError, "n_steps"),
        ({"seed": -1}, ValueError, "seed"),
        ({"target": 1}, ValueError, "target"),
        ({"target": 0.5}, TypeError, "target"),
        ({"baseline": 0.5}, TypeError, "baseline"),
        ({"baseline": VOCAB}, ValueError, "baseline"),
        ({"baseline": np.zeros((2, 3), int)}, ValueError, "baseline"),
        ({"method": "occlusion", "return_delta": True}, ValueError, "return_delta"),
    ],
)
def test_bad_options(tiny_models, X, kwargs, error, match):
    with pytest.raises(error, match=match):
        token_attribution(tiny_models["gru"], X, **kwargs)


def test_not_a_text_model(X):
    import keras

    dense = keras.Sequential([keras.Input((SEQ_LEN,)), keras.layers.Dense(1)])
    with pytest.raises(TypeError, match="Embedding"):
        token_attribution(dense, X)
    branched_in = keras.Input((SEQ_LEN,), dtype="int32")
    e = keras.layers.Embedding(VOCAB, 3)(branched_in)
    a = keras.layers.GlobalAveragePooling1D()(e)
    b = keras.layers.GlobalMaxPooling1D()(e)
    out = keras.layers.Dense(1)(keras.layers.Concatenate()([a, b]))
    with pytest.raises(TypeError, match="chain"):
        token_attribution(keras.Model(branched_in, out), X)


# ------------------------------------------------------ recurrent_states --


@pytest.mark.parametrize("name", ["gru", "lstm"])
def test_recurrent_states_end_in_the_layers_output(tiny_models, X, name):
    import keras

    model = tiny_models[name]
    states = recurrent_states(model, X)
    assert states.shape == (X.shape[0], SEQ_LEN, 4) and states.dtype == np.float64
    last = keras.Model(model.inputs[0], model.get_layer("rnn").output)
    final = last.predict(X, verbose=0)
    n = (X != 0).sum(axis=1)
    assert np.allclose(states[np.arange(len(X)), n - 1], final, atol=1e-12)
    # over padding the state is carried unchanged
    assert np.allclose(states[:, -1], final, atol=1e-12)


def test_recurrent_states_needs_a_recurrent_layer(tiny_models, X):
    with pytest.raises(TypeError, match="recurrent"):
        recurrent_states(tiny_models["gru"], X, layer="logit")
    with pytest.raises(ValueError, match="layer"):
        recurrent_states(tiny_models["gru"], X, layer="nope")
