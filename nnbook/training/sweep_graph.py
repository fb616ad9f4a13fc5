"""The compiled function behind :class:`nnbook.training.SweepTrainer`.

One :func:`tf.function` trains the article's network for a whole run: the
epochs and the mini-batches are looped *inside* the graph, the
hyperparameters (``lr``, ``l2``, ``epochs``, ``batch_size`` and the
activation's index) are tensors, and the hidden layer is padded to
``max_hidden`` units with the unused ones masked, so no change of a
hyperparameter retraces. It is built once per dtype and process.

Adam follows Kingma & Ba (2015) exactly as Keras 3 implements it
(``epsilon=1e-7``); the training loss and its L2 penalty are Keras's.
"""

from __future__ import annotations

from typing import Any

from ..activations import ACTIVATIONS

__all__ = ["trace_count", "compiled_run"]

_TRACES = [0]  # incremented by Python code inside the tf.function: once per trace
_GRAPHS: dict[tuple[str, int], Any] = {}  # (dtype, max_hidden) -> the function


def trace_count() -> int:
    """How many times a compiled training function has been traced.

    Python code inside a :func:`tf.function` runs only while it is traced, so
    this counter stays the same across calls that reuse the graph.
    """
    return _TRACES[0]


def compiled_run(dtype: str, max_hidden: int) -> Any:
    """The whole-run training function for ``dtype``, built once (see module)."""
    key = (dtype, max_hidden)
    if key not in _GRAPHS:
        _GRAPHS[key] = _build(dtype, max_hidden)
    return _GRAPHS[key]


def _build(dtype: str, max_hidden: int) -> Any:
    import tensorflow as tf

    fx, i32, spec = tf.as_dtype(dtype), tf.int32, tf.TensorSpec
    acts = {
        "relu": tf.nn.relu,
        "tanh": tf.tanh,
        "sigmoid": tf.sigmoid,
        "elu": tf.nn.elu,
        "gelu": lambda z: tf.nn.gelu(z, approximate=False),
        "linear": tf.identity,
    }
    branches = [acts[name] for name in ACTIVATIONS]
    M = max_hidden

    @tf.function(
        input_signature=[
            spec([None, None], fx),  # X train
            spec([None], fx),  # y train
            spec([None, None], fx),  # X validation
            spec([None], fx),  # y validation
            spec([None, None], fx),  # X probe
            spec([None, M], fx),  # W1, padded
            spec([M], fx),  # b1
            spec([M, 1], fx),  # W2
            spec([1], fx),  # b2
            spec([M], fx),  # mask of the live hidden units
            spec([], fx),  # lr
            spec([], fx),  # l2
            spec([], i32),  # epochs
            spec([], i32),  # batch_size
            spec([], i32),  # activation index in ACTIVATIONS
            spec([None, None], i32),  # batch order, one row per epoch
        ]
    )
    def run(X, y, Xv, yv, Xp, W1, b1, W2, b2, mask, lr, l2, epochs, bs, act, order):
        _TRACES[0] += 1  # Python: runs only while tracing

        def forward(Xb, params):
            W1, b1, W2, b2 = params
            z = tf.matmul(Xb, W1) + b1
            a = tf.switch_case(act, [lambda f=f: f(z) for f in branches]) * mask
            return a, tf.matmul(a, W2)[:, 0] + b2[0]

        def bce(yb, logits):  # Keras uses the logits of a sigmoid output
            return tf.reduce_mean(
                tf.nn.sigmoid_cross_entropy_with_logits(labels=yb, logits=logits)
            )

        def write(tas, e, values):
            return [ta.write(e, v) for ta, v in zip(tas, values, strict=True)]

        def record(e, params, tas):
            a, logits = forward(Xp, params)
            return write(tas, e, [*params, a, tf.sigmoid(logits)])

        n = tf.shape(X)[0]
        n_batches = (n + bs - 1) // bs
        b1_, b2_, eps = 0.9, 0.999, 1e-7  # Python floats, as Keras casts them
        params = [W1, b1, W2, b2]
        ms = [tf.zeros_like(p) for p in params]
        vs = [tf.zeros_like(p) for p in params]
        step = tf.constant(0.0, fx)
        tas = [tf.TensorArray(fx, size=epochs + 1) for _ in range(6)]
        per_epoch = [tf.TensorArray(fx, size=epochs) for _ in range(3)]
        tas = record(0, params, tas)
        for e in tf.range(epochs):
            total = tf.constant(0.0, fx)
            for i in tf.range(n_batches):
                idx = order[e, i * bs : tf.minimum((i + 1) * bs, n)]
                Xb, yb = tf.gather(X, idx), tf.gather(y, idx)
                with tf.GradientTape() as tape:
                    tape.watch(params)
                    _, logits = forward(Xb, params)
                    penalty = l2 * tf.reduce_sum(tf.square(params[0] * mask))
                    loss = bce(yb, logits) + penalty
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
                total = total + loss * tf.cast(tf.shape(idx)[0], fx)
            _, logits_t = forward(X, params)
            _, logits_v = forward(Xv, params)
            per_epoch = write(
                per_epoch,
                e,
                [total / tf.cast(n, fx), bce(y, logits_t), bce(yv, logits_v)],
            )
            tas = record(e + 1, params, tas)
        return [ta.stack() for ta in tas], [ta.stack() for ta in per_epoch]

    return run
