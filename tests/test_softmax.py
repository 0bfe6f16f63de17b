"""softmax, log_softmax, logsumexp, naive_softmax and softmax_jacobian against SciPy,
closed forms, finite differences and Hypothesis properties. Warnings are errors here."""

import warnings

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lecture_utils import log_softmax, logsumexp, naive_softmax, sigmoid, softmax, softmax_jacobian
from lecture_utils.gradcheck import numerical_jacobian

pytestmark = pytest.mark.filterwarnings("error")
FAST = settings(max_examples=60, deadline=None)

finite = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)
moderate = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
                      elements=finite)


def rel_err(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))


# ---------------------------------------------------------------- against SciPy
@pytest.mark.parametrize("shape,axis", [((7,), -1), ((5, 4), -1), ((5, 4), 0), ((3, 4, 6), 1),
                                        ((3, 4, 6), -1), ((2, 3, 4), 0)])
def test_matches_scipy(shape, axis):
    z = np.random.default_rng(0).normal(scale=30, size=shape)
    np.testing.assert_allclose(softmax(z, axis=axis), sp.softmax(z, axis=axis), rtol=1e-13, atol=0)
    # entries near 0 carry an absolute error of ~eps in both implementations: rtol + atol
    np.testing.assert_allclose(log_softmax(z, axis=axis), sp.log_softmax(z, axis=axis),
                               rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(logsumexp(z, axis=axis), sp.logsumexp(z, axis=axis), rtol=1e-14)


@pytest.mark.parametrize("scale", [1e4, 1e300])
def test_extreme_logits_finite_and_match_scipy(scale):
    z = np.array([[1.0, -1.0, 0.5], [-0.3, 0.2, 0.1]]) * scale
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p, lp, lse = softmax(z), log_softmax(z), logsumexp(z)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(lp)) and np.all(np.isfinite(lse))
    np.testing.assert_allclose(p, sp.softmax(z, axis=-1), rtol=1e-13, atol=0)
    np.testing.assert_allclose(lp, sp.log_softmax(z, axis=-1), rtol=1e-13)
    np.testing.assert_allclose(lse, sp.logsumexp(z, axis=-1), rtol=1e-14)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-15)


def test_float64_limits_do_not_warn():
    big = np.finfo(np.float64).max
    z = np.array([big, -big, 0.0, -1e308, big])
    p = softmax(z)
    assert p.tolist() == [0.5, 0.0, 0.0, 0.0, 0.5]
    assert logsumexp(z) == big  # big + log 2 rounds to big
    lp = log_softmax(z)
    assert lp[0] == pytest.approx(-np.log(2)) and lp[4] == pytest.approx(-np.log(2))
    assert softmax([1e308, -1e308]).tolist() == [1.0, 0.0]
    assert sigmoid([1e308, -1e308]).tolist() == [1.0, 0.0]
    assert lp[1] == -np.inf  # true value −3.6e308 is beyond float64: the rounded answer


def test_lecture_example():
    assert softmax([5.0, 4.0, 2.0]).round(2).tolist() == [0.71, 0.26, 0.04]


