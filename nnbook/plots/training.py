"""Training curves: a metric and its validation twin against the epoch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_array
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
        train, val = _check_history(history, self.metric)
        epochs = np.arange(1, len(train) + 1)
        self.train.set_data(epochs, train)
        shown = [train]
        if val is not None:
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


def _check_history(
    history: Any, metric: str
) -> tuple[np.ndarray, np.ndarray | None]:
    """The metric's curve and its validation twin (or ``None``), checked.

    NaN and infinities are kept (a diverging run draws a gap), but both
    curves must be 1-D numbers of the same length: one value per epoch.
    """
    if not isinstance(history, Mapping):
        hint = " (pass fit(...).history)" if hasattr(history, "history") else ""
        raise TypeError(
            "history must be a mapping such as {'loss': [...], 'val_loss': [...]}, "
            f"got {type(history).__name__}{hint}"
        )
    curves = []
    for key in (metric, "val_" + metric):
        if key not in history or (key != metric and history[key] is None):
            curves.append(None)
            continue
        arr = check_array(
            history[key], f"history[{key!r}]", finite=False, allow_empty=True
        )
        if arr.ndim != 1:
            raise ValueError(
                f"history[{key!r}] must be 1-D (one value per epoch), got {arr.shape}"
            )
        curves.append(arr)
    train, val = curves
    if val is not None and val.shape != train.shape:
        raise ValueError(
            f"history[{'val_' + metric!r}] must have one value per epoch like "
            f"history[{metric!r}] ({train.size}), got {val.size}"
        )
    return train, val


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
        TypeError: If ``history`` is not a mapping (a Keras ``History``
            object's ``.history`` is one) or holds non-numbers.
        ValueError: If ``metric`` is not in ``history``, or its curves are
            empty, not 1-D, or of unequal lengths.
    """
    if not isinstance(history, Mapping):
        _check_history(history, metric)  # the clear TypeError
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
