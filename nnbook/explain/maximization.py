"""Activation maximization: an input the network scores as a class.

Erhan, Bengio, Courville & Vincent (2009), "Visualizing higher-layer
features of a deep network", Univ. Montreal tech. report 1341; Simonyan,
Vedaldi & Zisserman (2014), "Deep inside convolutional networks:
visualising image classification models and saliency maps", ICLR workshop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int, check_real
from ..training.fit import model_dtype
from ._core import (
    _compiled,
    check_images,
    check_target,
    input_shape,
    n_outputs,
    score_head,
)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["activation_maximization"]

#: Most gradient steps (each is a forward and backward pass of the model).
MAX_STEPS = 100_000


def activation_maximization(
    model: keras.Model,
    X: Any = None,
    *,
    target: Any = None,
    n_steps: int = 200,
    lr: float = 0.05,
    l2: float = 1.0,
    value_range: tuple[float, float] = (0.0, 1.0),
    seed: int = 0,
) -> np.ndarray:
    """Activation maximization: an input that the network scores as the class.

    Gradient ascent (Adam) on the input to maximize the class score (logit)
    minus a small L2 penalty, :math:`S_c(x) - \\lambda \\lVert x \\rVert^2`,
    keeping the pixels inside ``value_range`` after each step. The result
    shows what the network responds to, not what a digit looks like.

    References:
        Erhan, Bengio, Courville & Vincent (2009), Visualizing higher-layer
        features of a deep network. Univ. Montreal tech. report 1341.
        Simonyan, Vedaldi & Zisserman (2014), Deep inside convolutional
        networks: visualising image classification models and saliency maps.
        ICLR workshop.

    Args:
        model: A built Keras image classifier (softmax outputs).
        X: Starting images of shape ``(n, h, w, c)``; ``None`` starts from a
            flat grey image plus a little noise drawn with ``seed``, one per
            target.
        target: Class index for all images, int array of shape ``(n,)``, or
            ``None``: every class in order when ``X`` is ``None``, else the
            class predicted for ``X``.
        n_steps: Number of gradient steps, in ``[1, MAX_STEPS]``.
        lr: Adam's learning rate, positive.
        l2: Weight :math:`\\lambda` of the L2 penalty, non-negative. The
            default 1 is small next to a trained network's logits (tens),
            yet enough to keep pixels that do not raise the score at zero.
        value_range: ``(low, high)`` bounds of the pixels (``[0, 1]`` for the
            digits).
        seed: Seed of the starting noise (used only when ``X`` is ``None``).

    The compiled ascent is built once per model and cached with it (weakly,
    in the explanation cache), so repeated calls neither retrace nor grow
    memory.

    Returns:
        np.ndarray: float64 images shaped like ``X`` (or ``(n_targets, h, w,
        c)`` when ``X`` is ``None``).

    Raises:
        ValueError: If ``X`` has the wrong shape, a target is out of range or
            an option is out of range.
    """
    shape = input_shape(model)
    if len(shape) != 3:
        check_images(model, np.zeros((1, *shape)))  # the clear TypeError
    n_classes = n_outputs(model)
    n_steps = check_int(
        n_steps, "n_steps", low=1, high=MAX_STEPS, why="each step is a model pass"
    )
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    l2 = check_real(l2, "l2", low=0.0)
    seed = check_int(seed, "seed", low=0)
    if (
        isinstance(value_range, str)
        or np.ndim(value_range) != 1
        or len(value_range) != 2
    ):
        raise ValueError(
            f"value_range must be a pair (low, high) such as (0.0, 1.0), got "
            f"{value_range!r}"
        )
    low, high = (check_real(v, "value_range") for v in value_range)
    if not low < high:
        raise ValueError(
            f"value_range must be (low, high) with low < high, got {value_range}"
        )
    if X is None:
        if target is None:
            t = np.arange(n_classes)
        else:
            t = np.atleast_1d(np.asarray(target))
            t = check_target(model, t, np.zeros((len(t), *shape)))
        rng = np.random.default_rng(seed)
        mid = (low + high) / 2
        X0 = mid + 0.01 * (high - low) * rng.standard_normal((len(t), *shape))
        X0 = np.clip(X0, low, high)
    else:
        X0 = check_images(model, X)
        t = check_target(model, target, X0)
    dtype = model_dtype(model)
    run = _compiled(model, "activation_maximization", lambda: _make_run(model))
    x = run(
        X0.astype(dtype),
        np.asarray(t, dtype=np.int32),
        np.int32(n_steps),
        *(np.asarray(v, dtype=dtype) for v in (lr, l2, low, high)),
    )
    return np.asarray(x.numpy(), dtype=np.float64)


# Adam's constants, as keras.optimizers.Adam's defaults.
_BETA_1, _BETA_2, _EPSILON = 0.9, 0.999, 1e-7


def _make_run(model: keras.Model) -> Any:
    """One compiled ascent for ``model``: traced once, reused by every call.

    Adam (Kingma & Ba, 2015) is written out in the graph, with Keras's
    update rule and defaults, so no optimizer, sub-model or variable is made
    per call; the function lives in the model's weak entry of the
    explanation cache (:mod:`nnbook.explain._core`), and goes with the model.
    """
    import keras
    import tensorflow as tf

    tensor, to_score = score_head(model, "logit")
    sub = keras.Model(model.inputs[0], tensor)
    dtype = model_dtype(model)
    scalar = tf.TensorSpec([], dtype)
    signature = [
        tf.TensorSpec((None, *input_shape(model)), dtype),
        tf.TensorSpec((None,), tf.int32),
        tf.TensorSpec([], tf.int32),
        scalar,
        scalar,
        scalar,
        scalar,
    ]

    def run(x, idx, n_steps, lr, l2, low, high):
        b1 = tf.constant(_BETA_1, dtype)
        b2 = tf.constant(_BETA_2, dtype)
        eps = tf.constant(_EPSILON, dtype)
        m = tf.zeros_like(x)
        v = tf.zeros_like(x)
        for i in tf.range(n_steps):
            with tf.GradientTape() as tape:
                tape.watch(x)
                scores = to_score(sub(x, training=False))
                s = tf.gather(scores, idx, axis=1, batch_dims=1)
                objective = s - l2 * tf.reduce_sum(tf.square(x), axis=(1, 2, 3))
                loss = -tf.reduce_sum(objective)
            g = tape.gradient(loss, x)
            step = tf.cast(i + 1, dtype)
            lr_t = lr * tf.sqrt(1 - tf.pow(b2, step)) / (1 - tf.pow(b1, step))
            m = m + (g - m) * (1 - b1)
            v = v + (tf.square(g) - v) * (1 - b2)
            x = x - lr_t * m / (tf.sqrt(v) + eps)
            x = tf.clip_by_value(x, low, high)
        return x

    return tf.function(run, input_signature=signature)
