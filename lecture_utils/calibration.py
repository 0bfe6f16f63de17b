"""Calibration: is a softmax output a probability you can trust? (05_softmax)

A classifier is *calibrated* when, among the examples it labels with confidence ≈ 0.8, about
80 % are right. Three pure tools, all in numpy:

* :func:`reliability_bins` — equal-width bins of the confidence (the max probability), with the
  accuracy and mean confidence in each: the numbers behind a reliability diagram;
* :func:`expected_calibration_error` — ECE = Σ_b (n_b / n) · |accuracy_b − confidence_b|;
* :func:`fit_temperature` — temperature scaling: one number T > 0 that divides every logit,
  chosen on held-out data to minimise the negative log-likelihood (NLL). Dividing by T never
  changes the predicted class, so accuracy stays the same while confidence is repaired.

Bins: bin b holds the confidences in (edges[b], edges[b + 1]], edges = linspace(0, 1, n_bins + 1);
the first bin also holds 0.

>>> import numpy as np
>>> from lecture_utils.calibration import expected_calibration_error
>>> p = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
>>> round(expected_calibration_error(p, [0, 1, 0, 0], n_bins=10), 3)   # (2·|0.5−0.9| + 2·|1−0.6|)/4
0.4
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import as_label_array, as_real_array, check_positive_number, check_whole_number, describe
from .softmax import log_softmax, softmax

__all__ = ["ReliabilityBins", "confidence_and_prediction", "reliability_bins",
           "expected_calibration_error", "nll_at_temperature", "fit_temperature",
           "TemperatureFit", "calibrated_probs"]

_SUM_TOL = 1e-6


def _probs_and_labels(probs: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    p = _probs(probs)
    return p, _labels(labels, p)


def _probs(probs: Any) -> np.ndarray:
    p = as_real_array(probs, "probs", ndim=2, allow_inf=False)
    if (p < 0).any() or (p > 1).any() or not np.allclose(p.sum(axis=1), 1.0, atol=_SUM_TOL):
        raise ValueError(
            f"probs must hold one probability distribution per row (entries in [0, 1], rows "
            f"summing to 1); got shape {p.shape} with row sums from {p.sum(axis=1).min():.4g} to "
            f"{p.sum(axis=1).max():.4g}. If these are logits, apply softmax(logits) first."
        )
    return p


def _labels(labels: Any, scores: np.ndarray) -> np.ndarray:
    y = as_label_array(labels, "labels")
    if y.shape != (scores.shape[0],):
        raise ValueError(
            f"labels must have one class index per row of the scores: shape ({scores.shape[0]},); "
            f"got shape {y.shape}."
        )
    if (y < 0).any() or (y >= scores.shape[1]).any():
        raise ValueError(
            f"labels must be class indices 0 … {scores.shape[1] - 1} (the scores have "
            f"{scores.shape[1]} columns); got values from {y.min()} to {y.max()}."
        )
    return y


def confidence_and_prediction(probs: Any) -> tuple[np.ndarray, np.ndarray]:
    """The confidence (max probability) and predicted class of each row.

    Parameters
    ----------
    probs : array_like, shape (n, K)
        One distribution per row.

    Returns
    -------
    confidence : ndarray, shape (n,), float64
    prediction : ndarray, shape (n,), int64

    Raises
    ------
    ValueError
        ``probs`` not 2-D, or rows that are not distributions (pass logits through softmax first).
    """
    p = _probs(probs)
    return p.max(axis=1), p.argmax(axis=1).astype(np.int64)


@dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin statistics of a reliability diagram (all arrays of shape (n_bins,)).

    ``accuracy`` and ``confidence`` are NaN in empty bins; ``counts`` are whole numbers.
    """

    edges: np.ndarray
    counts: np.ndarray
    accuracy: np.ndarray
    confidence: np.ndarray

    @property
    def centers(self) -> np.ndarray:
        return 0.5 * (self.edges[:-1] + self.edges[1:])

    @property
    def ece(self) -> float:
        """Σ_b (n_b / n) · |accuracy_b − confidence_b| (empty bins contribute 0)."""
        gap = np.nan_to_num(np.abs(self.accuracy - self.confidence))
        return float(np.sum(self.counts * gap) / np.sum(self.counts))


