"""Shared plot helpers: axes, figures, and the handles plotters return.

Plotters take ``ax=None`` (or ``axes=None``), return their artists and never
show. A plotter whose panel an explorer redraws returns a :class:`Handle`:
its artists, plus an ``update(...)`` method that changes them in place
(``set_data``, ``set_array``, ``set_offsets``, ``set_text``), so the figure
is built once.

No plotter calls ``plt.show()`` or changes matplotlib's global style.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_array, check_labels, check_sequence

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "Handle",
    "get_ax",
    "new_figure",
    "check_1d",
    "check_2d",
    "check_y",
    "axis_names",
]


class Handle:
    """The artists of one panel, updatable in place.

    Subclasses keep their artists as attributes, list them in
    ``artists`` (iteration yields them, so ``a, b = handle`` works) and
    implement ``update``.
    """

    artists: list[Any]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.artists)

    def __len__(self) -> int:
        return len(self.artists)

    def __getitem__(self, i: int) -> Any:
        return self.artists[i]

    @property
    def ax(self) -> Axes:
        """The axes the panel is drawn on."""
        return self.artists[0].axes


def get_ax(ax: Axes | None = None, **subplots_kw: Any) -> Axes:
    """Return ``ax``, or a new axes on a new figure when ``ax`` is ``None``.

    Raises:
        TypeError: If ``ax`` is neither ``None`` nor a matplotlib ``Axes``
            (e.g. the array that ``plt.subplots(2)`` returns: pick one).
    """
    if ax is not None:
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            raise TypeError(
                f"ax must be a matplotlib Axes or None, got {type(ax).__name__}"
            )
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(**subplots_kw)
    return ax


def new_figure(
    figsize: tuple[float, float], *, dpi: int = 100, pyplot: bool = False
) -> Figure:
    """A figure for an explorer.

    Args:
        figsize: Width and height in inches.
        dpi: Resolution.
        pyplot: Make it with pyplot, so that a notebook shows it at the end of
            the cell that made it (until the explorer's widget closes it);
            otherwise it lives outside pyplot on an Agg canvas, nothing
            auto-displays, and it is freed with the explorer.

    Returns:
        Figure: The new figure.
    """
    if pyplot:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize, dpi=dpi)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def check_1d(a: Any, name: str) -> np.ndarray:
    """``a`` as a finite, non-empty 1-D float array (one value per feature).

    Raises:
        TypeError: If ``a`` is not real numbers (see :func:`check_array`).
        ValueError: If it is not 1-D, is empty or holds NaN or infinities.
    """
    arr = check_array(a, name, finite=False)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (n_features,), got {arr.shape}")
    return check_array(arr, name)


def check_2d(a: Any, name: str, *, finite: bool = True) -> np.ndarray:
    """``a`` as a non-empty 2-D float array, or an error naming it.

    Raises:
        TypeError: If ``a`` is not real numbers (see :func:`check_array`).
        ValueError: If it is not 2-D, has no row or column, or (with
            ``finite``) holds NaN or infinities.
    """
    arr = check_array(a, name, finite=False, allow_empty=True)
    if arr.ndim != 2 or 0 in arr.shape:
        raise ValueError(f"{name} must be 2-D and non-empty, got shape {arr.shape}")
    return check_array(arr, name, finite=finite)


def check_y(y: Any, n: int) -> np.ndarray:
    """Binary labels 0/1 ``(n,)`` as ints (:func:`check_labels`), or an error.

    The plotters colour class 0 blue and class 1 red and draw the boundary
    between them, so other encodings ({1, 2}, {-1, 1}, 0.7) are refused
    with a message that says how to re-encode them.
    """
    return check_labels(y, n, "y").astype(int)


def axis_names(d: int, feature_names: Any = None) -> list[str]:
    """``feature_names``, or ``x00 .. x{d-1}``; checked to have ``d`` entries."""
    if feature_names is None:
        return [f"x{j:02d}" for j in range(d)]
    feature_names = [str(n) for n in check_sequence(feature_names, "feature_names")]
    if len(feature_names) != d:
        raise ValueError(
            f"feature_names must have {d} entries, got {len(feature_names)}"
        )
    return list(feature_names)
