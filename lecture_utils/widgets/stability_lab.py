"""Numerical-stability lab (05_softmax): drag the cat logit towards 1000 and watch what breaks.

Logits (z, 4, 2) for (cat, dog, horse). Left: the probabilities from the textbook formula
(hatched) and from the max-shifted one (solid), with "nan" / "inf" written where the textbook
formula broke. Right: −log P(horse) against z, computed as −log(softmax) and as −log_softmax;
the first jumps to +inf once P(horse) underflows to 0, the second stays finite. A drop-down
picks the floating type: each breaks at its own z (the dotted line marks the textbook overflow).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from ..plotting.softmax import set_log_ticks
from ..precision import DTYPES, breaking_points, compute_stability, log_of_softmax_in, log_softmax_in
import ipywidgets as widgets

from ..style import COLORS
from ._layers import draw_order
from ._panel import Panel, float_log_slider, toggle

__all__ = ["StabilityLab", "fmt_value", "log_inf_from", "loss_curves", "preset_logits"]

_OTHERS = (4.0, 2.0)
_CLASSES = ("cat", "dog", "horse")
_Z_GRID = np.logspace(0, 3, 301)  # 1 … 1000
_INF_Y = 2000.0  # where "+inf" is drawn, inside the axes (y up to 3000)


def fmt_value(v: float) -> str:
    """A probability as the lab prints it: "nan", "inf", "0", or 2 significant digits."""
    v = float(v)
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "−inf"
    if v == 0:
        return "0"
    return f"{v:.2g}"


def _fmt_log(v: float) -> str:
    v = float(v)
    return fmt_value(v) if not np.isfinite(v) else f"{v:.4g}"


@lru_cache(maxsize=len(DTYPES))
def log_inf_from(dtype: str) -> float:
    """The smallest cat logit z at which log(softmax(z, 4, 2)) of the horse is −inf in ``dtype``.

    Found by bisection on the very function the lab plots, so the title, the triangle and the
    read-out agree (P(horse) ≈ e^(2 − z) rounds to 0 about log 2 beyond −log of the smallest
    subnormal number: values below half of it round down).
    """
    def is_inf(z: float) -> bool:
        return bool(np.isneginf(log_of_softmax_in(np.array([z, *_OTHERS]), dtype)[2]))

    lo, hi = 0.0, 2000.0  # finite at 0 in every dtype, −inf at 2000 in every dtype
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if is_inf(mid) else (mid, hi)
    return hi


@lru_cache(maxsize=len(DTYPES))
def loss_curves(dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """−log P(horse) on the z grid as (−log(softmax), −log_softmax), both computed in ``dtype``.

    Cached: the lab switches dtypes without recomputing. Returned arrays are read-only.
    """
    Z = np.column_stack([_Z_GRID, np.full_like(_Z_GRID, _OTHERS[0]), np.full_like(_Z_GRID, _OTHERS[1])])
    naive = -log_of_softmax_in(Z, dtype, axis=1)[:, 2].astype(np.float64)
    stable = -log_softmax_in(Z, dtype, axis=1)[:, 2].astype(np.float64)
    naive.flags.writeable = stable.flags.writeable = False
    return naive, stable


def preset_logits(dtype: str) -> list[tuple[str, float]]:
    """The lab's jump buttons for ``dtype``: (label, z) just either side of where each formula breaks.

    The textbook formula overflows at z = log(max float) and log(softmax) reaches −inf at
    :func:`log_inf_from`; 1 % below and above each, plus the starting 5 and the end 1000.
    """
    bp = breaking_points(dtype)
    below, above = 0.99 * bp.naive_overflow, 1.01 * bp.naive_overflow
    inf = log_inf_from(dtype)
    past = min(1.01 * inf, 1000.0)
    return [("5", 5.0), (f"{below:.4g}", below), (f"{above:.4g}: nan", above),
            (f"{0.99 * inf:.4g}", 0.99 * inf), (f"{past:.4g}: log 0", past), ("1000", 1000.0)]


class StabilityLab(Panel):
    """Textbook vs max-shifted softmax, and log(softmax) vs log_softmax, in a chosen dtype.

    Controls: ``z`` (the cat logit, log slider 1 … 1000) and ``dtype`` ("float16", "float32",
    "float64").
    Artists: ``naive_bars`` / ``stable_bars`` (heights: the probabilities, 0 where not finite),
    ``naive_texts`` / ``stable_texts`` (the value of each bar as text, "nan" / "inf" included),
    ``log_line`` (−log(softmax), finite part), ``log_inf_marker`` (where it became +inf),
    ``logsm_line`` (−log_softmax), ``overflow_line`` (x = log(max float)), ``z_line`` (current z),
    ``z_points`` (both losses at the current z, where finite).
    Attribute ``result`` holds the :class:`~lecture_utils.precision.StabilityResult` drawn.
    ``preset_buttons`` jump the cat logit to either side of each breaking point of the chosen
    dtype (:func:`preset_logits`): reachable with Tab and Enter, where the slider would need
    hundreds of arrow presses to get from 5 to 710.
    """

    figsize = (10.4, 4.8)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, z: float = 5.0, dtype: str = "float64") -> None:
        controls = {
            "z": float_log_slider("cat logit z", float(z), 0.0, 3.0, step=0.005, readout_format=".1f"),
            "dtype": toggle("dtype", list(DTYPES), dtype),
        }
        self.preset_buttons = [widgets.Button(layout=widgets.Layout(width="auto")) for _ in range(6)]
        for i, button in enumerate(self.preset_buttons):
            button.on_click(lambda _b, i=i: self._jump(i))
        super().__init__(controls)

    def _jump(self, i: int) -> None:
        z = preset_logits(str(self.controls["dtype"].value))[i][1]
        slider = self.controls["z"]
        self.controls["z"].value = float(np.clip(z, slider.base ** slider.min, slider.base ** slider.max))

    def _extra_widgets(self) -> list[widgets.Widget]:
        label = widgets.HTML("jump to z =", layout=widgets.Layout(width="110px"))
        return [widgets.HBox([label, *self.preset_buttons])]

    def _build(self, fig: Figure) -> None:
        ax1, ax2 = self.ax_probs, self.ax_loss = fig.subplots(1, 2, width_ratios=[1, 1.25])
        k, w = np.arange(3), 0.38
        self.naive_bars = ax1.bar(k - w / 2, np.zeros(3), width=w, color=COLORS["vermillion"],
                                  hatch="xx", edgecolor="white", label="textbook e^z / Σe^z")
        self.stable_bars = ax1.bar(k + w / 2, np.zeros(3), width=w, color=COLORS["blue"],
                                   label="max-shifted")
        self.naive_texts = [ax1.text(x, 0, "", ha="center", va="bottom", fontsize=12,
                                     color=COLORS["vermillion"], fontweight="bold") for x in k - w / 2]
        self.stable_texts = [ax1.text(x, 0, "", ha="center", va="bottom", fontsize=12,
                                      color=COLORS["blue"]) for x in k + w / 2]
        # one line higher: where the two labels of a class would run into each other (e.g.
        # "0.035" twice, or "1.5e-08" twice), the max-shifted one sits above the textbook one
        self._line_up = offset_copy(ax1.transData, fig=fig, y=16, units="points")
        ax1.set_xticks(k, [f"{_CLASSES[0]}\nz", *(f"{c}\n{v:g}" for c, v in zip(_CLASSES[1:], _OTHERS))])
        ax1.set_ylim(0, 1.25)
        ax1.set_ylabel("probability")
        ax1.legend(loc="upper right", fontsize=11)
        ax1.set_axisbelow(True)  # grid lines under the bars (also what lets the bars be redrawn alone)

        (self.logsm_line,) = ax2.plot([], [], color=COLORS["blue"], linewidth=6, alpha=0.6,
                                      label="−log_softmax")
        (self.log_line,) = ax2.plot([], [], color=COLORS["orange"], linestyle="--", linewidth=2.5,
                                    label="−log(softmax)")
        (self.log_inf_marker,) = ax2.plot([], [], "^", color=COLORS["orange"], markersize=14,
                                          clip_on=False, label="−log(0) = +inf")
        self.overflow_line = ax2.axvline(1, color=COLORS["vermillion"], linestyle=":", linewidth=2.5,
                                         label="textbook formula → nan")
        self.z_line = ax2.axvline(1, color="0.2", linewidth=1.5)
        (self.z_points,) = ax2.plot([], [], "o", color="0.2", markersize=8)
        ax2.set_xscale("log")
        ax2.set_yscale("log")
        ax2.set_xlim(1, 1100)
        ax2.set_ylim(1, 3000)
        set_log_ticks(ax2, [1, 10, 100, 1000], "x")
        set_log_ticks(ax2, [1, 10, 100, 1000], "y")
        ax2.set_xlabel("cat logit z (log scale)")
        ax2.set_ylabel("−log P(horse)")
        # opaque: the z line passes under it, and then only its frame needs drawing (_overlays)
        ax2.legend(loc="upper left", fontsize=11, framealpha=1.0)

    def _animated_artists(self) -> list[Any]:
        # z moves the bars, their values and the left title, the z line and its points; what a
        # full draw paints over them is redrawn above (frame, legends). The dtype changes the
        # curves, the overflow line and the right title: a background per dtype.
        ax1, ax2 = self.ax_probs, self.ax_loss
        return [*draw_order(ax1, above=self.naive_bars.patches[0], skip=(ax1._left_title, ax1._right_title)),
                *draw_order(ax2, above=self.z_line)]

    def _overlay_artists(self) -> list[Any]:
        return [self.ax_probs.get_legend(), self.ax_loss.get_legend()]  # drawn only when reached

    def _background_key(self) -> Any:
        return str(self.controls["dtype"].value)

    def _update(self, values: dict[str, Any]) -> None:
        z, dtype = float(values["z"]), str(values["dtype"])
        r = self.result = compute_stability([z, *_OTHERS], dtype)
        for bars, texts, vals in ((self.naive_bars, self.naive_texts, r.naive),
                                  (self.stable_bars, self.stable_texts, r.stable)):
            for bar, text, v in zip(bars.patches, texts, vals.astype(np.float64)):
                h = float(v) if np.isfinite(v) else 0.0
                bar.set_height(h)
                text.set_y(h + 0.02)
                text.set_text(fmt_value(v))
        for naive, stable in zip(self.naive_texts, self.stable_texts):
            # labels wider than a bar ("0.035", "1.5e-08") at about the same height collide
            close = abs(naive.get_position()[1] - stable.get_position()[1]) < 0.12
            wide = max(len(naive.get_text()), len(stable.get_text())) > 4
            if close and wide:
                stable.set_y(max(naive.get_position()[1], stable.get_position()[1]))
            stable.set_transform(self._line_up if close and wide else self.ax_probs.transData)
        bp = breaking_points(dtype)
        for button, (text, _z) in zip(self.preset_buttons, preset_logits(dtype)):
            button.description = text
        self.ax_probs.set_title(f"{dtype}: z = {z:.1f}  (e^z overflows beyond z ≈ {bp.naive_overflow:.1f})")

        naive, stable = loss_curves(dtype)
        finite = np.isfinite(naive)
        self.log_line.set_data(_Z_GRID[finite], naive[finite])
        bad = np.flatnonzero(~finite)
        self.log_inf_marker.set_data(([_Z_GRID[bad[0]]], [_INF_Y]) if bad.size else ([], []))
        self.logsm_line.set_data(_Z_GRID, stable)
        self.overflow_line.set_xdata([bp.naive_overflow, bp.naive_overflow])
        self.z_line.set_xdata([z, z])
        pts = np.array([-float(r.log_of_softmax[2]), -float(r.log_softmax[2])])
        keep = np.isfinite(pts)
        self.z_points.set_data(np.full(int(keep.sum()), z), pts[keep])
        # P(horse) ≈ e^(2 − z) rounds to 0 once it is below half the smallest positive number
        self.ax_loss.set_title(f"{dtype}: log(softmax) = −inf beyond z ≈ {log_inf_from(dtype):.1f}")

        self.readout.value = (
            f"<b>{dtype}</b>, z = {z:.1f} &nbsp;·&nbsp; textbook P = ({', '.join(fmt_value(v) for v in r.naive)})"
            f" &nbsp;·&nbsp; max-shifted P = ({', '.join(fmt_value(v) for v in r.stable)})"
            f"<br>log P(horse): &nbsp;log(softmax) = {_fmt_log(r.log_of_softmax[2])}, &nbsp;"
            f"log_softmax = {_fmt_log(r.log_softmax[2])}")
