"""The warm-up check of 00_start_here: right passes, slips fail with a reason, the untouched
placeholder reports "not attempted", and answers of the wrong kind are reported, not raised."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.exercises import ___
from lecture_utils.exercises.nb00 import q0_count_the_weights as q0


@pytest.mark.parametrize("answer", [9, 9.0, np.int64(9), 2 * 3 + 3 * 1, np.float32(9)])
def test_right(answer):
    assert q0.check(answer, show=False).correct


# the hardened core names what was given: a string ("without quotes"), a bool ("not a number");
# a count is compared exactly ("not the right count", and 9.0001 is not 9)
@pytest.mark.parametrize("answer, reason", [
    (6, "add the 3"), (3, "add the 2 × 3"), (12, "biases"), (13, "biases"), (10, "bias"),
    (-9, "sign"), (0, "not the right count"), ("nine", "without quotes"), ("9", "string"),
    ([9], "single number"), (True, "not a number"), (9.0001, "whole number"), (9.4, "whole number"),
])
def test_wrong(answer, reason):
    res = q0.check(answer, show=False)
    assert not res.correct and reason in res.message


def test_placeholder_is_not_attempted():
    res = q0.check(___, show=False)
    assert res.status == "not attempted" and "replace ___" in res.message


def test_hint_and_solution(capsys):
    assert "2 inputs" in q0.hint(2)
    assert "2 * 3 + 3 * 1" in q0.solution()
