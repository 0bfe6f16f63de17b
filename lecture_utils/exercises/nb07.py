"""Exercises for 07_training: backward pass of a dense layer, the learning rate at which gradient
descent stops converging, one SGD step with L2, and — assembling your own pieces — a training
loop that must reach 90 % on the spiral.

    from lecture_utils.exercises.nb07 import q1_dense_backward
    q1_dense_backward.check(my_dense_backward)
"""

from __future__ import annotations

import inspect
import time
from typing import Any

import numpy as np

from ..backprop import dense_backward, softmax_cross_entropy_backward
from ..softmax import softmax
from ._core import (CORRECT, NOT_ATTEMPTED, WRONG, Exercise, FunctionExercise, _describe, _Monitor,
                    _numeric_array, _Outcome, _read_answer, _run_limited, _same, compare_arrays, is_placeholder,
                    _still_running, progress)

__all__ = ["EXERCISES", "progress", "q1_dense_backward", "q2_learning_rate_limit", "q3_sgd_l2_step", "q4_train_spiral",
           "ce_grad_step", "TrainingLoopExercise"]

# bound before any answer runs: a loop that patches numpy cannot change how it is judged
_maximum, _isfinite, _exp, _log, _array, _eye = np.maximum, np.isfinite, np.exp, np.log, np.array, np.eye
_arange, _errstate, _float64, _int64 = np.arange, np.errstate, np.float64, np.int64
_perf_counter = time.perf_counter


class TupleFunctionExercise(FunctionExercise):
    """A function exercise whose answer returns several named arrays (e.g. dA_prev, dW, db):
    ``FunctionExercise(..., outputs=(...))`` under the name the first version used."""


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
    call="my_dense_backward(dZ, A_prev, W)", forbidden=(dense_backward,),
    hint=["Match shapes: dW must look like W (d, h), built from A_prev (n, d) and dZ (n, h).",
          "dW = A_prev.T @ dZ; db sums dZ over the examples (axis 0); dA_prev = dZ @ W.T."],
    solution="def my_dense_backward(dZ, A_prev, W):\n"
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
            ((100.0,), "a = 100 (a steep valley)"), ((float(rng.uniform(2.0, 20.0)),), "a random curvature"),
            ((np.array([0.5, 4.0, 100.0]),), "the curvatures of three bowls at once, a = [0.5, 4, 100]"),
            ((rng.uniform(1.0, 30.0, size=(2, 3)),), "a (2, 3) array of random curvatures")]


class _LrLimitExercise(FunctionExercise):
    """The limit 2/a, with the reason behind the usual wrong answers (1/a, a/2, 2a), recognised
    from the answer's output (the answer is not run again)."""

    _KNOWN = ((lambda a: 1.0 / a, "1/a is the learning rate that lands on the minimum in one step "
               "(1 − ηa = 0); larger ones still converge, overshooting from side to side, as long as "
               "|1 − ηa| < 1."),
              (lambda a: 2.0 * a, "the steeper the valley (larger a), the *smaller* the step must be."),
              (lambda a: a / 2.0, "the steeper the valley (larger a), the *smaller* the step must be."))

    def _judge_outcome(self, outcome: _Outcome, i: int, label: str, args: tuple) -> tuple[str, str] | None:
        verdict = super()._judge_outcome(outcome, i, label, args)
        if verdict is not None and "truth value of an array" in outcome.exc_message:
            return verdict[0], (f"{verdict[1]} `a` can be an array of curvatures here: compute with NumPy "
                                "arithmetic, which works element by element (no `if` on a).")
        return verdict

    def _compare(self, got: Any, want: Any, args: tuple) -> str | None:
        reason = super()._compare(got, want, args)
        if reason is None or reason == "placeholder":
            return reason
        a = _array(args[0], dtype=_float64)
        for wrong, why in self._KNOWN:
            if compare_arrays(got, wrong(a), 1e-6, 1e-9) is None:
                return f"{reason} {why}"
        return reason


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
    reference=_sgd_l2_step, cases=_sgd_cases, call="my_sgd_l2_step(W, dW, lr_p, lr_r, lam)",
    hint=["θ ← θ − η_p·∇ℓ − η_r·∇r(θ); with r(W) = λ/2·‖W‖² the gradient ∇r is λ·W.",
          "return W - lr_p * dW - lr_r * lam * W (a new array: `W -= …` would change the caller's W)"],
    solution="def my_sgd_l2_step(W, dW, lr_p, lr_r, lam):\n"
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


