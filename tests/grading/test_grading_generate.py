"""tools/make_assignment.py: what it finds in the notebooks and the nbgrader source it writes.

Fast (no notebook is executed here; test_grading_autograde.py runs nbgrader on the results).
Built from the real notebooks, whatever exercises they hold today, and from fixture notebooks.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grading_harness import (FIXTURE_CELLS, FIXTURE_PACKAGE, HIDDEN_SEED, NOTEBOOKS, ROOT,
                             answer_cells, fixture_notebook, grade_cells, grade_id, make_assignment)

ma = make_assignment
PACKAGES = (ma.EXERCISE_PACKAGE, FIXTURE_PACKAGE)
IDS = [p.stem for p in NOTEBOOKS]


def _exercise_module(path: Path) -> str:
    return f"{ma.EXERCISE_PACKAGE}.nb{path.name[:2]}"


@pytest.fixture(scope="module")
def real():
    """{notebook stem: (original, discovered exercises)} for every lecture notebook."""
    out = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        out[path.stem] = (nb, ma.discover(nb))
    return out


@pytest.fixture(scope="module")
def released(course):
    """The real notebooks as an nbgrader source and release (the session's course)."""
    return course


# -- the real notebooks ------------------------------------------------------------------------

def test_every_notebook_with_an_exercise_module_has_graded_exercises(real):
    for path in NOTEBOOKS:
        if importlib.util.find_spec(_exercise_module(path)) is not None:
            assert real[path.stem][1], f"{path.name}: no `qN.check(...)` cell found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_listed_exercise_is_graded(path, real):
    """Each exercise the notebook's module lists (EXERCISES) is checked in the notebook, so it
    gets an autograder test; nothing is graded that the module does not list."""
    module = _exercise_module(path)
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{path.name} has no exercise module")
    listed = ma.listed_exercises(module)
    found = [g.attr for g in real[path.stem][1] if g.module == module]
    assert sorted(found) == sorted(listed), (
        f"{path.name}: listed in {module}.EXERCISES but never checked in the notebook: "
        f"{sorted(set(listed) - set(found))}; checked but not listed: {sorted(set(found) - set(listed))}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_graded_exercise_has_a_model_answer(path, real):
    """The instructor's source carries a model answer for each exercise (from its solution, its
    correct choices or its expected value), so `nbgrader validate` of the source passes."""
    missing = [g.name for g in real[path.stem][1] if ma.model_answer(g) is None]
    assert not missing, f"{path.name}: no model answer can be derived for {missing}"


def test_hidden_seeds_differ_from_the_visible_ones(real):
    for _, graded in real.values():
        for g in graded:
            seeds = ma.hidden_seeds(g, master=HIDDEN_SEED)
            assert len(set(seeds)) == ma.HIDDEN_SEEDS
            assert getattr(g.exercise, "seed", None) not in seeds
            assert ma.hidden_seeds(g, master=HIDDEN_SEED) == seeds  # reproducible from the master seed
            assert ma.hidden_seeds(g, master=HIDDEN_SEED + 1) != seeds


def test_release_keeps_the_notebook_and_hides_the_tests(released, real):
    course, warnings = released
    assert not [w for w in warnings if "no model answer" in w], warnings
    for stem, (original, graded) in real.items():
        source, release = course.source("homework", stem), course.release("homework", stem)
        tests, answers = grade_cells(release), answer_cells(release)
        assert list(tests) == [f"{g.name}_test" for g in graded]
        assert list(answers) == [f"{g.name}_answer" for g in graded]
        # every original cell is still there, in order; only the note and the test cells are new
        kept = [c.source for c in release.cells
                if grade_id(c) not in tests and not (grade_id(c) or "").endswith("_graded_note")]
        assert len(kept) == len(original.cells), stem
        for cell, orig, g in _pairs(kept, original, graded):
            if g is None:
                assert cell == orig.source, f"{stem}: a cell changed in the release:\n{orig.source}"
            else:  # the student's starting point: the notebook's cell (plus a blank line, or the answer line)
                expected = orig.source if not g.state_answer else None
                if expected is not None:
                    assert _no_blank(cell) == _no_blank(expected), f"{stem} {g.name}:\n{cell}"
                assert "___" in cell or g.state_answer, f"{stem} {g.name}: the placeholder is gone"
        text = "\n".join(c.source for c in release.cells)
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN", "seed=_seed", "_result ="):
            assert marker not in text, f"{stem}: {marker!r} leaked into the release"
        for gid, cell in tests.items():
            meta = cell.metadata["nbgrader"]
            assert meta["locked"] and meta["grade"] and meta["points"] > 0, gid
            assert cell.source.startswith("# Autograder test"), gid
        # the source still holds the hidden tests and the model answers
        src_tests = grade_cells(source)
        for g in graded:
            body = src_tests[f"{g.name}_test"].source
            assert ma.BEGIN_HIDDEN in body and f"{g.name}.check({g.graded_answer}, seed=_seed" in body
            assert ma.BEGIN_SOLUTION in answer_cells(source)[f"{g.name}_answer"].source


def _no_blank(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _pairs(kept, original, graded):
    by_index = {g.cell_index: g for g in graded}
    for i, (cell, orig) in enumerate(zip(kept, original.cells)):
        yield cell, orig, by_index.get(i)


def test_the_release_runs_the_visible_checks_only(released, real):
    """A release answer cell still calls the visible check (students see ✓ / ✗ as before) — or,
    when the answer is a function scaffold checked in a later cell (07's my_train), that cell
    does, and it is the next code cell after the answer's test."""
    course, _ = released
    for stem, (_, graded) in real.items():
        release = course.release("homework", stem)
        answers, tests = answer_cells(release), grade_cells(release)
        for g in graded:
            cell = answers[f"{g.name}_answer"]
            if f"{g.name}.check(" in cell.source:
                continue
            assert g.function_answer and f"def {g.answer}(" in cell.source, f"{stem} {g.name}: no visible check"
            after = release.cells[release.cells.index(cell) + 1:]
            nxt = next(c for c in after if c.cell_type == "code" and grade_id(c) not in tests)
            assert f"{g.name}.check({g.answer})" in nxt.source, f"{stem} {g.name}: no visible check after the def"


def test_points_add_up_in_the_gradebook(released, real):
    from nbgrader.api import Gradebook

    course, _ = released
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        assignment = gb.find_assignment("homework")
        assert {nb.name for nb in assignment.notebooks} == set(real)
        assert assignment.max_score == sum(g.points for _, gs in real.values() for g in gs)


# -- fixture notebooks: the patterns the generator must understand --------------------------

def test_fixture_patterns_are_found():
    nb = fixture_notebook(
        FIXTURE_CELLS["f1_double"],
        "from grading_fixture_exercises import f2_answer as q_alias\nx = ___\ny = ___\nq_alias.check(answer=x)",
        "%time z = 1\nresult = f3_letters.check(answer)",   # magic line, check inside an assignment
        "f1_double.check(my_double)",                      # checked again: graded once
        "class Panel:\n    values = [1]\npanel = Panel()",
        "f3_letters.check(panel.values)",                  # already graded (first check wins)
        "def broken(:\n    pass",                          # a syntax error is skipped, not fatal
        "something.check(1)",                              # not an exercise
    )
    graded = ma.discover(nb, packages=PACKAGES)
    assert [(g.name, g.attr, g.answer) for g in graded] == [
        ("f1_double", "f1_double", "my_double"), ("q_alias", "f2_answer", "x"), ("f3_letters", "f3_letters", "answer")]
    assert [g.function_answer for g in graded] == [True, False, False]
    assert [g.state_answer for g in graded] == [False, False, False]  # names, even bound elsewhere
    assert all(g.points == ma.DEFAULT_POINTS for g in graded)
    assert ma.discover(nb, {"f1_double": 3}, packages=PACKAGES)[0].points == 3


def test_a_function_scaffold_checked_in_a_later_cell_is_the_answer_cell():
    """07's my_train: a long def with ___ in one cell, its check in the next. The def cell is where
    the student writes, so it is the answer cell (the model answer follows the scaffold there)."""
    scaffold = "def my_double(x):\n    return ___"
    nb = fixture_notebook(scaffold, ("markdown", "Now check it."), "f1_double.check(my_double)",
                          "def helper(x):\n    return x\n\nf2_answer.check(helper)")  # checks itself: its own cell
    graded = ma.discover(nb, packages=PACKAGES)
    assert [(g.name, g.cell_index, g.function_answer) for g in graded] == [("f1_double", 2, True),
                                                                            ("f2_answer", 5, True)]
    source = ma.answer_source(scaffold, graded[0], ma.model_answer(graded[0]))
    assert source.startswith(scaffold) and ma.BEGIN_SOLUTION in source and "return 2 * x" in source
    nb = fixture_notebook("my_double = lambda x: ___", "f1_double.check(my_double)")  # not a def: the check's cell
    assert [g.cell_index for g in ma.discover(nb, packages=PACKAGES)] == [3]


def test_model_answers_for_each_kind():
    nb = fixture_notebook(*FIXTURE_CELLS.values())
    f1, f2, f3 = ma.discover(nb, packages=PACKAGES)
    assert ma.model_answer(f1) == "def my_double(x):\n    return 2 * x"
    assert ma.model_answer(f2) == "answer = 6 * 7"
    assert ma.model_answer(f3) == "answer = {'A', 'E'}"  # prose solution: the correct choices


@pytest.mark.parametrize("code, target, bound", [
    ("math.ceil(300 / 32)   # 10", "updates", "updates = math.ceil(300 / 32)   # 10"),
    ("def dense_backward(dZ):\n    return dZ", "my_dense_backward", "def my_dense_backward(dZ):\n    return dZ"),
    ("h = [1, 2]", "answer", "h = [1, 2]\nanswer = h"),
    ("answer = 3", "answer", "answer = 3"),
    ("for i in range(3):\n    pass", "answer", None),
])
def test_solutions_are_bound_to_the_notebooks_name(code, target, bound):
    assert ma._bind(code, [target]) == bound


def test_a_panel_read_answer_gets_an_answer_line():
    nb = fixture_notebook("class P:\n    heights = [0.5]\nchallenge = P()", "f2_answer.check(challenge.heights)")
    (g,) = ma.discover(nb, packages=PACKAGES)
    assert g.state_answer and g.graded_answer == "answer"
    src, _ = ma.source_notebook(nb, [g], 1, "fx")
    cell = answer_cells(src)["f2_answer_answer"].source
    assert "answer = challenge.heights" in cell and cell.rstrip().endswith("f2_answer.check(answer)")
    assert cell.index("answer = challenge.heights") < cell.index(ma.BEGIN_SOLUTION)
    assert "slider positions are not saved" in cell


def test_config_template_sets_the_time_limit_and_keeps_placeholders():
    from traitlets.config import Config

    cfg = Config()
    exec(compile(ma.CONFIG_TEMPLATE.read_text(), str(ma.CONFIG_TEMPLATE), "exec"), {"get_config": lambda: cfg})
    assert 0 < cfg.Execute.timeout <= 300 and cfg.Execute.interrupt_on_timeout is True
    assert cfg.ClearSolutions.code_stub == {"python": ""}
    assert cfg.OverwriteCells.add_missing_cells is True
    assert cfg.CourseDirectory.course_id


def test_command_line_list_and_per_notebook(tmp_path):
    tool = [sys.executable, str(ROOT / "tools" / "make_assignment.py")]
    out = subprocess.run([*tool, "--list"], capture_output=True, text=True, check=True).stdout
    assert "total:" in out and "NO MODEL ANSWER" not in out
    nbs = NOTEBOOKS[:2]
    proc = subprocess.run([*tool, "--course", str(tmp_path / "c"), "--per-notebook", "--seed", "5",
                           *map(str, nbs)], capture_output=True, text=True, check=True)
    assert "hidden-test seed: 5" in proc.stdout
    for p in nbs:
        assert (tmp_path / "c" / "source" / p.stem / p.name).is_file()
    assert (tmp_path / "c" / "nbgrader_config.py").read_text() == ma.CONFIG_TEMPLATE.read_text()
    bad = subprocess.run([*tool, "--points", "q1=two"], capture_output=True, text=True)
    assert bad.returncode != 0 and "NAME=NUMBER" in bad.stderr


def test_answer_cells_parse_after_generation(released, real):
    """Source answer cells (placeholder + model answer) and test cells are valid Python."""
    course, _ = released
    for stem in real:
        for cell in course.source("homework", stem).cells:
            if cell.cell_type == "code" and "nbgrader" in cell.metadata:
                ast.parse(ma._python(cell.source))
