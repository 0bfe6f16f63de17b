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
    "calibration": {"X_train": (200, 22), "y_train": (200,), "X_val": (1000, 22), "y_val": (1000,),
                    "X_test": (1000, 22), "y_test": (1000,), "epoch": (1001,), "train_loss": (1001,),
                    "train_acc": (1001,), "test_loss": (1001,), "test_acc": (1001,),
                    "checkpoint_epochs": (19,), "W1": (19, 22, 64), "b1": (19, 64), "W2": (19, 64, 3),
                    "b2": (19, 3), "logits_val": (1000, 3), "logits_test": (1000, 3)},
}
LABEL_KEYS = {"y", "y_train", "y_val", "y_test"}
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
            if key not in LABEL_KEYS:
                continue
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


def _relu_net(ds, X, c):  # the network at checkpoint c, written out independently of lecture_utils
    return np.maximum(X @ ds.W1[c] + ds.b1[c], 0.0) @ ds.W2[c] + ds.b2[c]


def _nll(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)
    return float(-np.mean(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))))


def test_calibration_network_reproduces_its_logits_and_history():
    ds = load("calibration")
    assert list(ds.checkpoint_epochs) == [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300,
                                          500, 700, 1000]
    np.testing.assert_array_equal(ds.epoch, np.arange(1001))
    np.testing.assert_allclose(_relu_net(ds, ds.X_test, -1), ds.logits_test, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(_relu_net(ds, ds.X_val, -1), ds.logits_val, rtol=1e-12, atol=1e-12)
    for c, e in enumerate(ds.checkpoint_epochs):   # the stored weights are the history's network
        Z, Zt = _relu_net(ds, ds.X_train, c), _relu_net(ds, ds.X_test, c)
        assert ds.train_acc[e] == np.mean(Z.argmax(axis=1) == ds.y_train)
        assert ds.test_acc[e] == np.mean(Zt.argmax(axis=1) == ds.y_test)
        assert ds.test_loss[e] == pytest.approx(_nll(Zt, ds.y_test), rel=1e-10)
        assert ds.train_loss[e] == pytest.approx(_nll(Z, ds.y_train), rel=1e-10)
    for a, b in [(ds.X_train, ds.X_val), (ds.X_val, ds.X_test)]:
        assert not np.allclose(a[:200], b[:200])    # independent draws
    # only the first two features carry the class: their class means differ, the others' do not
    means = np.array([ds.X_test[ds.y_test == k].mean(axis=0) for k in range(3)])   # (3, 22)
    assert np.ptp(means[:, :2], axis=0).min() > 2.0 and np.ptp(means[:, 2:], axis=0).max() < 0.3


def test_calibration_network_is_past_100_percent_and_over_confident():
    ds = load("calibration")
    e100 = int(np.argmax(ds.train_acc == 1.0))
    assert 0 < e100 < 200 and ds.train_acc[e100:].min() == 1.0       # memorised, and stays so
    assert np.ptp(ds.test_acc[e100:]) < 0.03                          # test accuracy flat ...
    assert ds.test_loss[-1] > 1.5 * ds.test_loss[e100]                # ... while the test NLL rises
    assert np.argmin(ds.test_loss) < e100
    P = softmax(ds.logits_test)
    assert P.max(axis=1).mean() - np.mean(P.argmax(axis=1) == ds.y_test) > 0.08
    grid = np.arange(1.0, 8.0, 0.001)
    nll = [_nll(ds.logits_val / T, ds.y_val) for T in grid]
    T = grid[int(np.argmin(nll))]
    assert 2.5 < T < 5.0
    before, after = _ece(P, ds.y_test, 10), _ece(softmax(ds.logits_test / T), ds.y_test, 10)
    assert before > 0.08 and after < before / 3
    readme = (DATA / "README.md").read_text(encoding="utf-8")   # its numbers are the file's
    for text in (f"reaches 100 % at epoch {e100}", f"to {ds.test_loss[-1]:.3f}", f"T = {T:.2f}",
                 f"drops from {before:.3f} to {after:.3f}"):
        assert text in readme, text


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
    with np.load(DATA / "calibration.npz") as f:
        arrays = {k: f[k] for k in f.files}
    arrays["W1"] = arrays["W1"] * (1 + 1e-12)        # trained weights: another BLAS may round so
    arrays["W2"] = arrays["W2"] * (1 + 1e-5)         # ... but not this far
    np.savez_compressed(tmp_path / "calibration.npz", **arrays)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text().replace("training accuracy reaches 100 % at epoch",
                                                 "training accuracy reaches 100 % at epoch 1"))
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "make_data.py"), "--check",
                          "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "xor.csv" in out.stdout and "spiral.csv: missing" in out.stdout
    assert "'b'" in out.stdout and "batch_200x4" not in out.stdout
    assert "'W2'" in out.stdout and "'W1'" not in out.stdout
    assert "README.md: the calibration numbers do not match" in out.stdout


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
