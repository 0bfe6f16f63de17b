"""Softmax, log-softmax and log-sum-exp, stable for any finite input (05_softmax).

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

from ._checks import as_real_array, check_positive_number, check_values

__all__ = ["logsumexp", "softmax", "log_softmax", "naive_softmax", "softmax_jacobian"]


def _check_axis(axis: Any, ndim: int, shape: tuple[int, ...], name: str) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, (bool, np.bool_)):
        raise TypeError(f"axis must be an integer such as -1 (the last axis); got {axis!r}.")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"axis {axis} is out of range for {name} of shape {shape} ({ndim}-D); "
            f"use an axis from {-ndim} to {ndim - 1}."
        )
    return int(axis) % ndim


_BLOCK = 1 << 16  # scores per block of rows (512 KB): a block stays in cache between passes


def _logits(z: Any, axis: Any, name: str = "z") -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Scores as an (n, K) array of rows with the class axis last, plus ``axis``'s shape.

    The rows are a read-only view of the caller's array when possible (never written to).
    Values are checked block by block in :func:`_blocks`, from the row max alone.
    """
    z = as_real_array(z, name, allow_nan=True, allow_inf=True, copy=False)
    if z.ndim == 0:
        raise ValueError(
            f"{name} must have at least one axis of scores; got the single number {float(z)!r}. "
            "Pass all the class scores together, e.g. [2.0, 1.0, 0.1]."
        )
    axis = _check_axis(axis, z.ndim, z.shape, name)
    moved = np.moveaxis(z, axis, -1)
    return z, moved.reshape(-1, moved.shape[-1]), moved.shape


def _bad_scores(z: np.ndarray, axis: int, name: str) -> ValueError:
    """The error for scores whose row max is not finite: NaN, +inf, or a row all -inf."""
    check_values(z, name, allow_nan=False, allow_inf=False, allow_neg_inf=True)
    row = tuple(int(i) for i in np.argwhere(np.isneginf(np.max(z, axis=axis)))[0])
    idx = [str(i) for i in row]
    idx.insert(axis % z.ndim, ":")
    where = f"{name}[{', '.join(idx)}]" if row else name  # e.g. z[1, :] or z[:, 1]
    return ValueError(
        f"{where} is all -inf: every entry is masked, so there is no distribution to "
        "normalise. Leave at least one entry finite."
    )


