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

__all__ = [
    "count_macs",
    "FitScore",
    "fit_score",
    "binary_metrics",
    "PairedComparison",
    "compare_paired",
]


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


@dataclass(frozen=True)
class PairedComparison:
    """The book's one rule for "better": a paired difference beyond 2 SE.

    Attributes:
        verdict: ``"better"``, ``"worse"`` or ``"tie"``: how ``a`` compares
            with ``b``, in the direction where higher (or lower) is better.
        mean_difference: Mean of ``a - b`` over the pairs.
        standard_error: Standard error of that mean, ``sd / sqrt(n)``
            (``ddof=1``).
        n_pairs: The number of pairs (seeds, images, samples).
    """

    verdict: str
    mean_difference: float
    standard_error: float
    n_pairs: int

    def text(self, digits: int = 3) -> str:
        """The difference with its standard error, e.g. ``'+0.012 +- 0.004'``."""
        return f"{self.mean_difference:+.{digits}f} ± {self.standard_error:.{digits}f}"


def compare_paired(
    a: Any, b: Any, *, higher_is_better: bool = True, n_se: float = 2.0
) -> PairedComparison:
    """Compare two methods (or models) scored on the same units, pair by pair.

    ``a`` is better than ``b`` only if the mean of the paired differences
    ``a - b`` lies beyond ``n_se`` standard errors of zero, in the good
    direction; worse if beyond in the other; otherwise the two tie. Pairing
    (the same seeds, images or samples for both) removes what the units
    share, so a consistent small gain counts, and a large but erratic one
    does not. With ``n_se = 2`` this is, for a handful of pairs, roughly a
    two-sided paired t-test at the 5-10 % level (Student 1908); a tie means
    "not shown to differ", never "shown equal".

    Args:
        a: Scores of the first method, shape ``(n_pairs,)``, finite.
        b: Scores of the second method on the same units, same shape.
        higher_is_better: ``True`` for accuracy, AUC, precision@k, insertion
            area; ``False`` for loss, deletion area.
        n_se: How many standard errors the mean difference must clear, > 0.

    Returns:
        PairedComparison: the verdict, the mean difference and its standard
        error.

    Raises:
        ValueError: If the shapes differ, there are fewer than 2 pairs, or a
            value is not finite.
        TypeError: If a value is not a real number.
    """
    n_se = check_real(n_se, "n_se", low=0.0, low_open=True)
    arrays = []
    for name, v in (("a", a), ("b", b)):
        arr = np.asarray(v)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
        if arr.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D (one score per pair), got shape {arr.shape}"
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite")
        arrays.append(arr)
    a_arr, b_arr = arrays
    if a_arr.shape != b_arr.shape:
        raise ValueError(
            f"a and b must score the same units: shapes {a_arr.shape} and {b_arr.shape}"
        )
    n = a_arr.shape[0]
    if n < 2:
        raise ValueError(f"a and b need at least 2 pairs, got {n}")
    diff = a_arr - b_arr
    mean = float(diff.mean())
    se = float(diff.std(ddof=1) / np.sqrt(n))
    gain = mean if higher_is_better else -mean
    if gain > n_se * se and gain > 0:
        verdict = "better"
    elif gain < -n_se * se and gain < 0:
        verdict = "worse"
    else:
        verdict = "tie"
    return PairedComparison(verdict, mean, se, n)
