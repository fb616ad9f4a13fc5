"""Deletion and insertion curves: faithfulness metrics for attribution maps.

Petsiuk, Das & Saenko (2018), "RISE: Randomized input sampling for
explanation of black-box models", BMVC. *Deletion* removes pixels in the
order a map ranks them and watches the class fall (a small area is good);
*insertion* starts from the baseline image and puts pixels back in that
order, watching the class rise (a large area is good). Both are computed by
one function, :func:`pixel_curve`; the two names are shorthands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int
from ._core import check_baseline, check_images, check_output, check_target, forward

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["PixelCurve", "pixel_curve", "deletion_curve", "insertion_curve"]


@dataclass(frozen=True)
class PixelCurve:
    """The result of :func:`deletion_curve` or :func:`insertion_curve`.

    Attributes:
        fraction: float array of shape ``(n_steps + 1,)``: the fraction of
            pixels removed (deletion) or inserted (insertion), from 0 to 1.
        prob: float array of shape ``(n, n_steps + 1)``: the target class's
            probability (or logit, with ``output="logit"``) for each image
            after each step.
        curve: float array of shape ``(n_steps + 1,)``: ``prob`` averaged over
            the images.
        auc: The area under ``curve`` (trapezoid rule over ``fraction``).
            For deletion, lower means the map found the evidence faster; for
            insertion, higher does.
        auc_per_image: float array of shape ``(n,)``.
        order: ``"attribution"`` or ``"random"``.
        kind: ``"deletion"`` or ``"insertion"``.
    """

    fraction: np.ndarray
    prob: np.ndarray
    curve: np.ndarray
    auc: float
    auc_per_image: np.ndarray
    order: str
    kind: str = "deletion"


def _trapezoid(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return ((y[..., 1:] + y[..., :-1]) / 2 * np.diff(x)).sum(axis=-1)


def pixel_curve(
    model: keras.Model,
    X: Any,
    attribution: Any = None,
    *,
    kind: str = "deletion",
    target: Any = None,
    baseline: Any = 0.0,
    output: str = "probability",
    n_steps: int | None = None,
    seed: int = 0,
) -> PixelCurve:
    """Deletion or insertion of pixels in attribution order.

    Pixels are ranked by their attribution (summed over channels, largest
    first). *Deletion* (``kind="deletion"``) replaces them, a few at a time,
    by the ``baseline``; *insertion* (``kind="insertion"``) starts from the
    ``baseline`` image and puts the image's own pixels back in the same
    order. After each step the target class's probability (or logit) is
    recorded. A faithful attribution ranks the evidence first, so the
    probability falls fast under deletion (small area under the curve) and
    rises fast under insertion (large area). With ``attribution=None`` the
    pixels follow a random order drawn with ``seed``: the reference every
    method must beat.

    References:
        Petsiuk, Das & Saenko (2018), RISE: Randomized input sampling for
        explanation of black-box models. BMVC (deletion and insertion).

    Args:
        model: A built Keras image classifier (softmax outputs).
        X: float images of shape ``(n, h, w, c)`` matching the model.
        attribution: Array shaped like ``X`` (any method's output), or
            ``None`` for a random order.
        kind: ``"deletion"`` or ``"insertion"``.
        target: Class index for all images, int array of shape ``(n,)``, or
            ``None`` for the class predicted on the intact image.
        baseline: What a removed pixel becomes (deletion), or the image
            insertion starts from: a scalar (0, the digits' background, by
            default), one image ``(h, w, c)`` or one per image (for example
            a blurred copy of each image).
        output: ``"probability"`` (the default, as Petsiuk et al.) or
            ``"logit"``.
        n_steps: Number of steps from no pixel to all pixels; ``None``
            changes one pixel per step.
        seed: Seed of the random order (and of tie-breaking between equal
            attributions).

    Returns:
        PixelCurve: Fractions changed, per-image probabilities, the mean
        curve and its AUC.

    Raises:
        ValueError: If ``X`` or ``attribution`` has the wrong shape, a target
            is out of range, ``n_steps`` is out of range, or ``kind`` is
            unknown.
    """
    if kind not in ("deletion", "insertion"):
        raise ValueError(f"kind must be one of ['deletion', 'insertion'], got {kind!r}")
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
        order_kind = "random"
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
        order_kind = "attribution"
    counts = np.round(np.linspace(0, n_pixels, n_steps + 1)).astype(int)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n_pixels)[None, :], axis=1)
    # changed[i, s, p]: pixel p of image i is removed (deletion) or put back
    # (insertion) by step s
    changed = rank[:, None, :] < counts[None, :, None]
    image = X.reshape(n, 1, n_pixels, c)
    if kind == "deletion":
        flat = np.where(changed[..., None], B, image)
    else:
        flat = np.where(changed[..., None], image, B)
    probs = forward(model, flat.reshape(-1, h, w, c), output=output)
    probs = probs.reshape(n, n_steps + 1, -1)
    prob = np.take_along_axis(probs, t[:, None, None], axis=2)[..., 0]
    fraction = counts / n_pixels
    curve = prob.mean(axis=0)
    return PixelCurve(
        fraction=fraction,
        prob=prob,
        curve=curve,
        auc=float(_trapezoid(curve, fraction)),
        auc_per_image=_trapezoid(prob, fraction),
        order=order_kind,
        kind=kind,
    )


def deletion_curve(
    model: keras.Model, X: Any, attribution: Any = None, **options: Any
) -> PixelCurve:
    """Deletion metric: :func:`pixel_curve` with ``kind="deletion"``.

    Petsiuk, Das & Saenko (2018), RISE, BMVC. Lower area is better.

    Args:
        model: A built Keras image classifier.
        X: float images ``(n, h, w, c)``.
        attribution: Array shaped like ``X``, or ``None`` for a random order.
        **options: ``target``, ``baseline``, ``output``, ``n_steps``, ``seed``
            (see :func:`pixel_curve`).

    Returns:
        PixelCurve: with ``kind == "deletion"``.
    """
    return pixel_curve(model, X, attribution, kind="deletion", **options)


def insertion_curve(
    model: keras.Model, X: Any, attribution: Any = None, **options: Any
) -> PixelCurve:
    """Insertion metric: :func:`pixel_curve` with ``kind="insertion"``.

    Petsiuk, Das & Saenko (2018), RISE, BMVC, who start insertion from a
    blurred copy of the image (pass it as ``baseline``). Higher area is
    better.

    Args:
        model: A built Keras image classifier.
        X: float images ``(n, h, w, c)``.
        attribution: Array shaped like ``X``, or ``None`` for a random order.
        **options: ``target``, ``baseline``, ``output``, ``n_steps``, ``seed``
            (see :func:`pixel_curve`).

    Returns:
        PixelCurve: with ``kind == "insertion"``.
    """
    return pixel_curve(model, X, attribution, kind="insertion", **options)
