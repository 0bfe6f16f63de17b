"""One less PNG per frame in the browser: ipympl's front-end without its per-image ``toDataURL``.

ipympl 0.10's front-end handles every image the kernel sends (``handle_binary``) by pointing its
``<img>`` at the new PNG and then, on the spot, encoding its whole off-screen canvas as a PNG
data URL (``_data_url``, kept for showing the figure without a kernel). That ``toDataURL`` runs
on the page's main thread between the image's arrival and its decoding: 2–3 ms per key press
for a panel (``bench/bench_keypress_breakdown.py``: "message → ipympl handle_binary"), and it
encodes the *previous* frame, as the new one is not decoded yet.

:class:`FrameHelper` is an invisible widget each panel carries next to its figure. In the page
it finds the figure's ipympl model (``widget_manager.get_model``) and replaces that one model's
``handle_binary`` by the same steps without the ``toDataURL``; the data URL is made once the
figure has been still for a second (of the frame now shown). Nothing else of ipympl changes, and
without ipympl (or when anything is not as expected) it does nothing. It sets ``patched`` when
it took effect (tests/browser/test_browser_canvas.py checks the frames stay exact).
"""

from __future__ import annotations

from typing import Any

import traitlets

try:
    import anywidget
except ImportError:  # pragma: no cover - anywidget is in requirements.lock
    anywidget = None

__all__ = ["FrameHelper", "frame_helper"]

_ESM = r"""
function patch(canvas) {
  if (!canvas || canvas.__lectureFrames || typeof canvas.handle_binary !== "function"
      || !canvas.image || !canvas.offscreen_canvas) {
    return false;
  }
  canvas.__lectureFrames = true;
  let later = null;
  canvas.handle_binary = function (msg, buffers) {
    // ipympl 0.10's handle_binary, without encoding the off-screen canvas on every image
    const urls = window.URL || window.webkitURL;
    const data = buffers[0];
    const bytes = new Uint8Array(ArrayBuffer.isView(data) ? data.buffer : data);
    const url = urls.createObjectURL(new Blob([bytes], { type: "image/png" }));
    if (this.image.src) {
      urls.revokeObjectURL(this.image.src);
    }
    this.image.src = url;
    this.waiting_for_image = false;
    clearTimeout(later);
    later = setTimeout(() => {
      try { this.set("_data_url", this.offscreen_canvas.toDataURL()); } catch (e) { /* as before */ }
    }, 1000);
  };
  return true;
}

export default {
  async render({ model, el }) {
    el.style.display = "none";
    const id = model.get("canvas_id");
    const manager = model.widget_manager;
    if (!id || !manager || typeof manager.get_model !== "function") {
      return;
    }
    try {
      const canvas = await manager.get_model(id);
      if (patch(canvas) || (canvas && canvas.__lectureFrames)) {
        model.set("patched", true);
        model.save_changes();
      }
    } catch (e) {
      /* no ipympl model: nothing to do */
    }
  },
};
"""

if anywidget is not None:

    class FrameHelper(anywidget.AnyWidget):
        """Invisible: makes the ipympl figure ``canvas_id`` skip the per-image ``toDataURL``."""

        _esm = _ESM
        canvas_id = traitlets.Unicode("").tag(sync=True)
        patched = traitlets.Bool(False).tag(sync=True)

else:  # pragma: no cover
    FrameHelper = None  # type: ignore[assignment,misc]


def frame_helper(canvas: Any) -> Any:
    """A :class:`FrameHelper` for an ipympl canvas widget, or None (any other canvas)."""
    model_id = getattr(canvas, "model_id", None)
    if FrameHelper is None or not model_id or not hasattr(canvas, "get_diff_image"):
        return None
    import ipywidgets as widgets

    return FrameHelper(canvas_id=model_id, layout=widgets.Layout(display="none"))
