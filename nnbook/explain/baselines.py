"""Baseline images for integrated gradients, occlusion and pixel curves.

A baseline is the input that stands for "no information": integrated
gradients explains ``F(x) - F(baseline)``, occlusion hides pixels behind it,
and a deletion curve replaces removed pixels with it. The choice changes the
answer (Sturmfels, Lundberg & Lee, 2020, "Visualizing the Impact of Feature
Attribution Baselines", Distill 5(1)). :func:`image_baseline` builds the four
common ones, one per image, shaped like the images:

- ``"zero"``: a blank image (the digits' background);
- ``"mean"``: the mean training image (needs ``X_train``);
- ``"blur"``: each image blurred by a Gaussian (Petsiuk, Das & Saenko,
  2018, start their insertion curves from it; Fong & Vedaldi, 2017, use it
  to delete evidence);
- ``"noise"``: uniform noise over the pixels' range, drawn with ``seed``.

The fifth common choice, an average over many training images, is
:func:`nnbook.explain.expected_gradients`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_choice, check_int, check_real

__all__ = ["BASELINE_KINDS", "image_baseline"]

#: The kinds :func:`image_baseline` builds.
BASELINE_KINDS: tuple[str, ...] = ("zero", "mean", "blur", "noise")


def _as_images(X: Any, name: str) -> np.ndarray:
    """``X`` as a finite float64 array of images ``(n, h, w, c)``."""
    arr = np.asarray(X)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if arr.ndim != 4:
        raise ValueError(
            f"{name} must be images of shape (n, height, width, channels), got "
            f"shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one image, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return arr


def image_baseline(
    X: Any,
    kind: str = "blur",
    *,
    X_train: Any = None,
    sigma: float = 1.0,
    seed: int = 0,
) -> np.ndarray:
    """One baseline image per image of ``X``, of the given kind.

    Args:
        X: float images ``(n, h, w, c)``.
        kind: ``"zero"``, ``"mean"``, ``"blur"`` or ``"noise"`` (see the
            module's docstring).
        X_train: float images ``(m, h, w, c)``: required by ``"mean"`` (their
            mean image); for ``"noise"`` their value range bounds the noise
            (else the range of ``X``); ignored otherwise.
        sigma: Standard deviation in pixels of the Gaussian of ``"blur"``,
            > 0 (applied to height and width, never across channels; edges
            repeat the nearest pixel).
        seed: Seed of ``"noise"``, the only randomness.

    Returns:
        np.ndarray: float64 baselines of shape ``X.shape``, ready for the
        ``baseline=`` argument of :func:`~nnbook.explain.integrated_gradients`,
        :func:`~nnbook.explain.occlusion` and the pixel curves.

    Raises:
        TypeError: If ``X`` or ``X_train`` holds no numbers, or ``sigma`` or
            ``seed`` has the wrong type.
        ValueError: If ``kind`` is unknown, the images are not 4-D or hold
            NaN/inf, ``"mean"`` has no ``X_train``, ``X_train``'s image shape
            differs from ``X``'s, or ``sigma <= 0``.

    References:
        Sturmfels, Lundberg & Lee (2020), Visualizing the Impact of Feature
        Attribution Baselines. Distill.
    """
    kind = check_choice(kind, "kind", BASELINE_KINDS)
    X = _as_images(X, "X")
    sigma = check_real(sigma, "sigma", low=0.0, low_open=True)
    seed = check_int(seed, "seed", low=0)
    train = None
    if X_train is not None:
        train = _as_images(X_train, "X_train")
        if train.shape[1:] != X.shape[1:]:
            raise ValueError(
                f"X_train must hold images of shape {X.shape[1:]} like X, got "
                f"{train.shape[1:]}"
            )
    if kind == "zero":
        return np.zeros_like(X)
    if kind == "mean":
        if train is None:
            raise ValueError('kind="mean" needs X_train, the images to average')
        return np.broadcast_to(train.mean(axis=0), X.shape).copy()
    if kind == "blur":
        from scipy.ndimage import gaussian_filter

        return gaussian_filter(X, sigma=(0, sigma, sigma, 0), mode="nearest")
    ref = X if train is None else train
    low, high = float(ref.min()), float(ref.max())
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=X.shape)
