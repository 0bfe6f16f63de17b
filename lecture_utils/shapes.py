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

__all__ = ["layer_shapes", "format_shape_table", "describe_broadcast", "forward_loop",
           "forward_one_example", "minibatches"]


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
    """One sentence on how b (h,) is added to X @ W (n, h); n, h whole numbers ≥ 1."""
    n, h = check_whole_number(n, "n"), check_whole_number(h, "h")
    return (f"b has shape ({h},); X @ W has shape ({n}, {h}). NumPy broadcasts b to ({n}, {h}): "
            f"the same row of {h} biases is added to each of the {n} rows (one per example).")


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
