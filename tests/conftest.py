"""Shared fixtures. TensorFlow is kept quiet and matplotlib headless.

The layout of ``tests/`` mirrors the package (``tests/explain`` tests
``nnbook.explain``, and so on); the fixtures every part needs are here, and
so is the one helper that runs a chapter's cells tagged ``scratch`` (the
teaching parallels the package must agree with).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 8 x 8 digits, split as the book does."""
    from nnbook.data import make_digits_data

    return make_digits_data()


@pytest.fixture(scope="session")
def cnn(digits):
    """The digits CNN, trained once (accurate enough to have something to explain)."""
    from nnbook.models import build_digits_cnn
    from nnbook.training import set_seed

    set_seed(0)
    model = build_digits_cnn()
    model.fit(digits.X_train, digits.y_train, epochs=8, batch_size=32, verbose=0)
    return model


@pytest.fixture(scope="session")
def tiny_cnn():
    """An untrained image model: (n, 8, 8, 1) -> softmax over 3 classes."""
    import keras

    keras.utils.set_random_seed(1)
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(
        inputs
    )
    x = keras.layers.Flatten(name="flatten")(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    return keras.Model(inputs, keras.layers.Softmax(name="softmax")(logits))


@pytest.fixture
def copy_model():
    """A function that clones a Keras model with its weights."""

    def copy(model):
        import keras

        clone = keras.models.clone_model(model)
        clone.set_weights(model.get_weights())
        return clone

    return copy


@pytest.fixture(scope="session")
def chapter_cells():
    """Run a chapter's cells tagged ``scratch`` in a fresh namespace.

    Returns:
        A function ``(name) -> dict``: the namespace after the cells ran.
    """

    def run(name: str) -> dict:
        nb = json.loads((ROOT / "chapters" / name).read_text(encoding="utf-8"))
        cells = [c for c in nb["cells"] if "scratch" in c["metadata"].get("tags", [])]
        assert cells, f"{name} has no cell tagged 'scratch'"
        ns: dict = {}
        for cell in cells:
            exec("".join(cell["source"]), ns)  # noqa: S102 - our own chapter's code
        return ns

    return run
