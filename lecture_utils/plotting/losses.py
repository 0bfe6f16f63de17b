"""Drawing helpers for 06_cross_entropy: loss curves, gradients at the logit, information bars.

Every function draws on ``ax`` (a new figure's axes if None) and returns the Axes; none calls
``plt.show``. Artists carry a ``gid`` so panels and tests can find them
(e.g. ``find_artist(ax, "bce-y1")``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

from ..losses import cross_entropy, cross_entropy_from_logits
from ..information import (bce_logit_grad, bce_logit_loss, bernoulli_expected_accuracy,
                           bernoulli_expected_ce, cross_entropy_between, entropy, kl_divergence,
                           squared_error_logit_grad, squared_error_logit_loss)
from ..softmax import softmax
from .._checks import as_real_array
from ..style import COLORS
from ._args import check_ax, describe, label01, number

__all__ = ["plot_bce_curves", "plot_losses_vs_logit", "plot_gradients_vs_logit",
           "plot_k2_losses", "plot_information_bars", "plot_stable_vs_naive", "find_artist", "bar_label",
           "INF_BAR", "plot_scoring_rule", "SCORE_YMAX",
           "P_HAT", "LOGITS"]

#: the p̂ grid for loss curves (open interval: the loss is infinite at 0 and 1)
P_HAT = np.linspace(0.001, 0.999, 999)
#: the logit grid for curves against z
LOGITS = np.linspace(-10.0, 10.0, 401)
LOGIT_TICKS = [-10, -5, 0, 5, 10]


def _axes(ax: Axes | None, figsize: tuple[float, float] = (8.0, 4.5)) -> Axes:
    if ax is not None:
        return check_ax(ax)
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def find_artist(ax: Axes, gid: str) -> Any:
    """The artist of ``ax`` (line, collection, patch or text) whose gid is ``gid``; KeyError if none."""
    if not isinstance(gid, str):
        raise TypeError(f"gid must be the artist's id, a string such as 'bce-y1'; got {describe(gid)}.")
    for artist in check_ax(ax).get_children():
        if artist.get_gid() == gid:
            return artist
    raise KeyError(f"no artist with gid {gid!r} on these axes.")


def plot_bce_curves(ax: Axes | None = None, ymax: float = 6.0) -> Axes:
    """Both branches of binary cross-entropy against p̂: −log p̂ (y = 1) and −log(1 − p̂) (y = 0).

    Lines have gids ``"bce-y1"`` and ``"bce-y0"``. ValueError unless ``ymax`` > 0.
    """
    ymax = number(ymax, "ymax", positive=True)
    ax = _axes(ax)
    ax.plot(P_HAT, -np.log(P_HAT), color=COLORS["blue"], gid="bce-y1", label="y = 1:  −log p̂")
    ax.plot(P_HAT, -np.log1p(-P_HAT), color=COLORS["orange"], linestyle="--", gid="bce-y0",
            label="y = 0:  −log(1 − p̂)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, ymax)
    ax.set_xlabel("predicted probability of class 1,  p̂")
    ax.set_ylabel("loss (nats)")
    ax.legend(loc="upper center")
    return ax


def plot_losses_vs_logit(y: int = 1, ax: Axes | None = None) -> Axes:
    """BCE and squared error of p̂ = σ(z) against the logit z (gids ``"bce"``, ``"se"``).

    ValueError unless the true label ``y`` is 0 or 1.
    """
    y = label01(y)
    ax = _axes(ax)
    ax.plot(LOGITS, bce_logit_loss(LOGITS, y), color=COLORS["blue"], gid="bce",
            label="cross-entropy")
    ax.plot(LOGITS, squared_error_logit_loss(LOGITS, y), color=COLORS["vermillion"],
            linestyle="--", gid="se", label="squared error (σ(z) − y)²")
    ax.set_xlim(LOGITS[0], LOGITS[-1])
    ax.set_xticks(LOGIT_TICKS)  # few labels: readable, and cheaper to redraw
    ax.set_xlabel("logit z")
    ax.set_ylabel("loss")
    ax.set_title(f"true label y = {y}")
    ax.legend(loc="upper center")
    return ax


def plot_gradients_vs_logit(y: int = 1, ax: Axes | None = None) -> Axes:
    """∂loss/∂z for BCE (σ(z) − y) and squared error (2(σ − y)σ(1 − σ)); gids ``"bce"``, ``"se"``.

    The region where the model is confidently wrong (σ(z) far from y) is shaded (gid ``"wrong"``).
    ValueError unless the true label ``y`` is 0 or 1.
    """
    y = label01(y)
    ax = _axes(ax)
    lo, hi = (LOGITS[0], -3.0) if y == 1 else (3.0, LOGITS[-1])
    ax.axvspan(lo, hi, color=COLORS["vermillion"], alpha=0.12, gid="wrong", label="confidently wrong")
    ax.plot(LOGITS, bce_logit_grad(LOGITS, y), color=COLORS["blue"], gid="bce",
            label="cross-entropy: σ(z) − y")
    ax.plot(LOGITS, squared_error_logit_grad(LOGITS, y), color=COLORS["vermillion"],
            linestyle="--", gid="se", label="squared error: 2(σ − y)σ(1 − σ)")
    ax.axhline(0, color="0.4", linewidth=1)
    ax.set_xlim(LOGITS[0], LOGITS[-1])
    ax.set_xticks(LOGIT_TICKS)  # few labels: readable, and cheaper to redraw
    ax.set_ylim(-1.1, 1.1)
    ax.set_xlabel("logit z")
    ax.set_ylabel("gradient ∂loss/∂z")
    ax.set_title(f"true label y = {y}")
    ax.legend(loc="upper right" if y == 1 else "lower left")  # the empty half
    return ax


def plot_k2_losses(y: int = 1, ax: Axes | None = None, shift: float = 0.0) -> Axes:
    """Binary CE of σ(z) and two-class CE of softmax([shift, shift + z]) against z.

    They coincide (gids ``"binary"`` and ``"twoclass"``): K = 2 cross-entropy *is* binary
    cross-entropy, and only the difference of the two logits matters. ValueError unless ``y`` is
    0 or 1 and ``shift`` a finite number.
    """
    y, shift = label01(y), number(shift, "shift")
    ax = _axes(ax)
    Z2 = np.stack([np.full_like(LOGITS, shift), shift + LOGITS], axis=1)   # (401, 2)
    labels = np.full(LOGITS.shape, int(y))
    ax.plot(LOGITS, bce_logit_loss(LOGITS, y), color=COLORS["sky"], linewidth=7, alpha=0.8,
            gid="binary", label="binary CE of σ(z)")
    ax.plot(LOGITS, cross_entropy_from_logits(labels, Z2, reduction="none"), color=COLORS["black"],
            linestyle="--", gid="twoclass", label="2-class CE of softmax([z₀, z₀ + z])")
    ax.set_xlim(LOGITS[0], LOGITS[-1])
    ax.set_xticks(LOGIT_TICKS)  # few labels: readable, and cheaper to redraw
    ax.set_ylim(0, 10.5)
    ax.set_xlabel("logit z = z₁ − z₀")
    ax.set_ylabel("loss (nats)")
    ax.legend(loc="upper center")
    return ax


def plot_information_bars(y: Any, p: Any, ax: Axes | None = None) -> Axes:
    """Bars of H(y), KL(y‖p) and CE(y, p), the last stacked as H + KL.

    Bar gids: ``"H"``, ``"KL"``, ``"CE-H"`` and ``"CE-KL"`` (the two parts of the CE bar).
    An infinite KL is drawn up to the top of the axes and labelled ∞. ``y`` and ``p`` are two
    distributions of shape (K,); ValueError otherwise (see :func:`lecture_utils.information.entropy`).
    """
    y = as_real_array(y, "y", ndim=1, allow_inf=False)
    p = as_real_array(p, "p", ndim=1, allow_inf=False)
    ax = _axes(ax)
    h, kl, ce = entropy(y), kl_divergence(y, p), cross_entropy_between(y, p)
    top = max(1.2 * ce, 1.2 * np.log(len(np.ravel(y))), 0.5) if np.isfinite(ce) else 5.0
    kl_drawn = kl if np.isfinite(kl) else INF_BAR * top
    ax.bar([0], [h], color=COLORS["green"], gid="H")
    ax.bar([1], [kl_drawn], color=COLORS["purple"], gid="KL")
    ax.bar([2], [h], color=COLORS["green"], gid="CE-H")
    ax.bar([2], [kl_drawn], bottom=[h], color=COLORS["purple"], hatch="//", gid="CE-KL")
    for x, v, gid in ((0, h, "H-text"), (1, kl, "KL-text"), (2, ce, "CE-text")):
        ax.text(x, *bar_label(v, top), ha="center", va="bottom", fontsize=14 if np.isfinite(v) else 22,
                gid=gid)
    ax.set_xticks([0, 1, 2], ["H(y)", "KL(y‖p)", "CE = H + KL"])
    ax.set_ylim(0, top)
    ax.set_ylabel("nats")
    return ax


def bar_label(value: float, top: float) -> tuple[float, str]:
    """Where to write a bar's value (height) and what to write: ∞ above a capped bar if infinite.

    ``value`` a number ≥ 0 (may be inf), ``top`` > 0 the axes' height; ValueError otherwise.
    """
    top = number(top, "top", positive=True)
    value = float(as_real_array(value, "value", ndim=0))
    if not np.isfinite(value):
        return INF_BAR * top, "∞"
    return min(value, INF_BAR * top), f"{value:.3f}"


#: an infinite bar is drawn up to this fraction of the axes' height, with ∞ written above it
INF_BAR = 0.85


def plot_stable_vs_naive(gaps: Any = None, ax: Axes | None = None) -> Axes:
    """Loss of the losing class as the logit gap grows: −log(softmax(z)) against log-softmax.

    Logits (gap, 0) with true class 1, so the exact loss is gap + log(1 + e^{−gap}). The naive
    path returns inf once e^{−gap} underflows (gap ≳ 745); those points are marked × at the top
    (gid ``"naive-inf"``). Lines: ``"stable"``, ``"naive"``. ``gaps`` 1-D finite (ValueError otherwise).
    """
    ax = _axes(ax)
    gaps = np.linspace(0, 1000, 501) if gaps is None else as_real_array(gaps, "gaps", ndim=1, allow_inf=False)
    Z = np.stack([gaps, np.zeros_like(gaps)], axis=1)                     # (m, 2)
    labels = np.ones(gaps.shape, dtype=int)
    stable = cross_entropy_from_logits(labels, Z, reduction="none")
    naive = cross_entropy(labels, softmax(Z, axis=1), reduction="none")  # log of a rounded 0
    top = 1.15 * float(np.max(stable))
    ax.plot(gaps, stable, color=COLORS["blue"], linewidth=6, alpha=0.6, gid="stable",
            label="−log_softmax(z)₁  (stable)")
    ax.plot(gaps, np.where(np.isfinite(naive), naive, np.nan), color=COLORS["vermillion"],
            linestyle="--", gid="naive", label="−log(softmax(z)₁)  (naive)")
    bad_gaps = gaps[~np.isfinite(naive)]
    bad_gaps = bad_gaps[:: max(1, bad_gaps.size // 8)]  # about 8 markers: readable, not a bar
    ax.plot(bad_gaps, np.full(bad_gaps.size, top * 0.97), "x", markersize=10, markeredgewidth=2.5,
            color=COLORS["vermillion"], gid="naive-inf", label="naive: −log 0 = inf")
    ax.set_ylim(0, top)
    ax.set_xlabel("logit gap  z₀ − z₁  (true class 1)")
    ax.set_ylabel("cross-entropy")
    ax.legend(loc="upper left")
    return ax


#: the top of the expected cross-entropy axis (the curve goes to infinity at p = 0 and 1)
SCORE_YMAX = 2.5


def plot_scoring_rule(q: float, ax_ce: Axes | None = None, ax_acc: Axes | None = None) -> tuple[Axes, Axes]:
    """Expected cross-entropy and expected accuracy against the prediction p, for y ~ Bernoulli(q).

    Left (``ax_ce``): E[CE] = −q log p − (1 − q) log(1 − p) (gid ``"expected-ce"``), the entropy
    H(q) it never goes below (``"entropy"``) and its minimum at p = q (``"minimum"``). Right
    (``ax_acc``): E[accuracy] (``"expected-acc"``), a step at p = ½ (``"half"``), flat on each side.
    Both are drawn on new axes side by side when both are omitted. ValueError unless 0 < q < 1;
    TypeError for only one Axes or something that is not an Axes.
    """
    q = number(q, "q", minimum=0.0, maximum=1.0)
    if not 0.0 < q < 1.0:
        raise ValueError(f"q must lie strictly between 0 and 1 (the curve's minimum p = q must be finite); got {q!r}.")
    if ax_ce is None and ax_acc is None:
        import matplotlib.pyplot as plt

        _, (ax_ce, ax_acc) = plt.subplots(1, 2, figsize=(11.0, 4.5))
    check_ax(ax_ce, "ax_ce"), check_ax(ax_acc, "ax_acc")  # give both axes, or neither
    h = float(bernoulli_expected_ce(q, q))
    ax_ce.plot(P_HAT, bernoulli_expected_ce(q, P_HAT), color=COLORS["blue"], linewidth=3,
               gid="expected-ce", label="expected cross-entropy")
    ax_ce.axhline(h, color=COLORS["green"], linestyle="--", linewidth=2, gid="entropy",
                  label="floor H(q): the truth's own uncertainty")
    ax_ce.plot([q], [h], "D", color=COLORS["green"], markersize=11, markeredgecolor="black",
               gid="minimum", label="minimum, at p = q")
    ax_ce.set_xlim(0, 1)
    ax_ce.set_ylim(0, SCORE_YMAX)
    ax_ce.set_xlabel("predicted probability p of y = 1")
    ax_ce.set_ylabel("E[CE] over y ~ Bernoulli(q)  (nats)")
    ax_ce.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=10.5, frameon=False)
    ax_acc.plot(P_HAT, bernoulli_expected_accuracy(q, P_HAT), color=COLORS["orange"], linewidth=3,
                gid="expected-acc", label="expected accuracy (predict 1 if p > ½)")
    ax_acc.axvline(0.5, color="0.4", linestyle=":", linewidth=2, gid="half")
    ax_acc.set_xlim(0, 1)
    ax_acc.set_ylim(0, 1.05)
    ax_acc.set_xlabel("predicted probability p of y = 1")
    ax_acc.set_ylabel("E[accuracy]")
    ax_acc.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=10.5, frameon=False)
    return ax_ce, ax_acc
