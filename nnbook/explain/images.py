"""Explanations for image classifiers: Grad-CAM, occlusion, class models, deletion.

These methods need images, not table rows: ``X`` is a float array of shape
``(n, height, width, channels)`` matching the model's input, and every
attribution method keeps the shared signature::

    method(model, X, *, target=None, **options) -> np.ndarray  # shaped like X

``target`` is a class index (one for all images, or one per image); ``None``
means the class the model predicts. Grad-CAM and activation maximization use
the class *score*, the logit (the input of a final ``Softmax`` layer), as in
their papers; occlusion and the deletion curve use the class *probability*
(the model's output), like the general methods of :mod:`nnbook.explain`.

References:
    Selvaraju et al. (2017), Grad-CAM: Visual explanations from deep networks
    via gradient-based localization. ICCV.
    Zeiler & Fergus (2014), Visualizing and understanding convolutional
    networks. ECCV.
    Erhan, Bengio, Courville & Vincent (2009), Visualizing higher-layer
    features of a deep network. Univ. Montreal tech. report 1341.
    Simonyan, Vedaldi & Zisserman (2014), Deep inside convolutional networks:
    visualising image classification models and saliency maps. ICLR workshop.
    Petsiuk, Das & Saenko (2018), RISE: Randomized input sampling for
    explanation of black-box models. BMVC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_int, check_real
from ._core import check_inputs, check_target, forward, input_shape

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "DeletionCurve",
    "activation_maximization",
    "conv_feature_maps",
    "conv_layer_names",
    "deletion_curve",
    "grad_cam",
    "patch_occlusion",
]


# --------------------------------------------------------------------------
# private helpers
# --------------------------------------------------------------------------
def _input_shape(model: Any) -> tuple[int, ...]:
    """The model's image shape ``(h, w, c)``, or a clear ``TypeError``."""
    shape = input_shape(model)  # a built Keras model with one fixed input
    if len(shape) != 3:
        raise TypeError(
            "model must take images of shape (height, width, channels), "
            f"its input has shape {shape}"
        )
    return shape


def _check_images(model: Any, X: Any, name: str = "X") -> np.ndarray:
    """``X`` as float32 ``(n, h, w, c)`` matching the model, or a clear error.

    Adds the image-specific shape messages (a single image, a batch of the
    wrong size) to :func:`nnbook.explain._core.check_inputs`, which does the
    rest (numbers only, at least one sample, finite values).
    """
    shape = _input_shape(model)
    arr_shape = np.shape(X)
    expected = "(n_images, " + ", ".join(str(s) for s in shape) + ")"
    if tuple(arr_shape) == shape:
        raise ValueError(
            f"{name} must be a batch of images of shape {expected}, got a single "
            f"image of shape {arr_shape}; pass X[None] or X[i:i + 1]"
        )
    if len(arr_shape) != 4 or tuple(arr_shape[1:]) != shape:
        raise ValueError(
            f"{name} must be a batch of images of shape {expected}, "
            f"got shape {arr_shape}"
        )
    return check_inputs(model, X, name).astype("float32")


def _score_tensor(model: Any) -> Any:
    """The model's class scores: the logits feeding a final Softmax, else outputs."""
    import keras

    last = model.layers[-1]
    if isinstance(last, keras.layers.Softmax):
        return last.input
    return model.outputs[0]


def _n_classes(model: Any) -> int:
    return int(model.outputs[0].shape[-1])


def _targets(model: Any, X: np.ndarray, target: Any) -> np.ndarray:
    """One class index per image (``None``: the predicted class), checked."""
    return check_target(model, target, X).astype(int)


def conv_layer_names(model: Any) -> list[str]:
    """Names of the model's 2-D convolutional layers, input to output.

    Args:
        model: A built Keras model.

    Returns:
        list[str]: For :func:`nnbook.models.build_digits_cnn`,
        ``["conv1", "conv2"]``.
    """
    import keras

    convs = (
        keras.layers.Conv2D,
        keras.layers.DepthwiseConv2D,
        keras.layers.SeparableConv2D,
    )
    return [layer.name for layer in model.layers if isinstance(layer, convs)]


def _conv_layer(model: Any, layer: Any) -> Any:
    names = conv_layer_names(model)
    if not names:
        raise ValueError("model has no 2-D convolutional layer")
    if layer is None:
        return model.get_layer(names[-1])
    name = layer if isinstance(layer, str) else getattr(layer, "name", None)
    if not isinstance(name, str):
        raise TypeError(
            f"layer must be a layer name (str) or a Keras layer, "
            f"got {type(layer).__name__}"
        )
    if name not in names:
        raise ValueError(
            f"layer must be a convolutional layer, one of {names}; got {name!r}"
        )
    return model.get_layer(name)


