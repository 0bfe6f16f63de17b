"""Every notebook follows the house style and is committed stripped (see docs/CONTRIBUTING.md)."""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("strip_notebooks", ROOT / "tools" / "strip_notebooks.py")
_strip_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_strip_tool)
is_checked, strip = _strip_tool.is_checked, _strip_tool.strip

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]


def _is_intro(path: Path) -> bool:
    """00_…: the introduction to the series (no exercises, no random numbers)."""
    return path.name.startswith("00_")


def _load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_name_is_numbered_snake_case(path):
    assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_is_stripped_except_checked_cells(path):
    nb = _load(path)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"
    checked = 0
    for i, cell in enumerate(_code(nb)):
        if is_checked(cell):
            checked += 1
            assert cell.execution_count == checked, f"checked cell {i} should be numbered {checked}"
        else:
            assert cell.execution_count is None, f"code cell {i} has execution_count {cell.execution_count}"
        if not is_checked(cell):
            assert not cell.outputs, f"code cell {i} has outputs but is not NBVAL_CHECK_OUTPUT: run `make strip`"
        for out in cell.outputs:
            assert out.output_type != "error", f"code cell {i} stores an error output"
    assert strip(copy.deepcopy(nb)) == nb, "notebook is not stripped: run `make strip`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_checked_cells_have_reference_output(path):
    for i, cell in enumerate(_code(_load(path))):
        if is_checked(cell):
            assert cell.outputs, f"NBVAL_CHECK_OUTPUT cell {i} has no reference output: record it with tools/strip_notebooks.py --execute"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_absolute_paths_or_path_hacks(path):
    text = path.read_text(encoding="utf-8")
    machine_dirs = r"/(" + "|".join(["work", "home", "tmp", "root"]) + r")/"
    for pattern in (machine_dirs, r"[A-Z]:\\\\", r"sys\.path\.(insert|append)"):
        assert not re.search(pattern, text), f"{path.name} contains {pattern!r}"
    for cell in _code(_load(path)):
        assert not re.search(r"^\s*from\s+\S+\s+import\s+\*", cell.source, re.M), "star import"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_house_skeleton(path):
    nb = _load(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.lstrip().startswith("# "), "starts with a # title"
    md = _markdown(nb)
    for heading in ("What you'll learn", "What you'll do", "What you'll need"):
        assert heading.lower() in md.lower().replace("’", "'"), f"missing '{heading}'"
    assert re.search(r"^##\s+1\.", md, re.M), "sections are numbered (## 1. …)"
    if not _is_intro(path):
        assert re.search(r"^##\s+Exercises", md, re.M), "missing ## Exercises"
    assert re.search(r"^##\s+Summary", md, re.M), "missing ## Summary"
    later = [p for p in NOTEBOOKS if p.name > path.name]
    if later:
        assert later[0].name in md, f"should link to the next notebook {later[0].name}"


def _heading_cell(nb, heading: str) -> int | None:
    """Index of the first markdown cell with a line ``## <heading>``, or None."""
    pattern = re.compile(rf"^##\s+{heading}\b", re.M)
    return next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and pattern.search(c.source)), None)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercises_end_with_a_progress_cell(path):
    nb = _load(path)
    start, end = _heading_cell(nb, "Exercises"), _heading_cell(nb, "Summary")
    if start is None:
        return  # no exercises (00_start_here)
    assert end is not None and end > start, "## Summary should follow ## Exercises"
    code = [c for c in nb.cells[start:end] if c.cell_type == "code"]
    assert code and code[-1].source.strip() == "progress()", (
        "the last code cell of the exercises (before ## Summary) should be `progress()`")
    before = nb.cells[nb.cells.index(code[-1]) - 1]
    assert before.cell_type == "markdown" and "**Your progress**" in before.source, (
        "put a markdown cell '**Your progress** — run this after the exercises:' before `progress()`")
    setup = _code(nb)[0].source
    assert re.search(r"^from lecture_utils\.exercises import [^\n]*\bprogress\b", setup, re.M), (
        "the setup cell should import progress: `from lecture_utils.exercises import ___, progress`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_one_setup_cell_does_all_imports(path):
    code = _code(_load(path))
    importing = [i for i, c in enumerate(code) if re.search(r"^\s*(import|from)\s+\S+", c.source, re.M)]
    assert importing == [0], f"imports belong in the first code cell only; found in code cells {importing}"
    setup = code[0].source
    assert "%matplotlib widget" in setup
    assert "use_lecture_style(" in setup, "one explicit style call in the setup cell"
    if not _is_intro(path):
        assert re.search(r"rng\s*=\s*np\.random\.default_rng\(\s*\d+\s*\)", setup), "one seeded rng"
