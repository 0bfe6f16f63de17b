"""Cross-entropy losses and one-hot labels (06_cross_entropy).

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
from ._checks import check_size
from .softmax import _blocks, _rowsum

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
        where = f"{name}[{', '.join(map(str, idx))}]" if idx else name
        if name == "y":
            hint = "y holds the actual labels: 0 or 1 (or soft labels between 0 and 1)."
        else:
            hint = ("If these are raw scores (logits), use softmax / sigmoid first, or "
                    "cross_entropy_from_logits.")
        raise ValueError(f"{name} must hold probabilities in [0, 1]; {where} = {float(p[idx]):g}. {hint}")


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
    with np.errstate(divide="ignore", invalid="ignore"):
        log_1mp = np.log1p(-p)  # log(1 − p), accurate for tiny p
        second = np.where(y == 1, 0.0, (1.0 - y) * log_1mp)
    losses = -(_xlogy(y, p) + second)
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
    _check_label_range(labels, int(K), "labels")
    check_size(labels.shape[0] * int(K), f"one_hot(labels, K={int(K):,})")
    out = np.zeros((labels.shape[0], int(K)))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def _check_label_range(labels: np.ndarray, K: int, name: str) -> None:
    bad = (labels < 0) | (labels >= K)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name} (class labels) must lie in 0 … {K - 1} for {K} classes; {name}[{i}] = "
            f"{int(labels[i])}. (Class indices start at 0.)"
        )


def _targets(y: Any, n: int, K: int, what: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Labels (n,) or one-hot / soft targets (n, K) → (labels, None) or (None, Y)."""
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError):
        raise TypeError(f"y must be integer labels or one-hot rows; got {describe(y)}.") from None
    # one example given as a one-hot row of K numbers (as K labels it could never fit n = 1)
    single_row = (arr.ndim == 1 and n == 1 and arr.shape[0] == K
                  and (arr.dtype.kind in "fb" or (K > 1 and arr.dtype.kind in "iu")))
    if arr.ndim == 2 or single_row:
        Y = as_real_array(y, "y", ndim=(1, 2), allow_inf=False).reshape(-1, arr.shape[-1])
        if Y.shape != (n, K):
            hint = ""
            if Y.shape == (n, 1):
                hint = " If y holds one class index per example, pass y.ravel() (shape (n,))."
            raise ValueError(
                f"one-hot y must have the same shape as {what}: {what} is ({n}, {K}), "
                f"y is {Y.shape}.{hint}"
            )
        _check_probabilities(Y, "y")
        sums = Y.sum(axis=1)
        if np.any(np.abs(sums - 1) > _ROW_SUM_TOL):
            i = int(np.argmax(np.abs(sums - 1)))
            raise ValueError(f"each row of one-hot y must sum to 1; row {i} sums to {sums[i]:.6g}.")
        return None, Y
    labels = as_label_array(y, "y")
    labels = labels.reshape(-1) if labels.ndim == 0 else labels
    if labels.ndim != 1:
        raise ValueError(
            f"y must be integer labels of shape (n,) or one-hot of shape (n, K); got shape {labels.shape}."
        )
    if labels.shape[0] != n:
        raise ValueError(
            f"y and {what} disagree on the number of examples: y has {labels.shape[0]} "
            f"label(s) (shape {labels.shape}), {what} has {n} row(s) (shape ({n}, {K}))."
        )
    _check_label_range(labels, K, "y")
    return labels, None


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
    labels, Y = _targets(y, n, K, "P")
    if labels is not None:
        with np.errstate(divide="ignore"):  # log 0 = -inf: the documented inf loss
            losses = -np.log(P[np.arange(n), labels]) + 0.0
    else:
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

    Returns
    -------
    float, or ndarray of shape (n,) for ``reduction="none"``
        ≥ 0; ``inf`` only where the true class is masked (-inf) or its gap to the row max
        exceeds float64 (about 1.8e308).

    Raises
    ------
    ValueError
        NaN or +inf logits, a row all -inf, labels out of range, mismatched n.
    TypeError
        Labels that are not integers.
    """
    reduction = check_reduction(reduction)
    Z = as_real_array(logits, "logits", ndim=(1, 2), allow_nan=True, allow_inf=True, copy=False)
    Z = Z.reshape(1, -1) if Z.ndim == 1 else Z  # a view: Z is never written to
    n, K = Z.shape
    labels, Y = _targets(y, n, K, "logits")
    losses = np.empty(n)
    with np.errstate(over="ignore"):  # max − z_y beyond 1.8e308 is an inf loss, correctly rounded
        for blk, m, s in _blocks(Z, None, 1.0, Z, 1, "logits"):  # s = z − max, (b, K), ≤ 0
            if labels is not None:
                # −log_softmax(z)_y = (max − z_y) + log Σ e^{z − max}: no (n, K) temporary
                z_y = Z[blk][np.arange(s.shape[0]), labels[blk]]
                np.exp(s, out=s)
                losses[blk] = (m[:, 0] - z_y) + np.log(_rowsum(s)[:, 0])
            else:
                log_p = s - np.log(_rowsum(np.exp(s)))
                losses[blk] = -np.sum(_xlogy_logs(Y[blk], log_p), axis=1)
    return apply_reduction(losses + 0.0, reduction)


def _xlogy_logs(Y: np.ndarray, logP: np.ndarray) -> np.ndarray:
    """Y · logP with 0 · (−inf) = 0 (masked classes with no target weight)."""
    with np.errstate(invalid="ignore"):
        out = Y * logP
    return np.where(Y == 0, 0.0, out)
