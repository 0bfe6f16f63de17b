"""dense, forward, collapse_linear and init_layers against explicit loops and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lecture_utils import ForwardResult, collapse_linear, dense, forward, init_layers, relu

pytestmark = pytest.mark.filterwarnings("error")
FAST = settings(max_examples=40, deadline=None)
vals = st.floats(-10, 10, allow_nan=False)


@st.composite
def layer_stack(draw, max_layers=4):
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=max_layers + 1))
    layers = [(draw(hnp.arrays(np.float64, (a, b), elements=vals)),
               draw(hnp.arrays(np.float64, (b,), elements=vals)))
              for a, b in zip(sizes[:-1], sizes[1:])]
    X = draw(hnp.arrays(np.float64, (draw(st.integers(1, 4)), sizes[0]), elements=vals))
    return X, layers


@given(layer_stack(max_layers=1))
@FAST
def test_dense_matches_explicit_loop(case):
    X, [(W, b)] = case
    Z = dense(X, W, b)
    n, d = X.shape
    h = W.shape[1]
    ref = np.zeros((n, h))
    for i in range(n):
        for j in range(h):
            ref[i, j] = sum(X[i, k] * W[k, j] for k in range(d)) + b[j]
    assert Z.shape == (n, h) and Z.dtype == np.float64
    np.testing.assert_allclose(Z, ref, rtol=1e-12, atol=1e-10)


@given(layer_stack())
@FAST
def test_collapse_linear_reproduces_identity_forward(case):
    X, layers = case
    W, b = collapse_linear(layers)
    out = forward(X, layers, activation="identity").output
    assert W.shape == (X.shape[1], layers[-1][0].shape[1]) and b.shape == (W.shape[1],)
    scale = 1.0 + np.max(np.abs(out))
    np.testing.assert_allclose(X @ W + b, out, rtol=1e-9, atol=1e-9 * scale)


def test_forward_keeps_every_layer():
    rng = np.random.default_rng(0)
    layers = init_layers([4, 8, 3], rng)
    X = rng.normal(size=(5, 4))
    res = forward(X, layers, activation="relu")
    assert isinstance(res, ForwardResult)
    assert [z.shape for z in res.pre_activations] == [(5, 8), (5, 3)]
    np.testing.assert_allclose(res.activations[0], relu(X @ layers[0][0] + layers[0][1]))
    np.testing.assert_allclose(res.output, res.activations[0] @ layers[1][0] + layers[1][1])
    assert res.activation_names == ["relu", "identity"]
    table = res.shape_table(layers)
    assert table[0]["W"] == (4, 8) and table[1]["Z"] == (5, 3) and table[1]["input"] == (5, 8)
    single = forward(X, layers[0], activation="tanh", output_activation="sigmoid")
    assert single.activation_names == ["sigmoid"]


def test_lists_ints_and_bias_row_accepted():
    Z = dense([[1, 2]], [[1, 0], [0, 1]], [[10, 20]])  # b of shape (1, h) is fine
    assert Z.tolist() == [[11.0, 22.0]] and Z.dtype == np.float64


def test_dense_suggests_transpose():
    with pytest.raises(ValueError) as err:
        dense(np.ones((200, 4)), np.ones((5, 4)), np.zeros(4))
    msg = str(err.value)
    assert "(200, 4)" in msg and "(5, 4)" in msg and "4 columns of X" in msg and "W.T" in msg
    with pytest.raises(ValueError, match=r"X\.T"):
        dense(np.ones((4, 200)), np.ones((4, 5)), np.zeros(5))


def test_forward_names_the_layer_and_collapse_the_chain():
    layers = [(np.ones((2, 3)), np.zeros(3)), (np.ones((2, 1)), np.zeros(1))]
    with pytest.raises(ValueError, match="layer 2 of 2"):
        forward(np.ones((3, 2)), layers)
    with pytest.raises(ValueError, match="layer 2 does not chain"):
        collapse_linear(layers)


def test_overflow_is_an_error_not_inf_or_nan():
    with pytest.raises(ValueError, match="overflowed"):
        dense([[1e308, 1e308]], [[1e308], [-1e308]], [0.0])  # inf − inf would be NaN
    with pytest.raises(ValueError, match="overflowed"):
        collapse_linear([(np.full((1, 1), 1e200), np.zeros(1)), (np.full((1, 1), 1e200), np.zeros(1))])


def test_inputs_never_modified():
    rng = np.random.default_rng(1)
    X, W, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2)
    for a in (X, W, b):
        a.setflags(write=False)
    copies = [a.copy() for a in (X, W, b)]
    Z = dense(X, W, b)
    res = forward(X, [(W, b)])
    Wc, bc = collapse_linear([(W, b)])
    Wc[...] = 0.0
    bc[...] = 0.0
    res.X[...] = 0.0  # ForwardResult holds copies
    for a, c in zip((X, W, b), copies):
        np.testing.assert_array_equal(a, c)
    assert not np.shares_memory(Z, X)


def test_init_layers():
    rng = np.random.default_rng(0)
    layers = init_layers([300, 200, 10], rng)
    assert [(W.shape, b.shape) for W, b in layers] == [((300, 200), (200,)), ((200, 10), (10,))]
    assert np.std(layers[0][0]) == pytest.approx(np.sqrt(2 / 300), rel=0.05)
    assert np.std(init_layers([300, 5], rng, scale="xavier")[0][0]) == pytest.approx(np.sqrt(1 / 300), rel=0.1)
    assert np.all(layers[1][1] == 0)
    a = init_layers([3, 2], np.random.default_rng(5))
    b = init_layers([3, 2], np.random.default_rng(5))
    np.testing.assert_array_equal(a[0][0], b[0][0])
    with pytest.raises(TypeError, match="default_rng"):
        init_layers([3, 2], 0)
    with pytest.raises(ValueError, match="sizes"):
        init_layers([3], rng)
    with pytest.raises(ValueError, match="sizes"):
        init_layers([3, True], rng)
    with pytest.raises(ValueError, match="scale"):
        init_layers([3, 2], rng, scale="huge")


def test_w_transposed_with_a_matching_bias_still_suggests_w_t():
    """dense(X, W.T, b) with b sized for the intended W: the X–W rule is reported first."""
    import numpy as np
    import pytest

    from lecture_utils import dense

    with pytest.raises(ValueError, match=r"W\.T"):
        dense(np.ones((200, 4)), np.ones((5, 4)), np.zeros(5))
