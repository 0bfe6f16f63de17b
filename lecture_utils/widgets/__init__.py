"""Interactive panels. Each owns one figure and updates it in place (see :mod:`._panel`).

Import a panel from its module; by notebook:

- 01: ``activation_explorer.ActivationExplorer``, ``neuron_panel.NeuronPanel``,
  ``lecture_network_panel.LectureNetworkPanel``, ``depth_panel.DepthPanel``, ``xor_panel.XorPanel``
- 02: ``shape_tracer.ShapeTracer``, ``layer_heatmaps.LayerHeatmaps``
- 03: ``step_panel.StepPanel``, ``bump_panel.BumpPanel``, ``approximation_panel.ApproximationPanel``,
  ``relu_panel.ReluPanel``, ``towers_panel.TowersPanel``, ``challenge_panel.ChallengePanel``
- 04: ``polynomial_panel.PolynomialPanel``, ``fit_panel.FitPanel`` (Train / Stop through
  ``_training_loop.TrainingLoop``), ``sawtooth_panel.SawtoothPanel``
- 05: ``softmax_panel.SoftmaxPanel``, ``stability_lab.StabilityLab``,
  ``overfitting_panel.OverfittingPanel``, ``calibration_panel.CalibrationPanel``
- 06: ``bce_panel.BCEPanel``, ``k2_panel.K2Panel``, ``divergence_panel.DivergencePanel``,
  ``scoring_rule_panel.ScoringRulePanel``, ``gradient_panel.GradientPanel``
- 07: ``training_panel.TrainingPanel`` (Train / Stop through ``_training_loop.TrainingLoop``)
"""

from ._panel import Panel, dropdown, float_log_slider, float_slider, int_slider, toggle
from .activation_explorer import ActivationExplorer, compute_activation_curve

__all__ = ["Panel", "float_slider", "float_log_slider", "int_slider", "dropdown", "toggle",
           "ActivationExplorer", "compute_activation_curve"]
