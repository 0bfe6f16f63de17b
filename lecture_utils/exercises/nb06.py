"""Exercises for 06_training: backward pass of a dense layer, the learning rate at which gradient
descent stops converging, one SGD step with L2, and — assembling your own pieces — a training
loop that must reach 90 % on the spiral.

    from lecture_utils.exercises.nb06 import q1_dense_backward
    q1_dense_backward.check(my_dense_backward)
"""

from __future__ import annotations

import functools
import inspect
import time
from typing import Any

import numpy as np

from ..softmax import softmax
from ._core import (CORRECT, NOT_ATTEMPTED, WRONG, Exercise, FunctionExercise, _Timeout, _fmt_args,
                    call_with_timeout, compare_arrays, is_placeholder)

__all__ = ["q1_dense_backward", "q2_learning_rate_limit", "q3_sgd_l2_step", "q4_train_spiral",
           "ce_grad_step", "TrainingLoopExercise"]


class TupleFunctionExercise(FunctionExercise):
    """A function exercise whose answer returns several named arrays (e.g. dA_prev, dW, db)."""

    def __init__(self, *args: Any, outputs: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outputs = outputs

    def _check(self, answer: Any) -> tuple[str, str]:
        if not callable(answer):
            return WRONG, f"expected a function (pass its name without brackets); got {type(answer).__name__}."
        cases = self.cases(np.random.default_rng(self.seed))
        for i, (args, label) in enumerate(cases):
            want = self.reference(*[np.array(a, copy=True) for a in args])
            try:
                with np.errstate(all="ignore"):
                    got = call_with_timeout(answer, tuple(np.array(a, copy=True) for a in args), self.timeout)
            except _Timeout:
                return WRONG, f"your function took longer than {self.timeout:g} s on {label}."
            except NotImplementedError:
                return NOT_ATTEMPTED, "your function still raises NotImplementedError — fill in its body."
            except Exception as exc:
                return WRONG, f"your function raised {type(exc).__name__}: {exc} on {label}."
            if is_placeholder(got) or (isinstance(got, tuple) and any(is_placeholder(g) for g in got)):
                if i == 0:
                    return NOT_ATTEMPTED, f"return ({', '.join(self.outputs)}) with every ___ filled in."
                return WRONG, f"your function returned a placeholder on {label}."
            if not isinstance(got, (tuple, list)) or len(got) != len(self.outputs):
                return WRONG, f"return a tuple of {len(self.outputs)} arrays ({', '.join(self.outputs)})."
            for name, g, w in zip(self.outputs, got, want):
                reason = compare_arrays(g, w, self.rtol, self.atol, what=name)
                if reason is not None:
                    return WRONG, f"on {label} ({_fmt_args(args)}): {reason}"
        return CORRECT, f"all of {', '.join(self.outputs)} match on {len(cases)} test inputs."


# -- q1: backward pass of a dense layer --------------------------------------------------------
def _dense_backward(dZ: np.ndarray, A_prev: np.ndarray, W: np.ndarray):
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)


def _dense_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    cases = []
    for n, d, h, label in ((4, 2, 3, "n=4, d=2, h=3"), (1, 3, 5, "a single example"),
                           (50, 5, 2, "n=50, d=5, h=2")):
        cases.append(((rng.normal(size=(n, h)), rng.normal(size=(n, d)), rng.normal(size=(d, h))), label))
    return cases


q1_dense_backward = TupleFunctionExercise(
    name="backward pass of a dense layer",
    reference=_dense_backward, cases=_dense_cases, outputs=("dA_prev", "dW", "db"),
    hint=["Match shapes: dW must look like W (d, h), built from A_prev (n, d) and dZ (n, h).",
          "dW = A_prev.T @ dZ; db sums dZ over the examples (axis 0); dA_prev = dZ @ W.T."],
    solution="def dense_backward(dZ, A_prev, W):\n"
             "    dA_prev = dZ @ W.T        # (n, h) @ (h, d) -> (n, d)\n"
             "    dW = A_prev.T @ dZ        # (d, n) @ (n, h) -> (d, h)\n"
             "    db = dZ.sum(axis=0)       # (n, h) -> (h,)\n"
             "    return dA_prev, dW, db",
)


