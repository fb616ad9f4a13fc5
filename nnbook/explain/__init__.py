"""Explanations: computation only, no plotting.

Every attribution method has one signature::

    method(model, X, *, target=None, **options) -> np.ndarray

The result has the shape of ``X`` (one row per sample); options are
keyword-only; randomness comes only through ``seed=``. Plotters for the
results live in :mod:`nnbook.plots`.
"""

__all__: list[str] = []

# --- tabular attribution methods, activations, sanity checks (nnbook.explain) ---

# --- image methods: Grad-CAM, occlusion, activation maximization, deletion ---
