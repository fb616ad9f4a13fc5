"""The one base class every explorer shares.

An explorer is a figure plus parameters. The figure is built once in
``_build_figure``; ``_render(params)`` recomputes what the parameters change
and updates the existing artists (``set_data``, ``set_array``,
``set_offsets``, ``set_text``); :meth:`Explorer.update` validates, renders and
calls ``draw_idle``. :meth:`Explorer.widget` wires ipywidgets controls to
``update``, with ``continuous_update=False`` on controls that retrain, and
shows any error raised in a callback inside the explorer instead of losing it.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .._checks import check_choice, check_int, check_real
from ._debounce import Debouncer
from ._offline_note import EXPLORER_CLASS, needs_kernel_note

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets
    from matplotlib.figure import Figure

__all__ = [
    "Param",
    "IntParam",
    "FloatParam",
    "LogFloatParam",
    "ChoiceParam",
    "Explorer",
]


@dataclass(frozen=True)
class Param:
    """A control of an explorer.

    Attributes:
        name: The keyword of ``update`` this control sets.
        default: The starting value.
        description: The label shown next to the control.
        retrains: If true the control recomputes something slow (a training
            run), so its widget fires only on release
            (``continuous_update=False``).
    """

    name: str
    default: Any
    description: str = ""
    retrains: bool = False

    def check(self, value: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def make_widget(self) -> ipywidgets.Widget:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def label(self) -> str:
        return self.description or self.name


@dataclass(frozen=True)
class IntParam(Param):
    """An integer in ``[low, high]``, shown as an ``IntSlider``."""

    low: int = 0
    high: int = 100
    step: int = 1

    def check(self, value: Any) -> int:
        return check_int(value, self.name, low=self.low, high=self.high)

    def make_widget(self) -> ipywidgets.Widget:
        import ipywidgets as w

        return w.IntSlider(
            value=self.default,
            min=self.low,
            max=self.high,
            step=self.step,
            description=self.label,
            continuous_update=not self.retrains,
            style={"description_width": "initial"},
        )


@dataclass(frozen=True)
class FloatParam(Param):
    """A real number in ``[low, high]``, shown as a ``FloatSlider``."""

    low: float = 0.0
    high: float = 1.0
    step: float = 0.01

    def check(self, value: Any) -> float:
        return check_real(value, self.name, low=self.low, high=self.high)

    def make_widget(self) -> ipywidgets.Widget:
        import ipywidgets as w

        return w.FloatSlider(
            value=self.default,
            min=self.low,
            max=self.high,
            step=self.step,
            description=self.label,
            continuous_update=not self.retrains,
            readout_format=".3g",
            style={"description_width": "initial"},
        )


@dataclass(frozen=True)
class LogFloatParam(Param):
    """A positive real in ``[low, high]`` on a log scale (``FloatLogSlider``)."""

    low: float = 1e-4
    high: float = 1.0
    steps_per_decade: int = 4

    def check(self, value: Any) -> float:
        return check_real(value, self.name, low=self.low, high=self.high)

    def make_widget(self) -> ipywidgets.Widget:
        import ipywidgets as w

        return w.FloatLogSlider(
            value=self.default,
            base=10,
            min=math.log10(self.low),
            max=math.log10(self.high),
            step=1 / self.steps_per_decade,
            description=self.label,
            continuous_update=not self.retrains,
            readout_format=".2g",
            style={"description_width": "initial"},
        )


@dataclass(frozen=True)
class ChoiceParam(Param):
    """One of a fixed set of strings, shown as a ``Dropdown``."""

    options: Sequence[str] = field(default_factory=tuple)

    def check(self, value: Any) -> str:
        return check_choice(value, self.name, tuple(self.options))

    def make_widget(self) -> ipywidgets.Widget:
        import ipywidgets as w

        return w.Dropdown(
            value=self.default,
            options=list(self.options),
            description=self.label,
            style={"description_width": "initial"},
        )


class Explorer:
    """Base class: declare ``PARAMS``, build the figure once, render in place.

    Subclasses set the class attribute ``PARAMS`` (a tuple of :class:`Param`)
    and implement:

    - ``_build_figure(self) -> Figure``: create the figure and its artists,
      once, and keep references to the artists on ``self``;
    - ``_render(self, params: dict) -> None``: recompute and update those
      artists in place (never create a new figure).

    Example:
        >>> ex = MyExplorer()            # doctest: +SKIP
        >>> ex.update(lr=0.1)            # validate, recompute, redraw
        >>> ex.widget()                  # sliders wired to update()
    """

    PARAMS: ClassVar[tuple[Param, ...]] = ()
    #: Resolution of the PNG frames of :meth:`frames` and :meth:`scrubber`.
    FRAME_DPI: ClassVar[int] = 80
    #: If set, frames are reduced to a palette of this many colours (smaller
    #: pages); ``None`` keeps full colour.
    FRAME_COLORS: ClassVar[int | None] = None
    #: What the figure shows, for the alt text of the widget's image and of
    #: the scrubber frames; by default it is made from the axes' titles.
    ALT: ClassVar[str] = ""
    #: Quiet time (s) after the last control change before the widget renders
    #: (a trailing debounce, ``nnbook/widgets/_debounce.py``): keyboard steps
    #: on a slider render once, for the value they settle on.
    SETTLE_SECONDS: ClassVar[float] = 0.05

    def __init__(self, **params: Any) -> None:
        self._specs = {p.name: p for p in self.PARAMS}
        self.params: dict[str, Any] = {p.name: p.default for p in self.PARAMS}
        self.params.update(self._check(params))
        self.fig: Figure = self._build_figure()
        self.n_renders = 0
        self._render(dict(self.params))
        self.n_renders += 1
        self._view: Any = None
        self._error: Any = None

    # -- to implement -------------------------------------------------------
    def _build_figure(self) -> Figure:  # pragma: no cover - abstract
        raise NotImplementedError

    def _render(self, params: dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- public API ---------------------------------------------------------
    def _check(self, params: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(params) - set(self._specs))
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {unknown}; expected some of "
                f"{sorted(self._specs)}"
            )
        return {k: self._specs[k].check(v) for k, v in params.items()}

    def update(self, **params: Any) -> Explorer:
        """Set some parameters, recompute, and redraw the figure in place.

        Args:
            **params: New values for any of the explorer's controls; the
                others keep their current values.

        Returns:
            Explorer: ``self``, so calls can be chained.

        Raises:
            ValueError: If a name is unknown or a value is out of range (the
                message names the parameter and the allowed range).
            TypeError: If a value has the wrong type.
        """
        if self._apply(params):
            self.fig.canvas.draw_idle()
        return self

    def _apply(self, params: dict[str, Any]) -> bool:
        """Validate, set and render ``params`` without drawing the canvas.

        :meth:`update` draws afterwards; the widget and the scrubber frames
        render a PNG instead, which draws once by itself (no second draw).

        Returns:
            bool: Whether the artists were re-rendered.
        """
        checked = self._check(params)  # validate everything before changing
        previous = dict(self.params)
        self.params.update(checked)
        try:
            self._render(dict(self.params))
        except Exception:
            self.params = previous  # the parameters of the last good render
            raise
        self.n_renders += 1
        return True

    def widget(self) -> ipywidgets.Widget:
        """The controls, the figure and an error area, wired to :meth:`update`.

        Errors raised by a callback are shown in red inside the explorer
        (and kept in ``self.last_error``), never lost.
        """
        import ipywidgets as w

        controls = {name: spec.make_widget() for name, spec in self._specs.items()}
        for name, ctrl in controls.items():
            ctrl.value = self.params[name]
        # The figure is shown as an <img> with alt text inside an HTML widget,
        # so the saved widget state is accessible on the static website too.
        self._view = w.HTML(value="")
        self._error = w.HTML(value="")
        self.last_error: str | None = None

        def show() -> None:
            self._view.value = self.image_html()

        pending: dict[str, Any] = {}  # changes not rendered yet, latest wins

        def render_pending() -> None:
            params = dict(pending)
            pending.clear()
            try:
                self._apply(params)  # show() draws the PNG
                self._error.value = ""
                self.last_error = None
                show()
            except Exception as exc:  # shown in the explorer, never lost
                self.last_error = "".join(
                    traceback.format_exception_only(type(exc), exc)
                ).strip()
                self._error.value = (
                    '<pre style="color:#b00020;white-space:pre-wrap">'
                    f"{_escape(self.last_error)}</pre>"
                )

        # One render per settled value: a burst of changes (keyboard steps,
        # changes queued while a render ran) renders once, with the last values.
        self.settle = Debouncer(render_pending, wait=self.SETTLE_SECONDS)

        def on_change(change: dict[str, Any]) -> None:
            pending[change["owner"]._nnbook_name] = change["new"]
            self.settle()

        for name, ctrl in controls.items():
            ctrl._nnbook_name = name
            ctrl.observe(on_change, names="value")
        self.controls = controls
        show()
        import matplotlib.pyplot as plt

        plt.close(self.fig)  # shown through the HTML widget only
        box = w.VBox(
            [
                # Stored without its kernel, the explorer says so in words.
                w.HTML(value=needs_kernel_note()),
                w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap")),
                self._error,
                self._view,
            ]
        )
        box.add_class(EXPLORER_CLASS)
        return box

    def alt_text(self) -> str:
        """Alt text for the current figure: what it shows, and the settings."""
        what = self.ALT or "Explorer figure: " + "; ".join(
            ax.get_title() for ax in self.fig.axes if ax.get_title()
        )
        settings = ", ".join(f"{k} = {_short(v)}" for k, v in self.params.items())
        return f"{what} ({settings})"

    def image_html(self) -> str:
        """The current figure as an ``<img>`` tag with alt text (PNG, inline)."""
        import base64

        from ._scrubber import png_bytes

        png = png_bytes(self.fig, dpi=int(self.fig.dpi))
        data = base64.b64encode(png).decode("ascii")
        alt = _escape(self.alt_text()).replace('"', "&quot;")
        return (
            f'<img src="data:image/png;base64,{data}" alt="{alt}" '
            'style="max-width:100%">'
        )

    def frames(self, name: str, values: Sequence[Any], **fixed: Any) -> list[bytes]:
        """Render one PNG per value of parameter ``name`` (for scrubbers).

        Args:
            name: The parameter to sweep.
            values: The values it takes, in order.
            **fixed: Other parameters to set first.

        Returns:
            list[bytes]: One PNG image per value.
        """
        from ._scrubber import png_bytes

        if fixed:
            self._apply(fixed)
        frames = []
        for v in values:
            self._apply({name: v})  # png_bytes draws the figure once
            frames.append(
                png_bytes(self.fig, dpi=self.FRAME_DPI, colors=self.FRAME_COLORS)
            )
        return frames

    def scrubber(
        self,
        name: str,
        values: Sequence[Any],
        *,
        alt: str,
        fmt: str = "{}",
        **fixed: Any,
    ) -> Any:
        """A kernel-free scrubber over ``values`` of parameter ``name``.

        The frames are rendered now, embedded as PNG, and switched by a plain
        HTML range input, so the static website responds with no kernel and
        no network.

        Args:
            name: The parameter the scrubber's slider sweeps.
            values: The values to precompute.
            alt: Alt text for the frames (what the figure shows).
            fmt: Format of the value label, e.g. ``"lr = {:.3g}"``.
            **fixed: Other parameters to set first.

        Returns:
            IPython.display.HTML: The self-contained player.
        """
        from IPython.display import HTML

        from ._scrubber import scrubber_html

        label = self._specs[name].label if name in self._specs else name
        html = scrubber_html(
            self.frames(name, values, **fixed),
            [fmt.format(v) for v in values],
            label=label,
            alt=alt,
        )
        return HTML(html)


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
