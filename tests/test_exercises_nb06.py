"""Every nb06 checker: the reference passes, the placeholder is "not attempted", plausible
wrong answers fail with a useful reason, and a function that raises is reported, not raised."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import one_hot, softmax
from lecture_utils.exercises import ___
from lecture_utils.exercises.nb06 import (BATCH_LABELS, BATCH_P, BINARY_P_HAT, q1_batch_ce,
                                          q2_k2_probabilities, q3_stable_ce, q4_ce_gradient)

ALL = [q1_batch_ce, q2_k2_probabilities, q3_stable_ce, q4_ce_gradient]


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.name)
def test_placeholder_is_not_attempted(q):
    assert q.check(___, show=False).status == "not attempted"
    assert q.check(None, show=False).status == "not attempted"


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.name)
def test_hint_and_solution_are_text(q, capsys):
    assert isinstance(q.hint(), str) and isinstance(q.hint(5), str)
    assert "np." in q.solution() or "softmax" in q.solution()


# -- q1 ----------------------------------------------------------------------------------------

def test_q1_right_answer():
    picked = BATCH_P[np.arange(4), BATCH_LABELS]
    assert q1_batch_ce.check(-np.mean(np.log(picked)), show=False)
    assert q1_batch_ce.check(round(float(-np.mean(np.log(picked))), 4), show=False)


@pytest.mark.parametrize("wrong, reason", [
    (lambda picked: float(np.mean(np.log(picked))), "sign"),                      # the notes' slip
    (lambda picked: float(-np.sum(np.log(picked))), "mean"),
    (lambda picked: float(-np.mean(np.log10(picked))), "base 10"),
    (lambda picked: float(-np.mean(np.log(BATCH_P.max(axis=1)))), "TRUE class"),
    (lambda picked: float(-np.sum(np.log(picked)) / 12), "n·K"),
    (lambda picked: 0.0, "not the expected"),
])
def test_q1_wrong_answers(wrong, reason):
    picked = BATCH_P[np.arange(4), BATCH_LABELS]
    result = q1_batch_ce.check(wrong(picked), show=False)
    assert result.status == "wrong" and reason in result.message


def test_q1_rejects_an_array():
    assert "single number" in q1_batch_ce.check(np.ones(4), show=False).message


# -- q2 ----------------------------------------------------------------------------------------

def test_q2_right_answer_reports_equal_losses():
    result = q2_k2_probabilities.check(np.column_stack([1 - BINARY_P_HAT, BINARY_P_HAT]), show=False)
    assert result and "= binary CE" in result.message


@pytest.mark.parametrize("wrong, reason", [
    (np.column_stack([BINARY_P_HAT, 1 - BINARY_P_HAT]), "swapped"),
    (np.vstack([1 - BINARY_P_HAT, BINARY_P_HAT]), "transposed"),
    (BINARY_P_HAT, "shape"),
    (np.full((5, 2), 0.5), "differs"),
    ("p_hat", "array of numbers"),
])
def test_q2_wrong_answers(wrong, reason):
    result = q2_k2_probabilities.check(wrong, show=False)
    assert result.status == "wrong" and reason in result.message


# -- q3 ----------------------------------------------------------------------------------------

def stable_ce(y, logits):
    Z = np.asarray(logits, dtype=float)
    Y = np.eye(Z.shape[1])[y] if np.ndim(y) == 1 else np.asarray(y, dtype=float)
    m = Z.max(axis=1, keepdims=True)
    logp = (Z - m) - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(Y * logp, axis=1))


def log_of_softmax(y, logits):
    Z = np.asarray(logits, dtype=float)
    Y = np.eye(Z.shape[1])[y] if np.ndim(y) == 1 else np.asarray(y, dtype=float)
    return -np.mean(np.sum(Y * np.log(softmax(Z, axis=1)), axis=1))


def picked_log_of_softmax(y, logits):  # labels only, log of a rounded 0 → inf
    Z = np.asarray(logits, dtype=float)
    labels = np.argmax(y, axis=1) if np.ndim(y) == 2 else y
    return -np.mean(np.log(softmax(Z, axis=1)[np.arange(len(Z)), labels]))


def no_max_shift(y, logits):
    Z = np.asarray(logits, dtype=float)
    Y = np.eye(Z.shape[1])[y] if np.ndim(y) == 1 else np.asarray(y, dtype=float)
    logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(Y * logp, axis=1))


def labels_only(y, logits):
    Z = np.asarray(logits, dtype=float)
    m = Z.max(axis=1, keepdims=True)
    logp = (Z - m) - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(Z)), y])


def test_q3_reference_passes():
    assert q3_stable_ce.check(stable_ce, show=False)


@pytest.mark.parametrize("wrong, reason", [
    (log_of_softmax, "log-softmax directly"),
    (picked_log_of_softmax, "log-softmax directly"),
    (no_max_shift, "±1000"),
    (lambda y, logits: -stable_ce(y, logits), "differs"),                      # missing minus
    (lambda y, logits: stable_ce(y, logits) * len(logits), "differs"),         # sum, not mean
    (lambda y, logits: 1.0, "differs"),                                         # a constant
    (lambda y, logits: -np.sum(np.eye(np.shape(logits)[1])[y] * logits, axis=1) if np.ndim(y) == 1 else 0,
     "Return one number"),                                                     # per-example array
    (labels_only, "one-hot"),
    (lambda y, logits: stable_ce(logits, y), "raised"),                        # arguments swapped
    ("stable_ce", "expected a function"),
])
def test_q3_wrong_answers(wrong, reason):
    result = q3_stable_ce.check(wrong, show=False)
    assert result.status == "wrong", result.message
    assert reason in result.message, result.message


def test_q3_function_that_raises_or_is_unfinished():
    def boom(y, logits):
        raise RuntimeError("oops")

    def unfinished(y, logits):
        raise NotImplementedError

    assert "RuntimeError: oops" in q3_stable_ce.check(boom, show=False).message
    assert q3_stable_ce.check(unfinished, show=False).status == "not attempted"
    assert q3_stable_ce.check(lambda y, logits: ___, show=False).status == "not attempted"


# -- q4 ----------------------------------------------------------------------------------------

def ce_gradient(y, logits):
    n, K = logits.shape
    return (softmax(logits, axis=1) - one_hot(y, K)) / n


@pytest.mark.parametrize("wrong", [
    lambda y, Z: softmax(Z, axis=1) - one_hot(y, Z.shape[1]),                    # no 1/n
    lambda y, Z: (one_hot(y, Z.shape[1]) - softmax(Z, axis=1)) / len(Z),         # sign
    lambda y, Z: np.zeros_like(Z),                                                # a constant
    lambda y, Z: ((softmax(Z, axis=1) - one_hot(y, Z.shape[1])) / len(Z)).T,     # transposed
    lambda y, Z: (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - one_hot(y, Z.shape[1])) / len(Z),
])
def test_q4(wrong):
    assert q4_ce_gradient.check(ce_gradient, show=False)
    assert q4_ce_gradient.check(wrong, show=False).status == "wrong"


def test_q4_untouched_and_raising():
    assert q4_ce_gradient.check(lambda y, Z: ___, show=False).status == "not attempted"

    def boom(y, logits):
        return logits[5, 5]  # IndexError on a (2, 3) input

    result = q4_ce_gradient.check(boom, show=False)
    assert result.status == "wrong" and "IndexError" in result.message


# -- q5, q6: derive, then implement ∂BCE/∂z ---------------------------------------------------

from scipy.special import expit  # noqa: E402

from lecture_utils.exercises.nb06 import q5_dloss_dp, q6_bce_grad  # noqa: E402


def test_q5_right():
    assert q5_dloss_dp.check(lambda y, p: -y / p + (1 - y) / (1 - p), show=False).correct
    assert q5_dloss_dp.check(lambda y, p: (p - y) / (p * (1 - p)), show=False).correct   # same, combined


@pytest.mark.parametrize("wrong, reason", [
    (lambda y, p: y / p - (1 - y) / (1 - p), "sign is flipped"),
    (lambda y, p: -y / p, "only the y term"),
    (lambda y, p: p - y, "with respect to the logit z"),
    (lambda y, p: np.zeros_like(p), "differs"),
    (lambda y, p: -(y / p + (1 - y) / (1 - p)), "sign is flipped"),   # of the (1 − y) term
    (lambda y, p: np.sum(-y / p + (1 - y) / (1 - p)), "shape"),
    (lambda y, p: y[5], "raised IndexError"),
    ("-y/p + (1-y)/(1-p)", "expected a function"),
])
def test_q5_wrong(wrong, reason):
    res = q5_dloss_dp.check(wrong, show=False)
    assert res.status == "wrong" and reason in res.message, res.message


def test_q6_right_even_at_800():
    assert q6_bce_grad.check(lambda y, z: expit(z) - y, show=False).correct
    ns: dict = {"np": np}
    exec(q6_bce_grad.solution(), ns)
    assert q6_bce_grad.check(ns["bce_grad"], show=False).correct
    exec(q5_dloss_dp.solution(), ns)
    assert q5_dloss_dp.check(ns["dloss_dp"], show=False).correct


def chained(y, z):  # the chain rule multiplied, not simplified: 0 · ∞ once σ(z) rounds to 1
    p = 1 / (1 + np.exp(-z))
    return (-y / p + (1 - y) / (1 - p)) * p * (1 - p)


@pytest.mark.parametrize("wrong, reason", [
    (chained, "Multiply it out by hand"),
    (lambda y, z: y - expit(z), "sign is flipped"),
    (lambda y, z: expit(z) * (1 - expit(z)) * (expit(z) - y), "squared-error gradient"),
    (lambda y, z: expit(z) * (1 - expit(z)), "dp̂/dz"),
    (lambda y, z: np.where(y == 1, expit(z) - 1, expit(z)), "soft labels"),   # ignores soft labels
    (lambda y, z: z - y, "differs"),
    (lambda y, z: float(expit(z[0]) - y[0]), "shape"),
    (lambda y, z: undefined_name, "raised NameError"),  # noqa: F821
])
def test_q6_wrong(wrong, reason):
    res = q6_bce_grad.check(wrong, show=False)
    assert res.status == "wrong" and reason in res.message, res.message


@pytest.mark.parametrize("q", [q5_dloss_dp, q6_bce_grad])
def test_q5_untouched(q):
    assert q.check(___, show=False).status == "not attempted"
    assert q.check(lambda y, x: ___, show=False).status == "not attempted"
    assert q.hint(2) and q.solution()
