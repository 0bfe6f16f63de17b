"""`make lab` (tools/lab.py) for real: the copy is made, the address stands out, kernels are quiet.

Starts the launcher exactly as ``make lab`` does (with a temporary course repository, copy and
Jupyter directories), reads what the student's terminal shows, runs code in a kernel through the
server's WebSocket, then stops it by PID.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from hub_harness import make_course_repo
from jupyter_harness import NOTEBOOKS_DIR, REPO, free_port, stop_process

URL_LINE = re.compile(r"^    (?:\x1b\[1m)?(http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]{48}))(?:\x1b\[0m)?$")


def _run_code(port: int, token: str, code: str) -> str:
    """Start a kernel through the server's REST API and run ``code``; its stdout."""
    import websocket

    def api(method, path, body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    kernel = api("POST", "/api/kernels", {"name": "python3"})
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels",
                                     header=[f"Authorization: token {token}"], timeout=60)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "",
                                       "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
                            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                            "content": {"code": code, "silent": False}}))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") == msg_id and msg["msg_type"] == "stream":
                return msg["content"]["text"]
        raise TimeoutError("no output from the kernel")
    finally:
        ws.close()
        api("DELETE", f"/api/kernels/{kernel['id']}")


def test_make_lab_shows_the_address_plainly_and_kernels_are_encrypted(tmp_path):
    course = make_course_repo(tmp_path / "course", [NOTEBOOKS_DIR / "01_nonlinearity.ipynb"])
    copy = tmp_path / "my-course"
    env = dict(os.environ, LECTURE_COPY_DIR=str(copy), HOME=str(tmp_path / "home"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), IPYTHONDIR=str(tmp_path / "ipython"),
               MPLCONFIGDIR=str(tmp_path / "mpl"), PYTHONUNBUFFERED="1")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    out_path = tmp_path / "terminal.txt"
    with open(out_path, "w") as out:
        proc = subprocess.Popen([sys.executable, str(REPO / "tools" / "lab.py"), f"--port={free_port()}",
                                 "--source", str(course)], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while not any(URL_LINE.match(line) for line in out_path.read_text().splitlines()):
                assert proc.poll() is None, f"make lab exited:\n{out_path.read_text()}"
                assert time.monotonic() < deadline, f"no address within 120 s:\n{out_path.read_text()}"
                time.sleep(0.3)
            url, port, token = next(m.groups() for m in map(URL_LINE.match, out_path.read_text().splitlines()) if m)
            assert _run_code(int(port), token, "print(6 * 7)").strip() == "42"
            time.sleep(1.0)  # let any kernel warning reach the terminal
            terminal = out_path.read_text()
        finally:
            proc.send_signal(signal.SIGTERM)  # the launcher stops JupyterLab (and its kernels)
            try:
                proc.wait(timeout=30)
            finally:
                stop_process(proc)
    assert (copy / "notebooks" / "01_nonlinearity.ipynb").exists(), "the student's copy was not made"
    assert "without encryption" not in terminal, terminal
    lines = terminal.splitlines()
    at = next(i for i, line in enumerate(lines) if URL_LINE.match(line))
    assert lines[at - 1] == "" and lines[at + 1] == "", "the address has a line of its own"
    assert "Open this address" in lines[at - 2], lines[at - 3:at + 3]
    assert terminal.count(token) == 1, "the address is shown once, in the box (no start-up URL block)"
    assert str(copy / "notebooks") in terminal
    assert not [line for line in lines[:at] if line.startswith("[I ")], "INFO log lines before the box"


@pytest.mark.parametrize("waiting", [0, 2])
def test_banner_says_what_to_do(waiting, tmp_path):
    sys.path.insert(0, str(REPO / "tools"))
    import lab

    text = lab.banner("http://127.0.0.1:8888/lab?token=abc", tmp_path, waiting, colour=False)
    assert "\n    http://127.0.0.1:8888/lab?token=abc\n" in text
    assert ("2 update(s)" in text) == bool(waiting) and "make update" in text
