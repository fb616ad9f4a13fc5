"""nnbook.data.make_text_data: exact masks, the rule, shapes, seeds, errors."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.data import TextData, make_text_data, text_vocab
from nnbook.data.text import NEGATIVE_CUES, NEGATORS, PAD, POSITIVE_CUES

OPTIONS = [
    {},
    {"n_cues": (1, 3, 5), "min_len": 16},
    {"negation_rate": 0.0},
    {"negation_rate": 1.0, "n_stray_negators": 0},
    {"n_stray_negators": (2, 3), "min_len": 14, "zipf_exponent": 0.0},
    {"vocab_size": 30, "seq_len": 20},
]


def _labels_from_masked_tokens(data: TextData, X, mask) -> np.ndarray:
    """The label of every sentence, from the masked tokens alone.

    Written from the documented rule, independently of the package: each
    masked cue counts with its polarity, flipped when the masked token
    directly before it is a negator. Unmasked tokens are never read.
    """
    positive = {data.vocab.index(w) for w in POSITIVE_CUES}
    negative = {data.vocab.index(w) for w in NEGATIVE_CUES}
    negators = {data.vocab.index(w) for w in NEGATORS}
    labels = []
    for row, m in zip(X, mask, strict=True):
        kept = {int(t): int(row[t]) for t in np.flatnonzero(m)}  # position: id
        score = 0
        for pos, tok in kept.items():
            if tok in positive or tok in negative:
                sign = 1 if tok in positive else -1
                if kept.get(pos - 1) in negators:
                    sign = -sign
                score += sign
        assert score != 0, "a tie: the rule promises none"
        labels.append(int(score > 0))
    return np.array(labels)


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: str(o) or "defaults")
def test_labels_come_back_from_the_masked_tokens_alone(seed, options):
    data = make_text_data(n_samples=300, random_state=seed, **options)
    for X, y, m in (
        (data.X_train, data.y_train, data.cue_mask_train),
        (data.X_test, data.y_test, data.cue_mask_test),
    ):
        assert np.array_equal(_labels_from_masked_tokens(data, X, m), y)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: str(o) or "defaults")
def test_mask_marks_exactly_cues_and_their_negators(options):
    data = make_text_data(n_samples=300, random_state=3, **options)
    X, m = data.X_train, data.cue_mask_train
    is_cue = data.polarity[X] != 0
    is_neg = data.negator[X]
    before_cue = np.zeros_like(is_cue)
    before_cue[:, :-1] = is_cue[:, 1:]
    assert np.array_equal(m, is_cue | (is_neg & before_cue))
    # no unmasked token could change the label by being read: no cue, and no
    # negator in front of a cue, is left outside the mask
    assert not np.any(is_cue & ~m)
    # stray negators (outside the mask) exist where the options allow them
    if options.get("n_stray_negators", 1) != 0:
        assert np.any(is_neg & ~m)
    # no negator directly before another negator ("not not good")
    after = np.zeros_like(is_neg)
    after[:, :-1] = is_neg[:, 1:]
    assert not np.any(is_neg & after), "a negator directly before a negator"


def test_negation_rate_controls_negated_cues():
    none = make_text_data(n_samples=200, negation_rate=0.0)
    every = make_text_data(n_samples=200, negation_rate=1.0, n_stray_negators=0)
    assert not np.any(none.cue_mask_train & none.negator[none.X_train])
    m = every.cue_mask_train
    # each cue is negated: as many masked negators as masked cues
    cues = (every.polarity[every.X_train] != 0).sum()
    assert (m & every.negator[every.X_train]).sum() == cues
    assert np.array_equal(m, (every.X_train != 0) & m)


def test_shapes_dtypes_and_padding():
    data = make_text_data(n_samples=400, seq_len=30, vocab_size=100, random_state=2)
    assert data.X_train.shape == (300, 30) and data.X_test.shape == (100, 30)
    assert data.X_train.dtype == np.int32 and data.cue_mask_test.dtype == bool
    assert data.cue_mask_train.shape == data.X_train.shape
    assert set(np.unique(data.y_train)) == {0, 1}
    assert data.vocab_size == len(data.vocab) == 100 and data.vocab[0] == PAD
    assert data.seq_len == 30
    for X, m in (
        (data.X_train, data.cue_mask_train),
        (data.X_test, data.cue_mask_test),
    ):
        assert X.min() >= 0 and X.max() < 100
        lengths = (X != 0).sum(axis=1)
        assert lengths.min() >= 12 and lengths.max() <= 30
        # padding only at the end, and never marked
        cols = np.arange(X.shape[1])
        assert np.array_equal(X != 0, cols[None, :] < lengths[:, None])
        assert not np.any(m & (X == 0))
        assert np.all(m.sum(axis=1) >= 1)
    # classes roughly balanced (polarities are drawn with probability 1/2)
    assert 0.4 < data.y_train.mean() < 0.6


def test_same_seed_same_data_other_seed_other_data():
    a, b = make_text_data(n_samples=100), make_text_data(n_samples=100)
    c = make_text_data(n_samples=100, random_state=1)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert np.array_equal(a.cue_mask_test, b.cue_mask_test)
    assert not np.array_equal(a.X_train, c.X_train)


def test_filler_follows_zipf_and_cues_are_not_filler():
    data = make_text_data(n_samples=2000)
    X = data.X_train
    filler = X[(X != 0) & (data.polarity[X] == 0) & ~data.negator[X]]
    counts = np.bincount(filler, minlength=data.vocab_size)
    first = 20  # the first filler id
    assert data.vocab[first] == "the" and counts.argmax() == first
    # rank 1 : rank 10 : rank 100 about 1 : 1/10 : 1/100 (exponent 1)
    r1, r10, r100 = counts[first], counts[first + 9], counts[first + 99]
    assert 5 < r1 / r10 < 20 and 40 < r1 / r100 < 250


def test_word_order_decides_the_label():
    """Shuffling the words of a sentence changes its label under the rule."""
    data = make_text_data(n_samples=600, random_state=4)
    rng = np.random.default_rng(0)
    X = data.X_test.copy()
    for row in X:
        n = int((row != 0).sum())
        row[:n] = rng.permutation(row[:n])
    y_shuffled, _, _ = data.rule(X)
    changed = np.mean(y_shuffled != data.y_test)
    assert changed > 0.1  # the same bag of words, another label


def test_rule_on_edited_sentences():
    data = make_text_data(n_samples=20)
    v = {w: i for i, w in enumerate(data.vocab)}
    X = np.zeros((3, data.seq_len), dtype=np.int32)
    X[0, :4] = [v["the"], v["film"], v["not"], v["good"]]
    X[1, :3] = [v["the"], v["film"], v["good"]]  # "not" deleted
    X[2, :5] = [v["not"], v["the"], v["good"], v["bad"], v["bad"]]  # stray "not"
    y, mask, score = data.rule(X)
    assert y.tolist() == [0, 1, 0] and score.tolist() == [-1, 1, -1]
    assert mask[0, :4].tolist() == [False, False, True, True]
    assert not mask[2, 0], "a negator before a filler word decides nothing"
    assert data.decode(X[0]) == "the film not good"
    assert data.tokens(X[1]) == ["the", "film", "good"]


def test_vocab_is_fixed_and_readable():
    vocab = text_vocab(500)
    assert vocab[:2] == [PAD, "good"] and vocab[17:20] == list(NEGATORS)
    assert len(set(vocab)) == 500
    assert text_vocab(30) == vocab[:30]
    assert text_vocab(700)[-1] == "w699"  # past the built-in filler words


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_cues": (1, 2)}, ValueError, "n_cues"),
        ({"n_cues": ()}, ValueError, "n_cues"),
        ({"n_cues": 1.5}, TypeError, "n_cues"),
        ({"min_len": 6}, ValueError, "min_len"),
        ({"min_len": 50}, ValueError, "min_len"),
        ({"negation_rate": 1.5}, ValueError, "negation_rate"),
        ({"n_samples": 10.0}, TypeError, "n_samples"),
        ({"n_samples": 2}, ValueError, "n_samples"),
        ({"vocab_size": 10}, ValueError, "vocab_size"),
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"random_state": -1}, ValueError, "random_state"),
        ({"zipf_exponent": -1.0}, ValueError, "zipf_exponent"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, name):
    with pytest.raises(error, match=name):
        make_text_data(n_samples=kwargs.pop("n_samples", 50), **kwargs)


def test_decoding_checks_ids():
    data = make_text_data(n_samples=20)
    with pytest.raises(TypeError, match="ids"):
        data.tokens(data.X_test[0].astype(float))
    with pytest.raises(ValueError, match="ids"):
        data.decode(np.array([1, 2, 999]))
    with pytest.raises(ValueError, match="X"):
        data.rule(data.X_test[0])
