"""nnbook: the helper package behind the book *Seeing inside a neural network*.

The chapters call these functions; the package implements them. Importing a
module has no side effect: no seeds, no matplotlib style, no TensorFlow import
until a function that needs it runs.

The package is built in layers; each imports only from the layers below it
(an import-linter contract in ``pyproject.toml``, checked by ``make test``)::

    widgets       explorers: controls over figures built once
       |
    plots         plotters and the book's style (plots/style.py)
       |
    explain       attribution methods, sanity checks, planes
       |
    training      seeding, Keras fit, the NumPy loop, the sweep trainer,
       |          one TrainingRecord, evaluation
    models        Keras builders; numpy_mlp, the one NumPy network
       |
    losses        losses and gradients, gradient checks, the loss surface
       |
    data          the article's table, the digits
       |
    activations   the one sigmoid, softmax, the hidden activations
       |
    _checks       argument checks with clear errors
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
