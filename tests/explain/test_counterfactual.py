"""nnbook.explain.counterfactual: smallest changes that flip a decision.

On a logistic model (one sigmoid unit) the answers are known in closed
form: the decision flips where ``w . x + b = 0``, so changing column ``j``
alone needs ``-(w . x + b) / w_j``, and the smallest change restricted to a
set ``S`` is ``-(w . x + b) w_S / ||w_S||^2``.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E

W = np.array([2.0, -1.0, 0.5, 0.0])
B = -0.5


@pytest.fixture(scope="module")
def logistic():
    import keras

    model = keras.Sequential(
        [
            keras.Input((4,), dtype="float64"),
            keras.layers.Dense(1, activation="sigmoid", dtype="float64"),
        ]
    )
    model.layers[0].set_weights([W[:, None], np.array([B])])
    return model


X0 = np.array([1.0, 0.5, 0.2, 3.0])  # logit 2 - 0.5 + 0.1 - 0.5 = 1.1


def test_single_column_distances_match_the_closed_form(logistic):
    t = E.flip_distances(logistic, X0, max_change=5.0)
    logit = W @ X0 + B
    np.testing.assert_allclose(t[:3], -logit / W[:3], atol=1e-5)
    assert np.isnan(t[3])  # a column the model ignores never flips it


def test_range_and_scale_are_respected(logistic):
    t = E.flip_distances(logistic, X0, max_change=1.0)  # x2 would need -2.2
    assert np.isnan(t[2]) and np.isfinite(t[0])
    scale = np.array([2.0, 1.0, 1.0, 1.0])
    t2 = E.flip_distances(logistic, X0, scale=scale, max_change=5.0)
    np.testing.assert_allclose(t2[0] * 2.0, -(W @ X0 + B) / W[0], atol=1e-5)


def test_smallest_single_column_flip(logistic):
    cf = E.smallest_flip(logistic, X0, max_change=5.0)
    assert cf.found and cf.columns == (0,)
    assert cf.p_before > 0.5 > cf.p_after
    np.testing.assert_allclose(cf.size, (W @ X0 + B) / 2.0, atol=1e-5)
    np.testing.assert_allclose(cf.change[1:], 0.0)


def test_a_set_of_columns_is_searched_when_no_single_column_suffices(logistic):
    cf = E.smallest_flip(logistic, X0, columns=[1, 2], max_columns=2, max_change=1.0)
    logit = W @ X0 + B
    ws = W[[1, 2]]
    want = -logit * ws / (ws @ ws)
    assert cf.found and cf.columns == (1, 2)
    np.testing.assert_allclose(cf.change[[1, 2]], want, atol=1e-4)
    np.testing.assert_allclose(cf.size, np.linalg.norm(want), atol=1e-4)


def test_no_flip_is_reported_not_invented(logistic):
    cf = E.smallest_flip(logistic, X0, columns=[3], max_columns=1)
    assert not cf.found and cf.size == np.inf
    np.testing.assert_array_equal(cf.x_new, cf.x)


def test_the_article_network_flips_where_the_search_says(trained_seed_model, seed_data):
    x = seed_data.X_test[0]
    scale = seed_data.X_train.std(axis=0)
    cf = E.smallest_flip(trained_seed_model, x, scale=scale, max_columns=2)
    assert cf.found
    before = E.model_output(trained_seed_model, x[None])[0] > 0
    after = E.model_output(trained_seed_model, cf.x_new[None])[0] > 0
    assert before != after
    # a tenth less of the change does not flip it (the change is minimal)
    almost = cf.x + 0.9 * cf.change
    assert (E.model_output(trained_seed_model, almost[None])[0] > 0) == before


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"columns": [0, 0]}, "columns"),
        ({"columns": [9]}, "columns"),
        ({"scale": [1.0, 1.0]}, "scale"),
        ({"max_change": 0.0}, "max_change"),
        ({"threshold": 1.0}, "threshold"),
        ({"max_columns": 4}, "max_columns"),
    ],
)
def test_bad_arguments_name_themselves(logistic, kwargs, match):
    with pytest.raises(ValueError, match=match):
        E.smallest_flip(logistic, X0, **kwargs)


def test_one_sample_only(logistic):
    with pytest.raises(ValueError, match="x"):
        E.flip_distances(logistic, np.stack([X0, X0]))
