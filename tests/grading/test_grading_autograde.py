"""nbgrader autogrades simulated submissions of the generated assignment, and the scores are right.

One course directory for the session (conftest.py): assignment "homework" is every lecture
notebook; assignment "drill" is a small fixture notebook for the cases that need a tiny notebook
(a cell that never ends, tampering, the exchange). Submissions:

* homework / solved     every model answer                      -> full marks
* homework / untouched  the release, with faked "✓ Correct" outputs -> 0
* homework / mixed      each exercise gets a role: correct, untouched, wrong, raises, loops forever,
                        sys.exit, visible outputs hard-coded    -> points for the correct ones only
* drill / alice         handed in through the exchange (release, fetch, submit, collect) -> full marks,
                        and her feedback back (generate_feedback, release_feedback, fetch_feedback)
* drill / timeout       an answer cell that never ends and a cell waiting for a slider -> 0 for that
                        exercise, the rest graded (per-cell time limit)
* drill / hardcoded, tampered, graded_mode

The timings of the runs are written to test-artifacts/grading/timings.txt.
"""

from __future__ import annotations

import itertools
import os

import nbformat
import pytest

from grading_harness import (FIXTURE_CELLS, FIXTURE_PACKAGE, FUNCTION_ROLES, NOTEBOOKS, ROOT, VALUE_ROLES,
                             answer_cells, edited, fixture_notebook, grade_cells, grade_id,
                             hardcoded_answer, make_assignment, model_code, outputs_of, role_answer,
                             solved)

ARTIFACTS = ROOT / "test-artifacts" / "grading"
DRILL_TIMEOUT = 5  # seconds per cell for the drill run (the course default is in nbgrader_config.py)
SLIDER_WAIT = """import time
import ipywidgets as widgets
slider = widgets.IntSlider(description="go")
display(slider)
while slider.value == 0:   # waits for a browser that the grader does not have
    time.sleep(0.05)"""


def _discovered():
    return {p.stem: make_assignment.discover(nbformat.read(p, as_version=4)) for p in NOTEBOOKS}


def _mixed_plan(discovered):
    """{answer grade id: role}, cycling through the roles so that each one occurs."""
    f_roles, v_roles = itertools.cycle(FUNCTION_ROLES), itertools.cycle(VALUE_ROLES)
    return {f"{g.name}_answer": next(f_roles) if g.function_answer else next(v_roles)
            for graded in discovered.values() for g in graded}


def _fake_outputs(nb):
    """Paste a "✓ Correct" output under every answer cell (autograde must ignore it)."""
    for cell in answer_cells(nb).values():
        cell.outputs = [nbformat.v4.new_output("display_data", data={
            "text/plain": "✓ Correct — faked", "text/html": "<div>✓ Correct — faked</div>"})]
        cell.execution_count = 1
    return nb


@pytest.fixture(scope="module")
def graded(course):
    course, _ = course
    discovered = _discovered()
    names = course.release_names("homework")
    releases = {n: course.release("homework", n) for n in names}
    sources = {n: course.source("homework", n) for n in names}

    course.submit("solved", "homework", {n: solved(releases[n], sources[n]) for n in names})
    course.submit("untouched", "homework", {n: _fake_outputs(nbformat.from_dict(releases[n])) for n in names})
    plan = _mixed_plan(discovered)
    mixed = {}
    for n in names:
        rel, src = answer_cells(releases[n]), answer_cells(sources[n])
        mixed[n] = edited(releases[n], {
            f"{g.name}_answer": role_answer(plan[f"{g.name}_answer"], g, rel[f"{g.name}_answer"].source,
                                            src[f"{g.name}_answer"].source)
            for g in discovered[n]})
    course.submit("mixed", "homework", mixed)

    drill = _drill(course)
    course.nbgrader("autograde", "homework", "--student", "solved")  # the one-full-submission figure
    full = course.log[-1]
    course.nbgrader("autograde", "homework")
    course.nbgrader("autograde", "drill", f"--Execute.timeout={DRILL_TIMEOUT}")
    rows = course.export()
    # feedback for alice, back through the exchange
    ex = drill["exchange"]
    course.nbgrader("generate_feedback", "drill", "--student", "alice")
    course.nbgrader("release_feedback", "drill", "--student", "alice", ex)
    course.nbgrader("fetch_feedback", "drill", "--course", "nn2", "--student", "alice", ex, cwd=drill["home"])
    _write_timings(course, full)
    return {"course": course, "discovered": discovered, "plan": plan, "names": names, "csv": rows,
            "drill": drill}


