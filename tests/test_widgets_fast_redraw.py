"""Panels with a fast redraw (cached background + animated artists) must show exactly what a
full draw shows, for every control."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ipywidgets as widgets
import numpy as np
import pytest

import lecture_utils.widgets as package
from lecture_utils.widgets._panel import Panel
from lecture_utils.widgets.browser_canvas import BrowserCanvasPanel


def _fast_panels() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            # browser-drawn panels never draw their moving artists with Agg: see
            # tests/test_widgets_browser_canvas.py and tests/browser/test_browser_canvas.py
            if (issubclass(cls, Panel) and cls is not Panel and cls.__module__ == module.__name__
                    and cls._animated_artists is not Panel._animated_artists
                    and not issubclass(cls, BrowserCanvasPanel)):
                found.append(cls)
    return found


def _another_value(control):
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)):
        up = control.value + control.step
        return type(control.value)(up if up <= control.max else control.value - control.step)
    options = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return options[(options.index(control.value) + 1) % len(options)]


FAST = _fast_panels()


def test_some_panels_use_the_fast_path():
    assert len(FAST) >= 5


@pytest.mark.parametrize("cls", FAST, ids=[c.__name__ for c in FAST])
def test_fast_redraw_matches_a_full_draw_for_every_control(cls):
    panel = cls()
    canvas = panel.fig.canvas
    try:
        canvas.draw()
        for name, control in panel.controls.items():
            if control.disabled or not hasattr(control, "value"):
                continue
            for _ in range(2):
                panel.set(**{name: _another_value(control)})
                shown = np.asarray(canvas.buffer_rgba()).copy()
                canvas.draw()
                full = np.asarray(canvas.buffer_rgba())
                assert np.array_equal(shown, full), f"{cls.__name__}: '{name}' left stale pixels"
    finally:
        panel.close()
