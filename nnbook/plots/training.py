"""Training curves: a metric and its validation twin against the epoch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ._base import Handle, get_ax
from .style import series_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["HistoryLines", "plot_history"]


class HistoryLines(Handle):
    """The lines of :func:`plot_history`; :meth:`update` redraws them in place.

    Attributes:
        train: The training line.
        val: The validation line, or ``None``.
        marker: The vertical epoch marker, or ``None``.
    """

    def __init__(self, ax: Axes, metric: str, *, markers: bool, with_marker: bool):
        first, second = series_style(0), series_style(1)
        kw = {} if markers else {"marker": ""}
        self.metric = metric
        (self.train,) = ax.plot(
            [], [], **{**first, "ls": "-", **kw}, label=f"training {metric}"
        )
        (self.val,) = ax.plot(
            [], [], **{**second, "ls": "--", **kw}, label=f"validation {metric}"
        )
        self.marker = ax.axvline(0, color="0.4", lw=1, ls=":") if with_marker else None
        self.artists = [self.train, self.val] + ([self.marker] if with_marker else [])

    def update(
        self,
        history: Mapping[str, Sequence[float]],
        *,
        epoch: int | None = None,
        rescale: bool = True,
    ) -> HistoryLines:
        """Show ``history[metric]`` and ``history["val_" + metric]`` in place.

        Args:
            history: One float per epoch under each key.
            epoch: Where to put the epoch marker (if the plot has one).
            rescale: Fit the axes' limits to the finite values.
        """
        train = np.asarray(history[self.metric], dtype=float)
        epochs = np.arange(1, len(train) + 1)
        self.train.set_data(epochs, train)
        val = history.get("val_" + self.metric)
        shown = [train]
        if val is not None:
            val = np.asarray(val, dtype=float)
            self.val.set_data(epochs, val)
            shown.append(val)
        self.val.set_visible(val is not None)
        if self.marker is not None and epoch is not None:
            self.marker.set_xdata([epoch, epoch])
        if rescale and len(train):
            values = np.concatenate(shown)
            values = values[np.isfinite(values)]
            lo, hi = (values.min(), values.max()) if values.size else (0.0, 1.0)
            pad = 0.05 * (hi - lo) + 1e-3
            ax = self.train.axes
            ax.set_xlim(-0.5 if self.marker is not None else 0.5, len(train) + 0.5)
            ax.set_ylim(lo - pad, hi + pad)
        return self


def plot_history(
    history: Mapping[str, Sequence[float]],
    metric: str = "loss",
    *,
    ax: Axes | None = None,
    title: str | None = None,
    markers: bool = True,
    epoch: int | None = None,
) -> HistoryLines:
    """Plot a training curve and its validation twin against the epoch.

    Args:
        history: ``{"loss": [...], "val_loss": [...], ...}``, as returned by
            :func:`nnbook.training.train` or a
            :class:`~nnbook.training.TrainingRecord`'s ``history``.
        metric: The key to plot; ``"val_" + metric`` is drawn too if present.
        ax: Axes to draw on; a new figure is made when ``None``.
        title: Axes title; defaults to the metric's name.
        markers: Mark each epoch's point.
        epoch: If given, a dotted vertical marker at this epoch (the replay
            position of an explorer).

    Returns:
        HistoryLines: The lines; ``update(history)`` redraws them in place.

    Raises:
        ValueError: If ``metric`` is not in ``history``.
    """
    if metric not in history:
        raise ValueError(f"metric must be one of {sorted(history)}, got {metric!r}")
    ax = get_ax(ax)
    lines = HistoryLines(ax, metric, markers=markers, with_marker=epoch is not None)
    lines.update(history, epoch=epoch)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title if title is not None else metric)
    ax.legend()
    return lines
