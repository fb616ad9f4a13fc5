"""Pick an image, a convolutional layer and a channel; see what it responds to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_class_labels
from ..explain.layers import conv_feature_maps, conv_layer_names
from ..explain.sklearn_adapter import make_classifier
from ..plots import new_figure
from ..plots.images import plot_feature_maps, plot_image, tile_mosaic
from ._base import Explorer
from ._params import ChoiceParam, IntParam

if TYPE_CHECKING:  # pragma: no cover
    import keras
    from matplotlib.figure import Figure

__all__ = ["FeatureMapExplorer"]


class FeatureMapExplorer(Explorer):
    """Feature maps of a CNN: the image, all channels of a layer, one channel.

    The three panels are the chosen image (with its label and the model's
    prediction), a mosaic of every channel of the chosen convolutional layer
    with the chosen channel framed, and that channel enlarged with a colour
    bar. All channels of a layer share one colour scale for the image, so a
    dark tile is a channel that barely fires. Feature maps of every image are
    computed once at construction; the controls only index them.

    Args:
        model: A trained Keras CNN, e.g. :func:`nnbook.models.build_digits_cnn`.
        X: float images of shape ``(n, h, w, c)`` matching the model.
        y: Optional int labels of shape ``(n,)``, shown in the title.
        **params: Initial ``index`` (``0..n-1``), ``layer`` (a
            convolutional layer name) and ``channel``.

    Raises:
        ValueError: If ``X`` does not match the model, the model has no
            convolutional layer, a parameter is out of range, or ``channel``
            is not below the chosen layer's number of channels.
    """

    def __init__(
        self, model: keras.Model, X: Any, *, y: Any = None, **params: Any
    ) -> None:
        self.maps = conv_feature_maps(model, X)
        self.X = np.asarray(X, dtype=float)  # checked by conv_feature_maps
        n = self.X.shape[0]
        k = max(int(model.outputs[0].shape[-1] or 1), 2)
        self.y = None if y is None else check_class_labels(y, n, k, "y").astype(int)
        self.y_hat = make_classifier(model).predict(self.X)
        self.layers = conv_layer_names(model)
        self.n_channels = {name: self.maps[name].shape[-1] for name in self.layers}
        self.PARAMS = (
            IntParam("index", 0, "image index", low=0, high=n - 1),
            ChoiceParam("layer", self.layers[-1], "layer", options=tuple(self.layers)),
            IntParam(
                "channel", 0, "channel", low=0, high=max(self.n_channels.values()) - 1
            ),
        )
        super().__init__(**params)

    def _check(self, params: dict[str, Any]) -> dict[str, Any]:
        checked = super()._check(params)
        merged = {**self.params, **checked}
        k = self.n_channels[merged["layer"]]
        if merged["channel"] >= k:
            raise ValueError(
                f"channel must be in [0, {k - 1}] for layer {merged['layer']!r} "
                f"({k} channels), got {merged['channel']}"
            )
        return checked

    def _build_figure(self) -> Figure:
        from matplotlib.patches import Rectangle

        fig = new_figure((7.5, 2.8), dpi=90, pyplot=True)
        # The book style's layout engine (constrained), set explicitly so the
        # explorer looks the same with or without the style.
        fig.set_layout_engine("constrained")
        ax_img, ax_mos, ax_map = fig.subplots(
            1, 3, gridspec_kw={"width_ratios": [1, 1.6, 1.2]}
        )
        first = self.maps[self.layers[-1]][0]
        self._img = plot_image(self.X[0], ax=ax_img)
        self._mos = plot_feature_maps(first, ax=ax_mos)
        self._frame = Rectangle((0, 0), 1, 1, fill=False, ec="#E69F00", lw=2)
        ax_mos.add_patch(self._frame)
        self._map = plot_feature_maps(first[..., :1], ax=ax_map)
        fig.colorbar(self._map, ax=ax_map, label="activation (after ReLU)")
        self._axes = (ax_img, ax_mos, ax_map)
        # The longest titles _render sets, so the layout leaves room for them.
        n, k = self.X.shape[0] - 1, max(self.n_channels.values()) - 1
        truth = "" if self.y is None else "label 0, "
        ax_img.set_title(f"image {n}\n{truth}predicted 0", fontsize=9.5)
        ax_mos.set_title(f"conv: all {k + 1} channels (8 x 8)", fontsize=9.5)
        ax_map.set_title(f"conv, channel {k} (max 0.00)", fontsize=9.5)
        # Lay the figure out once, then freeze it: redraws (and scrubber
        # frames) skip the constrained-layout solver and never shift.
        fig.canvas.draw()
        fig.set_layout_engine("none")
        return fig

    def _render(self, params: dict[str, Any]) -> None:
        i, layer, ch = params["index"], params["layer"], params["channel"]
        ax_img, ax_mos, ax_map = self._axes
        maps = self.maps[layer][i]  # (h, w, k)
        h, w, k = maps.shape
        top = float(maps.max()) if maps.max() > 0 else 1.0
        truth = "" if self.y is None else f"label {self.y[i]}, "
        self._img.set_data(self.X[i, ..., 0])
        ax_img.set_title(f"image {i}\n{truth}predicted {self.y_hat[i]}", fontsize=9.5)

        mos = tile_mosaic(maps)
        self._mos.set_data(mos)
        self._mos.set_extent((-0.5, mos.shape[1] - 0.5, mos.shape[0] - 0.5, -0.5))
        self._mos.set_clim(0.0, top)
        ax_mos.set_xlim(-0.5, mos.shape[1] - 0.5)
        ax_mos.set_ylim(mos.shape[0] - 0.5, -0.5)
        r, c = divmod(ch, min(8, k))
        self._frame.set_xy((c * (w + 1) - 0.5, r * (h + 1) - 0.5))
        self._frame.set_width(w)
        self._frame.set_height(h)
        ax_mos.set_title(f"{layer}: all {k} channels ({h} x {w})", fontsize=9.5)

        self._map.set_data(maps[..., ch])
        self._map.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self._map.set_clim(0.0, top)
        ax_map.set_xlim(-0.5, w - 0.5)
        ax_map.set_ylim(h - 0.5, -0.5)
        ax_map.set_title(
            f"{layer}, channel {ch} (max {maps[..., ch].max():.2f})", fontsize=9.5
        )
