"""Approximation panel (03_universal_approximation): N step neurons follow a target on [0, 1]."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..approximation import TARGET_LABELS, approximation_errors, bump_network, error_vs_n, get_target
from ..plotting.approximation import plot_error_vs_n, plot_target_and_network
from ..style import COLORS
from ._panel import Panel, dropdown, int_slider

__all__ = ["ApproximationPanel", "ERROR_NS"]

#: the N of the log-log error plot (2^k + 1)
ERROR_NS = (2, 3, 5, 9, 17, 33, 65, 129)


class ApproximationPanel(Panel):
    """Choose a target and the number of hidden sigmoid neurons N; see the staircase follow it.

    Left: target and network (Nielsen's construction, :func:`bump_network`). Right: max and
    mean absolute error against N on log-log axes, the current N marked.
    Controls: ``target``, ``n``. Artists: ``target_line``, ``net_line``, ``max_line``,
    ``mean_line``, ``n_marker``; ``errors`` holds the current max / mean abs error.
    """

    figsize = (10.4, 4.5)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open
    x = np.linspace(0.0, 1.0, 1001)

    def __init__(self, target: str = "wiggly", n: int = 10) -> None:
        options = [(label, key) for key, label in TARGET_LABELS.items()]
        self._curves: dict[str, dict[str, np.ndarray]] = {}
        self.errors: dict[str, float] = {}
        super().__init__({"target": dropdown("target", options, target),
                          "n": int_slider("neurons N", n, 1, 100)})

    def _build(self, fig: Figure) -> None:
        self.ax, self.ax_err = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
        plot_target_and_network(self.x, self.x * 0, self.x * 0, ax=self.ax, net_label="network")
        self.target_line, self.net_line = self.ax.lines[0], self.ax.lines[1]
        self.ax.set_xlim(0, 1)
        # the layout is frozen after the first draw; targets with negative values get wider
        # tick labels ("−0.1"), which pushed the y label off the figure: pin it in axes units
        self.ax.yaxis.set_label_coords(-0.11, 0.5)
        ns = np.asarray(ERROR_NS)
        plot_error_vs_n({"max |error|": (ns, 1 / ns), "mean |error|": (ns, 1 / ns)}, ax=self.ax_err, slopes=(1,))
        self.max_line, self.mean_line = self.ax_err.lines[0], self.ax_err.lines[1]
        (self.n_marker,) = self.ax_err.plot([], [], "*", color=COLORS["black"], markersize=18,
                                            label="your N", zorder=5)
        self.ax_err.set_ylim(1e-3, 1.5)
        self.ax_err.set_title("error against N")

    def error_curve(self, target: str) -> dict[str, np.ndarray]:
        """Max / mean abs error for every N in :data:`ERROR_NS` (cached per target)."""
        if target not in self._curves:
            self._curves[target] = error_vs_n(target, ERROR_NS, "sigmoid")
        return self._curves[target]

    def _animated_artists(self) -> list[Any]:
        # N moves the network, its legend entry, the title and the star; the target and the
        # error curves change only with the target (_background_key)
        ax = self.ax
        return [self.net_line, *ax.spines.values(), ax.title, ax.get_legend(), self.n_marker]

    def _background_key(self) -> Any:
        return self.controls["target"].value

    def _update(self, values: dict[str, Any]) -> None:
        target, n = values["target"], int(values["n"])
        y = get_target(target)(self.x)
        y_hat = bump_network(target, n)(self.x)
        self.target_line.set_ydata(y)
        self.net_line.set_ydata(y_hat)
        self.net_line.set_label(f"network, N = {n}")
        self.ax.get_legend().get_texts()[1].set_text(self.net_line.get_label())
        # the network stays inside the target's range for every N ≤ 100, so in effect the
        # limits follow the target and N does not change them (no full redraw while N moves)
        lo, hi = float(min(y.min(), y_hat.min())), float(max(y.max(), y_hat.max()))
        self.ax.set_ylim(lo - 0.1 * (hi - lo), hi + 0.25 * (hi - lo))
        self.errors = approximation_errors(y_hat, y)
        curve = self.error_curve(target)
        self.max_line.set_ydata(np.maximum(curve["max_abs"], 1e-12))
        self.mean_line.set_ydata(np.maximum(curve["mean_abs"], 1e-12))
        self.n_marker.set_data([n], [self.errors["max_abs"]])
        e = self.errors
        self.ax.set_title(f"N = {n}: max |error| = {e['max_abs']:.3f}, mean = {e['mean_abs']:.3f}")
        self.readout.value = (f"<b>{TARGET_LABELS[target]}</b> with N = {n} sigmoid neurons "
                              f"({n + 1} flat pieces): max |error| = <b>{e['max_abs']:.4f}</b>, "
                              f"mean |error| = <b>{e['mean_abs']:.4f}</b>")
