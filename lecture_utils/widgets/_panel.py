"""The panel pattern every interactive figure in the series follows.

A :class:`Panel` owns its controls and exactly one figure. It draws the figure once, then on
every control change updates its artists in place (``set_data``, ``set_ydata``, ``set_array``…)
and redraws the canvas directly — no new figure, no flicker, no figure pile-up. Creating a new
panel of the same kind (re-running a cell) closes the previous one's figure, so re-running a
notebook never leaks figures.

Tests and benchmarks drive a panel headlessly::

    panel = ActivationExplorer()
    panel.set(activation="relu", w=2.0, b=-1.0)   # one redraw for all three changes
    x, y = panel.line.get_data()

Subclasses implement ``_build(fig)`` (create axes and artists once) and ``_update(values)``
(move the artists to the new values). In a notebook, with ``%matplotlib widget`` active, the
figure is an ipympl canvas widget; under any other backend (tests) it is drawn with Agg.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import html
import inspect
import io
import math
import re
import weakref
from numbers import Real
from typing import Any, ClassVar, Iterator

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import traitlets
from matplotlib.figure import Figure

from ..style import quiet_canvas, widget_scale
from . import _fast_image, _fast_png, _glyph_cache, _ipympl_frames, _overlays
from ._recent import Recent

__all__ = ["Panel", "float_slider", "float_log_slider", "int_slider", "dropdown", "toggle",
           "ControlValueError", "value_problem", "control_columns", "MAX_FIGURE_PX", "panel_css"]

#: The widest a panel's figure is drawn, in CSS px: a slide of the deck at 1024×768 (about
#: 860 px of content) and JupyterLab's output area at 1280 px with the file browser open. A
#: wider ``figsize`` is drawn at a lower dpi (same proportions, slightly smaller text).
MAX_FIGURE_PX = 832

#: control sizes at scale 1 (px); ``use_lecture_style(scale=…)`` multiplies them
_ROW_WIDTH, _LABEL_WIDTH, _BUTTON_WIDTH = 420, 110, 90
_CHAR_PX = 7.5  # width of one label character at the widgets' 13 px font


def _layout() -> widgets.Layout:
    """One control row: fixed width for aligned columns, never wider than the output area
    (a narrow window shrinks the slider track, so the read-out stays visible)."""
    return widgets.Layout(width=f"{round(_ROW_WIDTH * widget_scale())}px", max_width="100%")


def _style(**extra: str) -> dict[str, str]:
    return {"description_width": f"{round(_LABEL_WIDTH * widget_scale())}px", **extra}
_glyph_cache.install()  # Agg text from kept glyph bitmaps: the same pixels, ~3× faster (matplotlib 3.11)

_SNAPSHOT_NOTE = "static snapshot — run the notebook for the live panel"


class ControlValueError(ValueError):
    """A control was built with (or set to) a value it cannot show. A panel's constructor
    renames it after the argument that carried the value."""

    def __init__(self, description: str, value: Any, problem: str) -> None:
        super().__init__(f"{description!r}: {problem}")
        self.description, self.value, self.problem = description, value, problem


def _is_number(value: Any) -> bool:
    return isinstance(value, (Real, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _number_problem(value: Any, lo: float, hi: float, whole: bool = False) -> str | None:
    kind = "a whole number" if whole else "a number"
    if not _is_number(value):
        return f"must be {kind} in [{lo:g}, {hi:g}]; got {type(value).__name__} {value!r}"
    v = float(value)
    if math.isnan(v):
        return f"must be {kind} in [{lo:g}, {hi:g}]; got NaN"
    if whole and not v.is_integer():
        return f"must be a whole number in [{lo:g}, {hi:g}]; got {value!r}"
    if not lo <= v <= hi:
        return f"must be in [{lo:g}, {hi:g}] (the range of its slider); got {value!r}"
    return None


def _option_values(options: Any) -> list[Any]:
    if isinstance(options, dict):
        return list(options.values())
    return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]


def _option_problem(value: Any, options: Any) -> str | None:
    values = _option_values(options)
    for v in values:
        try:
            if type(v) is type(value) or (_is_number(v) and _is_number(value)):
                if v == value:
                    return None
        except Exception:  # noqa: BLE001
            continue
    shown = "NaN" if isinstance(value, float) and math.isnan(value) else repr(value)
    return f"must be one of {', '.join(repr(v) for v in values)}; got {shown}"


def value_problem(control: widgets.Widget, value: Any) -> str | None:
    """Why ``control`` cannot take ``value`` (NaN, out of range, not one of its options), or None."""
    if isinstance(control, widgets.FloatLogSlider):
        return _number_problem(value, control.base ** control.min, control.base ** control.max)
    if isinstance(control, (widgets.FloatSlider, widgets.BoundedFloatText)):
        return _number_problem(value, control.min, control.max)
    if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText)):
        return _number_problem(value, control.min, control.max, whole=True)
    if hasattr(control, "options") and hasattr(control, "index"):  # Dropdown, ToggleButtons, …
        return _option_problem(value, control.options)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)) and not isinstance(value, (bool, np.bool_)):
        return f"must be True or False; got {value!r}"
    return None


def _guard(control: widgets.Widget) -> widgets.Widget:
    """Refuse NaN set on the control directly (ipywidgets would keep and draw it); the
    widget's own validation (clamping to min / max) still runs for other values."""
    original = control._trait_validators.get("value")
    if getattr(original, "_refuses_nan", False):
        return control

    def no_nan(obj: Any, proposal: Any) -> Any:
        value = proposal.value
        if isinstance(value, (float, np.floating)) and math.isnan(value):
            raise traitlets.TraitError(f"{control.description!r} cannot be set to NaN; it keeps "
                                       f"{obj.value!r}.")
        return original(obj, proposal) if original is not None else value

    no_nan._refuses_nan = True  # type: ignore[attr-defined]
    control._trait_validators["value"] = no_nan
    return control


