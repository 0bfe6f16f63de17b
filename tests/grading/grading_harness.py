"""Helpers for the grading tests: an nbgrader course on disk, simulated submissions, scores.

The commands are the ones a lecturer types (docs/grading.md), run with this environment's
``nbgrader`` in the course directory.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

import nbformat

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FIXTURE_PACKAGE = "grading_fixture_exercises"
HIDDEN_SEED = 11  # master seed of the hidden tests in the test course

_spec = importlib.util.spec_from_file_location("make_assignment", ROOT / "tools" / "make_assignment.py")
make_assignment = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_assignment", make_assignment)
_spec.loader.exec_module(make_assignment)

BEGIN_SOLUTION, END_SOLUTION = make_assignment.BEGIN_SOLUTION, make_assignment.END_SOLUTION


def nbgrader_env(**extra: str) -> dict[str, str]:
    """The environment nbgrader runs in: this venv first on PATH (nbgrader calls `alembic` by
    name), the fixture exercises importable by the kernels, graded mode on as on the hub."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), env.get("PYTHONPATH", "")) if p)
    env["LECTURE_UTILS_GRADED"] = "1"
    env.setdefault("MPLBACKEND", "Agg")
    env.update(extra)
    return env


class Course:
    """An nbgrader course directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.log: list[tuple[str, float, tuple[float, float, float]]] = []  # (command, seconds, load)

    def nbgrader(self, *args: str, timeout: float = 1800, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` in the course directory (or ``cwd``, e.g. a student's home)."""
        cmd = [sys.executable, "-m", "nbgrader", *args]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd or self.root, env=nbgrader_env(), capture_output=True, text=True,
                              timeout=timeout)
        self.log.append(("nbgrader " + " ".join(args), time.perf_counter() - start, os.getloadavg()))
        if proc.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} exited {proc.returncode}:\n"
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
        return proc

    # -- paths ---------------------------------------------------------------------------------
    def source(self, assignment: str, notebook: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "source" / assignment / f"{notebook}.ipynb", as_version=4)

    def release(self, assignment: str, notebook: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "release" / assignment / f"{notebook}.ipynb", as_version=4)

    def release_names(self, assignment: str) -> list[str]:
        return sorted(p.stem for p in (self.root / "release" / assignment).glob("*.ipynb"))

    def autograded(self, student: str, assignment: str, notebook: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "autograded" / student / assignment / f"{notebook}.ipynb",
                             as_version=4)

    def submit(self, student: str, assignment: str, notebooks: dict[str, nbformat.NotebookNode]) -> None:
        """Put a submission where `nbgrader collect` (or `zip_collect`) would."""
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, folder / f"{name}.ipynb")
        (folder / "timestamp.txt").write_text("2026-01-15 12:00:00.000000 UTC\n")

    # -- results -------------------------------------------------------------------------------
    def scores(self, assignment: str, student: str) -> dict[str, dict[str, float]]:
        """{notebook: {grade cell: score}} from the gradebook."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            sub = gb.find_submission(assignment, student)
            return {nb.name: {g.name: float(g.score) for g in nb.grades} for nb in sub.notebooks}

    def export(self) -> list[dict[str, str]]:
        self.nbgrader("export", "--to", "grades.csv")
        with open(self.root / "grades.csv", newline="") as fh:
            return list(csv.DictReader(fh))


# -- notebooks and submissions ------------------------------------------------------------------

def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answer_cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {grade_id(c): c for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")}


def grade_cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {grade_id(c): c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")}


def without_solution_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n")
                     if BEGIN_SOLUTION not in line and END_SOLUTION not in line)


def solved(release: nbformat.NotebookNode, source: nbformat.NotebookNode,
           only: Iterable[str] | None = None) -> nbformat.NotebookNode:
    """The release with the model answers of the source filled in (all, or those in ``only``)."""
    nb = nbformat.from_dict(release)
    models = answer_cells(source)
    keep = set(models) if only is None else set(only)
    for gid, cell in answer_cells(nb).items():
        if gid in keep:
            cell.source = without_solution_markers(models[gid].source)
    return nb


def edited(release: nbformat.NotebookNode, answers: dict[str, str | Callable[[str], str]]) -> nbformat.NotebookNode:
    """The release with some answer cells replaced ({answer grade id: new source or f(old)})."""
    nb = nbformat.from_dict(release)
    cells = answer_cells(nb)
    for gid, new in answers.items():
        cells[gid].source = new(cells[gid].source) if callable(new) else new
    return nb


def fixture_notebook(*cells: str | tuple[str, str], title: str = "# Practise the fixtures") -> nbformat.NotebookNode:
    """A small notebook in the house pattern: title, setup cell, then the given code cells
    (a ("markdown", text) tuple gives a markdown cell)."""
    setup = ("import numpy as np\n"
             "from lecture_utils.exercises import ___\n"
             f"from {FIXTURE_PACKAGE} import f1_double, f2_answer, f3_letters")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_markdown_cell(title), nbformat.v4.new_code_cell(setup)]
    for cell in cells:
        if isinstance(cell, tuple):
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell))
    return nb


FIXTURE_CELLS = {
    "f1_double": "def my_double(x):\n    return ___\n\nf1_double.check(my_double)\n# f1_double.hint()",
    "f2_answer": "answer = ___\nf2_answer.check(answer)",
    "f3_letters": "answer = ___   # e.g. {\"A\", \"B\"}\nf3_letters.check(answer)",
}


def outputs_of(cell: nbformat.NotebookNode) -> str:
    """All text a cell printed or raised."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
        elif out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        else:
            data = out.get("data", {})
            parts.append(data.get("text/plain", "") + data.get("text/html", "") + data.get("text/markdown", ""))
    return "\n".join(parts)


