"""One sigmoid neuron of two inputs = a logistic-regression unit (01_nonlinearity).

P = σ(w1·x1 + w2·x2 + b) over the (x1, x2) plane, the line P = 0.5 (where z = 0), the weight
vector w (perpendicular to that line) and one query point with its prediction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..activations import sigmoid
from ..plotting.decision import grid_points
from ..style import COLORS, DIVERGING_CMAP
from ._panel import Panel, float_slider

__all__ = ["NeuronPanel", "compute_neuron_plane", "boundary_segment"]

LIM = (-3.0, 3.0)


def compute_neuron_plane(w1: float, w2: float, b: float, grid: int = 81) -> np.ndarray:
    """P = σ(w1·x1 + w2·x2 + b) on a grid × grid lattice over [-3, 3]² (rows: x2 ascending)."""
    _, _, P = grid_points(LIM, LIM, grid)
    return sigmoid(P @ np.array([w1, w2]) + b).reshape(grid, grid)  # (g², 2) @ (2,) -> (g²,)


def boundary_segment(w1: float, w2: float, b: float, lim: tuple[float, float] = LIM
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Two end points of the line w1·x1 + w2·x2 + b = 0 across the square ``lim``²
    (empty arrays if w = 0: then there is no boundary)."""
    if w1 == 0 and w2 == 0:
        return np.array([]), np.array([])
    t = np.array(lim, dtype=float) * 3  # long enough to cross the square
    if abs(w2) >= abs(w1):
        return t, -(w1 * t + b) / w2
    return -(w2 * t + b) / w1, t


class NeuronPanel(Panel):
    """Controls ``w1``, ``w2``, ``b`` (the neuron) and ``x1``, ``x2`` (a query point).

    Artists: ``image`` (P over the plane), ``boundary`` (the line P = 0.5), ``arrow`` (the
    weight vector, a quiver), ``point`` (the query point).
    """

    figsize = (6.4, 5.0)
    grid = 81

    def __init__(self, w1: float = 1.0, w2: float = 2.0, b: float = -1.0,
                 x1: float = 1.0, x2: float = 1.0) -> None:
        controls = {
            "w1": float_slider("weight w1", w1, -4.0, 4.0, 0.1),
            "w2": float_slider("weight w2", w2, -4.0, 4.0, 0.1),
            "b": float_slider("bias b", b, -4.0, 4.0, 0.1),
            "x1": float_slider("point x1", x1, -3.0, 3.0, 0.1),
            "x2": float_slider("point x2", x2, -3.0, 3.0, 0.1),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        self.image = ax.imshow(np.zeros((self.grid, self.grid)), origin="lower", extent=(*LIM, *LIM),
                               cmap=DIVERGING_CMAP, vmin=0, vmax=1, aspect="equal",
                               interpolation="bilinear")
        fig.colorbar(self.image, ax=ax, label="P(class 1) = σ(z)")
        (self.boundary,) = ax.plot([], [], color="black", linewidth=3, label="P = 0.5  (z = 0)")
        self.arrow = ax.quiver([0], [0], [1], [0], angles="xy", scale_units="xy", scale=1,
                               color=COLORS["vermillion"], width=0.012, zorder=4, label="w")
        # white with a black rim: visible on both ends of the colour map (a class-coloured
        # point vanished into the background of its own class)
        (self.point,) = ax.plot([], [], "o", markersize=13, markerfacecolor="white",
                                markeredgecolor="black", markeredgewidth=2.5, zorder=5,
                                label="query point")
        self.point_label = ax.text(0, 0, "", fontsize=13, fontweight="bold", zorder=6,
                                   va="bottom", ha="left",
                                   bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                                         "edgecolor": "black", "alpha": 0.9})
        ax.set_xlim(*LIM)
        ax.set_ylim(*LIM)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.grid(False)
        # opaque: the map changes under it on every update, and then only its frame needs
        # drawing (Panel._overlay_artists)
        ax.legend(loc="lower left", fontsize=11, framealpha=1.0)

    def _animated_artists(self) -> list[Any]:
        # everything a full draw paints over the heat map, in its order (zorder): the map, the
        # boundary, the axes frame, the title, the arrow, the point, the legend, the label
        ax = self.ax
        return [self.image, self.boundary, *ax.spines.values(), ax.title, self.arrow, self.point,
                ax.get_legend(), self.point_label]

    def _overlay_artists(self) -> list[Any]:
        return [self.ax.get_legend()]

    def _update(self, values: dict[str, Any]) -> None:
        w1, w2, b = float(values["w1"]), float(values["w2"]), float(values["b"])
        x1, x2 = float(values["x1"]), float(values["x2"])
        self.image.set_data(compute_neuron_plane(w1, w2, b, self.grid))
        self.boundary.set_data(*boundary_segment(w1, w2, b))
        # the arrow starts at the point of the boundary closest to the origin
        norm2 = w1 * w1 + w2 * w2
        base = (-b * w1 / norm2, -b * w2 / norm2) if norm2 else (0.0, 0.0)
        self.arrow.set_offsets([base])
        self.arrow.set_UVC([w1], [w2])
        z = w1 * x1 + w2 * x2 + b
        p = float(sigmoid(z))
        pred = int(p > 0.5)
        self.point.set_data([x1], [x2])
        self.point_label.set_text(f"ŷ = {pred}")
        # the label sits up-right of the point, or up-left near the right edge
        right = x1 > LIM[1] - 1.2
        self.point_label.set_position((x1 - 0.2 if right else x1 + 0.2, x2 + 0.15 if x2 < LIM[1] - 0.6 else x2 - 0.6))
        self.point_label.set_ha("right" if right else "left")
        sign = "−" if b < 0 else "+"
        self.ax.set_title(f"P = σ({w1:.1f}·x1 + {w2:.1f}·x2 {sign} {abs(b):.1f})")
        self.readout.value = (f"at (x1, x2) = ({x1:.1f}, {x2:.1f}): z = {z:.2f}, "
                              f"P = σ(z) = {p:.3f} → predict <b>{pred}</b>")
