"""Activation functions and their derivatives (introduced in 01_nonlinearity).

Every function accepts a number, a list or an array, returns a new float64 array of the same
shape (a 0-d array for a single number), never modifies its input and raises ``ValueError`` on
NaN or empty input, ``TypeError`` on strings, complex numbers or ragged lists. Infinite inputs
are allowed (each function has a well-defined limit there), and no finite input — ±1e308
included — overflows or warns.

>>> from lecture_utils import sigmoid, get_activation
>>> float(sigmoid(0.0))
0.5
>>> get_activation("relu")([-1.0, 2.0]).tolist()
[0.0, 2.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ._checks import as_real_array, check_positive_number

__all__ = [
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad",
    "leaky_relu", "leaky_relu_grad", "identity", "identity_grad",
    "Activation", "ACTIVATIONS", "get_activation",
]


def _x(x: Any) -> np.ndarray:
    """A new float64 copy of ``x`` (ours to modify), or a message naming ``x``."""
    return as_real_array(x, "x")


def _out(a: Any) -> np.ndarray:
    """Always an ndarray (ufuncs turn 0-d arrays into numpy scalars)."""
    return np.asarray(a, dtype=np.float64)


def sigmoid(x: Any) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^(-x)), computed without overflow for any float64.

    Uses e^(-|x|), which lies in (0, 1], so neither branch can overflow or warn
    (``sigmoid(-1e308)`` is exactly 0, ``sigmoid(1e308)`` exactly 1).
    """
    x = _x(x)
    e = np.exp(-np.abs(x))  # in [0, 1]: no overflow possible
    return _out(np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)))


def sigmoid_grad(x: Any) -> np.ndarray:
    """Derivative of the sigmoid: s(x)·(1 − s(x)) = e^(−|x|) / (1 + e^(−|x|))².

    The second form keeps full relative accuracy in the tails (s·(1 − s) rounds to 0 once
    s rounds to 1, near |x| ≈ 37).
    """
    e = np.exp(-np.abs(_x(x)))  # in [0, 1]
    return _out(e / ((1.0 + e) * (1.0 + e)))


def tanh(x: Any) -> np.ndarray:
    """Hyperbolic tangent, (e^x − e^(−x)) / (e^x + e^(−x)), in (−1, 1)."""
    return _out(np.tanh(_x(x)))


def tanh_grad(x: Any) -> np.ndarray:
    """Derivative of tanh: 1 − tanh(x)² = 4·e^(−2|x|) / (1 + e^(−2|x|))².

    The second form keeps full relative accuracy in the tails and cannot overflow.
    """
    u = np.exp(-np.abs(_x(x)))
    t = u * u  # e^(−2|x|) in [0, 1]; underflow to 0 is silent and harmless
    return _out(4.0 * t / ((1.0 + t) * (1.0 + t)))


def relu(x: Any) -> np.ndarray:
    """Rectified linear unit max(0, x)."""
    return _out(np.maximum(_x(x), 0.0))


def relu_grad(x: Any) -> np.ndarray:
    """Derivative of ReLU: 1 where x > 0, else 0 (the convention at x = 0 is 0)."""
    return _out((_x(x) > 0).astype(np.float64))


def leaky_relu(x: Any, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: x where x > 0, alpha·x elsewhere (``alpha`` > 0, default 0.01).

    With ``alpha`` > 1 and x below −1.8e308 / alpha the true value is beyond float64 and the
    result is −inf (silently: that is the correctly rounded answer).
    """
    alpha = check_positive_number(alpha, "alpha")
    x = _x(x)  # our own copy: safe to scale in place
    with np.errstate(over="ignore"):
        np.multiply(x, alpha, out=x, where=~(x > 0))
    return _out(x)


def leaky_relu_grad(x: Any, alpha: float = 0.01) -> np.ndarray:
    """Derivative of leaky ReLU: 1 where x > 0, alpha elsewhere."""
    alpha = check_positive_number(alpha, "alpha")
    return _out(np.where(_x(x) > 0, 1.0, alpha))


def identity(x: Any) -> np.ndarray:
    """The identity ("linear") activation f(x) = x, as a new float64 array."""
    return _out(_x(x))


def identity_grad(x: Any) -> np.ndarray:
    """Derivative of the identity: 1 everywhere."""
    return _out(np.ones_like(_x(x)))


@dataclass(frozen=True)
class Activation:
    """An activation with its derivative, a LaTeX formula and whether it is linear."""

    name: str
    f: Callable[[Any], np.ndarray]
    grad: Callable[[Any], np.ndarray]
    latex: str
    linear: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty string; got {self.name!r}.")
        for what in ("f", "grad"):
            if not callable(getattr(self, what)):
                raise TypeError(f"{what} must be a function of an array z; got {type(getattr(self, what)).__name__}.")
        if not isinstance(self.latex, str):
            raise TypeError(f"latex must be a string such as r'f(z) = \\tanh z'; got {type(self.latex).__name__}.")
        if not isinstance(self.linear, (bool, np.bool_)):
            raise TypeError(f"linear must be True or False; got {self.linear!r}.")

    def __call__(self, x: Any) -> np.ndarray:
        return self.f(x)


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", identity, identity_grad, r"f(z) = z", linear=True),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_grad, r"f(z) = \frac{1}{1 + e^{-z}}"),
    "tanh": Activation("tanh", tanh, tanh_grad, r"f(z) = \tanh z"),
    "relu": Activation("relu", relu, relu_grad, r"f(z) = \max(0, z)"),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_grad,
                             r"f(z) = \max(0.01\,z, z)"),
}


def get_activation(name: str | Activation) -> Activation:
    """Look an activation up by name ("identity", "sigmoid", "tanh", "relu", "leaky_relu").

    An :class:`Activation` is returned unchanged. Raises ``ValueError`` naming the known
    activations for an unknown name, ``TypeError`` for anything that is not a string.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name such as 'relu'; got {type(name).__name__} {name!r}.")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = {"linear": "identity", "logistic": "sigmoid", "leakyrelu": "leaky_relu"}.get(key, key)
    if key not in ACTIVATIONS:
        known = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; choose one of {known}.")
    return ACTIVATIONS[key]
