"""How long nbgrader takes to autograde one full submission of the series.

    .venv/bin/python bench/bench_autograde.py              # every notebook with exercises, 2 repeats
    .venv/bin/python bench/bench_autograde.py --repeat 3 --keep test-artifacts/bench-course

Builds a course in a temporary directory (tools/make_assignment.py, `nbgrader generate_assignment`),
hands in the model answers of every notebook as one submission and times
`nbgrader autograde homework --student s<i>` (a fresh student each repeat, so nothing is skipped).

Reference, same run: the same submitted notebooks executed by nbclient alone (one fresh kernel
each, no nbgrader) — the difference is nbgrader's own work (start-up, gradebook, sanitising).
Prints seconds and the load average; never fails on time.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("grading_harness", ROOT / "tests" / "grading" / "grading_harness.py")
harness = importlib.util.module_from_spec(_spec)
sys.modules["grading_harness"] = harness
_spec.loader.exec_module(harness)


def _nbclient_seconds(paths: list[Path]) -> float:
    from nbclient import NotebookClient

    os.environ.update({k: v for k, v in harness.nbgrader_env().items() if k in ("LECTURE_UTILS_GRADED", "PYTHONPATH")})
    start = time.perf_counter()
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="build the course here and keep it")
    args = ap.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench-autograde-")) if args.keep is None else args.keep
    if args.keep is not None:
        shutil.rmtree(workdir, ignore_errors=True)
    course = harness.Course(workdir / "course")
    ma = harness.make_assignment
    notebooks = [p for p in harness.NOTEBOOKS if ma.discover(nbformat.read(p, as_version=4))]
    ma.write_course(course.root, "homework", notebooks, seed=harness.HIDDEN_SEED)
    course.nbgrader("generate_assignment", "homework")
    names = course.release_names("homework")
    submission = {n: harness.solved(course.release("homework", n), course.source("homework", n)) for n in names}

    rows = []
    for i in range(args.repeat):
        student = f"s{i}"
        course.submit(student, "homework", submission)
        course.nbgrader("autograde", "homework", "--student", student)
        _, seconds, load = course.log[-1]
        scores = course.scores("homework", student)
        total = sum(sum(c.values()) for c in scores.values())
        ref = _nbclient_seconds(sorted((course.root / "submitted" / student / "homework").glob("*.ipynb")))
        rows.append((seconds, ref, load, total))
        print(f"repeat {i + 1}: nbgrader autograde homework --student {student}: {seconds:5.1f} s "
              f"(score {total:g}); nbclient alone {ref:5.1f} s; load average "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    med = statistics.median(r[0] for r in rows)
    ref = statistics.median(r[1] for r in rows)
    print(f"\none full submission ({len(names)} notebooks): median {med:.1f} s with nbgrader, "
          f"{ref:.1f} s executing the notebooks alone (ratio {med / ref:.2f})")
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
