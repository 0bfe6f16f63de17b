"""Backpropagation for a multi-layer perceptron, layer by layer (07_training).

Backpropagation answers the lecture's two questions at once:

* *how should each weight change?*  — ``∂L/∂W[l]`` and ``∂L/∂b[l]`` for every layer;
* *how does the loss flow back?*    — ``∂L/∂A[l-1]``, handed to the layer below.

Conventions as in :mod:`lecture_utils.forward_pass`: rows are examples, ``W`` has shape
(d_in, d_out), ``b`` has shape (d_out,). The loss is the mean cross-entropy of the softmax
of the last layer's raw scores (logits), so every gradient here is already divided by n.

>>> import numpy as np
>>> from lecture_utils import init_layers
>>> from lecture_utils.backprop import backprop
>>> X = np.zeros((5, 2)); y = np.array([0, 1, 2, 0, 1])
>>> result = backprop(X, y, init_layers([2, 4, 3], np.random.default_rng(0)))
>>> [g[0].shape for g in result.grads]          # one dW per layer, shaped like W
[(2, 4), (4, 3)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ._checks import as_label_array, as_real_array, check_matrix
from ._checks import finite
from .activations import Activation, get_activation
from .forward_pass import ForwardResult, _check_layer, _layer_list, forward
from .gradcheck import numerical_gradient, relative_error
from .losses import cross_entropy_from_logits, one_hot
from .softmax import softmax

__all__ = [
    "softmax_cross_entropy_backward", "dense_backward", "activation_backward",
    "BackpropResult", "backprop", "l2_penalty", "l2_gradient", "check_gradients",
]

Layers = Sequence[tuple[np.ndarray, np.ndarray]]


def _labels(y: Any, n: int, K: int) -> np.ndarray:
    labels = as_label_array(y, "y")
    if labels.ndim != 1 or labels.shape[0] != n:
        raise ValueError(
            f"y must hold one integer label per example, shape ({n},); got shape {labels.shape}."
        )
    if labels.min() < 0 or labels.max() >= K:
        raise ValueError(f"y: labels must lie in 0 … {K - 1} for {K} classes (the last layer has {K} "
                         f"outputs); got labels from {labels.min()} to {labels.max()}.")
    return labels


def softmax_cross_entropy_backward(logits: Any, y: Any) -> np.ndarray:
    """∂L/∂Z for L = mean cross-entropy of softmax(Z): (softmax(Z) − Y) / n.

    Parameters
    ----------
    logits : array_like, shape (n, K)
        Raw scores Z of the last layer.
    y : array_like of int, shape (n,)
        True class of each example.

    Returns
    -------
    ndarray, shape (n, K)
        Each row sums to 0: probability taken from wrong classes is given to the true one.

    Raises
    ------
    ValueError
        Logits not 2-D, or labels of the wrong length / out of range.
    """
    Z = as_real_array(logits, "logits", ndim=2, allow_inf=False)
    n, K = Z.shape
    Y = one_hot(_labels(y, n, K), K)  # (n, K)
    return (softmax(Z, axis=1) - Y) / n


def dense_backward(dZ: Any, A_prev: Any, W: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of one dense layer Z = A_prev @ W + b.

    Parameters
    ----------
    dZ : array_like, shape (n, h)
        ∂L/∂Z, the gradient arriving from above.
    A_prev : array_like, shape (n, d)
        The layer's input (saved by the forward pass).
    W : array_like, shape (d, h)

    Returns
    -------
    dA_prev : ndarray, shape (n, d)
        ``dZ @ W.T`` — how the loss flows back to the layer below.
    dW : ndarray, shape (d, h)
        ``A_prev.T @ dZ`` — how to change each weight (summed over the batch).
    db : ndarray, shape (h,)
        ``dZ.sum(axis=0)``.

    Raises
    ------
    ValueError
        Shapes that do not chain (the message gives all three shapes).
    """
    dZ = as_real_array(dZ, "dZ", ndim=2, allow_inf=False)
    A_prev = as_real_array(A_prev, "A_prev", ndim=2, allow_inf=False)
    W = as_real_array(W, "W", ndim=2, allow_inf=False)
    if A_prev.shape[0] != dZ.shape[0] or W.shape != (A_prev.shape[1], dZ.shape[1]):
        raise ValueError(
            f"dense_backward needs dZ (n, h), A_prev (n, d) and W (d, h); got dZ {dZ.shape}, "
            f"A_prev {A_prev.shape}, W {W.shape}. Pass the layer's own input and weights."
        )
    return finite(lambda: (dZ @ W.T,  # (n, h) @ (h, d) -> (n, d)
                           A_prev.T @ dZ,  # (d, n) @ (n, h) -> (d, h)
                           dZ.sum(axis=0)),  # (n, h) -> (h,)
                  "dense_backward (dZ @ W.T, A_prev.T @ dZ)", "exploding gradients: scale dZ, A_prev or W down")


def activation_backward(dA: Any, Z: Any, activation: str | Activation) -> np.ndarray:
    """∂L/∂Z = ∂L/∂A ⊙ f'(Z) for A = f(Z), element by element.

    Parameters
    ----------
    dA, Z : array_like, same shape (n, h)
    activation : str or Activation
        Its ``grad`` gives f'.

    Raises
    ------
    ValueError
        ``dA`` and ``Z`` of different shapes, or an unknown activation.
    """
    act = get_activation(activation)
    dA = as_real_array(dA, "dA", allow_inf=False)
    Z = as_real_array(Z, "Z", allow_inf=False)
    if dA.shape != Z.shape:
        raise ValueError(f"dA and Z must have the same shape; got dA {dA.shape} and Z {Z.shape}.")
    return dA * act.grad(Z)


