"""The trailing debounce behind the explorers' controls (nnbook/widgets/_debounce)."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from nnbook.widgets import Explorer, IntParam
from nnbook.widgets._debounce import Debouncer


def test_without_an_event_loop_every_call_runs_at_once():
    seen = []
    d = Debouncer(seen.append, wait=10.0)
    d(1)
    d(2)
    assert seen == [1, 2]
    assert (d.n_calls, d.n_runs, d.pending) == (2, 2, False)


def test_a_burst_runs_once_with_the_last_arguments():
    seen = []

    async def burst():
        d = Debouncer(lambda v, *, tag: seen.append((v, tag)), wait=0.05)
        for v in range(5):  # five key presses, 10 ms apart
            d(v, tag="x")
            await asyncio.sleep(0.01)
        assert seen == [] and d.pending
        await asyncio.sleep(0.2)
        return d

    d = asyncio.run(burst())
    assert seen == [(4, "x")]
    assert (d.n_calls, d.n_runs, d.pending) == (5, 1, False)


def test_calls_apart_by_more_than_wait_each_run():
    seen = []

    async def spaced():
        d = Debouncer(seen.append, wait=0.02)
        for v in range(3):
            d(v)
            await asyncio.sleep(0.1)

    asyncio.run(spaced())
    assert seen == [0, 1, 2]


def test_changes_queued_during_a_slow_call_end_in_one_call():
    """A slow render blocks the loop; the changes that queued meanwhile are
    handled together afterwards, and end in one more render, not one each."""
    seen = []

    async def queued():
        loop = asyncio.get_running_loop()
        d = Debouncer(seen.append, wait=0.05)
        d(0)
        await asyncio.sleep(0.1)  # the first render runs
        for v in (1, 2, 3):  # delivered back to back, as after a busy kernel
            loop.call_soon(d, v)
        await asyncio.sleep(0.2)

    asyncio.run(queued())
    assert seen == [0, 3]


def test_flush_and_cancel():
    seen = []

    async def go():
        d = Debouncer(seen.append, wait=5.0)
        d(1)
        assert d.flush() is True and seen == [1]
        assert d.flush() is False
        d(2)
        d.cancel()
        assert not d.pending
        await asyncio.sleep(0.01)

    asyncio.run(go())
    assert seen == [1]


@pytest.mark.parametrize(
    ("fn", "wait", "error", "match"),
    [
        (None, 0.1, TypeError, "fn must be callable"),
        (print, "0.1", TypeError, "wait must be a number"),
        (print, True, TypeError, "wait must be a number"),
        (print, -0.1, ValueError, "wait must be finite and >= 0"),
        (print, float("inf"), ValueError, "wait must be finite and >= 0"),
        (print, float("nan"), ValueError, "wait must be finite and >= 0"),
    ],
)
def test_bad_arguments_are_named(fn, wait, error, match):
    with pytest.raises(error, match=match):
        Debouncer(fn, wait=wait)


class Counter(Explorer):
    """Counts its renders; the slider would retrain in a real explorer."""

    PARAMS = (IntParam("k", 1, low=1, high=9, retrains=True),)

    def _build_figure(self):
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
        (self.line,) = ax.plot([0, 1], [0, 1])
        ax.set_title("k")
        return fig

    def _render(self, params):
        self.line.set_ydata([0, params["k"]])


def test_explorer_widget_renders_once_per_settled_value():
    """Keyboard steps 1 -> 5 on a slider: one render, for k = 5."""

    async def keyboard():
        ex = Counter()
        ex.widget()
        renders = ex.n_renders
        for k in (2, 3, 4, 5):
            ex.controls["k"].value = k
            await asyncio.sleep(0.005)
        assert ex.n_renders == renders  # nothing rendered mid-burst
        await asyncio.sleep(ex.SETTLE_SECONDS + 0.2)
        return ex, renders

    ex, renders = asyncio.run(keyboard())
    assert ex.n_renders == renders + 1
    assert ex.params["k"] == 5
    np.testing.assert_allclose(ex.line.get_ydata(), [0, 5])
    assert ex.settle.n_calls == 4 and ex.settle.n_runs == 1
    assert "k = 5" in ex._view.value  # the image shown is the settled one


def test_explorer_widget_without_a_loop_renders_each_change():
    ex = Counter()
    ex.widget()
    renders = ex.n_renders
    ex.controls["k"].value = 3
    ex.controls["k"].value = 4
    assert ex.n_renders == renders + 2 and ex.params["k"] == 4


def test_project_explorer_epoch_slider_follows_a_debounced_training_change(
    seed_data,
):
    """The replay slider's range is synced after the render, not before it:
    with the debounce, control observers run before the new parameters exist."""
    from nnbook.widgets import ProjectExplorer

    async def change_epochs():
        ex = ProjectExplorer(seed_data)
        ex.widget()
        ex.controls["epochs"].value = 20
        assert ex.controls["epoch"].max == 10  # not rendered yet
        await asyncio.sleep(ex.SETTLE_SECONDS + 3.0)
        return ex

    ex = asyncio.run(change_epochs())
    assert ex.params["epochs"] == 20 and ex.params["epoch"] == 20
    assert ex.controls["epoch"].max == 20 and ex.controls["epoch"].value == 20
