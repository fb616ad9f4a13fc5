"""Re-execute chapter notebooks top to bottom in a fresh kernel, in place.

This is the only way chapter outputs are made (``make notebooks``): every
notebook runs in a new kernel from its first cell to its last, so execution
counts read 1..n, widget state is saved for the website, and no output
depends on a hand-run, out-of-order session.

Each markdown cell's ``{eval}`` expressions are evaluated in the kernel right
after the code cells before it, and stored in the cell's
``metadata.user_expressions`` in jupyterlab-myst's format (see
``_ext/nnbook_eval.py``). A prose value that fails, or is not a ``str``, stops
the regeneration of that notebook with a message naming the cell.

Several notebooks run at once (``-j``, default: one per available core, at
most one per notebook), longest first by their last recorded wall time, each
in its own kernel; each notebook's wall time is printed, with the total.

Usage::

    python scripts/regenerate.py [-j N] [chapters/NN_topic.ipynb ...]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
from nnbook_eval import (  # noqa: E402
    EXPRESSION,
    METADATA_KEY,
    eval_expressions,
    prose_value,
)

# Last wall time of each notebook (not committed): the slowest start first.
TIMES = ROOT / "_build" / "regenerate-times.json"


class ProseValueError(RuntimeError):
    """A markdown cell cites a value that fails or is not a ``str``."""


class ProseNotebookClient(NotebookClient):
    """nbclient, plus the ``{eval}`` results of each markdown cell.

    A markdown cell is visited in order like any cell: its expressions are
    evaluated right after the code cells before it, with a silent execute
    request that runs no code, stores no history and does not advance the
    execution count.
    """

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):  # fmt: skip
        if cell.cell_type == "markdown":
            await self._store_prose_values(cell, cell_index)
            return cell
        return await super().async_execute_cell(
            cell, cell_index, execution_count=execution_count,
            store_history=store_history,
        )  # fmt: skip

    async def _store_prose_values(self, cell, cell_index: int) -> None:
        expressions = eval_expressions(cell.source)
        cell.metadata.pop(METADATA_KEY, None)
        if not expressions:
            return
        where = f"markdown cell {cell_index}"
        for expr in expressions:
            if not EXPRESSION.fullmatch(expr):
                raise ProseValueError(
                    f"{where}: {{eval}}`{expr}`: an expression must be a plain "
                    "variable name"
                )
        request = {str(i): expr for i, expr in enumerate(expressions)}
        msg_id = self.kc.execute(
            "", silent=True, store_history=False, user_expressions=request,
            allow_stdin=False,
        )  # fmt: skip
        reply = await self.async_wait_for_reply(msg_id, cell)
        if reply is None or reply["content"].get("status") != "ok":
            raise ProseValueError(f"{where}: the kernel did not evaluate its values")
        results = reply["content"]["user_expressions"]
        entries = []
        for key, expr in request.items():
            result = results[key]
            try:
                prose_value(result)
            except ValueError as exc:
                raise ProseValueError(f"{where}: {{eval}}`{expr}`: {exc}") from None
            entries.append({"expression": expr, "result": result})
        cell.metadata[METADATA_KEY] = entries


def regenerate(path: Path, timeout: int) -> float:
    """Execute one notebook in place and return the wall time in seconds."""
    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    client = ProseNotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
        allow_errors=False,
    )
    client.execute()
    if not _has_widget_views(nb):
        nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def _has_widget_views(nb: nbformat.NotebookNode) -> bool:
    mime = "application/vnd.jupyter.widget-view+json"
    return any(
        mime in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )


def _run_one(path: str, timeout: int) -> tuple[str, float, str | None]:
    """Worker: regenerate one notebook; never raise (the error is returned)."""
    start = time.perf_counter()
    try:
        return path, regenerate(Path(path), timeout), None
    except Exception as exc:  # reported by the parent, with the notebook's name
        message = f"{type(exc).__name__}: {exc}"
        return path, time.perf_counter() - start, message.strip()[-4000:]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _load_times() -> dict[str, float]:
    try:
        return {k: float(v) for k, v in json.loads(TIMES.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _save_times(times: dict[str, float]) -> None:
    try:
        TIMES.parent.mkdir(parents=True, exist_ok=True)
        TIMES.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        help="notebooks executed at once (default: one per available core)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 0:
        parser.error(f"--jobs must be >= 0, got {args.jobs}")
    paths = args.notebooks or sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    jobs = min(args.jobs or _cores(), len(paths)) or 1
    times = _load_times()
    keys = {p: str(p.resolve().relative_to(ROOT)) if p.resolve().is_relative_to(ROOT)
            else str(p.resolve()) for p in paths}  # fmt: skip
    # Longest first (last run's time, else the file's size as a guess).
    order = sorted(paths, key=lambda p: (-times.get(keys[p], 0.0), -p.stat().st_size))
    print(f"executing {len(paths)} notebook(s), {jobs} at a time", flush=True)
    start = time.perf_counter()
    failed = []
    results: dict[Path, float] = {}

    def report(path: Path, seconds: float, error: str | None) -> None:
        if error:
            failed.append(path)
            print(f"  FAILED {path} after {seconds:.1f} s:\n{error}", flush=True)
        else:
            results[path] = seconds
            times[keys[path]] = round(seconds, 1)
            print(f"  {seconds:6.1f} s  {path}", flush=True)

    if jobs == 1:
        for path in order:
            report(path, *_run_one(str(path), args.timeout)[1:])
    else:
        context = multiprocessing.get_context("spawn")  # no forked kernel state
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(_run_one, str(p), args.timeout): p for p in order}
            for future in as_completed(futures):
                report(futures[future], *future.result()[1:])
    _save_times(times)
    total = time.perf_counter() - start
    print(
        f"{len(results)} notebook(s) regenerated in {total:.1f} s wall "
        f"({sum(results.values()):.1f} s summed, {jobs} job(s))",
        flush=True,
    )
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(map(str, failed))}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
