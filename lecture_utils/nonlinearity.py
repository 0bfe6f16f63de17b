"""Why we need non-linearity: the lecture's 2-3-1 network, its algebra, depth and XOR (01).

Indexing used throughout (the lecture notes mix it up; this is the clean version)::

    x1 --w1--> N1     x2 --w4--> N1     N1 --w7--> N4
    x1 --w2--> N2     x2 --w5--> N2     N2 --w8--> N4
    x1 --w3--> N3     x2 --w6--> N3     N3 --w9--> N4

Every hidden neuron adds the same bias b (as in the lecture); N4 has no bias of its own.
With hidden pre-activations z_i and activations a_i = f(z_i),

    z1 = w1·x1 + w4·x2 + b,  z2 = w2·x1 + w5·x2 + b,  z3 = w3·x1 + w6·x2 + b,
    N4 = w7·a1 + w8·a2 + w9·a3.

If every hidden activation is linear, a_i = g_i·z_i (identity: g_i = 1), then

    N4 = a·x1 + c·x2 + d   with   a = w7·g1·w1 + w8·g2·w2 + w9·g3·w3,
                                  c = w7·g1·w4 + w8·g2·w5 + w9·g3·w6,
                                  d = b·(w7·g1 + w8·g2 + w9·g3):

a single linear neuron. As matrices: W1 = [[w1, w2, w3], [w4, w5, w6]] (2, 3), b1 = (b, b, b),
W2 = [[w7], [w8], [w9]] (3, 1), b2 = (0,).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ._checks import (as_label_array, as_real_array, check_number, check_rng, check_whole_number,
                      describe)
from ._checks import check_size, finite
from .activations import get_activation

__all__ = [
    "WEIGHT_NAMES", "DEFAULT_WEIGHTS", "HIDDEN_ACTIVATIONS", "hidden_activation", "lecture_layers",
    "lecture_network", "collapse_lecture_network", "n4_expansion_latex", "best_linear_fit",
    "random_stack", "stack_output", "XOR_X", "XOR_Y", "xor_network", "xor_predict",
    "linear_separability_scan",
]

WEIGHT_NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9")
#: weights for which tanh bends the decision boundary clearly (used by the panel)
DEFAULT_WEIGHTS = (1.5, -2.0, 0.5, 1.0, 1.5, -2.0, 2.0, -1.5, 1.5)
#: hidden activations of the lecture network panel; "linear" has slope g
HIDDEN_ACTIVATIONS = ("identity", "linear", "tanh", "relu", "sigmoid")


def hidden_activation(name: str, g: float = 1.0) -> tuple[Callable[[np.ndarray], np.ndarray], bool]:
    """The hidden activation ``f`` and whether it is linear.

    Parameters
    ----------
    name : str
        "identity" (f(z) = z), "linear" (f(z) = g·z, slope ``g``) or any name
        :func:`lecture_utils.get_activation` knows ("tanh", "relu", "sigmoid", ...).
    g : float
        Slope of the "linear" activation (ignored otherwise).

    Raises
    ------
    ValueError
        Unknown activation name, or a NaN / infinite ``g``.
    TypeError
        ``g`` not a number.
    """
    g = check_number(g, "g")
    if name == "linear":
        return (lambda z: g * np.asarray(z, dtype=np.float64)), True
    act = get_activation(name)
    return act.f, act.linear


def _two_columns(X: Any) -> np.ndarray:
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    if X.shape[1] != 2:
        raise ValueError(f"X must have two columns (x1, x2), one row per point; got shape {X.shape}.")
    return X


def _weights(w: Any) -> np.ndarray:
    w = as_real_array(w, "w", ndim=1, allow_inf=False)
    if w.shape != (9,):
        raise ValueError(f"w must hold the nine weights w1..w9 (shape (9,)); got shape {w.shape}.")
    return w


def _slopes(g: Any) -> np.ndarray:
    g = as_real_array(g, "g", ndim=(0, 1), allow_inf=False)
    if g.ndim == 0:
        return np.full(3, float(g))
    if g.shape != (3,):
        raise ValueError(f"g must be one slope or one per hidden neuron (shape (3,)); got {g.shape}.")
    return g


def lecture_layers(w: Sequence[float], b: float, g: Any = 1.0) -> list[tuple[np.ndarray, np.ndarray]]:
    """The lecture network as two dense layers, with linear slopes ``g`` folded into layer 1.

    Returns ``[(W1, b1), (W2, b2)]`` with W1 (2, 3) = diag-scaled [[w1, w2, w3], [w4, w5, w6]],
    b1 (3,), W2 (3, 1) = [[w7], [w8], [w9]], b2 = (0,). With ``g = 1`` these are the plain weights;
    feeding them to :func:`lecture_utils.collapse_linear` gives the single equivalent layer.

    Raises
    ------
    ValueError
        ``w`` not of shape (9,), ``g`` neither a number nor shape (3,), ``b`` not one finite number.
    """
    w, g = _weights(w), _slopes(g)
    W1 = np.array([w[0:3], w[3:6]]) * g  # (2, 3), column i scaled by g_i
    b1 = check_number(b, "b") * g  # (3,)
    W2 = w[6:9].reshape(3, 1)  # (3, 1)
    return [(W1, b1), (W2, np.zeros(1))]


def lecture_network(X: Any, w: Sequence[float], b: float, activation: str = "identity",
                    g: float = 1.0) -> dict[str, np.ndarray]:
    """Forward pass of the lecture network for a batch of points.

    Parameters
    ----------
    X : array_like, shape (n, 2)
        Rows are points (x1, x2).
    w : sequence of 9 floats
        w1..w9 (see the module docstring for which edge each one is).
    b : float
        The bias shared by N1, N2, N3.
    activation, g
        Hidden activation, see :func:`hidden_activation`.

    Returns
    -------
    dict with "z" (n, 3) hidden pre-activations, "a" (n, 3) hidden activations, "n4" (n,).

    Raises
    ------
    ValueError
        X not of shape (n, 2), w not of shape (9,), unknown activation.
    """
    X = _two_columns(X)
    (W1, _), (W2, _) = lecture_layers(w, b)
    f, _linear = hidden_activation(activation, g)
    z = finite(lambda: X @ W1 + float(b), "X @ W1 + b")  # (n, 2) @ (2, 3) + scalar -> (n, 3)
    a = finite(lambda: f(z), "the hidden activations")  # (n, 3)
    return {"z": z, "a": a, "n4": finite(lambda: (a @ W2)[:, 0], "N4 = a @ W2")}  # (n, 3) @ (3, 1) -> (n,)


def collapse_lecture_network(w: Sequence[float], b: float, g: Any = 1.0) -> tuple[float, float, float]:
    """The single linear neuron N4 = a·x1 + c·x2 + d of a network with linear hidden units.

    ``g`` is the slope of each hidden activation: one number for all, or (g1, g2, g3)
    (the lecture's example is N1 identity, N2 slope g: ``g = (1, g, ...)``).

    Returns
    -------
    (a, c, d) : floats, from the expanded algebra in the module docstring.
    """
    w, g, b = _weights(w), _slopes(g), check_number(b, "b")
    out = w[6:9] * g  # w7·g1, w8·g2, w9·g3
    return finite(lambda: (float(out @ w[0:3]), float(out @ w[3:6]), b * float(out.sum())),
                  "the collapsed coefficients a, c, d", "the weights are too large")


def _num(v: float) -> str:
    """Up to four significant digits, as the notebook prints a, c, d (no "-0")."""
    s = f"{v:.4g}"
    return "0" if s in ("-0", "0") else s


def _signed(v: float) -> str:
    t = _num(v)
    return f"- {t[1:]}" if t.startswith("-") else f"+ {t}"


def n4_expansion_latex(w: Sequence[float], b: float, g: Any = 1.0, symbolic: bool = True) -> str:
    """The lecture's algebra for the current weights, as LaTeX (without ``$`` delimiters).

    Shows N4 = x1·(w7·g1·w1 + …) + x2·(…) + b·(…) with the numbers substituted, then
    N4 = a·x1 + c·x2 + d with a, c, d evaluated (four significant digits). With ``symbolic`` the first
    line is the symbolic form. Used live by the lecture network panel. Raises like
    :func:`lecture_layers`.
    """
    w, gs, b = _weights(w), _slopes(g), check_number(b, "b")
    a, c, d = collapse_lecture_network(w, b, gs)
    show_g = not np.allclose(gs, 1.0)  # identity: no slopes to show
    gsym = ("g_1 ", "g_2 ", "g_3 ") if show_g else ("", "", "")
    W = [f"({_num(x)})" for x in w]
    G = [f"({_num(x)})" if show_g else "" for x in gs]

    def group(cols: tuple[int, int, int]) -> str:
        return " + ".join(f"{W[6 + i]}{G[i]}{W[j]}" for i, j in enumerate(cols))

    lines = []
    if symbolic:
        s1 = " + ".join(f"w_{7 + i} {gsym[i]}w_{1 + i}" for i in range(3))
        s2 = " + ".join(f"w_{7 + i} {gsym[i]}w_{4 + i}" for i in range(3))
        s3 = " + ".join(f"w_{7 + i}{' ' + gsym[i].strip() if show_g else ''}" for i in range(3))
        lines.append(rf"N_4 &= x_1({s1}) + x_2({s2}) + b\,({s3})")
    lines.append(rf"&= x_1[{group((0, 1, 2))}] \\ &\quad + x_2[{group((3, 4, 5))}] \\ &\quad + "
                 rf"({_num(float(b))})[{' + '.join(f'{W[6 + i]}{G[i]}' for i in range(3))}]")
    lines.append(rf"&= {_num(a)}\,x_1 {_signed(c)}\,x_2 {_signed(d)}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def best_linear_fit(X: Any, y: Any) -> tuple[np.ndarray, float]:
    """Least-squares single linear layer y ≈ X @ w + d, and its largest error on these points.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)

    Returns
    -------
    coef : ndarray, shape (d + 1,)
        The weights, then the bias.
    max_error : float
        max |y − (X @ w + d)| over the n points: ~1e-15 only if y is a linear function of X.
    """
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    y = as_real_array(y, "y", ndim=1, allow_inf=False)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y needs one value per row of X {X.shape}; got shape {y.shape}.")
    A = np.column_stack([X, np.ones(len(X))])  # (n, d + 1)
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    return coef, float(np.max(np.abs(A @ coef - y)))


def random_stack(k: int, width: int, rng: np.random.Generator, d_in: int = 1,
                 d_out: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    """k random dense layers d_in → width → … → width → d_out with N(0, 1/fan_in) weights and
    N(0, 0.5²) biases (non-zero biases, so a ReLU kink can land anywhere).

    ``k``, ``width``, ``d_in``, ``d_out`` are whole numbers ≥ 1 (ValueError otherwise) and ``rng``
    a ``np.random.default_rng(seed)`` (TypeError otherwise).
    """
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive number of layers; got {k!r}.")
    width, d_in, d_out = check_whole_number(width, "width"), check_whole_number(d_in, "d_in"), check_whole_number(d_out, "d_out")
    check_whole_number(k, "k", maximum=10**4)
    check_size(max(width, d_in, d_out) * width * k, "the stack's weights (k × width × width)")
    check_rng(rng)
    sizes = [d_in] + [width] * (k - 1) + [d_out]
    return [(rng.normal(0, 1 / np.sqrt(fi), (fi, fo)), rng.normal(0, 0.5, fo))
            for fi, fo in zip(sizes[:-1], sizes[1:])]


def stack_output(X: np.ndarray, layers: Sequence[tuple[np.ndarray, np.ndarray]],
                 activation: str = "identity") -> np.ndarray:
    """Output of ``layers`` with ``activation`` after every layer but the last (the fast inner
    loop of the depth panel). X (n, d) -> (n, d_out).

    Raises ValueError for X not 2-D, an empty ``layers`` or shapes that do not chain.
    """
    f = get_activation(activation).f
    A = as_real_array(X, "X", ndim=2, allow_inf=False, copy=False)
    if not isinstance(layers, (list, tuple)) or not layers:
        raise ValueError(f"layers must be a non-empty list of (W, b) pairs; got {describe(layers)}.")
    for i, (W, b) in enumerate(layers):
        if np.ndim(W) != 2 or np.shape(W)[0] != A.shape[1]:
            raise ValueError(f"layer {i + 1}: its input has shape {A.shape} but W has shape {np.shape(W)}; "
                             f"W needs shape ({A.shape[1]}, h).")
        A = finite(lambda: A @ W + b, f"layer {i + 1}: A @ W + b")  # (n, h) @ (h, h') + (h',) -> (n, h')
        if i < len(layers) - 1:
            A = f(A)
    return A


#: the four XOR corners and their labels
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])
# Goodfellow, Bengio & Courville (2016), section 6.1: h = relu(X @ W + c), y = h @ v
_XOR_W = np.array([[1.0, 1.0], [1.0, 1.0]])
_XOR_C = np.array([0.0, -1.0])
_XOR_V = np.array([1.0, -2.0])


def xor_network(X: Any, activation: str = "relu") -> np.ndarray:
    """The classic hand-set XOR network: h = f(X @ [[1, 1], [1, 1]] + (0, −1)), y = h1 − 2·h2.

    With ReLU it outputs exactly 0, 1, 1, 0 on the corners; with "identity" it collapses to the
    linear function 2 − x1 − x2 and fails. X (n, 2) -> (n,); ValueError for other shapes.
    """
    X = _two_columns(X)
    f = get_activation(activation).f
    h = f(X @ _XOR_W + _XOR_C)  # (n, 2) @ (2, 2) + (2,) -> (n, 2)
    return h @ _XOR_V  # (n, 2) @ (2,) -> (n,)


def xor_predict(X: Any, activation: str = "relu") -> np.ndarray:
    """Class 1 where :func:`xor_network` exceeds 0.5, else 0. X (n, 2) -> (n,) int."""
    return (xor_network(X, activation) > 0.5).astype(np.int64)


def linear_separability_scan(X: Any, y: Any, n_angles: int = 360) -> tuple[float, float, float]:
    """Best accuracy any straight line reaches on (X, y), scanning directions and thresholds.

    For each of ``n_angles`` directions u, every threshold between consecutive projections
    X @ u is tried, both ways round. Returns (best accuracy, angle in degrees, threshold).
    On the XOR corners the best is 0.75: no line gets all four.

    Raises ValueError unless X is (n, 2), y holds n labels 0 or 1 and ``n_angles`` ≥ 1.
    """
    X = _two_columns(X)
    y = as_label_array(y, "y")
    if y.shape != (X.shape[0],) or not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must hold one label 0 or 1 per row of X {X.shape}; got {describe(y)} "
                         f"with values {np.unique(y).tolist()[:5]}.")
    n_angles = check_whole_number(n_angles, "n_angles", maximum=10**5)
    best = (-1.0, 0.0, 0.0)
    for theta in np.linspace(0, 180, n_angles, endpoint=False):
        u = np.array([np.cos(np.radians(theta)), np.sin(np.radians(theta))])
        p = X @ u  # (n, 2) @ (2,) -> (n,)
        s = np.unique(p)
        cuts = np.concatenate([[s[0] - 1], (s[:-1] + s[1:]) / 2, [s[-1] + 1]])
        pred = p[None, :] > cuts[:, None]  # (cuts, n)
        acc = (pred == y[None, :]).mean(axis=1)
        acc = np.maximum(acc, 1 - acc)  # the line may face either way
        i = int(np.argmax(acc))
        if acc[i] > best[0] + 1e-12:
            best = (float(acc[i]), float(theta), float(cuts[i]))
    return best
