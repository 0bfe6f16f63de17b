"""Homework that cannot be fooled and never breaks: one test per class of defect, run against
every exercise it applies to (not one example each)."""

from __future__ import annotations

import functools
import itertools
import math
import sys
import textwrap
import threading
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import lecture_utils as lu
from lecture_utils.exercises import ___, nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07
from lecture_utils.exercises._core import (ChoiceExercise, Exercise, FunctionExercise, NumberExercise,
                                           compare_arrays)

ALL = [q for mod in (nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07) for q in mod.EXERCISES]
FUNCTIONS = [q for q in ALL if isinstance(q, FunctionExercise)]
NUMBERS = [q for q in ALL if isinstance(q, NumberExercise)]
CHOICES = [q for q in ALL if isinstance(q, ChoiceExercise)]
STATUSES = {"correct", "wrong", "not attempted"}


def ids(q):
    return q.name


def check(q, answer, **kw):
    return q.check(answer, show=False, **kw)


def own(q):
    """The model solution, defined as a student would paste it into the notebook."""
    scope = {"np": np, "softmax": lu.softmax, "one_hot": lu.one_hot, "sigmoid": lu.sigmoid}
    exec(textwrap.dedent(q._solution), scope)
    funcs = [v for k, v in scope.items() if callable(v) and k not in ("np", "softmax", "one_hot", "sigmoid")
             and not k.startswith("__")]
    assert len(funcs) == 1, q.name
    return funcs[0]


# -- right answers pass ---------------------------------------------------------------------------

@pytest.mark.parametrize("q", FUNCTIONS, ids=ids)
def test_the_reference_passes_on_visible_and_hidden_seeds(q):
    for seed in (None, 1, 2024):
        r = check(q, own(q), seed=seed)
        assert r.correct, (seed, r.message)


@pytest.mark.parametrize("q", FUNCTIONS, ids=ids)
def test_a_float32_computation_is_accepted(q):
    ref = own(q)

    def in_float32(*args):
        args = tuple(a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args)
        out = ref(*args)
        if isinstance(out, tuple):
            return tuple(np.asarray(o, dtype=np.float32) for o in out)
        return np.asarray(out, dtype=np.float32)

    r = check(q, in_float32)
    assert r.correct, r.message


def test_a_float16_result_is_rejected_with_the_precision_missed():
    right = own(nb05.q2_stable_softmax)
    r = check(nb05.q2_stable_softmax, lambda z: np.asarray(right(z), dtype=np.float16))
    assert r.status == "wrong" and "float16" in r.message and "significant digits" in r.message


def test_float32_and_integer_inputs_are_tried():
    for q in FUNCTIONS:
        labels = [label for _, label, _ in q._cases()]
        assert any("float32" in lab for lab in labels) and any("integers" in lab for lab in labels), q.name


# -- 1. an answer that modifies its input is wrong -------------------------------------------------

@pytest.mark.parametrize("q", FUNCTIONS, ids=ids)
def test_an_answer_that_changes_its_input_in_place_is_wrong(q):
    ref = own(q)

    def mutates(*args):
        out = ref(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args])
        for a in args:
            if isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.size:
                a[...] = 0.0  # e.g. z -= z.max() on the caller's array
                break
        return out

    r = check(q, mutates)
    assert r.status == "wrong" and "changed its input" in r.message and "in place" in r.message, r.message
    assert "does not copy" in r.message  # the np.asarray template line does not protect


def test_the_template_line_does_not_protect_an_in_place_softmax():
    def my_softmax(z):
        z = np.asarray(z, dtype=float)  # the notebook's template line
        z -= z.max(axis=-1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=-1, keepdims=True)
        return z

    r = check(nb05.q2_stable_softmax, my_softmax)
    assert r.status == "wrong" and "`z`" in r.message and "np.asarray(z, dtype=float)" in r.message


# -- 2. "no loop" is judged by behaviour ------------------------------------------------------------

def fast(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, 0.0) @ W2 + b2


def row(x, W1, b1, W2, b2):
    return np.maximum(x @ W1 + b1, 0.0) @ W2 + b2


