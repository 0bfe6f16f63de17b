"""Python-side cost and memory of every panel: set a control, redraw the figure.

    .venv/bin/python bench/bench_panels_python.py            # all panels
    .venv/bin/python bench/bench_panels_python.py Softmax     # panels whose class name matches
    .venv/bin/python bench/bench_panels_python.py --json test-artifacts/panels.json

Runs in this process under the **Agg** backend (no browser, no kernel): every Panel subclass in
``lecture_utils.widgets.*`` is built with its defaults, then driven through its own controls —
each update moves one slider by one step (bouncing at the ends) or picks the next option of a
drop-down / toggle row, round-robin over the controls, which runs ``_update`` and
``canvas.draw()`` exactly as a key press in the notebook does. Figures:

- time per update, median and 95th percentile over 100 updates (target: median ≤ 20 ms);
- RSS growth over 500 further updates, after a 50-update warm-up, and over the 500 after
  those (target ≤ 5 MB, judged on the second: the first also fills the panel's bounded caches
  and raises the allocator's high-water mark once — a leak grows in both);
- open matplotlib figures before and after the updates, and after building the panel again
  (re-running the cell): no growth allowed.

Prints a table; never fails on time (exit code 0 unless a panel cannot be built or driven).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

os.environ["MPLBACKEND"] = "Agg"  # before matplotlib is imported anywhere

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _jupyter import discover_panels  # noqa: E402

TARGET_MS, TARGET_MB = 20.0, 5.0


def _next_value(control: widgets.Widget, state: dict) -> object:
    """The value one step on from the current one (bouncing sliders, cycling options)."""
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        direction = state.setdefault(id(control), 1)
        value = control.value + direction * control.step
        if not control.min <= value <= control.max:
            state[id(control)] = direction = -direction
            value = control.value + direction * control.step
        return type(control.value)(value) if isinstance(control, widgets.IntSlider) else float(value)
    options = [o[1] if isinstance(o, tuple) else o for o in control.options]
    values = list(getattr(control, "_options_values", options))
    return values[(values.index(control.value) + 1) % len(values)]


def _drivable(panel) -> list[widgets.Widget]:
    kinds = (widgets.FloatSlider, widgets.IntSlider, widgets.Dropdown, widgets.ToggleButtons,
             widgets.RadioButtons, widgets.SelectionSlider)
    return [c for c in panel.controls.values() if isinstance(c, kinds) and not c.disabled]


def _updates(panel, n: int, state: dict, cpu: list | None = None) -> np.ndarray:
    """Wall-clock ms of ``n`` updates; their CPU ms (this thread) are appended to ``cpu``."""
    controls = _drivable(panel)
    times = np.empty(n)
    for i in range(n):
        control = controls[i % len(controls)]
        value = _next_value(control, state)
        t0, c0 = time.perf_counter(), time.thread_time()
        control.value = value  # the panel's observer runs _update and canvas.draw()
        times[i] = time.perf_counter() - t0
        if cpu is not None:
            cpu.append((time.thread_time() - c0) * 1e3)
    return times * 1e3


def measure(module: str, name: str) -> dict:
    """Build one panel with its defaults and measure it (see the module docstring)."""
    import importlib

    cls = getattr(importlib.import_module(module), name)
    proc = psutil.Process()
    gc.collect()
    figs_before = len(plt.get_fignums())
    t0 = time.perf_counter()
    panel = cls()
    build_ms = (time.perf_counter() - t0) * 1e3
    figs_built = len(plt.get_fignums())
    if not _drivable(panel):
        panel.close()
        return {"panel": name, "module": module, "controls": 0}
    state: dict = {}
    count0 = panel.update_count
    cpu: list[float] = []
    times = _updates(panel, 100, state, cpu)
    redraws = panel.update_count - count0
    _updates(panel, 50, state)  # warm-up for the memory measurement (caches, font glyphs)
    gc.collect()
    rss0 = proc.memory_info().rss
    _updates(panel, 500, state)
    gc.collect()
    rss1 = proc.memory_info().rss
    _updates(panel, 500, state)
    gc.collect()
    rss2 = proc.memory_info().rss
    figs_after = len(plt.get_fignums())
    again = cls()  # re-running the cell: the old figure must be closed, not piled up
    figs_rerun = len(plt.get_fignums())
    again.close()
    panel.close()
    return {"panel": name, "module": module, "controls": len(_drivable(again)),
            "build_ms": build_ms, "median_ms": float(np.median(times)), "cpu_median_ms": float(np.median(cpu)),
            "p95_ms": float(np.percentile(times, 95)), "max_ms": float(times.max()),
            "redraws_per_update": redraws / 100, "rss_first_500_mb": (rss1 - rss0) / 2**20,
            "rss_growth_mb": (rss2 - rss1) / 2**20,
            "figures": [figs_before, figs_built, figs_after, figs_rerun]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("match", nargs="?", default="", help="only panels whose class name contains this")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    panels = [(m, n) for m, n in discover_panels() if args.match.lower() in n.lower()]
    print(f"Python-side cost per update, Agg backend, in-process; {len(panels)} panels; "
          f"matplotlib {plt.matplotlib.__version__}, numpy {np.__version__}; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    head = (f"{'panel':<26}{'build':>8}{'median':>8}{'p95':>8}{'max':>8}{'CPU med':>8}  {'RSS +MB 1st/2nd 500':>20}  "
            "figures: before/built/after/rerun")
    print(head + "\n" + "-" * len(head))
    results, failed = [], []
    for module, name in panels:
        before = set(plt.get_fignums())
        try:
            r = measure(module, name)
        except Exception as exc:  # report and carry on: one broken panel must not hide the others
            failed.append(name)
            print(f"{name:<26}FAILED: {type(exc).__name__}: {exc}")
            for num in set(plt.get_fignums()) - before:  # its figure must not count for the next panels
                plt.close(num)
            continue
        results.append(r)
        if not r["controls"]:
            print(f"{name:<26}(no slider, drop-down or toggle to drive)")
            continue
        flags = (" ✗time" if r["median_ms"] > TARGET_MS else "") + \
                (" ✗mem" if r["rss_growth_mb"] > TARGET_MB else "") + \
                (" ✗figs" if len(set(r["figures"][1:])) > 1 else "")
        print(f"{name:<26}{r['build_ms']:8.1f}{r['median_ms']:8.1f}{r['p95_ms']:8.1f}{r['max_ms']:8.1f}"
              f"{r['cpu_median_ms']:8.1f}  {r['rss_first_500_mb']:11.2f}{r['rss_growth_mb']:9.2f}  {'/'.join(map(str, r['figures']))}{flags}",
              flush=True)
    timed = [r for r in results if r.get("controls")]
    if timed:
        worst = max(timed, key=lambda r: r["median_ms"])
        print(f"\ntimes in ms per update (median/p95/max over 100; CPU: this thread's CPU time, which a busy "
              f"machine inflates less); targets: median ≤ {TARGET_MS:.0f} ms, "
              f"RSS growth ≤ {TARGET_MB:.0f} MB over the second 500 updates, no figure growth")
        print(f"slowest median: {worst['panel']} {worst['median_ms']:.1f} ms; "
              f"{sum(r['median_ms'] <= TARGET_MS for r in timed)}/{len(timed)} panels within target "
              f"({sum(r['cpu_median_ms'] <= TARGET_MS for r in timed)} by CPU time); load average "
              f"{os.getloadavg()[0]:.2f}")
    if failed:
        print(f"FAILED (an exception while driving its controls): {', '.join(failed)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
