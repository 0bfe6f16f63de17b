"""Universal approximation, constructed by hand (introduced in 03_universal_approximation).

Nielsen's visual proof (*Neural Networks and Deep Learning*, ch. 4) in code: a sigmoid neuron
with a large weight is a **step** at s = −b/w; two steps make a **bump**; bumps side by side
make a staircase that follows any continuous function on [0, 1]. The ReLU version: two ReLUs
make a **ramp**, three a **hat**, and N ReLUs the piecewise-linear interpolant through N + 1
points. In 2-D, four steps and a threshold make a **tower**.

>>> import numpy as np
>>> from lecture_utils.approximation import step_weight_bias, bump_network, approximation_errors
>>> w, b = step_weight_bias(0.3)          # a step at x = 0.3
>>> round(-b / w, 6)
0.3
>>> net = bump_network("sine", 50)
>>> x = np.linspace(0, 1, 1001)
>>> approximation_errors(net(x), np.sin(2 * np.pi * x))["max_abs"] < 0.07
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ._checks import as_real_array, check_number, check_positive_number, check_whole_number, describe
from ._checks import check_size, finite

__all__ = [
    "TARGETS", "TARGET_LABELS", "get_target", "step_neuron", "step_position", "step_weight_bias",
    "bump", "ShallowNet", "bump_network", "relu_network", "ramp", "hat", "count_relus",
    "approximation_errors", "error_vs_n",
    "challenge_edges", "challenge_output", "challenge_score", "CHALLENGE_THRESHOLD",
]


def _sig(z: np.ndarray) -> np.ndarray:
    """Overflow-free sigmoid without input checks (internal, hot paths)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _pair(name: str, value: Any) -> tuple[float, float]:
    """Two finite numbers (lo, hi), e.g. the edges of a bump."""
    arr = as_real_array(value, name, allow_inf=False)
    if arr.shape != (2,):
        raise ValueError(f"{name} must be a pair of numbers (left, right); got {describe(value)}.")
    return float(arr[0]), float(arr[1])


def _values_of(f: Callable, x: np.ndarray, what: str) -> np.ndarray:
    """f(x) checked: numbers, shape of x, finite (a target that returns NaN would build a NaN net)."""
    y = as_real_array(f(x), f"{what}(x)", allow_inf=False, allow_empty=True)
    if y.shape != x.shape:
        raise ValueError(f"{what} must return one value per x: x has shape {x.shape}, {what}(x) has "
                         f"shape {y.shape}. Write it with numpy operations (np.sin(x), x**2, ...).")
    return y


# -- targets on [0, 1] -------------------------------------------------------------------------
def _sine(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * np.pi * x)


def _abs(x: np.ndarray) -> np.ndarray:
    return np.abs(2 * x - 1)


def _wiggly(x: np.ndarray) -> np.ndarray:  # the function of Nielsen's ch. 4
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


def _step(x: np.ndarray) -> np.ndarray:
    return np.where(x < 0.5, 0.2, 0.8)


def _piecewise(x: np.ndarray) -> np.ndarray:
    return np.piecewise(x, [x < 0.3, (x >= 0.3) & (x < 0.6), x >= 0.6],
                        [lambda t: 0.2 + t, lambda t: 0.5 - 2 * (t - 0.3), lambda t: -0.1 + 0.5 * np.sqrt(t - 0.6)])


#: Target functions on [0, 1], by name. "abs" is |x| moved to the middle: |2x − 1|.
TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sine": _sine, "abs": _abs, "wiggly": _wiggly, "step": _step, "piecewise": _piecewise,
}
TARGET_LABELS: dict[str, str] = {
    "sine": "sin(2πx)", "abs": "|2x − 1|", "wiggly": "Nielsen's wiggly curve",
    "step": "a step (not continuous)", "piecewise": "piecewise (kinks, √)",
}


def get_target(target: str | Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """A target function by name (see :data:`TARGETS`); a callable is returned unchanged."""
    if callable(target):
        return target
    if not isinstance(target, str) or target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; choose one of {', '.join(map(repr, TARGETS))} "
                         "or pass a function of x.")
    return TARGETS[target]


# -- steps and bumps -----------------------------------------------------------------------------
def step_neuron(x: Any, w: float, b: float) -> np.ndarray:
    """One sigmoid neuron σ(w·x + b); for large w it is a step at x = −b/w. Shape of ``x``.

    ``w`` and ``b`` must be finite numbers (TypeError / ValueError otherwise).
    """
    x = as_real_array(x, "x", allow_empty=True)
    w, b = check_number(w, "w"), check_number(b, "b")
    wx = w * x if w != 0 else np.zeros_like(x)  # w = 0: the constant σ(b), also at x = ±inf
    return _sig(finite(lambda: wx + b, "w·x + b", "use a smaller w or b") if np.isfinite(x).all() else wx + b)


