"""Step panel (03_universal_approximation): one sigmoid neuron σ(w·x + b) becomes a step at −b/w."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..approximation import step_neuron
from ..style import COLORS
from ._panel import Panel, float_slider

__all__ = ["StepPanel"]


class StepPanel(Panel):
    """Slide w and b of one sigmoid neuron; the dashed line marks s = −b/w, where σ = 1/2.

    Controls: ``w``, ``b``. Artists: ``line`` (σ(w·x + b) on [0, 1]), ``step_line`` (vertical
    line at s), ``half_marker`` (the point (s, 1/2)).
    """

    figsize = (8.0, 4.0)
    x = np.linspace(0.0, 1.0, 801)

    def __init__(self, w: float = 8.0, b: float = -4.0) -> None:
        super().__init__({"w": float_slider("weight w", w, -200.0, 200.0, 1.0, ".0f"),
                          "b": float_slider("bias b", b, -200.0, 200.0, 1.0, ".0f")})

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        (self.line,) = ax.plot([], [], color=COLORS["blue"], label="σ(w·x + b)")
        self.step_line = ax.axvline(0.5, color=COLORS["vermillion"], linestyle="--", label="s = −b/w")
        (self.half_marker,) = ax.plot([], [], "o", color=COLORS["vermillion"], markersize=10)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("input x")
        ax.set_ylabel("output a")
        ax.legend(loc="upper left")

    def _animated_artists(self) -> list[Any]:
        return [self.line, self.step_line, self.half_marker, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        w, b = float(values["w"]), float(values["b"])
        self.line.set_data(self.x, step_neuron(self.x, w, b))
        if w == 0:
            self.step_line.set_visible(False)
            self.half_marker.set_data([], [])
            self.ax.set_title(f"w = 0: the constant σ({b:.0f})")
            self.readout.value = "w = 0: no step, the output is the constant σ(b)."
            return
        s = -b / w
        self.step_line.set_visible(True)
        self.step_line.set_xdata([s, s])
        self.half_marker.set_data([s], [0.5])
        where = "" if 0 <= s <= 1 else " (outside [0, 1]: not visible)"
        width = 4.4 / abs(w)  # σ goes from 0.1 to 0.9 over 2·ln 9 / |w| ≈ 4.4 / |w|
        direction = "up" if w > 0 else "down"
        self.ax.set_title(f"step {direction} at s = −b/w = {s:.3f}")
        self.readout.value = (f"w = {w:.0f}, b = {b:.0f} &nbsp;→&nbsp; step at <b>s = −b/w = {s:.3f}</b>"
                              f"{where}; it rises from 0.1 to 0.9 over Δx ≈ 4.4/|w| = {width:.3f}")
