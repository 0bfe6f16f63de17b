"""Gradient-flow panel (07_training §5): does the gradient survive a deep stack?

One backward pass of the spiral's 300 training points through ``depth`` hidden layers of 32
units, freshly initialised. Left: ‖∂L/∂W_l‖ for every layer on a log scale (layer 1 is nearest
the input; "out" is the output layer), with — for the sigmoid — what the bound σ' ≤ ¼ alone
would predict (a factor 4 per layer down from the output layer). Right: the mean slope f'(z)
of each hidden layer, the gate the flowing gradient passes.

Controls: ``depth`` (hidden layers, 1–10), ``activation`` (sigmoid, tanh, relu), ``init``
(Xavier or He, see :mod:`lecture_utils.gradient_flow`) and ``gain`` (multiplies every initial
weight). Nothing is trained.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..gradient_flow import GradientFlow, deep_layers, gradient_flow
from ..style import COLORS
from ._panel import Panel, int_slider, toggle

__all__ = ["GradientFlowPanel", "MAX_DEPTH", "NORM_LIMITS"]

MAX_DEPTH = 10
WIDTH = 32
#: fixed log-scale range of the gradient bars, so settings can be compared by eye
NORM_LIMITS = (1e-12, 1e8)


def _gain_slider(value: float) -> widgets.FloatLogSlider:
    """0.5 … 4 in steps of ×√2 (each arrow key), so 1, 2 and 4 are hit exactly."""
    return widgets.FloatLogSlider(value=value, base=2, min=-1, max=2, step=0.5, description="weight scale ×",
                                  readout_format=".2f", continuous_update=True,
                                  layout=widgets.Layout(width="420px"), style={"description_width": "110px"})


class GradientFlowPanel(Panel):
    """Per-layer gradient norms of a freshly initialised deep network, and its mean slopes.

    Parameters
    ----------
    dataset : object with X_train, y_train, optional
        Default: ``lecture_utils.data.load("spiral")``.
    depth, activation, init, gain
        Initial control values.
    seed : int
        Seeds the initial weights (the same draw for every setting, rescaled).

    Attributes
    ----------
    flow : :class:`lecture_utils.gradient_flow.GradientFlow` — the current measurement
    norm_bars : list of Rectangle — hidden layers 1 … MAX_DEPTH, then the output layer (always
        the last bar, grey); layers beyond ``depth`` have zero height
    slope_bars : list of Rectangle, one per possible hidden layer
    quarter_line : Line2D — the "×¼ per layer" prediction (visible for the sigmoid only)
    """

    figsize = (10.4, 4.4)  # 832 px: fits a notebook beside JupyterLab's open file browser

    def __init__(self, dataset: Any = None, *, depth: int = MAX_DEPTH, activation: str = "sigmoid",
                 init: str = "xavier", gain: float = 1.0, seed: int = 0) -> None:
        if dataset is None:
            from ..data import load

            dataset = load("spiral")
        self.X, self.y = dataset.X_train, dataset.y_train
        self.seed = int(seed)
        controls = {
            "depth": int_slider("hidden layers", depth, 1, MAX_DEPTH),
            "activation": toggle("activation", ["sigmoid", "tanh", "relu"], activation),
            "init": toggle("initialisation", [("Xavier", "xavier"), ("He", "he")], init),
            "gain": _gain_slider(gain),
        }
        super().__init__(controls)

    # -- figure --------------------------------------------------------------------------------
    def _build(self, fig: Figure) -> None:
        self.ax, self.slope_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1.45, 1.0)})
        ax, sax = self.ax, self.slope_ax
        lo, hi = NORM_LIMITS
        # hidden layers at x = 1 … MAX_DEPTH, the output layer always at the right ("out")
        self._x = np.arange(1, MAX_DEPTH + 2, dtype=float)
        self.norm_bars = list(ax.bar(self._x, np.zeros(MAX_DEPTH + 1), bottom=lo, width=0.7,
                                     color=COLORS["blue"], label="‖∂L/∂W‖ of a fresh network"))
        self.norm_bars[-1].set_facecolor("0.45")
        (self.quarter_line,) = ax.plot([], [], linestyle="--", marker="o", markersize=4,
                                       color=COLORS["vermillion"], label="sigmoid: ×¼ per layer, the slope bound alone")
        ax.set_yscale("log")
        ax.set_ylim(lo / 10 ** 0.6, hi * 10 ** 0.6)  # margins: bars never touch the spines
        ax.set_yticks([10.0 ** k for k in range(-12, 9, 4)])
        ax.set_xlim(0.4, MAX_DEPTH + 1.6)
        ax.set_xticks(self._x, [str(i) for i in range(1, MAX_DEPTH + 1)] + ["out"])
        ax.set_xlabel("layer (1 = nearest the input)")
        ax.set_ylabel("gradient norm ‖∂L/∂W‖")
        # opaque: a bar under it needs only its frame redrawn (Panel._overlay_artists)
        self.legend = ax.legend(loc="upper left", fontsize=10, framealpha=1.0)
        ax.grid(True, axis="y", alpha=0.4)
        ax.grid(False, axis="x")
        ax.set_axisbelow(True)
        self.slope_bars = list(sax.bar(self._x[:-1], np.zeros(MAX_DEPTH), width=0.7, color=COLORS["green"]))
        sax.axhline(0.25, color="0.3", linestyle=":", linewidth=1.5, zorder=0.5)
        sax.set_ylim(-0.03, 1.05)
        sax.set_xlim(0.4, MAX_DEPTH + 0.6)
        sax.set_xticks(range(1, MAX_DEPTH + 1))
        sax.set_xlabel("hidden layer")
        sax.set_ylabel("mean slope f′(z)")
        sax.set_title("each layer's gate (dotted: ¼)", fontsize=13)
        sax.grid(True, axis="y", alpha=0.4)
        sax.grid(False, axis="x")
        sax.set_axisbelow(True)

    def _animated_artists(self) -> list[Any]:
        # the legend last: it is drawn over the bars in a full draw too
        return [*self.norm_bars, self.quarter_line, *self.slope_bars, self.ax.title, self.legend]

    def _overlay_artists(self) -> list[Any]:
        return [self.legend]

    def measure(self, values: dict[str, Any] | None = None) -> GradientFlow:
        """The gradient flow for the given control values (default: the current ones)."""
        v = self.values if values is None else values
        layers = deep_layers(int(v["depth"]), WIDTH, d_in=self.X.shape[1], d_out=int(self.y.max()) + 1,
                             init=v["init"], gain=float(v["gain"]), seed=self.seed)
        return gradient_flow(self.X, self.y, layers, v["activation"])

    def _update(self, values: dict[str, Any]) -> None:
        depth, act = int(values["depth"]), values["activation"]
        flow = self.flow = self.measure(values)
        lo, hi = NORM_LIMITS
        shown = list(flow.grad_norms[:-1]) + [np.nan] * (MAX_DEPTH - depth) + [flow.grad_norms[-1]]
        for bar, value in zip(self.norm_bars, shown):  # unused layers: no bar
            bar.set_height(0.0 if np.isnan(value) else float(np.clip(value, lo, hi)) - lo)
        for i, bar in enumerate(self.slope_bars):
            bar.set_height(float(flow.mean_slopes[i]) if i < depth else 0.0)
        if act == "sigmoid":  # the bound alone: a factor 4 per layer down from the output layer
            steps = np.arange(depth, -1, -1)  # layers 1 … depth, then out: depth … 0 layers below out
            xs = np.append(self._x[:depth], self._x[-1])
            self.quarter_line.set_data(xs, np.clip(flow.grad_norms[-1] * 0.25 ** steps, lo, hi))
        else:
            self.quarter_line.set_data([], [])
        init = "Xavier" if values["init"] == "xavier" else "He"
        self.ax.set_title(f"{depth} hidden layer{'s' if depth > 1 else ''}, {act}, "
                          f"{init} × {float(values['gain']):.2f}")
        slope = "σ′" if act == "sigmoid" else "f′"
        self.readout.value = (
            f"‖∂L/∂W₁‖ = <b>{flow.grad_norms[0]:.1e}</b> &nbsp;·&nbsp; output layer {flow.grad_norms[-1]:.1e} "
            f"&nbsp;·&nbsp; ratio <b>{flow.ratio:.1e}</b> (×{flow.factor_per_layer:.2f} per layer) &nbsp;·&nbsp; "
            f"mean {slope}(z) <b>{flow.mean_slopes.mean():.3f}</b>")
