"""Binary cross-entropy panel (06_cross_entropy): slide p̂, toggle y, see the price of a prediction."""

from __future__ import annotations

import math
from typing import Any

from matplotlib.figure import Figure

from ..plotting.losses import find_artist, plot_bce_curves
from ..style import COLORS
from ._panel import Panel, float_slider, toggle

__all__ = ["BCEPanel", "compute_bce_point"]

YMAX = 6.0
#: where the loss is written (data coordinates): between the two curves' low middle and the legend
LABEL_AT = (0.5, 3.0)


def compute_bce_point(y: int, p_hat: float) -> tuple[float, float]:
    """The loss −[y log p̂ + (1 − y) log(1 − p̂)] and the probability given to the true label.

    Parameters
    ----------
    y : {0, 1}
    p_hat : float in (0, 1)
        Predicted probability of class 1.

    Returns
    -------
    (loss, p_true) : tuple of float
    """
    if y not in (0, 1):
        raise ValueError(f"y must be 0 or 1; got {y!r}.")
    if not 0.0 < p_hat < 1.0:
        raise ValueError(f"p_hat must lie strictly between 0 and 1; got {p_hat!r}.")
    p_true = p_hat if y == 1 else 1.0 - p_hat
    return -math.log(p_true), p_true


class BCEPanel(Panel):
    """Binary cross-entropy for one example: the loss curve of the true label and where p̂ sits.

    Controls: ``p_hat`` (slider, the predicted probability of class 1) and ``y`` (toggle, the
    actual label). Artists: ``curve_y1`` / ``curve_y0`` (the two branches; the active one is
    bold, the other faint), ``point`` (the current (p̂, loss)), ``stem`` (a vertical bar from 0
    to the loss) and ``label`` (the loss, written in the middle of the axes where neither curve
    ever passes, with an arrow to the point).
    """

    def __init__(self, p_hat: float = 0.8, y: int = 1) -> None:
        controls = {
            "p_hat": float_slider("p̂ = P(y = 1)", p_hat, 0.005, 0.995, 0.005, readout_format=".3f"),
            "y": toggle("actual label y", [("y = 0", 0), ("y = 1", 1)], y),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        plot_bce_curves(ax, ymax=YMAX)
        self.curve_y1, self.curve_y0 = find_artist(ax, "bce-y1"), find_artist(ax, "bce-y0")
        (self.stem,) = ax.plot([], [], color=COLORS["vermillion"], linewidth=4, alpha=0.6,
                               solid_capstyle="butt")
        (self.point,) = ax.plot([], [], "o", color=COLORS["vermillion"], markersize=12,
                                markeredgecolor="black", zorder=5)
        # both curves stay below 1.3 for 0.27 < p̂ < 0.73 and the legend is at the top: the label
        # lives in that gap, so it never sits on a curve, and an arrow points at the loss
        self.label = ax.annotate("", xy=(0.5, 0.0), xytext=LABEL_AT, textcoords="data", ha="center",
                                 va="center", fontsize=15, fontweight="bold",
                                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "0.6"},
                                 arrowprops={"arrowstyle": "-|>", "color": COLORS["vermillion"], "lw": 2,
                                             "shrinkA": 2, "shrinkB": 8})

    def _animated_artists(self) -> list[Any]:
        return [self.curve_y0, self.curve_y1, self.point, self.stem, self.label, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        y, p_hat = int(values["y"]), float(values["p_hat"])
        loss, p_true = compute_bce_point(y, p_hat)
        active, other = (self.curve_y1, self.curve_y0) if y == 1 else (self.curve_y0, self.curve_y1)
        active.set_alpha(1.0), active.set_linewidth(3.5)
        other.set_alpha(0.3), other.set_linewidth(2.0)
        shown = min(loss, YMAX)
        self.point.set_data([p_hat], [shown])
        self.stem.set_data([p_hat, p_hat], [0, shown])
        self.label.set_text(f"loss = {loss:.3f}")
        self.label.xy = (p_hat, shown)
        verdict = ("confidently wrong" if p_true < 0.1 else "wrong" if p_true < 0.5
                   else "right" if p_true < 0.9 else "confidently right")
        self.ax.set_title(f"y = {y}, p̂ = {p_hat:.3f}: probability of the true label {p_true:.3f} ({verdict})")
        formula = "−log p̂" if y == 1 else "−log(1 − p̂)"
        self.readout.value = (f"<b>loss = {formula} = −log({p_true:.3f}) = {loss:.3f}</b> &nbsp;·&nbsp; "
                              f"{verdict}; each ×10 less probability on the truth adds log 10 ≈ 2.303")
