"""Finite input that overflows gets our ValueError naming the overflow (or a stable result);
the tails of the loss helpers keep full relative accuracy; absurd sizes fail fast; a layer list
is accepted in every form forward accepts; data.load reads a CSV with a byte-order mark."""

from __future__ import annotations

import time
from decimal import Decimal, getcontext

import numpy as np
import pytest

import lecture_utils as lu
from lecture_utils import approximation as ap, backprop as bp, data as da, fitting as fi, information as inf
from lecture_utils import nonlinearity as nl, shapes as sh, training as tr
from lecture_utils.gradcheck import numerical_gradient, numerical_jacobian
from lecture_utils.plotting import decision as pd

pytestmark = pytest.mark.filterwarnings("error")
getcontext().prec = 80
LAYERS = lu.init_layers([2, 3, 2], np.random.default_rng(0))
HUGE = [(W * 1e200, b) for W, b in LAYERS]
X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.2], [2.0, 1.0]])
Y = np.array([0, 1, 1, 0])


def sig(z):
    return 1 / (1 + (-Decimal(z)).exp())


@pytest.mark.parametrize("z, y", [(35, 0), (-35, 1), (30, 1), (-30, 0), (20, 0.25), (3, 0.3), (0, 1), (-12, 0.9)])
def test_logit_losses_keep_relative_accuracy_in_the_tails(z, y):
    s, yy = sig(z), Decimal(str(y))
    refs = {inf.squared_error_logit_grad: 2 * (s - yy) * s * (1 - s), inf.bce_logit_grad: s - yy,
            inf.squared_error_logit_loss: (s - yy) ** 2}
    for f, ref in refs.items():
        got, want = float(f(float(z), float(y))), float(ref)
        assert got == pytest.approx(want, rel=1e-12, abs=1e-300), (f.__name__, got, want)


@pytest.mark.parametrize("call", [
    lambda: bp.dense_backward(np.full((4, 3), 1e200), np.full((4, 2), 1e200), np.ones((2, 3))),
    lambda: sh.forward_loop(X, HUGE),
    lambda: sh.forward_one_example(X[0], HUGE),
    lambda: nl.stack_output(np.full((5, 1), 1e200), [(np.full((1, 4), 1e200), np.zeros(4)), (np.ones((4, 1)), np.zeros(1))]),
    lambda: nl.lecture_network(X, [1e200] * 9, 1.0),
    lambda: nl.collapse_lecture_network([1e200] * 9, 1.0),
    lambda: bp.l2_penalty(LAYERS, 1.7e308),
    lambda: bp.l2_penalty(HUGE, 0.1),
    lambda: bp.backprop(X, Y, HUGE),
    lambda: tr.per_example_gradients(X, Y, HUGE),
    lambda: ap.approximation_errors([1e200, 0.0], [-1e200, 0.0]),
    lambda: lu.dense(np.full((2, 2), 1e200), np.full((2, 2), 1e200), np.zeros(2)),
], ids=["dense_backward", "forward_loop", "forward_one_example", "stack_output", "lecture_network",
        "collapse_lecture_network", "l2_penalty-lam", "l2_penalty-W", "backprop", "per_example_gradients",
        "approximation_errors", "dense"])
def test_overflow_is_our_error_not_an_inf(call):
    with pytest.raises(ValueError, match="overflow"):
        call()


def test_fit_step_with_a_huge_learning_rate_says_it_diverged():
    state = fi.init_fit(np.linspace(0, 1, 16), np.sin(np.linspace(0, 6, 16)), 5, lr=1e300)
    with pytest.raises(ValueError, match="diverged.*learning rate"):
        fi.fit_step(state, 50)


def test_init_layers_with_an_infinite_scale_is_refused():
    with pytest.raises(ValueError, match="scale"):
        lu.init_layers([2, 3], np.random.default_rng(0), scale=np.inf)


@pytest.mark.parametrize("f, at, want", [
    (lambda x: ap.ramp(x, 0.2, 0.6, 1.5), [-np.inf, np.inf, 0.4], [0.0, 1.5, 0.75]),
    (lambda x: ap.hat(x, 0.2, 0.4, 0.6, 2.0), [-np.inf, np.inf, 0.4], [0.0, 0.0, 2.0]),
    (lambda x: ap.step_neuron(x, 10.0, -5.0), [-np.inf, np.inf], [0.0, 1.0]),
    (lambda x: ap.step_neuron(x, 0.0, 0.0), [-np.inf, np.inf], [0.5, 0.5]),
    (lambda x: ap.bump(x, 0.2, 0.6, 0.8), [-np.inf, np.inf, 0.4], [0.0, 0.0, 0.8]),
])
def test_the_pieces_have_their_limits_at_infinity(f, at, want):
    np.testing.assert_allclose(f(np.array(at)), want, atol=1e-9)


