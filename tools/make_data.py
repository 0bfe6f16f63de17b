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
OVERCONFIDENCE = 2.5


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
def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error over equal-width bins of the max probability."""
    conf, correct = probs.max(axis=1), probs.argmax(axis=1) == y
    which = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    return float(sum(abs(correct[which == i].mean() - conf[which == i].mean()) * (which == i).mean()
                     for i in range(bins) if np.any(which == i)))


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The T in [0.5, 5] (grid step 0.005) minimising the mean NLL of softmax(logits / T)."""
    grid = np.arange(0.5, 5.0 + 1e-9, 0.005)
    nll = [-np.log(_softmax(logits / T)[np.arange(len(y)), y]).mean() for T in grid]
    return float(grid[int(np.argmin(nll))])


def _calibrated_draw(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Features from 3 class-conditional Gaussians → calibrated logits z; y ~ softmax(z)."""
    centres = 1.2 * np.array([[1.0, 0.0], [-0.5, 0.866], [-0.5, -0.866]])   # (3, 2)
    k = rng.integers(0, 3, n)
    feats = centres[k] + 0.9 * rng.standard_normal((n, 2))                  # (n, 2)
    z = feats @ (0.8 * centres.T)                                          # (n, 2) @ (2, 3) → (n, 3)
    p = _softmax(z)
    y = (rng.random((n, 1)) > np.cumsum(p, axis=1)).sum(axis=1)
    return z, np.minimum(y, 2).astype(np.int64)


def make_calibration(out: Path, verbose: bool = False) -> None:
    """An over-confident classifier: it reports 2.5 × the calibrated logits (+ tiny noise)."""
    rng = np.random.default_rng(2025)
    arrays = {}
    for part in ("val", "test"):
        z, y = _calibrated_draw(rng, 1000)
        arrays[f"logits_{part}"] = OVERCONFIDENCE * z + 0.02 * rng.standard_normal(z.shape)
        arrays[f"y_{part}"] = y
    T = fit_temperature(arrays["logits_val"], arrays["y_val"])
    before = ece(_softmax(arrays["logits_test"]), arrays["y_test"])
    after = ece(_softmax(arrays["logits_test"] / T), arrays["y_test"])
    assert before > 3 * after and before > 0.1, (before, after)
    if verbose:
        acc = (arrays["logits_test"].argmax(1) == arrays["y_test"]).mean()
        conf = _softmax(arrays["logits_test"]).max(1).mean()
        print(f"  calibration: fitted T on val = {T:.3f}; test accuracy {acc:.3f}, mean "
              f"max-prob {conf:.3f}; test ECE before {before:.4f}, after {after:.4f}")
    write_npz(out / "calibration.npz", arrays)


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
            problems += _compare_npz(new, old)
    return problems


def _compare_npz(new: Path, old: Path) -> list[str]:
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
        elif not np.all(np.abs(a[k].astype(float) - b[k].astype(float)) <= 1e-12):
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
