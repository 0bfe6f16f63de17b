"""Where one key press goes: a fast-redraw panel's round trip, stamped on both sides.

    .venv/bin/python bench/bench_keypress_breakdown.py                       # ActivationExplorer
    .venv/bin/python bench/bench_keypress_breakdown.py --panel lecture_utils.widgets.step_panel:StepPanel
    .venv/bin/python bench/bench_keypress_breakdown.py --presses 40 --json test-artifacts/breakdown.json

A generated notebook shows one panel in JupyterLab in headless Chromium (the harness of the
browser tests). The slider is pressed ``--presses`` times (→/← alternately, the figure allowed to
settle in between) twice: first with only the page's frame watcher (the latency as
``bench_browser_latency.py`` measures it), then with both probes below, so the probes' own cost is
visible.

- **In the page** (epoch ms = ``performance.timeOrigin + performance.now()``): the ``keydown``
  (capturing listener, the event's own ``timeStamp``), noUiSlider's ``slide`` event, every message
  the kernel's WebSocket sends (``WebSocket.prototype.send``) and receives (the ``message`` event's
  ``timeStamp``, i.e. its arrival, decoded afterwards: channel, type, comm id, method),
  ``HTMLCanvasElement.toDataURL`` and ``CanvasRenderingContext2D.drawImage`` calls (ipympl's
  front-end), and the first animation frame in which the figure's pixels differ (the paint).
- **In the kernel** (epoch ms = ``time.time()``), by wrapping instance methods of this one panel:
  the ``comm_msg`` handler (matched to the browser's message by its ``msg_id``), ``Panel._redraw``,
  ``Panel._update``, ipympl's ``manager.refresh_all`` and ``canvas.get_diff_image`` (diff + PNG
  encode), and ``comm.send`` of the figure's message.

Both clocks are the host's wall clock; the page's offset to this process's ``time.time()`` is
estimated from 30 ``page.evaluate`` round trips (the tightest one; its half-width is printed).

Prints the median of every leg over the presses, and never fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _jupyter import JupyterLab, chromium, lab_page  # noqa: E402

#: kernel side: stamps in a list, wrappers around instance methods of one panel (never the class)
KERNEL_PROBE = r'''
import inspect as _kb_inspect, json as _kb_json, time as _kb_time
_KB = []


def _kb(name, cpu=True, **extra):
    _KB.append({"k": name, "t": _kb_time.time() * 1e3, **extra})
    if cpu:  # CPU time of the main thread only (another thread's is not comparable)
        _KB[-1]["c"] = _kb_time.thread_time() * 1e3


def _kb_wrap(obj, attr, name):
    orig = getattr(obj, attr)

    def wrapper(*args, **kwargs):
        _kb(name + "_start")
        try:
            return orig(*args, **kwargs)
        finally:
            _kb(name + "_end")

    setattr(obj, attr, wrapper)


def _kb_instrument(panel, figure_widget):
    kernel = get_ipython().kernel
    handler = kernel.shell_handlers["comm_msg"]

    def comm_msg(stream, ident, msg):
        _kb("handler_start", msg_id=msg["header"]["msg_id"], comm_id=msg["content"].get("comm_id"))
        try:
            return handler(stream, ident, msg)
        finally:
            _kb("handler_end")

    kernel.shell_handlers["comm_msg"] = comm_msg
    _kb_wrap(panel, "_redraw", "redraw")
    _kb_wrap(panel, "_update", "update")
    canvas = panel.fig.canvas if hasattr(panel, "fig") else None
    if canvas is not None and hasattr(canvas, "get_diff_image"):  # ipympl
        _kb_wrap(canvas.manager, "refresh_all", "refresh")
        _kb_wrap(canvas, "get_diff_image", "diff")
    if hasattr(panel, "_background_png"):  # drawn in the browser (lecture_utils.widgets.browser_canvas)
        import lecture_utils.widgets.browser_canvas as browser_canvas
        _kb_wrap(browser_canvas, "frame_items", "items")  # _redraw looks it up in its module
        _kb_wrap(panel, "_background_png", "background")
    comm = figure_widget.comm
    send = comm.send

    def comm_send(*args, **kwargs):
        size = sum(memoryview(b).nbytes for b in (kwargs.get("buffers") or []))
        data = kwargs.get("data") or (args[0] if args else {}) or {}
        what = data.get("method", "?")
        if what == "custom":
            what = str((data.get("content") or {}).get("data", ""))[:60]
        elif what == "update":
            what = "update " + ",".join(sorted((data.get("state") or {}).keys()))
        _kb("fig_send_start", size=size, what=what)
        try:
            return send(*args, **kwargs)
        finally:
            _kb("fig_send_end")

    comm.send = comm_send
    iopub = kernel.iopub_thread
    really_send = iopub._really_send
    mark = comm.comm_id.encode()

    def iopub_send(msg, *args, **kwargs):  # in the IOPub thread: when the figure's message leaves
        if any(mark in bytes(f) for f in msg[:8] if len(f) < 4096):
            _kb("fig_iopub_start", cpu=False)
            try:
                return really_send(msg, *args, **kwargs)
            finally:
                _kb("fig_iopub_end", cpu=False)
        return really_send(msg, *args, **kwargs)

    iopub._really_send = iopub_send
    return {"figure": figure_widget.model_id}


def _kb_dump():
    print(_kb_json.dumps(_KB))
    _KB.clear()
'''

#: page side: stamps and raw WebSocket messages, decoded only when the report is read
PAGE_PROBE = r"""
(panel) => {
  if (window.__kb) return window.__kb.protocol;
  const T = performance.timeOrigin, now = () => T + performance.now();
  const kb = {ev: [], raw: []};
  window.__kb = kb;
  document.addEventListener('keydown', e => kb.ev.push({k: 'keydown', t: T + e.timeStamp}), true);
  const nb = window.jupyterapp.shell.currentWidget;
  const ws = nb.sessionContext.session.kernel._ws;
  kb.protocol = ws.protocol || '(default)';
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (this === ws) kb.raw.push({k: 'ws_send', t: now(), data});
    return send.call(this, data);
  };
  ws.addEventListener('message', e => kb.raw.push({k: 'ws_recv', t: T + e.timeStamp, th: now(), data: e.data}));
  const tdu = HTMLCanvasElement.prototype.toDataURL;
  HTMLCanvasElement.prototype.toDataURL = function (...a) {
    const t = now(), r = tdu.apply(this, a);
    kb.ev.push({k: 'toDataURL', t, t1: now(), w: this.width, h: this.height});
    return r;
  };
  const di = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (src, ...a) {
    const t = now(), r = di.call(this, src, ...a);
    kb.ev.push({k: src instanceof HTMLImageElement ? 'draw_image' : 'draw_canvas', t, t1: now(),
                onscreen: this.canvas.isConnected});
    return r;
  };
  for (const target of panel.querySelectorAll('.noUi-target'))
    if (target.noUiSlider) target.noUiSlider.on('slide.kb', () => kb.ev.push({k: 'slide', t: now()}));
  panel.addEventListener('lecture-canvas-render', e => kb.ev.push({k: 'render', t: T + e.detail.start,
                                                                   t1: T + e.detail.end}));
  const dec = new TextDecoder();
  const decode = (data) => {
    const part = (buf, a, b) => JSON.parse(dec.decode(new Uint8Array(buf, a, b - a)));
    let header, parent, content, channel = '', size = 0;
    if (typeof data === 'string') {
      const m = JSON.parse(data); header = m.header; parent = m.parent_header; content = m.content;
      channel = m.channel; size = data.length;
    } else {
      const buf = data instanceof ArrayBuffer ? data : data.buffer;
      size = buf.byteLength;
      const dv = new DataView(buf);
      if (kb.protocol.startsWith('v1')) {
        const n = Number(dv.getBigUint64(0, true)), off = [];
        for (let i = 0; i < n; i++) off.push(Number(dv.getBigUint64(8 * (i + 1), true)));
        channel = dec.decode(new Uint8Array(buf, off[0], off[1] - off[0]));
        header = part(buf, off[1], off[2]); parent = part(buf, off[2], off[3]);
        content = part(buf, off[4], off[5]);
      } else {
        const n = dv.getUint32(0), off = [];
        for (let i = 1; i <= n; i++) off.push(dv.getUint32(i * 4));
        const m = part(buf, off[0], n > 1 ? off[1] : buf.byteLength);
        header = m.header; parent = m.parent_header; content = m.content; channel = m.channel;
      }
    }
    const d = (content && content.data) || {};
    return {channel, type: header.msg_type, id: header.msg_id, date: header.date,
            parent: parent && parent.msg_id, comm: content && content.comm_id, method: d.method,
            keys: d.state ? Object.keys(d.state) : null,
            state: content && content.execution_state, size};
  };
  kb.report = () => {
    const out = kb.raw.map(r => { try { return {...r, data: undefined, ...decode(r.data)}; }
                                  catch (e) { return {...r, data: undefined, error: String(e)}; } });
    return {ev: kb.ev, msgs: out};
  };
  kb.clear = () => { kb.ev = []; kb.raw = []; };
  return kb.protocol;
}
"""

EXECUTE_JS = r"""
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


