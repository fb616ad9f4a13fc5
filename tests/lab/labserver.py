"""Start JupyterLab exactly as ``make lab`` does, for tests and benchmarks.

:func:`running_lab` runs ``make lab-server`` (the headless ``make lab``: the
same copies of the chapters, ``jupyter trust``, jupyterlab-myst, the same
``overrides.json``) on a free port with a known token, waits until the server
answers, yields where it is, and stops it (its process group) afterwards.
:func:`open_notebook` opens one notebook in headless Chromium (Playwright,
Debian's ``chromium``, the flags of ``tests/browser``) and waits until every
cell is rendered. Used by ``tests/lab/`` and ``bench/lab_latency.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))
import sitecheck  # noqa: E402  (the browser test's Chromium and its flags)

CHROMIUM = sitecheck.CHROMIUM
chromium = sitecheck.chromium
START_TIMEOUT_S = 120
#: The notebooks the lab tests open (NNBOOK_LAB_CHAPTERS, default chapters/).
SOURCE = Path(os.environ.get("NNBOOK_LAB_CHAPTERS", REPO / "chapters")).resolve()
#: Their copies: inside make lab's own ignored folder, as a learner's are.
DEST = REPO / "lab" / ".lab-test"


def git_status() -> str:
    """``git status --porcelain`` of the repository."""
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its base URL, token and notebook folder."""

    url: str
    token: str
    root: Path
    log: Path

    def api(self, path: str, method: str = "GET") -> object:
        """Call the server's REST API (``path`` like ``api/sessions``)."""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def notebook_url(self, name: str, workspace: str) -> str:
        """The page that opens ``name`` alone, in a fresh workspace."""
        query = f"?reset&token={self.token}"
        return f"{self.url}lab/workspaces/{workspace}/tree/{name}{query}"

    def shutdown_kernels(self) -> None:
        """Stop every kernel (sessions) the page started."""
        for session in self.api("api/sessions") or []:
            self.api(f"api/sessions/{session['id']}", method="DELETE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(source: Path, dest: Path, log: Path) -> Iterator[Lab]:
    """``make lab-server`` with ``LAB_FROM=source LAB_DIR=dest``, then stop it.

    Args:
        source: The originals (``chapters/``, or a folder of fixtures).
        dest: The folder of the copies the server opens (made or updated).
        log: Where the server's output goes.
    """
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("MAKEFLAGS", None)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "lab-server",
             f"LAB_FROM={source}", f"LAB_DIR={dest}", f"LAB_ARGS={args}"],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,  # its own process group, stopped below
        )  # fmt: skip
    lab = Lab(f"http://127.0.0.1:{port}/", token, Path(dest), Path(log))
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"`make lab-server` exited ({proc.returncode}):\n"
                    + Path(log).read_text()[-3000:]
                )
            try:
                lab.api("api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not answer in {START_TIMEOUT_S} s:\n"
                        + Path(log).read_text()[-3000:]
                    ) from None
                time.sleep(0.5)
        yield lab
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


# Wait until the notebook's cells are all in the page and rendered: every
# markdown cell rendered by MyST, every stored output attached.
#: The notebook in view (JupyterLab keeps hidden panels in the page).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
_READY_JS = """
(expected) => {
  const nb = document.querySelector('NOTEBOOK');
  if (!nb) return false;
  const cells = nb.querySelectorAll('.jp-Cell');
  if (cells.length !== expected.cells) return false;
  const md = nb.querySelectorAll('.jp-MarkdownCell');
  const rendered = nb.querySelectorAll('.jp-MarkdownCell.jp-mod-rendered');
  if (md.length !== expected.markdown || rendered.length !== expected.markdown) {
    return false;
  }
  // jupyterlab-myst fills a rendered cell asynchronously: wait for its text.
  return Array.from(md).every(
    (c) => c.querySelector('.jp-InputArea').innerText.trim().length > 0);
}
"""


def open_notebook(page, lab: Lab, name: str, nb: dict, workspace: str) -> None:
    """Open ``name`` in ``page`` and wait until all its cells are rendered."""
    expected = {
        "cells": len(nb["cells"]),
        "markdown": sum(c["cell_type"] == "markdown" for c in nb["cells"]),
    }
    page.goto(lab.notebook_url(name, workspace), wait_until="domcontentloaded")
    page.wait_for_function(
        _READY_JS.replace("NOTEBOOK", NOTEBOOK), arg=expected, timeout=90_000
    )
    page.wait_for_timeout(1000)  # MyST renders asynchronously, then settles
