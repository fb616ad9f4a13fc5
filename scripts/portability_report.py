"""Strict nbval under a changed floating-point path: which stored outputs move.

Stored chapter outputs must be the same on any x86-64 or arm64 CPU and at any
thread count. One machine cannot be every CPU, but it can take other
floating-point paths: a lower instruction set for oneDNN (TensorFlow's
float32 matmul and convolution), another TensorFlow thread count, NumPy's
baseline kernels instead of its AVX2/AVX-512 ones, and a one-ulp change to
NumPy's ``exp``/``log``/``log1p``/``expm1`` (the shim in
``tests/portability/shim``). This script runs strict nbval (the same flags as
``make nbval``) under one or more of these *perturbations* and prints, for
each, the failing cells with the first line that differs, and the time each
notebook took.

``make nbval-portable`` is ``portability_report.py portable``: every
perturbation at once. A study runs them one at a time::

    python scripts/portability_report.py --list
    python scripts/portability_report.py none isa-avx threads-1 numpy-x86-v2
    python scripts/portability_report.py study --json study.json
    python scripts/portability_report.py portable --paths chapters/07_images.ipynb

The exit status is 0 when no cell failed under any perturbation run, 1 when
one did, and pytest's own status for anything else (2 interrupted, 4 usage).
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `-p tests.nbval_eval` imports from the root
    sys.path.insert(0, str(ROOT))
SHIM_DIR = ROOT / "tests" / "portability" / "shim"
SANITIZE = ROOT / "tests" / "sanitize.cfg"
# The same flags as the Makefile's NBVAL_FLAGS, without the worker count.
NBVAL_ARGS = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    str(SANITIZE),
    "-p",
    "tests.nbval_eval",  # the prose values, re-evaluated at their place
    "-p",
    "no:cacheprovider",
]
X86_64 = {"x86_64", "amd64"}


@dataclass(frozen=True)
class Perturbation:
    """One change of the floating-point path, as environment variables.

    Attributes:
        name: What the command line calls it.
        summary: One line for ``--list`` and the table.
        env: Variables to set. ``PYTHONPATH`` is prepended to, not replaced.
        study: Part of ``study`` (every single perturbation and ``portable``).
    """

    name: str
    summary: str
    env: dict[str, str] = field(default_factory=dict)
    study: bool = True


# Variables that mean something only on x86-64; elsewhere they are left out
# (NumPy raises an ImportWarning for a CPU feature it does not know, which
# shows under -W default).
X86_ONLY = {"ONEDNN_MAX_CPU_ISA", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE"}


def _other_thread_count() -> str:
    """A TensorFlow intra-op thread count that is not this machine's default.

    TensorFlow uses one thread per schedulable CPU by default, so one thread
    is "another CPU" everywhere except on a one-CPU machine, where it is two.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return "1" if cpus > 1 else "2"


_SINGLE = [
    Perturbation("none", "no change: plain strict nbval"),
    Perturbation(
        "isa-avx",
        "oneDNN (TF float32 matmul/conv) limited to AVX",
        {"ONEDNN_MAX_CPU_ISA": "AVX"},
    ),
    Perturbation(
        "isa-sse41",
        "oneDNN limited to SSE4.1",
        {"ONEDNN_MAX_CPU_ISA": "SSE41"},
    ),
    Perturbation(
        "threads-1",
        "TensorFlow on one intra-op thread",
        {"TF_NUM_INTRAOP_THREADS": "1"},
    ),
    Perturbation(
        "threads-3",
        "TensorFlow on three intra-op threads",
        {"TF_NUM_INTRAOP_THREADS": "3"},
    ),
    Perturbation(
        "numpy-x86-v2",
        "NumPy's baseline kernels (no AVX2, no AVX-512)",
        {"NPY_DISABLE_CPU_FEATURES": "X86_V3"},
    ),
    Perturbation(
        "numpy-x86-v3",
        "NumPy's AVX2 kernels (no AVX-512): an AVX2-only CPU",
        {"NPY_DISABLE_CPU_FEATURES": "X86_V4"},
    ),
    Perturbation(
        "ulp-shim",
        "NumPy exp/log/log1p/expm1: half the results one ulp up",
        {"PYTHONPATH": str(SHIM_DIR)},
    ),
    Perturbation(
        "openblas-skylakex",
        "OpenBLAS's AVX-512 kernels (for information: never in portable)",
        {"OPENBLAS_CORETYPE": "SkylakeX"},
        study=False,
    ),
    Perturbation(
        "openblas-haswell",
        "OpenBLAS's AVX2 kernels (for information: never in portable)",
        {"OPENBLAS_CORETYPE": "Haswell"},
        study=False,
    ),
]