def breakdown_notebook(module: str, name: str, setup: str = "") -> str:
    import nbformat

    v4 = nbformat.v4
    cells = [v4.new_code_cell("%matplotlib widget\nfrom lecture_utils.style import use_lecture_style\n"
                              f"use_lecture_style()\nfrom {module} import {name}"),
             v4.new_code_cell(KERNEL_PROBE + ("\n" + setup if setup else "")),
             v4.new_code_cell(f"panel = {name}()\npanel")]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def clock_offset(page, tries: int = 30) -> tuple[float, float]:
    """(page epoch ms − this process's time.time() ms, half-width of the tightest round trip)."""
    best = None
    for _ in range(tries):
        t0 = time.time() * 1e3
        b = page.evaluate("() => performance.timeOrigin + performance.now()")
        t1 = time.time() * 1e3
        if best is None or t1 - t0 < best[1]:
            best = (b - (t0 + t1) / 2, t1 - t0)
    return best[0], best[1] / 2


def _iso_ms(date: str | None) -> float | None:
    """Epoch ms of a Jupyter header date (ISO 8601, µs from the kernel, ms from the browser)."""
    if not date:
        return None
    return datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp() * 1e3


#: (label, from event, to event) — the legs of one press, in order
LEGS = [
    ("browser: keydown → slider 'slide' event", "keydown", "slide"),
    ("browser: slide → comm message on the WebSocket", "slide", "ws_send"),
    ("transport: WebSocket → server → ZMQ → kernel handler", "ws_send", "handler_start"),
    ("kernel: ipywidgets set_state → Panel._redraw", "handler_start", "redraw_start"),
    ("kernel: Panel._update (maths, set_data, read-out)", "update_start", "update_end"),
    ("kernel: restore background + draw animated artists", "update_end", "refresh_start"),
    ("kernel: ipympl get_diff_image (diff + PNG encode)", "diff_start", "diff_end"),
    ("kernel: artists → pixel coordinates (browser canvas)", "items_start", "items_end"),
    ("kernel: comm.send of the figure message", "fig_send_start", "fig_send_end"),
    ("kernel: comm.send → the IOPub thread sends it (waits for the GIL)", "fig_send_start", "fig_iopub_start"),
    ("transport: IOPub socket → server → WebSocket message event", "fig_iopub_start", "fig_recv"),
    ("transport: kernel → ZMQ → server → WebSocket", "fig_send_start", "fig_recv"),
    ("browser: message → ipympl handle_binary (toDataURL of the old frame)", "toDataURL", "toDataURL_end"),
    ("browser: message arrived → PNG decoded, drawn off-screen", "fig_recv", "draw_image"),
    ("browser: off-screen → visible canvas", "draw_image", "draw_canvas"),
    ("browser: message arrived → drawn by the renderer", "fig_recv", "render_end"),
    ("browser: drawn → frame with the new pixels (paint)", "drawn", "paint"),
]