# --------------------------------------------------------------------------
# feature maps
# --------------------------------------------------------------------------
def conv_feature_maps(
    model: keras.Model, X: Any, *, layers: list[str] | None = None
) -> dict[str, np.ndarray]:
    """The activations (feature maps) of convolutional layers for some images.

    Args:
        model: A built Keras image classifier.
        X: float images of shape ``(n, h, w, c)`` matching the model.
        layers: Names of convolutional layers; ``None`` means all of them
            (:func:`conv_layer_names`).

    Returns:
        dict[str, np.ndarray]: For each layer name, float32 maps of shape
        ``(n, h_l, w_l, channels_l)`` (after the layer's activation).

    Raises:
        ValueError: If ``X`` has the wrong shape or a layer is not
            convolutional (the message lists the valid ones).
    """
    import keras

    X = _check_images(model, X)
    names = conv_layer_names(model) if layers is None else list(layers)
    outs = [_conv_layer(model, name).output for name in names]
    sub = keras.Model(model.inputs[0], outs)
    maps = sub(X, training=False)
    if len(names) == 1:
        maps = [maps]
    return {n: np.asarray(m, dtype="float32") for n, m in zip(names, maps, strict=True)}


# --------------------------------------------------------------------------
# Grad-CAM
# --------------------------------------------------------------------------
def grad_cam(
    model: keras.Model,
    X: Any,
    *,
    target: Any = None,
    layer: str | Any = None,
) -> np.ndarray:
    """Grad-CAM: where a convolutional layer sees evidence for the class.

    For the feature maps :math:`A^k` of ``layer`` and the class score
    :math:`y^c` (the logit), each channel gets the weight
    :math:`\\alpha_k = \\frac{1}{Z}\\sum_{i,j} \\partial y^c / \\partial A^k_{ij}`
    and the map is :math:`\\mathrm{ReLU}(\\sum_k \\alpha_k A^k)`, then
    up-sampled bilinearly to the input's height and width.

    References:
        Selvaraju, Cogswell, Das, Vedantam, Parikh & Batra (2017), Grad-CAM:
        Visual explanations from deep networks via gradient-based
        localization. ICCV.

    Args:
        model: A built Keras image classifier (softmax outputs).
        X: float images of shape ``(n, h, w, c)`` matching the model.
        target: Class index for all images, int array of shape ``(n,)``, or
            ``None`` for the predicted class.
        layer: Name (or layer object) of a convolutional layer; ``None``
            means the last convolutional layer, as in the paper.

    Returns:
        np.ndarray: float32 array shaped like ``X``: one non-negative map per
        image, of the input's height and width, repeated over the channels.

    Raises:
        ValueError: If ``X`` has the wrong shape, ``layer`` is not
            convolutional (the message lists the valid ones), or a target
            is out of range.
        TypeError: If ``layer`` or ``target`` has the wrong type.
    """
    import keras
    import tensorflow as tf

    X = _check_images(model, X)
    conv = _conv_layer(model, layer)
    t = _targets(model, X, target)
    sub = keras.Model(model.inputs[0], [conv.output, _score_tensor(model)])
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        A, scores = sub(x, training=False)
        picked = tf.gather(scores, t, axis=1, batch_dims=1)
    grads = tape.gradient(picked, A)  # (n, h_l, w_l, k)
    alpha = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(alpha * A, axis=-1, keepdims=True))
    h, w, c = X.shape[1:]
    cam = tf.image.resize(cam, (h, w), method="bilinear")
    cam = np.maximum(np.asarray(cam, dtype="float32"), 0.0)  # resize can undershoot
    return np.repeat(cam, c, axis=-1)


