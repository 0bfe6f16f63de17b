"""Towers: the universal-approximation construction in two inputs (03_universal_approximation).

A hidden unit a = f(w1·x1 + w2·x2 + b) is a non-linear combination of the inputs. Four sharp
step neurons make a cross (a bump in x1 plus a bump in x2); a threshold on the cross leaves a
tower over one square; towers of height f(cell centre) on an n×n grid approximate f(x1, x2).

>>> import numpy as np
>>> from lecture_utils.towers import tower_2d
>>> float(tower_2d(np.array(0.5), np.array(0.5), (0.4, 0.6), (0.4, 0.6)).round(3))
1.0
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._checks import as_real_array, check_number, check_positive_number, check_whole_number, describe
from .approximation import _pair, _sig

__all__ = ["cross_2d", "tower_2d", "towers_network_2d"]


def cross_2d(x1: Any, x2: Any, x1_edges: tuple[float, float], x2_edges: tuple[float, float],
             w: float = 200.0) -> np.ndarray:
    """Four step neurons, summed: a bump in x1 plus a bump in x2 (height 1 each).

    The sum is 2 on the square, 1 on the arms of the cross, 0 elsewhere. ``x1``, ``x2`` any
    equal shapes (e.g. from ``np.meshgrid``); returns that shape. The edges are pairs of finite
    numbers; ValueError / TypeError otherwise.
    """
    x1, x2 = _same_shape(x1, x2, allow_empty=True)
    (a1, b1), (a2, b2), w = _pair("x1_edges", x1_edges), _pair("x2_edges", x2_edges), check_number(w, "w")
    return (_sig(w * (x1 - a1)) - _sig(w * (x1 - b1))
            + _sig(w * (x2 - a2)) - _sig(w * (x2 - b2)))


def _same_shape(x1: Any, x2: Any, allow_empty: bool = False) -> tuple[np.ndarray, np.ndarray]:
    x1 = as_real_array(x1, "x1", allow_empty=allow_empty)
    x2 = as_real_array(x2, "x2", allow_empty=allow_empty)
    if x1.shape != x2.shape:
        raise ValueError(f"x1 and x2 must have the same shape (use np.meshgrid); got x1 {x1.shape} "
                         f"and x2 {x2.shape}.")
    return x1, x2


def tower_2d(x1: Any, x2: Any, x1_edges: tuple[float, float], x2_edges: tuple[float, float],
             height: float = 1.0, w: float = 200.0, w_out: float = 50.0) -> np.ndarray:
    """A tower: a threshold neuron on the cross, height·σ(w_out·(cross − 1.5)).

    Only the square, where the cross is 2, clears the threshold 1.5.
    """
    height, w_out = check_number(height, "height"), check_number(w_out, "w_out")
    return height * _sig(w_out * (cross_2d(x1, x2, x1_edges, x2_edges, w) - 1.5))


def towers_network_2d(target: Callable[[np.ndarray, np.ndarray], np.ndarray], n_per_axis: int,
                      x1: Any, x2: Any, w_scale: float = 10.0) -> np.ndarray:
    """Approximate f(x1, x2) on [0, 1]² by n×n towers of height f(cell centre); shape of ``x1``.

    ``target`` must be a function of two numbers returning a finite number; ``x1`` and ``x2``
    the same shape; ``w_scale`` > 0. TypeError / ValueError otherwise.
    """
    n = check_whole_number(n_per_axis, "n_per_axis", maximum=1000)
    if not callable(target):
        raise TypeError(f"target must be a function f(x1, x2), e.g. lambda a, b: a * b; got {describe(target)}.")
    x1, x2 = _same_shape(x1, x2)
    w_scale = check_positive_number(w_scale, "w_scale")
    edges = np.linspace(0.0, 1.0, n + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    w = w_scale * n * 4
    # one bump per column and per row, shared by all towers in it: (n, *x.shape)
    bx = np.stack([_sig(w * (x1 - edges[i])) - _sig(w * (x1 - edges[i + 1])) for i in range(n)])
    by = np.stack([_sig(w * (x2 - edges[j])) - _sig(w * (x2 - edges[j + 1])) for j in range(n)])
    out = np.zeros_like(x1)
    for i in range(n):
        for j in range(n):
            out += check_number(target(centres[i], centres[j]), "target(x1, x2)") * _sig(50.0 * (bx[i] + by[j] - 1.5))
    return out
