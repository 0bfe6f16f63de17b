"""Dense layers, the forward pass and the collapse of linear stacks (01 and 02).

Conventions (d2l-style): rows of ``X`` are examples, columns are features.
A layer is a pair ``(W, b)`` with ``W`` of shape (d_in, d_out) and ``b`` of shape (d_out,).

>>> import numpy as np
>>> from lecture_utils import dense
>>> X = np.ones((200, 4)); W = np.ones((4, 5)); b = np.zeros(5)
>>> dense(X, W, b).shape          # (200, 4) @ (4, 5) + (5,) -> (200, 5)
(200, 5)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ._checks import as_real_array, check_rng, describe
from .activations import Activation, get_activation

__all__ = ["dense", "forward", "ForwardResult", "collapse_linear", "init_layers"]


def _check_layer(W: Any, b: Any, where: str = "") -> tuple[np.ndarray, np.ndarray]:
    W = as_real_array(W, f"W{where}", ndim=2, allow_inf=False)
    b = as_real_array(b, f"b{where}", ndim=(0, 1, 2), allow_inf=False)
    h = W.shape[1]
    if b.ndim == 0:
        raise ValueError(
            f"b{where} must be a vector of shape ({h},), one bias per output neuron; got a "
            f"single number. Use np.full({h}, value) if every neuron shares it."
        )
    if b.ndim == 2:
        if b.shape == (1, h):
            b = b.reshape(h)
        else:
            raise ValueError(
                f"b{where} must have shape ({h},) to match the {h} columns of W{where} "
                f"{W.shape}; got {b.shape}. Use b.ravel() if it holds {h} numbers."
            )
    if b.shape[0] != h:
        raise ValueError(
            f"b{where} must have one entry per column of W{where}: W{where} has shape {W.shape}, "
            f"so b{where} needs shape ({h},); got {b.shape}."
        )
    return W, b


def dense(X: Any, W: Any, b: Any) -> np.ndarray:
    """One dense (fully connected) layer: ``X @ W + b``.

    Parameters
    ----------
    X : array_like, shape (n, d)
        n examples (rows) with d features (columns).
    W : array_like, shape (d, h)
        One column of weights per neuron of the layer.
    b : array_like, shape (h,)
        One bias per neuron; broadcast over the n rows.

    Returns
    -------
    ndarray, shape (n, h)
        Pre-activations z of every example at every neuron.

    Raises
    ------
    ValueError
        When the shapes do not chain, e.g. X (200, 4) with W (5, 4): the 4 columns of X must
        match the rows of W; the message suggests ``W.T`` (or ``X.T``) when that would fit.
        Also NaN / inf / empty input, and a result that overflows float64.
    TypeError
        Non-numeric input.
    """
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    W = as_real_array(W, "W", ndim=2, allow_inf=False)
    n, d = X.shape
    if W.shape[0] != d:  # the X–W rule first: it is the mistake students make (W for W.T)
        hint = ""
        if W.shape[1] == d:
            hint = f" Did you mean W.T (shape {W.shape[::-1]})?"
        elif n == W.shape[0]:
            hint = (f" Rows of X are examples and columns are features: did you mean X.T "
                    f"(shape {X.shape[::-1]})?")
        raise ValueError(
            f"shape mismatch in X @ W: X has shape {X.shape} and W has shape {W.shape}; the "
            f"{d} columns of X (features) must match the {W.shape[0]} rows of W.{hint}"
        )
    W, b = _check_layer(W, b)
    return _finite(lambda: X @ W + b, "X @ W + b", X, W)  # (n, d) @ (d, h) + (h,) -> (n, h)


def _finite(compute: Any, what: str, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Run a matrix product; if it overflowed float64, say so instead of returning inf/NaN."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = compute()
    if not np.isfinite(out).all():
        raise ValueError(
            f"{what} overflowed float64 (results beyond ±1.8e308): the largest inputs are "
            f"|{np.max(np.abs(A)):.3g}| and |{np.max(np.abs(B)):.3g}|. This is what exploding "
            "values look like: scale the inputs or weights down."
        )
    return out


@dataclass
class ForwardResult:
    """Everything a forward pass computed, layer by layer.

    Attributes
    ----------
    X : ndarray, shape (n, d)
        The input batch.
    pre_activations : list of ndarray
        ``Z[l] = A[l-1] @ W[l] + b[l]``, one (n, h_l) array per layer.
    activations : list of ndarray
        ``A[l] = f(Z[l])``, one (n, h_l) array per layer; the last is the network's output.
    activation_names : list of str
        The activation used at each layer.
    """

    X: np.ndarray
    pre_activations: list[np.ndarray] = field(default_factory=list)
    activations: list[np.ndarray] = field(default_factory=list)
    activation_names: list[str] = field(default_factory=list)

    @property
    def output(self) -> np.ndarray:
        """The last layer's activation, shape (n, h_L)."""
        return self.activations[-1]

    def shape_table(self, layers: Sequence[tuple[Any, Any]] | None = None) -> list[dict[str, Any]]:
        """One row per layer: the shapes of its input, W, b, Z and A."""
        rows = []
        inputs = [self.X] + self.activations[:-1]
        for i, (a_in, z, name) in enumerate(zip(inputs, self.pre_activations, self.activation_names)):
            row = {"layer": i + 1, "input": a_in.shape, "Z": z.shape, "A": z.shape, "activation": name}
            if layers is not None:
                W, b = layers[i]
                row["W"], row["b"] = np.shape(W), np.shape(b)
            rows.append(row)
        return rows