def _drill(course):
    """Assignment "drill" from a fixture notebook; alice hands it in through the exchange."""
    nb_dir = course.root.parent / "drill-notebooks"
    nb_dir.mkdir(exist_ok=True)
    nbformat.write(fixture_notebook(*FIXTURE_CELLS.values()), nb_dir / "01_drill.ipynb")
    make_assignment.write_course(course.root, "drill", [nb_dir / "01_drill.ipynb"], seed=3,
                                 packages=(make_assignment.EXERCISE_PACKAGE, FIXTURE_PACKAGE))
    course.nbgrader("generate_assignment", "drill")
    release, source = course.release("drill", "01_drill"), course.source("drill", "01_drill")

    # the exchange: lecturer releases, alice fetches in her home, answers, submits; lecturer collects
    exchange = course.root.parent / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o777)
    home = course.root.parent / "alice"
    home.mkdir(exist_ok=True)
    ex = f"--Exchange.root={exchange}"
    course.nbgrader("release_assignment", "drill", ex)
    course.nbgrader("fetch_assignment", "drill", "--course", "nn2", ex, cwd=home)
    fetched = home / "drill" / "01_drill.ipynb"
    nbformat.write(solved(nbformat.read(fetched, as_version=4), source), fetched)
    course.nbgrader("submit", "drill", "--course", "nn2", "--student", "alice", ex, cwd=home)
    course.nbgrader("collect", "drill", ex)

    models = {gid: model_code(c.source) for gid, c in answer_cells(source).items()}
    solved_nb = solved(release, source)
    course.submit("timeout", "drill", {"01_drill": _with_cell_after(edited(solved_nb, {
        "f2_answer_answer": "while True:   # never ends\n    pass\nanswer = 6 * 7\nf2_answer.check(answer)"}),
        "f1_double_test", SLIDER_WAIT)})
    course.submit("hardcoded", "drill", {"01_drill": edited(solved_nb, {
        "f1_double_answer": hardcoded_answer("f1_double", "my_double", models["f1_double_answer"])})})
    tampered = edited(solved(release, source, only=["f1_double_answer", "f2_answer_answer"]), {
        "f3_letters_answer": 'answer = {"B"}\nf3_letters.check(answer)'})
    tampered.cells = [c for c in tampered.cells if grade_id(c) != "f1_double_test"]  # deleted a test
    grade_cells(tampered)["f3_letters_test"].source = "pass  # nothing to see here"  # emptied a test
    course.submit("tampered", "drill", {"01_drill": tampered})
    course.submit("graded_mode", "drill", {"01_drill": _with_cell_after(
        solved_nb, "f1_double_test", "f1_double.solution()\nf1_double.hint()")})
    return {"release": release, "source": source, "exchange": ex, "home": home}