def test_compute_decision_grid_refuses_non_finite_predictions():
    for scores in (np.inf, -np.inf, np.nan):
        with pytest.raises(ValueError, match="predict_fn"):
            pd.compute_decision_grid(lambda P, s=scores: np.full(len(P), s), (0, 1), (0, 1), 4)
        with pytest.raises(ValueError, match="predict_fn"):
            pd.compute_decision_grid(lambda P, s=scores: np.full((len(P), 2), s), (0, 1), (0, 1), 4)


def test_cross_entropy_with_p_zero_is_a_documented_inf():
    assert lu.cross_entropy([0], [[0.0, 1.0]]) == np.inf
    assert lu.binary_cross_entropy([1], [0.0]) == np.inf
    assert "inf" in lu.cross_entropy.__doc__ and "inf" in lu.binary_cross_entropy.__doc__


@pytest.mark.parametrize("call, words", [
    (lambda: lu.one_hot([0, 1], 10**12), "GB"),
    (lambda: pd.plot_decision_regions(lambda P: np.zeros(len(P), int), X, Y, n_classes=10**9,
                                      ax=__import__("matplotlib.figure").figure.Figure().add_subplot(), grid=5),
     "n_classes"),
    (lambda: pd.plot_decision_regions(lambda P: np.full(len(P), 10**9), X, Y,
                                      ax=__import__("matplotlib.figure").figure.Figure().add_subplot(), grid=5),
     "1000 classes"),
    (lambda: pd.grid_points((0, 1), (0, 1), 10**6), "grid"),
    (lambda: sh.minibatches(10**12, 2), "n"),
    (lambda: fi.fit_step(fi.init_fit(np.linspace(0, 1, 4), np.zeros(4), 2), 10**9), "n_steps"),
    (lambda: ap.error_vs_n("sine", [10**5], n_grid=10**5), "GB"),
    (lambda: nl.random_stack(3, 10**5, np.random.default_rng(0)), "GB"),
    (lambda: tr.minibatch_indices(10**12, 4, np.random.default_rng(0)), "n"),
])
def test_absurd_sizes_fail_fast_before_allocating(call, words):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=words):
        call()
    assert time.perf_counter() - start < 5  # no gigabytes were allocated (fails fast, not a timing claim)


@pytest.mark.parametrize("layers", [LAYERS[0], tuple(LAYERS), LAYERS])
def test_a_single_pair_and_tuples_are_accepted_wherever_forward_accepts_them(layers):
    X2 = np.ones((4, 2))
    lu.forward(X2, layers)
    sh.forward_loop(X2, layers)
    bp.l2_penalty(layers, 0.1)
    bp.l2_gradient(layers, 0.1)
    lu.collapse_linear(layers)
    labels = np.zeros(4, int)
    bp.backprop(X2, labels, layers)
    tr.per_example_gradients(X2, labels, layers)


@pytest.mark.parametrize("bad", [None, {"W": 1}, [], "layers", [np.ones((2, 3))], 3.0])
def test_malformed_layer_lists_get_our_error(bad):
    for call in (lambda: lu.forward(X, bad), lambda: bp.backprop(X, Y, bad), lambda: sh.forward_loop(X, bad),
                 lambda: tr.per_example_gradients(X, Y, bad), lambda: bp.l2_penalty(bad, 0.1),
                 lambda: lu.collapse_linear(bad)):
        with pytest.raises((ValueError, TypeError), match="layer"):
            call()


def test_numerical_gradient_of_a_function_that_prints_instead_of_returning(capsys):
    with pytest.raises(TypeError, match="returned None.*return"):
        numerical_gradient(lambda v: print(float(v.sum())), np.ones(3))
    with pytest.raises(TypeError, match="returned None"):
        numerical_jacobian(lambda v: print(v), np.ones(3))
    with pytest.raises(TypeError, match="number"):
        numerical_gradient(lambda v: "loss", np.ones(3))


def test_data_load_reads_a_csv_saved_with_a_byte_order_mark(tmp_path, monkeypatch):
    src = da.data_dir() / "xor.csv"
    (tmp_path / "xor.csv").write_bytes(b"\xef\xbb\xbf" + src.read_bytes())
    monkeypatch.setenv("LECTURE_DATA_DIR", str(tmp_path))
    with_bom = da.load("xor")
    monkeypatch.delenv("LECTURE_DATA_DIR")
    plain = da.load("xor")
    for key in plain.arrays:
        np.testing.assert_array_equal(with_bom.arrays[key], plain.arrays[key])
