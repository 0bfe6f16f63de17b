"""Every exercise of notebook 03 with the right answer, plausible wrong ones, the untouched
placeholder and code that raises."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.activations import sigmoid
from lecture_utils.exercises import ___
from lecture_utils.exercises.nb03 import q1_step_at_03, q2_bump, q3_relus_needed, q4_challenge

ALL = [q1_step_at_03, q2_bump, q3_relus_needed, q4_challenge]


def status(q, answer):
    return q.check(answer, show=False).status


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.name)
def test_placeholder_is_not_attempted_and_hint_solution_work(q, capsys):
    assert status(q, ___) == "not attempted"
    assert q.hint() and q.solution()


def test_q1_step():
    assert status(q1_step_at_03, (1000, -300)) == "correct"
    assert status(q1_step_at_03, np.array([500.0, -150.0])) == "correct"
    for wrong, why in [((1000, 300), "sign"), ((10, -3), "gentle"), ((-1000, 300), "down"),
                       ((0, 0), "no step"), ((1000, -0.3), "not at"), (0.3, "two numbers"),
                       ("w=1000", "two numbers")]:
        r = q1_step_at_03.check(wrong, show=False)
        assert r.status == "wrong" and why in r.message, (wrong, r.message)


def test_q2_bump():
    def right(x, left, right, height, w):
        return height * sigmoid(w * x - w * left) - height * sigmoid(w * x - w * right)

    def sign_error(x, left, right, height, w):
        return height * sigmoid(w * x + w * left) - height * sigmoid(w * x + w * right)

    def swapped(x, left, right, height, w):
        return height * sigmoid(w * (x - right)) - height * sigmoid(w * (x - left))

    def forgot_w_in_bias(x, left, right, height, w):
        return height * sigmoid(w * x - left) - height * sigmoid(w * x - right)

    def one_neuron(x, left, right, height, w):
        return height * sigmoid(w * (x - left))

    def raises(x, left, right, height, w):
        raise ValueError("oops")

    def todo(x, left, right, height, w):
        return ___

    assert status(q2_bump, right) == "correct"
    for wrong in (sign_error, swapped, forgot_w_in_bias, one_neuron, lambda *a: 0.8, raises):
        assert status(q2_bump, wrong) == "wrong", wrong
    assert status(q2_bump, todo) == "not attempted"
    assert status(q2_bump, 0.8) == "wrong"


def test_q3_relus():
    # 0.4 − 2·relu(0.2 − x) − 2·relu(x − 0.5) + 2·relu(x − 0.8) is exact: ReLUs may open to the left
    x = np.linspace(0, 1, 1001)
    r = lambda t: np.maximum(t, 0)
    three = 0.4 - 2 * r(0.2 - x) - 2 * r(x - 0.5) + 2 * r(x - 0.8)
    assert np.allclose(three, np.interp(x, [0, 0.2, 0.5, 0.8, 1], [0, 0.4, 0.4, -0.2, -0.2]))
    assert status(q3_relus_needed, 3) == "correct"
    assert status(q3_relus_needed, 3.0) == "correct"
    for wrong in (4, 5, 2, 8, 3.5, "3", [3], True):
        assert status(q3_relus_needed, wrong) == "wrong", wrong
    assert "open to the left" in q3_relus_needed.check(4, show=False).message
    assert "relu(0.2 − x)" in q3_relus_needed.solution() and "3 ReLUs" in q3_relus_needed.solution()


def test_q4_challenge():
    assert status(q4_challenge, [0.22, 0.195, 0.416, 0.272, 0.767]) == "correct"
    for wrong in ([0.5] * 5, [0.4] * 5, [0.22, 0.195, 0.416, 0.272], [0.767, 0.272, 0.416, 0.195, 0.22],
                  [np.nan] * 5, "heights"):
        assert status(q4_challenge, wrong) == "wrong", wrong
