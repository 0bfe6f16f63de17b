"""What the static snapshot adds to displaying a panel (once per display, never per update).

    .venv/bin/python bench/bench_panel_snapshot.py            # all panels
    .venv/bin/python bench/bench_panel_snapshot.py Softmax     # panels whose class name matches

For every Panel subclass, under Agg in this process: the time to build the display bundle with
the snapshot (``panel._repr_mimebundle_()``: savefig to PNG + base64 + caption) against the
bundle of the bare widget view, the time of one full ``canvas.draw()`` for reference (the ratio
is less noisy than the absolute figure on a shared machine), and the PNG's size (it is stored
twice in an executed notebook: as ``image/png`` and inside ``text/html``). Never fails on time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ["MPLBACKEND"] = "Agg"  # before matplotlib is imported anywhere

import importlib  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _jupyter import discover_panels  # noqa: E402

REPEATS = 7


def _median_ms(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main(pattern: str = "") -> None:
    from lecture_utils.style import use_lecture_style

    use_lecture_style()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (2 cores); "
          f"median of {REPEATS}")
    print(f"{'panel':22} {'bundle+snapshot':>15} {'widget only':>11} {'added':>7} "
          f"{'full draw':>9} {'added/draw':>10} {'PNG kB':>7}")
    added_all = []
    for module, name in discover_panels():
        if pattern.lower() not in name.lower():
            continue
        panel = getattr(importlib.import_module(module), name)()
        try:
            widget = panel.widget
            with_snapshot = _median_ms(panel._repr_mimebundle_)
            bare = _median_ms(widget._repr_mimebundle_)
            draw = _median_ms(panel.fig.canvas.draw)
            kb = len(panel.snapshot_png()) / 1024
        finally:
            panel.close()
        added = with_snapshot - bare
        added_all.append(added)
        print(f"{name:22} {with_snapshot:12.1f} ms {bare:8.2f} ms {added:4.1f} ms {draw:6.1f} ms "
              f"{added / draw:9.2f}x {kb:7.1f}")
    if added_all:
        print(f"added per display: median {statistics.median(added_all):.1f} ms, "
              f"max {max(added_all):.1f} ms over {len(added_all)} panels")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
