"""The student's own copy on a laptop (`make lab` / `make update`, tools/student_copy.py).

A student edits a notebook in their copy; the course changes that notebook and another, and adds
a new one; the update (nbgitpuller's merge) keeps the edit, brings the changes and the new
notebook, and never touches the course's tracked files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from hub_harness import commit, make_course_repo
from jupyter_harness import NOTEBOOKS_DIR, REPO

sys.path.insert(0, str(REPO / "tools"))
import student_copy  # noqa: E402

NB1, NB2 = "01_nonlinearity.ipynb", "02_forward_propagation.ipynb"
EDIT = "# my note: W2 @ W1 is one matrix"


@pytest.fixture
def course(tmp_path) -> Path:
    return make_course_repo(tmp_path / "course", [NOTEBOOKS_DIR / NB1, NOTEBOOKS_DIR / NB2])


def _edit_like_jupyterlab(path: Path) -> None:
    """A student's save: a changed code cell, plus outputs and execution counts everywhere."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[0].source = EDIT + "\n" + code[0].source
    for i, cell in enumerate(code, 1):
        cell.execution_count = i
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"output {i}\n")]
    nbformat.write(nb, path)


def _course_changes(course: Path) -> None:
    for name, text in ((NB1, "Course update to 01."), (NB2, "Course update to 02.")):
        nb = nbformat.read(course / "notebooks" / name, as_version=4)
        nb.cells[-1].source += f"\n\n{text}"
        nbformat.write(nb, course / "notebooks" / name)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 07 new")]),
                   course / "notebooks" / "08_new.ipynb")
    commit(course, "update")


def test_update_keeps_the_students_edit_and_brings_new_material(course, tmp_path):
    copy = tmp_path / "my-course"
    report = student_copy.create(course, copy)
    assert report.created and (copy / "notebooks" / NB1).exists()
    assert student_copy.create(course, copy).created is False, "a second create leaves the copy alone"
    _edit_like_jupyterlab(copy / "notebooks" / NB1)
    tracked = (course / "notebooks" / NB1).read_bytes()
    _course_changes(course)
    assert student_copy.pending(course, copy) == 1

    report = student_copy.update(course, copy)

    mine = nbformat.read(copy / "notebooks" / NB1, as_version=4)
    nbformat.validate(mine)
    text = nbformat.writes(mine)
    assert EDIT in text, "the student's edit was lost"
    assert "output 1" in text, "the student's outputs were lost"
    assert "Course update to 01." in text, "the course's change to another cell was not merged"
    assert "Course update to 02." in (copy / "notebooks" / NB2).read_text(), "untouched notebook not updated"
    assert (copy / "notebooks" / "08_new.ipynb").exists(), "the new notebook did not appear"
    assert (report.added, report.updated, report.kept_edits) == (["08_new.ipynb"], [NB2], [NB1])
    assert "08_new.ipynb" in report.summary(copy / "notebooks")
    assert student_copy.pending(course, copy) == 0
    assert EDIT not in (course / "notebooks" / NB1).read_text(), "the course repository was touched"
    assert tracked != (course / "notebooks" / NB1).read_bytes()  # (it has the course's own update)


def test_the_student_wins_where_both_changed_the_same_lines(course, tmp_path):
    copy = tmp_path / "my-course"
    student_copy.create(course, copy)
    for path, text in ((copy / "notebooks" / NB1, "MINE"), (course / "notebooks" / NB1, "COURSE")):
        nb = nbformat.read(path, as_version=4)
        nb.cells[0].source = f"# {text}"
        nbformat.write(nb, path)
    commit(course, "conflicting update")
    report = student_copy.update(course, copy)
    first = nbformat.read(copy / "notebooks" / NB1, as_version=4).cells[0].source
    assert first == "# MINE" and report.kept_edits == [NB1]


def test_a_deleted_notebook_comes_back_fresh(course, tmp_path):
    copy = tmp_path / "my-course"
    student_copy.create(course, copy)
    (copy / "notebooks" / NB2).unlink()
    report = student_copy.update(course, copy)
    assert (copy / "notebooks" / NB2).read_bytes() == (course / "notebooks" / NB2).read_bytes()
    assert report.restored == [NB2]


def test_a_merge_that_breaks_a_notebook_gives_the_student_their_version_back(course, tmp_path, monkeypatch):
    """The guard on top of nbgitpuller: simulate a merge result that is no longer JSON."""
    copy = tmp_path / "my-course"
    student_copy.create(course, copy)
    _edit_like_jupyterlab(copy / "notebooks" / NB1)
    mine = (copy / "notebooks" / NB1).read_text()
    _course_changes(course)
    real = student_copy._puller

    class BrokenMerge:
        def __init__(self, *args):
            self.puller = real(*args)

        def pull(self):
            yield from self.puller.pull()
            target = copy / "notebooks" / NB1
            target.write_text(target.read_text()[:-200])  # what a bad text merge could leave

    monkeypatch.setattr(student_copy, "_puller", BrokenMerge)
    report = student_copy.update(course, copy)
    assert report.repaired == [NB1]
    assert (copy / "notebooks" / NB1).read_text().strip() == mine.strip(), "the student's version is back"
    beside = copy / "notebooks" / "01_nonlinearity.course.ipynb"
    assert "Course update to 01." in beside.read_text()
    assert "would not open" in report.summary(copy / "notebooks")


def test_without_git_the_copy_is_plain_and_updates_only_add(tmp_path):
    source = tmp_path / "zip"
    (source / "notebooks").mkdir(parents=True)
    (source / "notebooks" / NB1).write_bytes((NOTEBOOKS_DIR / NB1).read_bytes())
    copy = tmp_path / "my-course"
    assert student_copy.create(source, copy).created
    (copy / "notebooks" / NB1).write_text("{}")  # the student's (odd) edit
    (source / "notebooks" / NB2).write_bytes((NOTEBOOKS_DIR / NB2).read_bytes())
    report = student_copy.update(source, copy)
    assert report.added == [NB2] and (copy / "notebooks" / NB1).read_text() == "{}"


def test_command_line_update_prints_what_changed(course, tmp_path):
    copy = tmp_path / "my-course"
    run = lambda action: subprocess.run(  # noqa: E731
        [sys.executable, str(REPO / "tools" / "student_copy.py"), action, "--source", str(course),
         "--dir", str(copy)], capture_output=True, text=True, timeout=120)
    first = run("create")
    assert first.returncode == 0 and "Your own copy" in first.stdout, first.stderr
    _course_changes(course)
    assert "1 course update(s) waiting" in run("status").stdout
    out = run("update")
    assert out.returncode == 0, out.stderr
    assert "new: 08_new.ipynb" in out.stdout and f"updated: {NB1}, {NB2}" in out.stdout, out.stdout


def test_detached_course_checkout_gets_a_clear_message(course, tmp_path):
    subprocess.run(["git", "checkout", "-q", "--detach"], cwd=course, check=True)
    with pytest.raises(RuntimeError, match="git switch main"):
        student_copy.create(course, tmp_path / "my-course")


def test_the_copy_is_ignored_by_git_and_make_targets_exist():
    ignored = subprocess.run(["git", "check-ignore", "-q", "my-course/notebooks/x.ipynb"], cwd=REPO)
    assert ignored.returncode == 0, "my-course/ must be git-ignored"
    makefile = (REPO / "Makefile").read_text()
    assert "tools/lab.py" in makefile and "tools/student_copy.py update" in makefile
