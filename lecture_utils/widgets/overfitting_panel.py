"""Drag the epoch (05_softmax): a network trained past 100 % training accuracy grows over-confident.

Left: the learning curves of the ``calibration`` network (training loss, test NLL, training and
test accuracy), with the chosen epoch marked. Right: the test set's reliability diagram of the
network at that epoch. From the epoch where training accuracy reaches 100 % the test accuracy
barely moves, but the bars sink below the diagonal and the test NLL climbs.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..calibration import reliability_bins
from ..overconfidence import logits_at
from ..plotting.softmax import draw_reliability, plot_learning_curves, update_reliability
from ..softmax import softmax
from ..style import COLORS
from ._panel import Panel

__all__ = ["OverfittingPanel"]


class OverfittingPanel(Panel):
    """Learning curves and the test reliability diagram of the over-confident network, per epoch.

    Parameters
    ----------
    ds : Dataset, optional
        ``load("calibration")`` (loaded when omitted): history, checkpoint weights, test split.
    epoch : int
        Starting epoch; one of ``ds.checkpoint_epochs``.
    n_bins : int
        Confidence bins of the reliability diagram.

    Controls: ``epoch`` (a slider over the stored checkpoints 0, 1, 2, 3, 5, … 1000).
    Artists: ``epoch_line`` (on ``ax_curves``), ``loss_point`` (test NLL at the epoch),
    ``acc_point`` (test accuracy, on ``ax_acc``), ``reliability`` (bars and gaps on ``ax_rel``).
    Attributes: ``bins`` (the :class:`~lecture_utils.calibration.ReliabilityBins` drawn) and
    ``stats`` (accuracy, NLL, mean confidence and ECE at the epoch, from the stored weights).
    """

    figsize = (10.4, 5.4)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, ds: Any = None, epoch: int = 1000, n_bins: int = 10) -> None:
        if ds is None:
            from ..data import load

            ds = load("calibration")
        self.ds, self.n_bins = ds, int(n_bins)
        self.epochs = [int(e) for e in ds["checkpoint_epochs"]]
        if epoch not in self.epochs:
            raise ValueError(f"epoch must be one of the stored checkpoints {self.epochs}; got {epoch!r}.")
        self.y_test = np.asarray(ds["y_test"])
        self._probs = {e: softmax(logits_at(ds, ds["X_test"], e), axis=1) for e in self.epochs}
        slider = widgets.SelectionSlider(options=self.epochs, value=int(epoch), description="epoch",
                                         continuous_update=True, readout=True,
                                         layout=widgets.Layout(width="420px"),
                                         style={"description_width": "110px"})
        super().__init__({"epoch": slider})

    def _build(self, fig: Figure) -> None:
        ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.45, 1])
        self.ax_curves, self.ax_acc = plot_learning_curves(self.ds, ax=ax1)
        self.ax_rel = ax2
        # the moving marks live on the twin axes, which is drawn last: so they are on top of every
        # curve, as the fast redraw needs (the loss point keeps the loss axis's coordinates)
        top = self.ax_acc
        self.epoch_line = top.axvline(0, color="0.15", linewidth=1.5)
        (self.loss_point,) = top.plot([], [], "o", color=COLORS["vermillion"], markersize=10,
                                      markeredgecolor="black", zorder=5, transform=ax1.transData)
        (self.acc_point,) = top.plot([], [], "s", color=COLORS["green"], markersize=10,
                                     markeredgecolor="black", zorder=5)
        start = reliability_bins(self._probs[self.epochs[-1]], self.y_test, self.n_bins)
        self.reliability = draw_reliability(ax2, start)

    def _animated_artists(self) -> list[Any]:
        rel = self.reliability
        diagonal = [ln for ln in self.ax_rel.lines if ln.get_label() == "calibrated"]
        # in drawing order: the bars, their gaps, then what a full draw puts over them
        return [*rel.bars.patches, *rel.gaps.patches, *diagonal, *self.ax_rel.spines.values(),
                self.epoch_line, self.loss_point, self.acc_point, self.ax_rel.title, self.ax_curves.title]

    def _update(self, values: dict[str, Any]) -> None:
        e = int(values["epoch"])
        probs = self._probs[e]
        self.bins = reliability_bins(probs, self.y_test, self.n_bins)
        update_reliability(self.reliability, self.bins)
        picked = probs[np.arange(self.y_test.size), self.y_test]
        with np.errstate(divide="ignore"):
            nll = float(-np.mean(np.log(picked)))
        acc = float(np.mean(probs.argmax(axis=1) == self.y_test))
        conf = float(probs.max(axis=1).mean())
        self.stats = {"epoch": e, "test_acc": acc, "test_nll": nll, "confidence": conf, "ece": self.bins.ece,
                      "train_acc": float(self.ds["train_acc"][e])}
        self.epoch_line.set_xdata([e, e])
        self.loss_point.set_data([e], [nll])
        self.acc_point.set_data([e], [acc])
        self.ax_rel.set_title(f"test set, epoch {e}: ECE = {self.bins.ece:.3f}")
        self.ax_curves.set_title(f"epoch {e}: test accuracy {acc:.3f}, test NLL {nll:.3f}")
        self.readout.value = (f"epoch <b>{e}</b> &nbsp;·&nbsp; training accuracy {self.stats['train_acc']:.3f}"
                              f" &nbsp;·&nbsp; test accuracy <b>{acc:.3f}</b> &nbsp;·&nbsp; mean confidence "
                              f"<b>{conf:.3f}</b> &nbsp;·&nbsp; test NLL {nll:.3f} &nbsp;·&nbsp; ECE {self.bins.ece:.3f}")
