"""A cheaper heat map: an ``AxesImage`` resampled with two index arrays instead of Agg's resampler.

matplotlib draws an ``imshow`` image by normalising and resampling it (``_make_image``: masked
arrays, two Agg resampling passes for data and alpha, then the colour map) — 2.5–6 ms for the
panels' maps at 80 dpi, every update, most of it bookkeeping. For the panels' case — a 2-D
array of numbers, axis-aligned, linear axes, no alpha, no mask — each output pixel's source is
found on each axis alone (the mapping is separable), so:

- ``nearest``: colour the (small) array once, then pick rows and columns: ``rgba[rows][:, cols]``;
- ``bilinear``: interpolate the data between the four nearest cell centres (rows, then columns;
  clamped at the edges, as matplotlib does), then colour the result.

The picture is the one matplotlib draws (``tests/test_widgets_fast_image.py``: ``nearest``
pixel for pixel; ``bilinear`` within a few colour levels where it enlarges the array ≥ 3× on both
axes — below that matplotlib interpolates colours or averages, and draws it itself),
and because both the fast redraw and a full draw paint it with this same code, the panels' pixel
tests stay exact. Anything else (masked data, an alpha array, RGB data, log axes, other interpolations)
is drawn by matplotlib's own code. :func:`install` puts it on one image.
"""

from __future__ import annotations

import math
import types
from typing import Any

import numpy as np
from matplotlib.transforms import IdentityTransform

__all__ = ["install", "make_image"]


def _source_positions(lo: float, hi: float, first: float, last: float, n: int) -> np.ndarray:
    """For output pixels lo … hi−1 (their centres), the position in array cells (0 … n) of each,
    where the array's edge 0 lies at display coordinate ``first`` and edge n at ``last``."""
    centres = np.arange(lo, hi, dtype=np.float64) + 0.5
    return (centres - first) * (n / (last - first))


def _fallback(image: Any, renderer: Any, magnification: float, unsampled: bool) -> Any:
    return type(image).make_image(image, renderer, magnification, unsampled)


def make_image(image: Any, renderer: Any, magnification: float = 1.0, unsampled: bool = False) -> Any:
    """``AxesImage.make_image`` for the simple case (see the module docstring), else matplotlib's."""
    A = image._A
    interpolation = image.get_interpolation()
    if (unsampled or magnification != 1.0 or A is None or A.ndim != 2 or np.ma.is_masked(A)
            or not np.isscalar(image.get_alpha() if image.get_alpha() is not None else 1.0)
            or interpolation not in ("nearest", "bilinear")
            or not image.get_transform().is_affine):
        return _fallback(image, renderer, magnification, unsampled)
    trans = image.get_transform()
    if trans.get_matrix()[0, 1] != 0 or trans.get_matrix()[1, 0] != 0:  # rotated or skewed
        return _fallback(image, renderer, magnification, unsampled)
    left, right, bottom, top = image.get_extent()
    (x_left, y_bottom), (x_right, y_top) = trans.transform([[left, bottom], [right, top]])
    clip = (image.get_clip_box() or image.axes.bbox) if image.get_clip_on() else image.get_figure(root=True).bbox
    x0 = max(math.floor(min(x_left, x_right)), math.floor(clip.x0))
    x1 = min(math.ceil(max(x_left, x_right)), math.ceil(clip.x1))
    y0 = max(math.floor(min(y_bottom, y_top)), math.floor(clip.y0))
    y1 = min(math.ceil(max(y_bottom, y_top)), math.ceil(clip.y1))
    if x1 <= x0 or y1 <= y0:
        return None, 0, 0, None
    n_rows, n_cols = A.shape
    # array row 0 lies at the extent's top for origin "upper", at its bottom for "lower"
    row_first, row_last = (y_top, y_bottom) if image.origin == "upper" else (y_bottom, y_top)
    cols = _source_positions(x0, x1, x_left, x_right, n_cols)      # output columns, left → right
    rows = _source_positions(y0, y1, row_first, row_last, n_rows)  # output rows, bottom → top (Agg's order)
    if interpolation == "bilinear" and (abs(x_right - x_left) < 3 * n_cols or abs(y_top - y_bottom) < 3 * n_rows):
        # enlarged less than 3×, matplotlib interpolates colours or averages: its own code draws it
        return _fallback(image, renderer, magnification, unsampled)
    inside_c, inside_r = (cols >= 0) & (cols < n_cols), (rows >= 0) & (rows < n_rows)
    if interpolation == "nearest":
        c = np.clip(cols.astype(np.intp), 0, n_cols - 1)
        r = np.clip(rows.astype(np.intp), 0, n_rows - 1)
        rgba = image.to_rgba(np.asarray(A), bytes=True)  # (n_rows, n_cols, 4): the small array coloured
        out = rgba[r][:, c]
    else:  # bilinear between cell centres, clamped at the edges
        data = np.asarray(A, dtype=np.float64)

        def weights(pos: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            f = np.clip(pos - 0.5, 0.0, n - 1.0)
            i0 = np.minimum(f.astype(np.intp), n - 1)
            return i0, np.minimum(i0 + 1, n - 1), f - i0

        r0, r1, wr = weights(rows, n_rows)
        c0, c1, wc = weights(cols, n_cols)
        by_row = data[r0] * (1.0 - wr)[:, None] + data[r1] * wr[:, None]
        values = by_row[:, c0] * (1.0 - wc) + by_row[:, c1] * wc
        out = image.to_rgba(values, bytes=True)
    alpha = image.get_alpha()
    if alpha is not None:  # as matplotlib: a scalar alpha scales the alpha channel (cast to uint8)
        out[..., 3] = out[..., 3].astype(np.float32) * np.float32(alpha)
    if not (inside_c.all() and inside_r.all()):  # pixels beyond the array: transparent
        out[~inside_r] = 0
        out[:, ~inside_c] = 0
    return np.ascontiguousarray(out), x0, y0, IdentityTransform()


def install(image: Any) -> Any:
    """Draw ``image`` (an ``AxesImage``) with :func:`make_image`; returns the image."""
    image.make_image = types.MethodType(make_image, image)
    return image
