"""Errors that teach, beyond the core: every public function of the lecture modules and the
plotting helpers, given bad input, raises ValueError or TypeError from our own checks (never a
bare numpy / matplotlib error, an IndexError, a hang or a silent NaN) with a message that names
the argument and what was given."""

import importlib
import inspect
import re
import traceback

import numpy as np
import pytest
from matplotlib.figure import Figure

from lecture_utils import init_layers
from lecture_utils import towers as tw
from lecture_utils import approximation as ap, backprop as bp, calibration as ca, data as da
from lecture_utils import fitting as fi, information as inf, nonlinearity as nl, precision as pr
from lecture_utils import shapes as sh, training as tr
from lecture_utils.plotting import approximation as pa, decision as pd, losses as pl
from lecture_utils.plotting import network as pn, softmax as ps

pytestmark = pytest.mark.filterwarnings("error")

W9 = list(range(1, 10))
X2, Y4 = np.ones((4, 2)), np.array([0, 1, 1, 0])
P2 = np.array([[0.7, 0.3], [0.2, 0.8]])
L = init_layers([2, 3, 2], np.random.default_rng(0))
G = [(np.ones((2, 3)), np.ones(3)), (np.ones((3, 2)), np.ones(2))]
RNG = np.random.default_rng(0)
STATE = fi.init_fit(np.linspace(0, 1, 8), np.linspace(0, 1, 8), 3)
BINS = ca.reliability_bins(P2, [0, 1], 5)
NAN, INF = float("nan"), float("inf")


def ax():
    return Figure().add_subplot()


def net(sizes=(1, 1), labels=(["a"], ["b"]), edge_labels=None):
    return pn.draw_network(ax(), sizes, list(labels), edge_labels)


def trainer(**kw):
    return tr.Trainer(X2, Y4, hidden=(3,), **kw)


