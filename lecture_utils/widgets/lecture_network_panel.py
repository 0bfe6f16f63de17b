"""The lecture's 2-3-1 network with a slider per weight (01_nonlinearity).

Left: the network, edges styled by weight. Right: P = σ(N4) over the (x1, x2) plane with the
network's 0.5 contour (solid) and the boundary of the single linear layer that best matches it
(dashed). Read-out: that single layer's a, c, d and max |N4 − (a·x1 + c·x2 + d)|: zero to
rounding while the hidden activation is linear, clearly non-zero otherwise. Below the controls,
the lecture's algebra (N4 = a·x1 + c·x2 + d) for the current weights, as LaTeX.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .._checks import check_shape
from ..activations import sigmoid
from ..nonlinearity import (DEFAULT_WEIGHTS, HIDDEN_ACTIVATIONS, WEIGHT_NAMES, best_linear_fit,
                            collapse_lecture_network, hidden_activation, lecture_network,
                            n4_expansion_latex)
from ..plotting.decision import grid_points
from ..plotting.network import draw_network, show_weights
from ..style import COLORS, DIVERGING_CMAP, widget_scale
from ._layers import draw_order
from ._panel import Panel, control_columns, dropdown, float_slider

__all__ = ["LectureNetworkPanel", "compute_lecture_plane"]

LIM = (-3.0, 3.0)


def compute_lecture_plane(values: dict[str, Any], grid: int = 61) -> dict[str, Any]:
    """Everything the panel shows, from the control values (pure).

    Returns a dict with "n4" (grid, grid), "prob" = σ(N4) (grid, grid), "linear" (bool),
    "coef" (a, c, d) of the single layer — the exact collapse when linear, the least-squares
    fit otherwise — and "max_diff" = max |N4 − (a·x1 + c·x2 + d)| over the grid.
    """
    w = [float(values[n]) for n in WEIGHT_NAMES]
    b, g, act = float(values["b"]), float(values["g"]), values["activation"]
    _, _, P = grid_points(LIM, LIM, grid)
    n4 = lecture_network(P, w, b, act, g)["n4"]
    _, linear = hidden_activation(act, g)
    if linear:
        coef = collapse_lecture_network(w, b, g if act == "linear" else 1.0)
        single = P @ np.array(coef[:2]) + coef[2]  # (g², 2) @ (2,) + () -> (g²,)
        max_diff = float(np.max(np.abs(n4 - single)))
    else:
        fit, max_diff = best_linear_fit(P, n4)
        coef = tuple(float(c) for c in fit)
    return {"n4": n4.reshape(grid, grid), "prob": sigmoid(n4).reshape(grid, grid),
            "linear": linear, "coef": coef, "max_diff": max_diff}


class LectureNetworkPanel(Panel):
    """Controls: ``w1`` … ``w9``, ``b``, ``activation`` (identity, linear, tanh, relu,
    sigmoid) and ``g`` (slope of "linear").

    Artists: ``image`` (σ(N4)), ``contour`` (the network's 0.5 contour, redrawn per update),
    ``single_line`` (the single layer's boundary), ``net`` (edges of the diagram);
    widgets: ``readout`` and ``algebra`` (HTMLMath).
    """

    figsize = (10.4, 4.8)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open
    grid = 61
    #: one control row and its label (px at scale 1): three columns of them (816 px) fit a slide
    #: at 1024×768 (about 860 px of content) and the output area with the file browser open
    row_px, label_px = 272, 60

    def __init__(self, weights: tuple[float, ...] = DEFAULT_WEIGHTS, b: float = 0.5,
                 activation: str = "tanh", g: float = 0.5) -> None:
        weights = tuple(float(v) for v in check_shape(weights, "weights", (9,), allow_inf=False))
        controls: dict[str, widgets.Widget] = {
            name: float_slider(name, v, -3.0, 3.0, 0.1) for name, v in zip(WEIGHT_NAMES, weights)}
        controls["b"] = float_slider("bias b", b, -3.0, 3.0, 0.1)
        controls["activation"] = dropdown("hidden f", list(HIDDEN_ACTIVATIONS), activation)
        controls["g"] = float_slider("slope g", g, -2.0, 2.0, 0.1)
        self.algebra = widgets.HTMLMath(layout=widgets.Layout(min_height="4em"))
        self.contour = None
        super().__init__(controls)
        s = widget_scale()  # compact rows, so the panel fits a slide whole (see row_px)
        for control in self.controls.values():
            control.style.description_width = f"{round(self.label_px * s)}px"
            control.layout.width = f"{round(self.row_px * s)}px"

    def _controls_box(self) -> widgets.Widget:
        """Controls in three columns of four — the weights from x1 (w1–w3) and the bias, from x2
        (w4–w6) and the activation, into N4 (w7–w9) and the slope —, the read-out, the algebra."""
        c = self.controls
        columns = [[c[n] for n in names] for names in (("w1", "w2", "w3", "b"), ("w4", "w5", "w6", "activation"),
                                                        ("w7", "w8", "w9", "g"))]
        # the columns wrap below each other in a narrow window (the values stay visible)
        return widgets.VBox([control_columns(*columns), self.readout, self.algebra])

    def _build(self, fig: Figure) -> None:
        self.ax_net, self.ax = fig.subplots(1, 2, width_ratios=(1.0, 1.15))
        self.net = draw_network(self.ax_net, (2, 3, 1),
                                [["$x_1$", "$x_2$"], ["$N_1$", "$N_2$", "$N_3$"], ["$N_4$"]],
                                edge_labels=list(WEIGHT_NAMES))
        self.ax_net.set_title("b is added to N1, N2, N3\nblue: w > 0, vermillion: w < 0, width ∝ |w|", fontsize=12)
        self.image = self.ax.imshow(np.zeros((self.grid, self.grid)), origin="lower",
                                    extent=(*LIM, *LIM), cmap=DIVERGING_CMAP, vmin=0, vmax=1,
                                    interpolation="bilinear")
        fig.colorbar(self.image, ax=self.ax, label="σ(N4)")
        (self.single_line,) = self.ax.plot([], [], color=COLORS["sky"], linestyle="--", linewidth=3,
                                           zorder=5, label="single linear layer")
        self.ax.plot([], [], color="black", linewidth=3, label="network: σ(N4) = 0.5")
        self.ax.set_xlim(*LIM)
        self.ax.set_ylim(*LIM)
        self.ax.set_xlabel("$x_1$")
        self.ax.set_ylabel("$x_2$")
        self.ax.grid(False)
        self.ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=11)

    def _animated_artists(self) -> list[Any]:
        # the diagram's edges change style, and its nodes and labels lie on them: all of it but
        # its title; on the right the map, the new contour, the frame, the title, the fit line
        net = draw_order(self.ax_net, skip=[self.ax_net.title])
        plane = [self.image] + ([self.contour] if self.contour is not None else [])
        return net + plane + [*self.ax.spines.values(), self.ax.title, self.single_line]

    def _overlay_artists(self) -> list[Any]:
        # the diagram over its edges (lines: cheaper to draw than to keep): a label follows its
        # weight, the nodes and their names never change — a weight slider redraws what lies on
        # the one edge it restyles; the rest is put back from its kept pixels
        w = [float(self.controls[n].value) for n in WEIGHT_NAMES]
        edges, labels = self.net["edges"], self.net["edge_text"]
        moving = set(map(id, edges + labels))
        fixed = [a for a in draw_order(self.ax_net, skip=[self.ax_net.title]) if id(a) not in moving]
        return [*((t, v) for t, v in zip(labels, w)), *fixed]

    def _update(self, values: dict[str, Any]) -> None:
        res = compute_lecture_plane(values, self.grid)
        w = [float(values[n]) for n in WEIGHT_NAMES]
        show_weights(self.net, w, WEIGHT_NAMES)
        self.image.set_data(res["prob"])
        if self.contour is not None:
            self.contour.remove()
        xs = np.linspace(*LIM, self.grid)
        self.contour = self.ax.contour(xs, xs, res["n4"], levels=[0.0], colors="black", linewidths=3)
        a, c, d = res["coef"]
        t = np.array([LIM[0] * 3, LIM[1] * 3])
        if abs(c) >= abs(a) and c != 0:
            self.single_line.set_data(t, -(a * t + d) / c)
        elif a != 0:
            self.single_line.set_data(-(c * t + d) / a, t)
        else:
            self.single_line.set_data([], [])
        act, g, b = values["activation"], float(values["g"]), float(values["b"])
        self.controls["g"].disabled = act != "linear"  # the slope only matters for "linear"
        name = f"linear, slope g = {g:.1f}" if act == "linear" else act
        self.ax.set_title(f"hidden f = {name}")
        if res["linear"]:
            kind, verdict = "exact collapse", "the network <b>is</b> one linear neuron"
            slope = g if act == "linear" else 1.0
            # numbers only (the symbolic form is in the notebook): four short lines fit a slide
            self.algebra.value = "$$" + n4_expansion_latex(w, b, slope, symbolic=False) + "$$"
        elif res["max_diff"] <= 1e-9 * max(1.0, float(np.abs(res["n4"]).max())):
            # the verdict follows the number: a non-linear f can still act linearly on this square
            kind = "best least-squares fit"
            verdict = (f"on this square the network <b>is</b> one linear neuron: {act} only sees "
                       f"z<sub>i</sub> where it is linear (to rounding)")
            why = (r"Here every $z_i \ge 0$ on the square, where $\mathrm{relu}(z) = z$: the brackets "
                   r"multiply out after all. Let some $z_i$ turn negative and the kink returns."
                   if act == "relu" else r"$f$ only sees $z_i$ where it is linear to rounding.")
            self.algebra.value = (rf"$$N_4 = w_7 f(z_1) + w_8 f(z_2) + w_9 f(z_3), \quad f = \mathrm{{{act}}}$$"
                                  + why)
        else:
            kind, verdict = "best least-squares fit", "<b>no</b> single linear layer reproduces it"
            self.algebra.value = (rf"$$N_4 = w_7 f(z_1) + w_8 f(z_2) + w_9 f(z_3), \quad f = \mathrm{{{act}}}$$"
                                  r"$f(z) \neq g\,z$: the brackets cannot be multiplied out, so no "
                                  r"$a, c, d$ with $N_4 = a x_1 + c x_2 + d$ exist.")
        self.readout.value = (f"single layer ({kind}): a = {a:.3f}, c = {c:.3f}, d = {d:.3f} "
                              f"&nbsp;·&nbsp; max |N4 − (a·x1 + c·x2 + d)| = {res['max_diff']:.2g} "
                              f"&nbsp;→ {verdict}")
