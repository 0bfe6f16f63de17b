"""The browser-drawn prototype in a real Chromium: its canvas shows the picture matplotlib draws.

``ActivationExplorerJS`` (lecture_utils.widgets.browser_canvas) draws its background with
matplotlib in the kernel and its moving artists with the canvas 2-D API in the page. For a few
states — the first draw, a slider step (only the frame is sent), another activation (new axis
limits, so a new background too) — the page's canvas is compared with the kernel's own full
matplotlib draw of the same state (``snapshot_png``). Antialiasing and the text rasteriser differ
between Skia and Agg, so the comparison counts pixels that differ clearly; the same comparison
against the *previous* state must find many more, so the check can tell pictures apart.
(``test_notebooks_in_browser.py`` also pokes every control of this panel, like every other.)

The ipympl panels' cheaper diff image (``lecture_utils.widgets._fast_png``: a faster PNG encoder,
and a diff image that stops at its last changed row and column) and the page's cheaper handling
of it (``lecture_utils.widgets._ipympl_frames``: no toDataURL per image) are checked the same way,
but exactly: after fast redraws and full ones, the ipympl canvas in the page holds the kernel's
Agg frame pixel for pixel.
"""

from __future__ import annotations

import base64
import io
import time

import matplotlib.image as mpimg
import numpy as np
import pytest

from jupyter_harness import panels_notebook
from lab_page import (PANEL_SELECTOR, figure_signature, open_notebook, press_and_measure,
                      restart_and_run_all, wait_changes, wait_quiet, watch)

pytestmark = pytest.mark.browser

CLASS = "ActivationExplorerJS"

_EXECUTE_JS = r"""
async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  let out = '';
  future.onIOPub = (m) => { if (m.header.msg_type === 'stream') out += m.content.text;
                            if (m.header.msg_type === 'error') out += 'ERROR ' + m.content.evalue; };
  await future.done;
  return out;
}
"""
_SNAPSHOT = ("import base64\nfrom lecture_utils.widgets._panel import Panel\n"
             f"print(base64.b64encode(Panel._live[{CLASS!r}]().snapshot_png()).decode())")


def _decode(data: bytes) -> np.ndarray:
    return (mpimg.imread(io.BytesIO(data), format="png")[..., :3] * 255).round().astype(np.int16)


_AGG_FRAME = ("import base64\nimport numpy as np\nfrom lecture_utils.widgets._panel import Panel\n"
              "from lecture_utils.widgets._fast_png import encode_png\n"
              "print(base64.b64encode(encode_png(np.asarray("
              "Panel._live['ActivationExplorer']().fig.canvas.buffer_rgba()))).decode())")


def _canvas_pixels(panel, selector: str = "canvas.lecture-canvas") -> np.ndarray:
    url = panel.evaluate("(p, s) => p.querySelector(s).toDataURL('image/png')", selector)
    return _decode(base64.b64decode(url.split(",", 1)[1]))


def _kernel_pixels(page, code: str = _SNAPSHOT) -> np.ndarray:
    out = page.evaluate(_EXECUTE_JS, code)
    assert not out.startswith("ERROR"), out
    return _decode(base64.b64decode(out.strip()))


def _open_panel(lab, page, cls: str, module: str):
    lab.add_notebook(f"_{cls}.ipynb", panels_notebook([(module, cls)]))
    open_notebook(page, lab.url(f"_{cls}.ipynb"))
    run = restart_and_run_all(page)
    assert not run.problems, run.problems
    panel = page.locator(PANEL_SELECTOR).first
    panel.scroll_into_view_if_needed()
    deadline = time.monotonic() + 20
    while figure_signature(page, panel) in (None, "empty") and time.monotonic() < deadline:
        time.sleep(0.2)
    watch(page, panel)
    wait_quiet(page, 0.5)
    return panel


