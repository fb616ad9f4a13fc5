"""Counterfactuals: the smallest change to a few columns that flips a decision.

An attribution says which columns a prediction *reacts to*; only a
counterfactual says whether changing a column *changes the decision*
(Wachter, Mittelstadt & Russell, 2018, "Counterfactual Explanations without
Opening the Black Box"). For a binary classifier with one sigmoid output,
the decision flips where the logit crosses the threshold's logit (0 for the
usual threshold 0.5). Two searches are offered:

- :func:`flip_distances`: for each column alone, the smallest signed change
  that flips the decision, found on a grid and refined by bisection (exact
  up to the grid for any model; a flip narrower than one grid step can be
  missed).
- :func:`smallest_flip`: the smallest change that flips the decision when
  only one column, or a small set of columns, may change. Single columns
  use the line search above; sets use DeepFool steps (Moosavi-Dezfooli,
  Fawzi & Frossard, 2016) restricted to the set, which are exact on a
  linear piece of a ReLU network and are followed by a bisection along the
  found direction.

Sizes are measured in units of ``scale`` (for example the training
standard deviation of each column), as the Euclidean norm of
``(x_new - x) / scale`` over the changed columns.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int, check_real
from ._core import check_inputs, forward, gradients, n_outputs

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["Counterfactual", "flip_distances", "smallest_flip"]

_BISECT_STEPS = 60


@dataclass(frozen=True)
class Counterfactual:
    """A changed input and what the model says about it.

    Attributes:
        columns: The columns allowed to change, in increasing order.
        x: float64 ``(n_features,)``: the original sample.
        x_new: float64 ``(n_features,)``: the changed sample (equal to ``x``
            when no flip was found).
        size: ``||(x_new - x) / scale||_2``; ``inf`` when no flip was found.
        p_before: The model's probability of class 1 for ``x``.
        p_after: The model's probability of class 1 for ``x_new``.
        found: Whether the decision flips at ``x_new``.
    """

    columns: tuple[int, ...]
    x: np.ndarray
    x_new: np.ndarray
    size: float
    p_before: float
    p_after: float
    found: bool

    @property
    def change(self) -> np.ndarray:
        """float64 ``(n_features,)``: ``x_new - x``, zero off ``columns``."""
        return self.x_new - self.x


def _check_setup(model, x, columns, scale, max_change, threshold):
    if n_outputs(model) != 1:
        raise ValueError(
            "counterfactual search needs a binary classifier with one sigmoid "
            f"output, got a model with {n_outputs(model)} outputs"
        )
    X = check_inputs(model, np.asarray(x)[None] if np.ndim(x) == 1 else x, "x")
    if X.ndim != 2 or X.shape[0] != 1:
        raise ValueError(
            f"x must be one sample of shape (n_features,), got {np.shape(x)}"
        )
    x = X[0]
    d = x.shape[0]
    if columns is None:
        cols = np.arange(d)
    else:
        cols = np.asarray(columns)
        if (
            cols.ndim != 1
            or cols.size == 0
            or not np.issubdtype(cols.dtype, np.integer)
        ):
            raise ValueError("columns must be a non-empty 1-D list of column indices")
        if cols.min() < 0 or cols.max() >= d or np.unique(cols).size != cols.size:
            raise ValueError(f"columns must be distinct indices in [0, {d - 1}]")
        cols = np.sort(cols)
    if scale is None:
        s = np.ones(d)
    else:
        s = np.asarray(scale, dtype=np.float64)
        if s.shape != (d,) or not np.all(np.isfinite(s)) or np.any(s <= 0):
            raise ValueError(f"scale must hold {d} positive finite numbers")
    max_change = check_real(max_change, "max_change", low=0.0, low_open=True)
    threshold = check_real(threshold, "threshold", low=0.0, low_open=True, high=1.0)
    if threshold >= 1.0:
        raise ValueError(f"threshold must be < 1, got {threshold}")
    return x, cols, s, max_change, float(np.log(threshold / (1.0 - threshold)))


def _margin(model, X, cut):
    """Logit minus the threshold's logit, float64 ``(n,)``."""
    return forward(model, X, output="logit")[:, 0] - cut


