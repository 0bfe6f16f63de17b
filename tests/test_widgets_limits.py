"""Axis limits on a ladder (lecture_utils.widgets._limits): coarse steps, always fitting the data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lecture_utils.widgets._limits import ladder_limits, nice_ceil


@pytest.mark.parametrize("x, expected", [(0.9, 1.0), (1.0, 1.0), (1.01, 1.5), (2.2, 2.5), (7.0, 8.0),
                                         (8.5, 10.0), (12.0, 15.0), (0.031, 0.04), (999.0, 1000.0)])
def test_nice_ceil(x, expected):
    assert nice_ceil(x) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.inf, math.nan])
def test_nice_ceil_refuses_what_has_no_nice_ceiling(bad):
    with pytest.raises(ValueError, match="finite number > 0"):
        nice_ceil(bad)


@given(st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_ladder_limits_always_hold_the_data(lo, width):
    hi = lo + width
    a, b = ladder_limits(lo, hi, base=(-1.0, 1.0))
    assert a <= min(lo, -1.0) and b >= max(hi, 1.0)


def test_ladder_limits_stay_put_while_the_data_fit_and_move_in_steps():
    assert ladder_limits(-0.5, 0.9, base=(-1.21, 1.21)) == (-1.21, 1.21)
    tops = {ladder_limits(0.0, top, base=(-1.21, 1.21))[1] for top in np.linspace(1.5, 25, 236)}
    assert len(tops) <= 12  # 236 slider steps, 12 different limits
    assert ladder_limits(-3.0, 40.0, base=(-1.0, 1.0), cap=12.0) == (-6.0, 12.0)


def test_ladder_limits_need_a_base_around_zero():
    with pytest.raises(ValueError, match="must contain 0"):
        ladder_limits(1.0, 2.0, base=(0.5, 1.0))
