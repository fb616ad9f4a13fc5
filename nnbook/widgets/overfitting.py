"""Retrain a small MLP and watch its train and validation curves part."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._checks import check_labels, check_matrix
from ..models.numpy_mlp import init_weights
from ..plots import new_figure
from ..plots.training import plot_history
from ..training.numpy_loop import train_numpy
from ._base import Explorer
from ._params import FloatParam, IntParam

#: Width of the shared initial draw (every width starts from its first units).
MAX_HIDDEN = 256

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["OverfittingExplorer"]


class OverfittingExplorer(Explorer):
    """Training-set size, width, L2 and dropout against the overfitting gap.

    Every update retrains ``Dense(hidden_units, relu) -> Dense(1, sigmoid)``
    with full-batch Adam (:func:`nnbook.training.train_numpy`) on the first
    ``n_train`` rows of the training pool, from the same initialization
    (:func:`nnbook.models.init_weights` with ``seed`` and a shared draw of
    256 units), and redraws the per-epoch training and validation loss
    (left) and accuracy (right) in place (:func:`nnbook.plots.plot_history`).
    The title gives the kept losses and their gap. Every control retrains,
    so its slider fires on release only.

    After each update, ``self.run`` holds the
    :class:`~nnbook.training.TrainingRecord`.

    Args:
        X_pool: float array ``(n_pool, d)``: the training pool.
        y_pool: labels 0/1 ``(n_pool,)``.
        X_val: float array ``(m, d)``: the validation set.
        y_val: labels 0/1 ``(m,)``.
        lr: Adam's learning rate.
        seed: Seed of the initialization and dropout masks.
        **params: Initial ``n_train``, ``hidden_units``, ``l2``, ``dropout``,
            ``epochs``.

    Raises:
        ValueError: If the data are malformed, the pool has fewer than 10
            rows, or a parameter is out of range (``n_train`` may not exceed
            the pool).
    """

    PARAMS: ClassVar = (
        IntParam(
            "n_train", 50, "training samples", low=10, high=600, step=10, retrains=True
        ),
        IntParam("hidden_units", 256, "hidden units", low=1, high=256, retrains=True),
        FloatParam("l2", 0.0, "L2", low=0.0, high=0.05, step=0.001, retrains=True),
        FloatParam(
            "dropout", 0.0, "dropout", low=0.0, high=0.9, step=0.05, retrains=True
        ),
        IntParam("epochs", 150, "epochs", low=10, high=400, step=10, retrains=True),
    )

    def __init__(
        self,
        X_pool: Any,
        y_pool: Any,
        X_val: Any,
        y_val: Any,
        *,
        lr: float = 0.003,
        seed: int = 0,
        **params: Any,
    ) -> None:
        self.X_pool = check_matrix(X_pool, "X_pool").astype(float)
        self.y_pool = check_labels(y_pool, self.X_pool.shape[0], "y_pool")
        self.X_val = check_matrix(X_val, "X_val", n_features=self.X_pool.shape[1])
        self.y_val = check_labels(y_val, self.X_val.shape[0], "y_val")
        n_pool = self.X_pool.shape[0]
        if n_pool < 10:
            raise ValueError(f"X_pool must have at least 10 rows, got {n_pool}")
        self.lr, self.seed = lr, seed
        # The slider's range is the pool's size.
        self.PARAMS = tuple(
            IntParam(
                p.name,
                min(p.default, n_pool),
                p.description,
                low=p.low,
                high=min(p.high, n_pool),
                step=p.step,
                retrains=True,
            )
            if p.name == "n_train"
            else p
            for p in type(self).PARAMS
        )
        super().__init__(**params)

    def _build_figure(self) -> Figure:
        fig = new_figure((7.5, 3.2), dpi=90, pyplot=True)
        ax_loss, ax_acc = fig.subplots(1, 2)
        empty = {"loss": [], "val_loss": [], "accuracy": [], "val_accuracy": []}
        self.loss_lines = plot_history(empty, "loss", ax=ax_loss, markers=False)
        ax_loss.set_ylabel("binary cross-entropy")
        ax_loss.set_title("Loss")
        self.acc_lines = plot_history(empty, "accuracy", ax=ax_acc, markers=False)
        ax_acc.set_title("Accuracy")
        ax_acc.legend(loc="lower right")
        self._ax_loss, self._ax_acc = ax_loss, ax_acc
        self._suptitle = fig.suptitle("(metrics)", fontsize=9.5)
        # Lay the figure out once, then freeze it: redraws (and scrubber
        # frames) skip the constrained-layout solver.
        fig.set_layout_engine("constrained")
        fig.canvas.draw()
        fig.set_layout_engine("none")
        return fig

    def _render(self, params: dict[str, Any]) -> None:
        n = params["n_train"]
        start = init_weights(
            self.X_pool.shape[1],
            params["hidden_units"],
            seed=self.seed,
            max_hidden=MAX_HIDDEN,
        )
        self.run = train_numpy(
            start,
            self.X_pool[:n],
            self.y_pool[:n],
            epochs=params["epochs"],
            lr=self.lr,
            l2=params["l2"],
            dropout=params["dropout"],
            validation_data=(self.X_val, self.y_val),
            seed=self.seed,
        )
        h = self.run.history
        self.loss_lines.update(h)
        self.acc_lines.update(h, rescale=False)
        epochs = len(h["loss"])
        top = max(np.max(h["loss"]), np.max(h["val_loss"]))
        self._ax_loss.set_xlim(0, epochs + 1)
        self._ax_loss.set_ylim(0, 1.05 * top)
        self._ax_acc.set_xlim(0, epochs + 1)
        self._ax_acc.set_ylim(0.4, 1.02)
        self._suptitle.set_text(
            f"{n} samples, {params['hidden_units']} units, L2 {params['l2']:g}, "
            f"dropout {params['dropout']:g}: train loss "
            f"{self.run.kept('loss'):.3f}, validation loss "
            f"{self.run.kept('val_loss'):.3f}, gap {self.run.gap:.3f}"
        )
