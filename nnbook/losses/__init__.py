"""Losses, their gradients, gradient checking, and a loss surface to look at.

- ``nnbook.losses.functions``: MSE, binary and categorical cross-entropy,
  from probabilities and from logits, with their analytical gradients.
- ``nnbook.losses.gradcheck``: central finite differences, a relative
  error, and TensorFlow's gradient of the same function.
- ``nnbook.losses.surface``: the loss surface of one linear neuron, gradient
  descent on it, and its exact divergence limit.

``sigmoid`` and ``softmax`` are those of :mod:`nnbook.activations`, re-exported
because the chapter on loss uses them next to the losses.

Taught in the chapter *The mathematics of loss*.
"""

from ..activations import sigmoid, softmax
from .functions import (
    bce,
    bce_grad_logit,
    bce_grad_prob,
    bce_with_logits,
    categorical_crossentropy,
    cce_grad_logit,
    cce_grad_prob,
    cce_with_logits,
    mse,
    mse_grad_logit,
    mse_grad_prob,
)
from .gradcheck import check_gradient, numerical_gradient, relative_error, tape_gradient
from .surface import (
    divergence_threshold,
    gradient_descent,
    hessian_threshold,
    least_squares,
    linear_mse,
    surface_data,
)

__all__ = [
    "bce",
    "bce_grad_logit",
    "bce_grad_prob",
    "bce_with_logits",
    "categorical_crossentropy",
    "cce_grad_logit",
    "cce_grad_prob",
    "cce_with_logits",
    "check_gradient",
    "divergence_threshold",
    "gradient_descent",
    "hessian_threshold",
    "least_squares",
    "linear_mse",
    "mse",
    "mse_grad_logit",
    "mse_grad_prob",
    "numerical_gradient",
    "relative_error",
    "sigmoid",
    "softmax",
    "surface_data",
    "tape_gradient",
]
