"""SHAP and LIME through the book's one signature.

Readers who leave this book reach for two libraries: ``shap`` (Lundberg &
Lee, 2017) and ``lime`` (Ribeiro, Singh & Guestrin, 2016). Both have
model-agnostic explainers that need only a predict function, so they work on
any Keras 3 model. This module wraps them so that they take and return what
every other method of :mod:`nnbook.explain` does::

    method(model, X, *, target=None, baseline=None, output="logit", seed=0, ...)
        -> np.ndarray  # float64, shaped like X

and every harness of the book (``ground_truth_score``, the sanity checks,
the sample plots) works on them unchanged. Both libraries are imported only
when a function here is called, so ``import nnbook.explain`` stays light.

The wrappers add three things the libraries leave to the user: inputs are
checked with the same clear errors as the other methods; the result is
seeded through ``seed=`` alone and does not depend on which other samples
are explained in the same call (each sample is explained with the same
random draws); and the global NumPy random state, which ``shap`` reseeds,
is restored afterwards.
"""

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_array, check_choice, check_int, check_real
from ._core import check_inputs, check_target, forward

if TYPE_CHECKING:  # pragma: no cover
    import keras

__all__ = ["shap_values", "lime_weights"]

#: The two model-agnostic SHAP estimators :func:`shap_values` can run.
_SHAP_ALGORITHMS: tuple[str, ...] = ("kernel", "permutation")

#: What a method attributes: the score before the final sigmoid or softmax,
#: or the probability after it.
_OUTPUTS: tuple[str, ...] = ("logit", "probability")

#: Default random permutations of the permutation algorithm (each one costs
#: ``2 * n_features + 1`` model evaluations per background row).
_DEFAULT_PERMUTATIONS = 10

#: LIME's own default number of perturbed samples.
_DEFAULT_LIME_DRAWS = 5000


# --- the model's output as a function of a flat feature matrix -------------