#: step 1 of exercise 4 (the gradient of notebook 06, for a batch): checked before the loop runs
ce_grad_step = FunctionExercise(
    name="gradient of softmax + mean cross-entropy (step 1 of exercise 4)",
    reference=_ce_grad_reference, cases=_ce_grad_cases, call="my_softmax_ce_grad(Z, y)",
    forbidden=(softmax_cross_entropy_backward,),  # the notebook imports it
    hint="(P − Y) / n, with P the row-wise stable softmax of Z and Y = np.eye(K)[y].",
    solution="def my_softmax_ce_grad(Z, y):\n"
             "    P = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
             "    P /= P.sum(axis=1, keepdims=True)           # softmax, row by row\n"
             "    return (P - np.eye(Z.shape[1])[y]) / len(Z)  # (n, K)",
)


class _PlaceholderArgument(Exception):
    """A ``___`` reached one of the pieces: the loop is not filled in yet."""


#: the parameters of each piece, for reading calls made with keyword arguments
_PIECE_PARAMS = {"dense_backward": ("dZ", "A_prev", "W"), "softmax_ce_grad": ("Z", "y"),
                 "sgd_step": ("W", "dW", "lr_p", "lr_r", "lam")}


class _Recorder:
    """Wraps the student's pieces: counts every call and keeps copies of the arguments of the
    first update (everything before the first ``sgd_step``) for the audit. Runs inside the
    answer's worker thread."""

    def __init__(self) -> None:
        self.counts = {name: 0 for name in BLOCKS}
        self.first: list[tuple[str, tuple]] = []
        self._recording = True

    def wrap(self, name: str, func: Any) -> Any:
        params = _PIECE_PARAMS[name]

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if any(is_placeholder(a) for a in (*args, *kwargs.values())):
                raise _PlaceholderArgument(name)
            self.counts[name] += 1
            if name == "sgd_step":
                self._recording = False
            if self._recording:
                named = list(args) + [kwargs[p] for p in params[len(args):] if p in kwargs]
                named += [v for k, v in kwargs.items() if k not in params]
                self.first.append((name, tuple(_array(a, copy=True) for a in named)))
            return func(*args, **kwargs)

        return wrapped


def _close(a: Any, b: np.ndarray) -> bool:
    """``a`` has the shape and (to 1e-6 relative) the values of ``b`` (comparison bound at import)."""
    return compare_arrays(a, b, 1e-6, 1e-9) is None


def _relu_scores(layers: list, X: np.ndarray) -> np.ndarray:
    """The logits of a one-hidden-layer ReLU network (n, K), with functions bound at import."""
    (W1, b1), (W2, b2) = layers
    return _maximum(X @ W1 + b1, 0.0) @ W2 + b2  # (n, d) @ (d, h) -> (n, h) -> (n, K)


def _mean_ce(layers: list, X: np.ndarray, y: np.ndarray) -> float:
    Z = _relu_scores(layers, X)
    m = Z.max(axis=1, keepdims=True)
    log_p = Z - m - _log(_exp(Z - m).sum(axis=1, keepdims=True))  # log-softmax, row by row
    return float(-log_p[_arange(len(y)), y].mean())


def _accuracy(layers: list, X: np.ndarray, y: np.ndarray) -> float:
    return float((_relu_scores(layers, X).argmax(axis=1) == y).mean())


