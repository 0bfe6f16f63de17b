"""Every public function, given bad input, raises ValueError or TypeError from our own checks
(never a bare numpy error, never a NaN result) with a message naming the argument and shapes."""

import re
import traceback

import numpy as np
import pytest

import lecture_utils as lu
from lecture_utils.gradcheck import numerical_gradient, numerical_jacobian, relative_error

pytestmark = pytest.mark.filterwarnings("error")

X, W, B = np.ones((3, 4)), np.ones((4, 2)), np.zeros(2)
Z2 = np.array([[1.0, 2.0, 3.0], [0.0, 0.5, -1.0]])
P2 = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
LABELS = np.array([0, 2])
V = np.array([0.5, -1.0, 2.0])
ACTS = [lu.sigmoid, lu.sigmoid_grad, lu.tanh, lu.tanh_grad, lu.relu, lu.relu_grad,
        lu.leaky_relu, lu.leaky_relu_grad, lu.identity, lu.identity_grad]

# (id, function of keyword arrays, valid keyword arrays, which keywords are integer labels)
SIGNATURES = [(f.__name__, lambda x, f=f: f(x), {"x": V}, ()) for f in ACTS] + [
    ("dense", lambda X, W, b: lu.dense(X, W, b), {"X": X, "W": W, "b": B}, ()),
    ("forward", lambda X, W, b: lu.forward(X, [(W, b)]), {"X": X, "W": W, "b": B}, ()),
    ("collapse_linear", lambda W, b: lu.collapse_linear([(W, b), (np.ones((2, 1)), [0.0])]),
     {"W": W, "b": B}, ()),
    ("logsumexp", lambda z: lu.logsumexp(z), {"z": Z2}, ()),
    ("softmax", lambda z: lu.softmax(z), {"z": Z2}, ()),
    ("log_softmax", lambda z: lu.log_softmax(z), {"z": Z2}, ()),
    ("naive_softmax", lambda z: lu.naive_softmax(z), {"z": Z2}, ()),
    ("softmax_jacobian", lambda z: lu.softmax_jacobian(z), {"z": V}, ()),
    ("binary_cross_entropy", lambda y, p: lu.binary_cross_entropy(y, p),
     {"y": np.array([1.0, 0.0]), "p": np.array([0.9, 0.2])}, ()),
    ("cross_entropy", lambda y, P: lu.cross_entropy(y, P), {"y": LABELS, "P": P2}, ("y",)),
    ("cross_entropy_from_logits", lambda y, logits: lu.cross_entropy_from_logits(y, logits),
     {"y": LABELS, "logits": Z2}, ("y",)),
    ("one_hot", lambda labels: lu.one_hot(labels, 3), {"labels": LABELS}, ("labels",)),
    ("numerical_gradient", lambda x: numerical_gradient(lambda v: float(v.sum()), x), {"x": V}, ()),
    ("numerical_jacobian", lambda x: numerical_jacobian(lambda v: v * 2, x), {"x": V}, ()),
    ("relative_error", lambda a, b: relative_error(a, b), {"a": V, "b": V}, ()),
]


def bad_values(good, is_label):
    good = np.asarray(good)
    nan = good.astype(float)
    nan.flat[-1] = np.nan
    return {
        "str": (np.full(good.shape, "a"), TypeError),
        "complex": (good + 1j, TypeError),
        "None": (None, TypeError),
        "ragged": ([[1.0, 2.0], [3.0]], TypeError),
        "nan": (nan, TypeError if is_label else ValueError),  # float labels are a type error
        "empty": (np.empty((0,) + good.shape[1:], dtype=good.dtype), ValueError),
    }


CASES = []
for fname, call, valid, labels in SIGNATURES:
    for arg, good in valid.items():
        for kind, (value, exc) in bad_values(good, arg in labels).items():
            CASES.append(pytest.param(call, {**valid, arg: value}, exc, [arg],
                                      id=f"{fname}-{arg}-{kind}"))