def _differing(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of pixels whose colour differs by more than 64 levels in some channel."""
    assert a.shape == b.shape, f"canvas {a.shape} vs matplotlib {b.shape}"
    return float((np.abs(a - b).max(axis=2) > 64).mean())


def _step(page, panel, action) -> None:
    watch(page, panel)
    action()
    assert wait_changes(page, 1, 10.0), "the canvas did not change"
    wait_quiet(page, 0.5)


def test_the_canvas_shows_what_matplotlib_draws(lab, page):
    panel = _open_panel(lab, page, CLASS, "lecture_utils.widgets.activation_explorer_js")
    step = lambda action: _step(page, panel, action)  # noqa: E731

    before = _kernel_pixels(page)
    report = []
    states = [("first draw", None),
              ("weight w +1 step", lambda: press_and_measure(page, panel, panel.locator(".noUi-handle").first,
                                                             "ArrowRight")),
              ("relu: new limits and background", lambda: panel.locator("select").first.select_option("relu"))]
    for label, action in states:
        if action is not None:
            step(action)
        shown, drawn = _canvas_pixels(panel), _kernel_pixels(page)
        same, other = _differing(shown, drawn), _differing(shown, before)
        report.append(f"{label}: {same:.2%} of pixels differ from matplotlib's draw "
                      f"({other:.2%} from the previous state)")
        assert same < 0.01, "\n".join(report)
        if action is not None:
            assert other > 3 * same, "\n".join(report)
        before = drawn
    print("\n".join(report))


def test_the_ipympl_canvas_holds_the_kernels_frame_exactly(lab, page):
    panel = _open_panel(lab, page, "ActivationExplorer", "lecture_utils.widgets.activation_explorer")
    handles = panel.locator(".noUi-handle")
    w, b = handles.nth(0), handles.nth(1)
    actions = [("w →", lambda: press_and_measure(page, panel, w, "ArrowRight")),
               ("w →", lambda: press_and_measure(page, panel, w, "ArrowRight")),
               ("w ←", lambda: press_and_measure(page, panel, w, "ArrowLeft")),
               ("b →", lambda: press_and_measure(page, panel, b, "ArrowRight")),
               ("relu (a full draw)", lambda: panel.locator("select").first.select_option("relu")),
               ("b ←", lambda: press_and_measure(page, panel, b, "ArrowLeft"))]
    for label, action in actions:
        _step(page, panel, action)
        shown = _canvas_pixels(panel, ".jupyter-matplotlib canvas")
        frame = _kernel_pixels(page, _AGG_FRAME)
        assert shown.shape == frame.shape, label
        wrong = int((shown != frame).any(axis=2).sum())
        assert wrong == 0, f"after {label}: {wrong} pixels of the page's canvas differ from the kernel's frame"
    # ... with ipympl's per-image toDataURL taken out by the panel's FrameHelper (_ipympl_frames)
    out = page.evaluate(_EXECUTE_JS, "from lecture_utils.widgets._panel import Panel\n"
                                     "print(Panel._live['ActivationExplorer']().widget.children[-1].patched)")
    assert out.strip() == "True", out


def test_kept_frames_reach_the_page_exactly(lab, page):
    """SawtoothPanel shows k from kept frames (Panel.frame_cache) and sends kept diff images:
    after single presses and after a burst, the page's canvas holds the kernel's frame, and that
    frame is a full draw's, pixel for pixel. (This test caught a first attempt at drawing every
    k into the cache in the kernel's idle time: right under Agg, wrong under ipympl.)"""
    panel = _open_panel(lab, page, "SawtoothPanel", "lecture_utils.widgets.sawtooth_panel")
    handle = panel.locator(".noUi-handle").first
    live = "Panel._live['SawtoothPanel']()"
    frame_code = _AGG_FRAME.replace("'ActivationExplorer'", "'SawtoothPanel'")
    full_code = ("import numpy as np\nfrom lecture_utils.widgets._panel import Panel\n"
                 f"_p = {live}\n_shown = np.asarray(_p.fig.canvas.buffer_rgba()).copy()\n"
                 "_p.fig.canvas.draw()\n"
                 "print(int((_shown != np.asarray(_p.fig.canvas.buffer_rgba())).any(axis=2).sum()), _p.values['k'])")

    def check(label: str) -> None:
        shown = _canvas_pixels(panel, ".jupyter-matplotlib canvas")
        frame = _kernel_pixels(page, frame_code)
        assert shown.shape == frame.shape, label
        wrong = int((shown != frame).any(axis=2).sum())
        assert wrong == 0, f"after {label}: {wrong} pixels of the page's canvas differ from the kernel's frame"
        out = page.evaluate(_EXECUTE_JS, full_code).split()
        assert out[0] == "0", f"after {label} (k = {out[1]}): the kernel's frame differs from a full draw in {out[0]} pixels"
        wait_quiet(page, 0.5)  # the full draw's image

    time.sleep(1.0)
    for i, key in enumerate(["ArrowRight", "ArrowRight", "ArrowLeft", "ArrowRight", "ArrowLeft", "ArrowLeft"]):
        _step(page, panel, lambda: press_and_measure(page, panel, handle, key))
        check(f"press {i} ({key})")
    time.sleep(1.0)
    handle.focus()
    for key in ["ArrowRight"] * 5 + ["ArrowLeft"] * 8 + ["ArrowRight"] * 3:  # a burst, as fast as it goes
        page.keyboard.press(key)
    wait_quiet(page, 1.0)
    check("a burst of 16 presses")
