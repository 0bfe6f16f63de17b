"""A class of three on the course's JupyterHub, in real Chromium: the path a lecturer hands out.

One hub (deploy/jupyterhub_config.py, the session fixture) and three students:

- **ada** follows the lecturer's nbgitpuller link in Chromium: the hub's login page, her server
  starts, nbgitpuller clones the course into ``~/course`` and JupyterLab opens notebook 01;
- **ben** and **cleo** are made through the hub's REST API (user, server, a token of their own,
  the copy through nbgitpuller's API) and log in over HTTP (the login form's POST).

Then each runs notebook 01 and moves a slider (the figure changes); nobody can open another's
server; ada's saved edit survives her server being stopped and started again, and the course's
next version (a changed and a new notebook) arrives through the same link without touching it.
The tests run in order and share the class (module fixture ``classroom``).
"""

from __future__ import annotations

import json
import time

import nbformat
import pytest

from hub_harness import commit
from jupyter_harness import ARTIFACTS_DIR
from lab_page import (PANEL_SELECTOR, PROBE_JS, press_and_measure, restart_and_run_all,
                      slider_room, wait_kernel_idle)

pytestmark = pytest.mark.browser

NOTEBOOK = "01_nonlinearity.ipynb"
SHOTS = ARTIFACTS_DIR / "hub"  # what the students saw (git-ignored)
EDIT = "# ada's note: two linear layers collapse into W2 @ W1"


def _lab_path(name: str, notebook: str = NOTEBOOK) -> str:
    return f"/user/{name}/lab/tree/course/notebooks/{notebook}"


def _follow_link(hub, student, link: str) -> None:
    """Open the lecturer's link and log in on the hub's page if it asks (does not wait for Lab)."""
    page = student.page
    page.goto(link)
    if "/hub/login" in page.url:
        _shot(page, f"{student.name}_login_page")
        page.fill("#username_input", student.name)
        page.fill("#password_input", hub.password)
        page.click("#login_submit")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _wait_for_notebook(student, timeout: float = 180.0) -> None:
    """Wait until the student's JupyterLab shows the notebook with its kernel idle."""
    student.page.wait_for_url(f"**{_lab_path(student.name)}*", timeout=timeout * 1000)
    wait_kernel_idle(student.page, timeout=timeout)
    student.page.evaluate(PROBE_JS)


@pytest.fixture(scope="module")
def classroom(hub, course_repo, students):
    """Log the class in at once: ada through the login page, ben and cleo through the REST API."""
    t0 = time.monotonic()
    for name in students:
        hub.prepare_home(name)  # the browser harness's JupyterLab settings (all cells in the DOM)
    for name in ("ben", "cleo"):  # their servers start while ada logs in
        hub.add_user(name)
        status, raw = hub.request("POST", f"/hub/api/users/{name}/server")
        assert status in (201, 202), f"starting {name}'s server: HTTP {status} {raw[:200]!r}"
    _follow_link(hub, students["ada"], hub.pull_url(course_repo, NOTEBOOK))
    for name in ("ben", "cleo"):
        hub.wait_ready(name)
        students[name].token = hub.user_token(name)
        hub.pull_api(name, students[name].token, course_repo)  # nbgitpuller's REST endpoint
        hub.login(students[name].context, name)
        students[name].page.goto(hub.base + _lab_path(name), wait_until="commit")
    for student in students.values():
        _wait_for_notebook(student)
    print(f"three students logged in, servers started, copies made, notebook open: "
          f"{time.monotonic() - t0:.1f} s")
    return students


def test_each_student_has_their_own_server_and_copy(hub, classroom):
    users = {u["name"]: u for u in hub.api("GET", "/users")}
    for name, student in classroom.items():
        server = (users[name].get("servers") or {}).get("")
        assert server and server["ready"], f"{name} has no running server: {users.get(name)}"
        assert server["url"] == f"/user/{name}/"
        assert _lab_path(name) in student.page.url, f"{name}'s page is at {student.page.url}"
        copy = hub.home(name) / "course" / "notebooks" / NOTEBOOK
        assert copy.exists(), f"nbgitpuller made no copy for {name} (is its server extension enabled?)"
        assert (hub.home(name) / "course" / ".git").is_dir(), "the copy is a git clone (nbgitpuller)"
    pids = {name: hub.server_processes(name)[0].pid for name in classroom}
    assert len(set(pids.values())) == 3, f"three students, three server processes: {pids}"


@pytest.mark.parametrize("name", ["ada", "ben", "cleo"])
def test_student_runs_the_notebook_and_a_slider_moves_the_figure(classroom, name):
    page = classroom[name].page
    run = restart_and_run_all(page)
    assert not run.problems, f"{name}: " + "\n".join(run.problems)
    panel = page.locator(PANEL_SELECTOR).first
    panel.scroll_into_view_if_needed()
    handle = panel.locator(".noUi-handle").first
    below, above = slider_room(handle)
    ms = press_and_measure(page, panel, handle, "ArrowRight" if above > 0 else "ArrowLeft", timeout=20)
    assert ms is not None, f"{name}: a key press on the first slider did not change the figure"
    _shot(page, f"{name}_slider_moved")


