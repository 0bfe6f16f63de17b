"""A class on one machine: spawn time, memory per student, key press → figure as the class grows.

    .venv/bin/python bench/bench_class.py                       # 1, 5, 10, 20, 30 students
    .venv/bin/python bench/bench_class.py --sizes 1 5 10 --active-share 0.5 --json test-artifacts/class.json

The hub is the one the tests use (``tests/hub/hub_harness.py``: the shipped
``deploy/jupyterhub_config.py``, every student a single-user server of this project's environment).
At each class size N:

- **spawn**: the new students' servers are started at once through the REST API (as when a class
  arrives); the time until the hub reports each ready;
- **copy + notebook**: each new student's copy is made by nbgitpuller (its REST endpoint) and
  notebook 01 is run in a kernel of their own server, over the server's WebSocket, cell by cell —
  so every student has the notebook's kernel alive with its panels;
- **memory**: RSS and USS (memory unique to the process) of each student's single-user server +
  kernel (psutil);
- **latency**: a share of the class (``--active-share``, default 25 %) presses slider keys at the
  same time. One of them is a real student in Chromium (JupyterLab, the first panel of notebook 01,
  the ActivationExplorer), measured in the page like ``bench_browser_latency.py``: key press → first
  frame whose pixels differ. The others are *headless* students: a WebSocket client that speaks the
  widget protocol as the browser does (a slider ``update`` message, then waits for the ipympl image of
  the figure), pressing with ``--think`` seconds between a figure and the next press. Their
  browsers would run on their own laptops, so only servers and kernels load this machine — which
  is what a hub would see. Round trips of the headless students are reported too, and the CPU the
  active students' servers + kernels used per key press.

Then a sizing table: students per core and GB per 100 students at which the measured student's
latency stays under 100 ms, and (``--panels``) the Python cost per update of every panel, which
sets how many pressing students a core can serve.

Latency figures depend on everything else the machine runs: the load average is printed with
every step; memory figures do not depend on load. Never fails on time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "hub"))
sys.path.insert(0, str(HERE))
from _jupyter import NOTEBOOKS_DIR, chromium, find_chromium, lab_page  # noqa: E402
from hub_harness import Hub, make_course_repo, unavailable  # noqa: E402

NOTEBOOK = "01_nonlinearity.ipynb"
TARGET_MS = 100.0
SLIDERS = ("FloatSliderModel", "IntSliderModel")


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def pct(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


# -- a headless student: the widget protocol over the server's kernel WebSocket -----------------
class HeadlessStudent:
    """A student whose browser is elsewhere: runs notebook 01 in their own kernel and presses a slider."""

    def __init__(self, hub: Hub, name: str, token: str) -> None:
        self.hub, self.name, self.token = hub, name, token
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}   # comm id -> widget state
        self.views: list[str] = []          # model ids of displayed widgets, in order
        self.replies: dict[str, asyncio.Future] = {}
        self.image: asyncio.Future | None = None
        self.slider = self.canvas = None
        self.rtts: list[float] = []
        self.presses = 0

    async def open(self, cells: list[str]) -> float:
        """Start a kernel for notebook 01 in the student's server, run its cells, connect the figure."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        t0 = time.monotonic()
        status, raw = await asyncio.to_thread(
            self.hub.request, "POST", f"/user/{self.name}/api/sessions",
            {"path": f"course/notebooks/{NOTEBOOK}", "type": "notebook", "name": NOTEBOOK,
             "kernel": {"name": "python3"}}, self.token)
        if status >= 300:
            raise RuntimeError(f"{self.name}: no kernel: HTTP {status} {raw[:200]!r}")
        kernel = json.loads(raw)["kernel"]["id"]
        url = (self.hub.base.replace("http", "ws") + f"/user/{self.name}/api/kernels/{kernel}/channels"
               f"?session_id={self.session}")
        self.ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"}),
                                          max_message_size=64 * 2**20)
        self.reader = asyncio.ensure_future(self._read())
        for source in cells:
            await self._execute(source)
        self._find_panel()
        for kind in ("send_image_mode", "refresh", "initialized"):  # what ipympl's view sends
            await self._custom(self.canvas, {"type": kind})
        await asyncio.sleep(0.5)
        return time.monotonic() - t0

    def _find_panel(self) -> None:
        """The first panel's first slider and its figure (walking the widget tree of the view)."""
        for view in self.views:
            state = self.models.get(view, {})
            if not any(c.startswith("lecture-panel") for c in state.get("_dom_classes", [])):
                continue
            found = []

            def walk(mid: str) -> None:
                st = self.models.get(mid, {})
                found.append((mid, st.get("_model_name")))
                for child in st.get("children", []):
                    walk(child.replace("IPY_MODEL_", ""))

            walk(view)
            self.slider = next(m for m, kind in found if kind in SLIDERS)
            self.canvas = next(m for m, kind in found if kind == "MPLCanvasModel")
            st = self.models[self.slider]
            self.values = [st["value"], min(st["max"], st["value"] + st["step"])]
            if self.values[1] == self.values[0]:
                self.values[1] = st["value"] - st["step"]
            return
        raise RuntimeError(f"{self.name}: no panel found in {NOTEBOOK}")

    def _message(self, msg_type: str, content: dict, channel: str = "shell") -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": self.name,
                           "session": self.session, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
                "buffers": []}

    async def _execute(self, source: str, timeout: float = 300.0) -> None:
        msg = self._message("execute_request", {"code": source, "silent": False, "store_history": True,
                                                "allow_stdin": False, "stop_on_error": False})
        done = self.replies[msg["header"]["msg_id"]] = asyncio.get_running_loop().create_future()
        await self.ws.write_message(json.dumps(msg))
        await asyncio.wait_for(done, timeout)

    async def _custom(self, comm: str, content: dict) -> None:
        await self.ws.write_message(json.dumps(self._message(
            "comm_msg", {"comm_id": comm, "data": {"method": "custom", "content": content}})))

    async def _read(self) -> None:
        from jupyter_server.services.kernels.connection.base import deserialize_binary_message

        while True:
            raw = await self.ws.read_message()
            if raw is None:
                return
            msg = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
            kind, content = msg["msg_type"], msg["content"]
            if kind == "execute_reply":
                fut = self.replies.pop(msg["parent_header"].get("msg_id"), None)
                if fut and not fut.done():
                    fut.set_result(content)
            elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = dict(content["data"].get("state", {}))
            elif kind == "comm_msg":
                data, comm = content.get("data", {}), content.get("comm_id")
                if data.get("method") == "update" and comm in self.models:
                    self.models[comm].update(data.get("state", {}))
                elif comm == self.canvas and data.get("method") == "custom":
                    inner = json.loads(data["content"].get("data", "{}"))
                    if inner.get("type") == "binary" and self.image is not None and not self.image.done():
                        self.image.set_result(time.perf_counter())
                    elif inner.get("type") == "draw":  # ipympl asks the view to request a draw
                        asyncio.ensure_future(self._custom(self.canvas, {"type": "draw"}))
            elif kind in ("display_data", "execute_result"):
                view = content.get("data", {}).get("application/vnd.jupyter.widget-view+json")
                if view:
                    self.views.append(view["model_id"])

    async def press(self, timeout: float = 10.0) -> float | None:
        """Move the slider one step (as a key press does); ms until the new image arrives."""
        self.presses += 1
        value = self.values[self.presses % 2]
        self.image = asyncio.get_running_loop().create_future()
        msg = self._message("comm_msg", {"comm_id": self.slider, "data": {
            "method": "update", "state": {"value": value}, "buffer_paths": []}})
        t0 = time.perf_counter()
        await self.ws.write_message(json.dumps(msg))
        try:
            t1 = await asyncio.wait_for(self.image, timeout)
        except asyncio.TimeoutError:
            return None
        return (t1 - t0) * 1e3

    async def press_until(self, stop: asyncio.Event, think: float) -> None:
        while not stop.is_set():
            ms = await self.press()
            if ms is not None:
                self.rtts.append(ms)
            await asyncio.sleep(think)


