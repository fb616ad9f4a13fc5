"""Plotters: each takes ``ax=None``, returns its artists, and never shows.

No plotter calls ``plt.show()`` or changes matplotlib's global style; the
book's style file is :data:`nnbook.plots.style.STYLE` and its colours live
in :mod:`nnbook.plots.style` (one meaning per colour). Plotters draw what
:mod:`nnbook.explain` computes; they compute nothing that needs a model. A
plotter whose panel an explorer redraws returns a handle with an
``update(...)`` method that changes its artists in place.

- :mod:`~nnbook.plots.training`: training curves.
- :mod:`~nnbook.plots.network`: activations by class, weights.
- :mod:`~nnbook.plots.plane`: decision maps and unit tiles on a plane.
- ``nnbook.plots.attribution``: importances, one sample, sanity, deletion and insertion.
- ``nnbook.plots.images``: digits, maps over them, filters, feature maps.
- :mod:`~nnbook.plots.metrics`: confusion matrix, ROC and PR curves.
- :mod:`~nnbook.plots.neuron`, :mod:`~nnbook.plots.surface`: one neuron, and
  gradient descent on a loss surface.
"""

from ._base import Handle, get_ax, new_figure
from .attribution import (
    plot_attribution_bars,
    plot_pixel_curves,
    plot_sample_attribution,
    plot_sanity,
)
from .images import (
    grid_axes,
    plot_feature_maps,
    plot_filters,
    plot_image,
    plot_image_grid,
    plot_map_over_image,
    tile_mosaic,
)
from .methods import plot_method_scores
from .metrics import plot_confusion_matrix, plot_operating_curve
from .network import (
    plot_activation_distributions,
    plot_activation_heatmap,
    plot_weight_heatmap,
)
from .neuron import plot_logit_strip, plot_neuron_plane
from .plane import plot_decision_plane, plot_neuron_tiles, plot_unit_mosaic
from .style import CLASS_COLORS, METHOD_STYLES, ROLE_COLORS, STYLE
from .surface import plot_loss_steps, plot_loss_surface
from .text import TOKEN_SIGNED_CMAP, TOKEN_UNSIGNED_CMAP, plot_tokens, tokens_html
from .training import plot_history

__all__ = [
    "CLASS_COLORS",
    "get_ax",
    "grid_axes",
    "Handle",
    "METHOD_STYLES",
    "new_figure",
    "plot_activation_distributions",
    "plot_activation_heatmap",
    "plot_attribution_bars",
    "plot_confusion_matrix",
    "plot_decision_plane",
    "plot_pixel_curves",
    "plot_feature_maps",
    "plot_filters",
    "plot_history",
    "plot_image",
    "plot_image_grid",
    "plot_logit_strip",
    "plot_loss_steps",
    "plot_loss_surface",
    "plot_map_over_image",
    "plot_neuron_plane",
    "plot_neuron_tiles",
    "plot_operating_curve",
    "plot_sample_attribution",
    "plot_sanity",
    "plot_unit_mosaic",
    "plot_weight_heatmap",
    "ROLE_COLORS",
    "STYLE",
    "tile_mosaic",
]
__all__ += ["TOKEN_SIGNED_CMAP", "TOKEN_UNSIGNED_CMAP", "plot_tokens", "tokens_html"]
__all__ += ["plot_method_scores"]
