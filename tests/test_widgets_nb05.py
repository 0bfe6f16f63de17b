"""Headless tests of the 05_cross_entropy panels: set each control, read the figure back."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.special import expit, rel_entr
from scipy.stats import entropy as scipy_entropy

from lecture_utils.plotting.losses import INF_BAR, LOGITS
from lecture_utils.widgets.bce_panel import BCEPanel, compute_bce_point
from lecture_utils.widgets.divergence_panel import DivergencePanel, normalise_weights
from lecture_utils.widgets.gradient_panel import GradientPanel
from lecture_utils.widgets.k2_panel import K2Panel, compute_k2_losses


def _xy(line):
    x, y = line.get_data()
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


# -- BCE panel ---------------------------------------------------------------------------------

def test_bce_panel_point_follows_slider_and_label():
    panel = BCEPanel(p_hat=0.8, y=1)
    x, y = _xy(panel.point)
    assert x[0] == pytest.approx(0.8) and y[0] == pytest.approx(-math.log(0.8))
    assert panel.curve_y1.get_alpha() == 1.0 and panel.curve_y0.get_alpha() < 0.5
    assert "0.223" in panel.label.get_text() and "0.223" in panel.readout.value

    panel.set(y=0)  # the same prediction is now wrong
    x, y = _xy(panel.point)
    assert y[0] == pytest.approx(-math.log(0.2))
    assert panel.curve_y0.get_alpha() == 1.0 and panel.curve_y1.get_alpha() < 0.5
    assert "1.609" in panel.readout.value and "−log(1 − p̂)" in panel.readout.value
    # the point lies on the bold curve
    cx, cy = _xy(panel.curve_y0)
    assert np.interp(0.8, cx, cy) == pytest.approx(y[0], rel=1e-3)

    panel.set(p_hat=0.995)  # confidently wrong
    x, y = _xy(panel.point)
    assert x[0] == pytest.approx(0.995)
    assert "confidently wrong" in panel.ax.get_title()
    assert y[0] == pytest.approx(-math.log(0.005))  # 5.30 < ymax: drawn where it is
    sx, sy = _xy(panel.stem)
    assert list(sy) == [0.0, pytest.approx(y[0])]
    panel.close()


def test_bce_panel_one_redraw_per_set_and_no_new_figures():
    before = len(plt.get_fignums())
    panel = BCEPanel()
    count = panel.update_count
    panel.set(p_hat=0.3, y=0)
    assert panel.update_count == count + 1
    BCEPanel()  # re-running the cell replaces the figure
    assert len(plt.get_fignums()) <= before + 1


def test_compute_bce_point_validates():
    assert compute_bce_point(1, 0.5)[0] == pytest.approx(math.log(2))
    with pytest.raises(ValueError, match="0 or 1"):
        compute_bce_point(2, 0.5)
    with pytest.raises(ValueError, match="strictly between"):
        compute_bce_point(1, 0.0)


# -- K = 2 panel -------------------------------------------------------------------------------

@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("shift", [-20.0, 0.0, 7.5])
def test_k2_panel_curves_coincide(y, shift):
    panel = K2Panel()
    panel.set(y=y, shift=shift, z=3.3)
    _, binary = _xy(panel.binary_line)
    _, two = _xy(panel.twoclass_line)
    want = -np.log(expit(LOGITS)) if y == 1 else -np.log(1 - expit(LOGITS))
    np.testing.assert_allclose(binary, want, rtol=1e-9)
    np.testing.assert_allclose(two, binary, rtol=1e-9, atol=1e-12)
    (zb,), (lb,) = _xy(panel.point_binary)
    (zt,), (lt,) = _xy(panel.point_twoclass)
    assert zb == zt == pytest.approx(3.3)
    assert lb == pytest.approx(lt, abs=1e-12) and lb == pytest.approx(want[np.argmin(abs(LOGITS - 3.3))], rel=1e-9)
    assert f"({shift:.1f}, {shift + 3.3:.1f})" in panel.ax.get_title()
    assert "2-class CE" in panel.readout.value
    panel.close()


def test_compute_k2_losses_shift_invariant():
    b0, t0 = compute_k2_losses(1, [-4.0, 0.0, 4.0])
    b1, t1 = compute_k2_losses(1, [-4.0, 0.0, 4.0], shift=100.0)
    np.testing.assert_allclose(t0, t1, rtol=1e-12)
    np.testing.assert_allclose(b0, t0, rtol=1e-12)


# -- divergence panel --------------------------------------------------------------------------

def _heights(bars):
    return np.array([b.get_height() for b in bars])


def test_divergence_panel_shows_h_kl_ce():
    panel = DivergencePanel()
    y, p = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(_heights(panel.y_bars), y)
    np.testing.assert_allclose(_heights(panel.p_bars), p)
    h, kl = scipy_entropy(y), rel_entr(y, p).sum()
    assert panel.h_bar.get_height() == pytest.approx(h)
    assert panel.kl_bar.get_height() == pytest.approx(kl)
    # the CE bar is H stacked with KL
    assert panel.ce_h_bar.get_height() == pytest.approx(h)
    assert panel.ce_kl_bar.get_y() == pytest.approx(h)
    assert panel.ce_h_bar.get_height() + panel.ce_kl_bar.get_height() == pytest.approx(h + kl)
    assert panel.ce_text.get_text() == f"{h + kl:.3f}"
    assert panel.kl_text.get_text() == f"{kl:.3f}"


@pytest.mark.parametrize("name", ["y0", "y1", "y2", "p0", "p1", "p2"])
def test_divergence_panel_every_slider_moves_the_bars(name):
    panel = DivergencePanel()
    before = (_heights(panel.y_bars), _heights(panel.p_bars), panel.ce_text.get_text())
    panel.set(**{name: 0.9})
    y, p = panel.distributions()
    assert y.sum() == pytest.approx(1) and p.sum() == pytest.approx(1)
    np.testing.assert_allclose(_heights(panel.y_bars), y)
    np.testing.assert_allclose(_heights(panel.p_bars), p)
    assert not np.allclose(before[0 if name[0] == "y" else 1], _heights(panel.y_bars if name[0] == "y" else panel.p_bars))
    ce = scipy_entropy(y) + rel_entr(y, p).sum()
    assert panel.ce_text.get_text() == f"{ce:.3f}"
    panel.close()


def test_divergence_panel_equal_and_infinite_cases():
    panel = DivergencePanel()
    panel.set(p0=0.7, p1=0.2, p2=0.1)  # p = y
    assert panel.kl_bar.get_height() == pytest.approx(0, abs=1e-12)
    assert "KL = 0" in panel.readout.value
    panel.set(p2=0.0)  # y needs horse, p gives it 0
    assert panel.kl_text.get_text() == "∞" and panel.ce_text.get_text() == "∞"
    top = panel.ax_info.get_ylim()[1]
    assert panel.ce_h_bar.get_height() + panel.ce_kl_bar.get_height() == pytest.approx(INF_BAR * top)
    assert panel.kl_bar.get_height() == pytest.approx(INF_BAR * top)
    assert "∞" in panel.readout.value
    panel.set(y0=0, y1=0, y2=0)  # all-zero weights → uniform, not an error
    np.testing.assert_allclose(_heights(panel.y_bars), 1 / 3)


def test_divergence_panel_four_classes_and_validation():
    panel = DivergencePanel(y=(1, 0, 0, 0), p=(0.25, 0.25, 0.25, 0.25))
    assert len(panel.y_bars) == 4 and "y3" in panel.controls
    # one-hot y: H = 0, CE = KL = log 4
    assert panel.h_bar.get_height() == 0.0
    assert panel.ce_text.get_text() == f"{math.log(4):.3f}"
    with pytest.raises(ValueError, match="3 or 4"):
        DivergencePanel(y=(0.5, 0.5), p=(0.5, 0.5))
    with pytest.raises(ValueError, match="≥ 0"):
        normalise_weights([-1, 2])


# -- gradient panel ----------------------------------------------------------------------------

@pytest.mark.parametrize("y", [0, 1])
def test_gradient_panel_curves_and_points(y):
    panel = GradientPanel()
    z = -8.0 if y == 1 else 8.0  # confidently wrong
    panel.set(y=y, z=z)
    s = expit(LOGITS)
    np.testing.assert_allclose(_xy(panel.bce_grad)[1], s - y, atol=1e-15)
    np.testing.assert_allclose(_xy(panel.se_grad)[1], 2 * (s - y) * s * (1 - s), atol=1e-15)
    np.testing.assert_allclose(_xy(panel.se_loss)[1], (s - y) ** 2, atol=1e-15)
    (zc, gc), (zs, gs) = panel.points_grad.get_offsets()
    assert zc == zs == z
    assert abs(gc) > 0.99 and abs(gs) < 1e-3  # CE keeps pushing, squared error has stalled
    assert gc == pytest.approx(expit(z) - y)
    (_, lc), (_, ls) = panel.points_loss.get_offsets()
    assert lc == pytest.approx(8.0, rel=1e-3) and ls == pytest.approx(1.0, rel=1e-3)
    assert "confidently wrong" in panel.readout.value
    x0 = panel.wrong_span.get_x()
    assert (x0 < 0) if y == 1 else (x0 > 0)
    panel.close()


def test_gradient_panel_right_answer_has_no_warning():
    panel = GradientPanel()
    panel.set(z=0.0)
    (_, gc), (_, gs) = panel.points_grad.get_offsets()
    assert gc == pytest.approx(-0.5) and gs == pytest.approx(-0.25)
    assert "p̂ = σ(z) = 0.5000" in panel.ax_grad.get_title()
    assert "confidently wrong" not in panel.readout.value
    panel.close()
