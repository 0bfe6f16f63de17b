"""The public API, swept with bad input: every public function of every lecture_utils module is
called with one valid set of arguments, then with each argument in turn replaced by each value
of a table of bad ones (None, a string, NaN, ±inf, a huge size, a negative, a fraction, a bool,
a complex number, an empty list, a dict, a 3-D array, an object). Every call must either raise
our own ValueError / TypeError — raised in lecture_utils, not deep inside numpy or matplotlib —
or return a result without a NaN (or an inf nobody asked for). ``test_sweep_counts`` prints how
many cases were tried and how many gave our error."""

from __future__ import annotations

import importlib
import inspect
import math
import os
import pkgutil
import signal
import traceback
from collections import Counter
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import lecture_utils
import lecture_utils.plotting
from lecture_utils import init_layers
from lecture_utils import calibration as ca, fitting as fi

pytestmark = pytest.mark.filterwarnings("error")


class F:
    """A fresh value for every call (axes, states that calls modify)."""

    def __init__(self, make):
        self.make = make


def ax():
    return Figure().add_subplot()


RNG_SEED = 0
X42 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y4 = np.array([0, 1, 1, 0])
P2 = np.array([[0.7, 0.3], [0.2, 0.8]])
Z23 = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
V3 = np.array([0.5, -1.0, 2.0])
W9 = [1.0, -2.0, 0.5, 2.0, 1.0, -1.0, 1.5, 0.5, -1.5]
LAYERS = F(lambda: init_layers([2, 3, 2], np.random.default_rng(0)))
GRADS = F(lambda: [(np.ones((2, 3)), np.ones(3)), (np.ones((3, 2)), np.ones(2))])
RNG = F(lambda: np.random.default_rng(0))
STATE = F(lambda: fi.init_fit(np.linspace(0, 1, 8), np.sin(np.linspace(0, 1, 8)), 3))
BINS = F(lambda: ca.reliability_bins(P2, [0, 1], 5))
CALIBRATION = F(lambda: lecture_utils.data.load("calibration"))  # notebook 05's over-confident network
GRID = np.linspace(0, 1, 5)


def net_artists():
    from lecture_utils.plotting.network import draw_network
    return draw_network(ax(), (1, 1), [["a"], ["b"]])


def reliability_artists():
    from lecture_utils.plotting.softmax import draw_reliability
    return draw_reliability(ax(), ca.reliability_bins(P2, [0, 1], 5))


