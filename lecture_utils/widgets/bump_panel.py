"""Bump panel (03_universal_approximation): two step neurons, one subtracted, make a bump."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..approximation import bump, step_neuron
from ..style import COLORS
from ._panel import Panel, float_slider

__all__ = ["BumpPanel"]


class BumpPanel(Panel):
    """h·σ(w(x − left)) − h·σ(w(x − right)): a bump of height h on [left, right].

    Controls: ``left``, ``right``, ``height``, ``w`` (steepness). Artists: ``line`` (the
    bump), ``rise_line`` and ``fall_line`` (the two neurons' contributions, dashed).
    """

    figsize = (8.0, 4.0)
    x = np.linspace(0.0, 1.0, 801)

    def __init__(self, left: float = 0.4, right: float = 0.6, height: float = 0.8, w: float = 200.0) -> None:
        super().__init__({"left": float_slider("left edge", left, 0.0, 1.0, 0.01),
                          "right": float_slider("right edge", right, 0.0, 1.0, 0.01),
                          "height": float_slider("height h", height, -1.0, 1.0, 0.05),
                          "w": float_slider("steepness w", w, 5.0, 500.0, 5.0, ".0f")})

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        (self.rise_line,) = ax.plot([], [], "--", color=COLORS["green"], linewidth=2,
                                    label="neuron 1: +h·σ(w(x − left))")
        (self.fall_line,) = ax.plot([], [], ":", color=COLORS["purple"], linewidth=2.5,
                                    label="neuron 2: −h·σ(w(x − right))")
        (self.line,) = ax.plot([], [], color=COLORS["blue"], linewidth=3.5, label="sum: the bump")
        ax.axhline(0, color="0.4", linewidth=1)
        ax.set_xlim(0, 1)
        ax.set_ylim(-1.1, 1.1)
        ax.set_xlabel("input x")
        ax.set_ylabel("output")
        ax.legend(loc="lower left", fontsize="small")

    def _animated_artists(self) -> list[Any]:
        return [self.rise_line, self.fall_line, self.line, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        left, right, h, w = (float(values[k]) for k in ("left", "right", "height", "w"))
        self.rise_line.set_data(self.x, h * step_neuron(self.x, w, -w * left))
        self.fall_line.set_data(self.x, -h * step_neuron(self.x, w, -w * right))
        self.line.set_data(self.x, bump(self.x, left, right, h, w))
        note = "" if left < right else " — left ≥ right: the neurons cancel or flip the bump"
        self.ax.set_title(f"bump of height {h:.2f} on [{left:.2f}, {right:.2f}]")
        self.readout.value = (f"neuron 1: w = {w:.0f}, b = {-w * left:.1f} &nbsp;·&nbsp; neuron 2: "
                              f"w = {w:.0f}, b = {-w * right:.1f} &nbsp;·&nbsp; output weights "
                              f"+{h:.2f}, −{h:.2f}{note}")