class Loop:
    """An asyncio loop in a thread of its own (Playwright's sync API owns the main thread)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


# -- the measured student in Chromium ------------------------------------------------------------
class BrowserStudent:
    def __init__(self, browser, hub: Hub, name: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(120_000)
        hub.login(self.context, name)
        lab_page.open_notebook(self.page, f"{hub.base}/user/{name}/lab/tree/course/notebooks/{NOTEBOOK}",
                               timeout=180)
        run = lab_page.restart_and_run_all(self.page)
        if run.problems:
            print("  ! browser student:", run.problems[0].split("\n")[0])
        self.panel = self.page.locator(lab_page.PANEL_SELECTOR).first
        self.panel.scroll_into_view_if_needed()
        self.handle = self.panel.locator(".noUi-handle").first
        lab_page.press_and_measure(self.page, self.panel, self.handle, "ArrowRight", 20)  # warm-up
        lab_page.wait_quiet(self.page, 0.3)

    def measure(self, presses: int) -> tuple[list[float], int]:
        times, missed = [], 0
        for i in range(presses):
            below, above = lab_page.slider_room(self.handle)
            key = ("ArrowLeft", "ArrowRight")[i % 2] if below > 0 and above > 0 else \
                ("ArrowRight" if above > 0 else "ArrowLeft")
            ms = lab_page.press_and_measure(self.page, self.panel, self.handle, key, 10.0)
            lab_page.wait_quiet(self.page, 0.15)
            if ms is None:
                missed += 1
            else:
                times.append(ms)
        return times, missed

    def close(self) -> None:
        self.context.close()


# -- measuring ------------------------------------------------------------------------------------
def memory(hub: Hub, names: list[str]) -> list[dict]:
    out = []
    for name in names:
        procs = hub.server_processes(name)
        rss = uss = 0
        for p in procs:
            try:
                info = p.memory_full_info()
                rss, uss = rss + info.rss, uss + info.uss
            except psutil.Error:
                pass
        try:
            server = procs[0].memory_info().rss / 2**20 if procs else 0.0
        except psutil.Error:
            server = 0.0
        out.append({"name": name, "processes": len(procs), "rss_mb": rss / 2**20, "uss_mb": uss / 2**20,
                    "server_rss_mb": server})
    return out


def cpu_seconds(hub: Hub, names: list[str]) -> tuple[float, float]:
    """CPU seconds used so far by the students' single-user servers, and by their kernels."""
    server = kernels = 0.0
    for name in names:
        for i, p in enumerate(hub.server_processes(name)):
            try:
                t = p.cpu_times()
            except psutil.Error:
                continue
            if i == 0:
                server += t.user + t.system
            else:
                kernels += t.user + t.system
    return server, kernels


