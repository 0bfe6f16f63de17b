"""lecture_utils.plotting.decision: the grid is right, the figure shows it."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lecture_utils.nonlinearity import xor_predict
from lecture_utils.plotting.decision import (compute_decision_grid, grid_points, plane_limits,
                                             plot_decision_regions)


def test_grid_points_layout():
    xx, yy, P = grid_points((0, 1), (10, 20), grid=3)
    assert xx.shape == (3, 3) and P.shape == (9, 2)
    assert np.allclose(xx[0], [0, 0.5, 1]) and np.allclose(yy[:, 0], [10, 15, 20])
    with pytest.raises(ValueError):
        grid_points((0, 1), (0, 1), grid=1)


def test_compute_decision_grid_labels_scores_and_probabilities():
    half = lambda P: (P[:, 0] > 0).astype(int)
    _, _, Z = compute_decision_grid(half, (-1, 1), (-1, 1), grid=4)
    assert np.array_equal(Z[:, :2], 0 * Z[:, :2]) and np.all(Z[:, 2:] == 1)
    scores = lambda P: np.column_stack([P[:, 1], -P[:, 1], np.zeros(len(P))])  # argmax
    _, yy, Z = compute_decision_grid(scores, (-1, 1), (-1, 1), grid=5)
    assert np.all(Z[yy > 0] == 0) and np.all(Z[yy < 0] == 1)
    prob = lambda P: (P[:, :1] > 0) * 0.9  # one column -> thresholded at 0.5
    assert compute_decision_grid(prob, (-1, 1), (-1, 1), 4)[2].max() == 1


@pytest.mark.parametrize("bad", [lambda P: np.zeros(3), lambda P: P[:, 0] * 0.3])
def test_compute_decision_grid_bad_predict_fn(bad):
    with pytest.raises(ValueError, match="predict_fn"):
        compute_decision_grid(bad, (0, 1), (0, 1), grid=5)


def test_plot_decision_regions_shows_xor_band():
    rng = np.random.default_rng(0)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    y = np.repeat([0, 1, 1, 0], 25)
    X = np.repeat(corners, 25, axis=0) + rng.normal(0, 0.1, size=(100, 2))
    ax = Figure().add_subplot()
    out = plot_decision_regions(xor_predict, X, y, ax=ax, grid=50)
    assert out is ax
    img = ax.images[0].get_array()
    assert img.shape == (50, 50)
    (x0, x1), (y0, y1) = plane_limits(X)
    assert ax.get_xlim() == (x0, x1)
    # the image equals the model's prediction at the grid points
    assert np.array_equal(img, compute_decision_grid(xor_predict, (x0, x1), (y0, y1), 50)[2])
    assert len(ax.collections) == 2 and len(ax.collections[0].get_offsets()) == 50
    with pytest.raises(ValueError):
        plot_decision_regions(xor_predict, X[:, :1], y, ax=ax)
