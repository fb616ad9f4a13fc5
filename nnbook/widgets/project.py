"""The project explorer: retrain the article's network and look inside it.

Every change of a training control retrains the article's network
(``Dense(hidden_units, activation)`` then ``Dense(1, sigmoid)``, binary
cross-entropy, Adam) on the article's data with
:class:`nnbook.training.SweepTrainer`, one compiled TensorFlow function that
is traced once and reused, so a change answers in tens of milliseconds instead
of the one to two seconds a fresh Keras ``fit`` costs. Each run records the
weights after every epoch, from one fixed initialization per seed, so the
``epoch`` control replays training without retraining.

The figure, :class:`nnbook.widgets.project_panels.ProjectPanels` (its
panels are listed there), is built once from the plotters of
:mod:`nnbook.plots`; every update changes their artists in place.

What the panels show is computed by :mod:`nnbook.widgets.project_view`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from .._checks import check_labels, check_matrix
from ..activations import ACTIVATIONS
from ..training.sweep import MAX_EPOCHS, MAX_HIDDEN, SweepTrainer
from ._base import Explorer
from ._params import ChoiceParam, FloatParam, IntParam, LogFloatParam
from .project_panels import DPI, ProjectPanels
from .project_view import ProjectData, project_view

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets
    from matplotlib.figure import Figure

__all__ = ["ProjectExplorer", "TRAINING_PARAMS"]

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
            (:class:`~nnbook.widgets.project_panels.ProjectPanels`).

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
