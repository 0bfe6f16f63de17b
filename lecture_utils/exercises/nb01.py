"""Exercises for 01_nonlinearity.

* ``q1_collapse_by_hand`` — the single layer (W, b) equal to a given two-layer linear network.
* ``q2_relu`` — implement ReLU.
* ``q3_which_are_linear`` — which networks are linear functions of their input?
* ``q4_lecture_coefficients`` — a, c, d of N4 = a·x1 + c·x2 + d for the lecture network.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..activations import relu
from ..nonlinearity import collapse_lecture_network
from ._core import (CORRECT, NOT_ATTEMPTED, WRONG, ArrayExercise, ChoiceExercise, Exercise, FunctionExercise,
                    _describe, compare_arrays, is_placeholder, progress)

__all__ = ["EXERCISES", "progress", "W1", "b1", "W2", "b2", "LECTURE_W", "LECTURE_B", "LECTURE_G", "q1_collapse_by_hand",
           "q2_relu", "q3_which_are_linear", "q4_lecture_coefficients", "PairExercise"]

# the two-layer linear network of q1: x (2 features) -> 2 hidden -> 1 output
W1 = np.array([[1.0, 2.0], [0.0, -1.0]])  # (2, 2)
b1 = np.array([1.0, 0.0])  # (2,)
W2 = np.array([[3.0], [1.0]])  # (2, 1)
b2 = np.array([0.5])  # (1,)


class PairExercise(Exercise):
    """The answer is a pair of arrays ``(W, b)``, each compared in shape and values."""

    def __init__(self, name: str, expected: tuple[Any, Any], hint: Any, solution: str,
                 names: tuple[str, str] = ("W", "b"), rtol: float = 1e-6, atol: float = 1e-9) -> None:
        super().__init__(name, hint, solution)
        self.expected = tuple(np.asarray(e, dtype=np.float64) for e in expected)
        self.names, self.rtol, self.atol = names, rtol, atol

    def _check(self, answer: Any) -> tuple[str, str]:
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return WRONG, (f"give a pair ({self.names[0]}, {self.names[1]}), e.g. "
                           f"q.check(({self.names[0]}_single, {self.names[1]}_single)); got {_describe(answer)}.")
        if all(is_placeholder(a) for a in answer):
            return NOT_ATTEMPTED, "replace both ___ with your answers, then run this cell again."
        for got, want, name in zip(answer, self.expected, self.names):
            if is_placeholder(got):
                return NOT_ATTEMPTED, f"{name} is still ___: fill it in too."
            reason = compare_arrays(got, want, self.rtol, self.atol, what=name)
            if reason is not None:
                return WRONG, reason
        return CORRECT, "both match."


q1_collapse_by_hand = PairExercise(
    name="collapse a two-layer linear network",
    expected=(W1 @ W2, b1 @ W2 + b2),
    hint=["Substitute: (x @ W1 + b1) @ W2 + b2 = x @ (W1 @ W2) + (b1 @ W2 + b2).",
          "W_single has shape (2, 1) — one row per input, one column per output; b_single has shape (1,)."],
    solution="W_single = W1 @ W2           # (2, 2) @ (2, 1) -> (2, 1)\nb_single = b1 @ W2 + b2      # (2,) @ (2, 1) + (1,) -> (1,)",
)


def _relu_reference(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _relu_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    return [
        ((np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),), "a small example (-2, -0.5, 0, 0.5, 2)"),
        ((rng.normal(size=(4, 3)),), "a (4, 3) batch"),
        ((np.array([-1e6, 1e6, -1e30, 1e30]),), "huge values (beyond any clip)"),
        ((rng.normal(size=(2, 5)) - 3,), "mostly negative numbers"),
        ((rng.normal(size=(2, 3, 4)),), "a (2, 3, 4) array"),
        ((np.array(-2.5),), "a single number (a 0-d array)"),
    ]


q2_relu = FunctionExercise(
    name="implement ReLU",
    reference=_relu_reference,
    cases=_relu_cases, call="my_relu(z)", forbidden=(relu,),
    hint=["ReLU keeps positive numbers and replaces negative ones by 0.",
          "np.maximum(z, 0) works element-wise on an array of any shape (np.max would reduce it)."],
    solution="def my_relu(z):\n    return np.maximum(z, 0.0)",
)

q3_which_are_linear = ChoiceExercise(
    name="which networks are linear functions of x?",
    options={
        "A": "two dense layers, identity activation",
        "B": "two dense layers, activation f(z) = 3z",
        "C": "two dense layers, tanh activation",
        "D": "one hundred dense layers, identity activation",
        "E": "one dense layer followed by a sigmoid: σ(x @ W + b)",
        "F": "f(x) = relu(x) − relu(−x)",
    },
    correct={"A", "B", "D", "F"},
    hint=["Expand each one: can you write it as x @ W + b for some W, b?",
          "relu(x) − relu(−x): try x = 2 and x = −2."],
    solution="A, B, D and F. A, B and D collapse to one layer (a slope g just scales W and b). "
             "relu(x) − relu(−x) = x for every x. C bends (tanh is not a line), and σ(x @ W + b) is "
             "not linear in x although its 0.5 boundary is a straight line.",
    why={"C": "tanh is curved: its expansion cannot be multiplied out into x @ W + b",
         "E": "σ squashes: σ(2z) ≠ 2σ(z); only its 0.5 boundary is a straight line",
         "F": "relu(x) − relu(−x) equals x for every x, so it is linear",
         "B": "a slope g folds into the weights: g·(x @ W + b) = x @ (gW) + gb",
         "D": "any number of linear layers collapses to one",
         "A": "two linear layers collapse to one"},
)

#: the lecture network of q4: weights w1..w9, shared bias b, linear hidden slope g
LECTURE_W = (1.0, -2.0, 0.5, 2.0, 1.0, -1.0, 1.5, 0.5, -1.5)
LECTURE_B = 1.0
LECTURE_G = 2.0

q4_lecture_coefficients = ArrayExercise(
    name="expand N4 = a·x1 + c·x2 + d",
    expected=np.array(collapse_lecture_network(LECTURE_W, LECTURE_B, LECTURE_G)),
    hint=["a collects every path from x1 to N4: w7·g·w1 + w8·g·w2 + w9·g·w3.",
          "c does the same for x2 with w4, w5, w6; d = b·g·(w7 + w8 + w9)."],
    solution="w1, w2, w3, w4, w5, w6, w7, w8, w9 = LECTURE_W; b, g = LECTURE_B, LECTURE_G\n"
             "a = g * (w7 * w1 + w8 * w2 + w9 * w3)\n"
             "c = g * (w7 * w4 + w8 * w5 + w9 * w6)\n"
             "d = g * b * (w7 + w8 + w9)\n"
             "answer = np.array([a, c, d])",
)

#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_collapse_by_hand, q2_relu, q3_which_are_linear, q4_lecture_coefficients]
