"""Pictures for 03_universal_approximation: curves over a target, error against N, heat maps.

Every function draws on ``ax`` (a new figure's axes when omitted), returns the Axes and never
calls ``plt.show``; the panels in ``lecture_utils.widgets`` build on them.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from .._checks import as_real_array
from ..style import COLORS, SEQUENTIAL_CMAP
from ._args import check_ax, limits, mapping, number, text

__all__ = ["plot_target_and_network", "plot_error_vs_n", "plot_heatmap", "plot_extrapolation",
           "NET_COLOR", "TARGET_COLOR", "BUILT_COLOR"]

TARGET_COLOR = COLORS["black"]
NET_COLOR = COLORS["blue"]
BUILT_COLOR = COLORS["orange"]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return check_ax(ax)


def _curves(x: Any, named: dict[str, Any]) -> tuple[np.ndarray, list[np.ndarray]]:
    """x (n,) and curves of the same shape, finite (ValueError naming the odd one out)."""
    x = as_real_array(x, "x", ndim=1, allow_inf=False)
    out = [as_real_array(v, k, allow_inf=False) for k, v in named.items()]
    for (k, _), y in zip(named.items(), out):
        if y.shape != x.shape:
            raise ValueError(f"{k} must have the shape of x {x.shape} (one value per x); got {y.shape}.")
    return x, out


def plot_target_and_network(x: np.ndarray, y_target: np.ndarray, y_net: np.ndarray,
                            ax: Axes | None = None, net_label: str = "network") -> Axes:
    """The target (thin black) and the network's output (thick blue) over ``x``; shapes (n,).

    The two lines are ``ax.lines[0]`` (target) and ``ax.lines[1]`` (network). ValueError if the
    three arrays differ in shape or hold NaN / inf; TypeError if ``ax`` is not an Axes.
    """
    x, (y_target, y_net) = _curves(x, {"y_target": y_target, "y_net": y_net})
    net_label = text(net_label, "net_label")
    ax = _axes(ax)
    ax.plot(x, y_target, color=TARGET_COLOR, linewidth=1.5, label="target")
    ax.plot(x, y_net, color=NET_COLOR, linewidth=3, alpha=0.9, label=net_label)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="upper left")
    return ax


def plot_error_vs_n(curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
                    ax: Axes | None = None, slopes: Sequence[int] = (1, 2),
                    xlabel: str = "hidden neurons N", var: str = "N") -> Axes:
    """Log-log error against the number of hidden neurons N, one line per entry of ``curves``.

    ``curves`` maps a label to (Ns, errors). Dotted guide lines of slope −k for k in ``slopes``
    show the rates 1/N, 1/N² (a straight line of slope −k on log-log axes means error ∝ N^−k);
    ``var`` names the variable in their labels ("∝ 1/n"), ``xlabel`` labels the x axis.
    ValueError / TypeError for Ns < 1, negative or NaN errors, or Ns and errors of other lengths.
    """
    checked = {}
    for label, pair in mapping(curves, "curves", '{"ReLU": (ns, errors)}').items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"curves[{label!r}] must be a pair (Ns, errors); got a {type(pair).__name__}.")
        ns, (errs,) = _curves(pair[0], {f"curves[{label!r}] errors": pair[1]})
        if (ns < 1).any() or (errs < 0).any():
            raise ValueError(f"curves[{label!r}] needs Ns ≥ 1 and errors ≥ 0 (log-log axes); got Ns from "
                             f"{ns.min():g} and errors from {errs.min():g}.")
        checked[label] = (ns, errs)
    slopes = [number(k, f"slopes[{i}]", positive=True) for i, k in enumerate(slopes)]
    curves = checked
    ax = _axes(ax)
    markers = "os^D"
    colours = [COLORS["vermillion"], COLORS["blue"], COLORS["green"], COLORS["purple"]]
    n_all = []
    for i, (label, (ns, errs)) in enumerate(curves.items()):
        ns, errs = np.asarray(ns, float), np.maximum(np.asarray(errs, float), 1e-12)
        ax.loglog(ns, errs, marker=markers[i % 4], color=colours[i % 4], label=label)
        n_all.append(ns)
    if n_all:
        ns = np.concatenate(n_all)
        grid = np.array([ns.min(), ns.max()])
        for k, style in zip(slopes, (":", "-.")):
            ax.loglog(grid, 0.5 * (grid / grid[0]) ** (-float(k)), style, color="0.45",
                      linewidth=1.5, label=f"∝ 1/{var}" + ("" if k == 1 else f"$^{{{k:g}}}$"))
        if len(np.unique(ns)) <= 6:  # a few Ns: label each one, not 3×10⁰, 4×10⁰, …
            ticks = np.unique(ns)
            ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
            ax.set_xticks([], minor=True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("error")
    ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_heatmap(Z: np.ndarray, ax: Axes | None = None, extent: tuple[float, float, float, float] = (0, 1, 0, 1),
                 vmin: float | None = None, vmax: float | None = None, colorbar: bool = True,
                 label: str = "output") -> Axes:
    """Z (rows = x2, columns = x1) as an image over ``extent``; the image is ``ax.images[0]``.

    ValueError unless Z is 2-D and finite and ``extent`` four numbers (x_lo, x_hi, y_lo, y_hi).
    """
    Z = as_real_array(Z, "Z", ndim=2, allow_inf=False)
    ext = as_real_array(extent, "extent", allow_inf=False)
    if ext.shape != (4,):
        raise ValueError(f"extent must be four numbers (x_lo, x_hi, y_lo, y_hi); got shape {ext.shape}.")
    vmin = None if vmin is None else number(vmin, "vmin")
    vmax = None if vmax is None else number(vmax, "vmax")
    ax = _axes(ax)
    im = ax.imshow(Z, origin="lower", extent=extent, cmap=SEQUENTIAL_CMAP, vmin=vmin, vmax=vmax,
                   aspect="equal", interpolation="nearest")
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label=label, shrink=0.9)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.grid(False)
    return ax


def plot_extrapolation(x: np.ndarray, y_target: np.ndarray, curves: Mapping[str, np.ndarray],
                       interval: tuple[float, float] = (0.0, 1.0), ax: Axes | None = None) -> Axes:
    """Target and networks over a range wider than the training ``interval`` (shaded).

    ``curves`` maps a label to an array of the shape of ``x``; ValueError / TypeError otherwise.
    """
    mapping(curves, "curves", '{"ReLU net": y}')
    x, ys = _curves(x, {"y_target": y_target, **{f"curves[{k!r}]": v for k, v in curves.items()}})
    y_target, curves = ys[0], dict(zip(curves, ys[1:]))
    interval = limits(interval, "interval")
    ax = _axes(ax)
    ax.axvspan(*interval, color=COLORS["sky"], alpha=0.15, label="training interval")
    ax.plot(x, y_target, color=TARGET_COLOR, linewidth=1.5, label="target")
    colours = [NET_COLOR, BUILT_COLOR, COLORS["green"], COLORS["purple"]]
    styles = ["-", "--", "-.", ":"]
    for i, (label, y) in enumerate(curves.items()):
        ax.plot(x, y, styles[i % 4], color=colours[i % 4], label=label)
    lo, hi = float(np.min(y_target)), float(np.max(y_target))
    pad = 0.6 * (hi - lo + 0.1)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="upper left", fontsize="small")
    return ax
