"""Headless tests of the 06_cross_entropy panels: set each control, read the figure back."""

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


# -- issue 12: the BCE label off the curves, sliders that show what is plotted, a scoring rule ------

@pytest.mark.parametrize("y, p_hat", [(1, 0.8), (1, 0.5), (1, 0.02), (1, 0.995), (0, 0.8), (0, 0.2),
                                      (0, 0.97), (0, 0.005)])
def test_bce_label_never_sits_on_a_curve(y, p_hat):
    panel = BCEPanel(p_hat=p_hat, y=y)
    panel.fig.canvas.draw()
    renderer = panel.fig.canvas.get_renderer()
    box = panel.label.get_bbox_patch().get_window_extent(renderer)
    for curve in (panel.curve_y0, panel.curve_y1):
        pts = panel.ax.transData.transform(np.column_stack(_xy(curve)))
        inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)
        assert not inside.any(), f"label over the {curve.get_gid()} curve"
    assert panel.label.xy == pytest.approx((p_hat, min(compute_bce_point(y, p_hat)[0], 6.0)))
    assert f"{compute_bce_point(y, p_hat)[0]:.3f}" in panel.label.get_text()
    panel.close()


@pytest.mark.parametrize("name, value", [("y0", 0.5), ("y1", 0.0), ("p2", 0.9), ("p0", 1.0), ("y2", 0.35)])
def test_divergence_sliders_show_the_plotted_probabilities(name, value):
    """A slider moved by the student keeps its value; the others of its distribution make room."""
    panel = DivergencePanel()
    group = name[0]
    others_before = np.array([panel.values[f"{group}{j}"] for j in range(3) if f"{group}{j}" != name])
    panel.controls[name].value = value            # as a key press in the browser would
    shown = np.array([panel.values[f"{group}{j}"] for j in range(3)])
    bars = _heights(panel.y_bars if group == "y" else panel.p_bars)
    np.testing.assert_allclose(bars, shown, atol=1e-15)      # the sliders' numbers are the bars
    assert shown.sum() == pytest.approx(1.0) and panel.values[name] == value
    others = np.delete(shown, int(name[1]))
    if others_before.sum() > 0 and value < 1:  # in proportion, to the sliders' 0.01 grid
        exact = others_before / others_before.sum() * (1 - value)
        assert np.all(np.abs(others - exact) < 0.01 + 1e-12), (others, exact)
        assert np.allclose(others * 100, np.round(others * 100), atol=1e-9)
    y, p = panel.distributions()
    ce = scipy_entropy(y) + rel_entr(y, p).sum()
    assert panel.ce_text.get_text() == ("∞" if not np.isfinite(ce) else f"{ce:.3f}")
    panel.close()


def test_divergence_rest_is_shared_when_the_others_are_zero_and_one_redraw_per_move():
    panel = DivergencePanel(y=(1.0, 0.0, 0.0))
    count = panel.update_count
    panel.controls["y0"].value = 0.4
    assert panel.update_count == count + 1                     # siblings moved without redraws
    assert [panel.values[f"y{j}"] for j in range(3)] == pytest.approx([0.4, 0.3, 0.3])
    panel.set(p0=0.4, p1=0.2, p2=0.2)                         # a whole distribution: normalised
    assert [panel.values[f"p{j}"] for j in range(3)] == pytest.approx([0.5, 0.25, 0.25])
    with pytest.raises(KeyError, match="unknown control"):
        panel.set(q0=1.0)
    panel.close()


from lecture_utils.information import bernoulli_expected_accuracy, bernoulli_expected_ce  # noqa: E402
from lecture_utils.widgets.scoring_rule_panel import ScoringRulePanel  # noqa: E402


