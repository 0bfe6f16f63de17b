"""Every panel's display bundle carries a static snapshot next to the live widget view.

A reader without a kernel (nbconvert, nbviewer, the static site, a notebook reopened without
widget state) gets ``text/html`` (the image and the controls' values) or ``image/png``; JupyterLab
with a kernel still renders the widget. Headless, under Agg.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import io
import pkgutil
import re

import ipywidgets as widgets
import matplotlib.image as mpimg
import numpy as np
import pytest

import lecture_utils.widgets as package
from lecture_utils.style import use_lecture_style
from lecture_utils.widgets._panel import Panel
from lecture_utils.widgets.activation_explorer import ActivationExplorer
from lecture_utils.widgets.browser_canvas import BrowserCanvasPanel
from test_widgets_fast_redraw import _another_value  # a new value for any kind of control

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _all_panels() -> list[type]:
    """Every Panel subclass defined in lecture_utils.widgets.* that builds without arguments."""
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    found, todo = [], list(Panel.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        required = [p for p in inspect.signature(cls).parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        if cls.__module__.startswith(package.__name__) and not required and not inspect.isabstract(cls):
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__name__)


PANELS = _all_panels()


@pytest.fixture(autouse=True)
def _style():
    use_lecture_style()


def _decode(bundle: dict) -> np.ndarray:
    return mpimg.imread(io.BytesIO(base64.b64decode(bundle["image/png"])), format="png")


def test_every_panel_is_covered():
    assert len(PANELS) >= 15, [c.__name__ for c in PANELS]


@pytest.mark.parametrize("cls", PANELS, ids=[c.__name__ for c in PANELS])
def test_bundle_has_widget_view_png_and_description(cls, monkeypatch):
    panel = cls()
    try:
        panel.widget  # under Agg, building it displays the figure into an Output widget
        shown = []
        monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append((obj, kw)))
        panel._ipython_display_()  # what a notebook cell ending in `panel` does
        (bundle, kwargs), = shown
        assert kwargs.get("raw") is True
        assert bundle[WIDGET_VIEW]["model_id"] == panel.widget.model_id
        image = _decode(bundle)
        width, height = panel.fig.canvas.get_width_height(physical=True)
        assert image.shape[:2] == (height, width)
        assert image.std() > 0.01, "the snapshot is blank"
        canvas = panel.fig.canvas
        canvas.draw()  # what the live canvas shows after a full draw (animated artists included)
        live = np.asarray(canvas.buffer_rgba()) / 255.0
        differs = (np.abs(image - live) > 1 / 255 + 1e-6).any(axis=2).mean()
        # the live fast path draws its animated artists on top; savefig draws every artist in
        # z-order, so where a curve passes under a legend or a label a few pixels differ
        limit = 0.02 if panel._animated else 0.0
        assert differs <= limit, f"{differs:.1%} of the snapshot's pixels differ from the live figure"
        text, page = bundle["text/plain"], bundle["text/html"]
        assert "static snapshot" in text and "static snapshot" in page
        assert f'<img src="data:image/png;base64,{bundle["image/png"]}"' in page
        for label, value in panel.snapshot_values():
            assert (f"{label}: {value}" if "=" in value else f"{label} = {value}") in text
        assert not re.search(r"<[a-z/][^>]*>|&nbsp;", text), text
    finally:
        panel.close()


def test_snapshot_follows_the_controls_and_formats_values():
    panel = ActivationExplorer()
    try:
        before = panel._repr_mimebundle_()
        panel.set(activation="relu", w=2.0, b=-1.5)
        after = panel._repr_mimebundle_()
        assert "activation = relu" in after["text/plain"]
        assert "weight w = 2.00" in after["text/plain"] and "bias b = -1.50" in after["text/plain"]
        assert "weight w = <b>2.00</b>" in after["text/html"]
        assert not np.array_equal(_decode(before), _decode(after))
    finally:
        panel.close()


def test_toggle_and_int_values_are_shown_as_their_labels():
    values = {}
    for cls in PANELS:
        panel = cls()
        try:
            for (label, text), control in zip(panel.snapshot_values(),
                                              [c for c in panel.controls.values() if hasattr(c, "value")]):
                values[type(control)] = text
                if isinstance(control, (widgets.ToggleButtons, widgets.Dropdown)):
                    assert text == str(control.label)
                elif isinstance(control, widgets.IntSlider):
                    assert text == str(control.value)
        finally:
            panel.close()
    assert {widgets.ToggleButtons, widgets.Dropdown, widgets.IntSlider, widgets.FloatSlider} <= set(values)


# browser-drawn panels keep no Agg frame up to date (tests/test_widgets_browser_canvas.py)
FAST = [c for c in PANELS if c._animated_artists is not Panel._animated_artists
        and not issubclass(c, BrowserCanvasPanel)]


@pytest.mark.parametrize("cls", FAST, ids=[c.__name__ for c in FAST])
def test_a_snapshot_leaves_the_fast_redraw_exact(cls):
    """savefig draws the animated artists itself; the cached background must stay clean — after
    a snapshot, a change of any control (slider, selection slider, drop-down, toggles) shows what
    a full draw shows."""
    panel = cls()
    try:
        canvas = panel.fig.canvas
        canvas.draw()
        changed = 0
        for name, control in panel.controls.items():
            if control.disabled or not hasattr(control, "value"):
                continue
            panel._repr_mimebundle_()
            panel.set(**{name: _another_value(control)})
            fast = np.asarray(canvas.buffer_rgba()).copy()
            canvas.draw()
            assert np.array_equal(fast, np.asarray(canvas.buffer_rgba())), f"'{name}' left stale pixels"
            changed += 1
        assert changed, f"{cls.__name__} has no control to change"
    finally:
        panel.close()


def test_a_failing_snapshot_still_shows_the_live_panel(monkeypatch):
    panel = ActivationExplorer()
    try:
        def broken():
            raise RuntimeError("renderer gone")
        monkeypatch.setattr(panel, "snapshot_png", broken)
        bundle = panel._repr_mimebundle_()
        assert WIDGET_VIEW in bundle and "image/png" not in bundle
        assert "no snapshot: RuntimeError: renderer gone" in bundle["text/plain"]
    finally:
        panel.close()
