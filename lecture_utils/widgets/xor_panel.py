"""XOR: no straight line separates it; two ReLU units do (01_nonlinearity).

Model "one linear layer": a line at angle θ through offset t; the read-out counts how many of
the four corners it gets right (never all four). Model "2 hidden units": the classic hand-set
network h = f(X @ [[1, 1], [1, 1]] + (0, −1)), y = h1 − 2·h2, class 1 where y > 0.5 — with
ReLU it gets all four; with the identity it collapses to a linear layer and fails again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._checks import check_class_labels, check_shape
from ..nonlinearity import XOR_X, XOR_Y, xor_predict
from ..plotting.decision import MARKERS, class_cmap, grid_points
from ..style import CLASS_COLORS
from ._panel import Panel, dropdown, float_slider

__all__ = ["XorPanel", "linear_predict"]

LIM = (-0.5, 1.5)
MODELS = ("one linear layer", "2 hidden units")


def linear_predict(P: np.ndarray, angle: float, offset: float) -> np.ndarray:
    """Class 1 where u·p > offset, u = (cos θ, sin θ) with θ in degrees. P (m, 2) -> (m,)."""
    u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    return (P @ u > offset).astype(np.int64)  # (m, 2) @ (2,) -> (m,)


class XorPanel(Panel):
    """Controls: ``model``, ``angle`` and ``offset`` (the linear layer), ``activation`` (the
    hidden units of the 2-unit network: "relu" or "identity").

    Artists: ``image`` (predicted class over the plane), ``points`` (one scatter per class).
    ``X``/``y`` default to the four XOR corners; pass the "xor_noisy" data for clouds.
    """

    figsize = (6.0, 5.2)
    grid = 201  # fine enough that the region edges do not look like stairs

    def __init__(self, X: Any = XOR_X, y: Any = XOR_Y, model: str = MODELS[0],
                 angle: float = 45.0, offset: float = 0.5, activation: str = "relu") -> None:
        X = check_shape(X, "X", (None, 2), allow_inf=False)
        self.X, self.y = X, check_class_labels(y, 2, "y", n=X.shape[0])
        controls = {
            "model": dropdown("model", list(MODELS), model),
            "angle": float_slider("line angle θ°", angle, 0.0, 360.0, 5.0, ".0f"),
            "offset": float_slider("line offset", offset, -1.5, 1.5, 0.05),
            "activation": dropdown("hidden f", ["relu", "identity"], activation),
        }
        self._P = grid_points(LIM, LIM, self.grid)[2]
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        self.image = ax.imshow(np.zeros((self.grid, self.grid)), origin="lower", extent=(*LIM, *LIM),
                               cmap=class_cmap(2), vmin=-0.5, vmax=1.5, alpha=0.35,
                               interpolation="nearest")
        self.points = [ax.scatter(*self.X[self.y == c].T, s=260 if len(self.X) <= 8 else 40,
                                  color=CLASS_COLORS[c], marker=MARKERS[c], edgecolor="black",
                                  linewidth=1.5, zorder=3, label=f"XOR = {c}") for c in (0, 1)]
        ax.set_xlim(*LIM)
        ax.set_ylim(*LIM)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.grid(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)

    def predict(self, P: np.ndarray) -> np.ndarray:
        """The current model's class for points P (m, 2)."""
        v = self.values
        if v["model"] == MODELS[0]:
            return linear_predict(P, float(v["angle"]), float(v["offset"]))
        return xor_predict(P, v["activation"])

    def _update(self, values: dict[str, Any]) -> None:
        linear = values["model"] == MODELS[0]
        # grey out the controls the chosen model does not use
        self.controls["angle"].disabled = self.controls["offset"].disabled = not linear
        self.controls["activation"].disabled = linear
        self.image.set_data(self.predict(self._P).reshape(self.grid, self.grid))
        correct = int(np.sum(self.predict(self.X) == self.y))
        if linear:
            title = f"linear: θ = {values['angle']:.0f}°, offset {values['offset']:.2f}"
        else:
            title = f"2 hidden units, f = {values['activation']}"
        self.ax.set_title(title)
        n = len(self.y)
        self.readout.value = (f"{title}: <b>{correct} of {n}</b> points correct "
                              f"({100 * correct / n:.0f}%)"
                              + (" — every point right" if correct == n else ""))