def step_position(w: float, b: float) -> float:
    """Where σ(w·x + b) crosses 1/2: s = −b/w. Raises ``ValueError`` for w = 0 (no step)."""
    w, b = check_number(w, "w"), check_number(b, "b")
    if w == 0.0:
        raise ValueError("w = 0 gives the constant σ(b): there is no step. Use a non-zero weight.")
    return -float(b) / float(w)


def step_weight_bias(s: float, w: float = 1000.0) -> tuple[float, float]:
    """The (w, b) of a neuron whose step sits at x = s: b = −w·s (w > 0: steps up)."""
    s, w = check_number(s, "s"), check_number(w, "w")
    if w == 0.0:
        raise ValueError("w must be non-zero (large, e.g. 1000) for the neuron to be a step.")
    return float(w), -float(w) * float(s)


def bump(x: Any, left: float, right: float, height: float, w: float = 1000.0) -> np.ndarray:
    """Two step neurons make a bump: h·[σ(w(x − left)) − σ(w(x − right))]. Shape of ``x``.

    Outside [left, right] it is ≈ 0, inside ≈ ``height``. ``left > right`` gives a negative bump.
    All four numbers must be finite (TypeError / ValueError otherwise).
    """
    x = as_real_array(x, "x", allow_empty=True)
    left, right, height, w = check_number(left, "left"), check_number(right, "right"), check_number(height, "height"), check_number(w, "w")
    return height * (_sig(w * (x - left)) - _sig(w * (x - right)))


# -- whole networks ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShallowNet:
    """A one-hidden-layer network with one input and one output.

    y_hat = f(x·w + b) @ v + c, with hidden weights ``w`` (N,), biases ``b`` (N,), output
    weights ``v`` (N,) and output bias ``c``; ``activation`` is "sigmoid", "tanh" or "relu".
    Calling it on x of shape (n,) returns shape (n,).
    """

    w: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: float
    activation: str = "sigmoid"

    def __post_init__(self) -> None:
        if not isinstance(self.activation, str) or self.activation not in ("sigmoid", "tanh", "relu"):
            raise ValueError(f'activation must be "sigmoid", "tanh" or "relu"; got {self.activation!r}.')
        arrays = {k: as_real_array(getattr(self, k), k, ndim=1, allow_inf=False) for k in ("w", "b", "v")}
        if not arrays["w"].shape == arrays["b"].shape == arrays["v"].shape:
            raise ValueError(f"w, b and v need one entry per hidden neuron, shape (N,); got {arrays['w'].shape}, "
                             f"{arrays['b'].shape} and {arrays['v'].shape}.")
        for k, arr in arrays.items():
            object.__setattr__(self, k, arr)
        object.__setattr__(self, "c", check_number(self.c, "c"))

    @property
    def n_hidden(self) -> int:
        return int(self.w.shape[0])

    def hidden(self, x: Any) -> np.ndarray:
        """Hidden activations, shape (n, N): (n, 1) * (N,) + (N,) → (n, N)."""
        x = as_real_array(x, "x", ndim=(0, 1), allow_empty=True).reshape(-1, 1)
        z = x * self.w + self.b
        if self.activation == "relu":
            return _relu(z)
        return np.tanh(z) if self.activation == "tanh" else _sig(z)

    def __call__(self, x: Any) -> np.ndarray:
        return self.hidden(x) @ self.v + self.c  # (n, N) @ (N,) → (n,)


def bump_network(target: str | Callable, n_hidden: int, steepness: float = 10.0) -> ShallowNet:
    """Nielsen's construction with ``n_hidden`` sigmoid step neurons on [0, 1].

    [0, 1] is cut into N + 1 equal cells; the network is f(first midpoint) (output bias) plus
    one bump per cell of height f(midpoint). Neighbouring bumps share an edge, so the falling
    step of one and the rising step of the next merge into **one** neuron with output weight
    h_{k+1} − h_k: N neurons give N + 1 flat pieces (separate bumps would need 2 per bump).

    Parameters
    ----------
    target : name in :data:`TARGETS` or callable on (n,) arrays
    n_hidden : int ≥ 1
    steepness : float
        Hidden weight in units of the cell count: w = steepness·(N + 1). About 10 looks like
        steps; larger is steeper. Must be > 0.

    Raises
    ------
    ValueError
        Unknown target name, a target that returns NaN / inf or the wrong shape, ``n_hidden`` < 1,
        ``steepness`` ≤ 0.
    """
    f, n = get_target(target), check_whole_number(n_hidden, "n_hidden")
    steepness = check_positive_number(steepness, "steepness")
    edges = np.arange(1, n + 1) / (n + 1)            # (N,) step positions
    mids = (np.arange(n + 1) + 0.5) / (n + 1)        # (N + 1,) cell midpoints
    heights = _values_of(f, mids, "target")
    w = np.full(n, float(steepness) * (n + 1))
    return ShallowNet(w=w, b=-w * edges, v=np.diff(heights), c=float(heights[0]), activation="sigmoid")