# one valid call per public function: {qualified name: {argument: value}}; arguments left out
# are swept at their default values
VALID: dict[str, dict[str, Any]] = {
    # activations
    **{f"activations.{n}": {"x": V3} for n in ("sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad",
                                                "leaky_relu", "leaky_relu_grad", "identity", "identity_grad")},
    "activations.get_activation": {"name": "relu"},
    "activations.Activation": {"name": "mine", "f": np.tanh, "grad": lambda z: 1 - np.tanh(z) ** 2, "latex": "f"},
    # forward pass
    "forward_pass.dense": {"X": np.ones((3, 4)), "W": np.ones((4, 2)), "b": np.zeros(2)},
    "forward_pass.forward": {"X": np.ones((4, 2)), "layers": LAYERS},
    "forward_pass.collapse_linear": {"layers": LAYERS},
    "forward_pass.init_layers": {"sizes": [2, 3, 1], "rng": RNG},
    # softmax
    "softmax.logsumexp": {"z": Z23}, "softmax.softmax": {"z": Z23}, "softmax.log_softmax": {"z": Z23},
    "softmax.naive_softmax": {"z": Z23}, "softmax.softmax_jacobian": {"z": V3},
    # losses
    "losses.binary_cross_entropy": {"y": np.array([1.0, 0.0]), "p": np.array([0.9, 0.2])},
    "losses.cross_entropy": {"y": np.array([0, 1]), "P": P2},
    "losses.cross_entropy_from_logits": {"y": np.array([0, 2]), "logits": Z23},
    "losses.one_hot": {"labels": np.array([0, 2]), "K": 3},
    # approximation
    "approximation.get_target": {"target": "sine"},
    "approximation.step_neuron": {"x": GRID, "w": 10.0, "b": -5.0},
    "approximation.step_position": {"w": 10.0, "b": -5.0},
    "approximation.step_weight_bias": {"s": 0.3},
    "approximation.bump": {"x": GRID, "left": 0.2, "right": 0.6, "height": 0.8},
    "approximation.ShallowNet": {"w": np.ones(2), "b": np.zeros(2), "v": np.ones(2), "c": 0.0},
    "approximation.bump_network": {"target": "sine", "n_hidden": 4},
    "approximation.relu_network": {"target": "sine", "n_hidden": 4},
    "approximation.ramp": {"x": GRID, "start": 0.2, "end": 0.6, "height": 1.0},
    "approximation.hat": {"x": GRID, "left": 0.2, "peak": 0.4, "right": 0.6, "height": 1.0},
    "approximation.count_relus": {"knots_x": [0, 0.5, 1], "knots_y": [0, 1, 0]},
    "approximation.approximation_errors": {"y_hat": V3, "y": V3 + 0.1},
    "approximation.error_vs_n": {"target": "sine", "ns": [2, 4], "n_grid": 51},
    "approximation.challenge_edges": {},
    "approximation.challenge_output": {"x": GRID, "heights": [0.5] * 5},
    "approximation.challenge_score": {"heights": [0.5] * 5},
    # towers
    "towers.cross_2d": {"x1": GRID, "x2": GRID, "x1_edges": (0.2, 0.6), "x2_edges": (0.2, 0.6)},
    "towers.tower_2d": {"x1": GRID, "x2": GRID, "x1_edges": (0.2, 0.6), "x2_edges": (0.2, 0.6)},
    "towers.towers_network_2d": {"target": lambda a, b: a * b, "n_per_axis": 2, "x1": GRID, "x2": GRID},
    "towers.towers_unit_counts": {"n_per_axis": 3},
    "towers.towers_error_vs_n": {"target": lambda a, b: a * b, "ns": [2, 3], "n_grid": 11},
    # expressivity
    "expressivity.one_layer_best_fit": {"target": "sine", "n_hidden": 4, "activation": "square"},
    "expressivity.grid_cells_needed": {"eps": 0.1, "d": 2},
    "expressivity.hat_map": {"x": GRID},
    "expressivity.sawtooth": {"x": GRID, "k": 3},
    "expressivity.sawtooth_layers": {"k": 3},
    "expressivity.sawtooth_deep": {"x": GRID, "k": 3},
    "expressivity.sawtooth_shallow": {"k": 3},
    "expressivity.sawtooth_unit_counts": {"k": 3},
    "expressivity.count_pieces": {"x": GRID, "y": np.abs(GRID - 0.5)},
    # gradient flow
    "gradient_flow.init_std": {"fan_in": 3, "fan_out": 2},
    "gradient_flow.deep_layers": {"depth": 2, "width": 3},
    "gradient_flow.gradient_flow": {"X": X42, "y": Y4, "layers": F(lambda: lecture_utils.gradient_flow.deep_layers(
        2, 3, d_out=2)), "activation": "tanh"},
    # overconfidence
    "overconfidence.train_overconfident_network": {"X_train": X42, "y_train": Y4, "X_test": X42, "y_test": Y4,
                                                   "epochs": 3, "checkpoints": (0, 1, 3)},
    "overconfidence.checkpoint_index": {"ds": CALIBRATION, "epoch": 10},
    "overconfidence.layers_at": {"ds": CALIBRATION, "epoch": 10},
    "overconfidence.logits_at": {"ds": CALIBRATION, "X": np.ones((2, 22)), "epoch": 10},
    # backprop
    "backprop.softmax_cross_entropy_backward": {"logits": Z23, "y": np.array([0, 2])},
    "backprop.dense_backward": {"dZ": np.ones((4, 3)), "A_prev": np.ones((4, 2)), "W": np.ones((2, 3))},
    "backprop.activation_backward": {"dA": np.ones((2, 3)), "Z": Z23, "activation": "relu"},
    "backprop.backprop": {"X": X42, "y": Y4, "layers": LAYERS},
    "backprop.l2_penalty": {"layers": LAYERS, "lam": 0.1},
    "backprop.l2_gradient": {"layers": LAYERS, "lam": 0.1},
    "backprop.check_gradients": {"X": X42, "y": Y4, "layers": LAYERS},
    # calibration
    "calibration.confidence_and_prediction": {"probs": P2},
    "calibration.reliability_bins": {"probs": P2, "labels": [0, 1], "n_bins": 5},
    "calibration.expected_calibration_error": {"probs": P2, "labels": [0, 1], "n_bins": 5},
    "calibration.nll_at_temperature": {"logits": P2, "labels": [0, 1]},
    "calibration.fit_temperature": {"logits": P2 * 3, "labels": [0, 1]},
    "calibration.calibrated_probs": {"logits": P2, "temperature": 2.0},
    # data
    "data.load": {"name": "xor"}, "data.available": {}, "data.data_dir": {},
    # fitting
    "fitting.init_fit": {"x": np.linspace(0, 1, 8), "y": np.linspace(0, 1, 8), "n_hidden": 3},
    "fitting.forward_1d": {"params": F(lambda: STATE.make().params), "x": GRID},
    "fitting.loss_and_grads": {"params": F(lambda: STATE.make().params), "x": GRID, "y": GRID},
    "fitting.fit_step": {"state": STATE},
    "fitting.train_until": {"state": STATE, "target_mse": 1e-3, "max_steps": 20, "chunk": 10},
    "fitting.to_network": {"state": STATE},
    # gradcheck
    "gradcheck.numerical_gradient": {"f": lambda v: float(np.sum(v ** 2)), "x": V3},
    "gradcheck.numerical_jacobian": {"f": lambda v: 2 * v, "x": V3},
    "gradcheck.relative_error": {"a": V3, "b": V3 + 1e-3},
    # information
    "information.entropy": {"p": [0.5, 0.5]},
    "information.kl_divergence": {"p": [0.5, 0.5], "q": [0.9, 0.1]},
    "information.cross_entropy_between": {"p": [0.5, 0.5], "q": [0.9, 0.1]},
    **{f"information.{n}": {"z": V3, "y": np.array([1, 0, 1])}
       for n in ("bce_logit_loss", "bce_logit_grad", "squared_error_logit_loss", "squared_error_logit_grad")},
    "information.softmax_squared_error_grad": {"logits": V3, "y": np.array([1.0, 0.0, 0.0])},
    "information.bernoulli_expected_ce": {"q": np.array([0.3, 0.7]), "p": np.array([0.2, 0.9])},
    "information.bernoulli_expected_accuracy": {"q": np.array([0.3, 0.7]), "p": np.array([0.2, 0.9])},
    # nonlinearity
    "nonlinearity.hidden_activation": {"name": "tanh"},
    "nonlinearity.lecture_layers": {"w": W9, "b": 1.0},
    "nonlinearity.lecture_network": {"X": X42, "w": W9, "b": 1.0},
    "nonlinearity.collapse_lecture_network": {"w": W9, "b": 1.0},
    "nonlinearity.n4_expansion_latex": {"w": W9, "b": 1.0},
    "nonlinearity.best_linear_fit": {"X": X42, "y": Y4},
    "nonlinearity.random_stack": {"k": 2, "width": 3, "rng": RNG},
    "nonlinearity.stack_output": {"X": np.ones((5, 1)), "layers": F(lambda: lecture_utils.nonlinearity.random_stack(
        2, 3, np.random.default_rng(0)))},
    "nonlinearity.xor_network": {"X": X42}, "nonlinearity.xor_predict": {"X": X42},
    "nonlinearity.linear_separability_scan": {"X": X42, "y": Y4, "n_angles": 36},
    # precision
    "precision.as_float_dtype": {"dtype": "float32"},
    "precision.stable_softmax_in": {"z": V3, "dtype": "float32"},
    "precision.log_softmax_in": {"z": V3, "dtype": "float32"},
    "precision.log_of_softmax_in": {"z": V3, "dtype": "float32"},
    "precision.breaking_points": {"dtype": "float32"},
    "precision.compute_stability": {"z": V3, "dtype": "float32"},
    # shapes
    "shapes.layer_shapes": {"batch_size": 10, "widths": [4, 5, 3]},
    "shapes.format_shape_table": {"rows": F(lambda: lecture_utils.shapes.layer_shapes(10, [4, 5]))},
    "shapes.describe_broadcast": {"n": 3, "h": 2},
    "shapes.forward_loop": {"X": np.ones((4, 2)), "layers": LAYERS},
    "shapes.forward_one_example": {"x": np.ones(2), "layers": LAYERS},
    "shapes.minibatches": {"n": 10, "batch_size": 4},
    "shapes.count_parameters": {"widths": [4, 5, 3]},
    "shapes.dense_latex": {"X": np.ones((2, 3)), "W": np.ones((3, 2)), "b": np.zeros(2)},
    # style
    "style.use_lecture_style": {}, "style.lecture_rc": {}, "style.quiet_canvas": {"fig": F(Figure)},
    "style.widget_scale": {},
    # training
    "training.minibatch_indices": {"n": 10, "batch_size": 4, "rng": RNG},
    "training.sgd_step": {"layers": LAYERS, "grads": GRADS, "lr": 0.1},
    "training.per_example_gradients": {"X": X42, "y": Y4, "layers": LAYERS},
    "training.flatten": {"grads": GRADS},
    "training.flatten_per_example": {"per_example": F(lambda: [(np.ones((3, 2, 2)), np.ones((3, 2)))])},
    "training.accuracy": {"logits": P2, "y": np.array([0, 1])},
    "training.stochastic_gradient_errors": {"per_example": np.arange(15.0).reshape(5, 3),
                                            "full": np.arange(15.0).reshape(5, 3).mean(axis=0),
                                            "counts": [1, 2], "rng": RNG},
    "training.Trainer": {"X_train": X42, "y_train": Y4, "hidden": (3,)},
    # plotting
    "plotting.approximation.plot_target_and_network": {"x": GRID, "y_target": GRID, "y_net": GRID, "ax": F(ax)},
    "plotting.approximation.plot_error_vs_n": {"curves": {"a": ([1, 2, 4], [1.0, 0.5, 0.25])}, "ax": F(ax)},
    "plotting.approximation.plot_heatmap": {"Z": np.ones((3, 3)), "ax": F(ax)},
    "plotting.approximation.plot_extrapolation": {"x": GRID, "y_target": GRID, "curves": {"net": GRID}, "ax": F(ax)},
    "plotting.decision.grid_points": {"xlim": (0, 1), "ylim": (0, 1), "grid": 5},
    "plotting.decision.plane_limits": {"X": X42},
    "plotting.decision.compute_decision_grid": {"predict_fn": lambda P: P[:, 0] > 0.5, "xlim": (0, 1), "ylim": (0, 1),
                                                "grid": 5},
    "plotting.decision.plot_decision_regions": {"predict_fn": lambda P: P[:, 0] > 0.5, "X": X42, "y": Y4,
                                                "ax": F(ax), "grid": 5},
    "plotting.decision.class_cmap": {"n_classes": 3},
    "plotting.losses.plot_bce_curves": {"ax": F(ax)},
    "plotting.losses.plot_losses_vs_logit": {"ax": F(ax)},
    "plotting.losses.plot_gradients_vs_logit": {"ax": F(ax)},
    "plotting.losses.plot_k2_losses": {"ax": F(ax)},
    "plotting.losses.plot_information_bars": {"y": [0.5, 0.5], "p": [0.9, 0.1], "ax": F(ax)},
    "plotting.losses.plot_stable_vs_naive": {"ax": F(ax)},
    "plotting.losses.plot_scoring_rule": {"q": 0.3, "ax_ce": F(ax), "ax_acc": F(ax)},
    "plotting.losses.find_artist": {"ax": F(lambda: lecture_utils.plotting.losses.plot_bce_curves(ax())), "gid": "bce-y1"},
    "plotting.losses.bar_label": {"value": 1.0, "top": 2.0},
    "plotting.network.draw_network": {"ax": F(ax), "sizes": (1, 1), "node_labels": [["a"], ["b"]]},
    "plotting.network.show_weights": {"artists": F(net_artists), "weights": [1.0]},
    "plotting.softmax.set_log_ticks": {"ax": F(ax), "ticks": [1, 10]},
    "plotting.softmax.plot_images": {"images": np.zeros((1, 3, 4, 4)), "axes": F(lambda: [ax()])},
    "plotting.softmax.plot_temperature_sweep": {"z": V3, "classes": ["a", "b", "c"], "ax": F(ax)},
    "plotting.softmax.plot_jacobian": {"J": np.eye(2), "labels": ["a", "b"], "ax": F(ax)},
    "plotting.softmax.plot_reliability_diagram": {"bins": BINS, "ax": F(ax)},
    "plotting.softmax.draw_reliability": {"ax": F(ax), "bins": BINS},
    "plotting.softmax.update_reliability": {"artists": F(reliability_artists), "bins": BINS},
    "plotting.softmax.plot_learning_curves": {"history": F(lambda: {
        "epoch": np.arange(4), "train_loss": np.array([1.1, 0.6, 0.3, 0.2]), "test_loss": np.array([1.1, 0.7, 0.5, 0.6]),
        "train_acc": np.array([0.3, 0.7, 0.9, 1.0]), "test_acc": np.array([0.3, 0.6, 0.7, 0.7])}), "ax": F(ax)},
}

