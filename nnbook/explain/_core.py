"""Shared machinery of the explanation methods: checks and cached TF functions.

Every method checks its inputs here, so a bad argument raises a clear
``ValueError`` or ``TypeError`` that names it, never a TensorFlow trace.
Outputs and gradients come from ``tf.function``\\ s traced once per model
with a batch-agnostic input signature, so repeated calls never retrace.
They compute in the model's own dtype (a float64 model gives float64
gradients) and every result is returned as float64.

The explained quantity is chosen by ``output``: ``"logit"`` is the score
before the final sigmoid or softmax (the input of a final ``Softmax`` layer,
or the pre-activation of a final ``Dense`` layer with a sigmoid or softmax
activation), ``"probability"`` the model's output.

The functions cached per model hold the model only weakly, and at most
:data:`MAX_MODELS` models are cached at a time (the least recently used is
dropped first), so explaining many models neither keeps them alive nor
grows memory.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import FLOAT32_MAX, check_array, check_choice, check_int
from ..training.fit import model_dtype

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "MAX_ROWS",
    "MAX_MODELS",
    "MAX_COUNT",
    "OUTPUTS",
    "input_shape",
    "n_outputs",
    "check_inputs",
    "check_images",
    "check_target",
    "check_baseline",
    "check_output",
    "check_count",
    "resolve_layer",
    "score_head",
    "forward",
    "gradients",
    "layer_forward",
]

#: Largest number of rows sent to the model in one call (memory cap).
MAX_ROWS = 16384
#: Largest ``n_steps`` / ``n_draws`` (:func:`check_count`).
MAX_COUNT = 100_000
#: Most models whose compiled functions are cached at one time.
MAX_MODELS = 8
#: The explained quantities ``output=`` accepts.
OUTPUTS: tuple[str, ...] = ("logit", "probability")

# id(model) -> (weak reference to the model, its functions); LRU order.
_CACHE: OrderedDict[int, tuple[weakref.ref, dict[str, Any]]] = OrderedDict()


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
    """The number of output units (1 for a sigmoid head, 10 for digits).

    Raises:
        TypeError: If ``model`` has more than one output (the methods
            explain one score; build a sub-model on the output you mean).
    """
    outputs = getattr(model, "outputs", None)
    if not outputs or len(outputs) != 1:
        raise TypeError(
            "model must have exactly one output, got "
            f"{len(outputs) if outputs else 0}; explain one head with "
            "keras.Model(model.inputs, model.outputs[i])"
        )
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
    n_outputs(model)  # one output, or the clear TypeError
    # float32 models: values beyond float32's range would overflow to inf.
    big = FLOAT32_MAX if np.dtype(model_dtype(model)).itemsize < 8 else None
    arr = check_array(X, name, finite=False, allow_empty=True)
    if len(shape) == 3 and arr.shape == shape:
        raise ValueError(
            f"{name} must be a batch of images of shape (n_images, "
            f"{', '.join(map(str, shape))}), got a single image of shape "
            f"{arr.shape}; pass X[None] or X[i:i + 1]"
        )
    if arr.ndim != len(shape) + 1 or arr.shape[1:] != shape:
        if len(shape) == 1 and arr.ndim == 2:
            raise ValueError(
                f"{name} must have {shape[0]} features (columns), got {arr.shape[1]}"
            )
        if len(shape) == 3 and arr.ndim == 2:
            raise ValueError(
                f"{name} must be images of shape (n_images, "
                f"{', '.join(map(str, shape))}) for this image model, got a table "
                f"of shape {arr.shape}"
            )
        want = (
            "(n_samples, n_features)"
            if len(shape) == 1
            else f"(n_images, {', '.join(map(str, shape))})"
        )
        raise ValueError(
            f"{name} must have {len(shape) + 1} dimensions of shape {want}, "
            f"got shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must have at least one sample, got shape {arr.shape}")
    return check_array(arr, name, max_abs=big)


def check_images(model: keras.Model, X: Any, name: str = "X") -> np.ndarray:
    """:func:`check_inputs` for a model that takes images ``(h, w, channels)``.

    Raises:
        TypeError: If the model's input is not an image.
    """
    shape = input_shape(model)
    if len(shape) != 3:
        raise TypeError(
            "model must take images of shape (height, width, channels), "
            f"its input has shape {shape}"
        )
    return check_inputs(model, X, name)


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
    arr = check_array(baseline, name, allow_empty=True)
    if arr.shape not in ((), X.shape[1:], X.shape):
        raise ValueError(
            f"{name} must be a scalar or have shape {X.shape[1:]} (one sample) or "
            f"{X.shape} (like X), got {arr.shape}"
        )
    return np.broadcast_to(arr, X.shape).copy()


def check_output(output: Any) -> str:
    """``output`` if it is ``"logit"`` or ``"probability"``, else ``ValueError``."""
    return check_choice(output, "output", OUTPUTS)


def check_count(value: Any, name: str) -> int:
    """A count such as ``n_steps`` or ``n_draws``: an int in ``[1, MAX_COUNT]``.

    Each unit of a count is at least one model pass over ``X``; the bound
    keeps a typo (``n_steps=10**9``) from running for hours.
    """
    return check_int(
        value, name, low=1, high=MAX_COUNT, why="each one is a pass of the model"
    )


def resolve_layer(model: keras.Model, layer: Any) -> Any:
    """The layer of ``model`` named ``layer``, at index ``layer``, or ``layer``.

    The one way every method resolves ``layer=``: a name, an index into
    ``model.layers`` (negative counts from the end), or a layer object of
    the model.

    Raises:
        ValueError: If no layer has that name (the valid names are listed),
            the index is out of range, or the object is not in the model.
        TypeError: If ``layer`` is none of these.
    """
    names = [lay.name for lay in model.layers]
    if isinstance(layer, str):
        if layer in names:
            return model.layers[names.index(layer)]
        raise ValueError(f"layer must be one of {names}, got {layer!r}")
    if isinstance(layer, int | np.integer) and not isinstance(layer, bool):
        n = len(names)
        if not -n <= int(layer) < n:
            raise ValueError(
                f"layer index must be in [{-n}, {n}) for layers {names}, got {layer}"
            )
        return model.layers[int(layer)]
    if hasattr(layer, "name") and hasattr(layer, "get_weights"):
        if any(lay is layer for lay in model.layers):
            return layer
        raise ValueError(f"layer {layer.name!r} is not a layer of this model")
    raise TypeError(
        f"layer must be a layer name, index or layer object, got {type(layer).__name__}"
    )


def score_head(model: keras.Model, output: str = "logit") -> tuple[Any, Callable]:
    """Where the explained score is, in the model: ``(tensor, to_score)``.

    ``tensor`` is a symbolic tensor of the model and ``to_score`` maps its
    value to the scores ``(n, k)``. For ``"probability"`` it is the model's
    output; for ``"logit"``, the input of a final ``Softmax`` layer, or the
    input of a final ``Dense`` layer with a sigmoid or softmax activation
    followed by that layer's affine map.

    Raises:
        ValueError: If ``output="logit"`` and the model's last layer squashes
            with anything but a sigmoid or softmax.
    """
    import keras

    output = check_output(output)
    last = model.layers[-1]
    act = getattr(getattr(last, "activation", None), "__name__", None)
    if output == "probability":
        return model.outputs[0], lambda y: y
    if isinstance(last, keras.layers.Softmax):
        return last.input, lambda y: y
    if isinstance(last, keras.layers.Dense) and act in ("sigmoid", "softmax"):
        bias = last.bias if last.use_bias else 0.0
        return last.input, lambda h: keras.ops.matmul(h, last.kernel) + bias
    if act in (None, "linear"):  # no squash: the output is the score
        return model.outputs[0], lambda y: y
    raise ValueError(
        f"output='logit' needs a final Softmax layer or a final Dense layer with a "
        f"sigmoid or softmax activation; the last layer {last.name!r} has "
        f"activation {act}; pass output='probability'"
    )


def _score_fn(model: keras.Model, output: str) -> Callable[[Any], Any]:
    """A function ``x -> scores (n, k)`` (see :func:`score_head`)."""
    import keras

    tensor, to_score = score_head(model, output)
    sub = keras.Model(model.inputs[0], tensor)
    return lambda x: to_score(sub(x, training=False))


def _fns(model: keras.Model) -> dict[str, Any]:
    """The model's cache entry (its compiled functions), made on first use."""
    key = id(model)
    entry = _CACHE.get(key)
    if entry is not None and entry[0]() is model:
        _CACHE.move_to_end(key)
        return entry[1]
    import tensorflow as tf

    ref = weakref.ref(model, lambda _, key=key: _CACHE.pop(key, None))
    fns: dict[str, Any] = {
        "spec": tf.TensorSpec((None, *input_shape(model)), model_dtype(model))
    }
    _CACHE[key] = (ref, fns)
    while len(_CACHE) > MAX_MODELS:
        _CACHE.popitem(last=False)
    return fns