# -- q2: how large may the learning rate be? ---------------------------------------------------
def _lr_limit(a: float) -> float:
    return 2.0 / a


def _lr_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    return [((4.0,), "a = 4"), ((1.0,), "a = 1"), ((0.5,), "a = 0.5 (a flat valley)"),
            ((100.0,), "a = 100 (a steep valley)"), ((float(rng.uniform(2.0, 20.0)),), "a random curvature")]


class _LrLimitExercise(FunctionExercise):
    """The limit 2/a, with the reason behind the usual wrong answers (1/a, a/2, 2a)."""

    _KNOWN = ((lambda a: 1.0 / a, "1/a is the learning rate that lands on the minimum in one step "
               "(1 − ηa = 0); larger ones still converge, overshooting from side to side, as long as "
               "|1 − ηa| < 1."),
              (lambda a: 2.0 * a, "the steeper the valley (larger a), the *smaller* the step must be."),
              (lambda a: a / 2.0, "the steeper the valley (larger a), the *smaller* the step must be."))

    def _check(self, answer: Any) -> tuple[str, str]:
        status, message = super()._check(answer)
        if status != WRONG or not callable(answer):
            return status, message
        try:
            got = float(call_with_timeout(answer, (4.0,), self.timeout))
        except BaseException:  # already reported by the check above
            return status, message
        for wrong, why in self._KNOWN:
            if np.isclose(got, wrong(4.0)):
                return status, f"{message} {why}"
        return status, message


q2_learning_rate_limit = _LrLimitExercise(
    name="the learning rate at which gradient descent stops converging",
    reference=_lr_limit, cases=_lr_cases,
    hint=["After t steps w_t = (1 − ηa)^t · w_0. When does a power of a number shrink to 0?",
          "(1 − ηa)^t → 0 exactly when |1 − ηa| < 1, i.e. −1 < 1 − ηa < 1. Solve for η (a > 0)."],
    solution="def my_lr_limit(a):\n"
             "    # w ← (1 − ηa)·w converges iff |1 − ηa| < 1  ⇔  0 < η < 2/a\n"
             "    return 2 / a",
)


# -- q3: one SGD step with an L2 regulariser ---------------------------------------------------
def _sgd_l2_step(W: np.ndarray, dW: np.ndarray, lr_p: float, lr_r: float, lam: float) -> np.ndarray:
    return W - lr_p * dW - lr_r * lam * W


def _sgd_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    W = np.array([[0.5, -1.0], [2.0, 0.0]])
    dW = np.array([[0.1, 0.2], [-0.3, 0.4]])
    return [
        ((W, dW, 0.1, 0.1, 0.01), "a 2 × 2 example with η_p = η_r = 0.1, λ = 0.01"),
        ((rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.5, 0.05, 0.1), "η_p ≠ η_r"),
        ((rng.normal(size=(2, 5)), np.zeros((2, 5)), 0.2, 1.0, 0.5), "zero loss gradient (only decay)"),
    ]


q3_sgd_l2_step = FunctionExercise(
    name="one SGD step with L2",
    reference=_sgd_l2_step, cases=_sgd_cases,
    hint=["θ ← θ − η_p·∇ℓ − η_r·∇r(θ); with r(W) = λ/2·‖W‖² the gradient ∇r is λ·W.",
          "return W - lr_p * dW - lr_r * lam * W"],
    solution="def sgd_l2_step(W, dW, lr_p, lr_r, lam):\n"
             "    return W - lr_p * dW - lr_r * lam * W   # ∇r(W) = λ·W: weight decay",
)


# -- q4: your own training loop, from your own pieces -------------------------------------------
#: the parts of the loop the student writes in earlier exercises, by parameter name
BLOCKS = ("dense_backward", "softmax_ce_grad", "sgd_step")
TARGET_ACCURACY = 0.90


