"""Driving a JupyterLab page: run a notebook, find the panels, poke them, watch their figures.

Shared by ``tests/browser/test_notebooks_in_browser.py`` and ``bench/bench_browser_latency.py``.

How a figure is watched: a small script in the page (``window.__lp``) computes a signature of a
panel's figure — an FNV-1a hash of the ipympl canvas pixels, or of the ``src`` of an inline
``<img>`` — once per animation frame, and logs ``(frame time, signature)`` whenever it changes.
A capturing ``keydown`` listener stamps every key press with ``performance.now()``, so
"key press → first frame in which the figure differs" is measured inside the page, on one clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: the panels of the notebook in the active tab (never those of a hidden tab)
PANEL_SELECTOR = ".jp-NotebookPanel:not(.lm-mod-hidden) .lecture-panel"

PROBE_JS = r"""
() => {
  if (window.__lp) return;
  const lp = {lastKey: 0, keys: 0, _w: null};
  document.addEventListener('keydown', () => { lp.lastKey = performance.now(); lp.keys++; }, true);
  const fnv = (h, x) => Math.imul(h ^ x, 16777619);
  lp.sig = (panel) => {
    const cv = panel.querySelector('.jupyter-matplotlib canvas, canvas.lecture-canvas');
    if (cv) {
      if (!cv.width || !cv.height) return 'empty';
      const u = new Uint32Array(cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data.buffer);
      let h = 0x811c9dc5;
      for (let i = 0; i < u.length; i++) h = fnv(h, u[i]);
      return `canvas ${cv.width}x${cv.height} ${(h >>> 0).toString(16)}`;
    }
    const img = panel.querySelector('img');
    if (img && img.complete && img.naturalWidth) {
      let h = 0x811c9dc5; const s = img.src;
      for (let i = 0; i < s.length; i++) h = fnv(h, s.charCodeAt(i));
      return `img ${s.length} ${(h >>> 0).toString(16)}`;
    }
    return null;  // no figure at this moment (e.g. an output being replaced)
  };
  lp.watch = (panel) => {
    if (lp._w) lp._w.on = false;
    const w = {on: true, log: [], last: lp.sig(panel)};
    w.initial = w.last;
    const tick = (ts) => {
      if (!w.on) return;
      const s = lp.sig(panel);
      if (s !== null && s !== w.last) { w.log.push({t: ts, now: performance.now(), sig: s}); w.last = s; }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    lp._w = w;
    return w.initial;
  };
  lp.changes = () => (lp._w ? lp._w.log.length : 0);
  lp.report = () => ({log: lp._w ? lp._w.log : [], initial: lp._w ? lp._w.initial : null,
                      current: lp._w ? lp._w.last : null, lastKey: lp.lastKey, keys: lp.keys});
  lp.unwatch = () => { if (lp._w) lp._w.on = false; };
  window.__lp = lp;
}
"""

_KERNEL_IDLE_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(k && k.status === 'idle' && w.content && w.content.widgets.length);
}"""

_CELLS_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.map((c, i) => {
    const m = c.model, code = m.type === 'code';
    const prompt = code ? (c.node.querySelector('.jp-InputPrompt') || {}).textContent || '' : '';
    return {index: i, type: m.type, count: code ? m.executionCount : null, prompt: prompt.trim(),
            source: m.sharedModel.getSource(), tags: m.getMetadata('tags') || [],
            outputs: code ? m.outputs.toJSON().map(o => ({type: o.output_type, ename: o.ename || '',
                                                         evalue: o.evalue || ''})) : []};
  });
  return {status: k ? k.status : 'none', cells};
}"""


@dataclass
class CellState:
    index: int
    type: str
    count: int | None
    prompt: str
    source: str
    tags: list[str]
    outputs: list[dict[str, str]]

    @property
    def deliberate_error(self) -> bool:
        """True for cells marked as a deliberate error demo (nbval comment or Jupyter tag)."""
        first = self.source.split("\n", 1)[0]
        return "NBVAL_RAISES_EXCEPTION" in first or "raises-exception" in self.tags

    @property
    def errors(self) -> list[dict[str, str]]:
        return [o for o in self.outputs if o["type"] == "error"]


@dataclass
class RunResult:
    cells: list[CellState]
    seconds: float
    problems: list[str] = field(default_factory=list)


def wait_kernel_idle(page: Any, timeout: float = 90.0) -> None:
    """Wait until the current notebook's kernel is connected and idle."""
    page.wait_for_function(_KERNEL_IDLE_JS, timeout=timeout * 1000)


