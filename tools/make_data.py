"""Regenerate every dataset of the lecture series, deterministically, into ``data/``.

    python tools/make_data.py              # write all files into data/
    python tools/make_data.py --out DIR    # write them somewhere else
    python tools/make_data.py --check      # regenerate into a temp dir and compare with data/

Every dataset comes from its own seeded ``numpy.random.default_rng``, so the files are the same
on every run. CSV files (header line, floats with 6 decimals, integer labels) are compared byte
for byte; ``.npz`` files (written without pickles) are compared array by array to 1e-12, since
the zip timestamps inside them differ between runs. The data contract lives in
``lecture_utils/data.py`` (loader and validation) and ``data/README.md`` (what each file means).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
CAT_DOG_HORSE_SCORES = np.array([[5.0, 4.0, 2.0], [4.0, 2.0, 8.0], [4.0, 4.0, 1.0]])
CAT_DOG_HORSE_BIAS = np.array([0.5, -0.25, 0.1])
BATCH_FEATURES = ("leaf_length_cm", "leaf_width_cm", "petal_length_cm", "stem_diameter_cm")


# ----------------------------------------------------------------------------- writers
def write_csv(path: Path, header: list[str], columns: list[np.ndarray]) -> None:
    """Write columns as CSV: floats with 6 decimals, ints and strings as they are."""
    lines = [",".join(header)]
    cells = [[f"{v:.6f}" if c.dtype.kind == "f" else str(v) for v in c.tolist()] for c in columns]
    lines += [",".join(row) for row in zip(*cells)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays with np.savez_compressed; refuse object arrays (they would need pickles)."""
    for key, arr in arrays.items():
        assert arr.dtype != object, f"{key} is an object array: npz would need pickles"
    np.savez_compressed(path, **arrays)


# ----------------------------------------------------------------------------- tabular data
def make_batch_200x4(out: Path) -> None:
    """200 glowcap plants of 3 made-up species, 4 measurements in cm, class-dependent means."""
    rng = np.random.default_rng(200)
    means = np.array([[5.2, 2.1, 1.6, 0.30],    # 0 marsh glowcap: small, thin stem
                      [6.4, 3.0, 4.2, 0.45],    # 1 meadow glowcap: broad leaves, long petals
                      [7.3, 2.6, 5.6, 0.70]])   # 2 mountain glowcap: large, sturdy stem
    sds = np.array([0.40, 0.30, 0.45, 0.06])
    y = rng.permutation(np.repeat(np.arange(3), [67, 67, 66]))
    X = np.round(means[y] + sds * rng.standard_normal((200, 4)), 2)
    X = np.maximum(X, 0.05)
    write_csv(out / "batch_200x4.csv", [*BATCH_FEATURES, "label"], [*X.T, y])


def make_xor(out: Path) -> None:
    """The four corners of the unit square with XOR labels."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    write_csv(out / "xor.csv", ["x1", "x2", "label"], [X[:, 0], X[:, 1], y])


def make_xor_noisy(out: Path) -> None:
    """50 points per corner, Gaussian with sd 0.15, XOR label of the corner, shuffled."""
    rng = np.random.default_rng(4)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    idx = rng.permutation(np.repeat(np.arange(4), 50))
    X = corners[idx] + 0.15 * rng.standard_normal((200, 2))
    y = (corners[idx, 0] != corners[idx, 1]).astype(np.int64)
    write_csv(out / "xor_noisy.csv", ["x1", "x2", "label"], [X[:, 0], X[:, 1], y])


def make_spiral(out: Path) -> None:
    """Three interleaved spiral arms (cs231n style), 150 points per arm, 100 train + 50 test."""
    rng = np.random.default_rng(3)
    n, K = 150, 3
    X, y, split = [], [], []
    for k in range(K):
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n) + 0.2 * rng.standard_normal(n)
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y.append(np.full(n, k))
        split.append(rng.permutation(np.repeat(["train", "test"], [100, 50])))
    X, y, split = np.concatenate(X), np.concatenate(y), np.concatenate(split)
    order = np.r_[rng.permutation(np.flatnonzero(split == "train")),
                  rng.permutation(np.flatnonzero(split == "test"))]
    X, y, split = X[order], y[order], split[order]
    write_csv(out / "spiral.csv", ["x1", "x2", "label", "split"], [X[:, 0], X[:, 1], y, split])


def nielsen_f(x: np.ndarray) -> np.ndarray:
    """Nielsen's ch. 4 function: 0.2 + 0.4x² + 0.3x·sin(15x) + 0.05·cos(50x)."""
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


