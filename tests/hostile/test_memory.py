"""Every cache is bounded and lets models go (weak references; no timing).

- the explanation cache (``nnbook.explain._core``): explaining and deleting
  models leaves none alive, and at most ``MAX_MODELS`` entries;
- ``activation_maximization``: one compiled function per model, traced
  once, reused by every call, and gone with the model;
- ``label_randomization``: no call leaves its retrained copy alive;
- the explorer's run cache (``SweepTrainer``): bounded by bytes.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np

import nnbook.explain as E
from nnbook.explain import _core

N = 10


def _models_alive() -> int:
    import keras

    gc.collect()
    return sum(isinstance(o, keras.Model) for o in gc.get_objects())


def _mlp():
    from .conftest import _mlp

    return _mlp("float64")


def test_explain_cache_lets_models_go():
    X = np.ones((2, 4))
    refs = []
    for _ in range(N):
        model = _mlp()
        E.integrated_gradients(model, X, n_steps=4)
        E.gradient_saliency(model, X)
        refs.append(weakref.ref(model))
        del model
    gc.collect()
    assert all(r() is None for r in refs)
    assert len(_core._CACHE) <= _core.MAX_MODELS


def test_explain_cache_is_bounded_while_models_live():
    X = np.ones((2, 4))
    models = [_mlp() for _ in range(_core.MAX_MODELS + 3)]
    for model in models:
        E.gradient_saliency(model, X)
    assert len(_core._CACHE) <= _core.MAX_MODELS
    # An evicted model is explained again correctly (its entry is rebuilt).
    np.testing.assert_allclose(
        E.gradient_saliency(models[0], X), E.gradient_saliency(models[0], X)
    )


def test_activation_maximization_compiles_once_per_model(small_cnn):
    for _ in range(N):
        E.activation_maximization(small_cnn, n_steps=2)
    fns = _core._fns(small_cnn)
    run = fns["activation_maximization"]
    assert run.experimental_get_tracing_count() == 1
    # A different target count, X, lr or l2 reuses the same trace.
    E.activation_maximization(small_cnn, target=1, n_steps=3, lr=0.1, l2=0.0)
    E.activation_maximization(small_cnn, np.full((2, 6, 6, 1), 0.5), n_steps=1)
    assert run.experimental_get_tracing_count() == 1


def test_activation_maximization_lets_the_model_go():
    import keras

    inputs = keras.Input((6, 6, 1))
    x = keras.layers.Conv2D(2, 3, activation="relu")(inputs)
    x = keras.layers.Flatten()(x)
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))
    E.activation_maximization(model, n_steps=2)
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def test_label_randomization_keeps_no_copy(mlp64):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 4))
    y = (X[:, 0] > 0).astype(int)
    kw = {"method": E.gradient_saliency, "epochs": 1}
    E.label_randomization(mlp64, X, y, X[:2], **kw)
    before = _models_alive()
    for seed in range(3):
        E.label_randomization(mlp64, X, y, X[:2], seed=seed, **kw)
    assert _models_alive() <= before
    assert len(_core._CACHE) <= _core.MAX_MODELS


def test_sweep_run_cache_is_bounded_by_bytes():
    from nnbook.training import SweepTrainer

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    trainer = SweepTrainer(X, y, cache_bytes=60_000)
    for units in (1, 8, 16, 32, 64):
        trainer.run(hidden_units=units, epochs=20)
    assert trainer.cached_bytes <= 60_000
