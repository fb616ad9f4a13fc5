"""A whole training run compiled once: the article's network at slider speed.

Rebuilding, compiling and fitting a new Keras model for every slider change
costs 1-2 s, almost all of it Keras overhead. :class:`FastTrainer` trains the
same network (``Dense(hidden_units, activation)`` then ``Dense(1, sigmoid)``,
binary cross-entropy, Adam) with one :func:`tf.function` that is traced once
per process and reused by every call:

- the epochs and the mini-batches are looped *inside* the graph;
- the hyperparameters (``lr``, ``l2``, ``epochs``, ``batch_size`` and the
  activation's index) are passed as tensors, not Python values;
- the hidden layer is padded to :data:`MAX_HIDDEN` units and the unused ones
  are masked, so changing ``hidden_units`` changes a tensor, not a shape.

So no change of a hyperparameter retraces (:func:`trace_count` proves it).
Each run records the weights after every epoch (index 0 is the
initialization) and the hidden activations on a probe set (the test data), so
a reader can replay training without retraining. Every run with the same
``seed`` starts from the same initial weights: Glorot-uniform draws (Keras's
default, Glorot & Bengio 2010) made once per seed for all 64 units and scaled
for the chosen width, with zero biases. Runs already computed are cached, and
a run of ``epochs`` is served from the cached prefix of a longer run with the
same settings (training is deterministic, so epoch ``k`` of a long run is the
run of ``k`` epochs).

Adam follows Kingma & Ba (2015) exactly as Keras 3 implements it
(``epsilon=1e-7``); the loss, its L2 penalty and the per-epoch averages are
Keras's, so with the same initial weights and batch order the losses agree
with ``model.fit`` (``tests/test_fasttrain.py``).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import check_choice, check_int, check_labels, check_matrix, check_real
from .models import ACTIVATIONS

__all__ = [
    "MAX_HIDDEN",
    "MAX_EPOCHS",
    "TrainingRun",
    "FastTrainer",
    "initial_weights",
    "hidden_activation",
    "trace_count",
]

#: The width of the padded hidden layer; ``hidden_units`` may be 1 to 64.
MAX_HIDDEN = 64
#: The most epochs a run may have; ``epochs`` may be 1 to 100.
MAX_EPOCHS = 100

_TRACES = [0]  # incremented by Python code inside the tf.function: once per trace
_GRAPH: list[Any] = []  # the compiled function, made on first use


def trace_count() -> int:
    """How many times the compiled training function has been traced.

    Python code inside a :func:`tf.function` runs only while it is traced, so
    this counter stays the same across calls that reuse the graph.
    """
    return _TRACES[0]


@dataclass(frozen=True)
class TrainingRun:
    """One training run, recorded after every epoch.

    Attributes:
        settings: The hyperparameters: ``hidden_units``, ``lr``, ``epochs``,
            ``batch_size``, ``l2``, ``activation``, ``seed``, ``shuffle``.
        W1: float32 ``(epochs + 1, n_features, hidden_units)``, the hidden
            kernel after each epoch; ``W1[0]`` is the initialization.
        b1: float32 ``(epochs + 1, hidden_units)``.
        W2: float32 ``(epochs + 1, hidden_units, 1)``, the output kernel.
        b2: float32 ``(epochs + 1, 1)``.
        loss: float ``(epochs,)``: mean training loss over each epoch's
            mini-batches, L2 penalty included (what Keras reports).
        val_loss: float ``(epochs,)``: validation loss after each epoch.
        probe_hidden: float32 ``(epochs + 1, n_probe, hidden_units)``: hidden
            activations on the probe set after each epoch.
        probe_proba: float32 ``(epochs + 1, n_probe)``: predicted
            probabilities of class 1 on the probe set.
        probe_accuracy: float ``(epochs + 1,)``: accuracy on the probe set
            (threshold 0.5, as Keras's binary accuracy), if labels were given.
    """

    settings: dict[str, Any]
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray
    probe_hidden: np.ndarray
    probe_proba: np.ndarray
    probe_accuracy: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def epochs(self) -> int:
        """The number of epochs trained."""
        return int(self.loss.shape[0])

    def weights(self, epoch: int | None = None) -> list[np.ndarray]:
        """The weights after ``epoch`` (default: the last), as Keras orders them.

        Args:
            epoch: 0 (the initialization) to :attr:`epochs`.

        Returns:
            list: ``[W1 (n_features, h), b1 (h,), W2 (h, 1), b2 (1,)]``, ready
            for ``model.set_weights`` on :func:`nnbook.models.build_seed_mlp`.
        """
        epoch = self.epochs if epoch is None else epoch
        epoch = check_int(epoch, "epoch", low=0, high=self.epochs)
        return [self.W1[epoch], self.b1[epoch], self.W2[epoch], self.b2[epoch]]

    def prefix(self, epochs: int) -> TrainingRun:
        """The same run cut after ``epochs`` epochs (a view, no copy)."""
        epochs = check_int(epochs, "epochs", low=1, high=self.epochs)
        e = epochs + 1
        return TrainingRun(
            {**self.settings, "epochs": epochs},
            self.W1[:e],
            self.b1[:e],
            self.W2[:e],
            self.b2[:e],
            self.loss[:epochs],
            self.val_loss[:epochs],
            self.probe_hidden[:e],
            self.probe_proba[:e],
            self.probe_accuracy[:e],
        )


def initial_weights(
    hidden_units: int, seed: int, n_features: int = 20
) -> list[np.ndarray]:
    """The fixed initialization of ``seed``, for a hidden layer of ``hidden_units``.

    Uniform draws in [-1, 1] are made once per seed for all
    :data:`MAX_HIDDEN` units, then scaled by the Glorot-uniform limit
    ``sqrt(6 / (fan_in + fan_out))`` of the chosen width (Keras's default
    initializer; Glorot & Bengio 2010). A narrower network therefore keeps the
    same draws for the units it shares with a wider one. Biases are zero.

    Args:
        hidden_units: 1 to :data:`MAX_HIDDEN`.
        seed: A non-negative integer.
        n_features: The number of inputs.

    Returns:
        list: ``[W1 (n_features, h), b1 (h,), W2 (h, 1), b2 (1,)]``, float32.
    """
    hidden_units = check_int(hidden_units, "hidden_units", low=1, high=MAX_HIDDEN)
    seed = check_int(seed, "seed", low=0)
    U1, U2 = _unit_draws(seed, n_features)
    h = hidden_units
    W1 = U1[:, :h] * math.sqrt(6.0 / (n_features + h))
    W2 = U2[:h] * math.sqrt(6.0 / (h + 1))
    return [
        W1.astype("float32"),
        np.zeros(h, "float32"),
        W2.astype("float32"),
        np.zeros(1, "float32"),
    ]


def _unit_draws(seed: int, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng([seed, n_features])
    U1 = rng.uniform(-1.0, 1.0, size=(n_features, MAX_HIDDEN))
    U2 = rng.uniform(-1.0, 1.0, size=(MAX_HIDDEN, 1))
    return U1, U2


def hidden_activation(z: np.ndarray, activation: str) -> np.ndarray:
    """The hidden activations in NumPy, as Keras computes them.

    Args:
        z: Pre-activations, any shape, float.
        activation: One of :data:`nnbook.models.ACTIVATIONS`.

    Returns:
        np.ndarray: ``activation(z)``, same shape.
    """
    activation = check_choice(activation, "activation", ACTIVATIONS)
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    if activation == "elu":
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))
    if activation == "gelu":
        from scipy.special import erf

        return 0.5 * z * (1.0 + erf(z / math.sqrt(2.0)))
    return z


def _graph() -> Any:
    """Build (once) the compiled whole-run training function."""
    if _GRAPH:
        return _GRAPH[0]
    import tensorflow as tf

    f32, i32 = tf.float32, tf.int32
    spec = tf.TensorSpec
    acts = {
        "relu": tf.nn.relu,
        "tanh": tf.tanh,
        "sigmoid": tf.sigmoid,
        "elu": tf.nn.elu,
        "gelu": lambda z: tf.nn.gelu(z, approximate=False),
        "linear": tf.identity,
    }
    branches = [acts[name] for name in ACTIVATIONS]

    @tf.function(
        input_signature=[
            spec([None, None], f32),  # X train
            spec([None], f32),  # y train
            spec([None, None], f32),  # X validation
            spec([None], f32),  # y validation
            spec([None, None], f32),  # X probe
            spec([None, MAX_HIDDEN], f32),  # W1, padded
            spec([MAX_HIDDEN], f32),  # b1
            spec([MAX_HIDDEN, 1], f32),  # W2
            spec([1], f32),  # b2
            spec([MAX_HIDDEN], f32),  # mask of the live hidden units
            spec([], f32),  # lr
            spec([], f32),  # l2
            spec([], i32),  # epochs
            spec([], i32),  # batch_size
            spec([], i32),  # activation index in ACTIVATIONS
            spec([None, None], i32),  # batch order, one row per epoch
        ]
    )
    def run(
        X,
        y,
        Xv,
        yv,
        Xp,
        W1,
        b1,
        W2,
        b2,
        mask,
        lr,
        l2,
        epochs,
        batch_size,
        act_idx,
        order,
    ):
        _TRACES[0] += 1  # Python: runs only while tracing

        def act(z):
            return tf.switch_case(act_idx, [lambda f=f: f(z) for f in branches])

        def forward(Xb, params):
            W1, b1, W2, b2 = params
            a = act(tf.matmul(Xb, W1) + b1) * mask
            return a, tf.matmul(a, W2)[:, 0] + b2[0]

        def penalty(W1):
            return l2 * tf.reduce_sum(tf.square(W1 * mask))

        def bce(yb, logits):  # Keras uses the logits of a sigmoid output
            return tf.reduce_mean(
                tf.nn.sigmoid_cross_entropy_with_logits(labels=yb, logits=logits)
            )

        n = tf.shape(X)[0]
        n_batches = (n + batch_size - 1) // batch_size
        b1_, b2_ = 0.9, 0.999
        eps = 1e-7
        params = [W1, b1, W2, b2]
        ms = [tf.zeros_like(p) for p in params]
        vs = [tf.zeros_like(p) for p in params]
        step = tf.constant(0.0)

        keep = [tf.TensorArray(f32, size=epochs + 1) for _ in range(4)]
        hid = tf.TensorArray(f32, size=epochs + 1)
        prob = tf.TensorArray(f32, size=epochs + 1)
        losses = tf.TensorArray(f32, size=epochs)
        val_losses = tf.TensorArray(f32, size=epochs)

        def record(e, params, keep, hid, prob):
            keep = [ta.write(e, p) for ta, p in zip(keep, params, strict=True)]
            a, logits = forward(Xp, params)
            return keep, hid.write(e, a), prob.write(e, tf.sigmoid(logits))

        keep, hid, prob = record(0, params, keep, hid, prob)
        for e in tf.range(epochs):
            total = tf.constant(0.0)
            for i in tf.range(n_batches):
                idx = order[e, i * batch_size : tf.minimum((i + 1) * batch_size, n)]
                Xb, yb = tf.gather(X, idx), tf.gather(y, idx)
                with tf.GradientTape() as tape:
                    tape.watch(params)
                    _, logits = forward(Xb, params)
                    loss = bce(yb, logits) + penalty(params[0])
                grads = tape.gradient(loss, params)
                step = step + 1.0
                alpha = lr * tf.sqrt(1.0 - b2_**step) / (1.0 - b1_**step)
                new_params, new_ms, new_vs = [], [], []
                for p, g, m, v in zip(params, grads, ms, vs, strict=True):
                    m = m + (g - m) * (1.0 - b1_)
                    v = v + (tf.square(g) - v) * (1.0 - b2_)
                    new_params.append(p - (m * alpha) / (tf.sqrt(v) + eps))
                    new_ms.append(m)
                    new_vs.append(v)
                params, ms, vs = new_params, new_ms, new_vs
                total = total + loss * tf.cast(tf.shape(idx)[0], f32)
            losses = losses.write(e, total / tf.cast(n, f32))
            _, logits_v = forward(Xv, params)
            val_losses = val_losses.write(e, bce(yv, logits_v) + penalty(params[0]))
            keep, hid, prob = record(e + 1, params, keep, hid, prob)
        return (
            [ta.stack() for ta in keep],
            losses.stack(),
            val_losses.stack(),
            hid.stack(),
            prob.stack(),
        )

    _GRAPH.append(run)
    return run


class FastTrainer:
    """Train the article's network in one compiled call per run, with a cache.

    Args:
        X: float array ``(n_samples, n_features)``, the training data; as
            Keras's ``validation_split`` does, its last ``validation_split``
            fraction is held out for validation and never trained on.
        y: Binary labels ``(n_samples,)``.
        X_probe: Optional float array ``(n_probe, n_features)`` whose hidden
            activations and predictions are recorded after every epoch (the
            book uses the test set). Defaults to the validation part.
        y_probe: Optional labels of ``X_probe``, for :attr:`TrainingRun.probe_accuracy`.
        validation_split: Fraction held out, in ``(0, 1)``.
        cache_size: How many runs to keep (least recently used are dropped).

    Example:
        >>> trainer = FastTrainer(data.X_train, data.y_train,     # doctest: +SKIP
        ...                       X_probe=data.X_test, y_probe=data.y_test)
        >>> run = trainer.run(hidden_units=10, epochs=10)         # doctest: +SKIP
        >>> run.loss.shape, run.W1.shape                          # doctest: +SKIP
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
    ) -> None:
        X = check_matrix(X, "X")
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
        self.X_train = X[:split].astype("float32")
        self.y_train = y[:split].astype("float32")
        self.X_val = X[split:].astype("float32")
        self.y_val = y[split:].astype("float32")
        if X_probe is None:
            self.X_probe, self.y_probe = self.X_val, self.y_val
        else:
            self.X_probe = check_matrix(
                X_probe, "X_probe", n_features=self.n_features
            ).astype("float32")
            self.y_probe = (
                None
                if y_probe is None
                else check_labels(y_probe, self.X_probe.shape[0], "y_probe")
            )
        self.cache_size = check_int(cache_size, "cache_size", low=1)
        self._cache: OrderedDict[tuple, TrainingRun] = OrderedDict()
        self._orders: dict[tuple[int, bool], np.ndarray] = {}
        self._tensors: tuple | None = None
        self.n_trained = 0  # runs that actually trained (cache misses)

    @property
    def n_traces(self) -> int:
        """How often the shared compiled function was traced (:func:`trace_count`)."""
        return trace_count()

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

    def run(self, **settings: Any) -> TrainingRun:
        """Train (or fetch from the cache) one run.

        Args:
            **settings: ``hidden_units``, ``lr``, ``epochs``, ``batch_size``,
                ``l2``, ``activation``, ``seed`` and ``shuffle`` (see
                :meth:`settings` for defaults and ranges). With
                ``shuffle=False`` the batches follow the data's order, as
                ``model.fit(..., shuffle=False)`` does.

        Returns:
            TrainingRun: The recorded run.
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
        while len(self._cache) > self.cache_size:
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

    def _train(self, s: dict[str, Any]) -> TrainingRun:
        import tensorflow as tf

        if self._tensors is None:
            self._tensors = tuple(
                tf.constant(a)
                for a in (
                    self.X_train,
                    self.y_train,
                    self.X_val,
                    self.y_val,
                    self.X_probe,
                )
            )
        h = s["hidden_units"]
        W1, b1, W2, b2 = initial_weights(h, s["seed"], self.n_features)
        pad = MAX_HIDDEN - h
        mask = np.r_[np.ones(h), np.zeros(pad)].astype("float32")
        args = [
            np.pad(W1, ((0, 0), (0, pad))),
            np.pad(b1, (0, pad)),
            np.pad(W2, ((0, pad), (0, 0))),
            b2,
            mask,
            np.float32(s["lr"]),
            np.float32(s["l2"]),
            np.int32(s["epochs"]),
            np.int32(s["batch_size"]),
            np.int32(ACTIVATIONS.index(s["activation"])),
            self.order(s["seed"], s["shuffle"]),
        ]
        kept, loss, val_loss, hid, prob = _graph()(
            *self._tensors, *(tf.constant(a) for a in args)
        )
        self.n_trained += 1
        W1s, b1s, W2s, b2s = (k.numpy() for k in kept)
        proba = prob.numpy()
        if self.y_probe is not None:
            acc = ((proba > 0.5) == (self.y_probe[None, :] == 1)).mean(axis=1)
        else:
            acc = np.zeros(0)
        return TrainingRun(
            dict(s),
            W1s[:, :, :h],
            b1s[:, :h],
            W2s[:, :h, :],
            b2s,
            loss.numpy().astype(float),
            val_loss.numpy().astype(float),
            hid.numpy()[:, :, :h],
            proba,
            acc,
        )
