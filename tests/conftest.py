"""Shared fixtures. TensorFlow is kept quiet and matplotlib headless."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def seed_data():
    """The article's data set and split."""
    from nnbook.data import make_seed_data

    return make_seed_data()


@pytest.fixture(scope="session")
def trained_seed_model(seed_data):
    """The article's network, trained as the article does (seed 42)."""
    from nnbook.models import build_seed_mlp
    from nnbook.training import set_seed, train

    set_seed(42)
    model = build_seed_mlp()
    train(model, seed_data.X_train, seed_data.y_train)
    return model
