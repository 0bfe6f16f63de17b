"""Fixtures for the browser tests: one JupyterLab server per session (and the session's one
headless Chromium, ``chromium_browser`` in tests/conftest.py, shared with tests/hub).

No Chromium (or no playwright) → the browser tests are skipped with the reason shown, unless
``REQUIRE_BROWSER=1`` is set (CI), in which case that is a failure. On a failed test a screenshot
and the browser console log are saved in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jupyter_harness import (ARTIFACTS_DIR, NOTEBOOKS_DIR, OTHER_PANELS_NOTEBOOK, JupyterLab,
                             discover_panels, panels_notebook, panels_used_in_notebooks)
from lab_page import save_failure_artifacts

def pytest_collection_modifyitems(config, items):
    """Run the browser tests last: after the unit tests and the notebooks (they are the slowest)."""
    items[:] = ([i for i in items if i.get_closest_marker("browser") is None]
                + [i for i in items if i.get_closest_marker("browser") is not None])


@pytest.fixture(scope="session")
def lab(chromium_browser, tmp_path_factory):
    """JupyterLab serving a temporary copy of notebooks/, plus a generated notebook showing every
    Panel class that no notebook uses (yet), with its defaults."""
    server = JupyterLab(NOTEBOOKS_DIR, workdir=tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    try:
        used = panels_used_in_notebooks()
        server.other_panels = [(m, n) for m, n in discover_panels() if n not in used]
        server.add_notebook(OTHER_PANELS_NOTEBOOK, panels_notebook(server.other_panels))
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(chromium_browser, lab, request):
    """A fresh browser tab (1400×1000) whose console is recorded; kernels are shut down after."""
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    console: list[str] = []
    tab.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    tab.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    tab.console_messages_seen = console  # the tests read widget errors from here
    yield tab
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)
        paths = save_failure_artifacts(tab, console, stem, ARTIFACTS_DIR / "browser")
        print("browser artifacts:", *map(str, paths))
    context.close()
    lab.shutdown_kernels()
