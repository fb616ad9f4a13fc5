"""SHAP and LIME beside IG and permutation importance, on the book's ground truth.

A plain script that produces the numbers of ``docs/drafts/tools_shap_lime.md``.
For each seed ``s`` it makes the data with ``make_seed_data(random_state=s)``,
trains the article's network in float64 with ``set_seed(s)`` (10 epochs, as
the article), explains the test samples with every configuration below and
scores each with ``ground_truth_score``. Results go to one JSON file per seed.

Usage (each step writes or reads JSON files in ``--out``)::

    export TF_CPP_MIN_LOG_LEVEL=2
    M=docs/drafts/measure_shap_lime.py
    # the sweep: backgrounds, coalitions, widths, bins, draws (200 samples)
    .venv/bin/python $M --seeds 0 1 2 3 4 42 --out /tmp/shap_lime
    # the chapter's configuration, 10 and 100 epochs, contrasting backgrounds
    .venv/bin/python $M --supplement --seeds 0 1 2 3 4 42 --out /tmp/shap_lime
    # seconds per sample, best of three, and one-time costs
    .venv/bin/python $M --timing --seeds 0
    # tables (sweep, stability, supplement) and the proposed figure
    .venv/bin/python $M --table --seeds 0 1 2 3 4 --out /tmp/shap_lime
    .venv/bin/python $M --figure docs/drafts/tools_shap_lime.png \
        --seeds 0 1 2 3 4 --out /tmp/shap_lime

The sweep took about 4 minutes per seed, the supplement about 1.5, on two
cores shared with other jobs.

Attributions are in logit space (``output="logit"``, the package default),
except the row marked "probability". Seconds per explained sample are wall
time on the machine that ran it (its load average is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402

N_EXPLAIN = 200  # every test sample


def logit_copy(model):
    """The same network with a linear head: its output is the logit."""
    import keras

    inp = keras.Input(model.inputs[0].shape[1:])
    h = inp
    for lay in model.layers:
        cfg = lay.get_config()
        if lay is model.layers[-1]:
            cfg["activation"] = "linear"
        new = type(lay).from_config(cfg)
        h = new(h)
        new.set_weights(lay.get_weights())
    return keras.Model(inp, h)


def run_seed(seed: int, out_dir: pathlib.Path) -> None:
    import keras

    keras.config.set_floatx("float64")
    import nnbook.explain as ex
    from nnbook.data import make_seed_data
    from nnbook.explain.libraries import lime_weights, shap_values
    from nnbook.models import build_seed_mlp
    from nnbook.training import evaluate, set_seed, train

    data = make_seed_data(random_state=seed)
    set_seed(seed)
    model = build_seed_mlp()
    train(model, data.X_train, data.y_train)
    acc = evaluate(model, data.X_test, data.y_test)["accuracy"]
    logit_model = logit_copy(model)
    X = data.X_test[:N_EXPLAIN]
    mean = data.X_train.mean(axis=0)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data.X_train))

    def bg(m: int) -> np.ndarray:
        return data.X_train[order[:m]]

    results: dict = {"seed": seed, "accuracy": acc, "roles": data.roles.tolist()}
    attrs: dict[str, np.ndarray] = {}
    rows: dict[str, dict] = {}

    def record(name: str, fn, n: int = N_EXPLAIN) -> None:
        t0 = time.perf_counter()
        a = np.asarray(fn())
        dt = time.perf_counter() - t0
        score = ex.ground_truth_score(a, data.roles)
        attrs[name] = a
        rows[name] = {
            "precision_at_k": score["precision_at_k"],
            "auc": score["auc"],
            "k": score["k"],
            "seconds": dt,
            "n": n,
            "global": ex.global_importance(a).tolist(),
        }
        print(
            f"seed {seed} {name:44s} P@k {score['precision_at_k']:.2f} "
            f"AUC {score['auc']:.3f} {dt / n * 1e3:8.2f} ms/sample",
            flush=True,
        )

    # the book's own methods
    record(
        "IG exact, zeros",
        lambda: ex.integrated_gradients(logit_model, X, method="exact"),
    )
    record(
        "IG exact, training mean",
        lambda: ex.integrated_gradients(logit_model, X, baseline=mean, method="exact"),
    )
    record(
        "IG exact, zeros, probability",
        lambda: ex.integrated_gradients(model, X, method="exact"),
    )
    record(
        "permutation importance",
        lambda: ex.permutation_importance(
            model, data.X_test, data.y_test, n_repeats=10, seed=0
        ),
        n=len(data.X_test),
    )

    # SHAP: background = IG's baseline question
    record("SHAP kernel, zeros", lambda: shap_values(model, X, algorithm="kernel"))
    record(
        "SHAP kernel, training mean",
        lambda: shap_values(model, X, baseline=mean, algorithm="kernel"),
    )
    for m in (10, 25, 50, 100):
        record(
            f"SHAP kernel, {m} training rows",
            lambda m=m: shap_values(model, X, baseline=bg(m), algorithm="kernel"),
        )
    # SHAP: how few coalitions are enough (background of 25 rows)
    for draws in (50, 100, 200, 500):
        record(
            f"SHAP kernel, 25 rows, {draws} coalitions",
            lambda draws=draws: shap_values(
                model, X, baseline=bg(25), algorithm="kernel", n_draws=draws
            ),
        )
    # SHAP: fewer explained samples
    for n in (25, 50, 100):
        record(
            f"SHAP kernel, 25 rows, 200 coalitions, {n} samples",
            lambda n=n: shap_values(
                model, X[:n], baseline=bg(25), algorithm="kernel", n_draws=200
            ),
            n=n,
        )
    # SHAP: the permutation estimator (its first call compiles numba code)
    record(
        "SHAP permutation, 25 rows, 1 permutation (first call)",
        lambda: shap_values(
            model, X[:1], baseline=bg(25), n_draws=1, algorithm="permutation"
        ),
        n=1,
    )
    for perms in (1, 3, 10):
        record(
            f"SHAP permutation, 25 rows, {perms} permutations",
            lambda perms=perms: shap_values(
                model, X, baseline=bg(25), algorithm="permutation", n_draws=perms
            ),
        )

    # LIME: the training data as LIME's background; kernel width and bins
    d = X.shape[1]
    default_width = 0.75 * np.sqrt(d)
    for width in (1.0, default_width, 10.0):
        record(
            f"LIME, width {width:.2f}",
            lambda width=width: lime_weights(
                model, X, baseline=data.X_train, kernel_width=width
            ),
        )
    record(
        "LIME, width default, quartile bins",
        lambda: lime_weights(model, X, baseline=data.X_train, discretize=True),
    )
    record(
        "LIME, width default, probability, quartile bins",
        lambda: lime_weights(
            model, X, baseline=data.X_train, discretize=True, output="probability"
        ),
    )
    for draws in (250, 500, 1000):
        record(
            f"LIME, width default, {draws} draws",
            lambda draws=draws: lime_weights(
                model, X, baseline=data.X_train, n_draws=draws
            ),
        )

    # agreement: Spearman of global rankings and mean per-sample rank corr.
    from scipy.stats import spearmanr

    refs = ["IG exact, zeros", "IG exact, training mean", "permutation importance"]
    for name, row in rows.items():
        row["spearman_global"] = {
            r: float(spearmanr(row["global"], rows[r]["global"]).statistic)
            for r in refs
        }
        a = attrs[name]
        if a.ndim == 2:
            n = a.shape[0]
            row["spearman_per_sample"] = {
                r: float(np.nanmean(ex.rank_correlation(a, attrs[r][:n])))
                for r in refs[:2]
            }
    # SHAP with a one-row baseline against IG from the same baseline
    for shap_name, ig_name in (
        ("SHAP kernel, zeros", "IG exact, zeros"),
        ("SHAP kernel, training mean", "IG exact, training mean"),
    ):
        diff = np.abs(attrs[shap_name] - attrs[ig_name]).sum(axis=1)
        size = np.abs(attrs[ig_name]).sum(axis=1)
        rows[shap_name]["l1_gap_to_ig_median"] = float(np.median(diff / size))
    results["rows"] = rows
    results["loadavg"] = os.getloadavg()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"seed{seed}.json").write_text(json.dumps(results, indent=1))


def table(out_dir: pathlib.Path, seeds: list[int]) -> None:
    runs = [json.loads((out_dir / f"seed{s}.json").read_text()) for s in seeds]
    seeds = [r["seed"] for r in runs]
    acc = np.array([r["accuracy"] for r in runs])
    print(f"seeds {seeds}; test accuracy {acc.mean():.3f} +- {acc.std(ddof=1):.3f}")
    names = list(runs[0]["rows"])
    head = (
        f"{'method':52s} {'P@k mean':>8s} {'(min-max)':>11s} {'AUC mean':>8s} "
        f"{'sd':>5s} {'ms/sample':>9s} {'rho IG0':>7s} {'rho IGm':>7s} "
        f"{'rho PI':>6s}"
    )
    print(head)
    for name in names:
        rs = [r["rows"][name] for r in runs]
        p = np.array([x["precision_at_k"] for x in rs])
        a = np.array([x["auc"] for x in rs])
        ms = np.median([x["seconds"] / x["n"] * 1e3 for x in rs])
        sg = {
            k: np.mean([x["spearman_global"][k] for x in rs])
            for k in rs[0]["spearman_global"]
        }
        print(
            f"{name:52s} {p.mean():8.2f} {f'({p.min():.2f}-{p.max():.2f})':>11s} "
            f"{a.mean():8.3f} {a.std(ddof=1):5.3f} {ms:9.2f} "
            f"{sg['IG exact, zeros']:7.2f} {sg['IG exact, training mean']:7.2f} "
            f"{sg['permutation importance']:6.2f}"
        )
    for name in ("SHAP kernel, zeros", "SHAP kernel, training mean"):
        g = [r["rows"][name]["l1_gap_to_ig_median"] for r in runs]
        print(f"median L1 gap |SHAP - IG| / |IG|, {name}: {np.mean(g):.3f}")
    print("per-sample rank correlation with IG (same baseline):")
    for name in names:
        rs = [r["rows"][name] for r in runs]
        if "spearman_per_sample" in rs[0]:
            v0 = np.mean([x["spearman_per_sample"]["IG exact, zeros"] for x in rs])
            vm = np.mean(
                [x["spearman_per_sample"]["IG exact, training mean"] for x in rs]
            )
            print(f"  {name:52s} IG zeros {v0:5.2f}   IG mean {vm:5.2f}")
    stability(runs)
    print("load averages:", [tuple(round(v, 1) for v in r["loadavg"]) for r in runs])


#: The most expensive configuration of each library: the reference that the
#: cheaper ones are compared with.
REFERENCES = {
    "SHAP": "SHAP kernel, 100 training rows",
    "LIME": "LIME, width 3.35",
}


def stability(runs: list[dict]) -> None:
    """How far each cheaper configuration moves from its library's reference:
    the largest change of AUC over the seeds, and the mean Spearman
    correlation of the global rankings."""
    from scipy.stats import spearmanr

    print("stability against the reference (max |AUC change|, mean rho of ranking):")
    for lib, ref in REFERENCES.items():
        for name in runs[0]["rows"]:
            if not name.startswith(lib) or "first call" in name:
                continue
            d_auc = [abs(r["rows"][name]["auc"] - r["rows"][ref]["auc"]) for r in runs]
            rho = [
                spearmanr(r["rows"][name]["global"], r["rows"][ref]["global"]).statistic
                for r in runs
            ]
            print(
                f"  {name:52s} vs {ref:32s} max|dAUC| {max(d_auc):.3f}  "
                f"rho {np.mean(rho):.3f} (min {min(rho):.3f})"
            )


#: The configuration proposed for the chapter: stable (see ``stability``) and
#: cheap. SHAP: Kernel SHAP, 25 training rows as the background, 200
#: coalitions; LIME: the training data, LIME's default width, 1000 draws;
#: both on the first 100 test samples.
CHAPTER_SAMPLES = 100


def run_supplement(seed: int, out_dir: pathlib.Path) -> None:
    """The baseline question with contrasting backgrounds, and the chapter's
    configuration on the article's network trained for 10 and for 100 epochs."""
    import keras

    keras.config.set_floatx("float64")
    from nnbook.data import make_seed_data

    data = make_seed_data(random_state=seed)
    X = data.X_test[:N_EXPLAIN]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data.X_train))
    y_ord = data.y_train[order]
    bg = {
        "25 training rows": data.X_train[order[:25]],
        "25 class-0 rows": data.X_train[order[y_ord == 0][:25]],
        "25 class-1 rows": data.X_train[order[y_ord == 1][:25]],
    }
    out: dict = {"seed": seed, "mean_norm": float(np.linalg.norm(data.X_train.mean(0)))}
    for epochs in (10, 100):
        out[f"{epochs} epochs"] = _supplement_one(seed, epochs, data, X, bg)
    out["loadavg"] = os.getloadavg()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"supp{seed}.json").write_text(json.dumps(out, indent=1))