def _ndim(x: Any) -> int:
    try:
        return int(np.ndim(x))
    except (ValueError, TypeError):  # ragged
        return -1


def _layer_list(layers: Any) -> list[tuple[Any, Any]]:
    if isinstance(layers, tuple) and len(layers) == 2 and _ndim(layers[0]) == 2:
        layers = [layers]  # a single (W, b) pair
    if not isinstance(layers, (list, tuple)) or len(layers) == 0:
        raise ValueError(f"layers must be a non-empty list of (W, b) pairs; got {describe(layers)}.")
    for i, layer in enumerate(layers):
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            raise ValueError(f"layer {i + 1} must be a pair (W, b); got {describe(layer)}.")
    return list(layers)


def forward(
    X: Any,
    layers: Sequence[tuple[Any, Any]],
    activation: str | Activation = "relu",
    output_activation: str | Activation = "identity",
) -> ForwardResult:
    """Run a stack of dense layers, keeping every pre-activation and activation.

    Parameters
    ----------
    X : array_like, shape (n, d)
    layers : list of (W, b)
        ``W[l]`` has shape (h_{l-1}, h_l) with h_0 = d; ``b[l]`` has shape (h_l,).
    activation : str or Activation
        Used after every hidden layer ("relu", "tanh", "sigmoid", "identity", ...).
    output_activation : str or Activation
        Used after the last layer (default "identity": the output is the raw scores).

    Returns
    -------
    ForwardResult
        ``.pre_activations`` and ``.activations`` (one (n, h_l) array per layer), ``.output``.

    Raises
    ------
    ValueError
        A layer whose W does not chain with the previous output; the message names the layer.
    """
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    layers = _layer_list(layers)
    hidden, last = get_activation(activation), get_activation(output_activation)
    result = ForwardResult(X=X)
    A = X
    for i, (W, b) in enumerate(layers):
        act = last if i == len(layers) - 1 else hidden
        try:
            Z = dense(A, W, b)
        except ValueError as exc:
            raise ValueError(f"layer {i + 1} of {len(layers)}: {exc}") from None
        A = act(Z)
        result.pre_activations.append(Z)
        result.activations.append(A)
        result.activation_names.append(act.name)
    return result


def collapse_linear(layers: Sequence[tuple[Any, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """The single linear layer equivalent to a stack of linear (identity-activation) layers.

    ``X @ W1 + b1`` fed into ``@ W2 + b2`` equals ``X @ (W1 @ W2) + (b1 @ W2 + b2)``; repeating
    this folds any number of layers into one ``(W, b)``.

    Parameters
    ----------
    layers : list of (W, b)
        Shapes as in :func:`forward`.

    Returns
    -------
    W : ndarray, shape (d, h_L)
    b : ndarray, shape (h_L,)

    Raises
    ------
    ValueError
        When consecutive layers do not chain (the message names the layer and both shapes).
    """
    layers = _layer_list(layers)
    W, b = _check_layer(*layers[0], where=" of layer 1")
    for i, (W_next, b_next) in enumerate(layers[1:], start=2):
        W_next, b_next = _check_layer(W_next, b_next, where=f" of layer {i}")
        if W_next.shape[0] != W.shape[1]:
            raise ValueError(
                f"layer {i} does not chain: it has W of shape {W_next.shape} but the layer before "
                f"outputs {W.shape[1]} values, so its W needs {W.shape[1]} rows."
            )
        # (d, h) @ (h, h') ; (h,) @ (h, h') + (h',)
        W, b = (_finite(lambda: W @ W_next, f"W @ W of layer {i}", W, W_next),
                _finite(lambda: b @ W_next + b_next, f"b @ W + b of layer {i}", b, W_next))
    return W, b


def init_layers(
    sizes: Sequence[int], rng: np.random.Generator, scale: str | float = "he"
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random layers for the widths ``sizes = [d, h1, ..., h_L]``, drawn from ``rng``.

    ``scale="he"`` uses N(0, 2/fan_in) weights (good for ReLU), ``"xavier"`` N(0, 1/fan_in),
    a number uses it as the standard deviation. Biases start at zero.
    """
    check_rng(rng)
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(f"sizes must be a list of layer widths such as [4, 8, 3]; got {describe(sizes)}.") from None
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1
                             for s in sizes):
        raise ValueError(f"sizes must be at least two positive integers [d, h1, ...]; got {sizes!r}.")
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if scale == "he":
            std = np.sqrt(2.0 / fan_in)
        elif scale == "xavier":
            std = np.sqrt(1.0 / fan_in)
        elif isinstance(scale, (int, float)) and not isinstance(scale, bool) and 0 < scale < float("inf"):
            std = float(scale)
        else:
            raise ValueError(f"scale must be 'he', 'xavier' or a positive number; got {scale!r}.")
        layers.append((rng.normal(0.0, std, size=(fan_in, fan_out)), np.zeros(fan_out)))
    return layers
