"""JupyterHub for the lecture series on one machine (`make hub`).

    make hub        # = .venv/bin/jupyterhub -f deploy/jupyterhub_config.py (installs the proxy first)

What it sets up (docs/deployment.md has the whole guide):

- the hub and configurable-http-proxy (``deploy/node_modules``, pinned by ``deploy/package-lock.json``)
  on **127.0.0.1** unless ``LECTURE_HUB_IP`` says otherwise (put a TLS reverse proxy in front);
- every student's single-user server runs **this project's environment** (the ``.venv`` the hub
  runs from: ``lecture_utils``, ipympl, the JupyterLab settings installed by ``make``), opens
  ``/lab``, and has nbgitpuller enabled (its server extension lives in the venv's
  ``etc/jupyter``) — the class link gives each student their own copy of the notebooks;
- idle servers are stopped by jupyterhub-idle-culler, run by the hub as a service;
- kernels talk to their server over CurveZMQ-encrypted sockets (no "without encryption" warning).

Knobs (environment variables, all optional):

=============================  ===================================================================
``LECTURE_HUB_IP``             address the proxy listens on (``127.0.0.1``; ``0.0.0.0`` = all)
``LECTURE_HUB_PORT``           its port (8000)
``LECTURE_HUB_HUB_PORT``       the hub's internal API port on 127.0.0.1 (8081)
``LECTURE_HUB_PROXY_API_PORT`` the proxy's REST API port on 127.0.0.1 (8001)
``LECTURE_HUB_STATE``          database, cookie secret and (``simple`` spawner) homes (``<repo>/.hub``)
``LECTURE_HUB_SPAWNER``        ``local`` (default: each student is a Unix user, the hub runs as
                               root) or ``simple`` (every student runs as the hub's own user, homes
                               under the state folder: for trying the hub out, never for a class)
``LECTURE_HUB_ADMINS``         comma-separated admin user names
``LECTURE_HUB_CLASS_LIST``     a file with one allowed user name per line
``LECTURE_HUB_ALLOW_ALL``      ``1``: anyone the authenticator accepts may log in
``LECTURE_HUB_CULL_TIMEOUT``   seconds without activity before a server is stopped (3600)
``LECTURE_HUB_CULL_EVERY``     seconds between the culler's checks (300)
``LECTURE_HUB_MAX_SERVERS``    most servers running at once (0 = no limit; see the sizing table)
=============================  ===================================================================

Authentication is left at JupyterHub's default (PAM: the machine's Unix accounts); set
``c.JupyterHub.authenticator_class`` below for NativeAuthenticator, LTI or OAuth (see
docs/deployment.md). Other configurations build on this file instead of copying it:

    c = get_config()
    load_subconfig("/path/to/deploy/jupyterhub_config.py")
    c.JupyterHub.authenticator_class = "native"     # ... and anything else you change

which is what the tests (``tests/hub/hub_harness.py``) do with the dummy authenticator.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

REPO = Path(__file__).resolve().parents[1]
#: the environment the hub runs from (``make hub`` uses .venv/bin/jupyterhub): the students' too
ENV_BIN = Path(sys.executable).parent
PROXY = REPO / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


STATE = Path(_env("LECTURE_HUB_STATE", str(REPO / ".hub"))).expanduser().resolve()
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)

# -- network: everything on 127.0.0.1 unless the admin opens the proxy's public port ---------
c.JupyterHub.ip = _env("LECTURE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(_env("LECTURE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_env("LECTURE_HUB_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(_env('LECTURE_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")  # not in the current folder
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the proxy and every student server

# -- who may log in ------------------------------------------------------------------------
admins = {u.strip() for u in _env("LECTURE_HUB_ADMINS", "").split(",") if u.strip()}
if admins:
    c.Authenticator.admin_users = admins
class_list = _env("LECTURE_HUB_CLASS_LIST", "")
if class_list:
    c.Authenticator.allowed_users = {line.strip() for line in Path(class_list).read_text().splitlines()
                                     if line.strip() and not line.lstrip().startswith("#")}
c.Authenticator.allow_all = _env("LECTURE_HUB_ALLOW_ALL", "0") == "1"

# -- the students' servers: this project's environment, JupyterLab, their home as the root ---
SPAWNER = _env("LECTURE_HUB_SPAWNER", "local")
if SPAWNER not in ("local", "simple"):
    raise ValueError(f"LECTURE_HUB_SPAWNER must be 'local' or 'simple', not {SPAWNER!r}")
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"  # nbgitpuller clones the course into ~/<targetpath>
c.Spawner.args = [
    "--KernelManager.transport_encryption=auto",  # CurveZMQ between server and kernel
    # kernels with no browser tab open for 30 min are shut down (their notebooks are saved):
    # a student who opened all six notebooks does not keep six kernels' memory all day
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",  # students do not install extensions
]
c.Spawner.environment = {
    # the kernel and `!pip` find this environment first; git (for nbgitpuller) is on the rest
    "PATH": os.pathsep.join([str(ENV_BIN), os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")]),
    # A graded course (nbgrader, docs/deployment.md) may add "LECTURE_UTILS_GRADED": "1" here.
}
# a class arriving at once on a small machine: ten servers starting together took 60-75 s on
# two busy cores (bench/bench_class.py, docs/deployment.md), so allow five minutes
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.JupyterHub.active_server_limit = int(_env("LECTURE_HUB_MAX_SERVERS", "0"))

if SPAWNER == "simple":
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        c.Spawner.args.append("--allow-root")
else:
    c.JupyterHub.spawner_class = "localprocess"  # each student a Unix user (the hub runs as root)

# -- idle servers are stopped by jupyterhub-idle-culler, run as a hub-managed service --------
# (the hub learns of activity from the proxy and the servers every 5 min, so a timeout much
# under 10 min stops servers of students who are still working)
CULL_TIMEOUT = int(_env("LECTURE_HUB_CULL_TIMEOUT", "3600"))
CULL_EVERY = int(_env("LECTURE_HUB_CULL_EVERY", "300"))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_TIMEOUT}",
                f"--cull-every={CULL_EVERY}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "description": "stop servers that have been idle too long",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

# -- nbgrader (docs/deployment.md, "Graded homework"): the exchange directory and the course
# service are configured in a file that loads this one, not here.
