"""The last few of something, most recent last: one small store for every cache of the panels.

A panel keeps its last backgrounds (by axis limits), whole frames (by control values), a few
looks of each overlay; a figure's canvas keeps the diff images between named frames; TowersPanel
keeps its last networks. Each is a :class:`Recent`: a dict in use order whose :meth:`put` drops
the oldest entries beyond a limit (the limit is given at each put, so a class attribute such as
``Panel.background_cache`` can be changed on an instance).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

__all__ = ["Recent"]


class Recent(OrderedDict):
    """An ordered dict used as a most-recently-used store (``get`` does not count as a use)."""

    def touch(self, key: Any) -> None:
        """Mark ``key`` as the most recent."""
        self.move_to_end(key)

    def put(self, key: Any, value: Any, limit: int) -> None:
        """Store ``value`` as the most recent and keep at most ``limit`` entries."""
        self[key] = value
        self.move_to_end(key)
        while len(self) > limit:
            self.popitem(last=False)
