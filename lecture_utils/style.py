"""One explicit style call for every notebook, plus the colour-blind-safe palette.

Nothing here runs at import: a notebook calls :func:`use_lecture_style` once in its setup cell.
The palette is Okabe & Ito's (safe for the common colour-vision deficiencies); heat maps use
perceptually uniform, colour-blind-safe colour maps (``SEQUENTIAL_CMAP``, ``DIVERGING_CMAP``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["COLORS", "CLASS_COLORS", "SEQUENTIAL_CMAP", "DIVERGING_CMAP", "use_lecture_style",
           "lecture_rc", "quiet_canvas"]

#: Okabe–Ito colours by name.
COLORS: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

#: Colours for classes 0, 1, 2, ... (distinct for colour-blind viewers and in grey-scale).
CLASS_COLORS: list[str] = [COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"],
                           COLORS["vermillion"], COLORS["sky"], COLORS["yellow"], COLORS["black"]]

SEQUENTIAL_CMAP = "cividis"
DIVERGING_CMAP = "PuOr_r"


def lecture_rc(scale: float = 1.0) -> dict[str, Any]:
    """The rcParams :func:`use_lecture_style` applies: large type and thick lines for a projector."""
    from cycler import cycler

    return {
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 80,
        "figure.constrained_layout.use": True,
        "font.size": 13 * scale,
        "axes.titlesize": 14 * scale,
        "axes.labelsize": 13 * scale,
        "xtick.labelsize": 12 * scale,
        "ytick.labelsize": 12 * scale,
        "legend.fontsize": 12 * scale,
        "lines.linewidth": 2.5,
        "lines.markersize": 7,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=CLASS_COLORS),
        "image.cmap": SEQUENTIAL_CMAP,
        # glyphs rendered unhinted: ~25 % faster text (most of a panel's redraw), and at 80 dpi
        # indistinguishable on a projector (bench/bench_panels_python.py, docs/performance.md)
        "text.hinting": "no_hinting",
        # every pyplot figure gets the quiet ipympl canvas of the panels (see quiet_canvas)
        "figure.hooks": ["lecture_utils.style:quiet_canvas"],
    }


def quiet_canvas(fig: Any) -> None:
    """Hide ipympl's "Figure N" header, footer and toolbar (it covers the y-axis labels), and
    never sync ipympl's pre-connection image (the front-end cannot load it and would show a
    0×0 figure). Does nothing under any other backend."""
    canvas = fig.canvas
    for attr, value in (("header_visible", False), ("footer_visible", False),
                        ("toolbar_visible", False), ("resizable", False)):
        if hasattr(canvas, attr):
            setattr(canvas, attr, value)
    if hasattr(canvas, "syncing_data_url"):
        canvas.syncing_data_url = False


def use_lecture_style(scale: float = 1.0) -> None:
    """Apply the lecture's matplotlib style (call once, in a notebook's setup cell).

    Parameters
    ----------
    scale : float
        Multiplies every font size; 1.2–1.5 for a large lecture hall.
    """
    import matplotlib as mpl

    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not 0.5 <= scale <= 3:
        raise ValueError(f"scale must be a number between 0.5 and 3; got {scale!r}.")
    mpl.rcParams.update(lecture_rc(scale))
