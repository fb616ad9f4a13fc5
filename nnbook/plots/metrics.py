"""Plots of a binary classifier's metrics: confusion matrix, ROC and PR curves.

The curves are drawn by scikit-learn's displays (``RocCurveDisplay``,
``PrecisionRecallDisplay``, ``ConfusionMatrixDisplay``); the handles add an
operating point and update the matrix's counts in place, for the threshold
explorer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_choice
from ._base import Handle, get_ax
from .style import UNSIGNED_CMAP, series_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: The curves' own style (the operating point is the first series colour).
_CURVE = {"color": "#4D4D7A"}

__all__ = [
    "ConfusionMatrix",
    "plot_confusion_matrix",
    "OperatingCurve",
    "plot_operating_curve",
]


class ConfusionMatrix(Handle):
    """The image and counts of :func:`plot_confusion_matrix`."""

    def __init__(self, display: Any):
        self.display = display
        self.image = display.im_
        self.texts = display.text_
        self.artists = [self.image, *np.ravel(self.texts)]

    def update(self, confusion: Any) -> ConfusionMatrix:
        """Show a new ``(2, 2)`` matrix: the image and the printed counts."""
        cm = np.asarray(confusion)
        self.image.set_data(cm)
        mid = 0.5 * sum(self.image.get_clim())
        cmap = self.image.get_cmap()
        for (i, j), text in np.ndenumerate(self.texts):
            text.set_text(f"{cm[i, j]:d}")
            text.set_color(cmap(0.0) if cm[i, j] > mid else cmap(1.0))
        return self


def plot_confusion_matrix(
    confusion: Any, *, ax: Axes | None = None, n_samples: int | None = None
) -> ConfusionMatrix:
    """A binary confusion matrix (rows true class, columns predicted).

    Args:
        confusion: int ``(2, 2)``: ``[[TN, FP], [FN, TP]]``.
        ax: Axes to draw on.
        n_samples: Top of the colour scale (default: the matrix's total), so
            that counts keep one colour scale as a threshold moves.

    Returns:
        ConfusionMatrix: ``update(confusion)`` redraws it in place.
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    cm = np.asarray(confusion)
    ax = get_ax(ax, figsize=(3.5, 3.2))
    display = ConfusionMatrixDisplay(cm, display_labels=["0", "1"]).plot(
        ax=ax, cmap=UNSIGNED_CMAP, colorbar=False, values_format="d"
    )
    display.im_.set_clim(0, int(cm.sum()) if n_samples is None else n_samples)
    ax.set_title("Confusion matrix")
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    return ConfusionMatrix(display)


class OperatingCurve(Handle):
    """A ROC or PR curve with a movable operating point.

    Attributes:
        curve: ``(x, y)`` of the drawn curve (false positive rate and true
            positive rate, or recall and precision).
        point: The operating point's marker.
    """

    def __init__(self, ax: Axes, curve: tuple[np.ndarray, np.ndarray]):
        self.curve = curve
        (self.point,) = ax.plot(
            [], [], "o", ms=9, color=series_style(0)["color"], label="threshold"
        )
        self.artists = [self.point]

    def update(self, x: float, y: float) -> OperatingCurve:
        """Move the operating point to ``(x, y)``."""
        self.point.set_data([x], [y])
        return self


def _roc(y, s):
    from sklearn.metrics import roc_curve

    fpr, tpr, _ = roc_curve(y, s)
    return fpr, tpr


def _pr(y, s):
    from sklearn.metrics import precision_recall_curve

    precision, recall, _ = precision_recall_curve(y, s)
    return recall, precision


#: kind -> (display, curve, title, x label, y label, legend location)
_KINDS = {
    "roc": (
        "RocCurveDisplay",
        _roc,
        "ROC curve",
        "false positive rate",
        "true positive rate (recall)",
        "lower right",
    ),
    "pr": (
        "PrecisionRecallDisplay",
        _pr,
        "Precision-recall curve",
        "recall",
        "precision",
        "lower left",
    ),
}


def plot_operating_curve(
    y_true: Any,
    y_score: Any,
    *,
    kind: str = "roc",
    ax: Axes | None = None,
    name: str = "model",
) -> OperatingCurve:
    """A ROC or precision-recall curve (scikit-learn's display) and a point.

    Args:
        y_true: int labels 0 and 1 ``(n,)``.
        y_score: float scores of class 1 ``(n,)``.
        kind: ``"roc"`` (false positive rate, true positive rate) or ``"pr"``
            (recall, precision).
        ax: Axes to draw on.
        name: The classifier's name, in the legend.

    Returns:
        OperatingCurve: ``update(x, y)`` moves the operating point.
    """
    import sklearn.metrics

    display, curve, title, xlabel, ylabel, loc = _KINDS[
        check_choice(kind, "kind", tuple(_KINDS))
    ]
    ax = get_ax(ax, figsize=(3.5, 3.2))
    getattr(sklearn.metrics, display).from_predictions(
        y_true, y_score, ax=ax, name=name, plot_chance_level=True
    )
    ax.lines[0].set_color(_CURVE["color"])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handle = OperatingCurve(ax, curve(y_true, y_score))
    ax.legend(loc=loc, fontsize=9)
    return handle
