"""Training: seeding, Keras training, the NumPy loop, and one record type.

- ``nnbook.training.fit``: seed Python, NumPy and Keras; fit and evaluate
  a Keras model quietly, in the model's dtype.
- :mod:`nnbook.training.record`: :class:`TrainingRecord`, what every trainer
  of the article's network returns.
- :mod:`nnbook.training.optimizers`: SGD and Adam in NumPy, as Keras 3.
- ``nnbook.training.numpy_loop``: :func:`train_numpy`, the one NumPy loop
  (mini-batches in a given order, or full batch; L2, dropout, early stopping).
- ``nnbook.training.loops``: the same run with ``tf.GradientTape`` and
  with Keras ``fit``.
- ``nnbook.training.sweep``: :class:`SweepTrainer`, a whole run compiled
  once, for explorers that retrain on every slider move.
- ``nnbook.training.evaluation``: cost, accuracy and threshold metrics.
"""

from .evaluation import (
    FitScore,
    PairedComparison,
    binary_metrics,
    compare_paired,
    count_macs,
    fit_score,
)
from .fit import evaluate, model_dtype, n_inputs, set_seed, train
from .loops import model_from_weights, train_fit, train_tape
from .numpy_loop import batch_order, check_order, iter_batches, train_numpy
from .optimizers import SGD, Adam, make_optimizer
from .record import TrainingRecord
from .sweep import MAX_EPOCHS, MAX_HIDDEN, SweepTrainer, trace_count

__all__ = [
    "set_seed",
    "train",
    "evaluate",
    "n_inputs",
    "model_dtype",
    "TrainingRecord",
    "SGD",
    "Adam",
    "make_optimizer",
    "batch_order",
    "check_order",
    "iter_batches",
    "train_numpy",
    "model_from_weights",
    "train_tape",
    "train_fit",
    "SweepTrainer",
    "MAX_HIDDEN",
    "MAX_EPOCHS",
    "trace_count",
    "count_macs",
    "FitScore",
    "PairedComparison",
    "compare_paired",
    "fit_score",
    "binary_metrics",
]
