"""nnbook.data: the article's split and the recovered column roles."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

from nnbook.data import ROLES, column_roles, make_seed_data


def test_article_split_shapes_and_values(seed_data):
    X, y = make_classification(
        n_samples=1000, n_features=20, n_classes=2, random_state=42
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, random_state=42
    )
    assert seed_data.X_train.shape == (800, 20)
    assert seed_data.X_test.shape == (200, 20)
    assert seed_data.y_train.shape == (800,)
    np.testing.assert_array_equal(seed_data.X_train, X_train)
    np.testing.assert_array_equal(seed_data.X_test, X_test)
    np.testing.assert_array_equal(seed_data.y_train, y_train)
    np.testing.assert_array_equal(seed_data.y_test, y_test)


def test_default_roles(seed_data):
    roles = seed_data.roles
    assert roles.shape == (20,)
    assert set(roles) <= set(ROLES)
    counts = {r: int((roles == r).sum()) for r in ROLES}
    assert counts == {"informative": 2, "redundant": 2, "repeated": 0, "noise": 16}
    assert seed_data.useful.sum() == 4


def _unshuffled_truth(random_state, kwargs):
    """Roles recovered independently: match columns by their sorted values."""
    X, _ = make_classification(random_state=random_state, **kwargs)
    X0, _ = make_classification(random_state=random_state, shuffle=False, **kwargs)
    return X, X0


@pytest.mark.parametrize("random_state", [0, 1, 7, 42, 123])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"n_informative": 3, "n_redundant": 0},
        {"n_repeated": 1},
        {"n_informative": 5, "n_redundant": 3, "n_repeated": 2, "n_features": 15},
        {"n_samples": 300, "n_features": 8, "n_informative": 4, "n_redundant": 1},
    ],
)
def test_roles_recovered_exactly(random_state, kwargs):
    full = {"n_samples": 1000, "n_features": 20, **kwargs}
    X, y, roles = column_roles(random_state, **kwargs)
    X_ref, _ = make_classification(random_state=random_state, **full)
    np.testing.assert_array_equal(X, X_ref)

    # Independent check: each shuffled column's sorted values must equal
    # those of an unshuffled column with the claimed role (the unshuffled
    # layout is informative, redundant, repeated, noise).
    X0, _ = make_classification(random_state=random_state, shuffle=False, **full)
    n_inf = full.get("n_informative", 2)
    n_red = full.get("n_redundant", 2)
    n_rep = full.get("n_repeated", 0)
    layout = (
        ["informative"] * n_inf
        + ["redundant"] * n_red
        + ["repeated"] * n_rep
        + ["noise"] * (full["n_features"] - n_inf - n_red - n_rep)
    )
    sorted0 = np.sort(X0, axis=0)
    for j in range(X.shape[1]):
        matches = np.flatnonzero(
            np.all(np.isclose(sorted0, np.sort(X[:, j])[:, None]), axis=0)
        )
        assert matches.size >= 1
        assert roles[j] in {layout[m] for m in matches}
    assert int((roles == "repeated").sum()) == n_rep
    assert int((roles == "informative").sum()) == n_inf


def test_kwargs_are_passed_through():
    data = make_seed_data(random_state=3, n_informative=3, n_redundant=0)
    assert (data.roles == "informative").sum() == 3
    assert (data.roles == "redundant").sum() == 0


def test_bad_arguments():
    with pytest.raises(ValueError, match="shuffle"):
        make_seed_data(shuffle=False)
    with pytest.raises(TypeError, match="random_state"):
        make_seed_data(random_state="42")
