"""Gradient descent on a loss surface you can see: two parameters, one neuron.

The slice: a single linear neuron ``y_hat = w x + b`` fitted with the
article's mean squared error to the labels, where ``x`` is one informative
column of the article's data. Its loss is a quadratic bowl in ``(w, b)``, so
the whole surface fits in one contour plot, and gradient descent on it has an
exact stability limit: it converges for ``lr < 2 / lambda_max`` and diverges
above, where ``lambda_max`` is the largest eigenvalue of the Hessian
``H = 2 [[mean x^2, mean x], [mean x, 1]]``. ``divergence_threshold`` finds
the limit by running gradient descent, and ``hessian_threshold`` from the
eigenvalue; the tests check that the two agree.

Taught in the chapter *The mathematics of loss*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._checks import check_int, check_real
from ._base import Explorer, FloatParam, IntParam, LogFloatParam

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "surface_data",
    "linear_mse",
    "gradient_descent",
    "hessian_threshold",
    "divergence_threshold",
    "LossSurfaceExplorer",
]


def surface_data() -> tuple[np.ndarray, np.ndarray]:
    """The slice's data: the most informative column of the article's train set.

    Returns:
        tuple: ``(x, y)``, float64 arrays of shape ``(800,)``: the informative
        column most correlated with the label, and the labels 0/1.
    """
    from ..data import make_seed_data

    data = make_seed_data()
    cols = np.flatnonzero(data.roles == "informative")
    corr = [abs(np.corrcoef(data.X_train[:, c], data.y_train)[0, 1]) for c in cols]
    x = data.X_train[:, cols[int(np.argmax(corr))]].astype(np.float64)
    return x, data.y_train.astype(np.float64)


def _check_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0:
        raise ValueError(
            f"x and y must be 1-D arrays of the same length, got shapes "
            f"{x.shape} and {y.shape}"
        )
    return x, y


def linear_mse(x: Any, y: Any, w: Any, b: Any) -> np.ndarray:
    """``mean((w x + b - y)^2)`` for every pair ``(w, b)`` (broadcast).

    Args:
        x: Inputs ``(n,)``.
        y: Targets ``(n,)``.
        w: Weights, any shape.
        b: Biases, broadcastable with ``w``.

    Returns:
        np.ndarray: Losses with the broadcast shape of ``w`` and ``b``.
    """
    x, y = _check_xy(x, y)
    w, b = np.broadcast_arrays(np.asarray(w, float), np.asarray(b, float))
    # Expand the square with the data's moments: cheap on a whole grid.
    mx, mxx, my = x.mean(), (x * x).mean(), y.mean()
    mxy, myy = (x * y).mean(), (y * y).mean()
    return w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy


def gradient_descent(
    x: Any, y: Any, *, w0: float, b0: float, lr: float, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch gradient descent on ``linear_mse`` from ``(w0, b0)``.

    Args:
        x: Inputs ``(n,)``.
        y: Targets ``(n,)``.
        w0: Starting weight.
        b0: Starting bias.
        lr: Learning rate, > 0.
        steps: Number of updates, >= 0.

    Returns:
        tuple: ``path`` float64 ``(steps + 1, 2)`` of ``(w, b)`` and ``loss``
        float64 ``(steps + 1,)``. A diverging run may reach ``inf``.

    Raises:
        ValueError: If ``lr`` is not positive or ``steps`` is negative.
    """
    x, y = _check_xy(x, y)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    steps = check_int(steps, "steps", low=0)
    w, b = check_real(w0, "w0"), check_real(b0, "b0")
    path = np.empty((steps + 1, 2))
    path[0] = w, b
    # The gradient 2 mean((w x + b - y) [x, 1]) needs only the data's moments.
    mx, mxx, my, mxy = x.mean(), (x * x).mean(), y.mean(), (x * y).mean()
    with np.errstate(all="ignore"):  # a diverging run may overflow: keep inf
        for k in range(steps):
            grad_w = 2 * (w * mxx + b * mx - mxy)
            grad_b = 2 * (w * mx + b - my)
            w, b = w - lr * grad_w, b - lr * grad_b
            path[k + 1] = w, b
        loss = linear_mse(x, y, path[:, 0], path[:, 1])
    loss[~np.isfinite(loss)] = np.inf
    return path, loss


def hessian_threshold(x: Any, y: Any) -> float:
    """``2 / lambda_max(H)``: the largest stable learning rate, from the Hessian.

    Args:
        x: Inputs ``(n,)``.
        y: Targets ``(n,)`` (the Hessian does not depend on them).

    Returns:
        float: The learning rate above which gradient descent diverges.
    """
    x, _ = _check_xy(x, y)
    H = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    return float(2 / np.linalg.eigvalsh(H).max())


