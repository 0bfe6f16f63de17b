"""Activation explorer (01_nonlinearity): choose f, slide w and b, see a = f(w·x + b)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..activations import ACTIVATIONS, get_activation
from ..style import COLORS
from ._limits import ladder_limits
from ._panel import Panel, dropdown, float_slider

__all__ = ["ActivationExplorer", "compute_activation_curve"]


def compute_activation_curve(x: np.ndarray, activation: str, w: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """a = f(w·x + b) and its derivative da/dx = w·f'(w·x + b), for plotting."""
    act = get_activation(activation)
    z = w * np.asarray(x, dtype=np.float64) + b
    return act(z), w * act.grad(z)


class ActivationExplorer(Panel):
    """One neuron with one input: a = f(w·x + b), with its slope drawn dashed.

    Controls: ``activation`` (drop-down), ``w`` and ``b`` (sliders).
    Artists: ``line`` (the activation), ``slope_line`` (its derivative), ``zero_marker``
    (where w·x + b = 0).
    """

    x = np.linspace(-5.0, 5.0, 401)

    def __init__(self, activation: str = "sigmoid", w: float = 1.0, b: float = 0.0) -> None:
        controls = {
            "activation": dropdown("activation", list(ACTIVATIONS), activation),
            "w": float_slider("weight w", w, -5.0, 5.0, 0.1),
            "b": float_slider("bias b", b, -5.0, 5.0, 0.1),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        (self.line,) = ax.plot([], [], color=COLORS["blue"], label="a = f(w·x + b)")
        (self.slope_line,) = ax.plot([], [], color=COLORS["orange"], linestyle="--",
                                     label="slope da/dx")
        (self.zero_marker,) = ax.plot([], [], "o", color=COLORS["vermillion"], markersize=9,
                                      label="w·x + b = 0")
        ax.axhline(0, color="0.4", linewidth=1)
        ax.set_xlim(self.x[0], self.x[-1])
        ax.set_xlabel("input x")
        ax.set_ylabel("output a")
        ax.legend(loc="upper left")

    def _animated_artists(self) -> list[Any]:
        return [self.line, self.slope_line, self.zero_marker, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        w, b = float(values["w"]), float(values["b"])
        a, slope = compute_activation_curve(self.x, values["activation"], w, b)
        self.line.set_data(self.x, a)
        self.slope_line.set_data(self.x, slope)
        act = get_activation(values["activation"])
        if w != 0:
            x0 = -b / w
            a0 = float(act(np.array([0.0]))[0])
            self.zero_marker.set_data([x0], [a0])
            where = f"w·x + b = 0 at x = −b/w = {round(x0, 2) + 0.0:.2f}".replace("-", "−")
        else:
            self.zero_marker.set_data([], [])
            where = "w = 0: the output is the constant f(b)"
        # ±1.21 while the curves fit, else each side on a short ladder (2, 2.5, 3, 4, 5, 6, 8,
        # 10, 12): a slider step rarely changes the limits, so it rarely costs a full redraw
        lo, hi = min(float(np.min(a)), float(np.min(slope))), max(float(np.max(a)), float(np.max(slope)))
        self.ax.set_ylim(*ladder_limits(lo, hi, base=(-1.21, 1.21), cap=12.0))
        self.ax.set_title(f"{act.name}:  a = f({w:.2f}·x + {b:.2f})")
        self.readout.value = f"<b>{act.name}</b> &nbsp; w = {w:.2f}, b = {b:.2f} &nbsp;·&nbsp; {where}"
