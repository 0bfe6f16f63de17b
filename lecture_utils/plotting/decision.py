"""Decision regions and heat maps over a 2-D input plane (01, 07).

``compute_decision_grid`` is pure (a grid and the model's class at each grid point);
``plot_decision_regions`` draws it with the data on top and returns the Axes. Panels that
update in place keep the returned image (``ax.images[0]``) and call ``set_data`` on it.

>>> import numpy as np
>>> from lecture_utils.plotting.decision import compute_decision_grid
>>> xx, yy, Z = compute_decision_grid(lambda P: (P[:, 0] > 0).astype(int), (-1, 1), (-1, 1), grid=5)
>>> Z.shape
(5, 5)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from .._checks import as_label_array, as_real_array, describe
from ..style import CLASS_COLORS
from ._args import check_ax, limits, number, whole

__all__ = ["grid_points", "plane_limits", "compute_decision_grid", "plot_decision_regions",
           "class_cmap", "MARKERS"]

#: one marker per class, so classes differ in shape as well as colour
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def plane_limits(X: Any, pad: float = 0.1) -> tuple[tuple[float, float], tuple[float, float]]:
    """x- and y-limits around the points X (n, 2), padded by ``pad`` × the range.

    ValueError for X with fewer than 2 columns, NaN / inf, or a negative ``pad``.
    """
    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    if X.shape[1] < 2:
        raise ValueError(f"X must have two columns (x1, x2), one row per point; got shape {X.shape}.")
    pad = number(pad, "pad", minimum=0.0)
    lo, hi = X[:, :2].min(axis=0), X[:, :2].max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    lo, hi = lo - pad * span, hi + pad * span
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def grid_points(xlim: tuple[float, float], ylim: tuple[float, float],
                grid: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid × grid lattice: xx, yy of shape (grid, grid) and the points P (grid², 2).

    ValueError for limits that are not (low, high) with low < high, or ``grid`` < 2.
    """
    xlim, ylim = limits(xlim, "xlim"), limits(ylim, "ylim")
    grid = whole(grid, "grid (points per side)", 2, maximum=4000)
    xs = np.linspace(xlim[0], xlim[1], grid)
    ys = np.linspace(ylim[0], ylim[1], grid)
    xx, yy = np.meshgrid(xs, ys)  # row i has y = ys[i]
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _as_labels(out: Any, n: int) -> np.ndarray:
    out = np.asarray(out)
    if out.dtype.kind not in "biuf":
        raise TypeError(f"predict_fn must return numbers (class labels or scores); got {describe(out)}.")
    if out.ndim == 2 and out.shape[0] == n:
        as_real_array(out, "predict_fn(P)", allow_inf=False, copy=False)  # NaN scores: no argmax
        return np.argmax(out, axis=1) if out.shape[1] > 1 else (out[:, 0] > 0.5).astype(np.int64)
    if out.shape != (n,):
        raise ValueError(f"predict_fn must return one label per point, shape ({n},), or scores "
                         f"of shape ({n}, K); got shape {out.shape}.")
    if out.dtype.kind == "f":
        as_real_array(out, "predict_fn(P)", allow_inf=False, copy=False)  # labels are finite
    if out.dtype.kind == "f" and not np.all(out == np.round(out)):
        raise ValueError("predict_fn returned non-integer values of shape (n,); return class "
                         "labels (e.g. (p > 0.5).astype(int)) or scores of shape (n, K).")
    if out.size and out.min() < 0:
        raise ValueError(f"predict_fn returned the label {out.min()}; class labels are 0, 1, … K − 1.")
    return out.astype(np.int64)


