"""Write an nbgrader *source* course from the lecture notebooks (graded homework).

    python tools/make_assignment.py --course ~/nn2-course                  # one assignment, every notebook
    python tools/make_assignment.py --course DIR --assignment week1 notebooks/01_nonlinearity.ipynb
    python tools/make_assignment.py --course DIR --per-notebook            # one assignment per notebook
    python tools/make_assignment.py --list                                 # the exercises found, with points

Every exercise is found in the notebooks themselves: a code cell that calls ``qN_name.check(answer)``
on an exercise imported from ``lecture_utils.exercises.nbNN``. In the source notebook

* that cell becomes an nbgrader *autograded answer* cell. The student's starting point (``answer = ___``,
  ``def my_relu(z): return ___`` …) stays as it is; the model answer follows between
  ``### BEGIN SOLUTION`` / ``### END SOLUTION``, which ``nbgrader generate_assignment`` removes (the
  course config sets an empty code stub for that), so the release cell is the notebook's own cell;
* a read-only *autograder test* cell worth the exercise's points follows it. Inside
  ``### BEGIN HIDDEN TESTS`` it calls the exercise's checker with seeds the visible check never uses
  and fails with the checker's message when the answer is wrong, not attempted, or its cell stopped
  with an error.

Panels and every other cell stay. The course's ``nbgrader_config.py`` (from ``grading/``) is written
when the course has none. Then, in the course directory: ``nbgrader generate_assignment NAME``
(``docs/grading.md`` has the whole workflow).
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import inspect
import os
import re
import shutil
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CONFIG_TEMPLATE = ROOT / "grading" / "nbgrader_config.py"
EXERCISE_PACKAGE = "lecture_utils.exercises"
EXERCISE_PACKAGES = (EXERCISE_PACKAGE,)  # imports from these (and their submodules) can bind exercises
DEFAULT_ASSIGNMENT = "homework"
DEFAULT_POINTS = 1
HIDDEN_SEEDS = 2

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

NOTE = """> **Graded homework.** `check` tells you whether your answer passes the visible tests. After the
> deadline the grader runs this notebook again from the top, with hidden tests on new inputs, so:
> make sure *Kernel → Restart Kernel and Run All Cells* works; put every answer in code (slider
> positions are not saved); leave the locked test cells as they are. Hints work; solutions are withheld."""

STATE_NOTE = ("Graded homework: the grader reruns the notebook, and slider positions are not saved.\n"
              "To hand in your answer, replace {expr} below with your values.")


@dataclass
class GradedExercise:
    """One exercise found in a notebook: where it is checked and what it is worth."""

    name: str            # the name the notebook uses, e.g. "q2_relu"
    module: str          # e.g. "lecture_utils.exercises.nb01"
    attr: str            # its name in that module
    exercise: Any        # the Exercise object
    cell_index: int      # the answer cell: the one that calls .check(...), or the earlier one whose
    #                      ``def`` the check is given (07's my_train: a long scaffold, then the check)
    answer: str          # source of the checked expression, e.g. "my_relu", "(W_single, b_single)"
    state_answer: bool   # the answer is read from an object (a panel): it gets an `answer = …` line
    points: float
    function_answer: bool = False  # the answer is a function the answer cell defines (``def my_relu``)

    @property
    def kind(self) -> str:
        return type(self.exercise).__name__

    @property
    def grade_id(self) -> str:
        return self.name

    @property
    def graded_answer(self) -> str:
        """The expression the hidden test checks (a panel-read answer is first put in ``answer``)."""
        return "answer" if self.state_answer else self.answer


# -- finding the exercises -----------------------------------------------------------------------

def _python(source: str) -> str:
    """Cell source as plain Python (IPython magics become function calls, line for line)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(_python(source))
    except SyntaxError:
        return None


def _exercise_class() -> type:
    return importlib.import_module(f"{EXERCISE_PACKAGE}._core").Exercise


def _from_packages(module: str | None, packages: tuple[str, ...]) -> bool:
    return bool(module) and any(module == p or module.startswith(p + ".") for p in packages)


