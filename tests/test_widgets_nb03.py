"""Headless tests of the notebook-03 panels: set each control, assert what the figure shows."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.approximation import (CHALLENGE_THRESHOLD, bump, bump_network, get_target,
                                         relu_network)
from lecture_utils.fitting import forward_1d
from lecture_utils.widgets.approximation_panel import ApproximationPanel
from lecture_utils.widgets.bump_panel import BumpPanel
from lecture_utils.widgets.challenge_panel import ChallengePanel
from lecture_utils.widgets.fit_panel import TARGET_MSE, FitPanel
from lecture_utils.widgets.relu_panel import ReluPanel
from lecture_utils.widgets.step_panel import StepPanel
from lecture_utils.widgets.towers_panel import TowersPanel, towers_target


@pytest.fixture
def make():
    panels = []

    def _make(cls, **kw):
        p = cls(**kw)
        panels.append(p)
        return p

    yield _make
    for p in panels:
        p.close()


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
    p.set(view="cross")
    assert p.image.get_array().max() == pytest.approx(2.0, abs=1e-3)
    p.set(view="tower")
    Z = p.image.get_array()
    assert Z[40, 40] == pytest.approx(1.0, abs=1e-3) and Z[40, 5] < 1e-3 and Z[5, 5] < 1e-3
    errs = [p.set(view="towers", n=n).errors["mean_abs"] for n in (2, 5, 12)]
    assert errs[0] > errs[1] > errs[2]
    assert np.abs(p.image.get_array() - towers_target(p.X1, p.X2)).mean() == pytest.approx(errs[2])


def test_challenge_panel_scores_and_solves(make):
    p = make(ChallengePanel)
    assert not p.solved and "keep tuning" in p.readout.value
    p.set(h1=0.22, h2=0.195, h3=0.416, h4=0.272, h5=0.767)
    assert p.solved and p.score < CHALLENGE_THRESHOLD and "solved" in p.readout.value
    assert p.heights == pytest.approx([0.22, 0.2, 0.42, 0.27, 0.77], abs=0.006)
    x, y = p.net_line.get_data()
    assert y[np.argmin(abs(x - 0.1))] == pytest.approx(p.heights[0], abs=1e-6)


def test_fit_panel_trains_to_the_target_and_redraws(make):
    p = make(FitPanel, max_steps=1500)
    assert p.state.t == 0 and p.state.loss > TARGET_MSE
    stats = p.train()
    assert p.state.loss <= TARGET_MSE and p.reached_step is not None and p.reached_step <= 1500
    assert stats.redraws >= p.state.t // (p.steps_per_chunk * 2)  # one redraw per frame
    x, y = p.fit_line.get_data()
    np.testing.assert_allclose(y, forward_1d(p.state.params, x, "tanh"))
    assert len(p.loss_line.get_xdata()) == p.state.t
    losses = np.asarray(p.loss_line.get_ydata())
    assert losses[-1] < losses[0] / 100
    assert p.comparison["trained"]["mse"] < p.comparison["constructed"]["mse"]
    # the x range only changes the view: training is kept, the fit is drawn outside [0, 1]
    t = p.state.t
    p.set(x_range="wide")
    assert p.state.t == t and p.fit_line.get_xdata()[0] == pytest.approx(-0.5)
    # a new N resets the network
    p.set(n=5)
    assert p.state.t == 0 and p.state.n_hidden == 5


def test_fit_panel_stop_button_and_budget(make):
    p = make(FitPanel, max_steps=200)
    p.loop.stop_button.click()  # before a run: ignored
    stats = p.train()
    assert stats.reason == "done" and p.state.t == 200 and p.loop.progress.value == 100
    p.set(activation="relu")
    assert p.state.activation == "relu" and p.state.t == 0
    np.testing.assert_allclose(p.built_line.get_ydata(), relu_network("sine", 20)(p.built_line.get_xdata()))


def test_fit_panel_widget_has_the_training_controls(make):
    p = make(FitPanel)
    kids = p.widget.children[0].children
    assert p.loop.widget in kids and p.readout in kids
