"""Every exercise of notebook 03 with the right answer, plausible wrong ones, the untouched
placeholder and code that raises."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.activations import sigmoid
from lecture_utils.exercises import ___
from lecture_utils.exercises.nb03 import (q1_step_at_03, q2_bump, q3_relus_needed, q4_challenge,
                                          q5_promises)

ALL = [q1_step_at_03, q2_bump, q3_relus_needed, q4_challenge, q5_promises]


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
    assert status(q3_relus_needed, 4) == "correct"
    for wrong in (3, 5, 2, 8, 4.5, "4", [4]):
        assert status(q3_relus_needed, wrong) == "wrong", wrong
    assert "count x = 0" in q3_relus_needed.check(3, show=False).message


def test_q4_challenge():
    assert status(q4_challenge, [0.22, 0.195, 0.416, 0.272, 0.767]) == "correct"
    for wrong in ([0.5] * 5, [0.4] * 5, [0.22, 0.195, 0.416, 0.272], [0.767, 0.272, 0.416, 0.195, 0.22],
                  [np.nan] * 5, "heights"):
        assert status(q4_challenge, wrong) == "wrong", wrong


def test_q5_promises():
    assert status(q5_promises, {"A", "E"}) == "correct"
    assert status(q5_promises, "a, e") == "correct"
    for wrong in ("A", "A B E", "A C E", "A D E", "E", "F"):
        assert status(q5_promises, wrong) == "wrong", wrong
    assert "not that training finds it" in q5_promises.check("A D E", show=False).message


# -- exercises 6 and 7 (the theorem's conditions, depth) --------------------------------------------
from lecture_utils.exercises.nb03 import q6_universal_activations, q7_sawtooth  # noqa: E402


class _Raises:
    def __iter__(self):
        raise RuntimeError("boom")

    def __len__(self):
        raise RuntimeError("boom")


@pytest.mark.parametrize("q", [q6_universal_activations, q7_sawtooth], ids=lambda q: q.name)
def test_new_exercises_untouched_hint_solution_and_raising(q, capsys):
    assert status(q, ___) == "not attempted"
    assert q.hint() and q.solution()
    r = q.check(_Raises(), show=False)
    assert r.status == "wrong"


def test_q6_universal_activations():
    assert status(q6_universal_activations, {"C", "D", "E", "F"}) == "correct"
    assert status(q6_universal_activations, "f, e, d, c") == "correct"
    for wrong, why in [({"C", "D", "F"}, "E is missing"),                      # the step is universal too
                       ({"A", "C", "D", "E", "F"}, "affine"),                 # the identity is not
                       ({"B", "C", "D", "E", "F"}, "degree ≤ 2"),             # nor is z²
                       ({"C"}, "D is missing"),
                       (set("ABCDEF"), "A should not be chosen")]:
        r = q6_universal_activations.check(wrong, show=False)
        assert r.status == "wrong" and why in r.message, (wrong, r.message)


def test_q7_sawtooth():
    for right in [(64, 63, 12), [64, 63, 12], np.array([64, 63, 12]), (64.0, 63.0, 12.0)]:
        assert status(q7_sawtooth, right) == "correct", right
    assert "63" in q7_sawtooth.check((64, 63, 12), show=False).message
    for wrong, why in [((12, 11, 12), "doubles"),          # 2k pieces
                       ((32, 31, 12), "teeth"),            # teeth, not pieces
                       ((64, 64, 12), "one fewer"),        # kinks = pieces
                       ((64, 63, 6), "layers"),            # layers, not units
                       ((64, 63, 14), "input and output"),
                       ((64, 63, 64), "one-hidden-layer"),
                       ((64, 63), "three whole numbers"),
                       ((64.5, 63, 12), "three whole numbers"),
                       (("64", "63", "12"), "three whole numbers"),
                       ((True, 63, 12), "three whole numbers"),
                       (64, "three whole numbers")]:
        r = q7_sawtooth.check(wrong, show=False)
        assert r.status == "wrong" and why in r.message, (wrong, r.message)
    # a wrong piece count does not also blame kinks that follow from it
    r = q7_sawtooth.check((32, 31, 12), show=False)
    assert "fix the pieces" in r.message
