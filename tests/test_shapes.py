"""lecture_utils.shapes: shape tables, broadcasting text, loop vs batch."""
import numpy as np
import pytest

from lecture_utils import forward, init_layers
from lecture_utils.shapes import (count_parameters, dense_latex, describe_broadcast, format_shape_table,
                                  forward_loop, forward_one_example, layer_shapes, minibatches)


def test_layer_shapes_lecture_example():
    (row,) = layer_shapes(200, [4, 5])
    assert row == {"layer": 1, "input": (200, 4), "W": (4, 5), "b": (5,), "b broadcast to": (200, 5),
                   "output": (200, 5)}
    rows = layer_shapes(32, [784, 128, 64, 10])
    assert [r["output"] for r in rows] == [(32, 128), (32, 64), (32, 10)]
    # each layer's input is the previous output
    assert all(a["output"] == b["input"] for a, b in zip(rows, rows[1:]))


def test_layer_shapes_agree_with_real_arrays():
    rng = np.random.default_rng(0)
    layers = init_layers([4, 6, 3], rng)
    res = forward(rng.normal(size=(17, 4)), layers)
    for row, real in zip(layer_shapes(17, [4, 6, 3]), res.shape_table(layers)):
        assert row["input"] == real["input"] and row["output"] == real["A"] and row["W"] == real["W"]


@pytest.mark.parametrize("n,widths", [(0, [4, 5]), (10, [4]), (10, [4, 0])])
def test_layer_shapes_bad_input(n, widths):
    with pytest.raises(ValueError):
        layer_shapes(n, widths)


def test_format_table_and_broadcast_text():
    text = format_shape_table(layer_shapes(200, [4, 5, 3]))
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["layer", "input"] and len(lines) == 3
    assert "(200, 3)" in lines[2] and not any(line.endswith(" ") for line in lines)
    assert format_shape_table([]) == "(no layers)"
    assert "(200, 5)" in describe_broadcast(200, 5) and "(5,)" in describe_broadcast(200, 5)


def test_one_example_and_loop_agree_with_batch():
    rng = np.random.default_rng(1)
    layers = [(rng.normal(size=(4, 5)), rng.normal(size=5)), (rng.normal(size=(5, 3)), rng.normal(size=3))]
    X = rng.normal(size=(30, 4))
    batch = forward(X, layers, activation="tanh").output
    steps = forward_one_example(X[3], layers, "tanh")
    assert steps[0]["z"].shape == (5,) and np.allclose(steps[0]["a"], np.tanh(steps[0]["z"]))
    assert np.allclose(steps[-1]["a"], batch[3])
    assert np.allclose(forward_loop(X, layers, "tanh"), batch)
    with pytest.raises(ValueError, match="rows"):
        forward_one_example(np.ones(3), layers)


def test_minibatches_cover_epoch_once():
    s = minibatches(200, 32)
    assert len(s) == 7 and [x.stop - x.start for x in s][-1] == 8
    covered = np.concatenate([np.arange(200)[x] for x in s])
    assert np.array_equal(covered, np.arange(200))
    with pytest.raises(ValueError):
        minibatches(10, 0)


def test_broadcast_text_never_needs_wrapping():
    """02 prints it: a line a notebook wraps can break inside a number ("the 20 / 0 rows")."""
    for n, h in ((200, 5), (100000, 512)):
        assert all(len(line) <= 80 for line in describe_broadcast(n, h).splitlines())


def test_count_parameters_by_hand_and_against_real_arrays():
    rows = count_parameters([784, 128, 64, 10])
    assert [r["parameters"] for r in rows] == [784 * 128 + 128, 128 * 64 + 64, 64 * 10 + 10]
    assert sum(r["parameters"] for r in rows) == 109386
    layers = init_layers([4, 5, 3], np.random.default_rng(0))
    for row, (W, b) in zip(count_parameters([4, 5, 3]), layers):
        assert row["weights"] == W.size and row["biases"] == b.size and row["parameters"] == W.size + b.size
        assert row["W"] == W.shape and row["b"] == b.shape
    assert format_shape_table(count_parameters([4, 5])).splitlines()[1].split()[-1] == "25"
    with pytest.raises(ValueError, match="widths"):
        count_parameters([4])


def _pmatrices(latex):
    import re

    blocks = re.findall(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", latex)
    return [np.array([[float(v) for v in row.split("&")] for row in block.split(r"\\")]) for block in blocks]


def test_dense_latex_writes_out_the_product():
    X = np.array([[1.0, 0.0], [1.0, 1.0]])
    W = np.array([[1.5, -2.0, 0.5], [1.0, 1.5, -2.0]])
    b = np.full(3, 0.5)
    latex = dense_latex(X, W, b, names=("X", "W_1", "b_1", "Z_1"))
    got_X, got_W, got_b, got_Z = _pmatrices(latex)
    np.testing.assert_array_equal(got_X, X)
    np.testing.assert_array_equal(got_W, W)
    np.testing.assert_array_equal(got_b, b[None, :])
    np.testing.assert_allclose(got_Z, X @ W + b)
    assert "W_1\\ (2 \\times 3)" in latex and "b_1\\ (3,)" in latex and " + " in latex
    no_bias = dense_latex(np.tanh(X @ W + b), np.array([[2.0], [-1.5], [1.5]]), decimals=3)
    A, W2, N4 = _pmatrices(no_bias)
    assert " + " not in no_bias and N4.shape == (2, 1)
    np.testing.assert_allclose(A, np.round(np.tanh(X @ W + b), 3))
    np.testing.assert_allclose(N4, np.round(np.tanh(X @ W + b) @ [[2.0], [-1.5], [1.5]], 3))
    assert "-0" not in dense_latex(np.array([[-1e-9]]), np.ones((1, 1)))


@pytest.mark.parametrize("call, exc, words", [
    (lambda: dense_latex(np.ones((2, 4)), np.ones((5, 4))), ValueError, ["(2, 4)", "(5, 4)", "W.T"]),
    (lambda: dense_latex(np.ones((20, 2)), np.ones((2, 3))), ValueError, ["10", "(20, 2)"]),
    (lambda: dense_latex(np.ones((2, 2)), np.ones((2, 2)), names="XWbZ"), TypeError, ["names"]),
    (lambda: dense_latex(np.ones((2, 2)), np.ones((2, 2)), decimals=-1), ValueError, ["decimals"]),
    (lambda: dense_latex(np.ones((2, 2)), np.ones((2, 2)), b=np.ones(3)), ValueError, ["b", "(3,)"]),
])
def test_dense_latex_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert all(w in str(info.value) for w in words), str(info.value)
