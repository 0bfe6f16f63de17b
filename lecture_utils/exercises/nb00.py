"""The warm-up check of 00_start_here: how a self-checking exercise behaves.

>>> from lecture_utils.exercises.nb00 import q0_count_the_weights
>>> bool(q0_count_the_weights.check(9, show=False))
True
"""

from __future__ import annotations

from ._core import NumberExercise, progress

__all__ = ["EXERCISES", "progress", "q0_count_the_weights"]

q0_count_the_weights = NumberExercise(
    "Warm-up: weights of the lecture's 2-3-1 network",
    expected=9, integer=True,  # a count: compared exactly
    hint=["Every input connects to every hidden neuron, and every hidden neuron to the output.",
          "2 inputs × 3 hidden neurons, plus 3 hidden neurons × 1 output."],
    solution="answer = 2 * 3 + 3 * 1   # = 9 weights (w1 … w9); the biases are not weights",
    wrong_answers={
        6: "that counts only the connections from the inputs to the hidden layer; add the 3 "
           "from the hidden layer to the output.",
        3: "that counts only the connections into the output neuron; add the 2 × 3 from the "
           "inputs to the hidden layer.",
        12: "that counts the 3 biases as weights; count only the connections (the w's).",
        13: "that counts the 3 hidden biases and the output bias as weights; count only the w's.",
        6.0 + 3 + 1: "that adds a bias to the weights; count only the connections (the w's).",
    },
)

#: this notebook's exercises (``progress()`` and the graded tests enumerate them)
EXERCISES = [q0_count_the_weights]
