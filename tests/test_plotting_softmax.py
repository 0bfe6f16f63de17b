"""Drawing helpers of 05_softmax: each returns its Axes and draws what its arguments say."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.special import softmax as sp_softmax

from lecture_utils.calibration import reliability_bins
from lecture_utils.data import load
from lecture_utils.plotting.softmax import (draw_reliability, plot_images, plot_jacobian,
                                            plot_reliability_diagram, plot_temperature_sweep,
                                            update_reliability)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_images_shows_each_picture_channels_last():
    ds = load("cat_dog_horse")
    axes = plot_images(ds.images, titles=list(ds.classes))
    assert len(axes) == 3
    for ax, img, name in zip(axes, ds.images, ds.classes):
        shown = ax.images[0].get_array()
        assert shown.shape == (32, 32, 3)
        np.testing.assert_array_equal(shown, img.transpose(1, 2, 0))
        assert ax.get_title() == name


def test_plot_images_into_given_axes_and_bad_shapes():
    fig, axes = plt.subplots(1, 2)
    imgs = np.random.default_rng(0).random((2, 3, 4, 5))
    assert plot_images(imgs, axes=axes) == list(axes)
    with pytest.raises(ValueError, match="channels first"):
        plot_images(np.zeros((2, 4, 5, 3)))
    with pytest.raises(ValueError, match="one title per image"):
        plot_images(imgs, titles=["a"])
    with pytest.raises(ValueError, match="4-D"):
        plot_images(np.zeros((3, 32, 32)))


def test_temperature_sweep_goes_from_one_hot_to_uniform():
    ax = plot_temperature_sweep([5.0, 4.0, 2.0], ["cat", "dog", "horse"])
    lines = [ln for ln in ax.lines if ln.get_label().startswith("P(")]
    assert [ln.get_label() for ln in lines] == ["P(cat)", "P(dog)", "P(horse)"]
    T = lines[0].get_xdata()
    ends_cold = [ln.get_ydata()[0] for ln in lines]
    ends_hot = [ln.get_ydata()[-1] for ln in lines]
    assert T[0] == pytest.approx(0.05) and T[-1] == pytest.approx(100)
    np.testing.assert_allclose(ends_cold, [1, 0, 0], atol=1e-8)
    np.testing.assert_allclose(ends_hot, [1 / 3] * 3, atol=0.01)
    i = np.argmin(np.abs(T - 1))
    np.testing.assert_allclose([ln.get_ydata()[i] for ln in lines], sp_softmax(np.array([5, 4, 2]) / T[i]))
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="one class name per logit"):
        plot_temperature_sweep([1.0, 2.0], ["a"])


def test_plot_jacobian_writes_every_value():
    J = np.array([[0.2, -0.1], [-0.1, 0.2]])
    ax = plot_jacobian(J, ["a", "b"])
    np.testing.assert_array_equal(ax.images[0].get_array(), J)
    assert sorted(t.get_text() for t in ax.texts) == sorted(["0.200", "-0.100", "-0.100", "0.200"])
    vmin, vmax = ax.images[0].get_clim()
    assert vmin == -vmax  # symmetric colour scale
    with pytest.raises(ValueError, match="square"):
        plot_jacobian(np.zeros((2, 3)), ["a", "b"])


def test_reliability_diagram_bars_are_the_bin_accuracies():
    rng = np.random.default_rng(0)
    logits = 2 * rng.standard_normal((400, 3))
    y = rng.integers(0, 3, 400)
    bins = reliability_bins(sp_softmax(logits, axis=1), y, 10)
    ax = plot_reliability_diagram(bins, title="test")
    bars = ax.containers[0].patches
    full = bins.counts > 0
    heights = np.array([b.get_height() for b in bars])
    np.testing.assert_allclose(heights[full], bins.accuracy[full])
    assert [b.get_visible() for b in bars] == full.tolist()
    for gap, a, c, ok in zip(ax.containers[1].patches, bins.accuracy, bins.confidence, full):
        if ok:
            assert gap.get_y() == pytest.approx(min(a, c))
            assert gap.get_height() == pytest.approx(abs(a - c))
    assert f"ECE = {bins.ece:.3f}" in ax.get_title()


def test_update_reliability_changes_the_number_of_bins_in_place():
    rng = np.random.default_rng(1)
    p = sp_softmax(3 * rng.standard_normal((300, 2)), axis=1)
    y = rng.integers(0, 2, 300)
    fig, ax = plt.subplots()
    art = draw_reliability(ax, reliability_bins(p, y, 10), max_bins=20)
    assert len(art.bars.patches) == 20
    bins5 = reliability_bins(p, y, 5)
    update_reliability(art, bins5)
    visible = [b for b in art.bars.patches if b.get_visible()]
    assert len(visible) == int((bins5.counts > 0).sum())
    assert all(b.get_width() == pytest.approx(0.2) for b in visible)
    with pytest.raises(ValueError, match="at most 20 bins"):
        update_reliability(art, reliability_bins(p, y, 25))