def _with_cell_after(nb, gid, source):
    nb = nbformat.from_dict(nb)
    index = next(i for i, c in enumerate(nb.cells) if grade_id(c) == gid)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def _write_timings(course, full):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cmd, seconds, load = full
    lines = [f"autograde of one full submission ({len(NOTEBOOKS)} notebooks): `{cmd}` {seconds:.1f} s, "
             f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores", ""]
    lines += [f"{s:7.1f} s  load {l[0]:.2f}  {c}" for c, s, l in course.log]
    (ARTIFACTS / "timings.txt").write_text("\n".join(lines) + "\n")
    print("\n" + "\n".join(lines))


# -- homework: the real notebooks ---------------------------------------------------------------

def test_all_correct_gets_full_marks(graded):
    scores = graded["course"].scores("homework", "solved")
    assert set(scores) == set(graded["names"])
    failed = {f"{nb}/{cell}": score for nb, cells in scores.items() for cell, score in cells.items()
              if score != _points(graded, cell)}
    assert not failed, f"model answers not given full marks: {failed}\n{_messages(graded, 'solved', failed)}"


def test_untouched_gets_zero_even_with_faked_outputs(graded):
    scores = graded["course"].scores("homework", "untouched")
    assert sum(s for cells in scores.values() for s in cells.values()) == 0, scores
    for name in graded["names"]:
        nb = graded["course"].autograded("untouched", "homework", name)
        for gid, cell in answer_cells(nb).items():
            assert "faked" not in outputs_of(cell), f"{name} {gid}: the pasted output survived"
        for gid, cell in grade_cells(nb).items():
            assert "AssertionError" in outputs_of(cell), f"{name} {gid}: {outputs_of(cell)}"


def test_mixed_submission_scores_each_exercise(graded):
    scores = graded["course"].scores("homework", "mixed")
    plan, wrong = graded["plan"], []
    for nb, graded_list in graded["discovered"].items():
        for g in graded_list:
            role = plan[f"{g.name}_answer"]
            expected = g.points if role == "correct" else 0.0
            got = scores[nb][f"{g.name}_test"]
            if got != expected:
                wrong.append(f"{nb} {g.name} ({role}): scored {got}, expected {expected}")
    assert not wrong, "\n".join(wrong) + "\n" + _messages(graded, "mixed", {w.split()[1] for w in wrong})
    assert set(plan.values()) == set(FUNCTION_ROLES) | set(VALUE_ROLES), "every role should occur"


def test_hardcoded_visible_outputs_pass_the_visible_check_only(graded):
    """The hard-coded answers look right to the student (the visible check says ✓) and score 0."""
    plan, course = graded["plan"], graded["course"]
    seen = 0
    for nb, graded_list in graded["discovered"].items():
        autograded = answer_cells(course.autograded("mixed", "homework", nb))
        for g in graded_list:
            if plan[f"{g.name}_answer"] == "hardcoded":
                seen += 1
                assert "✓ Correct" in outputs_of(autograded[f"{g.name}_answer"]), (
                    f"{g.name}: the visible check should accept the table of its own outputs:\n"
                    f"{outputs_of(autograded[f'{g.name}_answer'])}")
    assert seen


def test_loops_are_cut_by_the_checkers_time_limit(graded):
    plan, course = graded["plan"], graded["course"]
    for nb, graded_list in graded["discovered"].items():
        tests = grade_cells(course.autograded("mixed", "homework", nb))
        for g in graded_list:
            if plan[f"{g.name}_answer"] == "loops":
                assert "longer than" in outputs_of(tests[f"{g.name}_test"]), outputs_of(tests[f"{g.name}_test"])


def test_csv_export(graded):
    rows = {(r["assignment"], r["student_id"]): r for r in graded["csv"]}
    course = graded["course"]
    expected = {("homework", s) for s in ("solved", "untouched", "mixed")} | {
        ("drill", s) for s in ("alice", "timeout", "hardcoded", "tampered", "graded_mode")}
    assert expected <= set(rows), sorted(rows)
    max_home = sum(g.points for gs in graded["discovered"].values() for g in gs)
    for (assignment, student), row in rows.items():
        if (assignment, student) not in expected:  # a student without this assignment: 0, no timestamp
            assert float(row["score"]) == 0 and not row["timestamp"], row
            continue
        total = sum(sum(c.values()) for c in course.scores(assignment, student).values())
        assert float(row["raw_score"]) == pytest.approx(total), (assignment, student)
        assert float(row["score"]) == pytest.approx(total)
        if assignment == "homework":
            assert float(row["max_score"]) == pytest.approx(max_home)
    assert float(rows[("homework", "solved")]["score"]) == pytest.approx(max_home)
    assert float(rows[("homework", "untouched")]["score"]) == 0
    assert 0 < float(rows[("homework", "mixed")]["score"]) < max_home


# -- drill: the fixture notebook ----------------------------------------------------------------

def _drill_scores(graded, student):
    return graded["course"].scores("drill", student)["01_drill"]


def test_exchange_submission_is_graded(graded):
    assert _drill_scores(graded, "alice") == {"f1_double_test": 1.0, "f2_answer_test": 1.0, "f3_letters_test": 1.0}


def test_feedback_reaches_the_student(graded):
    pages = list((graded["drill"]["home"] / "drill" / "feedback").rglob("01_drill.html"))
    assert len(pages) == 1, pages
    html = pages[0].read_text()
    assert "Score: 3.0 / 3.0" in html or "3.0 / 3.0" in html, html[:2000]


def test_a_cell_that_never_ends_is_interrupted(graded):
    """The per-cell time limit interrupts the endless answer and the cell waiting for a slider;
    that exercise scores 0 and everything after it is still graded."""
    assert _drill_scores(graded, "timeout") == {"f1_double_test": 1.0, "f2_answer_test": 0.0, "f3_letters_test": 1.0}
    nb = graded["course"].autograded("timeout", "drill", "01_drill")
    waiting = next(c for c in nb.cells if c.source == SLIDER_WAIT)
    assert "KeyboardInterrupt" in outputs_of(waiting) or "Timeout" in outputs_of(waiting), outputs_of(waiting)
    assert "KeyboardInterrupt" in outputs_of(answer_cells(nb)["f2_answer_answer"])
    assert "stopped with an error" in outputs_of(grade_cells(nb)["f2_answer_test"])


def test_drill_hardcoded_outputs_fail(graded):
    assert _drill_scores(graded, "hardcoded")["f1_double_test"] == 0.0
    nb = graded["course"].autograded("hardcoded", "drill", "01_drill")
    assert "✓ Correct" in outputs_of(answer_cells(nb)["f1_double_answer"])
    assert "wrong" in outputs_of(grade_cells(nb)["f1_double_test"])


def test_deleted_and_edited_tests_are_restored(graded):
    assert _drill_scores(graded, "tampered") == {"f1_double_test": 1.0, "f2_answer_test": 1.0, "f3_letters_test": 0.0}
    tests = grade_cells(graded["course"].autograded("tampered", "drill", "01_drill"))
    assert "f1_double_test" in tests  # put back
    assert "pass  # nothing to see here" not in tests["f3_letters_test"].source


def test_graded_mode_withholds_solutions_and_keeps_hints(graded):
    nb = graded["course"].autograded("graded_mode", "drill", "01_drill")
    cell = next(c for c in nb.cells if c.source.startswith("f1_double.solution()"))
    text = outputs_of(cell)
    assert "withheld" in text and "Multiply by two" in text, text
    assert "2 * x" not in text
    assert _drill_scores(graded, "graded_mode") == {"f1_double_test": 1.0, "f2_answer_test": 1.0, "f3_letters_test": 1.0}


def test_validate_passes_on_the_drill_source(graded):
    course = graded["course"]
    out = course.nbgrader("validate", "source/drill/01_drill.ipynb").stdout
    assert "Success! Your notebook passes all the tests." in out, out


# -- messages for failures ----------------------------------------------------------------------

def _points(graded, test_cell):
    for gs in graded["discovered"].values():
        for g in gs:
            if f"{g.name}_test" == test_cell:
                return g.points
    raise KeyError(test_cell)


def _messages(graded, student, cells) -> str:
    out = []
    for name in graded["names"]:
        nb = graded["course"].autograded(student, "homework", name)
        for gid, cell in grade_cells(nb).items():
            if any(str(c).endswith(gid) or gid.startswith(str(c)) for c in cells):
                out.append(f"{name} {gid}: {outputs_of(cell)[:400]}")
    return "\n".join(out)
