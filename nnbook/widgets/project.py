"""The project explorer: retrain the article's network and look inside it.

Every change of a training control retrains the article's network
(``Dense(hidden_units, activation)`` then ``Dense(1, sigmoid)``, binary
cross-entropy, Adam) on the article's data with
:class:`nnbook.fasttrain.FastTrainer`, one compiled TensorFlow function that
is traced once and reused, so a change answers in tens of milliseconds instead
of the one to two seconds a fresh Keras ``fit`` costs. Each run records the
weights after every epoch, from one fixed initialization per seed, so the
``epoch`` control replays training without retraining.

The figure is built once; every update changes its artists in place:

- the hidden activations of the test samples (rows, sorted by class) for
  every hidden unit (columns);
- one tile per hidden unit: its activation over a 2-D plane of the input
  space (the plane of the training data's first two principal components);
- the network's decision boundary on that plane, with the test points
  projected onto it (misclassified points have a black edge);
- the training and validation loss per epoch, with the replayed epoch marked;
- the test accuracy and the number of dead hidden units.

The plane is a slice: the network sees the 18 other directions too, so a
projected test point can lie on the "wrong" side of the boundary drawn on the
plane and still be classified correctly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._checks import check_labels, check_matrix
from ..fasttrain import MAX_EPOCHS, MAX_HIDDEN, FastTrainer, hidden_activation
from ..models import ACTIVATIONS
from ._base import ChoiceParam, Explorer, FloatParam, IntParam, LogFloatParam

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets
    from matplotlib.figure import Figure

__all__ = [
    "ProjectExplorer",
    "ProjectView",
    "pca_plane",
    "project_view",
    "dead_units",
]

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
_TILE = 20  # pixels per side of a neuron tile
_GRID = 48  # pixels per side of the decision-boundary image
_CLASS_COLORS = ("#5e3c99", "#e66101")  # the two ends of PuOr: class 0, class 1


def pca_plane(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean and the first two principal directions of ``X``.

    Args:
        X: float array ``(n_samples, n_features)``.

    Returns:
        tuple: ``(mean, axes)``: ``mean`` float ``(n_features,)`` and ``axes``
        float ``(2, n_features)`` with orthonormal rows. A point ``(u, v)`` of
        the plane is ``mean + u * axes[0] + v * axes[1]``.
    """
    X = check_matrix(X, "X").astype(float)
    mean = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    axes = Vt[:2].copy()
    # Sign convention so the plane does not flip between NumPy builds.
    for row in axes:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    return mean, axes


