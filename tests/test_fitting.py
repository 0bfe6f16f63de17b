"""The numpy forward / backward pass of the Fit button: gradients against finite differences,
Adam reaching the MSE target within a step budget, and the state API."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import forward
from lecture_utils.fitting import (PARAM_NAMES, fit_step, forward_1d, init_fit, loss_and_grads,
                                   to_network, train_until)
from lecture_utils.gradcheck import numerical_gradient, relative_error

X = np.linspace(0, 1, 32)
Y = np.sin(2 * np.pi * X)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("name", PARAM_NAMES)
def test_gradients_match_finite_differences(activation, name):
    state = init_fit(X, Y, 6, activation, seed=3)
    params = {k: v.copy() for k, v in state.params.items()}

    def loss_of(value):
        p = dict(params)
        p[name] = value
        return loss_and_grads(p, X, Y, activation)[0]

    _, grads = loss_and_grads(params, X, Y, activation)
    num = numerical_gradient(loss_of, params[name])
    assert relative_error(grads[name], num) < 1e-6


def test_forward_matches_the_core_forward_pass():
    state = init_fit(X, Y, 5, "tanh", seed=1)
    p = state.params
    layers = [(p["w"][None, :], p["b"]), (p["v"][:, None], np.array([float(p["c"])]))]
    np.testing.assert_allclose(forward_1d(p, X, "tanh"), forward(X[:, None], layers, "tanh").output[:, 0], atol=1e-12)
    np.testing.assert_allclose(to_network(state)(X), forward_1d(p, X, "tanh"), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_reaches_the_target_mse_on_sine_within_a_step_budget(seed):
    x = np.linspace(0, 1, 128)
    state = train_until(init_fit(x, np.sin(2 * np.pi * x), 20, "tanh", seed=seed), 1e-3, max_steps=1500)
    assert state.loss <= 1e-3
    assert state.t <= 1500


def test_loss_decreases_and_the_state_is_not_mutated():
    state = init_fit(X, Y, 10, seed=0)
    before = {k: v.copy() for k, v in state.params.items()}
    after = fit_step(state, 300)
    assert after.t == 300 and len(after.losses) == 300 and state.t == 0
    assert after.loss < 0.1 * state.loss
    assert after.losses[0] == pytest.approx(state.loss)
    smooth = np.convolve(after.losses, np.ones(20) / 20, mode="valid")
    assert smooth[-1] < smooth[0]
    for k in PARAM_NAMES:
        np.testing.assert_array_equal(state.params[k], before[k])


def test_chunks_give_the_same_result_as_one_run():
    state = init_fit(X, Y, 8, seed=5)
    a = fit_step(state, 100)
    b = fit_step(fit_step(fit_step(state, 30), 30), 40)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=1e-12, atol=1e-15)


def test_bad_inputs_say_what_is_wrong():
    with pytest.raises(ValueError, match="same shape"):
        init_fit(X, Y[:-1], 5)
    with pytest.raises(ValueError, match="activation"):
        init_fit(X, Y, 5, "softplus")
    with pytest.raises(ValueError, match="n_hidden"):
        init_fit(X, Y, 0)