def test_a_student_cannot_open_another_students_server(hub, classroom):
    ada, ben = classroom["ada"], classroom["ben"]
    own = ada.context.request.get(f"{hub.base}/user/ada/api/contents/course/notebooks")
    assert own.status == 200, "control: ada reaches her own server's API with her cookies"
    # ada's cookies on ben's API: refused
    other = ada.context.request.get(f"{hub.base}/user/ben/api/contents/course/notebooks", max_redirects=0)
    assert other.status == 403, f"ada read ben's files: HTTP {other.status}"
    # ada's server cookie presented as ben's: refused too (it is signed for ada's server only)
    cookie = next(c["value"] for c in ada.context.cookies(hub.base + "/user/ada/")
                  if c["name"] == "jupyterhub-user-ada")
    forged = ada.context.request.get(f"{hub.base}/user/ben/api/contents/course/notebooks",
                                     headers={"Cookie": f"jupyterhub-user-ben={cookie}"}, max_redirects=0)
    assert forged.status == 403, f"a forged cookie opened ben's server: HTTP {forged.status}"
    # ada opening ben's JupyterLab in her browser: the hub refuses to authorise her
    page = ada.context.new_page()
    try:
        response = page.goto(f"{hub.base}/user/ben/lab")
        assert response is not None and response.status == 403, \
            f"ada's browser got HTTP {response and response.status} at {page.url}"
        assert page.locator(".jp-LabShell").count() == 0, "ben's JupyterLab rendered for ada"
        _shot(page, "ada_opens_ben_refused")
    finally:
        page.close()
    # and ben's token does not open ada's server either
    status, _ = hub.request("GET", "/user/ada/api/contents", token=ben.token)
    assert status == 403, f"ben's token read ada's files: HTTP {status}"


def _contents(student, hub, path: str) -> dict:
    resp = student.context.request.get(f"{hub.base}/user/{student.name}/api/contents/{path}")
    assert resp.status == 200, f"{student.name}: GET {path}: HTTP {resp.status}"
    return json.loads(resp.text())


def test_saved_edit_survives_a_restart_and_a_course_update(hub, course_repo, classroom):
    ada = classroom["ada"]
    page = ada.page
    # ada edits the first code cell in JupyterLab and saves it (File ▸ Save)
    page.evaluate("""edit => {
      const nb = window.jupyterapp.shell.currentWidget.content;
      const cell = nb.widgets.find(c => c.model.type === 'code');
      cell.model.sharedModel.setSource(edit + '\\n' + cell.model.sharedModel.getSource());
    }""", EDIT)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    path = f"course/notebooks/{NOTEBOOK}"
    deadline = time.monotonic() + 30
    while EDIT not in json.dumps(_contents(ada, hub, path)["content"]):
        assert time.monotonic() < deadline, "ada's edit was not saved within 30 s"
        time.sleep(0.5)
    old_pid = hub.server_processes("ada")[0].pid

    # her server is stopped (as the culler or the control panel would) ...
    hub.stop_server("ada")
    assert not hub.server_processes("ada"), "ada's server process is still running"
    # ... the course changes notebooks 01 and 02 and adds one ...
    for name, text in ((NOTEBOOK, "Course update: see also notebook 07."), ("02_forward_propagation.ipynb",
                                                                          "Course update to 02.")):
        nb_path = course_repo / "notebooks" / name
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells[-1].source += f"\n\n{text}"
        nbformat.write(nb, nb_path)
    new = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 07 What's new")])
    nbformat.write(new, course_repo / "notebooks" / "07_whats_new.ipynb")
    commit(course_repo, "course update: 01, 02 changed, 07 added")
    # ... and ada follows the same link again: her server starts, nbgitpuller merges
    _follow_link(hub, ada, hub.pull_url(course_repo, NOTEBOOK))
    _wait_for_notebook(ada)
    assert hub.server_processes("ada")[0].pid != old_pid, "the server was not restarted"

    mine = _contents(ada, hub, path)["content"]
    nbformat.validate(nbformat.from_dict(mine))
    text = json.dumps(mine)
    assert EDIT in text, "ada's saved edit was lost"
    assert "Course update: see also notebook 07." in text, "the course's change to 01 was not merged"
    two = json.dumps(_contents(ada, hub, "course/notebooks/02_forward_propagation.ipynb")["content"])
    assert "Course update to 02." in two, "the untouched notebook 02 was not updated"
    names = [item["name"] for item in _contents(ada, hub, "course/notebooks")["content"]]
    assert "07_whats_new.ipynb" in names, f"the new notebook did not appear: {names}"
    _shot(page, "ada_after_update")
    # the other students' copies are theirs: untouched until they follow the link
    assert "07_whats_new.ipynb" not in [p.name for p in (hub.home("ben") / "course" / "notebooks").iterdir()]