def _check_range(description: str, lo: Any, hi: Any, step: Any) -> None:
    for name, v in (("min", lo), ("max", hi), ("step", step)):
        if not _is_number(v) or not math.isfinite(float(v)):
            raise ControlValueError(description, v, f"{name} must be a finite number; got {v!r}")
    if not float(lo) < float(hi):
        raise ControlValueError(description, lo, f"min must be < max; got min={lo!r}, max={hi!r}")
    if not float(step) > 0:
        raise ControlValueError(description, step, f"step must be > 0; got {step!r}")


def float_slider(description: str, value: float, min: float, max: float, step: float,
                 readout_format: str = ".2f") -> widgets.FloatSlider:
    """A keyboard-operable slider with a numeric read-out, sized for a projector.
    ControlValueError (a ValueError) for a value outside [min, max], NaN, or a bad range."""
    _check_range(description, min, max, step)
    problem = _number_problem(value, min, max)
    if problem:
        raise ControlValueError(description, value, problem)
    return _guard(widgets.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                                      readout=True, readout_format=readout_format, continuous_update=True,
                                      layout=_layout(), style=_style()))


def int_slider(description: str, value: int, min: int, max: int, step: int = 1) -> widgets.IntSlider:
    """An integer slider with a read-out (arrow keys move it one step).
    ControlValueError (a ValueError) for a value that is not a whole number in [min, max]."""
    _check_range(description, min, max, step)
    problem = _number_problem(value, min, max, whole=True)
    if problem:
        raise ControlValueError(description, value, problem)
    return _guard(widgets.IntSlider(value=int(value), min=min, max=max, step=step, description=description,
                                    readout=True, continuous_update=True, layout=_layout(), style=_style()))


def float_log_slider(description: str, value: float, min_exp: float, max_exp: float,
                     step: float = 0.05, readout_format: str = ".3g") -> widgets.FloatLogSlider:
    """A logarithmic slider from 10**min_exp to 10**max_exp (temperatures, learning rates).
    ControlValueError (a ValueError) for a value outside that range or NaN."""
    _check_range(description, min_exp, max_exp, step)
    problem = _number_problem(value, 10.0 ** min_exp, 10.0 ** max_exp)
    if problem:
        raise ControlValueError(description, value, problem)
    return _guard(widgets.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=step,
                                         description=description, readout=True,
                                         readout_format=readout_format, continuous_update=True,
                                         layout=_layout(), style=_style()))


def dropdown(description: str, options: Any, value: Any) -> widgets.Dropdown:
    """A drop-down choice (keyboard: focus, then arrow keys).
    ControlValueError (a ValueError) naming the valid options for any other value."""
    problem = _option_problem(value, options)
    if problem:
        raise ControlValueError(description, value, problem)
    return _guard(widgets.Dropdown(options=options, value=value, description=description,
                                   layout=_layout(), style=_style()))


def toggle(description: str, options: Any, value: Any) -> widgets.ToggleButtons:
    """A row of toggle buttons for two to four choices.
    ControlValueError (a ValueError) naming the valid options for any other value."""
    problem = _option_problem(value, options)
    if problem:
        raise ControlValueError(description, value, problem)
    return _guard(widgets.ToggleButtons(options=options, value=value, description=description,
                                        layout=widgets.Layout(max_width="100%"),
                                        style=_style(button_width=f"{round(_BUTTON_WIDTH * widget_scale())}px")))


