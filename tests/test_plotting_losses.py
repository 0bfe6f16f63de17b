"""lecture_utils.plotting.losses: each helper draws what it says, on the given Axes."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.special import expit, logsumexp

from lecture_utils.plotting.losses import (INF_BAR, LOGITS, P_HAT, bar_label, find_artist,
                                           plot_bce_curves, plot_gradients_vs_logit,
                                           plot_information_bars, plot_k2_losses,
                                           plot_losses_vs_logit, plot_stable_vs_naive)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_bce_curves(ax):
    assert plot_bce_curves(ax) is ax
    np.testing.assert_allclose(find_artist(ax, "bce-y1").get_ydata(), -np.log(P_HAT))
    np.testing.assert_allclose(find_artist(ax, "bce-y0").get_ydata(), -np.log(1 - P_HAT))


def test_new_axes_when_none():
    ax = plot_bce_curves()
    assert ax.figure is not None
    plt.close(ax.figure)


@pytest.mark.parametrize("y", [0, 1])
def test_losses_and_gradients_vs_logit(ax, y):
    plot_losses_vs_logit(y, ax)
    s = expit(LOGITS)
    np.testing.assert_allclose(find_artist(ax, "se").get_ydata(), (s - y) ** 2, atol=1e-15)
    fig2, ax2 = plt.subplots()
    plot_gradients_vs_logit(y, ax2)
    np.testing.assert_allclose(find_artist(ax2, "bce").get_ydata(), s - y, atol=1e-15)
    assert find_artist(ax2, "wrong") is not None
    plt.close(fig2)


def test_k2_losses_coincide(ax):
    plot_k2_losses(0, ax, shift=3.0)
    np.testing.assert_allclose(find_artist(ax, "twoclass").get_ydata(),
                               find_artist(ax, "binary").get_ydata(), rtol=1e-10)


def test_information_bars(ax):
    y, p = [0.7, 0.2, 0.1], [0.5, 0.3, 0.2]
    plot_information_bars(y, p, ax)
    h = -sum(v * math.log(v) for v in y)
    kl = sum(a * math.log(a / b) for a, b in zip(y, p))
    assert find_artist(ax, "H").get_height() == pytest.approx(h)
    assert find_artist(ax, "CE-KL").get_y() == pytest.approx(h)
    assert find_artist(ax, "CE-text").get_text() == f"{h + kl:.3f}"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["H(y)", "KL(y‖p)", "CE = H + KL"]


def test_information_bars_infinite(ax):
    plot_information_bars([0.5, 0.5, 0.0], [1.0, 0.0, 0.0], ax)
    assert find_artist(ax, "KL-text").get_text() == "∞"
    assert bar_label(math.inf, 5.0) == (pytest.approx(INF_BAR * 5.0), "∞")
    assert find_artist(ax, "KL").get_height() == pytest.approx(INF_BAR * ax.get_ylim()[1])


def test_stable_vs_naive(ax):
    gaps = np.array([0.0, 10.0, 500.0, 800.0, 1000.0])
    plot_stable_vs_naive(gaps, ax)
    want = np.array([logsumexp([g, 0.0]) for g in gaps])  # true class 1 has logit 0
    np.testing.assert_allclose(find_artist(ax, "stable").get_ydata(), want, rtol=1e-12)
    naive = find_artist(ax, "naive").get_ydata()
    assert np.isfinite(naive[:3]).all() and np.isnan(naive[3:]).all()
    np.testing.assert_array_equal(find_artist(ax, "naive-inf").get_xdata(), [800.0, 1000.0])


def test_find_artist_unknown(ax):
    with pytest.raises(KeyError, match="nope"):
        find_artist(ax, "nope")