def _supplement_one(seed: int, epochs: int, data, X, bg) -> dict:
    """One network of the supplement: train, explain, score."""
    import nnbook.explain as ex
    from nnbook.explain.libraries import lime_weights, shap_values
    from nnbook.models import build_seed_mlp
    from nnbook.training import evaluate, set_seed, train

    set_seed(seed)
    model = build_seed_mlp()
    train(model, data.X_train, data.y_train, epochs=epochs)
    logit_model = logit_copy(model)
    res: dict = {"accuracy": evaluate(model, data.X_test, data.y_test)["accuracy"]}
    attrs = {}

    def record(name, fn, n, res=res, attrs=attrs):
        t0 = time.perf_counter()
        a = np.asarray(fn())
        dt = time.perf_counter() - t0
        sc = ex.ground_truth_score(a, data.roles)
        attrs[name] = a
        res[name] = {
            "precision_at_k": sc["precision_at_k"],
            "auc": sc["auc"],
            "seconds": dt,
            "n": n,
            "global": ex.global_importance(a).tolist(),
        }
        print(
            f"seed {seed} {epochs:3d} ep {name:40s} P@k "
            f"{sc['precision_at_k']:.2f} AUC {sc['auc']:.3f} "
            f"{dt / n * 1e3:7.2f} ms/sample",
            flush=True,
        )

    n = CHAPTER_SAMPLES
    record(
        "IG exact, zeros",
        lambda: ex.integrated_gradients(logit_model, X[:n], method="exact"),
        n,
    )
    record(
        "permutation importance",
        lambda: ex.permutation_importance(
            model, data.X_test, data.y_test, n_repeats=10, seed=0
        ),
        len(X),
    )
    for name, b in bg.items():
        record(
            f"SHAP kernel, {name}",
            lambda b=b: shap_values(model, X[:n], baseline=b, n_draws=200),
            n,
        )
        record(
            f"IG exact, mean of {name}",
            lambda b=b: ex.integrated_gradients(
                logit_model, X[:n], baseline=b.mean(0), method="exact"
            ),
            n,
        )
    record(
        "LIME, default width, 1000 draws",
        lambda: lime_weights(model, X[:n], baseline=data.X_train, n_draws=1000),
        n,
    )
    record(
        "LIME, width 1, 1000 draws",
        lambda: lime_weights(
            model, X[:n], baseline=data.X_train, n_draws=1000, kernel_width=1.0
        ),
        n,
    )
    ref = attrs["SHAP kernel, 25 training rows"]
    res["rank_vs_shap_25_rows"] = {
        k: float(np.nanmean(ex.rank_correlation(a, ref)))
        for k, a in attrs.items()
        if a.ndim == 2
    }
    return res


