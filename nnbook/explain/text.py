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

:func:`nnbook.explain.token_ground_truth_score` scores them against a
per-token truth mask such as :attr:`nnbook.data.TextData.cue_mask_test`; the
checks and the traced model run live in ``nnbook.explain._text_core``.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_choice, check_int
from ._text_core import (
    _MAX_ROWS,
    _check_baseline_ids,
    _check_chain,
    _check_output,
    _embed,
    _fns,
    _forward_emb,
    _grad_emb,
    _resolve_target,
    _text_layers,
    check_tokens,
)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "TOKEN_METHODS",
    "DEFAULT_TOKEN_IG_STEPS",
    "check_tokens",
    "token_attribution",
    "token_output",
    "recurrent_states",
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