def segment(page_rep: dict, kernel: list[dict], paints: list[float], figure_comm: str,
            offset: float) -> list[dict]:
    """One dict of event times (ms, page clock) per press."""
    ev = sorted(page_rep["ev"], key=lambda e: e["t"])
    msgs = page_rep["msgs"]
    keys = [e["t"] for e in ev if e["k"] == "keydown"]
    presses = []
    for i, k in enumerate(keys):
        end = keys[i + 1] if i + 1 < len(keys) else float("inf")
        inside = lambda t: k <= t < end  # noqa: E731
        p: dict[str, float] = {"keydown": k}

        def first(kind, src=ev, cond=lambda e: True):
            for e in src:
                if e["k"] == kind and inside(e["t"]) and cond(e):
                    return e
            return None

        slide = first("slide")
        if slide:
            p["slide"] = slide["t"]
        sent = first("ws_send", msgs, lambda m: m.get("type") == "comm_msg" and m.get("method") == "update")
        if not sent:
            presses.append(p)
            continue
        p["ws_send"] = sent["t"]
        ks = [dict(s, t=s["t"] + offset) for s in kernel]
        h = next((j for j, s in enumerate(ks) if s["k"] == "handler_start" and s.get("msg_id") == sent["id"]), None)
        if h is not None:
            for s in ks[h:]:
                if s["k"] == "handler_start" and s is not ks[h]:
                    break
                p.setdefault(s["k"], s["t"])
                if "c" in s:
                    p.setdefault("cpu:" + s["k"], s["c"])
        recv = first("ws_recv", msgs, lambda m: m.get("comm") == figure_comm and m.get("type") == "comm_msg"
                     and m.get("method") in ("custom", "update") and m["t"] >= sent["t"])
        if recv:
            p["fig_recv"] = recv["t"]
            p["fig_date"] = (_iso_ms(recv.get("date")) or 0) + offset
            p["fig_size"] = recv.get("size", 0)
        for kind in ("toDataURL", "draw_image", "render"):
            e = first(kind, ev, lambda e: e["t"] >= p.get("fig_recv", k))
            if e:
                p[kind] = e["t"]
                p[kind + "_end"] = e["t1"]
        e = first("draw_canvas", ev, lambda e: e.get("onscreen") and e["t"] >= p.get("draw_image", end))
        if e:
            p["draw_canvas"] = e["t1"]
        p["drawn"] = p.get("draw_canvas", p.get("render_end"))
        paint = next((t for t in paints if inside(t)), None)
        if paint is not None:
            p["paint"] = paint
        presses.append(p)
    return presses


