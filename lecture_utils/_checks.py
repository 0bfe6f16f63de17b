"""Input checks shared by the public functions: messages written for a student to act on.

Every public function converts its inputs with :func:`as_real_array`, so lists, tuples and
arrays of any real dtype are accepted, the caller's array is never modified, and bad input
fails early with a message that says what was expected and what was given (with shapes).
"""

from __future__ import annotations

from numbers import Real
from typing import Any, Callable

import numpy as np

__all__ = [
    "as_real_array",
    "check_values",
    "as_label_array",
    "check_matrix",
    "check_reduction",
    "check_positive_number",
    "check_number",
    "check_whole_number",
    "check_rng",
    "check_class_labels",
    "check_size",
    "finite",
    "check_shape",
    "apply_reduction",
    "describe",
]


def describe(x: Any) -> str:
    """A short description of ``x`` for error messages: type, dtype and shape."""
    if isinstance(x, np.ndarray):
        plain = {"U": "strings, ", "S": "bytes, ", "O": "Python objects, "}.get(x.dtype.kind, "")
        return f"an array of {plain}dtype {x.dtype}, with shape {x.shape}"
    if isinstance(x, (list, tuple)):
        if len(x) == 0:
            return f"an empty {type(x).__name__}"
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError):  # ragged nested list
            return f"a ragged {type(x).__name__} of length {len(x)}"
        kind = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex",
                "U": "str", "S": "bytes", "O": "mixed objects"}.get(arr.dtype.kind, str(arr.dtype))
        return f"a {type(x).__name__} of {kind} with shape {arr.shape}"
    return f"{type(x).__name__} {x!r}"[:120]


def as_real_array(
    x: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_nan: bool = False,
    allow_inf: bool = True,
    allow_neg_inf: bool | None = None,
    allow_empty: bool = False,
    copy: bool = True,
) -> np.ndarray:
    """Convert ``x`` to a float64 array, or raise a message a student can act on.

    Parameters
    ----------
    x : array_like
        Numbers (bool, int or float). Strings, complex numbers and ragged lists are rejected.
    name : str
        The argument's name as the student knows it (``"X"``, ``"logits"``).
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    allow_nan, allow_inf : bool
        Whether NaN / infinite values are allowed.
    allow_neg_inf : bool, optional
        Overrides ``allow_inf`` for ``-inf`` only (softmax allows ``-inf`` as a mask).
    allow_empty : bool
        Whether an array with no elements is allowed.
    copy : bool
        ``True`` (default) always returns a new array the caller may modify. ``False`` may
        return ``x`` itself when it already is a float64 array: the caller must then treat the
        result as read-only (it is the student's array).

    Raises
    ------
    TypeError
        Non-numeric or complex input.
    ValueError
        Wrong number of dimensions, empty, NaN or infinite values.
    """
    try:
        arr = np.array(x, copy=True) if copy else np.asarray(x)
    except (ValueError, TypeError):  # ragged lists, odd objects
        raise TypeError(
            f"{name} must be a rectangular array of numbers; got {describe(x)}, which numpy "
            "cannot turn into one. Check that every row has the same length."
        ) from None
    if arr.dtype == object or arr.dtype.kind in "USVMm":
        raise TypeError(
            f"{name} must contain numbers (int or float); got {describe(x)}. "
            "Convert it with np.asarray(..., dtype=float) first."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real; got complex values ({describe(x)}).")
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            hint = ""
            if 2 in allowed and arr.ndim == 1:
                hint = (f" For a single example of {arr.shape[0]} features use "
                        f"{name}.reshape(1, -1) (shape (1, {arr.shape[0]})).")
            elif arr.ndim == 0 and 0 not in allowed:
                hint = " Wrap a single number in a list or array."
            raise ValueError(f"{name} must be {want}; got shape {arr.shape} ({arr.ndim}-D).{hint}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one value.")
    neg_ok = allow_inf if allow_neg_inf is None else allow_neg_inf
    if not (allow_nan and allow_inf and neg_ok) and not np.isfinite(arr).all():  # one fused pass
        check_values(arr, name, allow_nan=allow_nan, allow_inf=allow_inf, allow_neg_inf=neg_ok)
    return arr


def check_values(
    arr: np.ndarray, name: str, *, allow_nan: bool = False, allow_inf: bool = True,
    allow_neg_inf: bool | None = None,
) -> None:
    """Raise ValueError naming the first NaN / +inf / -inf in ``arr`` that is not allowed."""
    neg_ok = allow_inf if allow_neg_inf is None else allow_neg_inf
    if not allow_nan and np.isnan(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(arr))[0]) if arr.ndim else ()
        raise ValueError(
            f"{name} contains NaN (first at index {where}); NaN usually "
            "comes from an earlier overflow or 0/0 — fix the step that produced it."
        )
    if not allow_inf and np.isposinf(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isposinf(arr))[0]) if arr.ndim else ()
        raise ValueError(f"{name} contains +inf (first at index {where}); only finite values "
                         "are allowed here.")
    if not neg_ok and np.isneginf(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isneginf(arr))[0]) if arr.ndim else ()
        raise ValueError(f"{name} contains -inf (first at index {where}); only finite values "
                         "are allowed here.")


