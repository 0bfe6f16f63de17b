"""Towers panel (03_universal_approximation): hidden units of two inputs, from a ridge to towers.

The "towers" view is the repaired construction of :func:`~lecture_utils.towers.towers_network_2d`:
M shifted copies of an n×n grid. With M = 1 the error map on the right shows the failure
windows at the cell corners; with M = n they shrink to at most max|f|/M.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..plotting.approximation import plot_heatmap
from ..style import COLORS
from ..towers import cell_corners, cross_2d, tower_2d, towers_network_2d, towers_unit_counts
from ._layers import draw_order
from ._panel import Panel, float_slider, int_slider, toggle
from ._recent import Recent

__all__ = ["TowersPanel", "towers_target"]


def towers_target(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """The 2-D function the "many towers" view approximates: two hills on [0, 1]²."""
    return (np.exp(-((x1 - 0.35) ** 2 + (x2 - 0.6) ** 2) / 0.04)
            + 0.6 * np.exp(-((x1 - 0.75) ** 2 + (x2 - 0.3) ** 2) / 0.02))


#: (n, M) results kept per panel
KEPT = 8


class TowersPanel(Panel):
    """Heat maps over the (x1, x2) plane.

    Views: "neuron" — one hidden unit a = σ(w1·x1 + w2·x2 + b), a non-linear function of a
    linear combination of the inputs (a soft step across the line w1·x1 + w2·x2 + b = 0);
    "cross" — four step neurons summed (a bump in x1 plus a bump in x2); "tower" — a threshold
    neuron on the cross at 1.5 keeps only the square; "towers" — M shifted copies of n×n towers
    whose heights follow a target (two hidden layers: step units, then threshold units).
    Controls: ``view``, ``w1``, ``w2``, ``b`` (neuron view), ``n`` (towers per axis) and
    ``copies`` (M, towers view). Artists: ``image`` (the output), ``boundary`` (the line
    w·x + b = 0, neuron view), ``right_image`` (the target, or |error| in the towers view) and
    ``worst_marker`` (where the error is largest). ``errors`` holds max / mean |error|: the mean
    over the grid, the max over the grid **and** every interior cell corner of every copy (where
    the failure windows sit; most corners k/n are not grid points).
    """

    figsize = (10.0, 4.8)
    grid = np.linspace(0.0, 1.0, 121)  # spacing 1/120: every cell corner k/n for n | 120 is a pixel

    def __init__(self, view: str = "neuron", n: int = 6, copies: int = 6) -> None:
        self.X1, self.X2 = np.meshgrid(self.grid, self.grid)  # (121, 121): rows x2, columns x1
        self.F = towers_target(self.X1, self.X2)
        self.Z = np.zeros_like(self.X1)
        self.errors: dict[str, float] = {}
        # the last few (n, M) seen (a slider pressed back and forth), not all 300 of them (~40 MB)
        self._cache = Recent()  # (n, M) -> the network on the grid
        self._corner_cache = Recent()  # (n, M) -> (x1, x2, |towers − target|) at the cell corners
        super().__init__({
            "view": toggle("show", [("1 neuron", "neuron"), ("cross", "cross"), ("tower", "tower"),
                                    ("towers", "towers")], view),
            "w1": float_slider("w1", 10.0, -30.0, 30.0, 0.5),
            "w2": float_slider("w2", 5.0, -30.0, 30.0, 0.5),
            "b": float_slider("b", -7.5, -30.0, 30.0, 0.5),
            "n": int_slider("n per axis", n, 1, 24),
            "copies": int_slider("copies M", copies, 1, 24),
        })

    def _build(self, fig: Figure) -> None:
        self.ax, self.ax_t = fig.subplots(1, 2)
        plot_heatmap(self.Z, ax=self.ax, vmin=0, vmax=1, label="output")
        self.image = self.ax.images[0]
        (self.boundary,) = self.ax.plot([], [], "--", color=COLORS["vermillion"], linewidth=2.5,
                                        label="w1·x1 + w2·x2 + b = 0")
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(0, 1)
        plot_heatmap(self.F, ax=self.ax_t, vmin=0, vmax=1.05, colorbar=False)
        self.right_image = self.ax_t.images[0]
        (self.worst_marker,) = self.ax_t.plot([], [], "o", markersize=16, markerfacecolor="none",
                                              markeredgecolor=COLORS["vermillion"], markeredgewidth=2.5)
        self.ax_t.set_xlim(0, 1)
        self.ax_t.set_ylim(0, 1)

    def _animated_artists(self) -> list[Any]:
        # both heat maps change; their frames, the dashed line, the circle and the titles lie
        # on them (each axes in a full draw's order); the colour bar follows the view's limits
        return draw_order(self.ax) + draw_order(self.ax_t)

    def towers_output(self, n: int, copies: int) -> np.ndarray:
        """The towers network on the panel's grid (cached per n and M)."""
        key = (int(n), int(copies))
        if key in self._cache:
            self._cache.touch(key)
        else:
            self._cache.put(key, towers_network_2d(towers_target, key[0], self.X1, self.X2, copies=key[1]), KEPT)
        return self._cache[key]

    def corner_errors(self, n: int, copies: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x1, x2, |towers − target|) at every interior cell corner of every copy (cached)."""
        key = (int(n), int(copies))
        if key in self._corner_cache:
            self._corner_cache.touch(key)
        else:
            c1, c2 = cell_corners(*key)
            if c1.size:
                err = np.abs(towers_network_2d(towers_target, key[0], c1, c2, copies=key[1]) - towers_target(c1, c2))
            else:  # one cell and one copy: no interior corner (the grid alone gives the max)
                err = np.zeros(0)
            self._corner_cache.put(key, (c1, c2, err), KEPT)
        return self._corner_cache[key]

    def _update(self, values: dict[str, Any]) -> None:
        view = values["view"]
        for name in ("w1", "w2", "b"):  # grey out what this view does not use
            self.controls[name].disabled = view != "neuron"
        for name in ("n", "copies"):
            self.controls[name].disabled = view != "towers"
        w1, w2, b = float(values["w1"]), float(values["w2"]), float(values["b"])
        X1, X2 = self.X1, self.X2
        self.boundary.set_data([], [])
        self.worst_marker.set_data([], [])
        right, right_title = self.F, "target (for “towers”)"
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
            text = ("a threshold neuron — a <b>second</b> hidden layer — with bias −1.5 keeps only "
                    "where the cross reaches 2: a tower")
        else:
            n, m = int(values["n"]), int(values["copies"])
            Z = self.towers_output(n, m)
            err = np.abs(Z - self.F)
            c1, c2, corner_err = self.corner_errors(n, m)
            r, c = np.unravel_index(int(np.argmax(err)), err.shape)
            worst, at = float(err.max()), (self.grid[c], self.grid[r])
            if corner_err.size and corner_err.max() > worst:   # a corner between the grid points
                k = int(np.argmax(corner_err))
                worst, at = float(corner_err[k]), (float(c1[k]), float(c2[k]))
            self.errors = {"max_abs": worst, "mean_abs": float(err.mean())}
            self.worst_marker.set_data([at[0]], [at[1]])
            right, right_title = err, f"|towers − target|: max {self.errors['max_abs']:.2f} (circle)"
            units = towers_unit_counts(n, m)
            title, vmax = f"{n}×{n} towers, " + ("1 copy" if m == 1 else f"{m} shifted copies"), 1.05
            windows = (" at a cell corner, where all four towers switch off: raise M" if m == 1 and n > 1 else
                       f" (≈ max|f|/M = {float(self.F.max()) / m:.2f} where one copy fails, plus the grid's own error)")
            text = (f"two hidden layers: {units['steps']} step units, then {units['thresholds']} threshold "
                    f"units (towers) · max |error| = <b>{self.errors['max_abs']:.3f}</b>{windows}, "
                    f"mean = <b>{self.errors['mean_abs']:.4f}</b>")
        self.Z = Z
        self.image.set_array(Z)
        self.image.set_clim(0.0, vmax)
        self.right_image.set_array(right)
        self.ax.set_title(title, fontsize="medium")
        self.ax_t.set_title(right_title, fontsize="medium")
        self.readout.value = text

    def _draw_boundary(self, w1: float, w2: float, b: float) -> None:
        if abs(w2) > 1e-12:
            xs = self.grid[[0, -1]]
            self.boundary.set_data(xs, -(w1 * xs + b) / w2)
        elif abs(w1) > 1e-12:
            self.boundary.set_data([-b / w1] * 2, [0.0, 1.0])