@dataclass
class BackpropResult:
    """The loss, one ``(dW, db)`` per layer (shaped like ``(W, b)``) and the forward pass."""

    loss: float
    grads: list[tuple[np.ndarray, np.ndarray]]
    forward: ForwardResult


def backprop(X: Any, y: Any, layers: Layers, activation: str | Activation = "relu") -> BackpropResult:
    """Forward and backward pass of an MLP with softmax + mean cross-entropy on top.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like of int, shape (n,)
    layers : list of (W, b)
        As in :func:`lecture_utils.forward`; the last layer outputs K logits.
    activation : str or Activation
        Used after every hidden layer; the last layer has none (its output is the logits).

    Returns
    -------
    BackpropResult
        ``.loss`` (float), ``.grads`` (list of (dW, db)), ``.forward``.

    Raises
    ------
    ValueError
        Shapes that do not chain, or labels that do not fit the number of outputs.
    """
    act, layers = get_activation(activation), _layer_list(layers)
    fwd = forward(X, layers, activation=act, output_activation="identity")
    logits = fwd.output
    loss = float(cross_entropy_from_logits(_labels(y, *logits.shape), logits))
    dZ = softmax_cross_entropy_backward(logits, y)  # (n, K)
    inputs = [fwd.X] + fwd.activations[:-1]
    grads: list[tuple[np.ndarray, np.ndarray]] = []
    for i in range(len(layers) - 1, -1, -1):
        W = np.asarray(layers[i][0], dtype=np.float64)
        dA_prev, dW, db = dense_backward(dZ, inputs[i], W)
        grads.append((dW, db))
        if i > 0:
            dZ = activation_backward(dA_prev, fwd.pre_activations[i - 1], act)
    return BackpropResult(loss=loss, grads=grads[::-1], forward=fwd)


def l2_penalty(layers: Layers, lam: float) -> float:
    """The L2 regulariser r(θ) = λ/2 · Σ_l ‖W_l‖² (biases are not penalised).

    Raises ``ValueError`` for a negative or non-finite ``lam``, or ``layers`` that are not a
    non-empty list of (W, b) pairs of finite numbers.
    """
    lam, pairs = _lam(lam), _checked_layers(layers)
    return finite(lambda: 0.5 * lam * float(sum(np.sum(W ** 2) for W, _ in pairs)), "the L2 penalty λ/2·Σ‖W‖²",
                  "the weights or λ are too large")


def l2_gradient(layers: Layers, lam: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """∇r(θ): ``(λ·W, 0)`` for each layer, shaped like ``(W, b)``. Raises like :func:`l2_penalty`."""
    lam, pairs = _lam(lam), _layer_list(layers)
    return [(lam * W, np.zeros(np.shape(b))) for (W, _), (_, b) in zip(_checked_layers(pairs), pairs)]


def _checked_layers(layers: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each (W, b) as float arrays: W 2-D, b (h,), all finite (ValueError naming the layer)."""
    return [_check_layer(W, b, f" (layer {i + 1})") for i, (W, b) in enumerate(_layer_list(layers))]


def _lam(lam: Any) -> float:
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.integer, np.floating)):
        raise TypeError(f"lam (the regularisation strength λ) must be a number; got {lam!r}.")
    lam = float(lam)
    if not np.isfinite(lam) or lam < 0:
        raise ValueError(f"lam (the regularisation strength λ) must be a finite number ≥ 0; got {lam!r}.")
    return lam


def check_gradients(X: Any, y: Any, layers: Layers, activation: str | Activation = "tanh",
                    lam: float = 0.0, eps: float = 1e-6) -> list[dict[str, Any]]:
    """Compare every backprop gradient with central finite differences.

    The objective is mean cross-entropy + :func:`l2_penalty`; its analytic gradient is
    ``backprop(...).grads`` plus :func:`l2_gradient`.

    Parameters
    ----------
    X, y, layers, activation
        As in :func:`backprop`. Keep the network small: each parameter costs two forward passes.
    lam : float
        L2 strength λ ≥ 0.
    eps : float
        Finite-difference step.

    Returns
    -------
    list of dict
        One row per parameter array: ``name`` ("W1", "b1", …), ``shape`` and ``rel_error``
        (:func:`lecture_utils.gradcheck.relative_error`; below ~1e-7 means they agree).
    """
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    check_matrix(X, "X")
    params = [[np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)] for W, b in layers]
    result = backprop(X, y, params, activation)
    reg = l2_gradient(params, lam)
    rows = []
    for i, pair in enumerate(params):
        for j, name in enumerate(("W", "b")):
            def objective(value: np.ndarray, i: int = i, j: int = j) -> float:
                trial = [list(p) for p in params]
                trial[i][j] = value
                return backprop(X, y, trial, activation).loss + l2_penalty(trial, lam)

            numeric = numerical_gradient(objective, pair[j], eps=eps)
            analytic = result.grads[i][j] + reg[i][j]
            rows.append({"name": f"{name}{i + 1}", "shape": pair[j].shape,
                         "rel_error": relative_error(analytic, numeric)})
    return rows