def exercise_imports(nb: nbformat.NotebookNode,
                     packages: tuple[str, ...] = EXERCISE_PACKAGES) -> dict[str, tuple[str, str, Any]]:
    """Names bound to exercise objects by the notebook's imports: {name: (module, attr, exercise)}."""
    exercise_cls = _exercise_class()
    found: dict[str, tuple[str, str, Any]] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or (tree := _parse(cell.source)) is None:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and _from_packages(node.module, packages)):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                obj = getattr(module, alias.name, None)
                if isinstance(obj, exercise_cls):
                    found[alias.asname or alias.name] = (node.module, alias.name, obj)
    return found


def _check_call(tree: ast.Module, names: set[str]) -> tuple[int, str, ast.expr] | None:
    """(index of the top-level statement, exercise name, answer node) of the cell's first check call."""
    for i, stmt in enumerate(tree.body):
        for node in ast.walk(stmt):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "check" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in names):
                arg = node.args[0] if node.args else next(
                    (k.value for k in node.keywords if k.arg == "answer"), None)
                if arg is not None:
                    return i, node.func.value.id, arg
    return None


def _bound_names(tree: ast.Module) -> set[str]:
    """Names a cell binds at top level (assignments, defs, imports, for targets)."""
    bound: set[str] = set()
    for stmt in tree.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound


