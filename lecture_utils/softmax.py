"""Softmax, log-softmax and log-sum-exp, stable for any finite input (04_softmax).

The trick is the max-shift: softmax(z) = softmax(z − max z), so the largest exponent is
e^0 = 1 and nothing can overflow. ``-inf`` is allowed as a mask (that entry gets probability 0);
NaN and ``+inf`` are refused, and so is a row with no finite entry.

>>> from lecture_utils import softmax
>>> softmax([5.0, 4.0, 2.0]).round(2).tolist()   # the lecture's cat / dog / horse scores
[0.71, 0.26, 0.04]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import as_real_array, check_positive_number

__all__ = ["logsumexp", "softmax", "log_softmax", "naive_softmax", "softmax_jacobian"]


def _logits(z: Any, axis: int, name: str = "z") -> tuple[np.ndarray, int]:
    z = as_real_array(z, name, allow_inf=False, allow_neg_inf=True)
    if z.ndim == 0:
        raise ValueError(f"{name} must have at least one axis of scores; got the single number {float(z)!r}.")
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"axis must be an integer; got {axis!r}.")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis {axis} is out of range for {name} of shape {z.shape} ({z.ndim}-D).")
    axis = int(axis) % z.ndim
    if np.isneginf(z).all(axis=axis).any():
        raise ValueError(
            f"a row of {name} (along axis {axis}) is all -inf: every entry is masked, so there is "
            "no distribution to normalise. Leave at least one entry finite."
        )
    return z, axis


def _shifted(z: np.ndarray, axis: int, temperature: float) -> np.ndarray:
    """(z − max z) / T: every entry ≤ 0 with a 0 in each row; overflow only towards −inf."""
    m = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        s = z - m  # huge negative gaps may round to -inf: that entry's probability is 0 anyway
        if temperature != 1.0:
            s = s / temperature
    s[np.isnan(s)] = -np.inf  # only -inf - (-inf) cannot occur (rows are not all -inf); belt and braces
    return s


def logsumexp(z: Any, axis: int = -1) -> np.ndarray:
    """log Σ_j e^{z_j} along ``axis``, computed as max + log Σ e^{z − max}.

    Parameters
    ----------
    z : array_like, at least 1-D
    axis : int

    Returns
    -------
    ndarray
        ``z`` with ``axis`` removed (a 0-d array for 1-D input).
    """
    z, axis = _logits(z, axis)
    m = np.max(z, axis=axis, keepdims=True)
    s = _shifted(z, axis, 1.0)
    out = np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(s), axis=axis))
    return np.asarray(out, dtype=np.float64)


def softmax(z: Any, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Softmax P_i = e^{z_i / T} / Σ_j e^{z_j / T} along ``axis`` (stable: max-shifted).

    Parameters
    ----------
    z : array_like, at least 1-D
        Scores (logits); ``-inf`` masks an entry.
    axis : int
        The axis holding the classes (default: the last).
    temperature : float > 0
        T < 1 sharpens towards the one-hot argmax, T > 1 flattens towards uniform.

    Returns
    -------
    ndarray, same shape as ``z``
        Non-negative, sums to 1 along ``axis``.

    Raises
    ------
    ValueError
        NaN or +inf in ``z``, a row that is all -inf, ``temperature <= 0``.
    """
    T = check_positive_number(temperature, "temperature")
    z, axis = _logits(z, axis)
    e = np.exp(_shifted(z, axis, T))  # largest entry is e^0 = 1
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z: Any, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """log softmax(z) computed directly as (z − max) − log Σ e^{z − max}: finite where
    log(softmax(z)) would underflow to −inf. Masked (-inf) entries stay −inf."""
    T = check_positive_number(temperature, "temperature")
    z, axis = _logits(z, axis)
    s = _shifted(z, axis, T)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def naive_softmax(z: Any, axis: int = -1, dtype: Any = np.float64) -> np.ndarray:
    """The textbook formula e^{z_i} / Σ_j e^{z_j} with no max-shift — for showing what breaks.

    Overflows to ``inf`` / ``nan`` once some z_i > ~709 in float64 (~88 in float32, ~11 in
    float16); warnings are silenced because the broken output *is* the lesson. ``dtype`` picks
    the floating type the computation runs in (float16, float32 or float64).
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating type such as np.float32; got {dtype}.")
    z = as_real_array(z, "z", allow_inf=False, allow_neg_inf=True)
    if z.ndim == 0:
        raise ValueError("z must have at least one axis of scores; got a single number.")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(z.astype(dtype))
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z: Any, temperature: float = 1.0) -> np.ndarray:
    """The Jacobian ∂softmax(z)_i / ∂z_j = (s_i (δ_ij − s_j)) / T for one score vector.

    Parameters
    ----------
    z : array_like, shape (K,)

    Returns
    -------
    ndarray, shape (K, K)
        Symmetric; every row and column sums to 0.
    """
    z = as_real_array(z, "z", ndim=1, allow_inf=False, allow_neg_inf=True)
    s = softmax(z, temperature=temperature)
    T = float(temperature)
    return (np.diag(s) - np.outer(s, s)) / T
