"""Run a slow callback once a burst of calls has settled (trailing debounce).

A slider with ``continuous_update=False`` sends one change per mouse release,
but one per *key press* when moved with the keyboard. While an explorer
retrains for one change, the kernel queues the next ones; without a debounce
it then retrains once per key, for values the reader has already left.

:class:`Debouncer` postpones the call by ``wait`` seconds on the kernel's
event loop; every call within that time restarts the wait and replaces the
arguments, so a burst ends in one call with the last arguments. Changes the
kernel queued during a long call are delivered together afterwards, well
within ``wait``, so they too end in one call. Without a running event loop
(plain Python, tests, scripts) the call runs at once, as if undebounced.

This is the standard trailing-edge debounce (``lodash.debounce``, RxJS
``debounceTime``), on an :mod:`asyncio` loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

__all__ = ["Debouncer"]


class Debouncer:
    """Call ``fn`` once, with the latest arguments, after calls stop for ``wait`` s.

    Args:
        fn: The callback. Its exceptions propagate to the caller when it runs
            at once, and to the event loop's exception handler when it runs
            later, so it should catch and show its own errors (as
            :meth:`nnbook.widgets.Explorer.widget` does).
        wait: Quiet time in seconds, ``>= 0``, after the last call.

    Attributes:
        n_calls: How many times the debouncer was called.
        n_runs: How many times ``fn`` ran.

    Raises:
        TypeError: If ``fn`` is not callable or ``wait`` is not a real number.
        ValueError: If ``wait`` is negative or not finite.

    Example:
        >>> seen = []
        >>> d = Debouncer(seen.append, wait=0.05)
        >>> d(1); d(2)   # no event loop running: each call runs at once
        >>> seen
        [1, 2]
    """

    def __init__(self, fn: Callable[..., Any], wait: float = 0.05) -> None:
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {type(fn).__name__}")
        if isinstance(wait, bool) or not isinstance(wait, int | float):
            raise TypeError(f"wait must be a number of seconds, got {wait!r}")
        if not 0 <= wait < float("inf"):
            raise ValueError(f"wait must be finite and >= 0, got {wait}")
        self.fn = fn
        self.wait = float(wait)
        self.n_calls = 0
        self.n_runs = 0
        self._handle: asyncio.TimerHandle | None = None
        self._args: tuple[tuple[Any, ...], dict[str, Any]] | None = None

    @property
    def pending(self) -> bool:
        """Whether a call is waiting to run."""
        return self._handle is not None

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.n_calls += 1
        self._args = (args, kwargs)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop: nothing to wait on, run now
            self.flush()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.wait, self.flush)

    def flush(self) -> bool:
        """Run the pending call now, if there is one.

        Returns:
            bool: Whether ``fn`` ran.
        """
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._args is None:
            return False
        args, kwargs = self._args
        self._args = None
        self.n_runs += 1
        self.fn(*args, **kwargs)
        return True

    def cancel(self) -> None:
        """Drop the pending call, if any."""
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        self._args = None
