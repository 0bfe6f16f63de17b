"""TrainingLoop: budgets, stop, errors, widgets — and, in a real ipykernel, that a Stop click
sent as a widget comm message is handled while the loop runs (the reason it exists)."""

from __future__ import annotations

import asyncio
import time

import pytest

from lecture_utils.widgets._training_loop import LoopStats, TrainingLoop


def _counter():
    c = {"steps": 0, "draws": 0}

    def step():
        c["steps"] += 1

    def redraw():
        c["draws"] += 1

    return c, step, redraw


def test_max_steps_and_final_redraw():
    c, step, redraw = _counter()
    loop = TrainingLoop(step, redraw, max_steps=50, min_redraw_interval=0.0)
    stats = loop.run_blocking()
    assert stats.reason == "max_steps" and stats.steps == 50 == c["steps"]
    assert stats.redraws == c["draws"] >= 1 and loop.progress.value == 100
    assert not loop.running and not loop.train_button.disabled and loop.stop_button.disabled
    assert "finished" in loop.status.value and "50 steps" in loop.status.value


def test_step_fn_returning_true_ends_the_run():
    c = {"n": 0}

    def step():
        c["n"] += 1
        return c["n"] >= 7

    stats = TrainingLoop(step, lambda: None).run_blocking()
    assert stats.reason == "done" and stats.steps == 7


def test_steps_per_redraw_paces_frames():
    c, step, redraw = _counter()
    stats = TrainingLoop(step, redraw, max_steps=12, steps_per_redraw=3, min_redraw_interval=0.0).run_blocking()
    assert stats.redraws == 4 + 1  # one per 3 steps, and the final state


def test_time_budget_and_redraw_interval():
    c, step, redraw = _counter()
    stats = TrainingLoop(lambda: time.sleep(0.001), redraw, time_budget=0.3, min_redraw_interval=0.05).run_blocking()
    assert stats.reason == "time_budget" and stats.elapsed >= 0.3
    gaps = [b - a for a, b in zip(stats.redraw_times, stats.redraw_times[1:-1])]
    assert all(g >= 0.05 - 1e-3 for g in gaps)  # never more often than the interval


def test_stop_from_inside_and_errors_are_reported_not_raised():
    holder = {}
    def step():
        holder["loop"].stop()
    loop = holder["loop"] = TrainingLoop(step, lambda: None)
    assert loop.run_blocking().reason == "stopped"

    def bad():
        raise FloatingPointError("loss is NaN")
    finished = []
    loop = TrainingLoop(bad, lambda: None, on_finish=finished.append)
    stats = loop.run_blocking()
    assert stats.reason == "error" and isinstance(stats.error, FloatingPointError)
    assert "loss is NaN" in loop.status.value and finished == [stats] and not loop.running


def test_bad_arguments():
    with pytest.raises(TypeError, match="step_fn"):
        TrainingLoop(None, lambda: None)
    with pytest.raises(ValueError, match="max_steps"):
        TrainingLoop(lambda: None, lambda: None, max_steps=0)


def test_start_without_event_loop_runs_blocking_and_with_one_schedules_a_task():
    c, step, redraw = _counter()
    loop = TrainingLoop(step, redraw, max_steps=5)
    assert isinstance(loop.start(), LoopStats) and c["steps"] == 5

    async def main():
        loop = TrainingLoop(step, redraw, max_steps=10_000_000, min_redraw_interval=0.01, yield_seconds=0.001)
        task = loop.start()
        assert isinstance(task, asyncio.Task) and loop.running
        assert loop.start() is None  # ignored while running
        await asyncio.sleep(0.1)     # the loop runs in the background, yielding to us
        loop.stop_button.click()     # what a Stop click does
        await task
        return loop.stats

    stats = asyncio.run(main())
    assert stats.reason == "stopped" and stats.steps > 0


def test_stop_click_is_handled_while_running_in_a_real_kernel():
    jc = pytest.importorskip("jupyter_client.manager")
    km, kc = jc.start_new_kernel(kernel_name="python3")
    try:
        def run(code):
            msg_id = kc.execute(code)
            out = []
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    raise AssertionError(msg["content"]["evalue"])
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return "".join(out).strip()

        comm_id = run(
            "import time\n"
            "from lecture_utils.widgets._training_loop import TrainingLoop\n"
            "def step():\n"
            "    t = time.perf_counter()\n"
            "    while time.perf_counter() - t < 0.01: pass\n"
            "loop = TrainingLoop(step, lambda: None, time_budget=60)\n"
            "task = loop.start()\n"
            "print(loop.stop_button.model_id)")
        time.sleep(0.5)
        assert run("print(loop.running)") == "True"   # the kernel answered while the loop runs
        msg = kc.session.msg("comm_msg", {"comm_id": comm_id,
                                          "data": {"method": "custom", "content": {"event": "click"}}})
        kc.shell_channel.send(msg)                     # exactly what the browser sends on a click
        for _ in range(500):
            if run("print(loop.running)") == "False":
                break
            time.sleep(0.02)
        assert run("print(loop.stats.reason, loop.stats.steps > 0)") == "stopped True"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
