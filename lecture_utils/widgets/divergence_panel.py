"""Entropy / KL / cross-entropy panel (06_cross_entropy): edit two distributions, see CE = H + KL."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure

from .._checks import as_real_array
from ..information import cross_entropy_between, entropy, kl_divergence
from ..plotting.losses import INF_BAR, bar_label, find_artist, plot_information_bars
from ..style import COLORS
from ._layers import draw_order
from ._limits import nice_ceil
from ._panel import Panel, float_slider, value_problem

__all__ = ["DivergencePanel", "normalise_weights"]


def normalise_weights(weights: Sequence[float]) -> np.ndarray:
    """Slider weights (≥ 0) → a distribution summing to 1; all zeros → uniform.

    Parameters
    ----------
    weights : sequence of float, length K

    Returns
    -------
    ndarray, shape (K,)
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0 or (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(f"weights must be a non-empty 1-D list of finite numbers ≥ 0; got {weights!r}.")
    total = w.sum()
    return np.full(w.size, 1.0 / w.size) if total == 0 else w / total


#: the sliders' step: the panel's own corrections land on it, so a browser slider never snaps them
_STEP = 0.01


def _on_grid(values: np.ndarray, total: float, step: float) -> np.ndarray:
    """``values`` (≥ 0) as multiples of ``step`` summing to ``total`` (rounded to the grid),
    each moved by less than a step (largest remainders round up)."""
    units = values / step
    whole = np.floor(units + 1e-9)
    short = int(round(total / step - whole.sum()))
    if short > 0:
        whole[np.argsort(-(units - whole), kind="stable")[:short]] += 1
    return np.round(whole) / round(1 / step)


class DivergencePanel(Panel):
    """Two editable distributions over K = 3 or 4 classes: the actual y and the model's p.

    Each slider shows a probability, and the bars show exactly those numbers: moving one slider
    rescales the others of the same distribution so that it still sums to 1 (if they are all 0,
    they share the rest equally). :meth:`set` with every value of a distribution normalises them
    together. Left: the two distributions as paired bars. Right: H(y), KL(y‖p) and
    CE = H(y) + KL(y‖p) (stacked).

    Controls: ``y0 … y{K−1}`` and ``p0 … p{K−1}``.
    Artists: ``y_bars``, ``p_bars`` (lists of Rectangles), ``h_bar``, ``kl_bar``, ``ce_h_bar``,
    ``ce_kl_bar`` (Rectangles) and ``h_text``, ``kl_text``, ``ce_text``.
    """

    figsize = (10.0, 4.6)

    def __init__(self, y: Sequence[float] = (0.7, 0.2, 0.1), p: Sequence[float] = (0.5, 0.3, 0.2),
                 classes: Sequence[str] | None = None) -> None:
        y, p = as_real_array(y, "y", ndim=1, allow_inf=False), as_real_array(p, "p", ndim=1, allow_inf=False)
        K = len(y)
        if K not in (3, 4) or len(p) != K:
            raise ValueError(f"y and p must both have 3 or 4 weights; got {len(y)} and {len(p)}.")
        self.K = K
        self.classes = list(classes) if classes is not None else (
            ["cat", "dog", "horse"] if K == 3 else [f"class {j}" for j in range(K)])
        y, p = normalise_weights(y), normalise_weights(p)  # weights → the distributions the sliders show
        controls = {}
        for j in range(K):
            controls[f"y{j}"] = float_slider(f"y: {self.classes[j]}", float(y[j]), 0.0, 1.0, _STEP)
        for j in range(K):
            controls[f"p{j}"] = float_slider(f"p: {self.classes[j]}", float(p[j]), 0.0, 1.0, _STEP)
        self._rebalancing = False
        super().__init__(controls)

    def distributions(self, values: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The (y, p) the sliders show — each sums to 1 — for the current (or given) values."""
        values = self.values if values is None else values
        y = normalise_weights([values[f"y{j}"] for j in range(self.K)])
        p = normalise_weights([values[f"p{j}"] for j in range(self.K)])
        return y, p

    # -- keep each distribution summing to 1 -------------------------------------------------
    def _rebalance(self, group: str, fixed: dict[int, float]) -> None:
        """Put the given entries of distribution ``group`` at their values, the rest in proportion."""
        current = np.array([float(self.controls[f"{group}{j}"].value) for j in range(self.K)])
        given = np.clip(np.array([float(v) for v in fixed.values()]), 0.0, 1.0)
        idx = list(fixed)
        free = [j for j in range(self.K) if j not in fixed]
        new = current.copy()
        if not free or given.sum() >= 1.0:
            new[idx] = normalise_weights(given) if given.sum() > 0 else 1.0 / len(idx)
            new[free] = 0.0
        else:
            new[idx] = given
            rest, s = 1.0 - given.sum(), current[free].sum()
            new[free] = current[free] * (rest / s) if s > 0 else rest / len(free)
            if np.allclose(given / _STEP, np.round(given / _STEP), atol=1e-6):  # as from a slider
                new[free] = _on_grid(new[free], rest, _STEP)
        self._rebalancing = True
        try:
            for j in range(self.K):
                self.controls[f"{group}{j}"].value = float(new[j])
        finally:
            self._rebalancing = False

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._rebalancing:
            return  # one of our own corrections: the change that caused it redraws once
        name = next((n for n, c in self.controls.items() if c is change["owner"]), None)
        snapped = ("value" in getattr(change["owner"], "_property_lock", {})
                   and abs(float(change["new"]) - float(change["old"])) < _STEP / 2)
        if name is not None and name[0] in "yp" and not snapped:
            self._rebalance(name[0], {int(name[1:]): float(change["new"])})
        # a browser slider moves a value it was given onto its own grid and sends that back
        # (noUiSlider's update event): less than half a step from a value the kernel set is
        # that echo, not a student's move — rebalancing on it made the sliders chase each
        # other for ever after a burst of key presses. It is drawn, not passed on.
        super()._on_change(change)

    def set(self, **values: Any) -> "DivergencePanel":
        """Set sliders (one redraw). Values given for one distribution are kept, the others of
        that distribution rescaled to sum to 1; all K values of one are normalised together."""
        self._check_open()
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"unknown control(s) {sorted(unknown)}; this panel has {sorted(self.controls)}.")
        for name, value in values.items():  # as Panel.set: refuse before anything changes
            problem = value_problem(self.controls[name], value)
            if problem:
                raise ValueError(f"{type(self).__name__}.set: {name} {problem}; the panel keeps "
                                 f"{name} = {self.controls[name].value!r}.")
        with self.hold():
            for group in "yp":
                fixed = {j: values[f"{group}{j}"] for j in range(self.K) if f"{group}{j}" in values}
                if fixed:
                    self._rebalance(group, fixed)
            self._pending = True
        return self

    def _build(self, fig: Figure) -> None:
        self.ax_dist, self.ax_info = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        x = np.arange(self.K)
        self.y_bars = list(self.ax_dist.bar(x - 0.2, np.zeros(self.K), width=0.4, color=COLORS["blue"],
                                            label="actual y"))
        self.p_bars = list(self.ax_dist.bar(x + 0.2, np.zeros(self.K), width=0.4, color=COLORS["orange"],
                                            hatch="..", label="model p"))
        self.ax_dist.set_xticks(x, self.classes)
        self.ax_dist.set_ylim(0, 1.05)
        self.ax_dist.set_ylabel("probability")
        self.ax_dist.legend(loc="upper right")
        self.ax_dist.set_title("two distributions (each sums to 1)")
        u = np.full(self.K, 1.0 / self.K)
        plot_information_bars(u, u, self.ax_info)
        ax = self.ax_info
        for a in (self.ax_dist, ax):
            a.set_axisbelow(True)  # grid lines under the bars (also what lets the bars be redrawn alone)
        self.h_bar, self.kl_bar = find_artist(ax, "H"), find_artist(ax, "KL")
        self.ce_h_bar, self.ce_kl_bar = find_artist(ax, "CE-H"), find_artist(ax, "CE-KL")
        self.h_text, self.kl_text = find_artist(ax, "H-text"), find_artist(ax, "KL-text")
        self.ce_text = find_artist(ax, "CE-text")

    def _animated_artists(self) -> list[Any]:
        # the bars and what a full draw paints over them: the frame, the legend, the values
        # (the titles stay in the background: fixed, and outside the bars' area)
        return [artist for ax, first in ((self.ax_dist, self.y_bars[0]), (self.ax_info, self.h_bar))
                for artist in draw_order(ax, above=first, skip=(ax.title, ax._left_title, ax._right_title))]

    def _overlay_artists(self) -> list[Any]:
        return [self.ax_dist.get_legend()]  # drawn again only when a bar reaches it

    def _update(self, values: dict[str, Any]) -> None:
        y, p = self.distributions(values)
        for bar, v in zip(self.y_bars, y):
            bar.set_height(v)
        for bar, v in zip(self.p_bars, p):
            bar.set_height(v)
        h, kl, ce = entropy(y), kl_divergence(y, p), cross_entropy_between(y, p)
        # the height on a ladder of nice values (1.5, 2, 2.5, 3, 4 …): a slider step changes it, and
        # with it the axis (a full redraw), only when CE crosses a rung
        top = (min(nice_ceil(max(1.3 * np.log(self.K), 1.15 * ce)), 8.0) if np.isfinite(ce)
               else nice_ceil(2.0 * np.log(self.K)))
        cap = INF_BAR * top  # an infinite bar stops here, with ∞ written above it
        kl_drawn = min(kl, top - h) if np.isfinite(kl) else cap - h
        self.h_bar.set_height(h)
        self.kl_bar.set_height(min(kl, cap) if not np.isfinite(kl) else min(kl, top))
        self.ce_h_bar.set_height(h)
        self.ce_kl_bar.set_y(h)
        self.ce_kl_bar.set_height(max(kl_drawn, 0.0))
        for text, x, v in ((self.h_text, 0, h), (self.kl_text, 1, kl), (self.ce_text, 2, ce)):
            height, label = bar_label(v, top)
            text.set_position((x, height))
            text.set_text(label)
            text.set_fontsize(14 if np.isfinite(v) else 22)
        self.ax_info.set_ylim(0, top)
        self.ax_info.set_title("CE = H(y) + KL(y‖p)")
        check = abs(ce - (h + kl)) if np.isfinite(ce) else 0.0
        fmt = lambda v: "∞" if not np.isfinite(v) else f"{v:.4f}"
        note = (" &nbsp;·&nbsp; p gives 0 to a class y needs: KL = CE = ∞" if not np.isfinite(kl)
                else " &nbsp;·&nbsp; p = y: KL = 0, CE = H" if kl < 1e-12 else "")
        self.readout.value = (f"H(y) = <b>{fmt(h)}</b> &nbsp; KL(y‖p) = <b>{fmt(kl)}</b> &nbsp; "
                              f"CE = <b>{fmt(ce)}</b> &nbsp; |CE − (H + KL)| = {check:.1e}{note}")
