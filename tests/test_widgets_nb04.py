"""Headless tests of the notebook-04 panels (polynomial activations, constructed versus trained,
the sawtooth): set each control, assert what the figure shows."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.approximation import get_target, relu_network
from lecture_utils.expressivity import one_layer_best_fit, sawtooth
from lecture_utils.fitting import forward_1d
from lecture_utils.widgets.fit_panel import TARGET_MSE, FitPanel
from lecture_utils.widgets.polynomial_panel import PolynomialPanel
from lecture_utils.widgets.sawtooth_panel import SHOWN_UNITS, SawtoothPanel


def test_polynomial_panel_fit_stays_a_polynomial(make):
    p = make(PolynomialPanel, target="abs", activation="square")
    for n in (2, 10, 40):
        p.set(n=n)
        x, y = p.fit_line.get_data()
        ref = np.polyval(np.polyfit(x, get_target("abs")(x), 2), x)
        np.testing.assert_allclose(y, ref, atol=1e-8)
        assert "degree ≤ 2 whatever N" in p.readout.value
    sq = p.error_lines["square"].get_ydata()
    assert np.ptp(sq[1:]) < 1e-8                      # flat in N (from N = 2 on)
    p.set(activation="relu", n=9)
    x, y = p.fit_line.get_data()
    np.testing.assert_allclose(y, one_layer_best_fit("abs", 9, "relu")["y_hat"])
    assert "not a polynomial" in p.readout.value and p.fit["max_abs"] < sq[-1]
    assert p.n_marker.get_data()[0][0] == 9
    assert p.error_lines["relu"].get_ydata()[-1] < p.error_lines["relu"].get_ydata()[2]
    p.set(activation="identity", target="step")
    assert "degree ≤ 1" in p.readout.value
    np.testing.assert_allclose(p.fit_line.get_ydata(),
                               np.polyval(np.polyfit(x, get_target("step")(x), 1), x), atol=1e-8)


@pytest.mark.parametrize("k", [1, 3, 6, 8])
def test_sawtooth_panel_draws_both_networks_and_counts(make, k):
    p = make(SawtoothPanel).set(k=k)
    x, y = p.deep_line.get_data()
    np.testing.assert_allclose(y, sawtooth(x, k), atol=1e-12)
    np.testing.assert_allclose(p.shallow_line.get_ydata(), y, atol=1e-9)
    assert len(p.kink_markers.get_xdata()) == 2**k - 1
    c = p.counts
    assert c["pieces_deep"] == c["pieces_shallow"] == 2**k and c["deep"] == 2 * k
    assert f"<b>{2**k}</b> linear pieces" in p.readout.value and f"<b>{2 * k}</b> ReLUs" in p.readout.value
    assert len(p.deep_nodes.get_offsets()) == 2 * k + 2            # input, k layers of 2, output
    assert len(p.deep_edges.get_segments()) == 2 + 4 * (k - 1) + 2
    shown = min(2**k, SHOWN_UNITS)
    assert len(p.shallow_nodes.get_offsets()) == shown + 2
    assert p.shallow_note.get_visible() == (2**k > SHOWN_UNITS)
    assert list(p.k_markers.get_ydata()) == [2 * k, 2**k]


def test_new_panels_in_the_package_docstring():
    import lecture_utils.widgets as w
    assert "polynomial_panel.PolynomialPanel" in w.__doc__ and "sawtooth_panel.SawtoothPanel" in w.__doc__


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


def test_fit_panel_status_counts_gradient_steps_and_resets(make):
    p = make(FitPanel, max_steps=200)
    assert "untrained" in p.loop.status.value
    p.train()
    assert p.loop.status.value.startswith("finished: 200 gradient steps")
    assert "chunk" not in p.loop.status.value
    p.set(n=5)  # a new network: no status about the old one
    assert p.state.t == 0 and "untrained" in p.loop.status.value and p.loop.progress.value == 0
    p.train(max_seconds=0.05)
    assert p.loop.status.value.startswith(("time is up", "finished")) and "gradient steps" in p.loop.status.value
    p.set(activation="relu")
    assert "untrained" in p.loop.status.value


def test_fit_panel_run_ended_by_a_control_change_says_so(make):
    p = make(FitPanel, max_steps=50)
    stats = p.train()
    p._mark_start()          # as a click on Train does …
    p.set(n=7)               # … then a control changes before the run ends
    p._finished(stats)
    assert "network was reset" in p.loop.status.value
