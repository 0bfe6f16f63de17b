"""Headless tests of the notebook-03 panels: set each control, assert what the figure shows."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.approximation import CHALLENGE_THRESHOLD, bump, bump_network, get_target, relu_network
from lecture_utils.widgets.approximation_panel import ApproximationPanel
from lecture_utils.widgets.bump_panel import BumpPanel
from lecture_utils.widgets.challenge_panel import ChallengePanel
from lecture_utils.widgets.relu_panel import ReluPanel
from lecture_utils.widgets.step_panel import StepPanel
from lecture_utils.widgets.towers_panel import TowersPanel, towers_target
from lecture_utils.towers import towers_network_2d


@pytest.mark.parametrize("w,b", [(50.0, -15.0), (200.0, -120.0), (-40.0, 10.0), (8.0, -4.0)])
def test_step_sits_at_minus_b_over_w(make, w, b):
    p = make(StepPanel).set(w=w, b=b)
    s = -b / w
    assert p.step_line.get_xdata()[0] == pytest.approx(s)
    assert list(p.half_marker.get_data()[0]) == [pytest.approx(s)]
    x, y = p.line.get_data()
    assert np.interp(s, x, y) == pytest.approx(0.5, abs=0.02)
    assert f"{s:.3f}" in p.readout.value and ("up" if w > 0 else "down") in p.ax.get_title()


def test_step_panel_w_zero(make):
    p = make(StepPanel).set(w=0.0, b=3.0)
    assert not p.step_line.get_visible() and "constant" in p.readout.value


def test_bump_panel_shows_the_bump_and_its_two_neurons(make):
    p = make(BumpPanel).set(left=0.2, right=0.5, height=0.7, w=300.0)
    x, y = p.line.get_data()
    np.testing.assert_allclose(y, bump(x, 0.2, 0.5, 0.7, 300.0))
    assert y[np.argmin(abs(x - 0.35))] == pytest.approx(0.7, abs=1e-6)
    assert y[np.argmin(abs(x - 0.8))] == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(p.rise_line.get_ydata() + p.fall_line.get_ydata(), y, atol=1e-12)
    assert "-60.0" in p.readout.value and "-150.0" in p.readout.value


@pytest.mark.parametrize("target", ["sine", "abs", "wiggly", "step", "piecewise"])
def test_approximation_panel_draws_target_and_network(make, target):
    p = make(ApproximationPanel).set(target=target, n=12)
    x = p.net_line.get_xdata()
    np.testing.assert_allclose(p.net_line.get_ydata(), bump_network(target, 12)(x))
    np.testing.assert_allclose(p.target_line.get_ydata(), get_target(target)(x))
    assert f"{p.errors['max_abs']:.4f}" in p.readout.value


def test_approximation_error_falls_as_n_grows(make):
    p = make(ApproximationPanel, target="wiggly")
    errs = [p.set(n=n).errors["mean_abs"] for n in (2, 8, 32, 100)]
    assert errs == sorted(errs, reverse=True)
    assert p.n_marker.get_data()[0][0] == 100
    curve = p.max_line.get_ydata()
    assert curve[-1] < curve[0] / 10  # the log-log plot falls


def test_relu_panel_views(make):
    p = make(ReluPanel).set(view="ramp", left=0.2, right=0.6)
    x, y = p.line.get_data()
    np.testing.assert_allclose(y, np.interp(x, [0.2, 0.6], [0, 1]), atol=1e-12)
    assert sum(len(l.get_xdata()) > 0 for l in p.unit_lines) == 2
    p.set(view="hat")
    np.testing.assert_allclose(p.line.get_ydata(), np.interp(x, [0.2, 0.4, 0.6], [0, 1, 0]), atol=1e-12)
    assert sum(len(l.get_xdata()) > 0 for l in p.unit_lines) == 3
    p.set(view="network", target="sine", n=6)
    np.testing.assert_allclose(p.line.get_ydata(), relu_network("sine", 6)(x))
    assert len(p.knot_markers.get_xdata()) == 7
    e6 = p.errors["max_abs"]
    assert p.set(n=24).errors["max_abs"] < e6 / 8  # ≈ 1/N²
    assert p.relu_line.get_ydata()[-1] < p.sig_line.get_ydata()[-1]


def test_towers_panel_views(make):
    p = make(TowersPanel).set(view="neuron", w1=10.0, w2=0.0, b=-5.0)
    Z = p.image.get_array()
    assert Z[:, p.grid < 0.4].max() < 0.5 < Z[:, p.grid > 0.6].min()  # a step across x1 = 0.5
    assert p.boundary.get_xdata()[0] == pytest.approx(0.5)
    assert p.controls["n"].disabled and not p.controls["w1"].disabled
    p.set(view="cross")
    assert p.image.get_array().max() == pytest.approx(2.0, abs=1e-3)
    p.set(view="tower")
    Z = p.image.get_array()
    mid, edge = 60, 6  # pixels at 0.5 and 0.05
    assert Z[mid, mid] == pytest.approx(1.0, abs=1e-3) and Z[mid, edge] < 1e-3 and Z[edge, edge] < 1e-3
    assert "second" in p.readout.value
    np.testing.assert_allclose(p.right_image.get_array(), towers_target(p.X1, p.X2))


def test_towers_panel_one_copy_fails_at_the_corners_copies_repair(make):
    p = make(TowersPanel, view="towers", n=6, copies=1)
    assert p.controls["w1"].disabled and not p.controls["copies"].disabled
    Z = p.image.get_array()
    np.testing.assert_allclose(Z, towers_network_2d(towers_target, 6, p.X1, p.X2, copies=1))
    err = np.asarray(p.right_image.get_array())
    np.testing.assert_allclose(err, np.abs(Z - towers_target(p.X1, p.X2)))
    assert p.errors["max_abs"] > 0.8 and "cell corner" in p.readout.value
    # the circle marks the worst pixel, which sits on a corner k/6 of the grid
    (cx,), (cy,) = p.worst_marker.get_data()
    assert min(abs(cx * 6 - round(cx * 6)), abs(cy * 6 - round(cy * 6))) < 1e-9
    maxes = [p.set(copies=m).errors["max_abs"] for m in (1, 2, 6)]
    assert maxes[0] > maxes[1] > maxes[2] and maxes[2] < 0.25
    assert "70 step units" in p.readout.value and "281 threshold units" in p.readout.value
    repaired = [p.set(n=n, copies=n).errors["max_abs"] for n in (3, 6, 12, 24)]
    assert all(a > b for a, b in zip(repaired, repaired[1:])), repaired
    means = [p.set(n=n, copies=n).errors["mean_abs"] for n in (2, 5, 12)]
    assert means[0] > means[1] > means[2]


@pytest.mark.parametrize("n,copies", [(11, 1), (7, 1), (9, 3), (6, 1), (1, 1)])
def test_towers_panel_max_includes_the_corners_between_its_pixels(make, n, copies):
    """The panel's grid has spacing 1/120, so the corners k/11 or k/7 are not pixels: the read-out's
    max must still be the network's max (grid and every cell corner, as towers_error_vs_n takes it),
    and the circle must sit where it is reached."""
    from lecture_utils.towers import towers_error_vs_n
    p = make(TowersPanel, view="towers", n=n, copies=copies)
    want = towers_error_vs_n(towers_target, [n], copies=copies, n_grid=len(p.grid))["max_abs"][0]
    assert p.errors["max_abs"] == pytest.approx(want, rel=1e-12)
    assert f"{want:.3f}" in p.readout.value
    (cx,), (cy,) = p.worst_marker.get_data()
    got = towers_network_2d(towers_target, n, np.array([cx]), np.array([cy]), copies=copies)[0]
    assert abs(got - towers_target(cx, cy)) == pytest.approx(want, rel=1e-9)
    if copies == 1 and n > 1:  # one copy: the worst error is a failure window at a corner k/n
        assert min(abs(cx * n - round(cx * n)), abs(cy * n - round(cy * n))) < 1e-9
        assert want > 0.8


def test_challenge_panel_scores_and_solves(make):
    p = make(ChallengePanel)
    assert not p.solved and "keep tuning" in p.readout.value
    p.set(h1=0.22, h2=0.195, h3=0.416, h4=0.272, h5=0.767)
    assert p.solved and p.score < CHALLENGE_THRESHOLD and "solved" in p.readout.value
    assert p.heights == pytest.approx([0.22, 0.2, 0.42, 0.27, 0.77], abs=0.006)
    x, y = p.net_line.get_data()
    assert y[np.argmin(abs(x - 0.1))] == pytest.approx(p.heights[0], abs=1e-6)
