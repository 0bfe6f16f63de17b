"""Why depth (04_theorem_and_depth): the sawtooth, deep against one hidden layer.

The ReLU hat g(x) = 2·relu(x) − 4·relu(x − ½) composed k times has 2^k linear pieces. A deep
network computes it with k layers of 2 ReLUs (2k units); one hidden layer needs a unit per
kink — at least 2^k − 1, here 2^k (the interpolant of section 4). Top: both networks' outputs
and the unit counts against k; bottom: both networks drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from ..expressivity import count_pieces, sawtooth_deep, sawtooth_shallow, sawtooth_unit_counts
from ..style import COLORS
from ._panel import Panel, int_slider

__all__ = ["SawtoothPanel", "K_MAX", "SHOWN_UNITS"]

K_MAX = 8
#: the one-hidden-layer diagram draws at most this many units (then says how many there are)
SHOWN_UNITS = 16
_X = np.linspace(0.0, 1.0, 2**10 + 1)  # a dyadic grid: every kink j/2^k (k ≤ 10) is a sample


def _deep_diagram(k: int) -> tuple[np.ndarray, list]:
    """Node positions (input, k layers of 2, output) and the edges between them, in [0, 1]²."""
    xs = np.linspace(0.04, 0.96, k + 2)
    layers = [[(xs[0], 0.5)]] + [[(x, 0.78), (x, 0.22)] for x in xs[1:-1]] + [[(xs[-1], 0.5)]]
    edges = [(a, b) for left, right in zip(layers[:-1], layers[1:]) for a in left for b in right]
    return np.array([p for layer in layers for p in layer]), edges


def _shallow_diagram(units: int) -> tuple[np.ndarray, list]:
    if units > SHOWN_UNITS:  # the first and last few, with a gap for the "… of N drawn" note
        half = SHOWN_UNITS // 2
        ys = np.concatenate([np.linspace(0.97, 0.72, half), np.linspace(0.28, 0.03, half)])
    else:
        ys = np.linspace(0.95, 0.05, units) if units > 1 else np.array([0.5])
    hidden = [(0.5, y) for y in ys]
    nodes = [(0.06, 0.5)] + hidden + [(0.94, 0.5)]
    edges = [((0.06, 0.5), h) for h in hidden] + [(h, (0.94, 0.5)) for h in hidden]
    return np.array(nodes), edges


class SawtoothPanel(Panel):
    """Control: ``k`` (compositions of the hat, 1 … :data:`K_MAX`).

    Artists: ``deep_line`` and ``shallow_line`` (the two networks' outputs on [0, 1]),
    ``kink_markers``; ``deep_count_line`` / ``shallow_count_line`` (units against k, log
    scale) with ``k_markers``; the diagrams ``deep_nodes`` / ``deep_edges`` and
    ``shallow_nodes`` / ``shallow_edges`` (``shallow_note`` says how many units are not drawn).
    ``counts`` holds the pieces counted on each output and the unit counts.
    """

    figsize = (10.4, 5.9)  # with its Try-this text on one slide at 1024×768 (deck test)
    #: one whole frame per k (8 × 1.5 MB): k changes most of this large figure (a 106 KiB diff
    #: image, 12 ms to draw and 8 ms to encode per key press), and has only K_MAX values
    frame_cache = K_MAX

    def __init__(self, k: int = 3) -> None:
        self.counts: dict[str, int] = {}
        super().__init__({"k": int_slider("compositions k", k, 1, K_MAX)})

    def _build(self, fig: Figure) -> None:
        grid = fig.add_gridspec(2, 2, height_ratios=[1.35, 1], width_ratios=[1.4, 1])
        self.ax = fig.add_subplot(grid[0, 0])
        self.ax_units = fig.add_subplot(grid[0, 1])
        self.ax_deep = fig.add_subplot(grid[1, 0])
        self.ax_shallow = fig.add_subplot(grid[1, 1])
        ax = self.ax
        (self.deep_line,) = ax.plot([], [], color=COLORS["blue"], linewidth=4, label="deep network")
        (self.shallow_line,) = ax.plot([], [], "--", color=COLORS["orange"], linewidth=2,
                                       label="one hidden layer")
        (self.kink_markers,) = ax.plot([], [], "o", color=COLORS["black"], markersize=4, label="kinks")
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.05, 1.32)
        ax.set_xlabel("x")
        ax.set_ylabel("g∘…∘g (x)")
        ax.legend(loc="upper center", ncol=3, fontsize="small")
        au = self.ax_units
        ks = np.arange(1, K_MAX + 1)
        (self.deep_count_line,) = au.semilogy(ks, 2 * ks, "o-", color=COLORS["blue"], label="deep: 2k")
        (self.shallow_count_line,) = au.semilogy(ks, 2.0**ks, "s--", color=COLORS["orange"],
                                                 label="one layer: 2ᵏ")
        (self.k_markers,) = au.plot([], [], "*", color=COLORS["black"], markersize=18, zorder=5)
        au.set_xlabel("compositions k")
        au.set_ylabel("hidden ReLUs")
        au.set_xticks(ks)
        au.legend(loc="upper left", fontsize="small")
        for a, title in ((self.ax_deep, "deep"), (self.ax_shallow, "one hidden layer")):
            a.set_xlim(0, 1)
            a.set_ylim(0, 1)
            a.set_axis_off()
        self.deep_edges = LineCollection([], colors="0.45", linewidths=1.5, zorder=1)
        self.shallow_edges = LineCollection([], colors="0.45", linewidths=1.0, zorder=1)
        self.ax_deep.add_collection(self.deep_edges)
        self.ax_shallow.add_collection(self.shallow_edges)
        node = dict(color="white", edgecolor=COLORS["black"], linewidth=1.5, zorder=2)
        self.deep_nodes = self.ax_deep.scatter([], [], s=260, **node)
        self.shallow_nodes = self.ax_shallow.scatter([], [], s=90, **node)
        self.shallow_note = self.ax_shallow.text(0.5, 0.5, "", ha="center", va="center", fontsize="small",
                                                 zorder=3, bbox=dict(fc="white", ec="0.6"))

    def _animated_artists(self) -> list[Any]:
        """Everything k changes (drawn over a cached background: a fast redraw)."""
        return [self.deep_line, self.shallow_line, self.kink_markers, self.ax.title, self.k_markers,
                self.ax_units.title, self.deep_edges, self.deep_nodes, self.ax_deep.title,
                self.shallow_edges, self.shallow_nodes, self.shallow_note, self.ax_shallow.title]

    def _update(self, values: dict[str, Any]) -> None:
        k = int(values["k"])
        deep, shallow = sawtooth_deep(_X, k), sawtooth_shallow(k)(_X)
        counts = sawtooth_unit_counts(k)
        self.counts = {**counts, "pieces_deep": count_pieces(_X, deep),
                       "pieces_shallow": count_pieces(_X, shallow),
                       "max_diff": float(np.max(np.abs(deep - shallow)))}
        self.deep_line.set_data(_X, deep)
        self.shallow_line.set_data(_X, shallow)
        kinks = np.arange(1, 2**k) / 2**k
        self.kink_markers.set_data(kinks, np.interp(kinks, _X, deep))
        self.kink_markers.set_markersize(5 if k <= 5 else 2.5)
        self.ax.set_title(f"k = {k}: {self.counts['pieces_deep']} linear pieces", fontsize="medium")
        self.k_markers.set_data([k, k], [counts["deep"], counts["shallow"]])
        self.ax_units.set_title(f"{counts['deep']} units (deep) vs {counts['shallow']} (one layer)",
                                fontsize="medium")
        nodes, edges = _deep_diagram(k)
        self.deep_nodes.set_offsets(nodes)
        self.deep_edges.set_segments(edges)
        self.ax_deep.set_title(f"deep: x → {k} layer{'s' if k > 1 else ''} of 2 ReLUs → y  "
                               f"({counts['deep']} hidden units)", fontsize="medium")
        nodes, edges = _shallow_diagram(counts["shallow"])
        self.shallow_nodes.set_offsets(nodes)
        self.shallow_edges.set_segments(edges)
        self.ax_shallow.set_title(f"one layer: x → {counts['shallow']} ReLUs → y", fontsize="medium")
        hidden = counts["shallow"]
        self.shallow_note.set_text(f"⋮\n{SHOWN_UNITS} of\n{hidden}\ndrawn\n⋮" if hidden > SHOWN_UNITS else "")
        self.shallow_note.set_visible(hidden > SHOWN_UNITS)
        c = self.counts
        self.readout.value = (
            f"k = {k}: <b>{c['pieces_deep']}</b> linear pieces ({c['kinks']} kinks in (0, 1)) · deep network: "
            f"<b>{c['deep']}</b> ReLUs ({k} layers of 2) · one hidden layer: at least {c['kinks']} ReLUs "
            f"(one kink per unit), <b>{c['shallow']}</b> here · max |deep − one layer| = {c['max_diff']:.1g}")
