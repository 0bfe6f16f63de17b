"""XOR: no straight line separates it; two ReLU units do (01_nonlinearity).

Model "one linear layer": a straight line at angle θ (its direction: 0° runs left to right,
90° bottom to top) at signed distance t from the origin; class 1 lies to its left. The
read-out counts how many of the four corners it gets right (never all four). Model "2 hidden
units": the classic hand-set network h = f(X @ [[1, 1], [1, 1]] + (0, −1)), y = h1 − 2·h2,
class 1 where y > 0.5 — with ReLU it gets all four; with the identity it collapses to a
linear layer and fails again. Region edges are drawn as contours of the model's score, so
they are straight lines, not pixel stairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._checks import check_class_labels, check_shape
from ..nonlinearity import XOR_X, XOR_Y, xor_network
from ..plotting.decision import MARKERS, class_cmap, grid_points
from ..style import CLASS_COLORS
from ._panel import Panel, dropdown, float_slider

__all__ = ["XorPanel", "linear_predict", "linear_score"]

LIM = (-0.5, 1.5)
MODELS = ("one linear layer", "2 hidden units")


def linear_score(P: np.ndarray, angle: float, offset: float) -> np.ndarray:
    """n·p − t for the line at angle θ (degrees) and offset t: n = (−sin θ, cos θ) is the
    line's left normal, so the line runs along (cos θ, sin θ). P (m, 2) -> (m,)."""
    t = np.radians(angle)
    return P @ np.array([-np.sin(t), np.cos(t)]) - offset  # (m, 2) @ (2,) -> (m,)


def linear_predict(P: np.ndarray, angle: float, offset: float) -> np.ndarray:
    """Class 1 left of the line at angle θ (degrees) and offset t. P (m, 2) -> (m,) int."""
    return (linear_score(P, angle, offset) > 0).astype(np.int64)


class XorPanel(Panel):
    """Controls: ``model``, ``angle`` and ``offset`` (the linear layer's line), ``activation``
    (the hidden units of the 2-unit network: "relu" or "identity").

    Artists: ``region`` (filled contours of the predicted class, replaced per update),
    ``edge`` (the decision boundary, replaced per update), ``points`` (one scatter per class).
    ``classes`` is the predicted class on the grid (rows x2, columns x1).
    ``X``/``y`` default to the four XOR corners; pass the "xor_noisy" data for clouds.
    """

    figsize = (6.0, 5.2)
    grid = 201

    def __init__(self, X: Any = XOR_X, y: Any = XOR_Y, model: str = MODELS[0],
                 angle: float = -45.0, offset: float = 0.5, activation: str = "relu") -> None:
        X = check_shape(X, "X", (None, 2), allow_inf=False)
        self.X, self.y = X, check_class_labels(y, 2, "y", n=X.shape[0])
        controls = {
            "model": dropdown("model", list(MODELS), model),
            "angle": float_slider("line angle θ°", angle, -180.0, 180.0, 5.0, ".0f"),
            "offset": float_slider("line offset t", offset, -1.5, 1.5, 0.05),
            "activation": dropdown("hidden f", ["relu", "identity"], activation),
        }
        self._xx, self._yy, self._P = grid_points(LIM, LIM, self.grid)
        self.region = self.edge = None
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        self.points = [ax.scatter(*self.X[self.y == c].T, s=260 if len(self.X) <= 8 else 40,
                                  color=CLASS_COLORS[c], marker=MARKERS[c], edgecolor="black",
                                  linewidth=1.5, zorder=3, label=f"XOR = {c}") for c in (0, 1)]
        ax.set_xlim(*LIM)
        ax.set_ylim(*LIM)
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.grid(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)

    def _animated_artists(self) -> list[Any]:
        # the regions and their edge are new artists every update; the axes frame and the
        # points lie on them, then the title (a full draw's zorder)
        ax = self.ax
        return [a for a in (self.region, self.edge) if a is not None] + [*ax.spines.values(), *self.points,
                                                                          ax.title]

    def score(self, P: np.ndarray) -> np.ndarray:
        """The current model's score for points P (m, 2): class 1 where it is > 0."""
        v = self.values
        if v["model"] == MODELS[0]:
            return linear_score(P, float(v["angle"]), float(v["offset"]))
        return xor_network(P, v["activation"]) - 0.5

    def predict(self, P: np.ndarray) -> np.ndarray:
        """The current model's class for points P (m, 2)."""
        return (self.score(P) > 0).astype(np.int64)

    def _update(self, values: dict[str, Any]) -> None:
        linear = values["model"] == MODELS[0]
        # grey out the controls the chosen model does not use
        self.controls["angle"].disabled = self.controls["offset"].disabled = not linear
        self.controls["activation"].disabled = linear
        S = self.score(self._P).reshape(self.grid, self.grid)
        self.classes = (S > 0).astype(np.int64)
        for old in (self.region, self.edge):
            if old is not None:
                old.remove()
        big = max(float(np.abs(S).max()), 1.0) + 1.0
        self.region = self.ax.contourf(self._xx, self._yy, S, levels=[-big, 0.0, big],
                                       colors=[CLASS_COLORS[0], CLASS_COLORS[1]], alpha=0.35, zorder=0)
        self.edge = (self.ax.contour(self._xx, self._yy, S, levels=[0.0], colors="black", linewidths=2,
                                     zorder=1) if S.min() < 0 < S.max() else None)
        correct = int(np.sum(self.predict(self.X) == self.y))
        if linear:
            title = (f"line at θ = {values['angle']:.0f}°, offset {values['offset']:.2f}").replace("-", "−")
        else:
            title = f"2 hidden units, f = {values['activation']}"
        self.ax.set_title(title)
        n = len(self.y)
        self.readout.value = (f"{title}: <b>{correct} of {n}</b> points correct "
                              f"({100 * correct / n:.0f}%)"
                              + (" — every point right" if correct == n else "")
                              + (" · class 1 is to the left of the line's direction" if linear else ""))
