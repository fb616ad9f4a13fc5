"""What does float64 training cost, and does it hold bit for bit? A plain script.

Trains three of the book's models exactly as their chapters do, once with
Keras's default float32 and once with ``keras.config.set_floatx("float64")``
set before building (PLAN Decision 2):

- ``cnn``: the digits CNN of chapter 07 (``build_digits_cnn(filters=(32,
  64))``, 15 epochs, batch 32, seed 0);
- ``published``: the article's program of chapter 05 (``Dense(10, relu)``,
  ``Dense(1, sigmoid)``, Adam, 10 epochs, batch 32, 20 % validation, seed 0);
- ``seed_mlp``: chapter 06's model (``build_seed_mlp()`` trained like
  ``nnbook.training.train`` with the article's settings, seed 42), fed data in
  the model's dtype.

Two modes:

``timing`` (the default) fits each model in each dtype ``--repeats`` times in
this process and prints the median fit time, with float64's cost as a ratio
to float32 in the same run.

``stability`` trains every model in both dtypes in a fresh process under each
perturbation of ``scripts/portability_report.py`` (oneDNN's instruction set,
TensorFlow's thread count, NumPy's kernels, the one-ulp shim, all at once)
and compares a SHA-256 of the final weights with the unperturbed run: ``=``
is bit-identical, otherwise the largest weight change (relative to the
largest weight) and the test result it reached. ``--op-determinism`` calls
``tf.config.experimental.enable_op_determinism()`` before training.

Usage::

    .venv/bin/python bench/float64_cost.py [--repeats 3] [--models cnn published]
    .venv/bin/python bench/float64_cost.py stability [--op-determinism]

The machine's load average is printed: other processes slow every fit.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("cnn", "published", "seed_mlp")
DTYPES = ("float32", "float64")
STUDY = (
    "none",
    "isa-avx",
    "isa-sse41",
    "threads-1",
    "threads-3",
    "numpy-x86-v2",
    "numpy-x86-v3",
    "ulp-shim",
    "portable",
)


def fit(model_name: str, dtype: str):
    """Build and fit one model in ``dtype``; return (model, seconds, score)."""
    import keras
    import numpy as np

    # Keras fixes its default dtype policy when the first layer is built; a
    # later set_floatx alone leaves new layers in float32. Set both.
    keras.config.set_floatx(dtype)
    keras.config.set_dtype_policy(dtype)
    try:
        if model_name == "cnn":
            from nnbook.data import make_digits_data
            from nnbook.models import build_digits_cnn

            data = make_digits_data()
            keras.utils.set_random_seed(0)
            model = build_digits_cnn(filters=(32, 64))
            X, Xt = data.X_train.astype(dtype), data.X_test.astype(dtype)
            start = time.perf_counter()
            model.fit(X, data.y_train, epochs=15, batch_size=32, verbose=0)
            seconds = time.perf_counter() - start
            y_hat = model.predict(Xt, verbose=0).argmax(axis=1)
            score = f"{int((y_hat != data.y_test).sum())} wrong"
        elif model_name == "published":
            from sklearn.datasets import make_classification
            from sklearn.model_selection import train_test_split

            X, y = make_classification(
                n_samples=1000, n_features=20, n_classes=2, random_state=42
            )
            X, Xt, y, yt = train_test_split(X, y, test_size=0.2, random_state=42)
            keras.utils.set_random_seed(0)
            model = keras.Sequential(
                [
                    keras.Input((20,)),
                    keras.layers.Dense(10, activation="relu"),
                    keras.layers.Dense(1, activation="sigmoid"),
                ]
            )
            model.compile(
                optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"]
            )
            start = time.perf_counter()
            model.fit(
                X.astype(dtype),
                y.astype(dtype),
                epochs=10,
                batch_size=32,
                validation_split=0.2,
                verbose=0,
            )
            seconds = time.perf_counter() - start
            loss, _ = model.evaluate(Xt.astype(dtype), yt.astype(dtype), verbose=0)
            score = f"loss {loss:.6f}"
        elif model_name == "seed_mlp":
            from nnbook.data import make_seed_data
            from nnbook.models import build_seed_mlp

            data = make_seed_data()
            keras.utils.set_random_seed(42)
            model = build_seed_mlp()
            start = time.perf_counter()
            model.fit(
                data.X_train.astype(dtype),
                data.y_train.astype(dtype),
                epochs=10,
                batch_size=32,
                validation_split=0.2,
                verbose=0,
            )
            seconds = time.perf_counter() - start
            loss, _ = model.evaluate(
                data.X_test.astype(dtype), data.y_test.astype(dtype), verbose=0
            )
            score = f"loss {loss:.6f}"
        else:
            raise ValueError(f"model_name must be one of {MODELS}, got {model_name!r}")
        weights = model.get_weights()
        assert all(w.dtype == np.dtype(dtype) for w in weights), "wrong dtype"
        return model, seconds, score
    finally:
        keras.config.set_floatx("float32")
        keras.config.set_dtype_policy("float32")


def weights_hash(model) -> str:
    """SHA-256 of every weight's bytes, in order (first 16 hex digits)."""
    digest = hashlib.sha256()
    for w in model.get_weights():
        digest.update(w.tobytes())
    return digest.hexdigest()[:16]


