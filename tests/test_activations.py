"""Activations and their derivatives against SciPy / closed forms / finite differences.
Warnings are errors in this module: no finite input may overflow or warn."""

import warnings

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture_utils import (ACTIVATIONS, Activation, get_activation, identity, identity_grad,
                           leaky_relu, leaky_relu_grad, relu, relu_grad, sigmoid, sigmoid_grad,
                           tanh, tanh_grad)

pytestmark = pytest.mark.filterwarnings("error")
FAST = settings(max_examples=80, deadline=None)
EXTREME = np.array([-np.finfo(float).max, -1e308, -1000.0, -40.0, -1.0, -1e-300, -0.0, 0.0,
                    1e-300, 1.0, 40.0, 1000.0, 1e308, np.finfo(float).max])
ALL = [sigmoid, sigmoid_grad, tanh, tanh_grad, relu, relu_grad, leaky_relu, leaky_relu_grad,
       identity, identity_grad]


def test_sigmoid_matches_expit_everywhere():
    x = np.concatenate([EXTREME, np.linspace(-750, 750, 3001)])
    # atol: below ~1e-308 (subnormals) expit flushes to 0 where ours keeps e^x
    np.testing.assert_allclose(sigmoid(x), sp.expit(x), rtol=4e-16, atol=1e-307)
    assert sigmoid(-1e308) == 0.0 and sigmoid(1e308) == 1.0 and sigmoid(0.0) == 0.5
    assert sigmoid([-np.inf, np.inf]).tolist() == [0.0, 1.0]


def test_closed_forms():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid_grad(x), sp.expit(x) * sp.expit(-x), rtol=1e-14)
    np.testing.assert_allclose(tanh(x), np.tanh(x), rtol=0, atol=0)
    np.testing.assert_allclose(tanh_grad(x), 1.0 / np.cosh(x) ** 2, rtol=1e-13)
    np.testing.assert_array_equal(relu(x), np.where(x > 0, x, 0.0))
    np.testing.assert_array_equal(leaky_relu(x), np.where(x > 0, x, 0.01 * x))
    np.testing.assert_array_equal(leaky_relu(x, alpha=0.2), np.where(x > 0, x, 0.2 * x))
    np.testing.assert_array_equal(identity(x), x)


def test_derivatives_accurate_in_the_tails():
    x = np.array([40.0, 100.0, 700.0])
    # s(1 − s) would round to 0 here; the true values are e^-x / (1 + e^-x)^2
    np.testing.assert_allclose(sigmoid_grad(x), np.exp(-x) / (1 + np.exp(-x)) ** 2, rtol=1e-14)
    np.testing.assert_allclose(sigmoid_grad(-x), sigmoid_grad(x), rtol=0)
    np.testing.assert_allclose(tanh_grad(x[:2]), 4 * np.exp(-2 * x[:2]), rtol=1e-14)
    assert sigmoid_grad(0.0) == 0.25 and tanh_grad(0.0) == 1.0


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "identity"])
@given(x=st.floats(-20, 20).filter(lambda v: abs(v) > 1e-3))  # away from the ReLU kink
@FAST
def test_derivative_matches_finite_differences(name, x):
    act = get_activation(name)
    h = 1e-6
    num = (act(x + h) - act(x - h)) / (2 * h)
    np.testing.assert_allclose(act.grad(x), num, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("fn", ALL)
def test_extreme_inputs_no_warnings_float64_same_shape(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(EXTREME)
    assert out.dtype == np.float64 and out.shape == EXTREME.shape
    assert not np.isnan(out).any()
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("fn", ALL)
def test_accepts_scalars_lists_ints_bools(fn):
    for x in (3, -2.5, [1, -2, 3], (True, False), np.arange(-3, 3, dtype=np.int16),
              np.float32([0.5, -0.5]), np.uint64([5])):
        out = fn(x)
        assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == np.shape(x)


@pytest.mark.parametrize("fn", ALL)
def test_inputs_never_modified_readonly_noncontiguous(fn):
    base = np.linspace(-3, 3, 24).reshape(4, 6)
    ro = base.copy()
    ro.setflags(write=False)
    view = ro[:, ::2]
    out = fn(view)
    assert out.shape == view.shape and not np.shares_memory(out, ro)
    np.testing.assert_array_equal(ro, base)
    out[...] = 7.0  # the result is ours to modify
    np.testing.assert_array_equal(ro, base)


def test_leaky_relu_alpha_and_signs():
    assert leaky_relu([-2.0, 3.0], alpha=0.5).tolist() == [-1.0, 3.0]
    assert leaky_relu_grad([-2.0, 0.0, 3.0], alpha=0.5).tolist() == [0.5, 0.5, 1.0]
    assert relu_grad([-1.0, 0.0, 1.0]).tolist() == [0.0, 0.0, 1.0]  # convention: 0 at 0
    assert np.signbit(leaky_relu(-0.0))  # alpha · (−0) = −0
    assert leaky_relu([-1e308], alpha=10.0).tolist() == [-np.inf]  # −1e309: beyond float64
    with pytest.raises(ValueError, match="alpha"):
        leaky_relu([1.0], alpha=-0.1)
    with pytest.raises(TypeError, match="alpha"):
        leaky_relu([1.0], alpha="0.1")


def test_registry():
    assert set(ACTIVATIONS) == {"identity", "sigmoid", "tanh", "relu", "leaky_relu"}
    for name, act in ACTIVATIONS.items():
        assert isinstance(act, Activation) and act.name == name and get_activation(name) is act
        assert act(0.5) == act.f(0.5) and act.latex.startswith("f(z)")
    assert ACTIVATIONS["identity"].linear and not ACTIVATIONS["relu"].linear
    assert get_activation(" ReLU ") is ACTIVATIONS["relu"]
    assert get_activation("linear") is ACTIVATIONS["identity"]
    assert get_activation("logistic") is ACTIVATIONS["sigmoid"]
    assert get_activation("Leaky-ReLU") is ACTIVATIONS["leaky_relu"]
    assert get_activation(ACTIVATIONS["tanh"]) is ACTIVATIONS["tanh"]
    with pytest.raises(ValueError, match="'relu'"):
        get_activation("softmax")
    with pytest.raises(TypeError):
        get_activation(3)
