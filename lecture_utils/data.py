"""Load the small datasets of the lecture series, checked against their contract.

>>> from lecture_utils.data import load, available
>>> ds = load("spiral")
>>> ds.X_train.shape, ds["y_train"].shape
((300, 2), (300,))

The files live in the repository's ``data/`` folder (override with the environment variable
``LECTURE_DATA_DIR``) and are written by ``python tools/make_data.py``; ``data/README.md``
says what each one means and which notebook uses it. Every file is validated on load (columns
or keys, shapes, dtypes, label ranges, finite values); a missing or corrupt file raises a
``ValueError`` naming the file, the problem and the fix. Nothing is read at import time.

Arrays are returned **read-only** (``flags.writeable = False``): call ``.copy()`` on one to
modify it. Floats are float64, labels int64, names str.
"""

from __future__ import annotations

import csv
import difflib
import os
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

__all__ = ["Dataset", "load", "available", "data_dir"]

_FIX = "regenerate with `python tools/make_data.py`"
_FEATURES = ("leaf_length_cm", "leaf_width_cm", "petal_length_cm", "stem_diameter_cm")

# name -> file, expected CSV columns (float unless named label/split) and rows, or npz keys
# with (shape, dtype kind), plus a one-line description.
_SPECS: dict[str, dict[str, Any]] = {
    "batch_200x4": dict(
        file="batch_200x4.csv", columns=(*_FEATURES, "label"), rows=200, classes=3,
        description="200 plants of 3 made-up glowcap species (0 marsh, 1 meadow, 2 mountain), "
                    "4 measurements in cm: X (200, 4), y (200,), feature_names (4,), classes (3,). "
                    "Notebook 02: X (200×4) @ W (4×5) + b → 200×5."),
    "xor": dict(
        file="xor.csv", columns=("x1", "x2", "label"), rows=4, classes=2,
        description="The four corners of the unit square, X (4, 2), with XOR labels y = 0,1,1,0."),
    "xor_noisy": dict(
        file="xor_noisy.csv", columns=("x1", "x2", "label"), rows=200, classes=2,
        description="200 points in Gaussian clouds (sd 0.15) around the corners of the unit "
                    "square, X (200, 2), with the XOR label of their corner, y (200,)."),
    "spiral": dict(
        file="spiral.csv", columns=("x1", "x2", "label", "split"), rows=450, classes=3,
        description="Three interleaved spiral arms (cs231n style), 150 points each: X_train "
                    "(300, 2), y_train (300,), X_test (150, 2), y_test (150,); X, y hold all 450."),
    "nielsen_curve": dict(
        file="nielsen_curve.csv", columns=("x", "y"), rows=201,
        description="201 samples on [0, 1] of f(x) = 0.2 + 0.4x² + 0.3x·sin(15x) + 0.05·cos(50x) "
                    "(Nielsen, ch. 4): x (201,), y (201,)."),
    "cat_dog_horse": dict(
        file="cat_dog_horse.npz",
        keys={"images": ((3, 3, 32, 32), "f"), "W": ((3072, 3), "f"), "b": ((3,), "f"),
              "classes": ((3,), "U")},
        description="Three synthetic 32×32 RGB pictures, images (3, 3, 32, 32) in [0, 1], and a "
                    "linear classifier W (3072, 3), b (3,) whose scores images.reshape(3, -1) @ W "
                    "+ b are the lecture's table [[5, 4, 2], [4, 2, 8], [4, 4, 1]]; classes (3,)."),
    "calibration": dict(
        file="calibration.npz",
        keys={"X_train": ((200, 22), "f"), "y_train": ((200,), "i"),
              "X_val": ((1000, 22), "f"), "y_val": ((1000,), "i"),
              "X_test": ((1000, 22), "f"), "y_test": ((1000,), "i"),
              "epoch": ((1001,), "i"), "train_loss": ((1001,), "f"), "train_acc": ((1001,), "f"),
              "test_loss": ((1001,), "f"), "test_acc": ((1001,), "f"),
              "checkpoint_epochs": ((19,), "i"), "W1": ((19, 22, 64), "f"), "b1": ((19, 64), "f"),
              "W2": ((19, 64, 3), "f"), "b2": ((19, 3), "f"),
              "logits_val": ((1000, 3), "f"), "logits_test": ((1000, 3), "f")},
        description="A real over-confident network (22 → 64 ReLU → 3, notebook 07's SGD, no weight "
                    "decay) trained for 1000 epochs past 100 % training accuracy, and its data: "
                    "X_train (200, 22), X_val/X_test (1000, 22), labels y_* in {0, 1, 2}; history "
                    "per epoch (train_loss, train_acc, test_loss, test_acc), weights W1, b1, W2, b2 "
                    "at checkpoint_epochs (19,), final logits_val/logits_test (1000, 3). Notebook "
                    "05: over-fitting, reliability diagram and temperature scaling."),
}


