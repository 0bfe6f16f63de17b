"""lecture_utils.nonlinearity against independent references (collapse_linear, direct sums)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lecture_utils import collapse_linear
from lecture_utils.nonlinearity import (DEFAULT_WEIGHTS, XOR_X, XOR_Y, best_linear_fit,
                                        collapse_lecture_network, hidden_activation,
                                        lecture_layers, lecture_network, linear_separability_scan,
                                        n4_expansion_latex, random_stack, stack_output,
                                        xor_network, xor_predict)

weights = st.lists(st.floats(-3, 3), min_size=9, max_size=9)


def direct_n4(x1, x2, w, b, f):
    """The lecture's formula written out neuron by neuron (independent of the matrix code)."""
    w1, w2, w3, w4, w5, w6, w7, w8, w9 = w
    return w7 * f(w1 * x1 + w4 * x2 + b) + w8 * f(w2 * x1 + w5 * x2 + b) + w9 * f(w3 * x1 + w6 * x2 + b)


@given(weights, st.floats(-3, 3), st.floats(-2, 2))
@settings(max_examples=60, deadline=None)
def test_collapse_matches_collapse_linear_and_network(w, b, g):
    a, c, d = collapse_lecture_network(w, b, g)
    W, bb = collapse_linear(lecture_layers(w, b, g))
    assert np.allclose([a, c, d], [W[0, 0], W[1, 0], bb[0]])
    X = np.array([[0.3, -1.2], [2.0, 1.0], [-1.5, 0.7]])
    n4 = lecture_network(X, w, b, "linear", g)["n4"]
    assert np.allclose(n4, a * X[:, 0] + c * X[:, 1] + d, atol=1e-9)
    assert np.allclose(n4, [direct_n4(x1, x2, w, b, lambda z: g * z) for x1, x2 in X], atol=1e-9)


def test_per_neuron_slopes_lecture_case():
    w, b = DEFAULT_WEIGHTS, 0.5
    a, c, d = collapse_lecture_network(w, b, (1.0, 0.5, 2.0))
    w1, w2, w3, w4, w5, w6, w7, w8, w9 = w
    assert np.isclose(a, w7 * w1 + w8 * 0.5 * w2 + w9 * 2 * w3)
    assert np.isclose(c, w7 * w4 + w8 * 0.5 * w5 + w9 * 2 * w6)
    assert np.isclose(d, b * (w7 + w8 * 0.5 + w9 * 2))


@pytest.mark.parametrize("act,f", [("tanh", np.tanh), ("relu", lambda z: np.maximum(z, 0)),
                                   ("sigmoid", lambda z: 1 / (1 + np.exp(-z))), ("identity", lambda z: z)])
def test_network_matches_direct_formula(act, f):
    X = np.random.default_rng(0).normal(size=(20, 2))
    out = lecture_network(X, DEFAULT_WEIGHTS, 0.5, act)
    assert out["z"].shape == (20, 3) and out["a"].shape == (20, 3) and out["n4"].shape == (20,)
    assert np.allclose(out["n4"], [direct_n4(x1, x2, DEFAULT_WEIGHTS, 0.5, f) for x1, x2 in X])


def test_hidden_activation_linearity_flags():
    assert hidden_activation("identity")[1] and hidden_activation("linear", 2.0)[1]
    assert not hidden_activation("tanh")[1] and not hidden_activation("relu")[1]
    assert np.allclose(hidden_activation("linear", 2.0)[0](np.array([1.0, -3.0])), [2.0, -6.0])
    with pytest.raises(ValueError):
        hidden_activation("cubic")


def test_latex_is_consistent_with_numbers():
    tex = n4_expansion_latex(DEFAULT_WEIGHTS, 0.5, 1.0)
    a, c, d = collapse_lecture_network(DEFAULT_WEIGHTS, 0.5, 1.0)
    assert tex.startswith(r"\begin{aligned}") and tex.endswith(r"\end{aligned}")
    assert f"{a:.4g}\\,x_1" in tex and f"{abs(c):.4g}\\,x_2" in tex and "+ -" not in tex
    assert "g_1" not in tex  # identity: no slopes shown
    assert "g_1" in n4_expansion_latex(DEFAULT_WEIGHTS, 0.5, 0.5)


def test_latex_has_one_bracket_per_line_so_it_fits_a_slide():
    for symbolic, n_lines in ((True, 7), (False, 4)):
        tex = n4_expansion_latex(DEFAULT_WEIGHTS, 0.5, 0.5, symbolic=symbolic)
        lines = tex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\ ")
        assert len(lines) == n_lines and lines[0].startswith("N_4 &= x_1"), lines
        for line in lines:
            assert sum(line.count(g) for g in ("x_1(", "x_2(", "b\\,(", "x_1[", "x_2[", ")[")) <= 1, line


def test_bad_inputs_raise_with_shapes():
    with pytest.raises(ValueError, match=r"\(9,\)"):
        collapse_lecture_network([1, 2, 3], 0.0)
    with pytest.raises(ValueError, match="two columns"):
        lecture_network(np.ones((3, 3)), DEFAULT_WEIGHTS, 0.0)
    with pytest.raises(ValueError, match="positive"):
        random_stack(0, 4, np.random.default_rng(0))


def test_best_linear_fit_exact_for_linear_and_not_for_tanh():
    X = np.random.default_rng(1).uniform(-3, 3, size=(400, 2))
    coef, err = best_linear_fit(X, 2 * X[:, 0] - X[:, 1] + 0.5)
    assert np.allclose(coef, [2, -1, 0.5]) and err < 1e-10
    assert best_linear_fit(X, lecture_network(X, DEFAULT_WEIGHTS, 0.5, "tanh")["n4"])[1] > 0.5


def test_depth_collapse_exact_only_without_relu():
    rng = np.random.default_rng(3)
    layers = random_stack(7, 5, rng, d_in=2, d_out=2)
    X = rng.normal(size=(100, 2))
    W, b = collapse_linear(layers)
    assert np.allclose(stack_output(X, layers, "identity"), X @ W + b, atol=1e-12)
    assert not np.allclose(stack_output(X, layers, "relu"), X @ W + b, atol=1e-3)


def test_xor():
    assert np.array_equal(xor_network(XOR_X), XOR_Y)
    assert np.array_equal(xor_predict(XOR_X), XOR_Y)
    assert np.allclose(xor_network(XOR_X, "identity"), 2 - XOR_X.sum(axis=1))
    best, _, _ = linear_separability_scan(XOR_X, XOR_Y)
    assert best == 0.75
    assert linear_separability_scan(XOR_X, np.array([0, 1, 1, 1]))[0] == 1.0  # OR is separable
