"""Plots of attributions: global bars, signed bars, sanity, deletion and insertion.

Bars of a global importance are coloured by the column's true role; signed
attributions are red towards class 1 and blue towards class 0; methods keep
their fixed style (:data:`nnbook.plots.style.METHOD_STYLES`) in every figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_sequence
from ._base import axis_names, check_1d, get_ax
from .style import CLASS_COLORS, ROLE_COLORS, method_style, series_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

    from ..explain.sanity import SanityResult

__all__ = [
    "plot_attribution_bars",
    "plot_sample_attribution",
    "plot_sanity",
    "plot_pixel_curves",
]


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
    imp = check_1d(importance, "importance")
    names = axis_names(imp.size, feature_names)
    order = np.argsort(imp, kind="stable") if sort else np.arange(imp.size)[::-1]
    ax = get_ax(ax, figsize=(4.5, 5))
    colors = (
        [ROLE_COLORS.get(roles[j], "#000000") for j in order]
        if roles is not None
        else [series_style(0)["color"]] * imp.size
    )
    bars = ax.barh(np.arange(imp.size), imp[order], color=colors)
    ax.set_yticks(np.arange(imp.size), [names[j] for j in order], fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("feature")
    ax.set_title(title or "Global importance")
    if roles is not None:
        from matplotlib.patches import Patch

        present = [r for r in ROLE_COLORS if r in set(roles)]
        ax.legend(
            handles=[Patch(color=ROLE_COLORS[r], label=r) for r in present],
            fontsize=9,
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

    Positive bars (red) push towards class 1, negative (blue) towards
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
    a = check_1d(attribution, "attribution")
    names = axis_names(a.size, feature_names)
    if roles is not None:
        roles = [str(r) for r in check_sequence(roles, "roles")]
        if len(roles) != a.size:
            raise ValueError(f"roles must have {a.size} entries, got {len(roles)}")
        names = [f"{n} ({r[:5]})" for n, r in zip(names, roles, strict=True)]
    ax = get_ax(ax, figsize=(4.5, 5))
    pos = np.arange(a.size)[::-1]
    bars = ax.barh(pos, a, color=[CLASS_COLORS[int(v >= 0)] for v in a])
    lim = 1.05 * (float(np.abs(a).max()) or 1.0)
    ax.set_xlim(-lim, lim)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_yticks(pos, names, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("feature")
    ax.set_title(title or "Attribution of one sample")
    return bars


def plot_sanity(
    results: SanityResult | Sequence[SanityResult],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    labels: Sequence[str] | None = None,
    intervals: bool = True,
    dodge: float = 0.08,
) -> list[Any]:
    """Rank correlation with the original attributions against depth.

    Curves that end at the same value stay readable: each method keeps its
    fixed colour, marker and line style, and is shifted sideways by
    ``dodge``; the vertical bars are the 95 % bootstrap intervals that
    :meth:`nnbook.explain.SanityResult.verdict` reads, and the dashed line is
    its pass mark, ``nnbook.explain.RANDOMIZATION_THRESHOLD``.

    Args:
        results: One or more :class:`nnbook.explain.SanityResult` of the same
            check (e.g. one per method); the x axis starts at "original"
            (correlation 1) and follows ``steps``.
        ax: Axes to draw on.
        title: Axes title.
        labels: Legend names, one per result; by default the method's
            function name with spaces (``"gradient saliency"``).
        intervals: Draw the 95 % bootstrap interval of every randomized step.
        dodge: Sideways shift between methods, in steps.

    Returns:
        list: one ``Line2D`` per result.
    """
    from ..explain.sanity import RANDOMIZATION_THRESHOLD

    if not isinstance(results, list | tuple):
        results = [results]
    if labels is not None and len(labels) != len(results):
        raise ValueError(
            f"labels must hold one name per result ({len(results)}), got {len(labels)}"
        )
    ax = get_ax(ax, figsize=(5.5, 3.8))
    lines = []
    n = len(results)
    for i, res in enumerate(results):
        label = labels[i] if labels is not None else res.method.replace("_", " ")
        style = method_style(label, i)
        xs = np.arange(len(res.steps) + 1) + (i - (n - 1) / 2) * dodge
        ys = [1.0, *np.asarray(res.spearman, dtype=float)]
        lines += ax.plot(xs, ys, **style, label=label)
        if intervals:
            for k in range(len(res.steps)):
                try:
                    v = res.verdict(k)
                except ValueError:  # constant maps: no correlation, no interval
                    continue
                ax.plot(
                    [xs[k + 1]] * 2,
                    [v.low, v.high],
                    color=style.get("color"),
                    lw=2.5,
                    alpha=0.6,
                    solid_capstyle="butt",
                )
    ax.axhline(0, color="k", lw=0.8)
    ax.axhline(
        RANDOMIZATION_THRESHOLD,
        color="0.35",
        lw=1,
        ls=(0, (4, 3)),
        label=f"pass mark {RANDOMIZATION_THRESHOLD:g}",
    )
    steps = ["original", *results[0].steps] if results else ["original"]
    ax.set_xticks(range(len(steps)), steps)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("layers re-initialized (top down)")
    ax.set_ylabel("Spearman rank correlation")
    ax.set_title(title or "Cascading randomization")
    ax.legend(fontsize=9)
    return lines


def plot_pixel_curves(
    curves: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> list[Line2D]:
    """Draw deletion or insertion curves: the class's score against pixels changed.

    Args:
        curves: ``{label: PixelCurve}`` (from
            :func:`nnbook.explain.deletion_curve` or
            :func:`nnbook.explain.insertion_curve`), all of one ``kind``; a
            curve whose ``order`` is ``"random"`` is drawn in the reference
            style. The legend gives each curve's AUC.
        ax: Axes to draw on; a new figure is made when ``None``.
        title: Axes title; defaults to "Deletion curves" or "Insertion curves".

    Returns:
        list[Line2D]: One line per curve, in the order given.

    Raises:
        ValueError: If ``curves`` is empty or mixes deletion and insertion.
    """
    if not curves:
        raise ValueError("curves must hold at least one deletion or insertion curve")
    kinds = {getattr(c, "kind", "deletion") for c in curves.values()}
    if len(kinds) != 1:
        raise ValueError(
            f"curves must all be deletion or all insertion curves, got {sorted(kinds)}"
        )
    kind = kinds.pop()
    ax = get_ax(ax, figsize=(5, 3.5))
    lines = []
    for i, (label, dc) in enumerate(curves.items()):
        random = getattr(dc, "order", "") == "random"
        style = method_style("random order" if random else label, i)
        style["markevery"] = max(1, len(dc.fraction) // 8)
        (line,) = ax.plot(
            dc.fraction, dc.curve, label=f"{label} (AUC {dc.auc:.3f})", **style
        )
        lines.append(line)
    verb = "removed" if kind == "deletion" else "inserted"
    ax.set_xlabel(f"fraction of pixels {verb}")
    ax.set_ylabel("probability of the class")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(title or f"{kind.capitalize()} curves")
    ax.legend(fontsize=9)
    return lines
