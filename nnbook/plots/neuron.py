"""Plots of one sigmoid neuron on 2-D data: its output map and its logits.

Used by :class:`nnbook.widgets.SingleNeuronExplorer`: both panels are drawn
once and updated in place as the weights move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..activations import sigmoid
from ._base import Handle, check_y, get_ax
from .style import CLASS_COLORS, CLASS_MARKERS, PROBABILITY_CMAP, probability_norm

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["NeuronPlane", "plot_neuron_plane", "LogitStrip", "plot_logit_strip"]


class NeuronPlane(Handle):
    """The output map and boundary of :func:`plot_neuron_plane`."""

    def __init__(self, ax, X, y, xlim, ylim, grid, feature_names, colorbar):
        self.image = ax.imshow(
            np.full((grid, grid), 0.5),
            origin="lower",
            extent=(*xlim, *ylim),
            aspect="auto",
            cmap=PROBABILITY_CMAP,
            norm=probability_norm(),
            alpha=0.45,
        )
        for c in (0, 1):
            pts = X[y == c]
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=16,
                marker=CLASS_MARKERS[c],
                c=CLASS_COLORS[c],
                edgecolors="black",
                linewidths=0.4,
                label=f"class {c}",
            )
        (self.boundary,) = ax.plot([], [], color="black", lw=2, label="boundary z = 0")
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
        self.title = ax.set_title("")
        ax.legend(loc="upper left", fontsize=9, framealpha=0.8, frameon=True)
        self.colorbar = (
            ax.figure.colorbar(self.image, ax=ax, label="neuron output y_hat")
            if colorbar
            else None
        )
        self.artists = [self.image, self.boundary, self.title]

    def update(self, y_hat_grid: Any, boundary: tuple[Any, Any], title: str):
        """Show the output on the grid, the boundary segment and a title."""
        self.image.set_data(np.asarray(y_hat_grid, dtype=float))
        self.boundary.set_data(*boundary)
        self.title.set_text(title)
        return self


def plot_neuron_plane(
    X: Any,
    y: Any,
    *,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    grid: int,
    ax: Axes | None = None,
    feature_names: tuple[str, str] = ("x1", "x2"),
    colorbar: bool = True,
) -> NeuronPlane:
    """The data, a neuron's output over the plane and its boundary ``z = 0``.

    Args:
        X: float ``(n, 2)``.
        y: int labels ``(n,)``.
        xlim: The plotted box's x range.
        ylim: Its y range.
        grid: Points per axis of the output map.
        ax: Axes to draw on.
        feature_names: The axis labels.
        colorbar: Draw a colour bar.

    Returns:
        NeuronPlane: ``update(y_hat_grid, (xs, ys), title)`` redraws it.
    """
    X = np.asarray(X, dtype=float)
    y = check_y(y, X.shape[0])
    ax = get_ax(ax, figsize=(4, 3.5))
    return NeuronPlane(ax, X, y, xlim, ylim, grid, feature_names, colorbar)


class LogitStrip(Handle):
    """The sigmoid and every sample at its logit, by class."""

    def __init__(self, ax: Axes, zlim: float):
        zz = np.linspace(-zlim, zlim, 200)
        ax.plot(zz, sigmoid(zz), color="0.3", lw=1.5, label="sigmoid(z)")
        ax.axvline(0.0, color="black", lw=1, ls=":")
        self.zlim = zlim
        self.points = {
            c: ax.scatter(
                [],
                [],
                s=12,
                marker=CLASS_MARKERS[c],
                c=CLASS_COLORS[c],
                alpha=0.7,
                label=f"class {c}",
            )
            for c in (0, 1)
        }
        ax.set_xlim(-zlim, zlim)
        ax.set_ylim(-0.05, 1.05)
        self.artists = list(self.points.values())

    def update(self, z: Any, heights: Any, y: Any) -> LogitStrip:
        """Put sample ``i`` at ``(z[i], heights[i])``, coloured by ``y[i]``."""
        z = np.clip(np.asarray(z, dtype=float), -self.zlim, self.zlim)
        for c, scatter in self.points.items():
            mask = np.asarray(y) == c
            scatter.set_offsets(np.column_stack([z[mask], np.asarray(heights)[mask]]))
        return self


def plot_logit_strip(*, ax: Axes | None = None, zlim: float = 8.0) -> LogitStrip:
    """The sigmoid, with samples to be placed at their logits (``update``).

    Returns:
        LogitStrip: ``update(z, heights, y)`` moves the samples.
    """
    ax = get_ax(ax, figsize=(3.5, 3.5))
    handle = LogitStrip(ax, zlim)
    ax.set_xlabel("weighted sum z = w1 x1 + w2 x2 + b")
    ax.set_ylabel("y_hat = sigmoid(z); samples at their label")
    ax.set_title("Each sample's z, at its true label")
    ax.legend(loc="center left", fontsize=9)
    return handle