def _logits(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """The input of the model's final sigmoid or softmax, float64 ``(n, k)``."""
    return forward(model, X, output="logit")


def _target_function(
    model: keras.Model, target: int, output: str, shape: tuple[int, ...]
) -> Callable[[np.ndarray], np.ndarray]:
    """``f(Z) -> (m,)``: the ``target`` output for rows of flat features."""

    def f(Z: np.ndarray) -> np.ndarray:
        Z = np.asarray(Z, dtype=np.float64).reshape(-1, *shape)
        out = _logits(model, Z) if output == "logit" else forward(model, Z)
        return out[:, target]

    return f


# --- argument checks shared by both wrappers -------------------------------


def _check_background(baseline: Any, X: np.ndarray) -> np.ndarray:
    """The background sample as float64 ``(m, n_flat_features)``.

    ``None`` means one row of zeros; a scalar fills one row; one sample of
    shape ``X.shape[1:]`` is one row; an array ``(m, *X.shape[1:])`` is a
    sample of ``m`` rows.
    """
    sample_shape = X.shape[1:]
    d = int(np.prod(sample_shape))
    if baseline is None:
        return np.zeros((1, d))
    arr = check_array(baseline, "baseline", finite=False, allow_empty=True)
    if arr.shape == ():
        arr = np.full((1, d), float(arr))
    elif arr.shape == sample_shape:
        arr = arr.reshape(1, d)
    elif arr.ndim == len(sample_shape) + 1 and arr.shape[1:] == sample_shape:
        if arr.shape[0] == 0:
            raise ValueError("baseline must have at least one row, got 0")
        arr = arr.reshape(arr.shape[0], d)
    else:
        raise ValueError(
            f"baseline must be a scalar, one sample of shape {sample_shape}, or a "
            f"background sample of shape (m, {', '.join(map(str, sample_shape))}), "
            f"got {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError("baseline holds NaN or infinite values")
    return arr


@contextlib.contextmanager
def _numpy_global_seed(seed: int) -> Iterator[None]:
    """Seed NumPy's global generator for the block, then restore its state.

    ``shap``'s permutation and kernel estimators draw from ``np.random``
    (and the permutation explainer reseeds it when built); the caller's
    random state is left as it was.
    """
    # shap draws from NumPy's legacy global generator, so it must be seeded.
    state = np.random.get_state()  # noqa: NPY002
    np.random.seed(seed)  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


@contextlib.contextmanager
def _quiet_shap_logger() -> Iterator[None]:
    """Keep ``shap``'s log warnings (e.g. about a large background) off stderr."""
    logger = logging.getLogger("shap")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _groups(t: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Row indices per target class, in class order."""
    return [(int(c), np.flatnonzero(t == c)) for c in np.unique(t)]


# --- SHAP ------------------------------------------------------------------


def shap_values(
    model: keras.Model,
    X: Any,
    *,
    target: Any = None,
    baseline: Any = None,
    output: str = "logit",
    seed: int = 0,
    algorithm: str = "kernel",
    n_draws: int | None = None,
) -> np.ndarray:
    """SHAP values from the ``shap`` library's model-agnostic estimators.

    Lundberg & Lee (2017), "A Unified Approach to Interpreting Model
    Predictions". The SHAP value of feature ``j`` is its Shapley value in the
    game whose players are the features and whose value for a coalition
    ``S`` is ``E_b[F(x_S, b_not_S)]``: the features in ``S`` keep the values
    of ``x``, the others take the values of a background row ``b``, and the
    mean is over the background sample (shap's "interventional" or
    independent masking). The values add up to ``F(x) - E_b[F(b)]``.

    Two estimators of the ``shap`` library are offered, both needing only a
    predict function:

    - ``"kernel"`` (``shap.KernelExplainer``): Kernel SHAP, a weighted
      linear regression over random coalitions (Lundberg & Lee, 2017),
      constrained so that the values add up exactly. It enumerates every
      coalition when ``n_draws >= 2**d - 2`` (exact Shapley values for
      ``d <= 11`` at the default). Its own default feature selection
      (``l1_reg="num_features(10)"``, which keeps only 10 features per
      sample and gives the others exactly 0) is switched off here, so every
      feature gets a value.
    - ``"permutation"`` (``shap.PermutationExplainer``): the sampling
      Shapley estimator of Štrumbelj & Kononenko (2014), "Explaining
      prediction models and individual predictions with feature
      contributions", with antithetic (forward and reverse) permutations.
      Each permutation costs ``2 * d + 1`` coalitions; the values add up
      exactly, and are exact from one permutation on for a model without
      interactions of order three or more (a linear logit, for example).
      Its first call in a process compiles shap's numba code (about 10 to
      20 s on two busy cores).

    Every coalition costs one model evaluation per background row, all in
    large batches. Each sample is explained with the same random draws
    (NumPy's global generator seeded with ``seed`` before each sample, and
    restored afterwards), so a sample's values do not depend on the other
    samples in ``X``.

    Args:
        model: A Keras model with one input.
        X: float array ``(n, *input_shape)``; images are explained pixel by
            pixel, every element being one feature.
        target: ``None`` (the only output; the predicted class of a softmax
            model), one class index, or one per sample.
        baseline: The background sample (shap calls it the *background*,
            IG the *baseline*): ``None`` (one row of zeros, so SHAP explains
            ``F(x) - F(0)`` as integrated gradients from zeros does), a
            scalar, one sample of shape ``X.shape[1:]``, or ``m`` rows of
            shape ``(m, *X.shape[1:])``, e.g. 50 training rows. All rows are
            used; the cost grows linearly with ``m``.
        output: ``"logit"`` (the score before the final sigmoid or softmax)
            or ``"probability"``.
        seed: Seed of the permutations or coalitions (the only randomness).
        algorithm: ``"kernel"`` or ``"permutation"``.
        n_draws: Random draws per sample: coalitions for ``"kernel"``
            (default ``2 * d + 2048``, shap's own), permutations for
            ``"permutation"`` (default 10).

    Returns:
        np.ndarray: float64 SHAP values, shaped like ``X``.

    Raises:
        ValueError: For a badly shaped ``X`` or ``baseline``, NaN/inf values,
            a target out of range, an unknown ``algorithm`` or ``output``,
            ``n_draws`` below one (or, for ``"kernel"``, below ``d + 2``), or
            ``output="logit"`` on a model without a final sigmoid, softmax
            or linear layer.
        TypeError: For a non-Keras model or non-numeric arguments.
    """
    X = check_inputs(model, X)
    t = check_target(model, target, X)
    background = _check_background(baseline, X)
    output = check_choice(output, "output", _OUTPUTS)
    algorithm = check_choice(algorithm, "algorithm", _SHAP_ALGORITHMS)
    seed = check_int(seed, "seed", low=0)
    n, shape = X.shape[0], X.shape[1:]
    d = background.shape[1]
    if n_draws is None:
        n_draws = _DEFAULT_PERMUTATIONS if algorithm == "permutation" else 2 * d + 2048
    n_draws = check_int(
        n_draws, "n_draws", low=1 if algorithm == "permutation" else d + 2
    )
    if output == "logit":
        _logits(model, X[:1])  # fail early, with a clear message

    import shap
    from threadpoolctl import threadpool_limits

    flat = X.reshape(n, d)
    out = np.empty((n, d))
    with (
        _numpy_global_seed(seed),
        _quiet_shap_logger(),
        threadpool_limits(limits=1, user_api="blas"),  # see lime_weights
    ):
        for cls, rows in _groups(t):
            f = _target_function(model, cls, output, shape)
            if algorithm == "permutation":
                masker = shap.maskers.Independent(
                    background, max_samples=len(background)
                )
                explainer = shap.PermutationExplainer(f, masker, seed=seed)
                for i in rows:
                    np.random.seed(seed)  # noqa: NPY002 (shap's generator)
                    res = explainer(
                        flat[i : i + 1], max_evals=n_draws * (2 * d + 1), silent=True
                    )
                    out[i] = res.values[0]
            else:
                explainer = shap.KernelExplainer(f, background)
                for i in rows:
                    np.random.seed(seed)  # noqa: NPY002 (shap's generator)
                    out[i] = explainer.shap_values(
                        flat[i : i + 1], nsamples=n_draws, l1_reg=False, silent=True
                    )[0]
    return out.reshape(X.shape)


# --- LIME ------------------------------------------------------------------


def lime_weights(
    model: keras.Model,
    X: Any,
    *,
    target: Any = None,
    baseline: Any = None,
    output: str = "logit",
    seed: int = 0,
    kernel_width: float | None = None,
    n_draws: int = _DEFAULT_LIME_DRAWS,
    discretize: bool = False,
) -> np.ndarray:
    """The weights of LIME's local linear surrogate, one per feature.

    Ribeiro, Singh & Guestrin (2016), ""Why Should I Trust You?": Explaining
    the Predictions of Any Classifier", through ``lime``'s
    ``LimeTabularExplainer``. For each sample ``x`` LIME draws ``n_draws``
    perturbed rows ``z`` (Gaussian, centred on ``x`` itself, with the
    per-column standard deviation ``sigma`` of the background sample: LIME's
    ``sample_around_instance=True``, which this wrapper sets), weights each
    by ``sqrt(exp(-||s(z) - s(x)||^2 / kernel_width^2))`` with
    ``s(z) = (z - mu) / sigma`` (``mu`` the background's column means), and
    fits a ridge regression (alpha 1) of ``F(z)`` on ``s(z)``. LIME's own
    default, ``sample_around_instance=False``, draws around ``mu`` instead,
    so the surrogate is fitted on draws spread around the data's centre,
    however far ``x`` lies from it, and the kernel only reweights them. The
    returned weights are that regression's coefficients: the change of
    ``F`` per background standard deviation of each column, as LIME reports
    them.

    They are not Shapley values. On a model whose output is linear,
    ``F(x) = w . x + c`` (a logistic regression with ``output="logit"``),
    the surrogate is exact, so the weight of column ``j`` is
    ``w_j * sigma_j`` (up to the ridge's shrinkage, relative size about
    ``1 / sum of kernel weights``), whatever ``x`` and the kernel width;
    ``weight_j * (x_j - mu_j) / sigma_j = w_j (x_j - mu_j)`` is then the
    SHAP value with the same background. On a network the weights depend on
    the kernel width: a wide kernel averages the slope over a ball of
    about ``sqrt(d)`` standard deviations around ``x``, a narrow one trusts
    the few draws nearest to ``x`` (and ``x`` itself, which LIME always
    includes with weight 1).

    Args:
        model: A Keras model with one input.
        X: float array ``(n, *input_shape)``; every element is one feature.
        target: ``None`` (the only output; the predicted class of a softmax
            model), one class index, or one per sample.
        baseline: The background sample LIME calls ``training_data``: its
            column standard deviations scale the perturbations, and its
            means and standard deviations standardize them. ``None`` means
            one row of zeros (``mu = 0``, ``sigma = 1``); otherwise a
            scalar, one sample, or rows ``(m, *X.shape[1:])`` such as the
            training data. Constant columns get ``sigma = 1``.
        output: ``"logit"`` or ``"probability"`` (LIME's classification
            mode explains the probability).
        seed: Seed of the perturbations (the only randomness); every sample
            is explained with the same draws.
        kernel_width: Width of LIME's exponential kernel in standardized
            units, > 0; ``None`` is LIME's default ``0.75 * sqrt(d)``.
        n_draws: Perturbed rows per sample (LIME's ``num_samples``), >= 2.
        discretize: Use LIME's default of quartile bins
            (``discretize_continuous=True``): each weight is then that of
            the indicator "column ``j`` lies in the same quartile of the
            background as ``x_j``"; LIME then draws from the background's
            bins, not around ``x``. ``False`` (the default here) keeps the
            columns continuous, as described above.

    Returns:
        np.ndarray: float64 weights, shaped like ``X``.

    Raises:
        ValueError: For a badly shaped ``X`` or ``baseline``, NaN/inf values,
            a target out of range, an unknown ``output``, ``kernel_width <=
            0`` or ``n_draws < 2``.
        TypeError: For a non-Keras model or non-numeric arguments.
    """
    X = check_inputs(model, X)
    t = check_target(model, target, X)
    background = _check_background(baseline, X)
    output = check_choice(output, "output", _OUTPUTS)
    seed = check_int(seed, "seed", low=0)
    n_draws = check_int(n_draws, "n_draws", low=2)
    if kernel_width is not None:
        kernel_width = check_real(kernel_width, "kernel_width", low=0.0, low_open=True)
    if not isinstance(discretize, bool | np.bool_):
        raise TypeError(f"discretize must be True or False, got {discretize!r}")
    if output == "logit":
        _logits(model, X[:1])

    from lime.lime_tabular import LimeTabularExplainer
    from threadpoolctl import threadpool_limits

    n, shape = X.shape[0], X.shape[1:]
    d = background.shape[1]
    flat = X.reshape(n, d)
    out = np.empty((n, d))
    # The fits are tiny (n_draws x d): a second BLAS thread only contends
    # with TensorFlow's threads (each fit ran ~10x slower on 2 cores).
    prototype = LimeTabularExplainer(
        background,
        mode="regression",
        kernel_width=kernel_width,
        feature_selection="none",
        discretize_continuous=bool(discretize),
        sample_around_instance=True,  # local draws (LIME's default: around mu)
        random_state=seed,
    )
    with threadpool_limits(limits=1, user_api="blas"):
        for cls, rows in _groups(t):
            f = _target_function(model, cls, output, shape)
            for i in rows:
                # A copy of the fresh explainer, random state included: every
                # sample gets the same draws.
                explainer = copy.deepcopy(prototype)
                exp = explainer.explain_instance(
                    flat[i], f, num_features=d, num_samples=n_draws
                )
                for j, w in exp.local_exp[1]:
                    out[i, int(j)] = w
    return out.reshape(X.shape)
