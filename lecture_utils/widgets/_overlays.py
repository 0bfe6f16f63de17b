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
  at capture by drawing the frame over black and over white), where the rest of the overlay
  lies, are pasted from ``over``.

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


#: how far around its extent an overlay is examined; one that paints up to this border is not kept
_MARGIN = 16


def _opaque(frame: Any) -> bool:
    alpha = frame.get_alpha()
    return frame.get_facecolor()[3] == 1.0 and (alpha is None or alpha == 1.0)


def capture(buf: np.ndarray, artists: list[Any], renderer: Any) -> dict[int, Overlay]:
    """Keep each artist's box (see the module docstring). ``buf`` (the canvas's RGBA buffer,
    writable) holds the bare background and holds it again on return. Works on the artist's
    extent and a margin of :data:`_MARGIN` px only: an artist that paints up to the margin's edge
    (it reaches further than its extent says) is simply always drawn."""
    height, width = buf.shape[:2]
    out: dict[int, Overlay] = {}
    for artist in artists:
        try:
            box = artist.get_window_extent(renderer)
        except Exception:  # noqa: BLE001 - no extent: it is simply always drawn
            continue
        if not all(map(math.isfinite, (box.x0, box.x1, box.y0, box.y1))):
            continue
        # the examined region, in buffer rows (top down) and columns
        R0, R1 = max(height - math.ceil(box.y1) - _MARGIN, 0), min(height - math.floor(box.y0) + _MARGIN, height)
        C0, C1 = max(math.floor(box.x0) - _MARGIN, 0), min(math.ceil(box.x1) + _MARGIN, width)
        if R1 <= R0 or C1 <= C0:
            continue
        region = buf[R0:R1, C0:C1]
        bare = region.copy()
        artist.draw(renderer)
        drawn = region.copy()
        region[:] = bare
        if _touches_edge(drawn, bare, (R0, R1, C0, C1), (height, width)):
            continue
        # its box (2 px more for antialiased edges) and every pixel it changed
        r0, r1 = height - math.ceil(box.y1) - 2 - R0, height - math.floor(box.y0) + 2 - R0
        c0, c1 = math.floor(box.x0) - 2 - C0, math.ceil(box.x1) + 2 - C0
        rows, cols = np.nonzero((drawn != bare).any(axis=2))
        if rows.size:
            r0, r1 = min(r0, int(rows.min()) - 1), max(r1, int(rows.max()) + 2)
            c0, c1 = min(c0, int(cols.min()) - 1), max(c1, int(cols.max()) + 2)
        r0, r1, c0, c1 = max(r0, 0), min(r1, R1 - R0), max(c0, 0), min(c1, C1 - C0)
        keep = Overlay(artist, slice(R0 + r0, R0 + r1), slice(C0 + c0, C0 + c1),
                       bare[r0:r1, c0:c1].copy(), drawn[r0:r1, c0:c1].copy())
        frame = _frame_of(artist)
        if frame is not None and _opaque(frame):
            keep.mask = _opaque_mask(region, bare, keep, frame, renderer, (r0, r1, c0, c1))
            keep.frame = frame if keep.mask is not None else None
        out[id(artist)] = keep
    return out


def _touches_edge(drawn: np.ndarray, bare: np.ndarray, region: tuple[int, int, int, int],
                  shape: tuple[int, int]) -> bool:
    """Whether the artist changed a pixel on the examined region's edge (where that edge is not
    the canvas's own)."""
    R0, R1, C0, C1 = region
    changed = (drawn != bare).any(axis=2)
    return bool((R0 > 0 and changed[0].any()) or (R1 < shape[0] and changed[-1].any())
                or (C0 > 0 and changed[:, 0].any()) or (C1 < shape[1] and changed[:, -1].any()))


def _opaque_mask(region: np.ndarray, bare: np.ndarray, keep: Overlay, frame: Any,
                 renderer: Any, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The pixels of the box where the overlay's opaque frame hides whatever lies under it and
    everything else the overlay paints lies — or None (then it is always drawn when reached).

    The frame alone is drawn over black, over white and over the background: a pixel that
    comes out the same over black and white comes out the same over anything (blending is
    monotone in the colour underneath). The rest of the overlay (texts, handles) must change
    nothing outside those pixels."""
    r0, r1, c0, c1 = box
    frames = []
    try:
        for level in (0, 255, None):
            if level is None:
                region[:] = bare
            else:
                region[:] = level
                region[..., 3] = 255
            frame.draw(renderer)  # inside the region: the whole overlay stayed inside it
            frames.append(region[r0:r1, c0:c1].copy())
    finally:
        region[:] = bare
    on_black, on_white, on_bare = frames
    mask = (on_black == on_white).all(axis=2)
    rest = (keep.over != on_bare).any(axis=2)  # pixels the texts and handles paint
    if not mask.any() or (rest & ~mask).any():
        return None
    return mask


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
