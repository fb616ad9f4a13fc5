"""Interactive explorers: ipywidgets controls over figures built once.

Every explorer derives from :class:`Explorer`: it declares its controls,
builds its figure once, updates artists in place, exposes ``update(**params)``
for tests and benchmarks, shows callback errors in the widget, and can render
a kernel-free scrubber for the static website.
"""

from ._base import (
    ChoiceParam,
    Explorer,
    FloatParam,
    IntParam,
    LogFloatParam,
    Param,
)
from ._scrubber import png_bytes, scrubber_html
from .neuron import SingleNeuronExplorer

__all__ = [
    "ChoiceParam",
    "Explorer",
    "FloatParam",
    "IntParam",
    "LogFloatParam",
    "Param",
    "png_bytes",
    "scrubber_html",
    "SingleNeuronExplorer",
]
