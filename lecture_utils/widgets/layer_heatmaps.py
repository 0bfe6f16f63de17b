"""Every layer's activations for a whole batch, as heat maps (02_forward_propagation).

One column of images per layer: X (n, d), then A1, A2, … and the output scores; one row per
example (sorted by class), one column per neuron. A seed slider re-draws the weights, a
drop-down changes the hidden activation; the images update in place (``set_data``,
``set_clim``). Zero is white: dead ReLU units show as white columns.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure

from .._checks import as_label_array, as_real_array, check_whole_number
from ..forward_pass import forward
from ..style import DIVERGING_CMAP
from ._panel import Panel, dropdown, int_slider

__all__ = ["LayerHeatmaps", "compute_layer_activations", "random_layers"]


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
    ``y`` (n,) optional labels (rows are sorted by them), ``hidden`` the hidden widths.
    """

    figsize = (10.4, 5.2)  # ≤ 832 px wide: fits JupyterLab's output area with the file browser open

    def __init__(self, X: Any, y: Any = None, hidden: Sequence[int] = (5, 5), outputs: int = 3,
                 seed: int = 0, activation: str = "relu") -> None:
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
        self.images = []
        n = len(self.X)
        for i, (ax, width) in enumerate(zip(self.axes, self.sizes)):
            img = ax.imshow(np.zeros((n, width)), aspect="auto", cmap=DIVERGING_CMAP,
                            interpolation="nearest", vmin=-1, vmax=1)
            fig.colorbar(img, ax=ax, location="bottom", shrink=0.9, pad=0.02)
            ax.set_xticks(range(width), [str(j + 1) for j in range(width)])
            ax.grid(False)
            self.images.append(img)
        self.axes[0].set_ylabel(f"example (row), {n} rows" + (", sorted by class" if self.y is not None else ""))
        names = ["input X"] + [f"A{i} hidden" for i in range(1, L - 1)] + ["output scores"]
        for ax, name, width in zip(self.axes, names, self.sizes):
            ax.set_title(f"{name}\n({n}, {width})", fontsize=13)
            if ax is not self.axes[0]:
                ax.set_yticks([])

    def _update(self, values: dict[str, Any]) -> None:
        arrays = compute_layer_activations(self.X, self.sizes, values["seed"], values["activation"])
        self.arrays = arrays
        dead = []
        for i, (img, A) in enumerate(zip(self.images, arrays)):
            top = float(np.max(np.abs(A))) or 1.0
            img.set_data(A)
            img.set_clim(-top, top)
            if 0 < i < len(arrays) - 1:
                dead.append(int(np.sum(np.all(A == 0, axis=0))))
        self.readout.value = (f"seed {values['seed']}, hidden f = {values['activation']} · "
                              f"shapes {' → '.join(str(A.shape) for A in arrays)} · "
                              f"dead units (zero for every example): {sum(dead)}")
