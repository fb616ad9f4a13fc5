"""Arrays of random shapes, dtypes and values into every data-taking entry point.

The property (:func:`strategies.check_outcome`): a ``ValueError`` or
``TypeError`` naming the argument, or a finite float result of the
documented shape, never a third outcome; and invalid data (complex, masked,
strings, NaN, inf, values beyond float32's range for a float32 model) is
always refused.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnbook.explain as E
from nnbook._checks import FLOAT32_MAX, check_array, check_matrix

from .strategies import (
    HOSTILE,
    arrays,
    check_outcome,
    finite_of_shape,
    is_valid_array,
)

FAST = {"n_steps": 4, "n_draws": 2}
TABULAR = [m for m in E.ATTRIBUTION_METHODS if m is not E.grad_cam]


def _call(method, model, X, **kw):
    import inspect

    params = inspect.signature(method).parameters
    return method(model, X, **{k: v for k, v in FAST.items() if k in params}, **kw)


@HOSTILE
@given(X=arrays([(3, 4), (0, 4), (2, 5)]))
def test_check_matrix(X):
    check_outcome(
        lambda: check_matrix(X, "X"),
        ["X"],
        finite_of_shape(lambda: np.shape(X)),
        valid=is_valid_array(X) and np.ndim(X) == 2,
    )


@HOSTILE
@given(X=arrays([(3,), (2, 2), ()]))
def test_check_array(X):
    check_outcome(
        lambda: check_array(X, "data"),
        ["data"],
        finite_of_shape(lambda: np.shape(X)),
        valid=is_valid_array(X),
    )


@pytest.mark.parametrize("method", TABULAR, ids=lambda m: m.__name__)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_tabular_methods(method, dtype, mlp64, mlp32):
    model = mlp64 if dtype == "float64" else mlp32
    limit = FLOAT32_MAX if dtype == "float32" else np.inf

    @HOSTILE
    @given(X=arrays([(3, 4), (1, 4)]))
    def prop(X):
        check_outcome(
            lambda: _call(method, model, X),
            ["X", "model"],
            finite_of_shape(lambda: np.shape(X)),
            valid=is_valid_array(X, max_abs=limit)
            and np.shape(X)[1:] == (4,)
            and np.ndim(X) == 2,
        )

    prop()


@HOSTILE
@given(baseline=arrays([(4,), (2, 4), ()]))
def test_baseline(baseline, mlp64):
    X = np.ones((2, 4))
    check_outcome(
        lambda: E.integrated_gradients(mlp64, X, baseline=baseline, n_steps=4),
        ["baseline"],
        finite_of_shape((2, 4)),
        valid=is_valid_array(baseline) and np.shape(baseline) in ((4,), (2, 4), ()),
    )


@HOSTILE
@given(X=arrays([(2, 6, 6, 1), (2, 4), (6, 6, 1)]))
def test_image_methods(X, small_cnn):
    valid = is_valid_array(X) and np.shape(X) == (2, 6, 6, 1)
    check_outcome(
        lambda: E.gradient_saliency(small_cnn, X),
        ["X", "model"],
        finite_of_shape((2, 6, 6, 1)),
        valid=valid,
    )
    check_outcome(
        lambda: E.grad_cam(small_cnn, X),
        ["X", "model", "layer"],
        lambda r: np.all(np.isfinite(r)),
        valid=valid,
    )


@HOSTILE
@given(a=arrays([(3, 4), (4,), (3, 1)]), b=arrays([(3, 4), (4,)]))
def test_rank_correlation(a, b):
    def check(r):
        assert r.shape == (np.shape(a)[0],)

    check_outcome(lambda: E.rank_correlation(a, b), ["a", "b"], check)


@HOSTILE
@given(
    att=arrays([(5, 4), (4,), (0, 4)]),
    roles=st.sampled_from(
        [
            ["informative", "noise", "redundant", "noise"],
            ["informative", "noise", "redundnt", "noise"],
            ["noise"] * 4,
            ["informative", "noise"],
            "informative",
        ]
    ),
)
def test_ground_truth_score(att, roles):
    def check(r):
        assert 0 <= r["auc"] <= 1 and 0 <= r["precision_at_k"] <= 1

    check_outcome(
        lambda: E.ground_truth_score(att, roles),
        ["attributions", "roles"],
        check,
    )


@HOSTILE
@given(
    X=arrays([(6, 3), (1, 3), (6, 1), (2, 2)]),
    kind=st.sampled_from(["pca", "features"]),
)
def test_feature_plane(X, kind):
    def check(plane):
        assert np.all(np.isfinite(plane.points))
        assert plane.points.shape == (25, np.shape(X)[1])

    check_outcome(
        lambda: E.feature_plane(X, kind=kind, features=(0, 1), resolution=5),
        ["X", "features"],
        check,
    )


@HOSTILE
@given(x=arrays([(5,), (1,), (3, 2)]), y=arrays([(5,), (1,)]))
def test_loss_surface_data(x, y):
    from nnbook.losses import least_squares

    check_outcome(lambda: least_squares(x, y), ["x", "y"], finite_of_shape((2,)))
