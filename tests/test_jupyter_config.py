"""Two classroom settings jupyter-config/ installs into the environment, checked on a real server.

- nbgrader's JupyterLab plugins (its menu, the Validate button, the Create Assignment panel, the
  formgrader, assignment and course lists) are off by default
  (``etc/jupyter/labconfig/page_config.d/lecture-series.json``), and a lecturer turns them back
  on with ``jupyter labextension enable`` (docs/grading.md) — without JupyterLab writing
  anything into the environment on the way.
- Kernels talk to their server over CurveZMQ (``etc/jupyter/jupyter_server_config.json``:
  ``KernelManager.transport_encryption = "auto"``), so no kernel logs "Kernel is running over
  TCP without encryption" — for any server started from the environment, not only `make lab`.

One JupyterLab for the module (tests/browser/jupyter_harness.py: 127.0.0.1, random port and
token, isolated config/data/runtime directories, stopped by PID). That the plugins are really
absent from the page is checked in Chromium by tests/browser/test_classroom_config.py.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from jupyter_harness import JupyterLab  # noqa: E402

NBGRADER_PLUGINS = [f"@jupyter/nbgrader:{name}" for name in (
    "menu", "assignment-list", "course-list", "formgrader", "create-assignment", "validate-assignment")]
#: what the lecturer's own server needs back (docs/grading.md)
LECTURER_PLUGINS = [f"@jupyter/nbgrader:{name}" for name in ("menu", "formgrader", "create-assignment", "course-list")]
PLAIN_TCP = "without encryption"
SYS_PAGE_CONFIG = Path(sys.prefix) / "etc" / "jupyter" / "labconfig" / "page_config.json"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with JupyterLab([], workdir=tmp_path_factory.mktemp("jupyter-config")) as server:
        yield server


def _page_config(lab: JupyterLab) -> dict:
    """The page config JupyterLab sends to the browser (read on every page load)."""
    with urllib.request.urlopen(f"{lab.base}/lab?token={lab.token}", timeout=30) as resp:
        page = resp.read().decode()
    return json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)[1])


def _disabled(lab: JupyterLab) -> set[str]:
    disabled = _page_config(lab)["disabledExtensions"]
    return set(disabled if isinstance(disabled, list) else (k for k, v in disabled.items() if v))


def _labextension(lab: JupyterLab, *args: str) -> subprocess.CompletedProcess:
    """``jupyter labextension …`` as a user of this environment (the server's config directory)."""
    return subprocess.run([sys.executable, "-m", "jupyterlab.labextensions", *args], env=lab._env(),
                          capture_output=True, text=True, timeout=120)


def test_nbgrader_plugins_are_off_and_a_lecturer_turns_them_back_on(lab):
    existed = SYS_PAGE_CONFIG.exists()
    assert set(NBGRADER_PLUGINS) <= _disabled(lab)
    locked = _page_config(lab).get("lockedExtensions", [])  # the names of the locked ones
    assert not set(locked) & set(NBGRADER_PLUGINS), "off by default, but not locked"

    user_config = lab.workdir / "config" / "labconfig" / "page_config.json"
    done = _labextension(lab, "enable", "--level=user", *LECTURER_PLUGINS)
    try:
        assert done.returncode == 0, done.stderr[-2000:]
        assert "locked" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr
        assert user_config.is_file(), "`enable --level=user` writes the lecturer's own page_config.json"
        disabled = _disabled(lab)  # no restart needed: the next page load has them
        assert not disabled & set(LECTURER_PLUGINS), disabled
        assert set(NBGRADER_PLUGINS) - set(LECTURER_PLUGINS) <= disabled, "students' plugins stay off"
    finally:
        user_config.unlink(missing_ok=True)
    assert set(NBGRADER_PLUGINS) <= _disabled(lab)
    # JupyterLab 4.1+ "migrates" disabled plugins into locked ones in {sys.prefix} on start-up
    # unless lockedExtensions is present; ours is (all false), so nothing is written there
    assert SYS_PAGE_CONFIG.exists() == existed, f"JupyterLab wrote {SYS_PAGE_CONFIG}"


def _start_kernel(lab: JupyterLab, spec: str) -> dict:
    """Start a kernel through the REST API; its connection info once it listens on its sockets
    (ipykernel logs the plain-TCP warning just before it binds them)."""
    req = urllib.request.Request(f"{lab.base}/api/kernels", data=json.dumps({"name": spec}).encode(),
                                 method="POST", headers={"Authorization": f"token {lab.token}",
                                                         "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        kernel_id = json.loads(resp.read())["id"]
    info = json.loads((lab.workdir / "runtime" / f"kernel-{kernel_id}.json").read_text())
    deadline = time.monotonic() + 90
    while True:
        try:
            socket.create_connection((info["ip"], info["shell_port"]), timeout=1).close()
            return info
        except OSError:
            assert time.monotonic() < deadline, f"kernel {spec} did not start:\n{lab.log_path.read_text()[-2000:]}"
            time.sleep(0.3)


def test_kernels_are_encrypted_and_never_warn_about_plain_tcp(lab):
    # ipykernel's own kernelspec declares CurveZMQ support (and so does the harness's, like it);
    # the control is the same kernelspec without that declaration: same server, a kernel that warns
    spec = json.loads((Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert "curve" in spec.get("metadata", {}).get("supported_encryption", []), spec
    spec["argv"][0] = sys.executable
    plain_spec = {**spec, "metadata": {k: v for k, v in spec.get("metadata", {}).items()
                                       if k != "supported_encryption"}}
    for name, content in (("python3-curve", spec), ("python3-plain", plain_spec)):
        directory = lab.workdir / "data" / "kernels" / name
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "kernel.json").write_text(json.dumps(content))
    try:
        encrypted = _start_kernel(lab, "python3-curve")
        assert encrypted.get("curve_publickey") and encrypted.get("curve_secretkey"), sorted(encrypted)
        assert PLAIN_TCP not in lab.log_path.read_text()
        harness = _start_kernel(lab, "python3")  # the test server's own kernels: encrypted too
        assert harness.get("curve_publickey"), sorted(harness)
        assert PLAIN_TCP not in lab.log_path.read_text()
        plain = _start_kernel(lab, "python3-plain")
        assert "curve_publickey" not in plain
        deadline = time.monotonic() + 30
        while PLAIN_TCP not in lab.log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.3)
        log = lab.log_path.read_text()
        assert log.count(PLAIN_TCP) == 1, "the control kernel should warn once, the encrypted one never:\n" + log[-3000:]
    finally:
        lab.shutdown_kernels()


def test_every_server_app_of_the_environment_reads_the_setting(lab):
    """`jupyter server` (and so jupyterhub-singleuser, a ServerApp too) — not only `jupyter lab`."""
    out = subprocess.run([sys.executable, "-m", "jupyter_server", "--show-config-json"], env=lab._env(),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout)["KernelManager"]["transport_encryption"] == "auto"
