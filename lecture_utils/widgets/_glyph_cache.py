"""Agg text with rendered glyphs kept: the same pixels, several times faster.

matplotlib 3.11's Agg renderer draws a string glyph by glyph: for each glyph FreeType loads and
rasterises the outline at the glyph's position (in 1/64 px), then the bitmap is blended into
the canvas. Rasterising is most of the cost of text — and text is most of a panel's redraw
(a 45-character title: ≈ 6 ms). The bitmap depends only on the font, size, dpi, glyph, hinting,
the transform matrix and the position's *fraction* of a pixel: a whole-pixel move of the
outline moves the bitmap by exactly that many pixels (FreeType's 26.6 fixed point). So each
bitmap is kept under that key and blended at its integer offset; only unseen keys are rasterised.

:func:`install` replaces ``RendererAgg._draw_text_glyphs_and_boxes`` with a copy of matplotlib
3.11's that does this (only for matplotlib 3.11, where the copy is known to be exact; any
other version keeps its own). ``tests/test_glyph_cache.py`` draws varied texts (sizes, weights,
rotations, mathtext, unantialiased) both ways and compares every pixel. The cache holds at most
:data:`MAX_GLYPHS` bitmaps and :data:`MAX_LAYOUTS` strings' layouts (together ≲ 2 MB), each
emptied when full.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib as mpl
import numpy as np

__all__ = ["install", "uninstall", "installed", "MAX_GLYPHS"]

#: bitmaps kept; a few hundred cover a panel's labels, moving text needs more positions
MAX_GLYPHS = 4000

#: strings laid out (glyphs and their positions)
MAX_LAYOUTS = 500

_cache: dict[tuple, tuple[np.ndarray, int, int]] = {}
_fonts: dict[int, object] = {}  # keeps every font in a key alive, so its id is never reused
_layouts: dict[tuple, list] = {}
_layout_fonts: dict[int, object] = {}
_original: tuple | None = None


def _supported() -> bool:
    from matplotlib.backends import backend_agg

    version = tuple(int(p) for p in mpl.__version__.split(".")[:2] if p.isdigit())
    agg = backend_agg.RendererAgg
    return version == (3, 11) and all(hasattr(agg, name) for name in
                                      ("_draw_text_glyphs_and_boxes", "draw_text", "_prepare_font"))


def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):  # noqa: C901 - mirrors matplotlib
    # matplotlib 3.11's backend_agg.RendererAgg._draw_text_glyphs_and_boxes, with the glyph
    # bitmaps kept (see the module docstring); everything else is unchanged.
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.ft2font import RenderMode
    from matplotlib.path import Path

    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    rotation = np.array([[cos, -sin], [sin, cos]])
    load_flags = get_hinting_flag()
    antialiased = gc.get_antialiased()
    height = self.height
    last = None
    matrices: dict[tuple[float, float], tuple[np.ndarray, bytes]] = {}
    dpi, draw = self.dpi, self._renderer.draw_text_image
    for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards.
        shape = matrices.get((slant, extend))
        if shape is None:
            matrix = (0x10000 * rotation @ [[extend, extend * slant], [0, 1]]).round().astype(int)
            shape = matrices[slant, extend] = (matrix, matrix.tobytes())
        matrix, matrix_key = shape
        delta = [round(0x40 * (x + dx * cos - dy * sin)),
                 # FreeType's y is upwards.
                 round(0x40 * (height - y + dx * sin + dy * cos))]
        key = (id(font), size, dpi, glyph_index, matrix_key, delta[0] & 63, delta[1] & 63,
               load_flags, antialiased)
        kept = _cache.get(key)
        shift_x, shift_y = delta[0] >> 6, delta[1] >> 6  # whole pixels (floor)
        if kept is None:
            font.set_size(size, dpi)
            font._set_transform(matrix, delta)
            bitmap = font._render_glyph(
                glyph_index, load_flags,
                RenderMode.NORMAL if antialiased else RenderMode.MONO)
            buffer = bitmap.buffer
            if not antialiased:
                buffer *= 0xff
            if len(_cache) >= MAX_GLYPHS:
                _cache.clear()
                _fonts.clear()
            kept = _cache[key] = (buffer, bitmap.left - shift_x, bitmap.top - shift_y)
            _fonts[id(font)] = font
        buffer, left, top = kept
        # draw_text_image's y is downwards & the bitmap bottom side.
        draw(buffer, left + shift_x, int(height) - (top + shift_y) + buffer.shape[0], 0, gc)
        last = (font, size, matrix, delta)
    if last is not None:  # leave the font as matplotlib's own loop would
        font, size, matrix, delta = last
        font.set_size(size, self.dpi)
        font._set_transform(matrix, delta)

    rgba = gc.get_rgb()
    if len(rgba) == 3 or gc.get_forced_alpha():
        rgba = rgba[:3] + (gc.get_alpha(),)
    gc1 = self.new_gc()
    gc1.set_linewidth(0)
    gc1.set_snap(gc.get_snap())
    for dx, dy, w, h in boxes:  # dy is upwards.
        if gc1.get_snap() in [None, True]:
            # Prevent thin bars from disappearing by growing symmetrically.
            if w < 1:
                dx -= (1 - w) / 2
                w = 1
            if h < 1:
                dy -= (1 - h) / 2
                h = 1
        path = Path._create_closed(
            [(dx, dy), (dx + w, dy), (dx + w, dy + h), (dx, dy + h)])
        self._renderer.draw_path(
            gc1, path,
            mpl.transforms.Affine2D()
            .rotate_deg(angle).translate(x, height - y),
            rgba)
    gc1.restore()


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, tuple):
        return tuple(_hashable(v) for v in value)
    return value


def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    # matplotlib 3.11's RendererAgg.draw_text, with each string's glyph layout kept (per font,
    # size, dpi, hinting, features and language: what the layout depends on)
    from matplotlib.backends.backend_agg import get_hinting_flag

    if ismath:
        return self.draw_mathtext(gc, x, y, s, prop, angle)
    font = self._prepare_font(prop)
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    flags = get_hinting_flag()
    size = prop.get_size_in_points()
    try:
        key = (id(font), size, self.dpi, s, flags, _hashable(features), _hashable(language))
        hash(key)
    except TypeError:
        key = None
    kept = _layouts.get(key) if key is not None else None
    if kept is None:
        items = font._layout(s, flags=flags, features=features, language=language)
        fonts = list(dict.fromkeys(item.ft_object for item in items))  # usually one font
        which = {id(f): i for i, f in enumerate(fonts)}
        # compact: ~20 bytes a glyph (tuples of Python objects took ~150)
        kept = (tuple(fonts), bytes(which[id(item.ft_object)] for item in items) if len(fonts) < 256 else None,
                np.array([item.glyph_index for item in items], dtype=np.int64),
                np.array([(item.x, item.y) for item in items], dtype=np.float64).reshape(-1, 2))
        if kept[1] is None:  # more than 255 fonts in one string: not kept
            kept = None
            glyphs = [(item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items]
        elif key is not None:
            if len(_layouts) >= MAX_LAYOUTS:
                _layouts.clear()
                _layout_fonts.clear()
            _layouts[key] = kept
            _layout_fonts[id(font)] = font
    if kept is not None:
        fonts, which, indices, positions = kept
        glyphs = [(fonts[f], size, g, 0, 1, gx, gy)
                  for f, g, (gx, gy) in zip(which, indices.tolist(), positions.tolist())]
    self._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, [])


def install() -> bool:
    """Use the glyph cache for every Agg text in this process; True if it is in use."""
    global _original
    if _original is not None:
        return True
    if not _supported():
        return False
    from matplotlib.backends import backend_agg

    agg = backend_agg.RendererAgg
    _original = (agg._draw_text_glyphs_and_boxes, agg.draw_text)
    agg._draw_text_glyphs_and_boxes = _draw_text_glyphs_and_boxes
    agg.draw_text = draw_text
    return True


def uninstall() -> None:
    """matplotlib's own text drawing again (for the tests)."""
    global _original
    if _original is None:
        return
    from matplotlib.backends import backend_agg

    backend_agg.RendererAgg._draw_text_glyphs_and_boxes, backend_agg.RendererAgg.draw_text = _original
    _original = None
    for kept in (_cache, _fonts, _layouts, _layout_fonts):
        kept.clear()


def installed() -> bool:
    return _original is not None