# (function, call, expected exception, phrases the message must contain); a phrase that is an
# identifier must appear as a whole word.
TABLE = [
    # nonlinearity
    (nl.hidden_activation, lambda: nl.hidden_activation("linear", NAN), ValueError, ["g", "NaN"]),
    (nl.hidden_activation, lambda: nl.hidden_activation("linear", "a"), TypeError, ["g", "str"]),
    (nl.lecture_layers, lambda: nl.lecture_layers(W9, NAN), ValueError, ["b", "NaN"]),
    (nl.lecture_layers, lambda: nl.lecture_layers(W9, [1, 2]), ValueError, ["b", "single number", "(2,)"]),
    (nl.lecture_network, lambda: nl.lecture_network(X2, W9, 0.0, "linear", g=NAN), ValueError, ["g"]),
    (nl.lecture_network, lambda: nl.lecture_network(np.ones((3, 3)), W9, 0.0), ValueError, ["X", "(3, 3)"]),
    (nl.collapse_lecture_network, lambda: nl.collapse_lecture_network(W9, None), TypeError, ["b", "None"]),
    (nl.n4_expansion_latex, lambda: nl.n4_expansion_latex(W9, NAN), ValueError, ["b", "NaN"]),
    (nl.best_linear_fit, lambda: nl.best_linear_fit(X2, [1, 2]), ValueError, ["y", "(4, 2)", "(2,)"]),
    (nl.random_stack, lambda: nl.random_stack(2, 0, RNG), ValueError, ["width", "≥ 1"]),
    (nl.random_stack, lambda: nl.random_stack(2, 3, 42), TypeError, ["rng", "default_rng"]),
    (nl.stack_output, lambda: nl.stack_output(np.ones((5, 2)), nl.random_stack(2, 3, RNG)), ValueError,
     ["layer 1", "(5, 2)", "(1, 3)"]),
    (nl.stack_output, lambda: nl.stack_output(np.ones((5, 1)), []), ValueError, ["layers"]),
    (nl.xor_network, lambda: nl.xor_network(np.ones((4, 3))), ValueError, ["X", "two columns", "(4, 3)"]),
    (nl.xor_predict, lambda: nl.xor_predict(np.ones((4, 3))), ValueError, ["X", "(4, 3)"]),
    (nl.linear_separability_scan, lambda: nl.linear_separability_scan(X2, [0, 1]), ValueError, ["y", "(2,)"]),
    (nl.linear_separability_scan, lambda: nl.linear_separability_scan(X2, [0, 1, 2, 0]), ValueError, ["y", "0 or 1"]),
    (nl.linear_separability_scan, lambda: nl.linear_separability_scan(X2, Y4, -3), ValueError, ["n_angles"]),
    # shapes
    (sh.layer_shapes, lambda: sh.layer_shapes(10.5, [2, 3]), ValueError, ["batch_size", "10.5"]),
    (sh.layer_shapes, lambda: sh.layer_shapes(10, None), TypeError, ["widths"]),
    (sh.format_shape_table, lambda: sh.format_shape_table("abc"), TypeError, ["rows", "list of dicts"]),
    (sh.describe_broadcast, lambda: sh.describe_broadcast(-1, 3), ValueError, ["n", "-1"]),
    (sh.forward_loop, lambda: sh.forward_loop(X2, []), ValueError, ["layers"]),
    (sh.forward_loop, lambda: sh.forward_loop(X2, [(np.ones((2, 2)), np.zeros(3))]), ValueError, ["b", "(3,)", "(2,)"]),
    (sh.forward_one_example, lambda: sh.forward_one_example([1, 2], [(np.ones(2), 0.0)]), ValueError, ["W", "2-D"]),
    (sh.minibatches, lambda: sh.minibatches(10, 2.5), ValueError, ["batch_size", "2.5"]),
    (sh.count_parameters, lambda: sh.count_parameters([4, 0]), ValueError, ["widths[1]", "≥ 1"]),
    (sh.dense_latex, lambda: sh.dense_latex(np.ones((2, 4)), np.ones((5, 4))), ValueError, ["(2, 4)", "(5, 4)"]),
    # approximation
    (ap.get_target, lambda: ap.get_target(["sine"]), ValueError, ["target", "'sine'"]),
    (ap.step_neuron, lambda: ap.step_neuron([0.1], NAN, 0), ValueError, ["w", "NaN"]),
    (ap.step_position, lambda: ap.step_position(1, NAN), ValueError, ["b", "NaN"]),
    (ap.step_weight_bias, lambda: ap.step_weight_bias(INF), ValueError, ["s", "inf"]),
    (ap.bump, lambda: ap.bump([0.1], "a", 0.5, 1), TypeError, ["left", "str"]),
    (ap.bump, lambda: ap.bump([0.1], 0.2, 0.5, NAN), ValueError, ["height", "NaN"]),
    (ap.bump_network, lambda: ap.bump_network("sine", 3, -1), ValueError, ["steepness", "> 0"]),
    (ap.bump_network, lambda: ap.bump_network(lambda x: x * NAN, 3), ValueError, ["target(x)", "NaN"]),
    (ap.bump_network, lambda: ap.bump_network(lambda x: 1.0, 3), ValueError, ["target", "shape ()", "(4,)"]),
    (ap.relu_network, lambda: ap.relu_network(lambda x: x[:2], 3), ValueError, ["target", "(2,)"]),
    (ap.ShallowNet, lambda: ap.ShallowNet(np.ones(2), np.ones(2), np.ones(2), 0.0, "relu6"), ValueError,
     ["activation", "relu6"]),
    (ap.ramp, lambda: ap.ramp([0.1], NAN, 0.5, 1), ValueError, ["start", "NaN"]),
    (ap.hat, lambda: ap.hat([0.1], 0.1, 0.2, 0.8, "h"), TypeError, ["height"]),
    (ap.count_relus, lambda: ap.count_relus([0, 1, 2], [0, 1, 0], tol="a"), TypeError, ["tol"]),
    (ap.count_relus, lambda: ap.count_relus([0, 1, INF], [0, 1, 0]), ValueError, ["knots_x", "inf"]),
    (ap.approximation_errors, lambda: ap.approximation_errors([1, INF], [1, INF]), ValueError, ["y_hat", "inf"]),
    (ap.error_vs_n, lambda: ap.error_vs_n("sine", [2.5]), ValueError, ["ns[0]", "2.5"]),
    (ap.error_vs_n, lambda: ap.error_vs_n("sine", []), TypeError, ["ns", "empty"]),
    (ap.error_vs_n, lambda: ap.error_vs_n("sine", [2], n_grid=2.5), ValueError, ["n_grid"]),
    (tw.cross_2d, lambda: tw.cross_2d([0.1], [0.1], (0,), (0, 1)), ValueError, ["x1_edges", "pair"]),
    (tw.cross_2d, lambda: tw.cross_2d([0.1, 0.2], [0.1], (0, 1), (0, 1)), ValueError, ["x1", "x2", "(2,)", "(1,)"]),
    (tw.tower_2d, lambda: tw.tower_2d([0.1], [0.1], (0, 1), (0, 1), w_out="a"), TypeError, ["w_out"]),
    (tw.towers_network_2d, lambda: tw.towers_network_2d(lambda a, b: NAN, 2, [0.1], [0.1]), ValueError,
     ["target(x1, x2)", "NaN"]),
    (tw.towers_network_2d, lambda: tw.towers_network_2d("sine", 2, [0.1], [0.1]), TypeError, ["target"]),
    (tw.towers_unit_counts, lambda: tw.towers_unit_counts(3, copies=0), ValueError, ["copies", "0"]),
    (tw.towers_error_vs_n, lambda: tw.towers_error_vs_n(lambda a, b: 1.0, [2]), ValueError,
     ["target", "arrays"]),
    (ap.challenge_edges, lambda: ap.challenge_edges(0), ValueError, ["n_bumps"]),
    (ap.challenge_output, lambda: ap.challenge_output([0.1], [1, 1], w="a"), TypeError, ["w"]),
    (ap.challenge_score, lambda: ap.challenge_score([INF] * 5), ValueError, ["heights", "inf"]),
    # fitting
    (fi.init_fit, lambda: fi.init_fit([1, 2], [1, 2], 3, lr=-1), ValueError, ["lr", "> 0"]),
    (fi.init_fit, lambda: fi.init_fit([1, 2], [1, 2], 3, weight_scale=NAN), ValueError, ["weight_scale"]),
    (fi.init_fit, lambda: fi.init_fit([1, 2], [1, 2], 3, seed="a"), ValueError, ["seed"]),
    (fi.forward_1d, lambda: fi.forward_1d({"w": np.ones(3)}, np.ones(3)), TypeError, ["params", "'c'"]),
    (fi.forward_1d, lambda: fi.forward_1d(STATE.params, np.array([NAN])), ValueError, ["x", "NaN"]),
    (fi.forward_1d, lambda: fi.forward_1d(STATE.params, np.ones(3), "foo"), ValueError, ["activation", "foo"]),
    (fi.loss_and_grads, lambda: fi.loss_and_grads(STATE.params, np.ones(0), np.ones(0)), ValueError, ["x", "empty"]),
    (fi.loss_and_grads, lambda: fi.loss_and_grads(STATE.params, np.ones(3), np.ones(4)), ValueError,
     ["x", "y", "(3,)", "(4,)"]),
    (fi.fit_step, lambda: fi.fit_step(None), TypeError, ["state", "FitState"]),
    (fi.fit_step, lambda: fi.fit_step(STATE, -1), ValueError, ["n_steps"]),
    (fi.fit_step, lambda: fi.fit_step(STATE, 1, beta1=1.0), ValueError, ["beta1", "[0, 1)"]),
    (fi.fit_step, lambda: fi.fit_step(STATE, 1, eps=0.0), ValueError, ["eps"]),
    (fi.train_until, lambda: fi.train_until(STATE, 0.0, 10, chunk=0), ValueError, ["chunk"]),  # used to hang
    (fi.train_until, lambda: fi.train_until(STATE, NAN, 10), ValueError, ["target_mse", "NaN"]),
    (fi.to_network, lambda: fi.to_network({"w": 1}), TypeError, ["state", "FitState"]),
    # calibration
    (ca.confidence_and_prediction, lambda: ca.confidence_and_prediction([[5.0, -3.0]]), ValueError,
     ["probs", "softmax"]),
    (ca.reliability_bins, lambda: ca.reliability_bins(P2, [0, 1], 2.5), ValueError, ["n_bins", "2.5"]),
    (ca.expected_calibration_error, lambda: ca.expected_calibration_error(P2, [0, 2]), ValueError, ["labels", "0 … 1"]),
    (ca.nll_at_temperature, lambda: ca.nll_at_temperature(P2, [0, 1], 0), ValueError, ["temperature", "> 0"]),
    (ca.fit_temperature, lambda: ca.fit_temperature(P2, [0, 1], bounds=(1,)), ValueError, ["bounds", "pair"]),
    (ca.fit_temperature, lambda: ca.fit_temperature(P2, [0, 1], tol=NAN), ValueError, ["tol"]),
    (ca.calibrated_probs, lambda: ca.calibrated_probs([1.0, 2.0], 1.0), ValueError, ["logits", "(2,)"]),
    # precision
    (pr.as_float_dtype, lambda: pr.as_float_dtype(None), TypeError, ["dtype", "float16"]),
    (pr.stable_softmax_in, lambda: pr.stable_softmax_in([1.0, 2.0], np.float32, axis=2), ValueError,
     ["axis 2", "(2,)"]),
    (pr.log_softmax_in, lambda: pr.log_softmax_in([[1.0, 2.0]], np.float32, axis=1.0), TypeError, ["axis"]),
    (pr.log_of_softmax_in, lambda: pr.log_of_softmax_in([[1.0, 2.0]], np.float32, axis=5), ValueError,
     ["axis 5", "(1, 2)"]),
    (pr.breaking_points, lambda: pr.breaking_points(np.int32), TypeError, ["dtype"]),
    (pr.compute_stability, lambda: pr.compute_stability([[1.0, 2.0]], np.float32), ValueError, ["z", "(1, 2)"]),
    # information
    (inf.entropy, lambda: inf.entropy([1.5, -0.5]), ValueError, ["p", "[0, 1]", "p[0] = 1.5"]),
    (inf.kl_divergence, lambda: inf.kl_divergence([0.5, 0.5], [1 / 3] * 3), ValueError, ["p", "q", "(2,)", "(3,)"]),
    (inf.cross_entropy_between, lambda: inf.cross_entropy_between([0.5, 0.5], [0.5, 0.5], base=1), ValueError,
     ["base"]),
    (inf.bce_logit_loss, lambda: inf.bce_logit_loss([1.0], [2]), ValueError, ["y", "0 or 1"]),
    (inf.bce_logit_grad, lambda: inf.bce_logit_grad([NAN], [1]), ValueError, ["z", "NaN"]),
    (inf.squared_error_logit_loss, lambda: inf.squared_error_logit_loss([1.0, 2.0], [1, 0, 1]), ValueError,
     ["z", "y", "(2,)", "(3,)"]),
    (inf.squared_error_logit_grad, lambda: inf.squared_error_logit_grad(None, 1), TypeError, ["z"]),
    (inf.softmax_squared_error_grad, lambda: inf.softmax_squared_error_grad([1.0, 2.0], [1, 0, 0]), ValueError,
     ["y", "logits", "(3,)", "(2,)"]),
    (inf.bernoulli_expected_ce, lambda: inf.bernoulli_expected_ce(1.5, 0.5), ValueError, ["q", "[0, 1]", "1.5"]),
    (inf.bernoulli_expected_ce, lambda: inf.bernoulli_expected_ce(0.5, [NAN]), ValueError, ["p", "NaN"]),
    (inf.bernoulli_expected_accuracy, lambda: inf.bernoulli_expected_accuracy([0.1, 0.2], [0.1, 0.2, 0.3]),
     ValueError, ["q", "p", "(2,)", "(3,)"]),
    # backprop
    (bp.softmax_cross_entropy_backward, lambda: bp.softmax_cross_entropy_backward(P2, [0, 2]), ValueError,
     ["y", "0 … 1"]),
    (bp.dense_backward, lambda: bp.dense_backward(np.ones((4, 3)), np.ones((4, 2)), np.ones((3, 3))), ValueError,
     ["dZ", "A_prev", "W", "(4, 3)", "(3, 3)"]),
    (bp.activation_backward, lambda: bp.activation_backward(np.ones((2, 3)), np.ones((3, 2)), "relu"), ValueError,
     ["dA", "Z", "(2, 3)", "(3, 2)"]),
    (bp.backprop, lambda: bp.backprop(X2, [0, 1, 2, 0], L), ValueError, ["y", "0 … 1"]),
    (bp.l2_penalty, lambda: bp.l2_penalty([(np.full((2, 2), NAN), np.zeros(2))], 0.1), ValueError, ["W", "NaN"]),
    (bp.l2_penalty, lambda: bp.l2_penalty([np.ones((2, 2))], 0.1), ValueError, ["layer 1", "(W, b)"]),
    (bp.l2_gradient, lambda: bp.l2_gradient(L, -1), ValueError, ["lam", "≥ 0"]),
    (bp.check_gradients, lambda: bp.check_gradients(X2, Y4, L, eps=-1), ValueError, ["eps"]),
    # training
    (tr.minibatch_indices, lambda: tr.minibatch_indices(10, 3, 0), TypeError, ["rng", "default_rng"]),
    (tr.minibatch_indices, lambda: tr.minibatch_indices(10, 2.5, RNG), ValueError, ["batch_size", "2.5"]),
    (tr.sgd_step, lambda: tr.sgd_step(L, [(np.full((2, 3), NAN), np.ones(3)), G[1]], 0.1), ValueError,
     ["dW (layer 1)", "NaN"]),
    (tr.sgd_step, lambda: tr.sgd_step(L, None, 0.1), TypeError, ["grads"]),
    (tr.per_example_gradients, lambda: tr.per_example_gradients(X2, [0, 1], L), ValueError, ["y", "(4,)", "(2,)"]),
    (tr.flatten, lambda: tr.flatten(None), ValueError, ["grads"]),
    (tr.flatten, lambda: tr.flatten([(np.array(["a"]), np.ones(1))]), TypeError, ["W1"]),
    (tr.flatten_per_example, lambda: tr.flatten_per_example([]), ValueError, ["per_example"]),
    (tr.flatten_per_example, lambda: tr.flatten_per_example([(np.ones((3, 2, 2)), np.ones((4, 2)))]), ValueError,
     ["(3, 2, 2)", "(4, 2)"]),
    (tr.accuracy, lambda: tr.accuracy([0.1, 0.9], [1]), ValueError, ["logits", "(2,)"]),
    (tr.accuracy, lambda: tr.accuracy(np.ones((0, 2)), []), ValueError, ["empty"]),
    (tr.accuracy, lambda: tr.accuracy(P2, [0.5, 1]), TypeError, ["y"]),
    (tr.stochastic_gradient_errors, lambda: tr.stochastic_gradient_errors(np.ones((5, 3)), np.zeros(3), [1], RNG),
     ValueError, ["full", "zeros"]),
    (tr.stochastic_gradient_errors, lambda: tr.stochastic_gradient_errors(np.ones((5, 3)), np.ones(3), [0], RNG),
     ValueError, ["counts[0]"]),
    (tr.Trainer, lambda: tr.Trainer(X2, Y4, np.ones((2, 2))), ValueError, ["X_test", "y_test"]),
    (tr.Trainer, lambda: tr.Trainer(X2, [0, 1]), ValueError, ["y_train", "(4, 2)", "(2,)"]),
    (tr.Trainer, lambda: trainer(momentum=1.5), ValueError, ["momentum", "[0, 1)"]),
    (tr.Trainer, lambda: tr.Trainer(X2, Y4, hidden=64), TypeError, ["hidden", "(64,)"]),
    (tr.Trainer, lambda: trainer().train(-1), ValueError, ["epochs"]),
    (tr.Trainer, lambda: trainer().step_batch(np.array([10])), ValueError, ["idx", "0 … 3"]),
    (tr.Trainer, lambda: (lambda t: (setattr(t, "batch_size", 0), t.step_epoch()))(trainer()), ValueError,
     ["batch_size"]),
    # data
    (da.load, lambda: da.load("spirals"), ValueError, ["'spiral'"]),
    # plotting.approximation
    (pa.plot_target_and_network, lambda: pa.plot_target_and_network(np.ones(3), np.ones(4), np.ones(3), ax=ax()),
     ValueError, ["y_target", "(3,)", "(4,)"]),
    (pa.plot_target_and_network, lambda: pa.plot_target_and_network([1], [1], [1], ax="ax"), TypeError,
     ["ax", "Axes"]),
    (pa.plot_error_vs_n, lambda: pa.plot_error_vs_n({"a": ([0, 2], [1, 2])}, ax=ax()), ValueError, ["Ns ≥ 1"]),
    (pa.plot_error_vs_n, lambda: pa.plot_error_vs_n(None, ax=ax()), TypeError, ["curves"]),
    (pa.plot_heatmap, lambda: pa.plot_heatmap(np.ones(4), ax=ax()), ValueError, ["Z", "(4,)"]),
    (pa.plot_heatmap, lambda: pa.plot_heatmap(np.ones((2, 2)), ax=ax(), extent=(0, 1)), ValueError, ["extent"]),
    (pa.plot_extrapolation, lambda: pa.plot_extrapolation([0, 1], [NAN, 1], {}, ax=ax()), ValueError,
     ["y_target", "NaN"]),
    # plotting.decision
    (pd.grid_points, lambda: pd.grid_points((NAN, 1), (0, 1), 5), ValueError, ["xlim", "NaN"]),
    (pd.grid_points, lambda: pd.grid_points((0, 1), (0, 1), 2.7), ValueError, ["grid", "2.7"]),
    (pd.plane_limits, lambda: pd.plane_limits(np.ones((3, 1))), ValueError, ["X", "(3, 1)"]),
    (pd.plane_limits, lambda: pd.plane_limits(X2, pad=NAN), ValueError, ["pad", "NaN"]),
    (pd.compute_decision_grid, lambda: pd.compute_decision_grid(None, (0, 1), (0, 1), 5), TypeError,
     ["predict_fn"]),
    (pd.compute_decision_grid, lambda: pd.compute_decision_grid(lambda P: np.full((len(P), 2), NAN), (0, 1),
                                                                (0, 1), 5), ValueError, ["NaN"]),
    (pd.plot_decision_regions, lambda: pd.plot_decision_regions(lambda P: P[:, 0] > 0, X2, [0.5, 1, 1, 0],
                                                                ax=ax(), grid=5), TypeError, ["y"]),
    (pd.plot_decision_regions, lambda: pd.plot_decision_regions(lambda P: P[:, 0] > 0, X2, Y4, ax=ax(), alpha=2),
     ValueError, ["alpha", "[0, 1]"]),
    (pd.class_cmap, lambda: pd.class_cmap(-1), ValueError, ["n_classes"]),
    # plotting.losses
    (pl.plot_bce_curves, lambda: pl.plot_bce_curves(ax(), ymax=NAN), ValueError, ["ymax", "NaN"]),
    (pl.plot_losses_vs_logit, lambda: pl.plot_losses_vs_logit(2, ax()), ValueError, ["y", "0 or 1"]),
    (pl.plot_gradients_vs_logit, lambda: pl.plot_gradients_vs_logit(0.5, ax()), ValueError, ["y", "0.5"]),
    (pl.plot_k2_losses, lambda: pl.plot_k2_losses(1, ax(), shift="a"), TypeError, ["shift"]),
    (pl.plot_information_bars, lambda: pl.plot_information_bars([[0.5, 0.5]], [[0.5, 0.5]], ax()), ValueError,
     ["y", "(1, 2)"]),
    (pl.plot_stable_vs_naive, lambda: pl.plot_stable_vs_naive(["a"], ax()), TypeError, ["gaps"]),
    (pl.find_artist, lambda: pl.find_artist(None, "bce"), TypeError, ["ax", "Axes"]),
    (pl.bar_label, lambda: pl.bar_label(1.0, NAN), ValueError, ["top", "NaN"]),
    (pl.bar_label, lambda: pl.bar_label("a", 1.0), TypeError, ["value"]),
    # plotting.network
    (pn.draw_network, lambda: pn.draw_network(ax(), (2, 3, 1), [["a", "b"], ["c"], ["d"]]), ValueError,
     ["node_labels[1]", "3"]),
    (pn.draw_network, lambda: pn.draw_network(None, (1, 1), [["a"], ["b"]]), TypeError, ["ax"]),
    (pn.show_weights, lambda: pn.show_weights(net((2, 3, 1), (["a", "b"], ["c", "d", "e"], ["f"])), [1, 2]),
     ValueError, ["weights", "(2,)", "9"]),
    (pn.show_weights, lambda: pn.show_weights(net(), [NAN]), ValueError, ["weights", "NaN"]),
    (pn.show_weights, lambda: pn.show_weights(net(), []), ValueError, ["weights", "empty"]),
    # plotting.softmax
    (ps.set_log_ticks, lambda: ps.set_log_ticks(ax(), [1, 10], axis="z"), ValueError, ["axis", "'z'"]),
    (ps.set_log_ticks, lambda: ps.set_log_ticks(ax(), [0, 10]), ValueError, ["ticks", "> 0"]),
    (ps.plot_images, lambda: ps.plot_images(np.ones((1, 32, 32, 3))), ValueError, ["images", "transpose"]),
    (ps.plot_temperature_sweep, lambda: ps.plot_temperature_sweep([1, 2], None, ax=ax()), ValueError,
     ["class name", "None"]),
    (ps.plot_jacobian, lambda: ps.plot_jacobian(np.ones((2, 2)), ["a", "b"], ax=ax(), decimals=-1), ValueError,
     ["decimals"]),
    (ps.plot_reliability_diagram, lambda: ps.plot_reliability_diagram((1, 2), ax=ax()), TypeError,
     ["bins", "reliability_bins"]),
    (ps.draw_reliability, lambda: ps.draw_reliability(ax(), BINS, max_bins=-1), ValueError, ["max_bins"]),
    (ps.update_reliability, lambda: ps.update_reliability(None, BINS), TypeError, ["artists"]),
    (ps.plot_learning_curves, lambda: ps.plot_learning_curves({"epoch": [0, 1]}, ax=ax()), TypeError,
     ["history", "train_loss"]),
    (ps.plot_learning_curves, lambda: ps.plot_learning_curves({k: [0.0, 1.0] for k in ps.HISTORY_KEYS} | {"test_acc": [1.0]},
                                                              ax=ax()), ValueError, ["history", "lengths"]),
    (pl.plot_scoring_rule, lambda: pl.plot_scoring_rule(1.0, ax(), ax()), ValueError, ["q", "between 0 and 1"]),
    (pl.plot_scoring_rule, lambda: pl.plot_scoring_rule(0.5, ax(), "ax"), TypeError, ["ax_acc", "str"]),
]
CASES = [pytest.param(call, exc, needles, id=f"{fn.__name__}-{i}") for i, (fn, call, exc, needles) in enumerate(TABLE)]


