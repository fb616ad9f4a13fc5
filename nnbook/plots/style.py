"""The book's colours and styles, in one place: one meaning per colour.

Reserved across the book:

- red is class 1, a positive value, "towards class 1"; blue is class 0, a
  negative value, "towards class 0" (:data:`CLASS_COLORS`, and the signed
  map :data:`SIGNED_CMAP`, ``RdBu_r``, centred at zero; probability maps use
  the same map centred at 0.5);
- the column roles (:data:`ROLE_COLORS`): informative green, redundant
  reddish purple, repeated black, noise grey;
- magnitudes use :data:`UNSIGNED_CMAP` (viridis).

Other categorical series (methods, seeds, implementations) get a fixed
colour, marker and line style from :data:`METHOD_STYLES` or
:func:`series_style`, none of them a reserved colour. :data:`STYLE` is a
matplotlib style file (``plt.style.use(STYLE)``) with the book's font sizes:
figures are drawn 7.5 in wide, so every font is at least 9 pt at page width.
Plotters never apply it themselves (importing changes no global state).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "STYLE",
    "PAGE_WIDTH",
    "CLASS_COLORS",
    "CLASS_MARKERS",
    "SIGNED_CMAP",
    "PROBABILITY_CMAP",
    "UNSIGNED_CMAP",
    "GREY_CMAP",
    "ROLE_COLORS",
    "RESERVED",
    "SERIES_STYLES",
    "METHOD_STYLES",
    "series_style",
    "method_style",
    "probability_norm",
    "signed_norm",
    "style_rc",
    "book_style",
]

#: The matplotlib style file of the book, for ``plt.style.use``.
STYLE: str = str(Path(__file__).with_name("nnbook.mplstyle"))
#: Width of the page in inches, so the widest figure.
PAGE_WIDTH: float = 7.5

#: Colours of class 0 (blue) and class 1 (red), the two ends of ``RdBu_r``.
CLASS_COLORS: tuple[str, str] = ("#2166AC", "#B2182B")
#: Class 0 circles, class 1 triangles, so the classes differ without colour.
CLASS_MARKERS: tuple[str, str] = ("o", "^")
#: The map of signed values, diverging, centred at zero with symmetric limits.
SIGNED_CMAP: str = "RdBu_r"
#: The map of probabilities of class 1, the same map centred at 0.5.
PROBABILITY_CMAP: str = "RdBu_r"
#: The map of magnitudes (activations, counts, importances), perceptually uniform.
UNSIGNED_CMAP: str = "viridis"
#: Grey images (digits), dark ink on a light background.
GREY_CMAP: str = "gray_r"

#: The true role of a column (colour-blind-safe; never red, blue or orange).
ROLE_COLORS: dict[str, str] = {
    "informative": "#009E73",
    "redundant": "#CC79A7",
    "repeated": "#000000",
    "noise": "#999999",
}

#: The reserved colours, of classes and signs and of column roles.
RESERVED: tuple[str, ...] = (*CLASS_COLORS, *ROLE_COLORS.values())

#: Styles (colour, marker, line style) of categorical series, in order.
SERIES_STYLES: tuple[dict[str, Any], ...] = (
    {"color": "#E69F00", "marker": "o", "ls": "-"},
    {"color": "#8C510A", "marker": "s", "ls": "--"},
    {"color": "#6A3D9A", "marker": "^", "ls": "-."},
    {"color": "#B8860B", "marker": "D", "ls": ":"},
    {"color": "#4D4D7A", "marker": "v", "ls": (0, (5, 1))},
    {"color": "#E69F00", "marker": "P", "ls": (0, (1, 1))},
    {"color": "#8C510A", "marker": "X", "ls": (0, (3, 1, 1, 1))},
)

#: One fixed style per explanation method, the same in every figure.
METHOD_STYLES: dict[str, dict[str, Any]] = {
    "gradient saliency": SERIES_STYLES[0],
    "SmoothGrad": SERIES_STYLES[1],
    "gradient x input": SERIES_STYLES[2],
    "integrated gradients": SERIES_STYLES[3],
    "IG (exact)": SERIES_STYLES[4],
    "occlusion": SERIES_STYLES[5],
    "Grad-CAM": SERIES_STYLES[6],
    "permutation importance": {"color": "#4D4D7A", "marker": "*", "ls": "-"},
    "random order": {"color": "#999999", "marker": "", "ls": "--"},
}


def series_style(i: int) -> dict[str, Any]:
    """The style of the ``i``-th categorical series (cycles after 7)."""
    return dict(SERIES_STYLES[i % len(SERIES_STYLES)])


def method_style(name: str, i: int = 0) -> dict[str, Any]:
    """The fixed style of a method by name, else :func:`series_style` ``(i)``.

    A name such as ``"occlusion 2 x 2"`` takes the style of ``"occlusion"``.
    """
    for key, style in METHOD_STYLES.items():
        if name == key or name.startswith(key + " "):
            return dict(style)
    return series_style(i)


def probability_norm() -> Any:
    """A colour norm for probabilities: 0 blue, 0.5 white, 1 red."""
    from matplotlib.colors import TwoSlopeNorm

    return TwoSlopeNorm(0.5, 0.0, 1.0)


def signed_norm(limit: float) -> Any:
    """A colour norm for signed values in ``[-limit, limit]``, 0 white."""
    from matplotlib.colors import Normalize

    limit = float(limit) if limit > 0 else 1.0
    return Normalize(-limit, limit)


@lru_cache(maxsize=1)
def _style_rc() -> dict[str, Any]:
    import matplotlib

    params = matplotlib.rc_params_from_file(STYLE, use_default_template=False)
    return dict(params)


def style_rc() -> dict[str, Any]:
    """The settings of :data:`STYLE` as a dict (a copy; read once).

    Returns:
        dict: rcParams names to values, e.g. ``{"font.size": 10.0, ...}``.
    """
    return dict(_style_rc())


def book_style(**overrides: Any) -> AbstractContextManager:
    """The book's style for the duration of a ``with`` block.

    For figures made outside pyplot (the explorers'), whose fonts and
    colours must not depend on the caller's global style. Constrained
    layout is off unless ``overrides`` turns it on: an explorer lays out its
    figure once and redraws it in place.

    Args:
        **overrides: rcParams to set on top of the style, with dots written
            as ``__`` (``figure__dpi=72``).

    Returns:
        A context manager (:func:`matplotlib.rc_context`).

    Example:
        >>> with book_style():                        # doctest: +SKIP
        ...     fig = new_figure((7.5, 5.6))
    """
    import matplotlib

    sizes = ("figure.figsize", "figure.dpi", "savefig.dpi")  # the caller's
    rc = {k: v for k, v in _style_rc().items() if k not in sizes}
    rc["figure.constrained_layout.use"] = False
    rc.update({k.replace("__", "."): v for k, v in overrides.items()})
    return matplotlib.rc_context(rc=rc)
