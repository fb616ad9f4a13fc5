"""The one base class every explorer shares.

An explorer is a figure plus parameters. The figure is built once in
``_build_figure``; ``_render(params)`` recomputes what the parameters change
and updates the existing artists (``set_data``, ``set_array``,
``set_offsets``, ``set_text``); :meth:`Explorer.update` validates, renders and
draws. An explorer that lists its changing artists (``_animated``) draws the
rest of the figure once, keeps it as a background, and afterwards only
redraws those artists on it (blitting), until its ``_layout_key`` changes.
:meth:`Explorer.widget` wires ipywidgets controls to ``update``, with
``continuous_update=False`` on controls that retrain, and shows any error
raised in a callback inside the explorer instead of losing it.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ._debounce import Debouncer
from ._offline_note import EXPLORER_CLASS, needs_kernel_note
from ._params import Param

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets
    from matplotlib.figure import Figure

__all__ = ["Explorer"]


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
    #: Resolution of the PNG frames of ``frames()`` and ``scrubber()``.
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
        self.n_draws = 0  # full draws plus blits (the canvas made current)
        self.n_blits = 0
        self._background: Any = None
        self._background_key: Any = None
        self._dirty = True
        self._render(dict(self.params))
        self.n_renders += 1
        self._view: Any = None
        self._error: Any = None

    # -- to implement -------------------------------------------------------
    def _build_figure(self) -> Figure:  # pragma: no cover - abstract
        raise NotImplementedError

    def _render(self, params: dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    def _animated(self) -> list[Any]:
        """The artists an update changes; ``[]`` redraws the whole figure."""
        return []

    def _layout_key(self) -> Any:
        """Changes whenever anything but :meth:`_animated` changes (limits...)."""
        return None

    # -- drawing ------------------------------------------------------------
    def draw(self) -> None:
        """Make the canvas show the current state, as cheaply as possible.

        With animated artists, the first call (and any call after the layout
        key changed) draws the static figure, keeps it as a background and
        draws the animated artists on top; later calls restore the background
        and redraw only those artists (blitting). Otherwise the whole figure
        is drawn.
        """
        canvas = self.fig.canvas
        artists = self._animated()
        if not artists or not hasattr(canvas, "copy_from_bbox"):
            canvas.draw()
        else:
            key = self._layout_key()
            if self._background is None or key != self._background_key:
                for artist in artists:
                    artist.set_animated(True)
                canvas.draw()  # the static figure only
                self._background = canvas.copy_from_bbox(self.fig.bbox)
                self._background_key = key
            else:
                canvas.restore_region(self._background)
                self.n_blits += 1
            for artist in sorted(artists, key=lambda a: a.get_zorder()):
                self.fig.draw_artist(artist)
            canvas.blit(self.fig.bbox)
        self.n_draws += 1
        self._dirty = False

    def png(self, dpi: int | None = None, colors: int | None = None) -> bytes:
        """The current figure as PNG bytes.

        At the figure's own resolution the drawn canvas is encoded as it is
        (no second draw); at another resolution the figure is rendered again,
        animated artists included.
        """
        from ._scrubber import png_bytes

        artists = self._animated()
        if (dpi is None or dpi == self.fig.dpi) and artists:
            if self._dirty:
                self.draw()
            return _buffer_png(self.fig, colors)
        for artist in artists:
            artist.set_animated(False)
        try:
            return png_bytes(self.fig, dpi=int(dpi or self.fig.dpi), colors=colors)
        finally:
            for artist in artists:
                artist.set_animated(True)
            self._background = None  # a print may reset the canvas's renderer
            self._dirty = True

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
            self.draw()
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
        self._dirty = True
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
                self._apply(params)  # show() draws once
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

        data = base64.b64encode(self.png()).decode("ascii")
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
        if fixed:
            self._apply(fixed)
        frames = []
        for v in values:
            self._apply({name: v})  # png() draws the figure once
            frames.append(self.png(self.FRAME_DPI, colors=self.FRAME_COLORS))
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


def _buffer_png(fig: Figure, colors: int | None) -> bytes:
    """PNG bytes of an Agg canvas's buffer, as drawn (no metadata: stable)."""
    import io

    from PIL import Image

    width, height = fig.canvas.get_width_height(physical=True)
    img = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba())
    if colors is not None:
        img = img.convert("RGB").quantize(
            colors=int(colors),
            method=Image.Quantize.MEDIANCUT,
            dither=Image.Dither.NONE,
        )
    out = io.BytesIO()
    img.save(out, format="png")
    return out.getvalue()
