"""Prototype: a panel whose changing artists are drawn by the browser, not by matplotlib.

The fast redraw of :class:`~lecture_utils.widgets._panel.Panel` (``_animated_artists``) already
splits a figure in two: a background that stays (axes, ticks, labels, legend — drawn by
matplotlib) and a few artists that move on every update (curves, markers, a title). Under ipympl
both still end up as pixels in the kernel: every key press draws the moving artists with Agg,
diffs the frame, encodes a PNG, sends it, and the browser decodes it. This package moves the
second half to the browser:

- the **background** is drawn by matplotlib exactly as before (all its styling, mathtext labels,
  legend) and sent to the browser as a PNG — once, and again only when an update changes an
  axis's limits;
- on every update the kernel runs the panel's own ``_update`` (the same maths, the same artists)
  and sends only the **animated artists as data**: each line's points already transformed to
  canvas pixels (float32), its colour, width, dashes, markers and clip box; each text's string,
  position, font and alignment; each patch's outline. A few kilobytes, no Agg, no PNG;
- :class:`BrowserCanvas` (an anywidget; ``browser_canvas.js`` is shipped in the package and
  inlined into the widget state, so nothing is fetched from a CDN) draws the background and the
  artists on a ``<canvas>`` as soon as the message arrives.

The browser needs no axis maths (the kernel sends pixels) and no copy of the panel's maths (the
kernel computes every value, so Python stays the one tested implementation). The figure object
is an Agg figure that is never shown: it makes the background and the static snapshot
(``Panel.snapshot_png``) — a reader without a kernel sees the same picture as before.

What a panel needs: subclass :class:`BrowserCanvasPanel` before its usual base (see
``widgets/activation_explorer_js.py``), with ``_animated_artists`` returning only lines, texts
and patches (:data:`SUPPORTED`). Images, collections (scatter, contours) and mathtext in a
*moving* text are not drawn by the prototype (a clear ``TypeError`` says which artist).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import traitlets
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from .._panel import Panel

try:
    import anywidget
except ImportError as exc:  # pragma: no cover - anywidget is in requirements.lock
    raise ImportError("lecture_utils.widgets.browser_canvas needs anywidget "
                      "(pip install anywidget, or the 'course' extra of lecture-utils)") from exc

__all__ = ["BrowserCanvas", "BrowserCanvasPanel", "frame_items", "SUPPORTED"]

_HERE = Path(__file__).parent
#: animated artist types the browser renderer draws
SUPPORTED = (Line2D, Text, Patch)
_GENERIC_FAMILIES = ("sans-serif", "serif", "monospace", "cursive", "fantasy")


class BrowserCanvas(anywidget.AnyWidget):
    """A ``<canvas>`` that shows a background PNG with lines, texts and polygons drawn on top.

    Traits (all synced): ``size`` — ``[width, height]`` in CSS pixels; ``background`` — PNG
    bytes; ``frame`` — ``{"seq": n, "items": [...]}``, each item a dict (see
    :func:`frame_items`) whose point arrays travel as binary float32 buffers.
    """

    _esm = _HERE / "browser_canvas.js"
    _css = _HERE / "browser_canvas.css"
    size = traitlets.List(traitlets.Int(), default_value=[640, 360]).tag(sync=True)
    background = traitlets.Bytes(b"").tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)


def _css_color(color: Any, alpha: float | None = None) -> str | None:
    r, g, b, a = to_rgba(color, alpha)
    if a == 0:
        return None
    return f"rgba({round(r * 255)},{round(g * 255)},{round(b * 255)},{a:.3g})"


def _px(points: np.ndarray, height: float) -> memoryview:
    """Display coordinates (origin bottom left) → canvas pixels (origin top left), float32."""
    out = np.asarray(points, dtype=np.float32).copy()
    out[:, 1] = height - out[:, 1]
    return memoryview(out.ravel())


def _clip(artist: Any, height: float) -> list[float] | None:
    box = artist.get_clip_box() if artist.get_clip_on() else None
    if box is None:
        return None
    x0, y0, x1, y1 = box.extents
    return [float(x0), float(height - y1), float(x1 - x0), float(y1 - y0)]


def _line(line: Line2D, height: float, pt: float) -> dict[str, Any]:
    alpha = line.get_alpha()
    xy = line.get_transform().transform(line.get_xydata()) if len(line.get_xdata()) else np.empty((0, 2))
    item: dict[str, Any] = {"kind": "line", "xy": _px(xy, height), "clip": _clip(line, height)}
    if line.get_linestyle() not in ("None", " ", "", "none"):
        offset, dashes = line._dash_pattern  # points, already scaled by the line width
        solid = dashes is None
        item.update(color=_css_color(line.get_color(), alpha), lw=line.get_linewidth() * pt,
                    dash=[] if solid else [d * pt for d in dashes], dash_offset=(offset or 0) * pt,
                    cap=_CAPS[line.get_solid_capstyle() if solid else line.get_dash_capstyle()],
                    join=line.get_solid_joinstyle() if solid else line.get_dash_joinstyle())
    marker = line.get_marker()
    if marker not in (None, "None", "none", "", " "):
        if marker not in _MARKERS:
            raise TypeError(f"browser canvas: marker {marker!r} of {line} is not drawn by the "
                            f"prototype (supported: {sorted(_MARKERS)})")
        item["marker"] = {"shape": _MARKERS[marker], "size": line.get_markersize() * pt,
                          "face": _css_color(line.get_markerfacecolor(), alpha),
                          "edge": _css_color(line.get_markeredgecolor(), alpha),
                          "ew": line.get_markeredgewidth() * pt}
    return item


_CAPS = {"butt": "butt", "round": "round", "projecting": "square"}
_MARKERS = {"o": "circle", ".": "point", "s": "square", "D": "diamond", "^": "triangle_up",
            "v": "triangle_down", "x": "x", "+": "plus", "|": "vline", "_": "hline"}
_VALIGN = {"baseline": "alphabetic", "bottom": "bottom", "top": "top", "center": "middle",
           "center_baseline": "middle"}


def _families(text: Text) -> str:
    names: list[str] = []
    for family in text.get_fontfamily():
        names += list(rcParams[f"font.{family}"]) + [family] if family in _GENERIC_FAMILIES else [family]
    return ", ".join(n if n in _GENERIC_FAMILIES else f'"{n}"' for n in dict.fromkeys(names))


def _linespacing(text: Text) -> float:
    spacing = text.get_linespacing()
    return float(spacing) if isinstance(spacing, (int, float)) else 1.2  # 'normal'


def _text(text: Text, height: float, pt: float) -> dict[str, Any] | None:
    s = text.get_text()
    if not s:
        return None
    if text.get_usetex() or (s.count("$") >= 2 and rcParams["text.parse_math"]):
        raise TypeError(f"browser canvas: the moving text {s!r} uses LaTeX/mathtext, which the "
                        "prototype cannot draw; keep it in the background or use plain text")
    x, y = text.get_transform().transform(text.get_unitless_position())
    return {"kind": "text", "text": s, "x": float(x), "y": float(height - y),
            "color": _css_color(text.get_color(), text.get_alpha()),
            "font": f"{text.get_fontstyle()} {text.get_fontweight()} {text.get_fontsize() * pt:.2f}px "
                    f"{_families(text)}",
            "size": text.get_fontsize() * pt, "linespacing": _linespacing(text),
            "ha": text.get_horizontalalignment(), "va": _VALIGN[text.get_verticalalignment()],
            "rotation": float(text.get_rotation()), "clip": _clip(text, height)}


def _patch(patch: Patch, height: float, pt: float) -> dict[str, Any]:
    if patch.get_hatch():
        raise TypeError(f"browser canvas: hatched patch {patch} is not drawn by the prototype")
    path = patch.get_transform().transform_path(patch.get_path())
    rings = path.to_polygons(closed_only=False)
    return {"kind": "polygon", "rings": [_px(r, height) for r in rings],
            "fill": _css_color(patch.get_facecolor()) if patch.get_fill() else None,
            "edge": _css_color(patch.get_edgecolor()), "lw": patch.get_linewidth() * pt,
            "clip": _clip(patch, height)}


def frame_items(artists: list[Any], fig: Figure) -> list[dict[str, Any]]:
    """The visible artists as drawing instructions in canvas pixels (see :class:`BrowserCanvas`).

    Lines: ``xy`` (float32 x, y pairs; NaN breaks the line), ``color``, ``lw``, ``dash``,
    ``cap``, ``join``, optional ``marker``; texts: ``text``, ``x``, ``y``, CSS ``font``, ``ha``,
    ``va``, ``rotation``; patches: ``rings`` (float32 outlines), ``fill``, ``edge``, ``lw``. Every
    item may carry ``clip`` = ``[x, y, w, h]``. Lengths are pixels at the figure's dpi.
    """
    height, pt = fig.bbox.height, fig.dpi / 72.0
    items = []
    for artist in artists:
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            items.append(_line(artist, height, pt))
        elif isinstance(artist, Text):
            item = _text(artist, height, pt)
            if item is not None:
                items.append(item)
        elif isinstance(artist, Patch):
            items.append(_patch(artist, height, pt))
        else:
            raise TypeError(f"browser canvas: {type(artist).__name__} ({artist}) is not drawn by the "
                            f"prototype; supported: {', '.join(t.__name__ for t in SUPPORTED)}")
    return items


class BrowserCanvasPanel(Panel):
    """A :class:`Panel` whose animated artists are drawn in the browser (see the module docstring).

    Put it first in the bases of an existing panel: ``class XJS(BrowserCanvasPanel, X)``. The
    panel's ``_build``, ``_update`` and ``_animated_artists`` are used unchanged.
    """

    #: PNG compression of the background (sent rarely; 1 is ~2× faster to encode than 6)
    background_compress_level = 1

    def _new_figure(self) -> Figure:
        fig = Figure(figsize=self.figsize)  # not pyplot's: no ipympl canvas, never shown itself
        FigureCanvasAgg(fig)
        return fig

    def _configure_canvas(self) -> None:
        pass  # an Agg canvas: nothing of ipympl's to quieten

    @property
    def canvas(self) -> BrowserCanvas:
        """The browser-side figure (created on first use)."""
        if getattr(self, "_canvas", None) is None:
            if not self._animated:
                raise TypeError(f"{type(self).__name__}: a browser-drawn panel needs _animated_artists()")
            w, h = self.fig.bbox.size
            self._canvas = BrowserCanvas(size=[round(w), round(h)])
            self._canvas.add_class("lecture-browser-canvas")
            self._frames_sent = 0
        return self._canvas

    def _figure_widget(self) -> BrowserCanvas:
        return self.canvas

    def _redraw(self) -> None:
        self._update(self.values)
        self.update_count += 1
        self._collect_animated()
        canvas = self.canvas
        key = self._state_key()
        with canvas.hold_sync():  # one comm message per update, background included if stale
            if key != self._background_at or not canvas.background:
                canvas.background = self._background_png(key)
            canvas.frame = {"seq": self.update_count, "items": frame_items(self._animated, self.fig)}
        self._frames_sent += 1

    def _background_png(self, key: Any) -> bytes:
        """The background for this state as PNG: drawn with Agg (the animated artists left out)
        and encoded, or the one made when this state was last seen (see ``background_cache``)."""
        from PIL import Image

        cached = self._pngs.get(key) if hasattr(self, "_pngs") else None
        if cached is not None:
            self._background_at = key
            return cached
        self.fig.canvas.draw()  # _after_full_draw keeps the background as a region
        self._backgrounds.clear()  # kept as PNG here, not as pixels
        buf = io.BytesIO()
        Image.fromarray(np.asarray(self._background)).save(
            buf, format="png", compress_level=self.background_compress_level)
        self._pngs = getattr(self, "_pngs", {})
        self._pngs[key] = png = buf.getvalue()
        while len(self._pngs) > max(self.background_cache, 1):
            self._pngs.pop(next(iter(self._pngs)))
        return png

    def close(self) -> None:
        super().close()
        if getattr(self, "_canvas", None) is not None:
            self._canvas.close()
