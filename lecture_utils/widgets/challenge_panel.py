"""Challenge panel (03_universal_approximation): hand-tune five bump heights (after Nielsen)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._checks import check_shape
from ..approximation import (CHALLENGE_THRESHOLD, challenge_edges, challenge_output,
                             challenge_score, get_target)
from ..style import COLORS
from ._panel import Panel, float_slider

__all__ = ["ChallengePanel"]


class ChallengePanel(Panel):
    """Ten hidden neurons = five bumps of fixed width; slide their heights h1…h5 until the
    average deviation from Nielsen's wiggly curve is below :data:`CHALLENGE_THRESHOLD`.

    Controls: ``h1`` … ``h5``. Artists: ``target_line``, ``net_line``, ``error_line`` (|error|).
    ``score`` is the current average deviation and ``solved`` whether it beats the threshold.
    """

    figsize = (8.0, 4.5)
    n_bumps = 5
    x = np.linspace(0.0, 1.0, 501)

    def __init__(self, heights: tuple[float, ...] = (0.5,) * 5) -> None:
        heights = check_shape(heights, "heights", (self.n_bumps,), allow_inf=False)
        self.score, self.solved = float("nan"), False
        super().__init__({f"h{k + 1}": float_slider(f"height h{k + 1}", float(h), -0.2, 1.2, 0.01)
                          for k, h in enumerate(heights)})

    @property
    def heights(self) -> list[float]:
        """The five heights as set on the sliders (pass them to the challenge exercise)."""
        return [float(self.controls[f"h{k + 1}"].value) for k in range(self.n_bumps)]

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        for e in challenge_edges(self.n_bumps)[1:-1]:
            ax.axvline(e, color="0.6", linewidth=1, linestyle=":")
        (self.target_line,) = ax.plot(self.x, get_target("wiggly")(self.x), color=COLORS["black"],
                                      linewidth=1.5, label="target (wiggly)")
        (self.net_line,) = ax.plot([], [], color=COLORS["blue"], linewidth=3, label="your network")
        (self.error_line,) = ax.plot([], [], color=COLORS["vermillion"], linewidth=1.5,
                                     label="|error|")
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.05, 1.25)
        ax.set_xlabel("x")
        ax.legend(loc="upper left", fontsize="small")

    def _animated_artists(self) -> list[Any]:
        return [self.net_line, self.error_line, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        h = [float(values[f"h{k + 1}"]) for k in range(self.n_bumps)]
        y_hat = challenge_output(self.x, h)
        self.net_line.set_data(self.x, y_hat)
        self.error_line.set_data(self.x, np.abs(y_hat - self.target_line.get_ydata()))
        self.score = challenge_score(h)
        self.solved = self.score < CHALLENGE_THRESHOLD
        mark = "✓ solved!" if self.solved else f"goal: < {CHALLENGE_THRESHOLD}"
        self.ax.set_title(f"average deviation {self.score:.3f} — {mark}",
                          color=COLORS["green"] if self.solved else COLORS["black"])
        colour = "#009E73" if self.solved else "#D55E00"
        self.readout.value = (f'<span style="color:{colour};font-size:1.2em">average deviation '
                              f"<b>{self.score:.4f}</b> (goal &lt; {CHALLENGE_THRESHOLD}) — "
                              f"{'✓ challenge solved!' if self.solved else 'keep tuning'}</span>")
