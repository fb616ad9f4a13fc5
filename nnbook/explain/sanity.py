"""Sanity checks for attributions (Adebayo et al., 2018).

Adebayo, Gilmer, Muelly, Goodfellow, Hardt & Kim (2018), "Sanity Checks for
Saliency Maps". An explanation that does not change when the model's
weights are randomized, or when the model is trained on shuffled labels,
cannot be explaining what the model learned. Both checks return the
Spearman rank correlation between the original and the randomized
attributions: high means the method failed the check.

Adebayo et al. judge the maps by eye and define no pass mark. The book uses
one rule, :meth:`SanityResult.verdict`, in every chapter: once the layers are
random, a method **passes** if its maps keep less than half of their ranking
(the mean rank correlation is below :data:`RANDOMIZATION_THRESHOLD`, 0.5),
**fails** if they keep more, and is **inconclusive** when the 95 % bootstrap
interval of that mean (over the explained samples) contains 0.5. The line
sits halfway between a map rebuilt from nothing by the new weights
(correlation near 0) and one the weights never touched (correlation 1); the
interval keeps a value near the line from being called either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_array, check_class_labels, check_int, check_real
from ..models.numpy_mlp import glorot_uniform
from ..training.fit import model_dtype
from ._core import check_inputs, check_target, n_outputs

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = [
    "RANDOMIZATION_THRESHOLD",
    "Verdict",
    "SanityResult",
    "rank_correlation",
    "cascading_randomization",
    "label_randomization",
]


#: The pass mark of a randomization check: the mean rank correlation between
#: the original and the randomized maps below which a method passes (see the
#: module's docstring for the rule and why 0.5).
RANDOMIZATION_THRESHOLD = 0.5

#: Most epochs :func:`label_randomization` retrains for (each epoch is a full
#: pass over ``X_train``; the check needs memorization, not convergence).
MAX_EPOCHS = 1000


@dataclass(frozen=True)
class Verdict:
    """The book's reading of one randomization step (:meth:`SanityResult.verdict`).

    Attributes:
        label: ``"passes"``, ``"fails"`` or ``"inconclusive"``.
        rho: The mean rank correlation over samples.
        low: Lower end of its 95 % bootstrap interval.
        high: Upper end of its 95 % bootstrap interval.
        threshold: The pass mark used.
    """

    label: str
    rho: float
    low: float
    high: float
    threshold: float


@dataclass(frozen=True)
class SanityResult:
    """Rank correlations between original and randomized attributions.

    Attributes:
        steps: Names of the randomization steps, e.g. ``["output",
            "output+hidden"]`` for cascading randomization.
        spearman: float ``(n_steps,)``: the mean over samples of each
            sample's Spearman correlation.
        per_sample: float ``(n_steps, n_samples)``.
        method: The attribution method's name.
    """

    steps: list[str]
    spearman: np.ndarray
    per_sample: np.ndarray
    method: str

    def verdict(
        self,
        step: int = -1,
        *,
        threshold: float = RANDOMIZATION_THRESHOLD,
        n_draws: int = 2000,
        seed: int = 0,
    ) -> Verdict:
        """Pass, fail or inconclusive at one step, by the book's one rule.

        The mean over samples of the per-sample rank correlations, with a
        95 % percentile-bootstrap interval (resampling the samples): below
        ``threshold`` entirely -> ``"passes"``; above it entirely ->
        ``"fails"``; otherwise ``"inconclusive"``.

        Args:
            step: Which randomization step (default: the last, every layer
                random for cascading randomization).
            threshold: The pass mark, in ``(-1, 1)``.
            n_draws: Bootstrap resamples, >= 100.
            seed: Seed of the resampling.

        Returns:
            Verdict: The label, the mean and its interval.

        Raises:
            ValueError: If ``step`` is out of range, every correlation is NaN
                (constant maps), or an option is out of range.
        """
        n_steps = len(self.steps)
        step = check_int(step, "step", low=-n_steps, high=n_steps - 1)
        threshold = check_real(threshold, "threshold", low=-1.0, high=1.0)
        n_draws = check_int(n_draws, "n_draws", low=100, high=100_000)
        seed = check_int(seed, "seed", low=0)
        rho = np.asarray(self.per_sample, dtype=float)[step]
        rho = rho[np.isfinite(rho)]
        if rho.size == 0:
            raise ValueError(
                "per_sample holds no finite correlation at this step (constant maps)"
            )
        rng = np.random.default_rng(seed)
        means = rho[rng.integers(rho.size, size=(n_draws, rho.size))].mean(axis=1)
        low, high = (float(q) for q in np.quantile(means, [0.025, 0.975]))
        if high < threshold:
            label = "passes"
        elif low > threshold:
            label = "fails"
        else:
            label = "inconclusive"
        return Verdict(label, float(rho.mean()), low, high, threshold)


def rank_correlation(a: Any, b: Any, *, absolute: bool = True) -> np.ndarray:
    """Per-sample Spearman rank correlation of two attribution arrays.

    Args:
        a: float ``(n, ...)`` attributions.
        b: float, same shape as ``a``.
        absolute: Compare ``|a|`` with ``|b|`` (as Adebayo et al. do for
            importance); ``False`` keeps the sign.

    Returns:
        np.ndarray: float64 ``(n,)``; NaN where a sample's attributions are
        constant.

    Raises:
        ValueError: If ``a`` is not per-sample (at least 2-D with 2 values
            per sample; for two 1-D global importances pass ``a[None]`` and
            ``b[None]``), the shapes differ, or values are not finite.
    """
    from scipy.stats import rankdata

    a, b = check_array(a, "a"), check_array(b, "b")
    if a.ndim < 2 or a[0].size < 2:
        raise ValueError(
            "a must be per-sample attributions (n_samples, n_features, ...) with at "
            f"least 2 values per sample, got shape {a.shape}; for two global "
            "importances (n_features,) pass a[None] and b[None]"
        )
    if a.shape != b.shape:
        raise ValueError(f"b must have the shape of a {a.shape}, got {b.shape}")
    a, b = a.reshape(a.shape[0], -1), b.reshape(b.shape[0], -1)
    if absolute:
        a, b = np.abs(a), np.abs(b)
    ra, rb = rankdata(a, axis=1), rankdata(b, axis=1)
    ra -= ra.mean(axis=1, keepdims=True)
    rb -= rb.mean(axis=1, keepdims=True)
    den = np.sqrt((ra**2).sum(axis=1) * (rb**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            den > 0, (ra * rb).sum(axis=1) / np.where(den > 0, den, 1), np.nan
        )


def _reinit(layer: Any, rng: np.random.Generator) -> None:
    """Draw a layer's weights afresh: Glorot-uniform kernels, zero biases."""
    layer.set_weights(
        [
            glorot_uniform(w.shape, rng, w.dtype) if w.ndim >= 2 else np.zeros_like(w)
            for w in layer.get_weights()
        ]
    )


