"""Data sets whose answers are known: the article's table, digits, and text.

- ``nnbook.data.tabular``: the article's ``make_classification`` data with
  the true role of every column.
- ``nnbook.data.digits``: scikit-learn's 8 x 8 digits.
- ``nnbook.data.text``: generated sentences whose deciding words are known.
"""

from .digits import DigitsData, make_digits_data
from .tabular import ROLES, SeedData, column_roles, make_seed_data
from .text import TextData, make_text_data, text_vocab

__all__ = [
    "ROLES",
    "SeedData",
    "column_roles",
    "make_seed_data",
    "DigitsData",
    "make_digits_data",
    "TextData",
    "make_text_data",
    "text_vocab",
]
