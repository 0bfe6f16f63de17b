"""Softmax in float16 / float32 / float64 (lecture_utils.precision): where each formula breaks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import log_softmax as sp_log_softmax
from scipy.special import softmax as sp_softmax

from lecture_utils import naive_softmax
from lecture_utils.precision import (DTYPES, as_float_dtype, breaking_points, compute_stability,
                                     log_of_softmax_in, log_softmax_in, stable_softmax_in)

TOL = {"float16": 2e-3, "float32": 1e-6, "float64": 1e-13}


@pytest.mark.parametrize("name", list(DTYPES))
@settings(max_examples=25, deadline=None)
@given(z=st.lists(st.floats(-10, 10), min_size=1, max_size=6))
def test_stable_functions_match_scipy_in_every_dtype(name, z):
    z = np.array(z)
    p = stable_softmax_in(z, name)
    assert p.dtype == np.dtype(name)
    zr = z.astype(name).astype(np.float64)  # the logits as the dtype stores them
    np.testing.assert_allclose(p.astype(float), sp_softmax(zr), atol=TOL[name], rtol=0)
    np.testing.assert_allclose(log_softmax_in(z, name).astype(float), sp_log_softmax(zr),
                               atol=10 * TOL[name], rtol=TOL[name])


@pytest.mark.parametrize("name, overflow, underflow", [
    # e^(-gap) rounds to 0 below half the smallest subnormal: gap > log 2 − log(subnormal)
    ("float16", np.log(65504.0), np.log(2.0) - np.log(2.0 ** -24)),
    ("float32", np.log(np.finfo(np.float32).max.astype(float)), np.log(2.0) - np.log(2.0 ** -149)),
    ("float64", np.log(np.finfo(np.float64).max), np.log(2.0) - np.log(5e-324)),
])
def test_breaking_points_are_the_known_constants(name, overflow, underflow):
    bp = breaking_points(name)
    assert bp.naive_overflow == pytest.approx(overflow, rel=1e-12)
    assert bp.log_underflow == pytest.approx(underflow, rel=1e-6)
    assert bp.max_logit == float(np.finfo(name).max)


@pytest.mark.parametrize("name", list(DTYPES))
def test_naive_breaks_just_past_its_threshold_and_stable_does_not(name):
    t = breaking_points(name).naive_overflow
    below, above = [0.97 * t, 0.0, -1.0], [1.03 * t, 0.0, -1.0]
    assert np.all(np.isfinite(naive_softmax(below, dtype=name)))
    assert np.isnan(naive_softmax(above, dtype=name)[0])
    assert np.all(np.isfinite(stable_softmax_in(above, name)))
    assert stable_softmax_in(above, name).astype(float).sum() == pytest.approx(1.0, abs=1e-3)


def test_the_lab_example_in_float64():
    r = compute_stability([1000.0, 4.0, 2.0], "float64")
    assert np.isnan(r.naive[0]) and r.naive_broken
    assert r.stable.tolist() == [1.0, 0.0, 0.0]
    assert r.log_of_softmax[2] == -np.inf and r.log_of_softmax_broken
    assert r.log_softmax[2] == pytest.approx(-998.0)
    np.testing.assert_allclose(r.log_softmax, sp_log_softmax([1000.0, 4.0, 2.0]), rtol=1e-15)


def test_max_shift_itself_fails_only_when_the_logit_cannot_be_stored():
    assert np.all(np.isfinite(stable_softmax_in([60000.0, 1.0], "float16")))
    assert np.isnan(stable_softmax_in([70000.0, 1.0], "float16")).any()  # 70000 > 65504 → inf
    assert np.all(np.isfinite(stable_softmax_in([70000.0, 1.0], "float32")))
    assert breaking_points("float16").spacing_at_1000 == 0.5


def test_log_of_softmax_underflows_where_log_softmax_does_not():
    z = [0.0, -800.0]
    assert log_of_softmax_in(z, "float64")[1] == -np.inf
    assert log_softmax_in(z, "float64")[1] == pytest.approx(-800.0)


def test_2d_axis():
    z = np.array([[1000.0, 0.0], [0.0, 1000.0]])
    np.testing.assert_allclose(stable_softmax_in(z, "float32", axis=1), np.eye(2))
    np.testing.assert_allclose(stable_softmax_in(z, "float32", axis=0), np.eye(2))


@pytest.mark.parametrize("bad", ["float128", np.int32, "int64", 3])
def test_unknown_dtypes_are_refused(bad):
    with pytest.raises(TypeError, match="dtype must be one of"):
        as_float_dtype(bad)


def test_bad_logits():
    with pytest.raises(ValueError, match="single number"):
        stable_softmax_in(3.0, "float32")
    with pytest.raises(ValueError, match="1-D"):
        compute_stability([[1.0, 2.0]], "float64")


def test_log_underflow_is_where_exp_of_the_gap_really_rounds_to_zero():
    import numpy as np

    from lecture_utils.precision import breaking_points

    for name in ("float16", "float32", "float64"):
        dt = np.dtype(name)
        gap = breaking_points(name).log_underflow
        with np.errstate(under="ignore"):
            below = np.exp(-dt.type(gap * (1 - 1e-3)))
            above = np.exp(-dt.type(gap * (1 + 1e-3)))
        assert below > 0 and above == 0, name