@pytest.mark.parametrize("q, p", [(0.7, 0.9), (0.3, 0.3), (0.05, 0.6), (0.5, 0.5), (0.99, 0.01)])
def test_scoring_rule_panel_curves_and_points(q, p):
    panel = ScoringRulePanel(q=q, p=p)
    grid, ce = _xy(panel.ce_curve)
    want = -(q * np.log(grid) + (1 - q) * np.log1p(-grid))        # written out independently
    np.testing.assert_allclose(ce, want, rtol=1e-12)
    assert grid[np.argmin(ce)] == pytest.approx(q, abs=1e-3)      # minimised at p = q ...
    h = scipy_entropy([q, 1 - q])
    assert ce.min() == pytest.approx(h, abs=1e-5)                  # ... where it is H(q)
    assert list(panel.entropy_line.get_ydata()) == pytest.approx([h, h])
    assert _xy(panel.minimum)[0][0] == pytest.approx(q)
    e_ce = -(q * math.log(p) + (1 - q) * math.log(1 - p))
    assert _xy(panel.ce_point)[1][0] == pytest.approx(min(e_ce, 2.5))
    gx, gy = _xy(panel.kl_gap)
    assert gy[1] - gy[0] == pytest.approx(min(e_ce, 2.5) - h) and list(gx) == [p, p]
    assert gy[1] - gy[0] <= rel_entr([q, 1 - q], [p, 1 - p]).sum() + 1e-12
    acc = q if p > 0.5 else 1 - q if p < 0.5 else 0.5
    ax_, ay = _xy(panel.acc_curve)
    np.testing.assert_allclose(ay, np.where(ax_ > 0.5, q, np.where(ax_ < 0.5, 1 - q, 0.5)))
    assert _xy(panel.acc_point)[1][0] == pytest.approx(acc)
    assert f"E[accuracy] = <b>{acc:.2f}</b>" in panel.readout.value
    assert f"lowest at p = {q:.3f}" in panel.ax_ce.get_title()
    panel.close()


def test_accuracy_is_flat_on_each_side_of_a_half_but_cross_entropy_is_not():
    panel = ScoringRulePanel(q=0.7, p=0.6)
    first = (panel.readout.value, _xy(panel.acc_point)[1][0], _xy(panel.ce_point)[1][0])
    panel.set(p=0.99)
    assert _xy(panel.acc_point)[1][0] == first[1]                  # accuracy: no difference
    assert _xy(panel.ce_point)[1][0] > first[2] + 0.5              # CE: over-confidence costs
    panel.set(p=0.7)
    assert "honest prediction pays least" in panel.readout.value
    panel.close()


def test_bernoulli_expected_losses_validate_and_handle_the_ends():
    assert bernoulli_expected_ce(1.0, 1.0) == 0.0 and bernoulli_expected_ce(0.0, 0.0) == 0.0
    assert np.isinf(bernoulli_expected_ce(0.5, 0.0)) and np.isinf(bernoulli_expected_ce(0.5, 1.0))
    assert bernoulli_expected_accuracy([0.2, 0.2, 0.2], [0.1, 0.5, 0.9]).tolist() == [0.8, 0.5, 0.2]
    with pytest.raises(ValueError, match="q must be a probability"):
        bernoulli_expected_ce(1.5, 0.5)
    with pytest.raises(ValueError, match="broadcastable"):
        bernoulli_expected_accuracy([0.1, 0.2], [0.1, 0.2, 0.3])
    from lecture_utils.plotting.losses import plot_scoring_rule
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        plot_scoring_rule(1.0)


def test_divergence_corrections_sit_on_the_slider_grid_and_browser_echoes_settle():
    """The panel's corrections are multiples of the sliders' step (a browser slider snaps any
    other value and sends it back); a value less than half a step from the one the kernel set is
    such an echo and moves nothing else. Before: after a burst of key presses in Chromium the
    sliders chased each other for ever (y: cat 0.72 ↔ 0.91, 12 redraws/s)."""
    panel = DivergencePanel()
    for value in (0.72, 0.73, 0.91, 0.05, 0.34):
        panel.controls["y0"].value = value
        ys = [panel.values[f"y{j}"] for j in range(3)]
        assert sum(ys) == pytest.approx(1.0, abs=1e-12)
        assert np.allclose(np.array(ys[1:]) * 100, np.round(np.array(ys[1:]) * 100), atol=1e-9)
    panel.set(y0=0.333)  # off the grid (only from code): the others keep the exact proportion
    assert sum(panel.values[f"y{j}"] for j in range(3)) == pytest.approx(1.0, abs=1e-12)
    before = {n: panel.values[n] for n in ("y1", "y2")}
    count = panel.update_count
    y1 = panel.controls["y1"]
    with y1._lock_property(value=before["y1"] + 1e-16):  # as ipywidgets applies a browser update
        y1.value = before["y1"] + 1e-16
    assert panel.values["y2"] == before["y2"]          # not rebalanced
    assert panel.update_count == count + 1             # drawn once
    panel.close()