def supplement_table(out_dir: pathlib.Path, seeds: list[int]) -> None:
    runs = [json.loads((out_dir / f"supp{s}.json").read_text()) for s in seeds]
    print(
        "seeds",
        [r["seed"] for r in runs],
        "|training mean| per seed:",
        [round(r["mean_norm"], 2) for r in runs],
    )
    for ep in ("10 epochs", "100 epochs"):
        acc = np.array([r[ep]["accuracy"] for r in runs])
        print(f"\n{ep}: test accuracy {acc.mean():.3f} +- {acc.std(ddof=1):.3f}")
        names = [
            k
            for k in runs[0][ep]
            if isinstance(runs[0][ep][k], dict) and "auc" in runs[0][ep][k]
        ]
        for name in names:
            p = np.array([r[ep][name]["precision_at_k"] for r in runs])
            a = np.array([r[ep][name]["auc"] for r in runs])
            ms = np.median(
                [r[ep][name]["seconds"] / r[ep][name]["n"] * 1e3 for r in runs]
            )
            rho = [r[ep]["rank_vs_shap_25_rows"].get(name, np.nan) for r in runs]
            print(
                f"  {name:42s} P@k {p.mean():.2f} +- {p.std(ddof=1):.2f}  "
                f"AUC {a.mean():.3f} +- {a.std(ddof=1):.3f}  {ms:7.2f} ms/sample  "
                f"rank corr with SHAP(25 rows) {np.mean(rho):.2f}"
            )


