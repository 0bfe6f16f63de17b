"""Towers panel (03_universal_approximation): hidden units of two inputs, from a ridge to towers."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..towers import cross_2d, tower_2d, towers_network_2d
from ..plotting.approximation import plot_heatmap
from ..style import COLORS
from ._panel import Panel, float_slider, int_slider, toggle

__all__ = ["TowersPanel", "towers_target"]


def towers_target(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """The 2-D function the "many towers" view approximates: two hills on [0, 1]²."""
    return (np.exp(-((x1 - 0.35) ** 2 + (x2 - 0.6) ** 2) / 0.04)
            + 0.6 * np.exp(-((x1 - 0.75) ** 2 + (x2 - 0.3) ** 2) / 0.02))


class TowersPanel(Panel):
    """Heat maps over the (x1, x2) plane.

    Views: "neuron" — one hidden unit a = σ(w1·x1 + w2·x2 + b), a non-linear function of a
    linear combination of the inputs (a soft step across the line w1·x1 + w2·x2 + b = 0);
    "cross" — four step neurons summed (a bump in x1 plus a bump in x2); "tower" — an output
    neuron thresholding the cross at 1.5 keeps only the square; "towers" — n×n towers whose
    heights follow a target, like the bumps in 1-D.
    Controls: ``view``, ``w1``, ``w2``, ``b`` (neuron view), ``n`` (towers per axis).
    Artists: ``image`` (the heat map), ``boundary`` (the line w·x + b = 0, neuron view).
    """

    figsize = (10.0, 4.8)
    grid = np.linspace(0.0, 1.0, 81)

    def __init__(self, view: str = "neuron", n: int = 6) -> None:
        self.X1, self.X2 = np.meshgrid(self.grid, self.grid)  # (81, 81): rows x2, columns x1
        self.Z = np.zeros_like(self.X1)
        self.errors: dict[str, float] = {}
        super().__init__({
            "view": toggle("show", [("1 neuron", "neuron"), ("cross", "cross"), ("tower", "tower"),
                                    ("towers", "towers")], view),
            "w1": float_slider("w1", 10.0, -30.0, 30.0, 0.5),
            "w2": float_slider("w2", 5.0, -30.0, 30.0, 0.5),
            "b": float_slider("b", -7.5, -30.0, 30.0, 0.5),
            "n": int_slider("towers per axis", n, 1, 12),
        })

    def _build(self, fig: Figure) -> None:
        self.ax, self.ax_t = fig.subplots(1, 2)
        plot_heatmap(self.Z, ax=self.ax, vmin=0, vmax=1, label="output a")
        self.image = self.ax.images[0]
        (self.boundary,) = self.ax.plot([], [], "--", color=COLORS["vermillion"], linewidth=2.5,
                                        label="w1·x1 + w2·x2 + b = 0")
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(0, 1)
        plot_heatmap(towers_target(self.X1, self.X2), ax=self.ax_t, vmin=0, vmax=1.05, colorbar=False)
        self.ax_t.set_title("target (for “towers”)")

    def _update(self, values: dict[str, Any]) -> None:
        view = values["view"]
        w1, w2, b = float(values["w1"]), float(values["w2"]), float(values["b"])
        X1, X2 = self.X1, self.X2
        self.boundary.set_data([], [])
        if view == "neuron":
            Z = 1.0 / (1.0 + np.exp(-np.clip(w1 * X1 + w2 * X2 + b, -60, 60)))
            self._draw_boundary(w1, w2, b)
            sign = lambda v: f"{'+' if v >= 0 else '−'} {abs(v):.1f}"  # noqa: E731
            title = f"a = σ({w1:.1f}·x₁ {sign(w2)}·x₂ {sign(b)})"
            text = ("one hidden unit: a <i>non-linear</i> function of the linear combination "
                    "w1·x1 + w2·x2 + b — a soft step across the dashed line, constant along it")
            vmax = 1.0
        elif view == "cross":
            Z = cross_2d(X1, X2, (0.4, 0.6), (0.4, 0.6))
            title, vmax = "4 step neurons summed: 2 on the square, 1 on the arms", 2.0
            text = "a bump in x1 (2 neurons) + a bump in x2 (2 neurons): a cross, not yet a tower"
        elif view == "tower":
            Z = tower_2d(X1, X2, (0.4, 0.6), (0.4, 0.6))
            title, vmax = "σ(50·(cross − 1.5)): a tower", 1.0
            text = "an output neuron with bias −1.5 keeps only where the cross reaches 2: a tower"
        else:
            n = int(values["n"])
            Z = towers_network_2d(towers_target, n, X1, X2)
            err = np.abs(Z - towers_target(X1, X2))
            self.errors = {"max_abs": float(err.max()), "mean_abs": float(err.mean())}
            title, vmax = f"{n}×{n} towers", 1.05
            text = (f"{n * n} towers ({4 * n} step neurons + {n * n} threshold neurons): "
                    f"max |error| = <b>{self.errors['max_abs']:.3f}</b>, mean = "
                    f"<b>{self.errors['mean_abs']:.3f}</b>")
        self.Z = Z
        self.image.set_array(Z)
        self.image.set_clim(0.0, vmax)
        self.ax.set_title(title, fontsize="medium")
        self.readout.value = text

    def _draw_boundary(self, w1: float, w2: float, b: float) -> None:
        if abs(w2) > 1e-12:
            xs = self.grid[[0, -1]]
            self.boundary.set_data(xs, -(w1 * xs + b) / w2)
        elif abs(w1) > 1e-12:
            self.boundary.set_data([-b / w1] * 2, [0.0, 1.0])
