"""The over-confident network of 05_softmax: notebook 07's MLP, trained past 100 % training accuracy.

The ``calibration`` data set (``data/calibration.npz``, written by ``tools/make_data.py``) holds
a 3-class problem and a real network trained on it with :class:`lecture_utils.training.Trainer`
— the same mini-batch SGD as notebook 07 — by :func:`train_overconfident_network` with
:data:`RECIPE`. Each example has 22 features, but only the first two depend on the class (three
overlapping Gaussian clouds); the other twenty are noise. With 200 training examples and 64 hidden
ReLUs the network can memorise the training set through the noise features: training accuracy
reaches 100 %, and from then on the only way to lower the training loss is to make every logit
larger. Test accuracy stays where it was, but the test negative log-likelihood rises — the
network has become over-confident. The file keeps the weights at the epochs in
:data:`CHECKPOINTS`, so notebook 05 can show the reliability diagram at any of them.

>>> from lecture_utils.overconfidence import RECIPE, CHECKPOINTS
>>> RECIPE["hidden"], RECIPE["lam"], CHECKPOINTS[-1]
((64,), 0.0, 1000)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import as_real_array, check_whole_number, describe
from .forward_pass import forward
from .training import Trainer

__all__ = ["RECIPE", "EPOCHS", "MAX_EPOCHS", "CHECKPOINTS", "train_overconfident_network", "checkpoint_index",
           "layers_at", "logits_at"]

#: How the network was trained: one hidden layer of 64 ReLUs, plain SGD (lr 0.1, batches of 32),
#: no weight decay (λ = 0), weights and shuffling seeded with 0.
RECIPE: dict[str, Any] = {"hidden": (64,), "activation": "relu", "lr": 0.1, "batch_size": 32,
                          "lam": 0.0, "seed": 0}
#: Number of epochs (full passes over the 200 training examples).
EPOCHS = 1000
#: The most epochs :func:`train_overconfident_network` accepts (100 × the recipe's; more would run for hours).
MAX_EPOCHS = 100 * EPOCHS
#: Epochs whose weights are stored (about evenly spaced on a log scale, epoch 0 = untrained).
CHECKPOINTS = (0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000)
_PARAMS = ("W1", "b1", "W2", "b2")


def train_overconfident_network(X_train: Any, y_train: Any, X_test: Any, y_test: Any,
                                epochs: int = EPOCHS,
                                checkpoints: tuple[int, ...] = CHECKPOINTS) -> dict[str, np.ndarray]:
    """Train :data:`RECIPE` for ``epochs`` epochs; return the history and the checkpoint weights.

    Parameters
    ----------
    X_train, y_train : arrays, shapes (n, d) and (n,)
    X_test, y_test : arrays, shapes (m, d) and (m,)
        Evaluated after every epoch, never trained on.
    epochs : int, 0 … :data:`MAX_EPOCHS`
    checkpoints : tuple of int
        Increasing epochs in 0 … ``epochs`` whose weights are kept.

    Returns
    -------
    dict of arrays
        ``epoch``, ``train_loss``, ``train_acc``, ``test_loss``, ``test_acc`` (shape
        (epochs + 1,), epoch 0 first); ``checkpoint_epochs`` (C,); ``W1`` (C, d, 64),
        ``b1`` (C, 64), ``W2`` (C, 64, K), ``b2`` (C, K): the weights at each checkpoint.

    Raises
    ------
    ValueError / TypeError
        ``epochs`` not a whole number in 0 … :data:`MAX_EPOCHS`, checkpoints that are not
        increasing whole epochs within 0 … ``epochs`` (and what
        :class:`~lecture_utils.training.Trainer` raises for bad data).
    """
    epochs = check_whole_number(epochs, "epochs", 0, maximum=MAX_EPOCHS)
    if isinstance(checkpoints, (str, bytes)) or not hasattr(checkpoints, "__len__"):
        raise TypeError(f"checkpoints must be a tuple of epochs such as (0, 10, 100); got {describe(checkpoints)}.")
    cps = []
    for i, c in enumerate(checkpoints):
        if isinstance(c, (bool, np.bool_)) or not isinstance(c, (int, np.integer)):
            raise TypeError(f"checkpoints must be whole epochs such as (0, 10, 100); checkpoints[{i}] is "
                            f"{describe(c)}.")
        cps.append(int(c))
    if not cps or cps != sorted(set(cps)) or cps[0] < 0 or cps[-1] > epochs:
        raise ValueError(f"checkpoints must be increasing epochs within 0 … {epochs}; got {checkpoints!r}.")
    trainer = Trainer(X_train, y_train, X_test, y_test, **RECIPE)
    if len(trainer.layers) != 2:  # pragma: no cover - RECIPE has one hidden layer
        raise ValueError("the recipe must have exactly one hidden layer (W1, b1, W2, b2).")
    saved: list[list[tuple[np.ndarray, np.ndarray]]] = []
    for epoch in range(epochs + 1):
        if epoch:
            trainer.step_epoch()
        if epoch in cps:
            saved.append([(W.copy(), b.copy()) for W, b in trainer.layers])
    out = {k: np.asarray(v, dtype=np.int64 if k == "epoch" else np.float64)
           for k, v in trainer.history.items()}
    out["checkpoint_epochs"] = np.array(cps, dtype=np.int64)
    for i, (name_w, name_b) in enumerate((("W1", "b1"), ("W2", "b2"))):
        out[name_w] = np.stack([layers[i][0] for layers in saved])
        out[name_b] = np.stack([layers[i][1] for layers in saved])
    return out


def _arrays(ds: Any) -> Any:
    if not (hasattr(ds, "__getitem__") and hasattr(ds, "__contains__")) or isinstance(ds, (str, bytes)):
        raise TypeError(f"ds must be the calibration data set, load('calibration'); got {describe(ds)}.")
    missing = [k for k in ("checkpoint_epochs", *_PARAMS) if k not in ds]
    if missing:
        raise TypeError(f"ds must be the calibration data set, load('calibration'); got {describe(ds)} "
                        f"without {missing}.")
    return ds


def checkpoint_index(ds: Any, epoch: int) -> int:
    """Position of ``epoch`` among the stored checkpoints of ``ds = load("calibration")``.

    Raises ValueError for an epoch that is not an int among the stored ones (the message lists
    them), TypeError for ``ds`` that is not that data set.
    """
    epochs = [int(e) for e in _arrays(ds)["checkpoint_epochs"]]
    if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or int(epoch) not in epochs:
        raise ValueError(f"epoch must be one of the stored checkpoints {epochs}; got {epoch!r}.")
    return epochs.index(int(epoch))


def layers_at(ds: Any, epoch: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The network's layers [(W1, b1), (W2, b2)] after ``epoch`` epochs (a stored checkpoint)."""
    i = checkpoint_index(ds, epoch)
    return [(ds["W1"][i], ds["b1"][i]), (ds["W2"][i], ds["b2"][i])]


def logits_at(ds: Any, X: Any, epoch: int) -> np.ndarray:
    """Scores of the network after ``epoch`` epochs for the rows of ``X`` (n, 22): shape (n, 3).

    ValueError for ``X`` without 22 columns or an epoch that was not stored.
    """
    layers = layers_at(ds, epoch)
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    if X.shape[1] != layers[0][0].shape[0]:
        raise ValueError(f"X must have {layers[0][0].shape[0]} columns (one per feature); got shape {X.shape}.")
    return forward(X, layers, activation=RECIPE["activation"]).output
