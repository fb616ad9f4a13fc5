"""Global explanations through scikit-learn: permutation importance, PDP and ICE.

Both wrap the Keras model as a scikit-learn classifier
(:func:`nnbook.explain.sklearn_adapter.make_classifier`) and let
``sklearn.inspection`` do the work; they explain the predicted probability.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_choice, check_class_labels, check_int
from ._core import check_count, check_inputs, n_outputs
from .sklearn_adapter import make_classifier

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["permutation_importance", "partial_dependence"]

#: Most shuffles per column (each one re-scores the whole data set).
MAX_DRAWS = 1000
#: Most grid values of a partial-dependence curve (each is a pass over ``X``).
MAX_GRID = 1000


def permutation_importance(
    model: keras.Model,
    X: Any,
    y: Any,
    *,
    n_draws: int = 10,
    scoring: str | None = "neg_log_loss",
    seed: int = 0,
    return_std: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Permutation feature importance, through scikit-learn.

    Breiman (2001), "Random Forests"; Fisher, Rudin & Dominici (2019). Each
    column of ``X`` is shuffled ``n_draws`` times and the drop in the
    score is averaged. The algorithm is
    ``sklearn.inspection.permutation_importance``; this function only wraps
    the Keras model as a scikit-learn classifier. A column the model ignores
    gets exactly 0: shuffling it changes no prediction.

    Args:
        model: A trained Keras classifier with one input.
        X: float array ``(n, n_features)``.
        y: int labels ``(n,)``: 0 and 1 for a single sigmoid output, class
            indices ``0..k-1`` for ``k`` softmax outputs. Other encodings
            ({1, 2}, {-1, 1}, strings) are refused, never re-encoded: the
            scorer would compare them with the wrong classes.
        n_draws: Shuffles per column, in ``[1, MAX_DRAWS]``.
        scoring: A scikit-learn scorer name. The default, the log loss,
            sees every change of a predicted probability; ``"accuracy"``
            (or ``None``) only sees predictions that flip, which on a few
            hundred samples makes the ranking coarse.
        seed: Seed of the shuffles.
        return_std: Also return the standard deviation over repeats.

    Returns:
        np.ndarray | tuple: float64 mean importance per feature, shape
        ``(n_features,)``; with ``return_std`` also its std.
    """
    from sklearn.inspection import permutation_importance as sk_pi

    X = check_inputs(model, X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got {X.shape}")
    y = check_class_labels(y, X.shape[0], max(n_outputs(model), 2), "y")
    n_draws = check_count(n_draws, "n_draws")
    if n_draws > MAX_DRAWS:
        raise ValueError(
            f"n_draws must be <= {MAX_DRAWS} (each draw re-scores every column), "
            f"got {n_draws}"
        )
    if scoring is not None and not isinstance(scoring, str):
        raise TypeError(f"scoring must be a scorer name or None, got {scoring!r}")
    seed = check_int(seed, "seed", low=0)
    est = make_classifier(model)
    res = sk_pi(est, X, y, n_repeats=n_draws, scoring=scoring, random_state=seed)
    if return_std:
        return res.importances_mean, res.importances_std
    return res.importances_mean


def partial_dependence(
    model: keras.Model,
    X: Any,
    feature: int,
    *,
    target: int | None = None,
    grid_resolution: int = 50,
    kind: str = "average",
) -> tuple[np.ndarray, np.ndarray]:
    """Partial dependence of a class probability on one feature.

    Friedman (2001), "Greedy Function Approximation: A Gradient Boosting
    Machine". Computed by ``sklearn.inspection.partial_dependence`` on the
    wrapped model (``kind="individual"`` gives ICE curves).

    Args:
        model: A trained Keras classifier with one input.
        X: float array ``(n, n_features)``.
        feature: Column index.
        target: The class whose probability is explained. ``None`` means
            the positive class of a single sigmoid output; a model with
            several outputs needs it explicitly (no class is "positive").
        grid_resolution: Number of grid values, in ``[2, MAX_GRID]``.
        kind: ``"average"`` or ``"individual"``.

    Returns:
        tuple: ``(grid, values)``: grid ``(g,)``; values ``(g,)`` for
        ``"average"`` or ``(n, g)`` for ``"individual"``.

    Raises:
        ValueError: If ``target`` is missing for a multi-output model or out
            of range, or an input or option is malformed.
    """
    from sklearn.inspection import partial_dependence as sk_pd

    X = check_inputs(model, X)
    feature = check_int(feature, "feature", low=0, high=X.shape[1] - 1)
    grid_resolution = check_int(
        grid_resolution,
        "grid_resolution",
        low=2,
        high=MAX_GRID,
        why="each grid value is a pass over X",
    )
    kind = check_choice(kind, "kind", ("average", "individual"))
    k = n_outputs(model)
    if k == 1:
        t = 0 if target is None else check_int(target, "target", low=1, high=1) - 1
    elif target is None:
        raise ValueError(
            f"target must name the class for this model with {k} outputs "
            f"(an int in [0, {k})): no class is the positive one"
        )
    else:
        t = check_int(target, "target", low=0, high=k - 1)
    est = make_classifier(model)
    res = sk_pd(
        est,
        X,
        [feature],
        grid_resolution=grid_resolution,
        kind=kind,
        response_method="predict_proba",
    )
    return np.asarray(res["grid_values"][0]), np.asarray(res[kind][t])
