"""Headless tests of the 05_softmax panels: set every control, assert what the figure shows."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit
from scipy.special import log_softmax as sp_log_softmax
from scipy.special import softmax as sp_softmax

from lecture_utils.calibration import fit_temperature, reliability_bins
from lecture_utils.data import load
from lecture_utils.precision import breaking_points
from lecture_utils.widgets.calibration_panel import CalibrationPanel
from lecture_utils.widgets.softmax_panel import SoftmaxPanel
from lecture_utils.widgets.stability_lab import StabilityLab, fmt_value


def heights(container) -> np.ndarray:
    return np.array([p.get_height() for p in container.patches])


# -- SoftmaxPanel ----------------------------------------------------------------------------------

@pytest.fixture
def softmax_panel():
    p = SoftmaxPanel()
    yield p
    p.close()


def test_default_shows_the_lecture_row(softmax_panel):
    np.testing.assert_allclose(heights(softmax_panel.softmax_bars), sp_softmax([5.0, 4.0, 2.0]))
    np.testing.assert_allclose(heights(softmax_panel.sigmoid_bars), expit([5.0, 4.0, 2.0]))
    assert [t.get_text() for t in softmax_panel.value_texts[:3]] == ["0.71", "0.26", "0.04"]
    assert [t.get_text() for t in softmax_panel.ax.get_xticklabels()] == ["cat", "dog", "horse"]


@pytest.mark.parametrize("z1, z2, z3, T", [(1.0, 1.0, 1.0, 1.0), (3.0, 2.5, -4.0, 0.5),
                                           (-2.0, 7.5, 7.4, 3.0), (10.0, -10.0, 0.0, 0.1)])
def test_bars_equal_softmax_and_sigmoid_for_every_control(softmax_panel, z1, z2, z3, T):
    softmax_panel.set(z1=z1, z2=z2, z3=z3, T=T)
    z = np.array([z1, z2, z3]) / softmax_panel.values["T"]
    np.testing.assert_allclose(heights(softmax_panel.softmax_bars), sp_softmax(z), atol=1e-12)
    np.testing.assert_allclose(heights(softmax_panel.sigmoid_bars), expit(z), atol=1e-12)
    np.testing.assert_allclose(heights(softmax_panel.sum_bars), [1.0, expit(z).sum()], atol=1e-12)
    assert softmax_panel.sum_texts[0].get_text() == "1.00"


def test_two_sigmoids_above_half_but_at_most_one_softmax(softmax_panel):
    softmax_panel.set(z1=3.0, z2=3.0, z3=-1.0, T=1.0)
    sig, soft = heights(softmax_panel.sigmoid_bars), heights(softmax_panel.softmax_bars)
    assert (sig > 0.5).sum() == 2 and (soft > 0.5).sum() == 0
    assert "2 sigmoid(s) > 0.5, 0 softmax output(s) > 0.5" in softmax_panel.ax.get_title()
    line = [ln for ln in softmax_panel.ax.lines if ln.get_label() == "0.5"][0]
    assert list(line.get_ydata()) == [0.5, 0.5]


def test_temperature_limits(softmax_panel):
    softmax_panel.set(z1=2.0, z2=1.0, z3=0.0, T=0.1)
    np.testing.assert_allclose(heights(softmax_panel.softmax_bars), [1, 0, 0], atol=1e-4)
    softmax_panel.set(T=10.0)
    np.testing.assert_allclose(heights(softmax_panel.softmax_bars), [1 / 3] * 3, atol=0.04)
    assert "T = 10.00" in softmax_panel.ax.get_title()
    assert "sum 1.000" in softmax_panel.readout.value


def test_softmax_panel_rejects_other_sizes():
    with pytest.raises(ValueError, match="three classes"):
        SoftmaxPanel(z=(1.0, 2.0))


# -- StabilityLab ----------------------------------------------------------------------------------

@pytest.fixture
def lab():
    p = StabilityLab()
    yield p
    p.close()


def texts(items) -> list[str]:
    return [t.get_text() for t in items]


def test_float64_at_1000_naive_is_nan_and_stable_is_exact(lab):
    lab.set(z=1000.0, dtype="float64")
    assert texts(lab.naive_texts)[0] == "nan"
    assert np.isnan(lab.result.naive[0])
    np.testing.assert_array_equal(heights(lab.stable_bars), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(heights(lab.stable_bars), sp_softmax([1000.0, 4.0, 2.0]), atol=0)
    assert texts(lab.stable_texts) == ["1", "0", "0"]
    assert "nan" in lab.readout.value and "−inf" in lab.readout.value and "-998" in lab.readout.value
    # right: −log(softmax) has become +inf (marker shown), −log_softmax is the finite 998
    mx, my = lab.log_inf_marker.get_data()
    assert len(mx) == 1 and 700 < mx[0] < 800
    px, py = lab.z_points.get_data()
    assert list(py) == pytest.approx([998.0])
    x, y = lab.logsm_line.get_data()
    np.testing.assert_allclose(y, -sp_log_softmax(np.column_stack([x, np.full_like(x, 4), np.full_like(x, 2)]), axis=1)[:, 2],
                               rtol=1e-12)


def test_float64_below_the_threshold_both_agree(lab):
    lab.set(z=500.0, dtype="float64")
    want = sp_softmax([500.0, 4.0, 2.0])
    np.testing.assert_allclose(heights(lab.naive_bars), want, rtol=1e-12)
    np.testing.assert_allclose(heights(lab.stable_bars), want, rtol=1e-12)
    assert "nan" not in texts(lab.naive_texts)
    px, py = lab.z_points.get_data()
    assert len(py) == 2 and py[0] == pytest.approx(py[1])  # log(softmax) still finite and equal


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_each_dtype_breaks_at_its_own_threshold(lab, dtype):
    t = breaking_points(dtype).naive_overflow
    lab.set(dtype=dtype, z=0.9 * t)
    assert "nan" not in texts(lab.naive_texts)
    lab.set(z=1.1 * t)
    assert texts(lab.naive_texts)[0] == "nan"
    assert all(np.isfinite(heights(lab.stable_bars)))
    assert heights(lab.stable_bars).sum() == pytest.approx(1.0, abs=1e-3)
    assert list(lab.overflow_line.get_xdata()) == pytest.approx([t, t])
    assert list(lab.z_line.get_xdata()) == pytest.approx([lab.values["z"]] * 2)
    assert dtype in lab.ax_probs.get_title()


def test_float32_at_50_is_fine_but_float16_is_not(lab):
    lab.set(z=50.0, dtype="float32")
    assert "nan" not in texts(lab.naive_texts)
    lab.set(dtype="float16")
    assert texts(lab.naive_texts)[0] == "nan"
    assert lab.result.stable.dtype == np.float16
    # float16 log(softmax) already −inf for the horse at z = 50, log_softmax still finite
    assert lab.result.log_of_softmax[2] == -np.inf and np.isfinite(lab.result.log_softmax[2])
    mx, _ = lab.log_inf_marker.get_data()
    assert 15 < mx[0] < 25


def test_fmt_value():
    assert [fmt_value(v) for v in (np.nan, np.inf, -np.inf, 0.0, 0.123456)] == ["nan", "inf", "−inf", "0", "0.12"]


# -- CalibrationPanel ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def calib():
    return load("calibration")


@pytest.fixture
def cal_panel(calib):
    fit = fit_temperature(calib.logits_val, calib.y_val)
    p = CalibrationPanel(calib.logits_test, calib.y_test, fitted_temperature=fit.temperature)
    p.fit = fit
    yield p
    p.close()


def bar_state(panel):
    bars = panel.reliability.bars.patches
    shown = [b for b in bars if b.get_visible()]
    return np.array([b.get_x() for b in shown]), np.array([b.get_height() for b in shown])


@pytest.mark.parametrize("T, n_bins", [(1.0, 10), (2.5, 10), (0.5, 5), (4.0, 20), (1.7, 13)])
def test_reliability_bars_are_the_bin_accuracies(cal_panel, calib, T, n_bins):
    cal_panel.set(T=T, n_bins=n_bins)
    T = cal_panel.values["T"]
    want = reliability_bins(sp_softmax(calib.logits_test / T, axis=1), calib.y_test, n_bins)
    full = want.counts > 0
    x, h = bar_state(cal_panel)
    np.testing.assert_allclose(h, want.accuracy[full], atol=1e-12)
    np.testing.assert_allclose(x, want.edges[:-1][full], atol=1e-12)
    assert all(b.get_width() == pytest.approx(1 / n_bins)
               for b in cal_panel.reliability.bars.patches if b.get_visible())
    assert f"ECE = {want.ece:.3f}" in cal_panel.ax_rel.get_title()
    assert cal_panel.ece_point.get_data()[1][0] == pytest.approx(want.ece)
    assert list(cal_panel.t_line.get_xdata()) == pytest.approx([T, T])


def test_fitted_temperature_lowers_ece_and_keeps_accuracy(cal_panel):
    cal_panel.set(T=1.0)
    ece_before, title_before = cal_panel.bins.ece, cal_panel.ax_ece.get_title()
    cal_panel.set(T=cal_panel.fit.temperature)
    assert cal_panel.bins.ece < 0.5 * ece_before
    acc = lambda s: s.split("accuracy ")[1].split(" ")[0]  # noqa: E731
    assert acc(cal_panel.ax_ece.get_title()) == acc(title_before)
    fitted = [ln for ln in cal_panel.ax_nll.lines if ln.get_label().startswith("fitted T")]
    assert fitted and fitted[0].get_xdata()[0] == pytest.approx(cal_panel.fit.temperature)


def test_ece_curve_follows_the_number_of_bins(cal_panel, calib):
    cal_panel.set(n_bins=7)
    T_grid = cal_panel.ece_line.get_xdata()
    i = 20
    want = reliability_bins(sp_softmax(calib.logits_test / T_grid[i], axis=1), calib.y_test, 7).ece
    assert cal_panel.ece_line.get_ydata()[i] == pytest.approx(want)
    nll = -np.mean(sp_log_softmax(calib.logits_test / T_grid[i], axis=1)[np.arange(1000), calib.y_test])
    assert cal_panel.nll_line.get_ydata()[i] == pytest.approx(nll)
    assert "7 bins" in cal_panel.readout.value


def test_calibration_panel_checks_its_input():
    with pytest.raises(ValueError, match="one entry per row"):
        CalibrationPanel(np.zeros((4, 3)), [0, 1])


def test_layout_is_solved_once_then_frozen(softmax_panel):
    fig = softmax_panel.fig
    softmax_panel.set(z1=1.0)  # a second draw: the freeze has happened by now
    assert fig.get_layout_engine() is None or type(fig.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"
    before = softmax_panel.ax.get_position().bounds
    softmax_panel.set(z1=-3.0, T=0.2)
    assert softmax_panel.ax.get_position().bounds == before
    assert before != (0.125, 0.11, 0.775, 0.77)  # not matplotlib's default: constrained layout ran


# -- review fixes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_log_softmax_title_names_the_z_where_the_triangle_appears(lab, dtype):
    """The title's threshold is where log(softmax) really turns −inf (not one rounding step early)."""
    from lecture_utils.widgets.stability_lab import log_inf_from

    z_inf = log_inf_from(dtype)
    lab.set(dtype=dtype, z=min(1000.0, z_inf * 1.02))
    assert f"beyond z ≈ {z_inf:.1f}" in lab.ax_loss.get_title()
    assert "−inf" in lab.readout.value
    lab.set(z=z_inf * 0.98)
    assert "log(softmax) = −inf" not in lab.readout.value
    mx, _ = lab.log_inf_marker.get_data()
    assert len(mx) == 1 and mx[0] == pytest.approx(z_inf, rel=0.03)  # the marker sits on the 1 … 1000 grid


