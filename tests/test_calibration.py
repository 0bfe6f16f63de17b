"""Calibration maths (lecture_utils.calibration) against independent references:
a brute-force ECE written with loops, SciPy's log_softmax and minimize_scalar, and known truths
on synthetic data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax as sp_log_softmax
from scipy.special import softmax as sp_softmax

from lecture_utils.calibration import (ReliabilityBins, calibrated_probs, confidence_and_prediction,
                                       expected_calibration_error, fit_temperature,
                                       nll_at_temperature, reliability_bins)
from lecture_utils.data import load


def brute_force_ece(probs: np.ndarray, labels: np.ndarray, n_bins: int) -> float:
    """ECE with explicit loops: bin b holds confidences in (b/n, (b+1)/n], bin 0 also holds 0."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    n = len(labels)
    total = 0.0
    for b in range(n_bins):
        members = []
        for i in range(n):
            c = max(probs[i])
            if (edges[b] < c <= edges[b + 1]) or (b == 0 and c == 0.0):
                members.append(i)
        if not members:
            continue
        acc = sum(int(np.argmax(probs[i]) == labels[i]) for i in members) / len(members)
        conf = sum(max(probs[i]) for i in members) / len(members)
        total += len(members) / n * abs(acc - conf)
    return total


def random_problem(rng: np.random.Generator, n: int, k: int, scale: float = 2.0):
    logits = scale * rng.standard_normal((n, k))
    return logits, rng.integers(0, k, size=n)


# -- ECE and bins ----------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 60), k=st.integers(2, 5),
       n_bins=st.integers(1, 20), scale=st.floats(0.1, 5.0))
def test_ece_matches_brute_force(seed, n, k, n_bins, scale):
    rng = np.random.default_rng(seed)
    logits, y = random_problem(rng, n, k, scale)
    p = sp_softmax(logits, axis=1)
    assert expected_calibration_error(p, y, n_bins) == pytest.approx(brute_force_ece(p, y, n_bins), abs=1e-12)


def test_confidences_on_bin_edges_follow_the_documented_convention():
    # 0.5 lies on an edge: it belongs to (0.4, 0.5], not (0.5, 0.6]
    p = np.array([[0.5, 0.5], [0.6, 0.4], [0.7, 0.3], [1.0, 0.0]])
    y = np.array([0, 0, 1, 0])
    bins = reliability_bins(p, y, n_bins=10)
    assert bins.counts.tolist() == [0, 0, 0, 0, 1, 1, 1, 0, 0, 1]
    assert expected_calibration_error(p, y, 10) == pytest.approx(brute_force_ece(p, y, 10), abs=1e-15)


def test_reliability_bins_contents():
    rng = np.random.default_rng(1)
    logits, y = random_problem(rng, 500, 3)
    bins = reliability_bins(sp_softmax(logits, axis=1), y, n_bins=8)
    assert isinstance(bins, ReliabilityBins)
    assert bins.edges.shape == (9,) and bins.counts.shape == bins.accuracy.shape == (8,)
    assert bins.counts.sum() == 500
    full = bins.counts > 0
    assert np.all((bins.accuracy[full] >= 0) & (bins.accuracy[full] <= 1))
    assert np.all((bins.confidence[full] > bins.edges[:-1][full]) & (bins.confidence[full] <= bins.edges[1:][full]))
    assert np.all(np.isnan(bins.accuracy[~full]))  # 3 classes: nothing below 1/3
    assert np.allclose(bins.centers, (np.arange(8) + 0.5) / 8)


def test_ece_of_a_calibrated_model_is_small_and_of_an_overconfident_one_is_not():
    rng = np.random.default_rng(2)
    logits = 1.5 * rng.standard_normal((20_000, 3))
    p = sp_softmax(logits, axis=1)
    y = np.array([rng.choice(3, p=row) for row in p])  # labels drawn from the model: calibrated
    assert expected_calibration_error(p, y) < 0.02
    assert expected_calibration_error(sp_softmax(3 * logits, axis=1), y) > 0.1


def test_ece_hand_example_and_invariance_to_order():
    p = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    y = np.array([0, 1, 0, 0])
    assert expected_calibration_error(p, y, 10) == pytest.approx(0.4)
    perm = np.array([2, 0, 3, 1])
    assert expected_calibration_error(p[perm], y[perm], 10) == pytest.approx(0.4)


def test_confidence_and_prediction():
    conf, pred = confidence_and_prediction([[0.2, 0.8], [0.7, 0.3]])
    assert conf.tolist() == [0.8, 0.7] and pred.tolist() == [1, 0] and pred.dtype == np.int64


