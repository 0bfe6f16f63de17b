"""Temperature → reliability diagram and ECE, live (05_softmax).

Divide every logit by T: the predicted class (hence the accuracy) never changes, but the
confidence does. Left: the reliability diagram at the chosen T. Right: ECE and NLL against T,
with the current T and (if given) the T fitted on held-out data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._checks import as_label_array, as_real_array, check_class_labels
from ..calibration import calibrated_probs, nll_at_temperature, reliability_bins
from ..plotting.softmax import draw_reliability, set_log_ticks, update_reliability
from ..style import COLORS
from ._limits import nice_ceil
from ._panel import Panel, int_slider
from .softmax_panel import temperature_slider

__all__ = ["CalibrationPanel", "ece_nll_curves"]

_T_GRID = np.logspace(np.log10(0.25), np.log10(8.0), 61)
_MAX_BINS = 20


def ece_nll_curves(logits: np.ndarray, labels: np.ndarray, n_bins: int,
                   temperatures: np.ndarray = _T_GRID) -> tuple[np.ndarray, np.ndarray]:
    """ECE and mean NLL at every temperature: two arrays shaped like ``temperatures``."""
    ece = np.array([reliability_bins(calibrated_probs(logits, t), labels, n_bins).ece for t in temperatures])
    nll = np.array([nll_at_temperature(logits, labels, t) for t in temperatures])
    return ece, nll


class CalibrationPanel(Panel):
    """Reliability diagram and ECE of softmax(logits / T), with a slider for T.

    Parameters
    ----------
    logits : array_like, shape (n, K)
        Scores of the examples to evaluate (default, with ``labels``: ``load("calibration")``'s
        ``logits_test`` and ``y_test``, and the temperature fitted on its validation split).
    labels : array_like of int, shape (n,)
    temperature : float
        Starting T.
    fitted_temperature : float, optional
        Marked on the ECE curve (e.g. ``fit_temperature(logits_val, y_val).temperature``).
    n_bins : int
        Starting number of confidence bins (5 … 20).

    Controls: ``T`` (log slider 0.25 … 8, 16 steps per doubling, so T = 1 is on it) and ``n_bins``.
    Artists: ``reliability`` (a :class:`~lecture_utils.plotting.softmax.ReliabilityArtists`:
    accuracy ``bars`` and hatched ``gaps``; bars beyond ``n_bins`` are hidden), ``ece_line``,
    ``nll_line``, ``t_line`` (current T), ``fitted_line`` and ``ece_point`` (on the twin axes
    ``ax_nll``, drawn last), ``legend``.
    Attribute ``bins`` holds the :class:`~lecture_utils.calibration.ReliabilityBins` drawn.
    """

    figsize = (10.4, 5.0)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, logits: Any = None, labels: Any = None, temperature: float = 1.0,
                 fitted_temperature: float | None = None, n_bins: int = 10) -> None:
        if logits is None and labels is None:  # the defaults: notebook 05's over-confident network
            from ..calibration import fit_temperature
            from ..data import load

            ds = load("calibration")
            logits, labels = ds.logits_test, ds.y_test
            if fitted_temperature is None:
                fitted_temperature = fit_temperature(ds.logits_val, ds.y_val).temperature
        self.logits = as_real_array(logits, "logits", ndim=2, allow_inf=False)
        self.labels = as_label_array(labels, "labels")
        if self.labels.shape != (self.logits.shape[0],):
            raise ValueError(f"labels must have one entry per row of logits ({self.logits.shape[0]}); "
                             f"got shape {self.labels.shape}.")
        check_class_labels(self.labels, self.logits.shape[1], "labels")
        self.fitted_temperature = fitted_temperature
        self._curves: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        controls = {
            "T": temperature_slider(float(temperature), 0.25, 8.0, base=2, steps_per_factor=16),
            "n_bins": int_slider("bins", n_bins, 5, _MAX_BINS),
        }
        super().__init__(controls)

    def _curves_for(self, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
        if n_bins not in self._curves:
            self._curves[n_bins] = ece_nll_curves(self.logits, self.labels, n_bins)
        return self._curves[n_bins]

    def _build(self, fig: Figure) -> None:
        ax1, ax2 = self.ax_rel, self.ax_ece = fig.subplots(1, 2, width_ratios=[1, 1.3])
        start = reliability_bins(calibrated_probs(self.logits, 1.0), self.labels, 10)
        self.reliability = draw_reliability(ax1, start, max_bins=_MAX_BINS)
        (self.ece_line,) = ax2.plot(_T_GRID, np.zeros_like(_T_GRID), color=COLORS["blue"], label="ECE")
        ax2.set_xscale("log")
        ax2.set_xlim(_T_GRID[0], _T_GRID[-1])
        set_log_ticks(ax2, [0.25, 0.5, 1, 2, 4, 8])
        ax2.set_xlabel("temperature T (log scale)")
        ax2.set_ylabel("ECE", color=COLORS["blue"])
        ax3 = self.ax_nll = ax2.twinx()
        (self.nll_line,) = ax3.plot(_T_GRID, np.zeros_like(_T_GRID), color=COLORS["orange"],
                                    linestyle="--", label="NLL")
        # the marks and the legend go on the twin axes, drawn last, so they lie over both curves
        self.fitted_line = None
        if self.fitted_temperature is not None:
            self.fitted_line = ax3.axvline(self.fitted_temperature, color=COLORS["green"], linestyle=":",
                                           linewidth=2.5, label=f"fitted T = {self.fitted_temperature:.2f}")
        self.t_line = ax3.axvline(1.0, color="0.2", linewidth=1.5, label="current T")
        (self.ece_point,) = ax3.plot([], [], "o", color=COLORS["blue"], markersize=10, transform=ax2.transData)
        ax3.set_ylabel("NLL (mean −log p of true class)", color=COLORS["orange"])
        ax3.grid(False)
        ax3.spines["right"].set_visible(True)
        lines = [self.ece_line, self.nll_line, self.t_line] + ([self.fitted_line] if self.fitted_line else [])
        # opaque: the T line passes under it, and then only its frame needs drawing (_overlays)
        self.legend = ax3.legend(lines, [ln.get_label() for ln in lines], loc="upper center", ncol=2,
                                 fontsize=11, framealpha=1.0)

    def _animated_artists(self) -> list[Any]:
        rel = self.reliability
        diagonal = [ln for ln in self.ax_rel.lines if ln.get_label() == "calibrated"]
        # in the order a full draw paints them: bars under the diagonal, curves under the spines,
        # then the twin axes' marks and legend on top (the curves change with the number of
        # bins; their axes' heights are on a ladder, so a new n_bins rarely redraws everything)
        return [*rel.bars.patches, *rel.gaps.patches, *diagonal, *self.ax_rel.spines.values(),
                self.ece_line, *self.ax_ece.spines.values(), self.nll_line,
                *([self.fitted_line] if self.fitted_line else []), self.t_line, self.ece_point,
                *self.ax_nll.spines.values(), self.legend,
                self.ax_rel.title, self.ax_ece.title]

    def _overlay_artists(self) -> list[Any]:
        return [self.legend]  # over the curves: pasted, or only its frame drawn

    def _update(self, values: dict[str, Any]) -> None:
        T, n_bins = float(values["T"]), int(values["n_bins"])
        probs = calibrated_probs(self.logits, T)
        self.bins = reliability_bins(probs, self.labels, n_bins)
        update_reliability(self.reliability, self.bins)
        ece, nll = self._curves_for(n_bins)
        self.ece_line.set_ydata(ece)
        self.nll_line.set_ydata(nll)
        # head-room for the legend, on a ladder of nice heights (a full redraw only at a new rung)
        self.ax_ece.set_ylim(0, nice_ceil(1.45 * float(ece.max())))
        self.ax_nll.set_ylim(0, nice_ceil(1.45 * float(nll.max())))
        self.t_line.set_xdata([T, T])
        self.ece_point.set_data([T], [self.bins.ece])
        acc = float(np.mean(probs.argmax(axis=1) == self.labels))
        conf = float(np.mean(probs.max(axis=1)))
        nll_now = nll_at_temperature(self.logits, self.labels, T)
        self.ax_rel.set_title(f"T = {T:.2f}: ECE = {self.bins.ece:.3f}")
        self.ax_ece.set_title(f"accuracy {acc:.3f} (any T), mean confidence {conf:.3f}")
        self.readout.value = (f"T = {T:.2f} &nbsp;·&nbsp; ECE = {self.bins.ece:.3f} ({n_bins} bins)"
                              f" &nbsp;·&nbsp; NLL = {nll_now:.3f} &nbsp;·&nbsp; accuracy = {acc:.3f}"
                              f" &nbsp;·&nbsp; mean confidence = {conf:.3f}")
