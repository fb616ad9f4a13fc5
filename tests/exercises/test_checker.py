"""The checker itself: what it recognises, what it says, what it never says."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from nnbook.exercises import (
    Choice,
    Exercise,
    Feedback,
    Judged,
    Mistake,
    Numeric,
    WrongAnswer,
    check,
    get_exercise,
)

REF = np.array([0.5, -1.25, 2.0, 0.125])
P = np.array([0.2, 0.5, 0.7, 0.9])


def _judge(answer, judge=None, mistakes=(), **context):
    judge = judge or Numeric(slope=lambda: P * (1 - P))
    return judge.judge(answer, REF, context, mistakes)


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (REF * 1.0, None),
        ("0.5", "Expected an array of numbers of shape (4,), got str"),
        (len, "Call the function"),
        (True, "truth value"),
        (np.array([np.nan, 1, 2, 3]), "NaN or infinite"),
        (REF[:, None], "reshape"),
        (REF[:3], "got an array of shape (3,)"),
        (np.tile(REF, (4, 1)), "broadcasting"),
        (-REF, "sign is flipped"),
        (REF * P * (1 - P), "times p(1 - p)"),
        (REF / (P * (1 - P)), "divided by p(1 - p)"),
        (REF[::-1].copy(), "wrong order"),
        (3 * REF, "constant factor"),
        (REF * (1 + 1e-3), "Close, but not equal: the relative error is 1.0e-03"),
        (REF + np.array([0, 0, 5, 0]), "1 of 4 values differ"),
    ],
)
def test_numeric_recognises(answer, phrase):
    right, lines = _judge(answer)
    if phrase is None:
        assert right and lines == []
    else:
        assert not right
        assert phrase in " ".join(lines), lines


def test_numeric_transposed_and_scalar():
    ref = np.arange(6.0).reshape(2, 3)
    right, lines = Numeric().judge(ref.T.copy(), ref, {})
    assert not right and "transposed" in " ".join(lines)
    right, lines = Numeric().judge(3.0, 2.0, {})
    assert not right and "too large" in lines[0]
    right, lines = Numeric().judge(1.0, 2.0, {})
    assert not right and "too small" in lines[0]


def test_numeric_integer_answers():
    judge = Numeric(integer=True, rtol=0, atol=0)
    assert judge.judge(np.int64(7), 7, {}) == (True, [])
    assert judge.judge(7.0, 7, {}) == (True, [])
    right, lines = judge.judge(7.5, 7, {})
    assert not right and "whole number" in lines[0]


def test_mistakes_come_before_generic_diagnoses():
    mistake = Mistake("mean, not sum", lambda: -REF)  # also a sign flip
    right, lines = _judge(-REF, mistakes=(mistake,))
    assert not right and lines == ["mean, not sum"]


def test_choice():
    judge = Choice(options=("useful", "noise"), hints={"noise": "it leans on signal"})
    assert judge.judge(" Useful ", "useful", {}) == (True, [])
    assert judge.judge("noise", "useful", {}) == (False, ["it leans on signal"])
    right, lines = judge.judge("both", "useful", {})
    assert not right and "not one of the options" in lines[0]
    right, lines = judge.judge(1, "useful", {})
    assert not right and "as a string" in lines[0]
    with pytest.raises(ValueError, match="unknown options"):
        Choice(options=("a",), hints={"b": "?"})


def test_judged_passes_context():
    judge = Judged(lambda answer, reference, *, k: (answer == reference + k, ["no"]))
    assert judge.judge(3, 1, {"k": 2}, ())[0]


def test_feedback_text_and_html_carry_the_same_words():
    fb = Feedback("loss.2", "The gradient", "wrong", ("Use `np.log`, not <log>.",))
    assert fb.text == (
        "Exercise loss.2 (The gradient): not right yet.\n- Use `np.log`, not <log>."
    )
    assert repr(fb) == str(fb) == fb.text and not fb
    html = fb._repr_html_()
    assert "<code>np.log</code>" in html and "&lt;log&gt;" in html
    assert "not right yet." in html and "dashed" in html
    assert Feedback("a.1", "t", "right")
    assert "right." in Feedback("a.1", "t", "right")._repr_html_()


def test_placeholder_is_not_answered_yet_and_deterministic():
    first = check("loss.2", ..., y=np.zeros(4), z=np.zeros(4))
    again = check("loss.2", None, y=None, z=None)  # nothing is computed
    assert first.status == "pending" and first.text == again.text
    assert "not answered yet" in first.text and "Hint:" in first.text


def test_check_names_wrong_keyword_arguments():
    with pytest.raises(TypeError, match=r"missing keyword arguments \['z'\]"):
        check("loss.2", ..., y=np.zeros(4))
    with pytest.raises(TypeError, match=r"unexpected keyword arguments \['w'\]"):
        check("loss.2", ..., y=0, z=0, w=0)


def test_wrong_context_objects_are_named():
    with pytest.raises(TypeError, match=r"the keyword arguments \['model', 'x'\]"):
        check("explaining.2", np.zeros(20), model="not a model", x=np.zeros(20))


def test_unknown_exercises_are_named():
    with pytest.raises(ValueError, match="chapter topic must be one of"):
        check("nope.1", ...)
    with pytest.raises(ValueError, match=r"no exercise 'loss\.9'; chapter 'loss' has"):
        check("loss.9", ...)
    with pytest.raises(TypeError, match="exercise_id must be a string"):
        get_exercise(4.2)


def test_exercise_definitions_are_validated():
    base = dict(
        title="t",
        kind="code",
        level=1,
        statement="s",
        solution="a = 1",
        answer_name="a",
        answer_comment="c",
        check_args="",
        needs=(),
        reference=lambda: 1,
        judge=Numeric(),
        hint="h",
        wrong_answers=(WrongAnswer("a = 2", "x"),),
    )
    with pytest.raises(ValueError, match="exercise id"):
        Exercise(id="loss", **base)
    with pytest.raises(ValueError, match="kind must be"):
        Exercise(id="loss.7", **{**base, "kind": "essay"})
    with pytest.raises(ValueError, match="level must be"):
        Exercise(id="loss.7", **{**base, "level": 4})


def test_importing_the_exercises_loads_numpy_only():
    """nnbook.exercises stands apart: no TensorFlow, no other part of nnbook."""
    code = (
        "import sys\n"
        "from nnbook.exercises import exercises\n"
        "assert len(exercises()) > 0\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'sklearn', 'matplotlib', 'scipy') "
        "or (m.startswith('nnbook.') and not m.startswith('nnbook.exercises')))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout


def test_the_reference_sigmoid_agrees_with_the_package():
    from nnbook.exercises._reference import logit, sigmoid

    try:
        from nnbook.activations import sigmoid as package_sigmoid
    except ImportError:  # before the restructure: the sigmoid of nnbook.losses
        from nnbook.losses import sigmoid as package_sigmoid
    z = np.linspace(-40, 40, 81)
    np.testing.assert_allclose(sigmoid(z), package_sigmoid(z), rtol=1e-12)
    np.testing.assert_allclose(logit(sigmoid(z[30:51])), z[30:51], atol=1e-9)
