"""Cross-entropy losses and one-hot labels (05_cross_entropy).

Binary:      BCE = −[y·log p̂ + (1 − y)·log(1 − p̂)]
Multi-class: CE  = −(1/n) Σ_i Σ_j y_ij · log p_ij   (the lecture notes drop the minus sign)

Terms with y = 0 contribute 0 (the convention 0·log 0 = 0). A probability of exactly 0 on the
true class gives ``inf``: nothing is clipped. That is why training computes the loss from
logits with :func:`cross_entropy_from_logits`, which never takes the log of a rounded 0.

>>> from lecture_utils import cross_entropy
>>> round(cross_entropy([0], [[0.71, 0.26, 0.03]]), 4)   # −log 0.71
0.3425
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import (apply_reduction, as_label_array, as_real_array, check_reduction,
                      describe)
from .softmax import log_softmax

__all__ = ["binary_cross_entropy", "cross_entropy", "cross_entropy_from_logits", "one_hot"]

_ROW_SUM_TOL = 1e-6


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x · log y with 0 · log 0 = 0 (and 0 · log anything = 0); −inf only where x > 0 = y."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log(y)
    return np.where(x == 0, 0.0, out)


def _check_probabilities(p: np.ndarray, name: str) -> None:
    bad = (p < 0) | (p > 1)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must hold probabilities in [0, 1]; {name}{list(idx)} = {p[idx]!r}. If these "
            "are raw scores (logits), use softmax / sigmoid first, or cross_entropy_from_logits."
        )


def binary_cross_entropy(y: Any, p: Any, reduction: str = "mean") -> float | np.ndarray:
    """Binary cross-entropy −[y·log p + (1 − y)·log(1 − p)].

    Parameters
    ----------
    y : array_like, shape (n,) or scalar
        Actual labels, 0 or 1 (soft labels in [0, 1] are allowed).
    p : array_like, same shape as ``y``
        Predicted probability of label 1, in [0, 1].
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float, or ndarray of shape (n,) for ``reduction="none"``
        ≥ 0; ``inf`` where the true label has predicted probability exactly 0.

    Raises
    ------
    ValueError
        Values outside [0, 1], NaN, different lengths, empty input, unknown reduction.
    """
    reduction = check_reduction(reduction)
    y = as_real_array(y, "y", ndim=(0, 1), allow_inf=False)
    p = as_real_array(p, "p", ndim=(0, 1), allow_inf=False)
    if y.shape != p.shape:
        raise ValueError(
            f"y and p must have the same shape (one predicted probability per label); "
            f"got y {y.shape} and p {p.shape}."
        )
    _check_probabilities(y, "y")
    _check_probabilities(p, "p")
    losses = -(_xlogy(y, p) + _xlogy(1.0 - y, 1.0 - p))
    losses = np.atleast_1d(losses) + 0.0  # turn -0.0 into 0.0
    return apply_reduction(losses, reduction)


def one_hot(labels: Any, K: int) -> np.ndarray:
    """One-hot rows: ``one_hot([2, 0], 3)`` → [[0, 0, 1], [1, 0, 0]].

    Parameters
    ----------
    labels : array_like of int, shape (n,)
        Class indices in 0 … K−1.
    K : int
        Number of classes.

    Returns
    -------
    ndarray, shape (n, K), float64
    """
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)):
        raise TypeError(f"K (the number of classes) must be an integer; got {describe(K)}.")
    if K < 1:
        raise ValueError(f"K (the number of classes) must be at least 1; got {K}.")
    labels = as_label_array(labels, "labels")
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, one class index per example; got shape {labels.shape}.")
    _check_label_range(labels, int(K))
    out = np.zeros((labels.shape[0], int(K)))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def _check_label_range(labels: np.ndarray, K: int) -> None:
    bad = (labels < 0) | (labels >= K)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"labels must lie in 0 … {K - 1} for {K} classes; labels[{i}] = {int(labels[i])}. "
            "(Class indices start at 0.)"
        )


def _targets(y: Any, n: int, K: int, what: str) -> np.ndarray:
    """Labels (n,) or one-hot / soft targets (n, K) → an (n, K) float array of targets."""
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError):
        raise TypeError(f"y must be integer labels or one-hot rows; got {describe(y)}.") from None
    single_row = arr.ndim == 1 and n == 1 and arr.shape[0] == K and arr.dtype.kind == "f"
    if arr.ndim == 2 or single_row:
        Y = as_real_array(y, "y", ndim=(1, 2), allow_inf=False).reshape(-1, arr.shape[-1])
        if Y.shape != (n, K):
            raise ValueError(
                f"one-hot y must have the same shape as {what}: {what} is ({n}, {K}), y is {Y.shape}."
            )
        _check_probabilities(Y, "y")
        sums = Y.sum(axis=1)
        if np.any(np.abs(sums - 1) > _ROW_SUM_TOL):
            i = int(np.argmax(np.abs(sums - 1)))
            raise ValueError(f"each row of one-hot y must sum to 1; row {i} sums to {sums[i]:.6g}.")
        return Y
    labels = as_label_array(y, "y")
    labels = labels.reshape(-1) if labels.ndim == 0 else labels
    if labels.ndim != 1:
        raise ValueError(
            f"y must be integer labels of shape (n,) or one-hot of shape (n, K); got shape {labels.shape}."
        )
    if labels.shape[0] != n:
        raise ValueError(
            f"y and {what} disagree on the number of examples: y has {labels.shape[0]} labels, "
            f"{what} has {n} rows."
        )
    _check_label_range(labels, K)
    return one_hot(labels, K)


def cross_entropy(y: Any, P: Any, reduction: str = "mean") -> float | np.ndarray:
    """Multi-class cross-entropy −Σ_j y_ij · log P_ij, averaged over examples by default.

    Parameters
    ----------
    y : array_like
        Integer labels of shape (n,) (a single int for one example), or one-hot / soft
        targets of shape (n, K).
    P : array_like, shape (n, K) or (K,)
        Predicted distributions: entries in [0, 1], each row summing to 1.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float, or ndarray of shape (n,) for ``reduction="none"``
        ≥ 0; ``inf`` where the true class has probability exactly 0 (not clipped).

    Raises
    ------
    ValueError
        Entries outside [0, 1], rows not summing to 1, labels out of range, mismatched n.
    TypeError
        Labels that are not integers.
    """
    reduction = check_reduction(reduction)
    P = as_real_array(P, "P", ndim=(1, 2), allow_inf=False)
    P = P.reshape(1, -1) if P.ndim == 1 else P
    n, K = P.shape
    _check_probabilities(P, "P")
    sums = P.sum(axis=1)
    if np.any(np.abs(sums - 1) > _ROW_SUM_TOL):
        i = int(np.argmax(np.abs(sums - 1)))
        raise ValueError(
            f"each row of P must be a distribution summing to 1; row {i} sums to {sums[i]:.6g}. "
            "Apply softmax to raw scores first, or use cross_entropy_from_logits."
        )
    Y = _targets(y, n, K, "P")
    losses = -np.sum(_xlogy(Y, P), axis=1) + 0.0
    return apply_reduction(losses, reduction)


def cross_entropy_from_logits(y: Any, logits: Any, reduction: str = "mean") -> float | np.ndarray:
    """Cross-entropy computed from raw scores through log-softmax: −Σ_j y_ij · log_softmax(z_i)_j.

    Finite for any finite logits (±1e300 included), where ``cross_entropy(y, softmax(z))``
    returns ``inf`` once the true class's probability rounds to 0.

    Parameters
    ----------
    y : array_like
        Integer labels (n,) or one-hot (n, K), as in :func:`cross_entropy`.
    logits : array_like, shape (n, K) or (K,)
        Raw scores; ``-inf`` masks a class.
    reduction : {"mean", "sum", "none"}
    """
    reduction = check_reduction(reduction)
    Z = as_real_array(logits, "logits", ndim=(1, 2), allow_inf=False, allow_neg_inf=True)
    Z = Z.reshape(1, -1) if Z.ndim == 1 else Z
    n, K = Z.shape
    Y = _targets(y, n, K, "logits")
    L = log_softmax(Z, axis=1)
    losses = -np.sum(_xlogy_logs(Y, L), axis=1) + 0.0
    return apply_reduction(losses, reduction)


def _xlogy_logs(Y: np.ndarray, logP: np.ndarray) -> np.ndarray:
    """Y · logP with 0 · (−inf) = 0 (masked classes with no target weight)."""
    with np.errstate(invalid="ignore"):
        out = Y * logP
    return np.where(Y == 0, 0.0, out)
