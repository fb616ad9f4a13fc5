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
    check_count,
    check_images,
    check_target,
    input_shape,
    n_outputs,
    score_head,
)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["activation_maximization"]


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
        n_steps: Number of gradient steps, at least 1.
        lr: Adam's learning rate, positive.
        l2: Weight :math:`\\lambda` of the L2 penalty, non-negative. The
            default 1 is small next to a trained network's logits (tens),
            yet enough to keep pixels that do not raise the score at zero.
        value_range: ``(low, high)`` bounds of the pixels (``[0, 1]`` for the
            digits).
        seed: Seed of the starting noise (used only when ``X`` is ``None``).

    Returns:
        np.ndarray: float64 images shaped like ``X`` (or ``(n_targets, h, w,
        c)`` when ``X`` is ``None``).

    Raises:
        ValueError: If ``X`` has the wrong shape, a target is out of range or
            an option is out of range.
    """
    import keras
    import tensorflow as tf

    shape = input_shape(model)
    if len(shape) != 3:
        check_images(model, np.zeros((1, *shape)))  # the clear TypeError
    n_classes = n_outputs(model)
    n_steps = check_count(n_steps, "n_steps")
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    l2 = check_real(l2, "l2", low=0.0)
    seed = check_int(seed, "seed", low=0)
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
    tensor, to_score = score_head(model, "logit")
    sub = keras.Model(model.inputs[0], tensor)
    x = tf.Variable(X0.astype(model_dtype(model)))
    opt = keras.optimizers.Adam(learning_rate=lr)
    idx = tf.constant(t)

    @tf.function
    def step() -> None:
        with tf.GradientTape() as tape:
            scores = to_score(sub(x, training=False))
            s = tf.gather(scores, idx, axis=1, batch_dims=1)
            objective = s - l2 * tf.reduce_sum(tf.square(x), axis=(1, 2, 3))
            loss = -tf.reduce_sum(objective)
        opt.apply_gradients([(tape.gradient(loss, x), x)])
        x.assign(tf.clip_by_value(x, low, high))

    for _ in range(n_steps):
        step()
    return np.asarray(x.numpy(), dtype=np.float64)
