"""The article's data set, with the true role of every column.

The article generates its data with ``sklearn.datasets.make_classification``
and splits it 80/20. ``make_classification`` also knows which columns carry
signal, but it shuffles them away. :func:`make_seed_data` recovers them, so the
book can score explanations against the truth, something real data never
allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "ROLES",
    "SeedData",
    "make_seed_data",
    "column_roles",
]

#: The four roles a column of ``make_classification`` can play.
ROLES: tuple[str, ...] = ("informative", "redundant", "repeated", "noise")

_DEFAULTS: dict[str, Any] = {"n_samples": 1000, "n_features": 20, "n_classes": 2}

#: Size bounds of the count keywords: the data is built in memory as float64.
_COUNTS: dict[str, tuple[int, int]] = {
    "n_samples": (2, 1_000_000),
    "n_features": (1, 10_000),
    "n_informative": (1, 10_000),
    "n_redundant": (0, 10_000),
    "n_repeated": (0, 10_000),
    "n_classes": (2, 1_000),
    "n_clusters_per_class": (1, 1_000),
}


def _check_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``make_classification``'s keywords, checked by nnbook (clear errors)."""
    import inspect

    from sklearn.datasets import make_classification

    from .._checks import check_int

    allowed = set(inspect.signature(make_classification).parameters) - {
        "shuffle",
        "random_state",
    }
    for key in kwargs:
        if key not in allowed:
            raise TypeError(
                f"make_classification_kwargs: unknown keyword {key!r}; expected one "
                f"of {sorted(allowed)}"
            )
    for key, (low, high) in _COUNTS.items():
        if key in kwargs:
            kwargs[key] = check_int(
                kwargs[key], key, low=low, high=high, why="the data is held in memory"
            )
    used = sum(kwargs.get(k, d) for k, d in (("n_informative", 2), ("n_redundant", 2)))
    used += kwargs.get("n_repeated", 0)
    if used > kwargs["n_features"]:
        raise ValueError(
            f"n_features ({kwargs['n_features']}) must be at least n_informative + "
            f"n_redundant + n_repeated ({used})"
        )
    return kwargs


@dataclass(frozen=True)
class SeedData:
    """The article's data, split, with the true column roles.

    Attributes:
        X_train: Training inputs, float64 array of shape ``(800, n_features)``
            for the article's 1,000 samples.
        X_test: Test inputs, float64 array of shape ``(200, n_features)``.
        y_train: Training labels, int array of shape ``(800,)``.
        y_test: Test labels, int array of shape ``(200,)``.
        roles: str array of shape ``(n_features,)``; each entry is one of
            ``ROLES``.
        X: All inputs before the split, shape ``(n_samples, n_features)``.
        y: All labels before the split, shape ``(n_samples,)``.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    roles: np.ndarray
    X: np.ndarray
    y: np.ndarray

    @property
    def n_features(self) -> int:
        """The number of input columns."""
        return int(self.X.shape[1])

    @property
    def feature_names(self) -> list[str]:
        """Column names ``x00, x01, ...``."""
        return [f"x{j:02d}" for j in range(self.n_features)]

    @property
    def useful(self) -> np.ndarray:
        """Boolean mask of the columns that carry signal (not ``noise``)."""
        return self.roles != "noise"


def column_roles(
    random_state: int = 42, **make_classification_kwargs: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Generate ``make_classification`` data and recover each column's role.

    ``make_classification`` builds its columns in the order informative,
    redundant, repeated, noise, then shuffles rows and columns with the same
    random generator. This function replays that generator: it makes the data
    unshuffled, continues the generator exactly as sklearn does, and so learns
    the column permutation. The result is checked against the real shuffled
    output, so a change inside sklearn raises instead of giving wrong roles.

    Args:
        random_state: The seed passed to ``make_classification``.
        **make_classification_kwargs: Any other keyword of
            ``make_classification`` except ``shuffle`` and ``random_state``.

    Returns:
        tuple: ``(X, y, roles)``: X float64 ``(n_samples, n_features)``, y int
        ``(n_samples,)``, roles str ``(n_features,)``.

    Raises:
        ValueError: If ``shuffle`` is passed, or the replay does not reproduce
            sklearn's output.
    """
    from sklearn.datasets import make_classification
    from sklearn.utils import shuffle as util_shuffle

    if "shuffle" in make_classification_kwargs:
        raise ValueError("shuffle must not be passed: the roles are recovered from it")
    if isinstance(random_state, bool) or not isinstance(random_state, int | np.integer):
        raise TypeError(
            f"random_state must be an integer, got {type(random_state).__name__}"
        )
    if random_state < 0 or random_state >= 2**32:
        raise ValueError(f"random_state must be in [0, 2**32), got {random_state}")
    kwargs = _check_kwargs({**_DEFAULTS, **make_classification_kwargs})
    try:
        X, y = make_classification(shuffle=True, random_state=random_state, **kwargs)
    except (ValueError, TypeError) as exc:  # sklearn's own parameter checks
        raise ValueError(f"make_classification_kwargs are inconsistent: {exc}") from exc

    rng = np.random.RandomState(random_state)
    X0, y0 = make_classification(shuffle=False, random_state=rng, **kwargs)
    # What sklearn does next when shuffle=True (same generator, same order).
    X1, y1 = util_shuffle(X0, y0, random_state=rng)
    order = np.arange(X0.shape[1])
    rng.shuffle(order)
    X1 = X1[:, order]
    if not (np.array_equal(X1, X) and np.array_equal(y1, y)):
        raise ValueError(
            "could not replay make_classification's shuffle; "
            "this sklearn version generates data differently"
        )

    n_features = X.shape[1]
    n_inf = int(kwargs.get("n_informative", 2))
    n_red = int(kwargs.get("n_redundant", 2))
    n_rep = int(kwargs.get("n_repeated", 0))
    unshuffled = np.array(
        ["informative"] * n_inf
        + ["redundant"] * n_red
        + ["repeated"] * n_rep
        + ["noise"] * (n_features - n_inf - n_red - n_rep)
    )
    return X, y, unshuffled[order]


def make_seed_data(
    random_state: int = 42, **make_classification_kwargs: Any
) -> SeedData:
    """The article's data: ``make_classification`` split 80/20.

    With no arguments this is exactly the article's program::

        X, y = make_classification(n_samples=1000, n_features=20,
                                   n_classes=2, random_state=42)
        train_test_split(X, y, test_size=0.2, random_state=42)

    Args:
        random_state: Seed of ``make_classification``; the split always uses
            ``random_state=42``, as the article does.
        **make_classification_kwargs: Other keywords of
            ``make_classification`` (for example ``n_informative=3``).

    Returns:
        SeedData: The split data and the true ``roles`` of its columns.

    Example:
        >>> data = make_seed_data()
        >>> data.X_train.shape, data.X_test.shape
        ((800, 20), (200, 20))
    """
    from sklearn.model_selection import train_test_split

    X, y, roles = column_roles(random_state, **make_classification_kwargs)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, random_state=42
    )
    return SeedData(X_train, X_test, y_train, y_test, roles, X, y)
