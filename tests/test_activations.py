"""nnbook.activations: the one sigmoid, and every activation's derivative."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.activations import (
    ACTIVATIONS,
    activation,
    activation_derivative,
    sigmoid,
    softmax,
)


def test_sigmoid_is_stable_and_keeps_the_dtype():
    assert sigmoid(np.array([-800.0, 0.0, 800.0])).tolist() == [0.0, 0.5, 1.0]
    assert sigmoid(np.zeros(3, np.float32)).dtype == np.float32
    assert sigmoid([1, 2]).dtype == np.float64
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)


def test_softmax_rows_sum_to_one():
    p = softmax(np.array([[0.0, np.log(3.0)], [1000.0, 0.0]]))
    np.testing.assert_allclose(p, [[0.25, 0.75], [1.0, 0.0]])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_derivative_matches_finite_differences(name):
    z = np.linspace(-3, 3, 41) + 0.013  # off the kink at 0
    h = 1e-6
    numeric = (activation(z + h, name) - activation(z - h, name)) / (2 * h)
    np.testing.assert_allclose(activation_derivative(z, name), numeric, atol=1e-7)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_matches_keras(name):
    import keras

    z = np.linspace(-4, 4, 33)
    expected = np.asarray(keras.activations.get(name)(z))
    np.testing.assert_allclose(activation(z, name), expected, rtol=1e-6, atol=1e-7)


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match="activation must be one of"):
        activation(np.zeros(2), "swish")
