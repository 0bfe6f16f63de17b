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

import base64
import contextlib
import html
import io
import re
import weakref
from collections import OrderedDict
from typing import Any, ClassVar, Iterator

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..style import quiet_canvas
from . import _fast_png

__all__ = ["Panel", "float_slider", "float_log_slider", "int_slider", "dropdown", "toggle"]

_LAYOUT = widgets.Layout(width="420px")
_STYLE = {"description_width": "110px"}
_SNAPSHOT_NOTE = "static snapshot — run the notebook for the live panel"


def float_slider(description: str, value: float, min: float, max: float, step: float,
                 readout_format: str = ".2f") -> widgets.FloatSlider:
    """A keyboard-operable slider with a numeric read-out, sized for a projector."""
    return widgets.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                               readout=True, readout_format=readout_format, continuous_update=True,
                               layout=_LAYOUT, style=_STYLE)


def int_slider(description: str, value: int, min: int, max: int, step: int = 1) -> widgets.IntSlider:
    """An integer slider with a read-out (arrow keys move it one step)."""
    return widgets.IntSlider(value=value, min=min, max=max, step=step, description=description,
                             readout=True, continuous_update=True, layout=_LAYOUT, style=_STYLE)


def float_log_slider(description: str, value: float, min_exp: float, max_exp: float,
                     step: float = 0.05, readout_format: str = ".3g") -> widgets.FloatLogSlider:
    """A logarithmic slider from 10**min_exp to 10**max_exp (temperatures, learning rates)."""
    return widgets.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=step,
                                  description=description, readout=True,
                                  readout_format=readout_format, continuous_update=True,
                                  layout=_LAYOUT, style=_STYLE)


def dropdown(description: str, options: Any, value: Any) -> widgets.Dropdown:
    """A drop-down choice (keyboard: focus, then arrow keys)."""
    return widgets.Dropdown(options=options, value=value, description=description,
                            layout=_LAYOUT, style=_STYLE)


def toggle(description: str, options: Any, value: Any) -> widgets.ToggleButtons:
    """A row of toggle buttons for two to four choices."""
    return widgets.ToggleButtons(options=options, value=value, description=description,
                                 style={"description_width": "110px", "button_width": "90px"})


def _shown(label: str, text: str, has_equals: bool | None = None) -> str:
    """``w = 1.00``; ``actual label y: y = 1`` when the option's label has its own ``=``."""
    return f"{label}: {text}" if ("=" in text if has_equals is None else has_equals) else f"{label} = {text}"


class Panel:
    """Base class: controls + one figure, updated in place. See the module docstring."""

    #: figure size in inches (at the lecture style's 80 dpi: readable on a projector)
    figsize: ClassVar[tuple[float, float]] = (8.0, 4.5)
    #: after the first draw, keep the axes where constrained layout put them and stop
    #: re-running the layout on every update (it costs about a third of each redraw)
    freeze_layout: ClassVar[bool] = True
    #: fast-redraw panels keep this many backgrounds, by axis limits (and ``_background_key``):
    #: a slider pressed back and forth, or a choice toggled, finds its background again instead
    #: of a full draw (≈ 0.9 MB each for an 8 × 4.5 in figure at 80 dpi)
    background_cache: ClassVar[int] = 6
    _live: ClassVar[dict[str, "weakref.ref[Panel]"]] = {}

    def __init__(self, controls: dict[str, widgets.Widget], key: str | None = None) -> None:
        self.controls: dict[str, widgets.Widget] = dict(controls)
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
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
        self._configure_canvas()
        if self.freeze_layout:
            self._freeze_cid = self.fig.canvas.mpl_connect("draw_event", self._freeze_layout)
        self._build(self.fig)
        self._background = self._background_renderer = self._background_at = None
        self._backgrounds: OrderedDict[Any, Any] = OrderedDict()
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
        """Set several controls at once (one redraw); unknown names raise ``KeyError``."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"unknown control(s) {sorted(unknown)}; this panel has {sorted(self.controls)}.")
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
        return self

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Batch control changes: the figure is redrawn once, when the block ends."""
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
        if getattr(self, "_widget", None) is None:
            self._widget = widgets.VBox([self._controls_box(), self._figure_widget()])
            # the browser tests and benchmarks find every panel by this class
            self._widget.add_class("lecture-panel")
            self._widget.add_class(f"lecture-panel-{type(self).__name__}")
        return self._widget

    def _controls_box(self) -> widgets.Widget:
        """Everything above the figure: the controls, any extra widgets, then the read-out."""
        return widgets.VBox(list(self.controls.values()) + self._extra_widgets() + [self.readout])

    def _extra_widgets(self) -> list[widgets.Widget]:
        """Widgets shown between the controls and the read-out (buttons, a progress bar)."""
        return []

    def close(self) -> None:
        """Close the figure and the widgets (the panel can no longer be used)."""
        plt.close(self.fig)
        if Panel._live.get(self._key) is not None and Panel._live[self._key]() is self:
            del Panel._live[self._key]

    def _ipython_display_(self) -> None:
        from IPython.display import display

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
        # savefig draws the animated artists itself; _after_full_draw leaves the cached background
        with plt.rc_context({"savefig.bbox": "standard", "savefig.transparent": False}):
            self.fig.savefig(buf, format="png", dpi="figure")
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
        """The panel's one figure: pyplot's (an ipympl canvas widget under ``%matplotlib widget``)."""
        with plt.ioff():
            return plt.figure(figsize=self.figsize)

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

    def _redraw(self) -> None:
        with self._redrawing():
            changed = self._update(self.values)
            self.update_count += 1
            if changed is not False:  # _update may say that nothing visible changed
                self._show()

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

    def _put_on_canvas(self) -> None:
        if self._fast:
            self._collect_animated()
        canvas = self.fig.canvas
        key = self._state_key() if self._animated else None
        if self._background_renderer is canvas.get_renderer() and key != self._background_at:
            cached = self._backgrounds.get(key)  # seen before: no need for a full draw
            if cached is not None:
                self._backgrounds.move_to_end(key)
                self._background, self._background_at = cached, key
        if (not self._animated or self._background is None or key != self._background_at
                or self._background_renderer is not canvas.get_renderer()):
            # draw() now, not draw_idle(): measured ~35 ms faster per key press under ipympl
            canvas.draw()  # a full draw; _after_full_draw adds the animated artists
            return
        canvas.restore_region(self._background)
        for artist in self._animated:
            self.fig.draw_artist(artist)
        # the canvas now shows every artist as it is: without this, pyplot's post_execute hook
        # (which IPython also runs after every widget message) would draw_idle() the "stale"
        # figure — under ipympl a browser round trip, a second full draw and a second image
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
            self._backgrounds[self._background_at] = self._background
            self._backgrounds.move_to_end(self._background_at)
            while len(self._backgrounds) > self.background_cache:
                self._backgrounds.popitem(last=False)
        for artist in self._animated:
            artist.draw(event.renderer)

    def _limits(self) -> list[tuple[float, ...]]:
        return [tuple(ax.viewLim.bounds) for ax in self.fig.axes]

    def _freeze_layout(self, _event: object) -> None:
        """After the first real draw, keep the axes where constrained layout put them."""
        self.fig.canvas.mpl_disconnect(self._freeze_cid)
        if self.fig.get_layout_engine() is not None:
            self.fig.set_layout_engine("none")
