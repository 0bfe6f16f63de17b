"""Prototype (issue 17): the activation explorer with its curves drawn by the browser.

The same panel as :class:`~lecture_utils.widgets.activation_explorer.ActivationExplorer` — the
same controls, maths, artists, read-out and static snapshot — but an update sends the moving
artists (the two curves, the marker, the title) as a few kilobytes of pixel coordinates to a
``<canvas>`` in the browser instead of drawing them with Agg and sending a PNG diff through
ipympl. See :mod:`lecture_utils.widgets.browser_canvas` and docs/performance.md.
"""

from __future__ import annotations

from .activation_explorer import ActivationExplorer
from .browser_canvas import BrowserCanvasPanel

__all__ = ["ActivationExplorerJS"]


class ActivationExplorerJS(BrowserCanvasPanel, ActivationExplorer):
    """:class:`ActivationExplorer`, drawn in the browser (prototype; not used by a notebook yet)."""