@pytest.mark.parametrize("call,exc_type,needles", CASES)
def test_bad_input_raises_a_message_that_teaches(call, exc_type, needles):
    with pytest.raises((ValueError, TypeError)) as info:
        result = call()
        pytest.fail(f"returned {result!r} instead of raising")  # pragma: no cover
    exc = info.value
    assert type(exc) is exc_type, f"{type(exc).__name__}: {exc}"
    last = traceback.extract_tb(exc.__traceback__)[-1]
    assert "lecture_utils" in last.filename, f"raised from {last.filename}: {exc}"  # our check, not numpy's
    msg = str(exc)
    for needle in needles:
        if re.fullmatch(r"[A-Za-z]\w*", needle):
            assert re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", msg), f"{needle!r} not in: {msg}"
        else:
            assert needle in msg, f"{needle!r} not in: {msg}"
    assert len(msg) > 25 and "Traceback" not in msg


def _has_nan(value) -> bool:
    if isinstance(value, (float, np.floating, np.ndarray)):
        return bool(np.isnan(np.asarray(value, dtype=float)).any())
    if isinstance(value, (tuple, list)):
        return any(_has_nan(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    return False


@pytest.mark.parametrize("call", [pytest.param(c.values[0], id=c.id) for c in CASES])
def test_bad_input_never_returns_nan(call):
    try:
        result = call()
    except (ValueError, TypeError):
        return
    assert not _has_nan(result), f"silent NaN: {result!r}"  # pragma: no cover


MODULES = [nl, sh, ap, tw, fi, ca, pr, inf, bp, tr, da, pa, pd, pl, pn, ps]
# names that are data or result containers, not functions that take student input
NOT_CHECKED = {"FitState", "ReliabilityBins", "TemperatureFit", "BreakingPoints", "StabilityResult",
               "BackpropResult", "ReliabilityArtists", "Dataset", "available", "data_dir"}


def test_every_public_function_has_a_bad_input_case():
    covered = {fn for fn, *_ in TABLE}
    missing = []
    for mod in MODULES:
        for name in getattr(mod, "__all__", [n for n in dir(mod) if not n.startswith("_")]):
            obj = getattr(mod, name)
            if callable(obj) and name not in NOT_CHECKED and inspect.getmodule(obj) is mod and obj not in covered:
                missing.append(f"{mod.__name__}.{name}")
    assert not missing, f"no bad-input case for: {missing}"


def test_valid_input_still_works():  # the checks accept what the notebooks pass
    assert sh.minibatches(10.0, 4) == sh.minibatches(10, 4)
    assert sh.layer_shapes(200.0, [4, 5])[0]["output"] == (200, 5)
    assert np.isfinite(tr.accuracy(P2, np.array([0, 1])))
    assert pd.class_cmap(10).N == 10
    assert pl.bar_label(INF, 2.0)[1] == "∞"
    assert importlib.import_module("lecture_utils.plotting._args").label01(1.0) == 1