def _compiled(model: keras.Model, name: str, make: Callable[[], Any]) -> Any:
    fns = _fns(model)
    if name not in fns:
        fns[name] = make()
    return fns[name]


def _outputs_fn(model: keras.Model, output: str) -> Any:
    import tensorflow as tf

    def make():  # the traced function holds sub-models, never the model itself
        score = _score_fn(model, output)

        def outputs(x):
            y = score(x)
            return tf.reshape(y, (tf.shape(y)[0], -1))

        return tf.function(outputs, input_signature=[_fns(model)["spec"]])

    return _compiled(model, "outputs:" + output, make)


def _grad_fn(model: keras.Model, output: str) -> Any:
    import tensorflow as tf

    spec = _fns(model)["spec"]

    def make():
        score = _score_fn(model, output)

        def grad(x, t):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = score(x)
                y = tf.reshape(y, (tf.shape(y)[0], -1))
                f = tf.gather(y, t, axis=1, batch_dims=1)
            return f, tape.gradient(f, x)

        signature = [spec, tf.TensorSpec((None,), tf.int32)]
        return tf.function(grad, input_signature=signature)

    return _compiled(model, "grad:" + output, make)


def _chunks(model: keras.Model, X: np.ndarray, *extra: np.ndarray):
    dtype = model_dtype(model)
    for i in range(0, X.shape[0], MAX_ROWS):
        yield (np.asarray(X[i : i + MAX_ROWS], dtype=dtype),) + tuple(
            e[i : i + MAX_ROWS] for e in extra
        )


