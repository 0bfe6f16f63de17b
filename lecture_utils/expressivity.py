"""What one hidden layer can express, what it costs, and what depth buys (04_theorem_and_depth).

Three facts next to the universal approximation theorem:

- **Polynomial activations are not universal.** With f(z) = z^p every hidden unit
  f(w·x + b) is a polynomial of degree p in x, so a one-hidden-layer network of *any* width is
  a polynomial of degree ≤ p: it cannot follow |x| or a step. The identity (p = 1) is
  notebook 01's collapse. :func:`one_layer_best_fit` fits the output layer by least squares
  for a given activation and width.
- **The grid construction costs (1/ε)^d units.** :func:`grid_cells_needed`.
- **Depth.** The ReLU hat g(x) = 2·relu(x) − 4·relu(x − ½) maps [0, 1] onto itself;
  composing it k times gives a sawtooth with 2^k linear pieces from k layers of 2 ReLUs
  (2k units), while one hidden layer needs a unit per kink — at least 2^k − 1
  (:func:`sawtooth_layers`, :func:`sawtooth_shallow`, :func:`count_pieces`).

>>> import numpy as np
>>> from lecture_utils.expressivity import one_layer_best_fit, sawtooth, count_pieces
>>> fit = one_layer_best_fit("abs", 40, "square")          # 40 units of z², best output layer
>>> bool(np.allclose(fit["y_hat"], np.polyval(np.polyfit(fit["x"], fit["y"], 2), fit["x"])))
True
>>> x = np.linspace(0, 1, 2**10 + 1)
>>> count_pieces(x, sawtooth(x, 5))
32
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ._checks import as_real_array, check_number, check_positive_number, check_whole_number, describe
from .approximation import ShallowNet, get_target, relu_network
from .forward_pass import forward

__all__ = ["ONE_LAYER_ACTIVATIONS", "POLYNOMIAL_DEGREE", "one_layer_best_fit", "grid_cells_needed",
           "hat_map", "sawtooth", "sawtooth_layers", "sawtooth_deep", "sawtooth_shallow",
           "count_pieces", "sawtooth_unit_counts"]

#: the activations :func:`one_layer_best_fit` knows, as functions of z
ONE_LAYER_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "identity": lambda z: z,
    "square": lambda z: z**2,
    "cube": lambda z: z**3,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": lambda z: np.tanh(z),
}
#: degree of the polynomial activations (the others are not polynomials)
POLYNOMIAL_DEGREE: dict[str, int] = {"identity": 1, "square": 2, "cube": 3}


def _activation(activation: Any) -> str:
    if not isinstance(activation, str) or activation not in ONE_LAYER_ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ONE_LAYER_ACTIVATIONS)}; got {describe(activation)}.")
    return activation


def one_layer_best_fit(target: str | Callable, n_hidden: int, activation: str = "square",
                       x: Any = None) -> dict[str, Any]:
    """The best one-hidden-layer network of width N for a fixed hidden layer, on a grid of [0, 1].

    Hidden unit k computes f(x − k/N) (k = 0 … N − 1: weight 1, the kinks / centres spread over
    [0, 1) as in :func:`~lecture_utils.approximation.relu_network`; tanh units use weight 2N so
    they are steps a cell wide); the output weights v and bias c minimise the squared error
    (``np.linalg.lstsq``). For a polynomial activation of degree p and N ≥ p this is the best
    polynomial of degree ≤ p — and no other hidden weights, nor any width, can do better,
    because every such network *is* a polynomial of degree ≤ p.

    Parameters
    ----------
    target : name in :data:`~lecture_utils.approximation.TARGETS` or a function of x
    n_hidden : int ≥ 1
    activation : "identity", "square", "cube", "relu" or "tanh"
    x : 1-D array of grid points (default: 201 points on [0, 1]; small enough that the
        least-squares solve stays single-threaded and fast on a busy machine)

    Returns
    -------
    dict with "x", "y" (target), "y_hat" (the fit), "v" (N,), "c", "max_abs", "mean_abs",
    "degree" (p, or None for a non-polynomial activation).

    Raises
    ------
    ValueError / TypeError
        Unknown target or activation, ``n_hidden`` < 1, ``x`` not a 1-D array of finite numbers.
    """
    f, act = get_target(target), _activation(activation)
    n = check_whole_number(n_hidden, "n_hidden")
    x = np.linspace(0.0, 1.0, 201) if x is None else as_real_array(x, "x", ndim=1, allow_inf=False)
    y = as_real_array(f(x), "target(x)", allow_inf=False)
    if y.shape != x.shape:
        raise ValueError(f"target must return one value per x: x has shape {x.shape}, target(x) {y.shape}.")
    t = np.arange(n) / n                                             # (N,) centres / kinks
    scale = 2.0 * n if act == "tanh" else 1.0
    H = ONE_LAYER_ACTIVATIONS[act](scale * (x[:, None] - t[None, :]))  # (n_x, N) hidden activations
    A = np.hstack([H, np.ones((x.size, 1))])                           # (n_x, N + 1): units and the bias
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    y_hat = A @ coef                                                   # (n_x, N + 1) @ (N + 1,) -> (n_x,)
    err = np.abs(y_hat - y)
    return {"x": x, "y": y, "y_hat": y_hat, "v": coef[:-1], "c": float(coef[-1]),
            "max_abs": float(err.max()), "mean_abs": float(err.mean()),
            "degree": POLYNOMIAL_DEGREE.get(act)}


def grid_cells_needed(eps: float, d: int, lipschitz: float = 1.0) -> int:
    """Cells of a grid on [0, 1]^d whose cell-centre values are within ``eps`` of an
    L-Lipschitz f (|f(x) − f(y)| ≤ L·max_i |x_i − y_i|): ⌈L / (2ε)⌉^d.

    A cell of side h has every point within h/2 (per coordinate) of its centre, so h = 2ε/L
    suffices. The grid constructions (bumps in 1-D, towers in 2-D) need at least one hidden
    unit per cell. Returns a Python int (exact, however large).

    >>> grid_cells_needed(0.01, 3)
    125000
    """
    eps = check_positive_number(eps, "eps")
    d = check_whole_number(d, "d")
    per_axis = math.ceil(check_positive_number(lipschitz, "lipschitz") / (2 * eps) - 1e-12)
    return int(per_axis) ** d


# -- depth: the sawtooth -----------------------------------------------------------------------
def hat_map(x: Any) -> np.ndarray:
    """g(x) = 2·relu(x) − 4·relu(x − ½): the tent 2x on [0, ½], 2 − 2x on [½, 1]; shape of ``x``.

    Outside [0, 1] it is 0 to the left and 2 − 2x to the right, so g(−inf) = 0 and g(+inf) = −inf
    (the limits, not inf − inf). ValueError for NaN, and for finite x so large that 4x overflows.
    """
    x = as_real_array(x, "x", allow_empty=True)
    with np.errstate(invalid="ignore", over="ignore"):
        out = 2.0 * np.maximum(x, 0.0) - 4.0 * np.maximum(x - 0.5, 0.0)
    if not np.isfinite(out[np.isfinite(x)]).all():
        raise ValueError("hat_map(x) overflowed float64 (4·x beyond ±1.8e308): x is far too large — the "
                         "sawtooth lives on [0, 1].")
    return np.where(np.isneginf(x), 0.0, np.where(np.isposinf(x), -np.inf, out))


def _k(k: Any) -> int:
    k = check_whole_number(k, "k")
    if k > 30:
        raise ValueError(f"k must be ≤ 30 (2^k pieces would not fit any grid); got {k}.")
    return k


def sawtooth(x: Any, k: int) -> np.ndarray:
    """g composed k times, g∘g∘…∘g(x) (closed form from :func:`hat_map`); shape of ``x``.

    On [0, 1] it has 2^(k−1) teeth, 2^k linear pieces and kinks at j/2^k. ±inf as in
    :func:`hat_map` (for k ≥ 2 both map to 0).
    """
    y = as_real_array(x, "x", allow_empty=True)
    for _ in range(_k(k)):
        y = hat_map(y)
    return y


def sawtooth_layers(k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The deep network for :func:`sawtooth` as dense layers ``(W, b)`` for ``forward``.

    k hidden layers of 2 ReLUs each, computing h = relu(u + (0, −½)) of the previous layer's
    output u = 2·h1 − 4·h2 (folded into the next layer's weights), then a linear output
    2·h1 − 4·h2. Shapes: W (1, 2), then (2, 2) k − 1 times, then (2, 1).
    """
    k = _k(k)
    b = np.array([0.0, -0.5])
    fold = np.array([[2.0], [-4.0]])                 # (2, 1): u = 2·h1 − 4·h2
    layers = [(np.ones((1, 2)), b.copy())]
    layers += [(fold @ np.ones((1, 2)), b.copy()) for _ in range(k - 1)]  # (2, 1) @ (1, 2) -> (2, 2)
    return layers + [(fold.copy(), np.zeros(1))]


