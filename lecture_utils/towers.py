"""Towers: the universal-approximation construction in two inputs (03_universal_approximation).

A hidden unit a = f(w1·x1 + w2·x2 + b) is a non-linear combination of the inputs. Four sharp
step neurons make a cross (a bump in x1 plus a bump in x2); a threshold neuron on the cross
leaves a tower over one square; towers of height f(cell centre) on an n×n grid approximate
f(x1, x2). The threshold neurons take the step neurons as input, so this picture proof uses
**two hidden layers**: step units, then one threshold unit per tower (one hidden layer also
suffices — Cybenko 1989 — but not with this picture).

Where a column edge meets a row edge the four towers around the corner all see a cross of 1,
not 2, and all switch off: near every corner the single construction outputs ≈ 0, however
steep its steps (a *failure window*). The repair is Nielsen's (ch. 4, "Fixing up the step
functions"): M copies of the grid, each shifted diagonally by a fraction 1/M of a cell and
scaled by 1/M. The windows of different copies never overlap, so at any point at most one
copy fails and the error there is at most max|f|/M plus the grid's own error; with M = n
copies (the default) the max error falls like 1/n for a Lipschitz f.

>>> import numpy as np
>>> from lecture_utils.towers import tower_2d, towers_network_2d
>>> float(tower_2d(np.array(0.5), np.array(0.5), (0.4, 0.6), (0.4, 0.6)).round(3))
1.0
>>> one = lambda a, b: 1.0                     # constant target: the output should be 1
>>> corner = (np.array(0.5), np.array(0.5))   # a cell corner for n = 6
>>> float(towers_network_2d(one, 6, *corner, copies=1).round(3))   # the failure window
0.0
>>> float(towers_network_2d(one, 6, *corner).round(3))             # 6 shifted copies
0.833
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ._checks import as_real_array, check_number, check_positive_number, check_whole_number, describe
from .approximation import _pair, _sig

__all__ = ["cross_2d", "tower_2d", "towers_network_2d", "towers_unit_counts", "towers_error_vs_n",
           "TOWER_W_OUT"]

#: steepness of every tower's threshold neuron σ(W_OUT·(cross − 1.5))
TOWER_W_OUT = 50.0


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
             height: float = 1.0, w: float = 200.0, w_out: float = TOWER_W_OUT) -> np.ndarray:
    """A tower: a threshold neuron on the cross, height·σ(w_out·(cross − 1.5)).

    Only the square, where the cross is 2, clears the threshold 1.5.
    """
    height, w_out = check_number(height, "height"), check_number(w_out, "w_out")
    return height * _sig(w_out * (cross_2d(x1, x2, x1_edges, x2_edges, w) - 1.5))


def _copies(copies: Any, n: int) -> int:
    return n if copies is None else check_whole_number(copies, "copies")


def _copy_edges(n: int, m: int, copies: int) -> np.ndarray:
    """Interior edges of copy m: the grid k/n shifted by m/(copies·n), inside (0, 1)."""
    e = (np.arange(n + 1) + m / copies) / n
    return e[(e > 0.0) & (e < 1.0)]


def _step_up(x: np.ndarray, edge: np.ndarray, w: float) -> np.ndarray:
    """σ(w·(x − edge)), with the outer cells' edges at ±inf: 1 for an edge at −inf, 0 for one at
    +inf, whatever x (also x = ±inf, where x − edge would be inf − inf)."""
    with np.errstate(invalid="ignore"):
        step = _sig(w * (x - edge))
    return np.where(np.isneginf(edge), 1.0, np.where(np.isposinf(edge), 0.0, step))


def towers_unit_counts(n_per_axis: int, copies: int | None = None) -> dict[str, int]:
    """Hidden units of :func:`towers_network_2d`: ``"steps"`` (first hidden layer) and
    ``"thresholds"`` (second hidden layer, one per tower).

    Each copy has one step unit per interior cell edge and axis (the outer cells reach past
    the square, so their outer edge needs no unit) and one threshold unit per cell: copy 0 has
    n − 1 edges and n cells per axis, each shifted copy n edges and n + 1 cells.

    >>> towers_unit_counts(6, copies=1)
    {'steps': 10, 'thresholds': 36}
    """
    n = check_whole_number(n_per_axis, "n_per_axis")
    m = _copies(copies, n)
    edges = [len(_copy_edges(n, k, m)) for k in range(m)]
    return {"steps": int(sum(2 * e for e in edges)), "thresholds": int(sum((e + 1) ** 2 for e in edges))}


def towers_network_2d(target: Callable[[Any, Any], Any], n_per_axis: int, x1: Any, x2: Any,
                      copies: int | None = None, w_scale: float = 10.0) -> np.ndarray:
    """Approximate f(x1, x2) on [0, 1]² with towers; returns an array of the shape of ``x1``.

    Each of the ``copies`` (M; default M = n) is an n×n grid of towers of height
    f(cell centre)/M, shifted diagonally by m/M of a cell (m = 0 … M − 1; the shifted copies
    have n + 1 cells per axis); the outer cells of every copy reach past the square, so its
    border is covered. Step neurons have weight w = ``w_scale``·4·n·M (their 10–90 % rise is
    0.11/M of a cell), so the failure windows of different copies never overlap; the threshold
    neurons are σ(50·(cross − 1.5)). With ``copies=1`` this is the construction as drawn, which
    fails (outputs ≈ 0) near every interior cell corner.

    The sum runs over the towers of the 3×3 cells around each point; the others contribute
    less than 3·10⁻¹¹·max|f|·(n + 1) in total (their cross is ≤ 1 + 10⁻¹⁷).

    Parameters
    ----------
    target : callable f(a, b) -> number, called on cell centres (two floats)
    n_per_axis : int ≥ 1
    x1, x2 : arrays of one shape (e.g. from ``np.meshgrid``); ±inf lie in the outer cells (the
        limit of the network's output there), NaN is refused
    copies : int ≥ 1 or None (= n_per_axis)
    w_scale : float > 0

    Raises
    ------
    TypeError / ValueError
        ``target`` not callable or returning something that is not a finite number, x1 and x2
        of different shapes, ``n_per_axis`` or ``copies`` not a whole number ≥ 1, ``w_scale`` ≤ 0.
    """
    n = check_whole_number(n_per_axis, "n_per_axis", maximum=1000)
    if not callable(target):
        raise TypeError(f"target must be a function f(x1, x2), e.g. lambda a, b: a * b; got {describe(target)}.")
    x1, x2 = _same_shape(x1, x2)
    m_copies = _copies(copies, n)
    w = check_positive_number(w_scale, "w_scale") * 4 * n * m_copies
    shape, p1, p2 = x1.shape, x1.reshape(-1), x2.reshape(-1)
    out = np.zeros_like(p1)
    for m in range(m_copies):
        edges = _copy_edges(n, m, m_copies)
        bounds = np.concatenate([[-np.inf], edges, [np.inf]])      # (C + 1,) cell c is [bounds[c], bounds[c+1]]
        lo, hi = np.clip(bounds[:-1], 0, 1), np.clip(bounds[1:], 0, 1)
        centres = (lo + hi) / 2                                    # (C,) centres of the cells' parts in [0, 1]
        heights = np.array([[check_number(target(float(a), float(b)), "target(x1, x2)") for b in centres]
                            for a in centres]) / m_copies          # (C, C): [column i, row j]
        n_cells = len(centres)
        near1, near2 = [], []
        for x, near in ((p1, near1), (p2, near2)):
            cell = np.searchsorted(edges, x, side="right")         # (P,) the cell each point lies in
            for d in (-1, 0, 1):
                c = cell + d
                ok = (c >= 0) & (c < n_cells)
                c = np.clip(c, 0, n_cells - 1)
                # the bump of cell c: a step up at its left edge minus a step up at its right edge
                near.append((c, ok, _step_up(x, bounds[c], w) - _step_up(x, bounds[c + 1], w)))
        for c1, ok1, b1 in near1:
            for c2, ok2, b2 in near2:
                out += np.where(ok1 & ok2, heights[c1, c2], 0.0) * _sig(TOWER_W_OUT * (b1 + b2 - 1.5))
    return out.reshape(shape)


def towers_error_vs_n(target: Callable[[Any, Any], Any], ns: Sequence[int], copies: int | None = None,
                      n_grid: int = 241) -> dict[str, np.ndarray]:
    """Max and mean |towers − f| on [0, 1]² for each n in ``ns``.

    The max is taken over an ``n_grid`` × ``n_grid`` grid **and** every interior cell corner of
    every copy (where the failure windows sit); the mean over the grid. ``copies`` as in
    :func:`towers_network_2d` (None: M = n for each n). ``target`` must accept arrays
    (f(X1, X2) on a grid). Returns arrays of shape (len(ns),) under "n", "copies", "max_abs",
    "mean_abs".

    Raises TypeError / ValueError for a ``target`` that is not a function or does not return a
    finite array of the grid's shape, ``ns`` not a non-empty list of whole numbers ≥ 1, ``copies``
    or ``n_grid`` as in :func:`towers_network_2d`.
    """
    if not callable(target):
        raise TypeError(f"target must be a function f(X1, X2) that works on arrays, e.g. lambda a, b: a * b; got "
                        f"{describe(target)}.")
    if isinstance(ns, (str, bytes)) or not isinstance(ns, (Sequence, np.ndarray)) or len(ns) == 0:
        raise TypeError(f"ns must be a non-empty list of towers per axis such as [3, 6, 12]; got {describe(ns)}.")
    ns = [check_whole_number(n, f"ns[{i}]") for i, n in enumerate(ns)]
    n_grid = check_whole_number(n_grid, "n_grid", 2)
    g = np.linspace(0.0, 1.0, n_grid)
    X1, X2 = np.meshgrid(g, g)
    F = as_real_array(target(X1, X2), "target(X1, X2)", allow_inf=False)
    if F.shape != X1.shape:
        raise ValueError(f"target must work on arrays: target(X1, X2) has shape {F.shape}, expected {X1.shape}.")
    rows = []
    for n in ns:
        m = _copies(copies, n)
        err = np.abs(towers_network_2d(target, n, X1, X2, copies=m) - F)
        corners = np.array([(a, b) for k in range(m) for a in _copy_edges(n, k, m) for b in _copy_edges(n, k, m)])
        worst = float(err.max())
        if len(corners):
            c1, c2 = corners[:, 0], corners[:, 1]
            worst = max(worst, float(np.max(np.abs(towers_network_2d(target, n, c1, c2, copies=m)
                                                    - target(c1, c2)))))
        rows.append((m, worst, float(err.mean())))
    return {"n": np.asarray(ns), "copies": np.array([r[0] for r in rows]),
            "max_abs": np.array([r[1] for r in rows]), "mean_abs": np.array([r[2] for r in rows])}
