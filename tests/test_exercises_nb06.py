"""Every exercise of 06_training: right, wrong, untouched and raising answers."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.exercises import ___
from lecture_utils.exercises.nb06 import (q1_dense_backward, q2_softmax_ce_grad, q3_sgd_l2_step,
                                          q4_updates_per_epoch)


def _status(q, answer):
    return q.check(answer, show=False).status


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


# -- q1 -----------------------------------------------------------------------------------------
def test_q1_right():
    assert q1_dense_backward.check(lambda dZ, A, W: (dZ @ W.T, A.T @ dZ, dZ.sum(axis=0)), show=False)


@pytest.mark.parametrize("wrong", [
    lambda dZ, A, W: (dZ @ W.T, dZ.T @ A, dZ.sum(axis=0)),            # dW transposed
    lambda dZ, A, W: (dZ @ W.T, A.T @ dZ, dZ.mean(axis=0)),           # mean instead of sum
    lambda dZ, A, W: (dZ @ W, A.T @ dZ, dZ.sum(axis=0)),              # W not transposed
    lambda dZ, A, W: (dZ @ W.T, A.T @ dZ, dZ.sum(axis=1)),            # summed over the wrong axis
    lambda dZ, A, W: (np.zeros_like(A), np.zeros_like(W), np.zeros(W.shape[1])),  # constants
    lambda dZ, A, W: (dZ @ W.T, A.T @ dZ),                            # only two outputs
])
def test_q1_wrong(wrong):
    assert _status(q1_dense_backward, wrong) == "wrong"


def test_q1_untouched_and_raising():
    assert _status(q1_dense_backward, ___) == "not attempted"
    assert _status(q1_dense_backward, lambda dZ, A, W: (___, ___, ___)) == "not attempted"

    def todo(dZ, A, W):
        raise NotImplementedError

    assert _status(q1_dense_backward, todo) == "not attempted"
    assert _status(q1_dense_backward, lambda dZ, A, W: 1 / 0) == "wrong"
    assert _status(q1_dense_backward, 3.0) == "wrong"


# -- q2 -----------------------------------------------------------------------------------------
def test_q2_right():
    assert q2_softmax_ce_grad.check(lambda Z, y: (_softmax(Z) - np.eye(Z.shape[1])[y]) / len(Z), show=False)


@pytest.mark.parametrize("wrong", [
    lambda Z, y: _softmax(Z) - np.eye(Z.shape[1])[y],                                  # no 1/n
    lambda Z, y: (np.eye(Z.shape[1])[y] - _softmax(Z)) / len(Z),                       # sign
    lambda Z, y: (np.exp(Z) / np.exp(Z).sum(1, keepdims=True) - np.eye(Z.shape[1])[y]) / len(Z),  # no max-shift
    lambda Z, y: _softmax(Z) / len(Z),                                                 # forgot Y
    lambda Z, y: np.zeros_like(Z),                                                     # constant
    lambda Z, y: ((_softmax(Z) - np.eye(Z.shape[1])[y]) / len(Z)).T,                   # transposed
])
def test_q2_wrong(wrong):
    assert _status(q2_softmax_ce_grad, wrong) == "wrong"


def test_q2_untouched_and_raising():
    assert _status(q2_softmax_ce_grad, ___) == "not attempted"
    assert _status(q2_softmax_ce_grad, lambda Z, y: ___) == "not attempted"
    assert _status(q2_softmax_ce_grad, lambda Z, y: Z[10]) == "wrong"


# -- q3 -----------------------------------------------------------------------------------------
def test_q3_right():
    assert q3_sgd_l2_step.check(lambda W, dW, lp, lr, lam: W - lp * dW - lr * lam * W, show=False)


@pytest.mark.parametrize("wrong", [
    lambda W, dW, lp, lr, lam: W - lp * dW,                        # no regulariser
    lambda W, dW, lp, lr, lam: W + lp * dW + lr * lam * W,         # ascent
    lambda W, dW, lp, lr, lam: W - lp * (dW + lam * W),            # η_p used for the regulariser
    lambda W, dW, lp, lr, lam: W - lp * dW - lr * lam * W ** 2,    # ∇ of λ/2 W² is not λW²
    lambda W, dW, lp, lr, lam: W - lp * dW - lr * lam / 2 * W,     # halved gradient
    lambda W, dW, lp, lr, lam: np.zeros_like(W),
])
def test_q3_wrong(wrong):
    assert _status(q3_sgd_l2_step, wrong) == "wrong"


def test_q3_untouched_and_raising():
    assert _status(q3_sgd_l2_step, ___) == "not attempted"
    assert _status(q3_sgd_l2_step, lambda *a: None) == "not attempted"
    assert _status(q3_sgd_l2_step, lambda W, dW, lp, lr, lam: W @ np.ones((7, 7))) == "wrong"


# -- q4 -----------------------------------------------------------------------------------------
def test_q4():
    assert q4_updates_per_epoch.check(10, show=False)
    assert q4_updates_per_epoch.check(np.int64(10), show=False)
    for wrong in (9, 9.375, 300, 1, 11, "10", [10]):
        assert _status(q4_updates_per_epoch, wrong) == "wrong", wrong
    assert "smaller batch" in q4_updates_per_epoch.check(9, show=False).message
    assert _status(q4_updates_per_epoch, ___) == "not attempted"


@pytest.mark.parametrize("q", [q1_dense_backward, q2_softmax_ce_grad, q3_sgd_l2_step, q4_updates_per_epoch])
def test_hints_and_solutions_are_available(q, capsys):
    assert q.hint() and q.solution()


@pytest.mark.parametrize("q", [q1_dense_backward, q2_softmax_ce_grad, q3_sgd_l2_step])
def test_the_shown_solution_passes(q, capsys):
    scope = {"np": np}
    exec(q.solution(), scope)
    func = next(v for k, v in scope.items() if callable(v) and k not in ("np",) and not k.startswith("__"))
    assert q.check(func, show=False)