def sawtooth_deep(x: Any, k: int) -> np.ndarray:
    """The deep network's output: ``forward`` through :func:`sawtooth_layers`. x (n,) → (n,)."""
    x = as_real_array(x, "x", ndim=1, allow_inf=False)
    return forward(x.reshape(-1, 1), sawtooth_layers(k), "relu").output[:, 0]  # (n, 1) -> (n,)


def sawtooth_shallow(k: int) -> ShallowNet:
    """A one-hidden-layer ReLU network equal to the sawtooth on [0, 1]: the interpolant of
    section 4 with a unit at each of the 2^k knots j/2^k (j = 0 … 2^k − 1), so 2^k units."""
    k = _k(k)
    return relu_network(lambda t: sawtooth(t, k), 2**k)


def sawtooth_unit_counts(k: int) -> dict[str, int]:
    """Pieces and units for k compositions: "pieces" 2^k, "kinks" 2^k − 1 (in (0, 1)),
    "deep" 2k hidden units (k layers of 2), "shallow" 2^k (:func:`sawtooth_shallow`).

    Any one-hidden-layer ReLU network has at most one kink per unit, so it needs at least
    "kinks" = 2^k − 1 units.
    """
    k = _k(k)
    return {"pieces": 2**k, "kinks": 2**k - 1, "deep": 2 * k, "shallow": 2**k}


def count_pieces(x: Any, y: Any, tol: float = 1e-9) -> int:
    """Linear pieces of a piecewise-linear function sampled at ``x`` (increasing, shape (n,)).

    Counts the places where the slope between neighbouring samples changes by more than
    ``tol``·max|slope|; exact when every kink is a sample point (e.g. a grid j/2^K for the
    sawtooth). ValueError unless x and y are 1-D, of one shape, finite, with x increasing.
    """
    x = as_real_array(x, "x", ndim=1, allow_inf=False)
    y = as_real_array(y, "y", ndim=1, allow_inf=False)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must have one shape (n,) with n ≥ 2; got {x.shape} and {y.shape}.")
    if not np.all(np.diff(x) > 0):
        raise ValueError("x must be increasing.")
    tol = check_number(tol, "tol", minimum=0.0)
    slopes = np.diff(y) / np.diff(x)
    scale = max(float(np.max(np.abs(slopes))), 1e-300)
    return 1 + int(np.sum(np.abs(np.diff(slopes)) > tol * scale))
