"""A 2-D plane through feature space, for decision maps and neuron tiles.

A network on 20 features cannot be drawn, but a plane through its input
space can: pick two directions, hold everything else at the data's mean,
and evaluate the network on a grid. :func:`feature_plane` is pure NumPy, so
a plot or an interactive explorer can reuse it; :func:`plane_outputs`
evaluates a model (or one of its layers) on the grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int, check_matrix, check_real, check_sequence

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["Plane", "feature_plane", "plane_outputs"]

#: Most grid points per axis: 1000 x 1000 points is already a million model
#: evaluations (and far more than a figure shows).
MAX_RESOLUTION = 1000
_WHY_RESOLUTION = "resolution**2 points are evaluated; more cannot be seen"


@dataclass(frozen=True)
class Plane:
    """A plane ``origin + u * axes[0] + v * axes[1]`` with a grid on it.

    Attributes:
        kind: ``"pca"`` or ``"features"``.
        origin: float ``(d,)``: the data's mean; off-plane features stay here.
        axes: float ``(2, d)``: the plane's two directions (orthonormal).
        u: float ``(r,)``: grid coordinates along ``axes[0]``.
        v: float ``(r,)``: grid coordinates along ``axes[1]``.
        labels: The two axis labels, e.g. ``("PC 1", "PC 2")`` or
            ``("x05", "x18")``.
        title: A description for a plot title, saying which plane this is.
    """

    kind: str
    origin: np.ndarray
    axes: np.ndarray
    u: np.ndarray
    v: np.ndarray
    labels: tuple[str, str]
    title: str

    @property
    def points(self) -> np.ndarray:
        """Grid points mapped back to feature space, float of shape ``(r * r, d)``.

        Row ``i * r + j`` is the point at ``(u[j], v[i])`` (rows of the grid
        follow ``v``, as an image's rows follow ``y``).
        """
        uu, vv = np.meshgrid(self.u, self.v)
        return self.to_features(np.column_stack([uu.ravel(), vv.ravel()]))

    def project(self, X: Any) -> np.ndarray:
        """Coordinates of samples on the plane: float ``(n, 2)``."""
        X = check_matrix(X, "X", n_features=self.origin.size)
        return (X - self.origin) @ self.axes.T

    def to_features(self, uv: Any) -> np.ndarray:
        """Map plane coordinates ``(m, 2)`` back to features ``(m, d)``."""
        uv = np.asarray(uv, dtype=float).reshape(-1, 2)
        return self.origin + uv @ self.axes

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(u_min, u_max, v_min, v_max)``, for ``imshow(..., extent=)``."""
        return (self.u[0], self.u[-1], self.v[0], self.v[-1])

    def with_resolution(self, resolution: int) -> Plane:
        """The same plane and extent with ``resolution`` grid points per axis."""
        resolution = check_int(
            resolution, "resolution", low=2, high=MAX_RESOLUTION, why=_WHY_RESOLUTION
        )
        u = np.linspace(self.u[0], self.u[-1], resolution)
        v = np.linspace(self.v[0], self.v[-1], resolution)
        return replace(self, u=u, v=v)


def feature_plane(
    X: Any,
    *,
    kind: str = "pca",
    features: Sequence[int] | None = None,
    feature_names: Sequence[str] | None = None,
    resolution: int = 80,
    margin: float = 0.1,
    extent_X: Any = None,
    quantile: float = 0.0,
) -> Plane:
    """The plane of the top-2 principal components, or of two features.

    Args:
        X: float ``(n, d)``: the data that fixes the mean and the ranges.
        kind: ``"pca"`` (the two directions of largest variance) or
            ``"features"`` (two input columns; all others held at the mean).
        features: Two column indices, required for ``kind="features"``.
        feature_names: Optional column names for the labels.
        resolution: Grid points per axis, in ``[2, MAX_RESOLUTION]``.
        margin: Extra room around the data's range, as a fraction of it.
        extent_X: The samples whose projections fix the grid's extent;
            ``None`` means ``X``.
        quantile: Fraction of the projections left outside the extent at
            each end (0 uses the minimum and maximum), in ``[0, 0.5)``.

    Returns:
        Plane: the plane and its grid.

    Raises:
        ValueError: If ``X`` has fewer than 2 features or (for ``"pca"``)
            fewer than 2 rows, ``feature_names`` has not one name per
            column, or an option is out of range.
    """
    X = check_matrix(X, "X")
    if X.shape[1] < 2:
        raise ValueError(
            f"X must have at least 2 features to span a plane, got shape {X.shape}"
        )
    if kind == "pca" and X.shape[0] < 2:
        raise ValueError(
            f"X must have at least 2 rows for kind='pca' (principal components "
            f"need a spread), got shape {X.shape}"
        )
    resolution = check_int(
        resolution, "resolution", low=2, high=MAX_RESOLUTION, why=_WHY_RESOLUTION
    )
    margin = check_real(margin, "margin", low=0.0)
    quantile = check_real(quantile, "quantile", low=0.0, high=0.499)
    E = (
        X
        if extent_X is None
        else check_matrix(extent_X, "extent_X", n_features=X.shape[1])
    )
    d = X.shape[1]
    names = (
        [str(n) for n in check_sequence(feature_names, "feature_names")]
        if feature_names is not None
        else [f"x{j:02d}" for j in range(d)]
    )
    if len(names) != d:
        raise ValueError(
            f"feature_names must have one name per column ({d}), got {len(names)}"
        )
    origin = X.mean(axis=0)
    if kind == "pca":
        _, _, vt = np.linalg.svd(X - origin, full_matrices=False)
        axes = vt[:2].copy()
        # a deterministic sign: each axis's largest component is positive
        for a in axes:
            if a[np.argmax(np.abs(a))] < 0:
                a *= -1
        labels = ("PC 1", "PC 2")
        title = "top-2 PCA plane"
    elif kind == "features":
        if features is None or isinstance(features, str) or len(features) != 2:
            raise ValueError(
                f"features must be two column indices for kind='features', "
                f"got {features!r}"
            )
        i, j = (check_int(f, "features", low=0, high=d - 1) for f in features)
        if i == j:
            raise ValueError(f"features must be two different columns, got {i}, {j}")
        axes = np.zeros((2, d))
        axes[0, i] = axes[1, j] = 1.0
        labels = (names[i], names[j])
        title = f"plane of {names[i]} and {names[j]}"
    else:
        raise ValueError(f"kind must be one of ['pca', 'features'], got {kind!r}")
    coords = (E - origin) @ axes.T
    lo, hi = np.quantile(coords, [quantile, 1 - quantile], axis=0)
    pad = margin * (hi - lo)
    u = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    v = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    return Plane(kind, origin, axes, u, v, labels, title + ", other features at mean")


def plane_outputs(
    model: keras.Model,
    plane: Plane,
    *,
    layer: Any = None,
    output: str = "probability",
) -> np.ndarray:
    """Evaluate a model, or one of its layers, on the plane's grid.

    Args:
        model: A Keras model with one input of ``d`` features.
        plane: From :func:`feature_plane`.
        layer: ``None`` for the model's output, or a layer (name, index or
            object).
        output: With ``layer=None``: ``"probability"`` or ``"logit"``.

    Returns:
        np.ndarray: float64 ``(r, r, units)``; ``[i, j]`` is the point
        ``(u[j], v[i])``. For the seed model's output, ``units`` is 1 (the
        probability of class 1).
    """
    from ._core import check_inputs, check_output, forward, layer_forward

    pts = check_inputs(model, plane.points, "plane")
    r = plane.v.size
    if layer is None:
        out = forward(model, pts, output=check_output(output))
    else:
        out = layer_forward(model, layer, pts)
    return out.reshape(r, plane.u.size, -1)