# -- answers a student might hand in ------------------------------------------------------------

def model_code(source_answer_cell: str) -> str:
    """The model answer between the solution markers of a source answer cell."""
    lines = source_answer_cell.split("\n")
    start = next(i for i, line in enumerate(lines) if BEGIN_SOLUTION in line)
    end = next(i for i, line in enumerate(lines) if END_SOLUTION in line)
    return "\n".join(lines[start + 1:end])


def hardcoded_answer(exercise: str, function: str, model: str) -> str:
    """An answer cell whose function returns the visible check's outputs from a table: it runs
    the visible check once with a recorder, then answers from what it recorded."""
    return f"""{model}
import numpy as _np
def _key(args):
    return repr([(_np.asarray(a).dtype.str, _np.asarray(a).shape, _np.asarray(a).tobytes()) for a in args])
_model, _table = {function}, {{}}
def _recorder(*args):
    _table[_key(args)] = out = _model(*args)
    return out
{exercise}.check(_recorder, show=False)   # the visible check's inputs and outputs, recorded
def {function}(*args):
    return _table.get(_key(args), _np.zeros(1))   # ... and hard-coded
{exercise}.check({function})"""


FUNCTION_ROLES = ("correct", "untouched", "wrong", "raises", "loops", "exit", "hardcoded")
VALUE_ROLES = ("correct", "untouched", "wrong", "raises", "exit")


def role_answer(role: str, graded, release_cell: str, source_cell: str) -> str:
    """The source of an answer cell playing ``role`` (one of FUNCTION_ROLES / VALUE_ROLES) for the
    discovered exercise ``graded``, from its release and source answer cells."""
    ex, answer = graded.name, graded.graded_answer
    model = model_code(source_cell)
    if role == "correct":
        return without_solution_markers(source_cell)
    if role == "untouched":
        return release_cell
    if graded.function_answer:
        body = {"wrong": "    return 42.0",
                "raises": '    raise RuntimeError("boom")',
                "loops": "    while True:\n        pass",
                "exit": "    import sys\n    sys.exit(1)"}
        if role == "hardcoded":
            return hardcoded_answer(ex, answer, model)
        return f"def {answer}(*args, **kwargs):\n{body[role]}\n\n{ex}.check({answer})"
    targets = make_assignment._targets(answer)
    if role == "wrong":
        return "\n".join(f"{t} = 42.0" for t in targets) + f"\n{ex}.check({answer})"
    if role == "raises":  # stops before binding the answer: an earlier `answer` must not count
        return f'raise RuntimeError("boom")\n{release_cell}'
    if role == "exit":
        return f"import sys\nsys.exit(1)\n{release_cell}"
    raise ValueError(role)
