"""Model builders: the article's network and the book's other models, Keras 3.

- :mod:`nnbook.models.tabular`: the article's ``Dense(10, relu)`` then
  ``Dense(1, sigmoid)``.
- :mod:`nnbook.models.images`: a small CNN for the 8 x 8 digits.
- :mod:`nnbook.models.text`: a recurrent network and a bag of embeddings.
"""

from .images import build_digits_cnn
from .tabular import ACTIVATIONS, build_seed_mlp
from .text import RECURRENT_CELLS, build_text_bag, build_text_rnn

__all__ = ["ACTIVATIONS", "build_seed_mlp", "build_digits_cnn"]
__all__ += ["RECURRENT_CELLS", "build_text_rnn", "build_text_bag"]
