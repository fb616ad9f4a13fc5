"""Plotters for images: grids, maps over digits, filters and feature maps.

Every plotter takes existing axes (``ax=`` for one panel, ``axes=`` for a
grid) or makes its own figure, returns its artists, and never calls
``plt.show()`` or touches matplotlib's global style. Grey images are drawn
dark-on-light (``"gray_r"``); unsigned maps use viridis (or another
perceptually uniform map); signed maps use a diverging map centred at zero
with symmetric limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_array, check_int
from ._base import get_ax
from .style import GREY_CMAP, SIGNED_CMAP, UNSIGNED_CMAP

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.image import AxesImage

__all__ = [
    "grid_axes",
    "plot_image",
    "plot_image_grid",
    "plot_map_over_image",
    "plot_filters",
    "tile_mosaic",
    "plot_feature_maps",
]

_SEQUENTIAL = ("viridis", "cividis", "magma", "inferno", "plasma")

#: Most panels one grid draws: each is a matplotlib axes (about 15 ms and
#: 0.2 MB), and beyond a few hundred none is readable at page width.
MAX_PANELS = 400
_WHY_PANELS = "each panel is an axes; more are neither fast nor readable"


def _as_2d(image: Any, name: str) -> np.ndarray:
    """An image of shape (h, w) or (h, w, 1) as a 2-D float array."""
    arr = np.asarray(image, dtype=float)
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim == 3:  # several channels of one attribution: sum them
        arr = arr.sum(axis=-1)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be one image of shape (h, w) or (h, w, c), "
            f"got shape {arr.shape}"
        )
    return arr


def _bare(ax: Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def _finish(ax: Axes, im: AxesImage, title: str | None) -> AxesImage:
    """A picture panel: no ticks, an optional title."""
    _bare(ax)
    if title is not None:
        ax.set_title(title, fontsize=9)
    return im


def grid_axes(
    n: int,
    *,
    ncols: int | None = None,
    axes: Sequence[Axes] | None = None,
    panel_size: float = 0.75,
    dpi: int = 100,
) -> list[Axes]:
    """Return ``n`` axes: the given ones, or a new figure's grid of panels.

    Args:
        n: How many panels are needed.
        ncols: Columns of a new grid (default: up to 10, 7.5 in wide).
        axes: Existing axes (at least ``n``); extra ones are switched off.
        panel_size: Size of one panel in inches for a new figure.
        dpi: Resolution of a new figure.

    Returns:
        list[Axes]: The first ``n`` axes.

    Raises:
        ValueError: If ``n`` is not in ``[1, MAX_PANELS]`` or fewer than
            ``n`` axes are given.
    """
    n = check_int(n, "n", low=1, high=MAX_PANELS, why=_WHY_PANELS)
    if ncols is not None:
        ncols = check_int(ncols, "ncols", low=1)
    if axes is not None:
        from matplotlib.axes import Axes

        flat = list(np.ravel(np.asarray(axes, dtype=object)))
        if not all(isinstance(a, Axes) for a in flat):
            raise TypeError(
                "axes must be a sequence (or array) of matplotlib Axes, got "
                f"{type(axes).__name__}"
            )
        if len(flat) < n:
            raise ValueError(f"axes must hold at least {n} axes, got {len(flat)}")
        for extra in flat[n:]:
            extra.set_axis_off()
        return flat[:n]
    import matplotlib.pyplot as plt

    ncols = min(n, 10) if ncols is None else max(1, min(int(ncols), n))
    nrows = -(-n // ncols)
    fig, grid = plt.subplots(
        nrows,
        ncols,
        figsize=(panel_size * ncols, panel_size * nrows + 0.3),
        dpi=dpi,
        squeeze=False,
    )
    flat = list(grid.ravel())
    for extra in flat[n:]:
        extra.set_axis_off()
    return flat[:n]


def plot_image(
    image: Any,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    cmap: str = GREY_CMAP,
    vmin: float = 0.0,
    vmax: float = 1.0,
) -> AxesImage:
    """Draw one grey image (dark ink on a light background by default).

    Args:
        image: Array of shape ``(h, w)`` or ``(h, w, 1)``.
        ax: Axes to draw on; a new figure is made when ``None``.
        title: Panel title.
        cmap: Colour map; ``"gray_r"`` shows ink as dark.
        vmin: Value drawn as white.
        vmax: Value drawn as black.

    Returns:
        AxesImage: The image artist.
    """
    arr = _as_2d(image, "image")
    ax = get_ax(ax, figsize=(2, 2))
    im = ax.imshow(arr, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    return _finish(ax, im, title)


def plot_image_grid(
    images: Any,
    *,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    axes: Sequence[Axes] | None = None,
    cmap: str = GREY_CMAP,
    vmin: float = 0.0,
    vmax: float = 1.0,
) -> list[AxesImage]:
    """Draw images side by side, one per panel.

    Args:
        images: Array of shape ``(n, h, w)`` or ``(n, h, w, 1)``.
        titles: One title per image, or ``None``.
        ncols: Columns of a new grid.
        axes: Existing axes (at least ``n``), or ``None`` for a new figure.
        cmap: Colour map for the grey values.
        vmin: Value drawn as the lightest colour.
        vmax: Value drawn as the darkest colour.

    Returns:
        list[AxesImage]: One artist per image.

    Raises:
        ValueError: If ``images`` is not a non-empty batch of 2-D images,
            holds more than ``MAX_PANELS``, or the titles do not match.
    """
    arr = check_array(images, "images", finite=False, allow_empty=True)
    if arr.ndim not in (3, 4) or 0 in arr.shape:
        raise ValueError(
            "images must have shape (n, h, w) or (n, h, w, 1) with n >= 1, got "
            f"{arr.shape}"
        )
    if len(arr) > MAX_PANELS:
        raise ValueError(
            f"images must hold at most {MAX_PANELS} images ({_WHY_PANELS}), got "
            f"{len(arr)}; pass a slice such as images[:{MAX_PANELS}]"
        )
    if titles is not None and (isinstance(titles, str) or len(titles) != len(arr)):
        raise ValueError(
            f"titles must have one entry per image ({len(arr)}), got {len(titles)}"
        )
    panels = grid_axes(len(arr), ncols=ncols, axes=axes)
    return [
        plot_image(
            img,
            ax=ax,
            title=None if titles is None else titles[i],
            cmap=cmap,
            vmin=vmin,
            vmax=vmax,
        )
        for i, (img, ax) in enumerate(zip(arr, panels, strict=True))
    ]


def plot_map_over_image(
    image: Any,
    attribution: Any,
    *,
    ax: Axes | None = None,
    signed: bool | None = None,
    cmap: str | None = None,
    vmax: float | None = None,
    title: str | None = None,
    outline: float = 0.5,
) -> AxesImage:
    """Draw an attribution map with the digit's outline on top.

    The map fills the panel; the image is drawn as a contour at the grey
    level ``outline``, so both stay readable at 8 x 8 pixels. Signed maps
    use a diverging colour map centred at zero (symmetric limits, white for
    zero); unsigned maps use viridis from zero.

    Args:
        image: The image, shape ``(h, w)`` or ``(h, w, 1)``.
        attribution: The map, same height and width (channels are summed).
        ax: Axes to draw on; a new figure is made when ``None``.
        signed: ``True`` for a diverging map, ``False`` for a sequential one,
            ``None`` to decide from the data (any negative value -> signed).
        cmap: Colour map; defaults to ``"RdBu_r"`` (signed) or ``"viridis"``.
        vmax: Upper limit (and ``-vmax`` lower limit for signed maps);
            defaults to the map's largest absolute value.
        title: Panel title.
        outline: Grey level of the drawn contour; ``None`` draws no outline.

    Returns:
        AxesImage: The map's artist (use it for a colour bar).

    Raises:
        ValueError: If the shapes disagree, or an unsigned colour map is
            asked for with a signed map.
    """
    img = _as_2d(image, "image")
    attr = _as_2d(attribution, "attribution")
    if img.shape != attr.shape:
        raise ValueError(
            f"attribution must have the image's shape {img.shape}, got {attr.shape}"
        )
    if signed is None:
        signed = bool(np.any(attr < 0))
    top = float(np.max(np.abs(attr))) if vmax is None else float(vmax)
    top = top if top > 0 else 1.0
    if signed:
        cmap = SIGNED_CMAP if cmap is None else cmap
        if cmap in _SEQUENTIAL:
            raise ValueError(
                f"cmap {cmap!r} is sequential; a signed map needs a diverging one"
            )
        lo = -top
    else:
        cmap = UNSIGNED_CMAP if cmap is None else cmap
        lo = 0.0
    ax = get_ax(ax, figsize=(2.2, 2.2))
    im = ax.imshow(attr, cmap=cmap, vmin=lo, vmax=top, interpolation="nearest")
    if outline is not None and img.max() > outline > img.min():
        ax.contour(
            img,
            levels=[outline],
            colors="k" if signed else "w",
            linewidths=1.0,
        )
    return _finish(ax, im, title)


def plot_filters(
    kernel: Any,
    *,
    axes: Sequence[Axes] | None = None,
    ncols: int = 8,
    cmap: str = SIGNED_CMAP,
) -> list[AxesImage]:
    """Draw the first-layer filters of a convolution, one panel each.

    Weights are signed, so all filters share one diverging colour scale
    centred at zero (white = weight 0).

    Args:
        kernel: Conv2D kernel of shape ``(kh, kw, in_channels, filters)``;
            the input channels are summed (one for grey images).
        axes: Existing axes (at least ``filters``), or ``None``.
        ncols: Columns of a new grid.
        cmap: A diverging colour map.

    Returns:
        list[AxesImage]: One artist per filter.

    Raises:
        ValueError: If ``kernel`` is not 4-D.
    """
    k = np.asarray(kernel, dtype=float)
    if k.ndim != 4:
        raise ValueError(
            "kernel must have shape (kh, kw, in_channels, filters), "
            f"got shape {k.shape}"
        )
    k = k.sum(axis=2)
    top = float(np.abs(k).max()) or 1.0
    panels = grid_axes(k.shape[-1], ncols=ncols, axes=axes, panel_size=0.9)
    out = []
    for j, ax in enumerate(panels):
        out.append(
            ax.imshow(
                k[..., j], cmap=cmap, vmin=-top, vmax=top, interpolation="nearest"
            )
        )
        _bare(ax)
        ax.set_title(f"filter {j}", fontsize=9)
    return out


def tile_mosaic(maps: Any, *, ncols: int = 8) -> np.ndarray:
    """Tile the channels of maps ``(h, w, channels)`` into one 2-D array.

    The one mosaic of the package: the feature maps of a convolution and the
    per-unit tiles of the explorers are laid out by it.

    Args:
        maps: float array of shape ``(h, w, channels)``.
        ncols: Tiles per row.

    Returns:
        np.ndarray: float array of shape ``(rows * (h + 1) - 1,
        ncols * (w + 1) - 1)``; channel ``j`` sits at tile row ``j // ncols``
        and tile column ``j % ncols``; the one-pixel gaps are NaN.

    Raises:
        ValueError: If ``maps`` is not 3-D.
    """
    m = np.asarray(maps, dtype=float)
    if m.ndim != 3:
        raise ValueError(
            f"maps must have shape (h, w, channels) for one image, got {m.shape}"
        )
    h, w, k = m.shape
    ncols = max(1, min(int(ncols), k))
    rows = -(-k // ncols)
    out = np.full((rows * (h + 1) - 1, ncols * (w + 1) - 1), np.nan)
    for j in range(k):
        r, c = divmod(j, ncols)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = m[..., j]
    return out


def plot_feature_maps(
    maps: Any,
    *,
    ax: Axes | None = None,
    ncols: int = 8,
    cmap: str = UNSIGNED_CMAP,
    vmax: float | None = None,
    title: str | None = None,
) -> AxesImage:
    """Draw every channel of one layer's feature maps as one mosaic.

    Channels are tiled row by row (channel ``j`` at row ``j // ncols``,
    column ``j % ncols``), separated by white gaps, on one shared colour
    scale from 0, so a dark tile is a channel that barely fires.

    Args:
        maps: Activations of shape ``(h, w, channels)`` for one image
            (non-negative after ReLU).
        ax: Axes to draw on; a new figure is made when ``None``.
        ncols: Tiles per row.
        cmap: A sequential colour map; gaps are drawn white.
        vmax: Top of the colour scale; defaults to the largest activation.
        title: Panel title.

    Returns:
        AxesImage: The mosaic's artist (use it for a colour bar).

    Raises:
        ValueError: If ``maps`` is not 3-D.
    """
    import matplotlib as mpl

    tiles = tile_mosaic(maps, ncols=ncols)
    top = float(np.nanmax(tiles)) if vmax is None else float(vmax)
    lo = float(min(np.nanmin(tiles), 0.0))
    top = top if top > lo else lo + 1.0
    ax = get_ax(ax, figsize=(5, 3))
    colours = mpl.colormaps[cmap].with_extremes(bad="white")
    im = ax.imshow(tiles, cmap=colours, vmin=lo, vmax=top, interpolation="nearest")
    _bare(ax)
    if title is not None:
        ax.set_title(title)
    return im