# shape, range and option errors: the message must name the argument(s) and the shapes
CASES += [pytest.param(*c[1:], id=c[0]) for c in [
    ("dense-W-transposed", lambda: lu.dense(np.ones((200, 4)), np.ones((5, 4)), np.zeros(4)),
     None, ValueError, ["X", "W", "(200, 4)", "(5, 4)", "4 columns of X", "rows of W", "W.T"]),
    ("dense-b-shape", lambda: lu.dense(X, W, np.zeros(3)), None, ValueError, ["b", "(4, 2)", "(3,)"]),
    ("dense-b-scalar", lambda: lu.dense(X, W, 0.0), None, ValueError, ["b", "(2,)"]),
    ("dense-X-1d", lambda: lu.dense(np.ones(4), W, B), None, ValueError, ["X", "(4,)", "reshape(1, -1)"]),
    ("dense-X-inf", lambda: lu.dense(X * np.inf, W, B), None, ValueError, ["X", "inf"]),
    ("forward-chain", lambda: lu.forward(X, [(W, B), (np.ones((3, 1)), [0.0])]), None, ValueError,
     ["layer 2", "(3, 2)", "(3, 1)"]),
    ("forward-layers-empty", lambda: lu.forward(X, []), None, ValueError, ["layers"]),
    ("forward-layer-not-pair", lambda: lu.forward(X, [W]), None, ValueError, ["layer 1", "(W, b)"]),
    ("forward-activation", lambda: lu.forward(X, [(W, B)], activation="softmax"), None, ValueError,
     ["softmax", "relu"]),
    ("collapse-chain", lambda: lu.collapse_linear([(W, B), (np.ones((3, 1)), [0.0])]), None, ValueError,
     ["layer 2", "(3, 1)", "2 rows"]),
    ("init_layers-rng", lambda: lu.init_layers([3, 2], 42), None, TypeError, ["rng", "default_rng"]),
    ("init_layers-sizes", lambda: lu.init_layers(None, np.random.default_rng()), None, TypeError, ["sizes"]),
    ("softmax-plus-inf", lambda: lu.softmax([1.0, np.inf]), None, ValueError, ["z", "+inf"]),
    ("softmax-all-masked", lambda: lu.softmax([[0.0, 1.0], [-np.inf, -np.inf]]), None, ValueError,
     ["z[1, :]", "all -inf"]),
    ("softmax-0d", lambda: lu.softmax(3.0), None, ValueError, ["z", "single number"]),
    ("softmax-axis-range", lambda: lu.softmax(Z2, axis=2), None, ValueError, ["axis 2", "(2, 3)"]),
    ("softmax-axis-float", lambda: lu.softmax(Z2, axis=1.0), None, TypeError, ["axis"]),
    ("naive-axis-range", lambda: lu.naive_softmax(Z2, axis=-3), None, ValueError, ["axis -3", "(2, 3)"]),
    ("naive-dtype", lambda: lu.naive_softmax(Z2, dtype=int), None, TypeError, ["dtype"]),
    ("logsumexp-axis-bool", lambda: lu.logsumexp(Z2, axis=True), None, TypeError, ["axis"]),
    ("softmax-T-zero", lambda: lu.softmax(Z2, temperature=0), None, ValueError, ["temperature", "> 0"]),
    ("softmax-T-neg", lambda: lu.log_softmax(Z2, temperature=-1.0), None, ValueError, ["temperature"]),
    ("softmax-T-nan", lambda: lu.softmax(Z2, temperature=np.nan), None, ValueError, ["temperature"]),
    ("softmax-T-str", lambda: lu.softmax(Z2, temperature="1"), None, TypeError, ["temperature"]),
    ("jacobian-2d", lambda: lu.softmax_jacobian(Z2), None, ValueError, ["z", "(2, 3)"]),
    ("jacobian-T", lambda: lu.softmax_jacobian(V, temperature=0.0), None, ValueError, ["temperature"]),
    ("bce-lengths", lambda: lu.binary_cross_entropy([1, 0, 1], [0.5, 0.5]), None, ValueError,
     ["y", "p", "(3,)", "(2,)"]),
    ("bce-p-range", lambda: lu.binary_cross_entropy([1], [1.5]), None, ValueError, ["p", "[0, 1]", "p[0] = 1.5", "logits"]),
    ("bce-y-range", lambda: lu.binary_cross_entropy([2], [0.5]), None, ValueError, ["y", "[0, 1]", "y[0] = 2", "0 or 1"]),
    ("bce-2d", lambda: lu.binary_cross_entropy(np.ones((2, 2)), np.ones((2, 2))), None, ValueError,
     ["y", "(2, 2)"]),
    ("bce-reduction", lambda: lu.binary_cross_entropy([1], [0.5], reduction="avg"), None, ValueError,
     ["reduction", "avg"]),
    ("ce-rows-not-1", lambda: lu.cross_entropy([0], [[0.5, 0.6]]), None, ValueError, ["P", "row 0", "1.1"]),
    ("ce-P-range", lambda: lu.cross_entropy([0], [[-0.5, 1.5]]), None, ValueError, ["P", "[0, 1]", "P[0, 0] = -0.5"]),
    ("ce-label-range", lambda: lu.cross_entropy([3, 0], P2), None, ValueError, ["y", "0 … 2", "y[0] = 3"]),
    ("ce-label-negative", lambda: lu.cross_entropy([-1, 0], P2), None, ValueError, ["y", "y[0] = -1"]),
    ("ce-label-float", lambda: lu.cross_entropy([0.0, 2.0], P2), None, TypeError, ["y", "np.asarray(y).astype(int)"]),
    ("ce-label-bool", lambda: lu.cross_entropy([True, False], P2), None, TypeError, ["y", "bool"]),
    ("ce-n-mismatch", lambda: lu.cross_entropy([0, 1, 2], P2), None, ValueError, ["y", "P", "(3,)", "(2, 3)"]),
    ("ce-onehot-shape", lambda: lu.cross_entropy(np.eye(2), P2), None, ValueError, ["y", "(2, 3)", "(2, 2)"]),
    ("ce-onehot-column", lambda: lu.cross_entropy(LABELS.reshape(2, 1), P2), None, ValueError,
     ["y", "(2, 1)", "ravel"]),
    ("ce-onehot-rowsum", lambda: lu.cross_entropy([[0.5, 0.0, 0.0], [0, 0, 1.0]], P2), None, ValueError,
     ["y", "row 0", "0.5"]),
    ("ce-P-3d", lambda: lu.cross_entropy([0], np.ones((1, 1, 1))), None, ValueError, ["P", "(1, 1, 1)"]),
    ("ce-reduction", lambda: lu.cross_entropy(LABELS, P2, reduction=None), None, ValueError, ["reduction"]),
    ("cel-label-range", lambda: lu.cross_entropy_from_logits([0, 5], Z2), None, ValueError, ["y", "y[1] = 5"]),
    ("cel-n-mismatch", lambda: lu.cross_entropy_from_logits([0], Z2), None, ValueError,
     ["y", "logits", "(1,)", "(2, 3)"]),
    ("cel-plus-inf", lambda: lu.cross_entropy_from_logits([0], [[np.inf, 0.0]]), None, ValueError,
     ["logits", "+inf"]),
    ("cel-all-masked", lambda: lu.cross_entropy_from_logits([0], [[-np.inf, -np.inf]]), None, ValueError,
     ["logits", "all -inf"]),
    ("cel-3d", lambda: lu.cross_entropy_from_logits([0], np.ones((1, 2, 2))), None, ValueError,
     ["logits", "(1, 2, 2)"]),
    ("one_hot-K-float", lambda: lu.one_hot(LABELS, 3.0), None, TypeError, ["K", "3.0"]),
    ("one_hot-K-zero", lambda: lu.one_hot(LABELS, 0), None, ValueError, ["K"]),
    ("one_hot-range", lambda: lu.one_hot([0, 3], 3), None, ValueError, ["labels[1] = 3", "0 … 2"]),
    ("one_hot-2d", lambda: lu.one_hot([[0, 1]], 3), None, ValueError, ["labels", "(1, 2)"]),
    ("one_hot-huge-uint", lambda: lu.one_hot(np.array([2**63 + 1], dtype=np.uint64), 3), None,
     ValueError, ["labels", "9223372036854775809"]),
    ("get_activation-name", lambda: lu.get_activation("relu6"), None, ValueError, ["relu6", "'tanh'"]),
    ("get_activation-type", lambda: lu.get_activation(None), None, TypeError, ["activation"]),
    ("leaky-alpha", lambda: lu.leaky_relu(V, alpha=0), None, ValueError, ["alpha"]),
    ("leaky-grad-alpha", lambda: lu.leaky_relu_grad(V, alpha=None), None, TypeError, ["alpha"]),
    ("gradient-vector-f", lambda: numerical_gradient(lambda v: v, V), None, ValueError, ["f", "(3,)"]),
    ("gradient-eps", lambda: numerical_gradient(lambda v: 0.0, V, eps=-1.0), None, ValueError, ["eps"]),
    ("relative-error-shapes", lambda: relative_error(V, Z2), None, ValueError, ["a", "b", "(3,)", "(2, 3)"]),
]]


