"""Exercises of the chapter *Text: which words decide* (``text``).

Chapter objects used: ``data`` (the generated sentences,
``nnbook.data.make_text_data``: ``polarity``, ``negator``), ``X_test``,
``y_test`` and ``mask_test`` (its test split and cue mask), ``bag`` and
``rnn`` (the trained bag of embeddings and GRU, sigmoid output),
``attrs_rnn`` (the GRU's attributions per method), ``token_output`` (the
logit of a text model, imported from ``nnbook.explain``), ``np``.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._reference import logit, predict
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _blind_accuracy(polarity, X, y, *, signs=False):
    score = np.asarray(polarity, np.int64)[np.asarray(X)].sum(axis=1)
    guess = np.sign(score) if signs else (score > 0).astype(int)
    return float(np.mean(guess == np.asarray(y)))


def _occlusion(model, x, *, output="logit"):
    x = np.asarray(x)
    real = np.flatnonzero(x != 0)
    copies = np.repeat(x[None], len(real) + 1, axis=0)
    copies[np.arange(1, len(real) + 1), real] = 0  # row 0: the sentence itself
    p = predict(model, copies)[:, 0]
    f = logit(p) if output == "logit" else p
    scores = np.zeros(x.shape, dtype=np.float64)
    scores[real] = f[0] - f[1:]
    return scores


def _reversed(X):
    """Each sentence's words in reverse order, the padding still at the end."""
    X = np.asarray(X)
    out = np.zeros_like(X)
    for i, row in enumerate(X):
        words = row[row != 0]
        out[i, : len(words)] = words[::-1]
    return out


def _accuracy(model, X, y):
    return float(np.mean((predict(model, X)[:, 0] > 0.5) == np.asarray(y)))


def _reading_backwards(bag, rnn, X, y):
    X_back = _reversed(X)
    changed = [
        abs(_accuracy(m, X_back, y) - _accuracy(m, X, y)) > 0.01 for m in (bag, rnn)
    ]
    return {
        (False, False): "neither",
        (True, False): "bag of words only",
        (False, True): "GRU only",
        (True, True): "both",
    }[tuple(changed)]


def _precision_at_k(attr, mask, X, *, signed=False, padding_last=True):
    """Per sentence: share of deciding tokens among the k top-ranked ones.

    The reference answer, written out with NumPy as the learner would;
    ``nnbook.explain.token_ground_truth_score(..., per_sample=True)`` is the
    package's implementation (a test checks that they agree).
    """
    attr, mask, X = np.asarray(attr, np.float64), np.asarray(mask), np.asarray(X)
    score = attr if signed else np.abs(attr)
    if padding_last:
        score = np.where(X != 0, score, -np.inf)  # padding ranks last
    out = np.zeros(len(X))
    for i in range(len(X)):
        k = int(mask[i].sum())
        top = np.argsort(-score[i], kind="stable")[:k]
        out[i] = mask[i, top].mean()
    return out