def run_timing(seed: int) -> None:
    """Seconds per explained sample, best of three runs (the machine is shared;
    the best run is the least disturbed), and the one-time costs."""
    import keras

    keras.config.set_floatx("float64")
    import nnbook.explain as ex
    from nnbook.data import make_seed_data
    from nnbook.models import build_seed_mlp
    from nnbook.training import set_seed, train

    data = make_seed_data(random_state=seed)
    set_seed(seed)
    model = build_seed_mlp()
    train(model, data.X_train, data.y_train)
    logit_model = logit_copy(model)
    X = data.X_test[:CHAPTER_SAMPLES]
    bg = data.X_train[np.random.default_rng(seed).permutation(800)[:25]]
    once = {}
    t0 = time.perf_counter()
    import shap  # noqa: F401

    once["import shap"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    import lime.lime_tabular  # noqa: F401

    once["import lime.lime_tabular"] = time.perf_counter() - t0
    from nnbook.explain.libraries import lime_weights, shap_values

    t0 = time.perf_counter()
    shap_values(model, X[:1], baseline=bg, algorithm="permutation", n_draws=1)
    once["first permutation-SHAP call (numba compiles)"] = time.perf_counter() - t0
    cases = {
        "IG exact, zeros (logit)": lambda: ex.integrated_gradients(
            logit_model, X, method="exact"
        ),
        "IG, 128 steps (logit)": lambda: ex.integrated_gradients(logit_model, X),
        "permutation importance, 10 repeats (all 200 test rows)": lambda: (
            ex.permutation_importance(model, data.X_test, data.y_test, seed=0)
        ),
        "SHAP kernel, 25 rows, 200 coalitions": lambda: shap_values(
            model, X, baseline=bg, n_draws=200
        ),
        "SHAP kernel, 25 rows, 2088 coalitions (shap's default)": lambda: shap_values(
            model, X, baseline=bg
        ),
        "SHAP permutation, 25 rows, 1 permutation": lambda: shap_values(
            model, X, baseline=bg, algorithm="permutation", n_draws=1
        ),
        "LIME, 1000 draws": lambda: lime_weights(
            model, X, baseline=data.X_train, n_draws=1000
        ),
        "LIME, 5000 draws (lime's default)": lambda: lime_weights(
            model, X, baseline=data.X_train
        ),
    }
    print(f"seed {seed}, {len(X)} explained samples, best of 3")
    for name, fn in cases.items():
        best = np.inf
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        n = len(data.X_test) if name.startswith("permutation importance") else len(X)
        print(f"  {name:56s} {best / n * 1e3:8.2f} ms/sample  ({best:6.2f} s)")
    for name, dt in once.items():
        print(f"  once: {name:50s} {dt:6.2f} s")
    print("  load average", os.getloadavg())


#: The rows of the proposed figure and table: the chapter's configuration.
FIGURE_ROWS = {
    "IG (exact, zeros)": "IG exact, zeros",
    "permutation importance": "permutation importance",
    "SHAP (Kernel, 25 rows)": "SHAP kernel, 25 training rows",
    "LIME (default width)": "LIME, default width, 1000 draws",
    "LIME (width 1)": "LIME, width 1, 1000 draws",
}


def figure(out_dir: pathlib.Path, seeds: list[int], path: pathlib.Path) -> None:
    """The proposed figure: AUC per method over the seeds, 10 and 100 epochs,
    and the cost per explained sample."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nnbook.plots import plot_method_scores

    runs = [json.loads((out_dir / f"supp{s}.json").read_text()) for s in seeds]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), dpi=100, sharey=True)
    for ax, ep in zip(axes[:2], ("10 epochs", "100 epochs"), strict=True):
        scores = {
            label: [r[ep][key]["auc"] for r in runs]
            for label, key in FIGURE_ROWS.items()
        }
        plot_method_scores(
            scores,
            ax=ax,
            reference=0.5,
            xlabel="ROC AUC, useful vs noise",
            title=f"Trained {ep} ({len(seeds)} data seeds)",
        )
        ax.set_xlim(0.45, 1.02)
    cost = {
        label: [
            r["10 epochs"][key]["seconds"] / r["10 epochs"][key]["n"] * 1e3
            for r in runs
        ]
        for label, key in FIGURE_ROWS.items()
    }
    plot_method_scores(
        cost,
        ax=axes[2],
        log=True,
        xlabel="ms per explained sample (log)",
        title="Cost on 2 shared cores",
    )
    fig.tight_layout()
    fig.savefig(path)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2, 3, 4])
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("/tmp"))
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--supplement", action="store_true")
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--figure", type=pathlib.Path)
    args = parser.parse_args(argv)
    if args.table:
        table(args.out, args.seeds)
        if all((args.out / f"supp{s}.json").exists() for s in args.seeds):
            supplement_table(args.out, args.seeds)
        return
    if args.figure:
        figure(args.out, args.seeds, args.figure)
        return
    if args.timing:
        run_timing(args.seeds[0])
        return
    for seed in args.seeds:
        if args.supplement:
            run_supplement(seed, args.out)
        else:
            run_seed(seed, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
