"""Explanations: computation only, no plotting.

Every attribution method has one signature::

    method(model, X, *, target=None, **options) -> np.ndarray

The result has the shape of ``X`` (one row per sample); options are
keyword-only; randomness comes only through ``seed=``. Plotters for the
results live in :mod:`nnbook.plots`.
"""

__all__: list[str] = []

# --- tabular attribution methods, activations, sanity checks (nnbook.explain) ---
from .attribution import (
    DEFAULT_IG_STEPS,
    dead_units,
    gradient_saliency,
    gradient_x_input,
    hidden_activations,
    integrated_gradients,
    make_classifier,
    model_output,
    occlusion,
    partial_dependence,
    permutation_importance,
    smoothgrad,
)
from .ground_truth import USEFUL_ROLES, global_importance, ground_truth_score
from .plane import Plane, feature_plane, plane_outputs
from .sanity import (
    SanityResult,
    cascading_randomization,
    label_randomization,
    rank_correlation,
)

__all__ += [
    "DEFAULT_IG_STEPS",
    "dead_units",
    "gradient_saliency",
    "gradient_x_input",
    "hidden_activations",
    "integrated_gradients",
    "make_classifier",
    "model_output",
    "occlusion",
    "partial_dependence",
    "permutation_importance",
    "smoothgrad",
    "USEFUL_ROLES",
    "global_importance",
    "ground_truth_score",
    "Plane",
    "feature_plane",
    "plane_outputs",
    "SanityResult",
    "cascading_randomization",
    "label_randomization",
    "rank_correlation",
]


# --- image methods: Grad-CAM, occlusion, activation maximization, deletion ---
from .images import (  # noqa: E402
    DeletionCurve,
    activation_maximization,
    conv_feature_maps,
    conv_layer_names,
    deletion_curve,
    grad_cam,
    patch_occlusion,
)

__all__ += [
    "DeletionCurve",
    "activation_maximization",
    "conv_feature_maps",
    "conv_layer_names",
    "deletion_curve",
    "grad_cam",
    "patch_occlusion",
]


# --- the libraries readers reach for: SHAP and LIME (imported lazily) ---
from .libraries import lime_weights, shap_values  # noqa: E402

__all__ += ["lime_weights", "shap_values"]
