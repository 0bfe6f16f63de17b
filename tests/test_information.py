"""lecture_utils.information against SciPy, closed forms, finite differences and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import expit, rel_entr
from scipy.stats import entropy as scipy_entropy

from lecture_utils import binary_cross_entropy, cross_entropy, sigmoid
from lecture_utils.gradcheck import numerical_gradient, relative_error
from lecture_utils.information import (bce_logit_grad, bce_logit_loss, cross_entropy_between,
                                       entropy, kl_divergence, softmax_squared_error_grad,
                                       squared_error_logit_grad, squared_error_logit_loss)


def distributions(K: int, allow_zeros: bool = True):
    """Hypothesis strategy: a probability vector of length K (possibly with zero entries)."""
    lo = 0.0 if allow_zeros else 1e-3
    return arrays(np.float64, K, elements=st.floats(lo, 1.0)).filter(lambda w: w.sum() > 1e-3).map(
        lambda w: w / w.sum())


# -- against SciPy ---------------------------------------------------------------------------

def test_entropy_matches_scipy_on_random_batches():
    rng = np.random.default_rng(1)
    P = rng.dirichlet(np.ones(5), size=50)
    P[::7, 2] = 0.0
    P /= P.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(entropy(P), scipy_entropy(P, axis=1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(entropy(P, base=2), scipy_entropy(P, base=2, axis=1), rtol=1e-12)


def test_kl_and_cross_entropy_match_scipy():
    rng = np.random.default_rng(2)
    P = rng.dirichlet(np.ones(4), size=40)
    Q = rng.dirichlet(np.ones(4), size=40)
    P[::5, 1] = 0.0
    P /= P.sum(axis=1, keepdims=True)
    want_kl = rel_entr(P, Q).sum(axis=1)
    np.testing.assert_allclose(kl_divergence(P, Q), want_kl, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(kl_divergence(P, Q), scipy_entropy(P, Q, axis=1), rtol=1e-10, atol=1e-15)
    want_ce = scipy_entropy(P, axis=1) + want_kl
    np.testing.assert_allclose(cross_entropy_between(P, Q), want_ce, rtol=1e-12)


def test_conventions_zero_log_zero_and_infinity():
    assert entropy([1.0, 0.0, 0.0]) == 0.0
    assert kl_divergence([0.0, 1.0], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert kl_divergence([0.0, 1.0], [1.0, 0.0]) == math.inf
    assert cross_entropy_between([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == pytest.approx(math.log(2))
    assert cross_entropy_between([1.0, 0.0], [0.0, 1.0]) == math.inf
    assert np.isinf(rel_entr(1.0, 0.0))  # the same convention as SciPy


def test_closed_forms():
    for K in (2, 3, 10):
        assert entropy(np.full(K, 1 / K)) == pytest.approx(math.log(K), rel=1e-14)
    assert entropy([0.5, 0.5], base=2) == pytest.approx(1.0)
    # one-hot target: cross-entropy is −log of the true class's probability, and equals KL
    assert cross_entropy_between([0, 1, 0], [0.2, 0.7, 0.1]) == pytest.approx(-math.log(0.7))
    assert kl_divergence([0, 1, 0], [0.2, 0.7, 0.1]) == pytest.approx(-math.log(0.7))


def test_agrees_with_core_cross_entropy():
    rng = np.random.default_rng(3)
    P = rng.dirichlet(np.ones(3), size=8)
    labels = rng.integers(0, 3, size=8)
    Y = np.eye(3)[labels]
    np.testing.assert_allclose(cross_entropy_between(Y, P), cross_entropy(labels, P, reduction="none"))


def test_return_types():
    assert isinstance(entropy([0.3, 0.7]), float)
    assert entropy([[0.3, 0.7], [1, 0]]).shape == (2,)
    assert isinstance(kl_divergence([0.3, 0.7], [0.5, 0.5]), float)


# -- properties --------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda K: st.tuples(distributions(K), distributions(K))))
def test_gibbs_inequality_and_decomposition(pq):
    p, q = pq
    kl = kl_divergence(p, q)
    assert kl >= 0.0
    ce = cross_entropy_between(p, q)
    if np.isfinite(kl):
        assert ce == pytest.approx(entropy(p) + kl, rel=1e-9, abs=1e-12)
    else:
        assert ce == math.inf


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 6).flatmap(distributions))
def test_kl_is_zero_for_equal_distributions(p):
    assert kl_divergence(p, p) == 0.0
    assert cross_entropy_between(p, p) == pytest.approx(entropy(p), rel=1e-12, abs=1e-15)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 5).flatmap(lambda K: st.tuples(distributions(K, False), distributions(K, False))))
def test_kl_is_positive_for_different_distributions(pq):
    p, q = pq
    assume(np.max(np.abs(p - q)) > 1e-3)
    assert kl_divergence(p, q) > 0.0


# -- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, match", [
    ([0.5, 0.6], "sum to 1"),
    ([1.2, -0.2], r"\[0, 1\]"),
    ([[0.5, 0.5], [0.2, 0.2]], "row 1"),
    ([np.nan, 1.0], "NaN"),
    ([], "empty"),
    (np.ones((2, 2, 2)) / 2, "1-D or 2-D"),
])
def test_entropy_rejects_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        entropy(bad)


def test_pair_functions_reject_mismatch_and_bad_types():
    with pytest.raises(ValueError, match=r"same shape.*\(3,\).*\(2,\)"):
        kl_divergence([0.2, 0.3, 0.5], [0.5, 0.5])
    with pytest.raises(TypeError):
        cross_entropy_between(["a", "b"], [0.5, 0.5])
    with pytest.raises(ValueError, match="base"):
        entropy([0.5, 0.5], base=1)
    with pytest.raises(TypeError, match="base"):
        entropy([0.5, 0.5], base="2")


def test_inputs_are_not_modified():
    p = np.array([0.25, 0.75])
    q = np.array([0.5, 0.5])
    kl_divergence(p, q)
    np.testing.assert_array_equal(p, [0.25, 0.75])


# -- gradients at the logit ------------------------------------------------------------------

Z = np.linspace(-12, 12, 49)


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_bce_logit_loss_and_grad(y):
    want = binary_cross_entropy(np.full(Z.shape, y), expit(Z), reduction="none")
    np.testing.assert_allclose(bce_logit_loss(Z, y), want, rtol=1e-9, atol=1e-12)
    num = numerical_gradient(lambda z: float(np.sum(bce_logit_loss(z, y))), Z)
    assert relative_error(num, bce_logit_grad(Z, y)) < 1e-7
    np.testing.assert_allclose(bce_logit_grad(Z, y), expit(Z) - y, atol=1e-15)


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_squared_error_grad_matches_finite_differences(y):
    np.testing.assert_allclose(squared_error_logit_loss(Z, y), (expit(Z) - y) ** 2, atol=1e-15)
    num = numerical_gradient(lambda z: float(np.sum(squared_error_logit_loss(z, y))), Z)
    assert relative_error(num, squared_error_logit_grad(Z, y)) < 1e-8


def test_squared_error_gradient_vanishes_when_confidently_wrong():
    # true label 1, logit −10: the prediction σ(−10) ≈ 4.5e−5 is confidently wrong
    assert abs(bce_logit_grad(-10.0, 1.0)) > 0.99
    assert abs(squared_error_logit_grad(-10.0, 1.0)) < 1e-4
    assert np.max(np.abs(squared_error_logit_grad(Z, 1.0))) <= 0.3  # ≤ 8/27 ≈ 0.296 everywhere


def test_bce_logit_loss_is_finite_for_huge_logits():
    out = bce_logit_loss([-1000.0, 1000.0], [1.0, 0.0])
    np.testing.assert_allclose(out, [1000.0, 1000.0])


def test_softmax_squared_error_grad_matches_finite_differences():
    rng = np.random.default_rng(4)
    z = rng.normal(size=4) * 2
    y = np.eye(4)[1]
    loss = lambda v: float(np.sum((np.exp(v - v.max()) / np.exp(v - v.max()).sum() - y) ** 2))
    assert relative_error(numerical_gradient(loss, z), softmax_squared_error_grad(z, y)) < 1e-8
    batch = softmax_squared_error_grad(np.stack([z, -z]), np.stack([y, y]))
    np.testing.assert_allclose(batch[0], softmax_squared_error_grad(z, y))
    # confidently wrong: tiny gradient
    assert np.abs(softmax_squared_error_grad([10.0, 0.0, -10.0], [0, 0, 1.0])).max() < 1e-3


def test_logit_functions_validate():
    with pytest.raises(ValueError, match="label 0 or 1"):
        bce_logit_grad(0.0, 2.0)
    with pytest.raises(ValueError, match="broadcastable"):
        bce_logit_loss([1.0, 2.0], [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="same shape"):
        softmax_squared_error_grad([1.0, 2.0, 3.0], [0.0, 1.0])
    assert np.shape(sigmoid(0.0)) == ()


# -- the stable path of notebook 06, section 6: cross-entropy from logits ----------------------

def test_cross_entropy_from_logits_matches_scipy_log_softmax_at_1000():
    from scipy.special import log_softmax as scipy_log_softmax

    from lecture_utils import cross_entropy_from_logits, softmax

    Z = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 0.0],
                  [5.0, 4.0, 2.0], [1e-3, -1e-3, 0.0]])
    y = np.array([0, 2, 0, 2, 1])
    want = -scipy_log_softmax(Z, axis=1)[np.arange(len(y)), y]
    got = cross_entropy_from_logits(y, Z, reduction="none")
    assert np.all(np.abs(got - want) <= 1e-12 * np.maximum(1.0, np.abs(want)))
    with np.errstate(divide="ignore"):
        naive = -np.log(softmax(Z)[np.arange(len(y)), y])
    assert np.isinf(naive[1]) and np.isinf(naive[2])  # log of softmax breaks where log-softmax does not