def disguised_comprehension(X, W1, b1, W2, b2):
    return np.array([row(x, W1, b1, W2, b2) for x in X])


def disguised_map(X, W1, b1, W2, b2):
    return np.array(list(map(lambda x: row(x, W1, b1, W2, b2), X)))


def disguised_apply_along_axis(X, W1, b1, W2, b2):
    return np.apply_along_axis(row, 1, X, W1, b1, W2, b2)


def disguised_vectorize(X, W1, b1, W2, b2):
    f = np.vectorize(lambda i: 0.0)
    f(np.arange(len(X)))
    return fast(X, W1, b1, W2, b2)


def disguised_recursion(X, W1, b1, W2, b2):
    if len(X) == 0:
        return np.zeros((0, W2.shape[1]))
    return np.vstack([row(X[:1], W1, b1, W2, b2), disguised_recursion(X[1:], W1, b1, W2, b2)])


def disguised_while(X, W1, b1, W2, b2):
    out, i = [], 0
    while i < len(X):
        out.append(row(X[i], W1, b1, W2, b2))
        i += 1
    return np.array(out)


def operators_only_loop(X, W1, b1, W2, b2):  # no function call inside the loop at all
    out = np.zeros((X.shape[0], W2.shape[1]))
    for i in range(X.shape[0]):
        h = X[i] @ W1 + b1
        out[i] = (h * (h > 0)) @ W2 + b2
    return out


class LoopingCallable:
    def __call__(self, X, W1, b1, W2, b2):
        return np.stack([row(x, W1, b1, W2, b2) for x in X])


def wraps_loop_forward(X, W1, b1, W2, b2):
    return nb02.loop_forward(X, W1, b1, W2, b2)


LOOPS = [disguised_comprehension, disguised_map, disguised_apply_along_axis, disguised_vectorize,
         disguised_recursion, disguised_while, operators_only_loop, LoopingCallable(), wraps_loop_forward,
         functools.partial(nb02.loop_forward), lambda *a: nb02.loop_forward(*a)]


@pytest.mark.parametrize("answer", LOOPS, ids=lambda f: getattr(f, "__name__", type(f).__name__))
def test_every_disguise_of_a_loop_over_examples_is_caught(answer):
    r = check(nb02.q3_no_loop, answer)
    assert r.status == "wrong", r.message


def layer_loop(X, W1, b1, W2, b2):  # a loop over the layers, vectorised over the examples: right
    A = X
    for i, (W, b) in enumerate([(W1, b1), (W2, b2)]):
        Z = A @ W + b
        A = np.maximum(Z, 0.0) if i == 0 else Z
    return A


@pytest.mark.parametrize("answer", [fast, layer_loop, lambda *a: fast(*a), functools.partial(fast)])
def test_vectorised_answers_and_a_loop_over_layers_pass(answer):
    r = check(nb02.q3_no_loop, answer)
    assert r.correct, r.message
    assert "No loop" in r.message


# -- 3. numbers are numbers ------------------------------------------------------------------------

class LyingFloat:
    def __float__(self):
        return 4000.0


class LyingSubclass(float):
    def __float__(self):
        return 4000.0


@pytest.mark.parametrize("q", NUMBERS, ids=ids)
def test_non_numbers_are_refused_with_their_type(q):
    e = q.expected
    for bad, word in [(str(e), "string"), (str(e).encode(), "bytes"), (complex(e, 0), "complex"),
                      (True, "bool"), (LyingFloat(), "LyingFloat"), (np.array([e, e]), "shape"),
                      ([e], "list"), (np.complex128(e), "real")]:
        r = check(q, bad)
        assert r.status == "wrong" and word in r.message, (bad, r.message)
    assert check(q, LyingSubclass(e + 1)).status == "wrong"  # judged by the value it holds


