"""The data layer: every dataset matches its contract, the files are reproducible, and broken
files fail with a message a student can act on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lecture_utils.data import Dataset, available, data_dir, load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

CONTRACT = {
    "batch_200x4": {"X": (200, 4), "y": (200,), "feature_names": (4,)},
    "xor": {"X": (4, 2), "y": (4,)},
    "xor_noisy": {"X": (200, 2), "y": (200,)},
    "spiral": {"X_train": (300, 2), "y_train": (300,), "X_test": (150, 2), "y_test": (150,),
               "X": (450, 2), "y": (450,)},
    "nielsen_curve": {"x": (201,), "y": (201,)},
    "cat_dog_horse": {"images": (3, 3, 32, 32), "W": (3072, 3), "b": (3,), "classes": (3,)},
    "calibration": {"logits_val": (1000, 3), "y_val": (1000,), "logits_test": (1000, 3),
                    "y_test": (1000,)},
}
N_CLASSES = {"batch_200x4": 3, "xor": 2, "xor_noisy": 2, "spiral": 3, "calibration": 3}
LECTURE_SCORES = np.array([[5, 4, 2], [4, 2, 8], [4, 4, 1]], dtype=float)
LECTURE_SOFTMAX = np.array([[0.71, 0.26, 0.04], [0.02, 0.00, 0.98], [0.49, 0.49, 0.02]])


def softmax(z: np.ndarray) -> np.ndarray:  # independent of lecture_utils.softmax on purpose
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.fixture(autouse=True)
def _repo_data(monkeypatch):
    monkeypatch.delenv("LECTURE_DATA_DIR", raising=False)


def test_available_is_the_contract():
    assert available() == sorted(CONTRACT)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_dataset_matches_contract(name):
    ds = load(name)
    assert isinstance(ds, Dataset) and ds.name == name and ds.description
    for key, shape in CONTRACT[name].items():
        arr = ds[key]
        assert arr.shape == shape, key
        assert getattr(ds, key) is arr and ds.arrays[key] is arr
        assert not arr.flags.writeable, f"{key} should be read-only"
        if arr.dtype.kind == "f":
            assert arr.dtype == np.float64 and np.all(np.isfinite(arr)), key
        elif arr.dtype.kind == "i":
            assert arr.dtype == np.int64, key
            assert arr.min() >= 0 and arr.max() < N_CLASSES[name], key
            assert set(np.unique(arr)) == set(range(N_CLASSES[name])), key
        else:
            assert arr.dtype.kind == "U", key
    text = repr(ds)
    assert name in text and all(k in text for k in CONTRACT[name])
    assert not re.search(r"0x[0-9a-f]{6,}", text) and str(DATA) not in text  # stable for nbval


def test_arrays_cannot_be_modified():
    ds = load("xor")
    with pytest.raises(ValueError):
        ds.X[0, 0] = 5.0
    with pytest.raises(TypeError):
        ds.arrays["X"] = np.zeros((4, 2))
    with pytest.raises(AttributeError):
        ds.name = "other"
    copy = ds.X.copy()
    copy[0, 0] = 5.0
    assert load("xor").X[0, 0] == 0.0


def test_missing_array_attribute_lists_the_names():
    ds = load("xor")
    with pytest.raises(AttributeError, match="X, y"):
        ds.X_train
    with pytest.raises(KeyError, match="X, y"):
        ds["X_train"]


def test_batch_is_rows_as_examples():
    ds = load("batch_200x4")
    assert list(ds.feature_names) == ["leaf_length_cm", "leaf_width_cm", "petal_length_cm",
                                      "stem_diameter_cm"]
    assert np.all(ds.X > 0) and np.all(ds.X < 20)           # plausible measurements in cm
    means = np.array([ds.X[ds.y == k].mean(axis=0) for k in range(3)])
    assert np.ptp(means[:, 2]) > 2.0                          # species differ in petal length
    out = ds.X @ np.ones((4, 5)) + np.zeros(5)                # (200, 4) @ (4, 5) → (200, 5)
    assert out.shape == (200, 5)


def test_xor_labels_are_xor_of_corners():
    ds = load("xor")
    np.testing.assert_array_equal(ds.X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(ds.y, ds.X[:, 0].astype(int) ^ ds.X[:, 1].astype(int))
    noisy = load("xor_noisy")
    corner = np.round(noisy.X).clip(0, 1).astype(int)        # sd 0.15: nearest corner is right
    assert np.mean(noisy.y == corner[:, 0] ^ corner[:, 1]) > 0.97
    assert np.bincount(noisy.y).tolist() == [100, 100]
    assert 0.1 < noisy.X.std(axis=0).min() and np.abs(noisy.X.mean(axis=0) - 0.5).max() < 0.1


def test_spiral_is_balanced_and_split():
    ds = load("spiral")
    assert np.bincount(ds.y_train).tolist() == [100, 100, 100]
    assert np.bincount(ds.y_test).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(np.r_[ds.X_train, ds.X_test], ds.X)
    np.testing.assert_array_equal(np.r_[ds.y_train, ds.y_test], ds.y)
    assert np.linalg.norm(ds.X, axis=1).max() <= 1.0 + 1e-6


def test_nielsen_curve_is_the_function():
    ds = load("nielsen_curve")
    np.testing.assert_allclose(ds.x, np.linspace(0, 1, 201), atol=1e-6)
    f = 0.2 + 0.4 * ds.x**2 + 0.3 * ds.x * np.sin(15 * ds.x) + 0.05 * np.cos(50 * ds.x)
    np.testing.assert_allclose(ds.y, f, atol=1e-6)


def test_cat_dog_horse_reproduces_the_lecture_table():
    ds = load("cat_dog_horse")
    assert list(ds.classes) == ["cat", "dog", "horse"]
    assert ds.images.min() >= 0 and ds.images.max() <= 1
    scores = ds.images.reshape(3, -1) @ ds.W + ds.b          # (3, 3072) @ (3072, 3) → (3, 3)
    np.testing.assert_allclose(scores, LECTURE_SCORES, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(np.round(softmax(scores), 2), LECTURE_SOFTMAX)
    assert np.abs(ds.W).max() < 0.1                           # small, plausible weights
    flat = ds.images.reshape(3, -1)                           # three visibly different pictures
    assert min(np.abs(flat[i] - flat[j]).mean() for i, j in [(0, 1), (0, 2), (1, 2)]) > 0.05


def _ece(probs: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    conf, correct = probs.max(axis=1), probs.argmax(axis=1) == y
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return total


def test_calibration_is_over_confident_and_temperature_repairs_it():
    ds = load("calibration")
    for logits, y in [(ds.logits_val, ds.y_val), (ds.logits_test, ds.y_test)]:
        acc = np.mean(logits.argmax(axis=1) == y)
        assert softmax(logits).max(axis=1).mean() - acc > 0.08
    assert not np.allclose(ds.logits_val, ds.logits_test)     # independent draws
    grid = np.arange(1.0, 4.0, 0.01)
    nll = [-np.log(softmax(ds.logits_val / T)[np.arange(1000), ds.y_val]).mean() for T in grid]
    T = grid[int(np.argmin(nll))]
    assert 2.2 < T < 2.8
    before, after = _ece(softmax(ds.logits_test), ds.y_test), _ece(softmax(ds.logits_test / T), ds.y_test)
    assert before > 0.1 and after < before / 3


def test_make_data_check_passes():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "make_data.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OK" in out.stdout


def test_make_data_check_lists_differences(tmp_path):
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    (tmp_path / "xor.csv").write_text("x1,x2,label\n0.0,0.0,0\n")
    (tmp_path / "spiral.csv").unlink()
    with np.load(DATA / "cat_dog_horse.npz") as f:
        arrays = {k: f[k] for k in f.files}
    arrays["b"] = arrays["b"] + 1e-6
    np.savez_compressed(tmp_path / "cat_dog_horse.npz", **arrays)
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "make_data.py"), "--check",
                          "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "xor.csv" in out.stdout and "spiral.csv: missing" in out.stdout
    assert "'b'" in out.stdout and "batch_200x4" not in out.stdout


# ----------------------------------------------------------------------------- broken files
@pytest.fixture
def broken_dir(tmp_path, monkeypatch):
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("LECTURE_DATA_DIR", str(tmp_path))
    return tmp_path


def _edit_csv(path: Path, edit) -> None:
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")


@pytest.mark.parametrize("edit, match", [
    (lambda ls: ls[:120], r"119 data rows, expected 200"),                        # truncated
    (lambda ls: ls[:50] + [ls[50][:7]], r"line 51 has 1 fields, expected 5"),      # cut mid-line
    (lambda ls: [ls[0]] + [ls[1].replace(ls[1].split(",")[2], "nan", 1)] + ls[2:],
     r"'petal_length_cm' has 1 NaN"),
    (lambda ls: [ls[0] + ",extra"] + [l + ",1" for l in ls[1:]], r"header is"),   # 6 columns
    (lambda ls: [ls[0]] + [l.rsplit(",", 1)[0] for l in ls[1:]], r"header|fields"),
    (lambda ls: [ls[0]] + [ls[1][:-1] + "7"] + ls[2:], r"'label' has values in \[0, 7\]"),
    (lambda ls: [ls[0]] + [ls[1][:-1] + "1.5"] + ls[2:], r"not an integer"),
    (lambda ls: [], r"batch_200x4.csv: is empty"),
], ids=["truncated", "cut-mid-line", "nan", "extra-column", "missing-column", "label-range",
        "float-label", "empty"])
def test_corrupt_csv_raises_helpful_error(broken_dir, edit, match):
    _edit_csv(broken_dir / "batch_200x4.csv", edit)
    with pytest.raises(ValueError, match=match) as err:
        load("batch_200x4")
    assert "batch_200x4.csv" in str(err.value)
    assert "python tools/make_data.py" in str(err.value)


def test_wrong_number_of_columns_in_data_rows(broken_dir):
    _edit_csv(broken_dir / "spiral.csv", lambda ls: [ls[0]] + [l.rsplit(",", 1)[0] for l in ls[1:]])
    with pytest.raises(ValueError, match=r"line 2 has 3 fields, expected 4 \(x1, x2, label, split\)"):
        load("spiral")


def test_spiral_with_wrong_split_raises(broken_dir):
    _edit_csv(broken_dir / "spiral.csv", lambda ls: [l.replace(",test", ",train") for l in ls])
    with pytest.raises(ValueError, match=r"450 'train' and 0 'test'"):
        load("spiral")


def _rewrite_npz(path: Path, change) -> None:
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    change(arrays)
    np.savez_compressed(path, **arrays)  # allows pickles on save: the loader must refuse them


@pytest.mark.parametrize("change, match", [
    (lambda a: a.pop("W"), r"key 'W' is missing"),
    (lambda a: a.__setitem__("W", a["W"][:3000]), r"'W' is float64 with shape \(3000, 3\)"),
    (lambda a: a.__setitem__("images", a["images"] * 2), r"'images' has values in \[0.1, 2\]"),
    (lambda a: a.__setitem__("b", np.array([0.5, np.nan, 0.1])), r"'b' has 1 NaN"),
    (lambda a: a.__setitem__("classes", np.array([1, 2, 3])), r"'classes' is int64"),
    (lambda a: a.__setitem__("b", np.array([0.5, None, 0.1], dtype=object)), r"cannot be read"),
], ids=["missing-key", "wrong-shape", "out-of-range", "nan", "wrong-dtype", "pickled-object"])
def test_corrupt_npz_raises_helpful_error(broken_dir, change, match):
    _rewrite_npz(broken_dir / "cat_dog_horse.npz", change)
    with pytest.raises(ValueError, match=match) as err:
        load("cat_dog_horse")
    assert "cat_dog_horse.npz" in str(err.value) and "python tools/make_data.py" in str(err.value)


def test_unreadable_npz_and_labels_out_of_range(broken_dir):
    path = broken_dir / "calibration.npz"
    _rewrite_npz(path, lambda a: a.__setitem__("y_test", a["y_test"] + 1))
    with pytest.raises(ValueError, match=r"'y_test' has values in \[1, 3\], expected 0..2"):
        load("calibration")
    path.write_bytes(path.read_bytes()[:1000])                  # truncated zip
    with pytest.raises(ValueError, match=r"calibration.npz: cannot be read as .npz"):
        load("calibration")


def test_missing_file_says_how_to_regenerate(broken_dir):
    (broken_dir / "xor.csv").unlink()
    with pytest.raises(ValueError, match=r"xor.csv: file not found.*LECTURE_DATA_DIR.*make_data.py"):
        load("xor")
    assert data_dir() == broken_dir


def test_default_data_dir_is_the_repo():
    assert data_dir() == DATA


@pytest.mark.parametrize("typo, suggestion", [("spirals", "spiral"), ("XOR", "xor"),
                                              ("cat_dog", "cat_dog_horse"), ("calibraton", "calibration")])
def test_unknown_name_suggests_the_closest(typo, suggestion):
    with pytest.raises(ValueError, match=f"Did you mean '{suggestion}'") as err:
        load(typo)
    assert "Available: batch_200x4, calibration" in str(err.value)


def test_unknown_name_without_close_match_lists_names():
    with pytest.raises(ValueError, match="Available") as err:
        load("mnist")
    assert "Did you mean" not in str(err.value)
    with pytest.raises(TypeError, match="dataset name"):
        load(3)
