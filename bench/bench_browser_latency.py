"""Key press → figure update latency of every panel, in JupyterLab in headless Chromium.

    .venv/bin/python bench/bench_browser_latency.py                 # the panels in notebooks/
    .venv/bin/python bench/bench_browser_latency.py --all-panels    # every Panel class, defaults
    .venv/bin/python bench/bench_browser_latency.py --match Softmax --presses 40
    .venv/bin/python bench/bench_browser_latency.py --json test-artifacts/lat.json --plot docs/img/browser_latency.png
    .venv/bin/python bench/bench_browser_latency.py --prototype-only   # browser-drawn vs ipympl only

For each panel (each class once, where it first appears): focus the first slider that moves its
figure and press ArrowRight/ArrowLeft alternately ``--presses`` times, waiting for the figure to
settle in between; the latency of one press is measured inside the page, from the ``keydown``
event to the first animation frame in which the figure's pixels differ (``performance.now()``
and ``requestAnimationFrame``; resolution one frame, about 17 ms). Then a burst of ``--burst``
presses as fast as Playwright sends them; the settle time is from the last ``keydown`` to the
frame in which the figure last changed, i.e. reached the image it keeps once everything is quiet
(1.5 s without change).

Reference, same run, same machine: the same computation drawn the common way — ``%matplotlib
inline`` with ``ipywidgets.interactive`` over the panel's own controls, each update building a
new figure with the panel's ``_build``/``_update`` and showing it as a PNG — in its own notebook
and kernel (inline and widget backends cannot share a kernel).

Browser-drawn prototypes (subclasses of ``lecture_utils.widgets.browser_canvas.BrowserCanvasPanel``,
e.g. ``ActivationExplorerJS``) are measured after the notebooks, each next to the ipympl panel it
is built on, in one generated notebook (same page, same kernel, presses interleaved panel by
panel), so the two sit side by side in the same run and harness (``--no-prototype`` skips them).

Prints a table; never fails on time. Targets: median ≤ 50 ms, p95 ≤ 100 ms, burst settle ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _jupyter import (NOTEBOOKS_DIR, JupyterLab, chromium, discover_panels,  # noqa: E402
                      lab_page, panels_notebook)

TARGETS = {"median": 50.0, "p95": 100.0, "settle": 150.0}

REFERENCE_SETUP = '''\
%matplotlib inline
import ipywidgets as widgets
import matplotlib.pyplot as plt
from lecture_utils.style import use_lecture_style
use_lecture_style()

def interact_reference(cls):
    """cls's computation the common way: interactive() + a new inline figure per update."""
    panel = cls()            # only for its controls and its _build/_update code
    plt.close(panel.fig)
    controls = {}
    for name, c in panel.controls.items():
        if hasattr(c, "value") and not isinstance(c, widgets.Button):
            c.unobserve(panel._on_change, names="value")
            controls[name] = c
    def draw(**values):
        panel.fig = plt.figure(figsize=panel.figsize)
        panel._build(panel.fig)
        panel._update({**panel.values, **values})
        plt.show()
    ui = widgets.interactive(draw, **controls)
    ui.add_class("lecture-panel")
    ui.add_class(f"lecture-panel-{cls.__name__}")
    return ui'''


def reference_notebook(panels: list[tuple[str, str]]) -> str:
    import nbformat

    v4 = nbformat.v4
    cells = [v4.new_code_cell(REFERENCE_SETUP)]
    cells += [v4.new_code_cell(f"from {m} import {n}\ninteract_reference({n})") for m, n in panels]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def _tag_deliberate_errors(text: str) -> str:
    import nbformat

    nb = nbformat.reads(text, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "NBVAL_RAISES_EXCEPTION" in cell.source.split("\n", 1)[0]:
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
    return nbformat.writes(nb)


def _slider_label(handle) -> str:
    return handle.evaluate("h => { const w = h.closest('.widget-slider'); const l = w && "
                           "w.querySelector('.widget-label'); return l ? l.textContent.trim() : '?'; }")


def _moving_handle(page, panel, label: str | None = None):
    """The first slider handle of the panel that moves its figure (or the one labelled so)."""
    lp = lab_page
    panel.scroll_into_view_if_needed()
    handles = panel.locator(".noUi-handle").all()
    if label is not None:
        handles = [h for h in handles if _slider_label(h) == label] or handles
    for h in handles:
        below, above = lp.slider_room(h)
        if lp.press_and_measure(page, panel, h, "ArrowRight" if above > 0 else "ArrowLeft", 10.0) is not None:
            lp.wait_quiet(page, 0.5)
            return h
        lp.wait_quiet(page, 0.2)
    return None


def _presses(page, panel, handle, presses: int, times: list[float]) -> int:
    """Press →/← alternately (towards the side with more room first); append ms; return misses."""
    lp = lab_page
    panel.scroll_into_view_if_needed()
    below, above = lp.slider_room(handle)
    keys = ["ArrowRight", "ArrowLeft"] if above >= below else ["ArrowLeft", "ArrowRight"]
    missed = 0
    for i in range(presses):
        ms = lp.press_and_measure(page, panel, handle, keys[i % 2], 10.0)
        lp.wait_quiet(page, 0.25)
        if ms is None:
            missed += 1
        else:
            times.append(ms)
    return missed


def _burst(page, panel, handle, burst: int) -> dict:
    """Settle time of ``burst`` presses sent as fast as they go, towards the side with more room."""
    lp = lab_page
    panel.scroll_into_view_if_needed()
    below, above = lp.slider_room(handle)
    key = "ArrowRight" if above >= below else "ArrowLeft"
    handle.focus()
    lp.watch(page, panel)
    t0 = time.perf_counter()
    for _ in range(burst):
        page.keyboard.press(key)
    sent_s = time.perf_counter() - t0
    lp.wait_quiet(page, 1.5, timeout=60.0)
    rep = lp.report(page)
    log = rep["log"]
    settle = (log[-1]["t"] - rep["lastKey"]) if log else None
    return {"settle": None if settle is None else max(0.0, settle), "burst_frames": len(log),
            "burst_send_ms": sent_s * 1e3}


def _summary(handle, times: list[float], missed: int, burst: dict) -> dict:
    return {"slider": _slider_label(handle), "n": len(times), "missed": missed,
            "median": float(np.median(times)) if times else None,
            "p95": float(np.percentile(times, 95)) if times else None,
            "min": float(min(times)) if times else None, "times": times, **burst}


def measure_panel(page, panel, presses: int, burst: int, label: str | None = None) -> dict:
    """Latencies (ms) of single presses and the settle time of a burst, on one panel element."""
    handle = _moving_handle(page, panel, label)
    if handle is None:
        return {"error": "no slider moves the figure"}
    times: list[float] = []
    missed = _presses(page, panel, handle, presses, times)
    return _summary(handle, times, missed, _burst(page, panel, handle, burst))


def measure_interleaved(page, panels: dict, presses: int, burst: int, rounds: int = 4) -> dict[str, dict]:
    """Like :func:`measure_panel` for several panels of one page, their presses taken in turns
    (``rounds`` rounds), so a change in the machine's load hits them alike."""
    handles = {cls: _moving_handle(page, el) for cls, el in panels.items()}
    out = {cls: {"error": "no slider moves the figure"} for cls, h in handles.items() if h is None}
    live = {cls: h for cls, h in handles.items() if h is not None}
    times: dict[str, list[float]] = {cls: [] for cls in live}
    missed = dict.fromkeys(live, 0)
    per_round = [presses // rounds + (1 if i < presses % rounds else 0) for i in range(rounds)]
    for n in per_round:
        for cls, handle in live.items():
            missed[cls] += _presses(page, panels[cls], handle, n, times[cls])
    for cls, handle in live.items():
        out[cls] = _summary(handle, times[cls], missed[cls], _burst(page, panels[cls], handle, burst))
    return out


def run_notebook(browser, lab, name: str, presses: int, burst: int, wanted: set[str] | None,
                 labels: dict[str, str] | None = None, shots: Path | None = None,
                 multi: bool = False) -> dict[str, dict]:
    """Run one notebook in a fresh tab and measure each wanted panel class (first instance);
    ``multi``: all of them together, their presses in turns (:func:`measure_interleaved`)."""
    lp = lab_page
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    out: dict[str, dict] = {}
    try:
        lp.open_notebook(page, lab.url(name))
        run = lp.restart_and_run_all(page)
        if run.problems:
            print(f"  ! {name}: " + "; ".join(p.split("\n")[0] for p in run.problems))
        panels = page.locator(lp.PANEL_SELECTOR).all()
        together = {}
        for panel in panels:
            cls = lp.panel_class(panel)
            if cls in out or cls in together or (wanted is not None and cls not in wanted):
                continue
            if lp.figure_signature(page, panel) in (None, "empty"):
                out[cls] = {"error": "figure not rendered (0×0 canvas or no image)"}
                continue
            if shots is not None:
                panel.scroll_into_view_if_needed()
                shots.mkdir(parents=True, exist_ok=True)
                panel.screenshot(path=str(shots / f"{cls}.png"))
            if multi:
                together[cls] = panel
                continue
            r = measure_panel(page, panel, presses, burst, (labels or {}).get(cls))
            r["notebook"] = name
            out[cls] = r
            print(f"  {cls:<24} {_fmt(r)}", flush=True)
        for cls, r in measure_interleaved(page, together, presses, burst).items() if together else ():
            r["notebook"] = name
            out[cls] = r
            print(f"  {cls:<24} {_fmt(r)}", flush=True)
    finally:
        context.close()
        lab.shutdown_kernels()
    return out


def _fmt(r: dict | None) -> str:
    if not r:
        return "—"
    if "error" in r:
        return r["error"]
    f = lambda v: "  n/a" if v is None else f"{v:5.0f}"  # noqa: E731
    return f"median {f(r['median'])}  p95 {f(r['p95'])}  settle {f(r['settle'])} ms ({r['burst_frames']} frames)"


def prototype_pairs(classes: dict[str, str]) -> list[tuple[str, str]]:
    """``(prototype, the ipympl panel it is built on)`` for every browser-drawn panel class."""
    import importlib

    from lecture_utils.widgets._panel import Panel
    from lecture_utils.widgets.browser_canvas import BrowserCanvasPanel

    pairs = []
    for name, module in classes.items():
        cls = getattr(importlib.import_module(module), name)
        if issubclass(cls, BrowserCanvasPanel):
            base = next((b for b in cls.__mro__[1:] if issubclass(b, Panel)
                         and not issubclass(b, BrowserCanvasPanel) and b is not Panel), None)
            if base is not None and base.__name__ in classes:
                pairs.append((name, base.__name__))
    return pairs


def plot(results: dict, path: Path) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib.pyplot as plt

    from lecture_utils.style import COLORS, use_lecture_style

    use_lecture_style()
    names = [n for n, r in results.items() if r["widget"].get("median") is not None]
    y = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(names) + 1.6), dpi=100)
    for off, kind, colour, text in ((-0.2, "widget", COLORS["blue"], "panel (ipympl, in place)"),
                                    (0.2, "reference", COLORS["orange"], "interact + inline (new figure)")):
        med = [results[n][kind].get("median") or np.nan for n in names]
        p95 = [results[n][kind].get("p95") or np.nan for n in names]
        ax.barh(y + off, med, height=0.38, color=colour, label=f"{text}: median")
        ax.errorbar(p95, y + off, fmt="|", color="black", markersize=10)
    ax.axvline(TARGETS["median"], color=COLORS["green"], linestyle="--", label="target median 50 ms")
    ax.axvline(TARGETS["p95"], color=COLORS["vermillion"], linestyle=":", label="target p95 100 ms (| = p95)")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("key press → figure changed (ms)")
    ax.legend(loc="lower right", fontsize=9)
    fig.savefig(path)  # the lecture style lays the figure out (constrained layout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--all-panels", action="store_true", help="every Panel class with its defaults, "
                    "in a generated notebook, instead of the panels in notebooks/")
    ap.add_argument("--match", default="", help="only panel classes whose name contains this")
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("--burst", type=int, default=20)
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--no-prototype", action="store_true", help="skip the browser-drawn prototypes")
    ap.add_argument("--prototype-only", action="store_true",
                    help="only the browser-drawn prototypes next to their ipympl panels")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--plot", type=Path)
    ap.add_argument("--screenshots", type=Path, help="save an image of each panel here")
    args = ap.parse_args(argv)

    classes = {n: m for m, n in discover_panels()}
    pairs = [] if args.no_prototype else [(p, b) for p, b in prototype_pairs(classes)
                                          if args.match.lower() in (p + b).lower()]
    prototypes = {p for p, _ in prototype_pairs(classes)}
    print(f"browser latency; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with JupyterLab([]) as lab, chromium() as browser:
        if args.prototype_only:
            notebooks = {}
        elif args.all_panels:
            chosen = [(m, n) for n, m in classes.items() if args.match.lower() in n.lower()]
            notebooks = {"_all_panels.ipynb": panels_notebook(chosen)}
        else:
            notebooks = {p.name: p.read_text(encoding="utf-8") for p in sorted(NOTEBOOKS_DIR.glob("*.ipynb"))}
        wanted = {n for n in classes if args.match.lower() in n.lower() and n not in prototypes}
        for name, text in notebooks.items():
            text = _tag_deliberate_errors(text)  # so Run All gets past them (see the tests)
            lab.add_notebook(name, text)
        widget: dict[str, dict] = {}
        print("panels updated in place (ipympl):")
        for name, text in notebooks.items():
            if not any(cls in text for cls in wanted - set(widget)):
                continue  # shows no panel still to be measured
            found = run_notebook(browser, lab, name, args.presses, args.burst, wanted - set(widget),
                                 shots=args.screenshots)
            widget.update(found)
        side_by_side: dict[str, dict] = {}
        if pairs:
            print("browser-drawn prototypes next to their ipympl panels (one notebook, one kernel):")
            shown = [c for pair in pairs for c in pair]
            lab.add_notebook("_prototypes.ipynb", panels_notebook([(classes[n], n) for n in shown]))
            side_by_side = run_notebook(browser, lab, "_prototypes.ipynb", args.presses, args.burst,
                                        set(shown), multi=True)
        reference: dict[str, dict] = {}
        measured = [n for n, r in widget.items() if "error" not in r and n in classes]
        if measured and not args.no_reference:
            print("reference (interact + %matplotlib inline):")
            lab.add_notebook("_reference.ipynb", reference_notebook([(classes[n], n) for n in measured]))
            labels = {n: widget[n]["slider"] for n in measured}
            reference = run_notebook(browser, lab, "_reference.ipynb", args.presses, args.burst,
                                     set(measured), labels)
    results = {n: {"widget": widget[n], "reference": reference.get(n, {})} for n in widget}
    if results:
        _table(results)
    if side_by_side:
        print("\nside by side (same notebook, same kernel):")
        _table({n: {"widget": r, "reference": {}} for n, r in side_by_side.items()})
        for proto, base in pairs:
            a, b = side_by_side.get(proto, {}), side_by_side.get(base, {})
            if a.get("median") and b.get("median"):
                print(f"{proto}: median {a['median']:.0f} ms vs {base} {b['median']:.0f} ms "
                      f"({b['median'] / a['median']:.1f}× faster); settle {a['settle']:.0f} vs {b['settle']:.0f} ms")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({**results, "_side_by_side": side_by_side,
                                         "_load": os.getloadavg()}, indent=1))
    if args.plot and results:
        plot(results, args.plot)
        print(f"plot: {args.plot}")
    return 0


def _table(results: dict) -> None:
    f = lambda v: "   n/a" if v is None else f"{v:6.0f}"  # noqa: E731
    head = (f"{'panel':<24}{'slider':<18}{'median':>7}{'p95':>7}{'settle':>7}   "
            f"{'ref med':>7}{'ref p95':>8}{'ref set':>8}  targets 50/100/150 ms")
    print("\n" + head + "\n" + "-" * len(head))
    for name, r in results.items():
        w, ref = r["widget"], r["reference"]
        if "error" in w:
            print(f"{name:<24}{w['error']}")
            continue
        miss = [k for k in ("median", "p95", "settle") if w.get(k) is not None and w[k] > TARGETS[k]]
        print(f"{name:<24}{w['slider'][:17]:<18}{f(w['median'])}{f(w['p95'])}{f(w['settle'])}   "
              f"{f(ref.get('median'))} {f(ref.get('p95'))} {f(ref.get('settle'))}  "
              + ("✗ " + ",".join(miss) if miss else "✓"))


if __name__ == "__main__":
    sys.exit(main())
