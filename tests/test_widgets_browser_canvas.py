"""The browser-drawn prototype (lecture_utils.widgets.browser_canvas): what the kernel sends.

Headless: the canvas widget's comm is replaced by a recorder, so every message an update would
put on the wire is inspected — one per update, the curves as float32 pixel coordinates, the
background PNG only when an axis's limits changed. The JavaScript renderer is run in Node (when
installed) on a recording 2-D context. The real browser is driven by tests/browser/.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.image import AxesImage

import lecture_utils.widgets.browser_canvas as browser_canvas
from lecture_utils.style import use_lecture_style
from lecture_utils.widgets.activation_explorer import ActivationExplorer, compute_activation_curve
from lecture_utils.widgets.activation_explorer_js import ActivationExplorerJS
from lecture_utils.widgets.browser_canvas import BrowserCanvas, BrowserCanvasPanel, frame_items

ASSETS = Path(browser_canvas.__file__).parent


@pytest.fixture(autouse=True)
def _style():
    use_lecture_style()


@pytest.fixture
def panel():
    p = ActivationExplorerJS()
    p.sent = []

    def record(data=None, metadata=None, buffers=None):
        p.sent.append({"data": data, "buffers": [bytes(b) for b in (buffers or [])]})

    p.canvas.comm.send = record
    yield p
    p.close()


def _floats(view) -> np.ndarray:
    return np.frombuffer(bytes(view), dtype=np.float32).reshape(-1, 2)


def _png(data: bytes) -> np.ndarray:
    return (mpimg.imread(io.BytesIO(data), format="png") * 255).round().astype(np.uint8)


def test_one_message_per_update_with_only_the_frame(panel):
    for w in (1.5, 1.6, 1.7):
        panel.sent.clear()
        panel.set(w=w)
        assert len(panel.sent) == 1, panel.sent
        msg = panel.sent[0]["data"]
        assert msg["method"] == "update"
        assert set(msg["state"]) == {"frame"} and ["background"] not in msg["buffer_paths"]
        size = sum(len(b) for b in panel.sent[0]["buffers"])
        assert size < 8 * 1024, f"{size} bytes of arrays for two 401-point curves and a marker"


def test_the_background_is_resent_only_when_the_limits_change(panel):
    panel.sent.clear()
    panel.set(activation="relu", w=5.0)  # relu up to 25: the y-axis limits change
    paths = panel.sent[-1]["data"]["buffer_paths"]
    assert ["background"] in paths
    panel.set(activation="sigmoid", w=1.0)  # back to −1.1 … 1.1 (plus padding)
    assert ["background"] in panel.sent[-1]["data"]["buffer_paths"]
    panel.sent.clear()
    panel.set(w=1.1, b=0.5)  # sigmoid and its slope stay inside: same limits
    assert ["background"] not in panel.sent[-1]["data"]["buffer_paths"]


def test_the_curves_are_the_panels_maths_in_canvas_pixels(panel):
    panel.set(activation="tanh", w=2.0, b=-1.0)
    items = panel.canvas.frame["items"]
    a, slope = compute_activation_curve(panel.x, "tanh", 2.0, -1.0)
    height = panel.fig.bbox.height
    for item, y in zip(items[:2], (a, slope)):
        expected = panel.ax.transData.transform(np.column_stack([panel.x, y]))
        expected[:, 1] = height - expected[:, 1]
        np.testing.assert_allclose(_floats(item["xy"]), expected, atol=1e-3)
    assert items[0]["color"] == "rgba(0,114,178,1)" and items[0]["dash"] == []
    assert items[1]["dash"], "the slope is dashed, as in the matplotlib panel"
    marker = items[2]
    assert marker["marker"]["shape"] == "circle" and "color" not in marker  # a marker, no line
    x0, y0 = panel.ax.transData.transform([0.5, 0.0])  # w·x + b = 0 at x = 0.5, tanh(0) = 0
    np.testing.assert_allclose(_floats(marker["xy"])[0], [x0, height - y0], atol=1e-3)
    title = items[3]
    assert title["kind"] == "text" and title["text"] == panel.ax.get_title()
    assert title["ha"] == "center" and title["va"] == "alphabetic"


def test_the_background_is_the_figure_without_its_moving_artists(panel):
    panel.set(activation="relu", w=5.0)
    background = _png(panel.canvas.background)
    for artist in panel._animated:
        artist.set_visible(False)
    panel.fig.canvas.draw()
    without = np.asarray(panel.fig.canvas.buffer_rgba())
    assert background.shape == without.shape
    assert np.array_equal(background, without)


def test_a_snapshot_leaves_the_background_clean(panel):
    panel._repr_mimebundle_()  # savefig draws the moving artists into the Agg buffer
    panel.sent.clear()
    panel.set(w=1.1)
    assert ["background"] not in panel.sent[-1]["data"]["buffer_paths"]
    panel.set(activation="relu", w=5.0)  # a new background: drawn without the moving artists
    background = _png(panel.canvas.background)
    for artist in panel._animated:
        artist.set_visible(False)
    panel.fig.canvas.draw()
    assert np.array_equal(background, np.asarray(panel.fig.canvas.buffer_rgba()))


def test_same_picture_and_readout_as_the_ipympl_panel():
    js, ref = ActivationExplorerJS(), ActivationExplorer()
    try:
        for values in ({}, {"activation": "relu", "w": -2.0, "b": 1.0}, {"w": 0.0}):
            js.set(**values)
            ref.set(**values)
            assert js.readout.value == ref.readout.value
            assert np.array_equal(_png(js.snapshot_png()), _png(ref.snapshot_png()))
    finally:
        js.close()
        ref.close()


def test_the_widget_is_the_browser_canvas(panel):
    view = panel.widget
    assert "lecture-panel" in view._dom_classes
    assert "lecture-panel-ActivationExplorerJS" in view._dom_classes
    assert view.children[1] is panel.canvas  # controls, figure, the panels' style sheet
    assert panel.canvas.size == [640, 360]


def test_unsupported_moving_artists_are_named():
    class ImagePanel(BrowserCanvasPanel):
        def __init__(self):
            super().__init__({})

        def _build(self, fig):
            self.image = fig.add_subplot().imshow(np.zeros((2, 2)))

        def _animated_artists(self):
            return [self.image]

        def _update(self, values):
            pass

    with pytest.raises(TypeError, match="AxesImage"):
        ImagePanel()
    assert AxesImage not in browser_canvas.SUPPORTED


def test_mathtext_in_a_moving_text_is_refused():
    from matplotlib.figure import Figure

    fig = Figure()
    title = fig.add_subplot().set_title(r"$\sigma(z)$")
    with pytest.raises(TypeError, match="mathtext"):
        frame_items([title], fig)


def test_the_renderer_ships_in_the_package_and_needs_no_network():
    js = (ASSETS / "browser_canvas.js").read_text(encoding="utf-8")
    css = (ASSETS / "browser_canvas.css").read_text(encoding="utf-8")
    assert "export default" in js
    assert "import " not in js and "http" not in js and "http" not in css
    widget = BrowserCanvas()
    try:
        assert widget._esm == js and widget._css == css  # inlined into the widget state
    finally:
        widget.close()
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert "browser_canvas" in pyproject and "*.js" in pyproject, "package data must ship the assets"


NODE_DRIVER = r"""
import { drawFrame } from "./renderer.mjs";
const calls = [];
const ctx = new Proxy({}, {
  get: (t, name) => name in t ? t[name] : (...args) => calls.push([name, ...args]),
  set: (t, name, value) => { calls.push(["set " + String(name), value]); t[name] = value; return true; },
});
const frame = JSON.parse(process.argv[2]);
for (const it of frame.items) {
  if (it.xy) it.xy = Float32Array.from(it.xy);
  if (it.rings) it.rings = it.rings.map((r) => Float32Array.from(r));
}
drawFrame(ctx, null, frame.items, 640, 360, 1);
console.log(JSON.stringify(calls));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_javascript_renderer_draws_every_item(panel, tmp_path):
    panel.set(w=2.0)
    items = []
    for item in panel.canvas.frame["items"]:
        item = dict(item)
        if "xy" in item:
            item["xy"] = _floats(item["xy"]).ravel().tolist()
        items.append(item)
    (tmp_path / "renderer.mjs").write_text((ASSETS / "browser_canvas.js").read_text(encoding="utf-8"))
    (tmp_path / "driver.mjs").write_text(NODE_DRIVER)
    run = subprocess.run(["node", "driver.mjs", json.dumps({"items": items})], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    calls = json.loads(run.stdout)
    names = [c[0] for c in calls]
    assert names.count("stroke") >= 3  # two curves and the marker's edge
    assert names.count("lineTo") >= 2 * (len(panel.x) - 1)
    strokes = [c[1] for c in calls if c[0] == "set strokeStyle"]
    assert "rgba(0,114,178,1)" in strokes and "rgba(230,159,0,1)" in strokes
    assert ["fillText", panel.ax.get_title(), 0, 0] in calls
    assert ["rect", *items[0]["clip"]] in calls  # the curves are clipped to the axes
