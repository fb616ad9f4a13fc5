"""Shared plot helpers.

Plotters take ``ax=None``, return their artists, and never show.

No plotter calls ``plt.show()`` or changes matplotlib's global style.
Colour maps are colour-blind-safe: viridis/cividis for magnitudes and a
diverging map centred at zero for signed values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

__all__ = ["get_ax", "plot_history"]


def get_ax(ax: Axes | None = None, **subplots_kw: Any) -> Axes:
    """Return ``ax``, or a new axes on a new figure when ``ax`` is ``None``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(**subplots_kw)
    return ax


def plot_history(
    history: Mapping[str, Sequence[float]],
    metric: str = "loss",
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> list[Line2D]:
    """Plot a training curve and its validation twin against the epoch.

    Args:
        history: ``{"loss": [...], "val_loss": [...], ...}``, as returned by
            :func:`nnbook.training.train` (one float per epoch).
        metric: The key to plot; ``"val_" + metric`` is drawn too if present.
        ax: Axes to draw on; a new figure is made when ``None``.
        title: Axes title; defaults to the metric's name.

    Returns:
        list[Line2D]: The training line, then the validation line if drawn.

    Raises:
        ValueError: If ``metric`` is not in ``history``.
    """
    if metric not in history:
        raise ValueError(f"metric must be one of {sorted(history)}, got {metric!r}")
    ax = get_ax(ax)
    train = np.asarray(history[metric], dtype=float)
    epochs = np.arange(1, len(train) + 1)
    lines = ax.plot(epochs, train, marker="o", ms=3, label=f"train {metric}")
    val_key = f"val_{metric}"
    if val_key in history:
        val = np.asarray(history[val_key], dtype=float)
        lines += ax.plot(
            epochs, val, marker="s", ms=3, ls="--", label=f"validation {metric}"
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title if title is not None else metric)
    ax.legend(frameon=False)
    return lines
