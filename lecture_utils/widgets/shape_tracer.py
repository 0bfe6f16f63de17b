"""Shape tracer (02_forward_propagation): batch size and layer widths as sliders; every
layer drawn as  A (n, d) @ W (d, h) + b (h,) = Z (n, h), boxes sized by their shapes, with
b's broadcast to (n, h) drawn as a dashed outline.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..shapes import count_parameters, format_shape_table, layer_shapes
from ..style import COLORS
from ._layers import draw_order
from ._panel import Panel, int_slider

__all__ = ["ShapeTracer", "box_size"]

COL = 0.22  # drawing units per column (feature / neuron)
SLOTS = (1.4, 4.6, 7.8, 11.0)  # x centre of A, W, b, Z
BAND = 5.0  # height of one layer's band
N_LAYERS = 3
FILL = {"A": COLORS["sky"], "W": COLORS["orange"], "b": COLORS["purple"], "Z": COLORS["green"]}


def box_size(shape: tuple[int, ...]) -> tuple[float, float]:
    """Drawn (width, height) of a matrix: width ∝ columns; height ∝ rows up to 8, then grows
    with log2(rows) so a batch of 512 still fits (the label gives the exact shape)."""
    rows, cols = (1, shape[0]) if len(shape) == 1 else shape
    height = rows * COL if rows <= 8 else 8 * COL + 0.3 * np.log2(rows / 8)
    return cols * COL, height


class ShapeTracer(Panel):
    """Controls: ``n`` (batch size), ``d`` (input features), ``h1``, ``h2`` (hidden widths),
    ``k`` (outputs). Artists: ``boxes[layer][name]`` and ``labels[layer][name]`` for name in
    "A", "W", "b", "Z", plus ``ghosts[layer]`` (b broadcast to (n, h)) and ``headings[layer]``
    ("layer 1: 25 parameters"). The read-out holds the text shape table and the parameter
    counts (``parameter_counts``, one per layer).
    """

    figsize = (10.0, 5.8)  # 464 px tall: with its controls and table it fits a 1280×720 slide

    def __init__(self, n: int = 200, d: int = 4, h1: int = 5, h2: int = 5, k: int = 3) -> None:
        controls = {
            "n": int_slider("batch size n", n, 1, 512),
            "d": int_slider("features d", d, 1, 10),
            "h1": int_slider("layer 1 width", h1, 1, 10),
            "h2": int_slider("layer 2 width", h2, 1, 10),
            "k": int_slider("outputs", k, 1, 10),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(0, 12.6)
        ax.set_ylim(-BAND * N_LAYERS - 0.3, 0.6)
        self.boxes: list[dict[str, Rectangle]] = []
        self.labels: list[dict[str, Any]] = []
        self.ghosts: list[Rectangle] = []
        self.headings: list[Any] = []
        self.symbols: list[Any] = []  # "@ + =": the only artists that never change
        for layer in range(N_LAYERS):
            top = -BAND * layer
            self.headings.append(ax.text(0.0, top + 0.2, f"layer {layer + 1}", fontsize=14, fontweight="bold",
                                         va="bottom"))
            boxes, labels = {}, {}
            for name, x in zip("AWbZ", SLOTS):
                boxes[name] = ax.add_patch(Rectangle((x, top), 0.1, 0.1, facecolor=FILL[name],
                                                     edgecolor="black", linewidth=1.5))
                labels[name] = ax.text(x, top, "", ha="center", va="top", fontsize=13)
            ghost = ax.add_patch(Rectangle((SLOTS[2], top), 0.1, 0.1, fill=False, edgecolor=FILL["b"],
                                           linestyle="--", linewidth=2))
            for sym, x in zip(("@", "+", "="), ((SLOTS[0] + SLOTS[1]) / 2, (SLOTS[1] + SLOTS[2]) / 2,
                                               (SLOTS[2] + SLOTS[3]) / 2)):
                self.symbols.append(ax.text(x, top - 0.5, sym, ha="center", va="center", fontsize=20))
            self.boxes.append(boxes)
            self.labels.append(labels)
            self.ghosts.append(ghost)

    def _animated_artists(self) -> list[Any]:
        # every box, label and heading follows the sliders; the "@ + =" between the slots stay
        # (boxes are at most 2.2 wide, 3.2 apart: they never reach the symbols)
        return draw_order(self.ax, skip=self.symbols)

    def _update(self, values: dict[str, Any]) -> None:
        widths = [values["d"], values["h1"], values["h2"], values["k"]]
        rows = layer_shapes(values["n"], widths)
        for layer, row in enumerate(rows):
            top = -BAND * layer
            shapes = {"A": row["input"], "W": row["W"], "b": row["b"], "Z": row["output"]}
            names = {"A": "X" if layer == 0 else f"A{layer}", "W": f"W{layer + 1}",
                     "b": f"b{layer + 1}", "Z": f"Z{layer + 1}"}
            for name, x in zip("AWbZ", SLOTS):
                w, h = box_size(shapes[name])
                self.boxes[layer][name].set_bounds(x - w / 2, top - h, w, h)
                lab = self.labels[layer][name]
                y = top - box_size(row["output"])[1] if name == "b" else top - h
                lab.set_position((x, y - 0.1))
                lab.set_text(f"{names[name]} {shapes[name]}")
            gw, gh = box_size(row["b broadcast to"])
            self.ghosts[layer].set_bounds(SLOTS[2] - gw / 2, top - gh, gw, gh)
            self.labels[layer]["b"].set_text(f"b{layer + 1} {row['b']}\n→ {row['b broadcast to']}")
        self.ax.set_title(f"a batch of {values['n']} example{'s' if values['n'] > 1 else ''} "
                          f"through {widths[0]} → {widths[1]} → {widths[2]} → {widths[3]}")
        self.parameter_counts = [r["parameters"] for r in count_parameters(widths)]
        for heading, layer, count in zip(self.headings, range(1, N_LAYERS + 1), self.parameter_counts):
            heading.set_text(f"layer {layer}: {count} parameters")
        self.table = format_shape_table(rows)
        total = sum(self.parameter_counts)
        self.readout.value = (f"<pre style='font-size:1.05em;line-height:1.3'>{self.table}</pre>"
                              f"parameters d·h + h per layer: {' + '.join(map(str, self.parameter_counts))} "
                              f"= <b>{total}</b> — whatever the batch size n")
