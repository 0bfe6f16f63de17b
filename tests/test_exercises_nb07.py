"""Every exercise of 07_training: right, wrong, untouched and raising answers."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.exercises import ___
from lecture_utils.exercises.nb07 import (TrainingLoopExercise, ce_grad_step, q1_dense_backward,
                                          q2_learning_rate_limit, q3_sgd_l2_step, q4_train_spiral)


def _status(q, answer):
    return q.check(answer, show=False).status


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


# -- q1 -----------------------------------------------------------------------------------------
def test_q1_right():
    assert q1_dense_backward.check(lambda dZ, A, W: (dZ @ W.T, A.T @ dZ, dZ.sum(axis=0)), show=False)


@pytest.mark.parametrize("wrong", [
    lambda dZ, A, W: (dZ @ W.T, dZ.T @ A, dZ.sum(axis=0)),            # dW transposed
    lambda dZ, A, W: (dZ @ W.T, A.T @ dZ, dZ.mean(axis=0)),           # mean instead of sum
    lambda dZ, A, W: (dZ @ W, A.T @ dZ, dZ.sum(axis=0)),              # W not transposed
    lambda dZ, A, W: (dZ @ W.T, A.T @ dZ, dZ.sum(axis=1)),            # summed over the wrong axis
    lambda dZ, A, W: (np.zeros_like(A), np.zeros_like(W), np.zeros(W.shape[1])),  # constants
    lambda dZ, A, W: (dZ @ W.T, A.T @ dZ),                            # only two outputs
])
def test_q1_wrong(wrong):
    assert _status(q1_dense_backward, wrong) == "wrong"


def test_q1_untouched_and_raising():
    assert _status(q1_dense_backward, ___) == "not attempted"
    assert _status(q1_dense_backward, lambda dZ, A, W: (___, ___, ___)) == "not attempted"

    def todo(dZ, A, W):
        raise NotImplementedError

    assert _status(q1_dense_backward, todo) == "not attempted"
    assert _status(q1_dense_backward, lambda dZ, A, W: 1 / 0) == "wrong"
    assert _status(q1_dense_backward, 3.0) == "wrong"


# -- q2 -----------------------------------------------------------------------------------------
def test_q2_right():
    assert q2_learning_rate_limit.check(lambda a: 2 / a, show=False)
    assert q2_learning_rate_limit.check(lambda a: 2.0 * a ** -1.0, show=False)
    assert q2_learning_rate_limit.check(lambda a: np.divide(2.0, a), show=False)


def test_q2_is_tried_on_arrays_of_curvatures_and_integers():
    # the hardened core tries every function answer on an array, a float32 and an integer copy:
    # a ** -1 (an integer power) is refused by numpy for an integer array, and the student is told
    labels = [label for _, label, _ in q2_learning_rate_limit._cases()]
    assert any("array" in label for label in labels) and any("int64" in label for label in labels)
    result = q2_learning_rate_limit.check(lambda a: 2.0 * a ** -1, show=False)
    assert result.status == "wrong" and "Integers to negative integer powers" in result.message
    assert "rounded to integers" in result.message
    result = q2_learning_rate_limit.check(lambda a: 2 / a if a > 0 else 0.0, show=False)  # scalars only
    assert result.status == "wrong" and "truth value of an array" in result.message
    assert "element by element" in result.message


@pytest.mark.parametrize("wrong, why", [
    (lambda a: 1 / a, "in one step"),           # the one-step optimum, not the limit
    (lambda a: 2 * a, "smaller"),               # grows with the curvature
    (lambda a: a / 2, "smaller"),
    (lambda a: 0.5, ""),                        # right for a = 4 only
    (lambda a: 2 / a ** 2, ""),
    (lambda a: -2 / a, ""),                     # sign
    (lambda a: 2 / a + 0.01, ""),               # "a bit more still works"
    (lambda a: 2 / np.max(a), "shape"),         # one limit for all the bowls, not one each
])
def test_q2_wrong(wrong, why):
    result = q2_learning_rate_limit.check(wrong, show=False)
    assert result.status == "wrong" and why in result.message


def test_q2_untouched_and_raising():
    assert _status(q2_learning_rate_limit, ___) == "not attempted"
    assert _status(q2_learning_rate_limit, lambda a: ___) == "not attempted"
    assert _status(q2_learning_rate_limit, lambda a: 2 / (a - a)) == "wrong"
    assert _status(q2_learning_rate_limit, 0.5) == "wrong"


def test_q2_the_limit_is_where_gradient_descent_on_the_bowl_stops_converging():
    for a in (0.5, 4.0, 100.0):
        eta = 2 / a
        for factor, converges in ((0.99, True), (1.0, False), (1.01, False)):
            w = 1.0
            for _ in range(2000):
                w -= factor * eta * a * w  # gradient of a/2 · w²
            assert (abs(w) < 1e-3) == converges, (a, factor)


# -- q3 -----------------------------------------------------------------------------------------
def test_q3_right():
    assert q3_sgd_l2_step.check(lambda W, dW, lp, lr, lam: W - lp * dW - lr * lam * W, show=False)


@pytest.mark.parametrize("wrong", [
    lambda W, dW, lp, lr, lam: W - lp * dW,                        # no regulariser
    lambda W, dW, lp, lr, lam: W + lp * dW + lr * lam * W,         # ascent
    lambda W, dW, lp, lr, lam: W - lp * (dW + lam * W),            # η_p used for the regulariser
    lambda W, dW, lp, lr, lam: W - lp * dW - lr * lam * W ** 2,    # ∇ of λ/2 W² is not λW²
    lambda W, dW, lp, lr, lam: W - lp * dW - lr * lam / 2 * W,     # halved gradient
    lambda W, dW, lp, lr, lam: np.zeros_like(W),
])
def test_q3_wrong(wrong):
    assert _status(q3_sgd_l2_step, wrong) == "wrong"


def test_q3_untouched_and_raising():
    assert _status(q3_sgd_l2_step, ___) == "not attempted"
    assert _status(q3_sgd_l2_step, lambda *a: None) == "not attempted"
    assert _status(q3_sgd_l2_step, lambda W, dW, lp, lr, lam: W @ np.ones((7, 7))) == "wrong"


# -- q4: the training loop, run ---------------------------------------------------------------
def my_dense_backward(dZ, A_prev, W):
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)


def my_softmax_ce_grad(Z, y):
    return (_softmax(Z) - np.eye(Z.shape[1])[y]) / len(Z)


def my_sgd_l2_step(W, dW, lr_p, lr_r, lam):
    return W - lr_p * dW - lr_r * lam * W


PIECES = {"np": np, "___": ___, "my_dense_backward": my_dense_backward,
          "my_softmax_ce_grad": my_softmax_ce_grad, "my_sgd_l2_step": my_sgd_l2_step}

#: the cell of 07's exercise 4, as the notebook gives it (kept equal to the notebook by a test)
SCAFFOLD = '''def my_train(X, y, layers, epochs=50, lr=0.5, batch_size=32, lam=1e-4,
             dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
             sgd_step=my_sgd_l2_step):
    (W1, b1), (W2, b2) = layers                      # W1 (2, 64), b1 (64,), W2 (64, 3), b2 (3,)
    rng = np.random.default_rng(0)
    for epoch in range(epochs):
        order = rng.permutation(len(X))              # shuffle every epoch
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            Xb, yb = X[idx], y[idx]                  # one mini-batch: (B, 2), (B,)
            Z1 = Xb @ W1 + b1                        # forward: (B, 64)
            A1 = np.maximum(Z1, 0)                   # ReLU
            Z2 = A1 @ W2 + b2                        # logits (B, 3)
            dZ2 = ___                                # softmax + cross-entropy: (B, 3)
            dA1, dW2, db2 = ___                      # back through layer 2
            dZ1 = ___                                # back through the ReLU
            _, dW1, db1 = ___                        # back through layer 1
            W1, W2 = ___, ___                        # SGD with L2 on the weights ...
            b1, b2 = ___, ___                        # ... and without it (lam = 0) on the biases
    return [(W1, b1), (W2, b2)]
'''


def _train_fn(source, **extra):
    scope = dict(PIECES, **extra)
    exec(source, scope)
    return scope["my_train"]


def _solution():
    return _train_fn(q4_train_spiral._solution)


def _variant(old, new, count=1):
    src = q4_train_spiral._solution
    assert src.count(old) >= count, old
    return _train_fn(src.replace(old, new))


def test_q4_the_model_solution_reaches_90_percent():
    result = q4_train_spiral.check(_solution(), show=False)
    assert result, result.message
    assert "training accuracy" in result.message and "updates" in result.message


def test_q4_other_right_loops_pass():
    # no shuffling, another seed, full-batch-free variants: any correct loop that trains passes
    assert q4_train_spiral.check(_variant("order = rng.permutation(len(X))", "order = np.arange(len(X))"),
                                 show=False)
    assert q4_train_spiral.check(_variant("epochs=50, lr=0.5, batch_size=32", "epochs=60, lr=0.3, batch_size=16"),
                                 show=False)


@pytest.mark.parametrize("old, new, why", [
    ("dZ1 = dA1 * (Z1 > 0)", "dZ1 = dA1", "ReLU's derivative"),                           # no gate
    ("Xb, yb = X[idx], y[idx]", "Xb, yb = X[idx], y[idx][::-1]", "labels"),                # wrong labels
    ("A1 = np.maximum(Z1, 0)", "A1 = np.tanh(Z1)", "logits"),                             # not the ReLU net
    ("A1 = np.maximum(Z1, 0)", "A1 = np.maximum(Z1, 0); Z1 = Z1 + 1", "dZ1"),              # gate at the wrong Z1
    ("dense_backward(dZ2, A1, W2)", "dense_backward(dZ2 * 2, A1, W2)", "dZ2"),             # not the CE gradient
    ("dense_backward(dZ2, A1, W2)", "dense_backward(dZ2, Z1, W2)", "A1"),                  # Z1 for A1
    ("sgd_step(W1, dW1, lr, lr, lam), sgd_step(W2, dW2, lr, lr, lam)",
     "sgd_step(W1, -dW1, lr, lr, lam), sgd_step(W2, -dW2, lr, lr, lam)", "did not fall"),  # uphill
    ("epochs=50", "epochs=1", "more epochs"),                                              # too short
    ("lr=0.5", "lr=500.0", "did not fall"),                                                # diverges
    ("lr=0.5", "lr=1e300", "NaN"),                                                         # overflows
    ("W1, W2 = sgd_step", "_W1, _W2 = sgd_step", "W1, W2 never changed"),                  # no assignment
    ("b1, b2 = sgd_step(b1, db1, lr, lr, 0.0), sgd_step(b2, db2, lr, lr, 0.0)", "pass", "once per parameter"),
])
def test_q4_wrong_loops(old, new, why):
    src = q4_train_spiral._solution
    if new == "pass":
        src = src.replace(old, "pass")
    else:
        src = src.replace(old, new)
    assert src != q4_train_spiral._solution
    result = q4_train_spiral.check(_train_fn(src), show=False)
    assert result.status == "wrong" and why in result.message, result.message


def test_q4_a_loop_that_does_not_use_the_pieces_it_is_given_fails():
    from lecture_utils.training import Trainer

    def cheat(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
              sgd_step=my_sgd_l2_step):
        trainer = Trainer(X, y, hidden=(64,), seed=0)
        trainer.train(40)
        return trainer.layers

    result = q4_train_spiral.check(cheat, show=False)
    assert result.status == "wrong" and "softmax_ce_grad" in result.message


def test_q4_a_wrong_piece_is_reported_first():
    wrong_dense = lambda dZ, A, W: (dZ @ W.T, dZ.T @ A, dZ.sum(axis=0))  # noqa: E731
    result = q4_train_spiral.check(_solution_with(dense_backward=wrong_dense), show=False)
    assert result.status == "wrong" and "dense_backward" in result.message and "exercise 1" in result.message
    global_shift = lambda Z, y: (np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(1, keepdims=True)  # noqa: E731
                                 - np.eye(Z.shape[1])[y]) / len(Z)
    result = q4_train_spiral.check(_solution_with(softmax_ce_grad=global_shift), show=False)
    assert result.status == "wrong" and "softmax_ce_grad" in result.message


def _solution_with(**pieces):
    src = q4_train_spiral._solution
    for name, func in pieces.items():
        default = {"dense_backward": "my_dense_backward", "softmax_ce_grad": "my_softmax_ce_grad",
                   "sgd_step": "my_sgd_l2_step"}[name]
        src = src.replace(f"{name}={default}", f"{name}=piece_{name}")
    return _train_fn(src, **{f"piece_{k}": v for k, v in pieces.items()})


def test_q4_untouched():
    assert _status(q4_train_spiral, ___) == "not attempted"
    assert _status(q4_train_spiral, _train_fn(SCAFFOLD)) == "not attempted"  # the notebook's cell as given
    untouched_step_1 = _train_fn(SCAFFOLD, my_softmax_ce_grad=lambda Z, y: ___)
    result = q4_train_spiral.check(untouched_step_1, show=False)
    assert result.status == "not attempted" and "softmax_ce_grad" in result.message
    assert "run the cell that defines my_train again" in result.message
    half_done = SCAFFOLD.replace("dZ2 = ___ ", "dZ2 = softmax_ce_grad(Z2, yb)")
    assert _status(q4_train_spiral, _train_fn(half_done)) == "not attempted"


def test_q4_raising_slow_and_malformed_answers_are_reported_not_raised():
    def raising(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
                sgd_step=my_sgd_l2_step):
        return 1 / 0

    result = q4_train_spiral.check(raising, show=False)
    assert result.status == "wrong" and "ZeroDivisionError" in result.message
    assert _status(q4_train_spiral, lambda X, y, layers: layers) == "wrong"  # no pieces to use
    assert _status(q4_train_spiral, 42) == "wrong"

    def returns_junk(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
                     sgd_step=my_sgd_l2_step):
        return "trained!"

    assert "[(W1, b1), (W2, b2)]" in q4_train_spiral.check(returns_junk, show=False).message
    quick = TrainingLoopExercise("loop", "hint", "solution", q4_train_spiral.pieces, timeout=0.5)
    slow = _variant("epochs=50", "epochs=100000")
    result = quick.check(slow, show=False)
    assert result.status == "wrong" and "longer than 0.5 s" in result.message


def test_q4_scaffold_is_the_notebook_cell():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "07_training.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any(SCAFFOLD.strip() in cell for cell in cells)


@pytest.mark.parametrize("q", [q1_dense_backward, q2_learning_rate_limit, q3_sgd_l2_step, q4_train_spiral,
                               ce_grad_step])
def test_hints_and_solutions_are_available(q, capsys):
    assert q.hint() and q.solution()


@pytest.mark.parametrize("q", [q1_dense_backward, q2_learning_rate_limit, q3_sgd_l2_step, ce_grad_step])
def test_the_shown_solution_passes(q, capsys):
    scope = {"np": np}
    exec(q.solution(), scope)
    func = next(v for k, v in scope.items() if callable(v) and k not in ("np",) and not k.startswith("__"))
    assert q.check(func, show=False)


# -- q4 on the hardened core: the loop runs in the checkers' worker, on copies, judged by
#    references computed and functions bound before it runs ---------------------------------------
def test_q4_a_loop_that_changes_its_data_in_place_is_wrong():
    centred = _variant("(W1, b1), (W2, b2) = layers", "(W1, b1), (W2, b2) = layers\n    X -= 0.0 * X; y[:] = y")
    assert q4_train_spiral.check(centred, show=False).correct  # writing the same values back is no change
    shuffles = _variant("(W1, b1), (W2, b2) = layers", "(W1, b1), (W2, b2) = layers\n    X[:, 0] *= 1.0 + 1e-9")
    result = q4_train_spiral.check(shuffles, show=False)
    assert result.status == "wrong" and "changed its input X in place" in result.message
    in_place = _variant("W1, W2 = sgd_step(W1, dW1, lr, lr, lam), sgd_step(W2, dW2, lr, lr, lam)",
                        "W1[...], W2[...] = sgd_step(W1, dW1, lr, lr, lam), sgd_step(W2, dW2, lr, lr, lam)")
    result = q4_train_spiral.check(in_place, show=False)
    assert result.status == "wrong" and "layers (W1" in result.message and "in place" in result.message


def test_q4_patching_numpy_inside_the_loop_changes_nothing():
    names = ["allclose", "isclose", "array_equal", "isfinite", "maximum", "mean", "argmax", "exp", "log", "all",
             "errstate", "arange", "eye", "asarray", "array"]
    saved = {n: getattr(np, n) for n in names}

    def cheat(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
              sgd_step=my_sgd_l2_step):
        for n in names:
            setattr(np, n, lambda *a, **k: True)
        return layers

    try:
        result = q4_train_spiral.check(cheat, show=False)
    finally:
        for n, f in saved.items():
            setattr(np, n, f)
    assert result.status == "wrong", result.message


@pytest.mark.parametrize("exc, words", [(SystemExit(1), "SystemExit"), (KeyboardInterrupt(), "KeyboardInterrupt"),
                                        (MemoryError(), "memory"), (NotImplementedError(), "NotImplementedError")])
def test_q4_a_loop_raising_anything_is_reported(exc, words):
    def raising(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
                sgd_step=my_sgd_l2_step):
        raise exc

    result = q4_train_spiral.check(raising, show=False)
    assert result.status in ("wrong", "not attempted") and words in result.message, result.message
    assert "your loop" in result.message


def test_q4_the_time_limit_cannot_be_caught_by_the_loop():
    def stubborn(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
                 sgd_step=my_sgd_l2_step):
        while True:
            try:
                softmax_ce_grad(np.zeros((2, 3)), np.array([0, 1]))
            except Exception:  # a catch-all cannot swallow the time-out
                pass

    quick = TrainingLoopExercise("loop", "hint", "solution", q4_train_spiral.pieces, timeout=0.5)
    result = quick.check(stubborn, show=False)
    assert result.status == "wrong" and "longer than 0.5 s" in result.message


def test_q4_hidden_seeds_start_from_other_weights():
    seen = []

    def spy(X, y, layers, **pieces):
        seen.append(layers[0][0].copy())
        return _solution()(X, y, layers, **pieces)

    def my_train(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
                 sgd_step=my_sgd_l2_step):
        return spy(X, y, layers, dense_backward=dense_backward, softmax_ce_grad=softmax_ce_grad, sgd_step=sgd_step)

    for seed in (None, 3, 2024):
        result = q4_train_spiral.check(my_train, show=False, seed=seed)
        assert result.correct, (seed, result.message)
    assert not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[1], seen[2])
    assert q4_train_spiral.seed == 0  # the visible seed is back after a hidden check


def test_q4_returned_junk_is_described_not_converted():
    class Lying:
        def __array__(self, *a, **k):
            raise RuntimeError("no")

    def returns(value):
        def my_train(X, y, layers, dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,
                     sgd_step=my_sgd_l2_step):
            return value
        return my_train

    for junk in ([(Lying(), Lying()), (Lying(), Lying())], [("W", "b"), ("W", "b")], [(True, False)] * 2,
                 iter(int, 1), [[1j]]):
        result = q4_train_spiral.check(returns(junk), show=False)
        assert result.status == "wrong", (junk, result.message)
