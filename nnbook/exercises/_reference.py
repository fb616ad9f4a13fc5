"""Small NumPy helpers for reference answers, duck-typed on the objects given.

:mod:`nnbook.exercises` imports NumPy only (it stands apart from the
package's layers), so the reference answers cannot call ``nnbook.explain``
or TensorFlow. They call the methods of the objects a chapter passes in:
a Keras model's ``predict`` and its layers' ``get_weights``, a fitted
scikit-learn estimator's ``predict_proba`` and ``coef_``. The sigmoid here is
a deliberate one-line parallel of ``nnbook``'s own (a test checks that they
agree).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["sigmoid", "logit", "predict", "dense_weights", "relu_logit_gradient"]


def sigmoid(z: Any) -> np.ndarray:
    """The logistic sigmoid ``1 / (1 + exp(-z))`` in float64, without overflow.

    Args:
        z: Logits, any shape.

    Returns:
        np.ndarray: Probabilities, float64, shaped like ``z``.
    """
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))


def logit(p: Any) -> np.ndarray:
    """The inverse of the sigmoid, ``log(p / (1 - p))``, in float64.

    Args:
        p: Probabilities strictly between 0 and 1, any shape.

    Returns:
        np.ndarray: Logits, float64, shaped like ``p``.
    """
    p = np.asarray(p, dtype=np.float64)
    return np.log(p) - np.log1p(-p)


def _input_dtype(model: Any) -> str:
    weights = getattr(model, "weights", None) or []
    return str(getattr(weights[0], "dtype", "float32")) if weights else "float32"


def predict(model: Any, X: Any) -> np.ndarray:
    """A Keras model's outputs for ``X``, as a float64 array.

    The model is called directly, ``model(X, training=False)``, the same
    numbers as ``model.predict`` without its per-shape tracing, so that a
    check answers within a second.

    Args:
        model: A Keras model (anything callable with ``training=False``
            whose result converts to a NumPy array).
        X: Inputs, cast to the dtype of the model's first weight.

    Returns:
        np.ndarray: float64, shape ``(n, outputs)``.
    """
    X = np.asarray(X, dtype=_input_dtype(model))
    return np.asarray(model(X, training=False), dtype=np.float64)


def dense_weights(model: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``(kernel, bias)`` of every layer that has weights, in float64.

    Args:
        model: A Keras model of dense layers (the article's network).

    Returns:
        list[tuple[np.ndarray, np.ndarray]]: One pair per layer, in order.
    """
    pairs = []
    for layer in model.layers:
        weights = layer.get_weights()
        if weights:
            kernel, bias = weights[:2]
            pairs.append((np.asarray(kernel, np.float64), np.asarray(bias, np.float64)))
    return pairs


def relu_logit_gradient(model: Any, X: Any) -> np.ndarray:
    """The gradient of the logit with respect to the input, for the article's net.

    For ``z = relu(x W + b) v + c``, the gradient is ``W[:, on] @ v[on]``,
    where ``on`` are the hidden units active for ``x``.

    Args:
        model: A ``Dense(h, relu) -> Dense(1, sigmoid)`` Keras model.
        X: Inputs, shape ``(n, d)``.

    Returns:
        np.ndarray: float64, shape ``(n, d)``.
    """
    (W, b), (v, _) = dense_weights(model)
    X = np.asarray(X, dtype=np.float64)
    on = (X @ W + b) > 0
    return (on * v[:, 0]) @ W.T
