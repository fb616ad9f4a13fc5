"""Interactive explorers: ipywidgets controls over figures built once.

Every explorer derives from :class:`Explorer`: it declares its controls,
builds its figure once from the plotters of :mod:`nnbook.plots`, updates
their artists in place, exposes ``update(**params)`` for tests and
benchmarks, shows callback errors in the widget, and can render a
kernel-free scrubber for the static website.
"""

from ._base import Explorer
from ._params import ChoiceParam, FloatParam, IntParam, LogFloatParam, Param
from ._scrubber import png_bytes, scrubber_html
from .feature_maps import FeatureMapExplorer
from .loss_surface import LossSurfaceExplorer
from .neuron import SingleNeuronExplorer
from .overfitting import OverfittingExplorer
from .project import ProjectExplorer
from .threshold import ThresholdExplorer

__all__ = [
    "ChoiceParam",
    "Explorer",
    "FeatureMapExplorer",
    "FloatParam",
    "IntParam",
    "LogFloatParam",
    "LossSurfaceExplorer",
    "OverfittingExplorer",
    "Param",
    "ProjectExplorer",
    "png_bytes",
    "scrubber_html",
    "SingleNeuronExplorer",
    "ThresholdExplorer",
]