def open_notebook(page: Any, url: str, timeout: float = 90.0) -> None:
    """Open a notebook URL and wait until its kernel is up and idle."""
    page.goto(url)
    wait_kernel_idle(page, timeout)
    page.evaluate(PROBE_JS)


def cell_states(page: Any) -> tuple[str, list[CellState]]:
    data = page.evaluate(_CELLS_JS)
    return data["status"], [CellState(**c) for c in data["cells"]]


def restart_and_run_all(page: Any, timeout: float = 240.0) -> RunResult:
    """Kernel ▸ Restart Kernel and Run All Cells…, confirm, and wait until every code cell ran.

    Returns the cell states; ``problems`` lists what a student would see go wrong (a code cell
    that never ran, an error output outside a deliberate-error cell).
    """
    t0 = time.monotonic()
    page.click(".lm-MenuBar-itemLabel:text-is('Kernel')")
    page.click(".lm-Menu-itemLabel:text-is('Restart Kernel and Run All Cells…')")
    page.click(".jp-Dialog .jp-mod-accept")
    page.wait_for_selector(".jp-Dialog", state="detached", timeout=10_000)
    time.sleep(0.5)  # let the restart begin before polling for "idle"
    deadline, idle_since = t0 + timeout, None
    while True:
        status, cells = cell_states(page)
        code = [c for c in cells if c.type == "code" and c.source.strip()]
        done = all(c.count is not None for c in code)
        # "idle" with a cell still queued ([*]) is a kernel between start-up and the queued cells
        # (seen on a busy machine, the first notebook of a fresh server), not a stop
        queued = any(c.prompt.strip() == "[*]:" for c in code)
        idle = status == "idle" and not queued
        idle_since = (idle_since or time.monotonic()) if idle else None
        stalled = idle_since is not None and time.monotonic() - idle_since > 4.0  # stopped on an error
        if (done and idle) or stalled or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    wait_quiet = 1.0 if done else 0.0
    time.sleep(wait_quiet)  # widget views render after the kernel went idle
    status, cells = cell_states(page)
    result = RunResult(cells, time.monotonic() - t0)
    code = [c for c in cells if c.type == "code" and c.source.strip()]
    for c in code:
        if c.errors and not c.deliberate_error:
            e = c.errors[0]
            result.problems.append(f"cell {c.index} raised {e['ename']}: {e['evalue']}\n"
                                   f"  source: {c.source[:300]!r}")
    never = [c for c in code if c.count is None or not c.prompt.strip("[]: *").isdigit()]
    if never:
        first = never[0]
        before = [c for c in code if c.index < first.index and c.errors]
        why = ""
        if before and before[-1].deliberate_error and "raises-exception" not in before[-1].tags:
            why = (f" — Run All stopped at the deliberate error in cell {before[-1].index}: JupyterLab "
                   "only carries on past a cell tagged `raises-exception` (the `# NBVAL_RAISES_EXCEPTION`"
                   " comment is not enough); add the tag to that cell's metadata")
        elif time.monotonic() > deadline:
            why = f" — still running after {timeout:.0f} s"
        result.problems.append(f"{len(never)} code cell(s) never got an execution number, first: "
                               f"cell {first.index} (prompt {first.prompt!r}){why}")
    return result