def reliability_bins(probs: Any, labels: Any, n_bins: int = 10) -> ReliabilityBins:
    """Bin the examples by confidence and measure accuracy and mean confidence in each bin.

    Parameters
    ----------
    probs : array_like, shape (n, K)
        Predicted distributions (e.g. ``softmax(logits)``); rows sum to 1.
    labels : array_like of int, shape (n,)
        True classes 0 … K − 1.
    n_bins : int
        Number of equal-width bins on [0, 1].

    Returns
    -------
    ReliabilityBins

    Raises
    ------
    ValueError
        ``probs`` not 2-D or rows not distributions (pass logits through softmax first),
        labels of the wrong length or out of range, ``n_bins < 1``.
    """
    n_bins = check_whole_number(n_bins, "n_bins")
    p, y = _probs_and_labels(probs, labels)
    conf, pred = p.max(axis=1), p.argmax(axis=1)
    correct = (pred == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.searchsorted(edges[1:-1], conf, side="left")  # (lo, hi]; 0 goes to bin 0
    counts = np.bincount(idx, minlength=n_bins).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.bincount(idx, weights=correct, minlength=n_bins) / counts
        confidence = np.bincount(idx, weights=conf, minlength=n_bins) / counts
    return ReliabilityBins(edges, counts, accuracy, confidence)


def expected_calibration_error(probs: Any, labels: Any, n_bins: int = 10) -> float:
    """ECE = Σ_b (n_b / n) · |accuracy_b − confidence_b| over equal-width confidence bins.

    0 for a perfectly calibrated classifier; at most 1. Same arguments and errors as
    :func:`reliability_bins`.
    """
    return reliability_bins(probs, labels, n_bins).ece


def nll_at_temperature(logits: Any, labels: Any, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood −(1/n) Σ_i log softmax(z_i / T)[y_i], computed stably.

    Parameters
    ----------
    logits : array_like, shape (n, K)
    labels : array_like of int, shape (n,)
    temperature : float > 0

    Raises
    ------
    ValueError
        Non-finite logits, bad labels, ``temperature <= 0``.
    """
    T = check_positive_number(temperature, "temperature")
    z = as_real_array(logits, "logits", ndim=2, allow_inf=False)
    y = _labels(labels, z)
    logp = log_softmax(z, axis=1, temperature=T)
    return float(-np.mean(logp[np.arange(len(y)), y]))


@dataclass(frozen=True)
class TemperatureFit:
    """Result of :func:`fit_temperature`: the fitted T, the NLL at T = 1 and at T, iterations."""

    temperature: float
    nll_before: float
    nll_after: float
    iterations: int


_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0  # 1/φ ≈ 0.618


def fit_temperature(logits: Any, labels: Any, bounds: tuple[float, float] = (0.05, 20.0),
                    tol: float = 1e-7) -> TemperatureFit:
    """Temperature scaling: the T in ``bounds`` that minimises :func:`nll_at_temperature`.

    The NLL is a convex function of 1/T, so it has one minimum along log T; a golden-section
    search on log T finds it to ``tol`` (in log T) without derivatives. Fit on held-out
    (validation) data, never on the test set you report.

    Parameters
    ----------
    logits : array_like, shape (n, K)
    labels : array_like of int, shape (n,)
    bounds : (float, float)
        Search interval for T, 0 < low < high. A result at a bound means the optimum is outside.
    tol : float
        Width of the final bracket in log T.

    Returns
    -------
    TemperatureFit

    Raises
    ------
    ValueError
        Bad logits or labels, bounds that are not 0 < low < high, ``tol`` not > 0.
    """
    if not isinstance(bounds, (tuple, list, np.ndarray)) or len(bounds) != 2:
        raise ValueError(f"bounds must be a pair (low, high) such as (0.05, 20.0); got {describe(bounds)}.")
    tol = check_positive_number(tol, "tol")
    low = check_positive_number(bounds[0], "bounds[0]")
    high = check_positive_number(bounds[1], "bounds[1]")
    if not low < high:
        raise ValueError(f"bounds must be (low, high) with 0 < low < high; got {bounds!r}.")
    z = as_real_array(logits, "logits", ndim=2, allow_inf=False)
    y = _labels(labels, z)

    def nll(log_t: float) -> float:
        return nll_at_temperature(z, y, float(np.exp(log_t)))

    a, b = np.log(low), np.log(high)
    c, d = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    fc, fd = nll(c), nll(d)
    iterations = 0
    while b - a > tol and iterations < 200:
        iterations += 1
        if fc <= fd:  # the minimum lies in [a, d]
            b, d, fd = d, c, fc
            c = b - _INV_PHI * (b - a)
            fc = nll(c)
        else:  # the minimum lies in [c, b]
            a, c, fc = c, d, fd
            d = a + _INV_PHI * (b - a)
            fd = nll(d)
    T = float(np.exp(0.5 * (a + b)))
    return TemperatureFit(T, nll_at_temperature(z, y, 1.0), nll_at_temperature(z, y, T), iterations)


def calibrated_probs(logits: Any, temperature: float) -> np.ndarray:
    """softmax(logits / T) row by row: shape (n, K) in, (n, K) out.

    ValueError for logits not 2-D or not finite, or ``temperature`` not > 0.
    """
    z = as_real_array(logits, "logits", ndim=2, allow_inf=False)
    return softmax(z, axis=1, temperature=temperature)

