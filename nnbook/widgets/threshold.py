"""Move a binary classifier's decision threshold and watch what it trades."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._checks import check_labels
from ..experiments import binary_metrics
from ._base import Explorer, FloatParam

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["ThresholdExplorer", "format_metrics"]


def format_metrics(metrics: dict[str, Any]) -> str:
    """One line with accuracy, precision, recall and F1 to three decimals.

    Args:
        metrics: A dict with those four float keys, as from
            :func:`nnbook.experiments.binary_metrics`.

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
    :func:`nnbook.experiments.binary_metrics` and ``self.metrics_text`` the
    line shown in the figure.

    Args:
        y_true: int labels 0 and 1, shape ``(n,)``.
        y_score: float scores of class 1 (probabilities), shape ``(n,)``.
        name: The classifier's name, shown in the legends.
        **params: Initial ``threshold`` (in ``[0, 1]``, default 0.5).

    Raises:
        ValueError: If the shapes disagree, labels are not 0/1, both classes
            are not present, or ``threshold`` is outside ``[0, 1]``.
    """

    PARAMS: ClassVar = (
        FloatParam(
            "threshold", 0.5, "decision threshold", low=0.0, high=1.0, step=0.01
        ),
    )

    def __init__(
        self, y_true: Any, y_score: Any, *, name: str = "model", **params: Any
    ) -> None:
        y_score = np.asarray(y_score, dtype=float)
        if y_score.ndim != 1 or y_score.shape[0] == 0:
            raise ValueError(
                f"y_score must be a non-empty 1-D array (n,), got shape {y_score.shape}"
            )
        if not np.all(np.isfinite(y_score)):
            raise ValueError("y_score holds NaN or infinite values")
        y_true = check_labels(y_true, y_score.shape[0], "y_true").astype(int)
        if np.unique(y_true).size != 2:
            raise ValueError("y_true must contain both classes 0 and 1")
        self.y_true, self.y_score, self.name = y_true, y_score, name
        super().__init__(**params)

    def _build_figure(self) -> Figure:
        import matplotlib.pyplot as plt
        from sklearn.metrics import (
            ConfusionMatrixDisplay,
            PrecisionRecallDisplay,
            RocCurveDisplay,
            precision_recall_curve,
            roc_curve,
        )

        fig, (ax_cm, ax_roc, ax_pr) = plt.subplots(
            1, 3, figsize=(11.5, 3.9), dpi=90, layout="constrained"
        )
        n = len(self.y_true)
        cm0 = binary_metrics(self.y_true, self.y_score, 0.5)["confusion"]
        self._cm = ConfusionMatrixDisplay(cm0, display_labels=["0", "1"]).plot(
            ax=ax_cm, cmap="viridis", colorbar=False, values_format="d"
        )
        self._cm.im_.set_clim(0, n)
        ax_cm.set_title("Confusion matrix")
        ax_cm.set_xlabel("predicted class")
        ax_cm.set_ylabel("true class")

        RocCurveDisplay.from_predictions(
            self.y_true,
            self.y_score,
            ax=ax_roc,
            name=self.name,
            plot_chance_level=True,
        )
        (self._roc_point,) = ax_roc.plot(
            [], [], "o", ms=9, color="C3", label="threshold"
        )
        ax_roc.set_title("ROC curve")
        ax_roc.set_xlabel("false positive rate")
        ax_roc.set_ylabel("true positive rate (recall)")
        ax_roc.legend(loc="lower right", fontsize=8, frameon=False)

        PrecisionRecallDisplay.from_predictions(
            self.y_true,
            self.y_score,
            ax=ax_pr,
            name=self.name,
            plot_chance_level=True,
        )
        (self._pr_point,) = ax_pr.plot([], [], "o", ms=9, color="C3", label="threshold")
        ax_pr.set_title("Precision-recall curve")
        ax_pr.set_xlabel("recall")
        ax_pr.set_ylabel("precision")
        ax_pr.legend(loc="lower left", fontsize=8, frameon=False)
        self._suptitle = fig.suptitle("(metrics)")
        # Lay the figure out once, then freeze it: redraws (and scrubber
        # frames) skip the constrained-layout solver.
        fig.canvas.draw()
        fig.set_layout_engine("none")
        # Kept for tests: the curves the panels were drawn from.
        self.roc = roc_curve(self.y_true, self.y_score)
        self.pr = precision_recall_curve(self.y_true, self.y_score)
        return fig

    def _render(self, params: dict[str, Any]) -> None:
        t = params["threshold"]
        self.metrics = binary_metrics(self.y_true, self.y_score, t)
        cm = self.metrics["confusion"]
        im = self._cm.im_
        im.set_data(cm)
        mid = 0.5 * sum(im.get_clim())
        cmap = im.get_cmap()
        for (i, j), text in np.ndenumerate(self._cm.text_):
            text.set_text(f"{cm[i, j]:d}")
            text.set_color(cmap(0.0) if cm[i, j] > mid else cmap(1.0))
        (tn, fp), (fn, tp) = cm
        fpr = fp / (fp + tn)
        tpr = tp / (tp + fn)
        self._roc_point.set_data([fpr], [tpr])
        self._pr_point.set_data([self.metrics["recall"]], [self.metrics["precision"]])
        self.metrics_text = format_metrics(self.metrics)
        self._suptitle.set_text(f"threshold {t:.2f}:  {self.metrics_text}")
