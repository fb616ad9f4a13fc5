"""Sweep the article's network over hyperparameters at slider speed.

Rebuilding, compiling and fitting a new Keras model for every slider change
costs 1-2 s, almost all of it Keras overhead. :class:`SweepTrainer` trains
the same network (``Dense(hidden_units, activation)`` then
``Dense(1, sigmoid)``, binary cross-entropy, Adam, L2 on the hidden kernel
as :func:`nnbook.models.build_seed_mlp` puts it) with one compiled function
per process (:mod:`nnbook.training.sweep_graph`), so no change of a
hyperparameter retraces (:func:`trace_count` proves it).

Each run records the weights after every epoch (index 0 is the
initialization) and the hidden activations on a probe set (the test data),
so a reader can replay training without retraining. Every run with the same
``seed`` starts from the same initial weights
(:func:`nnbook.models.init_weights` with a shared draw of :data:`MAX_HIDDEN`
units, so a narrower network starts from the first units of a wider one).
Runs already computed are cached, and a run of ``epochs`` is served from the
cached prefix of a longer run with the same settings (training is
deterministic, so epoch ``k`` of a long run is the run of ``k`` epochs).

With the same initial weights and batch order the losses agree with
``model.fit`` (``tests/training/test_sweep.py``).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np

from .._checks import (
    FLOAT32_MAX,
    check_choice,
    check_int,
    check_labels,
    check_matrix,
    check_real,
)
from ..activations import ACTIVATIONS
from ..models.numpy_mlp import init_weights
from .record import TrainingRecord
from .sweep_graph import compiled_run, trace_count

__all__ = ["MAX_HIDDEN", "MAX_EPOCHS", "SweepTrainer", "trace_count"]

#: The width of the padded hidden layer; ``hidden_units`` may be 1 to 64.
MAX_HIDDEN = 64
#: The most epochs a run may have; ``epochs`` may be 1 to 100.
MAX_EPOCHS = 100


class SweepTrainer:
    """Train the article's network in one compiled call per run, with a cache.

    The cache is bounded twice: it keeps at most ``cache_size`` runs *and* at
    most ``cache_bytes`` bytes of recorded arrays, dropping the least
    recently used runs first. A run larger than ``cache_bytes`` on its own is
    returned but not kept.

    Args:
        X: float array ``(n_samples, n_features)``, the training data; as
            Keras's ``validation_split`` does, its last ``validation_split``
            fraction is held out for validation and never trained on.
        y: Binary labels ``(n_samples,)``.
        X_probe: Optional float array ``(n_probe, n_features)`` whose hidden
            activations and predictions are recorded after every epoch (the
            book uses the test set). Defaults to the validation part.
        y_probe: Optional labels of ``X_probe`` for the probe accuracy.
        validation_split: Fraction held out, in ``(0, 1)``.
        cache_size: How many runs to keep, at least 1.
        cache_bytes: How many bytes of runs to keep (default 64 MiB).
        dtype: ``"float64"`` (the default: the same digits on every CPU) or
            ``"float32"``.

    Example:
        >>> trainer = SweepTrainer(data.X_train, data.y_train,    # doctest: +SKIP
        ...                        X_probe=data.X_test, y_probe=data.y_test)
        >>> run = trainer.run(hidden_units=10, epochs=10)         # doctest: +SKIP
        >>> run.epoch_loss.shape, run.W1.shape                    # doctest: +SKIP
        ((10,), (11, 20, 10))
    """

    def __init__(
        self,
        X: Any,
        y: Any,
        *,
        X_probe: Any = None,
        y_probe: Any = None,
        validation_split: float = 0.2,
        cache_size: int = 32,
        cache_bytes: int = 64 * 2**20,
        dtype: str = "float64",
    ) -> None:
        self.dtype = check_choice(dtype, "dtype", ("float32", "float64"))
        # In float32, values beyond its range would overflow to inf.
        big = FLOAT32_MAX if self.dtype == "float32" else None
        X = check_matrix(X, "X", max_abs=big)
        y = check_labels(y, X.shape[0])
        validation_split = check_real(
            validation_split, "validation_split", low=0.0, low_open=True
        )
        if validation_split >= 1:
            raise ValueError(f"validation_split must be < 1, got {validation_split}")
        split = int(math.ceil(X.shape[0] * (1.0 - validation_split)))  # as Keras
        if split < 1 or split >= X.shape[0]:
            raise ValueError(
                "validation_split leaves no training or no validation sample"
            )
        self.n_features = int(X.shape[1])
        self.X_train = X[:split].astype(self.dtype)
        self.y_train = y[:split].astype(self.dtype)
        self.X_val = X[split:].astype(self.dtype)
        self.y_val = y[split:].astype(self.dtype)
        if X_probe is None:
            self.X_probe, self.y_probe = self.X_val, self.y_val
        else:
            self.X_probe = check_matrix(
                X_probe, "X_probe", n_features=self.n_features, max_abs=big
            ).astype(self.dtype)
            self.y_probe = (
                None
                if y_probe is None
                else check_labels(y_probe, self.X_probe.shape[0], "y_probe")
            )
        self.cache_size = check_int(cache_size, "cache_size", low=1)
        self.cache_bytes = check_int(cache_bytes, "cache_bytes", low=0)
        self._cache: OrderedDict[tuple, TrainingRecord] = OrderedDict()
        self._orders: dict[tuple[int, bool], np.ndarray] = {}
        self._tensors: tuple | None = None
        self.n_trained = 0  # runs that actually trained (cache misses)

    @property
    def n_traces(self) -> int:
        """How often the compiled functions were traced (:func:`trace_count`)."""
        return trace_count()

    @property
    def cached_bytes(self) -> int:
        """Bytes held by the cached runs."""
        return sum(run.nbytes for run in self._cache.values())

    def settings(
        self,
        *,
        hidden_units: int = 10,
        lr: float = 1e-3,
        epochs: int = 10,
        batch_size: int = 32,
        l2: float = 0.0,
        activation: str = "relu",
        seed: int = 0,
        shuffle: bool = True,
    ) -> dict[str, Any]:
        """Check the hyperparameters and return them as a dict.

        Raises:
            ValueError: If a value is out of range (``hidden_units`` 1-64,
                ``epochs`` 1-100, ``lr`` in (0, 1], ``l2`` >= 0,
                ``batch_size`` >= 1, ``seed`` >= 0) or ``activation`` unknown.
            TypeError: If a value has the wrong type.
        """
        return {
            "hidden_units": check_int(
                hidden_units, "hidden_units", low=1, high=MAX_HIDDEN
            ),
            "lr": check_real(lr, "lr", low=0.0, high=1.0, low_open=True),
            "epochs": check_int(epochs, "epochs", low=1, high=MAX_EPOCHS),
            "batch_size": check_int(batch_size, "batch_size", low=1),
            "l2": check_real(l2, "l2", low=0.0),
            "activation": check_choice(activation, "activation", ACTIVATIONS),
            "seed": check_int(seed, "seed", low=0),
            "shuffle": bool(shuffle),
        }

    def run(self, **settings: Any) -> TrainingRecord:
        """Train (or fetch from the cache) one run.

        Args:
            **settings: ``hidden_units``, ``lr``, ``epochs``, ``batch_size``,
                ``l2``, ``activation``, ``seed`` and ``shuffle`` (see
                :meth:`settings` for defaults and ranges). With
                ``shuffle=False`` the batches follow the data's order, as
                ``model.fit(..., shuffle=False)`` does.

        Returns:
            TrainingRecord: The recorded run: ``epoch_loss`` is Keras's
            training loss, ``history["val_loss"]`` the validation loss after
            each epoch (without the penalty), and the probe arrays are set.
        """
        s = self.settings(**settings)
        key = tuple((k, v) for k, v in sorted(s.items()) if k != "epochs")
        hit = self._cache.get(key)
        if hit is not None and hit.epochs >= s["epochs"]:
            self._cache.move_to_end(key)
            return hit if hit.epochs == s["epochs"] else hit.prefix(s["epochs"])
        result = self._train(s)
        self._cache[key] = result
        self._cache.move_to_end(key)
        while self._cache and (
            len(self._cache) > self.cache_size or self.cached_bytes > self.cache_bytes
        ):
            self._cache.popitem(last=False)
        return result

    def order(self, seed: int, shuffle: bool = True) -> np.ndarray:
        """The batch order: int32 ``(MAX_EPOCHS, n_train)``, one row per epoch."""
        key = (seed, shuffle)
        if key not in self._orders:
            n = self.X_train.shape[0]
            if shuffle:
                rng = np.random.default_rng([seed, 1])
                rows = [rng.permutation(n) for _ in range(MAX_EPOCHS)]
            else:
                rows = [np.arange(n)] * MAX_EPOCHS
            self._orders[key] = np.stack(rows).astype("int32")
        return self._orders[key]

    def initial_weights(self, hidden_units: int, seed: int) -> list[np.ndarray]:
        """The start of every run of ``seed``: ``[W1, b1, W2, b2]`` for Keras."""
        w = init_weights(
            self.n_features,
            hidden_units,
            seed=seed,
            max_hidden=MAX_HIDDEN,
            dtype=self.dtype,
        )
        return w.to_keras()

    def _train(self, s: dict[str, Any]) -> TrainingRecord:
        import tensorflow as tf

        if self._tensors is None:
            data = (self.X_train, self.y_train, self.X_val, self.y_val, self.X_probe)
            self._tensors = tuple(tf.constant(a) for a in data)
        h, f = s["hidden_units"], np.dtype(self.dtype).type
        W1, b1, W2, b2 = self.initial_weights(h, s["seed"])
        pad = MAX_HIDDEN - h
        args = [
            np.pad(W1, ((0, 0), (0, pad))),
            np.pad(b1, (0, pad)),
            np.pad(W2, ((0, pad), (0, 0))),
            b2,
            np.r_[np.ones(h), np.zeros(pad)].astype(self.dtype),
            f(s["lr"]),
            f(s["l2"]),
            np.int32(s["epochs"]),
            np.int32(s["batch_size"]),
            np.int32(ACTIVATIONS.index(s["activation"])),
            self.order(s["seed"], s["shuffle"]),
        ]
        fn = compiled_run(self.dtype, MAX_HIDDEN)
        kept, per_epoch = fn(*self._tensors, *(tf.constant(a) for a in args))
        self.n_trained += 1
        W1s, b1s, W2s, b2s, hid, proba = (k.numpy() for k in kept)
        epoch_loss, loss, val_loss = (p.numpy().astype(float) for p in per_epoch)
        if self.y_probe is not None:
            acc = ((proba > 0.5) == (self.y_probe[None, :] == 1)).mean(axis=1)
        else:
            acc = np.zeros(0)
        return TrainingRecord(
            W1s[:, :, :h],
            b1s[:, :h],
            W2s[:, :h, :],
            b2s,
            epoch_loss,
            history={"loss": loss, "val_loss": val_loss},
            steps_per_epoch=-(-self.X_train.shape[0] // s["batch_size"]),
            best_epoch=s["epochs"],
            settings=dict(s),
            probe_hidden=hid[:, :, :h],
            probe_proba=proba,
            probe_accuracy=acc,
        )
