"""Every nb01 exercise: right, several wrong (incl. a constant and a transposed shape),
untouched, and a function that raises."""
import numpy as np
import pytest

from lecture_utils.exercises import ___
from lecture_utils.exercises.nb01 import (LECTURE_B, LECTURE_G, LECTURE_W, W1, W2, b1, b2,
                                          q1_collapse_by_hand, q2_relu, q3_which_are_linear,
                                          q4_lecture_coefficients)


def status(q, answer):
    return q.check(answer, show=False).status


def boom(*args):
    raise RuntimeError("boom")


def test_q1_collapse():
    assert status(q1_collapse_by_hand, (W1 @ W2, b1 @ W2 + b2)) == "correct"
    assert status(q1_collapse_by_hand, (___, ___)) == "not attempted"
    assert status(q1_collapse_by_hand, ___) == "not attempted"
    wrong = [((W1 @ W2).T, b1 @ W2 + b2),            # transposed
             (W1 @ W2, b2),                          # forgot b1 @ W2
             (W2.T @ W1.T, b1 @ W2 + b2),            # wrong order -> (1, 2)
             (np.zeros((2, 1)), np.zeros(1)),        # constant
             (W1 @ W2, b1 + b2),                     # added biases
             (W1 @ W2,), "W1 @ W2", boom]
    for answer in wrong:
        assert status(q1_collapse_by_hand, answer) == "wrong", answer
    assert "transposed" in q1_collapse_by_hand.check(((W1 @ W2).T, b1 @ W2 + b2), show=False).message


def test_q2_relu():
    assert status(q2_relu, lambda z: np.maximum(z, 0.0)) == "correct"
    assert status(q2_relu, lambda z: z * (z > 0)) == "correct"
    assert status(q2_relu, ___) == "not attempted"
    assert status(q2_relu, lambda z: ___) == "not attempted"
    wrong = [lambda z: np.abs(z), lambda z: 0.0 * z + 1.0, lambda z: np.maximum(z, 0).T,
             lambda z: np.max(z, 0), lambda z: np.maximum(z, 1.0), lambda z: 0, boom, 3.0]
    for f in wrong:
        assert status(q2_relu, f) == "wrong"
    assert "raised RuntimeError" in q2_relu.check(boom, show=False).message


def test_q3_which_are_linear():
    assert status(q3_which_are_linear, {"A", "B", "D", "F"}) == "correct"
    assert status(q3_which_are_linear, "a, b, d, f") == "correct"
    assert status(q3_which_are_linear, ___) == "not attempted"
    for wrong in ({"A", "B", "D"}, {"A", "B", "D", "E", "F"}, set("ABCDEF"), {"C"}, "Z", 5, boom):
        assert status(q3_which_are_linear, wrong) == "wrong"
    assert "σ" in q3_which_are_linear.check({"A", "B", "D", "E", "F"}, show=False).message


def test_q4_lecture_coefficients():
    w1, w2, w3, w4, w5, w6, w7, w8, w9 = LECTURE_W
    g, b = LECTURE_G, LECTURE_B
    right = np.array([g * (w7 * w1 + w8 * w2 + w9 * w3), g * (w7 * w4 + w8 * w5 + w9 * w6),
                      g * b * (w7 + w8 + w9)])
    assert status(q4_lecture_coefficients, right) == "correct"
    assert status(q4_lecture_coefficients, list(right)) == "correct"
    assert status(q4_lecture_coefficients, ___) == "not attempted"
    wrong = [right / g, np.zeros(3), right.reshape(3, 1), right.reshape(1, 3), right[:2], -right,
             right[::-1], boom]
    for answer in wrong:
        assert status(q4_lecture_coefficients, answer) == "wrong"
