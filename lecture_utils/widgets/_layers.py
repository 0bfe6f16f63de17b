"""Which artists to redraw, in which order, for a panel's fast redraw (``_animated_artists``).

A fast redraw paints the animated artists over a cached background, in list order. It equals a
full draw only if every artist a full draw paints *over* a changing one is in the list too, in
the full draw's order: ``Axes.draw`` paints the axes patch, then its children sorted by zorder
(ties in ``get_children()`` order). :func:`draw_order` gives that order for one axes.
"""

from __future__ import annotations

from typing import Any, Iterable

from matplotlib.axes import Axes
from matplotlib.axis import Axis

__all__ = ["draw_order"]


def draw_order(ax: Axes, *, above: Any = None, skip: Iterable[Any] = (), axis: bool = False) -> list[Any]:
    """The artists of ``ax`` in the order a full draw paints them.

    ``above``: only those drawn after this artist (it included); ``skip``: leave these out;
    ``axis``: include the x/y ``Axis`` objects (ticks, tick labels, grid lines) — off by default,
    as they are expensive and, with the grid off, lie outside the data area.
    """
    skip = set(map(id, skip))
    if not (ax.axison and ax.get_frame_on()):  # as Axes.draw: no frame, no spines
        skip |= set(map(id, ax.spines.values()))
    if not ax.axison:
        axis = False
    children = [a for a in ax.get_children() if a is not ax.patch]
    children = [a for a in children if id(a) not in skip and (axis or not isinstance(a, Axis))]
    order = sorted(children, key=lambda a: a.get_zorder())  # stable: ties keep get_children order
    if above is not None:
        order = order[next(i for i, a in enumerate(order) if a is above):]
    return order
