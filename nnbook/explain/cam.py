"""Grad-CAM: where a convolutional layer sees evidence for a class.

Selvaraju, Cogswell, Das, Vedantam, Parikh & Batra (2017), "Grad-CAM:
Visual explanations from deep networks via gradient-based localization",
ICCV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..training.fit import model_dtype
from ._core import check_images, check_output, check_target, score_head
from .layers import conv_layer

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["grad_cam"]


# The attribution methods' one signature (see nnbook.explain): alike on purpose.
def grad_cam(
    model: keras.Model,
    X: Any,
    *,
    target: Any = None,
    output: str = "logit",
    layer: Any = None,
) -> np.ndarray:
    """Grad-CAM: a class-discriminative map from one convolutional layer.

    For the feature maps :math:`A^k` of ``layer`` and the class score
    :math:`y^c` (the logit, by default), each channel gets the weight
    :math:`\\alpha_k = \\frac{1}{Z}\\sum_{i,j} \\partial y^c / \\partial A^k_{ij}`
    and the map is :math:`\\mathrm{ReLU}(\\sum_k \\alpha_k A^k)`, then
    up-sampled bilinearly to the input's height and width.

    Args:
        model: A built Keras image classifier.
        X: float images of shape ``(n, h, w, c)`` matching the model.
        target: Class index for all images, int array of shape ``(n,)``, or
            ``None`` for the predicted class.
        output: ``"logit"`` (the class score, as in the paper) or
            ``"probability"``.
        layer: A convolutional layer (name, index or object); ``None``
            means the last convolutional layer, as in the paper.

    Returns:
        np.ndarray: float64 array shaped like ``X``: one non-negative map per
        image, of the input's height and width, repeated over the channels.

    Raises:
        ValueError: If ``X`` has the wrong shape, ``layer`` is not
            convolutional (the message lists the valid ones), or a target
            is out of range.
        TypeError: If ``layer`` or ``target`` has the wrong type.
    """
    import keras
    import tensorflow as tf

    X = check_images(model, X)
    conv = conv_layer(model, layer)
    t = check_target(model, target, X)
    tensor, to_score = score_head(model, check_output(output))
    sub = keras.Model(model.inputs[0], [conv.output, tensor])
    x = tf.constant(X.astype(model_dtype(model)))
    with tf.GradientTape() as tape:
        A, head = sub(x, training=False)
        tape.watch(A)
        picked = tf.gather(to_score(head), t, axis=1, batch_dims=1)
    grads = tape.gradient(picked, A)  # (n, h_l, w_l, k)
    alpha = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(alpha * A, axis=-1, keepdims=True))
    h, w, c = X.shape[1:]
    cam = tf.image.resize(cam, (h, w), method="bilinear")
    cam = np.maximum(np.asarray(cam, dtype=np.float64), 0.0)  # resize undershoots
    return np.repeat(cam, c, axis=-1)
