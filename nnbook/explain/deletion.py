"""The deletion metric: remove pixels in attribution order, watch the class fall.

Petsiuk, Das & Saenko (2018), "RISE: Randomized input sampling for
explanation of black-box models", BMVC (the deletion metric).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int
from ._core import check_baseline, check_images, check_output, check_target, forward

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["DeletionCurve", "deletion_curve"]


@dataclass(frozen=True)
class DeletionCurve:
    """The result of :func:`deletion_curve`.

    Attributes:
        fraction: float array of shape ``(n_steps + 1,)``: the fraction of
            pixels removed, from 0 to 1.
        prob: float array of shape ``(n, n_steps + 1)``: the target class's
            probability (or logit, with ``output="logit"``) for each image
            after each deletion step.
        curve: float array of shape ``(n_steps + 1,)``: ``prob`` averaged over
            the images.
        auc: The area under ``curve`` (trapezoid rule over ``fraction``);
            lower means the attribution found the evidence faster.
        auc_per_image: float array of shape ``(n,)``.
        order: ``"attribution"`` or ``"random"``.
    """

    fraction: np.ndarray
    prob: np.ndarray
    curve: np.ndarray
    auc: float
    auc_per_image: np.ndarray
    order: str


def _trapezoid(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return ((y[..., 1:] + y[..., :-1]) / 2 * np.diff(x)).sum(axis=-1)


def deletion_curve(
    model: keras.Model,
    X: Any,
    attribution: Any = None,
    *,
    target: Any = None,
    baseline: Any = 0.0,
    output: str = "probability",
    n_steps: int | None = None,
    seed: int = 0,
) -> DeletionCurve:
    """Deletion metric: remove pixels in attribution order, watch the class fall.

    Pixels are ranked by their attribution (summed over channels, largest
    first) and replaced, a few at a time, by the ``baseline``; after each
    step the target class's probability (or logit) is recorded. A faithful
    attribution ranks the evidence first, so the probability falls fast and
    the area under the curve (AUC) is small. With ``attribution=None`` the
    pixels are removed in a random order drawn with ``seed``: the baseline
    every method must beat.

    References:
        Petsiuk, Das & Saenko (2018), RISE: Randomized input sampling for
        explanation of black-box models. BMVC (the deletion metric).

    Args:
        model: A built Keras image classifier (softmax outputs).
        X: float images of shape ``(n, h, w, c)`` matching the model.
        attribution: Array shaped like ``X`` (any method's output), or
            ``None`` for a random order.
        target: Class index for all images, int array of shape ``(n,)``, or
            ``None`` for the class predicted on the intact image.
        baseline: What a removed pixel becomes: a scalar (0, the digits'
            background, by default), one image ``(h, w, c)`` or one per image.
        output: ``"probability"`` (the default, as Petsiuk et al.) or
            ``"logit"``.
        n_steps: Number of deletion steps from no pixel to all pixels;
            ``None`` removes one pixel per step.
        seed: Seed of the random order (and of tie-breaking between equal
            attributions).

    Returns:
        DeletionCurve: Fractions removed, per-image probabilities, the mean
        curve and its AUC.

    Raises:
        ValueError: If ``X`` or ``attribution`` has the wrong shape, a target
            is out of range, or ``n_steps`` is out of range.
    """
    X = check_images(model, X)
    n, h, w, c = X.shape
    n_pixels = h * w
    n_steps = (
        n_pixels
        if n_steps is None
        else check_int(n_steps, "n_steps", low=1, high=n_pixels)
    )
    B = check_baseline(baseline, X).reshape(n, 1, n_pixels, c)
    output = check_output(output)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    t = check_target(model, target, X)
    tie = rng.random((n, n_pixels))  # random tie-breaking, also the random order
    if attribution is None:
        order = np.argsort(tie, axis=1)
        kind = "random"
    else:
        A = np.asarray(attribution, dtype="float64")
        if A.shape != X.shape:
            raise ValueError(
                f"attribution must be shaped like X {X.shape}, got {A.shape}"
            )
        if not np.all(np.isfinite(A)):
            raise ValueError("attribution holds NaN or infinite values")
        score = A.sum(axis=-1).reshape(n, n_pixels)
        order = np.lexsort((tie, -score), axis=1)
        kind = "attribution"
    counts = np.round(np.linspace(0, n_pixels, n_steps + 1)).astype(int)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n_pixels)[None, :], axis=1)
    # removed[i, s, p]: pixel p of image i is removed at step s
    removed = rank[:, None, :] < counts[None, :, None]
    flat = np.where(removed[..., None], B, X.reshape(n, 1, n_pixels, c))
    probs = forward(model, flat.reshape(-1, h, w, c), output=output)
    probs = probs.reshape(n, n_steps + 1, -1)
    prob = np.take_along_axis(probs, t[:, None, None], axis=2)[..., 0]
    fraction = counts / n_pixels
    curve = prob.mean(axis=0)
    return DeletionCurve(
        fraction=fraction,
        prob=prob,
        curve=curve,
        auc=float(_trapezoid(curve, fraction)),
        auc_per_image=_trapezoid(prob, fraction),
        order=kind,
    )
