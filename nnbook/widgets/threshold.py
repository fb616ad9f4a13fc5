"""Move a binary classifier's decision threshold and watch what it trades."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._checks import check_array, check_labels
from ..plots import new_figure
from ..plots.metrics import plot_confusion_matrix, plot_operating_curve
from ..training.evaluation import binary_metrics
from ._base import Explorer
from ._params import FloatParam

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["ThresholdExplorer", "format_metrics"]


def format_metrics(metrics: dict[str, Any]) -> str:
    """One line with accuracy, precision, recall and F1 to three decimals.

    Args:
        metrics: A dict with those four float keys, as from
            :func:`nnbook.training.binary_metrics`.

    Returns:
        str: For example ``"accuracy 0.850 | precision 0.861 | ..."``.
    """
    return " | ".join(
        f"{k} {metrics[k]:.3f}" for k in ("accuracy", "precision", "recall", "f1")
    )


class ThresholdExplorer(Explorer):
    """A decision-threshold explorer: confusion matrix, ROC and PR curves.

    A sample is predicted positive when its score is at least the threshold.
    The left panel is ``sklearn.metrics.ConfusionMatrixDisplay`` at that
    threshold (its image and counts are updated in place); the middle and
    right panels are the ROC and precision-recall curves
    (``RocCurveDisplay``, ``PrecisionRecallDisplay``), drawn once, with a
    marker at the current operating point. The title line gives accuracy,
    precision, recall and F1 (``sklearn.metrics``).

    After each update, ``self.metrics`` holds the result of
    :func:`nnbook.training.binary_metrics` and ``self.metrics_text`` the
    line shown in the figure.

    Args:
        y_true: int labels 0 and 1, shape ``(n,)``.
        y_score: float scores of class 1 (probabilities), shape ``(n,)``.
        name: The classifier's name, shown in the legends.
        **params: Initial ``threshold`` (in ``[0, 1]``, default 0.5).

    Raises:
        TypeError: If the scores or labels are not numbers (strings).
        ValueError: If the shapes disagree, labels are not 0/1, both classes
            are not present, scores lie outside ``[0, 1]`` (logits), or
            ``threshold`` is outside ``[0, 1]``.
    """

    PARAMS: ClassVar = (
        FloatParam(
            "threshold", 0.5, "decision threshold", low=0.0, high=1.0, step=0.01
        ),
    )

    def __init__(
        self, y_true: Any, y_score: Any, *, name: str = "model", **params: Any
    ) -> None:
        y_score = check_array(y_score, "y_score")
        if y_score.ndim != 1:
            raise ValueError(
                f"y_score must be a non-empty 1-D array (n,), got shape {y_score.shape}"
            )
        if y_score.min() < 0 or y_score.max() > 1:
            raise ValueError(
                "y_score must hold probabilities of class 1 in [0, 1] (the "
                f"threshold's range), got values in [{y_score.min():.3g}, "
                f"{y_score.max():.3g}]; pass sigmoid(logits), not logits"
            )
        y_true = check_labels(y_true, y_score.shape[0], "y_true").astype(int)
        if np.unique(y_true).size != 2:
            raise ValueError("y_true must contain both classes 0 and 1")
        self.y_true, self.y_score, self.name = y_true, y_score, name
        super().__init__(**params)

    def _build_figure(self) -> Figure:
        fig = new_figure((7.5, 2.9), dpi=90, pyplot=True)
        fig.set_layout_engine("constrained")
        ax_cm, ax_roc, ax_pr = fig.subplots(1, 3)
        cm0 = binary_metrics(self.y_true, self.y_score, 0.5)["confusion"]
        self.confusion = plot_confusion_matrix(
            cm0, ax=ax_cm, n_samples=len(self.y_true)
        )
        self.roc_curve, self.pr_curve = (
            plot_operating_curve(
                self.y_true, self.y_score, kind=kind, ax=ax, name=self.name
            )
            for kind, ax in (("roc", ax_roc), ("pr", ax_pr))
        )
        self._suptitle = fig.suptitle("(metrics)", fontsize=9.5)
        # Lay the figure out once, then freeze it: redraws (and scrubber
        # frames) skip the constrained-layout solver.
        fig.canvas.draw()
        fig.set_layout_engine("none")
        # Kept for tests: the curves the panels were drawn from.
        self.roc, self.pr = self.roc_curve.curve, self.pr_curve.curve
        return fig

    def _render(self, params: dict[str, Any]) -> None:
        t = params["threshold"]
        self.metrics = binary_metrics(self.y_true, self.y_score, t)
        cm = self.metrics["confusion"]
        self.confusion.update(cm)
        (tn, fp), (fn, tp) = cm
        self.roc_curve.update(fp / (fp + tn), tp / (tp + fn))
        self.pr_curve.update(self.metrics["recall"], self.metrics["precision"])
        self.metrics_text = format_metrics(self.metrics)
        self._suptitle.set_text(f"threshold {t:.2f}:  {self.metrics_text}")
