"""Artists that did not change, put back as pixels instead of drawn (``Panel._overlay_artists``).

A fast redraw draws its animated artists in a full draw's order, so a legend lying over a moving
curve is drawn again after the curve, on every key press — Agg text makes that 3–7 ms per
legend, most of a fast redraw; a network diagram's nine unchanged edge labels cost as much. An
artist that has not changed, painted over the same pixels, gives the same pixels again. So:

- whenever an overlay is drawn, its box is kept: the pixels there just before (``under``) and
  just after (``over``), with the overlay's key (its ``Panel._overlay_artists`` key, and the
  background's state);
- the next time, if the key is the same and the box holds exactly ``under`` — nothing drawn
  before it in this frame changed there — ``over`` is pasted: what drawing it would give;
- if something under it did change, it is drawn again (and kept anew) — unless it has an opaque
  frame (a legend with ``framealpha=1``, a text box with an opaque face): then only the frame is
  drawn over what is there, and the pixels where that frame hides whatever lies under it
  (found by drawing the frame over black and over white), which hold the rest of the overlay,
  are pasted from ``over``.

A box is the artist's extent and every pixel its drawing changed; an artist that paints up to
4 × :data:`_MARGIN` px beyond its extent is not kept (always drawn). Every step is checked on the
real pixels; where a check fails the overlay is simply drawn. ``tests/test_widgets_fast_redraw.py``
compares the result with a full draw for every control of every panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Overlay", "record", "replay"]

#: how far around its extent an overlay is examined; one that paints up to this border is not kept
_MARGIN = 16


@dataclass
class Overlay:
    artist: Any
    key: Any
    rows: slice
    cols: slice
    under: np.ndarray   # the box just before the artist was drawn
    over: np.ndarray    # the same box just after
    frame: Any = None   # its opaque frame patch, when the mask below was proven
    mask: np.ndarray | None = None  # where that frame hides what lies under it (the rest lies there)


def _frame_of(artist: Any) -> Any:
    """The patch an artist draws first, under the rest of it (a legend's frame, a text's box)."""
    frame = getattr(artist, "legendPatch", None)
    if frame is None and hasattr(artist, "get_bbox_patch"):
        frame = artist.get_bbox_patch()
    return frame if frame is not None and frame.get_visible() else None


def _opaque(frame: Any) -> bool:
    alpha = frame.get_alpha()
    return frame.get_facecolor()[3] == 1.0 and (alpha is None or alpha == 1.0)


def _extent(artist: Any, renderer: Any) -> Any:
    """The artist's extent in display pixels, or None. A scatter's (which matplotlib cannot
    give) is its points' spread by its largest marker and line width, twice over."""
    from matplotlib.collections import Collection
    from matplotlib.transforms import Bbox

    try:
        box = artist.get_window_extent(renderer)
        if all(map(math.isfinite, (box.x0, box.x1, box.y0, box.y1))):
            return box
        if isinstance(artist, Collection) and len(artist.get_offsets()):
            points = artist.get_offset_transform().transform(np.asarray(artist.get_offsets(), float))
            sizes = artist.get_sizes() if hasattr(artist, "get_sizes") else np.array([])
            reach = renderer.points_to_pixels(float(np.sqrt(np.max(sizes))) if len(sizes) else 0.0)
            reach += renderer.points_to_pixels(float(np.max(artist.get_linewidths(), initial=0.0)))
            if np.isfinite(points).all() and math.isfinite(reach):
                return Bbox([points.min(axis=0) - reach, points.max(axis=0) + reach])
    except Exception:  # noqa: BLE001 - no extent: it is simply always drawn
        return None
    return None


def _touches_edge(changed: np.ndarray, region: tuple[int, int, int, int], shape: tuple[int, int]) -> bool:
    """Whether a changed pixel lies on the examined region's edge (where that edge is not the canvas's)."""
    R0, R1, C0, C1 = region
    return bool((R0 > 0 and changed[0].any()) or (R1 < shape[0] and changed[-1].any())
                or (C0 > 0 and changed[:, 0].any()) or (C1 < shape[1] and changed[:, -1].any()))


