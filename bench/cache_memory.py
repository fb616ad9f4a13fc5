"""Memory and time of the package's caches over many calls (issue 18). A plain script.

Usage: ``python bench/cache_memory.py WHICH N`` with ``WHICH`` one of

- ``build``: control, builds and calls ``N`` small Keras models (no nnbook):
  what Keras itself keeps per model;
- ``explain``: explains ``N`` models with integrated gradients and deletes
  them: resident-memory growth, cache entries left, models still alive;
- ``labelrand``: ``N`` calls of ``label_randomization`` on one model;
- ``actmax``: ``N`` calls of ``activation_maximization`` (``n_steps=20``) on
  the untrained digits CNN: ms per call and memory growth.

Numbers are resident-set growth (``VmRSS``, MiB) after ``gc.collect()``,
measured after one warm-up call; they vary with the machine and its load.
"""

import gc
import os
import sys
import time
import weakref

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import nnbook.explain as E  # noqa: E402
from nnbook.explain import _core  # noqa: E402


def rss() -> float:
    """Resident memory of this process in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def mlp() -> keras.Model:
    m = keras.Sequential(
        [
            keras.Input((20,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    m.compile(optimizer="adam", loss="binary_crossentropy")
    return m


def main(which: str, n: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 20))
    y = (X[:, 0] > 0).astype(int)
    if which == "build":
        m = mlp()
        del m
        gc.collect()
        r0 = rss()
        for _ in range(n):
            m = mlp()
            m.predict(X[:5], verbose=0)
            del m
        gc.collect()
        print(f"control: {n} models built and called once: +{rss() - r0:.1f} MiB")
    elif which == "explain":
        m = mlp()
        E.integrated_gradients(m, X[:5], n_steps=8)
        del m
        gc.collect()
        r0, refs, t0 = rss(), [], time.perf_counter()
        for _ in range(n):
            m = mlp()
            E.integrated_gradients(m, X[:5], n_steps=8)
            refs.append(weakref.ref(m))
            del m
        gc.collect()
        alive = sum(r() is not None for r in refs)
        ms = 1000 * (time.perf_counter() - t0) / n
        print(
            f"explain: {n} models: +{rss() - r0:.1f} MiB, cache entries "
            f"{len(_core._CACHE)}, alive {alive}, {ms:.0f} ms/model"
        )
    elif which == "labelrand":
        m = mlp()
        m.fit(X, y, epochs=1, verbose=0)
        kw = {"method": E.gradient_saliency, "epochs": 2}
        E.label_randomization(m, X, y, X[:5], **kw)
        gc.collect()
        r0, t0 = rss(), time.perf_counter()
        for _ in range(n):
            E.label_randomization(m, X, y, X[:5], **kw)
        ms = 1000 * (time.perf_counter() - t0) / n
        gc.collect()
        grown = rss() - r0
        print(f"label_randomization: {n} calls: +{grown:.1f} MiB, {ms:.0f} ms/call")
    elif which == "actmax":
        from nnbook.models import build_digits_cnn

        cnn = build_digits_cnn()
        E.activation_maximization(cnn, n_steps=20)
        gc.collect()
        r0, t0 = rss(), time.perf_counter()
        for _ in range(n):
            E.activation_maximization(cnn, n_steps=20)
        ms = 1000 * (time.perf_counter() - t0) / n
        gc.collect()
        print(
            f"activation_maximization: {n} calls (n_steps=20): +{rss() - r0:.1f} "
            f"MiB, {ms:.0f} ms/call"
        )
    else:
        raise SystemExit(f"WHICH must be build, explain, labelrand or actmax: {which}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
