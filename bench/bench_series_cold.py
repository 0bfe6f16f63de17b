"""The whole series from cold: every notebook in a fresh kernel, executed with nbclient.

    .venv/bin/python bench/bench_series_cold.py
    .venv/bin/python bench/bench_series_cold.py --json test-artifacts/series.json

Each notebook in notebooks/ is executed top to bottom in its own new kernel (start-up and
shut-down included in its time), in a temporary copy of notebooks/ so nothing in the repository
is written. ``%matplotlib widget`` panels are built and drawn exactly as in JupyterLab, without a
browser. Cells marked ``# NBVAL_RAISES_EXCEPTION`` are allowed to raise (tagged
``raises-exception`` in the in-memory copy when the tag is missing). Also printed: the cost of
starting and stopping an empty kernel, and the slowest cell of each notebook.

Target: ≤ 30 s for the whole series on this 2-core machine. Never fails on time; exits 1 if a
notebook fails to execute.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
TARGET_S = 30.0


def _tag_deliberate_errors(nb: nbformat.NotebookNode) -> int:
    tagged = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and "NBVAL_RAISES_EXCEPTION" in cell.source.split("\n", 1)[0]:
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
                tagged += 1
    return tagged


def _cell_seconds(cell: nbformat.NotebookNode) -> float:
    timing = cell.metadata.get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return (end - start).total_seconds()


#: CurveZMQ between client and kernel, as students' servers and the site build use it
_ENCRYPTED = Config({"KernelManager": {"transport_encryption": "auto"}})


def run(path: Path, cwd: Path, timeout: int = 600) -> dict:
    """Execute one notebook in a fresh kernel; wall time and the slowest cell."""
    nb = nbformat.read(path, as_version=4)
    tagged = _tag_deliberate_errors(nb)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", config=_ENCRYPTED,
                            resources={"metadata": {"path": str(cwd)}})
    t0 = time.perf_counter()
    error = None
    try:
        client.execute()
    except Exception as exc:  # report, carry on with the next notebook
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
    seconds = time.perf_counter() - t0
    cells = [(i, _cell_seconds(c), c.source.split("\n", 1)[0][:50]) for i, c in enumerate(nb.cells)
             if c.cell_type == "code"]
    slowest = max(cells, key=lambda c: c[1]) if cells else (None, 0.0, "")
    return {"notebook": path.name, "seconds": seconds, "cells": len(cells),
            "cells_seconds": sum(c[1] for c in cells), "slowest_cell": slowest,
            "untagged_error_cells": tagged, "error": error}


def kernel_overhead(cwd: Path) -> float:
    """Seconds to start a kernel, run one empty cell and shut it down."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    t0 = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", config=_ENCRYPTED,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    if not paths:
        print("no notebooks in notebooks/ yet")
        return 0
    os.environ.pop("MPLBACKEND", None)  # the notebooks choose their backend themselves
    with tempfile.TemporaryDirectory(prefix="series-cold-") as tmp:
        cwd = Path(tmp) / "notebooks"
        shutil.copytree(NOTEBOOKS_DIR, cwd, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        print(f"series from cold (nbclient, fresh kernel each); load average "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        overhead = kernel_overhead(cwd)
        print(f"empty kernel start + one cell + shut-down: {overhead:.1f} s\n")
        head = f"{'notebook':<32}{'total s':>8}{'cells s':>8}  slowest cell"
        print(head + "\n" + "-" * (len(head) + 40))
        results = []
        for path in paths:
            r = run(cwd / path.name, cwd)
            results.append(r)
            i, s, first = r["slowest_cell"]
            note = f"  FAILED: {r['error']}" if r["error"] else ""
            if r["untagged_error_cells"]:
                note += f"  ({r['untagged_error_cells']} NBVAL_RAISES_EXCEPTION cell(s) lack the raises-exception tag)"
            print(f"{r['notebook']:<32}{r['seconds']:8.1f}{r['cells_seconds']:8.1f}  "
                  f"#{i} {s:.1f} s {first!r}{note}", flush=True)
    total = sum(r["seconds"] for r in results)
    print("-" * (len(head) + 40))
    print(f"{'total':<32}{total:8.1f}{sum(r['cells_seconds'] for r in results):8.1f}  "
          f"target ≤ {TARGET_S:.0f} s: {'✓' if total <= TARGET_S else f'✗ over by {total - TARGET_S:.1f} s'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"kernel_overhead_s": overhead, "total_s": total,
                                         "notebooks": results}, indent=1))
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
