"""What the project explorer shows, computed from a network's weights in NumPy.

The explorer draws four panels (hidden activations of the test samples,
each unit over a plane of the input space, the decision boundary on that
plane, and the loss curves) for one training run at one epoch. This module
computes their arrays with the package's one NumPy network
(:func:`nnbook.models.numpy_mlp.forward`) on the one PCA plane
(:func:`nnbook.explain.feature_plane`); the drawing is done by
:mod:`nnbook.plots`.

The plane is a slice: the network sees the 18 other directions too, so a
projected test point can lie on the "wrong" side of the boundary drawn on the
plane and still be classified correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..explain.layers import dead_mask
from ..explain.plane import Plane, feature_plane
from ..models.numpy_mlp import MLPWeights, forward

__all__ = ["TILE", "GRID", "ProjectData", "ProjectView", "project_view"]

#: Grid points per side of a unit's tile.
TILE = 20
#: Grid points per side of the decision map.
GRID = 48


class ProjectData:
    """The data of the explorer and the planes its views are computed on.

    The PCA plane of the training data, its extent fixed by the 0.5 % and
    99.5 % quantiles of the training and test projections (plus 8 %), with a
    coarse grid for the unit tiles and a finer one for the decision map.

    Args:
        X_train: float ``(n_train, d)``, the data the network trains on.
        X_test: float ``(n_test, d)``.
        y_test: int labels ``(n_test,)``.
    """

    def __init__(self, X_train: Any, X_test: Any, y_test: Any) -> None:
        self.X_train = np.asarray(X_train, dtype=float)
        self.X_test = np.asarray(X_test, dtype=float)
        self.y_test = np.asarray(y_test).astype(int)
        self.plane: Plane = feature_plane(
            self.X_train,
            kind="pca",
            resolution=GRID,
            margin=0.08,
            extent_X=np.r_[self.X_train, self.X_test],
            quantile=0.005,
        )
        self.tile_plane = self.plane.with_resolution(TILE)
        self.tile_X = self.tile_plane.points
        self.grid_X = self.plane.points


@dataclass(frozen=True)
class ProjectView:
    """Everything the project figure shows, for one network at one epoch.

    Attributes:
        hidden: ``(n_test, hidden_units)`` hidden activations of the test
            samples (in the data's order).
        units: ``(TILE, TILE, hidden_units)``: each unit over the plane.
        proba: ``(GRID, GRID)`` probability of class 1 on the plane.
        wrong: bool ``(n_test,)``: misclassified test samples.
        loss: ``(epochs,)`` training loss (Keras's); ``val_loss`` likewise.
        epoch: The epoch shown (0 is the initialization).
        accuracy: Test accuracy at ``epoch``.
        n_dead: Number of dead hidden units at ``epoch`` (on training data).
        hidden_units: The width of the hidden layer.
    """

    hidden: np.ndarray
    units: np.ndarray
    proba: np.ndarray
    wrong: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray
    epoch: int
    accuracy: float
    n_dead: int
    hidden_units: int


def project_view(
    data: ProjectData,
    weights: MLPWeights,
    activation: str,
    loss: Any,
    val_loss: Any,
    epoch: int,
    *,
    test_hidden: Any = None,
    test_proba: Any = None,
) -> ProjectView:
    """Compute what the figure shows from a network's weights (NumPy only).

    Args:
        data: The data and its planes (``ProjectExplorer.data``).
        weights: The network's weights at ``epoch``.
        activation: The hidden activation's name.
        loss: Training loss per epoch; ``val_loss`` likewise.
        epoch: The epoch the weights belong to.
        test_hidden: The recorded hidden activations of the test samples
            ``(n_test, h)`` at ``epoch``; computed from the weights if ``None``.
        test_proba: The recorded probabilities ``(n_test,)``; likewise.

    Returns:
        ProjectView: The arrays and numbers to draw.
    """
    w = MLPWeights.check(weights).astype(np.float64)
    if test_hidden is None or test_proba is None:
        fp = forward(w, data.X_test, activation=activation)
        test_hidden, test_proba = fp.a1, fp.y_hat
    wrong = (np.asarray(test_proba) > 0.5) != (data.y_test == 1)
    h = w.hidden_units
    units = forward(w, data.tile_X, activation=activation).a1
    proba = forward(w, data.grid_X, activation=activation).y_hat
    n_dead = int(dead_mask(forward(w, data.X_train, activation=activation).a1).sum())
    return ProjectView(
        hidden=np.asarray(test_hidden, dtype=float),
        units=units.reshape(TILE, TILE, h),
        proba=proba.reshape(GRID, GRID),
        wrong=wrong,
        loss=np.asarray(loss, dtype=float),
        val_loss=np.asarray(val_loss, dtype=float),
        epoch=int(epoch),
        accuracy=float(1.0 - wrong.mean()),
        n_dead=n_dead,
        hidden_units=h,
    )