# containers of results (not called with student input) and style settings
CONTAINERS = {"ForwardResult", "BackpropResult", "ReliabilityBins", "TemperatureFit", "FitState", "BreakingPoints",
              "StabilityResult", "ReliabilityArtists", "Dataset", "GradientFlow"}

MODULES = ["activations", "forward_pass", "softmax", "losses", "approximation", "towers", "expressivity", "backprop",
           "calibration", "data", "fitting", "gradcheck", "gradient_flow", "information", "nonlinearity",
           "overconfidence", "precision", "shapes", "style", "training"]
MODULES += [f"plotting.{m.name}" for m in pkgutil.iter_modules(lecture_utils.plotting.__path__)
            if not m.name.startswith("_")]
# modules whose functions students do not call (the packages exercises/ and widgets/ have tests of their own)
NOT_SWEPT = {"server_extension": "the Jupyter save hook: the server calls it with a notebook model"}


def public_functions() -> dict[str, Any]:
    found = {}
    for name in MODULES:
        mod = importlib.import_module(f"lecture_utils.{name}")
        for attr in getattr(mod, "__all__", [n for n in dir(mod) if not n.startswith("_")]):
            obj = getattr(mod, attr)
            if callable(obj) and getattr(obj, "__module__", None) == mod.__name__ and attr not in CONTAINERS:
                found[f"{name}.{attr}"] = obj
    return found


