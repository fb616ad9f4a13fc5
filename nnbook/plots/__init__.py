"""Plotters: each takes ``ax=None``, returns its artists, and never shows.

No plotter calls ``plt.show()`` or changes matplotlib's global style. Colour
maps are colour-blind-safe: viridis/cividis for magnitudes and a diverging map
centred at zero for signed values. Plotters draw what ``nnbook.explain``
computes; they compute nothing that needs a model.
"""

from ._base import get_ax, plot_history

__all__ = ["get_ax", "plot_history"]