# --------------------------------------------------------------------------
# occlusion
# --------------------------------------------------------------------------
def patch_occlusion(
    model: keras.Model,
    X: Any,
    *,
    target: Any = None,
    patch: int = 2,
    stride: int = 1,
    baseline: float = 0.0,
) -> np.ndarray:
    """Occlusion with a sliding patch: how much the class probability drops.

    A ``patch x patch`` square slides over the image with step ``stride``;
    each position replaces the pixels under it with ``baseline`` and records
    the drop of the target class's probability. A pixel's attribution is the
    mean drop over all positions that cover it. Positive values mark pixels
    whose removal hurts the class; negative values mark pixels that argue
    against it.

    References:
        Zeiler & Fergus (2014), Visualizing and understanding convolutional
        networks. ECCV.

    Args:
        model: A built Keras image classifier (softmax outputs).
        X: float images of shape ``(n, h, w, c)`` matching the model.
        target: Class index for all images, int array of shape ``(n,)``, or
            ``None`` for the predicted class.
        patch: Side of the square patch in pixels, at least 1.
        stride: Step between patch positions in pixels, at least 1.
        baseline: The value written under the patch (the background; 0 for
            the digits).

    Returns:
        np.ndarray: float32 signed array shaped like ``X`` (the same value on
        every channel of a pixel).

    Raises:
        ValueError: If ``X`` has the wrong shape, the patch does not fit, or
            a target is out of range.
    """
    X = _check_images(model, X)
    n, h, w, c = X.shape
    patch = check_int(patch, "patch", low=1, high=min(h, w))
    stride = check_int(stride, "stride", low=1)
    baseline = check_real(baseline, "baseline")
    t = _targets(model, X, target)
    p0 = forward(model, X)[np.arange(n), t]
    rows = list(range(0, h - patch + 1, stride))
    cols = list(range(0, w - patch + 1, stride))
    if rows[-1] != h - patch:
        rows.append(h - patch)
    if cols[-1] != w - patch:
        cols.append(w - patch)
    positions = [(r, q) for r in rows for q in cols]
    copies = np.repeat(X[:, None], len(positions), axis=1)  # (n, P, h, w, c)
    for k, (r, q) in enumerate(positions):
        copies[:, k, r : r + patch, q : q + patch, :] = baseline
    probs = forward(model, copies.reshape(-1, h, w, c)).reshape(n, len(positions), -1)
    drop = p0[:, None] - np.take_along_axis(probs, t[:, None, None], axis=2)[..., 0]
    total = np.zeros((n, h, w), dtype="float64")
    count = np.zeros((h, w), dtype="float64")
    for k, (r, q) in enumerate(positions):
        total[:, r : r + patch, q : q + patch] += drop[:, k, None, None]
        count[r : r + patch, q : q + patch] += 1
    attr = (total / count).astype("float32")
    return np.repeat(attr[..., None], c, axis=-1)


