"""Headless tests of the 02_forward_propagation panels."""
import numpy as np

from lecture_utils import forward
from lecture_utils.widgets.layer_heatmaps import LayerHeatmaps, random_layers
from lecture_utils.widgets.shape_tracer import ShapeTracer, box_size


def test_shape_tracer_controls():
    p = ShapeTracer()
    p.set(n=64, d=3, h1=7, h2=2, k=4)
    labels = [[p.labels[i][k].get_text() for k in "AWbZ"] for i in range(3)]
    assert labels[0][0] == "X (64, 3)" and labels[0][1] == "W1 (3, 7)" and labels[0][3] == "Z1 (64, 7)"
    assert labels[1][0] == "A1 (64, 7)" and labels[1][1] == "W2 (7, 2)"
    assert labels[2][1] == "W3 (2, 4)" and labels[2][3] == "Z3 (64, 4)"
    assert "b1 (7,)" in labels[0][2] and "(64, 7)" in labels[0][2]
    # boxes are drawn to their shapes; b's ghost has the output's size
    assert np.isclose(p.boxes[0]["W"].get_width(), box_size((3, 7))[0])
    assert np.isclose(p.boxes[0]["W"].get_height(), box_size((3, 7))[1])
    assert np.isclose(p.ghosts[2].get_width(), p.boxes[2]["Z"].get_width())
    assert np.isclose(p.ghosts[2].get_height(), p.boxes[2]["Z"].get_height())
    assert "(64, 4)" in p.readout.value and "b broadcast to" in p.readout.value
    # parameters: d·h + h per layer, shown in each heading and summed in the read-out
    assert p.parameter_counts == [3 * 7 + 7, 7 * 2 + 2, 2 * 4 + 4]
    assert [h.get_text() for h in p.headings] == ["layer 1: 28 parameters", "layer 2: 16 parameters",
                                                  "layer 3: 12 parameters"]
    assert "28 + 16 + 12" in p.readout.value and "<b>56</b>" in p.readout.value
    p.set(n=1)
    assert p.parameter_counts == [28, 16, 12]  # the batch size changes no parameter
    for name, value in (("n", 1), ("d", 10), ("h1", 1), ("h2", 9), ("k", 1)):
        p.set(**{name: value})
    assert p.labels[0]["A"].get_text() == "X (1, 10)" and p.labels[2]["Z"].get_text() == "Z3 (1, 1)"
    assert box_size((512, 4))[1] > box_size((200, 4))[1] > box_size((8, 4))[1]
    p.close()


def test_layer_heatmaps_controls():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 4)), rng.integers(0, 3, 60)
    p = LayerHeatmaps(X, y, hidden=(5, 6), outputs=3)
    order = np.argsort(y, kind="stable")
    assert len(p.images) == 4
    assert np.allclose(p.images[0].get_array(), X[order])
    want = forward(X[order], random_layers([4, 5, 6, 3], 0), activation="relu")
    for img, A in zip(p.images[1:], want.activations):
        assert img.get_array().shape == A.shape and np.allclose(img.get_array(), A)
        lo, hi = img.get_clim()
        assert np.isclose(hi, np.abs(A).max()) and np.isclose(lo, -hi)
    before = p.images[1].get_array().copy()
    p.set(seed=5)
    assert not np.allclose(before, p.images[1].get_array())
    p.set(activation="tanh")
    assert np.all(np.abs(p.images[1].get_array()) < 1)
    p.set(activation="sigmoid")
    assert np.all(p.images[2].get_array() > 0)
    assert "sigmoid" in p.readout.value and "(60, 6)" in p.readout.value
    p.close()
