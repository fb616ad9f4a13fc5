"""Gradient descent on a loss surface you can see: two parameters, one neuron.

The mathematics (the loss of one linear neuron over ``(w, b)``, gradient
descent on it and its exact divergence limit) lives in
``nnbook.losses.surface``; the panels are drawn by
:mod:`nnbook.plots.surface`. Taught in the chapter *The mathematics of loss*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ..losses.surface import (
    gradient_descent,
    hessian_threshold,
    least_squares,
    linear_mse,
    surface_data,
)
from ..plots import new_figure
from ..plots.surface import plot_loss_steps, plot_loss_surface
from ._base import Explorer
from ._params import FloatParam, IntParam, LogFloatParam

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["LossSurfaceExplorer"]


class LossSurfaceExplorer(Explorer):
    """Gradient descent on the ``(w, b)`` loss surface of one linear neuron.

    Left: contours of the MSE over ``(w, b)`` (drawn once) with the descent
    path and its start and end markers (updated in place). Right: the loss
    at each step on a log scale. A learning rate above the limit sends the
    path out of the picture and the loss curve up.

    Args:
        x: Inputs ``(n,)``; default ``surface_data()``.
        y: Targets ``(n,)``; default ``surface_data()``.
        **params: Starting values of ``lr``, ``steps``, ``w0``, ``b0``.

    Example:
        >>> ex = LossSurfaceExplorer(lr=0.1)   # doctest: +SKIP
        >>> ex.update(lr=0.6).diverged          # doctest: +SKIP
        True
    """

    PARAMS: ClassVar = (
        LogFloatParam(
            "lr", 0.05, "learning rate", low=1e-3, high=1.0, steps_per_decade=8
        ),
        IntParam("steps", 25, "steps", low=1, high=100),
        FloatParam("w0", -1.5, "start w", low=-2.0, high=2.5, step=0.1),
        FloatParam("b0", 2.5, "start b", low=-1.5, high=2.5, step=0.1),
    )

    def __init__(self, x: Any = None, y: Any = None, **params: Any) -> None:
        if x is None and y is None:
            x, y = surface_data()
        self.best = least_squares(x, y)
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.threshold = hessian_threshold(self.x, self.y)
        self.path = np.zeros((1, 2))
        self.loss = np.zeros(1)
        self.diverged = False
        super().__init__(**params)

    def _build_figure(self) -> Figure:
        fig = new_figure((7.5, 3.4), dpi=90)
        fig.set_layout_engine("constrained")
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[1.2, 1])
        w = np.linspace(-2.3, 2.8, 161)
        b = np.linspace(-2.0, 3.0, 161)
        W, B = np.meshgrid(w, b)
        self.descent = plot_loss_surface(
            w, b, linear_mse(self.x, self.y, W, B), minimum=tuple(self.best), ax=ax
        )
        self.steps = plot_loss_steps(
            float(linear_mse(self.x, self.y, *self.best)), ax=ax_loss
        )
        # Kept under their old names for tests and chapters.
        self.path_line, self.start_marker = self.descent.path, self.descent.start
        self.end_marker, self.title = self.descent.end, self.descent.title
        return fig

    def _render(self, params: dict[str, Any]) -> None:
        self.path, self.loss = gradient_descent(
            self.x,
            self.y,
            w0=params["w0"],
            b0=params["b0"],
            lr=params["lr"],
            steps=params["steps"],
        )
        self.diverged = bool(
            not np.isfinite(self.loss[-1]) or self.loss[-1] > self.loss[0]
        )
        verdict = "diverges" if self.diverged else "converges"
        self.descent.update(
            self.path,
            f"lr = {params['lr']:.3g}: {verdict} "
            f"(limit 2/\u03bb_max = {self.threshold:.3f})",
        )
        self.steps.update(self.loss)
