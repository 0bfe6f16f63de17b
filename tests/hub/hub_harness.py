"""A throw-away JupyterHub running the shipped deploy/jupyterhub_config.py, for tests/hub and bench/.

    with Hub(workdir) as hub:
        hub.add_user("ada")
        hub.start_server("ada")
        hub.login(context, "ada")     # a Playwright BrowserContext gets ada's hub cookie
        page.goto(hub.pull_url(course, "01_nonlinearity.ipynb"))

The hub loads ``deploy/jupyterhub_config.py`` itself (``load_subconfig``) and changes only what a
test needs: the shared-password authenticator (JupyterHub's dummy authenticator with a password,
renamed in 5.3) with a random password, the ``simple`` spawner (every student runs as this OS
user, homes under the workdir), random ports on 127.0.0.1 for the proxy, the hub API and the
proxy API, and a service ``test-driver`` with a random token and admin scopes. Everything else —
the project's environment, ``/lab``, nbgitpuller, the idle culler, encrypted kernel sockets — is
what a real class gets. Stopped by PID with everything it started (``jupyter_harness.stop_process``).

Other configurations (e.g. nbgrader's exchange) pass ``extra_config``: lines appended to the
generated config file, after the shipped one is loaded.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterable

_BROWSER = str(Path(__file__).resolve().parents[1] / "browser")
if _BROWSER not in sys.path:
    sys.path.append(_BROWSER)  # appended, not prepended: it has a conftest.py of its own
from jupyter_harness import REPO, free_port, stop_process, write_lab_settings  # noqa: E402

HUB_CONFIG = REPO / "deploy" / "jupyterhub_config.py"
PROXY = REPO / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
ENV_BIN = Path(sys.executable).parent
#: the driver's scopes: create users, start/stop servers, make tokens, reach every server's API
DRIVER_SCOPES = ["admin:users", "admin:servers", "tokens", "access:servers", "list:users",
                 "read:users", "read:servers", "read:users:activity", "list:services", "read:services"]


def unavailable() -> str | None:
    """Why a hub cannot be started here (None if it can)."""
    if not (ENV_BIN / "jupyterhub").exists():
        return "jupyterhub is not installed in this environment (make setup)"
    if not os.access(PROXY, os.X_OK):
        return ("configurable-http-proxy is not installed: `make test` installs it with npm "
                "(needs Node.js 20+ and npm)")
    return None


class Hub:
    """A JupyterHub on 127.0.0.1 with random ports, password and tokens; see the module docstring."""

    def __init__(self, workdir: Path, extra_config: str = "", cull_timeout: int | None = None,
                 cull_every: int | None = None) -> None:
        self.workdir = Path(workdir)
        self.state = self.workdir / "state"
        self.port, self.hub_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(18)
        self.token = secrets.token_hex(32)
        self.extra_config = extra_config
        self.cull_timeout, self.cull_every = cull_timeout, cull_every
        self.config_path = self.workdir / "jupyterhub_config.py"
        self.log_path = self.workdir / "jupyterhub.log"
        self.proc: subprocess.Popen | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> "Hub":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self._config_text(), encoding="utf-8")
        env = dict(os.environ, LECTURE_HUB_PORT=str(self.port), LECTURE_HUB_HUB_PORT=str(self.hub_port),
                   LECTURE_HUB_PROXY_API_PORT=str(self.proxy_api_port), LECTURE_HUB_STATE=str(self.state),
                   LECTURE_HUB_SPAWNER="simple", PYTHONDONTWRITEBYTECODE="1")
        env.pop("LECTURE_HUB_IP", None)  # always 127.0.0.1 in tests
        for var, value in (("LECTURE_HUB_CULL_TIMEOUT", self.cull_timeout),
                           ("LECTURE_HUB_CULL_EVERY", self.cull_every)):
            if value is not None:
                env[var] = str(value)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([str(ENV_BIN / "jupyterhub"), "-f", str(self.config_path)],
                                     cwd=self.workdir, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with code {self.proc.returncode}; log:\n"
                                   f"{self.log_path.read_text()[-4000:]}")
            try:
                self.api("GET", "/")
                return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"JupyterHub did not answer on {self.base} within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """Stop the hub by its PID: it stops the proxy, the culler and every student server."""
        if self.proc is not None:
            stop_process(self.proc, timeout=30)
            self._log.close()
        self.proc = None

    def __enter__(self) -> "Hub":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _config_text(self) -> str:
        return "\n".join([
            "# generated by tests/hub/hub_harness.py: the shipped configuration plus test settings",
            "c = get_config()  # noqa",
            f"load_subconfig({str(HUB_CONFIG)!r})",
            'c.JupyterHub.authenticator_class = "shared-password"',
            f"c.SharedPasswordAuthenticator.user_password = {self.password!r}",
            "c.Authenticator.allow_all = True",
            "c.Spawner.args.append('--LabApp.expose_app_in_browser=True')  # tests read the notebook model",
            f"c.JupyterHub.services.append({{'name': 'test-driver', 'api_token': {self.token!r}}})",
            f"c.JupyterHub.load_roles.append({{'name': 'test-driver', 'scopes': {DRIVER_SCOPES!r}, "
            "'services': ['test-driver']})",
            self.extra_config, ""])

    # -- REST API ----------------------------------------------------------------------------
    def request(self, method: str, url: str, body: Any = None, token: str | None = None,
                timeout: float = 30.0) -> tuple[int, bytes]:
        """One HTTP request (``url`` absolute or relative to the proxy); returns (status, body)."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"token {token or self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url if url.startswith("http") else self.base + url,
                                     data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        """Call the hub's REST API (``/hub/api`` + path) with the driver's token; decoded JSON."""
        status, raw = self.request(method, "/hub/api" + path, body, token)
        if status >= 400:
            raise urllib.error.HTTPError(self.base + "/hub/api" + path, status,
                                         raw.decode(errors="replace")[:500], None, None)
        return json.loads(raw) if raw else None

    def add_user(self, name: str) -> None:
        status, raw = self.request("POST", f"/hub/api/users/{name}")
        if status not in (201, 409):  # 409: exists already
            raise RuntimeError(f"creating user {name}: HTTP {status} {raw[:300]!r}")

    def server(self, name: str) -> dict | None:
        """The user's default server model (``ready``, ``pending``, ``url``…), or None if stopped."""
        return (self.api("GET", f"/users/{name}").get("servers") or {}).get("")

    def start_server(self, name: str, timeout: float = 180.0) -> float:
        """Start the user's server through the REST API; seconds until the hub reports it ready."""
        t0 = time.monotonic()
        status, raw = self.request("POST", f"/hub/api/users/{name}/server")
        if status not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"starting {name}'s server: HTTP {status} {raw[:300]!r}")
        return self.wait_ready(name, timeout, t0)

    def wait_ready(self, name: str, timeout: float = 180.0, t0: float | None = None) -> float:
        t0 = time.monotonic() if t0 is None else t0
        while time.monotonic() - t0 < timeout:
            server = self.server(name)
            if server and server.get("ready"):
                return time.monotonic() - t0
            if server is None and time.monotonic() - t0 > 5:
                raise RuntimeError(f"{name}'s server stopped while starting; see {self.log_path}")
            time.sleep(0.25)
        raise TimeoutError(f"{name}'s server not ready within {timeout:.0f} s; see {self.log_path}")

    def stop_server(self, name: str, timeout: float = 60.0) -> None:
        self.request("DELETE", f"/hub/api/users/{name}/server")
        deadline = time.monotonic() + timeout
        while self.server(name) is not None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name}'s server did not stop within {timeout:.0f} s")
            time.sleep(0.25)

    def user_token(self, name: str, note: str = "test") -> str:
        """A new API token of the user's own (what a student's browser holds, as a token)."""
        return self.api("POST", f"/users/{name}/tokens", {"note": note, "expires_in": 7200})["token"]

    # -- what a student does -----------------------------------------------------------------
    def home(self, name: str) -> Path:
        """The student's home (the ``simple`` spawner's template in deploy/jupyterhub_config.py)."""
        return self.state / "homes" / name

    def prepare_home(self, name: str) -> Path:
        """The browser harness's JupyterLab settings in the student's home (before the first start)."""
        write_lab_settings(self.home(name) / ".jupyter" / "lab" / "user-settings")
        return self.home(name)

    def login(self, context: Any, name: str) -> None:
        """Log ``name`` in over HTTP (the login form's POST, no page): the Playwright context gets
        the hub cookie, as if the student had used the login page."""
        context.request.get(self.base + "/hub/login")
        xsrf = next((c["value"] for c in context.cookies(self.base + "/hub/") if c["name"] == "_xsrf"), "")
        resp = context.request.post(self.base + "/hub/login", max_redirects=0,
                                    form={"username": name, "password": self.password, "_xsrf": xsrf})
        if resp.status not in (302, 303):
            raise RuntimeError(f"login of {name} failed: HTTP {resp.status} {resp.text()[:300]}")

    def pull_url(self, repo: str | Path, notebook: str, target: str = "course", branch: str = "main") -> str:
        """The nbgitpuller link a lecturer hands out: log in, start the server, pull, open ``notebook``."""
        return self.base + "/hub/user-redirect/git-pull?" + pull_query(repo, notebook, target, branch)

    def pull_api(self, name: str, token: str, repo: str | Path, target: str = "course",
                 branch: str = "main", timeout: float = 120.0) -> list[dict]:
        """Make or update the student's copy through nbgitpuller's REST endpoint (an event stream)."""
        query = urllib.parse.urlencode({"repo": str(repo), "branch": branch, "targetpath": target})
        req = urllib.request.Request(f"{self.base}/user/{name}/git-pull/api?{query}",
                                     headers={"Authorization": f"token {token}"})
        events = []
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            for raw in resp:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        if not events or events[-1].get("phase") != "finished":
            raise RuntimeError(f"nbgitpuller did not finish for {name}: {events[-3:]}")
        return events

    # -- processes ---------------------------------------------------------------------------
    def server_processes(self, name: str) -> list[Any]:
        """``psutil.Process`` of the user's single-user server and everything under it (kernels)."""
        import psutil

        if self.proc is None:
            return []
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if child.environ().get("JUPYTERHUB_USER") == name and \
                        child.parent().environ().get("JUPYTERHUB_USER") != name:
                    return [child, *child.children(recursive=True)]
            except psutil.Error:
                continue
        return []


def pull_query(repo: str | Path, notebook: str, target: str = "course", branch: str = "main") -> str:
    """The query of an nbgitpuller link: clone/merge ``repo`` into ``~/target``, open ``notebook``."""
    return urllib.parse.urlencode({"repo": str(repo), "branch": branch, "targetpath": target,
                                   "urlpath": f"lab/tree/{target}/notebooks/{notebook}"})


# -- a course repository for the tests ---------------------------------------------------------
def git(*args: str, cwd: Path) -> str:
    out = subprocess.run(["git", "-c", "user.name=Lecturer", "-c", "user.email=lecturer@example.org",
                          *args], cwd=cwd, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def make_course_repo(path: Path, notebooks: Iterable[Path]) -> Path:
    """A git repository (branch ``main``) holding ``notebooks/`` with copies of ``notebooks``."""
    (path / "notebooks").mkdir(parents=True, exist_ok=True)
    for nb in notebooks:
        (path / "notebooks" / Path(nb).name).write_bytes(Path(nb).read_bytes())
    git("init", "-q", "-b", "main", cwd=path)
    commit(path, "the course")
    return path


def commit(path: Path, message: str) -> str:
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", message, cwd=path)
    return git("rev-parse", "HEAD", cwd=path)
