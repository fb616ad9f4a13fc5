"""nnbook: the helper package behind the book *Seeing inside a neural network*.

The chapters call these functions; the package implements them. Importing a
module has no side effect: no seeds, no matplotlib style, no TensorFlow import
until a function that needs it runs.

Modules (dependencies run one way, left to right)::

    widgets -> plots -> explain -> training / models / data
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
