"""Step 5 of training in NumPy: SGD and Adam, exactly as Keras 3 updates.

Both update :class:`~nnbook.models.numpy_mlp.MLPWeights` in place, in the
weights' dtype, so a float32 run can be compared with Keras step by step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._checks import check_choice, check_real
from ..models.numpy_mlp import PARAM_NAMES, MLPWeights

__all__ = ["OPTIMIZERS", "SGD", "Adam", "make_optimizer"]

#: The optimizers :func:`make_optimizer` knows.
OPTIMIZERS: tuple[str, ...] = ("sgd", "adam")


@dataclass
class SGD:
    """Plain gradient descent: ``w <- w - lr * g``, as Keras's ``SGD``.

    Attributes:
        lr: The learning rate, > 0.
    """

    lr: float = 0.01

    def __post_init__(self) -> None:
        self.lr = check_real(self.lr, "lr", low=0.0, low_open=True)

    def step(self, weights: MLPWeights, grads: MLPWeights) -> None:
        """Update ``weights`` in place with ``grads``."""
        lr = weights.dtype.type(self.lr)
        for w, g in zip(weights, grads, strict=True):
            w -= g * lr


@dataclass
class Adam:
    """Adam, exactly as Keras 3 implements it.

    Kingma & Ba (2015), "Adam: A method for stochastic optimization", ICLR,
    in the form of ``keras.optimizers.Adam.update_step``: the bias
    corrections are folded into the step size and ``epsilon`` is added to
    ``sqrt(v)`` *after* the square root, without bias-correcting ``v``::

        m <- m + (g - m) (1 - beta_1)
        v <- v + (g^2 - v) (1 - beta_2)
        alpha = lr sqrt(1 - beta_2^t) / (1 - beta_1^t)
        w <- w - m alpha / (sqrt(v) + epsilon)

    Attributes:
        lr: The learning rate, > 0 (Keras's default ``1e-3``).
        beta_1: Decay of the first moment.
        beta_2: Decay of the second moment.
        epsilon: Keras's default ``1e-7`` (the paper uses ``1e-8``).
    """

    lr: float = 1e-3
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-7
    t: int = 0
    m: dict[str, np.ndarray] = field(default_factory=dict)
    v: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lr = check_real(self.lr, "lr", low=0.0, low_open=True)

    def step(self, weights: MLPWeights, grads: MLPWeights) -> None:
        """Update ``weights`` in place with ``grads``."""
        f = weights.dtype.type
        self.t += 1
        t = f(self.t)
        b1, b2 = f(self.beta_1), f(self.beta_2)
        # Keras computes 1 - beta in Python (float64) and then casts: keep that.
        one_minus_b1, one_minus_b2 = f(1 - self.beta_1), f(1 - self.beta_2)
        alpha = f(self.lr) * np.sqrt(1 - b2**t) / (1 - b1**t)
        for k, w, g in zip(PARAM_NAMES, weights, grads, strict=True):
            m = self.m.setdefault(k, np.zeros_like(w))
            v = self.v.setdefault(k, np.zeros_like(w))
            m += (g - m) * one_minus_b1
            v += (g * g - v) * one_minus_b2
            w -= m * alpha / (np.sqrt(v) + f(self.epsilon))


def make_optimizer(optimizer: str, lr: float) -> SGD | Adam:
    """``"sgd"`` or ``"adam"`` with learning rate ``lr`` (> 0)."""
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    return SGD(lr) if optimizer == "sgd" else Adam(lr)
