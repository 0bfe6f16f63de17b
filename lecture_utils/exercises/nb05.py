"""Exercises for 05_cross_entropy.

* ``q1_batch_ce`` — the mean cross-entropy of a small batch, by hand (a number).
* ``q2_k2_probabilities`` — the (n, 2) matrix that makes 2-class CE equal binary CE (an array).
* ``q3_stable_ce`` — a cross-entropy from logits that survives logits of ±1000 (a function
  ``stable_ce(y, logits)`` — the argument order of ``cross_entropy_from_logits`` — that takes
  integer labels *or* one-hot rows).
* ``q4_ce_gradient`` — the gradient of the mean CE with respect to the logits (a function
  ``ce_gradient(y, logits)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..backprop import softmax_cross_entropy_backward
from ..losses import binary_cross_entropy, cross_entropy, cross_entropy_from_logits, one_hot
from ..softmax import log_softmax, logsumexp, softmax
from ._core import (CORRECT, WRONG, ArrayExercise, FunctionExercise, NumberExercise, compare_arrays,
                    progress)

__all__ = ["EXERCISES", "progress", "q1_batch_ce", "q2_k2_probabilities", "q3_stable_ce", "q4_ce_gradient",
           "BATCH_P", "BATCH_LABELS", "BINARY_Y", "BINARY_P_HAT"]

# -- q1: CE of a small batch ------------------------------------------------------------------
#: predicted probabilities of 4 examples over (cat, dog, horse), and their true classes
BATCH_P = np.array([[0.70, 0.20, 0.10],
                    [0.10, 0.60, 0.30],
                    [0.25, 0.25, 0.50],
                    [0.80, 0.15, 0.05]])
BATCH_LABELS = np.array([0, 1, 2, 2])

_ce = float(cross_entropy(BATCH_LABELS, BATCH_P))
_picked = BATCH_P[np.arange(4), BATCH_LABELS]
q1_batch_ce = NumberExercise(
    name="mean cross-entropy of a batch of 4 (to 2 decimals)",
    expected=_ce, decimals=2,
    wrong_answers={
        float(-np.sum(np.log(_picked))): "that is the sum over the batch; the loss is the mean (divide by n = 4).",
        float(-np.mean(np.log10(_picked))): "that uses log base 10; cross-entropy uses the natural log (np.log).",
        float(-np.mean(np.log(BATCH_P.max(axis=1)))): "that picks each row's largest probability; pick the "
                                                      "probability of the TRUE class, P[i, y_i].",
        float(-np.sum(one_hot(BATCH_LABELS, 3) * np.log(BATCH_P)) / BATCH_P.size):
            "that divides by n·K = 12 entries; average over the n = 4 examples only.",
        float(-np.mean(np.log(1 - _picked))): "that is −log(1 − p): use the probability of the true class itself.",
    },
    hint=["With one-hot labels only the true class's term survives: each example costs −log P[i, y_i].",
          "`BATCH_P[np.arange(4), BATCH_LABELS]` picks the four true-class probabilities; take −log and average."],
    solution="-np.mean(np.log(BATCH_P[np.arange(4), BATCH_LABELS]))   # = 1.1391",
)

# -- q2: K = 2 is binary cross-entropy --------------------------------------------------------
BINARY_Y = np.array([1, 0, 1, 1, 0])
BINARY_P_HAT = np.array([0.9, 0.2, 0.6, 0.99, 0.7])


class _K2Exercise(ArrayExercise):
    """ArrayExercise that also confirms the two losses agree and names the swapped-columns slip."""

    def _check(self, answer: Any) -> tuple[str, str]:
        reason = compare_arrays(answer, self.expected, self.rtol, self.atol)
        if reason is None:
            ce = cross_entropy(BINARY_Y, np.asarray(answer, dtype=float))
            bce = binary_cross_entropy(BINARY_Y, BINARY_P_HAT)
            return CORRECT, f"2-class CE = {ce:.6f} = binary CE = {bce:.6f}."
        if compare_arrays(answer, self.expected[:, ::-1], self.rtol, self.atol) is None:
            return WRONG, ("the columns are swapped: column j must hold the probability of class j, "
                           "so column 0 is 1 − p̂ and column 1 is p̂.")
        return WRONG, reason


q2_k2_probabilities = _K2Exercise(
    name="K = 2: build the two-class probability matrix",
    expected=np.column_stack([1 - BINARY_P_HAT, BINARY_P_HAT]), rtol=1e-9, atol=1e-12,
    hint=["p̂ is the probability of class 1; class 0 gets the rest, 1 − p̂. Each row is (P(class 0), P(class 1)).",
          "`np.column_stack([1 - BINARY_P_HAT, BINARY_P_HAT])` has shape (5, 2)."],
    solution="P2 = np.column_stack([1 - BINARY_P_HAT, BINARY_P_HAT])   # (5, 2)\n"
             "cross_entropy(BINARY_Y, P2), binary_cross_entropy(BINARY_Y, BINARY_P_HAT)   # equal",
)

# -- q3: stable cross-entropy from logits -----------------------------------------------------


def _ce_reference(y: Any, logits: np.ndarray) -> float:
    return float(cross_entropy_from_logits(y, logits))


class _StableCEExercise(FunctionExercise):
    """FunctionExercise with advice for the two classic slips: log of softmax, and no mean."""

    def _check(self, answer: Any) -> tuple[str, str]:
        status, message = super()._check(answer)
        if status == WRONG and ("inf" in message or "NaN" in message):
            message += (" If you computed np.log(softmax(...)), a probability that rounded to 0 gives "
                        "log 0 = −inf (and 0 · (−inf) = NaN): compute log-softmax directly, "
                        "(z − m) − log Σ e^{z − m}.")
        elif status == WRONG and "expected ()" in message:
            message += " Return one number: the mean of the per-example losses."
        return status, message


def _ce_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    Z = rng.normal(size=(6, 4)) * 3
    y = rng.integers(0, 4, size=6)
    huge = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 0.0], [0.0, -1000.0, 1000.0]])
    y_huge = np.array([2, 1, 1])  # two of the true classes sit 1000 or 2000 below the max
    return [
        ((np.array([0, 1]), np.array([[5.0, 4.0, 2.0], [4.0, 2.0, 8.0]])), "the lecture's cat and dog pictures, labels [0, 1]"),
        ((y, Z), "random logits (6, 4) with integer labels"),
        ((one_hot(y, 4), Z), "the same logits with one-hot labels (6, 4)"),
        ((y_huge, huge), "logits of ±1000 with integer labels"),
        ((one_hot(y_huge, 3), huge), "logits of ±1000 with one-hot labels"),
        ((np.array([1]), np.array([[1000.0, 1000.0]])), "a tie at 1000 (loss log 2)"),
        ((np.array([0, 2, 1]), np.array([[1000.0, 999.0, 0.0], [-1000.0, -1001.0, -1002.0], [0.5, 1.5, -0.5]])),
         "rows of very different scales (each row needs its own max)"),
        ((np.array([0, 1]), np.array([[3000.0, 0.0], [-3000.0, 3000.0]])), "logits of ±3000 (beyond any clip)"),
    ]


q3_stable_ce = _StableCEExercise(
    name="stable cross-entropy from logits",
    reference=_ce_reference,
    cases=_ce_cases, rtol=1e-9, atol=1e-9, call="stable_ce(y, logits)",
    forbidden=(log_softmax, logsumexp, cross_entropy, cross_entropy_from_logits),
    hint=["Never take log(softmax(z)): for z = (1000, 0, −1000) softmax rounds the small entries to 0 and "
          "log 0 = −inf. Use log-softmax: log p_j = (z_j − m) − log Σ_k e^{z_k − m}, m = max_k z_k.",
          "Turn labels into one-hot first: `if y.ndim == 1: y = np.eye(K)[y]`. Then the mean over examples "
          "of −Σ_j y_ij · logp_ij.",
          "Watch 0 · (−inf): with the max-shift every log-probability is finite, so plain Y * logp is safe."],
    solution="""def my_stable_ce(y, logits):
    Z = np.asarray(logits, dtype=float)                 # (n, K)
    Y = np.eye(Z.shape[1])[y] if np.ndim(y) == 1 else np.asarray(y, dtype=float)
    m = Z.max(axis=1, keepdims=True)                    # (n, 1)
    logp = (Z - m) - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(Y * logp, axis=1))""",
)

# -- q4: the gradient of the mean CE with respect to the logits --------------------------------


def _grad_reference(y: np.ndarray, logits: np.ndarray) -> np.ndarray:
    return (softmax(logits, axis=1) - one_hot(y, logits.shape[1])) / logits.shape[0]


def _grad_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    return [
        ((np.array([0, 1]), np.array([[5.0, 4.0, 2.0], [4.0, 2.0, 8.0]])), "the lecture's cat and dog pictures, labels [0, 1]"),
        ((rng.integers(0, 4, size=5), rng.normal(size=(5, 4)) * 2), "random logits (5, 4)"),
        ((np.array([2]), np.array([[1000.0, 0.0, -1000.0]])), "logits of ±1000"),
        ((rng.integers(0, 2, size=8), rng.normal(size=(8, 2))), "random logits (8, 2)"),
        ((np.array([0, 2, 1]), np.array([[1000.0, 999.0, 0.0], [-1000.0, -1001.0, -1002.0], [0.5, 1.5, -0.5]])),
         "rows of very different scales (each row needs its own max)"),
    ]


q4_ce_gradient = FunctionExercise(
    name="gradient of the mean cross-entropy with respect to the logits",
    reference=_grad_reference, cases=_grad_cases, rtol=1e-7, atol=1e-12, call="ce_gradient(y, logits)",
    forbidden=(softmax_cross_entropy_backward,),
    hint=["For one example, ∂CE/∂z_k = softmax(z)_k − y_k.",
          "For the mean over n examples, every row is divided by n. Use a max-shifted softmax so ±1000 works."],
    solution="""def my_ce_gradient(y, logits):
    n, K = logits.shape
    return (softmax(logits, axis=1) - one_hot(y, K)) / n   # (n, K)""",
)

#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_batch_ce, q2_k2_probabilities, q3_stable_ce, q4_ce_gradient]