def dead_units(hidden: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """Which hidden units are dead: constant over every sample.

    A dead unit (for ReLU: never positive) outputs the same value for every
    input, so it passes no information to the output layer.

    Args:
        hidden: float array ``(n_samples, hidden_units)`` of activations.
        tol: The largest spread (max minus min) still called constant.

    Returns:
        np.ndarray: bool ``(hidden_units,)``, true for dead units.
    """
    hidden = np.asarray(hidden, dtype=float)
    return np.ptp(hidden, axis=0) <= tol


@dataclass(frozen=True)
class ProjectView:
    """Everything the project figure shows, for one network at one epoch.

    Attributes:
        heatmap: ``(n_test, hidden_units)`` hidden activations of the test
            samples, rows sorted by class.
        tiles: ``(rows * 21 - 1, cols * 21 - 1)`` mosaic of per-unit
            activation tiles over the plane, each scaled to [0, 1]; NaN
            between and after tiles.
        tile_grid: ``(rows, cols)`` of the mosaic.
        proba: ``(48, 48)`` probability of class 1 on the plane.
        boundary: ``(m, 2)`` points of the 0.5 contour, NaN between pieces.
        wrong: bool ``(n_test,)``: misclassified test samples.
        loss: ``(epochs,)`` training loss; ``val_loss`` likewise.
        epoch: The epoch shown (0 is the initialization).
        accuracy: Test accuracy at ``epoch``.
        n_dead: Number of dead hidden units at ``epoch`` (on training data).
    """

    heatmap: np.ndarray
    tiles: np.ndarray
    tile_grid: tuple[int, int]
    proba: np.ndarray
    boundary: np.ndarray
    wrong: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray
    epoch: int
    accuracy: float
    n_dead: int
    hidden_units: int


class _Plane:
    """The data, its plane, and the fixed grids the views are computed on."""

    def __init__(self, X_train, y_train, X_test, y_test) -> None:
        self.X_train = X_train
        self.X_test, self.y_test = X_test, y_test
        self.mean, self.axes = pca_plane(X_train)
        uv_test = (X_test - self.mean) @ self.axes.T
        uv_train = (X_train - self.mean) @ self.axes.T
        lo = np.percentile(np.r_[uv_train, uv_test], 0.5, axis=0)
        hi = np.percentile(np.r_[uv_train, uv_test], 99.5, axis=0)
        pad = 0.08 * (hi - lo)
        self.lo, self.hi = lo - pad, hi + pad
        self.uv_test = uv_test
        self.order = np.argsort(y_test, kind="stable")  # heatmap rows by class
        self.n_class0 = int((y_test == 0).sum())
        self.tile_X = self._grid(_TILE)
        self.grid_X = self._grid(_GRID)
        self.gu = np.linspace(self.lo[0], self.hi[0], _GRID)
        self.gv = np.linspace(self.lo[1], self.hi[1], _GRID)

    def _grid(self, n: int) -> np.ndarray:
        u = np.linspace(self.lo[0], self.hi[0], n)
        v = np.linspace(self.lo[1], self.hi[1], n)
        U, V = np.meshgrid(u, v)  # row = v (bottom to top with origin lower)
        return (
            self.mean
            + U.reshape(-1, 1) * self.axes[0]
            + V.reshape(-1, 1) * (self.axes[1])
        )

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return (self.lo[0], self.hi[0], self.lo[1], self.hi[1])


def _mosaic(tile_act: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Lay out ``(T*T, h)`` tile activations as a grid of tiles, NaN between."""
    h = tile_act.shape[1]
    cols = math.ceil(math.sqrt(h))
    rows = math.ceil(h / cols)
    step = _TILE + 1
    out = np.full((rows * step - 1, cols * step - 1), np.nan)
    lo, hi = tile_act.min(axis=0), tile_act.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    scaled = (tile_act - lo) / span
    for j in range(h):
        r, c = divmod(j, cols)
        # grid rows run bottom to top; the mosaic is drawn top to bottom
        tile = scaled[:, j].reshape(_TILE, _TILE)[::-1]
        out[r * step : r * step + _TILE, c * step : c * step + _TILE] = tile
    return out, (rows, cols)


def _boundary(gu, gv, proba) -> np.ndarray:
    import contourpy

    lines = contourpy.contour_generator(gu, gv, proba).lines(0.5)
    if not lines:
        return np.empty((0, 2))
    parts = []
    for seg in lines:
        parts += [seg, np.full((1, 2), np.nan)]
    return np.concatenate(parts[:-1])


def project_view(
    plane: _Plane,
    weights: list[np.ndarray],
    activation: str,
    loss: np.ndarray,
    val_loss: np.ndarray,
    epoch: int,
    *,
    test_hidden: np.ndarray | None = None,
    test_proba: np.ndarray | None = None,
) -> ProjectView:
    """Compute what the figure shows from a network's weights (NumPy only).

    Args:
        plane: The data and its grids (``ProjectExplorer.plane``).
        weights: ``[W1 (d, h), b1 (h,), W2 (h, 1), b2 (1,)]``.
        activation: The hidden activation's name.
        loss: Training loss per epoch; ``val_loss`` likewise.
        epoch: The epoch the weights belong to.
        test_hidden: The recorded hidden activations of the test samples
            ``(n_test, h)`` at ``epoch``; computed from the weights if ``None``.
        test_proba: The recorded probabilities ``(n_test,)``; likewise.

    Returns:
        ProjectView: The arrays and numbers to draw.
    """
    W1, b1, W2, b2 = (np.asarray(w, dtype=float) for w in weights)

    def hidden(X):
        return hidden_activation(X @ W1 + b1, activation)

    def proba(a):
        z = a @ W2[:, 0] + b2[0]
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    a_test = hidden(plane.X_test) if test_hidden is None else test_hidden
    p_test = proba(a_test) if test_proba is None else test_proba
    wrong = (p_test > 0.5) != (plane.y_test == 1)
    tiles, grid = _mosaic(hidden(plane.tile_X))
    p_grid = proba(hidden(plane.grid_X)).reshape(_GRID, _GRID)
    with np.errstate(invalid="ignore"):
        n_dead = int(dead_units(hidden(plane.X_train)).sum())
    return ProjectView(
        heatmap=a_test[plane.order],
        tiles=tiles,
        tile_grid=grid,
        proba=p_grid,
        boundary=_boundary(plane.gu, plane.gv, p_grid),
        wrong=wrong,
        loss=np.asarray(loss, dtype=float),
        val_loss=np.asarray(val_loss, dtype=float),
        epoch=int(epoch),
        accuracy=float(1.0 - wrong.mean()),
        n_dead=n_dead,
        hidden_units=int(W1.shape[1]),
    )


class _Panels:
    """The figure's artists, created once; :meth:`draw` updates them in place."""

    def __init__(self, plane: _Plane, *, dpi: int = 72) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        # A Figure not managed by pyplot: nothing auto-displays or leaks.
        fig = Figure(figsize=(10.5, 6.2), dpi=dpi)
        FigureCanvasAgg(fig)
        gs = fig.add_gridspec(
            2,
            3,
            left=0.06,
            right=0.985,
            bottom=0.08,
            top=0.93,
            wspace=0.28,
            hspace=0.42,
            height_ratios=(1.25, 1),
        )
        ax_heat = fig.add_subplot(gs[0, 0])
        ax_tiles = fig.add_subplot(gs[0, 1])
        ax_dec = fig.add_subplot(gs[0, 2])
        ax_loss = fig.add_subplot(gs[1, :2])
        ax_text = fig.add_subplot(gs[1, 2])
        self.fig = fig
        self.axes = (ax_heat, ax_tiles, ax_dec, ax_loss, ax_text)

        self.heat = ax_heat.imshow(
            np.zeros((len(plane.order), 1)),
            aspect="auto",
            cmap="viridis",
            interpolation="nearest",
        )
        ax_heat.axhline(plane.n_class0 - 0.5, color="white", lw=1)
        ax_heat.set_xlabel("hidden unit")
        ax_heat.set_ylabel("samples (class 0 on top)")
        ax_heat.set_yticks([])  # few tick labels: text is most of a draw's cost
        self.heat_title = ax_heat.set_title("Hidden activations", fontsize=10)

        self.tiles = ax_tiles.imshow(
            np.zeros((_TILE, _TILE)),
            cmap="viridis",
            vmin=0,
            vmax=1,
            interpolation="nearest",
        )
        ax_tiles.set_xticks([])
        ax_tiles.set_yticks([])
        ax_tiles.set_title("Units on the PC plane", fontsize=10)

        ext = plane.extent
        self.proba = ax_dec.imshow(
            np.full((_GRID, _GRID), 0.5),
            origin="lower",
            extent=ext,
            cmap="PuOr_r",
            vmin=0,
            vmax=1,
            alpha=0.75,
            aspect="auto",
            interpolation="bilinear",
        )
        (self.boundary,) = ax_dec.plot([], [], color="black", lw=1.5)
        self.points = []
        for cls, marker in ((0, "o"), (1, "^")):
            idx = np.flatnonzero(plane.y_test == cls)
            sc = ax_dec.scatter(
                plane.uv_test[idx, 0],
                plane.uv_test[idx, 1],
                s=14,
                marker=marker,
                c=_CLASS_COLORS[cls],
                edgecolors="white",
                linewidths=0.4,
            )
            self.points.append((idx, sc))
        ax_dec.set_xlim(ext[0], ext[1])
        ax_dec.set_ylim(ext[2], ext[3])
        ax_dec.set_xticks([])  # plane coordinates mean little; text costs
        ax_dec.set_yticks([])
        ax_dec.set_title("Boundary on the PC plane", fontsize=10)

        (self.train_line,) = ax_loss.plot(
            [], [], marker="o", ms=2.5, label="training loss"
        )
        (self.val_line,) = ax_loss.plot(
            [], [], marker="s", ms=2.5, ls="--", label="validation loss"
        )
        self.marker = ax_loss.axvline(0, color="0.4", lw=1, ls=":")
        ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax_loss.yaxis.set_major_locator(MaxNLocator(3))
        ax_loss.set_xlabel("epoch")
        ax_loss.set_title(
            "Loss: training (solid), validation (dashed)",
            fontsize=10,
        )

        ax_text.set_axis_off()
        kw = {"transform": ax_text.transAxes, "va": "top", "ha": "left"}
        self.acc_text = ax_text.text(0.0, 1.0, "", fontsize=12, **kw)
        self.dead_text = ax_text.text(0.0, 0.68, "", fontsize=11, **kw)
        self.status_text = ax_text.text(
            0.0, 0.05, "", fontsize=9, color="#b00020", **kw
        )

    def draw(self, view: ProjectView, settings: dict[str, Any]) -> None:
        """Update every artist in place for ``view`` (no new artist)."""
        ax_heat, ax_tiles, _, ax_loss, _ = self.axes
        h = view.hidden_units
        heat = view.heatmap
        finite = heat[np.isfinite(heat)]
        top = float(np.abs(finite).max()) if finite.size else 1.0
        top = top if top > 0 else 1.0
        self.heat.set_data(heat)
        if finite.size and finite.min() >= 0:
            self.heat.set_cmap("viridis")
            self.heat.set_clim(0.0, top)
        else:  # signed activations: a diverging map centred at zero
            self.heat.set_cmap("RdBu_r")
            self.heat.set_clim(-top, top)
        n = heat.shape[0]
        self.heat.set_extent((-0.5, h - 0.5, n - 0.5, -0.5))
        ax_heat.set_xlim(-0.5, h - 0.5)
        ax_heat.set_ylim(n - 0.5, -0.5)
        ax_heat.set_xticks(_unit_ticks(h))
        self.heat_title.set_text(
            f"Activations (±{top:.2g})"
            if self.heat.get_cmap().name == "RdBu_r"
            else f"Activations (0 to {top:.2g})"
        )

        rows, cols = view.tile_grid
        self.tiles.set_data(view.tiles)
        self.tiles.set_extent(
            (-0.5, view.tiles.shape[1] - 0.5, view.tiles.shape[0] - 0.5, -0.5)
        )
        ax_tiles.set_xlim(-0.5, view.tiles.shape[1] - 0.5)
        ax_tiles.set_ylim(view.tiles.shape[0] - 0.5, -0.5)

        self.proba.set_data(view.proba)
        self.boundary.set_data(view.boundary[:, 0], view.boundary[:, 1])
        for idx, sc in self.points:
            wrong = view.wrong[idx]
            sc.set_edgecolors(np.where(wrong[:, None], [[0, 0, 0, 1]], [[1, 1, 1, 1]]))
            sc.set_linewidths(np.where(wrong, 1.2, 0.4))

        epochs = np.arange(1, len(view.loss) + 1)
        self.train_line.set_data(epochs, view.loss)
        self.val_line.set_data(epochs, view.val_loss)
        self.marker.set_xdata([view.epoch, view.epoch])
        both = np.r_[view.loss, view.val_loss]
        both = both[np.isfinite(both)]
        lo, hi = (float(both.min()), float(both.max())) if both.size else (0.0, 1.0)
        pad = 0.05 * (hi - lo) + 1e-3
        ax_loss.set_xlim(-0.5, len(view.loss) + 0.5)
        ax_loss.set_ylim(lo - pad, hi + pad)

        self.acc_text.set_text(
            f"test accuracy: {view.accuracy:.3f}\n"
            f"(epoch {view.epoch} of {len(view.loss)})"
        )
        self.dead_text.set_text(f"dead units: {view.n_dead} of {h}")
        diverged = not (np.all(np.isfinite(view.loss)) and np.isfinite(top))
        self.status_text.set_text(
            "training diverged (loss is not finite): lower lr" if diverged else ""
        )


def _unit_ticks(h: int) -> list[int]:
    step = max(1, math.ceil(h / 5))
    return list(range(0, h, step))


class ProjectExplorer(Explorer):
    """Retrain the article's network with sliders, and replay its training.

    Controls (all but ``epoch`` retrain, so their sliders fire on release):

    - ``hidden_units`` 1-64, ``lr`` 1e-4 to 1 (log scale), ``epochs`` 1-100,
      ``batch_size`` 8-640, ``l2`` 0-0.1, ``activation`` (a dropdown of
      :data:`nnbook.models.ACTIVATIONS`), ``seed`` 0-99;
    - ``epoch`` 0-``epochs``: which recorded epoch to show (0 is the
      initialization). A training change resets it to the last epoch.

    Each ``seed`` fixes one initialization and one batch order, so changing
    any other control compares networks trained from the same start.

    Attributes:
        run: The current :class:`~nnbook.fasttrain.TrainingRun`.
        view: The current :class:`~nnbook.widgets.project.ProjectView`, what
            the figure shows.
        trainer: The :class:`~nnbook.fasttrain.FastTrainer` (compiled once,
            with a cache of runs).

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

    def __init__(self, data: Any = None, *, dpi: int = 72, **params: Any) -> None:
        if data is None:
            from ..data import make_seed_data

            data = make_seed_data()
        X_train = check_matrix(data.X_train, "data.X_train")
        y_train = check_labels(data.y_train, X_train.shape[0], "data.y_train")
        X_test = check_matrix(data.X_test, "data.X_test", n_features=X_train.shape[1])
        y_test = check_labels(data.y_test, X_test.shape[0], "data.y_test")
        self.trainer = FastTrainer(X_train, y_train, X_probe=X_test, y_probe=y_test)
        self.plane = _Plane(
            self.trainer.X_train.astype(float),
            self.trainer.y_train,
            X_test.astype(float),
            y_test,
        )
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
        self.panels = _Panels(self.plane, dpi=self._dpi)
        return self.panels.fig

    def _render(self, params: dict[str, Any]) -> None:
        settings = {k: params[k] for k in TRAINING_PARAMS}
        self.run = self.trainer.run(**settings)
        epoch = params["epoch"]
        self.view = project_view(
            self.plane,
            self.run.weights(epoch),
            params["activation"],
            self.run.loss,
            self.run.val_loss,
            epoch,
            test_hidden=self.run.probe_hidden[epoch],
            test_proba=self.run.probe_proba[epoch],
        )
        self.panels.draw(self.view, settings)

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

    # -- conveniences ----------------------------------------------------------
    @property
    def accuracy_text(self) -> str:
        """The accuracy line as drawn on the figure."""
        return self.panels.acc_text.get_text()

    @property
    def dead_text(self) -> str:
        """The dead-unit line as drawn on the figure."""
        return self.panels.dead_text.get_text()