def _result(model, x, x_new, cols, s, found):
    p = forward(model, np.stack([x, x_new]), output="probability")[:, 0]
    size = float(np.linalg.norm((x_new - x) / s)) if found else float("inf")
    return Counterfactual(
        tuple(int(c) for c in cols), x, x_new, size, float(p[0]), float(p[1]), found
    )


def flip_distances(
    model: keras.Model,
    x: Any,
    *,
    columns: Any = None,
    scale: Any = None,
    max_change: float = 3.0,
    n_grid: int = 601,
    threshold: float = 0.5,
) -> np.ndarray:
    """For each column alone, the smallest signed change that flips the decision.

    Column ``j`` is moved to ``x_j + t * scale_j`` for ``t`` on a grid over
    ``[-max_change, max_change]``; the crossing of the threshold nearest
    ``t = 0`` is refined by bisection. The result is in units of ``scale``.

    Args:
        model: A Keras binary classifier with one sigmoid output.
        x: float array ``(n_features,)``: one sample.
        columns: Column indices to try (default: all).
        scale: float ``(n_features,)`` positive units of change (default 1).
        max_change: The search range, in units of ``scale``, > 0.
        n_grid: Grid points over the range, >= 3.
        threshold: The decision threshold on the probability, in ``(0, 1)``.

    Returns:
        np.ndarray: float64 ``(n_features,)``: the signed change ``t`` per
        column (in units of ``scale``); NaN for columns not tried or with no
        flip within the range.

    Raises:
        ValueError: If the model has more than one output, or an argument is
            malformed or out of range.
    """
    x, cols, s, max_change, cut = _check_setup(
        model, x, columns, scale, max_change, threshold
    )
    n_grid = check_int(n_grid, "n_grid", low=3, high=100_001)
    d = x.shape[0]
    sign0 = np.sign(_margin(model, x[None], cut)[0]) or 1.0
    t = np.linspace(-max_change, max_change, n_grid)
    Z = np.repeat(x[None], cols.size * n_grid, axis=0)
    rows = np.arange(cols.size).repeat(n_grid)
    Z[np.arange(Z.shape[0]), cols[rows]] += np.tile(t, cols.size) * s[cols[rows]]
    flipped = (sign0 * _margin(model, Z, cut)).reshape(cols.size, n_grid) < 0
    out = np.full(d, np.nan)
    lo, hi, todo = [], [], []
    for k, j in enumerate(cols):
        idx = np.flatnonzero(flipped[k])
        if idx.size == 0:
            continue
        best = idx[np.argmin(np.abs(t[idx]))]
        # the bracket: from the grid point towards 0 (not flipped) to the flip
        step = -1 if t[best] > 0 else 1
        inner = best + step
        if not 0 <= inner < n_grid or flipped[k, inner]:
            out[j] = t[best]  # the flip is right at the grid point nearest 0
            continue
        lo.append(t[inner])
        hi.append(t[best])
        todo.append(j)
    if todo:
        lo_a, hi_a, js = np.array(lo), np.array(hi), np.array(todo)
        for _ in range(_BISECT_STEPS):
            mid = (lo_a + hi_a) / 2
            Z = np.repeat(x[None], js.size, axis=0)
            Z[np.arange(js.size), js] += mid * s[js]
            f = sign0 * _margin(model, Z, cut) < 0
            hi_a = np.where(f, mid, hi_a)
            lo_a = np.where(f, lo_a, mid)
        out[js] = hi_a
    return out


