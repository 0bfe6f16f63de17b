"""The one headless Chromium of a test session, shared by tests/browser and tests/hub.

Playwright's sync API runs one driver per thread: a second browser started by another suite's
fixture in the same session fails ("Sync API inside the asyncio loop"), so the browser lives here.
No Chromium (or no playwright) skips the tests that need it, with the reason shown; with
``REQUIRE_BROWSER=1`` (CI) that is a failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_BROWSER = Path(__file__).resolve().parent / "browser"
if str(_BROWSER) not in sys.path:
    sys.path.append(str(_BROWSER))  # appended: `conftest` must still resolve to this folder's

from jupyter_harness import chromium, find_chromium, skip_or_fail  # noqa: E402

# no conftest.py is collected as a doctest module (--doctest-modules): by then `conftest` names
# the last conftest.py imported, and pytest would report an import mismatch (this one, and the
# sub-folders' ones when a folder is named twice: `make test PYTEST_ARGS=tests/hub`)
collect_ignore = ["conftest.py", "browser/conftest.py", "hub/conftest.py", "grading/conftest.py"]


@pytest.fixture(scope="session")
def chromium_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -r requirements.lock)")
    executable = find_chromium()
    if executable is None:
        skip_or_fail("no Chromium found: apt-get install -y chromium (or set $CHROMIUM)")
    with chromium(executable) as browser:
        yield browser


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report as ``item.rep_setup`` / ``rep_call`` (the browser and hub fixtures save
    screenshots and logs when a test failed)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def make():
    """``make(PanelClass, **kw)``: a panel that is closed when the test ends."""
    panels = []

    def _make(cls, **kw):
        p = cls(**kw)
        panels.append(p)
        return p

    yield _make
    for p in panels:
        p.close()
