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
    from lecture_utils.style import COLORS
    from matplotlib.colors import to_hex
    assert to_hex(p.net["edges"][idx].get_color()) == to_hex(COLORS["vermillion"])
    assert p.net["edges"][idx].get_linestyle() == "-"        # solid: thick dashes read as loose bars
    assert p.net["edge_text"][idx].get_text() == "w5=−2.0"   # the sign is in the label too
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
    for angle in range(-180, 180, 5):  # sweep with the panel's own model function, no redraws
        for offset in np.linspace(-1.5, 1.5, 61):
            best = max(best, int(np.sum(linear_predict(XOR_X, angle, offset) == XOR_Y)))
    for angle, offset in ((0.0, 0.5), (90.0, 0.5), (135.0, 0.0)):
        p.set(model="one linear layer", angle=angle, offset=offset)
        best = max(best, int(p.readout.value.split("<b>")[1].split()[0]))
    assert best == 3  # no line gets all four corners
    # θ is the angle of the line itself: at 45° the boundary runs up along x2 = x1
    p.set(angle=45.0, offset=0.0)
    (path,) = [pth for pth in p.edge.get_paths() if len(pth.vertices)]
    v = path.vertices
    assert np.allclose(v[:, 1], v[:, 0], atol=1e-9) and np.ptp(v[:, 0]) > 1.9  # one straight diagonal
    c = p.classes
    assert c[-1, 0] == 1 and c[0, -1] == 0          # class 1 to the left of the direction (upper left)
    assert "−" not in p.ax.get_title() and "45°" in p.ax.get_title()
    p.set(angle=-45.0, offset=0.5)                  # the default: the line x1 + x2 = 0.5·√2
    c = p.classes
    assert c[0, 0] == 0 and c[-1, -1] == 1 and "3 of 4" in p.readout.value and "−45°" in p.ax.get_title()
    n_artists = len(p.ax.collections)
    p.set(model="2 hidden units", activation="relu")
    assert "4 of 4" in p.readout.value and len(p.ax.collections) == n_artists  # replaced, not piled
    c = p.classes
    centre = c.shape[0] // 2  # (0.5, 0.5): between the two lines -> class 1
    assert c[centre, centre] == 1 and c[0, 0] == 0 and c[-1, -1] == 0
    # the edges are the exact lines x1 + x2 = 0.5 and 1.5
    sums = np.concatenate([pth.vertices.sum(axis=1) for pth in p.edge.get_paths()])
    assert np.all(np.isclose(sums, 0.5, atol=1e-9) | np.isclose(sums, 1.5, atol=1e-9))
    p.set(activation="identity")
    assert "3 of 4" in p.readout.value
    assert len(p.points) == 2 and len(p.points[1].get_offsets()) == 2
    p.close()


def test_network_diagram_labels_do_not_overlap():
    p = LectureNetworkPanel()
    p.fig.canvas.draw()
    r = p.fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in p.net["edge_text"]]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (p.net["edge_text"][i].get_text(), p.net["edge_text"][j].get_text())
    p.close()


def test_lecture_panel_verdict_follows_the_number():
    """relu with b = 3 and |w1..w6| ≤ 0.5: every z ≥ 0 on the square, so the network is linear."""
    w = np.array(DEFAULT_WEIGHTS)
    w[:6] *= 0.5 / np.abs(w[:6]).max()
    p = LectureNetworkPanel(weights=tuple(np.round(w, 1)), b=3.0, activation="relu")
    diff = float(p.readout.value.split("| = ")[1].split()[0])
    assert diff < 1e-9 and "<b>is</b> one linear neuron" in p.readout.value and "no</b>" not in p.readout.value
    assert "multiply out after all" in p.algebra.value
    p.set(b=0.0)  # now some z_i < 0: the kink is back
    assert "<b>no</b> single linear layer" in p.readout.value
    assert float(p.readout.value.split("| = ")[1].split()[0]) > 0.1
    p.close()


def test_depth_panel_labels_stay_inside_the_figure():
    """The tick labels widen with k and the seed; the y label must stay on the canvas."""
    p = DepthPanel()
    p.fig.canvas.draw()
    renderer = p.fig.canvas.get_renderer()
    for k, seed, act in ((1, 7, "relu"), (12, 23, "relu"), (12, 3, "identity")):
        p.set(k=k, seed=seed, activation=act)
        p.fig.canvas.draw()
        label = p.ax.yaxis.label.get_window_extent(renderer)
        ticks = [t.get_window_extent(renderer) for t in p.ax.get_yticklabels() if t.get_text()]
        assert label.x0 >= 0, (k, seed)
        assert all(label.x1 <= t.x0 for t in ticks), (k, seed)  # no overlap with the widest tick
    p.close()
