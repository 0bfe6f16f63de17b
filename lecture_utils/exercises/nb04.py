"""Exercises of 04_softmax: softmax by hand, a stable softmax, log-softmax, temperature, logits from P.

>>> from lecture_utils.exercises.nb04 import q1_softmax_by_hand
>>> bool(q1_softmax_by_hand.check([0.66, 0.24, 0.10], show=False))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..softmax import log_softmax, softmax
from ._core import (CORRECT, WRONG, ArrayExercise, ChoiceExercise, FunctionExercise, compare_arrays,
                    is_placeholder)

__all__ = ["SCORES_BY_HAND", "q1_softmax_by_hand", "q2_stable_softmax", "q3_log_softmax",
           "q4_temperature", "q5_logits_from_probabilities"]

#: The scores of exercise 1 (cat, dog, horse).
SCORES_BY_HAND = (2.0, 1.0, 0.1)


class _ByHandExercise(ArrayExercise):
    """An array answer that recognises the usual slips of a softmax done by hand."""

    def _check(self, answer: Any) -> tuple[str, str]:
        status, message = super()._check(answer)
        if status == CORRECT:
            return status, message
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
    expected=softmax(SCORES_BY_HAND), rtol=0.0, atol=0.006,
    hint=["Compute e^2, e^1 and e^0.1 (about 7.39, 2.72 and 1.11), add them up, and divide each by the sum.",
          "The sum is about 11.21; the first probability is 7.39 / 11.21. Two decimals are enough."],
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
        ((rng.standard_normal((2, 5)),), "2 rows × 5 classes"),
        ((rng.standard_normal((2, 2, 3)),), "a (2, 2, 3) array"),
        ((np.array([7.0]),), "a single class"),
    ]


q2_stable_softmax = FunctionExercise(
    name="a softmax that survives logits of ±1000",
    reference=lambda z: softmax(z, axis=-1),
    cases=_softmax_cases, rtol=1e-7, atol=1e-12,
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
    cases=_softmax_cases, rtol=1e-9, atol=1e-9,
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
        ((rng.dirichlet(np.ones(4), size=5),), "5 random distributions over 4 classes"),
        ((np.array([0.5, 0.5]),), "a fair coin (0.5, 0.5)"),
        ((softmax(np.array([[300.0, 0.0, -300.0]]), axis=1),), "a row with a probability of 1e-261"),
        ((rng.dirichlet(np.ones(3), size=(2, 2)),), "a (2, 2, 3) array of distributions"),
    ]


class _LogitsExercise(FunctionExercise):
    """A function P ↦ z is right when softmax(z) gives P back: any constant per row may be added.

    The answer is checked through softmax, so log P, log P + 7 and log P − mean(log P) all pass;
    the usual slips (P itself, −log P, log10, a shift per class instead of per row) get a reason.
    """

    def _check(self, answer: Any) -> tuple[str, str]:
        if not callable(answer):
            return super()._check(answer)

        def through_softmax(P: Any) -> Any:
            z = answer(P)
            return z if is_placeholder(z) else _plain_softmax(z)

        status, message = super()._check(through_softmax)
        if status != WRONG:
            return status, message
        P = _logit_cases(np.random.default_rng(self.seed))[1][0][0]
        slips = {
            "these are the probabilities themselves: softmax(P) is flatter than P. Take the log first.": P,
            "the sign is flipped: −log P gives the most probable class the smallest score.": -np.log(P),
            "log base 10 scales every gap by 1/ln 10; softmax uses e^z, so use the natural log.": np.log10(P),
            "the constant must be the same for every class of one row (a shift per row); subtracting a "
            "value per class (column) changes the ratios between classes.": np.log(P) - np.log(P).mean(axis=0),
        }
        try:
            with np.errstate(all="ignore"):
                z = np.asarray(answer(P.copy()), dtype=np.float64)
        except Exception:  # the base check has already reported the error
            return status, message.replace("the result", "softmax(your logits)")
        for reason, wrong in slips.items():
            if z.shape == wrong.shape and np.allclose(z, wrong, rtol=1e-9, atol=1e-12):
                return WRONG, reason
        return status, message.replace("the result", "softmax(your logits)")


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
