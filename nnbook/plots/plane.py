"""Plots on a plane through feature space: decision maps and unit tiles.

The plane comes from :func:`nnbook.explain.feature_plane`. Probabilities use
the diverging map centred at 0.5 (blue class 0, red class 1); activations
use viridis. Samples are drawn blue circles (class 0) and red triangles
(class 1); misclassified ones get a thick black edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import Handle, check_y, get_ax
from .images import tile_mosaic
from .style import (
    CLASS_COLORS,
    CLASS_MARKERS,
    PROBABILITY_CMAP,
    UNSIGNED_CMAP,
    probability_norm,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..explain.plane import Plane

__all__ = [
    "boundary_points",
    "DecisionPlane",
    "plot_decision_plane",
    "UnitMosaic",
    "plot_unit_mosaic",
    "plot_neuron_tiles",
]


def boundary_points(u: Any, v: Any, proba: Any, level: float = 0.5) -> np.ndarray:
    """The ``level`` contour of ``proba`` on the grid ``(u, v)`` as one polyline.

    Args:
        u: Grid coordinates ``(r_u,)``.
        v: Grid coordinates ``(r_v,)``.
        proba: Values ``(r_v, r_u)``.
        level: The contour level.

    Returns:
        np.ndarray: ``(m, 2)`` points, NaN rows between pieces (empty when
        the level is not crossed), ready for ``Line2D.set_data``.
    """
    import contourpy

    P = np.asarray(proba, dtype=float)
    if not np.all(np.isfinite(P)) or not P.min() < level < P.max():
        return np.empty((0, 2))
    lines = contourpy.contour_generator(u, v, P).lines(level)
    parts = []
    for seg in lines:
        parts += [seg, np.full((1, 2), np.nan)]
    return np.concatenate(parts[:-1]) if parts else np.empty((0, 2))


def _scatter_classes(ax, coords, y, size=16):
    out = []
    for c in (0, 1):
        idx = np.flatnonzero(y == c)
        sc = ax.scatter(
            coords[idx, 0],
            coords[idx, 1],
            s=size,
            marker=CLASS_MARKERS[c],
            c=CLASS_COLORS[c],
            edgecolors="white",
            linewidths=0.5,
            label=f"class {c}",
        )
        out.append((idx, sc))
    return out


class DecisionPlane(Handle):
    """The artists of :func:`plot_decision_plane`; :meth:`update` redraws them.

    Attributes:
        image: P(class 1) on the grid.
        boundary: The 0.5 contour, a line.
        points: ``(indices, scatter)`` per class (empty without samples).
        colorbar: The colour bar, or ``None``.
    """

    def __init__(self, ax, plane, X, y, *, colorbar: bool, alpha: float):
        self.plane = plane
        self.image = ax.imshow(
            np.full((plane.v.size, plane.u.size), 0.5),
            origin="lower",
            extent=plane.extent,
            aspect="auto",
            cmap=PROBABILITY_CMAP,
            norm=probability_norm(),
            alpha=alpha,
            interpolation="bilinear",
        )
        (self.boundary,) = ax.plot([], [], color="black", lw=1.5)
        self.points = []
        if X is not None:
            coords = plane.project(X)
            self.points = _scatter_classes(ax, coords, check_y(y, coords.shape[0]))
        ax.set_xlim(plane.extent[:2])
        ax.set_ylim(plane.extent[2:])
        self.colorbar = (
            ax.figure.colorbar(self.image, ax=ax, label="P(class 1)")
            if colorbar
            else None
        )
        self.artists = [self.image, self.boundary]
        self.artists += [sc for _, sc in self.points]
        self.artists += [self.colorbar] if colorbar else []

    def update(self, proba: Any, *, wrong: Any = None) -> DecisionPlane:
        """Show a new probability map, and mark the ``wrong`` samples.

        Args:
            proba: ``(r, r)`` or ``(r, r, 1)`` P(class 1) on the grid.
            wrong: Optional bool ``(n,)``: misclassified samples, drawn with a
                thick black edge.
        """
        P = np.asarray(proba, dtype=float).reshape(self.plane.v.size, -1)
        self.image.set_data(P)
        pts = boundary_points(self.plane.u, self.plane.v, P)
        self.boundary.set_data(pts[:, 0], pts[:, 1])
        if wrong is not None:
            wrong = np.asarray(wrong, dtype=bool)
            for idx, sc in self.points:
                w = wrong[idx]
                sc.set_edgecolors(np.where(w[:, None], [[0, 0, 0, 1]], [[1, 1, 1, 1]]))
                sc.set_linewidths(np.where(w, 1.3, 0.5))
        return self


def plot_decision_plane(
    plane: Plane,
    proba: Any,
    X: Any = None,
    y: Any = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    colorbar: bool = True,
    alpha: float = 0.6,
    wrong: Any = None,
) -> DecisionPlane:
    """The predicted probability over a plane, the 0.5 boundary, and points.

    Args:
        plane: From :func:`nnbook.explain.feature_plane`.
        proba: float ``(r, r)`` or ``(r, r, 1)``: P(class 1) on the grid,
            from :func:`nnbook.explain.plane_outputs`.
        X: Optional samples ``(n, d)`` to project onto the plane.
        y: Their labels ``(n,)``.
        ax: Axes to draw on.
        title: Axes title; the default names the plane.
        colorbar: Draw a colour bar.
        alpha: Opacity of the probability map.
        wrong: Optional bool ``(n,)``: misclassified samples to mark.

    Returns:
        DecisionPlane: ``[image, boundary, *scatters, colorbar]``;
        ``update(proba, wrong=...)`` redraws it in place.
    """
    ax = get_ax(ax, figsize=(5.5, 4.5))
    handle = DecisionPlane(ax, plane, X, y, colorbar=colorbar, alpha=alpha)
    handle.update(proba, wrong=wrong)
    if handle.points:
        ax.legend(frameon=True, fontsize=9, loc="upper right")
    ax.set_xlabel(plane.labels[0])
    ax.set_ylabel(plane.labels[1])
    ax.set_title(title or f"Decision map on the {plane.title}")
    return handle


def _unit_tiles(units: np.ndarray) -> np.ndarray:
    """Each unit's map ``(r, r)`` scaled to [0, 1], top row first: ``(r, r, k)``."""
    lo, hi = units.min(axis=(0, 1)), units.max(axis=(0, 1))
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    return ((units - lo) / span)[::-1]  # grid rows run bottom to top