def widget_errors(page: Any) -> list[str]:
    """Texts of widget views that failed to render ("Error displaying widget…")."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
        .map(e => e.innerText).filter(t => /Error displaying widget|Error rendering/.test(t))
        .map(t => t.slice(0, 300))""")


def callback_errors(page: Any) -> list[str]:
    """Exceptions raised in widget callbacks (JupyterLab's log console for the current notebook).

    A panel whose ``_update`` raises shows no error in any cell: the traceback goes to the log
    console. Returns ``"Name: message"`` strings; an empty list if the log cannot be read.
    """
    return page.evaluate("""() => {
      try {
        const app = window.jupyterapp, nb = app.shell.currentWidget;
        const plugin = app.pluginRegistry._plugins.get('@jupyterlab/logconsole-extension:plugin');
        const registry = plugin.service || plugin._service;
        return registry.getLogger(nb.context.path).outputAreaModel.toJSON()
          .filter(o => o.output_type === 'error').map(o => `${o.ename}: ${o.evalue}`);
      } catch (e) { return []; }
    }""")


# -- figures and controls ------------------------------------------------------------------------
def panel_class(panel: Any) -> str:
    """``ActivationExplorer`` for a panel element carrying ``lecture-panel-ActivationExplorer``."""
    classes = (panel.get_attribute("class") or "").split()
    names = [c[len("lecture-panel-"):] for c in classes if c.startswith("lecture-panel-")]
    return names[0] if names else "?"


def figure_signature(page: Any, panel: Any) -> str | None:
    """Signature of the panel's figure now; ``'empty'`` for a 0×0 canvas, None for no figure."""
    return panel.evaluate("p => window.__lp.sig(p)")


def watch(page: Any, panel: Any) -> str | None:
    """Start logging every change of the panel's figure (one check per animation frame)."""
    return panel.evaluate("p => window.__lp.watch(p)")


def wait_changes(page: Any, n: int = 1, timeout: float = 10.0) -> bool:
    """Wait until the watched figure changed ``n`` times; False on timeout."""
    try:
        page.wait_for_function("n => window.__lp.changes() >= n", arg=n, timeout=timeout * 1000)
        return True
    except Exception:  # playwright's TimeoutError
        return False


def wait_quiet(page: Any, quiet: float = 0.2, timeout: float = 10.0) -> None:
    """Wait until the watched figure has not changed for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = page.evaluate("() => window.__lp.changes()")
        if n != seen:
            seen, since = n, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.05)


def report(page: Any) -> dict[str, Any]:
    """The watch log: ``log`` (list of ``{t, now, sig}``), ``initial``, ``current``, ``lastKey``."""
    return page.evaluate("() => window.__lp.report()")


def slider_room(handle: Any) -> tuple[float, float]:
    """Steps of room as (value − min, max − value), from the handle's ARIA attributes."""
    now, lo, hi = (float(handle.get_attribute(a) or 0) for a in
                   ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    return now - lo, hi - now


def press_and_measure(page: Any, panel: Any, handle: Any, key: str, timeout: float = 10.0) -> float | None:
    """Press ``key`` on a focused slider handle; ms from keydown to the first frame that differs.

    Returns None if the figure did not change within ``timeout`` seconds.
    """
    handle.focus()
    watch(page, panel)
    page.keyboard.press(key)
    if not wait_changes(page, 1, timeout):
        return None
    r = report(page)
    return max(0.0, r["log"][0]["t"] - r["lastKey"])


def save_failure_artifacts(page: Any, console: list[str], stem: str, directory: Path) -> list[Path]:
    """Screenshot and console log of a failed browser test, as ``<directory>/<stem>.{png,log}``."""
    directory.mkdir(parents=True, exist_ok=True)
    png, log = directory / f"{stem}.png", directory / f"{stem}.console.log"
    try:
        page.screenshot(path=str(png), full_page=True)
    except Exception as exc:  # a crashed page still gets its log saved
        console = console + [f"(screenshot failed: {exc})"]
    log.write_text("\n".join(console) + "\n", encoding="utf-8")
    return [png, log]
