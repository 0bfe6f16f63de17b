"""Exercises for 06_training: backward pass of a dense layer, the softmax + cross-entropy
gradient, one SGD step with L2, and how many updates one epoch makes.

    from lecture_utils.exercises.nb06 import q1_dense_backward
    q1_dense_backward.check(my_dense_backward)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..backprop import dense_backward
from ..softmax import softmax
from ._core import FunctionExercise, NumberExercise, progress

__all__ = ["EXERCISES", "progress", "q1_dense_backward", "q2_softmax_ce_grad", "q3_sgd_l2_step", "q4_updates_per_epoch"]


class TupleFunctionExercise(FunctionExercise):
    """A function exercise whose answer returns several named arrays (e.g. dA_prev, dW, db):
    ``FunctionExercise(..., outputs=(...))`` under the name the first version used."""


# -- q1: backward pass of a dense layer --------------------------------------------------------
def _dense_backward(dZ: np.ndarray, A_prev: np.ndarray, W: np.ndarray):
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)


def _dense_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    cases = []
    for n, d, h, label in ((4, 2, 3, "n=4, d=2, h=3"), (1, 3, 5, "a single example"),
                           (50, 5, 2, "n=50, d=5, h=2")):
        cases.append(((rng.normal(size=(n, h)), rng.normal(size=(n, d)), rng.normal(size=(d, h))), label))
    return cases


q1_dense_backward = TupleFunctionExercise(
    name="backward pass of a dense layer",
    reference=_dense_backward, cases=_dense_cases, outputs=("dA_prev", "dW", "db"),
    call="my_dense_backward(dZ, A_prev, W)", forbidden=(dense_backward,),
    hint=["Match shapes: dW must look like W (d, h), built from A_prev (n, d) and dZ (n, h).",
          "dW = A_prev.T @ dZ; db sums dZ over the examples (axis 0); dA_prev = dZ @ W.T."],
    solution="def my_dense_backward(dZ, A_prev, W):\n"
             "    dA_prev = dZ @ W.T        # (n, h) @ (h, d) -> (n, d)\n"
             "    dW = A_prev.T @ dZ        # (d, n) @ (n, h) -> (d, h)\n"
             "    db = dZ.sum(axis=0)       # (n, h) -> (h,)\n"
             "    return dA_prev, dW, db",
)


# -- q2: the gradient of softmax + cross-entropy w.r.t. the logits -----------------------------
def _softmax_ce_grad(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
    n, K = Z.shape
    return (softmax(Z, axis=1) - np.eye(K)[y]) / n


def _ce_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    return [
        ((np.array([[5.0, 4.0, 2.0], [4.0, 2.0, 8.0], [4.0, 4.0, 1.0]]), np.array([0, 1, 2])),
         "the lecture's cat/dog/horse scores and pictures"),
        ((rng.normal(size=(20, 4)), rng.integers(0, 4, size=20)), "20 random rows, K=4"),
        ((np.array([[1000.0, 0.0, -1000.0]]), np.array([1])), "huge logits (max-shift needed)"),
    ]


q2_softmax_ce_grad = FunctionExercise(
    name="gradient of softmax + cross-entropy",
    reference=_softmax_ce_grad, cases=_ce_cases,
    hint=["The loss is the *mean* over n rows; each row's gradient is p − y (predicted minus one-hot).",
          "P = softmax(Z, axis=1) (stable: subtract each row's max first); Y = np.eye(K)[y]; return (P − Y) / n."],
    solution="def softmax_ce_grad(Z, y):\n"
             "    n, K = Z.shape\n"
             "    P = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
             "    P /= P.sum(axis=1, keepdims=True)      # softmax, row by row\n"
             "    return (P - np.eye(K)[y]) / n           # (n, K)",
)


# -- q3: one SGD step with an L2 regulariser ---------------------------------------------------
def _sgd_l2_step(W: np.ndarray, dW: np.ndarray, lr_p: float, lr_r: float, lam: float) -> np.ndarray:
    return W - lr_p * dW - lr_r * lam * W


def _sgd_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    W = np.array([[0.5, -1.0], [2.0, 0.0]])
    dW = np.array([[0.1, 0.2], [-0.3, 0.4]])
    return [
        ((W, dW, 0.1, 0.1, 0.01), "a 2 × 2 example with η_p = η_r = 0.1, λ = 0.01"),
        ((rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.5, 0.05, 0.1), "η_p ≠ η_r"),
        ((rng.normal(size=(2, 5)), np.zeros((2, 5)), 0.2, 1.0, 0.5), "zero loss gradient (only decay)"),
    ]


q3_sgd_l2_step = FunctionExercise(
    name="one SGD step with L2",
    reference=_sgd_l2_step, cases=_sgd_cases, call="my_sgd_l2_step(W, dW, lr_p, lr_r, lam)",
    hint=["θ ← θ − η_p·∇ℓ − η_r·∇r(θ); with r(W) = λ/2·‖W‖² the gradient ∇r is λ·W.",
          "return W - lr_p * dW - lr_r * lam * W (a new array: `W -= …` would change the caller's W)"],
    solution="def my_sgd_l2_step(W, dW, lr_p, lr_r, lam):\n"
             "    return W - lr_p * dW - lr_r * lam * W   # ∇r(W) = λ·W: weight decay",
)


# -- q4: updates per epoch ---------------------------------------------------------------------
q4_updates_per_epoch = NumberExercise(
    name="SGD updates in one epoch (n = 300, batch size 32)",
    expected=10, rtol=0, atol=1e-9,
    wrong_answers={9: "the last, smaller batch of 300 − 9·32 = 12 examples is an update too.",
                   9.375: "an update is a whole number: round the last, partial batch up.",
                   300: "that would be batch size 1.",
                   1: "one update per epoch is full-batch gradient descent (batch size 300)."},
    hint="An epoch visits every example once; count the batches of 32 (the last one may be smaller).",
    solution="import math\nmath.ceil(300 / 32)   # 10",
)

#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_dense_backward, q2_softmax_ce_grad, q3_sgd_l2_step, q4_updates_per_epoch]
