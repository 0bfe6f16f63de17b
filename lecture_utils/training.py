"""Stochastic gradient descent with an L2 regulariser, epochs and mini-batches (07_training).

The lecture's update, for a mini-batch B of examples (B = one example is plain SGD):

    θ ← θ − η_p · ∇ℓ_B(θ) − η_r · ∇r(θ),      r(θ) = λ/2 · Σ_l ‖W_l‖²

where ℓ_B is the mean cross-entropy over B. One *epoch* is one full pass over the shuffled
training set, cut into mini-batches of ``batch_size`` (the last one may be smaller).

>>> import numpy as np
>>> [len(b) for b in minibatch_indices(10, 4, np.random.default_rng(0))]
[4, 4, 2]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._checks import (as_label_array, as_real_array, check_positive_number, check_rng,
                      check_whole_number, describe)
from ._checks import finite
from .activations import Activation, get_activation
from .backprop import _checked_layers, _labels, _lam, backprop, l2_gradient, l2_penalty
from .forward_pass import _layer_list, forward, init_layers
from .losses import cross_entropy_from_logits, one_hot
from .softmax import softmax

__all__ = ["minibatch_indices", "sgd_step", "per_example_gradients", "flatten",
           "flatten_per_example", "accuracy",
           "stochastic_gradient_errors", "Trainer"]

Grads = list[tuple[np.ndarray, np.ndarray]]


def _pairs(value: Any, name: str) -> list[tuple[Any, Any]]:
    if not isinstance(value, (list, tuple)) or len(value) == 0:
        raise ValueError(f"{name} must be a non-empty list of (W, b) pairs, e.g. backprop(...).grads; "
                         f"got {describe(value)}.")
    return _layer_list(value)


def minibatch_indices(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch: a random permutation of 0 … n−1 cut into batches of ``batch_size``.

    Every example appears exactly once; the last batch holds the remainder (n mod batch_size),
    so an epoch has ceil(n / batch_size) updates. Raises ``ValueError`` for n or batch_size < 1
    (or not whole), ``TypeError`` if ``rng`` is not a ``np.random.default_rng(...)``.
    """
    n, batch_size = check_whole_number(n, "n"), check_whole_number(batch_size, "batch_size")
    order = check_rng(rng).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def sgd_step(layers: Sequence[tuple[Any, Any]], grads: Grads, lr: float, lam: float = 0.0,
             lr_reg: float | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """One update θ ← θ − η_p·∇ℓ − η_r·∇r(θ) with r = λ/2·Σ‖W‖²; returns new layers.

    Parameters
    ----------
    layers : list of (W, b)
    grads : list of (dW, db)
        ∇ℓ of the data loss, shaped like ``layers`` (e.g. ``backprop(...).grads``).
    lr : float > 0
        η_p, the step size for the loss.
    lam : float ≥ 0
        λ, the regularisation strength.
    lr_reg : float ≥ 0, optional
        η_r, the step size for the regulariser (default: ``lr``, i.e. a plain gradient step on
        ℓ + r).

    Raises
    ------
    ValueError
        Gradients whose shapes do not match the layers (names the layer), NaN / infinite
        gradients (the step before diverged: lower ``lr``), bad step sizes.
    """
    lr = check_positive_number(lr, "lr")
    lr_reg = lr if lr_reg is None else _lam(lr_reg)
    layers = _checked_layers(layers)
    if not isinstance(grads, (list, tuple)):
        raise TypeError(f"grads must be a list of (dW, db) pairs, e.g. backprop(...).grads; got {describe(grads)}.")
    if len(grads) != len(layers):
        raise ValueError(f"need one (dW, db) per layer: {len(layers)} layers but {len(grads)} gradients.")
    grads = _layer_list(grads)
    reg = l2_gradient(layers, lam)
    new = []
    for i, ((W, b), (dW, db), (rW, rb)) in enumerate(zip(layers, grads, reg)):
        if np.shape(dW) != np.shape(W) or np.shape(db) != np.shape(b):
            raise ValueError(f"layer {i + 1}: gradient shapes {np.shape(dW)}, {np.shape(db)} do not "
                             f"match W {np.shape(W)}, b {np.shape(b)}.")
        dW = as_real_array(dW, f"dW (layer {i + 1})", allow_inf=False, copy=False)
        db = as_real_array(db, f"db (layer {i + 1})", allow_inf=False, copy=False)
        new.append((W - lr * dW - lr_reg * rW, b - lr * db - lr_reg * rb))
    return new


def per_example_gradients(X: Any, y: Any, layers: Sequence[tuple[Any, Any]],
                          activation: str | Activation = "relu") -> Grads:
    """The gradient of each example's own loss ℓ(x_i, y_i; θ), for every example at once.

    Returns
    -------
    list of (dW, db)
        ``dW`` of shape (n, d_in, d_out) and ``db`` of shape (n, d_out): entry i is the
        gradient of example i alone. Their mean over axis 0 is ``backprop(X, y, ...).grads``.

    Raises like :func:`lecture_utils.backprop.backprop`.
    """
    act, layers = get_activation(activation), _layer_list(layers)
    fwd = forward(X, layers, activation=act)
    n, K = fwd.output.shape
    Y = one_hot(_labels(y, n, K), K)
    dZ = softmax(fwd.output, axis=1) - Y  # (n, K): no 1/n — each row is one example's gradient
    inputs = [fwd.X] + fwd.activations[:-1]
    out: Grads = []
    for i in range(len(layers) - 1, -1, -1):
        out.append((np.einsum("nd,nh->ndh", inputs[i], dZ), dZ.copy()))  # (n, d, h), (n, h)
        if i > 0:
            dZ = finite(lambda: (dZ @ np.asarray(layers[i][0], dtype=float).T) * act.grad(fwd.pre_activations[i - 1]),
                        f"the gradient flowing into layer {i}", "exploding gradients: scale the weights down")
    return out[::-1]


def flatten(grads: Sequence[tuple[Any, Any]]) -> np.ndarray:
    """All parameters (or gradients) as one vector: W1, b1, W2, b2, … each flattened.

    ``grads`` is a non-empty list of (W, b) pairs of numbers (ValueError / TypeError otherwise).
    """
    pairs = _pairs(grads, "grads")
    return np.concatenate([as_real_array(a, f"{name}{i + 1}", allow_nan=False, allow_empty=True).ravel()
                           for i, pair in enumerate(pairs) for name, a in zip("Wb", pair)])


def flatten_per_example(per_example: Grads) -> np.ndarray:
    """Per-example gradients (from :func:`per_example_gradients`) as a matrix (n, p): row i
    is example i's gradient flattened in the order of :func:`flatten`. Every array needs the
    same first dimension n (ValueError otherwise)."""
    arrays = [as_real_array(a, f"{name}{i + 1}", ndim=(2, 3), copy=False)
              for i, pair in enumerate(_pairs(per_example, "per_example")) for name, a in zip(("dW", "db"), pair)]
    n = arrays[0].shape[0]
    if any(a.shape[0] != n for a in arrays):
        raise ValueError("per-example gradients must all start with the same n (one row per example); got "
                         f"shapes {[a.shape for a in arrays]}. Pass per_example_gradients(X, y, layers).")
    return np.concatenate([a.reshape(n, -1) for a in arrays], axis=1)


def stochastic_gradient_errors(per_example: np.ndarray, full: np.ndarray, counts: Sequence[int],
                               rng: np.random.Generator) -> np.ndarray:
    """Relative error ‖mean of k random per-example gradients − full gradient‖ / ‖full‖.

    Parameters
    ----------
    per_example : ndarray, shape (n, p)
        One flattened gradient per example (rows).
    full : ndarray, shape (p,)
        The full-batch gradient.
    counts : sequence of int
        Numbers of draws k (examples drawn uniformly, with replacement).

    Returns
    -------
    ndarray, shape (len(counts),)
        Shrinks like 1/√k: a single random example's gradient is right *on average*.

    Raises
    ------
    ValueError
        ``full`` not of shape (p,), ``full`` all zeros (no relative error), counts < 1.
    TypeError
        ``counts`` not a list of whole numbers, ``rng`` not a Generator.
    """
    per_example = as_real_array(per_example, "per_example", ndim=2, allow_inf=False)
    full = as_real_array(full, "full", ndim=1, allow_inf=False)
    if full.shape != per_example.shape[1:]:
        raise ValueError(f"full must have one entry per column of per_example {per_example.shape}, shape "
                         f"({per_example.shape[1]},); got {full.shape}.")
    if not np.any(full):
        raise ValueError("full is all zeros, so a relative error is undefined (the full gradient "
                         "vanishes at this point: pick other parameters).")
    if isinstance(counts, (str, bytes)) or not isinstance(counts, (Sequence, np.ndarray)):
        raise TypeError(f"counts must be a list of sample sizes such as [1, 4, 16]; got {describe(counts)}.")
    counts = [check_whole_number(k, f"counts[{i}]") for i, k in enumerate(counts)]
    rng = check_rng(rng)
    errs = []
    for k in counts:
        pick = rng.integers(0, per_example.shape[0], size=k)
        errs.append(_norm(per_example[pick].mean(axis=0) - full) / _norm(full))
    return np.array(errs)


def _norm(v: np.ndarray) -> float:
    """‖v‖ without overflow for entries near the float64 limit."""
    m = float(np.max(np.abs(v))) if v.size else 0.0
    return 0.0 if m == 0.0 else m * float(np.linalg.norm(v / m))


def accuracy(logits: Any, y: Any) -> float:
    """Fraction of rows whose largest score is the true class.

    ``logits`` (n, K) finite scores (or probabilities), ``y`` n integer labels 0 … K − 1;
    ValueError / TypeError otherwise.
    """
    Z = as_real_array(logits, "logits", ndim=2, allow_inf=False, copy=False)
    return float(np.mean(np.argmax(Z, axis=1) == _labels(y, *Z.shape)))


class Trainer:
    """An MLP trained by mini-batch SGD with L2, one epoch at a time.

    Parameters
    ----------
    X_train, y_train : arrays, shapes (n, d) and (n,)
    X_test, y_test : arrays, optional
        Evaluated after every epoch (not trained on).
    hidden : tuple of int
        Hidden-layer widths, e.g. ``(64,)``; ``()`` gives softmax regression.
    activation : str
        Hidden activation; "identity" makes the whole network linear.
    lr, batch_size, lam, lr_reg, momentum
        η_p, mini-batch size, λ, η_r (default η_p) and heavy-ball momentum μ (default 0:
        plain SGD). They may be changed between epochs.
    seed : int
        Seeds the initial weights and the shuffling; :meth:`reset` returns to exactly that state.

    Attributes
    ----------
    layers : list of (W, b)
    history : dict of lists
        ``epoch``, ``train_loss``, ``train_acc``, ``test_loss``, ``test_acc`` (loss = mean
        cross-entropy without the regulariser), one entry per epoch, starting with epoch 0.

    Raises
    ------
    ValueError / TypeError
        Bad data (shapes, labels < 0, a test set without labels) or hyper-parameters (lr ≤ 0,
        batch_size < 1, lam < 0, momentum outside [0, 1)); the step sizes are checked again at
        every update, since they may be changed between epochs.
    """

    def __init__(self, X_train: Any, y_train: Any, X_test: Any = None, y_test: Any = None, *,
                 hidden: Sequence[int] = (64,), activation: str = "relu", lr: float = 0.5,
                 batch_size: int = 32, lam: float = 1e-4, lr_reg: float | None = None,
                 momentum: float = 0.0, seed: int = 0) -> None:
        self.X_train = as_real_array(X_train, "X_train", ndim=2, allow_inf=False)
        self.y_train = as_label_array(y_train, "y_train")
        self.X_test = None if X_test is None else as_real_array(X_test, "X_test", ndim=2, allow_inf=False)
        self.y_test = None if y_test is None else as_label_array(y_test, "y_test")
        if (X_test is None) != (y_test is None):
            raise ValueError("give both X_test and y_test (or neither); got only "
                             f"{'X_test' if y_test is None else 'y_test'}.")
        for Xs, ys, names in ((self.X_train, self.y_train, ("X_train", "y_train")),
                              (self.X_test, self.y_test, ("X_test", "y_test"))):
            if ys is not None and (ys.shape != (Xs.shape[0],) or ys.min() < 0):
                raise ValueError(f"{names[1]} must hold one class index 0, 1, … per row of {names[0]} "
                                 f"{Xs.shape}; got shape {ys.shape} with smallest value {ys.min()}.")
        self.K = int(max(self.y_train.max(), -1 if self.y_test is None else self.y_test.max())) + 1
        self.lr, self.batch_size, self.lam, self.lr_reg, self.momentum = lr, batch_size, lam, lr_reg, momentum
        if hidden is None or activation is None:
            raise TypeError(f"{'hidden' if hidden is None else 'activation'} is required: e.g. hidden=(64,), "
                            "activation='relu'; got None.")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a whole number ≥ 0 such as 0 or 42 (the same seed gives the same "
                             f"network); got {describe(seed)}.")
        try:
            np.random.default_rng(seed)
        except (TypeError, ValueError):
            raise ValueError(f"seed must be a whole number ≥ 0 such as 0 or 42; got {describe(seed)}.") from None
        self.seed = seed
        self._check_hyperparameters()
        self.reset(hidden=hidden, activation=activation)

    def _check_hyperparameters(self) -> None:
        check_positive_number(self.lr, "lr")
        check_whole_number(self.batch_size, "batch_size")
        _lam(self.lam)
        if self.lr_reg is not None:
            _lam(self.lr_reg)
        mu = self.momentum
        if isinstance(mu, bool) or not isinstance(mu, (int, float, np.integer, np.floating)) or not 0 <= mu < 1:
            raise ValueError(f"momentum must be a number in [0, 1) (0 = plain SGD, 0.9 is common); got {describe(mu)}.")

    def reset(self, hidden: Sequence[int] | None = None, activation: str | None = None) -> None:
        """Back to the seeded initial weights (optionally with a new architecture); clear history."""
        if hidden is not None:
            if not isinstance(hidden, (list, tuple)):
                raise TypeError(f"hidden must be a tuple of layer widths such as (64,) or (32, 32), or () "
                                f"for none; got {describe(hidden)}.")
            self.hidden = tuple(check_whole_number(h, f"hidden[{i}]") for i, h in enumerate(hidden))
        if activation is not None:
            self.activation = get_activation(activation).name
        sizes = [self.X_train.shape[1], *self.hidden, self.K]
        scale = "he" if self.activation in ("relu", "leaky_relu") else "xavier"
        self.layers = init_layers(sizes, np.random.default_rng(self.seed), scale=scale)
        self._shuffle_rng = np.random.default_rng([self.seed, 1])
        self._velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in self.layers]
        self.epoch, self.steps = 0, 0
        self.history: dict[str, list[float]] = {k: [] for k in
                                                ("epoch", "train_loss", "train_acc", "test_loss", "test_acc")}
        self._record()

    # -- training ------------------------------------------------------------------------------
    def step_batch(self, idx: np.ndarray) -> float:
        """One SGD update on the examples ``idx``; returns that batch's loss before the step."""
        self._check_hyperparameters()
        idx = as_label_array(idx, "idx")
        n = self.X_train.shape[0]
        if idx.ndim != 1 or idx.min() < -n or idx.max() >= n:
            raise ValueError(f"idx must be a 1-D array of row indices 0 … {n - 1} of X_train; got shape "
                             f"{idx.shape} with values {idx.min()} … {idx.max()}.")
        result = backprop(self.X_train[idx], self.y_train[idx], self.layers, self.activation)
        if self.momentum:
            mu, lr_reg = float(self.momentum), self.lr if self.lr_reg is None else self.lr_reg
            reg = l2_gradient(self.layers, self.lam)
            self._velocity = [(mu * vW - self.lr * dW - lr_reg * rW, mu * vb - self.lr * db)
                              for (vW, vb), (dW, db), (rW, _) in zip(self._velocity, result.grads, reg)]
            self.layers = [(W + vW, b + vb) for (W, b), (vW, vb) in zip(self.layers, self._velocity)]
        else:
            self.layers = sgd_step(self.layers, result.grads, self.lr, self.lam, self.lr_reg)
        self.steps += 1
        return result.loss

    def step_epoch(self) -> dict[str, float]:
        """One full pass over the shuffled training set in mini-batches; returns the new metrics."""
        self._check_hyperparameters()
        batch_size = min(check_whole_number(self.batch_size, "batch_size"), self.X_train.shape[0])
        for idx in minibatch_indices(self.X_train.shape[0], batch_size, self._shuffle_rng):
            self.step_batch(idx)
        self.epoch += 1
        return self._record()

    def train(self, epochs: int) -> dict[str, float]:
        """Run ``epochs`` epochs (a whole number ≥ 0); returns the metrics after the last one."""
        epochs = check_whole_number(epochs, "epochs", 0)
        metrics = self.metrics()
        for _ in range(epochs):
            metrics = self.step_epoch()
        return metrics

    # -- evaluation ----------------------------------------------------------------------------
    def logits(self, X: Any) -> np.ndarray:
        """Raw scores of the current network, shape (n, K)."""
        return forward(X, self.layers, activation=self.activation).output

    def predict(self, X: Any) -> np.ndarray:
        """Predicted class of each row of ``X``, shape (n,)."""
        return np.argmax(self.logits(X), axis=1)

    def objective(self) -> float:
        """Mean training cross-entropy + λ/2·Σ‖W‖²: what the updates descend."""
        return self.history["train_loss"][-1] + l2_penalty(self.layers, self.lam)

    def metrics(self) -> dict[str, float]:
        """The last recorded row of :attr:`history`."""
        return {k: v[-1] for k, v in self.history.items()}

    def _record(self) -> dict[str, float]:
        Z = self.logits(self.X_train)
        row = {"epoch": self.epoch, "train_loss": float(cross_entropy_from_logits(self.y_train, Z)),
               "train_acc": accuracy(Z, self.y_train), "test_loss": np.nan, "test_acc": np.nan}
        if self.X_test is not None:
            Zt = self.logits(self.X_test)
            row["test_loss"] = float(cross_entropy_from_logits(self.y_test, Zt))
            row["test_acc"] = accuracy(Zt, self.y_test)
        for k, v in row.items():
            self.history[k].append(v)
        return row
