"""Backpropagation checked against finite differences (lecture_utils.gradcheck) and SciPy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import softmax as scipy_softmax

from lecture_utils import ACTIVATIONS, cross_entropy_from_logits, dense, get_activation, init_layers
from lecture_utils.backprop import (activation_backward, backprop, check_gradients, dense_backward,
                                    l2_gradient, l2_penalty, softmax_cross_entropy_backward)
from lecture_utils.gradcheck import numerical_gradient, relative_error

TOL = 1e-6


def _net(sizes, seed=0, bias=0.1):
    rng = np.random.default_rng(seed)
    return [(W, rng.normal(0, bias, b.shape)) for W, b in init_layers(sizes, rng, scale="xavier")]


def test_softmax_ce_gradient_matches_finite_differences_and_scipy():
    rng = np.random.default_rng(1)
    Z, y = rng.normal(size=(7, 4)) * 3, rng.integers(0, 4, 7)
    analytic = softmax_cross_entropy_backward(Z, y)
    numeric = numerical_gradient(lambda z: cross_entropy_from_logits(y, z), Z)
    assert relative_error(analytic, numeric) < TOL
    np.testing.assert_allclose(analytic, (scipy_softmax(Z, axis=1) - np.eye(4)[y]) / 7, atol=1e-14)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (5, 3), elements=st.floats(-1e3, 1e3)), st.lists(st.integers(0, 2), min_size=5, max_size=5))
def test_softmax_ce_gradient_rows_sum_to_zero_and_are_finite(Z, y):
    g = softmax_cross_entropy_backward(Z, np.array(y))
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-12)
    assert np.all(g[np.arange(5), y] <= 0)  # the true class is pushed up, never down


def test_dense_backward_matches_finite_differences():
    rng = np.random.default_rng(2)
    A, W, b, G = rng.normal(size=(6, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(6, 4))
    dA, dW, db = dense_backward(G, A, W)  # loss L = Σ G ⊙ (A W + b), so ∂L/∂Z = G
    assert dA.shape == A.shape and dW.shape == W.shape and db.shape == b.shape
    assert relative_error(dW, numerical_gradient(lambda w: np.sum(G * dense(A, w, b)), W)) < TOL
    assert relative_error(db, numerical_gradient(lambda v: np.sum(G * dense(A, W, v)), b)) < TOL
    assert relative_error(dA, numerical_gradient(lambda a: np.sum(G * dense(a, W, b)), A)) < TOL


def test_dense_backward_shape_error_names_all_shapes():
    with pytest.raises(ValueError, match=r"dZ \(6, 4\), A_prev \(6, 3\), W \(4, 3\)"):
        dense_backward(np.zeros((6, 4)), np.zeros((6, 3)), np.zeros((4, 3)))


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_backward_matches_finite_differences(name):
    rng = np.random.default_rng(3)
    Z, G = rng.normal(size=(5, 4)) + 0.05, rng.normal(size=(5, 4))  # avoid ReLU's kink at 0
    act = get_activation(name)
    numeric = numerical_gradient(lambda z: np.sum(G * act(z)), Z)
    assert relative_error(activation_backward(G, Z, name), numeric) < TOL


def test_activation_backward_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        activation_backward(np.zeros((2, 3)), np.zeros((3, 2)), "relu")


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@pytest.mark.parametrize("sizes", [[2, 5, 3], [3, 6, 4, 3]])
def test_full_network_gradients_pass_the_check(name, sizes):
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(12, sizes[0])), rng.integers(0, sizes[-1], 12)
    rows = check_gradients(X, y, _net(sizes), activation=name, lam=0.01)
    assert [r["name"] for r in rows][:2] == ["W1", "b1"] and len(rows) == 2 * (len(sizes) - 1)
    assert max(r["rel_error"] for r in rows) < TOL, rows


def test_backprop_returns_loss_and_gradients_shaped_like_the_layers():
    layers = _net([2, 8, 3])
    X, y = np.ones((4, 2)), np.array([0, 1, 2, 0])
    res = backprop(X, y, layers, "tanh")
    assert res.loss == pytest.approx(cross_entropy_from_logits(y, res.forward.output))
    for (W, b), (dW, db) in zip(layers, res.grads):
        assert dW.shape == W.shape and db.shape == b.shape


def test_backprop_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"0 … 2 for 3 classes"):
        backprop(np.ones((2, 2)), np.array([0, 3]), _net([2, 4, 3]))
    with pytest.raises(ValueError, match=r"one integer label per example"):
        backprop(np.ones((2, 2)), np.array([0, 1, 2]), _net([2, 4, 3]))


def test_l2_penalty_and_gradient():
    layers = [(np.array([[1.0, 2.0]]), np.array([5.0, 5.0])), (np.array([[3.0], [0.0]]), np.array([7.0]))]
    assert l2_penalty(layers, 0.5) == pytest.approx(0.25 * (1 + 4 + 9))  # biases not penalised
    (gW1, gb1), (gW2, gb2) = l2_gradient(layers, 0.5)
    np.testing.assert_allclose(gW1, [[0.5, 1.0]])
    np.testing.assert_allclose(gb1, 0.0)
    W = np.array([[0.3, -1.2], [2.0, 0.1]])
    numeric = numerical_gradient(lambda w: l2_penalty([(w, np.zeros(2))], 0.1), W)
    assert relative_error(l2_gradient([(W, np.zeros(2))], 0.1)[0][0], numeric) < TOL


@pytest.mark.parametrize("lam, err", [(-1.0, ValueError), (np.nan, ValueError), ("big", TypeError)])
def test_l2_rejects_bad_strength(lam, err):
    with pytest.raises(err, match="regularisation strength"):
        l2_penalty(_net([2, 3]), lam)
