"""What one hidden layer can express (polynomial activations), the grid's cost in dimensions
and the sawtooth, against independent references: np.polyfit, closed forms, forward passes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lecture_utils.approximation import get_target
from lecture_utils.expressivity import (count_pieces, grid_cells_needed, hat_map,
                                        one_layer_best_fit, sawtooth, sawtooth_deep,
                                        sawtooth_layers, sawtooth_shallow, sawtooth_unit_counts)

X = np.linspace(0, 1, 2**10 + 1)


@pytest.mark.parametrize("act,p", [("identity", 1), ("square", 2), ("cube", 3)])
@pytest.mark.parametrize("target", ["abs", "step", "wiggly"])
def test_polynomial_network_best_fit_is_the_best_polynomial(act, p, target):
    """However wide (N ≥ p), the best network of a degree-p activation is np.polyfit's polynomial."""
    for n in (p, 7, 40):
        fit = one_layer_best_fit(target, n, act)
        ref = np.polyval(np.polyfit(fit["x"], fit["y"], p), fit["x"])
        np.testing.assert_allclose(fit["y_hat"], ref, atol=1e-8)
        assert fit["degree"] == p
    # and width does not help at all
    errs = [one_layer_best_fit(target, n, act)["max_abs"] for n in (p, 10, 40)]
    assert max(errs) - min(errs) < 1e-8


def test_any_weights_give_a_polynomial():
    """Random hidden weights, any width: the network output is exactly a degree-2 polynomial."""
    rng = np.random.default_rng(0)
    x = np.linspace(-1, 2, 50)
    w, b, v = rng.normal(size=100), rng.normal(size=100), rng.normal(size=100)
    y = ((np.outer(x, w) + b) ** 2) @ v + 0.3
    np.testing.assert_allclose(np.polyval(np.polyfit(x, y, 2), x), y, rtol=1e-9, atol=1e-7)


@pytest.mark.parametrize("act", ["relu", "tanh"])
def test_non_polynomial_activations_keep_improving(act):
    errs = [one_layer_best_fit("abs", n, act)["max_abs"] for n in (3, 9, 33)]
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < one_layer_best_fit("abs", 33, "square")["max_abs"] / 5
    assert one_layer_best_fit("abs", 4, act)["degree"] is None


def test_relu_fit_is_at_least_as_good_as_the_interpolant():
    from lecture_utils.approximation import relu_network
    f = get_target("sine")
    for n in (4, 16):
        fit = one_layer_best_fit("sine", n, "relu")
        interp = relu_network("sine", n)(fit["x"])
        assert np.sum((fit["y_hat"] - fit["y"]) ** 2) <= np.sum((interp - f(fit["x"])) ** 2) + 1e-12


def test_grid_cells_needed():
    assert [grid_cells_needed(0.1, d) for d in (1, 2, 3, 10)] == [5, 25, 125, 5**10]
    assert grid_cells_needed(0.01, 10) == 50**10  # exact int, not a float
    assert grid_cells_needed(0.05, 2, lipschitz=3.0) == 30**2


def test_hat_map_and_sawtooth_closed_form():
    np.testing.assert_allclose(hat_map(X), np.where(X < 0.5, 2 * X, 2 - 2 * X))
    for k in (1, 2, 3, 6):
        # the tent map iterated: g^k(x) = distance pattern with period 2^(1-k)
        t = (X * 2 ** (k - 1)) % 1.0
        np.testing.assert_allclose(sawtooth(X, k), np.where(t < 0.5, 2 * t, 2 - 2 * t), atol=1e-12)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_deep_and_shallow_networks_compute_the_sawtooth(k):
    layers = sawtooth_layers(k)
    assert len(layers) == k + 1 and all(W.shape[1] == 2 for W, _ in layers[:-1])
    assert sum(W.shape[1] for W, _ in layers[:-1]) == 2 * k
    deep, shallow = sawtooth_deep(X, k), sawtooth_shallow(k)
    np.testing.assert_allclose(deep, sawtooth(X, k), atol=1e-12)
    np.testing.assert_allclose(shallow(X), deep, atol=1e-9)
    assert shallow.n_hidden == 2**k
    counts = sawtooth_unit_counts(k)
    assert count_pieces(X, deep) == counts["pieces"] == 2**k
    assert counts["kinks"] == 2**k - 1 and counts["deep"] == 2 * k


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=1, max_size=6), st.integers(1, 6))
def test_a_one_layer_relu_net_has_at_most_n_plus_1_pieces(slopes, seed):
    """The counting behind 'one unit per kink': N ReLUs give at most N + 1 pieces."""
    rng = np.random.default_rng(seed)
    n = len(slopes)
    kinks = np.round(rng.uniform(0, 1, n) * 1024) / 1024          # on the dyadic grid
    y = sum(s * np.maximum(X - t, 0) for s, t in zip(slopes, kinks))
    assert count_pieces(X, y) <= n + 1


@pytest.mark.parametrize("call,exc,words", [
    (lambda: one_layer_best_fit("abs", 3, "softmax"), ValueError, ["activation", "softmax"]),
    (lambda: one_layer_best_fit("abs", 0), ValueError, ["n_hidden"]),
    (lambda: one_layer_best_fit("abs", 3, x=[[0, 1]]), ValueError, ["x"]),
    (lambda: grid_cells_needed(0, 2), ValueError, ["eps"]),
    (lambda: grid_cells_needed(0.1, 2.5), ValueError, ["d"]),
    (lambda: sawtooth(X, 0), ValueError, ["k"]),
    (lambda: sawtooth(X, 40), ValueError, ["k", "30"]),
    (lambda: sawtooth_deep([[0.1]], 2), ValueError, ["x"]),
    (lambda: count_pieces([0, 1, 0.5], [0, 1, 2]), ValueError, ["increasing"]),
    (lambda: count_pieces([0, 1], [0, 1, 2]), ValueError, ["shape"]),
    (lambda: hat_map("a"), TypeError, ["x"]),
    (lambda: hat_map([1e308]), ValueError, ["overflowed"]),
    (lambda: sawtooth([np.nan], 2), ValueError, ["NaN"]),
    (lambda: one_layer_best_fit("abs", 3, ["relu"]), ValueError, ["activation", "relu"]),
])
def test_bad_input_gets_our_error(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert all(w in str(info.value) for w in words), str(info.value)


def test_hat_map_and_sawtooth_at_infinity_are_the_limits():
    # g(x) = 0 for x ≤ 0 and 2 − 2x for x ≥ ½: g(−inf) = 0, g(+inf) = −inf, then g(−inf) = 0 again
    np.testing.assert_array_equal(hat_map([-np.inf, np.inf, -1e300, 1e300]), [0.0, -np.inf, 0.0, 2 - 2e300])
    np.testing.assert_array_equal(sawtooth([-np.inf, np.inf], 1), [0.0, -np.inf])
    np.testing.assert_array_equal(sawtooth([-np.inf, np.inf], 4), [0.0, 0.0])
