"""Headless tests of the 01_nonlinearity panels: set each control, read the figure back."""
import numpy as np
import pytest

from lecture_utils.activations import sigmoid
from lecture_utils.nonlinearity import (DEFAULT_WEIGHTS, WEIGHT_NAMES, XOR_X, XOR_Y,
                                        collapse_lecture_network)
from lecture_utils.widgets.depth_panel import DepthPanel
from lecture_utils.widgets.lecture_network_panel import LectureNetworkPanel
from lecture_utils.widgets.neuron_panel import NeuronPanel
from lecture_utils.widgets.xor_panel import XorPanel, linear_predict


def test_neuron_panel_controls():
    p = NeuronPanel()
    p.set(w1=2.0, w2=-1.0, b=0.5, x1=1.0, x2=0.0)
    img = p.image.get_array()
    # lower-left pixel is (x1, x2) = (-3, -3); upper-right is (3, 3)
    assert np.isclose(img[0, 0], sigmoid(2 * -3 - -3 + 0.5))
    assert np.isclose(img[-1, -1], sigmoid(2 * 3 - 3 + 0.5))
    xs, ys = p.boundary.get_data()
    assert np.allclose(2 * np.asarray(xs) - np.asarray(ys) + 0.5, 0)
    assert np.allclose(p.arrow.U, 2.0) and np.allclose(p.arrow.V, -1.0)
    assert p.point.get_data()[0][0] == 1.0
    assert "z = 2.50" in p.readout.value and "predict <b>1</b>" in p.readout.value
    p.set(x1=-2.0)
    assert "predict <b>0</b>" in p.readout.value and p.point.get_markerfacecolor() != "none"
    p.set(w1=0.0, w2=0.0)
    assert len(p.boundary.get_data()[0]) == 0  # no boundary when w = 0
    p.close()


@pytest.mark.parametrize("act", ["identity", "linear"])
def test_lecture_panel_linear_collapses(act):
    p = LectureNetworkPanel()
    p.set(activation=act, g=0.7, w3=-1.2, b=0.3)
    slope = 0.7 if act == "linear" else 1.0
    w = list(DEFAULT_WEIGHTS)
    w[2] = -1.2
    a, c, d = collapse_lecture_network(w, 0.3, slope)
    assert "exact collapse" in p.readout.value and f"a = {a:.3f}" in p.readout.value
    diff = float(p.readout.value.split("| = ")[1].split()[0])
    assert diff < 1e-9
    assert f"{a:.4g}\\,x_1" in p.algebra.value
    # the single layer's boundary passes through the network's 0.5 contour
    xs, ys = p.single_line.get_data()
    assert np.allclose(a * xs + c * ys + d, 0, atol=1e-9)
    img = p.image.get_array()
    assert np.isclose(img[0, 0], sigmoid(a * -3 + c * -3 + d))
    p.close()


@pytest.mark.parametrize("act", ["tanh", "relu", "sigmoid"])
def test_lecture_panel_nonlinear_fails_to_collapse(act):
    p = LectureNetworkPanel()
    p.set(activation=act)
    assert "least-squares" in p.readout.value
    diff = float(p.readout.value.split("| = ")[1].split()[0])
    assert diff > 0.1
    assert "cannot be multiplied out" in p.algebra.value and act in p.algebra.value
    assert p.contour is not None
    p.close()


def test_lecture_panel_every_weight_slider_moves_the_figure():
    p = LectureNetworkPanel(activation="identity")
    for name in WEIGHT_NAMES + ("b",):
        before = p.image.get_array().copy()
        n_contours = len(p.ax.collections)
        p.set(**{name: float(p.values[name]) + 0.7})
        assert not np.allclose(before, p.image.get_array()), name
        assert len(p.ax.collections) == n_contours  # contour replaced, not piled up
    idx = WEIGHT_NAMES.index("w5")
    assert p.net["edge_text"][idx].get_text().startswith("w5=")
    p.set(w5=-2.0)
    assert p.net["edges"][idx].get_linestyle() == "--"
    p.close()


def test_lecture_panel_g_slider_scales_collapse():
    p = LectureNetworkPanel(activation="linear", g=1.0)
    a1 = float(p.readout.value.split("a = ")[1].split(",")[0])
    p.set(g=2.0)
    a2 = float(p.readout.value.split("a = ")[1].split(",")[0])
    assert np.isclose(a2, 2 * a1, atol=2e-3)
    p.close()


def test_depth_panel():
    p = DepthPanel()
    for k in (1, 5, 12):
        p.set(k=k, activation="identity")
        net, single = p.net_line.get_ydata(), p.single_line.get_ydata()
        assert np.allclose(net, single, atol=1e-9) and "exact" in p.readout.value
        assert f"{k} layer" in p.ax.get_title()
    p.set(k=4, activation="relu")
    assert not np.allclose(p.net_line.get_ydata(), p.single_line.get_ydata(), atol=1e-3)
    assert "fails" in p.readout.value
    before = p.net_line.get_ydata().copy()
    p.set(seed=7)
    assert not np.allclose(before, p.net_line.get_ydata())
    p.close()


def test_xor_panel():
    p = XorPanel()
    best = 0
    for angle in range(0, 360, 5):  # sweep with the panel's own model function, no redraws
        for offset in np.linspace(-1.5, 1.5, 61):
            best = max(best, int(np.sum(linear_predict(XOR_X, angle, offset) == XOR_Y)))
    for angle, offset in ((0.0, 0.5), (90.0, 0.5), (135.0, 0.0)):
        p.set(model="one linear layer", angle=angle, offset=offset)
        best = max(best, int(p.readout.value.split("<b>")[1].split()[0]))
    assert best == 3  # no line gets all four corners
    p.set(angle=45.0, offset=0.5)
    img = p.image.get_array()
    assert img[0, 0] == 0 and img[-1, -1] == 1  # below / above the line x1 + x2 = 0.5·√2
    p.set(model="2 hidden units", activation="relu")
    assert "4 of 4" in p.readout.value
    img = p.image.get_array()
    centre = img.shape[0] // 2  # (0.5, 0.5): between the two lines -> class 1
    assert img[centre, centre] == 1 and img[0, 0] == 0 and img[-1, -1] == 0
    p.set(activation="identity")
    assert "3 of 4" in p.readout.value
    assert len(p.points) == 2 and len(p.points[1].get_offsets()) == 2
    p.close()
