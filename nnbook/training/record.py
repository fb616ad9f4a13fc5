"""The one record of a training run of the article's network.

Every trainer of the package returns a :class:`TrainingRecord`: the NumPy
loop (:func:`nnbook.training.train_numpy`), the ``GradientTape`` and ``fit``
loops (:func:`nnbook.training.train_tape`, :func:`nnbook.training.train_fit`)
and the compiled sweep trainer (:class:`nnbook.training.SweepTrainer`). The
weights after every epoch are stored one way, stacked, with index 0 the
initialization; :meth:`TrainingRecord.weights` returns one epoch's as
:class:`~nnbook.models.numpy_mlp.MLPWeights`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .._checks import check_int
from ..models.numpy_mlp import MLPWeights

__all__ = ["TrainingRecord", "stack_weights"]


def stack_weights(snapshots: list[MLPWeights]) -> tuple[np.ndarray, ...]:
    """Stack per-epoch weights into ``(W1s, b1s, W2s, b2s)``, epoch first."""
    return tuple(np.stack(arrays) for arrays in zip(*snapshots, strict=True))


def _empty() -> np.ndarray:
    return np.zeros(0)


@dataclass(frozen=True)
class TrainingRecord:
    """One training run, recorded after every epoch.

    Attributes:
        W1: ``(epochs + 1, n_features, hidden_units)``: the hidden kernel after
            each epoch; ``W1[0]`` is the initialization.
        b1: ``(epochs + 1, hidden_units)``.
        W2: ``(epochs + 1, hidden_units, 1)``.
        b2: ``(epochs + 1, 1)``.
        epoch_loss: ``(epochs,)``: the mean training loss over each epoch's
            mini-batches (weighted by their sizes), penalty included, in
            training mode: what Keras's ``fit`` reports as ``loss``.
        history: Per-epoch measurements ``(epochs,)`` taken *after* each
            epoch in inference mode, without the penalty, so that training
            and validation are directly comparable: ``"loss"`` and
            ``"accuracy"`` on the training data, ``"val_loss"`` and
            ``"val_accuracy"`` on the validation data (each only when the
            trainer measured it).
        step_loss: ``(n_steps,)``: the loss of each mini-batch at the weights
            *before* that step's update (empty when not recorded).
        steps_per_epoch: Mini-batches in one epoch.
        best_epoch: The 1-based epoch whose weights were kept: the last one,
            unless early stopping restored an earlier one.
        settings: The hyperparameters of the run.
        probe_hidden: ``(epochs + 1, n_probe, hidden_units)``: hidden
            activations on a probe set after each epoch (empty if none).
        probe_proba: ``(epochs + 1, n_probe)``: probabilities of class 1 on
            the probe set.
        probe_accuracy: ``(epochs + 1,)``: accuracy on the probe set
            (threshold 0.5), if its labels were given.
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    epoch_loss: np.ndarray
    history: dict[str, np.ndarray] = field(default_factory=dict)
    step_loss: np.ndarray = field(default_factory=_empty)
    steps_per_epoch: int = 1
    best_epoch: int = 0
    settings: dict[str, Any] = field(default_factory=dict)
    probe_hidden: np.ndarray = field(default_factory=_empty)
    probe_proba: np.ndarray = field(default_factory=_empty)
    probe_accuracy: np.ndarray = field(default_factory=_empty)

    @classmethod
    def from_snapshots(
        cls, snapshots: list[MLPWeights], epoch_loss: Any, **fields: Any
    ) -> TrainingRecord:
        """A record from a list of per-epoch weights (index 0: the start)."""
        epoch_loss = np.asarray(epoch_loss, dtype=float)
        history = {
            k: np.asarray(v, dtype=float) for k, v in fields.pop("history", {}).items()
        }
        fields.setdefault("best_epoch", len(epoch_loss))
        return cls(*stack_weights(snapshots), epoch_loss, history, **fields)

    @property
    def epochs(self) -> int:
        """The number of epochs trained."""
        return int(self.W1.shape[0]) - 1

    @property
    def loss(self) -> np.ndarray:
        """``history["loss"]``: the training loss measured after each epoch."""
        return self.history["loss"]

    @property
    def val_loss(self) -> np.ndarray:
        """``history["val_loss"]``: the validation loss after each epoch."""
        return self.history["val_loss"]

    def weights(self, epoch: int | None = None) -> MLPWeights:
        """The weights after ``epoch``; by default the kept ones (``best_epoch``).

        Args:
            epoch: 0 (the initialization) to :attr:`epochs`, or ``None``.

        Returns:
            MLPWeights: Views of the stored arrays (copy before changing).
        """
        epoch = self.best_epoch if epoch is None else epoch
        epoch = check_int(epoch, "epoch", low=0, high=self.epochs)
        return MLPWeights(
            self.W1[epoch], self.b1[epoch], self.W2[epoch], self.b2[epoch]
        )

    def kept(self, key: str) -> float:
        """``history[key]`` at the kept epoch, e.g. ``kept("val_loss")``."""
        if key not in self.history:
            raise ValueError(f"key must be one of {sorted(self.history)}, got {key!r}")
        return float(self.history[key][self.best_epoch - 1])

    @property
    def gap(self) -> float:
        """The overfitting gap, validation minus training loss (kept weights)."""
        return self.kept("val_loss") - self.kept("loss")

    @property
    def nbytes(self) -> int:
        """The memory the record's arrays hold, in bytes."""
        arrays = [self.W1, self.b1, self.W2, self.b2, self.epoch_loss, self.step_loss]
        arrays += [self.probe_hidden, self.probe_proba, self.probe_accuracy]
        arrays += list(self.history.values())
        return int(sum(a.nbytes for a in arrays))

    def prefix(self, epochs: int) -> TrainingRecord:
        """The same run cut after ``epochs`` epochs (views, no copy).

        Valid for runs without early stopping: epoch ``k`` of a deterministic
        run is the run of ``k`` epochs.
        """
        epochs = check_int(epochs, "epochs", low=1, high=self.epochs)
        e = epochs + 1
        probes = {
            name: getattr(self, name)[:e]
            if getattr(self, name).size
            else getattr(self, name)
            for name in ("probe_hidden", "probe_proba", "probe_accuracy")
        }
        return replace(
            self,
            W1=self.W1[:e],
            b1=self.b1[:e],
            W2=self.W2[:e],
            b2=self.b2[:e],
            epoch_loss=self.epoch_loss[:epochs],
            history={k: v[:epochs] for k, v in self.history.items()},
            step_loss=self.step_loss[: epochs * self.steps_per_epoch],
            best_epoch=min(self.best_epoch, epochs),
            settings={**self.settings, "epochs": epochs},
            **probes,
        )
