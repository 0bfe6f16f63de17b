"""Static artists over moving ones, put back as pixels instead of drawn (``Panel._overlay_artists``).

A fast redraw draws its animated artists in a full draw's order, so a legend lying over a moving
curve must be drawn again after the curve — Agg text makes that 3–7 ms per legend, most of a
fast redraw. A legend does not change while its background stays, so its pixels can be kept:

- at every full draw, each overlay is drawn once over the bare background and its box kept:
  the background's pixels there (``under``) and with the overlay on them (``over``);
- on a fast redraw, when the box still holds exactly ``under`` (nothing animated drawn earlier
  reached it), ``over`` is pasted: what drawing it would give, by construction;
- when something did reach the box, the overlay is drawn — unless it has an opaque frame (a
  legend with ``framealpha=1``, a text box with an opaque face): then only the frame is drawn
  over what is there, and the pixels the frame makes independent of what lies under it (found
  at capture by drawing the overlay over black and over white as well) are pasted from ``over``.

Every step is checked at capture time on the real pixels; where a check fails the overlay is
simply always drawn. ``tests/test_widgets_fast_redraw.py`` compares every result with a full draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Overlay", "capture", "paint"]


@dataclass
class Overlay:
    artist: Any
    rows: slice
    cols: slice
    under: np.ndarray   # the bare background in the box
    over: np.ndarray    # the same box with the artist drawn over it
    frame: Any = None   # its opaque frame patch, when the mask below was proven
    mask: np.ndarray | None = None  # pixels of ``over`` that do not depend on what lies under it


def _frame_of(artist: Any) -> Any:
    """The patch an artist draws first, under the rest of it (a legend's frame, a text's box)."""
    frame = getattr(artist, "legendPatch", None)
    if frame is None and hasattr(artist, "get_bbox_patch"):
        frame = artist.get_bbox_patch()
    return frame if frame is not None and frame.get_visible() else None


def _changed(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.nonzero((a != b).any(axis=2))


def capture(buf: np.ndarray, artists: list[Any], renderer: Any) -> dict[int, Overlay]:
    """Keep each artist's box (see the module docstring). ``buf`` (the canvas's RGBA buffer,
    writable) holds the bare background and holds it again on return."""
    bare = buf.copy()
    height, width = buf.shape[:2]
    out: dict[int, Overlay] = {}
    for artist in artists:
        try:
            box = artist.get_window_extent(renderer)
        except Exception:  # noqa: BLE001 - no extent: it is simply always drawn
            continue
        if not all(map(math.isfinite, (box.x0, box.x1, box.y0, box.y1))):
            continue
        artist.draw(renderer)
        # its box (2 px more for antialiased edges) and every pixel it changed
        r0, r1 = height - math.ceil(box.y1) - 2, height - math.floor(box.y0) + 2
        c0, c1 = math.floor(box.x0) - 2, math.ceil(box.x1) + 2
        rows, cols = _changed(buf, bare)
        if rows.size:
            r0, r1 = min(r0, int(rows.min()) - 1), max(r1, int(rows.max()) + 2)
            c0, c1 = min(c0, int(cols.min()) - 1), max(c1, int(cols.max()) + 2)
        rs, cs = slice(max(r0, 0), min(r1, height)), slice(max(c0, 0), min(c1, width))
        keep = Overlay(artist, rs, cs, bare[rs, cs].copy(), buf[rs, cs].copy())
        buf[:] = bare
        frame = _frame_of(artist)
        if frame is not None:
            keep.frame = frame
            keep.mask = _opaque_mask(buf, bare, keep, renderer)
            if keep.mask is None:
                keep.frame = None
        out[id(artist)] = keep
    return out


def _opaque_mask(buf: np.ndarray, bare: np.ndarray, keep: Overlay, renderer: Any) -> np.ndarray | None:
    """Pixels of the box that the overlay paints the same over any underlay, provided that
    everything else it paints is its frame alone — or None (then it is always drawn).

    Drawn over a black and over a white underlay as well: a pixel that comes out the same over
    both (and over the background) comes out the same over anything (blending is monotone in
    the colour underneath)."""
    rs, cs = keep.rows, keep.cols
    outside = np.ones(buf.shape[:2], bool)
    outside[rs, cs] = False
    over, frame = [keep.over], []
    try:
        for level in (0, 255):
            under = np.full_like(bare, level)
            under[..., 3] = 255
            buf[:] = under
            keep.artist.draw(renderer)
            if (buf[outside] != under[outside]).any():
                return None  # it paints outside its box over another underlay: not safe
            over.append(buf[rs, cs].copy())
        for level in (None, 0, 255):
            if level is None:
                buf[:] = bare
            else:
                buf[:] = level
                buf[..., 3] = 255
            keep.frame.draw(renderer)
            frame.append(buf[rs, cs].copy())
    finally:
        buf[:] = bare
    mask = (over[0] == over[1]).all(axis=2) & (over[0] == over[2]).all(axis=2)
    depends = ~mask
    # where the result depends on the underlay, the frame alone must give it, over all three
    if not all((f[depends] == o[depends]).all() for f, o in zip(frame, over)):
        return None
    return mask if mask.any() else None


def paint(buf: np.ndarray, keep: Overlay, figure: Any) -> None:
    """Put the overlay on the canvas as drawing it would (see the module docstring)."""
    box = buf[keep.rows, keep.cols]
    if np.array_equal(box, keep.under):
        box[...] = keep.over  # nothing reached it: its pixels as drawn at capture
    elif keep.mask is not None:
        figure.draw_artist(keep.frame)  # the frame over what is there, then the rest of it
        box = buf[keep.rows, keep.cols]
        box[keep.mask] = keep.over[keep.mask]
    else:
        figure.draw_artist(keep.artist)