def _method_name(method: Callable) -> str:
    return getattr(method, "__name__", type(method).__name__)


def cascading_randomization(
    model: keras.Model,
    X: Any,
    *,
    method: Callable[..., np.ndarray],
    target: Any = None,
    seed: int = 0,
    absolute: bool = True,
    **method_kw: Any,
) -> SanityResult:
    """Cascading model-parameter randomization, from the top layer down.

    The weighted layers are re-initialized one after another, starting at
    the output, and after each step the attributions are recomputed and
    compared with the original ones. The model's own weights are restored
    afterwards, even on error. ``target`` is fixed to the original model's
    choice so that every step explains the same output.

    Args:
        model: A trained Keras model (its weights are restored on return).
        X: float ``(n, *input_shape)``.
        method: An attribution method, e.g. :func:`integrated_gradients`.
        target: ``None``, one class index, or one per sample.
        seed: Seed of the new weights.
        absolute: Compare absolute attributions (Adebayo et al.'s default).
        **method_kw: Passed to ``method``.

    Returns:
        SanityResult: ``steps`` are the cumulative layer names, e.g.
        ``["output", "output+hidden"]``.
    """
    X = check_inputs(model, X)
    t = check_target(model, target, X)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    layers = [lay for lay in model.layers if lay.get_weights()][::-1]
    if not layers:
        raise ValueError("model has no weighted layers to randomize")
    saved = [lay.get_weights() for lay in layers]
    original = method(model, X, target=t, **method_kw)
    names, rhos = [], []
    try:
        for k, lay in enumerate(layers):
            _reinit(lay, rng)
            rand = method(model, X, target=t, **method_kw)
            rhos.append(rank_correlation(original, rand, absolute=absolute))
            names.append("+".join(x.name for x in layers[: k + 1]))
    finally:
        for lay, w in zip(layers, saved, strict=True):
            lay.set_weights(w)
    per = np.array(rhos)
    return SanityResult(names, np.nanmean(per, axis=1), per, _method_name(method))


