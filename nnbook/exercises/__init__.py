"""Exercises at the end of every chapter, checked as the learner works.

A learner answers in the cell below an exercise and calls :func:`check`::

    from nnbook.exercises import check

    grad = (1 / (1 + np.exp(-z_ex)) - y_ex) / len(y_ex)
    check("loss.2", grad, y=y_ex, z=z_ex)

The checker says right or not, and when not, what is off (the type, the
shape, the sign, a factor of the sigmoid's slope, a constant factor, the
order, or a close value with its relative error) plus the exercise's own
hints. It never prints the reference answer. With the placeholder ``...``
that the stored chapters hold, it says "not answered yet" and gives a hint.

This package stands apart from the rest of ``nnbook``: it imports NumPy
only. A reference answer is computed from the chapter objects passed to
:func:`check` (arrays, a Keras model's ``predict`` or ``get_weights``), so
the package needs neither TensorFlow nor the other layers of ``nnbook``.
"""

from ._cells import chapter_cells
from ._feedback import Feedback
from ._judges import Choice, Judged, Mistake, Numeric, relative_error
from ._registry import (
    CHAPTERS,
    Exercise,
    WrongAnswer,
    check,
    exercises,
    get_exercise,
    register,
)

__all__ = [
    "CHAPTERS",
    "Choice",
    "Exercise",
    "Feedback",
    "Judged",
    "Mistake",
    "Numeric",
    "WrongAnswer",
    "chapter_cells",
    "check",
    "exercises",
    "get_exercise",
    "register",
    "relative_error",
]