def relu_network(target: str | Callable, n_hidden: int) -> ShallowNet:
    """The ReLU network with N units that interpolates ``target`` linearly at x = k/N.

    y_hat = f(0) + Σ_k m_k·relu(x − k/N), where m_0 is the first slope and m_k the change of
    slope at knot k: exactly the piecewise-linear interpolant on [0, 1] (error O(1/N²)).
    Raises like :func:`bump_network`.
    """
    f, n = get_target(target), check_whole_number(n_hidden, "n_hidden")
    knots = np.linspace(0.0, 1.0, n + 1)
    values = _values_of(f, knots, "target")
    slopes = np.diff(values) * n                     # (N,) slope of each piece
    v = np.diff(slopes, prepend=0.0)                 # change of slope at each kink
    return ShallowNet(w=np.ones(n), b=-knots[:-1], v=v, c=float(values[0]), activation="relu")


def ramp(x: Any, start: float, end: float, height: float) -> np.ndarray:
    """Two ReLUs make a ramp: 0 before ``start``, rising linearly to ``height`` at ``end``, flat after."""
    x = as_real_array(x, "x", allow_empty=True)
    start, end, height = check_number(start, "start"), check_number(end, "end"), check_number(height, "height")
    if end <= start:
        raise ValueError(f"a ramp needs start < end; got start={start}, end={end}.")
    m = finite(lambda: height / (end - start), "height / (end − start)")
    with np.errstate(invalid="ignore"):
        out = m * (_relu(x - start) - _relu(x - end))
    return np.where(np.isposinf(x), height, np.where(np.isneginf(x), 0.0, out))  # the limits at ±inf


def hat(x: Any, left: float, peak: float, right: float, height: float) -> np.ndarray:
    """Three ReLUs make a hat: 0 outside [left, right], ``height`` at ``peak``, linear between."""
    x = as_real_array(x, "x", allow_empty=True)
    left, peak, right = check_number(left, "left"), check_number(peak, "peak"), check_number(right, "right")
    height = check_number(height, "height")
    if not left < peak < right:
        raise ValueError(f"a hat needs left < peak < right; got {left}, {peak}, {right}.")
    up, down = finite(lambda: (height / (peak - left), height / (right - peak)), "the hat's slopes")
    with np.errstate(invalid="ignore"):
        out = up * _relu(x - left) - (up + down) * _relu(x - peak) + down * _relu(x - right)
    return np.where(np.isinf(x), 0.0, out)  # 0 far left and far right


def count_relus(knots_x: Sequence[float], knots_y: Sequence[float], tol: float = 1e-9) -> int:
    """How many right-opening ReLU units relu(x − k) a continuous piecewise-linear function on
    [x_0, x_K] needs (the units :func:`relu_network` builds).

    One per place where the slope changes, counting x_0 if the first slope is not 0 (the
    output bias supplies the constant). Units that may open to the left, relu(k − x), can
    need one fewer: (0, 0), (0.2, 0.4), (0.5, 0.4), (0.8, −0.2), (1, −0.2) needs 4 here but
    0.4 − 2·relu(0.2 − x) − 2·relu(x − 0.5) + 2·relu(x − 0.8) uses 3. ``knots_x`` must be increasing; shapes (K + 1,), finite;
    ``tol`` ≥ 0.
    """
    xs = as_real_array(knots_x, "knots_x", ndim=1, allow_inf=False)
    ys = as_real_array(knots_y, "knots_y", ndim=1, allow_inf=False)
    tol = check_number(tol, "tol")
    if tol < 0:
        raise ValueError(f"tol must be ≥ 0 (a slope change smaller than tol is ignored); got {tol!r}.")
    if xs.shape != ys.shape or xs.size < 2:
        raise ValueError(f"knots_x and knots_y need the same shape with ≥ 2 points; got {xs.shape}, {ys.shape}.")
    if np.any(np.diff(xs) <= 0):
        raise ValueError("knots_x must be strictly increasing.")
    slopes = np.diff(ys) / np.diff(xs)
    return int(np.sum(np.abs(np.diff(slopes, prepend=0.0)) > tol))


