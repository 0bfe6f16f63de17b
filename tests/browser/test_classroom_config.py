"""A self-study student's JupyterLab shows none of nbgrader's tools; a lecturer gets them back.

jupyter-config/ switches nbgrader's JupyterLab plugins off (tests/test_jupyter_config.py checks
the page config on the server). Here, in Chromium, on the session's JupyterLab: no *Nbgrader*
menu, no *Validate* button in the notebook toolbar, no *Create Assignment* side panel — then,
after the lecturer's ``jupyter labextension enable --level=user …`` (docs/grading.md), all three
are there (which shows the checks look in the right place). The session server's user page
config is removed again afterwards.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from lab_page import open_notebook

pytestmark = pytest.mark.browser

PLUGINS = [f"@jupyter/nbgrader:{name}" for name in (
    "menu", "assignment-list", "course-list", "formgrader", "create-assignment", "validate-assignment")]
_SEEN_JS = """() => ({
  menu: [...document.querySelectorAll('.lm-MenuBar-itemLabel')].some(e => e.textContent.trim() === 'Nbgrader'),
  validate: [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-item')]
    .some(e => e.textContent.trim() === 'Validate'),
  panel: [...document.querySelectorAll('.jp-SideBar .lm-TabBar-tab')]
    .some(e => /create assignment/i.test(e.getAttribute('title') || ''))})"""


def _seen(page, lab) -> dict[str, bool]:
    open_notebook(page, lab.url("00_start_here.ipynb"))
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-item[data-jp-item-name='save']")
    page.wait_for_function("() => window.jupyterapp.restored !== undefined")
    page.evaluate("() => window.jupyterapp.restored")  # every plugin has been activated
    return page.evaluate(_SEEN_JS)


def test_no_nbgrader_tools_for_students_until_the_lecturer_turns_them_on(lab, page):
    assert _seen(page, lab) == {"menu": False, "validate": False, "panel": False}
    user_config = lab.workdir / "config" / "labconfig" / "page_config.json"
    try:
        done = subprocess.run([sys.executable, "-m", "jupyterlab.labextensions", "enable", "--level=user",
                               *PLUGINS], env=lab._env(), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert _seen(page, lab) == {"menu": True, "validate": True, "panel": True}
    finally:
        user_config.unlink(missing_ok=True)
        lab.shutdown_kernels()
