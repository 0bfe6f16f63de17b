"""K = 2 panel (06_cross_entropy): two-class cross-entropy and binary cross-entropy coincide."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..activations import sigmoid
from ..losses import binary_cross_entropy, cross_entropy_from_logits
from ..plotting.losses import LOGITS, find_artist, plot_k2_losses
from ..style import COLORS
from ._panel import Panel, float_slider, toggle

__all__ = ["K2Panel", "compute_k2_losses"]


def compute_k2_losses(y: int, z: Any, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Binary CE of σ(z) and two-class CE from the logits (shift, shift + z), elementwise in z.

    Parameters
    ----------
    y : {0, 1}
        The actual class.
    z : array_like, shape (m,)
        Logit differences z₁ − z₀.
    shift : float
        A constant added to both logits (it changes nothing).

    Returns
    -------
    (binary, two_class) : two ndarrays of shape (m,)
    """
    z = np.atleast_1d(np.asarray(z, dtype=np.float64))
    Z2 = np.stack([np.full_like(z, shift), shift + z], axis=1)          # (m, 2)
    labels = np.full(z.shape, int(y))
    # binary CE through σ: for |z| ≤ 30 σ(z) stays inside (0, 1) in float64
    binary = binary_cross_entropy(np.full(z.shape, float(y)), sigmoid(z), reduction="none")
    return binary, cross_entropy_from_logits(labels, Z2, reduction="none")


class K2Panel(Panel):
    """Both losses against the logit z = z₁ − z₀: binary CE of σ(z) (thick, light) and the
    two-class CE of softmax([z₀, z₁]) (dashed, on top). They coincide for every z, y and shift.

    Controls: ``z`` (the current logit difference), ``y`` (toggle), ``shift`` (z₀, added to both
    logits). Artists: ``binary_line``, ``twoclass_line``, ``point_binary``, ``point_twoclass``.
    """

    figsize = (8.0, 4.8)

    def __init__(self, z: float = -2.0, y: int = 1, shift: float = 0.0) -> None:
        controls = {
            "z": float_slider("logit z₁ − z₀", z, -10.0, 10.0, 0.1),
            "y": toggle("actual class y", [("y = 0", 0), ("y = 1", 1)], y),
            "shift": float_slider("shift z₀", shift, -20.0, 20.0, 0.5),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.add_subplot()
        plot_k2_losses(1, ax)
        self.binary_line, self.twoclass_line = find_artist(ax, "binary"), find_artist(ax, "twoclass")
        (self.point_binary,) = ax.plot([], [], "o", color=COLORS["sky"], markersize=18, alpha=0.8)
        (self.point_twoclass,) = ax.plot([], [], "x", color=COLORS["black"], markersize=14,
                                         markeredgewidth=3)

    def _animated_artists(self) -> list[Any]:
        return [self.binary_line, self.twoclass_line, self.point_binary, self.point_twoclass, self.ax.title]

    def _update(self, values: dict[str, Any]) -> None:
        y, z, shift = int(values["y"]), float(values["z"]), float(values["shift"])
        binary, two = compute_k2_losses(y, LOGITS, shift)
        self.binary_line.set_ydata(binary)
        self.twoclass_line.set_ydata(two)
        b, t = (float(v[0]) for v in compute_k2_losses(y, [z], shift))
        self.point_binary.set_data([z], [b])
        self.point_twoclass.set_data([z], [t])
        p1 = float(sigmoid(z))
        self.ax.set_title(f"y = {y}, logits (z₀, z₁) = ({shift:.1f}, {shift + z:.1f}): "
                          f"softmax = ({1 - p1:.3f}, {p1:.3f}) = (1 − σ(z), σ(z))", fontsize=13)
        self.readout.value = (f"binary CE = <b>{b:.6f}</b> &nbsp; 2-class CE = <b>{t:.6f}</b> &nbsp; "
                              f"|difference| = {abs(b - t):.1e} &nbsp;·&nbsp; max over the curve "
                              f"{float(np.max(np.abs(binary - two))):.1e}")
