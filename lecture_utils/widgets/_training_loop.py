"""A reusable Train / Stop loop for panels that train something and redraw as they go.

Introduced in 04_theorem_and_depth (the Fit button); any panel can reuse it.

Why not a plain ``for`` loop in the button's callback? While Python code runs in the kernel,
the kernel does not read the messages the browser sends — so a Stop click would wait until
training ended. :class:`TrainingLoop` instead runs as an ``asyncio`` task on the kernel's own
event loop (ipykernel runs one), doing a chunk of work, redrawing, then ``await``-ing before the
next chunk. Each ``await`` hands control back to the kernel, which then handles waiting widget
messages (the Stop click). No thread is used, so matplotlib and the widgets are only ever
touched from the kernel's main thread. Outside a running event loop (a script, a test, a
benchmark) :meth:`TrainingLoop.run_blocking` runs the very same frames synchronously.

Usage::

    loop = TrainingLoop(step_fn=lambda: train_some_steps(),     # return True when finished
                        redraw_fn=lambda: update_artists_and_draw(),
                        max_steps=400, min_redraw_interval=0.05)
    display(widgets.VBox([loop.widget, fig.canvas]))     # Train, Stop, progress bar, status
    # tests / benchmarks:
    stats = loop.run_blocking()
    stats.redraws, stats.elapsed, stats.reason
"""

from __future__ import annotations

import asyncio
import html
import time
from dataclasses import dataclass, field
from typing import Callable

import ipywidgets as widgets

__all__ = ["TrainingLoop", "LoopStats"]


@dataclass
class LoopStats:
    """What one run did: ``steps`` (calls of step_fn), ``redraws``, wall time ``elapsed`` (s),
    ``redraw_times`` (seconds since the start of each redraw), and why it ended: ``reason``
    is "done" (step_fn returned True), "stopped" (stop()), "max_steps", "time_budget" or
    "error" (step_fn or redraw_fn raised; the exception is in ``error``)."""

    steps: int = 0
    redraws: int = 0
    elapsed: float = 0.0
    redraw_times: list[float] = field(default_factory=list)
    reason: str = ""
    error: BaseException | None = None

    @property
    def redraw_rate(self) -> float:
        """Redraws per second over the run (0 for a run shorter than one redraw)."""
        return self.redraws / self.elapsed if self.elapsed > 0 else 0.0


