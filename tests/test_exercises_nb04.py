"""Every exercise of notebook 04 (the theorem's promises and conditions, depth) with the right
answer, plausible wrong ones, the untouched placeholder and code that raises."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from lecture_utils.exercises import ___
from lecture_utils.exercises.nb04 import EXERCISES, q1_promises, q2_universal_activations, q3_sawtooth

ALL = [q1_promises, q2_universal_activations, q3_sawtooth]


def status(q, answer):
    return q.check(answer, show=False).status


def test_exercises_are_listed_in_order():
    assert EXERCISES == ALL


def test_q1_promises():
    assert status(q1_promises, {"A", "E"}) == "correct"
    assert status(q1_promises, "a, e") == "correct"
    for wrong in ("A", "A B E", "A C E", "A D E", "E", "F"):
        assert status(q1_promises, wrong) == "wrong", wrong
    assert "not that training finds it" in q1_promises.check("A D E", show=False).message
    assert "section 4" in q1_promises.check("A C E", show=False).message   # points to where the notebook shows it


class _Raises:
    def __iter__(self):
        raise RuntimeError("boom")

    def __len__(self):
        raise RuntimeError("boom")


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.name)
def test_untouched_hint_solution_and_raising(q, capsys):
    assert status(q, ___) == "not attempted"
    assert q.hint() and q.solution()
    r = q.check(_Raises(), show=False)
    assert r.status == "wrong"


def test_q2_universal_activations():
    assert status(q2_universal_activations, {"C", "D", "E", "F"}) == "correct"
    assert status(q2_universal_activations, "f, e, d, c") == "correct"
    for wrong, why in [({"C", "D", "F"}, "E is missing"),                      # the step is universal too
                       ({"A", "C", "D", "E", "F"}, "affine"),                 # the identity is not
                       ({"B", "C", "D", "E", "F"}, "degree ≤ 2"),             # nor is z²
                       ({"C"}, "D is missing"),
                       (set("ABCDEF"), "A should not be chosen")]:
        r = q2_universal_activations.check(wrong, show=False)
        assert r.status == "wrong" and why in r.message, (wrong, r.message)


def test_q3_sawtooth():
    for right in [(64, 63, 12), [64, 63, 12], np.array([64, 63, 12]), (64.0, 63.0, 12.0),
                  (Fraction(64), Decimal(63), np.int32(12)), iter([64, 63, 12])]:
        assert status(q3_sawtooth, right) == "correct", right
    assert "63" in q3_sawtooth.check((64, 63, 12), show=False).message
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
                       (64, "three whole numbers"),
                       ((64, 63, 12j), "real number"),
                       (("64", "63", "12"), "without quotes"),
                       ((True, 63, 12), "not a number"),
                       ((64, -63, 12), "whole number ≥ 0"),
                       ({64, 63, 12}, "three whole numbers")]:
        r = q3_sawtooth.check(wrong, show=False)
        assert r.status == "wrong" and why in r.message, (wrong, r.message)
    # a wrong piece count does not also blame kinks that follow from it
    r = q3_sawtooth.check((32, 31, 12), show=False)
    assert "fix the pieces" in r.message
