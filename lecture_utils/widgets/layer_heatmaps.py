"""Every layer's activations for a whole batch, as heat maps (02_forward_propagation).

One column of images per layer: X (n, d), then A1, A2, … and the output scores; one row per
example (sorted by class), one column per neuron. A seed slider re-draws the weights, a
drop-down changes the hidden activation; the images update in place (``set_data``,
``set_clim``). Zero is white: dead ReLU units show as white columns.
"""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from .._checks import as_label_array, as_real_array, check_whole_number
from ..forward_pass import forward
from ..style import DIVERGING_CMAP
from ._layers import draw_order
from ._panel import Panel, dropdown, int_slider

__all__ = ["LayerHeatmaps", "compute_layer_activations", "random_layers"]


def _tick(v: float) -> str:
    return "0" if v == 0 else f"{v:.2g}".replace("-", "−")


def random_layers(sizes: Sequence[int], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Seeded layers for widths ``sizes``: N(0, 2/fan_in) weights and N(0, 0.5²) biases."""
    rng = np.random.default_rng(int(seed))
    return [(rng.normal(0, np.sqrt(2 / fi), (fi, fo)), rng.normal(0, 0.5, fo))
            for fi, fo in zip(sizes[:-1], sizes[1:])]


def compute_layer_activations(X: np.ndarray, sizes: Sequence[int], seed: int,
                              activation: str) -> list[np.ndarray]:
    """[X, A1, …, A_L] for the batch X (n, d) through seeded layers (pure)."""
    result = forward(X, random_layers(sizes, seed), activation=activation)
    return [result.X] + result.activations


class LayerHeatmaps(Panel):
    """Controls: ``seed`` (re-draw the weights), ``activation`` (hidden layers).

    Artists: ``images`` (one AxesImage per layer, input first). ``X`` (n, d) is the batch,
    ``y`` (n,) optional labels (rows are sorted by them), ``hidden`` the hidden widths. Without
    ``X``: notebook 02's batch (``data.load("batch_200x4")``, each feature standardised) and its
    labels.

    A key press redraws only the layers' maps, their colour bars and frames (the input map and
    the labels stay in the cached background): each map keeps its own symmetric colour range.
    """

    figsize = (10.4, 5.2)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, X: Any = None, y: Any = None, hidden: Sequence[int] = (5, 5), outputs: int = 3,
                 seed: int = 0, activation: str = "relu") -> None:
        if X is None:
            from ..data import load

            ds = load("batch_200x4")
            X = (ds.X - ds.X.mean(axis=0)) / ds.X.std(axis=0)
            y = ds.y if y is None else y
        X = as_real_array(X, "X", ndim=2, allow_inf=False)
        if y is not None and as_label_array(y, "y").shape != (X.shape[0],):
            raise ValueError(f"y must have one label per row of X ({X.shape[0]}); got shape {np.shape(y)}.")
        hidden = [check_whole_number(h, "hidden width") for h in hidden]
        outputs = check_whole_number(outputs, "outputs")
        order = np.argsort(y, kind="stable") if y is not None else np.arange(len(X))
        self.X, self.y = X[order], (None if y is None else np.asarray(y)[order])
        self.sizes = [X.shape[1], *[int(h) for h in hidden], int(outputs)]
        controls = {
            "seed": int_slider("weights seed", seed, 0, 50),
            "activation": dropdown("hidden f", ["relu", "tanh", "sigmoid", "identity"], activation),
        }
        super().__init__(controls)

    def _build(self, fig: Figure) -> None:
        L = len(self.sizes)
        self.axes = fig.subplots(1, L, width_ratios=[max(s, 3) for s in self.sizes])
        self.images, self.colorbars, self.bar_labels = [], [], []
        n = len(self.X)
        for i, (ax, width) in enumerate(zip(self.axes, self.sizes)):
            img = ax.imshow(np.zeros((n, width)), aspect="auto", cmap=DIVERGING_CMAP,
                            interpolation="nearest", vmin=-1, vmax=1)
            # the bar spans −top … top of its map as −1 … 1 and writes the map's values on its
            # ticks: its colours and limits never change, only the three numbers (a fast redraw)
            bar = fig.colorbar(ScalarMappable(Normalize(-1.0, 1.0), DIVERGING_CMAP), ax=ax,
                               location="bottom", shrink=0.9, pad=0.02)
            bar.set_ticks([-1.0, 0.0, 1.0])
            # its numbers are texts of their own where the tick labels would be (ticks stay)
            bar.ax.tick_params(labelbottom=False)
            below = offset_copy(bar.ax.get_xaxis_transform(), fig=fig, units="points",
                                y=-(plt.rcParams["xtick.major.size"] + plt.rcParams["xtick.major.pad"]))
            self.bar_labels.append([bar.ax.text(v, 0.0, _tick(v), transform=below, ha="center", va="top",
                                                fontsize=plt.rcParams["xtick.labelsize"])
                                    for v in (-1.0, 0.0, 1.0)])
            ax.set_xticks(range(width), [str(j + 1) for j in range(width)])
            ax.grid(False)
            self.images.append(img)
            self.colorbars.append(bar)
        self.axes[0].set_ylabel(f"example (row), {n} rows" + (", sorted by class" if self.y is not None else ""))
        names = ["input X"] + [f"A{i} hidden" for i in range(1, L - 1)] + ["output scores"]
        for ax, name, width in zip(self.axes, names, self.sizes):
            ax.set_title(f"{name}\n({n}, {width})", fontsize=13)
            if ax is not self.axes[0]:
                ax.set_yticks([])

    def _animated_artists(self) -> list[Any]:
        # every layer's map after the input (which never changes), with what a full draw paints
        # over it (the frame), and the numbers on its colour bar
        out: list[Any] = []
        for ax, img in zip(self.axes[1:], self.images[1:]):
            out += draw_order(ax, above=img, skip=(ax.title, ax._left_title, ax._right_title))
        return out + [text for texts in self.bar_labels[1:] for text in texts]  # the bars' numbers

    def _update(self, values: dict[str, Any]) -> None:
        arrays = compute_layer_activations(self.X, self.sizes, values["seed"], values["activation"])
        self.arrays = arrays
        dead = []
        for i, (img, A) in enumerate(zip(self.images, arrays)):
            top = float(np.max(np.abs(A))) or 1.0
            img.set_data(A)
            img.set_clim(-top, top)
            for text, v in zip(self.bar_labels[i], (-top, 0.0, top)):
                text.set_text(_tick(v))
            if 0 < i < len(arrays) - 1:
                dead.append(int(np.sum(np.all(A == 0, axis=0))))
        self.readout.value = (f"seed {values['seed']}, hidden f = {values['activation']} · "
                              f"shapes {' → '.join(str(A.shape) for A in arrays)} · "
                              f"dead units (zero for every example): {sum(dead)}")
