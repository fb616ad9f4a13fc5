"""The controls of an explorer: typed parameters that check values and make widgets.

Each :class:`Param` checks a value with a clear error naming it, and makes
its ipywidgets control; a control that retrains (``retrains=True``) fires
only on release (``continuous_update=False``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._checks import check_choice, check_int, check_real

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets

__all__ = ["Param", "IntParam", "FloatParam", "LogFloatParam", "ChoiceParam"]


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

    def _widget_kw(self) -> dict[str, Any]:
        """What every control shares: its label and when it fires."""
        return {
            "value": self.default,
            "description": self.label,
            "continuous_update": not self.retrains,
            "style": {"description_width": "initial"},
        }


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
            min=self.low, max=self.high, step=self.step, **self._widget_kw()
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
            min=self.low,
            max=self.high,
            step=self.step,
            readout_format=".3g",
            **self._widget_kw(),
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
            base=10,
            min=math.log10(self.low),
            max=math.log10(self.high),
            step=1 / self.steps_per_decade,
            readout_format=".2g",
            **self._widget_kw(),
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