def test_float64_threshold_is_745_gap_not_744():
    """P = e^(−gap) rounds to 0 only below half the smallest subnormal: gap ≈ 745.13, not 744.44."""
    from lecture_utils.widgets.stability_lab import log_inf_from

    tiny = float(np.finfo(np.float64).smallest_subnormal)
    assert log_inf_from("float64") - 2.0 == pytest.approx(np.log(2.0) - np.log(tiny), abs=1e-3)


def test_temperature_one_lies_on_the_calibration_slider_grid(cal_panel, calib):
    """In the browser the handle sits at min + k·step: T = 1 must be one of those positions, so the
    panel's ECE at "T = 1.00" is the ECE the notebook prints for T = 1."""
    s = cal_panel.controls["T"]
    k = (0.0 - s.min) / s.step
    assert k == pytest.approx(round(k), abs=1e-9)
    assert s.base ** s.min == pytest.approx(0.25) and s.base ** s.max == pytest.approx(8.0)
    cal_panel.set(T=s.base ** (s.min + round(k) * s.step))
    want = reliability_bins(sp_softmax(calib.logits_test, axis=1), calib.y_test, 10).ece
    assert f"ECE = {want:.3f}" in cal_panel.readout.value


# -- issue 12: presets of the stability lab, the over-fitting panel, legends off the bars ----------

