"""Pictures for 05_softmax: the input images, temperature sweeps, the Jacobian, reliability diagrams.

Every ``plot_*`` takes an optional ``ax`` (or ``axes``), draws, and returns it; none calls
``plt.show``. :func:`draw_reliability` / :func:`update_reliability` are the in-place pair the
calibration panel uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer

from .._checks import as_real_array, describe
from ..calibration import ReliabilityBins
from ..softmax import softmax
from ..style import CLASS_COLORS, COLORS, DIVERGING_CMAP
from ._args import check_ax, color as check_color, names, text, whole

__all__ = ["set_log_ticks", "plot_images", "plot_temperature_sweep", "plot_jacobian", "plot_reliability_diagram",
           "ReliabilityArtists", "draw_reliability", "update_reliability", "plot_learning_curves",
           "HISTORY_KEYS"]

#: what a training history must hold (one entry per epoch, epoch 0 first), e.g. load("calibration")
HISTORY_KEYS = ("epoch", "train_loss", "train_acc", "test_loss", "test_acc")


def _new_ax(ax: Axes | None, figsize: tuple[float, float] = (6.0, 4.5)) -> Axes:
    if ax is not None:
        return check_ax(ax)
    _, ax = plt.subplots(figsize=figsize)
    return ax


def set_log_ticks(ax: Axes, ticks: Sequence[float], axis: str = "x") -> None:
    """Label a log axis with plain numbers at ``ticks`` (no 3×10⁻¹ clutter).

    ``ticks`` are numbers > 0 and ``axis`` is "x" or "y"; ValueError / TypeError otherwise.
    """
    from matplotlib.ticker import FixedLocator, NullLocator

    check_ax(ax)
    if axis not in ("x", "y"):
        raise ValueError(f'axis must be "x" or "y"; got {axis!r}.')
    ticks = as_real_array(ticks, "ticks", ndim=1, allow_inf=False)
    if (ticks <= 0).any():
        raise ValueError(f"ticks on a log axis must all be > 0; got {ticks.tolist()}.")
    ticks = ticks.tolist()

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(FixedLocator(list(ticks)))
    target.set_major_formatter(lambda v, _pos: f"{v:g}")
    target.set_minor_locator(NullLocator())  # fewer ticks: faster redraws, less clutter


def plot_images(images: Any, titles: Sequence[str] | None = None,
                axes: Sequence[Axes] | None = None) -> list[Axes]:
    """Show channels-first RGB images side by side.

    Parameters
    ----------
    images : array_like, shape (n, 3, H, W), values in [0, 1]
        Channels × height × width, as in the lecture's (3, 32, 32) input.
    titles : list of n str, optional
    axes : n Axes, optional
        Created in a new 1 × n figure when omitted.

    Returns
    -------
    list of Axes

    Raises
    ------
    ValueError
        ``images`` not 4-D with 3 channels, or a different number of titles / axes.
    """
    imgs = as_real_array(images, "images", ndim=4, allow_inf=False)
    if imgs.shape[1] != 3:
        raise ValueError(f"images must be (n, 3, H, W) with 3 colour channels first; got shape {imgs.shape}. "
                         "For (n, H, W, 3) use images.transpose(0, 3, 1, 2).")
    n = imgs.shape[0]
    if titles is not None:
        titles = names(titles, "titles")
        if len(titles) != n:
            raise ValueError(f"give one title per image: {n}; got {len(titles)}.")
    if axes is None:
        _, axes = plt.subplots(1, n, figsize=(3.2 * n, 3.6), squeeze=False)
        axes = list(axes[0])
    if isinstance(axes, (str, bytes, dict)) or not hasattr(axes, "__len__"):
        raise TypeError(f"axes must be a list of {n} matplotlib Axes; got {describe(axes)}.")
    axes = list(axes)
    if len(axes) != n:
        raise ValueError(f"give one Axes per image: {n}; got {len(axes)}.")
    axes = [check_ax(a, f"axes[{i}]") for i, a in enumerate(axes)]
    for i, ax in enumerate(axes):
        ax.imshow(np.clip(imgs[i].transpose(1, 2, 0), 0, 1), interpolation="nearest")  # (3,H,W) → (H,W,3)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if titles is not None:
            ax.set_title(titles[i])
    return axes


def plot_temperature_sweep(z: Any, classes: Sequence[str], temperatures: Any = None,
                           ax: Axes | None = None) -> Axes:
    """softmax(z / T) of every class against the temperature T (log axis).

    Left end (T → 0): one-hot at the arg-max; right end (T → ∞): uniform 1/K (dotted line).

    Parameters
    ----------
    z : array_like, shape (K,)
    classes : K str
    temperatures : array_like of T > 0, optional (default: 200 values from 0.05 to 100)

    Raises ValueError / TypeError for z not 1-D, a class count that does not match, T ≤ 0.
    """
    z = as_real_array(z, "z", ndim=1, allow_inf=False)
    if not isinstance(classes, (list, tuple, np.ndarray)) or len(classes) != z.size:
        raise ValueError(f"give one class name per logit: {z.size}; got {describe(classes)}.")
    T = (np.logspace(np.log10(0.05), 2, 200) if temperatures is None
         else as_real_array(temperatures, "temperatures", ndim=1, allow_inf=False))
    if (T <= 0).any():
        raise ValueError(f"temperatures must all be > 0; the smallest is {T.min():g}.")
    P = np.stack([softmax(z, temperature=t) for t in T])  # (len(T), K)
    ax = _new_ax(ax)
    for k, name in enumerate(classes):
        ax.plot(T, P[:, k], color=CLASS_COLORS[k % len(CLASS_COLORS)], label=f"P({name})")
    ax.axhline(1 / z.size, color="0.3", linestyle=":", linewidth=1.5, label=f"uniform 1/{z.size}")
    ax.axvline(1.0, color="0.5", linewidth=1)
    ax.set_xscale("log")
    set_log_ticks(ax, [0.1, 1, 10, 100])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("temperature T (log scale)")
    ax.set_ylabel("softmax(z / T)")
    ax.set_title(f"z = {tuple(float(v) for v in z)}")
    ax.legend(loc="upper right")
    return ax


def plot_jacobian(J: Any, labels: Sequence[str], ax: Axes | None = None, decimals: int = 3) -> Axes:
    """Heat map of a K × K Jacobian ∂P_i/∂z_j with each value written in its cell.

    The colour scale is symmetric around 0 (diagonal entries > 0, off-diagonal < 0).
    ValueError / TypeError for J not K × K with K labels, or ``decimals`` not a whole number ≥ 0.
    """
    J = as_real_array(J, "J", ndim=2, allow_inf=False)
    labels = names(labels, "labels")
    decimals = whole(decimals, "decimals", 0, maximum=12)
    if J.shape != (len(labels), len(labels)):
        raise ValueError(f"J must be square with one row per label ({len(labels)}); got shape {J.shape}.")
    ax = _new_ax(ax, (5.0, 4.5))
    lim = float(np.max(np.abs(J))) or 1.0
    im = ax.imshow(J, cmap=DIVERGING_CMAP, vmin=-lim, vmax=lim)
    for i in range(J.shape[0]):
        for j in range(J.shape[1]):
            dark = abs(J[i, j]) > 0.6 * lim
            ax.text(j, i, f"{J[i, j]:.{decimals}f}", ha="center", va="center", fontsize=13,
                    color="white" if dark else "black")
    ax.set_xticks(range(len(labels)), [f"z({s})" for s in labels])
    ax.set_yticks(range(len(labels)), [f"P({s})" for s in labels])
    ax.grid(False)
    ax.set_title("∂P_i / ∂z_j")
    ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return ax


def _bins(bins: Any) -> ReliabilityBins:
    if not isinstance(bins, ReliabilityBins):
        raise TypeError(f"bins must come from reliability_bins(probs, labels, n_bins); got {describe(bins)}.")
    return bins


@dataclass
class ReliabilityArtists:
    """The artists of a reliability diagram, for in-place updates."""

    ax: Axes
    bars: BarContainer
    gaps: BarContainer
    max_bins: int


def draw_reliability(ax: Axes, bins: ReliabilityBins, max_bins: int | None = None,
                     color: str = COLORS["blue"]) -> ReliabilityArtists:
    """Draw accuracy bars, the gap to perfect calibration (hatched) and the diagonal.

    ``max_bins`` pre-creates that many bars so :func:`update_reliability` can change the
    number of bins later without new artists. TypeError / ValueError for a bad ``ax``, ``bins``
    not from :func:`lecture_utils.calibration.reliability_bins`, or ``max_bins`` < 1.
    """
    check_ax(ax)
    n = len(_bins(bins).counts)
    max_bins = max(n, n if max_bins is None else whole(max_bins, "max_bins", maximum=1000))
    color = check_color(color)
    zeros = np.zeros(max_bins)
    bars = ax.bar(zeros, zeros, width=0.0, align="center", color=color, edgecolor="white",
                  linewidth=1.0, label="accuracy")
    gaps = ax.bar(zeros, zeros, width=0.0, align="center", bottom=zeros, facecolor="none",
                  edgecolor=COLORS["vermillion"], hatch="//", linewidth=1.5,
                  label="gap")
    ax.plot([0, 1], [0, 1], color="0.2", linestyle="--", linewidth=1.5, label="calibrated")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("confidence (max probability)")
    ax.set_ylabel("accuracy")
    # below the axes: inside, any corner can hold a bar (a bin above the diagonal reaches the top left)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=3, fontsize=11, frameon=False,
              handlelength=1.5, columnspacing=1.2)
    artists = ReliabilityArtists(ax, bars, gaps, max_bins)
    update_reliability(artists, bins)
    return artists


def update_reliability(artists: ReliabilityArtists, bins: ReliabilityBins) -> None:
    """Move the bars of :func:`draw_reliability` to ``bins`` (bars of empty bins are hidden).

    TypeError unless ``artists`` comes from :func:`draw_reliability` and ``bins`` from
    ``reliability_bins``; ValueError for more bins than the diagram was drawn for.
    """
    if not isinstance(artists, ReliabilityArtists):
        raise TypeError(f"artists must be what draw_reliability(...) returned; got {describe(artists)}.")
    n = len(_bins(bins).counts)
    if n > artists.max_bins:
        raise ValueError(f"this diagram was drawn for at most {artists.max_bins} bins; got {n}.")
    width = 1.0 / n
    acc = np.nan_to_num(bins.accuracy)
    conf = np.where(bins.counts > 0, np.nan_to_num(bins.confidence), acc)
    for i, (bar, gap) in enumerate(zip(artists.bars.patches, artists.gaps.patches)):
        visible = i < n and bins.counts[i] > 0  # empty bins are not drawn
        bar.set_visible(visible)
        gap.set_visible(visible)
        if not visible:
            continue
        left = bins.edges[i]
        bar.set_xy((left, 0.0))
        bar.set_width(width)
        bar.set_height(acc[i])
        lo, hi = min(acc[i], conf[i]), max(acc[i], conf[i])
        gap.set_xy((left, lo))
        gap.set_width(width)
        gap.set_height(hi - lo)


def plot_reliability_diagram(bins: ReliabilityBins, ax: Axes | None = None, title: str | None = None,
                             color: str = COLORS["blue"]) -> Axes:
    """A reliability diagram: accuracy per confidence bin against the diagonal, ECE in the title.

    Bars below the diagonal mean over-confidence (the model is right less often than it claims).
    TypeError for ``bins`` not from ``reliability_bins`` or a bad ``ax``.
    """
    _bins(bins)
    color = check_color(color)
    title = None if title is None else text(title, "title")
    ax = _new_ax(ax, (5.0, 5.0))
    draw_reliability(ax, bins, color=color)
    ax.set_title((title + "\n" if title else "") + f"ECE = {bins.ece:.3f}")
    return ax


def _history(history: Any) -> dict[str, np.ndarray]:
    try:
        h = {k: as_real_array(history[k], k, ndim=1, allow_inf=False) for k in HISTORY_KEYS}
    except (KeyError, TypeError, IndexError):
        raise TypeError(f"history must hold the arrays {list(HISTORY_KEYS)} (e.g. load('calibration') "
                        f"or Trainer(...).history); got {describe(history)}.") from None
    sizes = {k: v.size for k, v in h.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(f"every history array needs one entry per epoch; got lengths {sizes}.")
    return h


def plot_learning_curves(history: Any, ax: Axes | None = None) -> tuple[Axes, Axes]:
    """Loss (left axis) and accuracy (right axis) of the training and test sets against the epoch.

    The epoch axis is symmetric-log (0, 1, 10, 100, 1000 evenly spaced), since over-confidence
    grows slowly. A dotted line marks the first epoch with 100 % training accuracy, if any.
    Line gids: ``"train_loss"``, ``"test_loss"``, ``"train_acc"``, ``"test_acc"``, ``"100%"``.

    Parameters
    ----------
    history : mapping with the arrays of :data:`HISTORY_KEYS`, all of one length
        e.g. ``load("calibration")`` (05_softmax) or ``Trainer(...).history``.
    ax : Axes, optional

    Returns
    -------
    (ax_loss, ax_acc) : the loss axes and its twin for the accuracy.

    Raises TypeError / ValueError for a history without those arrays or with unequal lengths.
    """
    h = _history(history)
    ax = _new_ax(ax, (7.0, 4.5))
    e = h["epoch"]
    ax.plot(e, h["train_loss"], color=COLORS["blue"], gid="train_loss", label="training loss")
    ax.plot(e, h["test_loss"], color=COLORS["vermillion"], linewidth=3, gid="test_loss",
            label="test NLL")
    ax.set_xscale("symlog", linthresh=1.0, linscale=0.5)
    ax.set_xlim(0, 1.35 * max(float(e[-1]), 1.0))   # room for a marker at the last epoch
    set_log_ticks(ax, [v for v in (1, 10, 100, 1000, 10000) if v <= max(e[-1], 1)])
    ax.set_xticks([0, *ax.get_xticks()])
    ax.set_ylim(0, 1.15 * float(max(h["test_loss"].max(), h["train_loss"][1:].max() if e.size > 1 else 0)))
    ax.set_xlabel("epoch (log scale after 1)")
    ax.set_ylabel("loss (mean −log p of true class)")
    acc = ax.twinx()
    acc.plot(e, h["train_acc"], color=COLORS["sky"], linestyle="--", gid="train_acc", label="training accuracy")
    acc.plot(e, h["test_acc"], color=COLORS["green"], linestyle="--", linewidth=3, gid="test_acc",
             label="test accuracy")
    acc.set_ylim(0, 1.05)
    acc.set_ylabel("accuracy")
    acc.grid(False)
    acc.spines["right"].set_visible(True)
    full = np.flatnonzero(h["train_acc"] == 1.0)
    if full.size:
        ax.axvline(e[full[0]], color="0.4", linestyle=":", linewidth=2, gid="100%",
                   label=f"100 % training accuracy (epoch {int(e[full[0]])})")
    lines = [*ax.get_lines(), *acc.get_lines()]
    ax.legend(lines, [ln.get_label() for ln in lines], loc="upper center", bbox_to_anchor=(0.5, -0.18),
              ncol=3, fontsize=10, frameon=False, handlelength=1.8, columnspacing=1.0)
    return ax, acc