class UnitMosaic(Handle):
    """The image of :func:`plot_unit_mosaic`; :meth:`update` redraws it.

    The mosaic is fitted into a fixed unit square (its tiles stay square), so
    an update with another number of units changes no axis limit.
    """

    def __init__(self, ax: Axes):
        self.image = ax.imshow(
            np.zeros((2, 2)), cmap=UNSIGNED_CMAP, vmin=0, vmax=1, aspect="equal"
        )
        self.grid = (1, 1)
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(1.0, 0.0)
        ax.set_xticks([])
        ax.set_yticks([])
        self.artists = [self.image]

    def update(self, units: Any) -> UnitMosaic:
        """Show ``units`` ``(r, r, k)``: unit ``j`` at tile ``divmod(j, cols)``."""
        U = np.asarray(units, dtype=float)
        if U.ndim != 3:
            raise ValueError(f"units must be (r, r, n_units), got shape {U.shape}")
        k = U.shape[2]
        cols = int(np.ceil(np.sqrt(k)))
        tiles = tile_mosaic(_unit_tiles(U), ncols=cols)
        self.grid = (-(-k // cols), cols)
        self.image.set_data(tiles)
        height, width = tiles.shape
        scale = 1.0 / max(height, width)
        x0, y0 = (1 - width * scale) / 2, (1 - height * scale) / 2
        self.image.set_extent((x0, x0 + width * scale, y0 + height * scale, y0))
        return self


def plot_unit_mosaic(
    units: Any, *, ax: Axes | None = None, title: str | None = None
) -> UnitMosaic:
    """What each hidden unit computes over a plane, all units in one image.

    Each unit's activation on the plane's grid is scaled to its own range
    and laid out as one tile of a near-square mosaic (by
    :func:`nnbook.plots.tile_mosaic`).

    Args:
        units: float ``(r, r, n_units)`` from
            :func:`nnbook.explain.plane_outputs` with ``layer=``.
        ax: Axes to draw on.
        title: Axes title.

    Returns:
        UnitMosaic: the image; ``update(units)`` redraws it.
    """
    ax = get_ax(ax, figsize=(4, 4))
    handle = UnitMosaic(ax).update(units)
    ax.set_title(title or "Hidden units on the plane")
    return handle


def plot_neuron_tiles(
    plane: Plane,
    units: Any,
    proba: Any,
    *,
    axes: Any = None,
    X: Any = None,
    y: Any = None,
) -> list[Any]:
    """What each hidden unit computes over the plane, next to the output.

    In the style of TensorFlow Playground's neuron heatmaps: one tile per
    hidden unit (its activation on the plane's grid, viridis, each tile
    scaled to its own range) and a last tile with the output probability.

    Args:
        plane: From :func:`nnbook.explain.feature_plane`.
        units: float ``(r, r, n_units)`` hidden activations on the grid.
        proba: float ``(r, r)`` or ``(r, r, 1)`` output probability.
        axes: At least ``n_units + 1`` axes, or ``None`` for a new figure.
        X: Optional samples to overlay on the output tile.
        y: Their labels.

    Returns:
        list: one image per tile (units first, output last).
    """
    U = np.asarray(units, dtype=float)
    if U.ndim != 3:
        raise ValueError(f"units must be (r, r, n_units), got shape {U.shape}")
    k = U.shape[2]
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = 6
        nrows = -(-(k + 1) // ncols)
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(7.5, 1.35 * nrows + 0.5), squeeze=False
        )
        fig.suptitle(f"Hidden units and output on the {plane.title}")
    flat = list(np.ravel(axes))
    if len(flat) < k + 1:
        raise ValueError(f"axes must hold at least {k + 1} axes, got {len(flat)}")
    arts = []
    for u in range(k):
        ax = flat[u]
        arts.append(
            ax.imshow(
                U[:, :, u],
                origin="lower",
                extent=plane.extent,
                aspect="auto",
                cmap=UNSIGNED_CMAP,
            )
        )
        dead = " (dead)" if np.ptp(U[:, :, u]) <= 1e-6 else ""
        ax.set_title(f"unit {u}{dead}", fontsize=9)
    out = plot_decision_plane(
        plane, proba, X, y, ax=flat[k], title="output P(class 1)", colorbar=False
    )
    if out.points:
        flat[k].get_legend().remove()
    arts.append(out.image)
    for i, ax in enumerate(flat):
        if i > k:
            ax.set_visible(False)
            continue
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(plane.labels[0], fontsize=9)
        ax.set_ylabel(plane.labels[1], fontsize=9)
        ax.title.set_fontsize(9)
    return arts