PORTABLE = Perturbation(
    "portable",
    "all at once: what make nbval-portable checks",
    {
        "ONEDNN_MAX_CPU_ISA": "AVX",
        "TF_NUM_INTRAOP_THREADS": _other_thread_count(),
        "NPY_DISABLE_CPU_FEATURES": "X86_V3",
        "PYTHONPATH": str(SHIM_DIR),
    },
)
PERTURBATIONS = {p.name: p for p in [*_SINGLE, PORTABLE]}


def perturbation_env(
    perturbation: Perturbation, base: dict[str, str] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """The environment a perturbed run gets, and what was set in it.

    Args:
        perturbation: The perturbation.
        base: The environment to start from (``os.environ`` by default).

    Returns:
        ``(env, applied)``: the whole environment, and the variables set
        (x86-only variables are left out on other machines).
    """
    env = dict(os.environ if base is None else base)
    on_x86 = platform.machine().lower() in X86_64
    applied: dict[str, str] = {}
    for key, value in perturbation.env.items():
        if key in X86_ONLY and not on_x86:
            continue
        if key == "PYTHONPATH" and env.get("PYTHONPATH"):
            value = value + os.pathsep + env["PYTHONPATH"]
        env[key] = value
        applied[key] = value
    return env, applied


# --- the pytest plugin (loaded by the worker with -p portability_report) -----


def pytest_addoption(parser):
    parser.addoption("--portability-json", default=None, help="write results here")


def _text_lines(outputs, sanitize, skip) -> list[str]:
    """The compared text of a cell's outputs, one list of lines."""
    lines: list[str] = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            tag = "" if out.get("name") == "stdout" else f"[{out.get('name')}] "
            lines += [tag + line for line in out["text"].split("\n")]
        elif kind == "error":
            lines.append(f"[error] {out.get('ename')}: {out.get('evalue')}")
        for mime, value in sorted(out.get("data", {}).items()):
            if mime in skip or not isinstance(value, str):
                continue
            tag = "" if mime == "text/plain" else f"[{mime}] "
            lines += [tag + line for line in sanitize(value).split("\n")]
    if any(o.get("output_type") == "stream" for o in outputs):
        lines = [sanitize(line) for line in lines]
    return lines


def _clip(line: str, start: int, width: int = 72) -> str:
    if len(line) <= width:
        return line
    lo = max(0, start - width // 3)
    text = line[lo : lo + width]
    return ("…" if lo else "") + text + ("…" if lo + width < len(line) else "")


def first_difference(stored: list[str], obtained: list[str]) -> str:
    """The first line where two lists differ, as ``stored -> obtained``."""
    for i in range(max(len(stored), len(obtained))):
        a = stored[i] if i < len(stored) else "<no line>"
        b = obtained[i] if i < len(obtained) else "<no line>"
        if a != b:
            col = next(
                (j for j, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0
            )
            if col == 0 and a[: len(b)] == b[: len(a)]:
                col = min(len(a), len(b))
            return f"{_clip(a, col)!r} -> {_clip(b, col)!r}"
    return "outputs differ in a field not shown as text"


@functools.lru_cache(maxsize=4)
def _stored_code_cells(path: Path) -> list:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _stored_outputs(path: Path, cell_num: int) -> list:
    """A fresh copy of a cell's stored outputs (nbval coalesces its own in place)."""
    return copy.deepcopy(_stored_code_cells(Path(path))[cell_num].outputs)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    cell = getattr(item, "cell", None)
    if cell is None or call.when != "call" or not report.failed:
        return
    obtained = getattr(item, "test_outputs", None) or []
    message = str(call.excinfo.value) if call.excinfo is not None else ""
    if "outputs differ" not in message:  # an exception, a timeout, a dead kernel
        errors = [o for o in obtained if o.get("output_type") == "error"]
        text = "exception: " + (
            f"{errors[-1]['ename']}: {errors[-1]['evalue']}"
            if errors
            else (message.splitlines() or ["?"])[0]
        )
    else:
        from nbval.plugin import coalesce_streams

        skip = set(item.parent.skip_compare)
        stored_outputs = coalesce_streams(_stored_outputs(item.path, item.cell_num))
        stored = _text_lines(stored_outputs, item.sanitize, skip)
        new = _text_lines(obtained, item.sanitize, skip)
        text = first_difference(stored, new)
    report.user_properties.append(("first_difference", text))


class _Collector:
    def __init__(self):
        self.durations: dict[str, float] = {}
        self.failures: list[dict] = []
        self.counts = {"passed": 0, "failed": 0, "skipped": 0}


_COLLECTOR = _Collector()


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    _COLLECTOR.durations[path] = _COLLECTOR.durations.get(path, 0.0) + report.duration
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _COLLECTOR.counts[report.outcome] = _COLLECTOR.counts.get(report.outcome, 0) + 1
    if report.failed:
        props = dict(report.user_properties)
        cell = report.nodeid.split("::")[-1]
        _COLLECTOR.failures.append(
            {
                "notebook": path,
                "cell": int(cell.split()[-1]) if cell.startswith("Cell ") else cell,
                "when": report.when,
                "first_difference": props.get(
                    "first_difference",
                    str(report.longrepr).strip().splitlines()[-1][:150],
                ),
            }
        )


def pytest_sessionfinish(session, exitstatus):
    out = session.config.getoption("--portability-json")
    if out and not hasattr(session.config, "workerinput"):
        data = {
            "exitstatus": int(exitstatus),
            "durations": _COLLECTOR.durations,
            "failures": _COLLECTOR.failures,
            "counts": _COLLECTOR.counts,
        }
        Path(out).write_text(json.dumps(data, indent=1))


# --- running and reporting ---------------------------------------------------


def run(
    perturbation: Perturbation,
    paths: list[str],
    jobs: int,
    extra: list[str],
    log: Path | None,
) -> dict:
    """Run strict nbval on ``paths`` under one perturbation.

    Args:
        perturbation: What to change.
        paths: Notebooks or folders, as pytest takes them.
        jobs: pytest-xdist workers (``--dist loadfile``); 0 runs in-process.
        extra: More pytest arguments.
        log: Where pytest's own output goes (None: this process's stdout).

    Returns:
        The result: name, applied variables, wall seconds, pytest's exit
        status, per-notebook seconds, failing cells and cell counts.
    """
    env, applied = perturbation_env(perturbation)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--",
            *NBVAL_ARGS,
            "-n",
            str(jobs),
            *(["--dist", "loadfile"] if jobs > 0 else []),
            "--portability-json",
            str(out),
            *extra,
            *paths,
        ]
        start = time.perf_counter()
        if log is None:
            status = subprocess.run(cmd, cwd=ROOT, env=env).returncode
        else:
            with log.open("w") as handle:
                status = subprocess.run(
                    cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
                ).returncode
        wall = time.perf_counter() - start
        data = json.loads(out.read_text()) if out.exists() else {}
    return {
        "perturbation": perturbation.name,
        "env": applied,
        "wall": wall,
        "exitstatus": status,
        "durations": data.get("durations", {}),
        "failures": data.get("failures", []),
        "counts": data.get("counts", {}),
    }


def format_results(results: list[dict], durations: bool) -> str:
    """Markdown tables: failing cells per perturbation, then seconds per notebook."""
    rows = [
        "| perturbation | environment | failing cells | wall |",
        "| --- | --- | --- | --- |",
    ]
    for r in results:
        env = " ".join(
            f"{k}={Path(v).name if k == 'PYTHONPATH' else v}"
            for k, v in r["env"].items()
        )
        cells = ", ".join(
            f"{Path(f['notebook']).stem[:2]} c{f['cell']}" for f in r["failures"]
        )
        if r["exitstatus"] not in (0, 1):
            cells = f"pytest exit status {r['exitstatus']}; " + (cells or "no cells")
        rows.append(
            f"| {r['perturbation']} | {env or '-'} | "
            f"{len(r['failures'])}{': ' + cells if cells else ''} | {r['wall']:.0f} s |"
        )
    lines = ["", *rows, ""]
    detail = [
        "| perturbation | notebook | cell | first difference (stored -> obtained) |",
        "| --- | --- | --- | --- |",
    ]
    for r in results:
        for f in r["failures"]:
            diff = f["first_difference"].replace("|", "\\|")
            detail.append(
                f"| {r['perturbation']} | {Path(f['notebook']).name} | {f['cell']} "
                f"| {diff} |"
            )
    if len(detail) > 2:
        lines += [*detail, ""]
    if durations:
        names = sorted({n for r in results for n in r["durations"]})
        head = "| notebook | " + " | ".join(r["perturbation"] for r in results) + " |"
        lines += [head, "|" + " --- |" * (len(results) + 1)]
        for n in names:
            cols = " | ".join(f"{r['durations'].get(n, 0):.1f} s" for r in results)
            lines.append(f"| {Path(n).name} | {cols} |")
        total = " | ".join(f"{sum(r['durations'].values()):.1f} s" for r in results)
        lines += [f"| sum of cells | {total} |", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        rest = argv[2:] if argv[1:2] == ["--"] else argv[1:]
        return int(pytest.main(["-p", "portability_report", *rest]))
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Arguments after -- go to pytest.",
    )
    parser.add_argument(
        "perturbations",
        nargs="*",
        default=["portable"],
        help="names from --list, or 'study' for all of them one by one",
    )
    parser.add_argument("--paths", nargs="+", default=["chapters"])
    parser.add_argument("-n", "--jobs", type=int, default=2, help="xdist workers")
    parser.add_argument("--list", action="store_true", help="list perturbations")
    parser.add_argument("--json", type=Path, help="write all results here")
    parser.add_argument(
        "--durations", action="store_true", help="print seconds per notebook"
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="keep pytest's output out of the way (in a temporary log)",
    )
    args = parser.parse_args(argv)
    if args.list:
        for p in PERTURBATIONS.values():
            env, applied = perturbation_env(p)
            sets = " ".join(f"{k}={v}" for k, v in applied.items()) or "-"
            print(f"{p.name:18} {p.summary}\n{'':18} {sets}")
        return 0
    names = []
    for name in args.perturbations:
        if name == "study":
            names += [p.name for p in PERTURBATIONS.values() if p.study]
        elif name in PERTURBATIONS:
            names.append(name)
        else:
            parser.error(f"unknown perturbation {name!r}; see --list")
    results = []
    for name in names:
        print(f"==> nbval under {name}: {PERTURBATIONS[name].summary}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "pytest.log" if args.quiet else None
            result = run(PERTURBATIONS[name], args.paths, args.jobs, extra, log)
            if log is not None and result["exitstatus"] not in (0, 1):
                print("".join(log.read_text().splitlines(True)[-40:]))
        results.append(result)
        print(format_results([result], durations=False), flush=True)
    if len(results) > 1 or args.durations:
        print("==> summary")
        print(format_results(results, durations=args.durations))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    statuses = {r["exitstatus"] for r in results}
    if statuses <= {0}:
        return 0
    if statuses <= {0, 1}:
        return 1
    return max(statuses - {0, 1})


if __name__ == "__main__":
    sys.exit(main())
