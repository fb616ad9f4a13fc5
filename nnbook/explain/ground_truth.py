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
from ._ranking import auc_rows, precision_at_k_rows, top_k_rows

__all__ = [
    "USEFUL_ROLES",
    "global_importance",
    "ground_truth_score",
    "token_ground_truth_score",
]

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
            ``nnbook.data.tabular.ROLES`` (a misspelled role would count as
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


def token_ground_truth_score(
    attributions: Any,
    cue_mask: Any,
    X: Any,
    *,
    per_sample: bool = False,
) -> dict[str, Any]:
    """How well per-token attributions find the tokens that decide each label.

    Tokens are ranked by ``|attribution|`` within each sentence, padding
    (id 0) left out: a negative cue or a negator pushes towards class 0, and
    decides the label as much as a positive cue. For each sentence:

    - **precision@k**, with ``k`` the sentence's number of true tokens: the
      share of true tokens among the ``k`` top-ranked (ties broken by
      position);
    - **AUC**: the ROC AUC of ``|attribution|`` as a true-vs-other score
      over the sentence's real tokens (0.5 is chance, 1 a perfect ranking).

    The same two measures as :func:`nnbook.explain.ground_truth_score`, per
    sentence instead of per column.

    Args:
        attributions: float ``(n, seq_len)``, e.g. from
            :func:`token_attribution`.
        cue_mask: bool ``(n, seq_len)``: True on the tokens that decide the
            label (:attr:`nnbook.data.TextData.cue_mask_test`).
        X: int token ids ``(n, seq_len)``, to find the padding.
        per_sample: Return one value per sentence instead of the means,
            and which tokens rank among each sentence's top ``k``.

    Returns:
        dict: ``{"precision_at_k": ..., "auc": ..., "n_samples": n}``: floats
        (means over sentences), or float64 arrays ``(n,)`` with
        ``per_sample=True``, which adds ``"in_top_k"``: bool
        ``(n, seq_len)``, True on the ``k`` top-ranked tokens of each
        sentence (so ``in_top_k[cue_mask & negators]`` tells which
        deciding negators were found).

    Raises:
        TypeError: If ``cue_mask`` is not boolean or ``X`` not integer.
        ValueError: If the shapes differ, values are not finite, the mask
            marks padding, or a sentence has no true token or no other real
            token (its AUC would be undefined).
    """
    attr = np.asarray(attributions, dtype=np.float64)
    mask = np.asarray(cue_mask)
    ids = np.asarray(X)
    if attr.ndim != 2:
        raise ValueError(
            f"attributions must be 2-D (n, seq_len), got shape {attr.shape}"
        )
    if mask.dtype != bool:
        raise TypeError(f"cue_mask must be a bool array, got dtype {mask.dtype}")
    if ids.dtype == bool or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"X must hold integer token ids, got dtype {ids.dtype}")
    for name, arr in (("cue_mask", mask), ("X", ids)):
        if arr.shape != attr.shape:
            raise ValueError(
                f"{name} must have the shape of attributions {attr.shape}, got "
                f"{arr.shape}"
            )
    if not np.all(np.isfinite(attr)):
        raise ValueError("attributions holds NaN or infinite values")
    valid = ids != 0
    if np.any(mask & ~valid):
        raise ValueError("cue_mask marks padding (token id 0) as deciding")
    n_true, n_other = mask.sum(axis=1), (valid & ~mask).sum(axis=1)
    bad = np.flatnonzero((n_true == 0) | (n_other == 0))
    if bad.size:
        raise ValueError(
            f"sentence {int(bad[0])} has {int(n_true[bad[0]])} true and "
            f"{int(n_other[bad[0]])} other tokens; each needs at least one of "
            "both"
        )
    scores = np.abs(attr)
    prec = precision_at_k_rows(scores, mask, valid)
    auc = auc_rows(scores, mask, valid)
    if per_sample:
        return {
            "precision_at_k": prec,
            "auc": auc,
            "n_samples": attr.shape[0],
            "in_top_k": top_k_rows(scores, mask, valid),
        }
    return {
        "precision_at_k": float(prec.mean()),
        "auc": float(auc.mean()),
        "n_samples": attr.shape[0],
    }
