"""Panels refuse what they cannot show: NaN (ipywidgets does not clamp it), out-of-range
values and unknown options — set on any control, given to any constructor — with a message
naming the argument; the previous value is kept and nothing is drawn. Data of the wrong shape
gets our error, and a closed panel says so."""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import numpy as np
import pytest
import traitlets

import lecture_utils.widgets as widgets_pkg
from lecture_utils.widgets._panel import Panel, dropdown, float_log_slider, float_slider, int_slider, toggle

RNG = np.random.default_rng(0)
# panels whose constructor needs data
PANEL_ARGS = {
    "LayerHeatmaps": dict(X=RNG.normal(size=(12, 4)), y=np.arange(12) % 3),
    "CalibrationPanel": dict(logits=RNG.normal(size=(40, 3)), labels=np.arange(40) % 3),
}


def panel_classes():
    found = {}
    for info in pkgutil.iter_modules(widgets_pkg.__path__):
        mod = importlib.import_module(f"lecture_utils.widgets.{info.name}")
        for name, obj in vars(mod).items():
            if inspect.isclass(obj) and issubclass(obj, Panel) and obj is not Panel and obj.__module__ == mod.__name__ \
                    and "controls" not in inspect.signature(obj).parameters:  # a base (BrowserCanvasPanel), not a panel
                found[name] = obj
    return [found[k] for k in sorted(found)]


PANELS = panel_classes()


def make(cls, **kw):
    return cls(**{**PANEL_ARGS.get(cls.__name__, {}), **kw})


def bad_values(control):
    """(value, what) a control cannot take."""
    out = [(float("nan"), "NaN")]
    if hasattr(control, "options") and hasattr(control, "index"):
        out += [("no such option", "must be one of"), (None, "must be one of")]
    elif hasattr(control, "max"):
        hi = control.base ** control.max if hasattr(control, "base") else control.max
        out += [(hi * 10 + 1e6, "range"), ("1", "number")]
    return out


@pytest.mark.parametrize("cls", PANELS, ids=lambda c: c.__name__)
def test_nan_and_out_of_range_values_are_refused_on_every_control(cls):
    panel = make(cls)
    try:
        for name, control in panel.controls.items():
            if not hasattr(control, "value"):
                continue
            for value, words in bad_values(control):
                before, count = dict(panel.values), panel.update_count
                with pytest.raises(ValueError) as info:
                    panel.set(**{name: value})
                msg = str(info.value)
                assert name in msg and words in msg and "keeps" in msg, msg
                assert panel.values == before and panel.update_count == count  # kept, not drawn
            if isinstance(control.value, float):  # set directly on the widget: refused too
                before, count = control.value, panel.update_count
                with pytest.raises(traitlets.TraitError, match="NaN"):
                    control.value = float("nan")
                assert control.value == before and panel.update_count == count
                assert not math.isnan(panel.values[name])
    finally:
        panel.close()


@pytest.mark.parametrize("cls", PANELS, ids=lambda c: c.__name__)
def test_constructor_values_outside_a_controls_range_raise_naming_the_argument(cls):
    params = inspect.signature(cls.__init__).parameters
    probe = make(cls)
    controls = dict(probe.controls)
    probe.close()
    tried = 0
    for name, control in controls.items():
        if name not in params or not hasattr(control, "value"):
            continue
        for value, _ in bad_values(control)[:2]:
            with pytest.raises((ValueError, TypeError)) as info:
                make(cls, **{name: value})
            assert name in str(info.value), str(info.value)
            tried += 1
    if not tried:
        pytest.skip(f"{cls.__name__} has no constructor argument that sets a control")


def test_an_invalid_choice_names_the_argument_and_the_options():
    from lecture_utils.widgets.activation_explorer import ActivationExplorer
    with pytest.raises(ValueError, match=r"activation must be one of 'identity', 'sigmoid'.*'softmax'"):
        ActivationExplorer(activation="softmax")
    with pytest.raises(ValueError, match=r"ActivationExplorer: w must be in \[-5, 5\]"):
        ActivationExplorer(w=9.0)


