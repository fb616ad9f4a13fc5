"""Explanations: computation only, no plotting.

Every per-sample attribution method has one signature::

    method(model, X, *, target=None, baseline=None, output="logit", seed=0, ...)
        -> np.ndarray  # float64, shaped like X

``target`` is ``None`` (the only output; the predicted class of a softmax
model), one class index, or one per sample. ``output`` chooses the explained
quantity: ``"logit"`` (the default: the score before the final sigmoid or
softmax) or ``"probability"``; the deletion curve watches the probability by
default. ``baseline`` is the one name of a reference input; counts are
``n_steps`` and ``n_draws``; randomness comes only through ``seed``;
``layer=`` is a name, an index or a layer object. Plotters for the results
live in :mod:`nnbook.plots`.

Modules, by job:

- ``nnbook.explain.layers``: outputs, hidden activations, dead units and
  feature maps.
- ``nnbook.explain.gradients``: saliency, gradient x input, SmoothGrad and
  integrated gradients (:mod:`~nnbook.explain.exact_ig` for the exact IG),
  and expected gradients (IG averaged over a reference sample).
- ``nnbook.explain.occlusion``, ``nnbook.explain.cam`` (Grad-CAM),
  ``nnbook.explain.maximization`` (class models),
  ``nnbook.explain.pixel_curves`` (the deletion and insertion metrics).
- ``nnbook.explain.sklearn_adapter`` and
  ``nnbook.explain.global_methods``: permutation importance and partial
  dependence through scikit-learn.
- ``nnbook.explain.baselines``: baseline images (zero, training mean, blur,
  uniform noise) for IG, occlusion and the pixel curves.
- ``nnbook.explain.counterfactual``: the smallest change to one column, or
  a small set, that flips a decision.
- ``nnbook.explain.plane``, ``nnbook.explain.ground_truth``,
  ``nnbook.explain.sanity``.
"""

from .baselines import BASELINE_KINDS, image_baseline
from .cam import grad_cam
from .counterfactual import Counterfactual, flip_distances, smallest_flip
from .global_methods import partial_dependence, permutation_importance
from .gradients import (
    DEFAULT_IG_STEPS,
    expected_gradients,
    gradient_saliency,
    gradient_x_input,
    integrated_gradients,
    smoothgrad,
)
from .ground_truth import USEFUL_ROLES, global_importance, ground_truth_score
from .layers import (
    conv_feature_maps,
    conv_layer_names,
    dead_mask,
    dead_units,
    hidden_activations,
    model_output,
)
from .maximization import activation_maximization
from .occlusion import occlusion
from .pixel_curves import PixelCurve, deletion_curve, insertion_curve, pixel_curve
from .plane import Plane, feature_plane, plane_outputs
from .sanity import (
    RANDOMIZATION_THRESHOLD,
    SanityResult,
    Verdict,
    cascading_randomization,
    label_randomization,
    rank_correlation,
)
from .sklearn_adapter import make_classifier

#: Every per-sample attribution method (shaped like ``X``), for conformance tests.
ATTRIBUTION_METHODS = (
    gradient_saliency,
    gradient_x_input,
    smoothgrad,
    integrated_gradients,
    expected_gradients,
    occlusion,
    grad_cam,
)

__all__ = [
    "activation_maximization",
    "ATTRIBUTION_METHODS",
    "BASELINE_KINDS",
    "cascading_randomization",
    "conv_feature_maps",
    "conv_layer_names",
    "Counterfactual",
    "dead_mask",
    "dead_units",
    "expected_gradients",
    "DEFAULT_IG_STEPS",
    "deletion_curve",
    "insertion_curve",
    "pixel_curve",
    "PixelCurve",
    "feature_plane",
    "flip_distances",
    "global_importance",
    "grad_cam",
    "gradient_saliency",
    "gradient_x_input",
    "ground_truth_score",
    "hidden_activations",
    "image_baseline",
    "integrated_gradients",
    "label_randomization",
    "make_classifier",
    "model_output",
    "occlusion",
    "partial_dependence",
    "permutation_importance",
    "Plane",
    "plane_outputs",
    "rank_correlation",
    "SanityResult",
    "RANDOMIZATION_THRESHOLD",
    "Verdict",
    "smoothgrad",
    "smallest_flip",
    "USEFUL_ROLES",
]


# --- text: token attributions, recurrent states, scores against the cue mask ---
from .ground_truth import token_ground_truth_score  # noqa: E402
from .text import (  # noqa: E402
    DEFAULT_TOKEN_IG_STEPS,
    TOKEN_METHODS,
    check_tokens,
    recurrent_states,
    token_attribution,
    token_output,
)

__all__ += [
    "DEFAULT_TOKEN_IG_STEPS",
    "TOKEN_METHODS",
    "check_tokens",
    "recurrent_states",
    "token_attribution",
    "token_ground_truth_score",
    "token_output",
]


# --- the libraries readers reach for: SHAP and LIME (imported lazily) ---
from .libraries import lime_weights, shap_values  # noqa: E402

__all__ += ["lime_weights", "shap_values"]
