"""nnbook.training.TrainingRecord: one record, one way to store weights."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.models import MLPWeights, init_weights
from nnbook.training import TrainingRecord


@pytest.fixture
def record():
    snaps = [init_weights(seed=s) for s in range(4)]  # 3 epochs
    history = {"loss": [0.5, 0.4, 0.45], "val_loss": [0.6, 0.5, 0.55]}
    return TrainingRecord.from_snapshots(
        snaps,
        [0.7, 0.5, 0.4],
        history=history,
        best_epoch=2,
        steps_per_epoch=2,
        step_loss=np.arange(6.0),
    ), snaps


def test_weights_are_stacked_and_returned_as_one_type(record):
    rec, snaps = record
    assert rec.epochs == 3 and rec.W1.shape == (4, 20, 10)
    for epoch in range(4):
        w = rec.weights(epoch)
        assert isinstance(w, MLPWeights)
        np.testing.assert_array_equal(w.W1, snaps[epoch].W1)
    np.testing.assert_array_equal(rec.weights().W2, snaps[2].W2)  # the kept epoch
    with pytest.raises(ValueError, match="epoch"):
        rec.weights(4)


def test_kept_metrics_and_gap(record):
    rec, _ = record
    assert rec.kept("val_loss") == 0.5 and rec.kept("loss") == 0.4
    assert rec.gap == pytest.approx(0.1)
    with pytest.raises(ValueError, match="key"):
        rec.kept("accuracy")


def test_prefix_cuts_every_array(record):
    rec, _ = record
    two = rec.prefix(2)
    assert two.epochs == 2 and two.W1.shape[0] == 3
    np.testing.assert_array_equal(two.epoch_loss, [0.7, 0.5])
    np.testing.assert_array_equal(two.step_loss, [0.0, 1.0, 2.0, 3.0])
    assert two.history["val_loss"].tolist() == [0.6, 0.5]
    assert rec.nbytes > two.nbytes > 0
