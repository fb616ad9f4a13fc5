"""Plots of a tabular network's insides: activations by class, weights.

Magnitudes use viridis; signed values the diverging map centred at zero
(:mod:`nnbook.plots.style`); the two classes are blue (0) and red (1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int
from ._base import Handle, axis_names, check_2d, check_y, get_ax
from .style import CLASS_COLORS, SIGNED_CMAP, UNSIGNED_CMAP

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "ActivationHeatmap",
    "plot_activation_heatmap",
    "plot_activation_distributions",
    "plot_weight_heatmap",
]


class ActivationHeatmap(Handle):
    """The image of :func:`plot_activation_heatmap`, updatable in place.

    Attributes:
        image: The heatmap.
        boundary: The line between the classes.
        colorbar: The colour bar, or ``None``.
        order: The row order (samples sorted by class).
    """

    def __init__(
        self,
        ax: Axes,
        y: np.ndarray,
        *,
        colorbar: bool,
        title: str | None,
        fixed_axes: bool = False,
    ):
        self.fixed_axes = fixed_axes
        if fixed_axes:
            ax.set_xlim(-0.5, 0.5)
            ax.set_ylim(len(y) - 0.5, -0.5)
            ax.set_xticks([])
        self.order = np.argsort(y, kind="stable")
        self.n0 = int((y == 0).sum())
        self.image = ax.imshow(np.zeros((len(y), 1)), aspect="auto", cmap=UNSIGNED_CMAP)
        self.boundary = ax.axhline(self.n0 - 0.5, color="white", lw=1.5, ls="--")
        ax.set_xlabel("hidden unit")
        ax.set_ylabel("sample, sorted by class")
        self.fixed_title = title
        self.title = ax.set_title(title or "Hidden activations by class")
        self.colorbar = (
            ax.figure.colorbar(self.image, ax=ax, label="activation")
            if colorbar
            else None
        )
        self.artists = [self.image, self.boundary] + (
            [self.colorbar] if colorbar else []
        )

    def update(self, activations: Any) -> ActivationHeatmap:
        """Show ``activations`` ``(n, units)`` (rows in the original order).

        Non-negative activations use viridis from 0; signed ones the
        diverging map centred at zero, with symmetric limits.
        """
        A = check_2d(activations, "activations", finite=False)[self.order]
        finite = A[np.isfinite(A)]
        top = float(np.abs(finite).max()) if finite.size else 1.0
        top = top if top > 0 else 1.0
        signed = finite.size > 0 and finite.min() < 0
        self.image.set_data(A)
        self.image.set_cmap(SIGNED_CMAP if signed else UNSIGNED_CMAP)
        self.image.set_clim(-top if signed else 0.0, top)
        n, h = A.shape
        ax = self.image.axes
        if self.fixed_axes:  # the units fill a fixed box: no limit changes
            self.image.set_extent((-0.5, 0.5, n - 0.5, -0.5))
        else:
            self.image.set_extent((-0.5, h - 0.5, n - 0.5, -0.5))
            ax.set_xlim(-0.5, h - 0.5)
            ax.set_ylim(n - 0.5, -0.5)
            ax.set_xticks(range(0, h, max(1, -(-h // 5))))
        if self.fixed_title is None:
            scale = f"±{top:.2g}" if signed else f"0 to {top:.2g}"
            units = f"{h} units, " if self.fixed_axes else ""
            self.title.set_text(f"Activations ({units}{scale})")
        return self


def plot_activation_heatmap(
    activations: Any,
    y: Any,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    colorbar: bool = True,
    fixed_axes: bool = False,
) -> ActivationHeatmap:
    """Samples x hidden units, samples sorted by class, the boundary marked.

    Args:
        activations: float ``(n, units)`` from
            :func:`nnbook.explain.hidden_activations`.
        y: int labels ``(n,)``.
        ax: Axes to draw on; a new figure when ``None``.
        title: Axes title; ``None`` gives one with the colour scale's range.
        colorbar: Draw a colour bar.
        fixed_axes: Stretch the units over a fixed box and name their count
            in the title, so that ``update`` with another number of units
            changes no axis limit or tick (an explorer can then redraw only
            the image).

    Returns:
        ActivationHeatmap: ``[image, boundary_line, colorbar]``; ``update``
        shows new activations of the same samples.
    """
    A = check_2d(activations, "activations", finite=False)
    y = check_y(y, A.shape[0])
    ax = get_ax(ax, figsize=(5, 5))
    heat = ActivationHeatmap(
        ax, y, colorbar=colorbar, title=title, fixed_axes=fixed_axes
    )
    return heat.update(A)


def plot_activation_distributions(
    activations: Any, y: Any, *, axes: Any = None, bins: int = 20
) -> list[Any]:
    """One small histogram per unit: its activation for each class.

    Args:
        activations: float ``(n, units)``.
        y: int labels ``(n,)``.
        axes: A sequence of at least ``units`` axes, or ``None`` for a new
            figure with 5 columns, 7.5 in wide.
        bins: Histogram bins.

    Returns:
        list: the histogram patches, two per unit.
    """
    A = check_2d(activations, "activations")
    y = check_y(y, A.shape[0])
    units = A.shape[1]
    bins = check_int(bins, "bins", low=1, high=1000, why="one bar per bin")
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = min(5, units)
        nrows = -(-units // ncols)
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(7.5, 1.8 * nrows + 0.4), squeeze=False
        )
        fig.suptitle("Activation of each hidden unit, by class")
    from matplotlib.axes import Axes

    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    if not all(isinstance(a, Axes) for a in flat):
        raise TypeError(
            f"axes must be a sequence of matplotlib Axes, got {type(axes).__name__}"
        )
    if len(flat) < units:
        raise ValueError(f"axes must hold at least {units} axes, got {len(flat)}")
    artists = []
    for u in range(units):
        ax = flat[u]
        edges = np.histogram_bin_edges(A[:, u], bins=bins)
        if edges[0] == edges[-1]:
            edges = np.linspace(edges[0] - 0.5, edges[0] + 0.5, bins + 1)
        for c in (0, 1):
            _, _, patches = ax.hist(
                A[y == c, u],
                bins=edges,
                histtype="step",
                lw=1.5,
                color=CLASS_COLORS[c],
                label=f"class {c}",
            )
            artists.append(patches)
        ax.set_title(f"unit {u}", fontsize=9)
        ax.set_xlabel("activation", fontsize=9)
        ax.set_ylabel("samples", fontsize=9)
        ax.tick_params(labelsize=9)
    for ax in flat[units:]:
        ax.set_visible(False)
    flat[0].legend(fontsize=9)
    return artists


def plot_weight_heatmap(
    W: Any,
    *,
    ax: Axes | None = None,
    feature_names: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    title: str | None = None,
) -> list[Any]:
    """The first layer's kernel: features x hidden units, signed.

    Args:
        W: float ``(n_features, units)``, e.g. ``model.get_layer("hidden")
            .get_weights()[0]`` (20 x 10 for the article's network).
        ax: Axes to draw on.
        feature_names: Row labels.
        roles: Optional role per feature, added to the row labels.
        title: Axes title.

    Returns:
        list: ``[image, colorbar]``.
    """
    W = check_2d(W, "W", finite=False)
    names = axis_names(W.shape[0], feature_names)
    if roles is not None:
        names = [f"{n} ({r[:5]})" for n, r in zip(names, roles, strict=True)]
    ax = get_ax(ax, figsize=(5, 6))
    lim = float(np.abs(W).max()) or 1.0
    im = ax.imshow(W, cmap=SIGNED_CMAP, vmin=-lim, vmax=lim, aspect="auto")
    ax.set_yticks(range(W.shape[0]), names, fontsize=9)
    ax.set_xticks(range(W.shape[1]))
    ax.set_xlabel("hidden unit")
    ax.set_ylabel("input feature")
    ax.set_title(title or "First-layer weights")
    cbar = ax.figure.colorbar(im, ax=ax, label="weight")
    return [im, cbar]