def _is_plain_answer(node: ast.expr) -> bool:
    """The answer is a name (or a tuple of names), not read from an object such as a panel."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return bool(node.elts) and all(_is_plain_answer(e) for e in node.elts)
    return False


def points_of(exercise: Any, name: str, overrides: dict[str, float]) -> float:
    if name in overrides:
        return overrides[name]
    points = getattr(exercise, "points", None)
    return float(points) if isinstance(points, (int, float)) and points > 0 else DEFAULT_POINTS


def discover(nb: nbformat.NotebookNode, points: dict[str, float] | None = None,
             packages: tuple[str, ...] = EXERCISE_PACKAGES) -> list[GradedExercise]:
    """Every exercise the notebook checks, in notebook order (each graded at its first check)."""
    imports = exercise_imports(nb, packages)
    found: list[GradedExercise] = []
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or (tree := _parse(cell.source)) is None:
            continue
        hit = _check_call(tree, set(imports))
        if hit is None or hit[1] in seen:
            continue
        _, name, arg = hit
        module, attr, exercise = imports[name]
        seen.add(name)
        answer = ast.get_source_segment(_python(cell.source), arg) or ast.unparse(arg)
        answer_cell, function = index, isinstance(arg, ast.Name) and arg.id in _defined_functions(tree)
        if isinstance(arg, ast.Name) and not function:
            earlier = _defining_cell(nb, index, arg.id)
            if earlier is not None and earlier not in {g.cell_index for g in found}:
                answer_cell, function = earlier, True  # the student writes there: that is the answer cell
        found.append(GradedExercise(
            name=name, module=module, attr=attr, exercise=exercise, cell_index=answer_cell, answer=answer,
            state_answer=not _is_plain_answer(arg),
            points=points_of(exercise, name, points or {}),
            function_answer=function))
    return sorted(found, key=lambda g: g.cell_index)


def _defined_functions(tree: ast.Module) -> set[str]:
    return {s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _defining_cell(nb: nbformat.NotebookNode, before: int, name: str) -> int | None:
    """The code cell before ``before`` that last binds ``name``, if it binds it with a ``def`` and
    checks nothing itself (a scaffold the student fills in, checked in a later cell); else None."""
    for index in range(before - 1, -1, -1):
        cell = nb.cells[index]
        if cell.cell_type != "code" or (tree := _parse(cell.source)) is None or name not in _bound_names(tree):
            continue
        checks = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "check"
                     for n in ast.walk(tree))
        return index if name in _defined_functions(tree) and not checks else None
    return None


def listed_exercises(module: str) -> list[str]:
    """The exercises a ``lecture_utils.exercises.nbNN`` module declares, in order (EXERCISES, else __all__)."""
    mod = importlib.import_module(module)
    exercise_cls = _exercise_class()
    listed = getattr(mod, "EXERCISES", None)
    if listed is not None:
        names = {id(v): k for k, v in vars(mod).items() if isinstance(v, exercise_cls)}
        return [item if isinstance(item, str) else names.get(id(item), getattr(item, "name", "?"))
                for item in listed]
    return [n for n in getattr(mod, "__all__", []) if isinstance(getattr(mod, n, None), exercise_cls)]


# -- model answers (for the instructor's source version) ----------------------------------------

def solution_text(exercise: Any) -> str:
    text = getattr(exercise, "_solution", None)
    return text if isinstance(text, str) else ""


def _solution_code(text: str) -> str | None:
    """The solution as Python: the whole text if it parses, else its ```python blocks."""
    stripped = text.strip()
    if stripped and _parse(stripped) is not None:
        return stripped
    blocks = re.findall(r"```(?:python|py)?\n(.*?)```", text, flags=re.S)
    code = "\n".join(b.strip() for b in blocks if _parse(b) is not None)
    return code or None


def _literal(value: Any) -> str | None:
    """Python source for a plain value (numbers, arrays, tuples, lists, strings, sets) or None."""
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value)) if np.isfinite(value) else None
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})" if value.dtype.kind in "biuf" else None
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (set, frozenset)):
        items = [_literal(v) for v in sorted(value, key=repr)]
        return "{" + ", ".join(items) + "}" if items and None not in items else None
    if isinstance(value, (tuple, list)):
        items = [_literal(v) for v in value]
        if None in items:
            return None
        body = ", ".join(items) + ("," if isinstance(value, tuple) and len(items) == 1 else "")
        return f"({body})" if isinstance(value, tuple) else f"[{body}]"
    return None


def _targets(answer: str) -> list[str] | None:
    node = ast.parse(answer, mode="eval").body
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in node.elts):
        return [e.id for e in node.elts]
    return None


def _bind(code: str, targets: list[str]) -> str | None:
    """Make ``code`` bind every target name, or None if it cannot be done without guessing."""
    tree = ast.parse(code)
    if set(targets) <= _bound_names(tree):
        return code
    if len(targets) != 1 or not tree.body:
        return None
    target, last = targets[0], tree.body[-1]
    lines = code.split("\n")
    if isinstance(last, ast.Expr):  # a final expression is the answer
        head = lines[: last.lineno - 1]
        lines[last.lineno - 1] = lines[last.lineno - 1][: last.col_offset] + f"{target} = " + \
            lines[last.lineno - 1][last.col_offset:]
        return "\n".join(head + lines[last.lineno - 1:])
    defs = [s for s in tree.body if isinstance(s, ast.FunctionDef)]
    if len(defs) == 1:  # one function under another name: give it the notebook's name
        return re.sub(rf"\bdef {re.escape(defs[0].name)}\(", f"def {target}(", code, count=1)
    if isinstance(last, ast.Assign) and len(last.targets) == 1 and isinstance(last.targets[0], ast.Name):
        return code + f"\n{target} = {last.targets[0].id}"
    return None


def model_answer(graded: GradedExercise) -> str | None:
    """Code that binds the answer the hidden test checks to a model answer (None: none derivable).

    In order: the correct letters of a choice exercise; the exercise's solution code (bound to the
    notebook's names); its expected value as a literal.
    """
    answer = graded.graded_answer
    targets = _targets(answer)
    if targets is None:
        return None
    ex = graded.exercise
    correct = getattr(ex, "correct", None)
    if len(targets) == 1 and isinstance(correct, (set, frozenset)) and correct:
        return f"{targets[0]} = {_literal(set(correct))}"
    code = _solution_code(solution_text(ex))
    if code is not None and (bound := _bind(code, targets)) is not None:
        return bound
    expected = getattr(ex, "expected", None)
    if expected is not None:
        values = list(expected) if len(targets) > 1 and isinstance(expected, tuple) else [expected]
        if len(values) == len(targets) and all(_literal(v) is not None for v in values):
            return "\n".join(f"{t} = {_literal(v)}" for t, v in zip(targets, values))
    return None


# -- writing the source notebooks ----------------------------------------------------------------

def _accepts_seed(exercise: Any) -> bool:
    try:
        return "seed" in inspect.signature(exercise.check).parameters
    except (TypeError, ValueError):
        return False


def hidden_seeds(graded: GradedExercise, master: int, count: int = HIDDEN_SEEDS) -> list[int]:
    """Seeds for the hidden tests: drawn from the master seed, never the visible check's seed."""
    rng = np.random.default_rng([master, zlib.crc32(f"{graded.module}.{graded.attr}".encode())])
    visible = getattr(graded.exercise, "seed", None)
    seeds: list[int] = []
    while len(seeds) < count:
        s = int(rng.integers(1_000, 2**31 - 1))
        if s != visible and s not in seeds:
            seeds.append(s)
    return seeds


def _nbgrader_meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
                   points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                            "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def test_source(graded: GradedExercise, answer: str, seeds: list[int]) -> str:
    """The autograder test cell: visible comment, hidden checks."""
    label = graded.exercise.name if isinstance(getattr(graded.exercise, "name", None), str) else graded.name
    pts = f"{graded.points:g} point" + ("" if graded.points == 1 else "s")
    if seeds:
        checks = [f"for _seed in {tuple(seeds)!r}:",
                  f"    _result = {graded.name}.check({answer}, seed=_seed, show=False)",
                  f'    assert _result.correct, f"{graded.name} ({{_result.status}}): {{_result.message}}"']
    else:
        checks = [f"_result = {graded.name}.check({answer}, show=False)",
                  f'assert _result.correct, f"{graded.name} ({{_result.status}}): {{_result.message}}"']
    return "\n".join([
        f"# Autograder test: {graded.name}, {label} ({pts}).",
        "# Its hidden tests run when your homework is graded; leave this cell as it is.",
        BEGIN_HIDDEN,
        "assert get_ipython().last_execution_succeeded, (",
        f'    "{graded.name}: the cell above this test stopped with an error, so its answer is not graded.")',
        *checks,
        END_HIDDEN,
    ])


def answer_source(cell_source: str, graded: GradedExercise, solution: str | None) -> str:
    """The answer cell with its solution region (and, for a panel-read answer, an ``answer =`` line)."""
    tree = ast.parse(_python(cell_source))
    lines = cell_source.split("\n")
    hit = _check_call(tree, {graded.name})
    if hit is None:  # a def the check of a later cell is given: the model answer follows it
        region = [BEGIN_SOLUTION, *(solution.split("\n") if solution else []), END_SOLUTION]
        return "\n".join([*lines, *region])
    stmt = tree.body[hit[0]]
    start, end = stmt.lineno - 1, stmt.end_lineno
    if graded.state_answer:  # read the panel into `answer`, so the student can write values instead
        check_src = "\n".join(lines[start:end])
        answer = graded.graded_answer
        read = [f"# {line}" for line in STATE_NOTE.format(expr=graded.answer).split("\n")]
        read.append(f"answer = {graded.answer}")
        lines[start:end] = [*read, check_src.replace(graded.answer, answer, 1)]
        start += len(read)
    region = [BEGIN_SOLUTION, *(solution.split("\n") if solution else []), END_SOLUTION]
    if start > 0 and lines[start - 1].strip() == "":  # the region (a blank line in the release) replaces it
        lines[start - 1:start] = region
    else:
        lines[start:start] = region
    return "\n".join(lines)


def source_notebook(nb: nbformat.NotebookNode, graded: list[GradedExercise], master_seed: int,
                    nb_id: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The nbgrader source version of a notebook, and warnings for the lecturer."""
    out = copy.deepcopy(nb)
    warnings: list[str] = []
    cells = []
    by_cell = {g.cell_index: g for g in graded}
    for index, cell in enumerate(out.cells):
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        g = by_cell.get(index)
        if g is None:
            cells.append(cell)
            if index == 0:
                cells.append(nbformat.v4.new_markdown_cell(NOTE, metadata={"nbgrader": _nbgrader_meta(
                    f"{nb_id}_graded_note", grade=False, solution=False, locked=True)}))
            continue
        solution = model_answer(g)
        if solution is None:
            warnings.append(f"{nb_id}: no model answer derived for {g.name} (the source's solution region "
                            "is empty; `nbgrader validate` of the source reports it)")
        cell.source = answer_source(cell.source, g, solution)
        cell.metadata["nbgrader"] = _nbgrader_meta(f"{g.grade_id}_answer", grade=False, solution=True,
                                                   locked=False)
        cells.append(cell)
        seeds = hidden_seeds(g, master_seed) if _accepts_seed(g.exercise) else []
        if not seeds:
            warnings.append(f"{nb_id}: {g.name}.check has no seed parameter; its hidden test reuses the "
                            "visible inputs")
        test = nbformat.v4.new_code_cell(test_source(g, g.graded_answer, seeds), metadata={
            "nbgrader": _nbgrader_meta(f"{g.grade_id}_test", grade=True, solution=False, locked=True,
                                       points=g.points),
            "editable": False, "deletable": False})
        cells.append(test)
    out.cells = cells
    nbformat.validate(out)
    return out, warnings


def write_course(course: Path, assignment: str, notebooks: list[Path], *, seed: int,
                 points: dict[str, float] | None = None, force_config: bool = False,
                 packages: tuple[str, ...] = EXERCISE_PACKAGES) -> list[str]:
    """Write ``course/source/<assignment>/<notebook>`` for each notebook (and the course config)."""
    course.mkdir(parents=True, exist_ok=True)
    config = course / "nbgrader_config.py"
    if force_config or not config.exists():
        shutil.copyfile(CONFIG_TEMPLATE, config)
    target = course / "source" / assignment
    target.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        graded = discover(nb, points, packages)
        if not graded:
            warnings.append(f"{path.name}: no exercise checks found; copied without tests")
        src, warn = source_notebook(nb, graded, seed, path.stem)
        warnings += warn
        nbformat.write(src, target / path.name)
    return warnings


# -- command line --------------------------------------------------------------------------------

def _points_arg(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name] = float(value)
        except ValueError:
            raise SystemExit(f"--points expects NAME=NUMBER (e.g. q2_relu=2); got {item!r}") from None
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="*", type=Path,
                   help="notebooks to include (default: every notebooks/NN_*.ipynb)")
    p.add_argument("--course", type=Path, default=ROOT / "course", help="nbgrader course directory (default: course/)")
    p.add_argument("--assignment", default=DEFAULT_ASSIGNMENT, help=f"assignment name (default: {DEFAULT_ASSIGNMENT})")
    p.add_argument("--per-notebook", action="store_true", help="one assignment per notebook, named after it")
    p.add_argument("--seed", type=int, default=None,
                   help="master seed for the hidden tests (default: a fresh random one, printed)")
    p.add_argument("--points", action="append", default=[], metavar="NAME=N",
                   help=f"points of one exercise (default {DEFAULT_POINTS} each), e.g. --points q2_relu=2")
    p.add_argument("--force-config", action="store_true", help="overwrite the course's nbgrader_config.py")
    p.add_argument("--list", action="store_true", help="print the exercises found and exit")
    args = p.parse_args(argv)

    missing = [str(n) for n in args.notebooks if not n.is_file()]
    if missing:
        raise SystemExit(f"no such notebook: {', '.join(missing)}")
    points = _points_arg(args.points)
    # by default every lecture notebook that has exercises
    notebooks = args.notebooks or [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
                                   if discover(nbformat.read(p, as_version=4), points)]
    if args.list:
        total = 0.0
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            for g in discover(nb, points):
                sol = "model answer" if model_answer(g) else "NO MODEL ANSWER"
                print(f"{path.name:32s} {g.name:28s} {g.kind:22s} {g.points:g} pt  answer={g.answer}  ({sol})")
                total += g.points
        print(f"total: {total:g} points")
        return 0
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little") % (2**31 - 1)
    groups = {p.stem: [p] for p in notebooks} if args.per_notebook else {args.assignment: notebooks}
    warnings = []
    for name, paths in groups.items():
        warnings += write_course(args.course, name, paths, seed=seed, points=points,
                                 force_config=args.force_config)
        print(f"wrote {args.course / 'source' / name} ({len(paths)} notebook{'s' * (len(paths) != 1)})")
    for w in warnings:
        print("warning:", w, file=sys.stderr)
    print(f"hidden-test seed: {seed}\nnext: cd {args.course} && nbgrader generate_assignment "
          f"{' '.join(groups) if len(groups) < 4 else '<name>'}   (docs/grading.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
