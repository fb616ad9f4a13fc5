"""Score an explanation against the true column roles of the seed data.

Real data never says which columns matter; ``make_classification`` does, and
:func:`nnbook.data.make_seed_data` recovers it as ``roles``. A good global
explanation ranks the useful columns (informative, redundant, repeated)
above the noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._checks import check_array, check_sequence
from ..data.tabular import ROLES

__all__ = ["USEFUL_ROLES", "global_importance", "ground_truth_score"]

#: Roles whose columns carry class signal.
USEFUL_ROLES: tuple[str, ...] = ("informative", "redundant", "repeated")


def global_importance(attributions: Any) -> np.ndarray:
    """Mean absolute attribution per feature.

    Args:
        attributions: float ``(n, n_features)`` per-sample attributions, or
            ``(n_features,)`` global importances (returned unchanged).

    Returns:
        np.ndarray: float64 ``(n_features,)``.

    Raises:
        ValueError: If the array is not 1-D or 2-D or holds NaN/inf.
    """
    arr = check_array(attributions, "attributions")
    if arr.ndim not in (1, 2):
        raise ValueError(
            "attributions must be (n_samples, n_features) or (n_features,), "
            f"got shape {arr.shape}"
        )
    return np.abs(arr).mean(axis=0) if arr.ndim == 2 else arr


def ground_truth_score(
    attributions: Any,
    roles: Any,
    *,
    useful_roles: Sequence[str] = USEFUL_ROLES,
) -> dict[str, float]:
    """How well an explanation ranks the useful columns above the noise.

    Per-sample attributions are first reduced to the mean ``|attribution|``
    per feature; a 1-D array (such as permutation importances) is used as is.

    Args:
        attributions: float ``(n, n_features)`` or ``(n_features,)``.
        roles: str ``(n_features,)``, e.g. ``make_seed_data().roles``.
        useful_roles: The roles that count as useful.

    Returns:
        dict: ``{"precision_at_k": p, "auc": a, "k": k}``. ``precision_at_k``
        is the share of useful columns among the ``k`` top-ranked, with
        ``k`` the number of useful columns (ties broken by column order);
        ``auc`` is the ROC AUC of the importances as a useful-vs-noise score
        (0.5 is chance, 1 is a perfect ranking).

    Raises:
        ValueError: If the lengths differ, a role is not one of
            :data:`nnbook.data.ROLES` (a misspelled role would count as
            noise), or all or no columns are useful.
    """
    from sklearn.metrics import roc_auc_score

    scores = global_importance(attributions)
    useful_roles = [str(r) for r in check_sequence(useful_roles, "useful_roles")]
    roles = np.asarray(check_sequence(roles, "roles"), dtype=object)
    if roles.shape != scores.shape:
        raise ValueError(
            f"roles must have shape {scores.shape} (one per feature), got {roles.shape}"
        )
    unknown = sorted({str(r) for r in roles if r not in ROLES})
    if unknown:
        raise ValueError(f"roles must be among {list(ROLES)}, got {unknown}")
    bad = sorted(set(useful_roles) - set(ROLES))
    if bad:
        raise ValueError(f"useful_roles must be among {list(ROLES)}, got {bad}")
    useful = np.isin(roles, list(useful_roles))
    k = int(useful.sum())
    if k == 0 or k == useful.size:
        raise ValueError("roles must contain both useful and noise columns")
    top = np.argsort(-scores, kind="stable")[:k]
    return {
        "precision_at_k": float(useful[top].mean()),
        "auc": float(roc_auc_score(useful, scores)),
        "k": k,
    }