@pytest.mark.parametrize("build, words", [
    (lambda: float_slider("w", 9.0, -5.0, 5.0, 0.1), "[-5, 5]"),
    (lambda: float_slider("w", float("nan"), -5.0, 5.0, 0.1), "NaN"),
    (lambda: float_slider("w", 0.0, 5.0, -5.0, 0.1), "min must be < max"),
    (lambda: float_slider("w", 0.0, -5.0, 5.0, 0.0), "step must be > 0"),
    (lambda: int_slider("n", 2.5, 1, 10), "whole number"),
    (lambda: int_slider("n", 11, 1, 10), "[1, 10]"),
    (lambda: float_log_slider("T", 1e6, -1.0, 1.0), "[0.1, 10]"),
    (lambda: dropdown("f", ["relu", "tanh"], "softmax"), "'relu', 'tanh'"),
    (lambda: toggle("y", [("y = 0", 0), ("y = 1", 1)], 2), "0, 1"),
])
def test_control_builders_raise_instead_of_clamping(build, words):
    with pytest.raises(ValueError) as info:
        build()
    assert words in str(info.value), str(info.value)


@pytest.mark.parametrize("make_bad, words", [
    (lambda: importlib.import_module("lecture_utils.widgets.xor_panel").XorPanel(X=np.ones((4, 3))), ["X", "(4, 3)"]),
    (lambda: importlib.import_module("lecture_utils.widgets.xor_panel").XorPanel(y=[0, 1, 2, 0]), ["y", "0 … 1"]),
    (lambda: importlib.import_module("lecture_utils.widgets.xor_panel").XorPanel(y=[0, 1]), ["y", "(2,)"]),
    (lambda: importlib.import_module("lecture_utils.widgets.layer_heatmaps").LayerHeatmaps(np.ones((4, 2)), y=[0, 1]),
     ["y", "(2,)"]),
    (lambda: importlib.import_module("lecture_utils.widgets.layer_heatmaps").LayerHeatmaps(np.ones(4)), ["X", "(4,)"]),
    (lambda: importlib.import_module("lecture_utils.widgets.calibration_panel").CalibrationPanel(np.ones((3, 2)), [0, 1, 2]),
     ["labels", "0 … 1"]),
    (lambda: importlib.import_module("lecture_utils.widgets.softmax_panel").SoftmaxPanel(z=("a", "b", "c")), ["z"]),
    (lambda: importlib.import_module("lecture_utils.widgets.softmax_panel").SoftmaxPanel(z=(1.0, 2.0)), ["3 logits"]),
    (lambda: importlib.import_module("lecture_utils.widgets.lecture_network_panel").LectureNetworkPanel(weights=(1, 2)),
     ["weights", "(9,)"]),
    (lambda: importlib.import_module("lecture_utils.widgets.challenge_panel").ChallengePanel(heights=(0.5,)),
     ["heights", "(5,)"]),
    (lambda: importlib.import_module("lecture_utils.widgets.divergence_panel").DivergencePanel(y=[np.nan, 0.5, 0.5]),
     ["y", "NaN"]),
    (lambda: importlib.import_module("lecture_utils.widgets.training_panel").TrainingPanel(dataset="spiral"),
     ["dataset", "load"]),
])
def test_data_of_the_wrong_shape_gets_our_error(make_bad, words):
    with pytest.raises((ValueError, TypeError)) as info:
        make_bad()
    tb = info.traceback[-1]
    assert "lecture_utils" in str(tb.path), tb.path
    for w in words:
        assert w in str(info.value), str(info.value)


@pytest.mark.parametrize("cls", PANELS[:3], ids=lambda c: c.__name__)
def test_a_closed_panel_says_so(cls):
    panel = make(cls)
    panel.close()
    name = next(iter(panel.controls))
    for use in (lambda: panel.set(**{name: panel.values[name]}), lambda: panel.widget,
                lambda: panel.hold().__enter__()):
        with pytest.raises(RuntimeError, match="closed"):
            use()
    control = panel.controls[name]
    count = panel.update_count
    if hasattr(control, "options") and len(control.options) > 1:
        control.index = (control.index + 1) % len(control.options)  # the front-end moves it: no redraw
    assert panel.update_count == count


def test_a_panel_replaced_by_a_new_one_says_so():
    from lecture_utils.widgets.activation_explorer import ActivationExplorer
    first = ActivationExplorer()
    second = ActivationExplorer()
    with pytest.raises(RuntimeError, match="replaced it"):
        first.set(w=2.0)
    second.set(w=2.0)
    second.close()