def _same_value(a: Any, b: Any) -> bool:
    try:
        if _is_number(a) and _is_number(b):
            return float(a) == float(b) or (math.isnan(float(a)) and math.isnan(float(b)))
        return type(a) is type(b) and bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def _argument_for(init: Any, args: tuple, kwargs: dict, value: Any) -> str | None:
    """The constructor argument that carried ``value`` (to name it in an error)."""
    try:
        bound = inspect.signature(init).bind(None, *args, **kwargs)
        bound.apply_defaults()
    except (TypeError, ValueError):
        return None
    names = [n for i, (n, v) in enumerate(bound.arguments.items()) if i and _same_value(v, value)]
    return names[0] if len(names) == 1 else None


def control_columns(*columns: list[widgets.Widget]) -> widgets.HBox:
    """Controls in side-by-side columns that wrap below each other when the window is narrow
    (for a custom ``_controls_box``; the default layout flows the controls by itself)."""
    return widgets.HBox([widgets.VBox(list(col)) for col in columns],
                        layout=widgets.Layout(flex_flow="row wrap", max_width="100%"))


def _align_labels(controls: list[widgets.Widget]) -> None:
    """Give every control of a panel the same label width, wide enough for its longest label
    (so labels are never cut off, and the slider tracks line up)."""
    labelled = [c for c in controls if isinstance(getattr(c, "description", None), str)
                and hasattr(getattr(c, "style", None), "description_width")]
    if not labelled:
        return
    s = widget_scale()
    longest = max(len(c.description) for c in labelled)
    width = round(max(_LABEL_WIDTH, _CHAR_PX * longest + 12) * s)
    for c in labelled:
        c.style.description_width = f"{width}px"
        if isinstance(c.layout.width, str) and c.layout.width.endswith("px"):
            c.layout.width = f"{round(_ROW_WIDTH * s) + width - round(_LABEL_WIDTH * s)}px"


def panel_css(scale: float) -> str:
    """The style sheet every panel carries (an invisible ``<style>`` in its widget).

    Widgets scale with ``use_lecture_style(scale=…)`` through ipywidgets' CSS variables, set on
    the panel element (class ``lecture-scale-NNN``), with rows a little tighter than
    ipywidgets' default (28 px instead of 32 px per slider at scale 1); in the default control layout, controls
    flow into as many columns as fit, and the read-out and extra widgets take a full row; the
    figure shrinks to the width of a narrow output area instead of being cut off (scaled by the
    browser: panels take no mouse input, so nothing maps screen to figure coordinates).
    """
    cls = f".lecture-scale-{round(scale * 100)}"
    return (f"<style>{cls} {{ --jp-widgets-font-size: calc(13px * {scale:g});"
            f" --jp-widgets-inline-height: calc(26px * {scale:g}); --jp-widgets-margin: 1px;"
            f" --jp-widgets-slider-handle-size: calc(16px * {scale:g}); }}"
            f" {cls} .widget-html-content, {cls} .widget-htmlmath-content {{ font-size: calc(13px * {scale:g}); }}"
            " .lecture-panel .lecture-controls-flow { flex-flow: row wrap; column-gap: 16px; }"
            " .lecture-panel .lecture-controls-flow > :not(.widget-slider):not(.widget-dropdown)"
            ":not(.widget-toggle-buttons) { flex: 1 1 100%; }"
            # the figure shrinks (never grows) to fit a narrow output area, keeping its aspect
            " .lecture-panel .jupyter-matplotlib, .lecture-panel .jupyter-matplotlib-figure,"
            " .lecture-panel .jupyter-matplotlib-canvas-div { max-width: 100%; }"
            " .lecture-panel .jupyter-matplotlib-canvas-div { height: auto !important; }"
            " .lecture-panel .jupyter-matplotlib-canvas-div > canvas:first-child { position: static !important;"
            " width: 100% !important; height: auto !important; }"
            " .lecture-panel .jupyter-matplotlib-canvas-div > canvas + canvas { width: 100% !important;"
            " height: 100% !important; }</style>")


def _shown(label: str, text: str, has_equals: bool | None = None) -> str:
    """``w = 1.00``; ``actual label y: y = 1`` when the option's label has its own ``=``."""
    return f"{label}: {text}" if ("=" in text if has_equals is None else has_equals) else f"{label} = {text}"


