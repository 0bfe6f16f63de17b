"""The kernel → browser leg of a key press without a browser: where do its milliseconds go?

    .venv/bin/python bench/bench_kernel_transport.py            # 40 messages of 12 KiB
    .venv/bin/python bench/bench_kernel_transport.py --messages 100 --size 0

``bench_keypress_breakdown.py`` finds ~7–10 ms between the kernel's IOPub thread sending the
figure's message and the page's WebSocket ``message`` event, against ~3 ms the other way. This
bench sends the same kind of message (a ``comm_msg`` with one binary buffer of ``--size`` bytes,
as ipympl's figure image) from a kernel of a JupyterLab server (the browser tests' throw-away
server, 127.0.0.1, random port and token) and receives it twice in this process, at once:

- **ZMQ, direct**: a ``jupyter_client`` client on the kernel's own IOPub socket (its connection
  file) — the kernel's side of the leg alone (IOPub thread, encryption, ZMQ);
- **through the server**: a WebSocket client on ``/api/kernels/<id>/channels`` with the
  ``v1.kernel.websocket.jupyter.org`` protocol, exactly as JupyterLab connects — adds the server
  (ZMQ → Tornado → WebSocket) but no browser.

The kernel stamps ``time.time()`` right before ``comm.send``; both receivers stamp the arrival on
the same clock. The difference between the WebSocket figure here and the page's figure in
``bench_keypress_breakdown.py`` is the browser's share (its main thread and network stack).
Prints medians; never fails on time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _jupyter import JupyterLab  # noqa: E402

SENDER = r'''
import time as _t
from comm import create_comm as _cc
_c = _cc(target_name="lecture-transport-bench", data={{}})
_buf = b"\0" * {size}
for _i in range({n}):
    _t.sleep({gap})
    _c.send({{"i": _i, "t": _t.time() * 1e3}}, buffers=[_buf] if _buf else None)
'''


def _zmq_receiver(client, out: dict, done: threading.Event) -> None:
    while not done.is_set():
        try:
            msg = client.get_iopub_msg(timeout=0.2)
        except Exception:  # queue.Empty
            continue
        now = time.time() * 1e3
        if msg["header"]["msg_type"] == "comm_msg" and "t" in msg["content"].get("data", {}):
            d = msg["content"]["data"]
            out[d["i"]] = now - d["t"]


async def _ws_receiver(url: str, out: dict, done: threading.Event, ready: threading.Event) -> None:
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(url, subprotocols=["v1.kernel.websocket.jupyter.org"])
    ready.set()
    while not done.is_set():
        try:
            raw = await asyncio.wait_for(ws.read_message(), 0.2)
        except asyncio.TimeoutError:
            continue
        now = time.time() * 1e3
        if raw is None:
            break
        if isinstance(raw, str):
            continue
        channel, parts = deserialize_msg_from_ws_v1(raw)
        if channel != "iopub":
            continue
        header = json.loads(parts[0])
        if header.get("msg_type") == "comm_msg":
            d = json.loads(parts[3]).get("data", {})
            if "t" in d:
                out[d["i"]] = now - d["t"]
    ws.close()


def run(n: int, size: int, gap: float) -> dict:
    from jupyter_client import BlockingKernelClient

    with JupyterLab([]) as lab:
        kernel = lab.api("POST", "/api/kernels")
        kid = kernel["id"]
        conn = lab.workdir / "runtime" / f"kernel-{kid}.json"
        deadline = time.monotonic() + 30
        while not conn.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        info = json.loads(conn.read_text())
        encrypted = any("curve" in k.lower() or "encrypt" in k.lower() for k in info)
        client = BlockingKernelClient()
        client.load_connection_file(str(conn))
        client.start_channels()
        client.wait_for_ready(timeout=60)
        zmq_out: dict = {}
        ws_out: dict = {}
        done, ready = threading.Event(), threading.Event()
        url = f"ws://127.0.0.1:{lab.port}/api/kernels/{kid}/channels?token={lab.token}"
        ws_thread = threading.Thread(target=lambda: asyncio.run(_ws_receiver(url, ws_out, done, ready)),
                                     daemon=True)
        ws_thread.start()
        ready.wait(20)
        zmq_thread = threading.Thread(target=_zmq_receiver, args=(client, zmq_out, done), daemon=True)
        zmq_thread.start()
        time.sleep(1.0)  # both subscriptions established
        client.execute(SENDER.format(n=n, size=size, gap=gap), reply=True, timeout=n * gap + 60)
        time.sleep(0.5)
        done.set()
        ws_thread.join(5)
        zmq_thread.join(5)
        client.stop_channels()
        lab.shutdown_kernels()
    return {"zmq": [zmq_out[i] for i in sorted(zmq_out)], "ws": [ws_out[i] for i in sorted(ws_out)],
            "size": size, "n": n, "encrypted": encrypted}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=40)
    ap.add_argument("--size", type=int, default=12 * 1024, help="bytes of the binary buffer (12 KiB: a figure diff)")
    ap.add_argument("--gap", type=float, default=0.25, help="seconds between messages (an idle kernel, as between key presses)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    print(f"kernel → receiver transport; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    r = run(args.messages, args.size, args.gap)
    med = lambda v: statistics.median(v) if v else float("nan")  # noqa: E731
    p95 = lambda v: sorted(v)[int(0.95 * (len(v) - 1))] if v else float("nan")  # noqa: E731
    print(f"comm_msg with a {args.size / 1024:.0f} KiB buffer, {args.messages} messages {args.gap * 1e3:.0f} ms apart; "
          f"encrypted sockets (CurveZMQ keys in the connection file): {r['encrypted']}")
    print(f"{'kernel comm.send → received':<52}{'median':>8}{'p95':>8}{'n':>5}")
    print(f"{'  ZMQ, direct (kernel side alone)':<52}{med(r['zmq']):8.2f}{p95(r['zmq']):8.2f}{len(r['zmq']):5d}")
    print(f"{'  through the server (WebSocket, v1 protocol)':<52}{med(r['ws']):8.2f}{p95(r['ws']):8.2f}{len(r['ws']):5d}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
