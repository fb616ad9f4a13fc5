"""Generated sentences whose deciding words are known: sentiment with negation.

Real text never says which words decided its label. These sentences do: a
label is computed by a fixed rule from a few *cue* words and the *negators*
directly before them, and everything else is filler drawn from a Zipf-like
distribution. So every explanation of a text model can be scored against
the truth (:func:`nnbook.explain.token_ground_truth_score`).

The rule, exactly
-----------------
Every cue word has a polarity, +1 (``good``, ``great``, ...) or -1
(``bad``, ``awful``, ...). A cue is *negated* when the token directly
before it is a negator (``not``, ``never``, ``hardly``); its effective
polarity is then flipped. The label is 1 when the sum of the effective
polarities is positive and 0 when it is negative::

    score = sum over cues t of  polarity(x_t) * (-1 if x_{t-1} is a negator else 1)
    y = 1 if score > 0 else 0

A sentence holds an odd number of cues (1 or 3 by default), so the score is
odd and never 0: ties are impossible by construction.

What the mask marks
-------------------
``cue_mask`` is True exactly on the tokens the rule reads: every cue, and
every negator directly before a cue (it flips that cue, so it decides the
label as much as the cue does). Negators elsewhere (*stray* negators, always
followed by a filler word) and all filler are False: the label is the same
whatever they are, as long as no new cue or cue-negator pair is made. Given
only the masked tokens and their positions, the rule gives back every label;
``tests/test_text_data.py`` checks it for several seeds and options.

Why word order matters
----------------------
A bag of words sees that ``not`` and ``good`` occur, but not whether ``not``
stands directly before ``good`` or before a filler word elsewhere; stray
negators are as common as negating ones. A model that reads in order can
tell them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_int, check_real

__all__ = [
    "PAD",
    "POSITIVE_CUES",
    "NEGATIVE_CUES",
    "NEGATORS",
    "TextData",
    "make_text_data",
    "text_vocab",
]

#: The padding token; its id is 0.
PAD = "<pad>"
#: Cue words with polarity +1 (ids 1-8).
POSITIVE_CUES: tuple[str, ...] = (
    "good", "great", "excellent", "wonderful",
    "superb", "brilliant", "enjoyable", "delightful",
)  # fmt: skip
#: Cue words with polarity -1 (ids 9-16).
NEGATIVE_CUES: tuple[str, ...] = (
    "bad", "awful", "terrible", "boring",
    "dull", "poor", "dreadful", "tedious",
)  # fmt: skip
#: Words that flip the cue directly after them (ids 17-19).
NEGATORS: tuple[str, ...] = ("not", "never", "hardly")

_N_SPECIAL = 1 + len(POSITIVE_CUES) + len(NEGATIVE_CUES) + len(NEGATORS)

# Neutral filler, most frequent first (the Zipf ranks follow this order).
_FILLER_WORDS: tuple[str, ...] = tuple(
    """
    the a and of to is was it this that in film movie with for as but on story
    plot its an his her at by from one all about there who they so what out up
    just more some when which their has time than into only can even also most
    after first would other two characters been how many much see scenes
    director could way make end then cast because where through while these
    those over made seems being before still every again scene thing people life
    such another both around between off here now part since script actors role
    place year together night music day along real point work three world man
    woman young old house city family friends camera screen series book version
    sequel ending opening minutes hours moment moments kind sort lot set show
    look feel dialogue voice effects action drama comedy style tone pace length
    audience viewers critics studio budget release theatre ticket seat popcorn
    weekend evening morning summer winter spring autumn trailer poster title
    credits soundtrack song songs dance costume costumes lighting editing shots
    frame colour sound words lines questions answers reasons ideas themes events
    chapter episode season table chair window door street road car train bus
    plane ship boat river lake sea mountain hill forest tree garden field farm
    village town country island bridge tower wall roof floor kitchen room office
    school church market shop bank hotel station airport hospital library museum
    park beach desert valley castle palace prison court teacher doctor soldier
    driver farmer writer painter singer dancer actor actress king queen prince
    princess captain sailor pilot student child children boy girl mother father
    brother sister uncle aunt cousin neighbour stranger crowd police detective
    lawyer judge reporter letter phone radio paper pen pencil glass cup plate
    bottle box bag coat hat shoe shirt dress ring key clock watch map photo
    picture painting mirror lamp candle bed sofa rain snow wind sun moon star
    sky cloud storm fire water stone sand grass flower leaf horse dog cat bird
    fish cow sheep monday tuesday week month today tomorrow yesterday hour
    minute century decade afternoon midnight noon goes went come came takes took
    gives gave says said tells told asks asked walks walked runs ran turns
    turned opens opened closes closed begins began starts started follows
    followed meets met leaves left returns returned finds found keeps kept holds
    held brings brought writes wrote reads plays played watches watched waits
    waited stays stayed moves moved red blue green black white yellow brown grey
    large small long short tall early late new next last second third fourth
    fifth final main same different several few each under above across behind
    beside near against during until within upon toward among beyond however
    therefore perhaps maybe almost already yet once twice often sometimes always
    usually rather quite very too north south east west right top bottom middle
    side front back inside outside corner edge centre line circle square number
    page note list name sign case matter fact question answer reason idea theme
    event history science nature art language report news game sport team player
    match goal race path trip journey visit
    """.split()
)


def text_vocab(vocab_size: int = 500) -> list[str]:
    """The vocabulary: padding, cues, negators, then filler by frequency rank.

    Ids are fixed and do not depend on any seed: 0 is ``"<pad>"``, 1-8 the
    positive cues, 9-16 the negative cues, 17-19 the negators, and 20 onward
    the filler words in Zipf rank order (``"the"`` is the most frequent).
    Past the built-in list of filler words, the names are ``w<id>``.

    Args:
        vocab_size: Total number of tokens, >= 24 (at least 4 filler words).

    Returns:
        list[str]: ``vocab_size`` token strings; ``vocab[i]`` is token ``i``.
    """
    vocab_size = check_int(vocab_size, "vocab_size", low=_N_SPECIAL + 4)
    fixed = [PAD, *POSITIVE_CUES, *NEGATIVE_CUES, *NEGATORS]
    n_filler = vocab_size - len(fixed)
    names = list(_FILLER_WORDS[:n_filler])
    names += [f"w{len(fixed) + i}" for i in range(len(names), n_filler)]
    return fixed + names


@dataclass(frozen=True)
class TextData:
    """Generated sentences, split, with the tokens that decide each label.

    Attributes:
        X_train: int32 token ids ``(n_train, seq_len)``, padded with 0 at the
            end.
        X_test: int32 token ids ``(n_test, seq_len)``.
        y_train: int64 labels 0/1 ``(n_train,)``.
        y_test: int64 labels 0/1 ``(n_test,)``.
        cue_mask_train: bool ``(n_train, seq_len)``; True exactly on the
            tokens the label is computed from (cues and the negators
            directly before them).
        cue_mask_test: bool ``(n_test, seq_len)``.
        vocab: The token strings; ``vocab[0]`` is ``"<pad>"``.
        polarity: int8 ``(vocab_size,)``: +1 for a positive cue, -1 for a
            negative cue, 0 for every other token.
        negator: bool ``(vocab_size,)``: True for the negators.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    cue_mask_train: np.ndarray
    cue_mask_test: np.ndarray
    vocab: list[str]
    polarity: np.ndarray
    negator: np.ndarray

    @property
    def vocab_size(self) -> int:
        """The number of tokens, padding included."""
        return len(self.vocab)

    @property
    def seq_len(self) -> int:
        """The padded length of every sentence."""
        return int(self.X_train.shape[1])

    def tokens(self, ids: Any) -> list[str]:
        """The words of one sentence, padding dropped.

        Args:
            ids: int ``(seq_len,)`` token ids of one sentence.

        Returns:
            list[str]: One string per non-padding token.
        """
        ids = self._ids(ids, "ids")
        if ids.ndim != 1:
            raise ValueError(f"ids must be one sentence (1-D), got shape {ids.shape}")
        return [self.vocab[i] for i in ids if i != 0]

    def decode(self, ids: Any) -> str:
        """One sentence as a string of space-separated words, without padding."""
        return " ".join(self.tokens(ids))

    def rule(self, X: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Apply the labelling rule to any token ids (see the module docstring).

        This is the one implementation of the rule: the generator labels its
        sentences with it, and a chapter can relabel edited sentences (a
        negator deleted, a cue swapped) to see what the truth becomes.

        Args:
            X: int token ids ``(n, seq_len)``.

        Returns:
            tuple: ``(y, cue_mask, score)``: int64 labels ``(n,)``, bool
            ``(n, seq_len)``, and the int64 signed sum of effective cue
            polarities ``(n,)``. ``y`` is 1 where ``score > 0``; a sentence
            whose score is 0 (possible only for edited sentences with an even
            number of cues) gets ``y = 0`` and can be found by its score.
        """
        X = self._ids(X, "X")
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (n, seq_len), got shape {X.shape}")
        return _sentiment_rule(X, self.polarity, self.negator)

    def _ids(self, ids: Any, name: str) -> np.ndarray:
        arr = np.asarray(ids)
        if not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(f"{name} must hold integer token ids, got {arr.dtype}")
        if arr.size and (arr.min() < 0 or arr.max() >= self.vocab_size):
            raise ValueError(
                f"{name} must hold token ids in [0, {self.vocab_size}), got "
                f"values in [{arr.min()}, {arr.max()}]"
            )
        return arr


def _sentiment_rule(
    X: np.ndarray, polarity: np.ndarray, negator: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The label rule on checked token ids (see :meth:`TextData.rule`)."""
    pol = polarity[X].astype(np.int64)  # (n, T): +1, -1 or 0
    neg_before = np.zeros(X.shape, dtype=bool)
    neg_before[:, 1:] = negator[X[:, :-1]]
    is_cue = pol != 0
    score = np.where(neg_before, -pol, pol).sum(axis=1)
    mask = is_cue.copy()
    mask[:, :-1] |= negator[X[:, :-1]] & is_cue[:, 1:]  # negators before cues
    return (score > 0).astype(np.int64), mask, score


def _check_choices(value: Any, name: str, *, odd: bool) -> tuple[int, ...]:
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        value = (value,)
    try:
        vals = tuple(check_int(v, f"{name} entries", low=0) for v in value)
    except TypeError as exc:
        raise TypeError(
            f"{name} must be an integer or a sequence of integers, got {value!r}"
        ) from exc
    if not vals:
        raise ValueError(f"{name} must not be empty")
    if odd and any(v % 2 == 0 for v in vals):
        raise ValueError(
            f"{name} must hold odd counts (so the polarity sum is never 0), got {vals}"
        )
    return vals


def make_text_data(
    n_samples: int = 4000,
    seq_len: int = 40,
    vocab_size: int = 500,
    random_state: int = 0,
    *,
    n_cues: Sequence[int] | int = (1, 3),
    negation_rate: float = 0.3,
    n_stray_negators: Sequence[int] | int = (0, 1, 2),
    min_len: int = 12,
    zipf_exponent: float = 1.0,
    test_size: float = 0.25,
) -> TextData:
    """Generated sentiment sentences whose deciding tokens are known.

    Each sentence is built from *units* placed in random order: every cue
    (a positive or negative word, each polarity with probability 1/2) is a
    unit of one token, or of two (``negator cue``) with probability
    ``negation_rate``; every stray negator is a unit ``negator filler``; the
    rest are single filler words drawn with probability proportional to
    ``1 / rank ** zipf_exponent`` (Zipf, 1949). No unit ends with a negator,
    so a negator directly before a cue is always a negating one, and no
    negator ever precedes another. The label is then computed from the
    finished token ids by :meth:`TextData.rule` (see the module docstring
    for the exact rule and what the mask marks).

    Everything comes from one ``numpy`` generator seeded with
    ``random_state``: the same arguments give the same data on any machine.

    Args:
        n_samples: Number of sentences before the split, >= 4.
        seq_len: Padded length; sentences are ``min_len`` to ``seq_len``
            tokens long (uniform), padded with id 0 at the end.
        vocab_size: Vocabulary size including padding, cues and negators
            (see :func:`text_vocab`), >= 24.
        random_state: Seed of the generator, >= 0.
        n_cues: The possible numbers of cues per sentence, each odd (so the
            polarity sum is never 0), drawn uniformly.
        negation_rate: Probability that a cue is negated, in [0, 1].
        n_stray_negators: The possible numbers of negators per sentence that
            negate nothing (each is followed by a filler word), drawn
            uniformly.
        min_len: Shortest sentence; must leave room for the largest units.
        zipf_exponent: Exponent of the filler distribution, >= 0 (0 is
            uniform).
        test_size: Fraction of the sentences held out (the last ones), in
            (0, 1).

    Returns:
        TextData: The split token ids, labels and cue masks, and the
        vocabulary.

    Raises:
        ValueError: For counts out of range, an even ``n_cues`` entry, a rate
            outside [0, 1], or sentences too short for their units.
        TypeError: For non-integer counts.
    """
    n_samples = check_int(n_samples, "n_samples", low=4)
    seq_len = check_int(seq_len, "seq_len", low=2)
    vocab = text_vocab(vocab_size)
    random_state = check_int(random_state, "random_state", low=0)
    cue_counts = _check_choices(n_cues, "n_cues", odd=True)
    stray_counts = _check_choices(n_stray_negators, "n_stray_negators", odd=False)
    negation_rate = check_real(negation_rate, "negation_rate", low=0.0, high=1.0)
    min_len = check_int(min_len, "min_len", low=1, high=seq_len)
    zipf_exponent = check_real(zipf_exponent, "zipf_exponent", low=0.0)
    test_size = check_real(test_size, "test_size", low=0.0, high=1.0)
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be in (0, 1), got {test_size}")
    longest = 2 * max(cue_counts) + 2 * max(stray_counts)
    if longest > min_len:
        raise ValueError(
            f"min_len must be >= {longest} to hold {max(cue_counts)} negated cues "
            f"and {max(stray_counts)} stray negators, got {min_len}"
        )

    n_pos, n_neg = len(POSITIVE_CUES), len(NEGATIVE_CUES)
    pos_ids = np.arange(1, 1 + n_pos)
    neg_ids = np.arange(1 + n_pos, 1 + n_pos + n_neg)
    negator_ids = np.arange(1 + n_pos + n_neg, _N_SPECIAL)
    filler_ids = np.arange(_N_SPECIAL, len(vocab))
    ranks = np.arange(1, filler_ids.size + 1, dtype=np.float64)
    p_filler = ranks**-zipf_exponent
    p_filler /= p_filler.sum()

    rng = np.random.default_rng(random_state)
    X = np.zeros((n_samples, seq_len), dtype=np.int32)
    for i in range(n_samples):
        length = int(rng.integers(min_len, seq_len + 1))
        n_c = int(rng.choice(cue_counts))
        n_s = int(rng.choice(stray_counts))
        units: list[list[int]] = []
        for _ in range(n_c):
            words = pos_ids if rng.random() < 0.5 else neg_ids
            cue = int(rng.choice(words))
            if rng.random() < negation_rate:
                units.append([int(rng.choice(negator_ids)), cue])
            else:
                units.append([cue])
        for _ in range(n_s):
            units.append([int(rng.choice(negator_ids)), -1])  # -1: a filler
        n_fill = length - sum(len(u) for u in units)
        units += [[-1]] * n_fill
        order = rng.permutation(len(units))
        sentence = np.array([t for k in order for t in units[k]], dtype=np.int64)
        fill = sentence == -1
        sentence[fill] = rng.choice(filler_ids, size=int(fill.sum()), p=p_filler)
        X[i, :length] = sentence

    polarity = np.zeros(len(vocab), dtype=np.int8)
    polarity[pos_ids], polarity[neg_ids] = 1, -1
    negator = np.zeros(len(vocab), dtype=bool)
    negator[negator_ids] = True
    y, mask, score = _sentiment_rule(X, polarity, negator)
    if np.any(score == 0):  # pragma: no cover - impossible by construction
        raise AssertionError("a generated sentence has a polarity sum of 0")

    n_test = max(1, int(round(test_size * n_samples)))
    cut = n_samples - n_test
    return TextData(
        X_train=X[:cut],
        X_test=X[cut:],
        y_train=y[:cut],
        y_test=y[cut:],
        cue_mask_train=mask[:cut],
        cue_mask_test=mask[cut:],
        vocab=vocab,
        polarity=polarity,
        negator=negator,
    )
