"""The plumbing of :mod:`nnbook.explain.text`: checks of a text model and its
token ids, and the model run from its ``Embedding`` output, traced once per
model and held weakly (so a cached model can be freed).
"""

from __future__ import annotations

import functools
import inspect
import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_choice
from ._core import OUTPUTS, check_target, input_shape, n_outputs

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["check_tokens"]

_MAX_ROWS = 4096  # sequences per call to the model (memory cap)

# One entry per model, holding the model only weakly (the traced functions
# reach it through a weak reference), so a cached model can be freed.
_FNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# --------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------


def _text_layers(model: keras.Model) -> Any:
    import keras

    layers = [
        lay for lay in getattr(model, "layers", [])
        if not isinstance(lay, keras.layers.InputLayer)
    ]  # fmt: skip
    if not layers or not isinstance(layers[0], keras.layers.Embedding):
        raise TypeError(
            "model must be a Keras model whose first layer after its input is a "
            "keras.layers.Embedding (a text model reading token ids), got "
            f"{type(model).__name__} with layers "
            f"{[type(lay).__name__ for lay in layers]}"
        )
    return layers[0], layers[1:]


def check_tokens(model: keras.Model, X: Any, name: str = "X") -> np.ndarray:
    """Return ``X`` as int64 token ids ``(n, seq_len)`` valid for ``model``.

    Args:
        model: A text model whose first layer is an ``Embedding``.
        X: Token ids, an integer array ``(n, seq_len)``.
        name: The argument's name, used in messages.

    Returns:
        np.ndarray: int64 ``(n, seq_len)``.

    Raises:
        TypeError: If ``model`` does not start with an ``Embedding``, or ``X``
            does not hold integers (float ids are refused, even whole ones:
            they usually mean embeddings or features were passed by mistake).
        ValueError: If ``X`` is not 2-D, is empty, has the wrong length, or
            holds ids below 0 or at least the vocabulary size.
    """
    emb, _ = _text_layers(model)
    (seq_len,) = input_shape(model)
    arr = np.asarray(X)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must hold integer token ids (int32 or int64), got dtype "
            f"{arr.dtype}"
        )
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n, seq_len), got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must have at least one sentence, got {arr.shape}")
    if arr.shape[1] != seq_len:
        raise ValueError(
            f"{name} must have {seq_len} tokens per sentence (the model's "
            f"seq_len), got {arr.shape[1]}"
        )
    vocab = int(emb.input_dim)
    if arr.min() < 0:
        raise ValueError(f"{name} holds a negative token id ({int(arr.min())})")
    if arr.max() >= vocab:
        raise ValueError(
            f"{name} holds token id {int(arr.max())}, but the model's vocabulary "
            f"has {vocab} ids (0 to {vocab - 1})"
        )
    return arr.astype(np.int64)


def _check_baseline_ids(baseline: Any, X: np.ndarray, vocab: int) -> np.ndarray | None:
    """``None``, or baseline token ids broadcast to ``X.shape``."""
    if baseline is None:
        return None
    arr = np.asarray(baseline)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            "baseline must be None or a token id (an integer, or integer ids "
            f"shaped (seq_len,) or like X), got {arr.dtype}"
        )
    if arr.shape not in ((), X.shape[1:], X.shape):
        raise ValueError(
            f"baseline must be one token id or have shape {X.shape[1:]} or "
            f"{X.shape}, got {arr.shape}"
        )
    if arr.min() < 0 or arr.max() >= vocab:
        raise ValueError(
            f"baseline must hold token ids in [0, {vocab}), got values in "
            f"[{int(arr.min())}, {int(arr.max())}]"
        )
    return np.broadcast_to(arr, X.shape).astype(np.int64)


# --------------------------------------------------------------------------
# the model from its embedding output on, as traced TF functions
# --------------------------------------------------------------------------


def _head_kind(layer: Any) -> str:
    """How the logit is reached from the model's last layer.

    ``"activation"``: a separate sigmoid/softmax layer (the logit is its
    input); ``"dense"``: a Dense layer with a sigmoid/softmax (the logit is
    its affine part); ``"none"``: no final squashing (the output is the
    logit).
    """
    import keras

    act = getattr(getattr(layer, "activation", None), "__name__", None)
    if act in ("sigmoid", "softmax"):
        if isinstance(layer, keras.layers.Activation):
            return "activation"
        if isinstance(layer, keras.layers.Dense):
            return "dense"
    return "none"