def label_randomization(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    X: Any,
    *,
    method: Callable[..., np.ndarray],
    target: Any = None,
    epochs: int = 10,
    batch_size: int = 32,
    seed: int = 0,
    absolute: bool = True,
    **method_kw: Any,
) -> SanityResult:
    """Data-label randomization: retrain on shuffled labels and compare.

    A copy of ``model`` (same architecture, optimizer and loss, fresh
    weights) is trained on ``y_train`` shuffled, so it can only memorize.
    Attributions of that model on ``X`` are compared with those of
    ``model``. The run reseeds Keras with ``seed`` so that it is repeatable.

    Args:
        model: A trained, compiled Keras model.
        X_train: float ``(n_train, *input_shape)``.
        y_train: labels ``(n_train,)``.
        X: float ``(n, *input_shape)``: the samples to explain.
        method: An attribution method.
        target: ``None``, one class index, or one per sample.
        epochs: Epochs of the retraining, in ``[1, MAX_EPOCHS]``.
        batch_size: Batch size of the retraining.
        seed: Seed of the shuffle, the new weights and the training.
        absolute: Compare absolute attributions.
        **method_kw: Passed to ``method``.

    Returns:
        SanityResult: one step, ``["random labels"]``.

    Raises:
        ValueError: If ``model`` is not compiled, ``y_train`` is not 0/1
            (one output) or class indices ``0..k-1`` (``k`` outputs), or an
            input or option is malformed.

    The retrained copy is released before returning (its reference cycles
    are broken and collected), so repeated calls do not accumulate models.
    """
    import gc

    import keras

    if not getattr(model, "compiled", False) or getattr(model, "loss", None) is None:
        raise ValueError(
            "model must be compiled (model.compile(optimizer=..., loss=...)): its "
            "copy is retrained with the same optimizer and loss"
        )
    X_train = check_inputs(model, X_train, "X_train")
    X = check_inputs(model, X)
    y_train = _check_training_labels(model, y_train, X_train.shape[0])
    epochs = check_int(
        epochs, "epochs", low=1, high=MAX_EPOCHS, why="each epoch retrains the copy"
    )
    batch_size = check_int(batch_size, "batch_size", low=1)
    seed = check_int(seed, "seed", low=0)
    t = check_target(model, target, X)
    keras.utils.set_random_seed(seed)
    shuffled = np.random.default_rng(seed).permutation(y_train)
    clone = keras.models.clone_model(model)
    try:
        clone.compile(
            optimizer=keras.optimizers.deserialize(
                keras.optimizers.serialize(model.optimizer)
            ),
            loss=model.loss,
        )
        dtype = model_dtype(model)
        clone.fit(
            X_train.astype(dtype),
            shuffled.astype(dtype),
            epochs=epochs,
            batch_size=batch_size,
            verbose=0,
        )
        original = method(model, X, target=t, **method_kw)
        rand = method(clone, X, target=t, **method_kw)
    finally:
        # The copy, its optimizer and its compiled train function form
        # reference cycles: break them now, so that N calls hold no N copies.
        for attr in ("train_function", "predict_function", "test_function"):
            if hasattr(clone, attr):
                setattr(clone, attr, None)
        del clone
        gc.collect()
    per = rank_correlation(original, rand, absolute=absolute)[None]
    return SanityResult(
        ["random labels"], np.nanmean(per, axis=1), per, _method_name(method)
    )


def _check_training_labels(model: keras.Model, y: Any, n: int) -> np.ndarray:
    """Labels the model's loss can train on: 0/1 for one output, else classes.

    A sigmoid model trains binary cross-entropy on 0/1; labels in {1, 2} or
    {-1, 1} would train a different (wrong) task and still return a number,
    so they are refused (:func:`nnbook._checks.check_labels`). A softmax
    model takes class indices ``0..k-1`` or one-hot rows ``(n, k)``.
    """
    k = n_outputs(model)
    arr = np.asarray(y) if not isinstance(y, np.ma.MaskedArray) else y
    if k > 1 and getattr(arr, "ndim", 0) == 2 and arr.shape[1] == k:
        onehot = check_array(arr, "y_train")
        if arr.shape[0] != n or not (
            np.all(np.isin(onehot, (0, 1))) and np.all(onehot.sum(axis=1) == 1)
        ):
            raise ValueError(
                f"y_train must be class indices ({n},) or one-hot rows ({n}, {k})"
            )
        return onehot
    return check_class_labels(y, n, max(k, 2), "y_train")