class TrainingLoop:
    """Train / Stop buttons, a progress bar and a loop that never blocks the kernel.

    Parameters
    ----------
    step_fn : callable () -> bool or None
        One chunk of work (e.g. ten optimiser steps). Return True to finish the run.
    redraw_fn : callable () -> None
        Move the artists to the current state and draw the canvas.
    max_steps : int, optional
        End the run after this many calls of ``step_fn``.
    time_budget : float, optional
        End the run after this many seconds.
    min_redraw_interval : float
        At most one redraw per this many seconds (0.05 s → ≤ 20 frames/s, a rate the browser
        keeps up with).
    steps_per_redraw : int, optional
        At most this many ``step_fn`` calls per frame; the loop then waits for the next frame
        (pacing an animation). None: as many as fit in ``min_redraw_interval``.
    progress_fn : callable () -> float, optional
        Fraction done in [0, 1] for the progress bar; default steps / max_steps (or elapsed /
        time_budget).
    on_finish : callable (LoopStats) -> None, optional
        Called once when a run ends, for whatever reason.
    train_label : str
        Text on the Train button.
    yield_seconds : float
        How long each frame hands control back to the kernel. Measured in ipykernel 7.4 with
        a busy loop and a Stop click sent as a widget comm message: ``await asyncio.sleep(0)``
        → the click was handled after ≈ 0.2 s; 0.001 s → ≈ 0.07 s; 0.005 s → ≈ 0.01–0.05 s
        (costing ≈ 10 % of a 20 frames/s loop). Not used by :meth:`run_blocking`.

    Raises
    ------
    TypeError
        If ``step_fn`` or ``redraw_fn`` is not callable.
    ValueError
        For a budget or interval ≤ 0 (a run with no budget is allowed: it ends on Stop or
        when ``step_fn`` returns True).
    """

    def __init__(self, step_fn: Callable[[], bool | None], redraw_fn: Callable[[], None], *,
                 max_steps: int | None = None, time_budget: float | None = None,
                 min_redraw_interval: float = 0.05, steps_per_redraw: int | None = None,
                 progress_fn: Callable[[], float] | None = None,
                 on_finish: Callable[[LoopStats], None] | None = None,
                 train_label: str = "Train", yield_seconds: float = 0.005,
                 unit: str = "steps") -> None:
        if not callable(step_fn) or not callable(redraw_fn):
            raise TypeError("step_fn and redraw_fn must be functions taking no arguments; got "
                            f"{type(step_fn).__name__} and {type(redraw_fn).__name__}.")
        for name, value in (("max_steps", max_steps), ("time_budget", time_budget),
                            ("steps_per_redraw", steps_per_redraw)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be > 0 or None; got {value!r}.")
        if min_redraw_interval < 0:
            raise ValueError(f"min_redraw_interval must be ≥ 0 seconds; got {min_redraw_interval!r}.")
        self.step_fn, self.redraw_fn, self.unit = step_fn, redraw_fn, unit
        self.max_steps, self.time_budget = max_steps, time_budget
        self.min_redraw_interval, self.steps_per_redraw = float(min_redraw_interval), steps_per_redraw
        self.progress_fn, self.on_finish = progress_fn, on_finish
        self.stats = LoopStats()
        self.yield_seconds = float(yield_seconds)
        self._stop = False
        self._running = False
        self._task: asyncio.Task | None = None
        self.train_button = widgets.Button(description=train_label, icon="play", button_style="success",
                                           layout=widgets.Layout(width="110px"))
        self.stop_button = widgets.Button(description="Stop", icon="stop", button_style="danger",
                                          disabled=True, layout=widgets.Layout(width="110px"))
        self.progress = widgets.IntProgress(value=0, min=0, max=100, layout=widgets.Layout(width="200px"))
        self.status = widgets.HTML("")
        self.train_button.on_click(lambda _b: self.start())
        self.stop_button.on_click(lambda _b: self.stop())
        self.widget = widgets.HBox([self.train_button, self.stop_button, self.progress, self.status])
        self.widget.add_class("lecture-training-loop")

    # -- public API --------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True while a run is in progress."""
        return self._running

    def start(self) -> "asyncio.Task | LoopStats | None":
        """Start a run in the background on the running event loop (in Jupyter: the kernel's).

        Returns the asyncio task; without a running event loop (plain Python) it runs the loop
        to the end with :meth:`run_blocking` and returns its stats. Ignored while running.
        """
        if self._running:
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self.run_blocking()
        self._begin()
        self._task = loop.create_task(self._run_async())
        return self._task

    def stop(self) -> None:
        """Ask the run to end after the current chunk (the last state is drawn)."""
        self._stop = True

    def run_blocking(self) -> LoopStats:
        """Run to the end in this thread (tests, benchmarks, nbval); same frames as :meth:`start`."""
        if self._running:
            raise RuntimeError("this loop is already running; call stop() first.")
        self._begin()
        try:
            while True:
                done, pause = self._frame()
                if done:
                    break
                if pause > 0:
                    time.sleep(pause)
        finally:
            self._end()
        return self.stats

    # -- internals ---------------------------------------------------------------------------
    def _begin(self) -> None:
        self._stop, self._running = False, True
        self.stats = LoopStats()
        self._t0 = time.perf_counter()
        self._last_redraw = -float("inf")
        self.train_button.disabled, self.stop_button.disabled = True, False
        self.progress.value = 0
        self.status.value = "training…"

    async def _run_async(self) -> None:
        try:
            while True:
                done, pause = self._frame()
                if done:
                    break
                # hand control back to the kernel: it handles waiting messages (Stop) now
                await asyncio.sleep(max(pause, self.yield_seconds))
        finally:
            self._end()

    def _frame(self) -> tuple[bool, float]:
        """One frame: some steps, maybe a redraw. Returns (finished, seconds to wait)."""
        st = self.stats
        try:
            frame_start = time.perf_counter()
            calls, paced = 0, False
            while True:
                if self._stop:
                    st.reason = "stopped"
                elif self.max_steps is not None and st.steps >= self.max_steps:
                    st.reason = "max_steps"
                elif self.time_budget is not None and time.perf_counter() - self._t0 >= self.time_budget:
                    st.reason = "time_budget"
                elif self.step_fn():
                    st.steps += 1
                    st.reason = "done"
                else:
                    st.steps += 1
                    calls += 1
                    now = time.perf_counter()
                    if self.steps_per_redraw is not None:  # paced: a fixed number of calls per frame
                        paced = calls >= self.steps_per_redraw
                        due = False
                    else:
                        due = now - self._last_redraw >= self.min_redraw_interval
                    # the time guard keeps slow steps from freezing the picture and the kernel
                    if paced or due or now - frame_start >= max(self.min_redraw_interval, 0.02):
                        break
                    continue
                break
            now = time.perf_counter()
            if st.reason or now - self._last_redraw >= self.min_redraw_interval:
                self._redraw(now)
            self.progress.value = int(round(100 * min(max(self._fraction(), 0.0), 1.0)))
            if st.reason:
                return True, 0.0
            if not paced:  # yield at once: the kernel handles messages, then the next frame
                return False, 0.0
            wait = self._last_redraw + self.min_redraw_interval - time.perf_counter()
            return False, max(wait, 0.0)
        except Exception as exc:  # shown in the status line; the loop ends cleanly
            st.reason, st.error = "error", exc
            self.status.value = (f'<span style="color:#D55E00">stopped by an error: '
                                 f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</span>")
            return True, 0.0

    def _redraw(self, now: float) -> None:
        self.stats.redraw_times.append(now - self._t0)
        self.redraw_fn()
        self.stats.redraws += 1
        end = time.perf_counter()
        # next redraw due at max(now + interval, end + draw time): a draw slower than the
        # interval (a loaded machine) still leaves at least as much time for training
        self._last_redraw = max(now, end + (end - now) - self.min_redraw_interval)

    def _fraction(self) -> float:
        if self.progress_fn is not None:
            return float(self.progress_fn())
        if self.max_steps is not None:
            return self.stats.steps / self.max_steps
        if self.time_budget is not None:
            return (time.perf_counter() - self._t0) / self.time_budget
        return 0.0

    def _end(self) -> None:
        st = self.stats
        st.elapsed = time.perf_counter() - self._t0
        self._running = False
        self._task = None
        self.train_button.disabled, self.stop_button.disabled = False, True
        if st.reason != "error":
            why = {"done": "finished", "stopped": "stopped", "max_steps": "finished",
                   "time_budget": "time is up"}.get(st.reason, st.reason)
            self.status.value = f"{why}: {st.steps} {self.unit} in {st.elapsed:.1f} s"
        if self.on_finish is not None:
            self.on_finish(st)
