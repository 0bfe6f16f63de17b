"""Exercises of 05_softmax: softmax by hand, a stable softmax, log-softmax, temperature, logits from P.

>>> from lecture_utils.exercises.nb05 import q1_softmax_by_hand
>>> bool(q1_softmax_by_hand.check([0.66, 0.24, 0.10], show=False))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..precision import log_of_softmax_in, log_softmax_in, stable_softmax_in
from ..softmax import log_softmax, logsumexp, naive_softmax, softmax
from ._core import (CORRECT, FLOAT32_ATOL, FLOAT32_RTOL, WRONG, ArrayExercise, ChoiceExercise,
                    FunctionExercise, compare_arrays, is_placeholder, progress)

__all__ = ["EXERCISES", "progress", "SCORES_BY_HAND", "q1_softmax_by_hand", "q2_stable_softmax", "q3_log_softmax",
           "q4_temperature",
           "q5_logits_from_probabilities"]

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


# -- q5: logits from probabilities (the lecture's "log likelihood") ----------------------------

def _plain_softmax(z: Any) -> Any:
    """softmax along the last axis that lets NaN / inf through (the checker reports them)."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(all="ignore"):
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)


def _logit_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    lecture = softmax(np.array([[5.0, 4.0, 2.0], [4.0, 2.0, 8.0], [4.0, 4.0, 1.0]]), axis=1)
    return [
        ((lecture[0],), "the lecture's first row softmax(5, 4, 2)"),
        ((lecture,), "all three rows of the lecture's table, shape (3, 3)"),
        # one class above 0.55 in every row: rounded to integers (the checker tries that too) the
        # rows become one-hot, where a zero probability needs the score −inf
        ((0.45 * rng.dirichlet(np.ones(4), size=6) + 0.55 * np.eye(4)[rng.integers(0, 4, 6)],),
         "6 random distributions over 4 classes"),
        ((np.array([0.5, 0.5]),), "a fair coin (0.5, 0.5)"),
        ((softmax(np.array([[300.0, 0.0, -300.0]]), axis=1),), "a row with a probability of 1e-261"),
        ((rng.dirichlet(np.ones(3), size=(2, 2)),), "a (2, 2, 3) array of distributions"),
    ]


def _logit_slips(P: np.ndarray) -> dict[str, np.ndarray]:
    """The usual wrong answers for the probabilities ``P``, each with its reason."""
    with np.errstate(all="ignore"):
        logP = np.log(P)
        return {
            "these are the probabilities themselves: softmax(P) is flatter than P. Take the log first.": P,
            "the sign is flipped: −log P gives the most probable class the smallest score.": -logP,
            "log base 10 scales every gap by 1/ln 10; softmax uses e^z, so use the natural log.": np.log10(P),
            "the constant must be the same for every class of one row (a shift per row); subtracting a "
            "value per class (column) changes the ratios between classes.":
                logP - logP.mean(axis=0, keepdims=True) if P.ndim > 1 else logP * 0 + np.nan,
        }


class _LogitsExercise(FunctionExercise):
    """A function P ↦ z is right when softmax(z) gives P back: any constant per row may be added.

    The answer's scores go through softmax before they are compared with ``P`` (the reference
    returns ``P``), so log P, log P + 7 and log P − mean(log P) all pass; the usual slips (P
    itself, −log P, log10, a shift per class instead of per row) are named.
    """

    def _compare(self, got: Any, want: Any, args: tuple) -> str | None:
        if is_placeholder(got):
            return "placeholder"
        low = any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in (*args, got))
        rtol, atol = (max(self.rtol, FLOAT32_RTOL), max(self.atol, FLOAT32_ATOL)) if low else (self.rtol, self.atol)
        try:
            z = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return compare_arrays(got, want, rtol, atol, what="your scores")
        if z.shape != np.shape(want):
            return compare_arrays(z, want, rtol, atol, what="your scores")
        if compare_arrays(_plain_softmax(z), want, rtol, atol) is None:
            return None
        P = np.asarray(args[0], dtype=np.float64)
        if (P == 0).any() and np.isnan(z).any():
            return ("a probability of exactly 0 needs the score −inf (e^z is 0 only at z = −inf); log 0 gives "
                    "that, but a shift by the mean of log P is −inf − (−inf) = NaN. Shift by a finite number, "
                    "e.g. each row's largest score.")
        for reason, wrong in _logit_slips(P).items():
            if np.allclose(z, wrong, rtol=1e-6, atol=1e-9):
                return reason
        return compare_arrays(_plain_softmax(z), want, rtol, atol, what="softmax(your scores)")


q5_logits_from_probabilities = _LogitsExercise(
    name="scores that give these probabilities back",
    reference=lambda P: np.asarray(P, dtype=np.float64),
    cases=_logit_cases, rtol=1e-9, atol=1e-12,
    hint=["softmax(z)_i = e^{z_i} / Σ_j e^{z_j}. If z_i = log P_i, what is e^{z_i}, and what is the sum?",
          "z = np.log(P) works, and so does np.log(P) + C for any constant C per row (shift invariance): "
          "the checker only asks that softmax(z) gives P back, along the last axis."],
    solution="def my_logits(P):\n"
             "    P = np.asarray(P, dtype=float)\n"
             "    return np.log(P)          # + any constant per row: softmax(log P + C) = P",
)


#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_softmax_by_hand, q2_stable_softmax, q3_log_softmax, q4_temperature, q5_logits_from_probabilities]
