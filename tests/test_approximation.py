"""Nielsen's construction (steps → bumps → staircase), ReLU ramps / hats / interpolants and
2-D towers, against closed forms, np.interp and an independent forward pass."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture_utils import forward, sigmoid
from lecture_utils.approximation import (CHALLENGE_THRESHOLD, TARGETS, approximation_errors, bump,
                                         bump_network, challenge_edges, challenge_output,
                                         challenge_score, count_relus, error_vs_n,
                                         get_target, hat, ramp, relu_network, step_neuron,
                                         step_position, step_weight_bias)
from lecture_utils.towers import cross_2d, tower_2d, towers_network_2d

FAST = settings(max_examples=60, deadline=None)
X = np.linspace(0.0, 1.0, 2001)


@FAST
@given(st.floats(-1, 2), st.floats(20, 5000))
def test_step_sits_at_minus_b_over_w(s, w):
    w, b = step_weight_bias(s, w)
    assert step_position(w, b) == pytest.approx(s, abs=1e-12)
    assert float(step_neuron(s, w, b)) == pytest.approx(0.5, abs=1e-9)
    assert float(step_neuron(s - 0.01, w, b)) < 0.5 < float(step_neuron(s + 0.01, w, b))


def test_step_neuron_matches_core_sigmoid_and_w_zero_raises():
    np.testing.assert_allclose(step_neuron(X, 30.0, -9.0), sigmoid(30.0 * X - 9.0), rtol=1e-15)
    with pytest.raises(ValueError, match="no step"):
        step_position(0.0, 1.0)
    with pytest.raises(ValueError):
        step_weight_bias(0.3, 0.0)


def test_bump_is_height_inside_and_zero_outside():
    y = bump(X, 0.4, 0.6, 0.8, w=1000)
    assert np.allclose(y[(X > 0.42) & (X < 0.58)], 0.8, atol=1e-6)
    assert np.allclose(y[(X < 0.38) | (X > 0.62)], 0.0, atol=1e-6)
    # the same two neurons through the core forward pass (1 → 2 → 1 network)
    layers = [(np.array([[1000.0, 1000.0]]), np.array([-400.0, -600.0])), (np.array([[0.8], [-0.8]]), np.zeros(1))]
    np.testing.assert_allclose(forward(X[:, None], layers, "sigmoid").output[:, 0], y, atol=1e-12)


@pytest.mark.parametrize("kind", ["sigmoid", "relu"])
def test_shallow_net_equals_core_forward_pass(kind):
    net = bump_network("wiggly", 7) if kind == "sigmoid" else relu_network("wiggly", 7)
    layers = [(net.w[None, :], net.b), (net.v[:, None], np.array([net.c]))]
    np.testing.assert_allclose(net(X), forward(X[:, None], layers, kind).output[:, 0], atol=1e-12)


def test_bump_network_is_a_sum_of_bumps_with_shared_edges():
    n = 9
    net = bump_network("sine", n)
    edges = np.concatenate([[-1.0], np.arange(1, n + 1) / (n + 1), [2.0]])
    mids = (np.arange(n + 1) + 0.5) / (n + 1)
    w = net.w[0]
    # independent reference: one bump per cell, height f(midpoint); the outer bumps reach past [0, 1]
    ref = sum(np.sin(2 * np.pi * m) * (sigmoid(w * (X - lo)) - sigmoid(w * (X - hi)))
              for m, lo, hi in zip(mids, edges[:-1], edges[1:]))
    np.testing.assert_allclose(net(X), ref, atol=1e-9)
    assert net.n_hidden == n


@pytest.mark.parametrize("target", ["sine", "abs", "wiggly", "piecewise"])
def test_error_falls_as_n_grows_for_continuous_targets(target):
    errs = error_vs_n(target, [4, 16, 64, 256])
    assert np.all(np.diff(errs["mean_abs"]) < 0)
    assert errs["max_abs"][-1] < errs["max_abs"][0] / 4


def test_sigmoid_rate_is_1_over_n_and_relu_rate_1_over_n_squared():
    ns = np.array([16, 32, 64, 128])
    sig = error_vs_n("sine", ns)["max_abs"]
    rel = error_vs_n("sine", ns, "relu")["max_abs"]
    assert np.polyfit(np.log(ns), np.log(sig), 1)[0] == pytest.approx(-1, abs=0.15)
    assert np.polyfit(np.log(ns), np.log(rel), 1)[0] == pytest.approx(-2, abs=0.15)


def test_a_step_target_is_not_approximated_uniformly():
    errs = error_vs_n("step", [4, 16, 64, 256])
    assert errs["max_abs"].min() > 0.25          # the theorem needs a continuous target
    assert errs["mean_abs"][-1] < errs["mean_abs"][0]


@pytest.mark.parametrize("n", [1, 3, 10, 33])
def test_relu_network_is_the_linear_interpolant(n):
    knots = np.linspace(0, 1, n + 1)
    f = get_target("wiggly")
    np.testing.assert_allclose(relu_network("wiggly", n)(X), np.interp(X, knots, f(knots)), atol=1e-12)


def test_ramp_and_hat_against_interp():
    np.testing.assert_allclose(ramp(X, 0.3, 0.6, 0.9), np.interp(X, [0.3, 0.6], [0, 0.9]), atol=1e-12)
    np.testing.assert_allclose(hat(X, 0.2, 0.5, 0.6, 1.5), np.interp(X, [0.2, 0.5, 0.6], [0, 1.5, 0]), atol=1e-12)
    with pytest.raises(ValueError, match="start < end"):
        ramp(X, 0.6, 0.3, 1.0)
    with pytest.raises(ValueError, match="left < peak < right"):
        hat(X, 0.5, 0.2, 0.6, 1.0)


@FAST
@given(st.lists(st.floats(-2, 2, allow_nan=False), min_size=2, max_size=8))
def test_count_relus_matches_the_units_the_interpolant_uses(ys):
    xs = np.linspace(0, 1, len(ys))
    ys = np.round(ys, 3)
    net = relu_network(lambda t: np.interp(t, xs, ys), len(ys) - 1)
    assert count_relus(xs, ys) == int(np.sum(np.abs(net.v) > 1e-9))


def test_count_relus_examples_and_errors():
    assert count_relus([0, 0.2, 0.5, 0.8, 1], [0, 0.4, 0.4, -0.2, -0.2]) == 4
    assert count_relus([0, 1], [3, 3]) == 0
    assert count_relus([0, 0.5, 1], [0, 1, 2]) == 1
    with pytest.raises(ValueError, match="increasing"):
        count_relus([0, 1, 0.5], [0, 1, 2])


def test_errors_and_inputs_are_checked():
    e = approximation_errors([0, 1, 3], [0, 0, 0])
    assert e == {"max_abs": 3.0, "mean_abs": pytest.approx(4 / 3), "mse": pytest.approx(10 / 3)}
    with pytest.raises(ValueError, match="same shape"):
        approximation_errors([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="unknown target"):
        get_target("cosine")
    with pytest.raises(ValueError, match="n_hidden"):
        bump_network("sine", 0)
    with pytest.raises(ValueError, match="kind"):
        error_vs_n("sine", [2], "tanh")


def test_targets_match_their_formulas():
    np.testing.assert_allclose(TARGETS["wiggly"](X), 0.2 + 0.4 * X**2 + 0.3 * X * np.sin(15 * X) + 0.05 * np.cos(50 * X))
    np.testing.assert_allclose(TARGETS["abs"](X), np.abs(2 * X - 1))
    p = TARGETS["piecewise"]
    assert p(np.array([0.3 - 1e-9]))[0] == pytest.approx(p(np.array([0.3]))[0], abs=1e-6)  # continuous
    assert p(np.array([0.6 - 1e-9]))[0] == pytest.approx(p(np.array([0.6]))[0], abs=1e-6)


def test_cross_and_tower_values():
    pts = np.array([0.5, 0.5, 0.1, 0.1]), np.array([0.5, 0.1, 0.5, 0.1])  # square, arm, arm, outside
    np.testing.assert_allclose(cross_2d(*pts, (0.4, 0.6), (0.4, 0.6)), [2, 1, 1, 0], atol=1e-6)
    np.testing.assert_allclose(tower_2d(*pts, (0.4, 0.6), (0.4, 0.6), height=0.7), [0.7, 0, 0, 0], atol=1e-6)


def test_towers_error_falls_with_n():
    g = np.linspace(0, 1, 61)
    X1, X2 = np.meshgrid(g, g)
    f = lambda a, b: np.sin(np.pi * a) * np.sin(np.pi * b)  # noqa: E731
    errs = [np.mean(np.abs(towers_network_2d(f, n, X1, X2) - f(X1, X2))) for n in (2, 4, 8)]
    assert errs[0] > errs[1] > errs[2]


def test_challenge_is_solvable_but_not_trivially():
    x = np.linspace(0, 1, 501)
    y = get_target("wiggly")(x)
    e = challenge_edges(5)
    best = [np.median(y[(x >= e[k]) & (x <= e[k + 1])]) for k in range(5)]
    assert challenge_score(best) < CHALLENGE_THRESHOLD
    assert challenge_score([np.mean(y)] * 5) > CHALLENGE_THRESHOLD
    assert challenge_score([0.5] * 5) > CHALLENGE_THRESHOLD
    np.testing.assert_allclose(challenge_output(np.array([0.1, 0.3, 0.99]), [1, 2, 3, 4, 5]), [1, 2, 5], atol=1e-6)


def test_plot_error_vs_n_guides_and_ticks():
    from matplotlib.figure import Figure
    from lecture_utils.plotting.approximation import plot_error_vs_n

    ax = plot_error_vs_n({"max": ([3, 6, 12, 24], [1.0, 0.5, 0.25, 0.12])}, ax=Figure().add_subplot())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["max", "∝ 1/N", "∝ 1/N$^{2}$"]          # not "1/N².0"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["3", "6", "12", "24"]
    ax = plot_error_vs_n({"e": ([1, 2], [1.0, 0.5])}, ax=Figure().add_subplot(), slopes=(1,),
                         xlabel="towers per axis n", var="n")
    assert ax.get_xlabel() == "towers per axis n" and ax.get_legend().get_texts()[-1].get_text() == "∝ 1/n"
