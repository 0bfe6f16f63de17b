"""One nbgrader course directory for the whole test session (generating it runs nbgrader)."""

from __future__ import annotations

import pytest

from grading_harness import HIDDEN_SEED, NOTEBOOKS, Course, make_assignment


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """The real notebooks as assignment "homework": source written by tools/make_assignment.py,
    release by `nbgrader generate_assignment homework`. Yields (course, generator warnings)."""
    course = Course(tmp_path_factory.mktemp("grading") / "nn2-course")
    warnings = make_assignment.write_course(course.root, "homework", NOTEBOOKS, seed=HIDDEN_SEED)
    course.nbgrader("generate_assignment", "homework")
    yield course, warnings
