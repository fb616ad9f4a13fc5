"""nnbook.explain.occlusion: one function for tables and images."""

from __future__ import annotations

import numpy as np
import pytest

import nnbook.explain as E


@pytest.mark.parametrize("output", ["logit", "probability"])
def test_window_one_on_a_table_is_feature_ablation(
    trained_seed_model, seed_data, output
):
    x = seed_data.X_test[:2]
    mean = seed_data.X_train.mean(axis=0)
    occ = E.occlusion(trained_seed_model, x, baseline=mean, output=output)
    masked = x.copy()
    masked[:, 5] = mean[5]
    drop = E.model_output(trained_seed_model, x, output=output) - E.model_output(
        trained_seed_model, masked, output=output
    )
    np.testing.assert_allclose(occ[:, 5], drop, atol=1e-6)


def test_a_window_on_a_table_averages_over_the_positions(trained_seed_model, seed_data):
    x = seed_data.X_test[:1]
    occ = E.occlusion(trained_seed_model, x, window=2, stride=2)
    masked = x.copy()
    masked[:, 4:6] = 0.0
    drop = E.model_output(trained_seed_model, x) - E.model_output(
        trained_seed_model, masked
    )
    np.testing.assert_allclose(occ[0, 4:6], drop[0], atol=1e-6)


def test_image_window_one_is_pixel_ablation(cnn, digits):
    X = digits.X_test[:6]
    ours = E.occlusion(cnn, X)
    masked = X.copy()
    masked[:, 3, 4, :] = 0.0
    drop = E.model_output(cnn, X) - E.model_output(
        cnn, masked, target=E.make_classifier(cnn).predict(X)
    )
    np.testing.assert_allclose(ours[:, 3, 4, 0], drop, atol=1e-4)


def test_scratch_value_of_one_patch(cnn, digits):
    """A pixel covered by a single window position gets exactly that drop."""
    x = digits.X_test[:1]
    t = int(cnn.predict(x, verbose=0).argmax())
    attr = E.occlusion(cnn, x, window=2, stride=2, output="probability")
    hidden = x.copy()
    hidden[0, 2:4, 4:6, :] = 0.0
    p = cnn.predict(np.concatenate([x, hidden]), verbose=0)[:, t]
    np.testing.assert_allclose(attr[0, 2:4, 4:6, 0], p[0] - p[1], atol=1e-5)


def test_occluding_blank_background_changes_nothing(cnn, digits):
    X = digits.X_test[:20]
    attr = E.occlusion(cnn, X)
    np.testing.assert_allclose(attr[X == 0], 0.0, atol=1e-4)


def test_the_far_edge_is_covered(cnn, digits):
    attr = E.occlusion(cnn, digits.X_test[:2], window=3, stride=3)  # 8 = 3+3+2
    assert np.all(np.isfinite(attr))


def test_bad_windows_and_strides_are_refused(cnn, digits, trained_seed_model):
    X = digits.X_test[:2]
    with pytest.raises(ValueError, match="stride .* must not exceed the window"):
        E.occlusion(cnn, X, window=2, stride=3)
    with pytest.raises(ValueError, match="window must be <= 8"):
        E.occlusion(cnn, X, window=9)
    with pytest.raises(ValueError, match="window must be one int or 2 ints"):
        E.occlusion(cnn, X, window=(2, 2, 1))
    with pytest.raises(ValueError, match="stride must be >= 1"):
        E.occlusion(cnn, X, stride=0)
    with pytest.raises(ValueError, match="window must be one int or 1 ints"):
        E.occlusion(trained_seed_model, np.zeros((2, 20)), window=(1, 1))
