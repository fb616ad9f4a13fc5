"""Plots that compare explanation methods: one row per method.

The tools chapter scores the book's methods and the libraries' (SHAP, LIME)
on the same ground truth over several seeds; these plotters show each
method's spread, not only its mean. Like every plotter they take ``ax=None``,
return their artists and never show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import get_ax

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_method_scores"]

_POINT, _MEAN = "#555555", "#000000"  # neutral: no colour carries a meaning here


def plot_method_scores(
    scores: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    xlabel: str = "ROC AUC, useful vs noise columns",
    title: str | None = None,
    reference: float | None = None,
    reference_label: str = "chance",
    log: bool = False,
) -> dict[str, list[Any]]:
    """One row per method: a hollow dot per seed and a bar at the mean.

    Args:
        scores: ``{method name: values}``, one value per seed (e.g. the
            ``"auc"`` of :func:`nnbook.explain.ground_truth_score` for each
            data seed, or seconds per explained sample). Rows are drawn top
            to bottom in the mapping's order.
        ax: Axes to draw on; a new figure is made when ``None``.
        xlabel: Label of the value axis.
        title: Axes title.
        reference: Optional value marked by a dashed vertical line, such as
            0.5 (the AUC of a random ranking).
        reference_label: Legend text of the reference line.
        log: Logarithmic value axis (for costs spanning decades).

    Returns:
        dict: ``{"points": [PathCollection per method], "means": [Line2D per
        method], "reference": [Line2D] or []}``.

    Raises:
        ValueError: If ``scores`` is empty, a method has no values, or a value
            is not finite (or not positive with ``log=True``).
    """
    if not scores:
        raise ValueError("scores must name at least one method")
    rows = {}
    for name, values in scores.items():
        v = np.asarray(values, dtype=float).ravel()
        if v.size == 0:
            raise ValueError(f"scores[{name!r}] has no values")
        if not np.all(np.isfinite(v)) or (log and np.any(v <= 0)):
            raise ValueError(
                f"scores[{name!r}] must hold finite"
                f"{' positive' if log else ''} values, got {v.tolist()}"
            )
        rows[name] = v
    ax = get_ax(ax, figsize=(6, 0.35 * len(rows) + 1.2), dpi=90)
    points, means = [], []
    n = len(rows)
    for i, v in enumerate(rows.values()):
        y = n - 1 - i
        # spread the seeds a little in y so that equal values stay visible
        offsets = np.linspace(-0.15, 0.15, v.size) if v.size > 1 else np.zeros(1)
        points.append(
            ax.scatter(
                v,
                y + offsets,
                s=22,
                facecolors="none",
                edgecolors=_POINT,
                lw=1.0,
                label="one seed" if i == 0 else None,
                zorder=3,
            )
        )
        means += ax.plot(
            [v.mean()] * 2,
            [y - 0.3, y + 0.3],
            color=_MEAN,
            lw=2.2,
            label="mean" if i == 0 else None,
            zorder=4,
        )
    ref = []
    if reference is not None:
        ref = [
            ax.axvline(reference, color=_POINT, ls="--", lw=1, label=reference_label)
        ]
    if log:
        ax.set_xscale("log")
    ax.set_yticks(np.arange(n)[::-1], list(rows), fontsize=9)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_title(title or "Scores per method")
    ax.legend(frameon=False, fontsize=9, loc="best")
    return {"points": points, "means": means, "reference": ref}