class Panel:
    """Base class: controls + one figure, updated in place. See the module docstring.

    A constructor value a control cannot show raises ValueError naming the argument and the
    valid range or options; ``set`` refuses NaN, out-of-range values and unknown options
    (the previous values are kept and nothing is drawn); a closed panel says so.
    """

    #: figure size in inches (at the lecture style's 80 dpi: readable on a projector)
    figsize: ClassVar[tuple[float, float]] = (8.0, 4.5)
    #: after the first draw, keep the axes where constrained layout put them and stop
    #: re-running the layout on every update (it costs about a third of each redraw)
    freeze_layout: ClassVar[bool] = True
    #: fast-redraw panels keep this many backgrounds, by axis limits (and ``_background_key``):
    #: a slider pressed back and forth, or a choice toggled, finds its background again instead
    #: of a full draw (≈ 0.9 MB each for an 8 × 4.5 in figure at 80 dpi)
    background_cache: ClassVar[int] = 6
    #: a fast-redraw panel whose controls each take a few values (SawtoothPanel's k) can keep
    #: this many whole frames, by control values: a frame seen before is copied back instead of
    #: drawn, and the ipympl diff image between two kept frames is kept too (not encoded again).
    #: Any full draw (a change of limits, ipympl's on connect, a change made from a cell) forgets
    #: them all. 0: off (≈ 1.5 MB a frame for a 10 × 6 in figure at 80 dpi)
    frame_cache: ClassVar[int] = 0
    _live: ClassVar[dict[str, "weakref.ref[Panel]"]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None or getattr(init, "_names_its_arguments", False):
            return

        @functools.wraps(init)
        def __init__(self: "Panel", *args: Any, **kw: Any) -> None:
            try:
                init(self, *args, **kw)
            except ControlValueError as exc:
                name = _argument_for(init, args, kw, exc.value)
                what = f"{name}" if name else f"the control {exc.description!r}"
                raise ValueError(f"{cls.__name__}: {what} {exc.problem}.") from None
            if type(self) is cls:
                self._check_given_values(init, args, kw)

        __init__._names_its_arguments = True  # type: ignore[attr-defined]
        cls.__init__ = __init__  # type: ignore[method-assign]

    def __init__(self, controls: dict[str, widgets.Widget], key: str | None = None) -> None:
        self._closed = False
        self.controls: dict[str, widgets.Widget] = dict(controls)
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        self._readout_pending: set[str] = set()
        self._readout_timer: Any = None
        self._holding = False
        self._pending = False
        self.update_count = 0
        self._key = key or type(self).__name__
        old = Panel._live.get(self._key)
        if old is not None and old() is not None:
            old().close()  # re-running a cell: the previous figure of this panel goes away
        self.fig: Figure = self._new_figure()
        self._drawing = False
        self._quiet_auto_draw()
        _align_labels(list(self.controls.values()))
        self._configure_canvas()
        if self.freeze_layout:
            self._freeze_cid = self.fig.canvas.mpl_connect("draw_event", self._freeze_layout)
        for control in self.controls.values():
            if hasattr(control, "_trait_validators") and "value" in getattr(control, "_trait_validators", {}):
                _guard(control)
        self._build(self.fig)
        for ax in self.fig.axes:  # heat maps resampled with index arrays (same picture, ~3× cheaper)
            for image in ax.images:
                _fast_image.install(image)
        self._background = self._background_renderer = self._background_at = None
        self._overlays: dict[int, Recent] = {}
        self._overlay_hook = type(self)._overlay_artists is not Panel._overlay_artists
        self._backgrounds = Recent()
        self._frames = Recent()
        self.frame_hits = 0  # frames shown from the frame cache (tests read it)
        self._collect_animated()
        self._fast = type(self)._animated_artists is not Panel._animated_artists
        if self._fast:
            self.fig.canvas.mpl_connect("draw_event", self._after_full_draw)
        Panel._live[self._key] = weakref.ref(self)
        for name, control in self.controls.items():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")
        self._redraw()

    # -- for subclasses ----------------------------------------------------------------------
    def _build(self, fig: Figure) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self, values: dict[str, Any]) -> bool | None:  # pragma: no cover - abstract
        """Move the artists to ``values``; return False if nothing visible changed (no redraw)."""
        raise NotImplementedError

    # -- public API --------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """The current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items() if hasattr(c, "value")}

    def set(self, **values: Any) -> "Panel":
        """Set several controls at once (one redraw); unknown names raise ``KeyError``.

        A value a control cannot show (NaN, outside its range, not one of its options) raises
        ValueError before anything changes: every control keeps its value, nothing is drawn.
        """
        self._check_open()
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"unknown control(s) {sorted(unknown)}; this panel has {sorted(self.controls)}.")
        for name, value in values.items():
            problem = value_problem(self.controls[name], value)
            if problem:
                raise ValueError(f"{type(self).__name__}.set: {name} {problem}; the panel keeps "
                                 f"{name} = {self.controls[name].value!r}.")
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
        return self

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Batch control changes: the figure is redrawn once, when the block ends."""
        self._check_open()
        self._holding, self._pending = True, False
        try:
            yield
        finally:
            self._holding = False
            if self._pending:
                self._redraw()

    @property
    def widget(self) -> widgets.Widget:
        """The whole panel as one widget: controls, a read-out line, then the figure."""
        self._check_open()
        if getattr(self, "_widget", None) is None:
            scale = widget_scale()
            css = widgets.HTML(panel_css(scale), layout=widgets.Layout(display="none"))
            figure = self._figure_widget()
            helper = _ipympl_frames.frame_helper(figure)  # ipympl: no toDataURL per image (see there)
            self._widget = widgets.VBox([self._controls_box(), figure, css] + ([helper] if helper else []))
            # the browser tests and benchmarks find every panel by this class
            self._widget.add_class("lecture-panel")
            self._widget.add_class(f"lecture-panel-{type(self).__name__}")
            self._widget.add_class(f"lecture-scale-{round(scale * 100)}")  # see panel_css
        return self._widget

    def _controls_box(self) -> widgets.Widget:
        """Everything above the figure: the controls (in as many columns as fit: two on a
        slide at 1024 px), any extra widgets, then the read-out."""
        box = widgets.VBox(list(self.controls.values()) + self._extra_widgets() + [self.readout])
        box.add_class("lecture-controls-flow")
        return box

    def _extra_widgets(self) -> list[widgets.Widget]:
        """Widgets shown between the controls and the read-out (buttons, a progress bar)."""
        return []

    def close(self) -> None:
        """Close the figure and the widgets (the panel can no longer be used)."""
        self._closed = True
        for control in self.controls.values():
            if hasattr(control, "value"):
                with contextlib.suppress(ValueError):
                    control.unobserve(self._on_change, names="value")
        plt.close(self.fig)
        if Panel._live.get(self._key) is not None and Panel._live[self._key]() is self:
            del Panel._live[self._key]

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self._closed:
            print(f"(this {type(self).__name__} is closed; create a new one to see it)")
            return
        display(self._repr_mimebundle_(), raw=True)

    # -- static snapshot: what a reader without a kernel sees ---------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The live widget view plus a static snapshot of the figure as drawn right now.

        JupyterLab with a kernel renders the widget (its renderer outranks the others); a static
        renderer (nbconvert, nbviewer) or a notebook reopened without widget state shows
        ``text/html`` (the image and the controls' values) or ``image/png`` — the same
        fallback ipympl's own canvas publishes. Costs one Agg render per display, not per update.
        """
        bundle = dict(self.widget._repr_mimebundle_() or {})
        caption = self.snapshot_caption()
        bundle["text/plain"] = caption
        try:
            png = self.snapshot_png()
        except Exception as exc:  # a snapshot must never stop the live panel from showing
            bundle["text/plain"] = f"{caption} (no snapshot: {type(exc).__name__}: {exc})"
            return bundle
        data = base64.b64encode(png).decode("ascii")
        width, height = self._snapshot_size()
        bundle["image/png"] = data
        bundle["text/html"] = (
            f'<figure class="lecture-panel-snapshot" style="margin: 0">'
            f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
            f'alt="{html.escape(caption)}"><figcaption>{self._snapshot_caption_html()}'
            f"</figcaption></figure>")
        return bundle

    def snapshot_png(self) -> bytes:
        """PNG bytes of the figure as it is drawn now (every artist, at the figure's size and dpi)."""
        buf = io.BytesIO()
        canvas = self.fig.canvas
        before = getattr(canvas, "renderer", None)
        shown = canvas.copy_from_bbox(self.fig.bbox) if before is not None else None
        # savefig draws the animated artists itself; _after_full_draw leaves the cached background
        with plt.rc_context({"savefig.bbox": "standard", "savefig.transparent": False}):
            self.fig.savefig(buf, format="png", dpi="figure")
        if shown is not None and getattr(canvas, "renderer", None) is before:
            # savefig drew into the live buffer (in its own order): put the shown frame back, so
            # an update that redraws nothing (or only part) leaves the canvas as it was
            canvas.restore_region(shown)
        return buf.getvalue()

    def snapshot_values(self) -> list[tuple[str, str]]:
        """``(label, value as shown)`` for every control that has a value, in display order."""
        shown = []
        for name, control in self.controls.items():
            if not hasattr(control, "value"):
                continue
            label = getattr(control, "description", "") or name
            fmt = getattr(control, "readout_format", None)
            if hasattr(control, "label") and hasattr(control, "options"):  # drop-down, toggles
                text = str(control.label)
            elif isinstance(control.value, float) and fmt:
                text = format(control.value, fmt)
            else:
                text = str(control.value)
            shown.append((label, text))
        return shown

    def snapshot_caption(self) -> str:
        """One line of plain text: the controls' values and that this is a snapshot."""
        values = ", ".join(_shown(label, text) for label, text in self.snapshot_values())
        readout = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.readout.value or "")).split())
        return " · ".join(p for p in (f"{type(self).__name__}: {values}", readout, _SNAPSHOT_NOTE) if p)

    def _snapshot_caption_html(self) -> str:
        values = ", ".join(_shown(html.escape(label), f"<b>{html.escape(text)}</b>", "=" in text)
                           for label, text in self.snapshot_values())
        readout = f"<br>{self.readout.value}" if self.readout.value else ""
        return (f'<span class="lecture-panel-values">{values}</span>{readout}'
                f'<br><i class="lecture-panel-note">{_SNAPSHOT_NOTE}</i>')

    def _snapshot_size(self) -> tuple[int, int]:
        """Figure size in CSS pixels (ipympl may have doubled the dpi for a HiDPI screen)."""
        ratio = getattr(self.fig.canvas, "device_pixel_ratio", 1) or 1
        w, h = self.fig.get_size_inches() * self.fig.dpi / ratio
        return round(w), round(h)

    # -- internals ---------------------------------------------------------------------------
    def _new_figure(self) -> Figure:
        """The panel's one figure: pyplot's (an ipympl canvas widget under ``%matplotlib widget``);
        a wide figure is drawn at a lower dpi to fit (``MAX_FIGURE_PX``)."""
        with plt.ioff():
            dpi = plt.rcParams["figure.dpi"]
            return plt.figure(figsize=self.figsize, dpi=min(dpi, MAX_FIGURE_PX / self.figsize[0]))

    def _check_given_values(self, init: Any, args: tuple, kwargs: dict) -> None:
        """A constructor argument named like a control must have reached it unchanged (a
        control built without our builders clamps silently)."""
        try:
            given = inspect.signature(init).bind(None, *args, **kwargs).arguments
        except (TypeError, ValueError):
            return
        for name, control in self.controls.items():
            if name in given and name != "self" and hasattr(control, "value") \
                    and not _same_value(given[name], control.value):
                problem = value_problem(control, given[name]) or (
                    f"was changed to {control.value!r} by its control; got {given[name]!r}")
                self.close()
                raise ValueError(f"{type(self).__name__}: {name} {problem}.")

    def _check_open(self) -> None:
        if getattr(self, "_closed", False):
            raise RuntimeError(f"this {type(self).__name__} is closed (by close(), or because a newer "
                               f"{type(self).__name__} replaced it when its cell ran again); create a new one.")

    def _configure_canvas(self) -> None:
        quiet_canvas(self.fig)  # no header / toolbar; ipympl's broken pre-connection image never synced
        _fast_png.install(self.fig.canvas)  # ipympl: the same diff image, PNG-encoded ~3× faster

    def _figure_widget(self) -> widgets.Widget:
        if isinstance(self.fig.canvas, widgets.DOMWidget):  # ipympl: the canvas is a widget
            return self.fig.canvas
        out = widgets.Output()  # any other backend: show a static image of the current state
        with out:
            from IPython.display import display

            display(self.fig)
        return out

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._closed:
            return
        if self._holding:
            self._pending = True
            return
        self._redraw()

    def _animated_artists(self) -> list[Any]:
        """Artists that change on every update (curves, markers, titles), for fast redraws.

        A panel that returns them gets the fast path: everything else (axes, ticks, labels,
        legends) is drawn once into a cached background, and an update only restores that
        background and draws these artists — 0.3 ms instead of 18 ms of Agg work for the
        activation explorer. Whenever an update changes an axis's limits, the whole figure is
        drawn again. The default (no artists) always draws the whole figure.

        They are drawn in this order, on top of the background: list a changing image or
        filled contour first and the static artists that lie above it (points, its axes'
        spines) after it — those are then left out of the background and redrawn too. The list
        is asked for again after every ``_update``, so an artist that ``_update`` replaces (a
        new contour set) can be returned. ``tests/test_widgets_fast_redraw.py`` proves, for every
        control, that the result is pixel-identical to a full draw.
        """
        return []

    def _overlay_artists(self) -> list[Any]:
        """Animated artists that often do not change (a legend over moving curves, a diagram's
        labels), as artists or ``(artist, key)`` pairs: put back as pixels when unchanged.

        Whenever one is drawn its box is kept (the pixels just before and just after); the next
        time, if its key (and the background's state) is the same and its box holds exactly the
        pixels it held before — nothing drawn earlier in the frame changed there — the kept
        pixels are pasted instead of drawing it (a legend: ~4 ms of Agg text → 0.05 ms). Otherwise
        it is drawn (and kept anew), or, with an opaque frame (``framealpha=1``), only its frame
        is drawn and the rest pasted (``widgets._overlays``). The key is what the artist's look
        depends on besides the background (default: nothing): an edge whose width follows a
        weight is listed with that weight. Must be a subset of :meth:`_animated_artists`.
        """
        return []

    def _overlay_keys(self) -> dict[int, tuple[Any, Any]]:
        """id → (artist, key) of the animated overlays; the key includes the background's state."""
        if not self._overlay_hook:
            return {}
        state = self._background_at
        animated = set(map(id, self._animated))
        out = {}
        for item in self._overlay_artists():
            artist, key = item if isinstance(item, tuple) else (item, None)
            if artist is not None and id(artist) in animated and artist.get_visible():
                out[id(artist)] = (artist, (state, key))
        return out

    def _draw_animated(self, renderer: Any, full: bool) -> None:
        """Draw the animated artists in order over what the canvas holds, overlays from their
        kept pixels where that is exact (:meth:`_overlay_artists`); after a ``full`` draw every
        overlay is drawn and kept anew (and its opaque frame proven)."""
        overlays = self._overlay_keys()
        if not overlays:
            for artist in self._animated:
                artist.draw(renderer)
            return
        buf = np.asarray(self.fig.canvas.buffer_rgba())
        for gone in set(self._overlays) - set(overlays):  # replaced artists (a new legend): forget them
            del self._overlays[gone]
        for artist in self._animated:
            entry = overlays.get(id(artist))
            if entry is None:
                artist.draw(renderer)
                continue
            kept = self._overlays.setdefault(id(artist), Recent())
            key = entry[1]
            keep = kept.get(key)
            if keep is not None and keep.artist is artist and not full and _overlays.replay(buf, keep, key, self.fig):
                kept.touch(key)
                continue
            keep = _overlays.record(buf, artist, key, renderer, previous=keep, with_mask=full)
            if keep is None:
                kept.pop(key, None)
                continue
            kept.put(key, keep, 4)  # a few looks per artist (a slider pressed back and forth)

    def _collect_animated(self) -> None:
        """(Re)collect the animated artists: ``_update`` may replace some (a new contour set)."""
        self._animated = list(self._animated_artists())
        for artist in self._animated:
            artist.set_animated(True)  # left out of the cached background

    def _background_key(self) -> Any:
        """What the static artists depend on besides the axis limits (default: nothing).

        A fast-redraw panel whose ``_update`` changes a static artist (shows or hides one,
        changes a fixed label) returns the control values that do it, so the background is
        drawn again when they change; ``tests/test_widgets_fast_redraw.py`` catches a missing one.
        """
        return ()

    def _state_key(self) -> Any:
        return (tuple(self._limits()), self._background_key())

    #: in a kernel, the read-out follows the figure's image by this long (s): see _redraw
    readout_delay: ClassVar[float] = 0.04

    def _redraw(self) -> None:
        with self._redrawing(), self._readout_after_the_image():
            changed = self._update(self.values)
            self.update_count += 1
            if changed is not False:  # _update may say that nothing visible changed
                self._show()

    @contextlib.contextmanager
    def _readout_after_the_image(self) -> Iterator[None]:
        """The read-out's new text reaches the page :attr:`readout_delay` after the figure.

        Handled right after the image, an HTML widget's update (and the reflow of the notebook
        page it causes) ran while the image was being decoded, and delayed its paint: 7 ms per
        key press for LectureNetworkPanel in notebook 01. In a kernel (an asyncio loop runs) the
        update is sent a little later — at most one per delay, always the latest text; anywhere
        else (tests, scripts) at once, after the figure."""
        readout = self.readout
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or readout._holding_sync or self.readout_delay <= 0:
            with readout.hold_sync():
                yield
            return
        readout._holding_sync = True
        try:
            yield
        finally:
            readout._holding_sync = False
            pending = set(readout._states_to_send)
            readout._states_to_send.clear()
            if pending:
                self._readout_pending |= pending
                if self._readout_timer is None:
                    self._readout_timer = loop.call_later(self.readout_delay, self._send_readout)

    def _send_readout(self) -> None:
        self._readout_timer = None
        pending, self._readout_pending = self._readout_pending, set()
        if pending and not self._closed and self.readout.comm is not None:
            self.readout.send_state(pending)

    @contextlib.contextmanager
    def _redrawing(self) -> Iterator[None]:
        """Changes made inside are drawn by the panel itself (see :meth:`_quiet_auto_draw`);
        a training loop wraps its frame in it: ``with self._redrawing(): move(); self._show()``."""
        drawing, self._drawing = self._drawing, True
        try:
            yield
        finally:
            self._drawing = drawing

    def _quiet_auto_draw(self) -> None:
        """pyplot answers every change to an interactive figure with ``draw_idle()``; under
        ipympl that is a round trip to the browser and then a second, *full* Agg draw (and a
        second image) after each update the panel has already drawn — measured with
        ``bench/bench_keypress_breakdown.py``. Skip it while the panel draws; a change made
        from outside (a cell calling ``panel.ax.set_title``) still redraws as before. (The
        other way in, pyplot's post_execute hook, is closed by marking the figure drawn.)"""
        callback = self.fig.stale_callback
        if callback is None:
            return
        panel = weakref.ref(self)

        def stale(fig: Figure, value: bool) -> None:
            owner = panel()
            if owner is None or not owner._drawing:
                callback(fig, value)

        self.fig.stale_callback = stale

    def _show(self) -> None:
        """Put the artists as they are now on the canvas: only the animated ones over a cached
        background when that is exact, else a full draw (also for a training loop's frames)."""
        with self._redrawing():
            self._put_on_canvas()

    def _frame_key(self) -> Any:
        """The key of the frame the panel shows now (see :attr:`frame_cache`), or None."""
        if not self.frame_cache or not self._animated:
            return None
        key = (tuple(sorted(self.values.items())), self._state_key())
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def _keep_frame(self, key: Any) -> None:
        canvas = self.fig.canvas
        canvas._lecture_frame = key  # _fast_png keeps diff images between keyed frames
        if key is None:
            return
        self._frames.put(key, canvas.copy_from_bbox(self.fig.bbox), self.frame_cache)

    def _put_on_canvas(self) -> None:
        if self._fast:
            self._collect_animated()
        canvas = self.fig.canvas
        frame_key = self._frame_key()
        frame = self._frames.get(frame_key) if frame_key is not None else None
        if frame is not None and self._background_renderer is canvas.get_renderer():
            self._frames.touch(frame_key)
            canvas.restore_region(frame)  # every artist exactly as drawn for these values
            canvas._lecture_frame = frame_key
            self.frame_hits += 1
            self._send_frame()
            return
        key = self._state_key() if self._animated else None
        if self._background_renderer is canvas.get_renderer() and key != self._background_at:
            cached = self._backgrounds.get(key)  # seen before: no need for a full draw
            if cached is not None:
                self._backgrounds.touch(key)
                self._background, self._background_at = cached, key
        if (not self._animated or self._background is None or key != self._background_at
                or self._background_renderer is not canvas.get_renderer()):
            # draw() now, not draw_idle(): measured ~35 ms faster per key press under ipympl
            canvas.draw()  # a full draw; _after_full_draw adds the animated artists
            return
        canvas.restore_region(self._background)
        self._draw_animated(canvas.get_renderer(), full=False)
        self._keep_frame(frame_key)
        self._send_frame()

    def _send_frame(self) -> None:
        canvas = self.fig.canvas
        # the canvas now shows every artist as it is: without this, pyplot's post_execute hook
        # (which IPython also runs after every widget message) would draw_idle() the "stale"
        # figure — under ipympl a browser round trip, a second full draw and a second image
        # (measured: 48 -> 14 ms of kernel CPU per key press, bench/bench_class.py)
        self.fig.stale = False
        manager = getattr(canvas, "manager", None)
        if hasattr(canvas, "_png_is_old") and hasattr(manager, "refresh_all"):
            canvas._png_is_old = True  # ipympl: send the changed pixels as a diff image
            manager.refresh_all()

    def _after_full_draw(self, event: Any) -> None:
        """After any full draw (ours, ipympl's on connect, a resize): keep the background
        (everything but the animated artists), then draw those on top."""
        canvas = self.fig.canvas
        if canvas.is_saving():  # savefig draws animated artists itself
            return
        live = event.renderer is getattr(canvas, "renderer", None)
        if not live or event.renderer is not self._background_renderer:
            self._backgrounds.clear()  # a new renderer (a resize): the old pixels do not fit
        self._background = canvas.copy_from_bbox(self.fig.bbox) if live else None
        self._background_renderer = event.renderer if live else None
        self._background_at = self._state_key() if live else None
        if live and self.background_cache > 0:
            self._backgrounds.put(self._background_at, self._background, self.background_cache)
        self._frames.clear()  # a full draw: what made the kept frames may have changed
        canvas._lecture_sent = None  # (and the frame last sent with them)
        if hasattr(canvas, "_lecture_diffs"):
            canvas._lecture_diffs.clear()
        if live:
            self._draw_animated(event.renderer, full=True)
            self._keep_frame(self._frame_key())
        else:
            for artist in self._animated:
                artist.draw(event.renderer)
        self.fig.stale = False  # drawing them (a legend's texts) must not ask pyplot for another draw

    def _limits(self) -> list[tuple[float, ...]]:
        return [tuple(ax.viewLim.bounds) for ax in self.fig.axes]

    def _freeze_layout(self, _event: object) -> None:
        """After the first real draw, keep the axes where constrained layout put them."""
        self.fig.canvas.mpl_disconnect(self._freeze_cid)
        if self.fig.get_layout_engine() is not None:
            self.fig.set_layout_engine("none")