def _chain(model_ref, output, e, mask):
    """Run the layers after the embedding on embeddings ``e`` (TF, traced)."""
    import tensorflow as tf

    model = model_ref()
    emb, rest = _text_layers(model)
    x, m = e, (mask if emb.mask_zero else None)
    kind = _head_kind(rest[-1]) if rest else "none"
    for k, layer in enumerate(rest):
        last = k == len(rest) - 1
        if last and output == "logit" and kind == "activation":
            break
        if last and output == "logit" and kind == "dense":
            x = tf.matmul(x, layer.kernel)
            if layer.bias is not None:
                x = x + layer.bias
            break
        takes_mask = "mask" in inspect.signature(layer.call).parameters
        out = layer(x, mask=m, training=False) if takes_mask else layer(x)
        m = layer.compute_mask(x, m)
        x = out
    return tf.reshape(x, (tf.shape(x)[0], -1))


def _grad_impl(model_ref, output, e, mask, t):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(e)
        out = _chain(model_ref, output, e, mask)
        f = tf.gather(out, t, axis=1, batch_dims=1)
    return f, tape.gradient(f, e)


def _fns(model: keras.Model) -> dict[str, Any]:
    """The model's traced functions (batch-agnostic signatures, traced once)."""
    fns = _FNS.get(model)
    if fns is not None:
        return fns
    import tensorflow as tf

    emb, _ = _text_layers(model)
    (seq_len,) = input_shape(model)
    dtype = tf.as_dtype(emb.compute_dtype)
    e_spec = tf.TensorSpec((None, seq_len, int(emb.output_dim)), dtype)
    m_spec = tf.TensorSpec((None, seq_len), tf.bool)
    t_spec = tf.TensorSpec((None,), tf.int32)
    ref = weakref.ref(model)
    fns = {"dtype": dtype.as_numpy_dtype, "checked": False}
    for out in OUTPUTS:
        fns["fwd:" + out] = tf.function(
            functools.partial(_chain, ref, out), input_signature=[e_spec, m_spec]
        )
        fns["grad:" + out] = tf.function(
            functools.partial(_grad_impl, ref, out),
            input_signature=[e_spec, m_spec, t_spec],
        )
    _FNS[model] = fns
    return fns


def _embed(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """The embedding layer's output for ids ``X``, in the model's dtype."""
    emb, _ = _text_layers(model)
    table = np.asarray(emb.embeddings.numpy())
    return table[X]


def _forward_emb(model, e, mask, output) -> np.ndarray:
    fn = _fns(model)["fwd:" + output]
    dtype = _fns(model)["dtype"]
    outs = [
        fn(e[i : i + _MAX_ROWS].astype(dtype), mask[i : i + _MAX_ROWS]).numpy()
        for i in range(0, e.shape[0], _MAX_ROWS)
    ]
    return np.concatenate(outs).astype(np.float64)


def _grad_emb(model, e, mask, t, output) -> tuple[np.ndarray, np.ndarray]:
    fns = _fns(model)
    fn, dtype = fns["grad:" + output], fns["dtype"]
    fs, gs = [], []
    for i in range(0, e.shape[0], _MAX_ROWS):
        f, g = fn(
            e[i : i + _MAX_ROWS].astype(dtype),
            mask[i : i + _MAX_ROWS],
            t[i : i + _MAX_ROWS].astype(np.int32),
        )
        fs.append(f.numpy())
        gs.append(g.numpy())
    return np.concatenate(fs).astype(np.float64), np.concatenate(gs).astype(np.float64)


def _check_chain(model: keras.Model, X: np.ndarray) -> None:
    """Once per model: the chain from the embedding reproduces the model."""
    fns = _fns(model)
    if fns["checked"]:
        return
    _, rest = _text_layers(model)
    out = "probability" if rest and _head_kind(rest[-1]) != "none" else "logit"
    probe = X[:4]
    message = (
        "model must be a chain: an Embedding, then layers applied one after "
        "another (no branches or second inputs); running its layers in order "
    )
    try:
        mine = _forward_emb(model, _embed(model, probe), probe != 0, out)
    except Exception as exc:  # a branched graph fails inside Keras or TF
        _FNS.pop(model, None)
        raise TypeError(message + f"failed ({type(exc).__name__})") from exc
    theirs = np.asarray(model(probe, training=False), dtype=np.float64)
    theirs = theirs.reshape(theirs.shape[0], -1)
    if mine.shape != theirs.shape or not np.allclose(mine, theirs, atol=1e-6):
        raise TypeError(message + "did not reproduce its output")
    fns["checked"] = True


def _resolve_target(model, target, X, output) -> np.ndarray:
    if target is None and n_outputs(model) > 1:
        e = _embed(model, X)
        return np.argmax(_forward_emb(model, e, X != 0, output), axis=1).astype(
            np.int32
        )
    return check_target(model, target, X)


def _check_output(model: keras.Model, output: Any) -> str:
    output = check_choice(output, "output", OUTPUTS)
    _, rest = _text_layers(model)
    if output == "probability" and (not rest or _head_kind(rest[-1]) == "none"):
        raise ValueError(
            "output='probability' needs a model ending in a sigmoid or softmax; "
            "this model's output is already a score (use output='logit')"
        )
    return output
