"""Exercises of 03_universal_approximation.

>>> from lecture_utils.exercises.nb03 import q1_step_at_03
>>> bool(q1_step_at_03.check((1000, -300), show=False))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..approximation import CHALLENGE_THRESHOLD, bump, challenge_score
from ._core import WRONG, CORRECT, ChoiceExercise, Exercise, FunctionExercise, NumberExercise

__all__ = ["q1_step_at_03", "q2_bump", "q3_relus_needed", "q4_challenge", "q5_promises",
           "q6_universal_activations", "q7_sawtooth"]


def _pair(answer: Any) -> tuple[float, float] | None:
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return (float(arr[0]), float(arr[1])) if arr.shape == (2,) else None


class StepExercise(Exercise):
    """The answer is (w, b) of a sigmoid neuron whose step sits at ``s`` and is steep."""

    def __init__(self, s: float, min_w: float, **kw: Any) -> None:
        super().__init__(**kw)
        self.s, self.min_w = s, min_w

    def _check(self, answer: Any) -> tuple[str, str]:
        pair = _pair(answer)
        if pair is None:
            return WRONG, "give two numbers, the weight and the bias: (w, b)."
        w, b = pair
        if not np.isfinite([w, b]).all():
            return WRONG, "w and b must be finite numbers."
        if w == 0:
            return WRONG, "w = 0 gives the constant σ(b): no step at all."
        s = -b / w
        if w < 0:
            return WRONG, f"with w = {w:g} < 0 the neuron steps *down* at {s:.3g}; use w > 0."
        if abs(s - self.s) > 5e-3:
            extra = " — check the sign of b: s = −b/w." if abs(-s - self.s) < 5e-3 else "."
            return WRONG, f"this step sits at −b/w = {s:.4g}, not at {self.s}{extra}"
        if w < self.min_w:
            return WRONG, (f"the step is at {s:.3g}, but with w = {w:g} it is a gentle slope "
                           f"(it rises over Δx ≈ 4.4/w = {4.4 / w:.2g}); use w ≥ {self.min_w:g}.")
        return CORRECT, f"w = {w:g}, b = {b:g}: step at −b/w = {s:.4g}."


q1_step_at_03 = StepExercise(
    s=0.3, min_w=100.0, name="a step at x = 0.3",
    hint=["The step of σ(w·x + b) sits where w·x + b = 0.",
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
    cases=_bump_cases, rtol=1e-6, atol=1e-7,
    hint=["Neuron 1 steps up at `left`, neuron 2 steps up at `right`; the output weights are +height and −height.",
          "A step at s: `sigmoid(w * x - w * s)`."],
    solution=("def my_bump(x, left, right, height, w):\n"
              "    up_at_left = sigmoid(w * x - w * left)      # neuron 1: b1 = -w·left\n"
              "    up_at_right = sigmoid(w * x - w * right)    # neuron 2: b2 = -w·right\n"
              "    return height * up_at_left - height * up_at_right"),
)

q3_relus_needed = NumberExercise(
    name="ReLUs for a piecewise-linear function",
    expected=4, rtol=0, atol=1e-9,
    wrong_answers={3: "the first piece already rises (slope 2), and relu(x − 0) is what makes it rise: count x = 0 too.",
                   5: "the end point x = 1 is not a kink: nothing changes there.",
                   2: "a flat piece still needs a ReLU where the slope changes to 0.",
                   8: "one ReLU per slope *change*, not two per piece."},
    hint=["A ReLU unit adds one kink: one place where the slope changes. The output bias gives the constant.",
          "Slopes of the four pieces: 2, 0, −2, 0. Starting from slope 0 (the output bias), count the changes."],
    solution=("Kinks at x = 0 (0 → 2), 0.2 (2 → 0), 0.5 (0 → −2) and 0.8 (−2 → 0): **4 ReLUs**.\n"
              "```python\ncount_relus([0, 0.2, 0.5, 0.8, 1], [0, 0.4, 0.4, -0.2, -0.2])  # 4\n```"),
)


class ChallengeExercise(Exercise):
    """Five bump heights whose average deviation from the wiggly curve beats the threshold."""

    def _check(self, answer: Any) -> tuple[str, str]:
        try:
            h = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return WRONG, "give the five heights, e.g. challenge.heights."
        if h.shape != (5,):
            return WRONG, f"expected five heights (one per bump); got shape {h.shape}."
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

q5_promises = ChoiceExercise(
    name="what the theorem promises",
    options={"A": "For a continuous f on [0, 1] and any ε > 0, some finite N gets the max error below ε.",
             "B": "N = 20 hidden neurons are enough for any continuous f.",
             "C": "A network that fits f on [0, 1] also follows f outside [0, 1].",
             "D": "Gradient descent finds such a network.",
             "E": "It holds for ReLU units as well as for sigmoid units."},
    correct={"A", "E"},
    why={"B": "N depends on f and ε: a wigglier f needs more neurons.",
         "C": "nothing constrains the network outside the interval (the extrapolation plot).",
         "D": "the theorem says a network exists, not that training finds it.",
         "A": "this is exactly the statement (with the max error, on a closed interval).",
         "E": "the ReLU interpolant is a network too, and its error falls like 1/N²."},
    hint="The theorem is an existence statement on a closed interval, for a fixed target and accuracy.",
    solution="**A and E.** B, C and D are what the theorem does *not* promise.",
)


# -- exercises 6 and 7: the theorem's conditions, and depth ----------------------------------------
q6_universal_activations = ChoiceExercise(
    name="which activations are universal",
    options={"A": "the identity, f(z) = z",
             "B": "the square, f(z) = z²",
             "C": "tanh",
             "D": "ReLU, f(z) = max(0, z)",
             "E": "the step, f(z) = 1 for z ≥ 0, else 0",
             "F": "sin"},
    correct={"C", "D", "E", "F"},
    why={"A": "a polynomial of degree 1: every such network is affine, a·x + d (notebook 01's collapse).",
         "B": "a polynomial of degree 2: every such network is a polynomial of degree ≤ 2, however wide (section 5).",
         "C": "continuous and not a polynomial (bounded and sigmoid-shaped too: Cybenko 1989, Hornik 1991).",
         "D": "continuous and not a polynomial, which is all Leshno et al. (1993) ask; unbounded is fine.",
         "E": "not continuous, but bounded, piecewise continuous and not a polynomial: Leshno et al. cover it "
              "(the staircase of section 3 with perfectly sharp steps).",
         "F": "continuous and not a polynomial (sums of sin(w·x + b) contain every Fourier series)."},
    hint=["One condition decides it for every activation here: is f a polynomial?",
          "With f a polynomial of degree p, each unit f(w·x + b) is a polynomial of degree p in x, and so is any sum of them."],
    solution=("**C, D, E and F.** A one-hidden-layer network with a linear output is universal exactly when its "
              "activation is not a polynomial (Leshno, Lin, Pinkus & Schocken 1993, for activations that are "
              "locally bounded and piecewise continuous — which covers the step). The identity and z² are "
              "polynomials: every network built from them is a polynomial of degree ≤ 1 or ≤ 2."),
)


def _whole_numbers(answer: Any, n: int) -> tuple[int, ...] | None:
    """``n`` whole numbers (ints, or floats such as 64.0), else None."""
    if isinstance(answer, (str, bytes, dict)):
        return None
    try:
        items = list(answer)
    except TypeError:
        return None
    if len(items) != n:
        return None
    out = []
    for v in items:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            return None
        if not np.isfinite(v) or not float(v).is_integer():
            return None
        out.append(int(v))
    return tuple(out)


class SawtoothExercise(Exercise):
    """(pieces, kinks, deep hidden units) of the hat composed ``k`` times."""

    def __init__(self, k: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.k = k

    def _check(self, answer: Any) -> tuple[str, str]:
        k = self.k
        got = _whole_numbers(answer, 3)
        if got is None:
            return WRONG, "give three whole numbers: (pieces, kinks, deep_units), e.g. (10, 9, 4)."
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


q7_sawtooth = SawtoothExercise(
    k=6, name="depth: pieces and units of the sawtooth",
    hint=["Count in the sawtooth panel for k = 1, 2, 3: how do the pieces grow with each composition?",
          "Pieces double each time: 2^k. Kinks sit between pieces. The deep network has k layers of 2 ReLUs."],
    solution=("k = 6\nanswer = (2**k, 2**k - 1, 2 * k)   # (64, 63, 12): 63 kinks, so one hidden layer "
              "needs ≥ 63 ReLUs"),
)
