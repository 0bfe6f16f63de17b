"""Interactive panels. Each owns one figure and updates it in place (see :mod:`._panel`).

Import a panel from its module; by notebook:

- 01: ``activation_explorer.ActivationExplorer``, ``neuron_panel.NeuronPanel``,
  ``lecture_network_panel.LectureNetworkPanel``, ``depth_panel.DepthPanel``, ``xor_panel.XorPanel``
- 02: ``shape_tracer.ShapeTracer``, ``layer_heatmaps.LayerHeatmaps``
- 03: ``step_panel.StepPanel``, ``bump_panel.BumpPanel``, ``approximation_panel.ApproximationPanel``,
  ``relu_panel.ReluPanel``, ``polynomial_panel.PolynomialPanel``, ``towers_panel.TowersPanel``,
  ``fit_panel.FitPanel``, ``sawtooth_panel.SawtoothPanel``, ``challenge_panel.ChallengePanel``
- 04: ``softmax_panel.SoftmaxPanel``, ``stability_lab.StabilityLab``,
  ``calibration_panel.CalibrationPanel``
- 05: ``bce_panel.BCEPanel``, ``k2_panel.K2Panel``, ``divergence_panel.DivergencePanel``,
  ``gradient_panel.GradientPanel``
- 06: ``training_panel.TrainingPanel`` (Train / Stop through ``_training_loop.TrainingLoop``)
"""

from ._panel import Panel, dropdown, float_log_slider, float_slider, int_slider, toggle
from .activation_explorer import ActivationExplorer, compute_activation_curve

__all__ = ["Panel", "float_slider", "float_log_slider", "int_slider", "dropdown", "toggle",
           "ActivationExplorer", "compute_activation_curve"]
