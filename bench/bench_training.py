"""Time to 95 % training accuracy on the spiral (07_training), and the panel's redraw cost.

    .venv/bin/python bench/bench_training.py [--runs 7]

Each run trains a fresh network (seeds 0, 1, …) with the notebook's default hyper-parameters
(plain mini-batch SGD with L2), checking the training accuracy after every epoch; the clock
includes that evaluation. Prints the median (and range) over the runs. No assertion on time.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from lecture_utils.data import load  # noqa: E402
from lecture_utils.training import Trainer  # noqa: E402

TARGET = 0.95
CONFIGS = {
    "default (notebook, panel)": dict(hidden=(64,), activation="relu", lr=0.5, batch_size=32, lam=1e-4),
    "tanh": dict(hidden=(64,), activation="tanh", lr=1.0, batch_size=32, lam=1e-4),
    "full batch": dict(hidden=(100,), activation="relu", lr=1.0, batch_size=300, lam=1e-4),
}


def time_to_target(ds, seed: int, max_seconds: float = 30.0, **hp) -> tuple[float, int, float]:
    """Seconds and epochs until training accuracy ≥ TARGET (construction included)."""
    t0 = time.perf_counter()
    t = Trainer(ds.X_train, ds.y_train, ds.X_test, ds.y_test, seed=seed, **hp)
    while t.metrics()["train_acc"] < TARGET and time.perf_counter() - t0 < max_seconds:
        t.step_epoch()
    return time.perf_counter() - t0, t.epoch, t.metrics()["test_acc"]


def panel_costs(repeats: int = 15) -> tuple[float, float]:
    from lecture_utils.style import use_lecture_style
    from lecture_utils.widgets.training_panel import TrainingPanel

    use_lecture_style()
    p = TrainingPanel()
    upd, draw = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        p._update(p.values)
        upd.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        p.fig.canvas.draw()
        draw.append(time.perf_counter() - t0)
    p.close()
    return statistics.median(upd), statistics.median(draw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ds = load("spiral")
    print(f"spiral: {len(ds.X_train)} training points, target train accuracy {TARGET:.0%}, "
          f"{args.runs} runs (seeds 0…{args.runs - 1})")
    for name, hp in CONFIGS.items():
        res = [time_to_target(ds, seed, **hp) for seed in range(args.runs)]
        secs, epochs, test = zip(*res)
        print(f"{name:27s} {hp}\n{'':27s} time to {TARGET:.0%}: median {statistics.median(secs):.3f} s "
              f"(range {min(secs):.3f}–{max(secs):.3f} s), epochs median {statistics.median(epochs):g} "
              f"(range {min(epochs)}–{max(epochs)}), test accuracy then median {statistics.median(test):.1%}")
    upd, draw = panel_costs()
    print(f"TrainingPanel: _update (state -> artists) median {upd * 1e3:.1f} ms, "
          f"Agg canvas.draw median {draw * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