def make_nielsen_curve(out: Path) -> None:
    x = np.linspace(0.0, 1.0, 201)
    write_csv(out / "nielsen_curve.csv", ["x", "y"], [x, nielsen_f(x)])


# ----------------------------------------------------------------------------- pictures
_SS = 4  # supersampling: draw at 128×128, average down to 32×32 (soft edges)
_yy, _xx = (np.mgrid[0:32 * _SS, 0:32 * _SS] + 0.5) / _SS


def _ellipse(cx: float, cy: float, rx: float, ry: float, deg: float = 0.0) -> np.ndarray:
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    u, v = (_xx - cx) * c + (_yy - cy) * s, -(_xx - cx) * s + (_yy - cy) * c
    return (u / rx) ** 2 + (v / ry) ** 2 <= 1.0


def _triangle(*pts: tuple[float, float]) -> np.ndarray:
    signs = []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        signs.append((x1 - x0) * (_yy - y0) - (y1 - y0) * (_xx - x0) >= 0)
    return (signs[0] & signs[1] & signs[2]) | (~signs[0] & ~signs[1] & ~signs[2])


def _segment(x0: float, y0: float, x1: float, y1: float, width: float) -> np.ndarray:
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((_xx - x0) * dx + (_yy - y0) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
    return np.hypot(_xx - x0 - t * dx, _yy - y0 - t * dy) <= width / 2


def _render(background: tuple, shapes: list[tuple[np.ndarray, tuple]]) -> np.ndarray:
    """Paint shapes in order onto a background; return (3, 32, 32) floats in [0, 1]."""
    img = np.empty((32 * _SS, 32 * _SS, 3))
    img[:] = background
    for mask, colour in shapes:
        img[mask] = colour
    img = img.reshape(32, _SS, 32, _SS, 3).mean(axis=(1, 3))
    return np.clip(img, 0.0, 1.0).transpose(2, 0, 1)


def draw_cat() -> np.ndarray:
    fur, pink, dark = (0.93, 0.58, 0.20), (0.98, 0.70, 0.75), (0.15, 0.12, 0.10)
    shapes = [(_triangle((6, 15), (8, 2), (16, 10)), fur), (_triangle((26, 15), (24, 2), (16, 10)), fur),
              (_triangle((8.5, 11), (9, 5), (13, 9)), pink), (_triangle((23.5, 11), (23, 5), (19, 9)), pink),
              (_ellipse(16, 18, 11, 9.5), fur),
              (_ellipse(11.5, 16, 2.2, 2.6), (0.45, 0.75, 0.25)), (_ellipse(20.5, 16, 2.2, 2.6), (0.45, 0.75, 0.25)),
              (_ellipse(11.5, 16, 0.6, 2.2), dark), (_ellipse(20.5, 16, 0.6, 2.2), dark),
              (_triangle((14.3, 20.5), (17.7, 20.5), (16, 22.5)), pink),
              (_segment(16, 22.5, 16, 24, 0.5), dark)]
    for side in (-1, 1):
        for y0, y1 in ((21.5, 20), (23, 23.5)):
            shapes.append((_segment(16 + side * 4, y0, 16 + side * 14, y1, 0.45), dark))
    return _render((0.70, 0.85, 0.96), shapes)


def draw_dog() -> np.ndarray:
    tan, brown, dark = (0.82, 0.64, 0.42), (0.40, 0.24, 0.12), (0.08, 0.06, 0.05)
    shapes = [(_ellipse(16, 16, 8.5, 11), tan),
              (_ellipse(7.5, 15, 3.2, 8.5, 15), brown), (_ellipse(24.5, 15, 3.2, 8.5, -15), brown),
              (_ellipse(16, 22, 5.5, 4.5), (0.95, 0.88, 0.74)),
              (_ellipse(12.8, 13, 1.5, 1.7), dark), (_ellipse(19.2, 13, 1.5, 1.7), dark),
              (_ellipse(16, 19.5, 2.6, 1.8), dark),
              (_segment(16, 20.5, 16, 23.5, 0.6), dark),
              (_ellipse(16, 26, 1.7, 2.3), (0.90, 0.35, 0.45))]
    return _render((0.78, 0.92, 0.72), shapes)


def draw_horse() -> np.ndarray:
    coat, mane = (0.42, 0.25, 0.13), (0.15, 0.09, 0.05)
    shapes = [(_yy > 27, (0.50, 0.72, 0.35)),
              (_segment(8, 14, 4.5, 23, 1.6), mane),
              (_ellipse(15, 16.5, 8, 4.5), coat)]
    shapes += [(_segment(x, 18, x + dx, 28, 1.5), coat) for x, dx in ((9, -0.5), (12, 0.5), (18, 0), (21, 0.8))]
    shapes += [(_segment(20, 15, 25, 7, 4.0), coat), (_segment(19.5, 12, 23.8, 4.8, 1.2), mane),
               (_ellipse(27, 8.5, 4.0, 1.9, 35), coat), (_triangle((23.5, 6), (24.5, 2.5), (25.8, 5.5)), coat),
               (_ellipse(25.8, 7.3, 0.5, 0.5), mane)]
    return _render((0.82, 0.90, 1.00), shapes)


def make_cat_dog_horse(out: Path) -> None:
    """Three pictures and a linear classifier whose scores are exactly the lecture's table."""
    images = np.stack([draw_cat(), draw_dog(), draw_horse()])              # (3, 3, 32, 32)
    A = images.reshape(3, -1)                                              # (3, 3072)
    target = CAT_DOG_HORSE_SCORES - CAT_DOG_HORSE_BIAS                     # (3, 3)
    W = A.T @ np.linalg.solve(A @ A.T, target)                             # minimum-norm, (3072, 3)
    residual = np.abs(A @ W + CAT_DOG_HORSE_BIAS - CAT_DOG_HORSE_SCORES).max()
    assert residual <= 1e-9, f"scores off by {residual}"
    write_npz(out / "cat_dog_horse.npz", {"images": images, "W": W, "b": CAT_DOG_HORSE_BIAS.copy(),
                                          "classes": np.array(["cat", "dog", "horse"], dtype="<U5")})


# ----------------------------------------------------------------------------- calibration
CAL_SEED = 2025
CAL_SIZES = {"train": 200, "val": 1000, "test": 1000}
CAL_RADIUS = 1.8      # class centres on a circle of this radius, in the two informative features
CAL_NOISE = 20        # extra features that are pure noise: room for the network to memorise
CAL_BINS = 10         # confidence bins of the ECE, as in notebook 05
README_BEGIN = "<!-- calibration numbers: written by tools/make_data.py, do not edit by hand -->"
README_END = "<!-- end of the calibration numbers -->"


def _calibration_split(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n examples of 2 + CAL_NOISE features: three overlapping Gaussian clouds in the first two."""
    angles = np.deg2rad([90.0, 210.0, 330.0])
    centres = CAL_RADIUS * np.column_stack([np.cos(angles), np.sin(angles)])   # (3, 2)
    y = rng.integers(0, 3, n)
    X = np.column_stack([centres[y] + rng.standard_normal((n, 2)), rng.standard_normal((n, CAL_NOISE))])
    return X.astype(np.float32), y.astype(np.int64)   # float32 halves the file; loaded as float64


def make_calibration(out: Path, verbose: bool = False) -> None:
    """A real over-confident network: notebook 07's MLP trained past 100 % training accuracy."""
    from lecture_utils.overconfidence import logits_at, train_overconfident_network

    rng = np.random.default_rng(CAL_SEED)
    arrays: dict[str, np.ndarray] = {}
    for part, n in CAL_SIZES.items():
        arrays[f"X_{part}"], arrays[f"y_{part}"] = _calibration_split(rng, n)
    X64 = {part: arrays[f"X_{part}"].astype(np.float64) for part in CAL_SIZES}   # what load() returns
    arrays.update(train_overconfident_network(X64["train"], arrays["y_train"], X64["test"], arrays["y_test"]))
    last = int(arrays["checkpoint_epochs"][-1])
    for part in ("val", "test"):
        arrays[f"logits_{part}"] = logits_at(arrays, X64[part], last)
    facts = calibration_facts(arrays)
    assert facts["train_acc_after"] == 1.0 and facts["nll_end"] > 1.4 * facts["nll_at_100"], facts
    assert facts["acc_after_max"] - facts["acc_after_min"] < 0.03, facts
    assert facts["ece_before"] > 3 * facts["ece_after"] and facts["ece_before"] > 0.08, facts
    if verbose:
        print(f"  calibration: 100 % training accuracy from epoch {facts['epoch_100']}; test NLL "
              f"{facts['nll_at_100']:.3f} -> {facts['nll_end']:.3f}, test accuracy "
              f"{facts['acc_at_100']:.3f} -> {facts['acc_end']:.3f}; fitted T = {facts['T']:.3f}; "
              f"test ECE {facts['ece_before']:.3f} -> {facts['ece_after']:.3f}")
    write_npz(out / "calibration.npz", arrays)


def calibration_facts(arrays: dict[str, np.ndarray]) -> dict[str, float]:
    """The numbers data/README.md states about the calibration set, computed from its arrays."""
    from lecture_utils.calibration import calibrated_probs, expected_calibration_error, fit_temperature

    h = {k: np.asarray(arrays[k]) for k in ("train_acc", "test_loss", "test_acc")}
    e100 = int(np.argmax(h["train_acc"] == 1.0))
    best = int(np.argmin(h["test_loss"]))
    fit = fit_temperature(arrays["logits_val"], arrays["y_val"])
    P_test = calibrated_probs(arrays["logits_test"], 1.0)
    return {
        "epochs": int(arrays["epoch"][-1]), "epoch_100": e100,
        "train_acc_after": float(h["train_acc"][e100:].min()),
        "acc_at_100": float(h["test_acc"][e100]), "acc_end": float(h["test_acc"][-1]),
        "acc_after_min": float(h["test_acc"][e100:].min()), "acc_after_max": float(h["test_acc"][e100:].max()),
        "nll_best_epoch": best, "nll_best": float(h["test_loss"][best]),
        "nll_at_100": float(h["test_loss"][e100]), "nll_end": float(h["test_loss"][-1]),
        "confidence_end": float(P_test.max(axis=1).mean()),
        "T": fit.temperature, "val_nll_before": fit.nll_before, "val_nll_after": fit.nll_after,
        "ece_before": expected_calibration_error(P_test, arrays["y_test"], CAL_BINS),
        "ece_after": expected_calibration_error(calibrated_probs(arrays["logits_test"], fit.temperature),
                                                arrays["y_test"], CAL_BINS),
    }


def calibration_readme(npz: Path) -> str:
    """The calibration paragraph of data/README.md, with the numbers of the file ``npz``."""
    with np.load(npz, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    f = calibration_facts(arrays)
    n, d = CAL_SIZES, 2 + CAL_NOISE
    return "\n".join([
        README_BEGIN,
        f"**`calibration`** — a real over-confident network and the data it was trained on. Each example "
        f"has {d} features; only the first two depend on the class (three overlapping Gaussian clouds "
        f"with standard deviation 1, centres on a circle of radius {CAL_RADIUS}), the other {CAL_NOISE} "
        f"are noise. Splits: `X_train` ({n['train']}, {d}), `X_val` ({n['val']}, {d}), `X_test` "
        f"({n['test']}, {d}) with labels `y_*` in {{0, 1, 2}}, independent draws. The network is notebook "
        f"07's MLP ({d} → 64 ReLU → 3, `lecture_utils.overconfidence.RECIPE`: SGD with lr 0.1, batches of "
        f"32, no weight decay, seed 0) trained for {f['epochs']} epochs on the training split by "
        "`train_overconfident_network`. The file keeps its history after every epoch (`epoch`, "
        "`train_loss`, `train_acc`, `test_loss` = test NLL, `test_acc`), its weights `W1`, `b1`, `W2`, "
        "`b2` at the epochs in `checkpoint_epochs`, and the final network's `logits_val` and `logits_test`.",
        "",
        f"At generation time: training accuracy reaches 100 % at epoch {f['epoch_100']} and stays there. "
        f"From then on test accuracy stays between {f['acc_after_min']:.3f} and {f['acc_after_max']:.3f} "
        f"({f['acc_at_100']:.3f} at epoch {f['epoch_100']}, {f['acc_end']:.3f} at the end), while the test "
        f"NLL rises from {f['nll_at_100']:.3f} to {f['nll_end']:.3f} (its minimum, {f['nll_best']:.3f}, is "
        f"at epoch {f['nll_best_epoch']}). At the end the mean confidence on the test set is "
        f"{f['confidence_end']:.3f}. Temperature scaling fitted on the validation split (golden-section "
        f"search of the NLL, `lecture_utils.calibration.fit_temperature`) gives T = {f['T']:.3f} "
        f"(validation NLL {f['val_nll_before']:.3f} → {f['val_nll_after']:.3f}), and the test ECE "
        f"({CAL_BINS} equal-width bins of the confidence) drops from {f['ece_before']:.3f} to "
        f"{f['ece_after']:.3f}.",
        README_END,
    ])


def _readme_block(text: str) -> str | None:
    if README_BEGIN not in text or README_END not in text:
        return None
    start = text.index(README_BEGIN)
    return text[start:text.index(README_END, start) + len(README_END)]


def update_readme(out: Path) -> None:
    """Rewrite the calibration paragraph of ``out/README.md`` (if that file has one)."""
    readme = out / "README.md"
    if not readme.exists():
        return
    text = readme.read_text(encoding="utf-8")
    old = _readme_block(text)
    if old is not None:
        readme.write_text(text.replace(old, calibration_readme(out / "calibration.npz")),
                          encoding="utf-8", newline="\n")


MAKERS: dict[str, Callable[[Path], None]] = {
    "batch_200x4.csv": make_batch_200x4, "xor.csv": make_xor, "xor_noisy.csv": make_xor_noisy,
    "spiral.csv": make_spiral, "nielsen_curve.csv": make_nielsen_curve,
    "cat_dog_horse.npz": make_cat_dog_horse, "calibration.npz": make_calibration,
}


def generate(out: Path, verbose: bool = False) -> list[Path]:
    """Write every dataset into ``out`` (created if needed); return the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    for maker in MAKERS.values():
        if maker is make_calibration:
            maker(out, verbose=verbose)
        else:
            maker(out)
    update_readme(out)
    return [out / name for name in MAKERS]


def compare(fresh: Path, committed: Path) -> list[str]:
    """Differences between freshly generated files and the committed ones (empty if none)."""
    problems = []
    for name in MAKERS:
        new, old = fresh / name, committed / name
        if not old.exists():
            problems.append(f"{old}: missing")
        elif name.endswith(".csv"):
            a, b = new.read_bytes(), old.read_bytes()
            if a != b:
                la, lb = a.decode().splitlines(), b.decode(errors="replace").splitlines()
                first = next((i for i, (x, z) in enumerate(zip(la, lb)) if x != z), min(len(la), len(lb)))
                problems.append(f"{old}: differs from a fresh copy (first at line {first + 1}; "
                                f"{len(lb)} lines vs {len(la)} expected)")
        else:
            trained = () if name != "calibration.npz" else CAL_TRAINED_KEYS
            problems += _compare_npz(new, old, trained)
    problems += _compare_readme(committed)
    return problems


#: keys of calibration.npz that come out of training: compared to a relative 1e-8, since the
#: thousands of SGD steps may round differently with another BLAS (the data keys are exact)
CAL_TRAINED_KEYS = ("train_loss", "test_loss", "W1", "b1", "W2", "b2", "logits_val", "logits_test")


def _compare_readme(committed: Path) -> list[str]:
    """The calibration numbers in committed/README.md must be those of committed/calibration.npz."""
    readme, npz = committed / "README.md", committed / "calibration.npz"
    if not readme.exists() or not npz.exists():
        return []
    block = _readme_block(readme.read_text(encoding="utf-8"))
    if block is None:
        return [f"{readme}: the calibration paragraph (between {README_BEGIN!r} and {README_END!r}) is missing"]
    try:
        want = calibration_readme(npz)
    except Exception as exc:  # noqa: BLE001 - an unreadable npz is reported by _compare_npz
        return [] if not isinstance(exc, AssertionError) else [f"{npz}: {exc}"]
    if block != want:
        return [f"{readme}: the calibration numbers do not match {npz.name} (they are written by "
                "tools/make_data.py, not by hand)"]
    return []


def _compare_npz(new: Path, old: Path, trained: tuple[str, ...] = ()) -> list[str]:
    try:
        with np.load(new, allow_pickle=False) as fa, np.load(old, allow_pickle=False) as fb:
            a, b = {k: fa[k] for k in fa.files}, {k: fb[k] for k in fb.files}
    except Exception as exc:  # noqa: BLE001 - report any unreadable file as a difference
        return [f"{old}: cannot be read ({type(exc).__name__}: {exc})"]
    problems = [f"{old}: key {k!r} missing" for k in a if k not in b]
    problems += [f"{old}: unexpected key {k!r}" for k in b if k not in a]
    for k in (k for k in a if k in b):
        if a[k].dtype != b[k].dtype or a[k].shape != b[k].shape:
            problems.append(f"{old}[{k!r}]: {b[k].dtype} {b[k].shape}, expected {a[k].dtype} {a[k].shape}")
        elif a[k].dtype.kind in "US":
            if not np.array_equal(a[k], b[k]):
                problems.append(f"{old}[{k!r}]: strings differ")
        elif not np.all(np.abs(a[k].astype(float) - b[k].astype(float))
                        <= (1e-8 * (1.0 + np.abs(a[k].astype(float))) if k in trained else 1e-12)):
            diff = np.nanmax(np.abs(a[k].astype(float) - b[k].astype(float)))
            problems.append(f"{old}[{k!r}]: values differ (max abs difference {diff:.3g})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default: data/)")
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temp dir and compare with --out; exit 1 on differences")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            problems = compare(Path(tmp), args.out)
        if problems:
            print(f"{len(problems)} difference(s) between {args.out} and a fresh generation:")
            print("\n".join(f"  - {p}" for p in problems))
            print("Regenerate with `python tools/make_data.py` (and commit the result).")
            return 1
        print(f"OK: all {len(MAKERS)} files in {args.out} match a fresh generation.")
        return 0
    for path in generate(args.out, verbose=True):
        print(f"wrote {path} ({path.stat().st_size / 1024:.1f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
