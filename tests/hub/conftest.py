"""Fixtures for the hub tests: one JupyterHub (deploy/jupyterhub_config.py) for the whole session
(with the session's one Chromium, ``chromium_browser`` in tests/conftest.py), and a course
repository the students' nbgitpuller links pull from.

A missing Chromium, playwright or configurable-http-proxy skips the tests that need it, with the
reason shown; with ``REQUIRE_BROWSER=1`` (CI) that is a failure. On a failed browser test each
student's page is saved (screenshot + console log) in ``test-artifacts/hub/``, and the hub's log
is printed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for path in (HERE, HERE.parent / "browser"):  # appended: `conftest` must resolve to ours
    if str(path) not in sys.path:
        sys.path.append(str(path))

from hub_harness import Hub, make_course_repo, unavailable  # noqa: E402
from jupyter_harness import ARTIFACTS_DIR, NOTEBOOKS_DIR, skip_or_fail  # noqa: E402
from lab_page import save_failure_artifacts  # noqa: E402

@pytest.fixture(scope="session")
def hub_ready():
    """Skip (or fail under REQUIRE_BROWSER=1) when no hub can be started here."""
    reason = unavailable()
    if reason:
        skip_or_fail(reason)


@pytest.fixture(scope="session")
def course_repo(tmp_path_factory) -> Path:
    """The course as a lecturer publishes it: a git repository with notebooks/ (branch main)."""
    return make_course_repo(tmp_path_factory.mktemp("course") / "nn-lecture",
                            sorted(NOTEBOOKS_DIR.glob("*.ipynb")))


@pytest.fixture(scope="session")
def hub(hub_ready, tmp_path_factory):
    """The session's JupyterHub, stopped (with the proxy, culler and every server) at the end."""
    server = Hub(tmp_path_factory.mktemp("hub"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Student:
    """One student: a name, a browser context of their own (own cookies) and one tab."""

    def __init__(self, browser, name: str) -> None:
        self.name = name
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"[{m.type}] {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"[pageerror] {e}"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def students(hub_ready, chromium_browser, request):
    """Three students, each with their own browser context; closed at the end of the module."""
    made = {name: Student(chromium_browser, name) for name in ("ada", "ben", "cleo")}
    yield made
    failed = getattr(request.node, "failed_tests", [])
    for student in made.values():
        if failed:
            stem = re.sub(r"[^\w.-]+", "_", f"{request.node.name}_{student.name}")
            paths = save_failure_artifacts(student.page, student.console, stem, ARTIFACTS_DIR / "hub")
            print("hub artifacts:", *map(str, paths))
        student.close()


@pytest.fixture(autouse=True)
def _record_failures(request):
    """Remember failed tests on the module (for the artifacts) and show the hub's log tail."""
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        module = request.node.parent
        module.failed_tests = getattr(module, "failed_tests", []) + [request.node.name]
        hub = request.node.funcargs.get("hub")
        if hub is not None and hub.log_path.exists():
            print("JupyterHub log (tail):\n" + hub.log_path.read_text()[-3000:])
