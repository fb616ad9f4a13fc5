"""Plotters: each takes ``ax=None``, returns its artists, and never shows.

No plotter calls ``plt.show()`` or changes matplotlib's global style. Colour
maps are colour-blind-safe: viridis/cividis for magnitudes and a diverging map
centred at zero for signed values. Plotters draw what ``nnbook.explain``
computes; they compute nothing that needs a model.
"""

from ._base import get_ax, plot_history
from .images import (
    feature_mosaic,
    grid_axes,
    plot_deletion_curves,
    plot_feature_maps,
    plot_filters,
    plot_image,
    plot_image_grid,
    plot_map_over_image,
)
from .methods import plot_method_scores
from .tabular import (
    CLASS_COLORS,
    ROLE_COLORS,
    plot_activation_distributions,
    plot_activation_heatmap,
    plot_attribution_bars,
    plot_decision_plane,
    plot_neuron_tiles,
    plot_sample_attribution,
    plot_sanity,
    plot_weight_heatmap,
)

__all__ = ["get_ax", "plot_history"]
__all__ += [
    "feature_mosaic",
    "grid_axes",
    "plot_deletion_curves",
    "plot_feature_maps",
    "plot_filters",
    "plot_image",
    "plot_image_grid",
    "plot_map_over_image",
]
__all__ += [
    "CLASS_COLORS",
    "ROLE_COLORS",
    "plot_activation_distributions",
    "plot_activation_heatmap",
    "plot_attribution_bars",
    "plot_decision_plane",
    "plot_neuron_tiles",
    "plot_sample_attribution",
    "plot_sanity",
    "plot_weight_heatmap",
]
__all__ += ["plot_method_scores"]
