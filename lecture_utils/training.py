"""Stochastic gradient descent with an L2 regulariser, epochs and mini-batches (06_training).

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

from ._checks import as_label_array, as_real_array, check_positive_number
from .activations import Activation, get_activation
from .backprop import _lam, backprop, l2_gradient, l2_penalty
from .forward_pass import forward, init_layers
from .losses import cross_entropy_from_logits, one_hot
from .softmax import softmax

__all__ = ["minibatch_indices", "sgd_step", "per_example_gradients", "flatten",
           "flatten_per_example", "accuracy",
           "stochastic_gradient_errors", "Trainer"]

Grads = list[tuple[np.ndarray, np.ndarray]]


def minibatch_indices(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch: a random permutation of 0 … n−1 cut into batches of ``batch_size``.

    Every example appears exactly once; the last batch holds the remainder (n mod batch_size),
    so an epoch has ceil(n / batch_size) updates. Raises ``ValueError`` for n or batch_size < 1.
    """
    if int(n) < 1 or int(batch_size) < 1:
        raise ValueError(f"n and batch_size must be positive integers; got n={n!r}, batch_size={batch_size!r}.")
    order = rng.permutation(int(n))
    return [order[i:i + int(batch_size)] for i in range(0, int(n), int(batch_size))]


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
        Gradients whose shapes do not match the layers (names the layer), bad step sizes.
    """
    lr = check_positive_number(lr, "lr")
    lr_reg = lr if lr_reg is None else _lam(lr_reg)
    if len(grads) != len(layers):
        raise ValueError(f"need one (dW, db) per layer: {len(layers)} layers but {len(grads)} gradients.")
    reg = l2_gradient(layers, lam)
    new = []
    for i, ((W, b), (dW, db), (rW, rb)) in enumerate(zip(layers, grads, reg)):
        if np.shape(dW) != np.shape(W) or np.shape(db) != np.shape(b):
            raise ValueError(f"layer {i + 1}: gradient shapes {np.shape(dW)}, {np.shape(db)} do not "
                             f"match W {np.shape(W)}, b {np.shape(b)}.")
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
    """
    act = get_activation(activation)
    fwd = forward(X, layers, activation=act)
    n, K = fwd.output.shape
    Y = one_hot(as_label_array(y, "y"), K)
    dZ = softmax(fwd.output, axis=1) - Y  # (n, K): no 1/n — each row is one example's gradient
    inputs = [fwd.X] + fwd.activations[:-1]
    out: Grads = []
    for i in range(len(layers) - 1, -1, -1):
        out.append((np.einsum("nd,nh->ndh", inputs[i], dZ), dZ.copy()))  # (n, d, h), (n, h)
        if i > 0:
            dZ = (dZ @ np.asarray(layers[i][0]).T) * act.grad(fwd.pre_activations[i - 1])
    return out[::-1]


def flatten(grads: Sequence[tuple[Any, Any]]) -> np.ndarray:
    """All parameters (or gradients) as one vector: W1, b1, W2, b2, … each flattened."""
    return np.concatenate([np.ravel(a) for pair in grads for a in pair])


def flatten_per_example(per_example: Grads) -> np.ndarray:
    """Per-example gradients (from :func:`per_example_gradients`) as a matrix (n, p): row i
    is example i's gradient flattened in the order of :func:`flatten`."""
    n = per_example[0][0].shape[0]
    return np.concatenate([a.reshape(n, -1) for pair in per_example for a in pair], axis=1)


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
    """
    per_example = as_real_array(per_example, "per_example", ndim=2)
    full = as_real_array(full, "full", ndim=1)
    errs = []
    for k in counts:
        pick = rng.integers(0, per_example.shape[0], size=int(k))
        errs.append(np.linalg.norm(per_example[pick].mean(axis=0) - full) / np.linalg.norm(full))
    return np.array(errs)


def accuracy(logits: Any, y: Any) -> float:
    """Fraction of rows whose largest score is the true class."""
    return float(np.mean(np.argmax(np.asarray(logits), axis=1) == np.asarray(y)))


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
    """

    def __init__(self, X_train: Any, y_train: Any, X_test: Any = None, y_test: Any = None, *,
                 hidden: Sequence[int] = (64,), activation: str = "relu", lr: float = 0.5,
                 batch_size: int = 32, lam: float = 1e-4, lr_reg: float | None = None,
                 momentum: float = 0.0, seed: int = 0) -> None:
        self.X_train = as_real_array(X_train, "X_train", ndim=2, allow_inf=False)
        self.y_train = as_label_array(y_train, "y_train")
        self.X_test = None if X_test is None else as_real_array(X_test, "X_test", ndim=2, allow_inf=False)
        self.y_test = None if y_test is None else as_label_array(y_test, "y_test")
        self.K = int(max(self.y_train.max(), -1 if self.y_test is None else self.y_test.max())) + 1
        self.lr, self.batch_size, self.lam, self.lr_reg, self.momentum = lr, batch_size, lam, lr_reg, momentum
        self.seed = seed
        self.reset(hidden=hidden, activation=activation)

    def reset(self, hidden: Sequence[int] | None = None, activation: str | None = None) -> None:
        """Back to the seeded initial weights (optionally with a new architecture); clear history."""
        if hidden is not None:
            self.hidden = tuple(int(h) for h in hidden)
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
        batch_size = min(int(self.batch_size), self.X_train.shape[0])
        for idx in minibatch_indices(self.X_train.shape[0], batch_size, self._shuffle_rng):
            self.step_batch(idx)
        self.epoch += 1
        return self._record()

    def train(self, epochs: int) -> dict[str, float]:
        """Run ``epochs`` epochs; returns the metrics after the last one."""
        metrics = self.metrics()
        for _ in range(int(epochs)):
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
