"""Headless tests of the training panel (07_training): every control and button."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lecture_utils import collapse_linear
from lecture_utils.plotting.decision import grid_points, plane_limits
from lecture_utils.widgets.training_panel import BATCH_SIZES, TrainingPanel


@pytest.fixture
def panel():
    p = TrainingPanel(grid=60)
    yield p
    p.close()


def _snapshot(p):
    return [(W.copy(), b.copy()) for W, b in p.trainer.layers], np.array(p.region_image.get_array()).copy()


def test_initial_figure_shows_the_seeded_network(panel):
    img = np.asarray(panel.region_image.get_array())
    assert img.shape == (60, 60)
    np.testing.assert_array_equal(img.ravel(), panel.trainer.predict(panel._grid_P))
    assert len(panel.train_loss_line.get_xdata()) == 1 and "epoch 0" in panel.ax.get_title()
    assert "epoch <b>0</b>" in panel.readout.value


def test_before_training_the_curves_show_the_untrained_point_and_say_what_to_do(panel):
    for line in (panel.train_loss_line, panel.test_loss_line, panel.train_acc_line, panel.test_acc_line):
        assert line.get_marker() == "o" and line.get_markevery() == [0]  # a lone point is drawn
        assert len(line.get_xdata()) == 1 and np.isfinite(line.get_ydata()[0])
    assert [h.get_visible() for h in panel.start_hints] == [True, True]
    assert "press Train" in panel.start_hints[0].get_text()
    assert panel.start_hints[0].axes is panel.loss_ax and panel.start_hints[1].axes is panel.acc_ax
    panel.buttons["step"].click()
    assert not any(h.get_visible() for h in panel.start_hints)
    panel.buttons["reset"].click()
    assert all(h.get_visible() for h in panel.start_hints)


def test_the_status_text_comes_after_every_button(panel):
    """The status ("finished: 50 epochs in 2.5 s") changes length: nothing may sit to its right."""
    row = panel._extra_widgets()[0]
    kids = list(row.children)
    assert kids[-1] is panel.loop.status and kids[-2] is panel.progress
    assert kids[:4] == [panel.buttons[k] for k in ("train", "stop", "step", "reset")]
    assert all(b.layout.width for b in kids[:4])  # fixed widths: the labels never resize them
    assert "lecture-training-loop" in row._dom_classes


def test_step_button_lowers_the_loss_and_extends_the_curves(panel):
    panel.set(lr=0.1, batch_size=300)
    panel.buttons["step"].click()
    x, loss = panel.train_loss_line.get_data()
    assert list(x) == [0, 1] and loss[1] < loss[0]
    assert len(panel.test_acc_line.get_ydata()) == 2 and "epoch <b>1</b>" in panel.readout.value
    assert np.isclose(panel.train_acc_line.get_ydata()[-1], panel.trainer.metrics()["train_acc"])


def test_reset_button_restores_the_seed_state_exactly(panel):
    layers0, img0 = _snapshot(panel)
    panel.trainer.train(5)
    panel.buttons["step"].click()
    assert not np.array_equal(panel.trainer.layers[0][0], layers0[0][0])
    panel.buttons["reset"].click()
    layers1, img1 = _snapshot(panel)
    for (W, b), (W0, b0) in zip(layers1, layers0):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    np.testing.assert_array_equal(img1, img0)
    assert len(panel.train_loss_line.get_xdata()) == 1 and panel.progress.value == 0


def test_identity_activation_stays_linear(panel):
    panel.set(activation="identity", hidden=16)
    panel.trainer.train(20)
    panel.buttons["step"].click()
    W, b = collapse_linear(panel.trainer.layers)
    # the trained network is one linear layer, and its regions are where an affine score wins:
    # convex regions separated by straight lines
    np.testing.assert_allclose(panel.trainer.logits(panel._grid_P), panel._grid_P @ W + b, atol=1e-9)
    img = np.asarray(panel.region_image.get_array()).ravel()
    np.testing.assert_array_equal(img, np.argmax(panel._grid_P @ W + b, axis=1))
    assert panel.trainer.metrics()["train_acc"] < 0.7
    assert "identity" in panel.ax.get_title()


def test_train_button_runs_the_epochs_control_and_fills_the_progress_bar(panel):
    panel.set(epochs=3)
    assert panel.loop.max_steps == 3
    panel.buttons["train"].click()  # no event loop in a test: the loop runs to the end
    assert panel.trainer.epoch == 3 and panel.progress.value == 100
    assert panel.loop.stats.reason == "max_steps" and panel.loop.stats.redraws >= 1
    assert list(panel.train_loss_line.get_xdata()) == [0, 1, 2, 3]


def test_stop_button_ends_a_run_early(panel):
    panel.set(epochs=50)
    step = panel.trainer.step_epoch

    def step_then_stop():
        out = step()
        if panel.trainer.epoch == 2:
            panel.buttons["stop"].click()
        return out

    panel.trainer.step_epoch = step_then_stop
    panel.train()
    assert panel.trainer.epoch == 2 and panel.loop.stats.reason == "stopped"


def test_train_method_reaches_95_percent_with_the_defaults(panel):
    metrics = panel.train(epochs=25, paced=False)
    assert metrics["train_acc"] >= 0.95 and panel.trainer.epoch == 25
    assert panel.loop.max_steps == panel.controls["epochs"].value  # restored after the run
    assert panel.loop.steps_per_redraw == 1  # pacing restored for the Train button


def test_learning_rate_batch_size_and_lambda_apply_without_resetting(panel):
    panel.buttons["step"].click()
    panel.set(lr=0.05, lam=1e-2)
    assert panel.trainer.lr == pytest.approx(0.05) and panel.trainer.lam == 1e-2
    assert panel.trainer.epoch == 1  # training state kept
    for bs in BATCH_SIZES[1:]:
        panel.set(batch_size=bs)
        steps = panel.trainer.steps
        panel.buttons["step"].click()
        assert panel.trainer.steps - steps == -(-300 // bs)


def test_width_and_activation_start_a_new_network(panel):
    panel.buttons["step"].click()
    panel.set(hidden=5)
    assert panel.trainer.layers[0][0].shape == (2, 5) and panel.trainer.epoch == 0
    panel.set(activation="tanh")
    assert panel.trainer.activation == "tanh" and "tanh, width 5" in panel.ax.get_title()
    for name in panel.controls["activation"].options:
        panel.set(activation=name)
        assert panel.trainer.activation == name


def test_region_image_extent_covers_the_data(panel):
    (x0, x1), (y0, y1) = plane_limits(panel.data.X_train)
    assert panel.region_image.get_extent() == pytest.approx([x0, x1, y0, y1])
    _, _, P = grid_points((x0, x1), (y0, y1), 60)
    np.testing.assert_array_equal(P, panel._grid_P)


def test_updates_create_no_figures(panel):
    n = len(plt.get_fignums())
    for lr in (0.1, 0.2, 0.3):
        panel.set(lr=lr)
        panel.buttons["step"].click()
    assert len(plt.get_fignums()) == n
    assert panel.widget is panel.widget  # built once


def test_values_outside_the_menus_are_a_clear_error():
    with pytest.raises(ValueError, match=r"batch_size must be one of"):
        TrainingPanel(batch_size=33)
    with pytest.raises(ValueError, match=r"lam must be one of"):
        TrainingPanel(lam=0.5)


def test_class_legend_sits_in_the_empty_corner(panel):
    """The spiral has no training points in the lower-right corner: the legend covers none."""
    legend = panel.ax.get_legend()
    assert legend is not None and legend._loc == 4  # matplotlib's code for "lower right"
    panel.fig.canvas.draw()
    box = legend.get_window_extent().transformed(panel.ax.transData.inverted())
    X = panel.data.X_train
    inside = ((X[:, 0] > box.x0) & (X[:, 0] < box.x1) & (X[:, 1] > box.y0) & (X[:, 1] < box.y1))
    assert not inside.any()


# -- the gradient-flow panel (§5) ----------------------------------------------------------------
from lecture_utils.backprop import backprop  # noqa: E402
from lecture_utils.gradient_flow import deep_layers  # noqa: E402
from lecture_utils.widgets.gradient_flow_panel import MAX_DEPTH, NORM_LIMITS, GradientFlowPanel  # noqa: E402


@pytest.fixture
def flow_panel():
    p = GradientFlowPanel()
    yield p
    p.close()


def _bar_tops(bars):
    return np.array([b.get_y() + b.get_height() for b in bars])


def test_gradient_flow_bars_are_the_backprop_norms_of_the_spiral(flow_panel):
    p = flow_panel
    X, y = p.X, p.y
    for depth, act, init, gain in ((10, "sigmoid", "xavier", 1.0), (3, "tanh", "he", 2.0), (6, "relu", "he", 0.5)):
        p.set(depth=depth, activation=act, init=init, gain=gain)
        grads = backprop(X, y, deep_layers(depth, 32, init=init, gain=gain, seed=0), act).grads
        want = np.array([np.linalg.norm(dW) for dW, _ in grads])
        tops = _bar_tops(p.norm_bars)
        np.testing.assert_allclose(tops[:depth], np.clip(want[:-1], *NORM_LIMITS), rtol=1e-9)
        np.testing.assert_allclose(tops[-1], want[-1], rtol=1e-9)  # the output layer: the last bar
        assert all(b.get_height() == 0 for b in p.norm_bars[depth:MAX_DEPTH])  # no such layers
        assert all(b.get_height() == 0 for b in p.slope_bars[depth:])
        assert f"{depth} hidden layer" in p.ax.get_title() and act in p.ax.get_title()
        assert f"{want[0]:.1e}" in p.readout.value and f"{want[0] / want[-1]:.1e}" in p.readout.value


def test_gradient_flow_slopes_and_the_quarter_line(flow_panel):
    p = flow_panel
    slopes = np.array([b.get_height() for b in p.slope_bars])
    assert np.all((slopes > 0.2) & (slopes <= 0.25))  # sigmoid near z = 0: the bound nearly reached
    x, line = p.quarter_line.get_data()
    out = _bar_tops(p.norm_bars)[-1]
    np.testing.assert_allclose(line, out * 0.25 ** np.arange(10, -1, -1))
    assert list(x) == list(range(1, 11)) + [11]
    # Xavier's sigmoid follows the bound alone within a factor 5 (layer 1 sees the small inputs)
    assert np.all((_bar_tops(p.norm_bars)[1:] / line[1:] > 0.2) & (_bar_tops(p.norm_bars)[1:] / line[1:] < 1.5))
    p.set(gain=4.0)  # larger weights: far more gradient than ×¼ per layer, but saturated units
    assert _bar_tops(p.norm_bars)[0] > 100 * p.quarter_line.get_data()[1][0]
    assert np.mean([b.get_height() for b in p.slope_bars]) < 0.7 * slopes.mean()
    p.set(activation="relu")
    assert len(p.quarter_line.get_data()[0]) == 0 and "f′(z)" in p.readout.value


def test_gradient_flow_relu_needs_he(flow_panel):
    p = flow_panel
    p.set(activation="relu", init="he")
    he = _bar_tops(p.norm_bars)
    p.set(init="xavier")
    xavier = _bar_tops(p.norm_bars)
    assert np.all(xavier < 0.05 * np.median(he))
    assert np.allclose([b.get_height() for b in p.slope_bars], p.flow.mean_slopes)  # ReLU: fraction on


def test_gradient_flow_controls_reach_their_ends_and_draw_no_new_figures(flow_panel):
    p = flow_panel
    n = len(plt.get_fignums())
    gain = p.controls["gain"]
    assert (gain.min, gain.max, gain.base, gain.step) == (-1, 2, 2, 0.5)  # 0.5 … 4, ×√2 per key
    for depth in range(1, MAX_DEPTH + 1):
        p.set(depth=depth)
        assert sum(b.get_height() > 0 for b in p.norm_bars) == depth + 1
    p.set(gain=0.5, activation="sigmoid")
    assert _bar_tops(p.norm_bars)[-1] > NORM_LIMITS[0]
    assert len(plt.get_fignums()) == n