FUNCTIONS = public_functions()

BAD = {
    "None": None, "str": "text", "nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"),
    "huge": 10 ** 12, "negative": -1, "zero": 0, "fraction": 2.5, "bool": True, "complex": 1j, "empty": [],
    "dict": {"a": 1}, "3d": np.ones((2, 3, 4)), "object": object(), "nan-array": np.array([np.nan, 1.0]),
}
# the demonstrations of what breaks: their docstrings say they return inf / NaN for logits that
# overflow (that output *is* the lesson of notebook 05)
DOCUMENTED_NONFINITE = {"softmax.naive_softmax", "precision.stable_softmax_in", "precision.log_softmax_in",
                        "precision.log_of_softmax_in"}
# +inf is the right answer of these where the docstring says (a probability of 0 for an outcome
# that can happen: expected cross-entropy is infinite); a NaN never is
DOCUMENTED_INF = {"information.bernoulli_expected_ce"}
DEEP = ("numpy", "matplotlib", os.sep + "scipy" + os.sep)


def resolve(value):
    return value.make() if isinstance(value, F) else value


def arguments(qualname):
    func = FUNCTIONS[qualname]
    params = inspect.signature(func).parameters
    return {n: p for n, p in params.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and n != "self"}


def call(qualname, kwargs):
    return FUNCTIONS[qualname](**{k: resolve(v) for k, v in kwargs.items()})


