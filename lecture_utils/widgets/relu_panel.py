"""ReLU panel (03_universal_approximation): ramps, hats and the piecewise-linear interpolant."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..approximation import (TARGET_LABELS, approximation_errors, error_vs_n, get_target, hat,
                             ramp, relu_network)
from ..plotting.approximation import plot_error_vs_n
from ..style import COLORS
from ._layers import draw_order
from ._limits import ladder_limits
from ._panel import Panel, dropdown, float_slider, int_slider, toggle

__all__ = ["ReluPanel", "RELU_NS"]

RELU_NS = (2, 3, 5, 9, 17, 33, 65, 129)
_MAX_UNITS = 3  # dashed contribution lines shown for ramp and hat


class ReluPanel(Panel):
    """Two ReLUs make a ramp, three a hat, N a piecewise-linear interpolant of a target.

    Controls: ``view`` ("ramp", "hat", "network"), ``left`` and ``right`` (ramp / hat), ``target``
    and ``n`` (network). Artists: ``line`` (the output), ``unit_lines`` (each ReLU's
    contribution, ramp and hat views), ``target_line``, ``knot_markers``; the right axes
    compare the error against N of sigmoid steps (``sig_line``) and ReLUs (``relu_line``).
    """

    figsize = (10.4, 4.5)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open
    x = np.linspace(0.0, 1.0, 1001)

    def __init__(self, view: str = "ramp", target: str = "wiggly", n: int = 8) -> None:
        options = [(label, key) for key, label in TARGET_LABELS.items()]
        self._curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.errors: dict[str, float] = {}
        super().__init__({
            "view": toggle("show", [("ramp", "ramp"), ("hat", "hat"), ("N ReLUs", "network")], view),
            "left": float_slider("left", 0.3, 0.0, 1.0, 0.01),
            "right": float_slider("right", 0.7, 0.0, 1.0, 0.01),
            "target": dropdown("target", options, target),
            "n": int_slider("ReLUs N", n, 1, 64),
        })

    def _build(self, fig: Figure) -> None:
        self.ax, self.ax_err = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
        ax = self.ax
        (self.target_line,) = ax.plot([], [], color=COLORS["black"], linewidth=1.5, label="target")
        styles = ["--", ":", "-."]
        colours = [COLORS["green"], COLORS["purple"], COLORS["vermillion"]]
        self.unit_lines = [ax.plot([], [], styles[i], color=colours[i], linewidth=2)[0] for i in range(_MAX_UNITS)]
        (self.line,) = ax.plot([], [], color=COLORS["blue"], linewidth=3.5, label="network")
        (self.knot_markers,) = ax.plot([], [], "o", color=COLORS["blue"], markersize=6)
        ax.axhline(0, color="0.4", linewidth=1)
        ax.set_xlim(0, 1)
        ax.set_xlabel("input x")
        ns = np.asarray(RELU_NS)
        plot_error_vs_n({"sigmoid steps": (ns, 1 / ns), "ReLUs": (ns, 1 / ns)}, ax=self.ax_err)
        self.sig_line, self.relu_line = self.ax_err.lines[0], self.ax_err.lines[1]
        self.ax_err.set_ylim(1e-4, 1.5)
        self.ax_err.set_ylabel("max |error|")
        self.ax_err.set_title("both are universal")

    def _errors(self, target: str) -> tuple[np.ndarray, np.ndarray]:
        if target not in self._curves:
            self._curves[target] = (error_vs_n(target, RELU_NS, "sigmoid")["max_abs"],
                                    error_vs_n(target, RELU_NS, "relu")["max_abs"])
        return self._curves[target]

    def _animated_artists(self) -> list[Any]:
        # everything in the left axes but its ticks and grid, in a full draw's order (the zero
        # line and the legend lie on the curves); the error plot changes only with the target
        return draw_order(self.ax)

    def _background_key(self) -> Any:
        return self.controls["target"].value

    def _update(self, values: dict[str, Any]) -> None:
        view, target, n = values["view"], values["target"], int(values["n"])
        for name in ("left", "right"):  # grey out the controls this view does not use
            self.controls[name].disabled = view == "network"
        for name in ("target", "n"):
            self.controls[name].disabled = view != "network"
        left, right = sorted((float(values["left"]), float(values["right"])))
        if right - left < 0.02:
            right = min(left + 0.02, 1.0)
            left = right - 0.02
        x, relu = self.x, lambda z: np.maximum(z, 0.0)
        for line in self.unit_lines:
            line.set_data([], [])
            line.set_label("_")
        self.target_line.set_data([], [])
        self.target_line.set_label("_")
        if view == "ramp":
            m = 1.0 / (right - left)
            parts = [(m * relu(x - left), f"+{m:.2f}·relu(x − {left:.2f})"),
                     (-m * relu(x - right), f"−{m:.2f}·relu(x − {right:.2f})")]
            y, knots = ramp(x, left, right, 1.0), [left, right]
            title, text = "2 ReLUs: a ramp", f"ramp from {left:.2f} to {right:.2f}: slope {m:.2f}, then flat"
        elif view == "hat":
            peak = (left + right) / 2
            up, down = 1.0 / (peak - left), 1.0 / (right - peak)
            parts = [(up * relu(x - left), f"+{up:.1f}·relu(x − {left:.2f})"),
                     (-(up + down) * relu(x - peak), f"−{up + down:.1f}·relu(x − {peak:.2f})"),
                     (down * relu(x - right), f"+{down:.1f}·relu(x − {right:.2f})")]
            y, knots = hat(x, left, peak, right, 1.0), [left, peak, right]
            title, text = "3 ReLUs: a hat", f"hat on [{left:.2f}, {right:.2f}], peak 1 at {peak:.2f}"
        else:
            parts = []
            y_t = get_target(target)(x)
            y = relu_network(target, n)(x)
            self.target_line.set_data(x, y_t)
            self.target_line.set_label("target")
            knots = np.linspace(0, 1, n + 1)
            self.errors = approximation_errors(y, y_t)
            title = f"N = {n} ReLUs: max |error| = {self.errors['max_abs']:.3f}"
            text = (f"{n} ReLUs = the piecewise-linear interpolant through {n + 1} points of "
                    f"<b>{TARGET_LABELS[target]}</b>: max |error| = <b>{self.errors['max_abs']:.4f}</b>, "
                    f"mean |error| = <b>{self.errors['mean_abs']:.4f}</b>")
        for line, (part, label) in zip(self.unit_lines, parts):
            line.set_data(x, part)
            line.set_label(label)
        self.line.set_data(x, y)
        f = np.interp(knots, x, y)
        self.knot_markers.set_data(knots, f)
        lo = min(float(y.min()), *(float(p.min()) for p, _ in parts)) if parts else float(y.min())
        hi = max(float(y.max()), *(float(p.max()) for p, _ in parts)) if parts else float(y.max())
        if view == "network":
            lo, hi = min(lo, float(self.target_line.get_ydata().min())), max(hi, float(self.target_line.get_ydata().max()))
        pad = 0.1 * (hi - lo + 1e-9)
        # room for the curves (and the legend above them) on a ladder of nice limits, so a
        # slider step changes them only when a curve crosses a rung (a full redraw)
        self.ax.set_ylim(*ladder_limits(lo - pad, hi + 3 * pad, base=(-1.0, 1.5), pad=0.0, cap=4.0))
        self.ax.legend(loc="upper left", fontsize="small")
        self.ax.set_title(title)
        sig, rel = self._errors(target)
        self.sig_line.set_ydata(np.maximum(sig, 1e-12))
        self.relu_line.set_ydata(np.maximum(rel, 1e-12))
        self.ax_err.set_title(f"both universal: {TARGET_LABELS[target]}", fontsize="medium")
        self.readout.value = text
