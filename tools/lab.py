"""`make lab`: JupyterLab on your own copy of the notebooks, with the address to open shown plainly.

    python tools/lab.py [--port 8888] [--no-browser]

1. The first time, makes your copy of the notebooks (``my-course/notebooks``, see
   ``tools/student_copy.py``); later, says when the course has new material (``make update``).
2. Starts JupyterLab there on 127.0.0.1 with warnings-only logging (no screenful of start-up
   lines), kernels on CurveZMQ-encrypted sockets (so no "Kernel is running over TCP without
   encryption" warning), and no update checks.
3. Once it answers, prints the address with its token in a box of its own, and lets JupyterLab
   open the browser when there is a display.

Ctrl+C is JupyterLab's own: it asks to confirm; pressed twice, it stops at once.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import student_copy  # noqa: E402

#: what students' JupyterLab runs with, here and on the hub (deploy/jupyterhub_config.py)
SERVER_ARGS = ["--KernelManager.transport_encryption=auto",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--ServerApp.log_level=WARN", "--LabApp.log_level=WARN"]


def banner(url: str, notebooks: Path, waiting: int, colour: bool) -> str:
    """The lines printed once JupyterLab answers: the URL on a line of its own, then the how-tos."""
    bold, off = ("\033[1m", "\033[0m") if colour else ("", "")
    rule = "=" * 78
    try:
        shown = notebooks.relative_to(Path.cwd())
    except ValueError:
        shown = notebooks
    lines = ["", rule, "  JupyterLab is running. Open this address in your browser:", "",
             f"    {bold}{url}{off}", "",
             f"  Your notebooks: {shown}  (your own copy: edit freely)"]
    if waiting:
        lines.append(f"  {bold}The course has {waiting} update(s) for you: stop JupyterLab, then `make update`.{off}")
    else:
        lines.append("  New course material: `git pull`, then `make update` (your edits are kept).")
    lines += ["  Stop: Ctrl+C twice.", rule, ""]
    return "\n".join(lines)


def wait_for_server(proc: subprocess.Popen, timeout: float = 120.0) -> str:
    """The URL (with token) of the JupyterLab we started, once it answers."""
    from jupyter_core.paths import jupyter_runtime_dir

    info_file = Path(jupyter_runtime_dir()) / f"jpserver-{proc.pid}.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode} (see the lines above)")
        try:
            info = json.loads(info_file.read_text())
            base = info["url"].rstrip("/")
            req = urllib.request.Request(f"{base}/api/status",
                                         headers={"Authorization": f"token {info['token']}"})
            urllib.request.urlopen(req, timeout=5).close()
            return f"{base}/lab?token={info['token']}"
        except (OSError, ValueError, KeyError):
            time.sleep(0.3)
    raise TimeoutError(f"JupyterLab did not answer within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8888")),
                        help="first port to try (JupyterLab moves on if it is taken)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser (the default where there is no display)")
    parser.add_argument("--source", type=Path, default=student_copy.REPO,
                        help="the course repository the copy follows (default: this one)")
    args = parser.parse_args(argv)

    dest = student_copy.copy_dir()
    try:
        report = student_copy.create(args.source, dest)
    except Exception as exc:
        print(f"Could not make your copy of the notebooks in {dest}: {exc}", file=sys.stderr)
        return 1
    if report.created:
        print(report.summary(dest / student_copy.NOTEBOOKS))
    waiting = student_copy.pending(args.source, dest)

    cmd = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={args.port}",
           f"--ServerApp.root_dir={dest / student_copy.NOTEBOOKS}", *SERVER_ARGS]
    if args.no_browser or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI machines run as root
    # our own token, handed over in the environment (not on the command line, which `ps` shows):
    # JupyterLab then skips its own start-up URL block, and the box below is the one place it is
    env = dict(os.environ, JUPYTER_TOKEN=secrets.token_hex(24))
    # started in the notebooks folder: nbgrader's formgrader wants its course root under the root
    proc = subprocess.Popen(cmd, cwd=dest / student_copy.NOTEBOOKS, env=env)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches JupyterLab, which handles it
    for sig in (signal.SIGTERM, signal.SIGHUP):  # stopping us stops JupyterLab (and its kernels)
        signal.signal(sig, lambda signum, _frame: proc.send_signal(signum))
    try:
        url = wait_for_server(proc)
    except (RuntimeError, TimeoutError) as exc:
        print(exc, file=sys.stderr)
        if proc.poll() is None:
            proc.terminate()
        return proc.wait()
    print(banner(url, dest / student_copy.NOTEBOOKS, waiting, sys.stdout.isatty()), flush=True)
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
