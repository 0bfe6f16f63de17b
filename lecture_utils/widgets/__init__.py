"""Interactive panels. Each owns one figure and updates it in place (see :mod:`._panel`)."""

from ._panel import Panel, dropdown, float_slider, int_slider, toggle
from .activation_explorer import ActivationExplorer, compute_activation_curve

__all__ = ["Panel", "float_slider", "int_slider", "dropdown", "toggle", "ActivationExplorer",
           "compute_activation_curve"]
