"""The exercises of each chapter, one module per chapter topic.

Each module registers its exercises when imported; :mod:`nnbook.exercises`
imports a module the first time one of its exercises is checked. The
modules import NumPy and :mod:`nnbook.exercises` only, and compute every
reference answer from the objects the answer cell passes to ``check``.
"""