@pytest.mark.parametrize("q", NUMBERS, ids=ids)
def test_numeric_types_are_accepted(q):
    e = q.expected
    exact = [e, np.float64(e), np.float32(e) if not q.integer else np.int32(e)]
    if q.integer:
        exact += [int(e), np.int64(e), Fraction(int(e)), Decimal(int(e)), np.array(int(e))]
    else:
        exact += [Fraction(e), Decimal(repr(e))]
    for good in exact:
        r = check(q, good)
        assert r.correct, (type(good), r.message)


@pytest.mark.parametrize("q", NUMBERS, ids=ids)
def test_messages_never_say_tolerance_zero(q):
    for answer in (q.expected + 0.4, q.expected * 3 + 1, -q.expected - 7, q.expected + 1e-7):
        r = check(q, answer)
        assert "tolerance 0" not in r.message and "0 relative" not in r.message, r.message


def test_counts_are_compared_exactly():
    q = nb02.q4_count_multiplications
    assert check(q, 4000).correct and check(q, 4000.0).correct
    for near in (4000 + 1e-9, 3999.999, 4000.4, 4001):
        assert check(q, near).status == "wrong", near
    assert "whole number" in check(q, 4000.4).message


def test_shapes_are_tuples_of_whole_numbers():
    q = nb02.q1_layer_shapes
    assert check(q, [(32, 128), (32, 64), (32, 10)]).correct
    assert check(q, [(32.0, 128), (32, 64.0), (np.int64(32), 10)]).correct
    for bad in ([(32.9, 128.7), (32, 64), (32, 10)], [("32", "128"), (32, 64), (32, 10)],
                [(32, 128), (32, 64), (32, True)], [(32, 128), (32, 64), (32, -10)], ["(32, 128)"] * 3):
        r = check(q, bad)
        assert r.status == "wrong", (bad, r.message)
    assert "whole numbers" in check(q, [(32.9, 128.7), (32, 64), (32, 10)]).message
    assert "string" in check(q, [("32", "128"), (32, 64), (32, 10)]).message


def test_pairs_and_heights_refuse_strings():
    assert check(nb03.q1_step_at_03, ("1000", "-300")).status == "wrong"
    assert check(nb03.q1_step_at_03, (1000, -300)).correct
    assert check(nb03.q4_challenge, ["0.22", 0.195, 0.416, 0.272, 0.767]).status == "wrong"


# -- 4. test inputs cover the domain: rows of different scales, values beyond a clip --------------

def global_max_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def global_max_log_softmax(z):
    z = np.asarray(z, dtype=float)
    s = z - z.max()
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def global_max_ce(y, logits):
    Z = np.asarray(logits, dtype=float)
    Y = np.eye(Z.shape[1])[y] if np.ndim(y) == 1 else np.asarray(y, dtype=float)
    s = Z - Z.max()
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(Y * logp, axis=1))


def global_max_grad(y, logits):
    Z = np.asarray(logits, dtype=float)
    return (global_max_softmax(Z) - np.eye(Z.shape[1])[y]) / Z.shape[0]


def clipped_softmax(z):
    z = np.clip(np.asarray(z, dtype=float), -700, 700)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("q, shortcut", [
    (nb05.q2_stable_softmax, global_max_softmax), (nb05.q3_log_softmax, global_max_log_softmax),
    (nb06.q3_stable_ce, global_max_ce), (nb06.q4_ce_gradient, global_max_grad),
    (nb05.q2_stable_softmax, clipped_softmax),
], ids=lambda v: getattr(v, "name", getattr(v, "__name__", "")))
def test_a_max_shift_over_the_whole_batch_or_a_clip_fails(q, shortcut):
    for seed in (None, 7):
        r = check(q, shortcut, seed=seed)
        assert r.status == "wrong", r.message


@pytest.mark.parametrize("q", [nb05.q2_stable_softmax, nb05.q3_log_softmax, nb06.q3_stable_ce, nb06.q4_ce_gradient],
                         ids=ids)
def test_softmax_family_cases_include_rows_of_very_different_scales(q):
    found = False
    for args, label, _ in q._cases():
        z = args[-1] if q is not nb05.q2_stable_softmax and q is not nb05.q3_log_softmax else args[0]
        z = np.asarray(z, dtype=float)
        if z.ndim == 2 and z.shape[0] > 1:
            row_max = z.max(axis=1)
            found |= bool(row_max.max() - row_max.min() > 800)
    assert found