# --------------------------------------------------------------------------
# activation maximization
# --------------------------------------------------------------------------
def activation_maximization(
    model: keras.Model,
    X: Any = None,
    *,
    target: Any = None,
    steps: int = 200,
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
        steps: Number of gradient steps, at least 1.
        lr: Adam's learning rate, positive.
        l2: Weight :math:`\\lambda` of the L2 penalty, non-negative. The
            default 1 is small next to a trained network's logits (tens),
            yet enough to keep pixels that do not raise the score at zero.
        value_range: ``(low, high)`` bounds of the pixels (``[0, 1]`` for the
            digits).
        seed: Seed of the starting noise (used only when ``X`` is ``None``).

    Returns:
        np.ndarray: float32 images shaped like ``X`` (or ``(n_targets, h, w,
        c)`` when ``X`` is ``None``).

    Raises:
        ValueError: If ``X`` has the wrong shape, a target is out of range or
            an option is out of range.
    """
    import keras
    import tensorflow as tf

    shape = _input_shape(model)
    n_classes = _n_classes(model)
    steps = check_int(steps, "steps", low=1)
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
            t = check_target(model, t, np.zeros((len(t), *shape))).astype(int)
        rng = np.random.default_rng(seed)
        mid = (low + high) / 2
        X0 = mid + 0.01 * (high - low) * rng.standard_normal((len(t), *shape))
        X0 = np.clip(X0, low, high).astype("float32")
    else:
        X0 = _check_images(model, X)
        t = _targets(model, X0, target)
    scorer = keras.Model(model.inputs[0], _score_tensor(model))
    x = tf.Variable(X0)
    opt = keras.optimizers.Adam(learning_rate=lr)
    idx = tf.constant(t)

    @tf.function
    def step() -> None:
        with tf.GradientTape() as tape:
            s = tf.gather(scorer(x, training=False), idx, axis=1, batch_dims=1)
            objective = s - l2 * tf.reduce_sum(tf.square(x), axis=(1, 2, 3))
            loss = -tf.reduce_sum(objective)
        opt.apply_gradients([(tape.gradient(loss, x), x)])
        x.assign(tf.clip_by_value(x, low, high))

    for _ in range(steps):
        step()
    return np.asarray(x.numpy(), dtype="float32")


# --------------------------------------------------------------------------
# deletion curve
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class DeletionCurve:
    """The result of :func:`deletion_curve`.

    Attributes:
        fraction: float array of shape ``(n_steps + 1,)``: the fraction of
            pixels removed, from 0 to 1.
        prob: float array of shape ``(n, n_steps + 1)``: the target class's
            probability for each image after each deletion step.
        curve: float array of shape ``(n_steps + 1,)``: ``prob`` averaged over
            the images.
        auc: The area under ``curve`` (trapezoid rule over ``fraction``);
            lower means the attribution found the evidence faster.
        auc_per_image: float array of shape ``(n,)``.
        order: ``"attribution"`` or ``"random"``.
    """

    fraction: np.ndarray
    prob: np.ndarray
    curve: np.ndarray
    auc: float
    auc_per_image: np.ndarray
    order: str


def _trapezoid(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return ((y[..., 1:] + y[..., :-1]) / 2 * np.diff(x)).sum(axis=-1)


def deletion_curve(
    model: keras.Model,
    X: Any,
    attribution: Any = None,
    *,
    target: Any = None,
    background: float = 0.0,
    n_steps: int | None = None,
    seed: int | None = None,
) -> DeletionCurve:
    """Deletion metric: remove pixels in attribution order, watch the class fall.

    Pixels are ranked by their attribution (summed over channels, largest
    first) and replaced, a few at a time, by ``background``; after each step
    the target class's probability is recorded. A faithful attribution ranks
    the evidence first, so the probability falls fast and the area under the
    curve (AUC) is small. With ``attribution=None`` the pixels are removed in
    a random order drawn with ``seed``: the baseline every method must beat.

    References:
        Petsiuk, Das & Saenko (2018), RISE: Randomized input sampling for
        explanation of black-box models. BMVC (the deletion metric).

    Args:
        model: A built Keras image classifier (softmax outputs).
        X: float images of shape ``(n, h, w, c)`` matching the model.
        attribution: Array shaped like ``X`` (any method's output), or
            ``None`` for a random order.
        target: Class index for all images, int array of shape ``(n,)``, or
            ``None`` for the class predicted on the intact image.
        background: The value a removed pixel takes (0, black, for the
            digits: their background).
        n_steps: Number of deletion steps from no pixel to all pixels;
            ``None`` removes one pixel per step.
        seed: Seed of the random order (and of tie-breaking between equal
            attributions). ``None`` means 0.

    Returns:
        DeletionCurve: Fractions removed, per-image probabilities, the mean
        curve and its AUC.

    Raises:
        ValueError: If ``X`` or ``attribution`` has the wrong shape, a target
            is out of range, or ``n_steps`` is out of range.
    """
    X = _check_images(model, X)
    n, h, w, c = X.shape
    n_pixels = h * w
    n_steps = (
        n_pixels
        if n_steps is None
        else check_int(n_steps, "n_steps", low=1, high=n_pixels)
    )
    background = check_real(background, "background")
    seed = 0 if seed is None else check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    t = _targets(model, X, target)
    tie = rng.random((n, n_pixels))  # random tie-breaking, also the random order
    if attribution is None:
        order = np.argsort(tie, axis=1)
        kind = "random"
    else:
        A = np.asarray(attribution, dtype="float64")
        if A.shape != X.shape:
            raise ValueError(
                f"attribution must be shaped like X {X.shape}, got {A.shape}"
            )
        if not np.all(np.isfinite(A)):
            raise ValueError("attribution holds NaN or infinite values")
        score = A.sum(axis=-1).reshape(n, n_pixels)
        order = np.lexsort((tie, -score), axis=1)
        kind = "attribution"
    counts = np.round(np.linspace(0, n_pixels, n_steps + 1)).astype(int)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n_pixels)[None, :], axis=1)
    # removed[i, s, p]: pixel p of image i is removed at step s
    removed = rank[:, None, :] < counts[None, :, None]
    flat = np.repeat(X.reshape(n, 1, n_pixels, c), n_steps + 1, axis=1)
    flat[removed] = background
    probs = forward(model, flat.reshape(-1, h, w, c)).reshape(n, n_steps + 1, -1)
    prob = np.take_along_axis(probs, t[:, None, None], axis=2)[..., 0]
    fraction = counts / n_pixels
    curve = prob.mean(axis=0)
    return DeletionCurve(
        fraction=fraction,
        prob=prob,
        curve=curve,
        auc=float(_trapezoid(curve, fraction)),
        auc_per_image=_trapezoid(prob, fraction),
        order=kind,
    )
