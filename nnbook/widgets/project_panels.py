"""The project explorer's figure: four panels built once, updated in place.

:class:`ProjectPanels` lays out, in inches on a page-wide figure in the
book's style, the plotters of :mod:`nnbook.plots` that
:class:`nnbook.widgets.ProjectExplorer` redraws on every change:

- the hidden activations of the test samples (rows, sorted by class) for
  every hidden unit (columns): :func:`nnbook.plots.plot_activation_heatmap`;
- one tile per hidden unit: its activation over the PCA plane of the
  training data: :func:`nnbook.plots.plot_unit_mosaic`;
- the network's decision boundary on that plane, with the test points
  projected onto it (misclassified points have a black edge):
  :func:`nnbook.plots.plot_decision_plane`;
- the training and validation loss per epoch, with the replayed epoch marked:
  :func:`nnbook.plots.plot_history`;
- the test accuracy and the number of dead hidden units.

What the panels show is computed by :mod:`nnbook.widgets.project_view`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..plots import (
    new_figure,
    plot_activation_heatmap,
    plot_decision_plane,
    plot_history,
    plot_unit_mosaic,
)
from ..plots.style import (
    CLASS_COLORS,
    CLASS_MARKERS,
    SIGNED_CMAP,
    UNSIGNED_CMAP,
    book_style,
)
from .project_view import ProjectData, ProjectView

__all__ = ["ProjectPanels", "FIGSIZE", "DPI"]

#: The tops the loss axes snap to (a change that keeps the top keeps the layout).
_LOSS_TOPS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0)
#: The epochs the loss axes' right end snaps to.
_EPOCH_TOPS = (5, 10, 20, 30, 50, 100)


#: The figure's size in inches (the page's width) and its default resolution:
#: at 100 dpi the PNG is 750 px wide, so its 9-10 pt fonts stay 9-10 pt when
#: the page shows it 7.5 in wide (the book's style, ``nnbook.plots.STYLE``).
FIGSIZE: tuple[float, float] = (7.5, 6.0)
DPI: int = 100


def _rect(left: float, bottom: float, width: float, height: float) -> list[float]:
    """An axes rectangle given in inches on the :data:`FIGSIZE` figure."""
    w, h = FIGSIZE
    return [left / w, bottom / h, width / w, height / h]


class ProjectPanels:
    """The project figure: plotter handles created once, updated by :meth:`draw`.

    Four panels and a header, laid out in inches on a 7.5 in wide figure in
    the book's style (:func:`nnbook.plots.style.book_style`): the hidden
    activations (with their colour bar) and the units on the PC plane (each
    on its own scale) on top; the decision map (with its P(class 1) colour
    bar, red class 1, blue class 0) and the loss curves below; the test
    accuracy, the dead units and the legend of the points in the header.

    Args:
        data: The explorer's data and planes.
        dpi: Resolution of the figure (7.5 in wide).
    """

    def __init__(self, data: ProjectData, *, dpi: int = DPI) -> None:
        with book_style():
            self._build(data, dpi)

    def _build(self, data: ProjectData, dpi: int) -> None:
        from matplotlib import colormaps, rcParams
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize
        from matplotlib.layout_engine import PlaceHolderLayoutEngine
        from matplotlib.lines import Line2D
        from matplotlib.ticker import MaxNLocator

        fig = new_figure(FIGSIZE, dpi=dpi)
        # Laid out by hand, once: never by a layout engine, not even after a
        # print restores "the default" engine under a constrained-layout style.
        fig.set_layout_engine(PlaceHolderLayoutEngine(True, False))
        self.fig = fig
        ax_heat = fig.add_axes(_rect(0.75, 3.05, 2.05, 2.1))
        # Two colour bars in one place: non-negative and signed activations.
        cax_heat = fig.add_axes(_rect(2.9, 3.05, 0.12, 2.1))
        cax_signed = fig.add_axes(_rect(2.9, 3.05, 0.12, 2.1))
        ax_tiles = fig.add_axes(_rect(4.25, 3.05, 2.1, 2.1))
        cax_tiles = fig.add_axes(_rect(6.45, 3.05, 0.12, 2.1))
        ax_dec = fig.add_axes(_rect(0.75, 0.5, 2.05, 2.05))
        cax_dec = fig.add_axes(_rect(2.9, 0.5, 0.12, 2.05))
        ax_loss = fig.add_axes(_rect(4.25, 0.5, 3.05, 2.05))
        ax_head = fig.add_axes(_rect(0.1, 5.45, 7.3, 0.5))
        ax_head.set_axis_off()
        self.axes = (ax_heat, ax_tiles, ax_dec, ax_loss)
        for ax in (*self.axes, cax_heat, cax_signed, cax_tiles, cax_dec):
            ax.tick_params(labelsize=rcParams["xtick.labelsize"])

        # top left: hidden activations, test samples by class, with a colour bar
        y = data.y_test
        self.heat = plot_activation_heatmap(
            np.zeros((len(y), 1)), y, ax=ax_heat, colorbar=False, fixed_axes=True
        )
        n0 = int((y == 0).sum())
        ax_heat.set_yticks([n0 / 2, n0 + (len(y) - n0) / 2], ["class 0", "class 1"])
        ax_heat.set_ylabel("test samples")
        ax_heat.set_xlabel("hidden units (columns)")
        # The colour bars are static (redrawing a colour bar on every change
        # would cost more than the rest of a replay): they show the scale as a
        # fraction of the largest activation, which the title states.
        self.heat_bars = {}
        for signed, cax in ((False, cax_heat), (True, cax_signed)):
            low = -1.0 if signed else 0.0
            bar = fig.colorbar(
                ScalarMappable(
                    Normalize(low, 1.0),
                    colormaps[SIGNED_CMAP if signed else UNSIGNED_CMAP],
                ),
                cax=cax,
            )
            if signed:
                bar.set_ticks([-1.0, 0.0, 1.0], labels=["-max", "0", "max"])
            else:
                bar.set_ticks([0.0, 1.0], labels=["0", "max"])
            bar.set_label("activation (max in the title)", labelpad=2)
            cax.set_visible(False)
            self.heat_bars[signed] = cax

        # top right: each unit over the PC plane, on its own scale
        self.tiles = plot_unit_mosaic(
            np.zeros((2, 2, 1)), ax=ax_tiles, title="Each unit on the PC plane"
        )
        ax_tiles.set_xlabel("PC 1 (in each tile)")
        ax_tiles.set_ylabel("PC 2 (in each tile)")
        tiles_bar = fig.colorbar(
            ScalarMappable(Normalize(0.0, 1.0), colormaps[UNSIGNED_CMAP]),
            cax=cax_tiles,
        )
        tiles_bar.set_ticks([0.0, 1.0], labels=["min", "max"])
        tiles_bar.set_label("activation, each unit's own scale", labelpad=2)

        # bottom left: the decision map on the plane, P(class 1) colour bar
        self.decision = plot_decision_plane(
            data.plane,
            np.full((data.plane.v.size, data.plane.u.size), 0.5),
            data.X_test,
            data.y_test,
            ax=ax_dec,
            title="Decision boundary, PC plane",
            colorbar=False,
            alpha=0.5,
        )
        ax_dec.get_legend().remove()
        ax_dec.set_xticks([])  # plane coordinates mean little; text costs
        ax_dec.set_yticks([])
        ax_dec.set_xlabel(f"{data.plane.labels[0]} of the training data")
        ax_dec.set_ylabel(data.plane.labels[1])
        dec_bar = fig.colorbar(self.decision.image, cax=cax_dec)
        dec_bar.set_ticks([0.0, 0.5, 1.0], labels=["0", "0.5", "1"])
        dec_bar.set_label("P(class 1): blue class 0, red class 1")

        # bottom right: the loss curves, the replayed epoch marked
        self.loss = plot_history(
            {"loss": [1.0], "val_loss": [1.0]},
            ax=ax_loss,
            title="Loss per epoch",
            markers=False,
            epoch=0,
        )
        ax_loss.get_legend().remove()
        ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax_loss.yaxis.set_major_locator(MaxNLocator(4))
        ax_loss.set_ylabel("binary cross-entropy")
        ax_loss.legend(
            [self.loss.train, self.loss.val, self.loss.marker],
            ["training", "validation", "epoch shown"],
            loc="upper right",
            frameon=True,
            framealpha=0.85,
        )

        # the header: accuracy and dead units; the legend of the points
        kw = {"transform": ax_head.transAxes, "va": "top", "ha": "left"}
        self.acc_text = ax_head.text(0.0, 1.0, "", fontsize=11, **kw)
        self.dead_text = ax_head.text(3.25 / 7.3, 1.0, "", fontsize=11, **kw)
        self.status_text = ax_head.text(
            3.25 / 7.3, 0.45, "", fontsize=10, color="#b00020", **kw
        )
        marks = [
            Line2D(
                [],
                [],
                ls="",
                marker=CLASS_MARKERS[c],
                color=CLASS_COLORS[c],
                markeredgecolor="white",
                markersize=7,
                label=f"class {c}",
            )
            for c in (0, 1)
        ]
        marks.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                color="0.75",
                markeredgecolor="black",
                markeredgewidth=1.3,
                markersize=7,
                label="misclassified",
            )
        )
        ax_head.legend(
            handles=marks,
            loc="upper right",
            bbox_to_anchor=(1.0, 1.15),
            ncols=3,
            title="test points (boundary map)",
            frameon=False,
            handletextpad=0.2,
            columnspacing=0.8,
        )

    @property
    def animated(self) -> list[Any]:
        """The artists a change of epoch (replay) redraws; the rest is static.

        The activations' colour bar follows the activations' range, so its
        axes is redrawn with them.
        """
        return [
            self.heat.image,
            self.heat.boundary,  # drawn over the image
            self.heat.title,
            self.tiles.image,
            self.decision.image,
            self.decision.boundary,
            *(sc for _, sc in self.decision.points),
            self.loss.train,
            self.loss.val,
            self.loss.marker,
            self.acc_text,
            self.dead_text,
            self.status_text,
        ]

    def draw(self, view: ProjectView) -> None:
        """Update every artist in place for ``view`` (no new artist).

        The loss axes' top and right end snap to a few round values, and the
        heatmap and the tiles fill fixed boxes, so most changes, retraining
        ones included, keep the figure's layout (``layout``) and redraw only
        the animated artists.
        """
        self.heat.update(view.hidden)
        signed = self.heat.image.get_clim()[0] < 0
        for flag, cax in self.heat_bars.items():
            cax.set_visible(flag == signed)
        self.tiles.update(view.units)
        self.decision.update(view.proba, wrong=view.wrong)
        history = {"loss": view.loss, "val_loss": view.val_loss}
        self.loss.update(history, epoch=view.epoch, rescale=False)
        both = np.r_[view.loss, view.val_loss]
        both = both[np.isfinite(both)]
        peak = 1.05 * float(both.max()) if both.size else 1.0
        top = next((t for t in _LOSS_TOPS if t >= peak), peak)
        right = next((e for e in _EPOCH_TOPS if e >= len(view.loss)), len(view.loss))
        ax_loss = self.axes[3]
        ax_loss.set_xlim(-0.5, right + 0.5)
        ax_loss.set_ylim(0.0, top)
        self.layout = (right, top, signed)
        self.acc_text.set_text(
            f"test accuracy: {view.accuracy:.3f}\n"
            f"(epoch {view.epoch} of {len(view.loss)})"
        )
        self.dead_text.set_text(f"dead units: {view.n_dead} of {view.hidden_units}")
        finite = np.all(np.isfinite(view.loss)) and np.all(np.isfinite(view.hidden))
        self.status_text.set_text(
            "" if finite else "training diverged (loss is not finite): lower lr"
        )
