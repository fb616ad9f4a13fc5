"""Which words decide: token attributions for text models, and their scores.

A text model reads int token ids, so the input itself has no gradient. The
gradient methods here work one step later, on the output of the model's
``Embedding`` layer, and sum over the embedding dimension to give one score
per token, as Li et al. (2016), "Visualizing and Understanding Neural Models
in NLP", do for their first-derivative saliency. Occlusion needs no gradient:
it removes one token at a time.

Every method has the book's signature (:mod:`nnbook.explain`)::

    token_attribution(model, X, *, method=..., target=None, baseline=None,
                      output="logit", seed=0, ...) -> float64 (n, seq_len)

The model must start with an ``Embedding`` layer (after its input) and
continue as a chain of layers, as :func:`nnbook.models.build_text_rnn` and
:func:`nnbook.models.build_text_bag` do. Token id 0 is padding: it gets an
attribution of exactly 0 from every method.

:func:`token_ground_truth_score` scores attributions against a per-token
truth mask such as :attr:`nnbook.data.TextData.cue_mask_test`.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_choice, check_int
from ._core import check_target, input_shape, n_outputs
from ._ranking import auc_rows, precision_at_k_rows, top_k_rows

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "TOKEN_METHODS",
    "DEFAULT_TOKEN_IG_STEPS",
    "check_tokens",
    "token_attribution",
    "token_output",
    "recurrent_states",
    "token_ground_truth_score",
]

#: The methods :func:`token_attribution` offers.
TOKEN_METHODS: tuple[str, ...] = (
    "integrated_gradients",
    "gradient_x_input",
    "saliency",
    "occlusion",
)
#: Default number of midpoint steps of integrated gradients on embeddings.
#: A GRU or a bag of embeddings is smooth (no ReLU kinks), so the midpoint
#: rule's error falls as ``1 / n_steps**2``; the tests and the text chapter
#: measure the completeness gap it leaves.
DEFAULT_TOKEN_IG_STEPS = 32
_OUTPUTS = ("logit", "probability")
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
    for out in _OUTPUTS:
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
    output = check_choice(output, "output", _OUTPUTS)
    _, rest = _text_layers(model)
    if output == "probability" and (not rest or _head_kind(rest[-1]) == "none"):
        raise ValueError(
            "output='probability' needs a model ending in a sigmoid or softmax; "
            "this model's output is already a score (use output='logit')"
        )
    return output


# --------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------


def token_output(
    model: keras.Model, X: Any, *, target: Any = None, output: str = "logit"
) -> np.ndarray:
    """The attributed quantity ``F(x)`` of each sentence.

    Args:
        model: A text model (an ``Embedding``, then a chain of layers).
        X: int token ids ``(n, seq_len)``.
        target: ``None`` (the only output, or the predicted class of a
            softmax model), one class index, or one per sentence.
        output: ``"logit"`` (the score before the sigmoid) or
            ``"probability"``.

    Returns:
        np.ndarray: float64 ``(n,)``.
    """
    X = check_tokens(model, X)
    output = _check_output(model, output)
    _check_chain(model, X)
    t = _resolve_target(model, target, X, output)
    out = _forward_emb(model, _embed(model, X), X != 0, output)
    return out[np.arange(X.shape[0]), t]


def _integrated_gradients(model, X, B, t, output, n_steps):
    """IG on the embeddings: from ``B`` (n, T, D) to ``E[X]``, midpoint rule."""
    E = _embed(model, X)
    mask = X != 0
    n, T, D = E.shape
    alphas = (np.arange(n_steps) + 0.5) / n_steps
    total = np.zeros((n, T), dtype=np.float64)
    chunk = max(1, _MAX_ROWS // n_steps)
    for i in range(0, n, chunk):
        e, b = E[i : i + chunk], B[i : i + chunk]
        m = e.shape[0]
        path = b[:, None] + alphas[None, :, None, None] * (e - b)[:, None]
        _, g = _grad_emb(
            model,
            path.reshape(m * n_steps, T, D),
            np.repeat(mask[i : i + chunk], n_steps, axis=0),
            np.repeat(t[i : i + chunk], n_steps),
            output,
        )
        mean_g = g.reshape(m, n_steps, T, D).mean(axis=1)
        total[i : i + chunk] = ((e - b) * mean_g).sum(axis=2)
    return total


def _occlusion(model, X, base_ids, t, output):
    """F(x) - F(x without token j), for every real token j."""
    E = _embed(model, X)
    mask = X != 0
    emb, _ = _text_layers(model)
    table = np.asarray(emb.embeddings.numpy())
    n, T = X.shape
    f0 = _forward_emb(model, E, mask, output)[np.arange(n), t]
    rows, cols = np.nonzero(mask)  # one edited copy per real token
    out = np.zeros((n, T), dtype=np.float64)
    for i in range(0, rows.size, _MAX_ROWS):
        r, c = rows[i : i + _MAX_ROWS], cols[i : i + _MAX_ROWS]
        e = E[r].copy()
        mk = mask[r].copy()
        k = np.arange(r.size)
        if base_ids is None and emb.mask_zero:
            mk[k, c] = False  # removed: the mask hides it, as if deleted
        else:
            fill = 0 if base_ids is None else base_ids[r, c]
            e[k, c] = table[fill]
            mk[k, c] = fill != 0 if emb.mask_zero else True
        f = _forward_emb(model, e, mk, output)[k, t[r]]
        out[r, c] = f0[r] - f
    return out


def token_attribution(
    model: keras.Model,
    X: Any,
    *,
    method: str = "integrated_gradients",
    target: Any = None,
    baseline: Any = None,
    output: str = "logit",
    seed: int = 0,
    n_steps: int = DEFAULT_TOKEN_IG_STEPS,
    return_delta: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """One score per token: how much it moved the model's output.

    Let ``e_t`` be the embedding of token ``t`` (the output of the model's
    ``Embedding`` layer) and ``F`` the attributed output (the logit by
    default). The methods:

    ``"integrated_gradients"``
        Sundararajan, Taly & Yan (2017), "Axiomatic Attribution for Deep
        Networks", on the embeddings: ``sum_d (e_td - b_td) * mean over
        alpha of dF/de_td`` along the straight path from the baseline
        embeddings ``b`` to ``e``, with ``n_steps`` midpoints. Its scores
        add up to ``F(x) - F(baseline)`` (completeness);
        ``return_delta=True`` returns the gap. The baseline is the zero
        embedding vector (Sundararajan et al.'s choice for text) or, with
        ``baseline=<token id>``, that token's embedding. Padding keeps its
        own embedding on the whole path, so it contributes nothing.
    ``"gradient_x_input"``
        ``sum_d e_td * dF/de_td`` (Shrikumar et al., 2016, "Not Just a
        Black Box"), on the embeddings: the first-order share of each
        token, relative to a zero embedding.
    ``"saliency"``
        ``||dF/de_t||_2``, the first-derivative saliency of Li et al.
        (2016): how sensitive the output is to the token, whatever its
        sign. Never negative.
    ``"occlusion"``
        ``F(x) - F(x with token t removed)`` (Li, Monroe & Jurafsky, 2016,
        "Understanding Neural Networks through Representation Erasure";
        Zeiler & Fergus, 2014, for images). The token is *removed*, not
        replaced: it becomes padding, which the embedding's mask hides, so
        a masked GRU or average reads exactly the sentence without that word
        (replacing it with some "neutral" word would need a word the model
        really finds neutral, and there is none to choose without looking).
        Removing a word can make two words adjacent that were not: in
        ``not the good``, removing ``the`` makes ``not good``. With
        ``baseline=<token id>`` the token is replaced by that id instead,
        which keeps positions and neighbours. For a model without a mask,
        removal means replacing by id 0.

    Token id 0 (padding) gets exactly 0 from every method.

    Args:
        model: A text model: an ``Embedding`` after the input, then a chain
            of layers (:func:`nnbook.models.build_text_rnn`,
            :func:`nnbook.models.build_text_bag`).
        X: int token ids ``(n, seq_len)``; floats are refused.
        method: One of ``TOKEN_METHODS``.
        target: ``None`` (the only output; the predicted class of a softmax
            model), one class index, or one per sentence.
        baseline: ``None`` or token ids (one id, ``(seq_len,)`` or like
            ``X``): the IG path's start and occlusion's replacement; unused
            by ``"gradient_x_input"`` and ``"saliency"``.
        output: ``"logit"`` (the score before the sigmoid, the default) or
            ``"probability"``.
        seed: Accepted for the book's common signature; every method here
            is deterministic, so it changes nothing.
        n_steps: Midpoint steps of integrated gradients, >= 1.
        return_delta: Integrated gradients only: also return the
            completeness gap ``sum(attributions) - (F(x) - F(baseline))``,
            float64 ``(n,)``.

    Returns:
        np.ndarray | tuple: float64 ``(n, seq_len)``; with ``return_delta``
        also the gap ``(n,)``.

    Raises:
        TypeError: For a model that does not start with an ``Embedding``,
            float or bool token ids, or a non-integer ``baseline``.
        ValueError: For a wrong shape or length of ``X``, ids outside the
            vocabulary, an unknown ``method`` or ``output``, ``n_steps < 1``,
            or ``return_delta`` with a method other than integrated gradients.
    """
    X = check_tokens(model, X)
    method = check_choice(method, "method", TOKEN_METHODS)
    output = _check_output(model, output)
    check_int(seed, "seed", low=0)
    n_steps = check_int(n_steps, "n_steps", low=1)
    if return_delta and method != "integrated_gradients":
        raise ValueError(
            "return_delta is only defined for method='integrated_gradients' "
            f"(completeness), got method={method!r}"
        )
    emb, _ = _text_layers(model)
    base_ids = _check_baseline_ids(baseline, X, int(emb.input_dim))
    _check_chain(model, X)
    t = _resolve_target(model, target, X, output)
    pad = X == 0

    if method == "integrated_gradients":
        E = _embed(model, X)
        if base_ids is None:
            B = np.zeros_like(E)
        else:
            B = _embed(model, base_ids)
        B[pad] = E[pad]  # padding does not move along the path
        attr = _integrated_gradients(model, X, B, t, output, n_steps)
    elif method == "occlusion":
        attr = _occlusion(model, X, base_ids, t, output)
    else:
        E = _embed(model, X)
        _, g = _grad_emb(model, E, ~pad, t, output)
        if method == "gradient_x_input":
            attr = (E * g).sum(axis=2)
        else:
            attr = np.sqrt((g**2).sum(axis=2))
    attr = np.where(pad, 0.0, attr)
    if not return_delta:
        return attr
    rows = np.arange(X.shape[0])
    f_x = _forward_emb(model, _embed(model, X), ~pad, output)[rows, t]
    f_b = _forward_emb(model, B, ~pad, output)[rows, t]
    return attr, attr.sum(axis=1) - (f_x - f_b)


def recurrent_states(
    model: keras.Model, X: Any, *, layer: str | int = "rnn"
) -> np.ndarray:
    """The hidden state of a recurrent layer after every token.

    A recurrent layer that returns only its last state (as in
    :func:`nnbook.models.build_text_rnn`) is copied with
    ``return_sequences=True`` and the same weights, and run on the same
    inputs, so state ``t`` is exactly what the model's layer holds after
    reading token ``t`` (Elman, 1990, "Finding Structure in Time", looked at
    states this way; Li et al., 2016, for sentiment). Over padding the state
    is carried unchanged, as the masked layer does. For an LSTM the state is
    its output ``h``, not its cell ``c``.

    Args:
        model: A text model whose layers before ``layer`` are an
            ``Embedding`` and, optionally, more layers in a chain.
        X: int token ids ``(n, seq_len)``.
        layer: The recurrent layer's name or index.

    Returns:
        np.ndarray: float64 ``(n, seq_len, units)``.

    Raises:
        TypeError: If ``layer`` is not a Keras recurrent layer.
    """
    import keras

    from ._core import resolve_layer

    X = check_tokens(model, X)
    rnn = resolve_layer(model, layer)
    if not isinstance(rnn, keras.layers.RNN):
        raise TypeError(
            f"layer must be a recurrent layer (GRU, LSTM, SimpleRNN), got "
            f"{type(rnn).__name__} {rnn.name!r}"
        )
    emb, rest = _text_layers(model)
    x = _embed(model, X).astype(_fns(model)["dtype"])
    m = X != 0 if emb.mask_zero else None
    for lay in rest:
        if lay is rnn:
            break
        takes_mask = "mask" in inspect.signature(lay.call).parameters
        out = lay(x, mask=m, training=False) if takes_mask else lay(x)
        m = lay.compute_mask(x, m)
        x = out
    config = rnn.get_config()
    config.update(return_sequences=True, return_state=False, name=rnn.name + "_seq")
    config["zero_output_for_mask"] = False
    seq = type(rnn).from_config(config)
    seq.build(tuple(np.shape(x)))
    seq.set_weights(rnn.get_weights())
    states = seq(x, mask=m, training=False)
    return np.asarray(states, dtype=np.float64)


# --------------------------------------------------------------------------
# scores against the truth
# --------------------------------------------------------------------------


def token_ground_truth_score(
    attributions: Any,
    cue_mask: Any,
    X: Any,
    *,
    per_sample: bool = False,
) -> dict[str, Any]:
    """How well per-token attributions find the tokens that decide each label.

    Tokens are ranked by ``|attribution|`` within each sentence, padding
    (id 0) left out: a negative cue or a negator pushes towards class 0, and
    decides the label as much as a positive cue. For each sentence:

    - **precision@k**, with ``k`` the sentence's number of true tokens: the
      share of true tokens among the ``k`` top-ranked (ties broken by
      position);
    - **AUC**: the ROC AUC of ``|attribution|`` as a true-vs-other score
      over the sentence's real tokens (0.5 is chance, 1 a perfect ranking).

    The same two measures as :func:`nnbook.explain.ground_truth_score`, per
    sentence instead of per column.

    Args:
        attributions: float ``(n, seq_len)``, e.g. from
            :func:`token_attribution`.
        cue_mask: bool ``(n, seq_len)``: True on the tokens that decide the
            label (:attr:`nnbook.data.TextData.cue_mask_test`).
        X: int token ids ``(n, seq_len)``, to find the padding.
        per_sample: Return one value per sentence instead of the means,
            and which tokens rank among each sentence's top ``k``.

    Returns:
        dict: ``{"precision_at_k": ..., "auc": ..., "n_samples": n}``: floats
        (means over sentences), or float64 arrays ``(n,)`` with
        ``per_sample=True``, which adds ``"in_top_k"``: bool
        ``(n, seq_len)``, True on the ``k`` top-ranked tokens of each
        sentence (so ``in_top_k[cue_mask & negators]`` tells which
        deciding negators were found).

    Raises:
        TypeError: If ``cue_mask`` is not boolean or ``X`` not integer.
        ValueError: If the shapes differ, values are not finite, the mask
            marks padding, or a sentence has no true token or no other real
            token (its AUC would be undefined).
    """
    attr = np.asarray(attributions, dtype=np.float64)
    mask = np.asarray(cue_mask)
    ids = np.asarray(X)
    if attr.ndim != 2:
        raise ValueError(
            f"attributions must be 2-D (n, seq_len), got shape {attr.shape}"
        )
    if mask.dtype != bool:
        raise TypeError(f"cue_mask must be a bool array, got dtype {mask.dtype}")
    if ids.dtype == bool or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"X must hold integer token ids, got dtype {ids.dtype}")
    for name, arr in (("cue_mask", mask), ("X", ids)):
        if arr.shape != attr.shape:
            raise ValueError(
                f"{name} must have the shape of attributions {attr.shape}, got "
                f"{arr.shape}"
            )
    if not np.all(np.isfinite(attr)):
        raise ValueError("attributions holds NaN or infinite values")
    valid = ids != 0
    if np.any(mask & ~valid):
        raise ValueError("cue_mask marks padding (token id 0) as deciding")
    n_true, n_other = mask.sum(axis=1), (valid & ~mask).sum(axis=1)
    bad = np.flatnonzero((n_true == 0) | (n_other == 0))
    if bad.size:
        raise ValueError(
            f"sentence {int(bad[0])} has {int(n_true[bad[0]])} true and "
            f"{int(n_other[bad[0]])} other tokens; each needs at least one of "
            "both"
        )
    scores = np.abs(attr)
    prec = precision_at_k_rows(scores, mask, valid)
    auc = auc_rows(scores, mask, valid)
    if per_sample:
        return {
            "precision_at_k": prec,
            "auc": auc,
            "n_samples": attr.shape[0],
            "in_top_k": top_k_rows(scores, mask, valid),
        }
    return {
        "precision_at_k": float(prec.mean()),
        "auc": float(auc.mean()),
        "n_samples": attr.shape[0],
    }
