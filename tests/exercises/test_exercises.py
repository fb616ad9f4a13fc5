"""Every registered exercise, run as its answer cell runs in the chapter.

For each exercise: the stored placeholder says "not answered yet"; the
reference solution (the code shown folded on the website) passes; every
typical wrong answer fails with its intended hint; no feedback that is not
"right" contains the reference answer; and the solution leaves the
chapter's objects as it found them.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import numpy as np
import pytest

from nnbook.exercises import CHAPTERS, Choice, exercises

from .harness import run_answer_cell

ALL = exercises()


def _ids(ex):
    return ex.id


@pytest.fixture(scope="module")
def ns(namespaces):
    return namespaces


def _leaks(text: str, reference: Any) -> list[str]:
    """Renderings of ``reference`` that appear in ``text``."""
    if isinstance(reference, str):
        pattern = r"(?<![\w.])" + re.escape(reference.lower()) + r"(?![\w.])"
        return [reference] if re.search(pattern, text.lower()) else []
    found = []
    for value in np.asarray(reference, np.float64).ravel()[:8]:
        if value == round(value):
            if abs(value) < 10:  # small whole numbers: shapes, counts in hints
                continue
            forms = [f"{int(value)}"]
        elif abs(value) < 1e-3:
            continue
        else:
            forms = [f"{value:.3f}", f"{value:.4f}", f"{value:.2e}", repr(float(value))]
        for form in forms:
            if re.search(r"(?<![\d.])" + re.escape(form) + r"(?!\d)", text):
                found.append(form)
    return found


@pytest.mark.parametrize("ex", ALL, ids=_ids)
def test_placeholder_is_not_answered_yet(ex, ns):
    feedback, _ = run_answer_cell(ex, ns[ex.topic])
    assert feedback.status == "pending"
    assert feedback.text.startswith(f"Exercise {ex.id} ({ex.title}): not answered yet.")
    assert f"Hint: {ex.hint}" in feedback.text


def _fingerprint(namespace: dict[str, Any]) -> dict[str, str]:
    """A hash of every array the chapter objects hold, and of model weights."""
    prints = {}
    for name, value in namespace.items():
        arrays = []
        if isinstance(value, np.ndarray):
            arrays = [value]
        elif hasattr(value, "__dataclass_fields__"):
            arrays = [v for v in vars(value).values() if isinstance(v, np.ndarray)]
        elif hasattr(value, "get_weights"):
            arrays = [np.asarray(w) for w in value.get_weights()]
        if arrays:
            digest = hashlib.sha256()
            for a in arrays:
                digest.update(np.ascontiguousarray(a).tobytes())
            prints[name] = digest.hexdigest()
    return prints


@pytest.mark.parametrize("ex", ALL, ids=_ids)
def test_reference_solution_passes(ex, ns):
    before = _fingerprint(ns[ex.topic])
    feedback, _ = run_answer_cell(ex, ns[ex.topic], ex.solution)
    assert feedback.passed, feedback.text
    assert feedback.text == f"Exercise {ex.id} ({ex.title}): right."
    assert _fingerprint(ns[ex.topic]) == before, "the solution changed chapter objects"


@pytest.mark.parametrize(
    ("ex", "k"),
    [(ex, k) for ex in ALL for k in range(len(ex.wrong_answers))],
    ids=[f"{ex.id}-wrong{k}" for ex in ALL for k in range(len(ex.wrong_answers))],
)
def test_wrong_answer_fails_with_its_hint(ex, k, ns):
    wrong = ex.wrong_answers[k]
    feedback, context = run_answer_cell(ex, ns[ex.topic], wrong.code)
    assert feedback.status == "wrong", feedback.text
    assert wrong.expect in feedback.text, feedback.text
    if "not one of the options" in feedback.text or "Expected one of" in feedback.text:
        return  # it lists every option, as the statement does
    reference = ex.reference(**context)
    assert _leaks(feedback.text, reference) == [], feedback.text


@pytest.mark.parametrize("ex", ALL, ids=_ids)
def test_feedback_never_shows_the_reference(ex, ns):
    """Feed the checker answers near and far from the reference; inspect the text."""
    _, context = run_answer_cell(ex, ns[ex.topic])
    reference = ex.reference(**context)
    if isinstance(ex.judge, Choice):
        answers = [o for o in ex.judge.options if o != reference]
    elif isinstance(reference, (int, float, np.ndarray, list, tuple, np.number)):
        ref = np.asarray(reference, np.float64)
        answers = [ref * 1.001 + 1e-3, -ref - 1, ref * 3 + 7, ref + 0.5, "text"]
    else:  # a judged answer: its own wrong answers
        answers = []
    texts = [ex.check(a, **context).text for a in answers]
    for text in texts:
        assert "right." not in text.splitlines()[0]
        assert _leaks(text, reference) == [], text


def test_every_chapter_has_its_exercises():
    """3 to 5 per chapter, numbered 1..n, with code and a prediction in each."""
    assert set(CHAPTERS) == {ex.topic for ex in ALL}
    for topic in CHAPTERS:
        mine = [ex for ex in ALL if ex.topic == topic]
        assert 3 <= len(mine) <= 5, (topic, len(mine))
        assert [ex.id for ex in mine] == [
            f"{topic}.{n}" for n in range(1, len(mine) + 1)
        ]
        kinds = {ex.kind for ex in mine}
        assert {"code", "prediction"} <= kinds, (topic, kinds)
        levels = [ex.level for ex in mine]
        assert levels == sorted(levels), (topic, "easy to hard", levels)
        assert all(ex.wrong_answers for ex in mine), topic


def test_labels_and_names_are_unique():
    labels = [ex.label for ex in ALL]
    assert len(set(labels)) == len(labels)
    for ex in ALL:
        assert re.fullmatch(r"[a-z][A-Za-z0-9_]*", ex.answer_name), ex.id
        assert ex.answer_name in ex.solution, ex.id
        for wrong in ex.wrong_answers:
            assert ex.answer_name in wrong.code, (ex.id, wrong.code)
