"""Exercises of 03_universal_approximation: a step, a bump, ReLUs for a piecewise-linear function, the challenge.

>>> from lecture_utils.exercises.nb03 import q1_step_at_03
>>> bool(q1_step_at_03.check((1000, -300), show=False))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..approximation import CHALLENGE_THRESHOLD, bump, bump_network, challenge_score
from ._core import CORRECT, WRONG, Exercise, FunctionExercise, NumberExercise, as_numbers, progress

__all__ = ["EXERCISES", "progress", "q1_step_at_03", "q2_bump", "q3_relus_needed", "q4_challenge"]


class StepExercise(Exercise):
    """The answer is (w, b) of a sigmoid neuron whose step sits at ``s`` (to ``tol``, the
    precision the task states) and is steep (w ≥ ``min_w``)."""

    def __init__(self, s: float, min_w: float, tol: float = 5e-3, **kw: Any) -> None:
        super().__init__(**kw)
        self.s, self.min_w, self.tol = s, min_w, tol

    def _check(self, answer: Any) -> tuple[str, str]:
        pair, why = as_numbers(answer, 2)
        if pair is None:
            return WRONG, f"give two numbers, the weight and the bias: (w, b). ({why})"
        w, b = pair
        if not np.isfinite([w, b]).all():
            return WRONG, "w and b must be finite numbers."
        if w == 0:
            return WRONG, "w = 0 gives the constant σ(b): no step at all."
        s = -b / w
        if w < 0:
            return WRONG, f"with w = {w:g} < 0 the neuron steps *down* at {s:.3g}; use w > 0."
        if abs(s - self.s) > self.tol:
            extra = " — check the sign of b: s = −b/w." if abs(-s - self.s) <= self.tol else "."
            return WRONG, (f"this step sits at −b/w = {s:.6g}, not at {self.s} (to within ±{self.tol:g})"
                           f"{extra}")
        if w < self.min_w:
            return WRONG, (f"the step is at {s:.3g}, but with w = {w:g} it is a gentle slope "
                           f"(it rises over Δx ≈ 4.4/w = {4.4 / w:.2g}); use w ≥ {self.min_w:g}.")
        return CORRECT, f"w = {w:g}, b = {b:g}: step at −b/w = {s:.4g}."


q1_step_at_03 = StepExercise(
    s=0.3, min_w=100.0, name="a step at x = 0.3",
    hint=["The step of σ(w·x + b) sits where w·x + b = 0, at x = −b/w; it must be at 0.3 to within ±0.005.",
          "Choose a large w (say 1000), then solve w·0.3 + b = 0 for b."],
    solution="w = 1000\nb = -w * 0.3      # = -300: the step sits at -b/w = 0.3\nanswer = (w, b)",
)


def _bump_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    x = np.linspace(0.0, 1.0, 101)
    cases = [((x, 0.4, 0.6, 0.8, 1000.0), "the bump on [0.4, 0.6] of height 0.8, w = 1000"),
             ((x, 0.1, 0.3, -0.5, 50.0), "a negative bump with a gentle w = 50")]
    for _ in range(3):
        left, right = np.sort(rng.uniform(0, 1, 2))
        cases.append(((rng.uniform(-0.5, 1.5, 37), float(left), float(right), float(rng.normal()),
                       float(rng.uniform(20, 500))), "random edges, height and w"))
    return cases


q2_bump = FunctionExercise(
    name="a bump from two neurons",
    reference=lambda x, left, right, height, w: bump(x, left, right, height, w),
    cases=_bump_cases, rtol=1e-6, atol=1e-7, call="my_bump(x, left, right, height, w)",
    forbidden=(bump, bump_network),
    hint=["Neuron 1 steps up at `left`, neuron 2 steps up at `right`; the output weights are +height and −height.",
          "A step at s: `sigmoid(w * x - w * s)`."],
    solution=("def my_bump(x, left, right, height, w):\n"
              "    up_at_left = sigmoid(w * x - w * left)      # neuron 1: b1 = -w·left\n"
              "    up_at_right = sigmoid(w * x - w * right)    # neuron 2: b2 = -w·right\n"
              "    return height * up_at_left - height * up_at_right"),
)

q3_relus_needed = NumberExercise(
    name="ReLUs for a piecewise-linear function",
    expected=3, integer=True,
    wrong_answers={4: "4 works (relu(x) makes the first piece rise), but fewer do: a ReLU can open to the left. "
                      "relu(0.2 − x) is 0.2 − x left of 0.2 and 0 after it, so one unit makes the first piece "
                      "and the kink at 0.2. Count the kinks inside (0, 1).",
                   5: "the end points x = 0 and x = 1 are not kinks: nothing bends there.",
                   2: "every place inside (0, 1) where the slope changes needs its own unit.",
                   6: "one ReLU per slope *change*, not two per piece.",
                   8: "one ReLU per slope *change*, not two per piece."},
    hint=["A ReLU unit relu(w·x + b) bends in one place, where w·x + b = 0. With w < 0 it is a line to the left "
          "of that point and 0 to the right. The output bias gives the constant.",
          "The slopes of the four pieces are 2, 0, −2, 0: they change at 0.2, 0.5 and 0.8. Does the first piece "
          "need a unit of its own, if a ReLU that opens to the left can make it?"],
    solution=("The slope changes at x = 0.2 (2 → 0), 0.5 (0 → −2) and 0.8 (−2 → 0): **3 ReLUs**, one per kink "
              "inside (0, 1). The first piece comes from a ReLU that opens to the left:\n\n"
              "f(x) = 0.4 − 2·relu(0.2 − x) − 2·relu(x − 0.5) + 2·relu(x − 0.8).\n\n"
              "(`count_relus` gives 4: it counts units relu(x − k) that all open to the right, as the "
              "interpolant relu_network builds them, and those need one more at x = 0.)"),
)


class ChallengeExercise(Exercise):
    """Five bump heights whose average deviation from the wiggly curve beats the threshold."""

    def _check(self, answer: Any) -> tuple[str, str]:
        heights, why = as_numbers(answer, 5)
        if heights is None:
            return WRONG, f"give the five heights (one per bump), e.g. challenge.heights. ({why})"
        h = np.array(heights)
        if not np.isfinite(h).all():
            return WRONG, "the heights must be finite numbers."
        score = challenge_score(h)
        if score < CHALLENGE_THRESHOLD:
            return CORRECT, f"average deviation {score:.4f} < {CHALLENGE_THRESHOLD}."
        return WRONG, (f"average deviation {score:.4f} — still ≥ {CHALLENGE_THRESHOLD}. Move each "
                       "height to the middle of the curve over its bump.")


q4_challenge = ChallengeExercise(
    name="the bump challenge",
    hint=["Work bump by bump: each height only changes the output over its own fifth of [0, 1].",
          "For the smallest *average* |deviation|, put each height where half the curve over its bump is above and half below (the median)."],
    solution=("import numpy as np\nx = np.linspace(0, 1, 501)\ny = 0.2 + 0.4*x**2 + 0.3*x*np.sin(15*x) + 0.05*np.cos(50*x)\n"
              "heights = [float(np.median(y[(x >= k/5) & (x <= (k+1)/5)])) for k in range(5)]\n"
              "# ≈ [0.22, 0.19, 0.42, 0.27, 0.77]: average deviation ≈ 0.069"),
)

#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_step_at_03, q2_bump, q3_relus_needed, q4_challenge]
