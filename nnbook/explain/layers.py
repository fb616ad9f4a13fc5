"""What a model's layers compute: outputs, hidden activations, feature maps.

Every function resolves ``layer=`` the one way of
:func:`nnbook.explain._core.resolve_layer` (a name, an index or a layer
object) and returns float64 arrays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_real, check_sequence
from ._core import (
    check_images,
    check_inputs,
    check_output,
    check_target,
    forward,
    layer_forward,
    resolve_layer,
)

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "model_output",
    "hidden_activations",
    "dead_units",
    "dead_mask",
    "conv_layer_names",
    "conv_feature_maps",
]


def model_output(
    model: keras.Model, X: Any, *, target: Any = None, output: str = "logit"
) -> np.ndarray:
    """The explained quantity ``F(x)``: the target's logit (or probability).

    With the defaults it is the quantity every attribution method explains,
    so that, for example, integrated gradients sum to
    ``model_output(model, X) - model_output(model, baseline)``.

    Args:
        model: A Keras model with one input.
        X: float array ``(n, *input_shape)``.
        target: ``None``, one class index, or one per sample.
        output: ``"logit"`` (the default of the attribution methods) or
            ``"probability"``.

    Returns:
        np.ndarray: float64 ``(n,)``.
    """
    X = check_inputs(model, X)
    t = check_target(model, target, X)
    return forward(model, X, output=check_output(output))[np.arange(X.shape[0]), t]


def hidden_activations(
    model: keras.Model, X: Any, *, layer: Any = "hidden"
) -> np.ndarray:
    """The activations of one layer for every sample.

    Args:
        model: A Keras model with one input.
        X: float array ``(n, *input_shape)``.
        layer: A layer name (``"hidden"`` in :func:`nnbook.models.build_seed_mlp`),
            an index into ``model.layers``, or a layer object.

    Returns:
        np.ndarray: float64 ``(n, *layer_output_shape)``, e.g. ``(n, 10)``.

    Raises:
        ValueError: For an unknown layer (the valid names are listed) or a
            badly shaped ``X``.
    """
    X = check_inputs(model, X)
    return layer_forward(model, resolve_layer(model, layer), X)


def dead_units(
    model: keras.Model, X: Any, *, layer: Any = "hidden", tol: float = 1e-6
) -> np.ndarray:
    """Which units of a layer are dead on ``X``: constant over every sample.

    A dead unit outputs the same value for every input (a ReLU unit that is
    never positive outputs 0 everywhere), so it passes no information on.
    For a convolution, a channel is dead if it is constant over every sample
    and every position. Count them with ``.sum()``.

    Args:
        model: A Keras model with one input.
        X: float array ``(n, *input_shape)``.
        layer: A layer name, index or object.
        tol: The largest spread (max minus min) still called constant.

    Returns:
        np.ndarray: bool ``(n_units,)``; True where the unit is dead.
    """
    return dead_mask(hidden_activations(model, X, layer=layer), tol=tol)


def dead_mask(activations: Any, *, tol: float = 1e-6) -> np.ndarray:
    """Which units of recorded activations are dead: constant over every sample.

    The one definition behind :func:`dead_units`, for activations already
    computed (an explorer's NumPy replay, for example).

    Args:
        activations: float ``(n, ..., n_units)``, units on the last axis.
        tol: The largest spread (max minus min) still called constant.

    Returns:
        np.ndarray: bool ``(n_units,)``.
    """
    tol = check_real(tol, "tol", low=0.0)
    acts = np.asarray(activations, dtype=float)
    acts = acts.reshape(-1, acts.shape[-1])
    with np.errstate(invalid="ignore"):
        return np.ptp(acts, axis=0) <= tol


def conv_layer_names(model: keras.Model) -> list[str]:
    """Names of the model's 2-D convolutional layers, input to output.

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


def conv_layer(model: keras.Model, layer: Any = None) -> Any:
    """A convolutional layer of ``model``; ``None`` means the last one.

    Raises:
        ValueError: If the model has no convolution or ``layer`` is not one
            (the message lists the valid names).
    """
    names = conv_layer_names(model)
    if not names:
        raise ValueError("model has no 2-D convolutional layer")
    if layer is None:
        return model.get_layer(names[-1])
    try:
        found = resolve_layer(model, layer)
    except ValueError:
        found = None
    if found is None or found.name not in names:
        shown = layer if isinstance(layer, str | int) else getattr(layer, "name", "?")
        raise ValueError(
            f"layer must be a convolutional layer, one of {names}; got {shown!r}"
        )
    return found


def conv_feature_maps(
    model: keras.Model, X: Any, *, layers: list[Any] | None = None
) -> dict[str, np.ndarray]:
    """The activations (feature maps) of convolutional layers for some images.

    Args:
        model: A built Keras image classifier.
        X: float images of shape ``(n, h, w, c)`` matching the model.
        layers: Convolutional layers (names, indices or objects); ``None``
            means all of them (:func:`conv_layer_names`).

    Returns:
        dict[str, np.ndarray]: For each layer name, float64 maps of shape
        ``(n, h_l, w_l, channels_l)`` (after the layer's activation).

    Raises:
        ValueError: If ``X`` has the wrong shape, ``layers`` is empty, the
            model has no convolution, or a layer is not convolutional (the
            message lists the valid ones).
        TypeError: If ``layers`` is a string (pass ``["conv1"]``) or not a
            list.
    """
    X = check_images(model, X)
    if not conv_layer_names(model):
        raise ValueError("model has no 2-D convolutional layer: no feature maps")
    chosen = (
        conv_layer_names(model)
        if layers is None
        else check_sequence(layers, "layers", min_len=1)
    )
    convs = [conv_layer(model, lay) for lay in chosen]
    return {conv.name: layer_forward(model, conv, X) for conv in convs}