def _ce_grad_reference(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
    n, K = Z.shape
    return (softmax(Z, axis=1) - np.eye(K)[y]) / n


def _ce_grad_cases(rng: np.random.Generator) -> list[tuple[tuple, str]]:
    return [
        ((np.array([[5.0, 4.0, 2.0], [4.0, 2.0, 8.0], [4.0, 4.0, 1.0]]), np.array([0, 1, 2])),
         "the lecture's cat/dog/horse scores"),
        ((rng.normal(size=(32, 3)) * 3, rng.integers(0, 3, size=32)), "a mini-batch of 32, K = 3"),
        ((np.array([[1000.0, 0.0, -1000.0], [0.1, 0.2, 0.3]]), np.array([1, 2])),
         "rows of very different scales (shift each row by its own max)"),
    ]


#: step 1 of exercise 4 (the gradient of notebook 05, for a batch): checked before the loop runs
ce_grad_step = FunctionExercise(
    name="gradient of softmax + mean cross-entropy (step 1 of exercise 4)",
    reference=_ce_grad_reference, cases=_ce_grad_cases,
    hint="(P − Y) / n, with P the row-wise stable softmax of Z and Y = np.eye(K)[y].",
    solution="def my_softmax_ce_grad(Z, y):\n"
             "    P = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
             "    P /= P.sum(axis=1, keepdims=True)           # softmax, row by row\n"
             "    return (P - np.eye(Z.shape[1])[y]) / len(Z)  # (n, K)",
)


class _PlaceholderArgument(Exception):
    """A ``___`` reached one of the pieces: the loop is not filled in yet."""


class _Recorder:
    """Wraps the student's pieces: counts every call and keeps the arguments of the first
    update (everything before the first ``sgd_step``) for the audit."""

    def __init__(self) -> None:
        self.counts = {name: 0 for name in BLOCKS}
        self.first: list[tuple[str, tuple]] = []
        self._recording = True

    def wrap(self, name: str, func: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if any(is_placeholder(a) for a in (*args, *kwargs.values())):
                raise _PlaceholderArgument(name)
            self.counts[name] += 1
            if name == "sgd_step":
                self._recording = False
            if self._recording:
                self.first.append((name, tuple(np.array(a, copy=True) for a in (*args, *kwargs.values()))))
            return func(*args, **kwargs)

        return wrapped


def _close(a: Any, b: np.ndarray) -> bool:
    a = np.asarray(a, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


class TrainingLoopExercise(Exercise):
    """Exercise 4 of 06: the student's loop, run with the student's own pieces, must train the
    spiral network to ``TARGET_ACCURACY`` on the training set within ``timeout`` seconds.

    The answer is a function ``my_train(X, y, layers, ..., dense_backward=…, softmax_ce_grad=…,
    sgd_step=…)`` whose last three parameters default to the student's answers of exercises 1,
    step 1 and 3. The checker

    1. checks each piece with its own exercise (a wrong piece is reported first);
    2. runs the loop on the spiral from seeded starting weights, with the pieces wrapped so that
       every call is counted and the first update's arguments are kept;
    3. audits the first update against the forward and backward pass computed here (logits,
       labels, ∂L/∂Z of each layer) — so a loop that happens to train with a wrong gradient,
       or that returns weights trained elsewhere, does not pass;
    4. measures the returned network's training accuracy.
    """

    def __init__(self, name: str, hint: Any, solution: str, pieces: dict[str, Exercise], *,
                 hidden: int = 64, target: float = TARGET_ACCURACY, timeout: float = 20.0,
                 seed: int = 0) -> None:
        super().__init__(name, hint, solution)
        self.pieces, self.hidden, self.target = pieces, int(hidden), float(target)
        self.timeout, self.seed = float(timeout), int(seed)

    # -- the steps ---------------------------------------------------------------------------
    def _pieces(self, answer: Any) -> tuple[str, str] | dict[str, Any]:
        try:
            params = inspect.signature(answer).parameters
        except (TypeError, ValueError):
            return WRONG, "could not read your function's parameters; define it with def my_train(...)."
        missing = [name for name in BLOCKS if name not in params or params[name].default is inspect.Parameter.empty]
        if missing:
            return WRONG, ("keep the given signature: my_train(X, y, layers, …, dense_backward=my_dense_backward, "
                           "softmax_ce_grad=my_softmax_ce_grad, sgd_step=my_sgd_l2_step); missing "
                           + ", ".join(missing) + ".")
        found = {}
        for name in BLOCKS:
            piece = params[name].default
            where = {"dense_backward": "exercise 1", "softmax_ce_grad": "step 1 of this exercise",
                     "sgd_step": "exercise 3"}[name]
            rebind = (" If you have fixed it since, run the cell that defines my_train again: a default "
                      "is bound when the def runs.")
            if is_placeholder(piece):
                return NOT_ATTEMPTED, f"{name} is still ___: pass your function from {where}."
            verdict = self.pieces[name].check(piece, show=False)
            if verdict.status == NOT_ATTEMPTED:
                return NOT_ATTEMPTED, f"the {name} your loop uses ({where}) is not filled in yet.{rebind}"
            if verdict.status != CORRECT:
                return WRONG, (f"the {name} your loop uses ({where}) is not right yet, so the loop cannot be "
                               f"trusted: {verdict.message}{rebind}")
            found[name] = piece
        return found

    def _data(self) -> tuple[np.ndarray, ...]:
        from ..data import load
        from ..forward_pass import init_layers

        ds = load("spiral")
        layers = init_layers([ds.X_train.shape[1], self.hidden, int(ds.y_train.max()) + 1],
                             np.random.default_rng(self.seed))
        return ds.X_train, ds.y_train, ds.X_test, ds.y_test, layers

    def _audit(self, rec: _Recorder, X: np.ndarray, y: np.ndarray, layers: list) -> str | None:
        """None if the first update computed what backpropagation computes, else the reason."""
        (W1, b1), (W2, b2) = layers
        ce = [args for name, args in rec.first if name == "softmax_ce_grad"]
        dense = [args for name, args in rec.first if name == "dense_backward"]
        if not ce or len(dense) < 2:
            return ("before the first sgd_step, call softmax_ce_grad once and dense_backward for both layers "
                    f"(your loop called them {len(ce)} and {len(dense)} times).")
        by_cols = {args[1].shape[1] if len(args) == 3 and np.ndim(args[1]) == 2 else None: args for args in dense}
        if X.shape[1] not in by_cols or self.hidden not in by_cols:
            return ("dense_backward(dZ, A_prev, W) must be called for layer 2 (A_prev = A1, "
                    f"{self.hidden} columns) and layer 1 (A_prev = the batch of X, {X.shape[1]} columns).")
        dZ1_got, Xb, W1_got = by_cols[X.shape[1]]
        dZ2_in, A1_got, W2_got = by_cols[self.hidden]
        rows = {row.tobytes(): i for i, row in enumerate(X)}
        idx = [rows.get(np.asarray(r, dtype=np.float64).tobytes()) for r in Xb]
        if any(i is None for i in idx):
            return "the A_prev passed to layer 1's dense_backward is not a set of rows of X (use X[idx])."
        idx = np.array(idx)
        Z_got, y_got = ce[0][0], ce[0][1] if len(ce[0]) > 1 else None
        if y_got is None or not np.array_equal(np.asarray(y_got), y[idx]):
            return "the labels given to softmax_ce_grad are not the labels of the batch's rows: use y[idx]."
        Z1 = X[idx] @ W1 + b1  # (B, h)
        A1 = np.maximum(Z1, 0.0)
        Z2 = A1 @ W2 + b2  # (B, K)
        if not _close(Z_got, Z2):
            return ("the logits given to softmax_ce_grad are not Z2 = relu(X[idx] @ W1 + b1) @ W2 + b2 for the "
                    "batch (check the forward pass, and that it uses the starting weights).")
        dZ2 = _ce_grad_reference(Z2, y[idx])
        if not _close(dZ2_in, dZ2):
            return "layer 2's dense_backward did not get dZ2 = softmax_ce_grad(Z2, y[idx])."
        if not _close(A1_got, A1) or not _close(W2_got, W2):
            return "layer 2's dense_backward needs (dZ2, A1, W2): the ReLU output A1 and the weights W2."
        dA1 = dZ2 @ W2.T
        dZ1 = dA1 * (Z1 > 0)
        if not _close(dZ1_got, dZ1):
            if _close(dZ1_got, dA1):
                return ("layer 1 got dA1, the gradient *after* the ReLU: multiply by the ReLU's derivative "
                        "first, dZ1 = dA1 * (Z1 > 0).")
            return "layer 1's dense_backward did not get dZ1 = dA1 * (Z1 > 0), with dA1 from layer 2."
        if not _close(W1_got, W1):
            return "layer 1's dense_backward needs (dZ1, X[idx], W1)."
        return None

    # -- the check ---------------------------------------------------------------------------
    def _check(self, answer: Any) -> tuple[str, str]:
        if not callable(answer):
            return WRONG, f"expected your training function (its name, without brackets); got {type(answer).__name__}."
        pieces = self._pieces(answer)
        if isinstance(pieces, tuple):
            return pieces
        X, y, X_test, y_test, layers = self._data()
        rec = _Recorder()
        run = functools.partial(answer, **{name: rec.wrap(name, f) for name, f in pieces.items()})
        start = [(W.copy(), b.copy()) for W, b in layers]
        t0 = time.perf_counter()
        try:
            with np.errstate(all="ignore"):
                out = call_with_timeout(run, (X.copy(), y.copy(), [(W.copy(), b.copy()) for W, b in layers]),
                                        self.timeout)
        except _Timeout:
            return WRONG, (f"your loop took longer than {self.timeout:g} s (after {rec.counts['sgd_step']} calls of "
                           "sgd_step): train on mini-batches, not one example at a time, and for tens of epochs.")
        except _PlaceholderArgument as exc:
            return NOT_ATTEMPTED, f"a ___ reached {exc}: fill in every ___ of the loop."
        except NotImplementedError:
            return NOT_ATTEMPTED, "your loop still raises NotImplementedError — fill in its body."
        except Exception as exc:
            if "Placeholder" in str(exc) or "___" in str(exc):
                return NOT_ATTEMPTED, "fill in every ___ of the loop, then run its cell and this one again."
            return WRONG, f"your loop raised {type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        if is_placeholder(out):
            return NOT_ATTEMPTED, "your loop returns ___ / None: return [(W1, b1), (W2, b2)]."
        shapes = [(W.shape, b.shape) for W, b in start]
        try:
            got = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in out]
        except (TypeError, ValueError):
            got = None
        if got is None or [(W.shape, b.shape) for W, b in got] != shapes:
            return WRONG, f"return the trained layers as [(W1, b1), (W2, b2)] with shapes {shapes}."
        updates = rec.counts["softmax_ce_grad"]
        for name, need in (("softmax_ce_grad", 1), ("dense_backward", 2), ("sgd_step", 4)):
            if rec.counts[name] < need * max(updates, 1):
                return WRONG, (f"call {name} {'for both layers ' if need == 2 else ''}on every mini-batch"
                               f"{' (once per parameter W1, b1, W2, b2)' if need == 4 else ''}: it ran "
                               f"{rec.counts[name]} times in {updates} updates. Use the function passed in "
                               f"as the {name} parameter.")
        reason = self._audit(rec, X, y, start)
        if reason is not None:
            return WRONG, f"on the first mini-batch: {reason}"
        if any(not (np.isfinite(W).all() and np.isfinite(b).all()) for W, b in got):
            return WRONG, ("the weights became NaN or infinite: training diverged. Is the learning rate too large, "
                           "or does the step go uphill (+ instead of −)?")
        same = [f"{name}{i + 1}" for i, (pair, pair0) in enumerate(zip(got, start))
                for name, a, a0 in zip("Wb", pair, pair0) if np.array_equal(a, a0)]
        if same:
            return WRONG, (f"{', '.join(same)} never changed from the starting values: assign what sgd_step "
                           "returns back to W1, b1, W2, b2 on every mini-batch.")
        from ..losses import cross_entropy_from_logits
        from ..training import accuracy

        def scores(L: list, A: np.ndarray) -> np.ndarray:
            return np.maximum(A @ L[0][0] + L[0][1], 0.0) @ L[1][0] + L[1][1]

        acc, test_acc = accuracy(scores(got, X), y), accuracy(scores(got, X_test), y_test)
        before = float(cross_entropy_from_logits(y, scores(start, X)))
        after = float(cross_entropy_from_logits(y, scores(got, X)))
        summary = (f"training accuracy {acc:.1%} (test {test_acc:.1%}) after {updates} updates in "
                   f"{seconds:.2f} s; the loss went from {before:.2f} to {after:.2f}")
        if acc >= self.target:
            return CORRECT, summary + " — with backpropagation and SGD you wrote yourself."
        if after >= before:
            why = "the loss did not fall: check the sign of each update and the learning rate."
        else:
            why = "the loss fell, but not far enough: train for more epochs, or try another learning rate."
        return WRONG, f"{summary}; {self.target:.0%} is needed — {why}"


q4_train_spiral = TrainingLoopExercise(
    name="your own training loop on the spiral",
    pieces={"dense_backward": q1_dense_backward, "softmax_ce_grad": ce_grad_step, "sgd_step": q3_sgd_l2_step},
    hint=["Go down the table of §2, one line per row: dZ2 from softmax_ce_grad, then dense_backward for "
          "layer 2, the ReLU's gate, dense_backward for layer 1, and one sgd_step per parameter.",
          "dZ2 = softmax_ce_grad(Z2, yb); dA1, dW2, db2 = dense_backward(dZ2, A1, W2); dZ1 = dA1 * (Z1 > 0); "
          "_, dW1, db1 = dense_backward(dZ1, Xb, W1); W1 = sgd_step(W1, dW1, lr, lr, lam), and the biases "
          "with lam = 0."],
    solution="def my_train(X, y, layers, epochs=50, lr=0.5, batch_size=32, lam=1e-4,\n"
             "             dense_backward=my_dense_backward, softmax_ce_grad=my_softmax_ce_grad,\n"
             "             sgd_step=my_sgd_l2_step):\n"
             "    (W1, b1), (W2, b2) = layers\n"
             "    rng = np.random.default_rng(0)\n"
             "    for epoch in range(epochs):\n"
             "        order = rng.permutation(len(X))              # shuffle every epoch\n"
             "        for start in range(0, len(X), batch_size):\n"
             "            idx = order[start:start + batch_size]\n"
             "            Xb, yb = X[idx], y[idx]\n"
             "            Z1 = Xb @ W1 + b1                        # (B, h)\n"
             "            A1 = np.maximum(Z1, 0)                   # ReLU\n"
             "            Z2 = A1 @ W2 + b2                        # logits (B, 3)\n"
             "            dZ2 = softmax_ce_grad(Z2, yb)            # (B, 3)\n"
             "            dA1, dW2, db2 = dense_backward(dZ2, A1, W2)\n"
             "            dZ1 = dA1 * (Z1 > 0)                     # the ReLU's gate\n"
             "            _, dW1, db1 = dense_backward(dZ1, Xb, W1)\n"
             "            W1, W2 = sgd_step(W1, dW1, lr, lr, lam), sgd_step(W2, dW2, lr, lr, lam)\n"
             "            b1, b2 = sgd_step(b1, db1, lr, lr, 0.0), sgd_step(b2, db2, lr, lr, 0.0)\n"
             "    return [(W1, b1), (W2, b2)]",
)
