"""Panels fit a projector: figure width capped, labels never cut off, controls that scale with
``use_lecture_style(scale=…)`` and flow into columns. (That they fit a slide at 1024×768 and
1280×720 in a real browser is checked by tests/browser/test_slides.py.)"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ipywidgets as widgets
import matplotlib as mpl
import pytest

import lecture_utils.widgets as package
from lecture_utils.style import use_lecture_style, widget_scale
from lecture_utils.widgets._panel import (MAX_FIGURE_PX, Panel, control_columns, float_slider,
                                          panel_css, toggle)


def _panels() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, Panel) and cls is not Panel and cls.__module__ == module.__name__
                    and not inspect.isabstract(cls) and not cls.__name__.startswith(("_", "Base"))
                    and all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                            for p in inspect.signature(cls).parameters.values())):
                found.append(cls)  # every panel that can be built with its defaults
    return found


PANELS = _panels()


@pytest.fixture
def lecture_style():
    with mpl.rc_context():
        use_lecture_style()
        yield


def _labelled(panel):
    return [c for c in panel.controls.values() if hasattr(getattr(c, "style", None), "description_width")]


@pytest.mark.parametrize("cls", PANELS, ids=[c.__name__ for c in PANELS])
def test_every_panel_fits_the_width_of_a_slide_and_its_labels_line_up(cls, lecture_style):
    panel = cls()
    try:
        width_px = panel.fig.get_figwidth() * panel.fig.dpi
        assert width_px <= MAX_FIGURE_PX + 0.5, f"{cls.__name__}: figure {width_px:.0f} px wide"
        widths = {c.style.description_width for c in _labelled(panel)}
        assert len(widths) <= 1, f"{cls.__name__}: labels of different widths {widths}"
        for c in _labelled(panel):
            label_px = float(c.style.description_width.removesuffix("px"))
            assert label_px >= 7 * len(c.description), f"{cls.__name__}: label {c.description!r} cut off"
        assert {"lecture-panel", f"lecture-panel-{cls.__name__}", "lecture-scale-100"} <= set(
            panel.widget._dom_classes)
    finally:
        panel.close()


def test_a_wide_figure_keeps_its_proportions_at_a_lower_dpi(lecture_style):
    class Wide(Panel):
        figsize = (12.0, 5.0)

        def __init__(self):
            super().__init__({"a": float_slider("a", 0.0, 0.0, 1.0, 0.1)})

        def _build(self, fig):
            fig.add_subplot()

        def _update(self, values):
            pass

    panel = Wide()
    try:
        assert tuple(panel.fig.get_size_inches()) == (12.0, 5.0)
        assert panel.fig.dpi == pytest.approx(MAX_FIGURE_PX / 12.0)
    finally:
        panel.close()


def test_scale_enlarges_the_controls_as_well_as_the_figure_text():
    with mpl.rc_context():
        use_lecture_style()
        small = float_slider("weight w", 0.0, -1.0, 1.0, 0.1)
        assert widget_scale() == 1.0
        use_lecture_style(scale=1.3)
        assert widget_scale() == pytest.approx(1.3)
        big = float_slider("weight w", 0.0, -1.0, 1.0, 0.1)
        buttons = toggle("mode", ["a", "b"], "a")
    px = lambda s: float(s.removesuffix("px"))  # noqa: E731
    assert px(big.style.description_width) == pytest.approx(1.3 * px(small.style.description_width), abs=1)
    assert px(big.layout.width) == pytest.approx(1.3 * px(small.layout.width), abs=1)
    assert px(buttons.style.button_width) == pytest.approx(1.3 * 90, abs=1)
    css = panel_css(1.3)
    assert ".lecture-scale-130" in css and "--jp-widgets-font-size: calc(13px * 1.3)" in css


def test_without_the_lecture_style_controls_have_their_normal_size():
    with mpl.rc_context():
        mpl.rcParams["figure.hooks"] = []
        mpl.rcParams["font.size"] = 30
        assert widget_scale() == 1.0


def test_controls_never_overflow_a_narrow_output_area():
    slider = float_slider("w", 0.0, -1.0, 1.0, 0.1)
    assert slider.layout.max_width == "100%"
    columns = control_columns([slider], [float_slider("v", 0.0, -1.0, 1.0, 0.1)])
    assert columns.layout.flex_flow == "row wrap" and len(columns.children) == 2
    assert all(isinstance(c, widgets.VBox) for c in columns.children)
