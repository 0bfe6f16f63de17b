"""Exercises for 02_forward_propagation.

* ``q1_layer_shapes`` — predict every layer's output shape.
* ``q2_dense_layer`` — implement a dense layer X @ W + b.
* ``q3_no_loop`` — replace a Python loop over examples with one matrix product per layer
  (judged by behaviour: the work an answer does must not grow with the batch).
* ``q4_count_multiplications`` — how many multiplications does X @ W take?
* ``q5_count_parameters`` — how many learnable numbers does a network have?
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..forward_pass import dense, forward
from ..shapes import forward_loop, forward_one_example
from ._core import (CORRECT, WRONG, FunctionExercise, NumberExercise, ValueExercise, _describe, as_shape,
                    count_steps, progress)

__all__ = ["EXERCISES", "progress", "SHAPES_BATCH", "SHAPES_WIDTHS", "q1_layer_shapes", "q2_dense_layer",
           "q3_no_loop", "q4_count_multiplications", "q5_count_parameters", "loop_forward", "steps_per_example"]

SHAPES_BATCH = 32
SHAPES_WIDTHS = (784, 128, 64, 10)


def _as_shape_list(answer: Any) -> tuple[tuple[int, ...], ...]:
    if isinstance(answer, np.ndarray) and answer.ndim == 2:
        answer = [answer[i] for i in range(answer.shape[0])]
    if not isinstance(answer, (list, tuple)) or (answer and not isinstance(answer[0], (list, tuple, np.ndarray))):
        raise TypeError("give a list of shapes, one tuple per layer, e.g. [(32, 128), (32, 64), (32, 10)]; "
                        f"got {_describe(answer)}.")
    shapes = []
    for i, item in enumerate(answer, start=1):
        shape, why = as_shape(item)
        if shape is None:
            raise ValueError(f"layer {i}: {why}")
        shapes.append(shape)
    return tuple(shapes)


def _explain_shapes(value: tuple[tuple[int, ...], ...]) -> str:
    want = [(SHAPES_BATCH, h) for h in SHAPES_WIDTHS[1:]]
    if len(value) != len(want):
        return f"there are {len(want)} layers, so give {len(want)} shapes; you gave {len(value)}."
    for i, (got, w) in enumerate(zip(value, want), start=1):
        if got == w:
            continue
        if got == w[::-1]:
            return f"layer {i}: {got} looks transposed — rows are examples, so it is (batch, width)."
        if len(got) == 2 and got[0] == SHAPES_BATCH:
            return f"layer {i}: the columns are the layer's neurons; {got[1]} is not this layer's width."
        return f"layer {i}: {got} is not right; each output has one row per example."
    return "not right."


q1_layer_shapes = ValueExercise(
    name="predict every layer's output shape",
    expected=[(SHAPES_BATCH, h) for h in SHAPES_WIDTHS[1:]],
    normalise=_as_shape_list,
    explain=_explain_shapes,
    hint=["X has shape (32, 784). A layer with W of shape (d, h) turns (n, d) into (n, h).",
          "The batch size never changes; only the number of columns does."],
    solution="answer = [(32, 128), (32, 64), (32, 10)]",
)


def _dense_reference(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return X @ W + b


def _dense_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    return [
        ((rng.normal(size=(200, 4)), rng.normal(size=(4, 5)), rng.normal(size=5)), "the lecture's (200, 4) @ (4, 5)"),
        ((rng.normal(size=(1, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)), "a single example (1, 3)"),
        ((rng.normal(size=(6, 6)), rng.normal(size=(6, 6)), rng.normal(size=6)), "square matrices (6, 6)"),
        ((rng.normal(size=(7, 2)), rng.normal(size=(2, 1)), np.array([3.0])), "one output neuron"),
    ]


q2_dense_layer = FunctionExercise(
    name="implement a dense layer",
    reference=_dense_reference,
    cases=_dense_cases, call="my_dense(X, W, b)", forbidden=(dense, forward, forward_loop, forward_one_example),
    hint=["Rows of X are examples: X (n, d) @ W (d, h) gives (n, h).",
          "b (h,) is added to every row: NumPy broadcasting does that for you."],
    solution="def my_dense(X, W, b):\n    return X @ W + b      # (n, d) @ (d, h) + (h,) -> (n, h)",
)


def loop_forward(X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
                 b2: np.ndarray) -> np.ndarray:
    """The slow way: one example at a time (what q3 asks you to replace)."""
    out = np.zeros((X.shape[0], W2.shape[1]))
    for i in range(X.shape[0]):
        h = np.maximum(X[i] @ W1 + b1, 0.0)  # (d,) @ (d, h) -> (h,)
        out[i] = h @ W2 + b2  # (h,) @ (h, k) -> (k,)
    return out


def _two_layer_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    def net(n: int, d: int, h: int, k: int) -> tuple:
        return (rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=h),
                rng.normal(size=(h, k)), rng.normal(size=k))
    return [(net(200, 4, 5, 3), "the lecture's batch (200, 4), widths 5 and 3"),
            (net(1, 3, 2, 2), "a single example"), (net(50, 2, 8, 1), "one output")]


def _probe_network(n: int) -> tuple:
    """The q3 network on a batch of ``n`` examples (the same weights for every n)."""
    rng = np.random.default_rng(7)
    weights = (rng.normal(size=(4, 5)), rng.normal(size=5), rng.normal(size=(5, 3)), rng.normal(size=3))
    return (np.random.default_rng(n).normal(size=(n, 4)),) + weights


def steps_per_example(func: Any, small: int = 20, large: int = 200, timeout: float = 5.0) -> tuple[float | None, int, int]:
    """How many more Python steps (lines, calls, calls into C) ``func`` makes per extra example,
    comparing batches of ``small`` and ``large`` rows: about 0 for one matrix product per
    layer, ≥ 1 for any loop over the examples however it is written (for, a comprehension,
    map, np.apply_along_axis, np.vectorize, recursion). None if a run did not finish."""
    counts = []
    for n in (small, large):
        steps, _ = count_steps(func, _probe_network(n), timeout)
        if steps is None:
            return None, -1, -1
        counts.append(steps)
    return (counts[1] - counts[0]) / (large - small), counts[0], counts[1]


class _NoLoopExercise(FunctionExercise):
    def _after_correct(self, answer: Any, n_cases: int) -> tuple[str, str]:
        status, message = super()._after_correct(answer, n_cases)
        per_example, few, many = steps_per_example(answer)
        if per_example is None:
            return WRONG, "the values are right, but your function did not finish on a batch of 200 rows in time."
        if per_example >= 0.5:
            return WRONG, (f"the values are right, but your function does work for every example: "
                           f"{few} Python steps for a batch of 20 rows, {many} for 200 — a loop over the rows, "
                           "however it is written (for, a comprehension, map, np.apply_along_axis, "
                           "np.vectorize, recursion, or a call of loop_forward). Use X @ W1 (all rows at "
                           "once) instead of X[i] @ W1.")
        return CORRECT, message + f" No loop: {few} Python steps for a batch of 20 rows, {many} for 200."


q3_no_loop = _NoLoopExercise(
    name="replace the loop over examples with matrix products",
    reference=loop_forward,
    cases=_two_layer_cases, call="fast_forward(X, W1, b1, W2, b2)", forbidden=(forward, forward_loop),
    hint=["X[i] @ W1 for every i, stacked as rows, is exactly X @ W1.",
          "H = np.maximum(X @ W1 + b1, 0) has shape (n, h); then H @ W2 + b2."],
    solution="def fast_forward(X, W1, b1, W2, b2):\n"
             "    H = np.maximum(X @ W1 + b1, 0.0)   # (n, d) @ (d, h) + (h,) -> (n, h)\n"
             "    return H @ W2 + b2                # (n, h) @ (h, k) + (k,) -> (n, k)",
)

q4_count_multiplications = NumberExercise(
    name="multiplications in X (200×4) @ W (4×5)",
    expected=200 * 4 * 5, integer=True,
    wrong_answers={20: "that is 4 × 5, the size of W alone",
                   1000: "that is the number of outputs (200 × 5); each one needs 4 multiplications",
                   800: "that is the size of X (200 × 4); each row meets 5 columns of W",
                   209: "shapes are multiplied, not added"},
    hint=["Each output entry Z[i, j] is a dot product of a row of X with a column of W.",
          "There are 200 × 5 outputs, each needing 4 multiplications."],
    solution="answer = 200 * 5 * 4   # 4000: 200 × 5 outputs, 4 products each",
)


# -- q5: parameters of a network (appended with the parameter-count section) ---------------------
q5_count_parameters = NumberExercise(
    name="learnable parameters of the 784 → 128 → 64 → 10 network",
    expected=sum(d * h + h for d, h in zip(SHAPES_WIDTHS[:-1], SHAPES_WIDTHS[1:])),
    rtol=0, atol=0,
    wrong_answers={sum(d * h for d, h in zip(SHAPES_WIDTHS[:-1], SHAPES_WIDTHS[1:])):
                   "those are the weights only: every neuron also has a bias",
                   sum(SHAPES_WIDTHS[1:]): "those are the biases only: add the d × h weights of each layer",
                   SHAPES_BATCH * sum(d * h + h for d, h in zip(SHAPES_WIDTHS[:-1], SHAPES_WIDTHS[1:])):
                   "the batch size does not enter: every example uses the same weights",
                   sum(d * h + d for d, h in zip(SHAPES_WIDTHS[:-1], SHAPES_WIDTHS[1:])):
                   "a layer has one bias per *output* neuron (h), not per input",
                   sum(SHAPES_WIDTHS): "count the connections: a layer from d to h has d × h weights"},
    hint=["A layer from d inputs to h neurons has W of shape (d, h) and b of shape (h,).",
          "Add d·h + h over the three layers 784 → 128, 128 → 64, 64 → 10."],
    solution="answer = (784 * 128 + 128) + (128 * 64 + 64) + (64 * 10 + 10)   # 109386",
)

#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_layer_shapes, q2_dense_layer, q3_no_loop, q4_count_multiplications, q5_count_parameters]