@pytest.mark.parametrize("call,kwargs,exc_type,needles", CASES)
def test_bad_input_raises_a_message_that_teaches(call, kwargs, exc_type, needles):
    with pytest.raises((ValueError, TypeError)) as info:
        result = call(**kwargs) if kwargs is not None else call()
        pytest.fail(f"returned {result!r} instead of raising")  # pragma: no cover
    exc = info.value
    assert type(exc) is exc_type, f"{type(exc).__name__}: {exc}"  # not numpy's AxisError & co.
    # raised by our own checks, not deep inside numpy
    last = traceback.extract_tb(exc.__traceback__)[-1]
    assert "lecture_utils" in last.filename, f"raised from {last.filename}: {exc}"
    msg = str(exc)
    for needle in needles:
        if re.fullmatch(r"[A-Za-z]\w*", needle):  # an argument name: match it as a word
            assert re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", msg), f"{needle!r} not in: {msg}"
        else:
            assert needle in msg, f"{needle!r} not in: {msg}"
    assert len(msg) > 25 and "Traceback" not in msg


def test_messages_show_shapes_for_wrong_dimensions():
    for fn, arg in [(lu.logsumexp, "z"), (lu.softmax, "z"), (lu.log_softmax, "z")]:
        with pytest.raises(ValueError, match=r"empty \(shape \(2, 0\)\)"):
            fn(np.ones((2, 0)))
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 4\)\)"):
        lu.dense(np.ones((0, 4)), W, B)
