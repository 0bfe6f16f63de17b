"""The exercise framework: three verdicts, never raises, hints and hidden solutions."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.exercises import (___, ArrayExercise, ChoiceExercise, FunctionExercise,
                                     NumberExercise, ValueExercise, is_placeholder)
from lecture_utils.exercises._core import NOT_ATTEMPTED, WRONG, compare_arrays


def _square_cases(rng):
    return [((np.array([1.0, -2.0]),), "the example"),
            ((rng.normal(size=(3, 4)),), "a random 3×4 input"),
            ((np.array([1e3]),), "a large input")]


def square_ex(**kw):
    return FunctionExercise("square", lambda x: np.asarray(x) ** 2, _square_cases,
                            hint=["Multiply x by itself.", "x * x"], solution="def f(x):\n    return x ** 2",
                            **kw)


@pytest.fixture
def number_ex():
    return NumberExercise("e", expected=np.e, rtol=1e-4, hint="exp(1)", solution="np.exp(1)",
                          wrong_answers={1.0: "that is exp(0)."})


def test_placeholder_is_not_attempted(number_ex):
    for blank in (___, None, ...):
        r = number_ex.check(blank, show=False)
        assert r.status == NOT_ATTEMPTED and not r
    assert is_placeholder(___) and repr(___) == "___"


def test_number_right_wrong_and_explained(number_ex):
    assert number_ex.check(2.718281828, show=False)
    assert number_ex.check(np.float32(np.e), show=False)
    r = number_ex.check(1.0, show=False)
    assert not r and "exp(0)" in r.message
    r = number_ex.check(-np.e, show=False)
    assert not r and "sign" in r.message
    for bad in ("2.7", [2.7, 1.0], float("nan"), True, object()):
        r = number_ex.check(bad, show=False)
        assert r.status == WRONG, bad


def test_array_exercise_shapes_and_values():
    q = ArrayExercise("m", [[1, 2, 3], [4, 5, 6]], hint="h", solution="s")
    assert q.check(np.array([[1, 2, 3], [4, 5, 6]]), show=False)
    r = q.check(np.array([[1, 4], [2, 5], [3, 6]]), show=False)
    assert not r and "transposed" in r.message
    r = q.check(np.zeros((2, 3)), show=False)
    assert not r and "largest difference" in r.message
    assert not q.check("abc", show=False)
    assert not q.check([[1, 2], [3]], show=False)  # ragged


def test_function_exercise_catches_constants_errors_and_placeholders():
    q = square_ex()
    assert q.check(lambda x: x * x, show=False)
    assert not q.check(lambda x: np.array([1.0, 4.0]), show=False)  # hard-coded example output
    r = q.check(lambda x: 1 / 0, show=False)
    assert r.status == WRONG and "ZeroDivisionError" in r.message
    r = q.check(lambda x: None, show=False)
    assert r.status == NOT_ATTEMPTED

    def todo(x):
        raise NotImplementedError

    assert q.check(todo, show=False).status == NOT_ATTEMPTED
    assert q.check(lambda x: ___, show=False).status == NOT_ATTEMPTED
    assert not q.check(lambda x: "text", show=False)
    assert not q.check(42, show=False)


def test_function_exercise_reports_an_answer_that_modifies_its_input():
    q = square_ex()

    def squares_in_place(x):
        x **= 2
        return x

    r = q.check(squares_in_place, show=False)
    assert r.status == WRONG and "changed its input `x` in place" in r.message
    assert "np.asarray(x, dtype=float)" in r.message  # the template line does not copy
    assert q.check(lambda x: x * x, show=False)  # the reference was not affected


def test_function_exercise_times_out_slow_answers():
    q = square_ex(timeout=0.2)

    def slow(x):
        import time
        time.sleep(1.0)
        return x * x

    r = q.check(slow, show=False)
    assert r.status == WRONG and "longer than" in r.message


def test_choice_exercise():
    q = ChoiceExercise("which", {"A": "a", "B": "b", "C": "c"}, correct={"A", "C"}, hint="h",
                       solution="A and C", why={"B": "it is non-linear"})
    assert q.check({"a", "C"}, show=False)
    assert q.check("A, C", show=False)
    r = q.check({"A", "B"}, show=False)
    assert not r and "non-linear" in r.message and "C is missing" in r.message
    assert not q.check({"Z"}, show=False)
    assert not q.check(3, show=False)


def test_value_exercise_with_normalise():
    q = ValueExercise("shape", (200, 5), hint="h", solution="(200, 5)", normalise=tuple,
                      explain=lambda v: "transposed" if v == (5, 200) else f"{v} is wrong")
    assert q.check([200, 5], show=False)
    assert "transposed" in q.check((5, 200), show=False).message
    assert not q.check(5, show=False)


def test_check_never_raises_even_if_the_checker_breaks():
    q = ValueExercise("broken", 1, hint="h", solution="s", normalise=lambda v: 1 / 0)
    assert q.check(1, show=False).status == WRONG


def test_hint_and_solution_are_shown_only_on_request(capsys, number_ex):
    q = square_ex()
    assert "Multiply" in q.hint()
    assert q.hint(2) == "x * x"
    assert "return x ** 2" in q.solution()
    out = capsys.readouterr().out
    assert "Hint" in out and "Solution" in out
    assert "return x ** 2" not in repr(q)


def test_check_prints_the_verdict_outside_a_notebook(capsys, number_ex):
    result = number_ex.check(np.e)
    assert "✓ Correct" in capsys.readouterr().out
    assert "✓" in result._repr_html_()
    result._ipython_display_()  # already shown: not shown twice
    assert capsys.readouterr().out == ""


def test_compare_arrays_reports_nan_and_inf():
    assert "NaN" in compare_arrays([np.nan, 1.0], np.array([0.5, 0.5]), 1e-6, 1e-9)
    assert "inf" in compare_arrays([np.inf, 0.0], np.array([1.0, 0.0]), 1e-6, 1e-9)
    assert compare_arrays([1.0, 2.0], np.array([1.0, 2.0]), 1e-6, 1e-9) is None


# -- the interfaces the grading and notebooks rely on ----------------------------------------------

def test_check_with_seed_changes_only_the_random_inputs():
    seen = []

    def cases(rng):
        return [((np.array([1.0, -2.0]),), "fixed"), ((rng.normal(size=3),), "random")]

    def spy(x):
        seen.append(np.array(x, copy=True))
        return x * x

    q = FunctionExercise("square", lambda x: x * x, cases, hint="h", solution="s")
    assert q.check(spy, show=False, seed=None).correct
    assert q.check(spy, show=False, seed=None).correct
    assert q.check(spy, show=False, seed=12345).correct
    fixed = [s for s in seen if s.shape == (2,) and s.dtype == np.float64]
    random = [s for s in seen if s.shape == (3,) and s.dtype == np.float64]
    assert all(np.array_equal(f, [1.0, -2.0]) for f in fixed) and len(fixed) == 3
    assert np.array_equal(random[0], random[1]) and not np.array_equal(random[0], random[2])
    assert q.seed == 0  # the override does not stick


def test_result_status_values_and_message():
    q = square_ex()
    assert q.check(lambda x: x * x, show=False).status == "correct"
    assert q.check(lambda x: x, show=False).status == "wrong"
    assert q.check(___, show=False).status == "not attempted"
    r = q.check(lambda x: x, show=False, seed=3)
    assert isinstance(r.message, str) and r.message and not r.correct


@pytest.mark.parametrize("value, graded", [("1", True), ("true", True), ("YES", True), ("True", True),
                                           ("0", False), ("", False), ("no", False), (None, False)])
def test_graded_mode_reads_the_environment(monkeypatch, value, graded):
    from lecture_utils.exercises import graded_mode
    if value is None:
        monkeypatch.delenv("LECTURE_UTILS_GRADED", raising=False)
    else:
        monkeypatch.setenv("LECTURE_UTILS_GRADED", value)
    assert graded_mode() is graded


def test_graded_mode_withholds_solutions_but_not_hints(monkeypatch, capsys):
    q = square_ex()
    monkeypatch.setenv("LECTURE_UTILS_GRADED", "1")
    text = q.solution()
    assert "withheld" in text and "x ** 2" not in text
    assert "x ** 2" not in capsys.readouterr().out
    assert q.hint() == "Multiply x by itself."
    monkeypatch.setenv("LECTURE_UTILS_GRADED", "0")
    assert "x ** 2" in q.solution()


def test_progress_lists_the_imported_notebooks_exercises(capsys):
    from lecture_utils.exercises import progress
    from lecture_utils.exercises import nb01
    for q in nb01.EXERCISES:
        q.last_result = None
    nb01.q2_relu.check(lambda z: np.maximum(z, 0.0), show=False)
    nb01.q3_which_are_linear.check({"A"}, show=False)
    table = progress()
    out = capsys.readouterr().out
    rows = [r for r in table.rows if r["notebook"] == "01"]
    assert [r["exercise"] for r in rows] == [q.name for q in nb01.EXERCISES]
    assert [r["status"] for r in rows] == ["not attempted", "correct", "wrong", "not attempted"]
    assert "✓" in out and "✗" in out and "not attempted" in out
    assert table.counts["correct"] >= 1
    table._ipython_display_()  # already shown: not shown twice
    assert capsys.readouterr().out == ""


def test_every_notebook_module_lists_its_exercises_in_order():
    import importlib
    from lecture_utils.exercises._core import Exercise
    for nn in ("00", "01", "02", "03", "04", "05", "06", "07"):
        mod = importlib.import_module(f"lecture_utils.exercises.nb{nn}")
        public = {id(getattr(mod, n)) for n in mod.__all__ if isinstance(getattr(mod, n), Exercise)}
        assert {id(q) for q in mod.EXERCISES} == public, nn  # every public exercise is listed, once
        assert len(mod.EXERCISES) == len(public), nn
        names = [n for n in mod.__all__ if n.startswith("q") and isinstance(getattr(mod, n), Exercise)]
        numbered = [q for q in mod.EXERCISES if any(q is getattr(mod, n) for n in names)]
        assert numbered == [getattr(mod, n) for n in sorted(names, key=lambda n: int(n[1:].split("_")[0]))], nn
        assert mod.progress is not None


def test_progress_never_raises(monkeypatch):
    from lecture_utils.exercises import _core, progress
    monkeypatch.setattr(_core, "_exercise_modules", lambda: 1 / 0)
    assert progress(show=False).rows == []