@pytest.mark.parametrize("probs, labels, match", [
    ([[2.0, -1.0]], [0], "softmax"),                       # logits, not probabilities
    ([[0.5, 0.4]], [0], "summing to 1"),
    ([0.5, 0.5], [0], "2-D"),
    ([[0.5, 0.5]], [2], "class indices 0 … 1"),
    ([[0.5, 0.5]], [0, 1], "one class index per row"),
])
def test_bad_probabilities_or_labels_raise_clear_errors(probs, labels, match):
    with pytest.raises(ValueError, match=match):
        expected_calibration_error(probs, labels)


@pytest.mark.parametrize("n_bins", [0, -3, 2.5, True])
def test_bad_n_bins(n_bins):
    with pytest.raises((ValueError, TypeError), match="n_bins"):
        reliability_bins([[0.5, 0.5]], [0], n_bins)


def test_float_labels_are_refused():
    with pytest.raises(TypeError, match="astype"):
        expected_calibration_error([[0.5, 0.5]], [0.0])


# -- NLL and temperature scaling ------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), T=st.floats(0.05, 20.0))
def test_nll_matches_scipy(seed, T):
    rng = np.random.default_rng(seed)
    logits, y = random_problem(rng, 50, 4, 10.0)
    want = -np.mean(sp_log_softmax(logits / T, axis=1)[np.arange(50), y])
    assert nll_at_temperature(logits, y, T) == pytest.approx(want, rel=1e-12)


def test_nll_is_finite_for_huge_logits():
    assert np.isfinite(nll_at_temperature([[1000.0, -1000.0]], [1], 1.0))
    assert nll_at_temperature([[1000.0, -1000.0]], [1], 1.0) == pytest.approx(2000.0)


def scipy_temperature(logits, y, bounds=(0.05, 20.0)) -> float:
    def nll(log_t):
        return -np.mean(sp_log_softmax(logits / np.exp(log_t), axis=1)[np.arange(len(y)), y])
    res = minimize_scalar(nll, bounds=np.log(bounds), method="bounded", options={"xatol": 1e-10})
    return float(np.exp(res.x))


@pytest.mark.parametrize("seed, scale", [(0, 0.5), (1, 2.0), (2, 4.0), (3, 8.0)])
def test_fitted_temperature_matches_scipy(seed, scale):
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((2_000, 3))
    y = np.array([rng.choice(3, p=row) for row in sp_softmax(base, axis=1)])
    logits = scale * base
    fit = fit_temperature(logits, y)
    assert fit.temperature == pytest.approx(scipy_temperature(logits, y), rel=1e-5)
    assert fit.nll_after <= fit.nll_before + 1e-12
    assert fit.nll_after == pytest.approx(nll_at_temperature(logits, y, fit.temperature))
    assert 0 < fit.iterations < 200


def test_fitted_temperature_recovers_the_scaling_of_calibrated_logits():
    rng = np.random.default_rng(5)
    base = 1.2 * rng.standard_normal((20_000, 3))
    y = np.array([rng.choice(3, p=row) for row in sp_softmax(base, axis=1)])
    assert fit_temperature(3.0 * base, y).temperature == pytest.approx(3.0, rel=0.05)


def test_optimum_outside_the_bounds_lands_on_the_bound():
    rng = np.random.default_rng(6)
    base = rng.standard_normal((500, 3))
    y = np.array([rng.choice(3, p=row) for row in sp_softmax(base, axis=1)])
    assert fit_temperature(10 * base, y, bounds=(0.1, 2.0)).temperature == pytest.approx(2.0, rel=1e-5)


@pytest.mark.parametrize("bounds", [(2.0, 1.0), (0.0, 1.0), (-1.0, 3.0)])
def test_bad_bounds(bounds):
    with pytest.raises(ValueError, match="bounds"):
        fit_temperature([[1.0, 0.0]], [0], bounds=bounds)


def test_temperature_must_be_positive():
    with pytest.raises(ValueError, match="temperature"):
        nll_at_temperature([[1.0, 0.0]], [0], 0.0)


def test_calibrated_probs_keeps_predictions():
    rng = np.random.default_rng(7)
    logits, _ = random_problem(rng, 100, 4)
    for T in (0.3, 1.0, 2.5, 10.0):
        p = calibrated_probs(logits, T)
        np.testing.assert_allclose(p, sp_softmax(logits / T, axis=1), rtol=1e-12)
        assert np.array_equal(p.argmax(axis=1), logits.argmax(axis=1))


# -- the shipped data set --------------------------------------------------------------------------

def test_shipped_calibration_data_is_repaired_by_temperature_scaling():
    ds = load("calibration")
    fit = fit_temperature(ds.logits_val, ds.y_val)
    assert 2.5 < fit.temperature < 5.0   # the over-trained network is too sure: T > 1 cools it
    assert fit.temperature == pytest.approx(scipy_temperature(ds.logits_val, ds.y_val), rel=1e-5)
    before = expected_calibration_error(sp_softmax(ds.logits_test, axis=1), ds.y_test)
    after = expected_calibration_error(calibrated_probs(ds.logits_test, fit.temperature), ds.y_test)
    assert before > 0.08 and after < 0.04
