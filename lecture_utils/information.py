"""Entropy, KL divergence and cross-entropy between distributions; loss gradients at the logit.

Introduced in 06_cross_entropy. All logarithms are natural (nats) unless ``base`` is given.

* H(p)    = −Σ_j p_j · log p_j                 (entropy: the uncertainty in p itself)
* KL(p‖q) =  Σ_j p_j · log(p_j / q_j)          (how far q is from p; ≥ 0, = 0 iff q = p)
* H(p, q) = −Σ_j p_j · log q_j = H(p) + KL(p‖q) (cross-entropy)

Conventions: 0 · log 0 = 0 and 0 · log(0 / q) = 0 (a class p gives no weight costs nothing);
a class with p_j > 0 = q_j gives ``inf`` — nothing is clipped.

For the "why not squared error" comparison, the derivatives with respect to the logit z of a
sigmoid output p̂ = σ(z) are

* binary cross-entropy:  ∂/∂z −[y log σ(z) + (1 − y) log(1 − σ(z))] = σ(z) − y
* squared error:         ∂/∂z (σ(z) − y)² = 2 (σ(z) − y) · σ(z) (1 − σ(z))

The factor σ(z)(1 − σ(z)) ≤ 1/4 vanishes for large |z|, even when the model is confidently
*wrong*: squared error stops learning exactly where it should learn most.

>>> from lecture_utils.information import entropy, kl_divergence, cross_entropy_between
>>> y, p = [0.7, 0.2, 0.1], [0.5, 0.3, 0.2]
>>> round(cross_entropy_between(y, p) - (entropy(y) + kl_divergence(y, p)), 12)
0.0
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._checks import as_real_array, describe
from .activations import sigmoid
from .softmax import softmax

__all__ = [
    "entropy", "kl_divergence", "cross_entropy_between",
    "bce_logit_loss", "bce_logit_grad", "squared_error_logit_loss", "squared_error_logit_grad",
    "softmax_squared_error_grad", "bernoulli_expected_ce", "bernoulli_expected_accuracy",
]

_SUM_TOL = 1e-6


def _distribution(p: Any, name: str) -> np.ndarray:
    """A probability vector (K,) or a batch of them (n, K): entries in [0, 1], rows sum to 1."""
    arr = as_real_array(p, name, ndim=(1, 2), allow_inf=False)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must hold probabilities in [0, 1]; {name}{list(idx)} = {float(arr[idx])!r}. "
            "If these are raw scores, apply softmax first."
        )
    sums = arr.sum(axis=-1)
    if np.any(np.abs(sums - 1) > _SUM_TOL):
        where = "" if arr.ndim == 1 else f" (row {int(np.argmax(np.abs(sums - 1)))})"
        worst = float(np.atleast_1d(sums)[np.argmax(np.abs(np.atleast_1d(sums) - 1))])
        raise ValueError(
            f"{name} must sum to 1 along its last axis; it sums to {worst:.6g}{where}. "
            f"Normalise it: {name} / {name}.sum(axis=-1, keepdims=True)."
        )
    return arr


def _pair(p: Any, q: Any, names: tuple[str, str] = ("p", "q")) -> tuple[np.ndarray, np.ndarray]:
    P, Q = _distribution(p, names[0]), _distribution(q, names[1])
    if P.shape != Q.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape (the same classes); got "
            f"{names[0]} {P.shape} and {names[1]} {Q.shape}."
        )
    return P, Q


def _log_base(base: float | None) -> float:
    if base is None:
        return 1.0
    if isinstance(base, bool) or not isinstance(base, (int, float, np.integer, np.floating)):
        raise TypeError(f"base must be a number such as 2 or math.e; got {describe(base)}.")
    if not base > 0 or base == 1 or not math.isfinite(base):
        raise ValueError(f"base must be a finite number > 0 and ≠ 1; got {base!r}.")
    return math.log(base)


def _result(values: np.ndarray) -> float | np.ndarray:
    values = values + 0.0  # −0.0 → 0.0
    return float(values) if values.ndim == 0 else values


def entropy(p: Any, base: float | None = None) -> float | np.ndarray:
    """Entropy H(p) = −Σ_j p_j log p_j, with 0 · log 0 = 0.

    Parameters
    ----------
    p : array_like, shape (K,) or (n, K)
        A distribution (or one per row): entries in [0, 1] summing to 1.
    base : float, optional
        Logarithm base (2 for bits); natural log (nats) by default.

    Returns
    -------
    float for 1-D ``p``; ndarray of shape (n,) for 2-D ``p``
        Between 0 (one-hot) and log K (uniform).

    Raises
    ------
    ValueError
        Entries outside [0, 1], rows not summing to 1 (within 1e-6), NaN, inf, empty input.
    TypeError
        Non-numeric input.
    """
    P = _distribution(p, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P > 0, -P * np.log(np.where(P > 0, P, 1.0)), 0.0)
    return _result(np.sum(terms, axis=-1) / _log_base(base))


def kl_divergence(p: Any, q: Any, base: float | None = None) -> float | np.ndarray:
    """Kullback–Leibler divergence KL(p‖q) = Σ_j p_j log(p_j / q_j).

    Terms with p_j = 0 are 0; a term with p_j > 0 = q_j makes the result ``inf``.
    Not symmetric: KL(p‖q) ≠ KL(q‖p) in general.

    Parameters
    ----------
    p, q : array_like, same shape (K,) or (n, K)
        Distributions over the same K classes (``p`` the actual one, ``q`` the model's).
    base : float, optional
        Logarithm base; natural log by default.

    Returns
    -------
    float for 1-D input; ndarray of shape (n,) for 2-D input
        ≥ 0, and = 0 exactly when p = q.

    Raises
    ------
    ValueError
        As :func:`entropy`, or ``p`` and ``q`` of different shapes.
    """
    P, Q = _pair(p, q)
    pos = P > 0
    safe_p, safe_q = np.where(pos, P, 1.0), np.where(Q > 0, Q, 1.0)
    with np.errstate(over="ignore", divide="ignore"):
        ratio = safe_p / safe_q  # overflows only for a subnormal q: then use log p − log q
        log_ratio = np.where(np.isfinite(ratio), np.log(ratio), np.log(safe_p) - np.log(safe_q))
    terms = np.where(pos, P * log_ratio, 0.0)
    terms = np.where(pos & (Q == 0), np.inf, terms)
    # each term can be negative, but their sum cannot: clip the rounding error at 0
    return _result(np.maximum(np.sum(terms, axis=-1), 0.0) / _log_base(base))


def cross_entropy_between(p: Any, q: Any, base: float | None = None) -> float | np.ndarray:
    """Cross-entropy H(p, q) = −Σ_j p_j log q_j = H(p) + KL(p‖q).

    With a one-hot ``p`` this is the classification loss −log q_true; unlike
    :func:`lecture_utils.cross_entropy` it takes soft targets as well and does not average.

    Parameters
    ----------
    p, q : array_like, same shape (K,) or (n, K)
        The actual distribution ``p`` and the predicted ``q``.
    base : float, optional
        Logarithm base; natural log by default.

    Returns
    -------
    float for 1-D input; ndarray of shape (n,) for 2-D input
        ≥ H(p); ``inf`` where some q_j = 0 < p_j.

    Raises
    ------
    ValueError
        As :func:`kl_divergence`.
    """
    P, Q = _pair(p, q)
    pos = P > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(pos, -P * np.log(np.where(Q > 0, Q, 1.0)), 0.0)
    terms = np.where(pos & (Q == 0), np.inf, terms)
    return _result(np.sum(terms, axis=-1) / _log_base(base))


# -- one sigmoid output: losses and their gradients with respect to the logit -----------------

def _logit_and_label(z: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    Z = as_real_array(z, "z", allow_inf=False)
    Y = as_real_array(y, "y", allow_inf=False)
    if ((Y < 0) | (Y > 1)).any():
        raise ValueError(f"y must be a label 0 or 1 (or a soft label in [0, 1]); got {describe(y)}.")
    try:
        Z, Y = np.broadcast_arrays(Z, Y)
    except ValueError:
        raise ValueError(f"z and y must have broadcastable shapes; got z {Z.shape} and y {Y.shape}.") from None
    return Z, Y


def bce_logit_loss(z: Any, y: Any) -> np.ndarray:
    """Binary cross-entropy of p̂ = σ(z), computed stably from the logit z.

    Uses −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − y·z + log(1 + e^{−|z|}), which is
    finite for every finite z (log σ(z) itself underflows to −inf below z ≈ −745).

    Parameters
    ----------
    z : array_like
        Logits, any shape.
    y : array_like
        Labels in [0, 1], broadcastable against ``z``.

    Returns
    -------
    ndarray, the broadcast shape (0-d for scalars)
    """
    Z, Y = _logit_and_label(z, y)
    return np.maximum(Z, 0.0) - Y * Z + np.log1p(np.exp(-np.abs(Z)))


def bce_logit_grad(z: Any, y: Any) -> np.ndarray:
    """∂ BCE(y, σ(z)) / ∂z = σ(z) − y: the error itself, never smaller than the mistake.

    Shapes as :func:`bce_logit_loss`.
    """
    Z, Y = _logit_and_label(z, y)
    return _error(Z, Y)


def _error(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """σ(z) − y without cancellation: σ(z) − y = (1 − y)·σ(z) − y·σ(−z), since σ(z) + σ(−z) = 1
    (σ(z) − 1 would lose every digit of σ(−z) once σ(z) rounds to 1)."""
    return (1.0 - Y) * sigmoid(Z) - Y * sigmoid(-Z)


def squared_error_logit_loss(z: Any, y: Any) -> np.ndarray:
    """Squared error (σ(z) − y)² of a sigmoid output, as a function of the logit z."""
    Z, Y = _logit_and_label(z, y)
    return _error(Z, Y) ** 2


def squared_error_logit_grad(z: Any, y: Any) -> np.ndarray:
    """∂ (σ(z) − y)² / ∂z = 2 (σ(z) − y) · σ(z)(1 − σ(z)).

    The factor σ(1 − σ) ≤ 1/4 tends to 0 as |z| grows — also when the prediction is
    confidently wrong, so the gradient vanishes where the error is largest. 1 − σ(z) is
    computed as σ(−z), so the tails keep full relative accuracy (at z = 35, y = 0 the naive
    form is off by 6 %).
    """
    Z, Y = _logit_and_label(z, y)
    return 2.0 * _error(Z, Y) * sigmoid(Z) * sigmoid(-Z)


def softmax_squared_error_grad(logits: Any, y: Any) -> np.ndarray:
    """∂ ‖softmax(z) − y‖² / ∂z for each row: 2 s ⊙ (d − ⟨s, d⟩) with s = softmax(z), d = s − y.

    Compare with the cross-entropy gradient softmax(z) − y: when the model is confidently wrong
    (s close to a wrong one-hot vector) this one is close to 0.

    Parameters
    ----------
    logits : array_like, shape (K,) or (n, K)
    y : array_like, same shape
        One-hot (or soft) targets.

    Returns
    -------
    ndarray, same shape as ``logits``
    """
    Z = as_real_array(logits, "logits", ndim=(1, 2), allow_inf=False)
    Y = _distribution(y, "y")
    if Y.shape != Z.shape:
        raise ValueError(f"y must have the same shape as logits; got y {Y.shape} and logits {Z.shape}.")
    s = softmax(Z, axis=-1)
    d = s - Y
    return 2.0 * s * (d - np.sum(s * d, axis=-1, keepdims=True))


# -- a proper scoring rule: the expected loss when the truth is itself random ------------------

def _q_and_p(q: Any, p: Any) -> tuple[np.ndarray, np.ndarray]:
    Q = as_real_array(q, "q", allow_inf=False)
    P = as_real_array(p, "p", allow_inf=False)
    for name, arr in (("q", Q), ("p", P)):
        if ((arr < 0) | (arr > 1)).any():
            raise ValueError(f"{name} must be a probability in [0, 1]; got values from {arr.min():g} to {arr.max():g}.")
    try:
        return tuple(np.broadcast_arrays(Q, P))  # type: ignore[return-value]
    except ValueError:
        raise ValueError(f"q and p must have broadcastable shapes; got q {Q.shape} and p {P.shape}.") from None


def bernoulli_expected_ce(q: Any, p: Any) -> np.ndarray:
    """Expected binary cross-entropy E_{y~Bernoulli(q)}[−y log p − (1 − y) log(1 − p)].

    = −q log p − (1 − q) log(1 − p) = H(q) + KL(q‖p) for the two-class distributions (1 − q, q)
    and (1 − p, p), so it is smallest exactly at p = q, where it equals the entropy H(q):
    cross-entropy is a *proper scoring rule* — predicting the true probability pays best.
    (06_cross_entropy.)

    Parameters
    ----------
    q : array_like in [0, 1]
        The true probability that y = 1.
    p : array_like in [0, 1]
        The predicted probability of y = 1; broadcastable against ``q``.

    Returns
    -------
    ndarray, the broadcast shape
        ``inf`` where p gives probability 0 to an outcome that can happen (0 · log 0 counts as 0).

    Raises
    ------
    ValueError
        Values outside [0, 1], NaN, shapes that do not broadcast.
    """
    Q, P = _q_and_p(q, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        one = np.where(Q > 0, -Q * np.log(np.where(P > 0, P, 1.0)), 0.0)
        zero = np.where(Q < 1, -(1 - Q) * np.log1p(-np.where(P < 1, P, 0.0)), 0.0)
    out = one + zero
    out = np.where(((Q > 0) & (P == 0)) | ((Q < 1) & (P == 1)), np.inf, out)
    return out + 0.0


def bernoulli_expected_accuracy(q: Any, p: Any) -> np.ndarray:
    """Expected 0-1 accuracy of predicting class 1 when p > ½ and class 0 when p < ½, y ~ Bernoulli(q).

    q for p > ½, 1 − q for p < ½ and ½ at p = ½ (a fair coin breaks the tie): flat on each side
    of ½, so accuracy cannot tell p = 0.51 from p = 0.99 — it is not a proper scoring rule.
    Arguments and errors as :func:`bernoulli_expected_ce`.
    """
    Q, P = _q_and_p(q, p)
    return np.where(P > 0.5, Q, np.where(P < 0.5, 1 - Q, 0.5)) + 0.0
