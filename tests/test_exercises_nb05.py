"""Every 05_softmax exercise: the right answer passes, plausible wrong ones fail with a useful
reason, the untouched placeholder reports "not attempted", and code that raises is reported."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax as sp_log_softmax
from scipy.special import softmax as sp_softmax

from lecture_utils.exercises import ___
from lecture_utils.exercises.nb05 import (SCORES_BY_HAND, q1_softmax_by_hand, q2_stable_softmax,
                                          q3_log_softmax, q4_temperature)


def status(q, answer):
    return q.check(answer, show=False)


# -- q1: softmax by hand ---------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [[0.66, 0.24, 0.10], np.array([0.659, 0.242, 0.099]),
                                    sp_softmax(SCORES_BY_HAND)])
def test_q1_right(answer):
    assert status(q1_softmax_by_hand, answer).correct


@pytest.mark.parametrize("answer, reason", [
    (np.array(SCORES_BY_HAND) / np.sum(SCORES_BY_HAND), "Exponentiate first"),
    (np.exp(SCORES_BY_HAND), "divide each by their sum"),
    (1 / (1 + np.exp(-np.array(SCORES_BY_HAND))), "sigmoids"),
    (sp_softmax(-np.array(SCORES_BY_HAND)), "sign"),
    ([1 / 3, 1 / 3, 1 / 3], "differs"),
    ([0.66, 0.24], "shape"),
    ([[0.66, 0.24, 0.10]], "shape"),
    (0.66, "shape"),
    ("0.66, 0.24, 0.10", "array of numbers"),
])
def test_q1_wrong(answer, reason):
    res = status(q1_softmax_by_hand, answer)
    assert res.status == "wrong" and reason in res.message, res.message


def test_q1_placeholder():
    assert status(q1_softmax_by_hand, ___).status == "not attempted"


# -- q2: stable softmax ----------------------------------------------------------------------------

def right_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def naive(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def min_shift(z):
    e = np.exp(z - z.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def no_keepdims(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


def global_max(z):  # one max over the whole batch: rows far below it underflow to 0/0
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def wrong_axis(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def only_1d(z):
    e = np.exp(z - max(z))
    return e / sum(e)


def constant(z):
    return np.full(np.shape(z), 1 / np.shape(z)[-1])


def raises(z):
    raise RuntimeError("boom")


def placeholder_body(z):
    return ___


def not_implemented(z):
    raise NotImplementedError


def test_q2_right():
    res = status(q2_stable_softmax, right_softmax)
    assert res.correct, res.message


@pytest.mark.parametrize("func, reason", [
    (naive, "NaN"), (min_shift, "NaN"), (no_keepdims, "broadcast"), (global_max, "NaN"),
    (wrong_axis, "differs"), (only_1d, "raised"), (constant, "differs"), (raises, "raised RuntimeError"),
    (lambda z: sp_softmax(z, axis=0), "differs"), (np.exp, "differs"),
])
def test_q2_wrong(func, reason):
    res = status(q2_stable_softmax, func)
    assert res.status == "wrong" and reason in res.message, res.message


def test_q2_checker_feeds_large_logits_and_batches():
    cases = q2_stable_softmax.cases(np.random.default_rng(0))
    arrays = [args[0] for args, _ in cases]
    assert any(np.max(np.abs(a)) >= 1000 for a in arrays)
    assert any(a.ndim == 2 for a in arrays) and any(a.ndim == 3 for a in arrays)


@pytest.mark.parametrize("answer", [___, placeholder_body, not_implemented])
def test_q2_not_attempted(answer):
    assert status(q2_stable_softmax, answer).status == "not attempted"


def test_q2_not_a_function():
    res = status(q2_stable_softmax, right_softmax(np.array([5.0, 4.0, 2.0])))
    assert res.status == "wrong" and "expected a function" in res.message


# -- q3: log-softmax -------------------------------------------------------------------------------

def right_log_softmax(z):
    z = np.asarray(z, dtype=float)
    s = z - z.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def log_of_softmax(z):
    return np.log(right_softmax(z))


def naive_log_softmax(z):
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def forgot_log_sum(z):
    return z - z.max(axis=-1, keepdims=True)


def test_q3_right():
    assert status(q3_log_softmax, right_log_softmax).correct
    assert status(q3_log_softmax, lambda z: sp_log_softmax(z, axis=-1)).correct


@pytest.mark.parametrize("func, reason", [
    (log_of_softmax, "never take np.log(softmax(z))"), (naive_log_softmax, "inf"),
    (forgot_log_sum, "differs"), (right_softmax, "differs"), (raises, "raised"),
])
def test_q3_wrong(func, reason):
    res = status(q3_log_softmax, func)
    assert res.status == "wrong" and reason in res.message, res.message


@pytest.mark.parametrize("answer", [___, placeholder_body, not_implemented])
def test_q3_not_attempted(answer):
    assert status(q3_log_softmax, answer).status == "not attempted"


# -- q4: temperature -------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [{"B", "D"}, "b, d", ["D", "B"], "B D"])
def test_q4_right(answer):
    assert status(q4_temperature, answer).correct


@pytest.mark.parametrize("answer, reason", [
    ({"A", "B", "D"}, "arg-max"), ({"B"}, "D is missing"), ({"B", "C", "D"}, "accuracy"),
    ("E", "unknown"), (3, "give the letters"),
])
def test_q4_wrong(answer, reason):
    res = status(q4_temperature, answer)
    assert res.status == "wrong" and reason in res.message, res.message


def test_q4_placeholder():
    assert status(q4_temperature, ___).status == "not attempted"


def test_hints_and_solutions_exist():
    for q in (q1_softmax_by_hand, q2_stable_softmax, q3_log_softmax, q4_temperature):
        assert q.hint() and q.solution()
    ns: dict = {"np": np}
    exec(q2_stable_softmax.solution(), ns)
    assert status(q2_stable_softmax, ns["my_softmax"]).correct
    exec(q3_log_softmax.solution(), ns)
    assert status(q3_log_softmax, ns["my_log_softmax"]).correct
    ns = {"np": np}
    exec(q1_softmax_by_hand.solution(), ns)
    assert status(q1_softmax_by_hand, ns["answer"]).correct


# -- q5: logits from probabilities -----------------------------------------------------------------

from lecture_utils.exercises.nb05 import q5_logits_from_probabilities  # noqa: E402


@pytest.mark.parametrize("func", [
    lambda P: np.log(P),
    lambda P: np.log(P) + 7.0,                                                  # any constant C
    lambda P: np.log(P) - np.log(P).max(axis=-1, keepdims=True),                # a C per row
    lambda P: np.log(np.asarray(P)) + np.arange(np.asarray(P)[..., :1].size).reshape(np.shape(P)[:-1] + (1,)),
])
def test_q5_right_for_any_constant(func):
    res = status(q5_logits_from_probabilities, func)
    assert res.correct, res.message
    assert sp_softmax(func(np.array([0.7, 0.2, 0.1]))) == pytest.approx([0.7, 0.2, 0.1])


@pytest.mark.parametrize("func, reason", [
    (lambda P: P, "probabilities themselves"),
    (lambda P: -np.log(P), "sign is flipped"),
    (lambda P: np.log10(P), "natural log"),
    (lambda P: np.log(P) - np.log(P).mean(axis=0), "same for every class of one row"),
    (lambda P: np.log(P) - np.log(P).mean(axis=-1, keepdims=True), "probability of exactly 0"),
    (lambda P: np.ones_like(P), "differs"),
    (lambda P: np.log(P)[..., :2], "shape"),
    (lambda P: np.log(P).T, "differs"),
    (lambda P: 1 / 0, "raised ZeroDivisionError"),
    (3, "expected a function"),
])
def test_q5_wrong(func, reason):
    res = status(q5_logits_from_probabilities, func)
    assert res.status == "wrong" and reason in res.message, res.message


@pytest.mark.parametrize("answer", [___, placeholder_body, not_implemented])
def test_q5_not_attempted(answer):
    assert status(q5_logits_from_probabilities, answer).status == "not attempted"


def test_q5_solution_passes():
    assert q5_logits_from_probabilities.hint(2)
    ns: dict = {"np": np}
    exec(q5_logits_from_probabilities.solution(), ns)
    assert status(q5_logits_from_probabilities, ns["my_logits"]).correct