def compute_decision_grid(predict_fn: Callable[[np.ndarray], Any], xlim: tuple[float, float],
                          ylim: tuple[float, float], grid: int = 200
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The class a model predicts at every point of a grid over the plane.

    Parameters
    ----------
    predict_fn : callable
        Maps points P (m, 2) to class labels (m,) or scores (m, K) (argmax is taken;
        one column is thresholded at 0.5).
    xlim, ylim : (float, float)
    grid : int
        Points per side.

    Returns
    -------
    xx, yy : ndarray, shape (grid, grid)
    Z : ndarray of int, shape (grid, grid); ``Z[i, j]`` is the class at (xx[i, j], yy[i, j]).

    Raises
    ------
    ValueError
        ``predict_fn`` returns the wrong shape, NaN scores, or non-integer or negative labels.
    TypeError
        ``predict_fn`` is not callable.
    """
    if not callable(predict_fn):
        raise TypeError(f"predict_fn must be a function of points P (m, 2), e.g. model.predict; got {describe(predict_fn)}.")
    xx, yy, P = grid_points(xlim, ylim, grid)
    Z = _as_labels(predict_fn(P), len(P)).reshape(xx.shape)
    return xx, yy, Z


def class_cmap(n_classes: int) -> ListedColormap:
    """The colour-blind-safe class colours as a colour map with ``n_classes`` (≥ 1) entries.

    Beyond the 8 palette colours they repeat, as the markers do.
    """
    n = whole(n_classes, "n_classes", maximum=1000)
    return ListedColormap([CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(n)])


def plot_decision_regions(predict_fn: Callable[[np.ndarray], Any], X: Any, y: Any,
                          ax: Axes | None = None, grid: int = 200, alpha: float = 0.3,
                          n_classes: int | None = None) -> Axes:
    """Shade the plane by predicted class and scatter the data (colour and marker by class).

    Parameters
    ----------
    predict_fn : callable
        Points (m, 2) -> labels (m,) or scores (m, K).
    X : array_like, shape (n, 2)
    y : array_like, shape (n,) of int
    ax : Axes, optional
        Drawn into (a new figure's Axes otherwise).
    grid : int
        Resolution of the shading (points per side).
    n_classes : int, optional
        Number of classes (default: inferred from y and the predictions).

    Raises
    ------
    ValueError / TypeError
        X not (n, 2), y not n labels ≥ 0, ``alpha`` outside [0, 1], ``n_classes`` smaller than
        the number of classes present, a bad ``predict_fn`` (see :func:`compute_decision_grid`).

    Returns
    -------
    Axes
        ``ax.images[0]`` is the region image (update it with ``set_data``), one scatter
        collection per class follows in ``ax.collections``.
    """
    import matplotlib.pyplot as plt

    X = as_real_array(X, "X", ndim=2, allow_inf=False)
    y = as_label_array(y, "y")
    if X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must have shape (n, 2) and y shape (n,); got X {X.shape}, y {y.shape}.")
    if y.min() < 0:
        raise ValueError(f"y must hold class labels 0, 1, … K − 1; got the label {y.min()}.")
    alpha = number(alpha, "alpha", minimum=0.0, maximum=1.0)
    if n_classes is not None:
        n_classes = whole(n_classes, "n_classes", maximum=1000)
    ax = plt.figure().add_subplot() if ax is None else check_ax(ax)
    xlim, ylim = plane_limits(X)
    _, _, Z = compute_decision_grid(predict_fn, xlim, ylim, grid)
    k = n_classes or int(max(y.max(), Z.max())) + 1
    if k > 1000:
        raise ValueError(f"the labels and predictions go up to class {k - 1:,}; a decision plot can show at "
                         "most 1000 classes (are these labels, not scores?).")
    if k <= max(y.max(), Z.max()):
        raise ValueError(f"n_classes = {k} is too small: the labels and predictions go up to "
                         f"{max(y.max(), Z.max())}. Leave n_classes out to count them.")
    ax.imshow(Z, origin="lower", extent=(*xlim, *ylim), cmap=class_cmap(k), vmin=-0.5,
              vmax=k - 0.5, alpha=alpha, aspect="auto", interpolation="nearest")
    for c in range(k):
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=40, color=CLASS_COLORS[c % len(CLASS_COLORS)],
                   marker=MARKERS[c % len(MARKERS)], edgecolor="black", linewidth=0.6,
                   label=f"class {c}", zorder=3)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax
