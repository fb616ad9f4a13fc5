"""Text classifiers for token ids: a recurrent network and a bag of embeddings.

Both read int token ids ``(n, seq_len)`` padded with 0, look each token up in
an ``Embedding`` that masks the padding, and end in one logit and a separate
sigmoid, so the score before the sigmoid stays reachable by name
(``"logit"``) for :func:`nnbook.explain.token_attribution`. Both are
compiled like the article's network: Adam, binary cross-entropy, accuracy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._checks import check_choice, check_int, check_real

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["RECURRENT_CELLS", "build_text_rnn", "build_text_bag"]

#: Recurrent layers :func:`build_text_rnn` accepts.
RECURRENT_CELLS: tuple[str, ...] = ("gru", "lstm")


def _checked(vocab_size, seq_len, embed_dim, lr, dtype):
    vocab_size = check_int(vocab_size, "vocab_size", low=2)
    seq_len = check_int(seq_len, "seq_len", low=1)
    embed_dim = check_int(embed_dim, "embed_dim", low=1)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    if dtype is not None:
        dtype = check_choice(dtype, "dtype", ("float16", "float32", "float64"))
    return vocab_size, seq_len, embed_dim, lr, dtype


def _finish(inputs, features, name, lr, dtype, compile):
    import keras

    logit = keras.layers.Dense(1, name="logit", dtype=dtype)(features)
    outputs = keras.layers.Activation("sigmoid", name="probability", dtype=dtype)(logit)
    model = keras.Model(inputs, outputs, name=name)
    if compile:
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=lr),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
    return model


def build_text_rnn(
    vocab_size: int,
    seq_len: int,
    *,
    embed_dim: int = 16,
    units: int = 16,
    cell: str = "gru",
    lr: float = 1e-2,
    dtype: str | None = None,
    compile: bool = True,
) -> keras.Model:
    """A recurrent classifier: Embedding, then a GRU or LSTM, then a sigmoid.

    The layers are ``embedding`` (``mask_zero=True``: padding is skipped,
    the recurrent state is carried over it unchanged), ``rnn`` (the last
    hidden state), ``logit`` (``Dense(1)``) and ``probability`` (the
    sigmoid). The GRU is Cho et al. (2014), "Learning Phrase
    Representations using RNN Encoder-Decoder for Statistical Machine
    Translation"; the LSTM is Hochreiter & Schmidhuber (1997), "Long
    Short-Term Memory". Weights come from Keras's global generator: seed it
    first (:func:`nnbook.training.set_seed`).

    Args:
        vocab_size: Number of token ids, padding (id 0) included, >= 2.
        seq_len: Padded sentence length, >= 1.
        embed_dim: Size of each token's embedding vector.
        units: Size of the recurrent state.
        cell: ``"gru"`` or ``"lstm"``.
        lr: Adam's learning rate. The default, 10 times the article's, lets
            the network learn negation in a few epochs.
        dtype: ``"float32"``, ``"float64"`` or ``None`` for
            ``keras.config.floatx()``.
        compile: Compile with Adam, binary cross-entropy and accuracy, as the
            article does.

    Returns:
        keras.Model: Maps int32 token ids ``(n, seq_len)`` to the probability
        of class 1, ``(n, 1)``, in ``dtype``.

    Raises:
        ValueError: For sizes below 1, a non-positive ``lr``, or an unknown
            ``cell`` or ``dtype``.
    """
    vocab_size, seq_len, embed_dim, lr, dtype = _checked(
        vocab_size, seq_len, embed_dim, lr, dtype
    )
    units = check_int(units, "units", low=1)
    cell = check_choice(cell, "cell", RECURRENT_CELLS)

    import keras

    layer = keras.layers.GRU if cell == "gru" else keras.layers.LSTM
    inputs = keras.Input((seq_len,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(
        vocab_size, embed_dim, mask_zero=True, name="embedding", dtype=dtype
    )(inputs)
    x = layer(units, name="rnn", dtype=dtype)(x)
    return _finish(inputs, x, f"text_{cell}", lr, dtype, compile)


def build_text_bag(
    vocab_size: int,
    seq_len: int,
    *,
    embed_dim: int = 16,
    lr: float = 1e-3,
    dtype: str | None = None,
    compile: bool = True,
) -> keras.Model:
    """A bag of embeddings: the mean token embedding, then a sigmoid.

    The sentence is the average of its tokens' embeddings (padding masked
    out), so word order is lost by construction; one ``Dense(1)`` on that
    average is a linear classifier of the token counts, the fastText model
    of Joulin et al. (2017), "Bag of Tricks for Efficient Text
    Classification", without its n-grams. Layers: ``embedding``
    (``mask_zero=True``), ``pool`` (``GlobalAveragePooling1D``), ``logit``
    and ``probability``.

    Args:
        vocab_size: Number of token ids, padding (id 0) included, >= 2.
        seq_len: Padded sentence length, >= 1.
        embed_dim: Size of each token's embedding vector.
        lr: Adam's learning rate; the default is the article's. (A rate of
            ``1e-2`` fits the training sentences' filler words and does
            worse on the test sentences.)
        dtype: ``"float32"``, ``"float64"`` or ``None`` for
            ``keras.config.floatx()``.
        compile: Compile with Adam, binary cross-entropy and accuracy.

    Returns:
        keras.Model: Maps int32 token ids ``(n, seq_len)`` to the probability
        of class 1, ``(n, 1)``.

    Raises:
        ValueError: For sizes below 1, a non-positive ``lr`` or an unknown
            ``dtype``.
    """
    vocab_size, seq_len, embed_dim, lr, dtype = _checked(
        vocab_size, seq_len, embed_dim, lr, dtype
    )

    import keras

    inputs = keras.Input((seq_len,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(
        vocab_size, embed_dim, mask_zero=True, name="embedding", dtype=dtype
    )(inputs)
    x = keras.layers.GlobalAveragePooling1D(name="pool", dtype=dtype)(x)
    return _finish(inputs, x, "text_bag", lr, dtype, compile)
