"""Plots of gradient descent on a two-parameter loss surface.

Used by :class:`nnbook.widgets.LossSurfaceExplorer`: the contours are drawn
once; the descent path and the loss curve are updated in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import Handle, get_ax
from .style import UNSIGNED_CMAP, series_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["DescentPath", "plot_loss_surface", "LossSteps", "plot_loss_steps"]


class DescentPath(Handle):
    """The path, start and end markers of :func:`plot_loss_surface`."""

    def __init__(self, ax: Axes):
        path = series_style(0)
        (self.path,) = ax.plot(
            [], [], "-o", ms=3, lw=1.2, color=path["color"], label="descent path"
        )
        (self.start,) = ax.plot(
            [], [], "s", ms=8, color=series_style(1)["color"], label="start"
        )
        (self.end,) = ax.plot(
            [], [], "D", ms=7, color=series_style(2)["color"], label="end"
        )
        self.title = ax.set_title("")
        self.artists = [self.path, self.start, self.end, self.title]

    def update(self, path: Any, title: str = "") -> DescentPath:
        """Show a path ``(steps + 1, 2)`` of ``(w, b)``."""
        path = np.asarray(path, dtype=float)
        self.path.set_data(path[:, 0], path[:, 1])
        self.start.set_data([path[0, 0]], [path[0, 1]])
        self.end.set_data([path[-1, 0]], [path[-1, 1]])
        self.title.set_text(title)
        return self


def plot_loss_surface(
    w: Any,
    b: Any,
    loss: Any,
    *,
    minimum: tuple[float, float],
    ax: Axes | None = None,
) -> DescentPath:
    """Log-spaced contours of a loss over ``(w, b)``, and a descent path.

    Args:
        w: Grid weights ``(r_w,)``.
        b: Grid biases ``(r_b,)``.
        loss: Losses ``(r_b, r_w)`` on the grid.
        minimum: The best ``(w, b)``, drawn as a star.
        ax: Axes to draw on.

    Returns:
        DescentPath: ``update(path, title)`` draws a path in place.
    """
    from matplotlib.colors import LogNorm

    ax = get_ax(ax, figsize=(4.2, 3.6))
    L = np.asarray(loss, dtype=float)
    levels = np.geomspace(L.min() * 1.02, L.max(), 14)
    ax.contour(w, b, L, levels=levels, cmap=UNSIGNED_CMAP, norm=LogNorm(), linewidths=1)
    ax.plot(*minimum, marker="*", ms=12, color="black", ls="none", label="minimum")
    handle = DescentPath(ax)
    ax.set_xlim(w[0], w[-1])
    ax.set_ylim(b[0], b[-1])
    ax.set_xlabel("weight w")
    ax.set_ylabel("bias b")
    ax.legend(loc="lower left", fontsize=9, framealpha=0.8, frameon=True)
    return handle


class LossSteps(Handle):
    """The loss-per-step line of :func:`plot_loss_steps`."""

    def __init__(self, ax: Axes, minimum: float):
        (self.line,) = ax.plot([], [], "-o", ms=3, color=series_style(0)["color"])
        self.minimum = minimum
        ax.axhline(minimum, color="black", ls=":", lw=1, label="minimum loss")
        self.title = ax.set_title("")
        self.artists = [self.line, self.title]

    def update(self, loss: Any) -> LossSteps:
        """Show the loss after each step (``inf`` where a run diverged)."""
        loss = np.asarray(loss, dtype=float)
        shown = np.where(np.isfinite(loss), loss, np.nan)
        self.line.set_data(np.arange(len(loss)), shown)
        ax = self.line.axes
        ax.set_xlim(0, max(1, len(loss) - 1))
        finite = shown[np.isfinite(shown)]
        low = min(finite.min(), self.minimum)
        ax.set_ylim(low * 0.8, max(finite.max() * 1.5, low * 10))
        self.title.set_text(f"loss after {len(loss) - 1} steps: {finite[-1]:.3g}")
        return self


def plot_loss_steps(minimum: float, *, ax: Axes | None = None) -> LossSteps:
    """The loss at each gradient-descent step, log scale, with its minimum.

    Returns:
        LossSteps: ``update(loss)`` redraws it.
    """
    ax = get_ax(ax, figsize=(3.5, 3.6))
    handle = LossSteps(ax, float(minimum))
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("MSE")
    ax.legend(loc="upper right", fontsize=9)
    return handle
