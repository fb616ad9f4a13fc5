"""How fast does the project explorer answer a slider? A plain script.

Drives :class:`nnbook.widgets.ProjectExplorer` through a fixed sequence of
changes that covers every control, and times each ``update`` call: it
retrains (or replays) the network, recomputes every panel and makes the Agg
canvas current: a full draw when the layout changed (the hidden width, the
epochs, the loss axis's snapped top), else the static figure is restored from
its cached background and only the changing artists are drawn on it
(blitting; the ``draw`` column says which). A counter proves one draw per
change. Then it measures the naive path on the same
changes in the same run: build, compile and fit a new Keras model from the
same initial weights, and recreate and draw the figure. A replay change
(``epoch``) costs the naive path a fit of that many epochs, since it records
nothing.

Usage::

    TF_CPP_MIN_LOG_LEVEL=2 .venv/bin/python bench/slider_latency.py

The last line reads
``median_ms=<n> max_ms=<n> first_ms=<n> naive_median_ms=<n> speedup=<x>``.
Targets on a 2-core CPU: median <= 150 ms, first change <= 1.5 s, speedup
>= 10x. The machine's load average is printed: other processes slow both
paths.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

#: The fixed sequence: every control at least twice, values a reader might try.
CHANGES: list[dict] = [
    {"hidden_units": 16},
    {"hidden_units": 32},
    {"lr": 0.003},
    {"lr": 0.01},
    {"epochs": 20},
    {"epoch": 5},
    {"epoch": 12},
    {"epochs": 8},
    {"batch_size": 64},
    {"batch_size": 16},
    {"l2": 0.001},
    {"l2": 0.01},
    {"activation": "tanh"},
    {"activation": "gelu"},
    {"seed": 1},
    {"seed": 2},
    {"epoch": 3},
    {"hidden_units": 8},
    {"lr": 0.03},
    {"activation": "relu"},
    {"batch_size": 32},
    {"epochs": 10},
    {"seed": 0},
    {"epoch": 1},
]


def naive_change(ex, params: dict) -> None:
    """The naive path: a new Keras model, compiled and fitted; a new figure."""
    from nnbook.models import build_seed_mlp
    from nnbook.training import train
    from nnbook.widgets.project_panels import ProjectPanels
    from nnbook.widgets.project_view import project_view

    h = params["hidden_units"]
    model = build_seed_mlp(
        h,
        activation=params["activation"],
        l2=params["l2"],
        lr=params["lr"],
        dtype=ex.trainer.dtype,
    )
    model.set_weights(ex.trainer.initial_weights(h, params["seed"]))
    history = train(
        model,
        ex.data_all[0],
        ex.data_all[1],
        epochs=max(params["epoch"], 1),
        batch_size=params["batch_size"],
    )
    panels = ProjectPanels(ex.data)
    view = project_view(
        ex.data,
        model.get_weights(),
        params["activation"],
        history["loss"],
        history["val_loss"],
        params["epoch"],
    )
    panels.draw(view)
    panels.fig.canvas.draw()


def explorer_times(changes: list[dict] = CHANGES) -> tuple[float, object, list]:
    """Time the explorer's ``update`` on ``changes`` (the in-process path).

    Returns:
        tuple: The start-up time in seconds, the explorer, and one row per
        change: ``[change, ms, (draws, "blit" or "full"), params after]``.
    """
    from nnbook.data import make_seed_data
    from nnbook.widgets import ProjectExplorer

    data = make_seed_data()
    t0 = time.perf_counter()
    ex = ProjectExplorer(data)
    startup = time.perf_counter() - t0
    ex.data_all = (data.X_train, data.y_train)

    rows = []
    for change in changes:
        before, blits = ex.n_draws, ex.n_blits
        t0 = time.perf_counter()
        ex.update(**change)
        ms = (time.perf_counter() - t0) * 1000
        kind = "blit" if ex.n_blits > blits else "full"
        rows.append([change, ms, (ex.n_draws - before, kind), dict(ex.params)])
    return startup, ex, rows


def main() -> int:
    import numpy as np

    startup, ex, rows = explorer_times()
    for row in rows:
        t0 = time.perf_counter()
        naive_change(ex, row[3])
        row.append((time.perf_counter() - t0) * 1000)

    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        f"explorer start-up (TensorFlow import, data, first trace and run) "
        f"{startup:.2f} s"
    )
    print(
        f"{'#':>2}  {'change':<24} {'explorer ms':>11} {'draw':>5} "
        f"{'naive ms':>9} {'speedup':>7}"
    )
    for i, (change, ms, (_, kind), _, naive) in enumerate(rows, 1):
        text = ", ".join(f"{k}={v}" for k, v in change.items())
        print(
            f"{i:>2}  {text:<24} {ms:11.0f} {kind:>5} {naive:9.0f} {naive / ms:6.1f}x"
        )
    ms = np.array([r[1] for r in rows])
    naive = np.array([r[4] for r in rows])
    if any(r[2][0] != 1 for r in rows):
        print("error: a change did not draw the figure exactly once", file=sys.stderr)
        return 1
    median, naive_median = statistics.median(ms), statistics.median(naive)
    print(
        f"median_ms={median:.0f} max_ms={ms.max():.0f} first_ms={ms[0]:.0f} "
        f"naive_median_ms={naive_median:.0f} speedup={naive_median / median:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
