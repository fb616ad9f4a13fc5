"""The probe's findings, one case each: a clear error naming the argument.

Each row is a call a hostile but realistic user makes; the error must be a
``ValueError`` or ``TypeError`` whose message contains the given words.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E


def _two_outputs():
    import keras

    inputs = keras.Input((4,))
    return keras.Model(
        inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)]
    )


def _no_bias():
    import keras

    from .conftest import floatx

    with floatx("float64"):
        inputs = keras.Input((4,))
        h = keras.layers.Dense(3, activation="relu", use_bias=False)(inputs)
        out = keras.layers.Dense(1, activation="sigmoid", use_bias=False)(h)
        return keras.Model(inputs, out)


X4 = np.random.default_rng(0).normal(size=(5, 4))


def cases(mlp64, mlp3, small_cnn):
    from nnbook.data import make_seed_data
    from nnbook.models import build_digits_cnn
    from nnbook.plots import (
        grid_axes,
        plot_activation_distributions,
        plot_history,
        plot_image_grid,
        plot_sample_attribution,
    )
    from nnbook.widgets import LossSurfaceExplorer

    img = np.zeros((2, 6, 6, 1))
    return {
        "two outputs": (lambda: E.gradient_saliency(_two_outputs(), X4), "model"),
        "image model, tabular X": (lambda: E.occlusion(small_cnn, X4), "X"),
        "plane, 1 feature": (lambda: E.feature_plane(X4[:, :1]), "X"),
        "plane, 1 row": (lambda: E.feature_plane(X4[:1]), "X"),
        "plane, too few names": (
            lambda: E.feature_plane(X4, feature_names=["a", "b"]),
            "feature_names",
        ),
        "plane, huge resolution": (
            lambda: E.feature_plane(X4, resolution=10**6),
            "resolution",
        ),
        "feature maps, layers=[]": (
            lambda: E.conv_feature_maps(small_cnn, img, layers=[]),
            "layers",
        ),
        "feature maps, layers='conv1'": (
            lambda: E.conv_feature_maps(small_cnn, img, layers="conv1"),
            "['conv1']",
        ),
        "feature maps, no conv": (
            lambda: E.conv_layer_names(mlp64) or E.conv_feature_maps(mlp64, X4),
            "model",
        ),
        "grid_axes(0)": (lambda: grid_axes(0), "n"),
        "grid_axes, axes of wrong type": (lambda: grid_axes(2, axes=[1, 2]), "axes"),
        "distributions, axes of wrong type": (
            lambda: plot_activation_distributions(
                np.ones((4, 2)), [0, 1, 0, 1], axes=["a", "b"]
            ),
            "axes",
        ),
        "image grid, empty": (lambda: plot_image_grid(np.zeros((0, 8, 8))), "images"),
        "image grid, 10,000": (
            lambda: plot_image_grid(np.zeros((10_000, 2, 2))),
            "images",
        ),
        "distributions, no unit": (
            lambda: plot_activation_distributions(np.zeros((4, 0)), [0, 1, 0, 1]),
            "activations",
        ),
        "sample attribution, NaN": (
            lambda: plot_sample_attribution([0.1, np.nan, 0.3]),
            "attribution",
        ),
        "history, unequal lengths": (
            lambda: plot_history({"loss": [1, 2, 3], "val_loss": [1, 2]}),
            "val_loss",
        ),
        "history, a list": (lambda: plot_history([1, 2, 3]), "history"),
        "plotter, ax of wrong type": (
            lambda: plot_sample_attribution([0.1, 0.2], ax=[1, 2]),
            "ax",
        ),
        "loss surface, NaN x": (
            lambda: LossSurfaceExplorer(np.array([1.0, np.nan, 2.0]), np.ones(3)),
            "x",
        ),
        "loss surface, one point": (
            lambda: LossSurfaceExplorer(np.array([1.0]), np.array([2.0])),
            "x",
        ),
        "digits CNN, filters=16": (lambda: build_digits_cnn(filters=16), "filters"),
        "activation maximization, value_range=(0,)": (
            lambda: E.activation_maximization(small_cnn, value_range=(0,)),
            "value_range",
        ),
        "activation maximization, n_steps=10**9": (
            lambda: E.activation_maximization(small_cnn, n_steps=10**9),
            "n_steps",
        ),
        "IG, n_steps=10**9": (
            lambda: E.integrated_gradients(mlp64, X4, n_steps=10**9),
            "n_steps",
        ),
        "uncompiled model to label_randomization": (
            lambda: E.label_randomization(
                _no_bias(), X4, [0, 1, 0, 1, 0], X4, method=E.gradient_saliency
            ),
            "compiled",
        ),
        "label_randomization, epochs=10**6": (
            lambda: E.label_randomization(
                mlp64,
                X4,
                [0, 1, 0, 1, 0],
                X4,
                method=E.gradient_saliency,
                epochs=10**6,
            ),
            "epochs",
        ),
        "make_seed_data, bad counts": (
            lambda: make_seed_data(n_features=3, n_informative=5),
            "n_features",
        ),
        "make_seed_data, unknown keyword": (
            lambda: make_seed_data(n_feature=3),
            "n_feature",
        ),
        "make_seed_data, huge": (
            lambda: make_seed_data(n_samples=10**9),
            "n_samples",
        ),
        "ground truth, misspelled role": (
            lambda: E.ground_truth_score(
                [0.3, 0.1, 0.2, 0.0], ["informative", "noise", "redundnt", "noise"]
            ),
            "redundnt",
        ),
        "rank correlation, 1-D": (
            lambda: E.rank_correlation(np.arange(20.0), np.arange(20.0)),
            "a[None]",
        ),
        "partial dependence, 3 classes, no target": (
            lambda: E.partial_dependence(mlp3, X4, 0),
            "target",
        ),
        "occlusion, stride > window": (
            lambda: E.occlusion(small_cnn, img, window=2, stride=3),
            "stride",
        ),
        "float32 model, 1e39": (
            lambda: E.gradient_saliency(_float32(), np.full((1, 4), 1e39)),
            "X",
        ),
        "train a float32 model on 1e39": (
            lambda: _train(_float32(), np.full((4, 4), 1e39), [0, 1, 0, 1]),
            "X",
        ),
        "train with labels {1, 2}": (
            lambda: _train(mlp64, X4[:4], [1, 2, 1, 2]),
            "(y == 2)",
        ),
        "complex X": (lambda: E.gradient_saliency(mlp64, X4 + 1j), "X"),
        "masked X": (
            lambda: E.gradient_saliency(mlp64, np.ma.masked_less(X4, 0)),
            "X",
        ),
    }


def _train(model, X, y):
    from nnbook.training import train

    return train(model, X, y, epochs=1)


def _float32():
    from .conftest import _mlp

    return _mlp("float32")


NAMES = list(cases(None, None, None))


@pytest.mark.parametrize("name", NAMES)
def test_clear_error(name, mlp64, mlp3, small_cnn):
    import matplotlib.pyplot as plt

    call, words = cases(mlp64, mlp3, small_cnn)[name]
    try:
        with pytest.raises((ValueError, TypeError)) as info:
            call()
    finally:
        plt.close("all")
    assert words in str(info.value), str(info.value)


def test_exact_ig_without_bias():
    """``Dense(use_bias=False)``: the exact IG works (zero bias) and is complete."""
    model = _no_bias()
    X = np.abs(X4[:2]) + 0.1
    attr = E.integrated_gradients(model, X, method="exact")
    assert attr.shape == X.shape and np.all(np.isfinite(attr))
    f = E.model_output(model, X, output="logit")
    f0 = E.model_output(model, np.zeros_like(X), output="logit")
    np.testing.assert_allclose(attr.sum(axis=1), f - f0, atol=1e-8)


def test_partial_dependence_multiclass_target(mlp3):
    grid, values = E.partial_dependence(mlp3, X4, 0, target=2, grid_resolution=5)
    assert grid.shape == (5,) and values.shape == (5,)
    assert np.all((values >= 0) & (values <= 1))
