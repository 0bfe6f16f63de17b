"""Softmax against independent sigmoids (05_softmax): a slider per logit and one for T.

The lecture's point made visible: independent sigmoids can put two (or three) classes above
0.5 at once — P1 ≈ P2 > 0.5 — while softmax outputs share one unit of probability, so at most
one can exceed 0.5.
"""

from __future__ import annotations

from typing import Any, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .._checks import as_real_array
from ..activations import sigmoid
from ..softmax import softmax
from ..style import COLORS
from ._panel import Panel, float_log_slider, float_slider

__all__ = ["SoftmaxPanel", "compute_softmax_and_sigmoids", "temperature_slider"]


def compute_softmax_and_sigmoids(z: Any, temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """softmax(z / T) and the independent sigmoids σ(z_i / T), both of shape (K,)."""
    z = np.asarray(z, dtype=np.float64)
    return softmax(z, temperature=temperature), sigmoid(z / float(temperature))


def temperature_slider(value: float, low: float = 0.1, high: float = 10.0,
                       description: str = "temperature T", base: int = 10,
                       steps_per_factor: int = 50) -> widgets.FloatLogSlider:
    """A log-scale slider for T (equal steps in log T), styled like the other sliders.

    ``steps_per_factor`` steps per factor of ``base``. The browser places the handle at
    ``log(low) + k · step``, so ``low`` and ``high`` should be powers of ``base``: then T = 1
    lies exactly on the grid and the panel shows the same numbers as a cell computing at T = 1
    (0.1 … 10 with base 10; 0.25 … 8 with base 2).
    """
    slider = float_log_slider(description, value, float(np.log10(low)), float(np.log10(high)),
                              step=0.02, readout_format=".2f")
    if base != 10 or steps_per_factor != 50:
        lo, hi = np.log(low) / np.log(base), np.log(high) / np.log(base)
        slider.value = 1.0  # inside every range; the final value is set last
        slider.base, slider.min, slider.max = base, float(np.round(lo, 12)), float(np.round(hi, 12))
        slider.step = 1.0 / steps_per_factor
        slider.value = value
    return slider


class SoftmaxPanel(Panel):
    """Bars of softmax(z / T) beside independent sigmoids σ(z_i / T), with a 0.5 line.

    Controls: ``z1``, ``z2``, ``z3`` (one logit per class, sliders −10 … 10) and ``T``
    (temperature, log slider 0.1 … 10).
    Artists: ``softmax_bars`` and ``sigmoid_bars`` (one bar per class), ``value_texts``
    (the number above every bar, softmax first), ``sum_bars`` (the two totals: Σ softmax = 1,
    Σ sigmoids up to K), ``sum_texts``.
    """

    figsize = (10.0, 4.8)

    def __init__(self, z: Sequence[float] = (5.0, 4.0, 2.0), temperature: float = 1.0,
                 classes: Sequence[str] = ("cat", "dog", "horse")) -> None:
        z = as_real_array(z, "z", ndim=1, allow_inf=False)
        if len(z) != 3 or isinstance(classes, str) or len(classes) != 3:
            raise ValueError(f"SoftmaxPanel shows three classes: give 3 logits and 3 names; got {len(z)} and {len(classes)}.")
        self.classes = [str(c) for c in classes]
        controls: dict[str, widgets.Widget] = {
            f"z{i + 1}": float_slider(f"z{i + 1} ({c})", float(v), -10.0, 10.0, 0.1)
            for i, (c, v) in enumerate(zip(self.classes, z))
        }
        controls["T"] = temperature_slider(float(temperature))
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        gs = fig.add_gridspec(1, 2, width_ratios=[3.2, 1])
        ax = self.ax = fig.add_subplot(gs[0])
        k = np.arange(3)
        w = 0.38
        self.softmax_bars = ax.bar(k - w / 2, np.zeros(3), width=w, color=COLORS["blue"],
                                   label="softmax(z / T)")
        self.sigmoid_bars = ax.bar(k + w / 2, np.zeros(3), width=w, color=COLORS["orange"],
                                   hatch="//", edgecolor="white", label="sigmoid(z_i / T), each alone")
        # a white backing keeps a value readable where it sits on the dashed 0.5 line
        self.value_texts = [ax.text(x, 0, "", ha="center", va="bottom", fontsize=12, zorder=5,
                                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85})
                            for x in np.concatenate([k - w / 2, k + w / 2])]
        ax.axhline(0.5, color=COLORS["vermillion"], linestyle="--", linewidth=2, label="0.5")
        ax.set_xticks(k, self.classes)
        ax.set_ylim(0, 1.18)
        ax.set_ylabel("output")
        ax.legend(loc="upper right", ncol=3, fontsize=11)
        ax2 = self.ax_sum = fig.add_subplot(gs[1])
        self.sum_bars = ax2.bar([0, 1], [0, 0], width=0.6, color=[COLORS["blue"], COLORS["orange"]])
        self.sum_bars.patches[1].set_hatch("//")
        self.sum_bars.patches[1].set_edgecolor("white")
        self.sum_texts = [ax2.text(x, 0, "", ha="center", va="bottom", fontsize=12) for x in (0, 1)]
        ax2.axhline(1.0, color="0.2", linestyle=":", linewidth=1.5)
        ax2.set_xticks([0, 1], ["Σ softmax", "Σ sigmoids"])
        ax2.set_ylim(0, 3.3)
        ax2.set_title("totals")

    def _animated_artists(self) -> list[Any]:
        return [*self.softmax_bars.patches, *self.sigmoid_bars.patches, *self.sum_bars.patches,
                *self.value_texts, *self.sum_texts, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        z = np.array([values["z1"], values["z2"], values["z3"]], dtype=np.float64)
        T = float(values["T"])
        p, s = compute_softmax_and_sigmoids(z, T)
        for bar, h in zip(self.softmax_bars.patches, p):
            bar.set_height(h)
        for bar, h in zip(self.sigmoid_bars.patches, s):
            bar.set_height(h)
        for text, h in zip(self.value_texts, np.concatenate([p, s])):
            text.set_y(h + 0.01)
            text.set_text(f"{h:.2f}")
        for bar, text, h in zip(self.sum_bars.patches, self.sum_texts, (p.sum(), s.sum())):
            bar.set_height(h)
            text.set_y(h + 0.03)
            text.set_text(f"{h:.2f}")
        n_soft, n_sig = int(np.sum(p > 0.5)), int(np.sum(s > 0.5))
        self.ax.set_title(f"z = ({z[0]:.1f}, {z[1]:.1f}, {z[2]:.1f}),  T = {T:.2f}:  "
                          f"{n_sig} sigmoid(s) > 0.5, {n_soft} softmax output(s) > 0.5")
        self.readout.value = (
            f"softmax = ({', '.join(f'{v:.3f}' for v in p)}), sum {p.sum():.3f} &nbsp;·&nbsp; "
            f"sigmoids = ({', '.join(f'{v:.3f}' for v in s)}), sum {s.sum():.3f}")
