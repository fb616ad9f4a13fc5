"""Measure a trained classifier: cost, accuracy and the metrics of a threshold.

- :func:`count_macs`: multiply-adds per example, a deterministic measure of
  cost; :func:`fit_score`: train, time and score any Keras classifier.
- :func:`binary_metrics`: confusion matrix, accuracy, precision, recall and
  F1 at one decision threshold, through ``sklearn.metrics``.

Used by the FAQ chapter to choose and evaluate models.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int, check_labels, check_real
from .fit import model_dtype

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["count_macs", "FitScore", "fit_score", "binary_metrics"]


def count_macs(model: keras.Model) -> int:
    """Multiply-adds one example costs in the forward pass.

    Counts ``Dense`` (inputs x units) and ``Conv2D`` (output pixels x kernel
    area x input channels x filters) layers; pooling, activations, dropout and
    reshapes are free here. Unlike a wall-clock time, this number is the same
    on every machine.

    Args:
        model: A built Keras model.

    Returns:
        int: The number of multiply-adds per example.
    """
    import keras

    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            total += int(layer.kernel.shape[0]) * int(layer.kernel.shape[1])
        elif isinstance(layer, keras.layers.Conv2D):
            kh, kw, cin, cout = (int(s) for s in layer.kernel.shape)
            oh, ow = (int(s) for s in layer.output.shape[1:3])
            total += oh * ow * kh * kw * cin * cout
    return total


@dataclass(frozen=True)
class FitScore:
    """What :func:`fit_score` measured.

    Attributes:
        n_params: Trainable and non-trainable parameters.
        macs: Multiply-adds per example (:func:`count_macs`).
        accuracy: Test accuracy in ``[0, 1]``.
        seconds: Wall-clock training time (varies from run to run).
        y_score: Test-set probabilities: ``(n,)`` of class 1 for a binary
            model, ``(n, n_classes)`` otherwise.
    """

    n_params: int
    macs: int
    accuracy: float
    seconds: float
    y_score: np.ndarray


def fit_score(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    epochs: int = 10,
    batch_size: int = 32,
) -> FitScore:
    """Train a compiled Keras classifier quietly, time it, and score it.

    Works for any input shape (flat features or images), unlike
    :func:`nnbook.training.train`, which checks the article's flat input.

    Args:
        model: A compiled Keras classifier with an accuracy metric.
        X_train: float array ``(n_train, ...)`` matching the model's input.
        y_train: int labels ``(n_train,)``.
        X_test: float array ``(n_test, ...)``.
        y_test: int labels ``(n_test,)``.
        epochs: Passes over the training data, at least 1.
        batch_size: Mini-batch size, at least 1.

    Returns:
        FitScore: Parameters, multiply-adds, test accuracy, seconds and the
        test-set probabilities.

    Raises:
        ValueError: If the numbers of samples and labels disagree.
    """
    epochs = check_int(epochs, "epochs", low=1, high=100_000, why="run time")
    batch_size = check_int(batch_size, "batch_size", low=1)
    dtype = model_dtype(model)
    X_train, X_test = np.asarray(X_train, dtype), np.asarray(X_test, dtype)
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    if len(X_train) != len(y_train) or len(X_test) != len(y_test):
        raise ValueError(
            f"X and y must have as many samples: X_train {X_train.shape}, "
            f"y_train {y_train.shape}, X_test {X_test.shape}, y_test {y_test.shape}"
        )
    start = time.perf_counter()
    model.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - start
    # A direct call, not model.predict: predict traces a new tf.function per
    # model, and after a few models TF warns about retracing on stderr.
    proba = np.asarray(model(X_test, training=False))
    if proba.shape[1] == 1:
        y_score = proba[:, 0]
        y_pred = (y_score >= 0.5).astype(int)
    else:
        y_score = proba
        y_pred = proba.argmax(axis=1)
    return FitScore(
        n_params=int(model.count_params()),
        macs=count_macs(model),
        accuracy=float(np.mean(y_pred == y_test)),
        seconds=seconds,
        y_score=y_score,
    )


def binary_metrics(y_true: Any, y_score: Any, threshold: float = 0.5) -> dict:
    """Confusion matrix and the four usual metrics at one decision threshold.

    A sample is predicted positive when ``y_score >= threshold``, the same
    rule ``sklearn.metrics.roc_curve`` uses. Precision (and so F1) is ``0``
    when nothing is predicted positive (``zero_division=0``).

    Args:
        y_true: int labels 0 and 1, shape ``(n,)``.
        y_score: float scores (probabilities of class 1), shape ``(n,)``.
        threshold: The decision threshold.

    Returns:
        dict: ``confusion`` (int ``(2, 2)``, rows true class, columns
        predicted: ``[[TN, FP], [FN, TP]]``), ``y_pred`` (int ``(n,)``),
        and the floats ``accuracy``, ``precision``, ``recall``, ``f1``.

    Raises:
        ValueError: If the shapes disagree or labels are not 0 and 1.
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_score,
        recall_score,
    )

    y_score = np.asarray(y_score, dtype=float)
    if y_score.ndim != 1:
        raise ValueError(f"y_score must be 1-D (n,), got shape {y_score.shape}")
    y_true = check_labels(y_true, y_score.shape[0], "y_true").astype(int)
    threshold = check_real(threshold, "threshold")
    y_pred = (y_score >= threshold).astype(int)
    return {
        "confusion": confusion_matrix(y_true, y_pred, labels=[0, 1]),
        "y_pred": y_pred,
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
    }