def test_by_hand_probabilities_must_sum_to_one():
    q = nb05.q1_softmax_by_hand
    assert check(q, [0.66, 0.24, 0.10]).correct
    r = check(q, [0.663, 0.246, 0.103])  # each within 0.005, but they sum to 1.012
    assert r.status == "wrong" and "sum to 1" in r.message
    assert check(q, [0.665, 0.24, 0.10]).status == "wrong"  # 0.006 off: more than two decimals allow


def test_stated_precisions_are_what_the_checkers_accept():
    assert check(nb06.q1_batch_ce, 1.14).correct  # "to 2 decimals"
    assert check(nb06.q1_batch_ce, 1.1391).correct
    assert check(nb06.q1_batch_ce, 1.13).status == "wrong"
    assert "2 decimals" in nb06.q1_batch_ce.name
    assert check(nb03.q1_step_at_03, (1000, -304)).correct       # step at 0.304: within ±0.005
    r = check(nb03.q1_step_at_03, (1000, -306))
    assert r.status == "wrong" and "0.306" in r.message and "±0.005" in r.message


# -- 5. never raise, never hang ---------------------------------------------------------------------

class BadStr(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")


def raises(exc):
    def answer(*args):
        raise exc
    return answer


@pytest.mark.parametrize("exc, words", [(SystemExit(3), "SystemExit"), (KeyboardInterrupt(), "KeyboardInterrupt"),
                                        (BadStr(), "could not be shown"), (MemoryError(), "memory"),
                                        (RecursionError("deep"), "RecursionError")])
@pytest.mark.parametrize("q", [nb01.q2_relu, nb06.q3_stable_ce, nb07.q1_dense_backward], ids=ids)
def test_an_answer_raising_anything_is_reported(q, exc, words):
    r = check(q, raises(exc))
    assert r.status == "wrong" and words in r.message, r.message


def test_an_answer_that_runs_sys_exit_inside_a_notebook_style_helper_is_reported():
    def my_relu(z):
        sys.exit("done")

    r = check(nb01.q2_relu, my_relu)
    assert r.status == "wrong" and "sys.exit" in r.message and "line" in r.message


class Weird:
    def __eq__(self, other):
        raise RuntimeError("eq")

    def __len__(self):
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")

    def __array__(self, *a, **k):
        raise RuntimeError("array")

    def __float__(self):
        raise RuntimeError("float")

    def __hash__(self):
        raise RuntimeError("hash")

    def __repr__(self):
        raise RuntimeError("repr")


recursive = [1, 2]
recursive.append(recursive)
DEEP = [1]
for _ in range(40):
    DEEP = [DEEP]
WEIRD = [Weird(), recursive, {"A": 1}, {}, set(), frozenset("AB"), b"AB", 10 ** 400, -10 ** 400, float("inf"),
         float("nan"), 1j, DEEP, np.array([None, object()]),
         np.zeros((0, 3)), np.zeros(10 ** 6), Decimal("sNaN"), Fraction(1, 3), np, Exercise, print,
         type, lambda: ___, (lambda *a, **k: Weird()), (lambda *a: iter(int, 1)), (lambda *a: [Weird()]),
         (lambda *a: (x for x in itertools.count())), itertools.cycle("AB"), range(10 ** 12), iter(int, 1),
         (x for x in itertools.count()), nb01.q2_relu.check(___, show=False)]


@pytest.mark.parametrize("q", ALL, ids=ids)
def test_check_never_raises_or_hangs_on_strange_answers(q):
    for answer in WEIRD:
        r = q.check(answer, show=False)
        assert r.status in STATUSES and isinstance(r.message, str)


@pytest.mark.parametrize("answer", [itertools.cycle("AB"), iter(int, 1), (x for x in itertools.count()),
                                    range(10 ** 12)], ids=["cycle", "iter-sentinel", "generator", "range"])
@pytest.mark.parametrize("q", [nb01.q3_which_are_linear, nb01.q4_lecture_coefficients, nb02.q1_layer_shapes,
                               nb06.q1_batch_ce], ids=ids)
def test_an_endless_iterator_is_reported_not_looped_on(q, answer):
    start = time.perf_counter()
    r = check(q, answer)
    assert r.status == "wrong"
    assert "did not stop" in r.message or "longer than" in r.message or "number" in r.message, r.message
    assert time.perf_counter() - start < 30  # bounded (not a timing claim: an endless loop never returns)


def test_a_finite_iterator_answer_is_read():
    assert check(nb05.q4_temperature, iter(["B", "D"])).correct
    assert check(nb01.q4_lecture_coefficients, (float(v) for v in nb01.q4_lecture_coefficients.expected)).correct


def never_ends(z):
    while True:
        try:
            pass
        except Exception:  # a student's catch-all cannot swallow the time-out
            pass


def test_the_time_limit_cannot_be_caught_with_except_exception():
    q = FunctionExercise("square", lambda x: x * x, lambda rng: [((np.ones(3),), "ones")], hint="h",
                         solution="s", timeout=0.3)
    r = check(q, never_ends)
    assert r.status == "wrong" and "longer than 0.3 s" in r.message
    assert "slow Python loop" not in r.message


def test_the_time_limit_works_off_the_main_thread():
    q = FunctionExercise("square", lambda x: x * x, lambda rng: [((np.ones(3),), "ones")], hint="h",
                         solution="s", timeout=0.3)
    box = {}
    worker = threading.Thread(target=lambda: box.setdefault("r", check(q, never_ends)))
    worker.start()
    worker.join(30)
    assert not worker.is_alive() and box["r"].status == "wrong" and "longer than" in box["r"].message


def swallows_everything(z):
    while True:
        try:
            while True:
                pass
        except BaseException:  # even this is stopped in the end (asynchronous _Timeout)
            pass


def test_an_answer_that_swallows_base_exception_is_still_stopped():
    before = threading.active_count()
    q = FunctionExercise("square", lambda x: x * x, lambda rng: [((np.ones(3),), "ones")], hint="h",
                         solution="s", timeout=0.3)
    assert check(q, swallows_everything).status == "wrong"
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and any(t.name == "lecture-utils-answer" and t.is_alive()
                                                  for t in threading.enumerate()):
        time.sleep(0.1)
    assert not any(t.name == "lecture-utils-answer" and t.is_alive() for t in threading.enumerate())
    assert threading.active_count() <= before + 1
    assert check(nb01.q2_relu, lambda z: np.maximum(z, 0.0)).correct  # the interpreter is fine after it


def one_line_busy_loop(z):
    while True: pass  # noqa: E701 - one line: the loop makes no line events to stop it at


def answer_threads_alive():
    return any(t.name == "lecture-utils-answer" and t.is_alive() for t in threading.enumerate())


def test_a_one_line_busy_loop_is_stopped_too():
    q = FunctionExercise("square", lambda x: x * x, lambda rng: [((np.ones(3),), "ones")], hint="h",
                         solution="s", timeout=0.3, dtype_variants=False)
    assert check(q, one_line_busy_loop).status == "wrong"
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and answer_threads_alive():
        time.sleep(0.05)
    assert not answer_threads_alive()  # no CPU left burning in the background


def test_a_call_that_holds_the_gil_past_the_limit_is_reported_as_too_slow():
    q = FunctionExercise("square", lambda x: x * x, lambda rng: [((np.ones(3),), "ones")], hint="h",
                         solution="s", timeout=0.02, dtype_variants=False)

    def holds_the_gil(x):
        sum(range(3 * 10**7))  # one C call: nothing can interrupt it until it returns
        return x * x

    r = check(q, holds_the_gil)
    assert r.status == "wrong" and "longer than" in r.message


def test_long_numpy_work_returns_within_about_the_limit():
    q = FunctionExercise("square", lambda x: x * x, lambda rng: [((np.ones(3),), "ones")], hint="h",
                         solution="s", timeout=0.5, dtype_variants=False)
    big = np.ones((2500, 2500))

    def heavy(x):
        for _ in range(200):  # many matrix products: each one releases the GIL
            big @ big
        return x * x

    start = time.perf_counter()
    r = check(q, heavy)
    elapsed = time.perf_counter() - start
    assert r.status == "wrong" and "longer than 0.5 s" in r.message
    assert elapsed < 15, elapsed  # the work itself takes minutes


def test_an_import_inside_the_answer_is_not_timed(tmp_path, monkeypatch):
    (tmp_path / "slow_module_for_checkers.py").write_text("import time\ntime.sleep(1.5)\nVALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    q = FunctionExercise("square", lambda x: x * x, lambda rng: [((np.ones(3),), "ones")], hint="h",
                         solution="s", timeout=0.5)

    def answer(x):
        import slow_module_for_checkers
        return x ** slow_module_for_checkers.VALUE

    r = check(q, answer)
    monkeypatch.delitem(sys.modules, "slow_module_for_checkers", raising=False)
    assert r.correct, r.message


# -- 6. the checker cannot be patched from the notebook -----------------------------------------------

NAMES = ["allclose", "isclose", "array_equal", "all", "any", "abs", "isnan", "isinf", "isfinite", "asarray",
         "argmax", "argwhere", "where", "max", "errstate"]


@pytest.mark.parametrize("q", [nb01.q2_relu, nb05.q2_stable_softmax, nb07.q1_dense_backward], ids=ids)
def test_patching_numpy_inside_an_answer_changes_nothing(q):
    saved = {n: getattr(np, n) for n in NAMES}
    saved_testing = np.testing.assert_allclose

    def cheat(*args):
        for n in NAMES:
            setattr(np, n, lambda *a, **k: True)
        np.testing.assert_allclose = lambda *a, **k: None
        return np.zeros(7) if q.outputs is None else (np.zeros(1),) * len(q.outputs)

    try:
        r = check(q, cheat)
    finally:
        for n, f in saved.items():
            setattr(np, n, f)
        np.testing.assert_allclose = saved_testing
    assert r.status == "wrong", r.message


@pytest.mark.parametrize("q, func", [(nb01.q2_relu, lu.relu), (nb05.q2_stable_softmax, lu.softmax),
                                     (nb05.q3_log_softmax, lu.log_softmax), (nb02.q2_dense_layer, lu.dense),
                                     (nb06.q3_stable_ce, lu.cross_entropy_from_logits)], ids=lambda v: getattr(v, "__name__", ""))
def test_the_library_function_is_not_an_answer(q, func):
    name = func.__name__
    r = check(q, func)
    assert r.status == "wrong" and f"lecture_utils' `{name}`" in r.message and "write your own" in r.message
    r = check(q, functools.partial(func))
    assert r.status == "wrong" and "lecture_utils" in r.message
    if q is not nb02.q2_dense_layer and q is not nb06.q3_stable_ce:
        r = check(q, lambda z: func(z))  # a wrapper calls it: found by behaviour
        assert r.status == "wrong" and f"`{name}`" in r.message, r.message


def test_the_reference_is_not_a_public_attribute():
    for q in FUNCTIONS:
        assert not hasattr(q, "reference")
        assert "solution" not in [a for a in vars(q) if not a.startswith("_")]


# -- 7. messages tell the truth --------------------------------------------------------------------

def test_close_numbers_are_shown_with_enough_digits():
    msg = compare_arrays([0.18314237], np.array([0.18314181]), 1e-7, 1e-12)
    assert "0.1831424" in msg and "0.1831418" in msg and "off by" in msg and "allowed" in msg


def test_a_wrong_arity_is_told_the_signature():
    r = check(nb05.q2_stable_softmax, lambda z, axis: z)
    assert r.status == "wrong" and "my_softmax(z)" in r.message and "_core" not in r.message
    r = check(nb02.q2_dense_layer, lambda X, W: X @ W)
    assert "my_dense(X, W, b)" in r.message and "(X, W)" in r.message
    r = check(nb07.q1_dense_backward, lambda dZ, A_prev, W, extra: None)
    assert "my_dense_backward(dZ, A_prev, W)" in r.message


def test_a_raised_error_points_at_the_answers_line_not_the_checkers():
    def my_softmax(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1)[:, :, None]

    r = check(nb05.q2_stable_softmax, my_softmax)
    assert r.status == "wrong" and "IndexError" in r.message and "line" in r.message
    assert "_core.py" not in r.message and "e.sum(axis=-1)" in r.message


@pytest.mark.parametrize("q", CHOICES, ids=ids)
def test_an_empty_choice_says_choose_at_least_one_without_the_answer(q):
    for empty in (set(), [], "", " , ", {}):
        r = check(q, empty)
        assert r.status == "wrong" and "choose at least one" in r.message
        assert not any(f"{opt} is missing" in r.message for opt in q.correct)


def test_graded_mode_does_not_name_the_missing_options(monkeypatch):
    monkeypatch.setenv("LECTURE_UTILS_GRADED", "1")
    r = check(nb01.q3_which_are_linear, {"A"})
    assert r.status == "wrong" and "3 right options are missing" in r.message
    assert "B is missing" not in r.message


@pytest.mark.parametrize("q", ALL, ids=ids)
def test_hint_arguments_never_raise(q, capsys):
    k = len(q._hints)
    for n in (None, "x", float("nan"), 2.5, -1, 0, True, [1], k + 1, 10 ** 9, "2"):
        text = q.hint(n)
        assert isinstance(text, str) and text
    out = capsys.readouterr().out
    assert ("one hint" if k == 1 else f"{k} hints") in out
    if k == 1:
        assert "this exercise has one hint" in (q.hint(2) and capsys.readouterr().out)


# -- 8. hints and solutions display once, readably --------------------------------------------------

@pytest.mark.parametrize("q", ALL, ids=ids)
def test_hints_and_solutions_are_shown_once(q, capsys):
    for show in (q.hint, q.solution):
        text = show()
        assert capsys.readouterr().out.count("**") >= 2
        text._ipython_display_()  # as the last value of a cell: not shown a second time
        assert capsys.readouterr().out == ""


@pytest.mark.parametrize("q", ALL, ids=ids)
def test_solutions_render_code_as_code_and_prose_as_prose(q, capsys):
    q.solution()
    out = capsys.readouterr().out
    assert out.count("```python") <= 1
    body = out.split("\n", 2)[2] if out.count("\n") >= 2 else out
    if "```python" in out:
        assert body.count("```") == 2  # one fence, not nested
    else:
        assert "def " not in body.split("```")[0] or "```" in body


LIBRARY_NAMES = {n for mod in ("activations", "forward_pass", "softmax", "losses", "backprop", "training",
                               "approximation", "shapes", "nonlinearity")
                 for n in getattr(__import__(f"lecture_utils.{mod}", fromlist=["x"]), "__all__", [])} | set(lu.__all__)


@pytest.mark.parametrize("q", FUNCTIONS, ids=ids)
def test_model_solutions_do_not_shadow_library_functions(q):
    scope = {"np": np, "softmax": lu.softmax, "one_hot": lu.one_hot, "sigmoid": lu.sigmoid}
    exec(textwrap.dedent(q._solution), scope)
    defined = [k for k, v in scope.items() if callable(v) and k not in ("np", "softmax", "one_hot", "sigmoid")
               and not k.startswith("__")]
    assert defined and not set(defined) & LIBRARY_NAMES, defined
    r = check(q, scope[defined[0]])
    assert r.correct, r.message


# -- 9. progress ---------------------------------------------------------------------------------

def test_progress_shows_every_imported_notebook(capsys):
    from lecture_utils.exercises import progress
    table = progress()
    numbers = {row["notebook"] for row in table.rows}
    assert {"00", "01", "02", "03", "04", "05", "06", "07"} <= numbers
    assert len(table.rows) >= len(ALL)