@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_preset_buttons_reach_both_sides_of_each_break(lab, dtype):
    """The overflow near 710 is two key presses away (Tab, Enter), not 600 arrow presses."""
    from lecture_utils.widgets.stability_lab import log_inf_from, preset_logits

    lab.set(dtype=dtype)
    t = breaking_points(dtype).naive_overflow
    labels = [b.description for b in lab.preset_buttons]
    assert labels == [text for text, _ in preset_logits(dtype)] and labels[0] == "5" and labels[-1] == "1000"
    lab.preset_buttons[1].click()
    assert lab.values["z"] == pytest.approx(0.99 * t) and "nan" not in texts(lab.naive_texts)
    lab.preset_buttons[2].click()
    assert lab.values["z"] == pytest.approx(1.01 * t) and texts(lab.naive_texts)[0] == "nan"
    assert f"{1.01 * t:.4g}: nan" == labels[2]
    lab.preset_buttons[3].click()
    assert "log(softmax) = −inf" not in lab.readout.value
    lab.preset_buttons[4].click()
    assert lab.values["z"] == pytest.approx(min(1.01 * log_inf_from(dtype), 1000.0))
    assert "log(softmax) = −inf" in lab.readout.value
    lab.preset_buttons[0].click()
    assert lab.values["z"] == pytest.approx(5.0)