def record(buf: np.ndarray, artist: Any, key: Any, renderer: Any, previous: Overlay | None = None,
           with_mask: bool = True) -> Overlay | None:
    """Draw ``artist`` over what ``buf`` (the canvas's RGBA buffer) holds and keep its box; None
    if it cannot be kept (it is drawn either way). ``previous``: its last record, whose proven
    mask is reused when the key is the same (the mask depends on the artist alone)."""
    height, width = buf.shape[:2]
    box = _extent(artist, renderer)
    if box is None:
        artist.draw(renderer)
        return None
    for margin in (_MARGIN, 4 * _MARGIN):  # a scatter's extent leaves out its markers' size
        R0, R1 = max(height - math.ceil(box.y1) - margin, 0), min(height - math.floor(box.y0) + margin, height)
        C0, C1 = max(math.floor(box.x0) - margin, 0), min(math.ceil(box.x1) + margin, width)
        if R1 <= R0 or C1 <= C0:
            artist.draw(renderer)
            return None
        region = buf[R0:R1, C0:C1]
        before = region.copy()
        artist.draw(renderer)
        changed = (region != before).any(axis=2)
        if not _touches_edge(changed, (R0, R1, C0, C1), (height, width)):
            break
        if margin != _MARGIN:
            return None  # it reaches further still: drawn every time
        region[:] = before  # try a wider region (drawing it again over what was there)
    # its box (2 px more for antialiased edges) and every pixel it changed, in region coordinates
    r0, r1 = height - math.ceil(box.y1) - 2 - R0, height - math.floor(box.y0) + 2 - R0
    c0, c1 = math.floor(box.x0) - 2 - C0, math.ceil(box.x1) + 2 - C0
    rows, cols = np.nonzero(changed)
    if rows.size:
        r0, r1 = min(r0, int(rows.min()) - 1), max(r1, int(rows.max()) + 2)
        c0, c1 = min(c0, int(cols.min()) - 1), max(c1, int(cols.max()) + 2)
    r0, r1, c0, c1 = max(r0, 0), min(r1, R1 - R0), max(c0, 0), min(c1, C1 - C0)
    keep = Overlay(artist, key, slice(R0 + r0, R0 + r1), slice(C0 + c0, C0 + c1),
                   before[r0:r1, c0:c1].copy(), region[r0:r1, c0:c1].copy())
    if (previous is not None and previous.artist is artist and previous.key == key
            and previous.rows == keep.rows and previous.cols == keep.cols):
        keep.frame, keep.mask = previous.frame, previous.mask
    elif with_mask:
        frame = _frame_of(artist)
        if frame is not None and _opaque(frame):
            keep.mask = _opaque_mask(region, keep, frame, renderer, (r0, r1, c0, c1))
            keep.frame = frame if keep.mask is not None else None
    return keep


def _opaque_mask(region: np.ndarray, keep: Overlay, frame: Any, renderer: Any,
                 box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The pixels of the box where the overlay's opaque frame hides whatever lies under it, if
    everything else the overlay paints lies there — or None (then it is drawn when reached).

    The frame alone is drawn over black, over white and over what was under the overlay: a pixel
    that comes out the same over black and white comes out the same over anything (blending is
    monotone in the colour underneath). The rest of the overlay (texts, handles) must change
    nothing outside those pixels. ``region`` is left as it was."""
    r0, r1, c0, c1 = box
    now = region.copy()
    frames = []
    try:
        for level in (0, 255, None):
            if level is None:
                region[:] = now
                region[r0:r1, c0:c1] = keep.under
            else:
                region[:] = level
                region[..., 3] = 255
            frame.draw(renderer)  # inside the region: the whole overlay stayed inside it
            frames.append(region[r0:r1, c0:c1].copy())
    finally:
        region[:] = now
    on_black, on_white, on_under = frames
    mask = (on_black == on_white).all(axis=2)
    rest = (keep.over != on_under).any(axis=2)  # pixels the texts and handles paint
    if not mask.any() or (rest & ~mask).any():
        return None
    return mask


def replay(buf: np.ndarray, keep: Overlay, key: Any, figure: Any) -> bool:
    """Put the overlay on the canvas from its record, as drawing it would; False if it must be
    drawn (its key changed, or what lies under it did and it has no proven opaque frame)."""
    if keep.key != key:
        return False
    box = buf[keep.rows, keep.cols]
    if np.array_equal(box, keep.under):
        box[...] = keep.over  # the same pixels under it: the same pixels with it
        return True
    if keep.mask is not None:
        figure.draw_artist(keep.frame)  # the frame over what is there, then the rest of it
        box = buf[keep.rows, keep.cols]
        box[keep.mask] = keep.over[keep.mask]
        return True
    return False
