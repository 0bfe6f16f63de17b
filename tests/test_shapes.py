"""lecture_utils.shapes: shape tables, broadcasting text, loop vs batch."""
import numpy as np
import pytest

from lecture_utils import forward, init_layers
from lecture_utils.shapes import (describe_broadcast, format_shape_table, forward_loop,
                                  forward_one_example, layer_shapes, minibatches)


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
