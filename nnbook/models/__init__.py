"""Model builders: the article's network and the book's other models.

- ``nnbook.models.tabular``: the article's ``Dense(10, relu)`` then
  ``Dense(1, sigmoid)``, and a general MLP (Keras 3).
- ``nnbook.models.images``: a small CNN for the 8 x 8 digits (Keras 3).
- ``nnbook.models.text``: a recurrent network and a bag of embeddings (Keras 3).
- :mod:`nnbook.models.numpy_mlp`: the article's network in NumPy: one weights
  type, one Glorot initialization with a shared draw, forward and backward.
"""

from .images import build_digits_cnn
from .numpy_mlp import MLPWeights, glorot_uniform, init_weights
from .tabular import ACTIVATIONS, build_mlp, build_seed_mlp
from .text import RECURRENT_CELLS, build_text_bag, build_text_rnn

__all__ = [
    "ACTIVATIONS",
    "build_seed_mlp",
    "build_mlp",
    "build_digits_cnn",
    "MLPWeights",
    "glorot_uniform",
    "init_weights",
    "RECURRENT_CELLS",
    "build_text_rnn",
    "build_text_bag",
]
