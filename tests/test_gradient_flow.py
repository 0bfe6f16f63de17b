"""Gradient flow through deep stacks (07_training §5): initialisation rules, per-layer gradient
norms against finite differences, and the vanishing / surviving gradients the notebook states."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import cross_entropy_from_logits, forward, sigmoid
from lecture_utils.data import load
from lecture_utils.gradcheck import numerical_gradient
from lecture_utils.gradient_flow import INITS, deep_layers, gradient_flow, init_std


@pytest.fixture(scope="module")
def spiral():
    ds = load("spiral")
    return ds.X_train, ds.y_train


def test_init_std_is_the_published_rule():
    assert init_std(64, 64, "xavier") == pytest.approx(np.sqrt(2 / 128))
    assert init_std(2, 64, "xavier") == pytest.approx(np.sqrt(2 / 66))
    assert init_std(64, 3, "he") == pytest.approx(np.sqrt(2 / 64))
    assert init_std(64, 3, "he", gain=3.0) == pytest.approx(3 * np.sqrt(2 / 64))


def test_deep_layers_shapes_scales_and_seed():
    layers = deep_layers(5, 200, d_in=300, d_out=4, init="he", gain=0.5, seed=3)
    assert [W.shape for W, _ in layers] == [(300, 200)] + [(200, 200)] * 4 + [(200, 4)]
    assert all(not b.any() for _, b in layers)
    for W, _ in layers[:-1]:  # enough weights for the sample std to be within 3 %
        assert W.std() == pytest.approx(0.5 * np.sqrt(2 / W.shape[0]), rel=0.03)
    again = deep_layers(5, 200, d_in=300, d_out=4, init="he", gain=0.5, seed=3)
    assert all(np.array_equal(W, W2) for (W, _), (W2, _) in zip(layers, again))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_grad_norms_match_finite_differences(activation):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(12, 2)), rng.integers(0, 3, 12)
    layers = deep_layers(3, 5, init="he", gain=1.5, seed=2)
    flow = gradient_flow(X, y, layers, activation)
    for i, (W, b) in enumerate(layers):
        def loss(W_, i=i):
            trial = [(W_ if j == i else Wj, bj) for j, (Wj, bj) in enumerate(layers)]
            return cross_entropy_from_logits(y, forward(X, trial, activation).output)
        assert flow.grad_norms[i] == pytest.approx(np.linalg.norm(numerical_gradient(loss, W)), rel=1e-6)


def test_mean_slopes_are_the_average_gate():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 3, 40)
    layers = deep_layers(2, 7, seed=1)
    Z1 = X @ layers[0][0] + layers[0][1]
    relu = gradient_flow(X, y, layers, "relu")
    assert relu.mean_slopes[0] == pytest.approx(np.mean(Z1 > 0))
    sig = gradient_flow(X, y, layers, "sigmoid")
    assert sig.mean_slopes[0] == pytest.approx(np.mean(sigmoid(Z1) * (1 - sigmoid(Z1))))
    assert np.all(sig.mean_slopes <= 0.25) and sig.activation == "sigmoid"


def test_ratio_and_factor_per_layer():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 3, 30)
    flow = gradient_flow(X, y, deep_layers(4, 8), "tanh")
    assert flow.ratio == pytest.approx(flow.grad_norms[0] / flow.grad_norms[-1])
    assert flow.factor_per_layer ** 4 == pytest.approx(flow.ratio)


def test_what_the_notebook_says_about_depth_ten(spiral):
    """07 §5: sigmoid with Xavier loses about 4× per layer; tanh with Xavier and ReLU with He keep
    the gradient; ReLU with Xavier starves every layer; larger weights saturate the sigmoid."""
    X, y = spiral
    flows = {(act, init): gradient_flow(X, y, deep_layers(10, init=init), act)
             for act in ("sigmoid", "tanh", "relu") for init in INITS}
    sig = flows["sigmoid", "xavier"]
    assert sig.ratio < 1e-5 and 0.15 < sig.factor_per_layer < 0.3
    assert np.all(sig.mean_slopes > 0.2)  # near z = 0: the ¼ bound is nearly reached
    assert 0.3 < flows["tanh", "xavier"].ratio < 3 and 0.1 < flows["relu", "he"].ratio < 3
    # ReLU with Xavier: signal and gradient both shrink, so every layer's gradient is small
    assert np.all(flows["relu", "xavier"].grad_norms < 0.05 * np.median(flows["relu", "he"].grad_norms))
    big = gradient_flow(X, y, deep_layers(10, gain=8.0), "sigmoid")
    assert big.mean_slopes[1:].mean() < 0.6 * sig.mean_slopes[1:].mean()  # saturated units
    assert big.ratio > sig.ratio  # ... although the larger weights carry more gradient


@pytest.mark.parametrize("call, exc, words", [
    (lambda: init_std(0, 3), ValueError, ["fan_in", "≥ 1"]),
    (lambda: init_std(3, 3, "glorot"), ValueError, ["init", "xavier", "he"]),
    (lambda: init_std(3, 3, np.array(["he", "xavier"])), ValueError, ["init", "xavier", "he"]),
    (lambda: init_std(3, 3, "he", gain=-1.0), ValueError, ["gain", "> 0"]),
    (lambda: init_std(3, 3, "he", gain="big"), TypeError, ["gain"]),
    (lambda: deep_layers(0), ValueError, ["depth"]),
    (lambda: deep_layers(2, 2.5), ValueError, ["width", "2.5"]),
    (lambda: deep_layers(2, seed=-1), ValueError, ["seed"]),
    (lambda: gradient_flow(np.ones((4, 3)), [0, 1, 2, 0], deep_layers(2)), ValueError, ["(4, 3)"]),
    (lambda: gradient_flow(np.ones((4, 2)), [0, 1, 2, 5], deep_layers(2)), ValueError, ["y", "5"]),
    (lambda: gradient_flow(np.ones((4, 2)), [0, 1, 2, 0], deep_layers(2), "swish"), ValueError, ["swish"]),
])
def test_bad_input_is_a_clear_error(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for word in words:
        assert word in str(info.value)
