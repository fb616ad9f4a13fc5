"""One neuron on 2-D data: weights and bias move its decision boundary.

A single neuron computes ``z = w1 * x1 + w2 * x2 + b`` and squashes it with
the logistic sigmoid, ``y_hat = 1 / (1 + exp(-z))``. It predicts class 1 where
``z > 0``, so its decision boundary is the straight line ``z = 0``. Nothing is
trained here: every control only recomputes a weighted sum, so the explorer
redraws instantly and its scrubber can precompute frames for the website.

Reference: F. Rosenblatt (1958), "The perceptron: a probabilistic model for
information storage and organization in the brain", *Psychological Review*
65(6). A sigmoid neuron is also logistic regression (D. R. Cox, 1958).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._checks import check_labels, check_matrix
from ..activations import sigmoid
from ..plots import new_figure
from ..plots.neuron import plot_logit_strip, plot_neuron_plane
from ._base import Explorer
from ._params import FloatParam

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["SingleNeuronExplorer", "neuron_output", "boundary_segment"]

#: The range of every weight and of the bias.
_LIMIT = 4.0


def neuron_output(
    X: np.ndarray, w: tuple[float, float], b: float
) -> tuple[np.ndarray, np.ndarray]:
    """The weighted sum and the sigmoid output of one neuron.

    Args:
        X: float array of shape ``(n_samples, 2)``.
        w: The two weights ``(w1, w2)``.
        b: The bias.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``z`` and ``y_hat``, float arrays of
        shape ``(n_samples,)``; ``y_hat = 1 / (1 + exp(-z))`` lies in (0, 1).
    """
    z = X @ np.asarray(w, dtype=float) + float(b)
    return z, sigmoid(z)


def boundary_segment(
    w: tuple[float, float],
    b: float,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """The part of the line ``w1 * x1 + w2 * x2 + b = 0`` inside a box.

    Args:
        w: The two weights ``(w1, w2)``.
        b: The bias.
        xlim: ``(x_min, x_max)`` of the box.
        ylim: ``(y_min, y_max)`` of the box.

    Returns:
        tuple[np.ndarray, np.ndarray]: The x and y coordinates of the
        segment's two end points (float arrays of shape ``(2,)``), or two
        empty arrays when the line misses the box or ``w`` is zero (a neuron
        with zero weights has no boundary).
    """
    w1, w2 = float(w[0]), float(w[1])
    points = []
    if w2 != 0.0:  # crossings of the vertical edges x = x_min, x = x_max
        for x in xlim:
            y = -(w1 * x + b) / w2
            if ylim[0] <= y <= ylim[1]:
                points.append((x, y))
    if w1 != 0.0:  # crossings of the horizontal edges y = y_min, y = y_max
        for y in ylim:
            x = -(w2 * y + b) / w1
            if xlim[0] <= x <= xlim[1]:
                points.append((x, y))
    unique: list[tuple[float, float]] = []
    for p in points:  # a corner is met twice
        if all(abs(p[0] - q[0]) + abs(p[1] - q[1]) > 1e-12 for q in unique):
            unique.append(p)
    if len(unique) < 2:
        return np.array([]), np.array([])
    pts = np.array(unique[:2])
    return pts[:, 0], pts[:, 1]


class SingleNeuronExplorer(Explorer):
    """One sigmoid neuron on 2-D data, with sliders for ``w1``, ``w2`` and ``b``.

    The left panel shows the data, the neuron's output ``y_hat`` over the
    plane (blue to red, centred at 0.5) and its decision boundary
    ``z = 0``. The right panel shows the sigmoid and every sample at its
    weighted sum ``z``, drawn at the height of its true label (0 or 1, with
    a small fixed vertical jitter): class-1 samples left of ``z = 0`` and
    class-0 samples right of it are the neuron's mistakes. Every control only
    recomputes a weighted sum, so all of them redraw instantly.

    After each :meth:`~nnbook.widgets.Explorer.update`, ``z``, ``y_hat``
    and ``accuracy`` hold the neuron's weighted sums, outputs and accuracy on
    the data.

    Args:
        X: float array of shape ``(n_samples, 2)``. ``None`` uses a small
            fixed two-class data set (``make_classification`` with 2
            informative features, ``random_state=0``).
        y: int array of shape ``(n_samples,)`` with labels 0 and 1.
        feature_names: Axis labels of the two input columns.
        **params: Starting values of ``w1``, ``w2`` and ``b``, each in
            [-4, 4].

    Raises:
        ValueError: If ``X`` is not of shape ``(n_samples, 2)``, ``y`` does
            not match it, or a parameter is unknown or out of range.
        TypeError: If a parameter is not a real number.

    Example:
        >>> ex = SingleNeuronExplorer(w1=1.0, w2=-0.5, b=0.2)  # doctest: +SKIP
        >>> ex.update(b=-1.0).accuracy                        # doctest: +SKIP
    """

    PARAMS: ClassVar[tuple[FloatParam, ...]] = (
        FloatParam("w1", 1.0, "weight w1", low=-_LIMIT, high=_LIMIT, step=0.1),
        FloatParam("w2", 1.0, "weight w2", low=-_LIMIT, high=_LIMIT, step=0.1),
        FloatParam("b", 0.0, "bias b", low=-_LIMIT, high=_LIMIT, step=0.1),
    )

    #: Grid resolution of the output map (points per axis).
    GRID = 120

    def __init__(
        self,
        X: Any = None,
        y: Any = None,
        *,
        feature_names: tuple[str, str] = ("x1", "x2"),
        **params: Any,
    ) -> None:
        if X is None and y is None:
            from sklearn.datasets import make_classification

            X, y = make_classification(
                n_samples=200,
                n_features=2,
                n_informative=2,
                n_redundant=0,
                n_clusters_per_class=1,
                random_state=0,
            )
        elif X is None or y is None:
            raise ValueError("X and y must be given together, or both left None")
        self.X = check_matrix(X, "X", n_features=2).astype(float)
        self.y = check_labels(y, self.X.shape[0]).astype(int)
        if len(feature_names) != 2:
            raise ValueError(
                f"feature_names must hold two names, got {len(feature_names)}"
            )
        self.feature_names = (str(feature_names[0]), str(feature_names[1]))
        # where each sample is drawn on the activation panel: its label, plus
        # a fixed jitter so that samples with similar z stay visible
        jitter = np.random.default_rng(0).uniform(-0.04, 0.04, self.y.shape[0])
        self.label_height = np.where(self.y == 1, 0.95, 0.05) + jitter
        pad = 0.5
        self.xlim = (float(self.X[:, 0].min() - pad), float(self.X[:, 0].max() + pad))
        self.ylim = (float(self.X[:, 1].min() - pad), float(self.X[:, 1].max() + pad))
        gx = np.linspace(*self.xlim, self.GRID)
        gy = np.linspace(*self.ylim, self.GRID)
        xx, yy = np.meshgrid(gx, gy)
        self._grid = np.column_stack([xx.ravel(), yy.ravel()])
        self.z = np.zeros(self.X.shape[0])
        self.y_hat = np.zeros(self.X.shape[0])
        self.accuracy = 0.0
        super().__init__(**params)

    def _build_figure(self) -> Figure:
        fig = new_figure((7.5, 3.4), dpi=90, pyplot=True)
        fig.set_layout_engine("constrained")
        ax, ax_act = fig.subplots(1, 2, width_ratios=(1.15, 1))
        self.plane = plot_neuron_plane(
            self.X,
            self.y,
            xlim=self.xlim,
            ylim=self.ylim,
            grid=self.GRID,
            ax=ax,
            feature_names=self.feature_names,
        )
        self.strip = plot_logit_strip(ax=ax_act)
        # Kept under their old names for tests and chapters.
        self.image, self.boundary = self.plane.image, self.plane.boundary
        self.title, self.points = self.plane.title, self.strip.points
        return fig

    def _render(self, params: dict[str, Any]) -> None:
        w = (params["w1"], params["w2"])
        b = params["b"]
        self.z, self.y_hat = neuron_output(self.X, w, b)
        self.accuracy = float(np.mean((self.z > 0).astype(int) == self.y))
        _, grid_out = neuron_output(self._grid, w, b)
        self.plane.update(
            grid_out.reshape(self.GRID, self.GRID),
            boundary_segment(w, b, self.xlim, self.ylim),
            f"w = ({w[0]:.1f}, {w[1]:.1f}), b = {b:.1f}: accuracy {self.accuracy:.2f}",
        )
        self.strip.update(self.z, self.label_height, self.y)
