"""A trained Keras classifier seen as a fitted scikit-learn estimator.

scikit-learn's inspection tools (permutation importance, partial dependence)
need a real estimator: a plain wrapper fails on ``__sklearn_tags__``. The
adapter inherits ``ClassifierMixin, BaseEstimator`` and sets ``classes_``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._core import check_inputs, forward, n_outputs

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["make_classifier"]


def make_classifier(model: keras.Model, classes: Any = None) -> Any:
    """Wrap a trained Keras classifier as a fitted scikit-learn estimator.

    Args:
        model: A single-output sigmoid model (classes 0, 1) or a softmax
            model with ``k`` outputs (classes ``0..k-1``).
        classes: The class labels; defaults to ``0..k-1`` (``[0, 1]`` for a
            sigmoid output).

    Returns:
        A ``ClassifierMixin, BaseEstimator`` with ``predict``,
        ``predict_proba`` and ``classes_``.
    """
    from sklearn.base import BaseEstimator, ClassifierMixin

    k = n_outputs(model)

    class KerasClassifier(ClassifierMixin, BaseEstimator):
        """A trained Keras model seen as a fitted scikit-learn classifier."""

        def __init__(self, model=None):
            self.model = model

        def fit(self, X, y=None):
            default = np.arange(max(k, 2))
            self.classes_ = np.asarray(classes if classes is not None else default)
            return self

        def predict_proba(self, X):
            X = check_inputs(self.model, X)
            p = forward(self.model, X)
            if k == 1:
                p = np.concatenate([1 - p, p], axis=1)
            return p

        def predict(self, X):
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    return KerasClassifier(model).fit(None)