def panel_costs(match: str = "") -> list[dict]:
    """CPU time per update of every panel (Agg draw, 40 updates), in a process of its own.

    Process CPU time, not wall time: the figure a class shares between its students, and one that
    other programs on the machine barely change.
    """
    code = ("import json, sys, time; sys.path.insert(0, %r)\n"
            "import bench_panels_python as b, numpy as np, importlib\n"
            "out = []\n"
            "for m, n in b.discover_panels():\n"
            "    if %r.lower() not in n.lower(): continue\n"
            "    panel = getattr(importlib.import_module(m), n)()\n"
            "    controls = b._drivable(panel)\n"
            "    if not controls: panel.close(); continue\n"
            "    def cost(cs, n=45):\n"
            "        st, t = {}, []\n"
            "        for i in range(n):\n"
            "            c = cs[i %% len(cs)]; v = b._next_value(c, st)\n"
            "            t0 = time.process_time(); c.value = v; t.append(time.process_time() - t0)\n"
            "        return float(np.median(t[5:]) * 1e3)\n"
            "    sliders = [c for c in controls if hasattr(c, 'step')]\n"
            "    out.append({'panel': n, 'median_ms': cost(controls),\n"
            "                'first_slider_ms': cost(sliders[:1]) if sliders else None}); panel.close()\n"
            "print(json.dumps(out))") % (str(HERE), match)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900,
                         env=dict(os.environ, MPLBACKEND="Agg"))
    if res.returncode:
        print("  ! panel costs failed:", res.stderr[-500:])
        return []
    return sorted(json.loads(res.stdout.strip().splitlines()[-1]), key=lambda r: -r["median_ms"])


