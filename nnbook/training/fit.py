"""Seed, fit and evaluate a Keras model: reproducible, quiet, and checked.

Data are cast to the model's own dtype (:func:`model_dtype`), so a float64
model (``keras.config.set_floatx("float64")`` before building it) trains and
evaluates in float64.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import (
    FLOAT32_MAX,
    check_int,
    check_labels,
    check_matrix,
    check_real,
)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["set_seed", "train", "evaluate", "n_inputs", "model_dtype"]


def set_seed(seed: int = 42) -> None:
    """Seed Python, NumPy and TensorFlow/Keras in one call.

    Wraps ``keras.utils.set_random_seed``. On one machine, a seeded run of the
    article's program is bit-identical from run to run; other CPUs may differ
    in the last bits, which is why the book prints rounded numbers.

    Args:
        seed: A non-negative integer.
    """
    seed = check_int(seed, "seed", low=0)
    import keras

    keras.utils.set_random_seed(seed)


def n_inputs(model: keras.Model) -> int:
    """The number of input features a single-input Keras model expects."""
    try:
        shape = model.inputs[0].shape
    except (AttributeError, IndexError, TypeError, ValueError) as exc:
        raise TypeError(
            "model must be a built Keras model with one input, "
            f"got {type(model).__name__}"
        ) from exc
    return int(shape[-1])


def model_dtype(model: keras.Model) -> str:
    """The dtype a Keras model computes in (``"float32"`` or ``"float64"``).

    It is the model's ``compute_dtype``, fixed by ``keras.config.floatx()``
    when the model was built, unless a dtype policy says otherwise.
    """
    dtype = getattr(model, "compute_dtype", None)
    if not isinstance(dtype, str):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    return dtype


def train(
    model: keras.Model,
    X: Any,
    y: Any,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    validation_split: float = 0.2,
    validation_data: tuple[Any, Any] | None = None,
    callbacks: list[Any] | None = None,
    seed: int | None = None,
) -> dict[str, list[float]]:
    """Fit a compiled model quietly and return its history.

    The defaults are the article's: 10 epochs, batch 32, and the last 20 % of
    the training data held out for validation.

    Args:
        model: A compiled Keras model with one input.
        X: float array of shape ``(n_samples, n_features)``.
        y: int array of shape ``(n_samples,)`` with labels 0 and 1.
        epochs: Number of passes over the training data, at least 1.
        batch_size: Mini-batch size, at least 1.
        validation_split: Fraction of ``X`` held out for validation, in
            ``[0, 1)``; ignored when ``validation_data`` is given.
        validation_data: Optional ``(X_val, y_val)``.
        callbacks: Optional Keras callbacks, such as ``EarlyStopping``.
        seed: If given, :func:`set_seed` is called first.

    Returns:
        dict: ``{"loss": [...], "accuracy": [...], "val_loss": [...], ...}``,
        one float per epoch run.

    Raises:
        ValueError: If ``X`` does not match the model's input width, the
            shapes of ``X`` and ``y`` disagree, or a count is below 1.
    """
    dtype = model_dtype(model)
    # float32 models: values beyond float32's range would overflow to inf.
    big = FLOAT32_MAX if np.dtype(dtype).itemsize < 8 else None
    X = check_matrix(X, "X", n_features=n_inputs(model), max_abs=big)
    y = check_labels(y, X.shape[0])
    epochs = check_int(epochs, "epochs", low=1, high=100_000, why="run time")
    batch_size = check_int(batch_size, "batch_size", low=1)
    validation_split = check_real(validation_split, "validation_split", low=0.0)
    if validation_split >= 1:
        raise ValueError(f"validation_split must be < 1, got {validation_split}")
    if validation_data is not None:
        X_val, y_val = validation_data
        X_val = check_matrix(
            X_val, "validation_data[0]", n_features=X.shape[1], max_abs=big
        )
        y_val = check_labels(y_val, X_val.shape[0], "validation_data[1]")
        validation_data = (X_val.astype(dtype), y_val.astype(dtype))
        validation_split = 0.0
    if seed is not None:
        set_seed(seed)
    history = model.fit(
        X.astype(dtype),
        y.astype(dtype),
        epochs=epochs,
        batch_size=batch_size,
        validation_split=validation_split,
        validation_data=validation_data,
        callbacks=callbacks,
        verbose=0,
    )
    return {k: [float(v) for v in vals] for k, vals in history.history.items()}


def evaluate(model: keras.Model, X: Any, y: Any) -> dict[str, float]:
    """Evaluate a compiled model quietly.

    Args:
        model: A compiled Keras model.
        X: float array of shape ``(n_samples, n_features)``.
        y: int array of shape ``(n_samples,)``.

    Returns:
        dict: The model's metrics by name, for example
        ``{"loss": 0.49, "accuracy": 0.8}``.
    """
    X = check_matrix(X, "X", n_features=n_inputs(model))
    y = check_labels(y, X.shape[0])
    dtype = model_dtype(model)
    values = model.evaluate(
        X.astype(dtype), y.astype(dtype), verbose=0, return_dict=True
    )
    return {k: float(np.asarray(v)) for k, v in values.items()}
