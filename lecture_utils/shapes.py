"""Shapes through a forward pass: tables, broadcasting, loops vs matrix products (02).

Rows are examples, columns are features: a batch X has shape (n, d); a dense layer's W has
shape (d, h) and b shape (h,); X @ W + b has shape (n, h), with b broadcast over the n rows.

>>> from lecture_utils.shapes import layer_shapes, format_shape_table
>>> print(format_shape_table(layer_shapes(200, [4, 5])))
layer  input     W       b     b broadcast to  output
1      (200, 4)  (4, 5)  (5,)  (200, 5)        (200, 5)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Sequence

import numpy as np

from ._checks import as_real_array, check_whole_number, describe
from ._checks import finite
from .forward_pass import _check_layer, _layer_list
from .activations import get_activation

__all__ = ["layer_shapes", "format_shape_table", "describe_broadcast", "count_parameters", "dense_latex",
           "forward_loop", "forward_one_example", "minibatches"]


def layer_shapes(batch_size: int, widths: Sequence[int]) -> list[dict[str, Any]]:
    """The shapes of every dense layer for a batch of ``batch_size`` examples.

    Parameters
    ----------
    batch_size : int
        n, the number of rows (examples) of the input.
    widths : sequence of int
        [d, h1, ..., h_L]: input features, then the width of each layer.

    Returns
    -------
    list of dict, one per layer, with keys "layer", "input", "W", "b", "b broadcast to",
    "output" (tuples).

    Raises
    ------
    ValueError
        ``batch_size`` < 1, fewer than two widths, or a width < 1 (or not whole).
    TypeError
        ``batch_size`` or a width not a number, ``widths`` not a list.
    """
    if not isinstance(widths, (list, tuple, np.ndarray)):
        raise TypeError(f"widths must be a list of layer sizes [d, h1, ...]; got {describe(widths)}.")
    if len(widths) < 2:
        raise ValueError(f"widths must be at least two positive sizes [d, h1, ...]; got {list(widths)!r}.")
    widths = [check_whole_number(w, f"widths[{i}]") for i, w in enumerate(widths)]
    n = check_whole_number(batch_size, "batch_size")
    return [{"layer": i + 1, "input": (n, d), "W": (d, h), "b": (h,), "b broadcast to": (n, h),
             "output": (n, h)} for i, (d, h) in enumerate(zip(widths[:-1], widths[1:]))]


def format_shape_table(rows: Sequence[dict[str, Any]]) -> str:
    """A fixed-width text table of ``rows`` (from :func:`layer_shapes` or
    ``ForwardResult.shape_table``); columns in the order of the first row's keys.
    TypeError if ``rows`` is not a list of dicts."""
    if isinstance(rows, (list, tuple)) and not rows:
        return "(no layers)"
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of dicts such as layer_shapes(200, [4, 5]); got {describe(rows)}.")
    if isinstance(rows, (str, Mapping)) or not all(isinstance(r, Mapping) for r in rows):
        raise TypeError(f"rows must be a list of dicts such as layer_shapes(200, [4, 5]); got {describe(rows)}.")
    keys = list(rows[0])
    cells = [[str(k) for k in keys]] + [[str(r.get(k, "")) for k in keys] for r in rows]
    widths = [max(len(row[j]) for row in cells) for j in range(len(keys))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells)


def describe_broadcast(n: int, h: int) -> str:
    """How b (h,) is added to X @ W (n, h), in lines short enough never to wrap in a notebook
    (a wrapped line can break inside a number); n, h whole numbers ≥ 1."""
    n, h = check_whole_number(n, "n"), check_whole_number(h, "h")
    return (f"b has shape ({h},); X @ W has shape ({n}, {h}).\n"
            f"NumPy broadcasts b to ({n}, {h}): the same row of {h} biases\n"
            f"is added to each of the {n} rows (one per example).")


def count_parameters(widths: Sequence[int]) -> list[dict[str, Any]]:
    """The learnable numbers of every dense layer for widths ``[d, h1, ..., h_L]``.

    A layer from d inputs to h neurons has a weight matrix (d, h) and a bias (h,):
    d·h + h = (d + 1)·h parameters — none of them depends on the batch size.

    Returns
    -------
    list of dict, one per layer: "layer", "W", "b" (shapes), "weights" (d·h), "biases" (h),
    "parameters" (d·h + h). Print it with :func:`format_shape_table`.

    >>> [row["parameters"] for row in count_parameters([4, 5, 3])]
    [25, 18]

    Raises like :func:`layer_shapes` (fewer than two widths, a width < 1 or not whole).
    """
    rows = layer_shapes(1, widths)
    return [{"layer": r["layer"], "W": r["W"], "b": r["b"], "weights": r["W"][0] * r["W"][1],
             "biases": r["b"][0], "parameters": r["W"][0] * r["W"][1] + r["b"][0]} for r in rows]


def _latex_number(v: float, decimals: int) -> str:
    text = f"{v:.{decimals}f}".rstrip("0").rstrip(".") if decimals > 0 else f"{v:.0f}"
    return "0" if text in ("-0", "") else text


def _latex_matrix(M: np.ndarray, decimals: int) -> str:
    rows = [" & ".join(_latex_number(v, decimals) for v in row) for row in M]
    return r"\begin{pmatrix} " + r" \\ ".join(rows) + r" \end{pmatrix}"


def dense_latex(X: Any, W: Any, b: Any = None, names: Sequence[str] = ("X", "W", "b", "Z"),
                decimals: int = 3) -> str:
    """The product X @ W + b written out with its numbers, as LaTeX (for ``IPython.display.Math``).

    Each matrix is shown with its name and shape underneath; ``b`` may be None (a layer without
    bias). Numbers are rounded to ``decimals`` places (trailing zeros dropped).

    Parameters
    ----------
    X : array_like, shape (n, d) — keep n small: every number is written out
    W : array_like, shape (d, h)
    b : array_like, shape (h,), optional
    names : four str
        Names of X, W, b and the result.

    Raises
    ------
    ValueError
        Shapes that do not chain (as :func:`lecture_utils.dense`), more than 10 rows or
        columns (too many numbers to read), ``decimals`` not a whole number ≥ 0.
    """
    from .forward_pass import dense

    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    W = as_real_array(W, "W", ndim=2, allow_inf=False)
    decimals = check_whole_number(decimals, "decimals", 0)
    if not isinstance(names, (list, tuple)) or len(names) != 4 or not all(isinstance(n, str) for n in names):
        raise TypeError(f"names must be four strings (X, W, b, result), e.g. ('X', 'W', 'b', 'Z'); "
                        f"got {describe(names)}.")
    if max(X.shape + W.shape) > 10:
        raise ValueError(f"dense_latex writes out every number: keep X and W at most 10 × 10; got X "
                         f"{X.shape} and W {W.shape}. Show a few rows, e.g. X[:3].")
    bias = np.zeros(W.shape[1]) if b is None else b
    Z = dense(X, W, bias)  # checks that the shapes chain, with the usual message

    def part(M: np.ndarray, name: str, shape: tuple[int, ...]) -> str:
        dims = r" \times ".join(str(k) for k in shape) if len(shape) == 2 else f"{shape[0]},"
        return r"\underbrace{" + _latex_matrix(M, decimals) + "}_{" + name + r"\ (" + dims + ")}"

    out = part(X, names[0], X.shape) + " " + part(W, names[1], W.shape)
    if b is not None:
        bb = np.asarray(bias, dtype=np.float64).reshape(1, -1)
        out += " + " + part(bb, names[2], (bb.shape[1],))  # b (h,) drawn as the row it adds
    return out + " = " + part(Z, names[3], Z.shape)


def forward_one_example(x: Any, layers: Sequence[tuple[Any, Any]],
                        activation: str = "relu") -> list[dict[str, np.ndarray]]:
    """One example through the layers, step by step (the last layer has no activation).

    Parameters
    ----------
    x : array_like, shape (d,)
        One example: a single row of X.
    layers : list of (W, b)
    activation : str

    Returns
    -------
    list of dict with "z" and "a" (each shape (h_l,)) per layer.

    Raises
    ------
    ValueError
        ``x`` not 1-D, ``layers`` empty or not (W, b) pairs, shapes that do not chain.
    """
    a = as_real_array(x, "x", ndim=1, allow_inf=False)
    f = get_activation(activation).f
    layers = _layer_list(layers)
    steps = []
    for i, (W, b) in enumerate(layers):
        W, b = _check_layer(W, b, f" (layer {i + 1})")
        if W.shape[0] != a.shape[0]:
            raise ValueError(f"layer {i + 1}: the example has {a.shape[0]} values but W has shape "
                             f"{W.shape}; W needs {a.shape[0]} rows.")
        z = finite(lambda: a @ W + b, f"layer {i + 1}: x @ W + b")  # (d,) @ (d, h) + (h,) -> (h,)
        a = z if i == len(layers) - 1 else f(z)
        steps.append({"z": z, "a": a})
    return steps


def forward_loop(X: Any, layers: Sequence[tuple[Any, Any]], activation: str = "relu") -> np.ndarray:
    """The whole batch, one example at a time with a Python loop (the slow way, for comparison
    with ``forward(X, layers).output``). X (n, d) -> (n, h_L). Raises like
    :func:`forward_one_example`."""
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    layers = _layer_list(layers)
    return np.stack([forward_one_example(x, layers, activation)[-1]["a"] for x in X])


def minibatches(n: int, batch_size: int) -> list[slice]:
    """The slices of one epoch: consecutive mini-batches covering all n examples once
    (the last one may be smaller). ``minibatches(200, 32)`` has 7 slices. n and batch_size must
    be whole numbers ≥ 1 (ValueError / TypeError otherwise)."""
    n, batch_size = check_whole_number(n, "n"), check_whole_number(batch_size, "batch_size")
    return [slice(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]
