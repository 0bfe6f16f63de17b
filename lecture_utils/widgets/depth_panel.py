"""Depth does not help without non-linearity (01_nonlinearity).

k random dense layers map one input x to one output. ``collapse_linear`` folds them into a
single layer y = W·x + b. With identity activations the network and the single layer are the
same line (difference ~1e-15) whatever k is; switch on ReLU and the network bends, and the
collapse no longer describes it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..forward_pass import collapse_linear
from ..nonlinearity import random_stack, stack_output
from ..style import COLORS
from ._limits import ladder_limits
from ._panel import Panel, int_slider, toggle

__all__ = ["DepthPanel", "compute_depth"]


def _minus(v: float) -> str:
    """A number with a typographic minus, as in the rest of the read-out."""
    return f"{v:.3f}".replace("-", "−")

X_LINE = np.linspace(-3.0, 3.0, 301).reshape(-1, 1)


def compute_depth(k: int, activation: str, seed: int, width: int = 6,
                  x: np.ndarray = X_LINE) -> dict[str, Any]:
    """The k-layer network's output, its linear collapse and the largest difference (pure).

    Returns a dict with "x" (m,), "network" (m,), "collapsed" (m,), "W" and "b" (floats of the
    collapsed 1 → 1 layer) and "max_diff".
    """
    layers = random_stack(int(k), width, np.random.default_rng(int(seed)))
    net = stack_output(x, layers, activation)[:, 0]
    W, b = collapse_linear(layers)
    single = (x @ W + b)[:, 0]  # (m, 1) @ (1, 1) + (1,) -> (m, 1)
    return {"x": x[:, 0], "network": net, "collapsed": single, "W": float(W[0, 0]),
            "b": float(b[0]), "max_diff": float(np.max(np.abs(net - single)))}


class DepthPanel(Panel):
    """Controls: ``k`` (number of layers), ``activation`` ("identity" / "relu"), ``seed``.

    Artists: ``net_line`` (the network), ``single_line`` (the collapsed single layer, dashed).
    """

    figsize = (8.0, 4.2)

    def __init__(self, k: int = 3, activation: str = "identity", seed: int = 1) -> None:
        controls = {
            "k": int_slider("layers k", k, 1, 12),
            "activation": toggle("activation", ["identity", "relu"], activation),
            "seed": int_slider("weights seed", seed, 0, 30),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        # fixed margins instead of a layout frozen at the first draw: the y tick labels widen
        # with k ("2" → "−0.15" or "−30"), and a frozen layout clipped the y label off the left
        fig.set_layout_engine("none")
        ax = self.ax = fig.add_axes((0.14, 0.14, 0.84, 0.76))  # left, bottom, width, height
        ax.yaxis.set_label_coords(-0.115, 0.5)
        (self.net_line,) = ax.plot([], [], color=COLORS["blue"], linewidth=4, label="k-layer network")
        (self.single_line,) = ax.plot([], [], color=COLORS["orange"], linestyle="--", linewidth=2.5,
                                      label="collapse_linear: one layer")
        ax.set_xlim(X_LINE[0, 0], X_LINE[-1, 0])
        ax.set_xlabel("input x")
        ax.set_ylabel("output")
        ax.legend(loc="upper left")

    def _animated_artists(self) -> list[Any]:
        return [self.net_line, self.single_line, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        res = compute_depth(values["k"], values["activation"], values["seed"])
        self.net_line.set_data(res["x"], res["network"])
        self.single_line.set_data(res["x"], res["collapsed"])
        both = np.concatenate([res["network"], res["collapsed"]])
        # ±1 while both lines fit, else each side on a ladder of nice values: fewer limit
        # changes, so fewer full redraws (and backgrounds seen before are cached)
        self.ax.set_ylim(*ladder_limits(float(both.min()), float(both.max()), base=(-1.0, 1.0), pad=0.1))
        k, act = values["k"], values["activation"]
        self.ax.set_title(f"{k} layer{'s' if k > 1 else ''}, activation {act}")
        ok = res["max_diff"] < 1e-9
        verdict = ("the collapse is exact" if ok else
                   "the collapse fails: a non-linear network is not one linear layer")
        sign = "−" if res["b"] < 0 else "+"
        self.readout.value = (f"one layer (collapse_linear): y = {_minus(res['W'])}·x {sign} "
                              f"{abs(res['b']):.3f} &nbsp;·&nbsp; "
                              f"max |network − one layer| = {res['max_diff']:.2g} → {verdict}")