def divergence_threshold(
    x: Any,
    y: Any,
    *,
    w0: float = 0.0,
    b0: float = 0.0,
    steps: int = 2000,
    lo: float = 1e-3,
    hi: float = 10.0,
    tol: float = 1e-6,
) -> float:
    """The learning rate where gradient descent starts to diverge, by bisection.

    A run *diverges* when, after ``steps`` updates, it is farther from the
    minimum than where it started. The function bisects between a converging
    ``lo`` and a diverging ``hi``, using only runs of ``gradient_descent``.

    Args:
        x: Inputs ``(n,)``.
        y: Targets ``(n,)``.
        w0: Starting weight.
        b0: Starting bias.
        steps: Updates per run; more steps locate the limit more sharply.
        lo: A learning rate that converges.
        hi: A learning rate that diverges.
        tol: Relative width of the final bracket.

    Returns:
        float: The middle of the final bracket.

    Raises:
        ValueError: If ``lo`` does not converge or ``hi`` does not diverge.
    """
    x, y = _check_xy(x, y)
    A = np.c_[x, np.ones_like(x)]
    best = np.linalg.lstsq(A, y, rcond=None)[0]

    def diverges(lr: float) -> bool:
        path, _ = gradient_descent(x, y, w0=w0, b0=b0, lr=lr, steps=steps)
        with np.errstate(all="ignore"):
            end = np.linalg.norm(path[-1] - best)
        return not np.isfinite(end) or end > np.linalg.norm(path[0] - best)

    if diverges(lo):
        raise ValueError(f"lo must be a learning rate that converges, got {lo}")
    if not diverges(hi):
        raise ValueError(f"hi must be a learning rate that diverges, got {hi}")
    while (hi - lo) > tol * hi:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if diverges(mid) else (mid, hi)
    return 0.5 * (lo + hi)


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
        self.x, self.y = _check_xy(x, y)
        A = np.c_[self.x, np.ones_like(self.x)]
        self.best = np.linalg.lstsq(A, self.y, rcond=None)[0]
        self.threshold = hessian_threshold(self.x, self.y)
        self.path = np.zeros((1, 2))
        self.loss = np.zeros(1)
        self.diverged = False
        super().__init__(**params)

    def _build_figure(self) -> Figure:
        from matplotlib.colors import LogNorm
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8.5, 3.5), dpi=90, layout="constrained")
        self.ax, self.ax_loss = fig.subplots(1, 2, width_ratios=[1.2, 1])
        w = np.linspace(-2.3, 2.8, 161)
        b = np.linspace(-2.0, 3.0, 161)
        W, B = np.meshgrid(w, b)
        L = linear_mse(self.x, self.y, W, B)
        levels = np.geomspace(L.min() * 1.02, L.max(), 14)
        self.contour = self.ax.contour(
            W, B, L, levels=levels, cmap="viridis", norm=LogNorm(), linewidths=1
        )
        self.ax.plot(
            *self.best, marker="*", ms=12, color="black", ls="none", label="minimum"
        )
        (self.path_line,) = self.ax.plot(
            [], [], "-o", ms=3, lw=1.2, color="tab:orange", label="descent path"
        )
        (self.start_marker,) = self.ax.plot(
            [], [], "s", ms=8, color="tab:blue", label="start"
        )
        (self.end_marker,) = self.ax.plot(
            [], [], "D", ms=7, color="tab:red", label="end"
        )
        self.ax.set_xlim(w[0], w[-1])
        self.ax.set_ylim(b[0], b[-1])
        self.ax.set_xlabel("weight w")
        self.ax.set_ylabel("bias b")
        self.ax.legend(loc="lower left", fontsize=8, framealpha=0.8)
        self.title = self.ax.set_title("")
        (self.loss_line,) = self.ax_loss.plot([], [], "-o", ms=3, color="tab:orange")
        self.ax_loss.axhline(
            float(linear_mse(self.x, self.y, *self.best)),
            color="black",
            ls=":",
            lw=1,
            label="minimum loss",
        )
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_ylabel("MSE")
        self.ax_loss.legend(loc="upper right", fontsize=8, frameon=False)
        self.loss_title = self.ax_loss.set_title("")
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
        self.path_line.set_data(self.path[:, 0], self.path[:, 1])
        self.start_marker.set_data([self.path[0, 0]], [self.path[0, 1]])
        end = self.path[-1]
        self.end_marker.set_data([end[0]], [end[1]])
        verdict = "diverges" if self.diverged else "converges"
        self.title.set_text(
            f"lr = {params['lr']:.3g}: {verdict} "
            f"(limit 2/\u03bb_max = {self.threshold:.3f})"
        )
        steps = np.arange(len(self.loss))
        shown = np.where(np.isfinite(self.loss), self.loss, np.nan)
        self.loss_line.set_data(steps, shown)
        self.ax_loss.set_xlim(0, max(1, len(self.loss) - 1))
        finite = shown[np.isfinite(shown)]
        low = min(finite.min(), float(linear_mse(self.x, self.y, *self.best)))
        self.ax_loss.set_ylim(low * 0.8, max(finite.max() * 1.5, low * 10))
        self.loss_title.set_text(
            f"loss after {len(self.loss) - 1} steps: {finite[-1]:.3g}"
        )
