"""Gaps found by the audit of issues 10 and 15, one test per class (not per example)."""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import pkgutil
import warnings

import numpy as np
import pytest

import lecture_utils
from lecture_utils.exercises import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07
from lecture_utils.exercises._core import FunctionExercise

ALL = [q for mod in (nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07) for q in mod.EXERCISES]
FUNCTIONS = [q for q in ALL if isinstance(q, FunctionExercise)]


def _library_functions() -> dict[str, object]:
    """Every public function of every lecture_utils module a notebook can import (not panels or
    exercises): {qualified name: function}."""
    found = {}
    for info in pkgutil.walk_packages(lecture_utils.__path__, "lecture_utils."):
        if any(part in info.name for part in (".widgets", ".exercises", "server_extension")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            func = getattr(module, name, None)
            if inspect.isfunction(func) and func.__module__.startswith("lecture_utils"):
                found[f"{func.__module__}.{func.__name__}"] = func
    return found


LIBRARY = _library_functions()


def _computes_the_answer(q: FunctionExercise, func, order: tuple[int, ...]) -> bool:
    """``func`` with its arguments in ``order`` gives the exercise's reference result on every case."""
    for args, _, want in q._cases():
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                got = func(*[args[i] for i in order])
        except Exception:  # noqa: BLE001 - not an equivalent
            return False
        if q._compare(got, want, args) is not None:
            return False
    return True


@pytest.mark.parametrize("q", FUNCTIONS, ids=lambda q: q.name)
def test_no_library_function_passes_for_the_students_own_in_a_wrapper(q):
    """Every public library function that computes an exercise's answer (in any argument order)
    is refused when the answer wraps it — found by searching the library, so a new helper that
    happens to compute an exercise is caught here. (The audit found two: 07's ce_grad_step passed
    `lambda Z, y: softmax_cross_entropy_backward(Z, y)`, which the notebook imports, and 06's
    q6_bce_grad passed a wrapper of information.bce_logit_grad.)"""
    nargs = len(q._cases()[0][0])
    orders = list(itertools.permutations(range(nargs))) if nargs <= 3 else [tuple(range(nargs))]
    equivalents = [(name, func, order) for name, func in LIBRARY.items() for order in orders
                   if _computes_the_answer(q, func, order)]
    for name, func, order in equivalents:
        wrapper = (lambda f, o: lambda *a: f(*[a[i] for i in o]))(func, order)
        r = q.check(wrapper, show=False)
        assert r.status == "wrong" and "lecture_utils'" in r.message, (name, order, r.message)


# -- a model solution pasted into its answer cell works and shadows nothing ------------------------

def _notebook_exercises():
    import sys
    from pathlib import Path

    import nbformat

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "tools"))
    import make_assignment as ma

    out = []
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        imported = set()
        for cell in nb.cells:
            if cell.cell_type == "code" and (tree := ma._parse(cell.source)) is not None:
                imported |= {n for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))
                             for n in ma._bound_names(ast.Module(body=[s], type_ignores=[]))}
        out += [(path.stem, g, imported) for g in ma.discover(nb) if g.function_answer]
    return ma, out


MA, NOTEBOOK_FUNCTIONS = _notebook_exercises()


@pytest.mark.parametrize("stem, g, imported", NOTEBOOK_FUNCTIONS, ids=lambda v: getattr(v, "name", str(v)[:20]))
def test_a_pasted_model_solution_defines_the_notebooks_name_and_shadows_no_import(stem, g, imported):
    """The model solution of a function exercise defines the very name the notebook's answer cell
    defines and checks (06's solutions defined my_stable_ce / my_ce_gradient while the cell checks
    stable_ce / ce_gradient, so a pasted solution left the check on the ___ version), and no name
    the notebook imports (the library function it must not shadow)."""
    code = MA._solution_code(MA.solution_text(g.exercise))
    assert code, f"{stem} {g.name}: the solution has no code"
    defined = MA._bound_names(ast.parse(code))
    functions = {s.name for s in ast.parse(code).body if isinstance(s, ast.FunctionDef)}
    assert g.answer in functions, f"{stem} {g.name}: the cell checks {g.answer}, the solution defines {functions}"
    assert not defined & imported, f"{stem} {g.name}: pasting the solution rebinds {defined & imported}"


# -- a right computation with its parameters in another order is told so --------------------------

@pytest.mark.parametrize("q", [q for q in FUNCTIONS if len(q._params) >= 2], ids=lambda q: q.name)
def test_parameters_in_another_order_are_named(q):
    """07's step 1 sends students to notebook 06's ce_gradient(y, logits) for my_softmax_ce_grad(Z, y):
    an answer whose parameters carry the exercise's names in another order is told the order, not
    only the error it raised deep inside."""
    params = list(q._params)
    swapped = [params[1], params[0], *params[2:]]
    scope = {"ref": q._reference}
    exec(f"def answer({', '.join(swapped)}):\n    return ref({', '.join(params)})", scope)
    r = q.check(scope["answer"], show=False)
    assert r.status == "wrong" and "order of the parameters" in r.message, r.message
    assert f"`{swapped[0]}` as argument 1" in r.message


# -- what the hidden test of graded homework checks again --------------------------------------------

def test_the_last_answer_can_be_checked_again_with_other_seeds():
    """Graded homework's hidden test re-checks ``q.last_answer`` (whatever the student named it):
    it is the answer as read, so a generator that the visible check consumed passes again, and a
    function stays the function (checked on the hidden seeds' inputs)."""
    q = nb05.q4_temperature
    assert q.check((c for c in "BD"), show=False).correct
    assert q.check(q.last_answer, seed=123, show=False).correct
    relu = nb01.q2_relu

    def my_relu(z):
        return np.maximum(z, 0.0)

    assert relu.check(my_relu, show=False).correct and relu.last_answer is my_relu
    assert relu.check(relu.last_answer, seed=99, show=False).correct
    assert nb01.q3_which_are_linear.check(lecture_utils.exercises.___, show=False).status == "not attempted"
    assert nb01.q3_which_are_linear.last_answer is lecture_utils.exercises.___
