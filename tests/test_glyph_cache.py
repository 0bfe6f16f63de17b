"""The glyph cache (lecture_utils.widgets._glyph_cache) draws exactly the pixels matplotlib does."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lecture_utils.widgets import _glyph_cache

pytestmark = pytest.mark.skipif(not _glyph_cache._supported(), reason="the cache is only used with matplotlib 3.11")


def _texts(shift: float = 0.0, hinting: str = "no_hinting") -> np.ndarray:
    """A figure full of text: sizes, weights, rotations, mathtext, an unantialiased label, at
    fractional positions (moved by ``shift`` px), plus ticks, a legend and a title."""
    with mpl.rc_context({"text.hinting": hinting}):
        fig = Figure(figsize=(6.4, 4.8), dpi=80)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1], label="a line · σ(z) − y")
        ax.legend(loc="upper left")
        ax.set_title(f"gradient at z = {shift:.2f}: p̂ = σ(z) = 0.0025")
        rng = np.random.default_rng(0)
        for i in range(24):
            x, y = rng.uniform(0.05, 0.9, 2)
            ax.text(x + shift / 500, y + shift / 300, ["0.71", "∞", "Wqgy", "log 0", "nan"][i % 5],
                    fontsize=[9, 12, 14.5, 22][i % 4], rotation=[0, 0, 33, 90][i % 4],
                    fontweight="bold" if i % 3 == 0 else "normal", color=f"C{i % 10}")
        ax.text(0.2, 0.1, r"$\frac{\partial L}{\partial z} = \sigma(z) - y$", fontsize=16)
        ax.text(0.6, 0.05, "no antialiasing", antialiased=False, fontsize=13)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.fixture
def original():
    was = _glyph_cache.installed()
    _glyph_cache.uninstall()
    yield
    if was:
        _glyph_cache.install()


@pytest.mark.parametrize("hinting", ["no_hinting", "force_autohint"])
def test_cached_glyphs_draw_exactly_what_matplotlib_draws(original, hinting):
    shifts = [0.0, 0.37, 1.0, 13.71, 0.37]
    want = [_texts(s, hinting) for s in shifts]
    assert _glyph_cache.install()
    try:
        for _ in range(2):  # cold, then every glyph from the cache
            for s, expected in zip(shifts, want):
                got = _texts(s, hinting)
                assert np.array_equal(got, expected), (
                    f"shift {s}: {int((got != expected).any(axis=2).sum())} pixels differ")
        assert _glyph_cache._cache  # it was used
    finally:
        _glyph_cache.uninstall()


def test_a_full_cache_is_emptied_and_still_exact(original, monkeypatch):
    want = _texts(0.5)
    monkeypatch.setattr(_glyph_cache, "MAX_GLYPHS", 7)
    assert _glyph_cache.install()
    try:
        assert np.array_equal(_texts(0.5), want)
        assert len(_glyph_cache._cache) <= 7
    finally:
        _glyph_cache.uninstall()


def test_install_is_idempotent_and_uninstall_restores(original):
    from matplotlib.backends import backend_agg

    own = backend_agg.RendererAgg._draw_text_glyphs_and_boxes
    assert _glyph_cache.install() and _glyph_cache.install()
    assert backend_agg.RendererAgg._draw_text_glyphs_and_boxes is _glyph_cache._draw_text_glyphs_and_boxes
    _glyph_cache.uninstall()
    assert backend_agg.RendererAgg._draw_text_glyphs_and_boxes is own
    assert not _glyph_cache.installed() and not _glyph_cache._cache


def test_other_matplotlib_versions_keep_their_own(original, monkeypatch):
    monkeypatch.setattr(mpl, "__version__", "3.12.0")
    assert not _glyph_cache.install() and not _glyph_cache.installed()
