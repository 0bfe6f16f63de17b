"""Exercises for the small fixture notebooks of the grading tests (not part of the lecture).

They are built from the real exercise classes, so the generator and nbgrader see what they
see in the lecture notebooks; they never change when the lecture's exercises do.
"""

from __future__ import annotations

import numpy as np

from lecture_utils.exercises._core import ChoiceExercise, FunctionExercise, NumberExercise

__all__ = ["f1_double", "f2_answer", "f3_letters", "EXERCISES"]


def _double(x: np.ndarray) -> np.ndarray:
    return 2.0 * x


def _double_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    # only random inputs: a table of the visible check's outputs cannot pass another seed
    return [((rng.normal(size=(3,)),), "three numbers"), ((rng.normal(size=(2, 4)),), "a (2, 4) batch")]


f1_double = FunctionExercise(
    name="double every entry", reference=_double, cases=_double_cases,
    hint="Multiply by two.", solution="def my_double(x):\n    return 2 * x",
)

f2_answer = NumberExercise(
    name="six times seven", expected=42, rtol=0, atol=1e-9,
    hint="6 · 7.", solution="answer = 6 * 7",
)

f3_letters = ChoiceExercise(
    name="the vowels", options={"A": "a", "B": "b", "E": "e"}, correct={"A", "E"},
    hint="a, e, i, o, u.", solution="**A and E.**",
)

EXERCISES = [f1_double, f2_answer, f3_letters]