@dataclass(frozen=True, repr=False, eq=False)
class Dataset:
    """A named bundle of read-only arrays: ``ds.X``, ``ds["X"]`` and ``ds.arrays["X"]`` agree.

    Attributes
    ----------
    name : str
        The name passed to :func:`load`.
    description : str
        What the arrays are, with their shapes.
    arrays : Mapping[str, numpy.ndarray]
        Read-only mapping of read-only arrays (float64, int64 or str).
    path : pathlib.Path
        The file the arrays were read from.
    """

    name: str
    description: str
    arrays: Mapping[str, np.ndarray]
    path: Path

    def __getattr__(self, key: str) -> np.ndarray:
        if key.startswith("__") or key in ("name", "description", "arrays", "path"):
            raise AttributeError(key)
        arrays = object.__getattribute__(self, "arrays")
        if key in arrays:
            return arrays[key]
        raise AttributeError(f"dataset {self.name!r} has no array {key!r}; "
                             f"it has {', '.join(arrays)}")

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self.arrays:
            raise KeyError(f"dataset {self.name!r} has no array {key!r}; it has {', '.join(self.arrays)}")
        return self.arrays[key]

    def __contains__(self, key: object) -> bool:
        return key in self.arrays

    def keys(self) -> list[str]:
        """The array names, in file order."""
        return list(self.arrays)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.arrays))

    def __repr__(self) -> str:
        head = f"Dataset {self.name!r} from {self.path.name}"
        about = textwrap.fill(self.description, 88, initial_indent="  ", subsequent_indent="  ")
        rows = [f"  {k:<14} {str(v.shape):<16} {v.dtype}" for k, v in self.arrays.items()]
        return "\n".join([head, about, *rows])


def data_dir() -> Path:
    """The folder the files are read from: ``$LECTURE_DATA_DIR`` if set, else the repo's data/."""
    env = os.environ.get("LECTURE_DATA_DIR", "").strip()
    return Path(env).expanduser() if env else Path(__file__).resolve().parents[1] / "data"


def available() -> list[str]:
    """The names :func:`load` accepts (every dataset of the contract), sorted."""
    return sorted(_SPECS)