def _read_layers(out: Any, shapes: list[tuple[tuple, tuple]]) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The returned network as float64 arrays [(W1, b1), (W2, b2)] of the starting shapes, or None.
    ``out`` is plain data (read inside the time limit), so no student code runs here."""
    if not isinstance(out, (list, tuple)) or len(out) != len(shapes):
        return None
    got = []
    for pair, pair_shapes in zip(out, shapes):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return None
        arrays = []
        for a, shape in zip(pair, pair_shapes):
            arr, _ = _numeric_array(a, "a parameter")
            if arr is None or arr.shape != shape:
                return None
            arrays.append(arr.astype(_float64))
        got.append((arrays[0], arrays[1]))
    return got


class TrainingLoopExercise(Exercise):
    """Exercise 4 of 07: the student's loop, run with the student's own pieces, must train the
    spiral network to ``TARGET_ACCURACY`` on the training set within ``timeout`` seconds.

    The answer is a function ``my_train(X, y, layers, ..., dense_backward=…, softmax_ce_grad=…,
    sgd_step=…)`` whose last three parameters default to the student's answers of exercises 1,
    step 1 and 3. The checker

    1. checks each piece with its own exercise (a wrong piece is reported first);
    2. runs the loop on the spiral from seeded starting weights (``check(…, seed=s)`` draws
       other ones), in the exercises' worker thread with its time limit, on copies of the data,
       with the pieces wrapped so that every call is counted and the first update's arguments
       are kept;
    3. reports a loop that changed the caller's ``X``, ``y`` or ``layers`` in place;
    4. audits the first update against the forward and backward pass computed here (logits,
       labels, ∂L/∂Z of each layer) — so a loop that happens to train with a wrong gradient,
       or that returns weights trained elsewhere, does not pass;
    5. measures the returned network's training accuracy.

    Everything it compares with is computed, and every function it compares with is bound,
    before the loop runs.
    """

    def __init__(self, name: str, hint: Any, solution: str, pieces: dict[str, Exercise], *,
                 hidden: int = 64, target: float = TARGET_ACCURACY, timeout: float = 20.0,
                 seed: int = 0) -> None:
        super().__init__(name, hint, solution)
        self.pieces, self.hidden, self.target = pieces, int(hidden), float(target)
        self.timeout, self._seed = float(timeout), int(seed)

    @property
    def seed(self) -> int:
        """The seed of the starting weights: the visible one, or the one given to ``check``."""
        override = self._seed_override
        return self._seed if override is None else override

    def _prepare(self, answer: Any) -> Any:
        return answer if callable(answer) else _read_answer(answer)

    # -- the steps ---------------------------------------------------------------------------
    def _pieces(self, answer: Any) -> tuple[str, str] | dict[str, Any]:
        outcome = _run_limited(inspect.signature, (answer,), 2.0, materialise=False)
        if outcome.kind != "ok":
            return WRONG, "could not read your function's parameters; define it with def my_train(...)."
        params = outcome.value.parameters
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
            verdict = self.pieces[name].check(piece, show=False, seed=self._seed_override)
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
        by_cols = {args[1].shape[1] if len(args) == 3 and args[1].ndim == 2 else None: args for args in dense}
        if X.shape[1] not in by_cols or self.hidden not in by_cols:
            return ("dense_backward(dZ, A_prev, W) must be called for layer 2 (A_prev = A1, "
                    f"{self.hidden} columns) and layer 1 (A_prev = the batch of X, {X.shape[1]} columns).")
        dZ1_got, Xb, W1_got = by_cols[X.shape[1]]
        dZ2_in, A1_got, W2_got = by_cols[self.hidden]
        rows = {row.tobytes(): i for i, row in enumerate(X)}
        idx = [rows.get(_array(r, dtype=_float64).tobytes()) for r in Xb]
        if any(i is None for i in idx):
            return "the A_prev passed to layer 1's dense_backward is not a set of rows of X (use X[idx])."
        idx = _array(idx, dtype=_int64)
        Z_got, y_got = ce[0][0], ce[0][1] if len(ce[0]) > 1 else None
        if y_got is None or compare_arrays(y_got, y[idx], 0.0, 0.0) is not None:
            return "the labels given to softmax_ce_grad are not the labels of the batch's rows: use y[idx]."
        Z1 = X[idx] @ W1 + b1  # (B, h)
        A1 = _maximum(Z1, 0.0)
        Z2 = A1 @ W2 + b2  # (B, K)
        if not _close(Z_got, Z2):
            return ("the logits given to softmax_ce_grad are not Z2 = relu(X[idx] @ W1 + b1) @ W2 + b2 for the "
                    "batch (check the forward pass, and that it uses the starting weights).")
        P = _exp(Z2 - Z2.max(axis=1, keepdims=True))
        dZ2 = (P / P.sum(axis=1, keepdims=True) - _eye(Z2.shape[1])[y[idx]]) / len(idx)  # (B, K)
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

    def _judge_run(self, outcome: _Outcome, rec: _Recorder) -> tuple[str, str] | None:
        """The verdict when the loop did not return normally (None when it did)."""
        if outcome.kind == "ok":
            return None
        if outcome.kind == "timeout":
            return WRONG, (f"your loop took longer than {self.timeout:g} s (after {rec.counts['sgd_step']} calls of "
                           "sgd_step): train on mini-batches, not one example at a time, and for tens of epochs."
                           + _still_running(outcome))
        exc = outcome.exc
        if isinstance(exc, _PlaceholderArgument):
            return NOT_ATTEMPTED, f"a ___ reached {exc}: fill in every ___ of the loop."
        if outcome.kind == "raised" and not isinstance(exc, (NotImplementedError, SystemExit, KeyboardInterrupt,
                                                               MemoryError)) \
                and ("Placeholder" in outcome.exc_message or "___" in outcome.exc_message):
            return NOT_ATTEMPTED, "fill in every ___ of the loop, then run its cell and this one again."
        # the rest reads as for any function answer (SystemExit, NotImplementedError, an error and its line)
        status, message = FunctionExercise._judge_outcome(self, outcome, 0, "the spiral", ())  # type: ignore[arg-type]
        return status, message.replace("your function", "your loop", 1)

    # -- the check ---------------------------------------------------------------------------
    def _check(self, answer: Any) -> tuple[str, str]:
        if not callable(answer):
            return WRONG, f"expected your training function (its name, without brackets); got {_describe(answer)}."
        pieces = self._pieces(answer)
        if isinstance(pieces, tuple):
            return pieces
        # everything the verdict depends on is computed before the loop runs
        X, y, X_test, y_test, layers = self._data()
        start = [(W.copy(), b.copy()) for W, b in layers]
        shapes = [(W.shape, b.shape) for W, b in start]
        before = _mean_ce(start, X, y)
        private = (X.copy(), y.copy(), [(W.copy(), b.copy()) for W, b in start])
        fresh = (X.copy(), y.copy(), [(W.copy(), b.copy()) for W, b in start])
        rec = _Recorder()
        wrapped = {name: rec.wrap(name, f) for name, f in pieces.items()}

        def run(X: np.ndarray, y: np.ndarray, layers: list) -> Any:
            return answer(X, y, layers, **wrapped)

        t0 = _perf_counter()
        outcome = _run_limited(run, fresh, self.timeout, monitor=_Monitor())
        seconds = _perf_counter() - t0
        verdict = self._judge_run(outcome, rec)
        if verdict is not None:
            return verdict
        changed = [name for name, a, b in (("X", private[0], fresh[0]), ("y", private[1], fresh[1]))
                   if not _same(a, b)]
        changed += [f"layers ({name}{i + 1})" for i, (pair, pair0) in enumerate(zip(fresh[2], private[2]))
                    for name, a, a0 in zip("Wb", pair, pair0) if not _same(a0, a)]
        if changed:
            return WRONG, (f"your loop changed its input {', '.join(changed)} in place — e.g. `X -= …` or "
                           "`W1[…] = …` writes into the caller's arrays, so a second run starts from "
                           "different data or weights. Work on new arrays (`W1 = sgd_step(W1, …)`).")
        out = outcome.value
        if is_placeholder(out):
            return NOT_ATTEMPTED, "your loop returns ___ / None: return [(W1, b1), (W2, b2)]."
        got = _read_layers(out, shapes)
        if got is None:
            return WRONG, (f"return the trained layers as [(W1, b1), (W2, b2)] with shapes {shapes}; "
                           f"got {_describe(out)}.")
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
        if any(not (_isfinite(W).all() and _isfinite(b).all()) for W, b in got):
            return WRONG, ("the weights became NaN or infinite: training diverged. Is the learning rate too large, "
                           "or does the step go uphill (+ instead of −)?")
        same = [f"{name}{i + 1}" for i, (pair, pair0) in enumerate(zip(got, start))
                for name, a, a0 in zip("Wb", pair, pair0) if _same(a, a0)]
        if same:
            return WRONG, (f"{', '.join(same)} never changed from the starting values: assign what sgd_step "
                           "returns back to W1, b1, W2, b2 on every mini-batch.")
        with _errstate(all="ignore"):
            acc, test_acc = _accuracy(got, X, y), _accuracy(got, X_test, y_test)
            after = _mean_ce(got, X, y)
        summary = (f"training accuracy {acc:.1%} (test {test_acc:.1%}) after {updates} updates in "
                   f"{seconds:.2f} s; the loss went from {before:.2f} to {after:.2f}")
        if acc >= self.target:
            return CORRECT, summary + " — with backpropagation and SGD you wrote yourself."
        if not after < before:
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

#: this notebook's exercises, in order (``progress()`` and the graded tests enumerate them)
EXERCISES = [q1_dense_backward, q2_learning_rate_limit, q3_sgd_l2_step, ce_grad_step, q4_train_spiral]