# -- errors --------------------------------------------------------------------------------------
def approximation_errors(y_hat: Any, y: Any) -> dict[str, float]:
    """Max and mean absolute error and MSE between two curves of the same shape (n,).

    ValueError for different shapes, empty input, NaN or infinite values.
    """
    y_hat, y = as_real_array(y_hat, "y_hat", allow_inf=False), as_real_array(y, "y", allow_inf=False)
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat and y must have the same shape; got {y_hat.shape} and {y.shape}.")
    err = finite(lambda: np.abs(y_hat - y), "y_hat − y")
    mse = finite(lambda: float(np.mean(err**2)), "the mean squared error", "y_hat − y is too large to square")
    return {"max_abs": float(err.max()), "mean_abs": float(err.mean()), "mse": mse}


def error_vs_n(target: str | Callable, ns: Sequence[int], kind: str = "sigmoid",
               n_grid: int = 2001) -> dict[str, np.ndarray]:
    """Errors of the constructed network for each N in ``ns`` on a grid of [0, 1].

    ``kind`` is "sigmoid" (:func:`bump_network`) or "relu" (:func:`relu_network`).
    Returns arrays of shape (len(ns),) under "n", "max_abs", "mean_abs". Raises ValueError for an
    unknown ``kind``, an empty ``ns`` or an entry < 1, ``n_grid`` < 2.
    """
    if kind not in ("sigmoid", "relu"):
        raise ValueError(f'kind must be "sigmoid" or "relu"; got {kind!r}.')
    if isinstance(ns, (str, bytes)) or not isinstance(ns, (Sequence, np.ndarray)) or len(ns) == 0:
        raise TypeError(f"ns must be a non-empty list of neuron counts such as [1, 2, 4, 8]; got {describe(ns)}.")
    ns = [check_whole_number(n, f"ns[{i}]") for i, n in enumerate(ns)]
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or n_grid < 2:
        raise ValueError(f"n_grid must be a whole number ≥ 2 (grid points on [0, 1]); got {describe(n_grid)}.")
    check_whole_number(n_grid, "n_grid", 2)
    check_size(max(ns) * n_grid, "a network evaluated on the grid (max(ns) × n_grid)")
    build = bump_network if kind == "sigmoid" else relu_network
    x = np.linspace(0.0, 1.0, n_grid)
    y = np.asarray(get_target(target)(x), dtype=float)
    rows = [approximation_errors(build(target, n)(x), y) for n in ns]
    return {"n": np.asarray(ns), "max_abs": np.array([r["max_abs"] for r in rows]),
            "mean_abs": np.array([r["mean_abs"] for r in rows])}


# -- the challenge -------------------------------------------------------------------------------
#: Average |deviation| five hand-tuned bump heights must beat on the wiggly curve (the best
#: heights, the median of the curve over each bump, reach ≈ 0.069; one flat line ≈ 0.16).
CHALLENGE_THRESHOLD = 0.08
_CHALLENGE_X = np.linspace(0.0, 1.0, 501)


def challenge_edges(n_bumps: int = 5) -> np.ndarray:
    """Edges of the challenge's ``n_bumps`` equal bumps on [0, 1], shape (n_bumps + 1,)."""
    return np.linspace(0.0, 1.0, check_whole_number(n_bumps, "n_bumps") + 1)


def challenge_output(x: Any, heights: Sequence[float], w: float = 400.0) -> np.ndarray:
    """Σ_k h_k·bump_k(x) for equal bumps on [0, 1] (2 neurons each); shape of ``x``.

    ``heights`` must be a non-empty 1-D list of finite numbers (ValueError / TypeError otherwise).
    """
    h = as_real_array(heights, "heights", ndim=1, allow_inf=False)
    w = check_number(w, "w")
    edges = challenge_edges(h.size)
    x = as_real_array(x, "x", allow_empty=True)
    out = np.zeros_like(x)
    for k in range(h.size):
        left = edges[k] - (1.0 if k == 0 else 0.0)          # the outer edges reach past [0, 1]
        right = edges[k + 1] + (1.0 if k == h.size - 1 else 0.0)
        out += h[k] * (_sig(w * (x - left)) - _sig(w * (x - right)))
    return out


def challenge_score(heights: Sequence[float], target: str | Callable = "wiggly") -> float:
    """Average |network − target| over [0, 1] for the given bump heights (lower is better)."""
    y = get_target(target)(_CHALLENGE_X)
    return float(np.mean(np.abs(challenge_output(_CHALLENGE_X, heights) - y)))
