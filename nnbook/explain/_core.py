"""Shared machinery of the explanation methods: checks and cached TF functions.

Every method checks its inputs here, so a bad argument raises a clear
``ValueError`` or ``TypeError`` that names it, never a TensorFlow trace.
Gradients come from one ``tf.function`` per model, traced once with a
batch-agnostic input signature, so repeated calls never retrace.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "input_shape",
    "n_outputs",
    "check_inputs",
    "check_target",
    "check_baseline",
    "resolve_layer",
    "forward",
    "gradients",
    "layer_forward",
    "MAX_ROWS",
]

#: Largest number of rows sent to the model in one call (memory cap).
MAX_ROWS = 16384

_FNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def input_shape(model: keras.Model) -> tuple[int, ...]:
    """The shape of one input sample, e.g. ``(20,)`` or ``(8, 8, 1)``.

    Raises:
        TypeError: If ``model`` is not a built Keras model with one input.
    """
    try:
        shape = tuple(model.inputs[0].shape[1:])
        if len(model.inputs) != 1:
            raise ValueError
    except (AttributeError, IndexError, TypeError, ValueError) as exc:
        raise TypeError(
            "model must be a built Keras model with one input, "
            f"got {type(model).__name__}"
        ) from exc
    if any(s is None for s in shape):
        raise TypeError(f"model must have a fixed input shape, got {shape}")
    return tuple(int(s) for s in shape)


def n_outputs(model: keras.Model) -> int:
    """The number of output units (1 for a sigmoid head, 10 for digits)."""
    shape = model.outputs[0].shape[1:]
    return int(np.prod([int(s) for s in shape])) if len(shape) else 1


def check_inputs(model: keras.Model, X: Any, name: str = "X") -> np.ndarray:
    """Return ``X`` as a finite float64 array of shape ``(n, *input_shape)``.

    Raises:
        TypeError: If ``X`` is not numeric.
        ValueError: If its shape does not match the model's input, it is
            empty, or it holds NaN or infinite values.
    """
    shape = input_shape(model)
    try:
        arr = np.asarray(X)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise TypeError(f"{name} must be array-like, got {type(X).__name__}") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if arr.ndim != len(shape) + 1:
        want = "(n_samples, n_features)" if len(shape) == 1 else f"(n, *{shape})"
        raise ValueError(
            f"{name} must have {len(shape) + 1} dimensions {want}, got shape "
            f"{arr.shape}"
        )
    if arr.shape[1:] != shape:
        if len(shape) == 1:
            raise ValueError(
                f"{name} must have {shape[0]} features (columns), got {arr.shape[1]}"
            )
        raise ValueError(
            f"{name} must have shape (n, {', '.join(map(str, shape))}), got {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must have at least one sample, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return arr


def check_target(model: keras.Model, target: Any, X: np.ndarray) -> np.ndarray:
    """Return one output index per sample, shape ``(n,)``, dtype int32.

    ``None`` means the only output of a single-output model, and the
    predicted class of a multi-output (softmax) model. An integer applies to
    every sample; an array gives one index per sample.

    Raises:
        TypeError: If ``target`` is not an integer or an integer array.
        ValueError: If an index is out of range or the length is wrong.
    """
    n = X.shape[0]
    k = n_outputs(model)
    if target is None:
        if k == 1:
            return np.zeros(n, dtype=np.int32)
        return np.argmax(forward(model, X), axis=1).astype(np.int32)
    arr = np.asarray(target)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"target must be an integer class index or an array of them, got "
            f"{arr.dtype if arr.ndim else type(target).__name__}"
        )
    if arr.ndim == 0:
        arr = np.full(n, int(arr))
    elif arr.shape != (n,):
        raise ValueError(
            f"target must be one index or an array of shape ({n},), got {arr.shape}"
        )
    bad = (arr < 0) | (arr >= k)
    if np.any(bad):
        raise ValueError(
            f"target must be a class index in [0, {k}) for this model with {k} "
            f"output(s), got {int(arr[bad][0])}"
        )
    return arr.astype(np.int32)


def check_baseline(baseline: Any, X: np.ndarray, name: str = "baseline") -> np.ndarray:
    """Return a baseline broadcast to ``X.shape``; ``None`` means zeros.

    Accepts a scalar, one sample of shape ``X.shape[1:]``, or one baseline per
    sample with ``X``'s shape.

    Raises:
        ValueError: If the shape fits none of these or values are not finite.
    """
    if baseline is None:
        return np.zeros_like(X)
    arr = np.asarray(baseline)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.shape not in ((), X.shape[1:], X.shape):
        raise ValueError(
            f"{name} must be a scalar or have shape {X.shape[1:]} (one sample) or "
            f"{X.shape} (like X), got {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return np.broadcast_to(arr, X.shape).copy()


def resolve_layer(model: keras.Model, layer: str | int) -> Any:
    """Return the layer named ``layer``, or at index ``layer`` of ``model.layers``.

    Raises:
        ValueError: If no layer has that name (the valid names are listed) or
            the index is out of range.
        TypeError: If ``layer`` is neither a string nor an integer.
    """
    names = [lay.name for lay in model.layers]
    if isinstance(layer, str):
        for lay in model.layers:
            if lay.name == layer:
                return lay
        raise ValueError(f"layer must be one of {names}, got {layer!r}")
    if isinstance(layer, bool) or not isinstance(layer, int | np.integer):
        raise TypeError(
            f"layer must be a layer name or index, got {type(layer).__name__}"
        )
    n = len(names)
    if not -n <= int(layer) < n:
        raise ValueError(
            f"layer index must be in [{-n}, {n}) for layers {names}, got {layer}"
        )
    return model.layers[int(layer)]


def _forward_impl(model, x):
    import tensorflow as tf

    out = model(x, training=False)
    return tf.reshape(out, (tf.shape(out)[0], -1))


def _grad_impl(model, x, t):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x, training=False)
        out = tf.reshape(out, (tf.shape(out)[0], -1))
        f = tf.gather(out, t, axis=1, batch_dims=1)
    return f, tape.gradient(f, x)


def _layer_impl(sub, x):
    return sub(x, training=False)


def _fns(model: keras.Model) -> dict[str, Callable]:
    """The model's cached TF functions (traced once, reused on every call).

    Each function has a batch-agnostic input signature, so it is traced once
    per model. It wraps a ``functools.partial`` bound to the model, so TF
    counts traces per model, not across models: explaining many models (as
    the sanity checks do) is not mistaken for retracing in a loop.
    """
    fns = _FNS.get(model)
    if fns is None:
        import tensorflow as tf

        spec = tf.TensorSpec((None, *input_shape(model)), tf.float32)
        fns = {
            "spec": spec,
            "forward": tf.function(
                functools.partial(_forward_impl, model), input_signature=[spec]
            ),
            "grad": tf.function(
                functools.partial(_grad_impl, model),
                input_signature=[spec, tf.TensorSpec((None,), tf.int32)],
            ),
        }
        _FNS[model] = fns
    return fns


def forward(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """Model outputs, float64 ``(n, n_outputs)``, computed in row chunks."""
    fn = _fns(model)["forward"]
    outs = [
        fn(np.asarray(X[i : i + MAX_ROWS], dtype=np.float32)).numpy()
        for i in range(0, X.shape[0], MAX_ROWS)
    ]
    return np.concatenate(outs).astype(np.float64)


def gradients(
    model: keras.Model, X: np.ndarray, target: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Target outputs ``(n,)`` and their input gradients (shape of ``X``)."""
    fn = _fns(model)["grad"]
    fs, gs = [], []
    for i in range(0, X.shape[0], MAX_ROWS):
        f, g = fn(
            np.asarray(X[i : i + MAX_ROWS], dtype=np.float32),
            np.asarray(target[i : i + MAX_ROWS], dtype=np.int32),
        )
        fs.append(f.numpy())
        gs.append(g.numpy())
    return np.concatenate(fs).astype(np.float64), np.concatenate(gs).astype(np.float64)


def layer_forward(model: keras.Model, layer: Any, X: np.ndarray) -> np.ndarray:
    """Outputs of ``layer`` for inputs ``X`` (float64, batch first)."""
    fns = _fns(model)
    key = "layer:" + layer.name
    if key not in fns:
        import keras
        import tensorflow as tf

        sub = keras.Model(model.inputs[0], layer.output)
        fns[key] = tf.function(
            functools.partial(_layer_impl, sub), input_signature=[fns["spec"]]
        )
    fn = fns[key]
    outs = [
        fn(np.asarray(X[i : i + MAX_ROWS], dtype=np.float32)).numpy()
        for i in range(0, X.shape[0], MAX_ROWS)
    ]
    return np.concatenate(outs).astype(np.float64)


def check_steps(steps: Any, name: str = "steps") -> int:
    """``steps`` as an int >= 1."""
    return check_int(steps, name, low=1)
