"""Train a one-hidden-layer regression network with our own forward and backward pass (04).

The network is the :class:`~lecture_utils.approximation.ShallowNet` of the hand construction,
y_hat = f(x·w + b) @ v + c, but its N hidden units are found by gradient descent (Adam,
full batch) on the mean squared error instead of being placed by hand. The API is step-wise so
a UI loop can train in chunks and redraw between them::

    state = init_fit(x, y, n_hidden=20, activation="tanh", seed=0)
    state = fit_step(state, 500)       # 500 Adam steps; returns a new state
    state.loss                          # the current MSE

>>> import numpy as np
>>> from lecture_utils.fitting import init_fit, fit_step
>>> x = np.linspace(0, 1, 64); state = init_fit(x, np.sin(2 * np.pi * x), 20, seed=0)
>>> fit_step(state, 2000).loss < state.loss
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ._checks import as_real_array, check_positive_number, check_whole_number, describe
from ._checks import finite
from .approximation import ShallowNet

__all__ = ["FitState", "init_fit", "forward_1d", "loss_and_grads", "fit_step", "train_until",
           "to_network", "PARAM_NAMES"]

PARAM_NAMES = ("w", "b", "v", "c")
_ACTS = ("tanh", "sigmoid", "relu")


def _act(z: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """f(z) and f'(z)."""
    # 1 − a² and a(1 − a) lose relative accuracy where |z| ≳ 18, but there the derivative is
    # below 1e-15 and only ever multiplies an update: the fits (and the numbers notebook 04
    # prints from them) depend on these exact roundings, so the simple forms stay.
    if activation == "tanh":
        a = np.tanh(z)
        return a, 1.0 - a * a
    if activation == "sigmoid":
        a = 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), no overflow
        return a, a * (1.0 - a)
    return np.maximum(z, 0.0), (z > 0).astype(np.float64)


@dataclass(frozen=True)
class FitState:
    """Everything the training loop needs; :func:`fit_step` returns a new one.

    ``params`` maps "w", "b", "v" (each shape (N,)) and "c" (shape ()) to arrays; ``m`` and
    ``s`` are Adam's running first and second moments (same shapes); ``t`` counts steps;
    ``losses`` holds the MSE before each step (length t) and ``loss`` the current MSE.
    """

    x: np.ndarray
    y: np.ndarray
    params: dict[str, np.ndarray]
    activation: str = "tanh"
    lr: float = 0.01
    t: int = 0
    m: dict[str, np.ndarray] = field(default_factory=dict)
    s: dict[str, np.ndarray] = field(default_factory=dict)
    losses: tuple[float, ...] = ()
    loss: float = float("nan")

    @property
    def n_hidden(self) -> int:
        return int(self.params["w"].shape[0])


def _check_activation(activation: Any) -> str:
    if activation not in _ACTS:
        raise ValueError(f"activation must be one of {_ACTS}; got {describe(activation)}.")
    return activation


def _check_params(params: Any) -> dict[str, np.ndarray]:
    """params with "w", "b", "v" of one shape (N,) and a number "c", as float arrays."""
    if not isinstance(params, dict) or any(k not in params for k in PARAM_NAMES):
        raise TypeError(f"params must be a dict with keys {PARAM_NAMES} (e.g. state.params); got "
                        f"{describe(params) if not isinstance(params, dict) else sorted(params)}.")
    out = {k: as_real_array(params[k], f'params["{k}"]', ndim=1, allow_inf=False) for k in "wbv"}
    out["c"] = as_real_array(params["c"], 'params["c"]', ndim=0, allow_inf=False)
    if not out["w"].shape == out["b"].shape == out["v"].shape:
        raise ValueError('params["w"], params["b"] and params["v"] must all have shape (N,); got '
                         f'{out["w"].shape}, {out["b"].shape} and {out["v"].shape}.')
    return out


def _check_state(state: Any, name: str = "state") -> FitState:
    if not isinstance(state, FitState):
        raise TypeError(f"{name} must be a FitState from init_fit(x, y, n_hidden); got {describe(state)}.")
    return state