def forward(
    model: keras.Model, X: np.ndarray, *, output: str = "probability"
) -> np.ndarray:
    """Model outputs (or logits), float64 ``(n, n_outputs)``, in row chunks."""
    fn = _outputs_fn(model, check_output(output))
    outs = [fn(x).numpy() for (x,) in _chunks(model, X)]
    return np.concatenate(outs).astype(np.float64)


def gradients(
    model: keras.Model, X: np.ndarray, target: np.ndarray, *, output: str = "logit"
) -> tuple[np.ndarray, np.ndarray]:
    """Target outputs ``(n,)`` and their input gradients (shape of ``X``)."""
    fn = _grad_fn(model, check_output(output))
    fs, gs = [], []
    for x, t in _chunks(model, X, np.asarray(target, dtype=np.int32)):
        f, g = fn(x, t)
        fs.append(f.numpy())
        gs.append(g.numpy())
    return np.concatenate(fs).astype(np.float64), np.concatenate(gs).astype(np.float64)


def layer_forward(model: keras.Model, layer: Any, X: np.ndarray) -> np.ndarray:
    """Outputs of ``layer`` (resolved by :func:`resolve_layer`), float64."""
    import keras
    import tensorflow as tf

    lay = resolve_layer(model, layer)

    def make():
        sub = keras.Model(model.inputs[0], lay.output)
        return tf.function(
            lambda x: sub(x, training=False), input_signature=[_fns(model)["spec"]]
        )

    fn = _compiled(model, "layer:" + lay.name, make)
    outs = [fn(x).numpy() for (x,) in _chunks(model, X)]
    return np.concatenate(outs).astype(np.float64)