def test_preset_buttons_are_shown_with_the_controls(lab):
    shown = lab.widget.children[0].children
    rows = [w for w in shown if getattr(w, "children", None) and lab.preset_buttons[0] in w.children]
    assert len(rows) == 1 and list(rows[0].children[1:]) == lab.preset_buttons


@pytest.fixture
def overfit(calib):
    from lecture_utils.widgets.overfitting_panel import OverfittingPanel

    p = OverfittingPanel(calib)
    yield p
    p.close()


def _net(ds, X, c):  # independent of lecture_utils.forward_pass
    return np.maximum(X @ ds.W1[c] + ds.b1[c], 0.0) @ ds.W2[c] + ds.b2[c]


@pytest.mark.parametrize("epoch", [0, 10, 30, 1000])
def test_overfitting_panel_shows_the_network_at_each_epoch(overfit, calib, epoch):
    overfit.set(epoch=epoch)
    c = list(calib.checkpoint_epochs).index(epoch)
    P = sp_softmax(_net(calib, calib.X_test, c), axis=1)
    want = reliability_bins(P, calib.y_test, 10)
    full = want.counts > 0
    x, h = bar_state(overfit)
    np.testing.assert_allclose(h, want.accuracy[full], atol=1e-12)
    acc = np.mean(P.argmax(axis=1) == calib.y_test)
    nll = -np.mean(np.log(P[np.arange(1000), calib.y_test]))
    assert acc == pytest.approx(calib.test_acc[epoch]) and nll == pytest.approx(calib.test_loss[epoch])
    assert list(overfit.epoch_line.get_xdata()) == [epoch, epoch]
    assert overfit.loss_point.get_data()[1][0] == pytest.approx(nll)
    assert overfit.acc_point.get_data()[1][0] == pytest.approx(acc)
    assert f"ECE = {want.ece:.3f}" in overfit.ax_rel.get_title()
    assert f"test accuracy <b>{acc:.3f}</b>" in overfit.readout.value


def test_overfitting_panel_curves_are_the_history(overfit, calib):
    from lecture_utils.plotting.losses import find_artist

    for gid in ("train_loss", "test_loss"):
        x, y = find_artist(overfit.ax_curves, gid).get_data()
        np.testing.assert_array_equal(x, calib.epoch) and np.testing.assert_array_equal(y, calib[gid])
    for gid in ("train_acc", "test_acc"):
        np.testing.assert_array_equal(find_artist(overfit.ax_acc, gid).get_ydata(), calib[gid])
    first = int(np.argmax(calib.train_acc == 1.0))
    line = find_artist(overfit.ax_curves, "100%")
    assert list(line.get_xdata()) == [first, first] and f"epoch {first}" in line.get_label()
    assert overfit.controls["epoch"].options == tuple(int(e) for e in calib.checkpoint_epochs)


def test_over_confidence_grows_while_accuracy_stays(overfit, calib):
    first = int(np.argmax(calib.train_acc == 1.0))
    after = [e for e in calib.checkpoint_epochs if e >= first]
    stats = []
    for e in after:
        overfit.set(epoch=int(e))
        stats.append(dict(overfit.stats))
    assert max(s["test_acc"] for s in stats) - min(s["test_acc"] for s in stats) < 0.03
    assert stats[-1]["test_nll"] > 1.5 * stats[0]["test_nll"] and stats[-1]["ece"] > 1.8 * stats[0]["ece"]
    assert all(b["confidence"] >= a["confidence"] for a, b in zip(stats, stats[1:]))


def test_overfitting_panel_rejects_an_epoch_it_does_not_store(calib):
    from lecture_utils.widgets.overfitting_panel import OverfittingPanel

    with pytest.raises(ValueError, match="stored checkpoints"):
        OverfittingPanel(calib, epoch=4)


@pytest.mark.parametrize("which", ["calibration", "overfitting"])
def test_reliability_legend_sits_below_the_bars(cal_panel, overfit, which):
    """The legend used to cover the top of the bars near the upper left corner."""
    panel = cal_panel if which == "calibration" else overfit
    panel.fig.canvas.draw()
    ax = panel.reliability.ax
    legend, box = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend.y1 < box.y0  # entirely under the axes, below the x tick labels' baseline
    assert box.x0 - 5 < (legend.x0 + legend.x1) / 2 < box.x1 + 5