def as_label_array(labels: Any, name: str = "labels") -> np.ndarray:
    """Integer class labels as a new int64 array (any shape); floats and bools are refused."""
    try:
        arr = np.array(labels, copy=True)
    except (ValueError, TypeError):
        raise TypeError(f"{name} must be integer class indices such as [0, 2, 1]; got "
                        f"{describe(labels)}. Check that every row has the same length.") from None
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one label.")
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iu":
        extra = ""
        if arr.dtype.kind == "f" and arr.size and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            extra = f" They look like whole numbers: use np.asarray({name}).astype(int)."
        elif arr.dtype.kind == "f":
            extra = " Class indices are whole numbers 0 … K−1, such as [0, 2, 1]."
        raise TypeError(f"{name} must be integer class indices; got {describe(labels)}.{extra}")
    if arr.dtype.kind == "u" and arr.max() > np.iinfo(np.int64).max:
        raise ValueError(f"{name} holds a class index of {int(arr.max())}, far too large for a label.")
    return arr.astype(np.int64, copy=False)


def check_class_labels(labels: Any, n_classes: int, name: str = "labels", *, n: int | None = None) -> np.ndarray:
    """Integer labels 0 … n_classes − 1 (one per example when ``n`` is given), as int64."""
    arr = as_label_array(labels, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one class index per example); got shape {arr.shape}.")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have one entry per example ({n}); got shape {arr.shape}.")
    bad = (arr < 0) | (arr >= n_classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name} must be class indices 0 … {n_classes - 1}; got {name}[{i}] = {int(arr[i])}.")
    return arr


def check_shape(x: Any, name: str, shape: tuple[int | None, ...], **kw: Any) -> np.ndarray:
    """``as_real_array`` plus a shape check (None in ``shape`` matches any length)."""
    arr = as_real_array(x, name, ndim=len(shape), **kw)
    if any(want is not None and got != want for got, want in zip(arr.shape, shape)):
        want = "(" + ", ".join("n" if w is None else str(w) for w in shape) + ("," if len(shape) == 1 else "") + ")"
        raise ValueError(f"{name} must have shape {want}; got shape {arr.shape}.")
    return arr


def check_matrix(arr: np.ndarray, name: str, *, rows: int | None = None, cols: int | None = None) -> None:
    """Raise ValueError if ``arr`` is not 2-D with the given number of rows / columns."""
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D; got shape {arr.shape}.")
    if rows is not None and arr.shape[0] != rows:
        raise ValueError(f"{name} must have {rows} rows; got shape {arr.shape}.")
    if cols is not None and arr.shape[1] != cols:
        raise ValueError(f"{name} must have {cols} columns; got shape {arr.shape}.")


_REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction: Any) -> str:
    """Return ``reduction`` if it is one of "mean", "sum", "none"; raise ValueError otherwise."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f'reduction must be one of "mean", "sum" or "none"; got {reduction!r}.')
    return reduction


def apply_reduction(per_example: np.ndarray, reduction: str) -> np.ndarray | float:
    """Mean, sum or no reduction of per-example losses (float for mean / sum)."""
    if reduction == "none":
        return per_example
    if reduction == "sum":
        return float(np.sum(per_example))
    return float(np.mean(per_example))


def check_number(value: Any, name: str, *, positive: bool = False, minimum: float | None = None,
                 maximum: float | None = None) -> float:
    """One finite real number (any sign unless ``positive``, optionally within [minimum, maximum]).
    True / False are not numbers here (TypeError)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number; got the bool {value!r}.")
    arr = as_real_array(value, name, allow_inf=False)
    if arr.ndim:
        raise ValueError(f"{name} must be a single number; got {describe(value)}.")
    v = float(arr)
    if positive and v <= 0:
        raise ValueError(f"{name} must be a number > 0; got {v!r}.")
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        want = (f"≥ {minimum:g}" if maximum is None else f"≤ {maximum:g}" if minimum is None
                else f"in [{minimum:g}, {maximum:g}]")
        raise ValueError(f"{name} must be a number {want}; got {v!r}.")
    return v


#: the largest count or size any function of the course accepts (absurd sizes fail fast)
SIZE_LIMIT = 10**6


def check_whole_number(value: Any, name: str, minimum: int = 1, maximum: int | None = SIZE_LIMIT) -> int:
    """A whole number ≥ ``minimum`` (an int, or a float such as 200.0) and ≤ ``maximum`` (a
    size far beyond any in the course: it fails fast instead of allocating gigabytes), else
    TypeError / ValueError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)):
        raise TypeError(f"{name} must be a whole number ≥ {minimum}; got {describe(value)}.")
    if not np.isfinite(value) or not float(value).is_integer() or value < minimum:
        raise ValueError(f"{name} must be a whole number ≥ {minimum}; got {value!r}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} = {int(value):,} is far larger than anything this course needs (at most "
                         f"{maximum:,}): it would take too long or need too much memory.")
    return int(value)


def finite(compute: Callable[[], Any], what: str, hint: str = "scale the inputs down") -> Any:
    """Run ``compute()``; if any number it returns is ±inf or NaN (float64 overflowed), raise a
    ValueError saying so instead of returning it. Results may be arrays, numbers or tuples."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        out = compute()
    parts = out if isinstance(out, tuple) else (out,)
    for part in parts:
        arr = np.asarray(part)
        if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
            raise ValueError(f"{what} overflowed float64 (a value beyond ±1.8e308, or inf − inf): "
                             f"the inputs are too large for it — {hint}.")
    return out


def check_size(total: int, what: str, limit: int = 10**8) -> None:
    """ValueError if an array of ``total`` elements (``what``) would be absurdly large."""
    if total > limit:
        raise ValueError(f"{what} would hold {total:,} numbers ({total * 8 / 1e9:.3g} GB); keep it below "
                         f"{limit:,}.")


def check_rng(rng: Any) -> np.random.Generator:
    """``rng`` if it is a numpy Generator, else a TypeError saying how to make one."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)); got {describe(rng)}.")
    return rng


def check_positive_number(value: Any, name: str) -> float:
    """A finite number > 0 as float, or TypeError / ValueError saying what was given."""
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number; got {describe(value)}.")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}.")
    return value