@given(st.lists(moderate, min_size=1, max_size=8), st.integers(0, 1))
@FAST
def test_matches_scipy_property(v, transpose):
    z = np.array(v).reshape(1, -1)
    z = z.T if transpose else z
    np.testing.assert_allclose(softmax(z, axis=0), sp.softmax(z, axis=0), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(log_softmax(z, axis=0), sp.log_softmax(z, axis=0), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- masks, temperature
def test_neg_inf_is_a_mask():
    z = np.array([[-np.inf, 1.0, 2.0], [0.0, -np.inf, -np.inf]])
    p = softmax(z)
    assert p[0, 0] == 0.0 and p[1].tolist() == [1.0, 0.0, 0.0]
    np.testing.assert_allclose(p[0, 1:], sp.softmax([1.0, 2.0]), rtol=1e-15)
    lp = log_softmax(z)
    assert lp[0, 0] == -np.inf and lp[1, 0] == 0.0
    np.testing.assert_allclose(logsumexp(z), sp.logsumexp(z, axis=-1), rtol=1e-15)


@pytest.mark.parametrize("T", [1e-300, 1e-10, 0.5, 2.0, 1e10, 1e300])
def test_temperature_matches_scaled_scipy(T):
    z = np.array([[1.0, 2.0, 3.0, 2.5], [-1e4, 0.0, 1e4, 5.0]])
    p = softmax(z, temperature=T)
    assert np.all(np.isfinite(p))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        ref = sp.softmax(z / T, axis=-1)
        ref_log = sp.log_softmax(z / T, axis=-1)
    np.testing.assert_allclose(p, ref, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(log_softmax(z, temperature=T), ref_log, rtol=1e-12, atol=1e-14)


@given(hnp.arrays(np.float64, st.integers(2, 6), elements=st.integers(-50, 50).map(float), unique=True))
@FAST
def test_temperature_limits(z):  # distinct scores (gaps ≥ 1): T → 0 is the one-hot argmax
    hot = softmax(z, temperature=1e-300)
    assert hot.tolist() == np.eye(z.size)[np.argmax(z)].tolist()  # one-hot argmax
    np.testing.assert_allclose(softmax(z, temperature=1e300), 1.0 / z.size, rtol=1e-12)


# ---------------------------------------------------------------- properties
@given(matrices, st.integers(-1, 0))
@FAST
def test_distribution_along_axis(z, axis):
    p = softmax(z, axis=axis)
    assert p.shape == z.shape and p.dtype == np.float64
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)
    lp = log_softmax(z, axis=axis)
    assert np.all(lp <= 0) and not np.any(np.isnan(lp))


@given(hnp.arrays(np.float64, st.integers(1, 6), elements=moderate), moderate)
@FAST
def test_shift_invariance(z, c):
    np.testing.assert_allclose(softmax(z + c), softmax(z), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(logsumexp(z + c), logsumexp(z) + c, rtol=1e-12, atol=1e-12)


@given(st.floats(-700, 700))
@FAST
def test_two_class_softmax_is_sigmoid(z):
    p = softmax([z, 0.0])
    np.testing.assert_allclose(p[0], sigmoid(z), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(p[0], sp.expit(z), rtol=1e-13, atol=1e-300)


@given(hnp.arrays(np.float64, st.integers(1, 6), elements=moderate))
@FAST
def test_log_softmax_is_z_minus_logsumexp(z):
    np.testing.assert_allclose(log_softmax(z), z - logsumexp(z), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.exp(log_softmax(z)), softmax(z), rtol=1e-12, atol=1e-300)


# ---------------------------------------------------------------- Jacobian
@pytest.mark.parametrize("T", [1.0, 0.5, 3.0])
def test_jacobian_matches_finite_differences(T):
    z = np.array([0.3, -1.2, 2.0, 0.0])
    J = softmax_jacobian(z, temperature=T)
    num = numerical_jacobian(lambda v: softmax(v, temperature=T), z)
    np.testing.assert_allclose(J, num, atol=1e-9)
    np.testing.assert_allclose(J, J.T, atol=1e-16)
    np.testing.assert_allclose(J.sum(axis=0), 0.0, atol=1e-15)


# ---------------------------------------------------------------- naive formula
def test_naive_overflows_where_stable_does_not():
    z = np.array([1000.0, 999.0, 0.0])
    naive = naive_softmax(z)
    assert not np.all(np.isfinite(naive))  # inf / inf = nan: the lesson
    np.testing.assert_allclose(softmax(z), sp.softmax(z), rtol=1e-14)
    assert np.isnan(naive_softmax([100.0, 0.0], dtype=np.float32)).any()
    np.testing.assert_allclose(naive_softmax([1.0, 2.0, 3.0]), sp.softmax([1.0, 2.0, 3.0]), rtol=1e-15)
    assert naive_softmax([1.0, 2.0], dtype=np.float16).dtype == np.float16


# ---------------------------------------------------------------- inputs
@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp, naive_softmax])
def test_accepts_lists_ints_bools_and_returns_float64(fn):
    for z in ([1, 2, 3], np.array([1, 2, 3], dtype=np.int8), [True, False], np.float32([1, 2])):
        out = fn(z)
        assert isinstance(out, np.ndarray) and out.dtype == np.float64


def test_inputs_never_modified_readonly_and_noncontiguous():
    z = np.random.default_rng(1).normal(size=(6, 8))
    ro = z.copy()
    ro.setflags(write=False)
    view = ro[::2, ::3]  # non-contiguous, read-only view
    for fn in (softmax, log_softmax, logsumexp, softmax_jacobian):
        if fn is softmax_jacobian:
            out = fn(view[0])
        else:
            out = fn(view, axis=0)
            np.testing.assert_allclose(out, getattr(sp, fn.__name__)(view, axis=0), rtol=1e-13)
        assert not np.shares_memory(out, ro)
    np.testing.assert_array_equal(ro, z)
    assert softmax(ro) is not ro and not np.shares_memory(softmax(ro), ro)


def test_negative_zero_and_single_class():
    assert softmax([-0.0, 0.0]).tolist() == [0.5, 0.5]
    assert softmax([3.7]).tolist() == [1.0]
    assert log_softmax([3.7]).tolist() == [0.0]
    assert float(logsumexp([-0.0])) == 0.0


def test_many_blocks_long_rows_and_late_errors():
    rng = np.random.default_rng(7)
    z = rng.normal(scale=5, size=(20_001, 10))  # several blocks of rows, the last one partial
    np.testing.assert_allclose(softmax(z), sp.softmax(z, axis=-1), rtol=1e-13, atol=0)
    np.testing.assert_allclose(log_softmax(z), sp.log_softmax(z, axis=-1), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(logsumexp(z), sp.logsumexp(z, axis=-1), rtol=1e-14)
    wide = rng.normal(scale=20, size=(3, 5000))  # long rows: pairwise summation path
    np.testing.assert_allclose(softmax(wide), sp.softmax(wide, axis=-1), rtol=1e-12, atol=0)
    np.testing.assert_allclose(logsumexp(wide), sp.logsumexp(wide, axis=-1), rtol=1e-14)
    z[-1, 3] = np.nan
    with pytest.raises(ValueError, match=r"NaN \(first at index \(20000, 3\)\)"):
        softmax(z)
    z[-1, :] = -np.inf
    with pytest.raises(ValueError, match=r"z\[20000, :\] is all -inf"):
        log_softmax(z)
