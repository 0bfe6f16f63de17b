"""A proper scoring rule, live (06_cross_entropy): the true probability q, the prediction p.

Suppose the truth is itself random: y = 1 with probability q (a slider). A model that predicts p
pays the cross-entropy on average E_{y~q}[CE(y, p)] = −q log p − (1 − q) log(1 − p) =
H(q) + KL(q‖p) — lowest exactly at p = q. The expected accuracy, beside it, is flat on each side
of ½: it cannot tell an honest p from an over-confident one. That is why training with
cross-entropy *can* produce calibrated probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..information import bernoulli_expected_accuracy, bernoulli_expected_ce
from ..plotting.losses import P_HAT, SCORE_YMAX, find_artist, plot_scoring_rule
from ..style import COLORS
from ._panel import Panel, float_slider

__all__ = ["ScoringRulePanel"]


class ScoringRulePanel(Panel):
    """Expected cross-entropy and expected accuracy of a prediction p when y ~ Bernoulli(q).

    Controls: ``q`` (the true probability of y = 1) and ``p`` (the model's prediction), both
    sliders 0.01 … 0.99.
    Artists: on ``ax_ce`` the curve ``ce_curve``, the floor ``entropy_line``, the minimum
    ``minimum``, the current ``ce_point`` and the vertical ``kl_gap`` (KL(q‖p) between the floor and
    the point); on ``ax_acc`` the step ``acc_curve`` and the current ``acc_point``.
    """

    figsize = (10.4, 5.2)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, q: float = 0.7, p: float = 0.9) -> None:
        controls = {
            "q": float_slider("true q", float(q), 0.01, 0.99, 0.01),
            "p": float_slider("prediction p", float(p), 0.01, 0.99, 0.01),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        self.ax_ce, self.ax_acc = fig.subplots(1, 2, width_ratios=[1.25, 1])
        plot_scoring_rule(0.5, self.ax_ce, self.ax_acc)
        self.ce_curve, self.entropy_line = find_artist(self.ax_ce, "expected-ce"), find_artist(self.ax_ce, "entropy")
        self.minimum = find_artist(self.ax_ce, "minimum")
        self.acc_curve = find_artist(self.ax_acc, "expected-acc")
        (self.kl_gap,) = self.ax_ce.plot([], [], color=COLORS["purple"], linewidth=5, alpha=0.8,
                                         solid_capstyle="butt", label="gap = KL(q‖p)")
        (self.ce_point,) = self.ax_ce.plot([], [], "o", color=COLORS["vermillion"], markersize=12,
                                           markeredgecolor="black", zorder=5, label="your prediction p")
        (self.acc_point,) = self.ax_acc.plot([], [], "o", color=COLORS["vermillion"], markersize=12,
                                             markeredgecolor="black", zorder=5)
        self.ax_ce.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=10.5, frameon=False)

    def _animated_artists(self) -> list[Any]:
        return [self.ce_curve, self.entropy_line, self.kl_gap, self.minimum, self.ce_point,
                self.acc_curve, self.acc_point, self.ax_ce.title, self.ax_acc.title]

    def _update(self, values: dict[str, Any]) -> None:
        q, p = float(values["q"]), float(values["p"])
        ce, h = float(bernoulli_expected_ce(q, p)), float(bernoulli_expected_ce(q, q))
        acc = float(bernoulli_expected_accuracy(q, p))
        self.ce_curve.set_ydata(bernoulli_expected_ce(q, P_HAT))
        self.entropy_line.set_ydata([h, h])
        self.minimum.set_data([q], [h])
        self.ce_point.set_data([p], [min(ce, SCORE_YMAX)])
        self.kl_gap.set_data([p, p], [h, min(ce, SCORE_YMAX)])
        self.acc_curve.set_ydata(bernoulli_expected_accuracy(q, P_HAT))
        self.acc_point.set_data([p], [acc])
        best = float(P_HAT[int(np.argmin(bernoulli_expected_ce(q, P_HAT)))])
        self.ax_ce.set_title(f"q = {q:.2f}: expected CE is lowest at p = {best:.3f}")
        self.ax_acc.set_title(f"E[accuracy] = {acc:.2f} for every p {'>' if p > 0.5 else '<' if p < 0.5 else '='} ½")
        self.readout.value = (f"q = {q:.2f}, p = {p:.2f} &nbsp;·&nbsp; E[CE] = <b>{ce:.4f}</b> = H(q) {h:.4f} + "
                              f"KL(q‖p) <b>{ce - h:.4f}</b> &nbsp;·&nbsp; E[accuracy] = <b>{acc:.2f}</b>"
                              + (" &nbsp;·&nbsp; p = q: the honest prediction pays least" if abs(p - q) < 1e-9 else ""))