def _deepfool(model, x, sets, s, max_change, cut, max_iter=50, overshoot=0.02):
    """DeepFool steps restricted to each set; returns changed rows and flags."""
    n = len(sets)
    mask = np.zeros((n, x.shape[0]))
    for k, cs in enumerate(sets):
        mask[k, list(cs)] = 1.0
    Z = np.repeat(x[None], n, axis=0)
    sign0 = np.sign(_margin(model, x[None], cut)[0]) or 1.0
    done = np.zeros(n, dtype=bool)
    target = np.zeros(n, dtype=np.int32)
    for _ in range(max_iter):
        f, g = gradients(model, Z, target, output="logit")
        m = sign0 * (f - cut)
        done = m < 0
        if done.all():
            break
        gs = g * mask * s  # gradient in units of scale, on the set only
        norm2 = (gs**2).sum(axis=1)
        ok = (~done) & (norm2 > 0)
        step = np.zeros_like(Z)
        step[ok] = -((1 + overshoot) * (f[ok] - cut) / norm2[ok])[:, None] * gs[ok] * s
        Z = Z + step
        # stay within the search range, column by column
        Z = x + np.clip((Z - x) / s, -max_change, max_change) * s
    m = sign0 * _margin(model, Z, cut)
    done = m < 0
    # bisection along each found direction: the smallest multiple that flips
    lo, hi = np.zeros(n), np.ones(n)
    D = Z - x
    for _ in range(_BISECT_STEPS):
        mid = (lo + hi) / 2
        f = sign0 * _margin(model, x + mid[:, None] * D, cut) < 0
        hi = np.where(f, mid, hi)
        lo = np.where(f, lo, mid)
    return x + hi[:, None] * D, done


def smallest_flip(
    model: keras.Model,
    x: Any,
    *,
    columns: Any = None,
    max_columns: int = 1,
    scale: Any = None,
    max_change: float = 3.0,
    n_grid: int = 601,
    threshold: float = 0.5,
) -> Counterfactual:
    """The smallest change to one column, or to a small set, that flips the decision.

    Sets of 1, 2, ... up to ``max_columns`` columns (drawn from ``columns``)
    are searched in that order; the first size at which some set flips the
    decision within ``max_change`` (per column, in units of ``scale``)
    returns its smallest change. Single columns are searched exactly (up to
    the grid) by :func:`flip_distances`; larger sets by DeepFool steps
    restricted to the set (Moosavi-Dezfooli et al., 2016), which find the
    nearest flip on a linear piece of the network and a near one otherwise.

    Args:
        model: A Keras binary classifier with one sigmoid output.
        x: float array ``(n_features,)``: one sample.
        columns: Column indices that may change (default: all).
        max_columns: Largest set size tried, 1 to 3.
        scale: float ``(n_features,)`` positive units of change (default 1).
        max_change: Largest change per column, in units of ``scale``, > 0.
        n_grid: Grid points of the single-column search, >= 3.
        threshold: The decision threshold on the probability, in ``(0, 1)``.

    Returns:
        Counterfactual: The changed sample, its size and both probabilities;
        ``found`` is false (and ``size`` infinite) if no set of up to
        ``max_columns`` columns flips the decision within the range.

    Raises:
        ValueError: If the model has more than one output, or an argument is
            malformed or out of range.
    """
    x, cols, s, max_change, cut = _check_setup(
        model, x, columns, scale, max_change, threshold
    )
    max_columns = check_int(max_columns, "max_columns", low=1, high=3)
    t = flip_distances(
        model,
        x,
        columns=cols,
        scale=s,
        max_change=max_change,
        n_grid=n_grid,
        threshold=threshold,
    )
    if np.any(np.isfinite(t)):
        j = int(np.nanargmin(np.abs(t)))
        x_new = x.copy()
        x_new[j] += t[j] * s[j]
        return _result(model, x, x_new, (j,), s, True)
    for size in range(2, min(max_columns, cols.size) + 1):
        sets = list(itertools.combinations(cols.tolist(), size))
        Z, done = _deepfool(model, x, sets, s, max_change, cut)
        if done.any():
            sizes = np.where(done, np.linalg.norm((Z - x) / s, axis=1), np.inf)
            k = int(np.argmin(sizes))
            return _result(model, x, Z[k], sets[k], s, True)
    return _result(model, x, x.copy(), tuple(int(c) for c in cols), s, False)
