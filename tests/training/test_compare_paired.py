"""The book's one rule for "better": nnbook.training.compare_paired."""

import numpy as np
import pytest
from scipy import stats

from nnbook.training import compare_paired


def test_a_consistent_small_gain_is_better_and_an_erratic_large_one_ties():
    b = np.array([0.70, 0.80, 0.60, 0.90, 0.75])
    steady = compare_paired(b + 0.01 + np.array([0, 1e-3, -1e-3, 2e-3, 0]), b)
    assert steady.verdict == "better"
    erratic = compare_paired(b + np.array([0.3, -0.25, 0.2, -0.2, 0.1]), b)
    assert erratic.verdict == "tie"
    assert erratic.mean_difference == pytest.approx(0.03)


def test_direction_and_symmetry():
    rng = np.random.default_rng(0)
    b = rng.random(8)
    a = b - 0.2 + 0.01 * rng.standard_normal(8)
    assert compare_paired(a, b).verdict == "worse"
    assert compare_paired(b, a).verdict == "better"
    assert compare_paired(a, b, higher_is_better=False).verdict == "better"


def test_the_standard_error_is_scipys_paired_t_statistic_denominator():
    rng = np.random.default_rng(1)
    a, b = rng.random(6), rng.random(6)
    result = compare_paired(a, b)
    t = stats.ttest_rel(a, b).statistic
    assert result.mean_difference / result.standard_error == pytest.approx(t)
    assert result.n_pairs == 6
    assert result.text(2).startswith(("+", "-"))


@pytest.mark.parametrize(
    ("a", "b", "error", "word"),
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], ValueError, "same units"),
        ([1.0], [2.0], ValueError, "at least 2"),
        ([[1.0, 2.0]], [[1.0, 2.0]], ValueError, "1-D"),
        ([1.0, np.nan], [1.0, 2.0], ValueError, "a must be finite"),
        (["x", "y"], [1.0, 2.0], TypeError, "a must hold real"),
    ],
)
def test_bad_input_gets_a_clear_error(a, b, error, word):
    with pytest.raises(error, match=word):
        compare_paired(a, b)


def test_n_se_is_checked():
    with pytest.raises(ValueError, match="n_se"):
        compare_paired([1.0, 2.0], [0.0, 1.0], n_se=0)
