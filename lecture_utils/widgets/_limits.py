"""Axis limits that move in coarse steps, so a slider rarely forces a full redraw.

A fast-redraw panel (``Panel._animated_artists``) draws only its moving artists while the axis
limits stay put; a change of limits means a full draw (3–10× the cost). Limits fitted tightly
to the data change on every slider step. These helpers widen them to a short ladder of "nice"
values instead: the picture still fits the data, and the limits change only when the data
cross a rung (and a background seen before is found in the panel's background cache).
"""

from __future__ import annotations

import math

__all__ = ["nice_ceil", "ladder_limits"]

_MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(x: float, mantissas: tuple[float, ...] = _MANTISSAS) -> float:
    """The smallest m·10^k ≥ x (x > 0) with m from ``mantissas`` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)."""
    if not x > 0 or not math.isfinite(x):
        raise ValueError(f"nice_ceil expects a finite number > 0; got {x!r}")
    k = math.floor(math.log10(x))
    for scale in (10.0 ** k, 10.0 ** (k + 1)):
        for m in mantissas:
            if m * scale >= x * (1 - 1e-12):
                return m * scale
    return mantissas[-1] * 10.0 ** (k + 1)  # pragma: no cover - mantissas end at 10


def ladder_limits(lo: float, hi: float, base: tuple[float, float], pad: float = 0.05,
                  cap: float | None = None) -> tuple[float, float]:
    """Limits that hold ``base`` while the data ``lo … hi`` fit in it, else grow in steps.

    Each side on its own: if the data (plus ``pad`` × their range) stay inside ``base`` that
    side is ``base``'s; otherwise its distance from 0 is rounded up to :func:`nice_ceil`
    (never beyond ``cap``, if given). ``base`` must contain 0.
    """
    if not base[0] <= 0 <= base[1]:
        raise ValueError(f"ladder_limits: base {base} must contain 0")
    margin = pad * (hi - lo)
    low, high = lo - margin, hi + margin
    out_lo = base[0] if low >= base[0] else -nice_ceil(-low)
    out_hi = base[1] if high <= base[1] else nice_ceil(high)
    if cap is not None:
        out_lo, out_hi = max(out_lo, -cap), min(out_hi, cap)
    return out_lo, out_hi