def forward_1d(params: dict[str, np.ndarray], x: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """y_hat = f(x·w + b) @ v + c for x of shape (n,); returns shape (n,).

    Raises TypeError / ValueError for params without the keys w, b, v, c or of mismatched shapes,
    x not 1-D finite numbers, an unknown activation.
    """
    params, activation = _check_params(params), _check_activation(activation)
    x = as_real_array(x, "x", ndim=1, allow_inf=False, allow_empty=True, copy=False)
    return _forward(params, x, activation)


def _forward(params: dict[str, np.ndarray], x: np.ndarray, activation: str) -> np.ndarray:
    a, _ = _act(np.multiply.outer(x, params["w"]) + params["b"], activation)  # (n, N)
    return a @ params["v"] + params["c"]  # (n, N) @ (N,) -> (n,)


def loss_and_grads(params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray,
                   activation: str = "tanh") -> tuple[float, dict[str, np.ndarray]]:
    """Mean squared error and its gradient with respect to every parameter (backprop by hand).

    Shapes: x, y (n,); params as in :class:`FitState`; gradients have the shapes of the params.
    Raises like :func:`forward_1d`, and for x, y of different shapes or empty.
    """
    params, activation = _check_params(params), _check_activation(activation)
    x = as_real_array(x, "x", ndim=1, allow_inf=False, copy=False)
    y = as_real_array(y, "y", ndim=1, allow_inf=False, copy=False)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape (n,); got x {x.shape} and y {y.shape}.")
    return finite(lambda: _loss_and_grads(params, x, y, activation), "the squared error and its gradients",
                  "x, y or the parameters are too large")


def _loss_and_grads(params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray,
                    activation: str) -> tuple[float, dict[str, np.ndarray]]:
    z = np.multiply.outer(x, params["w"]) + params["b"]       # (n, N)
    a, da_dz = _act(z, activation)                            # (n, N)
    r = a @ params["v"] + params["c"] - y                     # (n,) residuals
    n = x.shape[0]
    g = (2.0 / n) * r                                         # dL/dy_hat, (n,)
    dz = np.multiply.outer(g, params["v"]) * da_dz            # (n, N)
    grads = {"w": x @ dz, "b": dz.sum(axis=0), "v": g @ a, "c": np.asarray(g.sum())}
    return float(r @ r) / n, grads


def init_fit(x: Any, y: Any, n_hidden: int, activation: str = "tanh", lr: float = 0.01,
             seed: int = 0, weight_scale: float = 8.0) -> FitState:
    """A fresh network for the data (x, y), each of shape (n,), with kinks spread over the data.

    Hidden weights are w ~ N(0, weight_scale²) and biases b = −w·u with u uniform over the
    range of x, so every unit's transition starts somewhere inside the data; output weights
    are small. Raises ``ValueError`` for mismatched shapes, an unknown activation, ``n_hidden`` < 1,
    ``lr`` or ``weight_scale`` not > 0, or a ``seed`` numpy cannot use.
    """
    x = as_real_array(x, "x", ndim=1, allow_inf=False)
    y = as_real_array(y, "y", ndim=1, allow_inf=False)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape (n,); got {x.shape} and {y.shape}.")
    _check_activation(activation)
    if isinstance(n_hidden, bool) or not isinstance(n_hidden, (int, np.integer)) or n_hidden < 1:
        raise ValueError(f"n_hidden must be a whole number ≥ 1; got {describe(n_hidden)}.")
    check_whole_number(n_hidden, "n_hidden")
    lr = check_positive_number(lr, "lr")
    weight_scale = check_positive_number(weight_scale, "weight_scale")
    if seed is None or isinstance(seed, (bool, np.bool_)):
        raise ValueError(f"seed must be a whole number ≥ 0 such as 0 or 42 (the same seed, the same fit); "
                         f"got {seed!r}.")
    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise ValueError(f"seed must be a whole number ≥ 0 such as 0 or 42; got {describe(seed)}.") from None
    w = rng.normal(0.0, weight_scale, n_hidden)
    u = rng.uniform(x.min(), x.max(), n_hidden)
    params = {"w": w, "b": -w * u, "v": rng.normal(0.0, 1.0 / np.sqrt(n_hidden), n_hidden),
              "c": np.asarray(float(np.mean(y)))}
    zeros = {k: np.zeros_like(p) for k, p in params.items()}
    loss, _ = finite(lambda: _loss_and_grads(params, x, y, activation), "the initial loss",
                     "x or y is too large: rescale the data")
    return FitState(x=x, y=y, params=params, activation=activation, lr=lr,
                    m=zeros, s={k: z.copy() for k, z in zeros.items()}, loss=loss)


def fit_step(state: FitState, n_steps: int = 1, beta1: float = 0.9, beta2: float = 0.999,
             eps: float = 1e-8) -> FitState:
    """``n_steps`` full-batch Adam steps; returns a new :class:`FitState` (the input is unchanged).

    Raises TypeError if ``state`` is not a FitState; ValueError for ``n_steps`` < 0, ``beta1`` or
    ``beta2`` outside [0, 1), ``eps`` ≤ 0, or a learning rate ``state.lr`` ≤ 0.
    """
    state, n_steps = _check_state(state), check_whole_number(n_steps, "n_steps", 0, maximum=10**5)
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if isinstance(beta, bool) or not isinstance(beta, (int, float, np.integer, np.floating)) or not 0 <= beta < 1:
            raise ValueError(f"{name} (an Adam decay rate) must be a number in [0, 1), e.g. 0.9; got {describe(beta)}.")
    eps = check_positive_number(eps, "eps")
    check_positive_number(state.lr, "state.lr (the learning rate)")
    p = {k: v.copy() for k, v in state.params.items()}
    m = {k: v.copy() for k, v in state.m.items()}
    s = {k: v.copy() for k, v in state.s.items()}
    t, lr, losses = state.t, state.lr, []
    x, y, act = state.x, state.y, state.activation
    for _ in range(n_steps):
        with np.errstate(over="ignore", invalid="ignore"):
            loss, grads = _loss_and_grads(p, x, y, act)
        if not np.isfinite(loss) or not all(np.isfinite(g).all() for g in grads.values()):
            raise ValueError(f"the fit diverged at step {t + 1} (the loss became {loss:.3g}): the learning rate "
                             f"lr = {lr:g} is far too large — try 0.01.")
        losses.append(loss)
        t += 1
        c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t
        for k in PARAM_NAMES:
            m[k] = beta1 * m[k] + (1.0 - beta1) * grads[k]
            s[k] = beta2 * s[k] + (1.0 - beta2) * grads[k] ** 2
            p[k] = p[k] - lr * (m[k] / c1) / (np.sqrt(s[k] / c2) + eps)
    r = _forward(p, x, act) - y
    return replace(state, params=p, m=m, s=s, t=t, losses=state.losses + tuple(losses),
                   loss=float(r @ r) / x.shape[0])


def train_until(state: FitState, target_mse: float, max_steps: int, chunk: int = 200) -> FitState:
    """Train in chunks until the MSE is ≤ ``target_mse`` or ``max_steps`` steps are done.

    ValueError for a negative or NaN ``target_mse``, ``max_steps`` < 0 or ``chunk`` < 1.
    """
    state = _check_state(state)
    target = as_real_array(target_mse, "target_mse", ndim=0)
    if not target >= 0:
        raise ValueError(f"target_mse must be a number ≥ 0 (a mean squared error); got {target_mse!r}.")
    max_steps, chunk = check_whole_number(max_steps, "max_steps", 0), check_whole_number(chunk, "chunk", 1)
    while state.loss > target_mse and state.t < max_steps:
        state = fit_step(state, min(chunk, max_steps - state.t))
    return state


def to_network(state: FitState) -> ShallowNet:
    """The trained parameters as a :class:`ShallowNet` (to evaluate anywhere, e.g. outside [0, 1]).

    TypeError if ``state`` is not a :class:`FitState`."""
    p = _check_state(state).params
    return ShallowNet(w=p["w"].copy(), b=p["b"].copy(), v=p["v"].copy(), c=float(p["c"]),
                      activation=state.activation)
