"""Training panel (07_training): train an MLP on the spiral and watch it learn.

Controls: learning rate η_p, mini-batch size, hidden width, hidden activation (``identity``
makes the whole network linear, as in 01_nonlinearity), L2 strength λ and the number of
epochs one click on *Train* runs. Buttons: *Train*, *Step one epoch*, *Reset*.
The figure shows the decision regions (left) and the train/test loss and accuracy curves.

Changing the width or the activation starts a new network (seeded, so *Reset* always returns
to the same start); changing η_p, the batch size or λ takes effect from the next update,
without losing what has been learnt.

Headless use (tests, benchmarks)::

    panel = TrainingPanel()
    panel.set(lr=0.5, hidden=64, activation="relu")
    panel.step_epoch()                  # the "Step one epoch" button
    panel.train(epochs=20)              # the "Train" button, blocking
    panel.reset()
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .._checks import check_whole_number
from ..activations import ACTIVATIONS
from ..plotting.decision import grid_points, plane_limits, plot_decision_regions
from ..style import COLORS
from ..training import Trainer
from ._layers import draw_order
from ._limits import nice_ceil
from ._panel import Panel, dropdown, int_slider
from ._training_loop import TrainingLoop

__all__ = ["TrainingPanel", "BATCH_SIZES", "LAMBDAS"]

BATCH_SIZES = (1, 8, 16, 32, 64, 128, 300)
LAMBDAS = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
TARGET_ACC = 0.95


def _lr_slider(value: float) -> widgets.FloatLogSlider:
    return widgets.FloatLogSlider(value=value, base=10, min=-3, max=0.7, step=0.1,
                                  description="learning rate η", readout_format=".3f",
                                  continuous_update=False, layout=widgets.Layout(width="420px"),
                                  style={"description_width": "110px"})


class TrainingPanel(Panel):
    """Train a one-hidden-layer network by mini-batch SGD with L2, live.

    Parameters
    ----------
    dataset : object with X_train, y_train, X_test, y_test, optional
        Default: ``lecture_utils.data.load("spiral")`` (read when the panel is built).
    lr, batch_size, hidden, activation, lam, epochs
        Initial control values (see the module docstring).
    seed : int
        Seeds the initial weights and the shuffling.
    grid : int
        Resolution of the decision-region image (points per side).

    Attributes
    ----------
    trainer : :class:`lecture_utils.training.Trainer`
    loop : :class:`lecture_utils.widgets._training_loop.TrainingLoop`
        Runs *Train* without blocking the kernel (one chunk = one epoch); *Stop* ends it.
    buttons : dict of ipywidgets.Button — ``train``, ``stop``, ``step``, ``reset``
    progress : ipywidgets.IntProgress — percentage of the current *Train* run
    start_hints : list of Text — "press Train …" on the empty curves, shown at epoch 0 only
    region_image, train_loss_line, test_loss_line, train_acc_line, test_acc_line : artists
    """

    figsize = (10.4, 4.8)  # 832 px: fits a notebook beside JupyterLab's open file browser

    def __init__(self, dataset: Any = None, *, lr: float = 0.5, batch_size: int = 32,
                 hidden: int = 64, activation: str = "relu", lam: float = 1e-4,
                 epochs: int = 50, seed: int = 0, grid: int = 150) -> None:
        for name, value, allowed in (("batch_size", batch_size, BATCH_SIZES), ("lam", lam, LAMBDAS)):
            if value not in allowed:
                raise ValueError(f"{name} must be one of the panel's choices {list(allowed)}; got {value!r}.")
        if dataset is None:
            from ..data import load

            dataset = load("spiral")
        if not all(hasattr(dataset, a) for a in ("X_train", "y_train", "X_test", "y_test")):
            raise TypeError(f"dataset must be a Dataset from lecture_utils.data.load(...); got {type(dataset).__name__}.")
        self.data = dataset
        hidden = check_whole_number(hidden, "hidden")
        self.grid = check_whole_number(grid, "grid", minimum=2)
        self.trainer = Trainer(dataset.X_train, dataset.y_train, dataset.X_test, dataset.y_test,
                               hidden=(int(hidden),), activation=activation, lr=lr,
                               batch_size=batch_size, lam=lam, seed=seed)
        controls = {
            "lr": _lr_slider(lr),
            "batch_size": dropdown("batch size", list(BATCH_SIZES), batch_size),
            "hidden": int_slider("hidden width", hidden, 1, 128),
            "activation": dropdown("activation", list(ACTIVATIONS), self.trainer.activation),
            "lam": dropdown("L2 strength λ", [("0", 0.0)] + [(f"{v:g}", v) for v in LAMBDAS[1:]], lam),
            "epochs": int_slider("epochs / Train", epochs, 1, 500),
        }
        # Train / Stop / progress bar: the shared non-blocking loop (one chunk = one epoch)
        # paced at one epoch per frame, so the regions can be watched moving (~20 epochs/s)
        self.loop = TrainingLoop(step_fn=self._train_chunk, redraw_fn=self._refresh, max_steps=epochs,
                                 min_redraw_interval=0.05, steps_per_redraw=1, unit="epochs")
        self.progress = self.loop.progress
        step = widgets.Button(description="Step one epoch", icon="step-forward",
                              layout=widgets.Layout(width="160px"))
        reset = widgets.Button(description="Reset", icon="undo", layout=widgets.Layout(width="110px"))
        step.on_click(lambda _: self.step_epoch())
        reset.on_click(lambda _: self.reset())
        self.buttons = {"train": self.loop.train_button, "stop": self.loop.stop_button,
                        "step": step, "reset": reset}
        super().__init__(controls)

    # -- figure --------------------------------------------------------------------------------
    def _build(self, fig: Figure) -> None:
        gs = fig.add_gridspec(2, 2, width_ratios=(1.15, 1.0))
        self.ax = fig.add_subplot(gs[:, 0])
        self.loss_ax = fig.add_subplot(gs[0, 1])
        self.acc_ax = fig.add_subplot(gs[1, 1], sharex=self.loss_ax)
        X, y = self.data.X_train, self.data.y_train
        plot_decision_regions(self.trainer.predict, X, y, ax=self.ax, grid=self.grid,
                              n_classes=self.trainer.K)
        self.region_image = self.ax.images[0]
        _, _, self._grid_P = grid_points(*plane_limits(X), self.grid)
        self.ax.set_aspect("equal", adjustable="box")
        # the spiral leaves that corner empty; opaque: the regions change under it, and then only
        # its frame needs drawing (Panel._overlay_artists)
        self.ax.legend(loc="lower right", fontsize=10, framealpha=1.0)
        self.ax.grid(False)
        blue, orange = COLORS["blue"], COLORS["vermillion"]
        # a marker on the first point: the untrained network shows before any epoch has run
        start = {"marker": "o", "markevery": [0], "markersize": 7}
        (self.train_loss_line,) = self.loss_ax.plot([], [], color=blue, label="train", **start)
        (self.test_loss_line,) = self.loss_ax.plot([], [], color=orange, linestyle="--", label="test", **start)
        (self.train_acc_line,) = self.acc_ax.plot([], [], color=blue, label="train", **start)
        (self.test_acc_line,) = self.acc_ax.plot([], [], color=orange, linestyle="--", label="test", **start)
        self.start_hints = [ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
                                    fontsize=12, color="0.3")
                            for ax, text in ((self.loss_ax, "untrained network (epoch 0):\n"
                                              "press Train or Step one epoch"),
                                             (self.acc_ax, "the curves grow here, one point per epoch"))]
        self.acc_ax.axhline(TARGET_ACC, color="0.35", linewidth=1, linestyle=":")
        self.acc_ax.text(0.01, TARGET_ACC + 0.01, f"{TARGET_ACC:.0%}", transform=self.acc_ax.get_yaxis_transform(),
                         ha="left", va="bottom", fontsize=10, color="0.35")
        self.loss_ax.set_ylabel("cross-entropy")
        self.acc_ax.set_ylabel("accuracy")
        self.acc_ax.set_xlabel("epoch")
        self.acc_ax.set_ylim(0.0, 1.02)
        self.loss_ax.legend(loc="upper right", fontsize=11, framealpha=1.0)
        self.loss_ax.tick_params(labelbottom=False)

    def _update(self, values: dict[str, Any]) -> bool | None:
        t = self.trainer
        t.lr, t.batch_size, t.lam = float(values["lr"]), int(values["batch_size"]), float(values["lam"])
        self.loop.max_steps = int(values["epochs"])
        if (int(values["hidden"]),) != t.hidden or values["activation"] != t.activation:
            t.reset(hidden=(int(values["hidden"]),), activation=values["activation"])
            self.progress.value = 0
        if getattr(self, "_drawn_for", None) is t.layers and t.epoch == self._drawn_epoch:
            return False  # learning rate, batch size, λ, epochs: they act on the next epoch
        self._draw_state()
        return None

    def _show(self) -> None:
        super()._show()
        self._drawn_for, self._drawn_epoch = self.trainer.layers, self.trainer.epoch

    def _animated_artists(self) -> list[Any]:
        # the regions and what lies on them (points, frame, title, legend), the curves with
        # their hints, goal line and legend: each axes in a full draw's order; only the axes
        # themselves (ticks, labels, grid) stay in the cached background
        hints = self.start_hints  # shown at epoch 0 only, where no curve reaches them: background
        return (draw_order(self.ax) + draw_order(self.loss_ax, skip=hints)
                + draw_order(self.acc_ax, skip=hints))

    def _overlay_artists(self) -> list[Any]:
        # fixed while the background stays: pasted unless something moving reached them
        return [self.ax.get_legend(), self.loss_ax.get_legend(), *self.acc_ax.texts]

    def _background_key(self) -> Any:
        return self.trainer.epoch == 0  # the start hints are part of the background

    def _region_labels(self) -> np.ndarray:
        """The predicted class on the grid, computed again only when the weights have changed
        (the learning rate, batch size, λ and epochs controls leave them as they are); the
        seeded untrained networks of the last few widths and activations are kept too."""
        t = self.trainer
        if getattr(self, "_labels_for", None) is not t.layers:
            initial = self._initial_labels = getattr(self, "_initial_labels", {})
            key = (t.hidden, t.activation) if t.steps == 0 else None
            labels = initial.get(key) if key is not None else None
            if labels is None:
                # blocks of 1024 points: small products stay single-threaded in BLAS, 1.5×
                # faster than 4096 on a busy 2-core machine (and small temporaries at width 128)
                P = self._grid_P
                labels = np.concatenate([t.predict(P[i:i + 1024]) for i in range(0, len(P), 1024)])
                labels = labels.reshape(self.grid, self.grid)
                if key is not None:
                    initial[key] = labels
                    while len(initial) > 8:
                        initial.pop(next(iter(initial)))
            self._labels, self._labels_for = labels, t.layers
        return self._labels

    def _draw_state(self) -> None:
        """Move every artist to the trainer's current state (no new artists)."""
        t, h = self.trainer, self.trainer.history
        self.region_image.set_data(self._region_labels())
        ep = np.asarray(h["epoch"], dtype=float)
        self.train_loss_line.set_data(ep, h["train_loss"])
        self.test_loss_line.set_data(ep, h["test_loss"])
        self.train_acc_line.set_data(ep, h["train_acc"])
        self.test_acc_line.set_data(ep, h["test_acc"])
        # 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, … epochs: the axes grow in steps while
        # training, so most frames are fast redraws (a new limit means a full one)
        right = nice_ceil(max(10.0, float(ep[-1])))
        self.loss_ax.set_xlim(-0.03 * right, right)  # room for the whole epoch-0 marker
        losses = np.concatenate([h["train_loss"], h["test_loss"]])
        top = float(np.nanmax(losses[np.isfinite(losses)])) if np.isfinite(losses).any() else 1.0
        top = 1.05 * top  # 1.2, or a nice value above the highest loss: resets seldom change it
        self.loss_ax.set_ylim(0.0, 1.2 if top <= 1.2 else min(nice_ceil(top), 10.0))
        for hint in self.start_hints:
            hint.set_visible(t.epoch == 0)
        m = t.metrics()
        self.ax.set_title(f"{t.activation}, width {t.hidden[0]}: epoch {t.epoch}", fontsize=13)
        self.acc_ax.set_title(f"train {m['train_acc']:.0%} · test {m['test_acc']:.0%}", fontsize=12)
        self.readout.value = (f"epoch <b>{t.epoch}</b> ({t.steps} updates) &nbsp;·&nbsp; train loss "
                              f"{m['train_loss']:.3f}, accuracy <b>{m['train_acc']:.1%}</b> &nbsp;·&nbsp; "
                              f"test loss {m['test_loss']:.3f}, accuracy <b>{m['test_acc']:.1%}</b>")

    def _refresh(self) -> None:
        with self._redrawing():
            self._draw_state()
            self.update_count += 1
            self._show()

    # -- actions -------------------------------------------------------------------------------
    def step_epoch(self) -> dict[str, float]:
        """The *Step one epoch* button: one pass over the shuffled data, then redraw."""
        metrics = self.trainer.step_epoch()
        self._refresh()
        return metrics

    def reset(self) -> None:
        """The *Reset* button: stop any run, back to the seeded initial weights, history cleared."""
        self.loop.stop()
        self.trainer.reset()
        self.progress.value = 0
        self._refresh()

    def _train_chunk(self) -> bool:
        self.trainer.step_epoch()
        return False  # the loop ends on max_steps (the epochs control) or on Stop

    def train(self, epochs: int | None = None, paced: bool = True) -> dict[str, float]:
        """The *Train* button, blocking (tests, benchmarks): run ``epochs`` epochs (default: the
        *epochs / Train* control) through the same loop, redrawing as it goes.

        ``paced=False`` drops the one-epoch-per-frame pacing and redraws at most every 0.25 s."""
        pacing, interval = self.loop.steps_per_redraw, self.loop.min_redraw_interval
        if epochs is not None:
            self.loop.max_steps = int(epochs)
        if not paced:
            self.loop.steps_per_redraw, self.loop.min_redraw_interval = None, 0.25
        try:
            self.loop.run_blocking()
        finally:
            self.loop.max_steps = int(self.controls["epochs"].value)
            self.loop.steps_per_redraw, self.loop.min_redraw_interval = pacing, interval
        return self.trainer.metrics()

    # -- layout --------------------------------------------------------------------------------
    def _extra_widgets(self) -> list[widgets.Widget]:
        """Train, Stop, Step and Reset, then the progress bar and the status text: the status
        comes last, so its changing length never moves a button."""
        loop = self.loop
        row = widgets.HBox([loop.train_button, loop.stop_button, self.buttons["step"], self.buttons["reset"],
                            loop.progress, loop.status])
        row.add_class("lecture-training-loop")
        return [row]
