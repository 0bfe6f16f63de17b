"""One explicit style call for every notebook, plus the colour-blind-safe palette.

Nothing here runs at import: a notebook calls :func:`use_lecture_style` once in its setup cell.
The palette is Okabe & Ito's (safe for the common colour-vision deficiencies); heat maps use
perceptually uniform, colour-blind-safe colour maps (``SEQUENTIAL_CMAP``, ``DIVERGING_CMAP``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["COLORS", "CLASS_COLORS", "SEQUENTIAL_CMAP", "DIVERGING_CMAP", "use_lecture_style",
           "lecture_rc", "quiet_canvas", "widget_scale"]

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

#: font size (pt) of the lecture style at scale 1; ``widget_scale`` reads the scale back from it
_BASE_FONT_SIZE = 13
_HOOK = "lecture_utils.style:quiet_canvas"


def lecture_rc(scale: float = 1.0) -> dict[str, Any]:
    """The rcParams :func:`use_lecture_style` applies: large type and thick lines for a projector."""
    from cycler import cycler

    if isinstance(scale, bool) or not isinstance(scale, (int, float)) \
            or not 0.5 <= scale <= 3:
        raise ValueError(f"scale must be a number between 0.5 and 3 (1.2–1.5 for a large hall); got {scale!r}.")
    return {
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 80,
        "figure.constrained_layout.use": True,
        "font.size": _BASE_FONT_SIZE * scale,
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
        "figure.hooks": [_HOOK],
    }


def quiet_canvas(fig: Any) -> None:
    """Hide ipympl's "Figure N" header, footer and toolbar (it covers the y-axis labels), and
    never sync ipympl's pre-connection image (the front-end cannot load it and would show a
    0×0 figure). Does nothing under any other backend."""
    from matplotlib.figure import Figure, SubFigure

    if not isinstance(fig, (Figure, SubFigure)):
        raise TypeError(f"fig must be a matplotlib Figure (e.g. plt.figure()); got {type(fig).__name__}.")
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
        Multiplies every font size — the figures' text and the panels' controls (slider
        labels, read-outs, buttons), which are built after this call; 1.2–1.5 for a large
        lecture hall.
    """
    import matplotlib as mpl

    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not 0.5 <= scale <= 3:
        raise ValueError(f"scale must be a number between 0.5 and 3; got {scale!r}.")
    mpl.rcParams.update(lecture_rc(scale))


def widget_scale() -> float:
    """The scale panels size their controls with: that of the last :func:`use_lecture_style`
    call (read back from matplotlib's rcParams), or 1 when the lecture style is not in use.

    >>> import matplotlib as mpl
    >>> with mpl.rc_context():
    ...     use_lecture_style(scale=1.3)
    ...     round(widget_scale(), 2)
    1.3
    """
    import matplotlib as mpl

    if _HOOK not in (mpl.rcParams.get("figure.hooks") or []):
        return 1.0
    return min(3.0, max(0.5, float(mpl.rcParams["font.size"]) / _BASE_FONT_SIZE))