def summarise(presses: list[dict]) -> list[tuple[str, float, float | None, int]]:
    """(leg, median wall ms, median kernel CPU ms or None, presses) for every leg seen."""
    rows = []
    for label, a, b in LEGS:
        vals = [p[b] - p[a] for p in presses if a in p and b in p]
        cpu = [p["cpu:" + b] - p["cpu:" + a] for p in presses if "cpu:" + a in p and "cpu:" + b in p]
        if vals:
            rows.append((label, statistics.median(vals), statistics.median(cpu) if cpu else None, len(vals)))
    cpu = [p["cpu:handler_end"] - p["cpu:handler_start"] for p in presses
           if "cpu:handler_end" in p and "cpu:handler_start" in p]
    wall = [p["handler_end"] - p["handler_start"] for p in presses if "handler_end" in p and "handler_start" in p]
    if wall:
        rows.append(("kernel: whole comm_msg handler", statistics.median(wall),
                     statistics.median(cpu) if cpu else None, len(wall)))
    tot = [p["paint"] - p["keydown"] for p in presses if "paint" in p]
    if tot:
        rows.append(("total: keydown → paint", statistics.median(tot), None, len(tot)))
    return rows


def press_series(page, panel, handle, presses: int) -> tuple[list[float], list[float]]:
    """(latencies ms, paint times on the page's epoch clock) of ``presses`` alternating presses."""
    lp = lab_page
    below, above = lp.slider_room(handle)
    keys = ["ArrowRight", "ArrowLeft"] if above >= below else ["ArrowLeft", "ArrowRight"]
    lat, paints = [], []
    origin = page.evaluate("() => performance.timeOrigin")
    for i in range(presses):
        ms = lp.press_and_measure(page, panel, handle, keys[i % 2], 10.0)
        if ms is not None:
            lat.append(ms)
            paints.append(origin + lp.report(page)["log"][0]["t"])
        lp.wait_quiet(page, 0.25)
    return lat, paints