def load(name: str) -> Dataset:
    """Read and validate one dataset of the series.

    Parameters
    ----------
    name : str
        One of :func:`available`: ``"batch_200x4"`` (notebook 02), ``"xor"``, ``"xor_noisy"``
        (notebook 01), ``"spiral"``, ``"nielsen_curve"`` (notebook 03), ``"cat_dog_horse"``,
        ``"calibration"`` (notebook 05).

    Returns
    -------
    Dataset
        Read-only arrays with attribute access, e.g. ``load("xor").X`` of shape (4, 2).

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        Unknown name (the message suggests the closest one), or a missing or corrupt file (the
        message names the file, the problem and how to regenerate it).
    """
    if not isinstance(name, str):
        raise TypeError(f"load() takes a dataset name (str); got {type(name).__name__} {name!r}.")
    if name not in _SPECS:
        close = difflib.get_close_matches(name.strip().lower(), available(), n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown dataset {name!r}.{hint} Available: {', '.join(available())}.")
    spec = _SPECS[name]
    path = data_dir() / spec["file"]
    if not path.is_file():
        raise ValueError(f"{path}: file not found (data folder: {data_dir()}; set LECTURE_DATA_DIR "
                         f"to use another folder). {_FIX.capitalize()}.")
    arrays = _read_csv(path, spec) if path.suffix == ".csv" else _read_npz(path, spec)
    arrays = _assemble(name, arrays, path)
    for arr in arrays.values():
        arr.flags.writeable = False
    return Dataset(name, spec["description"], MappingProxyType(arrays), path)


def _bad(path: Path, problem: str) -> ValueError:
    return ValueError(f"{path}: {problem}. The file is corrupt or out of date; {_FIX}.")


def _read_csv(path: Path, spec: dict[str, Any]) -> dict[str, np.ndarray]:
    expected, n_rows = list(spec["columns"]), spec["rows"]
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:  # a BOM (spreadsheets) is fine
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise _bad(path, f"cannot be read as CSV ({exc})") from None
    if not any(rows):
        raise _bad(path, "is empty")
    if rows[0] != expected:
        raise _bad(path, f"header is {rows[0]}, expected {expected}")
    body = rows[1:]
    while body and not body[-1]:  # tolerate blank lines at the end
        body.pop()
    for i, row in enumerate(body, start=2):
        if len(row) != len(expected):
            raise _bad(path, f"line {i} has {len(row)} fields, expected {len(expected)} ({', '.join(expected)})")
    if len(body) != n_rows:
        raise _bad(path, f"has {len(body)} data rows, expected {n_rows} (truncated?)")
    cols: dict[str, np.ndarray] = {}
    for j, col in enumerate(expected):
        values = [row[j] for row in body]
        try:
            if col == "split":
                cols[col] = np.array(values, dtype=str)
            else:
                cols[col] = np.array([int(v) if col == "label" else float(v) for v in values],
                                     dtype=np.int64 if col == "label" else np.float64)
        except ValueError as exc:
            what = "an integer" if col == "label" else "a number"
            raise _bad(path, f"column {col!r} has a value that is not {what} ({exc})") from None
        _check_values(path, col, cols[col], spec.get("classes"))
    return cols


def _check_values(path: Path, key: str, arr: np.ndarray, n_classes: int | None) -> None:
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr.ravel()))
        raise _bad(path, f"{key!r} has {bad.size} NaN or infinite value(s) (first at flat index {bad[0]})")
    if key in ("label", "y_train", "y_val", "y_test") and n_classes is not None:
        if arr.min() < 0 or arr.max() >= n_classes:
            raise _bad(path, f"{key!r} has values in [{arr.min()}, {arr.max()}], expected 0..{n_classes - 1}")
    if key == "split" and not set(arr.tolist()) <= {"train", "test"}:
        raise _bad(path, f"'split' has values {sorted(set(arr.tolist()))}, expected 'train'/'test'")
    if key == "images" and (arr.min() < 0 or arr.max() > 1):
        raise _bad(path, f"'images' has values in [{arr.min():.3g}, {arr.max():.3g}], expected [0, 1]")


def _read_npz(path: Path, spec: dict[str, Any]) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            loaded = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise _bad(path, f"cannot be read as .npz ({type(exc).__name__}: {exc})") from None
    out: dict[str, np.ndarray] = {}
    for key, (shape, kind) in spec["keys"].items():
        if key not in loaded:
            raise _bad(path, f"key {key!r} is missing (found {sorted(loaded)}, expected {list(spec['keys'])})")
        arr = loaded[key]
        ok_kind = arr.dtype.kind in ("iu" if kind == "i" else "f" if kind == "f" else "U")
        if arr.shape != shape or not ok_kind:
            want = {"f": "float", "i": "integer", "U": "str"}[kind]
            raise _bad(path, f"{key!r} is {arr.dtype} with shape {arr.shape}, expected {want} {shape}")
        out[key] = arr.astype({"f": np.float64, "i": np.int64, "U": str}[kind])
        _check_values(path, key, out[key], 3 if kind == "i" else None)
    return out


def _assemble(name: str, cols: dict[str, np.ndarray], path: Path) -> dict[str, np.ndarray]:
    """Turn the validated file contents into the contracted arrays (fresh, contiguous copies)."""
    if name in ("cat_dog_horse", "calibration"):
        return cols
    if name == "nielsen_curve":
        return {"x": cols["x"], "y": cols["y"]}
    feats = [c for c in _SPECS[name]["columns"] if c not in ("label", "split")]
    X, y = np.column_stack([cols[c] for c in feats]), cols["label"]
    if name == "batch_200x4":
        return {"X": X, "y": y, "feature_names": np.array(feats, dtype=str),
                "classes": np.array(["marsh", "meadow", "mountain"], dtype=str)}
    if name != "spiral":
        return {"X": X, "y": y}
    train = cols["split"] == "train"
    if train.sum() != 300:
        raise _bad(path, f"has {train.sum()} 'train' and {(~train).sum()} 'test' rows, expected 300 and 150")
    return {"X_train": X[train], "y_train": y[train], "X_test": X[~train], "y_test": y[~train],
            "X": X.copy(), "y": y.copy()}
