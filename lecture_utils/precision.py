"""Softmax in a chosen floating type: where each formula breaks (05_softmax, stability lab).

:func:`lecture_utils.softmax` always computes in float64. To show *where* float16, float32
and float64 break, the functions here run the same formulas in the dtype you pick:

* the textbook formula e^{z_i} / Σ e^{z_j} overflows once some z_i > log(max float)
  (≈ 11.1 in float16, 88.7 in float32, 709.8 in float64) → inf / inf = nan;
* the max-shifted formula e^{z_i − m} / Σ e^{z_j − m} never overflows: it only fails when the
  logit itself cannot be stored (|z| > 65 504 in float16, 3.4e38 in float32, 1.8e308 in float64),
  although float16 rounds logits near 1000 to steps of 0.5;
* log(softmax(z)) underflows to −inf once a probability is below the smallest positive number
  (e^−16.6 in float16, e^−103.3 in float32, e^−744.4 in float64), while
  log_softmax = (z − m) − log Σ e^{z_j − m} stays finite.

>>> import numpy as np
>>> from lecture_utils.precision import stable_softmax_in
>>> stable_softmax_in([1000.0, 4.0, 2.0], np.float16).tolist()
[1.0, 0.0, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import as_real_array
from .softmax import _check_axis, naive_softmax

__all__ = ["DTYPES", "as_float_dtype", "stable_softmax_in", "log_softmax_in", "log_of_softmax_in",
           "BreakingPoints", "breaking_points", "StabilityResult", "compute_stability"]

#: The three floating types of the lab, by name.
DTYPES: dict[str, type] = {"float16": np.float16, "float32": np.float32, "float64": np.float64}


def as_float_dtype(dtype: Any) -> np.dtype:
    """``np.float16`` / ``np.float32`` / ``np.float64`` (or their names) as a numpy dtype.

    Raises
    ------
    TypeError
        Anything else, e.g. an integer type, ``None`` or "float128".
    """
    if dtype is None:
        raise TypeError(f"dtype must be one of {sorted(DTYPES)}; got None.")
    try:
        dt = np.dtype(DTYPES.get(dtype, dtype) if isinstance(dtype, str) else dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in DTYPES:
        raise TypeError(f"dtype must be one of {sorted(DTYPES)}; got {dtype!r}.")
    return dt


def _in_dtype(z: Any, dtype: Any, axis: Any = -1) -> tuple[np.ndarray, np.dtype]:
    dt = as_float_dtype(dtype)
    z = as_real_array(z, "z", allow_inf=False)
    if z.ndim == 0:
        raise ValueError(f"z must have at least one axis of scores; got the single number {float(z)!r}.")
    _check_axis(axis, z.ndim, z.shape, "z")
    with np.errstate(over="ignore"):
        return z.astype(dt), dt  # logits too large for the dtype become ±inf: that is the lesson


def stable_softmax_in(z: Any, dtype: Any, axis: int = -1) -> np.ndarray:
    """Max-shifted softmax e^{z − max z} / Σ e^{z − max z}, every step in ``dtype``.

    Parameters
    ----------
    z : array_like, at least 1-D
        Finite logits (they are rounded to ``dtype`` first).
    dtype : float16, float32 or float64
    axis : int
        The class axis; TypeError / ValueError if not an axis of ``z``.

    Returns
    -------
    ndarray of ``dtype``, same shape as ``z``
        NaN only where a logit does not fit in ``dtype`` (|z| > its largest number).
    """
    zd, _ = _in_dtype(z, dtype, axis)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(zd - np.max(zd, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax_in(z: Any, dtype: Any, axis: int = -1) -> np.ndarray:
    """log-softmax (z − m) − log Σ e^{z − m} in ``dtype``: finite for every storable logit."""
    zd, _ = _in_dtype(z, dtype, axis)
    with np.errstate(over="ignore", invalid="ignore"):
        s = zd - np.max(zd, axis=axis, keepdims=True)
        return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def log_of_softmax_in(z: Any, dtype: Any, axis: int = -1) -> np.ndarray:
    """np.log(stable softmax) in ``dtype``: −inf wherever the probability underflowed to 0."""
    p = stable_softmax_in(z, dtype, axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(p)


@dataclass(frozen=True)
class BreakingPoints:
    """Where each formula breaks in one dtype (all in units of logits).

    naive_overflow : the textbook e^z is inf beyond this z (= log of the largest number).
    log_underflow : log(softmax) is −inf once a logit trails the largest by more than this
        (= log 2 − log of the smallest positive subnormal number: below half of it, e^(−gap)
        rounds to 0).
    max_logit : the max-shift itself fails only for |z| beyond this (the largest number).
    spacing_at_1000 : the gap between neighbouring numbers near 1000 (rounding of the logits).
    """

    dtype: str
    naive_overflow: float
    log_underflow: float
    max_logit: float
    spacing_at_1000: float


def breaking_points(dtype: Any) -> BreakingPoints:
    """The :class:`BreakingPoints` of float16, float32 or float64."""
    dt = as_float_dtype(dtype)
    info = np.finfo(dt)
    return BreakingPoints(
        dtype=dt.name,
        naive_overflow=float(np.log(np.float64(info.max))),
        log_underflow=float(np.log(2.0) - np.log(np.float64(info.smallest_subnormal))),
        max_logit=float(info.max),
        spacing_at_1000=float(np.spacing(dt.type(1000))),
    )


@dataclass(frozen=True)
class StabilityResult:
    """Every formula on the same logits in one dtype, with the float64 reference."""

    z: np.ndarray
    dtype: str
    naive: np.ndarray
    stable: np.ndarray
    log_of_softmax: np.ndarray
    log_softmax: np.ndarray
    reference: np.ndarray
    reference_log: np.ndarray

    @property
    def naive_broken(self) -> bool:
        return bool(not np.all(np.isfinite(self.naive)))

    @property
    def log_of_softmax_broken(self) -> bool:
        return bool(not np.all(np.isfinite(self.log_of_softmax)))


def compute_stability(z: Any, dtype: Any) -> StabilityResult:
    """Run the naive and stable softmax, log(softmax) and log_softmax on ``z`` (1-D) in ``dtype``.

    The reference is the max-shifted formula in float64.

    Raises
    ------
    ValueError
        ``z`` not 1-D or not finite. TypeError: an unknown dtype.
    """
    dt = as_float_dtype(dtype)
    z = as_real_array(z, "z", ndim=1, allow_inf=False)
    return StabilityResult(
        z=z, dtype=dt.name,
        naive=naive_softmax(z, dtype=dt),
        stable=stable_softmax_in(z, dt),
        log_of_softmax=log_of_softmax_in(z, dt),
        log_softmax=log_softmax_in(z, dt),
        reference=stable_softmax_in(z, np.float64),
        reference_log=log_softmax_in(z, np.float64),
    )
