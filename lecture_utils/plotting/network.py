"""A small fully connected network drawn as circles and edges (01_nonlinearity).

``draw_network`` creates the artists once and returns them; ``show_weights`` restyles the
edges for new weights (width ∝ |w|, colour and line style by sign) without new artists.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._checks import as_real_array, describe
from ..style import COLORS
from ._args import check_ax, names as _names, number, whole

__all__ = ["draw_network", "show_weights"]


def draw_network(ax: Axes, sizes: Sequence[int], node_labels: Sequence[Sequence[str]],
                 edge_labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Draw layers of ``sizes`` nodes left to right, every node joined to the next layer's.

    Parameters
    ----------
    ax : Axes
    sizes : sequence of int
        Nodes per layer, e.g. (2, 3, 1).
    node_labels : sequence of sequence of str
        One label per node, layer by layer.
    edge_labels : sequence of str, optional
        Names of the edges in the order of :func:`show_weights`' weights: for each layer
        pair, W[i, j] row by row (input i to output j).

    Returns
    -------
    dict with "edges" (list of Line2D) and "edge_text" (list of Text, may be empty).

    Raises
    ------
    ValueError / TypeError
        ``ax`` not an Axes, sizes not whole numbers ≥ 1, a label count that does not match.
    """
    check_ax(ax)
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple, np.ndarray)) or len(sizes) < 1:
        raise TypeError(f"sizes must be a list of nodes per layer such as (2, 3, 1); got {describe(sizes)}.")
    sizes = [whole(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
    if not isinstance(node_labels, (list, tuple)) or len(node_labels) != len(sizes):
        raise ValueError(f"node_labels must hold one list of labels per layer ({len(sizes)}); got {describe(node_labels)}.")
    for i, (n, labels) in enumerate(zip(sizes, node_labels)):
        _names(labels, f"node_labels[{i}]", n)
    n_edges = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    if edge_labels is not None:
        _names(edge_labels, "edge_labels", n_edges)
    xs = np.linspace(0, 1, len(sizes))
    pos = [[(x, y) for y in (np.linspace(0.9, 0.1, n) if n > 1 else [0.5])] for x, n in zip(xs, sizes)]
    edges: list[Line2D] = []
    texts: list[Text] = []
    for layer in range(len(sizes) - 1):
        for i, (x0, y0) in enumerate(pos[layer]):
            for j, (x1, y1) in enumerate(pos[layer + 1]):
                (line,) = ax.plot([x0, x1], [y0, y1], color="0.5", zorder=1, solid_capstyle="round")
                edges.append(line)
                if edge_labels is not None:
                    t = _label_position(y1 - y0, len(pos[layer + 1]))
                    texts.append(ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), edge_labels[len(edges) - 1],
                                         fontsize=10.5, ha="center", va="center", zorder=3,
                                         bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="0.75", lw=0.8)))
    for layer, pts in enumerate(pos):
        for k, (x, y) in enumerate(pts):
            ax.scatter([x], [y], s=950, color="white", edgecolor="black", linewidth=2, zorder=2)
            ax.text(x, y, node_labels[layer][k], ha="center", va="center", fontsize=13, zorder=4)
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(0.0, 1.0)
    ax.set_axis_off()
    return {"edges": edges, "edge_text": texts}


def _label_position(dy: float, n_next: int) -> float:
    """Where along an edge (0 = start, 1 = end) its label goes, so labels do not collide.

    Into a single node the edges fan out: labels at 0.6. Otherwise flat edges get theirs in
    the middle, gently sloped ones near the end (where edges into one node have separated)
    and steep ones near the start (where the gentle ones are still close to their node).
    """
    if n_next == 1:
        return 0.6
    if abs(dy) < 1e-9:
        return 0.45
    return 0.76 if abs(dy) <= 0.45 else 0.24


def show_weights(artists: dict[str, Any], weights: Sequence[float], names: Sequence[str] | None = None,
                 max_width: float = 7.0) -> None:
    """Restyle the edges: width ∝ |w| (largest = ``max_width``), blue for w ≥ 0, vermillion for
    w < 0 (solid: thick dashes read as loose bars on a projector; the sign is also in the
    label); edge texts become "name=value" with a typographic minus.

    ValueError / TypeError unless ``artists`` comes from :func:`draw_network` and there is one
    finite weight (and one name) per edge, and ``max_width`` > 0.
    """
    if not isinstance(artists, dict) or "edges" not in artists or "edge_text" not in artists:
        raise TypeError(f"artists must be the dict draw_network(...) returned; got {describe(artists)}.")
    n_edges = len(artists["edges"])
    w = as_real_array(weights, "weights", ndim=1, allow_inf=False)
    if w.shape != (n_edges,):
        raise ValueError(f"weights must hold one value per edge ({n_edges}); got shape {w.shape}.")
    if names is not None:
        names = _names(names, "names", n_edges)
    max_width = number(max_width, "max_width", positive=True)
    top = max(float(np.max(np.abs(w))), 1e-12)
    for k, (line, v) in enumerate(zip(artists["edges"], w)):
        line.set_linewidth(0.5 + (max_width - 0.5) * abs(v) / top)
        line.set_color(COLORS["blue"] if v >= 0 else COLORS["vermillion"])
        if artists["edge_text"]:
            value = f"{v:.1f}".replace("-", "−")
            artists["edge_text"][k].set_text(f"{names[k]}={value}" if names is not None else value)
