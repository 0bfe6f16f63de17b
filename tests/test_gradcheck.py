"""numerical_gradient / numerical_jacobian / relative_error on functions with known derivatives."""

import numpy as np
import pytest

from lecture_utils.gradcheck import numerical_gradient, numerical_jacobian, relative_error

pytestmark = pytest.mark.filterwarnings("error")


def test_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    g = numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    assert g.shape == x.shape and g.dtype == np.float64
    assert relative_error(g, 3 * x ** 2) < 1e-8
    assert relative_error(numerical_gradient(lambda v: np.sin(v).sum(), [0.3, 1.1]),
                          np.cos([0.3, 1.1])) < 1e-9


def test_jacobian_of_known_function():
    x = np.array([1.0, 2.0, -0.5])
    J = numerical_jacobian(lambda v: np.array([v[0] * v[1], np.exp(v[2]), v.sum()]), x)
    ref = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, np.exp(-0.5)], [1.0, 1.0, 1.0]])
    assert J.shape == (3, 3) and relative_error(J, ref) < 1e-9


def test_x_never_modified_and_ints_accepted():
    x = np.array([1.0, 2.0])
    x.setflags(write=False)
    seen = []
    numerical_gradient(lambda v: seen.append(v is x) or float(v @ v), x)
    assert not any(seen) and x.tolist() == [1.0, 2.0]
    np.testing.assert_allclose(numerical_gradient(lambda v: float(v @ v), np.array([1, 2])), [2.0, 4.0])


def test_relative_error():
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0
    assert relative_error([1e308, 1e308], [1e308, 1e308]) == 0.0  # no overflow in the norms
    assert relative_error([1e-300], [2e-300]) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        relative_error([1.0, 2.0], [1.0, 2.0, 3.0])


def test_errors():
    with pytest.raises(ValueError, match="single number"):
        numerical_gradient(lambda v: v * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda v: float(v.sum()), [1.0], eps=0.0)
    with pytest.raises(TypeError, match="function"):
        numerical_gradient("f", [1.0])
    with pytest.raises(ValueError, match="NaN"):
        numerical_gradient(lambda v: float(v.sum()), [np.nan])
