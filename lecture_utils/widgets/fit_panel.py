"""Fit panel (04_theorem_and_depth): gradient descent versus the hand construction.

A Train button trains a one-hidden-layer network (our numpy forward / backward pass, Adam,
:mod:`lecture_utils.fitting`) with a progress bar, redrawing the fit as it learns; Stop ends it.
The hand construction with the same N is drawn dashed for comparison, and the "x range"
toggle shows both far outside the training interval [0, 1].
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator

from ..approximation import TARGET_LABELS, approximation_errors, bump_network, get_target, relu_network
from ..fitting import FitState, fit_step, forward_1d, init_fit
from ..style import COLORS
from ._layers import draw_order
from ._panel import Panel, dropdown, int_slider, toggle
from ._training_loop import TrainingLoop

__all__ = ["FitPanel", "TARGET_MSE"]

TARGET_MSE = 1e-3


class FitPanel(Panel):
    """Train N hidden units by gradient descent; compare with Nielsen's construction.

    Controls: ``target``, ``n`` (hidden units), ``activation`` ("tanh", "sigmoid", "relu"),
    ``x_range`` ("train" = [0, 1], "wide" = [−0.5, 1.5]). Changing one resets the network.
    ``loop`` is the :class:`TrainingLoop` (Train / Stop / progress); ``state`` the
    :class:`~lecture_utils.fitting.FitState`. Artists: ``target_line``, ``built_line``
    (construction), ``fit_line`` (trained), ``loss_line`` (MSE per step), ``built_loss_line``.
    ``reached_at`` / ``reached_step``: seconds into the run and step at which the MSE first
    fell to :data:`TARGET_MSE` (None before).
    """

    figsize = (10.4, 4.5)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open
    x_train = np.linspace(0.0, 1.0, 128)
    x_wide = np.linspace(-0.5, 1.5, 401)

    def __init__(self, target: str = "sine", n: int = 20, activation: str = "tanh",
                 steps_per_chunk: int = 10, chunks_per_frame: int = 2, max_steps: int = 3000,
                 lr: float = 0.01, seed: int = 0) -> None:
        self.steps_per_chunk, self.max_steps, self.lr, self.seed = steps_per_chunk, max_steps, lr, seed
        self.reached_at: float | None = None
        self.reached_step: int | None = None
        self._run_start = 0.0
        self.loop = TrainingLoop(self._train_chunk, self._redraw_training, steps_per_redraw=chunks_per_frame,
                                 min_redraw_interval=0.05, progress_fn=lambda: self.state.t / self.max_steps,
                                 on_finish=self._finished)
        self.loop.train_button.on_click(lambda _b: self._mark_start())
        options = [(label, key) for key, label in TARGET_LABELS.items()]
        x_range = toggle("x range", [("[0, 1]", "train"), ("[−0.5, 1.5]", "wide")], "train")
        x_range.style.button_width = "120px"  # the default 90 px cut "[−0.5, 1.5]" short
        super().__init__({
            "target": dropdown("target", options, target),
            "n": int_slider("hidden units N", n, 1, 60),
            "activation": toggle("activation", ["tanh", "sigmoid", "relu"], activation),
            "x_range": x_range,
        })

    # -- training ------------------------------------------------------------------------------
    def reset(self) -> None:
        """A fresh, untrained network for the current controls."""
        v = self.values
        y = get_target(v["target"])(self.x_train)
        self.state: FitState = init_fit(self.x_train, y, int(v["n"]), v["activation"], lr=self.lr, seed=self.seed)
        self.reached_at = self.reached_step = None
        if not self.loop.running:  # a status about the previous network would be stale
            self.loop.status.value = "untrained: press Train"
            self.loop.progress.value = 0

    def _mark_start(self) -> None:
        self._run_start = time.perf_counter()
        self._run_config, self._run_t0 = getattr(self, "_config", None), self.state.t

    def _finished(self, stats: Any) -> None:
        """The status line after a run, in gradient steps (not the loop's chunks)."""
        if stats.reason == "error":
            return  # the loop already shows the error
        if getattr(self, "_run_config", None) != self._config:
            self.loop.status.value = "stopped: a control changed, the network was reset — press Train"
            return
        why = {"time_budget": "time is up", "stopped": "stopped"}.get(stats.reason, "finished")
        self.loop.status.value = (f"{why}: {self.state.t - self._run_t0} gradient steps in "
                                  f"{stats.elapsed:.1f} s (step {self.state.t} of {self.max_steps})")

    def train(self, max_seconds: float | None = None) -> Any:
        """Train now, blocking, with the same frames as the button (for nbval and benchmarks)."""
        self._mark_start()
        self.loop.time_budget = max_seconds
        try:
            return self.loop.run_blocking()
        finally:
            self.loop.time_budget = None

    def _train_chunk(self) -> bool:
        self.state = fit_step(self.state, self.steps_per_chunk)
        if self.reached_at is None and self.state.loss <= TARGET_MSE:
            self.reached_at = time.perf_counter() - self._run_start
            self.reached_step = self.state.t
        return self.state.t >= self.max_steps

    def _redraw_training(self) -> None:
        with self._redrawing():
            self._draw_state(self.values)
            self._show()  # the fast redraw: the axes' limits stay put while training

    # -- panel -------------------------------------------------------------------------------------
    def _extra_widgets(self) -> list[widgets.Widget]:
        return [self.loop.widget]

    def _build(self, fig: Figure) -> None:
        self.ax, self.ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
        ax = self.ax
        self.train_span = ax.axvspan(0, 1, color=COLORS["sky"], alpha=0.15, label="training interval")
        (self.target_line,) = ax.plot([], [], color=COLORS["black"], linewidth=1.5, label="target")
        (self.built_line,) = ax.plot([], [], "--", color=COLORS["orange"], linewidth=2.5, label="constructed")
        (self.fit_line,) = ax.plot([], [], color=COLORS["blue"], linewidth=3, label="trained")
        ax.set_xlabel("x")
        # explains the colours of both axes; opaque, so a curve under it needs only its frame
        # redrawn (Panel._overlay_artists)
        ax.legend(loc="upper right", fontsize="small", framealpha=1.0)
        # log10(MSE) on a linear axis with fixed ticks: the same picture as semilogy, but a
        # cheaper redraw while training (no log tick search on every frame)
        al = self.ax_loss
        (self.loss_line,) = al.plot([], [], color=COLORS["blue"], label="trained")
        self.built_loss_line = al.axhline(0.0, color=COLORS["orange"], linestyle="--", label="constructed")
        al.axhline(np.log10(TARGET_MSE), color="0.4", linestyle=":")
        # below its dotted line: the constructed network's dashed line often sits just above it
        al.text(self.max_steps, np.log10(TARGET_MSE) - 0.08, f"target MSE = {TARGET_MSE:g} ", ha="right",
                va="top", color="0.3", fontsize="small")
        al.set_xlim(0, self.max_steps)
        al.set_ylim(-5.2, 0.5)
        al.yaxis.set_major_locator(FixedLocator([-5, -4, -3, -2, -1, 0]))
        al.yaxis.set_major_formatter(FixedFormatter(["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "1"]))
        al.xaxis.set_major_locator(FixedLocator(np.linspace(0, self.max_steps, 4)))
        al.set_xlabel("gradient steps")
        al.set_ylabel("mean squared error")

    def _animated_artists(self) -> list[Any]:
        # the constructed and trained curves (and what a full draw paints over them: frame,
        # title, legend), the loss curves with the dotted goal and its label; the target and
        # the training interval change only with the target and the x range
        return (draw_order(self.ax, above=self.built_line)
                + draw_order(self.ax_loss, above=self.loss_line))

    def _overlay_artists(self) -> list[Any]:
        # fixed while the background stays: drawn again only when a curve reaches them
        return [self.ax.get_legend(), *self.ax_loss.texts]

    def _background_key(self) -> Any:
        return self.controls["target"].value, self.controls["x_range"].value

    def _update(self, values: dict[str, Any]) -> None:
        config = (values["target"], int(values["n"]), values["activation"])
        if config != getattr(self, "_config", None):  # the x range only changes the view
            if self.loop.running:
                self.loop.stop()
            self._config = config
            self.reset()
        self._draw_state(values)

    def _draw_state(self, values: dict[str, Any]) -> None:
        target, n, act = values["target"], int(values["n"]), values["activation"]
        wide = values["x_range"] == "wide"
        x = self.x_wide if wide else self.x_train
        f = get_target(target)
        built = relu_network(target, n) if act == "relu" else bump_network(target, n)
        y_fit = forward_1d(self.state.params, x, act)
        self.target_line.set_data(x, f(x))
        self.built_line.set_data(x, built(x))
        self.fit_line.set_data(x, y_fit)
        self.ax.set_xlim(x[0], x[-1])
        y_t = f(x)
        lo, hi = float(y_t.min()), float(y_t.max())
        pad = (0.8 if wide else 0.25) * (hi - lo + 0.1)
        self.ax.set_ylim(lo - pad, hi + pad)
        st = self.state
        self.loss_line.set_data(np.arange(len(st.losses)), np.log10(np.maximum(st.losses, 1e-12)))
        built_err = approximation_errors(built(self.x_train), st.y)
        fit_err = approximation_errors(forward_1d(st.params, self.x_train, act), st.y)
        self.built_loss_line.set_ydata([np.log10(max(built_err["mse"], 1e-12))] * 2)
        self.comparison = {"trained": fit_err, "constructed": built_err}
        self.ax.set_title(f"N = {n} {act} units, step {st.t}: trained MSE {st.loss:.2g}")
        kind = "ReLU interpolant" if act == "relu" else "sigmoid steps"
        self.readout.value = (
            f"step {st.t}: trained MSE <b>{fit_err['mse']:.2e}</b> (max |err| {fit_err['max_abs']:.3f}) · "
            f"constructed ({kind}, same N) MSE <b>{built_err['mse']:.2e}</b> "
            f"(max |err| {built_err['max_abs']:.3f})"
            + (f" · MSE ≤ {TARGET_MSE:g} after {self.reached_step} steps" if self.reached_step else ""))
