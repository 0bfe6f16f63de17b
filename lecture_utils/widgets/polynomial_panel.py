"""Polynomial activations are not universal (04_theorem_and_depth).

One hidden layer of N units f(x − k/N) and the best output layer (least squares): with
f(z) = z² the fit stays a parabola however wide the layer, with ReLU or tanh it follows the
target ever closer as N grows. The identity is notebook 01's degree-1 case.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..approximation import TARGET_LABELS
from ..expressivity import POLYNOMIAL_DEGREE, one_layer_best_fit
from ..style import COLORS
from ._panel import Panel, dropdown, int_slider, toggle

__all__ = ["PolynomialPanel", "ACTIVATION_LABELS", "WIDTHS"]

ACTIVATION_LABELS = {"identity": "z", "square": "z²", "cube": "z³", "relu": "relu", "tanh": "tanh"}
_COLOURS = {"identity": COLORS["sky"], "square": COLORS["vermillion"], "cube": COLORS["purple"],
            "relu": COLORS["blue"], "tanh": COLORS["green"]}
_STYLES = {"identity": ":", "square": "-", "cube": "--", "relu": "-", "tanh": "-."}
#: the widths N of the error curves (right axes)
WIDTHS = tuple(range(1, 41))
_TARGETS = ("wiggly", "abs", "sine", "step")


def _polynomial_text(coef: np.ndarray) -> str:
    """coefficients (highest power first) as 'a·x² + b·x + c' with typographic minus signs."""
    p = len(coef) - 1
    parts = []
    for i, a in enumerate(coef):
        power = p - i
        if abs(a) < 0.005 and (power or parts):  # a term that rounds to 0 is left out
            continue
        mono = "" if power == 0 else ("x" if power == 1 else f"x{'²³'[power - 2]}")
        sign = "−" if a < 0 else "+"
        parts.append((sign, f"{abs(a):.2f}" + (f"·{mono}" if mono else "")))
    text = ("−" if parts[0][0] == "−" else "") + parts[0][1]
    return text + "".join(f" {s} {t}" for s, t in parts[1:])


class PolynomialPanel(Panel):
    """Controls: ``target``, ``activation`` ("identity", "square", "cube", "relu", "tanh"),
    ``n`` (hidden units N).

    Artists: ``target_line``, ``fit_line`` (the best network of width N); on the right, one
    max-|error|-against-N line per activation in ``error_lines`` and ``n_marker``.
    ``fit`` is the current :func:`~lecture_utils.expressivity.one_layer_best_fit` result.
    """

    figsize = (10.4, 4.5)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, target: str = "wiggly", activation: str = "square", n: int = 10) -> None:
        self._curves: dict[str, dict[str, np.ndarray]] = {}
        self.fit: dict[str, Any] = {}
        super().__init__({
            "target": dropdown("target", [(TARGET_LABELS[t], t) for t in _TARGETS], target),
            "activation": toggle("activation f", [(v, k) for k, v in ACTIVATION_LABELS.items()], activation),
            "n": int_slider("hidden units N", n, 1, WIDTHS[-1]),
        })

    def _build(self, fig: Figure) -> None:
        self.ax, self.ax_err = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
        ax = self.ax
        (self.target_line,) = ax.plot([], [], color=COLORS["black"], linewidth=1.5, label="target")
        (self.fit_line,) = ax.plot([], [], color=COLORS["blue"], linewidth=3.5, label="best network")
        ax.set_xlim(0, 1)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.yaxis.set_label_coords(-0.1, 0.5)  # frozen layout: keep the label where it was put
        self.legend = ax.legend(loc="upper left", fontsize="small")
        self.legend_fit = self.legend.get_lines()[1]
        ae = self.ax_err
        self.error_lines = {}
        for act, label in ACTIVATION_LABELS.items():
            (self.error_lines[act],) = ae.plot(WIDTHS, np.ones(len(WIDTHS)), _STYLES[act],
                                               color=_COLOURS[act], linewidth=2.5, label=f"f = {label}")
        (self.n_marker,) = ae.plot([], [], "*", color=COLORS["black"], markersize=18, zorder=5, label="your N")
        ae.set_xscale("log")
        ae.set_yscale("log")
        ae.set_ylim(1e-4, 3.0)
        ae.set_xlim(0.9, WIDTHS[-1] * 1.1)
        ae.set_xlabel("hidden units N")
        ae.set_ylabel("max |error| of the best fit")
        ae.legend(loc="lower left", fontsize="x-small", ncol=3)

    def _animated_artists(self) -> list[Any]:
        """What N and f change (over a cached background); a new target redraws everything."""
        return [self.target_line, self.fit_line, self.legend, self.ax.title, *self.error_lines.values(),
                self.n_marker]

    def error_curves(self, target: str) -> dict[str, np.ndarray]:
        """Max |error| of the best fit for every width in :data:`WIDTHS`, per activation (cached)."""
        if target not in self._curves:
            self._curves[target] = {act: np.array([one_layer_best_fit(target, n, act)["max_abs"] for n in WIDTHS])
                                    for act in ACTIVATION_LABELS}
        return self._curves[target]

    def _update(self, values: dict[str, Any]) -> None:
        target, act, n = values["target"], values["activation"], int(values["n"])
        fit = self.fit = one_layer_best_fit(target, n, act)
        x = fit["x"]
        self.target_line.set_data(x, fit["y"])
        self.fit_line.set_data(x, fit["y_hat"])
        self.fit_line.set_color(_COLOURS[act])
        self.legend_fit.set_color(_COLOURS[act])  # the legend's sample follows f
        lo, hi = float(fit["y"].min()), float(fit["y"].max())
        pad = 0.25 * (hi - lo + 1e-9)            # limits from the target only: N alone redraws fast
        self.ax.set_ylim(lo - pad, hi + 1.5 * pad)
        for a, line in self.error_lines.items():
            line.set_ydata(np.maximum(self.error_curves(target)[a], 1e-12))
            line.set_linewidth(4.0 if a == act else 2.0)
        self.n_marker.set_data([n], [max(fit["max_abs"], 1e-4)])
        label = ACTIVATION_LABELS[act]
        self.ax.set_title(f"N = {n} units f(x − k/N), f = {label}: max |error| {fit['max_abs']:.3f}")
        p = fit["degree"]
        errors = (f"max |error| = <b>{fit['max_abs']:.3f}</b>, mean |error| = <b>{fit['mean_abs']:.3f}</b>")
        if p is None:
            self.readout.value = (f"{n} {label} units, best output layer: {errors} — not a polynomial, "
                                  "so a wider layer keeps getting closer")
        else:
            coef = np.polyfit(x, fit["y_hat"], p)
            self.readout.value = (f"{n} units of {label}: the best fit is <b>{_polynomial_text(coef)}</b> — "
                                  f"a polynomial of degree ≤ {p} whatever N; {errors}")
