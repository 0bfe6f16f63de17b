"""Headless test of the panel pattern and the activation explorer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lecture_utils import ACTIVATIONS, get_activation
from lecture_utils.widgets import ActivationExplorer, compute_activation_curve


@pytest.fixture
def panel():
    p = ActivationExplorer()
    yield p
    p.close()


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_is_plotted_exactly(panel, name):
    panel.set(activation=name, w=2.0, b=-1.0)
    x, y = panel.line.get_data()
    np.testing.assert_allclose(y, get_activation(name)(2.0 * np.asarray(x) - 1.0))
    _, slope = panel.slope_line.get_data()
    np.testing.assert_allclose(slope, 2.0 * get_activation(name).grad(2.0 * np.asarray(x) - 1.0))
    assert name in panel.ax.get_title()


def test_sliders_move_the_zero_crossing_marker(panel):
    panel.set(w=0.5, b=1.0)
    mx, _ = panel.zero_marker.get_data()
    assert mx[0] == pytest.approx(-2.0)
    assert "-2.00" in panel.readout.value or "−2.00" in panel.readout.value
    panel.set(w=0.0)
    assert len(panel.zero_marker.get_data()[0]) == 0
    assert "constant" in panel.readout.value


def test_each_control_change_redraws_once_and_set_batches(panel):
    before = panel.update_count
    panel.controls["w"].value = 1.5          # a single slider move: one redraw
    assert panel.update_count == before + 1
    panel.set(activation="tanh", w=-1.0, b=0.5)  # three changes, one redraw
    assert panel.update_count == before + 2


def test_unknown_control_is_a_clear_error(panel):
    with pytest.raises(KeyError, match="unknown control"):
        panel.set(slope=3)


def test_updates_do_not_create_figures_and_rerunning_replaces_the_figure(panel):
    n = len(plt.get_fignums())
    for w in np.linspace(-3, 3, 20):
        panel.set(w=float(w))
    assert len(plt.get_fignums()) == n
    second = ActivationExplorer()  # as when a student re-runs the cell
    assert len(plt.get_fignums()) == n
    open_figures = [plt.figure(n) for n in plt.get_fignums()]
    assert panel.fig not in open_figures and second.fig in open_figures
    second.close()


def test_widget_layout_has_controls_readout_and_marker_class(panel):
    w = panel.widget
    assert "lecture-panel" in w._dom_classes
    controls = w.children[0].children
    assert panel.controls["w"] in controls and panel.readout in controls


def test_compute_activation_curve_matches_chain_rule():
    x = np.linspace(-2, 2, 9)
    a, slope = compute_activation_curve(x, "sigmoid", 3.0, 0.5)
    s = 1 / (1 + np.exp(-(3 * x + 0.5)))
    np.testing.assert_allclose(a, s)
    np.testing.assert_allclose(slope, 3 * s * (1 - s))


def test_under_ipympl_the_pre_connection_image_is_never_synced():
    """ipympl stores a pre-connection draw as an image its front-end cannot load (0×0 figure)."""
    import subprocess
    import sys

    code = (
        "import matplotlib; matplotlib.use('module://ipympl.backend_nbagg')\n"
        "from lecture_utils.widgets import ActivationExplorer\n"
        "from lecture_utils.style import use_lecture_style; use_lecture_style()\n"
        "p = ActivationExplorer(); c = p.fig.canvas\n"
        "assert c.syncing_data_url is False\n"
        "p.set(w=2.0)\n"
        "assert c._data_url is None, 'an image was stored for the front-end to load'\n"
        "engine = p.fig.get_layout_engine()\n"
        "assert engine is None or type(engine).__name__ == 'PlaceHolderLayoutEngine'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_layout_is_frozen_after_the_first_real_draw(panel):
    engine = panel.fig.get_layout_engine()
    assert engine is None or type(engine).__name__ == "PlaceHolderLayoutEngine"


def test_fast_redraw_shows_exactly_what_a_full_draw_shows(panel):
    """Only the curves, marker and title are redrawn on a slider move; the pixels must match."""
    canvas = panel.fig.canvas
    panel.set(activation="sigmoid", w=1.0, b=0.0)
    canvas.draw()
    for w, b in [(1.3, 0.2), (2.0, -1.0), (0.5, 0.7)]:
        limits = panel._limits()
        panel.set(w=w, b=b)
        fast = np.asarray(canvas.buffer_rgba()).copy()
        assert panel._limits() == limits  # sigmoid keeps its limits: the fast path was taken
        canvas.draw()
        np.testing.assert_array_equal(fast, np.asarray(canvas.buffer_rgba()))


def test_a_full_draw_from_elsewhere_still_shows_the_animated_artists(panel):
    """ipympl draws the whole figure itself when its front-end connects or resizes."""
    canvas = panel.fig.canvas
    panel.set(activation="tanh", w=2.0)
    canvas.draw()
    with_artists = np.asarray(canvas.buffer_rgba()).copy()
    panel.line.set_visible(False)
    canvas.draw()
    assert not np.array_equal(with_artists, np.asarray(canvas.buffer_rgba()))


def test_savefig_includes_the_animated_artists(panel, tmp_path):
    import matplotlib.image as mpimg

    panel.set(activation="relu", w=3.0, b=0.0)
    panel.fig.savefig(tmp_path / "a.png", dpi=60)
    panel.line.set_visible(False)
    panel.fig.savefig(tmp_path / "b.png", dpi=60)
    assert not np.array_equal(mpimg.imread(tmp_path / "a.png"), mpimg.imread(tmp_path / "b.png"))
    panel.line.set_visible(True)
    panel.set(w=2.5)  # after a save at another dpi the next update redraws fully
    assert panel._background_renderer is panel.fig.canvas.get_renderer()
