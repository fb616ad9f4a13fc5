"""scikit-learn's 8 x 8 digits, split and scaled for a small CNN."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DigitsData", "make_digits_data"]


@dataclass(frozen=True)
class DigitsData:
    """scikit-learn's 8 x 8 digits, split once, stratified, scaled to [0, 1].

    Attributes:
        X_train: float32 images of shape ``(n_train, 8, 8, 1)``.
        X_test: float32 images of shape ``(n_test, 8, 8, 1)``.
        y_train: int labels 0-9 of shape ``(n_train,)``.
        y_test: int labels 0-9 of shape ``(n_test,)``.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray

    @property
    def n_classes(self) -> int:
        """The number of classes (10)."""
        return 10


def make_digits_data(test_size: float = 0.25, random_state: int = 0) -> DigitsData:
    """The digits that ship with scikit-learn, ready for a small CNN.

    ``sklearn.datasets.load_digits`` holds 1,797 grey images of 8 x 8 pixels
    with values 0-16; nothing is downloaded. Pixels are divided by 16 so they
    lie in [0, 1], and a channel axis is added.

    Args:
        test_size: Fraction of images held out, stratified by class.
        random_state: Seed of the split.

    Returns:
        DigitsData: The split images and labels.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = (digits.images / 16.0).astype("float32")[..., None]
    y = digits.target.astype("int64")
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=random_state, stratify=y
    )
    return DigitsData(X_train, X_test, y_train, y_test)
