"""Exercises of 04_softmax: softmax by hand, a stable softmax, log-softmax, temperature.

>>> from lecture_utils.exercises.nb04 import q1_softmax_by_hand
>>> bool(q1_softmax_by_hand.check([0.66, 0.24, 0.10], show=False))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..precision import log_of_softmax_in, log_softmax_in, stable_softmax_in
from ..softmax import log_softmax, logsumexp, naive_softmax, softmax
from ._core import CORRECT, WRONG, ArrayExercise, ChoiceExercise, FunctionExercise, compare_arrays, progress

__all__ = ["EXERCISES", "progress", "SCORES_BY_HAND", "q1_softmax_by_hand", "q2_stable_softmax", "q3_log_softmax",
           "q4_temperature"]

#: The scores of exercise 1 (cat, dog, horse).
SCORES_BY_HAND = (2.0, 1.0, 0.1)


class _ByHandExercise(ArrayExercise):
    """An array answer to two decimals that sums to 1 (to two decimals), and recognises the
    usual slips of a softmax done by hand."""

    def _check(self, answer: Any) -> tuple[str, str]:
        status, message = super()._check(answer)
        if status == CORRECT:
            total = float(np.sum(np.asarray(answer, dtype=float)))
            if abs(total - 1.0) > 0.01 + 1e-12:
                return WRONG, (f"each entry is close, but they sum to {total:.4g}: probabilities sum to 1 "
                               "(to two decimals, within ±0.01). Round each one to two decimals.")
            return CORRECT, "every entry matches to two decimals, and they sum to 1."
        z = np.asarray(SCORES_BY_HAND)
        slips = {
            "these are z / Σz — the scores divided by their sum. Exponentiate first: e^z / Σe^z.": z / z.sum(),
            "these are the exponentials e^z — now divide each by their sum.": np.exp(z),
            "these are the sigmoids 1 / (1 + e^(−z)) of each score on its own; softmax divides e^z by the sum over all classes.": 1 / (1 + np.exp(-z)),
            "these are e^(−z) / Σe^(−z): the sign of the scores is flipped.": np.exp(-z) / np.exp(-z).sum(),
        }
        for reason, values in slips.items():
            if compare_arrays(answer, values, 0.0, self.atol) is None:
                return WRONG, reason
        return status, message


q1_softmax_by_hand = _ByHandExercise(
    name="softmax of the scores (2, 1, 0.1) by hand",
    expected=softmax(SCORES_BY_HAND), decimals=2,
    hint=["Compute e^2, e^1 and e^0.1 (about 7.39, 2.72 and 1.11), add them up, and divide each by the sum.",
          "The sum is about 11.21; the first probability is 7.39 / 11.21. Two decimals are enough (each "
          "entry within ±0.005, and the three sum to 1)."],
    solution="e = np.exp([2.0, 1.0, 0.1])      # ≈ (7.389, 2.718, 1.105)\n"
             "answer = e / e.sum()              # ≈ (0.66, 0.24, 0.10)",
)


def _softmax_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    return [
        ((np.array([5.0, 4.0, 2.0]),), "the lecture's scores (5, 4, 2)"),
        ((np.array([1000.0, 999.0, 998.0]),), "logits near +1000"),
        ((np.array([-1000.0, -1001.0, -1003.0]),), "logits near −1000"),
        ((np.array([1000.0, -1000.0, 0.0]),), "logits of +1000, −1000 and 0"),
        ((3.0 * rng.standard_normal((4, 3)),), "a batch of 4 rows × 3 classes (softmax along axis=-1)"),
        ((np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0], [-1000.0, -999.0, -1000.0]]),),
         "a 3 × 3 batch with ±1000 (each row is its own distribution)"),
        ((np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1003.0], [0.5, 1.5, -0.5]]),),
         "rows of very different scales (each row needs its own max)"),
        ((np.array([[3000.0, 2999.0], [-3000.0, -2998.0]]),), "logits of ±3000 (beyond any clip)"),
        ((rng.standard_normal((2, 5)),), "2 rows × 5 classes"),
        ((rng.standard_normal((2, 2, 3)),), "a (2, 2, 3) array"),
        ((np.array([7.0]),), "a single class"),
    ]


q2_stable_softmax = FunctionExercise(
    name="a softmax that survives logits of ±1000",
    reference=lambda z: softmax(z, axis=-1),
    cases=_softmax_cases, rtol=1e-7, atol=1e-12, call="my_softmax(z)",
    forbidden=(softmax, naive_softmax, log_softmax, stable_softmax_in),
    hint=["Subtract the largest logit of each row before exponentiating: softmax(z) = softmax(z − max z).",
          "Use z.max(axis=-1, keepdims=True) and e.sum(axis=-1, keepdims=True): keepdims keeps the "
          "shapes broadcastable, so every row uses its own max and its own sum."],
    solution="def my_softmax(z):\n"
             "    z = np.asarray(z, dtype=float)\n"
             "    e = np.exp(z - z.max(axis=-1, keepdims=True))   # largest entry is e^0 = 1\n"
             "    return e / e.sum(axis=-1, keepdims=True)",
)


class _LogSoftmaxExercise(FunctionExercise):
    """A function answer; a −inf in the result gets a log-softmax-specific explanation."""

    def _check(self, answer: Any) -> tuple[str, str]:
        status, message = super()._check(answer)
        if status == WRONG and "inf" in message:
            message += (" In log-softmax, −inf means a probability underflowed to 0 before the log: "
                        "never take np.log(softmax(z)); compute (z − max) − log Σ e^(z − max) directly.")
        return status, message


q3_log_softmax = _LogSoftmaxExercise(
    name="log-softmax without taking the log of a probability",
    reference=lambda z: log_softmax(z, axis=-1),
    cases=_softmax_cases, rtol=1e-9, atol=1e-9, call="my_log_softmax(z)",
    forbidden=(log_softmax, logsumexp, log_softmax_in, log_of_softmax_in),
    hint=["log softmax(z)_i = z_i − log Σ_j e^{z_j}. Compute the log-sum-exp stably with the max-shift.",
          "With m = z.max(axis=-1, keepdims=True): log Σ e^z = m + log Σ e^(z − m)."],
    solution="def my_log_softmax(z):\n"
             "    z = np.asarray(z, dtype=float)\n"
             "    s = z - z.max(axis=-1, keepdims=True)\n"
             "    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))",
)


q4_temperature = ChoiceExercise(
    name="what does dividing every logit by T = 2 change?",
    options={
        "A": "the predicted class of each example",
        "B": "the confidence (the largest probability) of each example",
        "C": "the accuracy on the test set",
        "D": "the expected calibration error (ECE)",
    },
    correct={"B", "D"},
    why={
        "A": "dividing by T > 0 keeps the order of the logits, so the arg-max stays the same",
        "B": "T > 1 flattens every distribution, so the largest probability shrinks",
        "C": "the predictions do not change, so neither does the accuracy",
        "D": "ECE compares confidence with accuracy; the confidence moved",
    },
    hint="Does z / T keep the order of the logits? Which quantities depend on the order only, and which on the values?",
    solution="**B and D.** The arg-max (A) and therefore the accuracy (C) do not change; the "
             "confidence does, and so does the ECE, which compares confidence with accuracy.",
)

#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_softmax_by_hand, q2_stable_softmax, q3_log_softmax, q4_temperature]
