"""Cross-entropy losses against scipy.special.xlogy / log_softmax, finite differences and
Hypothesis properties. Warnings are errors: p = 0 gives inf without a RuntimeWarning."""

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lecture_utils import (binary_cross_entropy, cross_entropy, cross_entropy_from_logits,
                           one_hot, softmax)
from lecture_utils.gradcheck import numerical_gradient, relative_error

pytestmark = pytest.mark.filterwarnings("error")
FAST = settings(max_examples=60, deadline=None)
probs = st.floats(0.0, 1.0)
logit = st.floats(-30, 30, allow_nan=False)


@st.composite
def logits_and_labels(draw, elements=logit):
    n, K = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    Z = draw(hnp.arrays(np.float64, (n, K), elements=elements))
    y = np.array(draw(st.lists(st.integers(0, K - 1), min_size=n, max_size=n)))
    return y, Z


def test_lecture_examples():
    assert cross_entropy([0], [[0.71, 0.26, 0.03]]) == pytest.approx(-np.log(0.71))
    assert cross_entropy(0, [0.71, 0.26, 0.03]) == pytest.approx(-np.log(0.71))
    assert binary_cross_entropy([1, 0], [0.9, 0.1]) == pytest.approx(-np.log(0.9))


@given(hnp.arrays(np.float64, st.integers(1, 8), elements=probs), st.data())
@FAST
def test_bce_matches_xlogy(p, data):
    y = data.draw(hnp.arrays(np.float64, p.shape, elements=st.sampled_from([0.0, 1.0, 0.3])))
    with np.errstate(divide="ignore"):
        ref = -(sp.xlogy(y, p) + sp.xlogy(1 - y, 1 - p))
    got = binary_cross_entropy(y, p, reduction="none")
    assert got.dtype == np.float64 and np.all(got >= 0)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
    if np.all(np.isfinite(ref)):
        assert binary_cross_entropy(y, p) == pytest.approx(ref.mean(), rel=1e-12, abs=1e-15)
        assert binary_cross_entropy(y, p, reduction="sum") == pytest.approx(ref.sum(), rel=1e-12, abs=1e-15)


def test_bce_tiny_p_is_accurate():
    assert binary_cross_entropy([0.0], [1e-20]) == pytest.approx(1e-20, rel=1e-12)  # −log(1 − p) ≈ p


def test_zero_probability_on_true_class_is_inf_not_clipped():
    assert binary_cross_entropy([1], [0.0]) == np.inf
    assert binary_cross_entropy([0], [1.0]) == np.inf
    assert binary_cross_entropy([1, 0], [1.0, 0.0]) == 0.0
    assert cross_entropy([2], [[0.5, 0.5, 0.0]]) == np.inf
    assert cross_entropy([0], [[0.5, 0.5, 0.0]]) == pytest.approx(np.log(2))
    assert cross_entropy([[0.0, 1.0, 0.0]], [[0.0, 1.0, 0.0]]) == 0.0


@given(logits_and_labels())
@FAST
def test_ce_matches_reference_labels_and_onehot(case):
    y, Z = case
    P = sp.softmax(Z, axis=1)
    with np.errstate(divide="ignore"):
        ref = -np.log(P[np.arange(len(y)), y])
    got = cross_entropy(y, P, reduction="none")
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    Y = one_hot(y, Z.shape[1])
    np.testing.assert_allclose(cross_entropy(Y, P, reduction="none"), -np.sum(sp.xlogy(Y, P), axis=1),
                               rtol=1e-12)
    assert np.all(got >= 0)


@given(logits_and_labels(elements=st.floats(-1e300, 1e300, allow_nan=False)))
@FAST
def test_from_logits_matches_scipy_log_softmax(case):
    y, Z = case
    ref = -sp.log_softmax(Z, axis=1)[np.arange(len(y)), y]
    got = cross_entropy_from_logits(y, Z, reduction="none")
    assert np.all(np.isfinite(got)) and np.all(got >= 0) and got.dtype == np.float64
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
    Y = one_hot(y, Z.shape[1])
    np.testing.assert_allclose(cross_entropy_from_logits(Y, Z, reduction="none"), got, rtol=1e-12, atol=1e-15)


