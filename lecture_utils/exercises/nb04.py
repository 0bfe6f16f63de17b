"""Exercises of 04_theorem_and_depth: what the theorem promises, which activations are universal, depth.

>>> from lecture_utils.exercises.nb04 import q3_sawtooth
>>> bool(q3_sawtooth.check((64, 63, 12), show=False))
True
"""

from __future__ import annotations

import math
from typing import Any

from ._core import CORRECT, WRONG, ChoiceExercise, Exercise, as_numbers, progress

__all__ = ["EXERCISES", "progress", "q1_promises", "q2_universal_activations", "q3_sawtooth"]

q1_promises = ChoiceExercise(
    name="what the theorem promises",
    options={"A": "For a continuous f on [0, 1] and any ε > 0, some finite N gets the max error below ε.",
             "B": "N = 20 hidden neurons are enough for any continuous f.",
             "C": "A network that fits f on [0, 1] also follows f outside [0, 1].",
             "D": "Gradient descent finds such a network.",
             "E": "It holds for ReLU units as well as for sigmoid units."},
    correct={"A", "E"},
    why={"B": "N depends on f and ε: a wigglier f needs more neurons.",
         "C": "nothing constrains the network outside the interval (section 4: beyond x = 1 the trained and "
              "the constructed network drift away from sin 2πx).",
         "D": "the theorem says a network exists, not that training finds it.",
         "A": "this is exactly the statement (with the max error, on a closed interval).",
         "E": "the ReLU interpolant is a network too, and its error falls like 1/N²."},
    hint="The theorem is an existence statement on a closed interval, for a fixed target and accuracy.",
    solution="**A and E.** B, C and D are what the theorem does *not* promise.",
)


q2_universal_activations = ChoiceExercise(
    name="which activations are universal",
    options={"A": "the identity, f(z) = z",
             "B": "the square, f(z) = z²",
             "C": "tanh",
             "D": "ReLU, f(z) = max(0, z)",
             "E": "the step, f(z) = 1 for z ≥ 0, else 0",
             "F": "sin"},
    correct={"C", "D", "E", "F"},
    why={"A": "a polynomial of degree 1: every such network is affine, a·x + d (notebook 01's collapse).",
         "B": "a polynomial of degree 2: every such network is a polynomial of degree ≤ 2, however wide (section 2).",
         "C": "continuous and not a polynomial (bounded and sigmoid-shaped too: Cybenko 1989, Hornik 1991).",
         "D": "continuous and not a polynomial, which is all Leshno et al. (1993) ask; unbounded is fine.",
         "E": "not continuous, but bounded, piecewise continuous and not a polynomial: Leshno et al. cover it "
              "(the staircase of notebook 03 with perfectly sharp steps).",
         "F": "continuous and not a polynomial (sums of sin(w·x + b) contain every Fourier series)."},
    hint=["One condition decides it for every activation here: is f a polynomial?",
          "With f a polynomial of degree p, each unit f(w·x + b) is a polynomial of degree p in x, and so is any sum of them."],
    solution=("**C, D, E and F.** A one-hidden-layer network with a linear output is universal exactly when its "
              "activation is not a polynomial (Leshno, Lin, Pinkus & Schocken 1993, for activations that are "
              "locally bounded and piecewise continuous — which covers the step). The identity and z² are "
              "polynomials: every network built from them is a polynomial of degree ≤ 1 or ≤ 2."),
)


def _whole_numbers(answer: Any, n: int) -> tuple[tuple[int, ...] | None, str]:
    """``n`` whole numbers (ints, or floats such as 64.0, Fraction, Decimal, numpy scalars), else
    (None, why not): strings, bools, complex numbers and fractions such as 64.5 are not counts.
    ``answer`` is plain data (the core reads it inside its time limit)."""
    numbers, why = as_numbers(answer, n)
    if numbers is None:
        return None, why
    for i, v in enumerate(numbers):
        if not math.isfinite(v) or not float(v).is_integer() or v < 0:
            return None, f"entry {i}: {v!r} is not a whole number ≥ 0."
    return tuple(int(v) for v in numbers), ""


class SawtoothExercise(Exercise):
    """(pieces, kinks, deep hidden units) of the hat composed ``k`` times."""

    def __init__(self, k: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.k = k

    def _check(self, answer: Any) -> tuple[str, str]:
        k = self.k
        got, why = _whole_numbers(answer, 3)
        if got is None:
            return WRONG, f"give three whole numbers: (pieces, kinks, deep_units), e.g. (10, 9, 4); {why}"
        pieces, kinks, deep = got
        want = (2**k, 2**k - 1, 2 * k)
        problems = []
        if pieces != want[0]:
            problems.append({2 * k: f"{pieces} pieces is the deep network's unit count; each composition "
                                    "*doubles* the pieces (k = 1: 2, k = 2: 4, …)",
                             2 ** (k - 1): f"{pieces} is the number of teeth; each tooth has two pieces (up and down)",
                             k + 1: f"{pieces} would be one more piece per composition; each composition doubles them",
                             }.get(pieces, f"{pieces} pieces is not right: count them for k = 1, 2, 3 in the panel "
                                           "and look for the pattern"))
        if kinks != want[1]:
            if kinks == pieces - 1:
                problems.append(f"{kinks} kinks does follow from your {pieces} pieces (one fewer) — fix the pieces")
            elif kinks in (pieces, want[0], want[0] + 1):
                problems.append(f"{kinks} kinks: a kink is where one piece meets the next, so there is one fewer "
                                "kink than pieces (the ends x = 0 and x = 1 are not kinks)")
            else:
                problems.append(f"{kinks} kinks is not right: a kink is where one piece meets the next")
        if deep != want[2]:
            problems.append({k: f"{deep} is the number of layers; each has 2 ReLUs",
                             2 * k + 2: f"{deep} counts the input and output too; only hidden ReLUs count",
                             2**k: f"{deep} is the one-hidden-layer count; the deep network needs far fewer"
                             }.get(deep, f"{deep} deep units is not right: k layers of 2 ReLUs each"))
        if not problems:
            return CORRECT, (f"{pieces} pieces and {kinks} kinks from {deep} ReLUs in {k} layers; one hidden layer "
                             f"adds at most one kink per unit, so it needs at least {kinks} — "
                             f"{kinks / deep:.1f}× as many.")
        return WRONG, "; ".join(problems) + "."


q3_sawtooth = SawtoothExercise(
    k=6, name="depth: pieces and units of the sawtooth",
    hint=["Count in the sawtooth panel for k = 1, 2, 3: how do the pieces grow with each composition?",
          "Pieces double each time: 2^k. Kinks sit between pieces. The deep network has k layers of 2 ReLUs."],
    solution=("k = 6\nanswer = (2**k, 2**k - 1, 2 * k)   # (64, 63, 12): 63 kinks, so one hidden layer "
              "needs ≥ 63 ReLUs"),
)


#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_promises, q2_universal_activations, q3_sawtooth]
