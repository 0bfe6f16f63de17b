"""Every nb02 exercise: right, several wrong (incl. a constant and a transposed shape),
untouched, and a function that raises."""
import numpy as np

from lecture_utils.exercises import ___
from lecture_utils.exercises.nb02 import (loop_forward, steps_per_example, q1_layer_shapes, q2_dense_layer,
                                          q3_no_loop, q4_count_multiplications)


def status(q, answer):
    return q.check(answer, show=False).status


def boom(*args):
    raise RuntimeError("boom")


def test_q1_layer_shapes():
    assert status(q1_layer_shapes, [(32, 128), (32, 64), (32, 10)]) == "correct"
    assert status(q1_layer_shapes, np.array([[32, 128], [32, 64], [32, 10]])) == "correct"
    assert status(q1_layer_shapes, ___) == "not attempted"
    wrong = [[(128, 32), (64, 32), (10, 32)], [(32, 784), (32, 128), (32, 64)],
             [(32, 10)], [(0, 0)] * 3, [(784, 128), (128, 64), (64, 10)], "32x128", 7, boom]
    for answer in wrong:
        assert status(q1_layer_shapes, answer) == "wrong", answer
    assert "transposed" in q1_layer_shapes.check([(128, 32), (64, 32), (10, 32)], show=False).message


def test_q2_dense_layer():
    assert status(q2_dense_layer, lambda X, W, b: X @ W + b) == "correct"
    assert status(q2_dense_layer, lambda X, W, b: np.dot(X, W) + b[None, :]) == "correct"
    assert status(q2_dense_layer, ___) == "not attempted"
    assert status(q2_dense_layer, lambda X, W, b: ___) == "not attempted"
    wrong = [lambda X, W, b: X @ W, lambda X, W, b: (X @ W + b).T, lambda X, W, b: np.zeros((len(X), W.shape[1])),
             lambda X, W, b: W.T @ X.T + b, lambda X, W, b: X @ W - b, lambda X, W, b: 1.0, boom]
    for f in wrong:
        assert status(q2_dense_layer, f) == "wrong"
    assert "transposed" in q2_dense_layer.check(lambda X, W, b: (X @ W + b).T, show=False).message


def fast(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, 0.0) @ W2 + b2


def comprehension(X, W1, b1, W2, b2):
    return np.array([np.maximum(x @ W1 + b1, 0) @ W2 + b2 for x in X])


def test_q3_no_loop():
    assert status(q3_no_loop, fast) == "correct"
    assert status(q3_no_loop, ___) == "not attempted"
    assert status(q3_no_loop, loop_forward) == "wrong"     # right values, still loops
    assert status(q3_no_loop, comprehension) == "wrong"
    assert steps_per_example(fast)[0] == 0 and steps_per_example(loop_forward)[0] >= 1
    wrong = [lambda X, W1, b1, W2, b2: (X @ W1 + b1) @ W2 + b2,            # no ReLU
             lambda X, W1, b1, W2, b2: (np.maximum(X @ W1 + b1, 0) @ W2 + b2).T,
             lambda X, W1, b1, W2, b2: np.zeros((len(X), W2.shape[1])), boom]
    for f in wrong:
        assert status(q3_no_loop, f) == "wrong"


def test_q4_count_multiplications():
    assert status(q4_count_multiplications, 4000) == "correct"
    assert status(q4_count_multiplications, ___) == "not attempted"
    for wrong in (1000, 20, 800, 0, -4000, (200, 5), boom):
        assert status(q4_count_multiplications, wrong) == "wrong"
    assert "outputs" in q4_count_multiplications.check(1000, show=False).message


# -- q5 (the parameter-count section) ----------------------------------------------------------
def test_q5_count_parameters():
    from lecture_utils.exercises.nb02 import q5_count_parameters as q5
    from lecture_utils.shapes import count_parameters

    right = sum(r["parameters"] for r in count_parameters([784, 128, 64, 10]))
    assert right == 109386 and status(q5, right) == "correct" and status(q5, np.int64(right)) == "correct"
    for wrong, why in ((109184, "weights only"), (202, "biases only"), (32 * 109386, "batch size"),
                       (986, "connections"), (109387, ""), (-109386, ""), ("109386", ""), ([109386], "")):
        result = q5.check(wrong, show=False)
        assert result.status == "wrong" and why in result.message, wrong
    assert status(q5, ___) == "not attempted"
    assert q5.hint() and "109386" in q5.solution()
