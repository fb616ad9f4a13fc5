"""The project explorer: retrain the article's network and look inside it.

Every change of a training control retrains the article's network
(``Dense(hidden_units, activation)`` then ``Dense(1, sigmoid)``, binary
cross-entropy, Adam) on the article's data with
:class:`nnbook.training.SweepTrainer`, one compiled TensorFlow function that
is traced once and reused, so a change answers in tens of milliseconds instead
of the one to two seconds a fresh Keras ``fit`` costs. Each run records the
weights after every epoch, from one fixed initialization per seed, so the
``epoch`` control replays training without retraining.

The figure is built once from the plotters of :mod:`nnbook.plots`; every
update changes their artists in place:

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

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._checks import check_labels, check_matrix
from ..activations import ACTIVATIONS
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
from ..training.sweep import MAX_EPOCHS, MAX_HIDDEN, SweepTrainer
from ._base import Explorer
from ._params import ChoiceParam, FloatParam, IntParam, LogFloatParam
from .project_view import ProjectData, ProjectView, project_view

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets
    from matplotlib.figure import Figure

__all__ = ["ProjectExplorer", "ProjectPanels", "TRAINING_PARAMS"]

#: The tops the loss axes snap to (a change that keeps the top keeps the layout).
_LOSS_TOPS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0)
#: The epochs the loss axes' right end snaps to.
_EPOCH_TOPS = (5, 10, 20, 30, 50, 100)

#: The controls that retrain the network (the others replay a recorded run).
TRAINING_PARAMS: tuple[str, ...] = (
    "hidden_units",
    "lr",
    "epochs",
    "batch_size",
    "l2",
    "activation",
    "seed",
)


#: The figure's size in inches (the page's width) and its default resolution:
#: at 100 dpi the PNG is 750 px wide, so its 9-10 pt fonts stay 9-10 pt when
#: the page shows it 7.5 in wide (the book's style, :data:`nnbook.plots.STYLE`).
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
            Line2D([], [], ls="", marker=CLASS_MARKERS[c], color=CLASS_COLORS[c],
                   markeredgecolor="white", markersize=7, label=f"class {c}")
            for c in (0, 1)
        ]
        marks.append(
            Line2D([], [], ls="", marker="o", color="0.75", markeredgecolor="black",
                   markeredgewidth=1.3, markersize=7, label="misclassified")
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


class ProjectExplorer(Explorer):
    """Retrain the article's network with sliders, and replay its training.

    Controls (all but ``epoch`` retrain, so their sliders fire on release):

    - ``hidden_units`` 1-64, ``lr`` 1e-4 to 1 (log scale), ``epochs`` 1-100,
      ``batch_size`` 8-640, ``l2`` 0-0.1, ``activation`` (a dropdown of
      :data:`nnbook.activations.ACTIVATIONS`), ``seed`` 0-99;
    - ``epoch`` 0-``epochs``: which recorded epoch to show (0 is the
      initialization). A training change resets it to the last epoch.

    Each ``seed`` fixes one initialization and one batch order, so changing
    any other control compares networks trained from the same start.

    Runs already trained are cached by the trainer, bounded by memory: at
    most ``SweepTrainer``'s ``cache_bytes`` (64 MiB) of recorded arrays and
    ``cache_size`` (32) runs, least recently used first out. A run at 100
    epochs and 64 units records about 11 MiB (the weights after every
    epoch and the probe set's hidden activations), so 5 such runs stay
    cached; smaller runs more.

    Attributes:
        run: The current :class:`~nnbook.training.TrainingRecord`.
        view: The current :class:`~nnbook.widgets.project_view.ProjectView`,
            what the figure shows.
        trainer: The :class:`~nnbook.training.SweepTrainer` (compiled once,
            with a cache of runs).
        panels: The figure's plotter handles
            (:class:`~nnbook.widgets.project.ProjectPanels`).

    Args:
        data: The article's data (:func:`nnbook.data.make_seed_data`); made
            when ``None``.
        dpi: Resolution of the figure.
        **params: Initial values of the controls.

    Raises:
        ValueError: If a value is out of range (the message names the control
            and its range), or ``epoch`` exceeds ``epochs``.
        TypeError: If a value has the wrong type.

    Example:
        >>> ex = ProjectExplorer()                   # doctest: +SKIP
        >>> ex.update(hidden_units=32, lr=0.01)      # retrain, redraw in place
        >>> ex.update(epoch=3)                       # replay, no retraining
        >>> ex.widget()                              # sliders, in JupyterLab
    """

    PARAMS: ClassVar = (
        IntParam(
            "hidden_units", 10, "hidden units", low=1, high=MAX_HIDDEN, retrains=True
        ),
        LogFloatParam(
            "lr",
            1e-3,
            "learning rate",
            low=1e-4,
            high=1.0,
            steps_per_decade=4,
            retrains=True,
        ),
        IntParam("epochs", 10, "epochs", low=1, high=MAX_EPOCHS, retrains=True),
        IntParam(
            "batch_size", 32, "batch size", low=8, high=640, step=8, retrains=True
        ),
        FloatParam("l2", 0.0, "L2", low=0.0, high=0.1, step=0.001, retrains=True),
        ChoiceParam(
            "activation", "relu", "activation", retrains=True, options=ACTIVATIONS
        ),
        IntParam("seed", 0, "seed", low=0, high=99, retrains=True),
        IntParam("epoch", 10, "replay epoch", low=0, high=MAX_EPOCHS),
    )
    FRAME_COLORS: ClassVar[int | None] = 128  # scrubber frames: a quarter the bytes
    FRAME_DPI: ClassVar[int] = DPI  # the frames as readable as the figure
    ALT: ClassVar[str] = (
        "The project explorer: hidden activations of the 200 test samples"
        " (rows, class 0 on top) for every hidden unit (columns), with a colour"
        " bar; each hidden unit's activation over the PC plane, one tile per"
        " unit on its own scale; the decision boundary on that plane over the"
        " probability of class 1 (blue class 0, red class 1), with the test"
        " points and the misclassified ones outlined in black; and the"
        " training and validation loss per epoch"
    )

    def __init__(self, data: Any = None, *, dpi: int = DPI, **params: Any) -> None:
        if data is None:
            from ..data import make_seed_data

            data = make_seed_data()
        X_train = check_matrix(data.X_train, "data.X_train")
        y_train = check_labels(data.y_train, X_train.shape[0], "data.y_train")
        X_test = check_matrix(data.X_test, "data.X_test", n_features=X_train.shape[1])
        y_test = check_labels(data.y_test, X_test.shape[0], "data.y_test")
        self.trainer = SweepTrainer(X_train, y_train, X_probe=X_test, y_probe=y_test)
        self.data = ProjectData(self.trainer.X_train, X_test, y_test)
        self._dpi = dpi
        self.controls: dict[str, Any] = {}
        super().__init__(**params)

    # -- the Explorer protocol ---------------------------------------------
    def _check(self, params: dict[str, Any]) -> dict[str, Any]:
        checked = super()._check(params)
        if "epoch" not in checked and any(k in TRAINING_PARAMS for k in checked):
            # a new run: show its last epoch
            checked["epoch"] = checked.get("epochs", self.params["epochs"])
        merged = {**self.params, **checked}
        if merged["epoch"] > merged["epochs"]:
            raise ValueError(
                f"epoch must be <= epochs ({merged['epochs']}), got {merged['epoch']}"
            )
        return checked

    def _build_figure(self) -> Figure:
        self.panels = ProjectPanels(self.data, dpi=self._dpi)
        return self.panels.fig

    def _render(self, params: dict[str, Any]) -> None:
        settings = {k: params[k] for k in TRAINING_PARAMS}
        self.run = self.trainer.run(**settings)
        epoch = params["epoch"]
        self.view = project_view(
            self.data,
            self.run.weights(epoch),
            params["activation"],
            self.run.epoch_loss,
            self.run.val_loss,
            epoch,
            test_hidden=self.run.probe_hidden[epoch],
            test_proba=self.run.probe_proba[epoch],
        )
        self.panels.draw(self.view)

    def _animated(self) -> list[Any]:
        return self.panels.animated

    def _layout_key(self) -> Any:
        return self.panels.layout

    def _apply(self, params: dict[str, Any]) -> bool:
        """Retrain or replay for the changed controls; a no-op change is skipped.

        A call that changes nothing neither re-renders nor redraws (see
        :meth:`~nnbook.widgets.Explorer.update`).

        Raises:
            ValueError: If a value is out of range, or ``epoch > epochs``.
            TypeError: If a value has the wrong type.
        """
        checked = self._check(params)
        if all(self.params[k] == v for k, v in checked.items()):
            return False
        return super()._apply(checked)

    def widget(self) -> ipywidgets.Widget:
        """The controls and the figure (see :meth:`~nnbook.widgets.Explorer.widget`).

        The ``epoch`` slider's maximum follows ``epochs``, and it jumps to the
        last epoch when a training control changes.
        """
        box = super().widget()

        def sync(change: dict[str, Any]) -> None:
            ctrl = self.controls.get("epoch")
            if ctrl is None:
                return
            ctrl.max = self.params["epochs"]
            ctrl.value = self.params["epoch"]

        # After each render (controls render once settled, a moment after they
        # change), when the parameters hold the new values: the new image.
        self._view.observe(sync, names="value")
        sync({})
        return box

    def alt_text(self) -> str:
        """Alt text: what the figure shows, its settings and its numbers."""
        v = self.view
        return (
            f"{super().alt_text()}: test accuracy {v.accuracy:.3f} at epoch"
            f" {v.epoch} of {len(v.loss)}, {v.n_dead} of {v.hidden_units}"
            " hidden units dead."
        )

    # -- conveniences ----------------------------------------------------------
    @property
    def accuracy_text(self) -> str:
        """The accuracy line as drawn on the figure."""
        return self.panels.acc_text.get_text()

    @property
    def dead_text(self) -> str:
        """The dead-unit line as drawn on the figure."""
        return self.panels.dead_text.get_text()