def notebook_cells() -> list[str]:
    import nbformat

    nb = nbformat.read(NOTEBOOKS_DIR / NOTEBOOK, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def run(args: argparse.Namespace) -> dict:
    results: dict = {"steps": [], "load_start": os.getloadavg(), "cpus": os.cpu_count(),
                     "active_share": args.active_share, "think_s": args.think}
    print(f"class benchmark on {os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.0f} GB; "
          f"{load()}; sizes {args.sizes}, active share {args.active_share:.0%}, think {args.think} s")
    if args.panels:
        t0 = time.monotonic()
        results["panels"] = panel_costs()
        print(f"panel costs measured in {time.monotonic() - t0:.0f} s ({load()})")
    cells = notebook_cells()
    workdir = Path(tempfile.mkdtemp(prefix="bench-class-"))
    course = make_course_repo(workdir / "nn-lecture", [NOTEBOOKS_DIR / NOTEBOOK])
    loop = Loop()
    with Hub(workdir / "hub") as hub, chromium(find_chromium()) as browser:
        students: list[HeadlessStudent] = []
        observer = "s00"
        hub.prepare_home(observer)
        hub.add_user(observer)
        spawn0 = hub.start_server(observer)
        hub.pull_api(observer, hub.user_token(observer), course)
        t0 = time.monotonic()
        seen = BrowserStudent(browser, hub, observer)
        print(f"measured student (Chromium) ready: spawn {spawn0:.1f} s, notebook run in "
              f"{time.monotonic() - t0:.1f} s")
        count = 1
        for size in args.sizes:
            new = [f"s{i:02d}" for i in range(count, size)]
            need_mb = len(new) * args.mb_per_student
            avail = psutil.virtual_memory().available / 2**20
            if need_mb + args.reserve_mb > avail:
                print(f"stopping before {size} students: {avail:.0f} MB available, {need_mb:.0f} MB "
                      f"needed + {args.reserve_mb} MB kept free")
                break
            step = {"students": size, "new": len(new), "load_before": os.getloadavg()}
            # spawn: all new servers at once
            t_spawn = time.monotonic()
            for name in new:
                hub.add_user(name)
                hub.request("POST", f"/hub/api/users/{name}/server")
            spawn = [hub.wait_ready(name, 600, t_spawn) for name in new]
            step["spawn_s"] = spawn
            # copy + notebook, all new students at once
            t_open = time.monotonic()
            tokens = {name: hub.user_token(name) for name in new}

            async def arrive(name: str) -> tuple[HeadlessStudent, float]:
                await asyncio.to_thread(hub.pull_api, name, tokens[name], course)
                s = HeadlessStudent(hub, name, tokens[name])
                return s, await s.open(cells)

            async def everyone():
                return await asyncio.gather(*(arrive(n) for n in new))

            arrived = loop.run(everyone()) if new else []
            students += [s for s, _ in arrived]
            step["open_s"] = [dt for _, dt in arrived]
            step["arrival_s"] = time.monotonic() - t_spawn
            count = size
            time.sleep(args.settle)
            mem = memory(hub, [observer] + [s.name for s in students])
            step["memory"] = mem
            # latency with a share of the class pressing keys
            n_active = max(1, round(args.active_share * size))
            active = students[:n_active - 1]
            stop = asyncio.Event()
            for s in active:
                s.rtts = []
            cpu0 = cpu_seconds(hub, [s.name for s in active])
            presses0 = sum(s.presses for s in active)
            futures = [asyncio.run_coroutine_threadsafe(s.press_until(stop, args.think), loop.loop)
                       for s in active]
            time.sleep(1.0 if active else 0)
            step["load_during"] = os.getloadavg()
            t_lat = time.monotonic()
            times, missed = seen.measure(args.presses)
            window = time.monotonic() - t_lat
            loop.loop.call_soon_threadsafe(stop.set)
            for f in futures:
                f.result(30)
            cpu1 = cpu_seconds(hub, [s.name for s in active])
            cpu_server, cpu_kernel = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
            cpu = cpu_server + cpu_kernel
            presses = sum(s.presses for s in active) - presses0
            rtts = [ms for s in active for ms in s.rtts]
            step.update(active=n_active, browser_ms=times, browser_missed=missed, headless_ms=rtts,
                        headless_presses_per_s=presses / window if window else 0,
                        cpu_ms_per_press=(cpu / presses * 1e3) if presses else None,
                        kernel_cpu_ms_per_press=(cpu_kernel / presses * 1e3) if presses else None,
                        load_after=os.getloadavg())
            results["steps"].append(step)
            print(format_step(step), flush=True)
        seen.close()
    loop.stop()
    shutil.rmtree(workdir, ignore_errors=True)  # the students' homes and the course
    results["load_end"] = os.getloadavg()
    return results


def format_step(s: dict) -> str:
    rss = [m["rss_mb"] for m in s["memory"]]
    uss = [m["uss_mb"] for m in s["memory"]]
    f = lambda v: "  n/a" if v is None else f"{v:5.0f}"  # noqa: E731
    spawn = f"spawn med {statistics.median(s['spawn_s']):4.1f} max {max(s['spawn_s']):4.1f} s" if s["spawn_s"] else "spawn      —       "
    cpu = s.get("cpu_ms_per_press")
    return (f"{s['students']:>3} students ({s['active']:>2} pressing): {spawn}; per student RSS "
            f"{statistics.median(rss):4.0f} MB, USS {statistics.median(uss):4.0f} MB; browser key→figure "
            f"median {f(pct(s['browser_ms'], 50))} p95 {f(pct(s['browser_ms'], 95))} ms"
            f"{' (' + str(s['browser_missed']) + ' missed)' if s['browser_missed'] else ''}; headless "
            f"round trip median {f(pct(s['headless_ms'], 50))} p95 {f(pct(s['headless_ms'], 95))} ms, "
            f"{s['headless_presses_per_s']:.1f} presses/s, CPU {f(cpu)} ms/press; "
            f"load {s['load_during'][0]:.2f}")


def sizing(results: dict) -> str:
    """The table for docs/deployment.md: memory, and the largest class meeting the latency target."""
    cpus = results["cpus"]
    lines = ["| students | pressing | spawn median / max (s) | server + kernel RSS / USS per student (MB) | "
             "browser key → figure median / p95 (ms) | headless round trip median / p95 (ms) | load |",
             "|---:|---:|---|---|---|---|---|"]
    ok_median = ok_p95 = 0
    for s in results["steps"]:
        rss = statistics.median(m["rss_mb"] for m in s["memory"])
        uss = statistics.median(m["uss_mb"] for m in s["memory"])
        med, p95 = pct(s["browser_ms"], 50), pct(s["browser_ms"], 95)
        hm, hp = pct(s["headless_ms"], 50), pct(s["headless_ms"], 95)
        sp = (f"{statistics.median(s['spawn_s']):.1f} / {max(s['spawn_s']):.1f}" if s["spawn_s"] else "—")
        lines.append(f"| {s['students']} | {s['active']} | {sp} | {rss:.0f} / {uss:.0f} | {med:.0f} / {p95:.0f} | "
                     + (f"{hm:.0f} / {hp:.0f}" if hm is not None else "—") + f" | {s['load_during'][0]:.1f} |")
        if med is not None and med <= TARGET_MS:
            ok_median = max(ok_median, s["students"])
        if p95 is not None and p95 <= TARGET_MS:
            ok_p95 = max(ok_p95, s["students"])
    last = results["steps"][-1]
    rss = statistics.median(m["rss_mb"] for m in last["memory"])
    uss = statistics.median(m["uss_mb"] for m in last["memory"])
    lines += ["", f"- largest class measured with the measured student's median ≤ {TARGET_MS:.0f} ms: "
              f"**{ok_median}** ({ok_median / cpus:.1f} students per core); p95 ≤ {TARGET_MS:.0f} ms: "
              f"**{ok_p95}** ({ok_p95 / cpus:.1f} per core) — with {results['active_share']:.0%} of the "
              "class pressing keys at the same time",
              f"- memory per 100 students: {rss * 100 / 1024:.1f} GB RSS (every process's own count, "
              f"shared libraries included: what a per-student container limit sees), {uss * 100 / 1024:.1f} GB "
              "USS (what each extra student adds on one machine)"]
    server = statistics.median(m["server_rss_mb"] for m in last["memory"])
    lines.append(f"- of which the single-user server {server:.0f} MB RSS, the notebook's kernel "
                 f"{rss - server:.0f} MB (each further notebook open adds about one kernel)")
    cpu = [s["cpu_ms_per_press"] for s in results["steps"] if s.get("cpu_ms_per_press")]
    rates = [s["headless_presses_per_s"] / (s["active"] - 1) for s in results["steps"] if s["active"] > 1]
    if cpu:
        per_press = statistics.median(cpu)
        rate = statistics.median(rates) if rates else 3.0
        # a core kept at most half busy by key presses keeps queueing delay small (M/D/1: a 50 %
        # busy server adds half a service time on average)
        per_core = 0.5 * 1000 / (per_press * rate * results["active_share"])
        lines.append(f"- CPU per key press (server + kernel of the pressing students, process CPU "
                     f"time, robust to load): {per_press:.0f} ms, of which the kernel "
                     f"{statistics.median(s['kernel_cpu_ms_per_press'] for s in results['steps'] if s.get('kernel_cpu_ms_per_press')):.0f} ms; a pressing student sent "
                     f"{rate:.1f} presses/s; so a core half busy with key presses serves "
                     f"**{per_core:.0f} students** at {results['active_share']:.0%} pressing "
                     f"(derived, not measured: {1000 / per_press:.0f} presses/s per core)")
    if results.get("panels") and cpu:
        # a key press on the hub costs the panel's own update plus a fixed part (widget messages,
        # ipympl's PNG, the server's WebSocket): the fixed part is what the measured press cost
        # beyond the measured panel's slider update
        measured = next((p for p in results["panels"] if p["panel"] == "ActivationExplorer"), None)
        fixed = max(0.0, per_press - (measured or {}).get("first_slider_ms", 0.0))
        lines += ["", f"Per panel (CPU time per update in a process of its own; the hub adds about "
                  f"{fixed:.0f} ms per key press for messages and the image; students per core: "
                  f"{results['active_share']:.0%} pressing at {rate:.1f} presses/s, core at most half busy):", "",
                  "| panel | all controls in turn (ms) | first slider (ms) | per key press on the hub, first slider (ms) | students per core |",
                  "|---|---:|---:|---:|---:|"]
        for p in sorted(results["panels"], key=lambda p: -(p.get("first_slider_ms") or p["median_ms"])):
            slider = p.get("first_slider_ms")
            press = (slider if slider is not None else p["median_ms"]) + fixed
            per_core = 0.5 * 1000 / (press * rate * results["active_share"])
            lines.append(f"| {p['panel']} | {p['median_ms']:.1f} | "
                         f"{'—' if slider is None else f'{slider:.1f}'} | {press:.0f} | {per_core:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10, 20, 30])
    parser.add_argument("--active-share", type=float, default=0.25,
                        help="share of the class pressing keys at the same time (default 0.25)")
    parser.add_argument("--think", type=float, default=0.2,
                        help="seconds a headless student waits between a figure and the next press")
    parser.add_argument("--presses", type=int, default=30, help="key presses measured in Chromium per step")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds of quiet before measuring")
    parser.add_argument("--mb-per-student", type=float, default=400.0,
                        help="memory to expect per new student (a step that would not fit is skipped)")
    parser.add_argument("--reserve-mb", type=float, default=4096.0, help="memory always left free")
    parser.add_argument("--no-panels", dest="panels", action="store_false",
                        help="skip the per-panel Python cost table")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--report", type=Path, metavar="JSON",
                        help="print the sizing tables of an earlier run's --json (no hub started); "
                             "with the panel costs measured again if that run has none")
    args = parser.parse_args(argv)
    if args.report:
        results = json.loads(args.report.read_text())
        if args.panels and not any("first_slider_ms" in p for p in results.get("panels", [])):
            print(f"measuring the panel costs again ({load()})")
            results["panels"] = panel_costs()
            args.report.write_text(json.dumps(results, indent=1))
        print(sizing(results))
        return 0
    reason = unavailable() or (None if find_chromium() else "no Chromium found (apt-get install chromium)")
    if reason:
        print(f"cannot run the class benchmark: {reason}")
        return 1
    if sorted(args.sizes) != args.sizes or args.sizes[0] < 1:
        parser.error("--sizes must be increasing and start at 1 or more")
    results = run(args)
    print(f"\n{load()} at the end\n")
    print(sizing(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