@given(logits_and_labels())
@FAST
def test_from_logits_equals_ce_of_softmax_where_finite(case):
    y, Z = case
    with np.errstate(divide="ignore"):
        direct = cross_entropy(y, softmax(Z), reduction="none")
    finite = np.isfinite(direct)
    np.testing.assert_allclose(cross_entropy_from_logits(y, Z, reduction="none")[finite], direct[finite],
                               rtol=1e-9, atol=1e-12)


@given(hnp.arrays(np.float64, st.integers(1, 6), elements=probs), st.data())
@FAST
def test_two_classes_is_binary_cross_entropy(p, data):
    y = data.draw(hnp.arrays(np.int64, p.shape, elements=st.integers(0, 1)))
    P = np.stack([1 - p, p], axis=1)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(cross_entropy(y, P, reduction="none"),
                                   binary_cross_entropy(y, p, reduction="none"), rtol=1e-12, atol=1e-15)


def test_gradient_of_ce_from_logits_is_softmax_minus_onehot():
    rng = np.random.default_rng(3)
    Z, y = rng.normal(size=(4, 5)), np.array([0, 4, 2, 2])
    analytic = (softmax(Z) - one_hot(y, 5)) / 4  # mean over n = 4
    numeric = numerical_gradient(lambda v: cross_entropy_from_logits(y, v), Z)
    assert relative_error(numeric, analytic) < 1e-7
    soft = softmax(rng.normal(size=(4, 5)))  # soft targets: gradient softmax − Y
    numeric = numerical_gradient(lambda v: cross_entropy_from_logits(soft, v, reduction="sum"), Z)
    assert relative_error(numeric, softmax(Z) - soft) < 1e-7


def test_masked_logits():
    assert cross_entropy_from_logits([1], [[-np.inf, 0.0]]) == 0.0
    assert cross_entropy_from_logits([0], [[-np.inf, 0.0]]) == np.inf  # the true class is masked
    assert cross_entropy_from_logits([[0.0, 1.0]], [[-np.inf, 0.0]]) == 0.0


def test_extreme_logits_stay_finite_and_correct():
    Z = np.array([[1e300, -1e300], [1e4, -1e4], [0.0, 1e4]])
    got = cross_entropy_from_logits([1, 0, 0], Z, reduction="none")
    np.testing.assert_allclose(got, [2e300, 0.0, 1e4], rtol=1e-15)
    with np.errstate(divide="ignore"):
        assert cross_entropy([1], softmax([[1e300, -1e300]])) == np.inf  # why from_logits exists


def test_reductions_and_shapes():
    y, P = [0, 1], [[0.9, 0.1], [0.2, 0.8]]
    none = cross_entropy(y, P, reduction="none")
    assert none.shape == (2,) and none.dtype == np.float64
    assert cross_entropy(y, P) == pytest.approx(none.mean())
    assert cross_entropy(y, P, reduction="sum") == pytest.approx(none.sum())
    assert isinstance(cross_entropy(y, P), float)
    assert cross_entropy_from_logits(2, [1.0, 2.0, 3.0]) == pytest.approx(-sp.log_softmax([1.0, 2.0, 3.0])[2])
    assert cross_entropy([1, 0, 0], [0.7, 0.2, 0.1]) == pytest.approx(-np.log(0.7))  # one-hot row


def test_one_hot():
    assert one_hot([2, 0], 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    assert one_hot(np.array([1], dtype=np.uint8), 2).dtype == np.float64
    assert one_hot([0], np.int64(1)).tolist() == [[1.0]]


def test_inputs_never_modified():
    P = np.array([[0.9, 0.1], [0.2, 0.8]])
    Z = np.array([[1.0, -1.0], [0.5, 2.0]])
    y = np.array([0, 1])
    for a in (P, Z, y):
        a.setflags(write=False)
    cross_entropy(y, P)
    cross_entropy_from_logits(y, Z)
    cross_entropy_from_logits(one_hot(y, 2), Z[:, ::-1])
    binary_cross_entropy(P[:, 0], P[:, 1])
    assert P.tolist() == [[0.9, 0.1], [0.2, 0.8]] and Z.tolist() == [[1.0, -1.0], [0.5, 2.0]]
    assert y.tolist() == [0, 1]
