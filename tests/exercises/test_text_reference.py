"""The text chapter's precision@k exercise agrees with the package's scorer."""

from __future__ import annotations

import numpy as np

from nnbook.exercises.chapters import text as text_exercises


def test_precision_reference_matches_token_ground_truth_score():
    from nnbook.data import make_text_data
    from nnbook.explain import token_ground_truth_score

    data = make_text_data(n_samples=400, random_state=3)
    rng = np.random.default_rng(0)
    attr = rng.normal(size=data.X_test.shape) * (data.X_test != 0)
    ours = text_exercises._precision_at_k(attr, data.cue_mask_test, data.X_test)
    package = token_ground_truth_score(
        attr, data.cue_mask_test, data.X_test, per_sample=True
    )["precision_at_k"]
    np.testing.assert_allclose(ours, package, rtol=0, atol=1e-15)
