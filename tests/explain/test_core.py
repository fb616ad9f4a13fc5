"""nnbook.explain._core: layers resolved one way, a cache that lets models go."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import nnbook.explain as E
from nnbook.explain import _core


def test_layer_by_name_index_or_object(trained_seed_model, seed_data):
    model = trained_seed_model
    X = seed_data.X_test[:5]
    hidden = model.get_layer("hidden")
    by = [
        E.hidden_activations(model, X, layer=ref) for ref in ("hidden", 0, -2, hidden)
    ]
    for other in by[1:]:
        np.testing.assert_array_equal(by[0], other)
    W, b = hidden.get_weights()
    np.testing.assert_allclose(by[0], np.maximum(X @ W + b, 0), rtol=1e-4, atol=1e-5)


def test_unknown_layer_lists_the_valid_ones(trained_seed_model, tiny_cnn):
    model = trained_seed_model
    with pytest.raises(
        ValueError, match=r"layer must be one of \['hidden', 'output'\]"
    ):
        E.hidden_activations(model, np.zeros((2, 20)), layer="hiden")
    with pytest.raises(ValueError, match="layer index"):
        E.hidden_activations(model, np.zeros((2, 20)), layer=5)
    with pytest.raises(ValueError, match="not a layer of this model"):
        E.hidden_activations(model, np.zeros((2, 20)), layer=tiny_cnn.layers[1])
    with pytest.raises(TypeError, match="layer must be a layer name, index"):
        E.hidden_activations(model, np.zeros((2, 20)), layer=2.5)


def test_logit_needs_a_squashing_head_it_knows(seed_data):
    import keras

    inputs = keras.Input((20,))
    out = keras.layers.Dense(1, activation="tanh")(inputs)
    model = keras.Model(inputs, out)
    X = seed_data.X_test[:2]
    with pytest.raises(ValueError, match="output='logit' needs a final Softmax"):
        E.gradient_saliency(model, X)
    assert E.gradient_saliency(model, X, output="probability").shape == X.shape


def test_the_cache_does_not_keep_a_model_alive(seed_data):
    from nnbook.models import build_seed_mlp

    model = build_seed_mlp(compile=False)
    E.integrated_gradients(model, seed_data.X_test[:3], n_steps=4)
    E.hidden_activations(model, seed_data.X_test[:3])
    ref = weakref.ref(model)
    key = id(model)
    assert key in _core._CACHE
    del model
    gc.collect()
    assert ref() is None
    assert key not in _core._CACHE


def test_the_cache_is_bounded(seed_data):
    from nnbook.models import build_seed_mlp

    models = [build_seed_mlp(compile=False) for _ in range(_core.MAX_MODELS + 3)]
    for model in models:
        E.gradient_saliency(model, seed_data.X_test[:2])
    assert len(_core._CACHE) <= _core.MAX_MODELS
    # a model dropped from the cache is explained again, correctly
    first = E.gradient_saliency(models[0], seed_data.X_test[:2])
    assert first.shape == (2, 20)


def test_image_shape_is_checked(tiny_cnn):
    with pytest.raises(ValueError, match=r"X must have 4 dimensions of shape"):
        E.smoothgrad(tiny_cnn, np.zeros((2, 8, 8, 3)))
    with pytest.raises(ValueError, match=r"single image.*X\[None\]"):
        E.smoothgrad(tiny_cnn, np.zeros((8, 8, 1)))