register(
    Exercise(
        id="text.1",
        title="A reader blind to negation",
        kind="value",
        level=1,
        statement="""\
A reader that ignores word order adds up the polarities of the cue words
(`data.polarity[X_test]`: +1 for a positive cue, -1 for a negative one, 0
for every other token) and says class 1 when the sum is positive. It
cannot tell "good" from "not good". What share of the test sentences does it
label correctly? Answer with a number between 0 and 1.""",
        answer_name="blind_acc",
        answer_comment="a share between 0 and 1",
        check_args="polarity=data.polarity, X=X_test, y=y_test",
        needs=("data", "X_test", "y_test", "np"),
        reference=_blind_accuracy,
        judge=Numeric(rtol=1e-9, atol=1e-12),
        hint="sum data.polarity[X_test] along each sentence (axis=1), compare "
        "with 0, then with y_test.",
        mistakes=(
            Mistake(
                "The labels in y_test are 0 and 1, not -1 and +1: compare "
                "`score > 0` with them, not `np.sign(score)`.",
                lambda polarity, X, y: _blind_accuracy(polarity, X, y, signs=True),
            ),
        ),
        solution="""\
score = data.polarity[X_test].sum(axis=1)  # sum of the cues' polarities
blind_acc = np.mean((score > 0) == y_test)""",
        explanation="""\
The negation-blind rule is right wherever the negations do not change the
sign of the sum, and it scores close to the bag of words and to the
logistic regression on counts. Any reader that only counts words is stuck
near this value: the bag of words has learnt about as much as counting
allows.""",
        wrong_answers=(
            WrongAnswer(
                "blind_acc = np.mean(np.sign(data.polarity[X_test].sum(axis=1)) "
                "== y_test)",
                "0 and 1",
            ),
        ),
    ),
    Exercise(
        id="text.2",
        title="Occlusion by hand",
        kind="code",
        level=2,
        statement="""\
Write the occlusion loop for test sentence 1 (`x_ex`, 40 token ids; it
holds "not delightful"). For every real word $t$, remove the word (set its
id to 0, the padding, which the GRU skips) and record
$F(x) - F(x \\text{ without } t)$, where $F$ is the GRU's *logit*
(`token_output(rnn, X)` gives it for a batch `X`). Padding gets 0. Answer:
an array of shape `(40,)`. Build all the copies first and call
`token_output` once.""",
        setup="x_ex = X_test[1]",
        answer_name="occ",
        answer_comment="one score per position, shape (40,)",
        check_args="model=rnn, x=x_ex",
        needs=("rnn", "X_test", "token_output", "np"),
        reference=_occlusion,
        judge=Numeric(rtol=1e-5, atol=1e-6),
        hint="real = np.flatnonzero(x_ex); one copy of x_ex per real word, with "
        "that word set to 0; F(x) minus F of each copy.",
        mistakes=(
            Mistake(
                "These are differences of probabilities; the chapter attributes "
                "the logit, the score before the sigmoid: use "
                '`token_output(rnn, X)` (output="logit").',
                lambda model, x: _occlusion(model, x, output="probability"),
            ),
        ),
        solution="""\
real = np.flatnonzero(x_ex)  # positions of the real words
copies = np.repeat(x_ex[None], len(real), axis=0)
copies[np.arange(len(real)), real] = 0  # copy j lacks word real[j]
occ = np.zeros(x_ex.shape)
occ[real] = token_output(rnn, x_ex[None])[0] - token_output(rnn, copies)""",
        explanation="""\
This is `token_attribution(rnn, X, method="occlusion")` for one sentence
(compare with `attrs_rnn["occlusion"][1]`). Setting a token to 0 is the
same as deleting it, because the embedding's mask makes the GRU skip
padding and carry its state over. Look at which words get the largest
scores, and at how little the other cues get: occlusion measures what
*this model's* logit does without a word, not what the labelling rule
says about it.""",
        wrong_answers=(
            WrongAnswer(
                "real = np.flatnonzero(x_ex)\n"
                "copies = np.repeat(x_ex[None], len(real), axis=0)\n"
                "copies[np.arange(len(real)), real] = 0\n"
                "occ = np.zeros(x_ex.shape)\n"
                'p = token_output(rnn, x_ex[None], output="probability")[0]\n'
                'occ[real] = p - token_output(rnn, copies, output="probability")',
                "logit",
            ),
            WrongAnswer(
                "real = np.flatnonzero(x_ex)\n"
                "copies = np.repeat(x_ex[None], len(real), axis=0)\n"
                "copies[np.arange(len(real)), real] = 0\n"
                "occ = np.zeros(x_ex.shape)\n"
                "occ[real] = token_output(rnn, copies) - token_output(rnn, "
                "x_ex[None])[0]",
                "sign is flipped",
            ),
            WrongAnswer(
                "real = np.flatnonzero(x_ex)\n"
                "copies = np.repeat(x_ex[None], len(real), axis=0)\n"
                "copies[np.arange(len(real)), real] = 0\n"
                "occ = token_output(rnn, x_ex[None])[0] - token_output(rnn, copies)",
                "shape (40,)",
            ),
        ),
    ),
    Exercise(
        id="text.3",
        title="Reading backwards",
        kind="prediction",
        level=2,
        statement="""\
Before you run it, predict: if every test sentence is read backwards (its
words in reverse order, the padding still at the end; the labels stay),
whose test accuracy changes by more than one percentage point? Answer
`"neither"`, `"bag of words only"`, `"GRU only"` or `"both"`. Then check
with `X_back` of the cell.""",
        setup="""\
X_back = np.zeros_like(X_test)  # each sentence reversed, padding at the end
for i, row in enumerate(X_test):
    words = row[row != 0]
    X_back[i, : len(words)] = words[::-1]""",
        answer_name="prediction",
        answer_comment="one of the four options, as a string",
        check_args="bag=bag, rnn=rnn, X=X_test, y=y_test",
        needs=("bag", "rnn", "X_test", "y_test", "np"),
        reference=_reading_backwards,
        judge=Choice(
            options=("neither", "bag of words only", "GRU only", "both"),
            hints={
                "neither": "The GRU reads in order: backwards, 'not good' "
                "becomes 'good not ...', and the negator now stands before "
                "another word.",
                "bag of words only": "The bag averages the embeddings of the "
                "words, and an average does not depend on their order.",
                "both": "One of the two models cannot see order at all: its "
                "output is the same for any order of the same words.",
            },
        ),
        hint="which of the two models can tell 'not good' from 'good not'?",
        solution="""\
acc = {}
for name, model in (("bag of words", bag), ("GRU", rnn)):
    before = np.mean((model.predict(X_test, verbose=0)[:, 0] > 0.5) == y_test)
    after = np.mean((model.predict(X_back, verbose=0)[:, 0] > 0.5) == y_test)
    acc[name] = abs(after - before) > 0.01
prediction = {(False, False): "neither", (True, False): "bag of words only",
              (False, True): "GRU only", (True, True): "both"}[
    (acc["bag of words"], acc["GRU"])]""",
        explanation="""\
The bag's accuracy does not move: an average of embeddings is the same in
any order. The GRU's falls, because it learnt the rule *as it reads*: a
negator flips the next word. Backwards, the negated cue comes first and is
read plainly, and the negator flips whichever word followed it. Both
models explain the original sentences well; only one of them has learnt
something that depends on order, which is what the chapter's insertion
test showed from the other side.""",
        wrong_answers=(
            WrongAnswer('prediction = "neither"', "reads in order"),
            WrongAnswer('prediction = "both"', "cannot see order"),
        ),
    ),
    Exercise(
        id="text.4",
        title="Precision@k by hand",
        kind="code",
        level=3,
        statement="""\
Score the GRU's gradient × input attributions `attr_ex` against the truth,
as the chapter's table does. For each test sentence, let $k$ be its number
of deciding tokens (`mask_test[i].sum()`); rank its *real* tokens by
$|\\text{attribution}|$ (padding never counts) and take the share of
deciding tokens among the $k$ top-ranked. Answer: one precision@k per
sentence, an array of shape `(1000,)`.""",
        setup='attr_ex = attrs_rnn["gradient_x_input"]',
        answer_name="prec",
        answer_comment="one precision@k per sentence, shape (1000,)",
        check_args="attr=attr_ex, mask=mask_test, X=X_test",
        needs=("attrs_rnn", "mask_test", "X_test", "np"),
        reference=_precision_at_k,
        judge=Numeric(rtol=1e-9, atol=1e-12),
        hint="per sentence: k = mask_test[i].sum(); order = np.argsort(-np.abs("
        "attr_ex[i])); the mean of mask_test[i][order[:k]].",
        mistakes=tuple(
            Mistake(
                "Rank by the *magnitude* |attribution|: a negative cue or a "
                "negator pushes towards class 0 and decides the label as much "
                "as a positive cue (and a signed ranking puts padding, at 0, "
                "above every negative score).",
                lambda attr, mask, X, last=last: _precision_at_k(
                    attr, mask, X, signed=True, padding_last=last
                ),
            )
            for last in (False, True)
        ),
        solution="""\
score = np.where(X_test != 0, np.abs(attr_ex), -np.inf)  # padding last
prec = np.zeros(len(X_test))
for i in range(len(X_test)):
    k = mask_test[i].sum()
    top = np.argsort(-score[i], kind="stable")[:k]
    prec[i] = mask_test[i][top].mean()""",
        explanation="""\
The mean of `prec` is the table's precision@k for gradient × input on
data seed 0; `token_ground_truth_score(attr_ex, mask_test, X_test,
per_sample=True)["precision_at_k"]` computes the same without the loop. A
sentence's precision@k can only take the values $0, 1/k, \\dots, 1$: with
$k$ between 1 and 6, per-sentence scores are coarse, and only their mean
over many sentences separates methods.""",
        wrong_answers=(
            WrongAnswer(
                "prec = np.zeros(len(X_test))\n"
                "for i in range(len(X_test)):\n"
                "    k = mask_test[i].sum()\n"
                "    top = np.argsort(-attr_ex[i], kind='stable')[:k]\n"
                "    prec[i] = mask_test[i][top].mean()",
                "magnitude",
            ),
            WrongAnswer(
                "score = np.where(X_test != 0, np.abs(attr_ex), -np.inf)\n"
                "k = mask_test.sum(axis=1)\n"
                "prec = np.mean([mask_test[i][np.argsort(-score[i])[: k[i]]]"
                ".mean() for i in range(len(X_test))])",
                "shape (1000,)",
            ),
        ),
    ),
)
