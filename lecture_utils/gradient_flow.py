"""How the gradient flows down a deep stack: initialisation and vanishing gradients (07_training).

Backpropagation through one hidden layer multiplies the signal by two things:

    δ[l-1] = (δ[l] @ W[l].T) ⊙ f'(Z[l-1])

the weights ``W[l].T`` (their size is set by the initialisation) and the activation's slope
``f'(Z)`` (at most ¼ for the sigmoid, and far less where a unit is saturated). Whether the
gradient of the first layer vanishes, survives or explodes after many layers depends on both.

Two standard initialisations, for a layer with ``fan_in`` inputs and ``fan_out`` outputs:

* **Xavier** (Glorot & Bengio 2010): Var(w) = 2 / (fan_in + fan_out) — keeps the variance of a
  tanh / sigmoid signal roughly constant from layer to layer (forward and backward);
* **He** (He et al. 2015): Var(w) = 2 / fan_in — twice as large, to make up for ReLU switching
  off about half of its units.

``gain`` multiplies the standard deviation (1 = the rule as published). For a layer with
fan_in = fan_out, Xavier's variance is 1/fan_in — what ``init_layers(scale="xavier")`` uses for
every layer; this module uses the published 2/(fan_in + fan_out), which differs only at the
first and last layer.

>>> import numpy as np
>>> from lecture_utils.gradient_flow import deep_layers, gradient_flow
>>> X, y = np.random.default_rng(0).normal(size=(50, 2)), np.arange(50) % 3
>>> flow = gradient_flow(X, y, deep_layers(4), "tanh")
>>> flow.grad_norms.shape, flow.mean_slopes.shape      # 4 hidden layers + the output layer
((5,), (4,))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import check_positive_number, check_whole_number, describe
from .activations import Activation, get_activation
from .backprop import backprop

__all__ = ["INITS", "init_std", "deep_layers", "GradientFlow", "gradient_flow"]

INITS = ("xavier", "he")


def init_std(fan_in: int, fan_out: int, init: str = "xavier", gain: float = 1.0) -> float:
    """Standard deviation of the weights of one layer under an initialisation rule.

    Parameters
    ----------
    fan_in, fan_out : int ≥ 1
        Inputs and outputs of the layer (W has shape (fan_in, fan_out)).
    init : {"xavier", "he"}
        Xavier: √(2 / (fan_in + fan_out)); He: √(2 / fan_in).
    gain : float > 0
        Multiplies the standard deviation.

    Raises
    ------
    ValueError / TypeError
        Fans not whole numbers ≥ 1, an unknown ``init``, ``gain`` not a finite number > 0.
    """
    fan_in, fan_out = check_whole_number(fan_in, "fan_in"), check_whole_number(fan_out, "fan_out")
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"init must be one of {list(INITS)}; got {describe(init)}.")
    gain = check_positive_number(gain, "gain")
    var = 2.0 / (fan_in + fan_out) if init == "xavier" else 2.0 / fan_in
    return gain * float(np.sqrt(var))


def deep_layers(depth: int, width: int = 32, *, d_in: int = 2, d_out: int = 3, init: str = "xavier",
                gain: float = 1.0, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """A stack of ``depth`` hidden layers of ``width`` units, weights drawn by ``init``.

    Returns ``depth + 1`` pairs (W, b): d_in → width → … → width → d_out, biases zero, weights
    N(0, init_std(fan_in, fan_out, init, gain)²) from ``np.random.default_rng(seed)``.

    Raises
    ------
    ValueError / TypeError
        ``depth``, ``width``, ``d_in``, ``d_out`` not whole numbers ≥ 1 (``seed`` ≥ 0), or bad
        ``init`` / ``gain`` as in :func:`init_std`.
    """
    depth, width = check_whole_number(depth, "depth"), check_whole_number(width, "width")
    d_in, d_out = check_whole_number(d_in, "d_in"), check_whole_number(d_out, "d_out")
    rng = np.random.default_rng(check_whole_number(seed, "seed", 0))
    sizes = [d_in] + [width] * depth + [d_out]
    return [(rng.normal(0.0, init_std(a, b, init, gain), size=(a, b)), np.zeros(b))
            for a, b in zip(sizes[:-1], sizes[1:])]


@dataclass
class GradientFlow:
    """What :func:`gradient_flow` measured.

    Attributes
    ----------
    grad_norms : ndarray, shape (L,)
        ‖∂L/∂W_l‖ (Frobenius) for every layer l = 1 … L (the last is the output layer).
    mean_slopes : ndarray, shape (L − 1,)
        Mean of f'(Z_l) over the examples and units of each hidden layer: the average gate the
        flowing gradient passes (¼ at best for the sigmoid; the fraction of active units for ReLU).
    activation : str
    """

    grad_norms: np.ndarray
    mean_slopes: np.ndarray
    activation: str

    @property
    def ratio(self) -> float:
        """‖∂L/∂W_1‖ / ‖∂L/∂W_L‖: how much smaller (< 1) or larger the first layer's gradient is."""
        return float(self.grad_norms[0] / self.grad_norms[-1]) if self.grad_norms[-1] > 0 else float("nan")

    @property
    def factor_per_layer(self) -> float:
        """The geometric-mean change per layer, ratio ** (1 / (L − 1)); 1.0 for a single layer."""
        L = len(self.grad_norms)
        return 1.0 if L < 2 else float(self.ratio ** (1.0 / (L - 1)))


def gradient_flow(X: Any, y: Any, layers: Any, activation: str | Activation = "sigmoid") -> GradientFlow:
    """Per-layer gradient norms and mean activation slopes of one backward pass.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like of int, shape (n,)
    layers : list of (W, b)
        e.g. :func:`deep_layers`; the last layer outputs the K logits.
    activation : str or Activation
        After every hidden layer.

    Returns
    -------
    GradientFlow

    Raises like :func:`lecture_utils.backprop.backprop` (shapes, labels, unknown activation).
    """
    act = get_activation(activation)
    result = backprop(X, y, layers, act)
    norms = np.array([np.linalg.norm(dW) for dW, _ in result.grads])
    slopes = np.array([float(np.mean(act.grad(Z))) for Z in result.forward.pre_activations[:-1]])
    return GradientFlow(grad_norms=norms, mean_slopes=slopes, activation=act.name)
