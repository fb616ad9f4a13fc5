"""Prepare the learner's copies of the chapters for JupyterLab (``make lab``).

JupyterLab rewrites a notebook when it saves one (autosave after Run All, or
after trusting): timings, image bytes, widget ids. So ``make lab`` never opens
the committed chapters. This script

- copies ``chapters/NN_topic.ipynb`` into an ignored folder (``lab/`` by
  default) when the copy is missing, or when the chapter changed and the copy
  was not touched since it was made; a copy the learner worked in is kept,
  and a note says how to take the new original (``--reset``);
- signs the copies for the current user (``jupyter trust``), so stored
  explorers and the kernel-free scrubbers show before anything runs;
- writes JupyterLab settings (``overrides.json`` in the environment): every
  cell rendered (no windowing, so the whole chapter is in the page), and no
  news or update checks (the book works offline).

Usage::

    python scripts/lab_setup.py [--dest lab] [--reset [NAME ...]]

``--reset`` with no name puts every original back; with names
(``05_project`` or ``05``) only those.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
STATE = ".originals.json"  # in the copies' folder: hash of each copy as made

#: JupyterLab settings for the book (``<prefix>/share/jupyter/lab/settings``).
OVERRIDES = {
    # Render every cell: the page holds the whole chapter (find, tests).
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # Offline: no news feed, no update check.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wanted(names: list[str], source: Path = CHAPTERS) -> list[Path]:
    chapters = sorted(source.glob("*.ipynb"))
    if not names:
        return chapters
    out = []
    for name in names:
        stem = Path(name).stem
        match = [p for p in chapters if p.stem == stem or p.stem.split("_")[0] == stem]
        if not match:
            raise SystemExit(f"no chapter named {name!r} in {source}")
        out.extend(match)
    return out


def copy_chapters(
    dest: Path, reset: list[str] | None, source: Path = CHAPTERS
) -> list[Path]:
    """Copy the chapters into ``dest`` (see the module docstring).

    Args:
        dest: The copies' folder.
        source: The folder of the originals (``chapters/``).
        reset: ``None`` to keep the learner's work; ``[]`` to put every
            original back; names to put those back.

    Returns:
        list[Path]: Every copy in ``dest``.
    """
    dest.mkdir(parents=True, exist_ok=True)
    state_file = dest / STATE
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        state = {}
    forced = {p.name for p in _wanted(reset, source)} if reset is not None else set()
    copies = []
    for original in _wanted([], source):
        copy = dest / original.name
        made = state.get(original.name, {})
        fresh = _digest(original)
        if copy.exists() and original.name not in forced:
            untouched = made.get("copy") == _digest(copy)
            if made.get("original") == fresh:
                pass  # up to date
            elif untouched:
                print(f"updated {copy} (the chapter changed)")
                shutil.copyfile(original, copy)
            else:
                print(
                    f"kept your {copy}; the chapter has changed since. To take "
                    f"the new one: make lab-reset NB={original.stem}"
                )
                copies.append(copy)
                continue
        else:
            if copy.exists():
                print(f"reset {copy} to the original")
            shutil.copyfile(original, copy)
        state[original.name] = {"original": fresh, "copy": _digest(copy)}
        copies.append(copy)
    state_file.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    return copies


def trust(paths: list[Path]) -> None:
    """Sign ``paths`` for the current user (``jupyter trust``)."""
    if paths:
        subprocess.run(
            [sys.executable, "-m", "jupyter", "trust", *map(str, paths)],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def write_overrides(prefix: Path = Path(sys.prefix)) -> Path:
    """Merge :data:`OVERRIDES` into ``<prefix>/share/jupyter/lab/settings``."""
    path = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        current = json.loads(path.read_text())
    except (OSError, ValueError):
        current = {}
    for plugin, settings in OVERRIDES.items():
        current.setdefault(plugin, {}).update(settings)
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / "lab")
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=CHAPTERS,
        help="the originals (default: chapters/)",
    )
    parser.add_argument(
        "--reset",
        nargs="*",
        metavar="NAME",
        help="put the originals back (all, or the chapters named)",
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="trust chapters/ itself (make lab-dev) instead of making copies",
    )
    args = parser.parse_args(argv)
    write_overrides()
    if args.in_place:
        trust(_wanted([], args.source))
        print(f"trusted the chapters in {args.source}")
        return 0
    copies = copy_chapters(args.dest, args.reset, args.source)
    trust(copies)
    print(f"{len(copies)} chapter copies, trusted, in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