def _blocks(rows: np.ndarray, out: np.ndarray | None, T: float, z: np.ndarray, axis: int, name: str):
    """For each block of rows yield (rows slice, row max (b, 1), (z − max) / T (b, K)).

    The shifted block is written into ``out`` (or a reused scratch buffer when ``out`` is
    None). Every entry is ≤ 0 with a 0 in each row. NaN, +inf and all -inf rows show up in
    the row max (NaN propagates, +inf is the max, an all -inf row has max -inf), so the
    validation costs no extra pass. A gap wider than 1.8e308, or a tiny T, rounds to −inf:
    the exact value is below −1.8e308, so that entry's probability is 0 either way.
    """
    n, K = rows.shape
    step = max(1, _BLOCK // K)
    scratch = np.empty((min(step, n), K)) if out is None else None
    for i in range(0, n, step):
        b = slice(i, i + step)
        zb = rows[b]
        m = np.max(zb, axis=1, keepdims=True)
        if not np.isfinite(m).all():
            raise _bad_scores(z, axis, name)
        sb = out[b] if out is not None else scratch[: zb.shape[0]]
        with np.errstate(over="ignore"):
            np.subtract(zb, m, out=sb)
            if T != 1.0:
                np.divide(sb, T, out=sb)
        yield b, m, sb


def _rowsum(e: np.ndarray) -> np.ndarray:
    """Σ along the last axis of a 2-D block, keepdims. einsum is ~4x faster than np.sum over
    a short row (one accumulator per row, not one reduction call per row); pairwise np.sum
    is kept for long rows, where its smaller rounding error matters."""
    if e.shape[1] <= 1024:
        return np.einsum("ij->i", e)[:, np.newaxis]
    return np.sum(e, axis=1, keepdims=True)


def _restore(out: np.ndarray, shape: tuple[int, ...], axis: int) -> np.ndarray:
    return np.moveaxis(out.reshape(shape), -1, axis)


def logsumexp(z: Any, axis: int = -1) -> np.ndarray:
    """log Σ_j e^{z_j} along ``axis``, computed as max + log Σ e^{z − max}.

    Parameters
    ----------
    z : array_like, at least 1-D
        Finite scores; ``-inf`` entries contribute e^{-inf} = 0.
    axis : int

    Returns
    -------
    ndarray
        ``z`` with ``axis`` removed (a 0-d array for 1-D input).

    Raises
    ------
    ValueError
        NaN or +inf in ``z``, a row that is all -inf, empty or 0-d ``z``, a bad axis.
    """
    z, rows, shape = _logits(z, axis)
    out = np.empty(rows.shape[0])
    for b, m, sb in _blocks(rows, None, 1.0, z, axis, "z"):
        np.exp(sb, out=sb)
        out[b] = m[:, 0] + np.log(_rowsum(sb)[:, 0])  # log of a number in [1, K]
    return out.reshape(shape[:-1])


def softmax(z: Any, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Softmax P_i = e^{z_i / T} / Σ_j e^{z_j / T} along ``axis`` (stable: max-shifted).

    Parameters
    ----------
    z : array_like, at least 1-D
        Scores (logits); ``-inf`` masks an entry (probability exactly 0).
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
        NaN or +inf in ``z``, a row that is all -inf, ``temperature <= 0``, empty input.
    """
    T = check_positive_number(temperature, "temperature")
    z, rows, shape = _logits(z, axis)
    out = np.empty(rows.shape)
    for _, _, sb in _blocks(rows, out, T, z, axis, "z"):
        np.exp(sb, out=sb)  # largest entry is e^0 = 1, so the row sum is in [1, K]
        np.divide(sb, _rowsum(sb), out=sb)
    return _restore(out, shape, axis)


def log_softmax(z: Any, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """log softmax(z) computed directly as (z − max) − log Σ e^{z − max}.

    Finite where ``log(softmax(z))`` would underflow to −inf (e.g. logits ±1e300); masked
    (-inf) entries stay −inf. Same arguments, shapes and errors as :func:`softmax`.
    """
    T = check_positive_number(temperature, "temperature")
    z, rows, shape = _logits(z, axis)
    out = np.empty(rows.shape)
    scratch = np.empty((min(max(1, _BLOCK // rows.shape[1]), rows.shape[0]), rows.shape[1]))
    for _, _, sb in _blocks(rows, out, T, z, axis, "z"):
        e = np.exp(sb, out=scratch[: sb.shape[0]])
        sb -= np.log(_rowsum(e))  # log of a number in [1, K]
    return _restore(out, shape, axis)


def naive_softmax(z: Any, axis: int = -1, dtype: Any = np.float64) -> np.ndarray:
    """The textbook formula e^{z_i} / Σ_j e^{z_j} with no max-shift — for showing what breaks.

    Overflows to ``inf`` / ``nan`` once some z_i > ~709 in float64 (~88 in float32, ~11 in
    float16); warnings are silenced because the broken output *is* the lesson. ``dtype`` picks
    the floating type the computation runs in (float16, float32 or float64).
    """
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a floating type such as np.float32; got {dtype!r}.") from None
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating type such as np.float32; got {dtype}.")
    z = as_real_array(z, "z", allow_inf=False, allow_neg_inf=True)
    if z.ndim == 0:
        raise ValueError("z must have at least one axis of scores; got a single number.")
    axis = _check_axis(axis, z.ndim, z.shape, "z")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(z.astype(dtype))
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z: Any, temperature: float = 1.0) -> np.ndarray:
    """The Jacobian ∂softmax(z)_i / ∂z_j = (s_i (δ_ij − s_j)) / T for one score vector.

    Parameters
    ----------
    z : array_like, shape (K,)

    temperature : float > 0

    Returns
    -------
    ndarray, shape (K, K)
        Symmetric; every row and column sums to 0.

    Raises
    ------
    ValueError
        ``z`` not 1-D, NaN or +inf, all -inf, ``temperature <= 0``.
    """
    T = check_positive_number(temperature, "temperature")
    z = as_real_array(z, "z", ndim=1, allow_inf=False, allow_neg_inf=True, copy=False)
    s = softmax(z, temperature=T)
    return (np.diag(s) - np.outer(s, s)) / T
