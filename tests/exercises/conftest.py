"""Fixtures for the exercise tests: each chapter's objects, small and shared.

An answer cell runs in a *namespace* holding the chapter objects its
exercise needs (``Exercise.needs``). The objects are built once per test
session and are the chapters' own kinds: the article's data and network
(trained as the article does), the fitted logistic regression, the digits
CNN of the image chapter (trained for fewer epochs), and so on.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def seed_run(seed_data):
    """The article's network trained as the article does, and its history."""
    from nnbook.models import build_seed_mlp
    from nnbook.training import set_seed, train

    set_seed(42)
    model = build_seed_mlp()
    history = train(model, seed_data.X_train, seed_data.y_train)
    return model, history


@pytest.fixture(scope="session")
def digits_run():
    """The image chapter's CNN (its architecture), trained for 4 epochs."""
    from nnbook.data import make_digits_data
    from nnbook.models import build_digits_cnn
    from nnbook.training import set_seed

    set_seed(0)
    digits = make_digits_data()
    cnn = build_digits_cnn(filters=(32, 64))
    cnn.fit(digits.X_train, digits.y_train, epochs=4, batch_size=32, verbose=0)
    return digits, cnn


@pytest.fixture(scope="session")
def text_run():
    """The text chapter's data, bag of words and GRU (its recipe, in float64)."""
    from nnbook.data import make_text_data
    from nnbook.explain import token_attribution
    from nnbook.models import build_text_bag, build_text_rnn
    from nnbook.training import set_seed

    data = make_text_data(random_state=0)
    models = []
    for build in (build_text_bag, build_text_rnn):
        set_seed(0)
        model = build(data.vocab_size, data.seq_len, dtype="float64")
        model.fit(data.X_train, data.y_train, epochs=10, batch_size=64, verbose=0)
        models.append(model)
    bag, rnn = models
    gxi = token_attribution(rnn, data.X_test, method="gradient_x_input")
    return data, bag, rnn, {"gradient_x_input": gxi}


def _importances(model, X):
    """Mean |contribution to the logit| per column (the summary chapter's)."""
    (W, b), (v, _) = (layer.get_weights() for layer in model.layers)
    on = (X @ W + b) > 0
    return np.abs(X * ((on * v[:, 0]) @ W.T)).mean(axis=0)


@pytest.fixture(scope="session")
def namespaces(seed_data, seed_run, digits_run, text_run) -> dict[str, dict[str, Any]]:
    """Chapter topic -> the chapter objects its answer cells use."""
    from sklearn.linear_model import LogisticRegression

    from nnbook.explain import token_output
    from nnbook.models import build_seed_mlp
    from nnbook.training import set_seed

    data = seed_data
    model, history = seed_run
    digits, cnn = digits_run
    text, bag, rnn, attrs_rnn = text_run
    logreg = LogisticRegression(max_iter=1000).fit(data.X_train, data.y_train)
    set_seed(43)
    other = build_seed_mlp()  # a second network: another seed's weights
    inf = int(np.flatnonzero(data.roles == "informative")[0])
    common = {"np": np, "data": data}
    y_score = model.predict(data.X_test, verbose=0)[:, 0].astype(np.float64)
    n_fit = int(np.ceil(0.8 * len(data.y_train)))  # Keras's validation_split=0.2
    X_val = data.X_train[n_fit:]
    y_score_val = model.predict(X_val, verbose=0)[:, 0].astype(np.float64)
    return {
        "background": {**common, "model": model},
        "concepts": {**common, "model": model},
        "training_loop": dict(common),
        "loss": {**common, "x_col": data.X_train[:, inf]},
        "project": {**common, "model": model, "history": history, "logreg": logreg},
        "explaining": {**common, "model": model},
        "images": {
            "np": np,
            "cnn": cnn,
            "X_test": digits.X_test,
            "y_test": digits.y_test,
        },
        "text": {
            "np": np,
            "data": text,
            "X_test": text.X_test,
            "y_test": text.y_test,
            "mask_test": text.cue_mask_test,
            "bag": bag,
            "rnn": rnn,
            "attrs_rnn": attrs_rnn,
            "token_output": token_output,
        },
        "tools": {
            **common,
            "model": model,
            "logreg": logreg,
            "LogisticRegression": LogisticRegression,
        },
        "summary": {
            "np": np,
            "imp_a": _importances(model, data.X_test),
            "imp_b": _importances(other, data.X_test),
        },
        "faq": {
            **common,
            "y_score": y_score,
            "y_val": data.y_train[n_fit:],
            "y_score_val": y_score_val,
        },
    }