def has_nan_or_inf(value, depth=0):
    """(nan?, inf?) anywhere in a result."""
    if depth > 4:
        return False, False
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value)), bool(np.isinf(value))
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return bool(np.isnan(value).any()), bool(np.isinf(value).any())
    if isinstance(value, (list, tuple)):
        flags = [has_nan_or_inf(v, depth + 1) for v in value[:50]]
        return any(f[0] for f in flags), any(f[1] for f in flags)
    if isinstance(value, dict):
        flags = [has_nan_or_inf(v, depth + 1) for v in list(value.values())[:50]]
        return any(f[0] for f in flags), any(f[1] for f in flags)
    return False, False


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def outcome(qualname, kwargs, bad_value):
    """'ours', 'result' (acceptable), or a string describing what went wrong."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        with matplotlib.rc_context():
            result = call(qualname, kwargs)
    except _Hang:
        return "hung for 20 s"
    except (ValueError, TypeError, KeyError) as exc:  # KeyError: a documented lookup (find_artist)
        last = traceback.extract_tb(exc.__traceback__)[-1]
        if "lecture_utils" not in last.filename or any(d in last.filename for d in DEEP):
            return f"deep {type(exc).__name__} from {last.filename}:{last.lineno}: {exc}"
        if type(exc).__module__ not in ("builtins",):
            return f"{type(exc).__module__}.{type(exc).__name__} (not our ValueError/TypeError): {exc}"
        if len(str(exc)) < 20:
            return f"a message too short to teach: {exc!r}"
        return "ours"
    except Warning as w:
        return f"a warning instead of our error: {type(w).__name__}: {w}"
    except BaseException as exc:  # noqa: BLE001
        last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" from {last.filename}:{last.lineno}" if last else ""
        return f"{type(exc).__name__}{where}: {str(exc)[:200]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        plt.close("all")  # functions given ax=None draw into a new pyplot figure
    nan, inf = has_nan_or_inf(result)
    if qualname in DOCUMENTED_NONFINITE:
        return "result"
    bad_is_special = isinstance(bad_value, float) and math.isinf(bad_value) or (
        isinstance(bad_value, np.ndarray) and bad_value.dtype.kind == "f" and np.isinf(bad_value).any())
    if nan:
        return f"returned a silent NaN: {str(result)[:120]}"
    if inf and not bad_is_special and qualname not in DOCUMENTED_INF:
        return f"returned an unexplained inf: {str(result)[:120]}"
    return "result"


def _printing(*args, **kwargs):
    """A function that forgets to return (prints instead)."""


def derived(valid):
    """Bad values made from the valid one: the same shape but overflowing, with ±inf, with NaN;
    a single (W, b) where a list of layers is expected; a callable that returns nothing."""
    out = {}
    if isinstance(valid, np.ndarray) and valid.dtype.kind == "f" and valid.size:
        out["x1e300"] = valid * 1e300 + 1e300
        for name, special in (("with-inf", np.inf), ("with--inf", -np.inf), ("with-nan", np.nan)):
            v = valid.copy()
            v.flat[0] = special
            out[name] = v
    if isinstance(valid, (list, tuple)) and valid and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                         for v in valid):
        out["x1e300"] = [float(v) * 1e300 + 1e300 for v in valid]
    if isinstance(valid, (int, float)) and not isinstance(valid, bool) and valid:
        out["x1e300"] = float(valid) * 1e300
    if isinstance(valid, list) and valid and isinstance(valid[0], tuple) and len(valid[0]) == 2:
        out["one-pair"] = valid[0]
        out["layers-x1e300"] = [(W * 1e300, b) for W, b in valid]
    if callable(valid) and not isinstance(valid, type) and not isinstance(valid, Figure):
        out["prints"] = _printing
        out["returns-str"] = lambda *a, **k: "text"
    return out


def _valid_value(qualname, arg):
    if arg in VALID[qualname]:
        return resolve(VALID[qualname][arg])
    default = arguments(qualname)[arg].default
    return None if default is inspect.Parameter.empty else default


CASES = []
for qualname in sorted(VALID):
    for arg in arguments(qualname) if qualname in FUNCTIONS else []:
        for kind in [*BAD, *derived(_valid_value(qualname, arg))]:
            CASES.append((qualname, arg, kind))


def bad_value(qualname, arg, kind):
    return BAD[kind] if kind in BAD else derived(_valid_value(qualname, arg))[kind]


def kwargs_for(qualname, arg, kind):
    kwargs = dict(VALID[qualname])
    kwargs[arg] = bad_value(qualname, arg, kind)
    return kwargs


def test_every_module_is_swept():
    modules = {m.name for m in pkgutil.iter_modules(lecture_utils.__path__) if not m.ispkg and not m.name.startswith("_")}
    missing = sorted(modules - set(MODULES) - set(NOT_SWEPT))
    assert not missing, f"add these lecture_utils modules to MODULES (or to NOT_SWEPT, with the reason): {missing}"


def test_every_public_function_has_a_valid_call():
    missing = sorted(set(FUNCTIONS) - set(VALID))
    assert not missing, f"add a valid call to VALID for: {missing}"
    stale = sorted(set(VALID) - set(FUNCTIONS))
    assert not stale, f"VALID names functions that are not public: {stale}"


@pytest.mark.parametrize("qualname", sorted(VALID))
def test_the_valid_call_works(qualname):
    if qualname not in FUNCTIONS:
        pytest.skip("not public")
    with matplotlib.rc_context():
        call(qualname, VALID[qualname])


@pytest.mark.parametrize("qualname, arg, kind", CASES, ids=[f"{q}-{a}-{k}" for q, a, k in CASES])
def test_bad_argument_gets_our_error_or_a_clean_result(qualname, arg, kind):
    kwargs = kwargs_for(qualname, arg, kind)
    verdict = outcome(qualname, kwargs, kwargs[arg])
    assert verdict in ("ours", "result"), f"{qualname}({arg}={kind}): {verdict}"


def test_sweep_counts(capsys):
    counts, defects = Counter(), []
    for case in CASES:
        kwargs = kwargs_for(*case)
        verdict = outcome(case[0], kwargs, kwargs[case[1]])
        counts[verdict if verdict in ("ours", "result") else "defect"] += 1
        if verdict not in ("ours", "result"):
            defects.append(f"{case}: {verdict}")
    with capsys.disabled():
        print(f"\nAPI sweep: {len(FUNCTIONS)} public functions, {len(CASES)} bad-input cases: "
              f"{counts['ours']} raise our error, {counts['result']} return a clean result "
              f"(the value was valid for that argument), {counts['defect']} defects.")
    assert not defects, "\n".join(defects)
