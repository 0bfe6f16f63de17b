"""Finite-difference gradient checks (used in 05, 06 and 07).

>>> import numpy as np
>>> from lecture_utils.gradcheck import numerical_gradient, relative_error
>>> g = numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0]))
>>> relative_error(g, np.array([2.0, -4.0])) < 1e-8
True
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._checks import as_real_array, check_positive_number, describe

__all__ = ["numerical_gradient", "numerical_jacobian", "relative_error"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: Any, eps: float = 1e-6) -> np.ndarray:
    """Central differences (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps) for every entry of ``x``.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a number.
    x : array_like
        The point; not modified.
    eps : float
        Step; 1e-6 balances truncation and rounding error in float64.

    Returns
    -------
    ndarray, same shape as ``x``
    """
    eps = check_positive_number(eps, "eps")
    if not callable(f):
        raise TypeError(f"f must be a function of x; got {describe(f)}.")
    x = as_real_array(x, "x", allow_inf=False)  # our copy: the caller's x is never touched
    if not np.isfinite(x + eps).all() or not np.isfinite(x - eps).all():
        raise ValueError(f"x ± eps overflows float64 (eps = {eps:g}); use a small step such as 1e-6.")
    grad = np.zeros_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        with np.errstate(all="ignore"):  # an overflow in f is reported below, once
            flat[i] = old + eps
            f_plus = _scalar(f(x))
            flat[i] = old - eps
            f_minus = _scalar(f(x))
            flat[i] = old
            g[i] = (f_plus - f_minus) / (2 * eps)
    if not np.isfinite(grad).all():
        raise ValueError("the finite differences are not finite: f returned NaN or ±inf near x, or its "
                         "values are too large to subtract — check f at x.")
    return grad


def _scalar(value: Any) -> float:
    if value is None:
        raise TypeError("f returned None: it must *return* a number (e.g. `return loss`), not print it.")
    if isinstance(value, (str, bytes, bool, np.bool_)) or np.asarray(value).dtype.kind not in "iuf":
        raise TypeError(f"f must return a number (e.g. a loss); it returned {describe(value)}.")
    if np.size(value) != 1:
        raise ValueError(
            f"f must return a single number (e.g. a loss); it returned shape {np.shape(value)}. "
            "Use numerical_jacobian for vector-valued functions, or sum the output."
        )
    return float(np.asarray(value, dtype=float).reshape(()))


def numerical_jacobian(f: Callable[[np.ndarray], np.ndarray], x: Any, eps: float = 1e-6) -> np.ndarray:
    """J[i, j] = ∂f(x)_i / ∂x_j by central differences, for 1-D ``x`` and 1-D ``f(x)``."""
    eps = check_positive_number(eps, "eps")
    if not callable(f):
        raise TypeError(f"f must be a function of x; got {describe(f)}.")
    x = as_real_array(x, "x", ndim=1, allow_inf=False)
    if not np.isfinite(x + eps).all() or not np.isfinite(x - eps).all():
        raise ValueError(f"x ± eps overflows float64 (eps = {eps:g}); use a small step such as 1e-6.")
    cols = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        with np.errstate(all="ignore"):  # an overflow in f is reported below, once
            cols.append((_vector(f(x + step)) - _vector(f(x - step))) / (2 * eps))
    J = np.stack(cols, axis=1)
    if not np.isfinite(J).all():
        raise ValueError("the finite differences are not finite: f returned NaN or ±inf near x — check f at x.")
    return J


def _vector(value: Any) -> np.ndarray:
    if value is None:
        raise TypeError("f returned None: it must *return* its output vector, not print it.")
    out = as_real_array(value, "f(x)", allow_inf=True, allow_nan=True)
    if out.ndim != 1:
        raise ValueError(f"f must return a 1-D vector for numerical_jacobian; it returned shape {out.shape}.")
    return out


def relative_error(a: Any, b: Any) -> float:
    """‖a − b‖ / max(‖a‖ + ‖b‖, 1e-300): about 1e-7 or less means two gradients agree.

    Norm-based, so entries that are both nearly zero cannot inflate it.
    """
    a = as_real_array(a, "a", allow_inf=False)
    b = as_real_array(b, "b", allow_inf=False)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape to compare; got {a.shape} and {b.shape}.")
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))))
    if scale == 0.0:
        return 0.0
    a, b = a / scale, b / scale  # entries in [-1, 1]: the norms cannot overflow
    denom = max(float(np.linalg.norm(a) + np.linalg.norm(b)), 1e-300)
    return float(np.linalg.norm(a - b) / denom)
