"""Argument checks shared by the drawing helpers (private): messages a student can act on.

Arrays go through :func:`lecture_utils._checks.as_real_array`; these cover what the plotting
functions take besides arrays: an Axes, one number, a pair of limits, a count, a label 0 / 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .._checks import as_real_array, check_number as number, check_whole_number as whole, describe  # noqa: F401 (re-exported)


def check_ax(ax: Any, name: str = "ax") -> Axes:
    """``ax`` itself if it is a matplotlib Axes; TypeError otherwise."""
    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes (e.g. fig, ax = plt.subplots()); got {describe(ax)}.")
    return ax


def limits(value: Any, name: str) -> tuple[float, float]:
    """Two finite numbers (low, high) with low < high, e.g. axis limits."""
    arr = as_real_array(value, name, allow_inf=False)
    if arr.shape != (2,):
        raise ValueError(f"{name} must be a pair (low, high) such as (-1, 1); got {describe(value)}.")
    if not arr[0] < arr[1]:
        raise ValueError(f"{name} must be (low, high) with low < high; got ({arr[0]:g}, {arr[1]:g}).")
    return float(arr[0]), float(arr[1])


def label01(y: Any, name: str = "y") -> int:
    """The true label of a binary plot: 0 or 1."""
    if isinstance(y, (int, float, np.integer, np.floating)) and not isinstance(y, bool) and y in (0, 1):
        return int(y)
    raise ValueError(f"{name} must be the true label 0 or 1; got {describe(y)}.")


def mapping(value: Any, name: str, example: str) -> Mapping:
    """A dict such as ``{"label": ...}``; TypeError otherwise."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict such as {example}; got {describe(value)}.")
    return value


def color(value: Any, name: str = "color") -> Any:
    """A matplotlib colour ("#0072B2", "C1", "red", an RGB tuple); ValueError / TypeError otherwise."""
    from matplotlib.colors import is_color_like

    if isinstance(value, (bool, np.bool_)) or not is_color_like(value) or isinstance(value, (int, float, np.number)):
        raise (ValueError if isinstance(value, str) else TypeError)(
            f"{name} must be a colour such as '#0072B2', 'C1' or 'black'; got {describe(value)}.")
    return value


def text(value: Any, name: str) -> str:
    """A label: a string (or a number, shown as text); TypeError for lists, arrays, dicts …"""
    if isinstance(value, (str, int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{name} must be a string (a label); got {describe(value)}.")


def names(value: Any, name: str, n: int | None = None) -> list[str]:
    """A list of strings (labels), of length ``n`` if given."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, np.ndarray)):
        raise TypeError(f"{name} must be a list of strings; got {describe(value)}.")
    if n is not None and len(value) != n:
        raise ValueError(f"{name} must hold {n} entries; got {len(value)}.")
    return [str(v) for v in value]