def timing(models: list[str], repeats: int) -> None:
    rows = []
    for name in models:
        fit(name, "float32")  # warm-up: TensorFlow's first trace and kernels
        times = {}
        for dtype in DTYPES:
            times[dtype] = statistics.median(
                fit(name, dtype)[1] for _ in range(repeats)
            )
        rows.append((name, times["float32"], times["float64"]))
    print(f"load average {os.getloadavg()[0]:.1f}, median of {repeats} fits")
    print("| model | float32 fit | float64 fit | float64 / float32 |")
    print("| --- | --- | --- | --- |")
    for name, t32, t64 in rows:
        print(f"| {name} | {t32:.2f} s | {t64:.2f} s | {t64 / t32:.2f}x |")


def hashes(models: list[str], save: Path | None = None) -> dict:
    """Fit every model in both dtypes; their weight hashes (and .npz files)."""
    import numpy as np

    result = {}
    for name in models:
        for dtype in DTYPES:
            model, seconds, score = fit(name, dtype)
            key = f"{name} {dtype}"
            result[key] = {
                "hash": weights_hash(model),
                "score": score,
                "seconds": seconds,
            }
            if save is not None:
                np.savez(save / f"{key.replace(' ', '_')}.npz", *model.get_weights())
    return result


def relative_change(a: Path, b: Path) -> float:
    """Largest |w_a - w_b| over largest |w_a|, over every weight array."""
    import numpy as np

    with np.load(a) as wa, np.load(b) as wb:
        return max(
            float(np.abs(wa[k] - wb[k]).max() / np.abs(wa[k]).max()) for k in wa.files
        )


def _portability():
    path = ROOT / "scripts" / "portability_report.py"
    spec = importlib.util.spec_from_file_location("_portability_report", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def stability(models: list[str], perturbations: list[str], determinism: bool) -> int:
    report = _portability()
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in perturbations:
            env, applied = report.perturbation_env(report.PERTURBATIONS[name])
            save = Path(tmp) / name
            save.mkdir()
            cmd = [sys.executable, __file__, "hashes", "--models", *models]
            cmd += ["--save", str(save)] + (["--op-determinism"] if determinism else [])
            print(f"==> {name}: {applied or 'no change'}", flush=True)
            done = subprocess.run(
                cmd, env=env, cwd=ROOT, capture_output=True, text=True
            )
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return done.returncode
            if done.stderr.strip():  # TensorFlow logs errors at level 2, too
                lines = done.stderr.strip().splitlines()
                print(f"    {len(lines)} lines on stderr, the last: {lines[-1][:100]}")
            runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
        first = perturbations[0]
        base = runs[first]
        print(f"\nload average {os.getloadavg()[0]:.1f}; op determinism {determinism}")
        print(f"'=': weights bit-identical to '{first}'; otherwise the largest")
        print("weight change relative to the largest weight, and the result")
        print("| model | " + " | ".join(perturbations) + " |")
        print("|" + " --- |" * (len(perturbations) + 1))
        for key in base:
            cells = [base[key]["score"]]
            npz = f"{key.replace(' ', '_')}.npz"
            for name in perturbations[1:]:
                run = runs[name][key]
                if run["hash"] == base[key]["hash"]:
                    cells.append("=")
                else:
                    rel = relative_change(
                        Path(tmp) / first / npz, Path(tmp) / name / npz
                    )
                    cells.append(f"{rel:.0e}, {run['score']}")
            print(f"| {key} | " + " | ".join(cells) + " |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode", nargs="?", default="timing", choices=["timing", "stability", "hashes"]
    )
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--perturbations", nargs="+", default=list(STUDY))
    parser.add_argument(
        "--op-determinism",
        action="store_true",
        help="call tf.config.experimental.enable_op_determinism() first",
    )
    parser.add_argument("--save", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.op_determinism and args.mode != "stability":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    if args.mode == "timing":
        timing(args.models, args.repeats)
    elif args.mode == "hashes":
        print(json.dumps(hashes(args.models, args.save)))
    else:
        return stability(args.models, args.perturbations, args.op_determinism)
    return 0


if __name__ == "__main__":
    sys.exit(main())
