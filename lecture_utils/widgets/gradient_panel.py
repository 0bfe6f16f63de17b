"""Gradient panel (06_cross_entropy): why not squared error on a sigmoid output?"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..activations import sigmoid
from ..information import (bce_logit_grad, bce_logit_loss, squared_error_logit_grad,
                           squared_error_logit_loss)
from ..plotting.losses import LOGITS, find_artist, plot_gradients_vs_logit, plot_losses_vs_logit
from ..style import COLORS
from ._layers import draw_order
from ._panel import Panel, float_slider, toggle

__all__ = ["GradientPanel"]


class GradientPanel(Panel):
    """Loss (left) and its gradient ∂loss/∂z (right) against the logit z of p̂ = σ(z), for
    cross-entropy and for squared error. Drag z into the confidently-wrong region: the
    cross-entropy gradient stays near ±1, the squared-error gradient goes to 0.

    Controls: ``z`` (the current logit), ``y`` (toggle, the actual label).
    Artists: ``bce_loss``, ``se_loss``, ``bce_grad``, ``se_grad`` (lines), ``wrong_span`` (the
    shaded confidently-wrong region), ``points_loss`` and ``points_grad`` (markers at z,
    cross-entropy first).
    """

    figsize = (10.4, 4.6)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, z: float = -6.0, y: int = 1) -> None:
        controls = {
            "z": float_slider("logit z", z, -10.0, 10.0, 0.1),
            "y": toggle("actual label y", [("y = 0", 0), ("y = 1", 1)], y),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        self.ax_loss, self.ax_grad = fig.subplots(1, 2)
        plot_losses_vs_logit(1, self.ax_loss)
        plot_gradients_vs_logit(1, self.ax_grad)
        self.bce_loss, self.se_loss = find_artist(self.ax_loss, "bce"), find_artist(self.ax_loss, "se")
        self.bce_grad, self.se_grad = find_artist(self.ax_grad, "bce"), find_artist(self.ax_grad, "se")
        self.wrong_span = find_artist(self.ax_grad, "wrong")
        self._legend_y = 1
        self.ax_loss.set_ylim(0, 10.5)
        colors = [COLORS["blue"], COLORS["vermillion"]]
        self.points_loss = self.ax_loss.scatter([0, 0], [0, 0], s=140, c=colors, edgecolors="black", zorder=5)
        self.points_grad = self.ax_grad.scatter([0, 0], [0, 0], s=140, c=colors, edgecolors="black", zorder=5)

    def _animated_artists(self) -> list[Any]:
        # z moves the points and the right title; what a full draw paints over the points
        # (the legends) is redrawn above them. The label y changes the curves, the shaded span
        # and the legend: a background of its own (_background_key).
        return [*draw_order(self.ax_loss, above=self.points_loss),
                *draw_order(self.ax_grad, above=self.points_grad), self.ax_grad.title]

    def _overlay_artists(self) -> list[Any]:
        return [self.ax_loss.get_legend(), self.ax_grad.get_legend()]  # drawn only when a point is under them

    def _background_key(self) -> Any:
        return int(self.controls["y"].value)

    def _update(self, values: dict[str, Any]) -> None:
        y, z = int(values["y"]), float(values["z"])
        self.bce_loss.set_ydata(bce_logit_loss(LOGITS, y))
        self.se_loss.set_ydata(squared_error_logit_loss(LOGITS, y))
        self.bce_grad.set_ydata(bce_logit_grad(LOGITS, y))
        self.se_grad.set_ydata(squared_error_logit_grad(LOGITS, y))
        lo, hi = (LOGITS[0], -3.0) if y == 1 else (3.0, LOGITS[-1])
        self.wrong_span.set_x(lo)
        self.wrong_span.set_width(hi - lo)
        if y != self._legend_y:  # a new legend only when the free corner moves
            self.ax_grad.legend(loc="upper right" if y == 1 else "lower left")  # the empty half
            self._legend_y = y
        g_ce, g_se = float(bce_logit_grad(z, y)), float(squared_error_logit_grad(z, y))
        l_ce, l_se = float(bce_logit_loss(z, y)), float(squared_error_logit_loss(z, y))
        self.points_loss.set_offsets(np.array([[z, l_ce], [z, l_se]]))
        self.points_grad.set_offsets(np.array([[z, g_ce], [z, g_se]]))
        p = float(sigmoid(z))
        self.ax_loss.set_title(f"loss, true label y = {y}")
        self.ax_grad.set_title(f"gradient at z = {z:.1f}: p̂ = σ(z) = {p:.4f}")
        ratio = abs(g_ce) / abs(g_se) if g_se != 0 else float("inf")
        wrong = abs(p - y) > 0.95
        self.readout.value = (f"p̂ = {p:.4f} &nbsp;·&nbsp; ∂CE/∂z = <b>{g_ce:+.4f}</b> &nbsp; "
                              f"∂SE/∂z = <b>{g_se:+.2e}</b> &nbsp; (CE's is {ratio:,.0f}× larger)"
                              + (" &nbsp;·&nbsp; <b>confidently wrong: squared error barely learns</b>"
                                 if wrong else ""))
