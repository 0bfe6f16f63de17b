"""A throw-away JupyterLab server and a headless Chromium, shared by tests/browser and bench/.

One module on purpose: the browser tests (``tests/browser/``) and the browser benchmark
(``bench/bench_browser_latency.py`` via ``bench/_jupyter.py``) start the server and the browser
the same way, so a figure measured by the benchmark is a figure the tests have proven works.

    with JupyterLab(notebooks_dir) as lab, chromium() as browser:
        page = browser.new_page()
        page.goto(lab.url("01_nonlinearity.ipynb"))

Isolation: the server gets a temporary HOME, JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR,
JUPYTER_RUNTIME_DIR, JUPYTERLAB_SETTINGS_DIR, JUPYTERLAB_WORKSPACES_DIR, MPLCONFIGDIR and
IPYTHONDIR. The lab extensions of ipywidgets and ipympl are still found, because they live in the
venv's ``share/jupyter`` (``sys.prefix``), which Jupyter always searches. The notebooks are
*copied* into a temporary root directory, so nothing the browser does (autosave, outputs) touches
the repository. The kernel is this interpreter (``sys.executable``), where ``lecture_utils`` is
installed. The server runs in its own process group, stopped by its PID on exit.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterable, Iterator

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO / "notebooks"
ARTIFACTS_DIR = REPO / "test-artifacts"
#: generated in the server's temporary root: every Panel class no notebook shows (yet)
OTHER_PANELS_NOTEBOOK = "_other_panels.ipynb"

#: Flags measured to work with Debian's Chromium in a container (see shared notes).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

#: JupyterLab user settings written into the isolated settings directory.
_LAB_SETTINGS = {
    # no "get notified about Jupyter news?" toast, no network fetch
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    # every cell stays in the DOM, so every panel can be found and measured
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def write_lab_settings(directory: Path) -> None:
    """Write the harness's JupyterLab user settings into a settings directory (e.g. a hub student's
    ``~/.jupyter/lab/user-settings``)."""
    for rel, value in _LAB_SETTINGS.items():
        target = Path(directory) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))


def skip_or_fail(reason: str) -> None:
    """In a pytest fixture: skip with ``reason``, or fail when ``REQUIRE_BROWSER=1`` (CI)."""
    import pytest

    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Path of a Chromium executable (``$CHROMIUM``, then ``chromium`` on PATH), or None."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """Stop a server this harness started, by its PID, and everything it started.

    SIGTERM first (a Jupyter server shuts its kernels down; a hub stops its proxy and the
    single-user servers), SIGKILL after ``timeout`` s; then SIGKILL to what is left of its process
    group and of its descendants, which were recorded before the SIGTERM (a hub starts the proxy
    and each single-user server in a session of its own, outside its process group). Only PIDs
    that descend from ``proc`` are touched, never processes found by name.
    """
    try:
        import psutil

        descendants = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
    except Exception:  # psutil missing, or the process already gone
        psutil, descendants = None, []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # leftovers of *our* process group only
    if psutil is not None and descendants:
        _, alive = psutil.wait_procs(descendants, timeout=5)
        for child in alive:  # psutil checks it is still the same process (PID + start time)
            with contextlib.suppress(psutil.Error):
                child.kill()
        psutil.wait_procs(alive, timeout=5)


class JupyterLab:
    """A JupyterLab server on 127.0.0.1 with a random token, serving copies of notebooks.

    Parameters
    ----------
    sources : directory or iterable of paths
        Notebooks (``.ipynb``) to copy into the server's root directory; a directory is copied
        whole (so data files next to the notebooks come along).
    workdir : Path, optional
        Where to put the root directory, settings and logs; a fresh temporary directory if None
        (removed on :meth:`stop`).
    """

    def __init__(self, sources: Path | Iterable[Path] = NOTEBOOKS_DIR, workdir: Path | None = None) -> None:
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="lecture-lab-"))
        self.root = self.workdir / "root"
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None
        self._sources = sources

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> "JupyterLab":
        """Copy the notebooks, write isolated settings, start the server and wait until it answers."""
        self._prepare()
        env = self._env()
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
               f"--port={self.port}", "--port-retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.expose_app_in_browser=True",  # lets tests read the notebook model
               "--LabApp.extension_manager=readonly",  # no PyPI look-ups
               "--ServerApp.terminals_enabled=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI run as root
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.proc.returncode}; "
                                   f"log:\n{self.log_path.read_text()[-3000:]}")
            try:
                self.api("GET", "/api/status")
                return self
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"JupyterLab did not answer on {self.base} within {timeout:.0f} s; "
                           f"see {self.log_path}")

    def stop(self) -> None:
        """Stop the server (and the kernels it started) by its PID; remove a temporary workdir."""
        if self.proc is not None:
            stop_process(self.proc)  # the server shuts its kernels down
            self._log.close()
        self.proc = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "JupyterLab":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers -----------------------------------------------------------------------------
    def url(self, notebook: str) -> str:
        """URL that opens ``notebook`` (relative to the root) in JupyterLab, in a new workspace.

        A fresh workspace each time, so JupyterLab does not restore the notebooks an earlier
        page had open (their panels would be in the DOM too, and their kernels would restart).
        """
        return f"{self.base}/lab/workspaces/w{secrets.token_hex(6)}/tree/{notebook}?token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10.0) -> object:
        """Call the server's REST API; returns the decoded JSON (or None)."""
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel (between notebooks, to free the two cores)."""
        for kernel in self.api("GET", "/api/kernels") or []:
            with contextlib.suppress(OSError):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def add_notebook(self, name: str, text: str) -> str:
        """Write a notebook (JSON text) into the root directory; returns its name."""
        (self.root / name).write_text(text, encoding="utf-8")
        return name

    def _prepare(self) -> None:
        for sub in ("home", "config", "data", "runtime", "settings", "workspaces", "mpl", "ipython"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        if isinstance(self._sources, (str, Path)) and Path(self._sources).is_dir():
            shutil.copytree(self._sources, self.root, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            self.root.mkdir(parents=True, exist_ok=True)
            for path in self._sources:  # type: ignore[union-attr]
                shutil.copy2(path, self.root / Path(path).name)
        # the kernel: this very interpreter, where lecture_utils is installed (editable)
        spec_dir = self.workdir / "data" / "kernels" / "python3"
        spec_dir.mkdir(parents=True, exist_ok=True)
        # ipykernel's own kernelspec for this interpreter (its argv is sys.executable): it declares
        # CurveZMQ support, so with jupyter-config's transport_encryption = "auto" the server starts
        # it with encrypted sockets, as students get
        from ipykernel.kernelspec import get_kernel_dict

        (spec_dir / "kernel.json").write_text(json.dumps(get_kernel_dict()))
        write_lab_settings(self.workdir / "settings")

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        w = self.workdir
        env.update(HOME=str(w / "home"), JUPYTER_CONFIG_DIR=str(w / "config"),
                   JUPYTER_DATA_DIR=str(w / "data"), JUPYTER_RUNTIME_DIR=str(w / "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(w / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(w / "workspaces"),
                   MPLCONFIGDIR=str(w / "mpl"), IPYTHONDIR=str(w / "ipython"),
                   JUPYTER_PLATFORM_DIRS="1", PYTHONDONTWRITEBYTECODE="1",
                   # the isolated data dir (with our kernelspec) wins over the venv's
                   JUPYTER_PREFER_ENV_PATH="0")
        for var in ("MPLBACKEND", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "PYTHONSTARTUP"):
            env.pop(var, None)  # nothing from the caller's environment changes what students see
        # the kernel finds the venv's scripts first (and ``python`` is this interpreter)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        return env


@contextlib.contextmanager
def chromium(executable: str | None = None, headless: bool = True) -> Iterator[object]:
    """A Playwright ``Browser`` running Debian's Chromium (never a downloaded one).

    Raises
    ------
    FileNotFoundError
        If no Chromium executable is found (install it: ``apt-get install -y chromium``).
    """
    from playwright.sync_api import sync_playwright

    executable = executable or find_chromium()
    if executable is None:
        raise FileNotFoundError("no Chromium found: install Debian's `chromium` "
                                "(apt-get install -y chromium) or set $CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=headless, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# -- what to show ------------------------------------------------------------------------------
def discover_panels() -> list[tuple[str, str]]:
    """Every concrete Panel subclass in ``lecture_utils.widgets.*`` as ``(module, class name)``.

    A class counts when it is defined in that module (not re-exported), its name does not start
    with ``_`` or ``Base``, and it can be constructed without arguments (every parameter of
    ``__init__`` has a default). Modules whose name starts with ``_`` are skipped.
    """
    import importlib
    import inspect
    import pkgutil

    import lecture_utils.widgets as pkg
    from lecture_utils.widgets._panel import Panel

    found = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if (issubclass(obj, Panel) and obj is not Panel and obj.__module__ == module.__name__
                    and not name.startswith(("_", "Base")) and not inspect.isabstract(obj)):
                params = list(inspect.signature(obj).parameters.values())
                if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                       for p in params):
                    found.append((module.__name__, name))
    return found


def panels_used_in_notebooks(directory: Path = NOTEBOOKS_DIR) -> set[str]:
    """Names the notebooks in ``directory`` import from ``lecture_utils.widgets`` (parsed with ast)."""
    import ast

    used: set[str] = set()
    for path in directory.glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", ""))
            lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
            try:
                tree = ast.parse("\n".join(lines))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lecture_utils.widgets"):
                    used.update(alias.name for alias in node.names)
    return used


def panels_notebook(panels: list[tuple[str, str]], backend: str = "widget") -> str:
    """JSON text of a notebook that shows each panel with its defaults (``%matplotlib <backend>``)."""
    import nbformat

    v4 = nbformat.v4
    cells = [v4.new_markdown_cell("# Every panel, with its defaults (generated by the browser harness)"),
             v4.new_code_cell(f"%matplotlib {backend}\nfrom lecture_utils.style import use_lecture_style\n"
                              "use_lecture_style()")]
    for module, name in panels:
        cells.append(v4.new_code_cell(f"from {module} import {name}\n{name}()"))
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    return nbformat.writes(nb)
