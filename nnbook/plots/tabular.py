"""Plots of a tabular network's insides and of its attributions.

Each plotter draws what :mod:`nnbook.explain` computed, takes ``ax=None``
(or ``axes=None`` when it needs several), returns its artists and never
shows. Magnitudes use viridis; signed values a diverging map centred at
zero; the four column roles use the colour-blind-safe Okabe-Ito palette.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import get_ax

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..explain.plane import Plane
    from ..explain.sanity import SanityResult

__all__ = [
    "ROLE_COLORS",
    "CLASS_COLORS",
    "plot_activation_heatmap",
    "plot_activation_distributions",
    "plot_weight_heatmap",
    "plot_decision_plane",
    "plot_neuron_tiles",
    "plot_attribution_bars",
    "plot_sample_attribution",
    "plot_sanity",
]

#: Okabe-Ito colours for the column roles (colour-blind-safe).
ROLE_COLORS: dict[str, str] = {
    "informative": "#0072B2",
    "redundant": "#E69F00",
    "repeated": "#009E73",
    "noise": "#999999",
}
#: Okabe-Ito colours for class 0 and class 1.
CLASS_COLORS: tuple[str, str] = ("#0072B2", "#D55E00")
_POS, _NEG = "#E66101", "#5E3C99"  # PuOr ends: positive, negative


def _names(d: int, feature_names: Sequence[str] | None) -> list[str]:
    if feature_names is None:
        return [f"x{j:02d}" for j in range(d)]
    if len(feature_names) != d:
        raise ValueError(
            f"feature_names must have {d} entries, got {len(feature_names)}"
        )
    return list(feature_names)


def _check_2d(a: Any, name: str) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {arr.shape}")
    return arr


def _check_y(y: Any, n: int) -> np.ndarray:
    y = np.asarray(y).astype(int)
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match, got {y.shape}")
    return y


def plot_activation_heatmap(
    activations: Any, y: Any, *, ax: Axes | None = None, title: str | None = None
) -> list[Any]:
    """Samples x hidden units, samples sorted by class, boundary marked.

    Args:
        activations: float ``(n, units)`` from
            :func:`nnbook.explain.hidden_activations`.
        y: int labels ``(n,)``.
        ax: Axes to draw on; a new figure when ``None``.
        title: Axes title.

    Returns:
        list: ``[image, boundary_line, colorbar]``.
    """
    A = _check_2d(activations, "activations")
    y = _check_y(y, A.shape[0])
    ax = get_ax(ax, figsize=(5, 5), dpi=90)
    order = np.argsort(y, kind="stable")
    im = ax.imshow(A[order], aspect="auto", cmap="viridis", interpolation="nearest")
    n0 = int((y == 0).sum())
    line = ax.axhline(n0 - 0.5, color="white", lw=2, ls="--")
    ax.set_xticks(range(A.shape[1]))
    ax.set_xlabel("hidden unit")
    ax.set_ylabel(f"sample, sorted by class (class 0 above row {n0}, class 1 below)")
    ax.set_title(title or "Hidden activations by class")
    cbar = ax.figure.colorbar(im, ax=ax, label="activation")
    return [im, line, cbar]


def plot_activation_distributions(
    activations: Any, y: Any, *, axes: Any = None, bins: int = 20
) -> list[Any]:
    """One small histogram per unit: its activation for each class.

    Args:
        activations: float ``(n, units)``.
        y: int labels ``(n,)``.
        axes: A sequence of at least ``units`` axes, or ``None`` for a new
            figure with 5 columns.
        bins: Histogram bins.

    Returns:
        list: the histogram patches, two per unit.
    """
    A = _check_2d(activations, "activations")
    y = _check_y(y, A.shape[0])
    units = A.shape[1]
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = min(5, units)
        nrows = -(-units // ncols)
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(2.2 * ncols, 1.9 * nrows), dpi=90, squeeze=False
        )
        fig.suptitle("Activation of each hidden unit, by class")
    flat = list(np.ravel(axes))
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
        ax.set_xlabel("activation", fontsize=8)
        ax.set_ylabel("samples", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in flat[units:]:
        ax.set_visible(False)
    flat[0].legend(frameon=False, fontsize=7)
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
    W = _check_2d(W, "W")
    names = _names(W.shape[0], feature_names)
    if roles is not None:
        names = [f"{n} ({r[:5]})" for n, r in zip(names, roles, strict=True)]
    ax = get_ax(ax, figsize=(5, 6), dpi=90)
    lim = float(np.abs(W).max()) or 1.0
    im = ax.imshow(
        W, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest"
    )
    ax.set_yticks(range(W.shape[0]), names, fontsize=8)
    ax.set_xticks(range(W.shape[1]))
    ax.set_xlabel("hidden unit")
    ax.set_ylabel("input feature")
    ax.set_title(title or "First-layer weights")
    cbar = ax.figure.colorbar(im, ax=ax, label="weight")
    return [im, cbar]


def _scatter_classes(ax, coords, y, **kw):
    # white circles and black triangles stay visible on any colour map
    arts = []
    for c, marker, face, edge in (
        (0, "o", "white", "black"),
        (1, "^", "black", "white"),
    ):
        pts = coords[y == c]
        arts.append(
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=kw.get("s", 16),
                marker=marker,
                facecolor=face,
                edgecolor=edge,
                linewidth=0.6,
                label=f"class {c}",
            )
        )
    return arts


def plot_decision_plane(
    plane: Plane,
    proba: Any,
    X: Any = None,
    y: Any = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> list[Any]:
    """The predicted probability over a plane, the 0.5 boundary, and points.

    Args:
        plane: From :func:`nnbook.explain.feature_plane`.
        proba: float ``(r, r)`` or ``(r, r, 1)``: P(class 1) on the grid,
            from :func:`nnbook.explain.plane_outputs`.
        X: Optional samples ``(n, d)`` to project onto the plane.
        y: Their labels ``(n,)``.
        ax: Axes to draw on.
        title: Axes title; the default names the plane.

    Returns:
        list: ``[image, boundary_contour, *scatters, colorbar]``.
    """
    from matplotlib.colors import TwoSlopeNorm

    P = np.asarray(proba, dtype=float).reshape(plane.v.size, plane.u.size)
    ax = get_ax(ax, figsize=(5.5, 4.5), dpi=90)
    extent = (plane.u[0], plane.u[-1], plane.v[0], plane.v[-1])
    im = ax.imshow(
        P,
        origin="lower",
        extent=extent,
        aspect="auto",
        cmap="PuOr_r",
        norm=TwoSlopeNorm(0.5, 0.0, 1.0),
        alpha=0.85,
    )
    arts: list[Any] = [im]
    if P.min() < 0.5 < P.max():
        arts.append(ax.contour(plane.u, plane.v, P, levels=[0.5], colors="k"))
    if X is not None:
        coords = plane.project(X)
        y = _check_y(y, coords.shape[0])
        arts += _scatter_classes(ax, coords, y)
        ax.legend(frameon=True, fontsize=8, loc="upper right")
    ax.set_xlabel(plane.labels[0])
    ax.set_ylabel(plane.labels[1])
    ax.set_title(title or f"Decision map on the {plane.title}", fontsize=10)
    arts.append(ax.figure.colorbar(im, ax=ax, label="P(class 1)"))
    return arts


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
    from matplotlib.colors import TwoSlopeNorm

    U = np.asarray(units, dtype=float)
    if U.ndim != 3:
        raise ValueError(f"units must be (r, r, n_units), got shape {U.shape}")
    k = U.shape[2]
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = 6
        nrows = -(-(k + 1) // ncols)
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(1.9 * ncols, 1.9 * nrows + 0.4),
            dpi=90,
            squeeze=False,
        )
        fig.suptitle(f"Hidden units and output on the {plane.title}", fontsize=10)
    flat = list(np.ravel(axes))
    if len(flat) < k + 1:
        raise ValueError(f"axes must hold at least {k + 1} axes, got {len(flat)}")
    extent = (plane.u[0], plane.u[-1], plane.v[0], plane.v[-1])
    arts = []
    for u in range(k):
        ax = flat[u]
        arts.append(
            ax.imshow(
                U[:, :, u], origin="lower", extent=extent, aspect="auto", cmap="viridis"
            )
        )
        dead = " (never active)" if np.all(U[:, :, u] <= 0) else ""
        ax.set_title(f"unit {u}{dead}", fontsize=8)
    P = np.asarray(proba, dtype=float).reshape(plane.v.size, plane.u.size)
    ax = flat[k]
    arts.append(
        ax.imshow(
            P,
            origin="lower",
            extent=extent,
            aspect="auto",
            cmap="PuOr_r",
            norm=TwoSlopeNorm(0.5, 0.0, 1.0),
        )
    )
    if P.min() < 0.5 < P.max():
        ax.contour(plane.u, plane.v, P, levels=[0.5], colors="k", linewidths=1)
    if X is not None:
        _scatter_classes(ax, plane.project(X), _check_y(y, len(X)), s=5)
    ax.set_title("output P(class 1)", fontsize=8)
    for i, ax in enumerate(flat):
        if i > k:
            ax.set_visible(False)
            continue
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(plane.labels[0], fontsize=7)
        ax.set_ylabel(plane.labels[1], fontsize=7)
    return arts


def plot_attribution_bars(
    importance: Any,
    roles: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    feature_names: Sequence[str] | None = None,
    title: str | None = None,
    xlabel: str = "mean |attribution|",
    sort: bool = True,
) -> Any:
    """Global importance per feature, bars coloured by the true role.

    Args:
        importance: float ``(n_features,)``, e.g. from
            :func:`nnbook.explain.global_importance` or
            :func:`nnbook.explain.permutation_importance`.
        roles: Optional true role per feature (colours and legend).
        ax: Axes to draw on.
        feature_names: Bar labels.
        title: Axes title.
        xlabel: Label of the value axis.
        sort: Largest at the top.

    Returns:
        BarContainer: the bars.
    """
    imp = np.asarray(importance, dtype=float)
    if imp.ndim != 1:
        raise ValueError(f"importance must be 1-D (n_features,), got {imp.shape}")
    names = _names(imp.size, feature_names)
    order = np.argsort(imp, kind="stable") if sort else np.arange(imp.size)[::-1]
    ax = get_ax(ax, figsize=(4.5, 5), dpi=90)
    colors = (
        [ROLE_COLORS.get(roles[j], "#000000") for j in order]
        if roles is not None
        else ["#0072B2"] * imp.size
    )
    bars = ax.barh(np.arange(imp.size), imp[order], color=colors)
    ax.set_yticks(np.arange(imp.size), [names[j] for j in order], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("feature")
    ax.set_title(title or "Global importance")
    if roles is not None:
        from matplotlib.patches import Patch

        present = [r for r in ROLE_COLORS if r in set(roles)]
        ax.legend(
            handles=[Patch(color=ROLE_COLORS[r], label=r) for r in present],
            frameon=False,
            fontsize=8,
            loc="lower right",
        )
    return bars


def plot_sample_attribution(
    attribution: Any,
    *,
    ax: Axes | None = None,
    feature_names: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    title: str | None = None,
    xlabel: str = "attribution",
) -> Any:
    """One sample's signed attributions, centred at zero.

    Positive bars (orange) push towards class 1, negative (purple) towards
    class 0; the axis is symmetric about zero.

    Args:
        attribution: float ``(n_features,)``.
        ax: Axes to draw on.
        feature_names: Bar labels.
        roles: Optional role per feature, added to the labels.
        title: Axes title.
        xlabel: Label of the value axis.

    Returns:
        BarContainer: the bars.
    """
    a = np.asarray(attribution, dtype=float)
    if a.ndim != 1:
        raise ValueError(f"attribution must be 1-D (n_features,), got {a.shape}")
    names = _names(a.size, feature_names)
    if roles is not None:
        names = [f"{n} ({r[:5]})" for n, r in zip(names, roles, strict=True)]
    ax = get_ax(ax, figsize=(4.5, 5), dpi=90)
    pos = np.arange(a.size)[::-1]
    bars = ax.barh(pos, a, color=[_POS if v >= 0 else _NEG for v in a])
    lim = 1.05 * (float(np.abs(a).max()) or 1.0)
    ax.set_xlim(-lim, lim)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_yticks(pos, names, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("feature")
    ax.set_title(title or "Attribution of one sample")
    return bars


def plot_sanity(
    results: SanityResult | Sequence[SanityResult],
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> list[Any]:
    """Rank correlation with the original attributions against depth.

    Args:
        results: One or more :class:`nnbook.explain.SanityResult` of the same
            check (e.g. one per method); the x axis starts at "original"
            (correlation 1) and follows ``steps``.
        ax: Axes to draw on.
        title: Axes title.

    Returns:
        list: one ``Line2D`` per result.
    """
    if not isinstance(results, list | tuple):
        results = [results]
    ax = get_ax(ax, figsize=(5.5, 3.8), dpi=90)
    markers = "osD^vP*X"
    lines = []
    for i, res in enumerate(results):
        xs = ["original", *res.steps]
        ys = [1.0, *np.asarray(res.spearman, dtype=float)]
        lines += ax.plot(xs, ys, marker=markers[i % len(markers)], label=res.method)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("layers re-initialized (top down)")
    ax.set_ylabel("Spearman rank correlation")
    ax.set_title(title or "Cascading randomization")
    ax.legend(frameon=False, fontsize=8)
    return lines
