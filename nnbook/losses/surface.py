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

from typing import Any

import numpy as np

from .._checks import check_array, check_int, check_real

__all__ = [
    "surface_data",
    "linear_mse",
    "gradient_descent",
    "hessian_threshold",
    "divergence_threshold",
    "least_squares",
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
    """Finite 1-D ``x`` and ``y`` of one length, at least 2 points, ``x`` spread.

    A line through one point (or through points with a single ``x``) is not
    unique: the surface has a valley instead of a minimum.
    """
    x = check_array(x, "x")
    y = check_array(y, "y")
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(
            f"x and y must be 1-D arrays of the same length, got shapes "
            f"{x.shape} and {y.shape}"
        )
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError(
            "x must hold at least 2 different values (a line through one point "
            f"is not unique), got {x.size} point(s) with range {np.ptp(x):g}"
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


def least_squares(x: Any, y: Any) -> np.ndarray:
    """The minimum of :func:`linear_mse`: the least-squares ``(w, b)``.

    Args:
        x: Inputs ``(n,)``.
        y: Targets ``(n,)``.

    Returns:
        np.ndarray: float64 ``(2,)``, the best ``(w, b)``.
    """
    x, y = _check_xy(x, y)
    return np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]


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
    steps = check_int(
        steps, "steps", low=0, high=1_000_000, why="the path is kept in memory"
    )
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
    best = least_squares(x, y)

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