def run(module: str, name: str, presses: int, slider: str | None, setup: str = "") -> dict:
    lp = lab_page
    with JupyterLab([]) as lab, chromium() as browser:
        lab.add_notebook("_breakdown.ipynb", breakdown_notebook(module, name, setup))
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            lp.open_notebook(page, lab.url("_breakdown.ipynb"))
            result = lp.restart_and_run_all(page)
            if result.problems:
                raise RuntimeError("; ".join(result.problems))
            panel = page.locator(lp.PANEL_SELECTOR).first
            panel.scroll_into_view_if_needed()
            deadline = time.monotonic() + 20
            while lp.figure_signature(page, panel) in (None, "empty") and time.monotonic() < deadline:
                time.sleep(0.2)
            handles = panel.locator(".noUi-handle").all()
            if slider:
                handles = [h for h in handles if slider in h.evaluate(
                    "h => h.closest('.widget-slider').querySelector('.widget-label').textContent")] or handles
            handle = handles[0]
            press_series(page, panel, handle, 3)  # warm-up: first full draws, caches
            plain, _ = press_series(page, panel, handle, presses)
            info = json.loads(page.evaluate(EXECUTE_JS, "import json\nprint(json.dumps(_kb_instrument("
                                            "panel, getattr(panel, 'canvas', None) or panel.fig.canvas)))"))
            protocol = panel.evaluate(PAGE_PROBE)
            press_series(page, panel, handle, 2)
            page.evaluate("() => window.__kb.clear()")
            page.evaluate(EXECUTE_JS, "_KB.clear()")
            offset, width = clock_offset(page)
            probed, paints = press_series(page, panel, handle, presses)
            offset2, width2 = clock_offset(page)
            rep = page.evaluate("() => window.__kb.report()")
            watcher_ms = panel.evaluate("p => { const t = performance.now(); for (let i = 0; i < 20; i++) "
                                        "window.__lp.sig(p); return (performance.now() - t) / 20; }")
            out = page.evaluate(EXECUTE_JS, "_kb_dump()")
            kernel = json.loads(out)
        finally:
            context.close()
            lab.shutdown_kernels()
    steps = segment(rep, kernel, paints, info["figure"], (offset + offset2) / 2)
    return {"panel": name, "protocol": protocol, "plain": plain, "probed": probed,
            "offset_ms": [offset, offset2], "offset_halfwidth_ms": max(width, width2),
            "presses": steps, "legs": summarise(steps), "figure_comm": info["figure"],
            "page_events": rep, "kernel_events": kernel, "watcher_ms": watcher_ms}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--panel", default="lecture_utils.widgets.activation_explorer:ActivationExplorer",
                    help="module:Class of the panel (default: the activation explorer)")
    ap.add_argument("--slider", default=None, help="label of the slider to press (default: the first)")
    ap.add_argument("--presses", type=int, default=30)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--kernel-setup", default="", metavar="CODE",
                    help="Python run in the kernel before the panel is built, e.g. "
                         "'import sys; sys.setswitchinterval(0.0005)' (an experiment, printed)")
    args = ap.parse_args(argv)
    module, name = args.panel.split(":")
    print(f"key press breakdown of {name}; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs", flush=True)
    if args.kernel_setup:
        print(f"kernel set-up: {args.kernel_setup}")
    r = run(module, name, args.presses, args.slider, args.kernel_setup)
    med = lambda v: statistics.median(v) if v else float("nan")  # noqa: E731
    print(f"kernel WebSocket protocol: {r['protocol']}; clock offset page − kernel "
          f"{r['offset_ms'][0]:+.2f} / {r['offset_ms'][1]:+.2f} ms (± {r['offset_halfwidth_ms']:.2f})")
    print(f"keydown → figure changed, median: {med(r['plain']):.1f} ms without probes (n={len(r['plain'])}), "
          f"{med(r['probed']):.1f} ms with them (n={len(r['probed'])})")
    print(f"the page's frame watcher (getImageData + hash of the figure, every frame) takes "
          f"{r['watcher_ms']:.1f} ms of the page's main thread per frame")
    sizes = [p["fig_size"] for p in r["presses"] if "fig_size" in p]
    if sizes:
        print(f"figure message on the wire: median {med(sizes) / 1024:.1f} KiB")
    print(f"\n{'leg (median over presses)':<72}{'ms':>7}{'CPU ms':>8}{'n':>4}")
    for label, ms, cpu, n in r["legs"]:
        print(f"{label:<72}{ms:7.1f}{'' if cpu is None else f'{cpu:.1f}':>8}{n:4d}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
