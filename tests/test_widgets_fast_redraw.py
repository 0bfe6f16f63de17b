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


def _values_to_visit(control) -> list:
    """Values that exercise a control: each option of a choice; for a slider one step each way,
    two steps in a row, both ends (where axis limits often change) and a step back from each."""
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi, v, k = control.base ** control.min, control.base ** control.max, control.value, control.base ** control.step
        clamp = lambda x: min(max(x, lo), hi)  # noqa: E731
        return [clamp(v * k), clamp(v * k * k), clamp(v), hi, clamp(hi / k), lo, clamp(lo * k), v]
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        lo, hi, v, d = control.min, control.max, control.value, control.step
        clamp = lambda x: type(v)(min(max(x, lo), hi))  # noqa: E731
        return [clamp(v + d), clamp(v + 2 * d), clamp(v - d), hi, clamp(hi - d), lo, clamp(lo + d), v]
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons,
                            widgets.SelectionSlider)):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        values = list(getattr(control, "_options_values", values))
        return values[values.index(control.value) + 1:] + values[:values.index(control.value) + 1]
    return []


def _another_value(control):
    """A value other than the control's current one (the first such of _values_to_visit)."""
    return next(v for v in _values_to_visit(control) if v != control.value)


FAST = _fast_panels()


def test_some_panels_use_the_fast_path():
    assert len(FAST) >= 5


_CHOICES = (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons, widgets.SelectionSlider)


def _ends(control) -> list:
    """(lowest, highest) value of a slider."""
    if isinstance(control, widgets.FloatLogSlider):
        return [control.base ** control.min, control.base ** control.max]
    return [control.min, control.max]


@pytest.mark.parametrize("cls", FAST, ids=[c.__name__ for c in FAST])
def test_fast_redraw_matches_a_full_draw_for_every_control(cls):
    """Every value of every control (see _values_to_visit): the pixels the fast path leaves are
    those of a full draw. Each control's first two values are set back to back with no full
    draw in between, so stale pixels cannot hide behind a freshly cached background.

    Then all sliders at their lowest together, then at their highest (TowersPanel with n = 1
    and M = 1 has no interior cell corner), and in every option of every choice (a view, an
    activation, a data set): the sliders that option enables for the first time get the full
    visit (TowersPanel's n and M exist only in its "towers" view), every slider its two ends,
    and all sliders at their ends together again."""
    panel = cls()
    canvas = panel.fig.canvas
    visited: set[str] = set()
    steps = 0

    def show(changes: dict, compare: bool = True) -> None:
        nonlocal steps
        panel.set(**changes)
        steps += 1
        if not compare:
            return
        shown = np.asarray(canvas.buffer_rgba()).copy()
        canvas.draw()
        full = np.asarray(canvas.buffer_rgba())
        assert np.array_equal(shown, full), (f"{cls.__name__}: {changes!r} (with {panel.values!r}) left "
                                             f"{int((shown != full).any(axis=2).sum())} stale pixels")

    def sliders() -> list[tuple[str, object]]:
        return [(n, c) for n, c in panel.controls.items()
                if not c.disabled and hasattr(c, "value") and not isinstance(c, _CHOICES)
                and isinstance(c, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider))]

    def visit_new() -> None:
        for name, control in panel.controls.items():
            if control.disabled or not hasattr(control, "value") or name in visited:
                continue
            visited.add(name)
            for i, value in enumerate(_values_to_visit(control)):
                show({name: value}, compare=i > 0)  # the first is drawn over by the second

    def all_ends() -> None:  # all at the lowest, then all at the highest, one by one; then back
        start = {n: c.value for n, c in sliders()}
        for k in (0, 1):
            for name, control in sliders():
                show({name: _ends(control)[k]})
        for name, control in sliders():
            show({name: start.get(name, control.value)})

    try:
        canvas.draw()
        visit_new()
        all_ends()
        for cname, choice in list(panel.controls.items()):
            if not isinstance(choice, _CHOICES):
                continue
            for option in _values_to_visit(choice):
                if choice.disabled:
                    break
                show({cname: option})
                visit_new()
                start = {n: c.value for n, c in sliders()}
                for name, control in sliders():
                    for end in _ends(control):
                        show({name: end})
                    show({name: start[name]})
                all_ends()
    finally:
        panel.close()
    assert steps, f"{cls.__name__}: no control to drive"


# -- the cheaper ipympl diff image (lecture_utils.widgets._fast_png) ------------------------------
def _read_png(data: bytes) -> np.ndarray:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "RGBA"
        return np.asarray(im).copy()


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (360, 640), (37, 101)])
def test_fast_png_round_trips_exactly(shape):
    from lecture_utils.widgets._fast_png import encode_png

    rng = np.random.default_rng(0)
    for image in (rng.integers(0, 256, (*shape, 4), dtype=np.uint8), np.zeros((*shape, 4), np.uint8)):
        assert np.array_equal(_read_png(encode_png(image)), image)


def test_fast_png_refuses_what_is_not_rgba():
    from lecture_utils.widgets._fast_png import encode_png

    with pytest.raises(ValueError, match=r"\(h, w, 4\) uint8.*\(2, 2, 3\)"):
        encode_png(np.zeros((2, 2, 3), np.uint8))


def _ipympl_canvas():
    from ipympl.backend_nbagg import _Backend_ipympl
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 4.5), dpi=80)
    x = np.linspace(-5, 5, 401)
    (line,) = fig.add_subplot().plot(x, x ** 2)
    return _Backend_ipympl.new_figure_manager_given_figure(99, fig).canvas, line


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # ipympl's Toolbar, built outside a kernel
def test_fast_diff_image_is_ipympls_diff_image():
    """The same pixels and image mode as ipympl's own get_diff_image, frame after frame (a diff
    image may stop at its last changed row and column: the rest of ipympl's is transparent)."""
    from lecture_utils.widgets import _fast_png

    ours, line_a = _ipympl_canvas()
    theirs, line_b = _ipympl_canvas()
    assert _fast_png.install(ours) and not _fast_png.install(object())
    modes, sizes = [], []
    for step in range(4):  # a full first frame, then diffs
        for canvas, line in ((ours, line_a), (theirs, line_b)):
            line.set_ydata(line.get_xdata() ** 2 * (1 + 0.1 * step))
            canvas.figure.draw(canvas.get_renderer())
            canvas._png_is_old = True
        a, b = ours.get_diff_image(), theirs.get_diff_image()
        assert ours._current_image_mode == theirs._current_image_mode
        modes.append(ours._current_image_mode)
        a, b = _read_png(a), _read_png(b)
        h, w, _ = a.shape
        assert np.array_equal(a, b[:h, :w]), f"frame {step}"
        assert not b[h:].any() and not b[:, w:].any(), f"frame {step}: a changed pixel was cut off"
        sizes.append((h, w))
        assert ours.get_diff_image() is None  # nothing new to send
    assert modes == ["full", "diff", "diff", "diff"]
    assert sizes[0] == (360, 640) and all(h * w < 360 * 640 for h, w in sizes[1:])
    for canvas in (ours, theirs):  # nothing changed: a 1 × 1 transparent image
        canvas._png_is_old = True
    assert _read_png(ours.get_diff_image()).shape == (1, 1, 4)


def _diff_pair():
    from lecture_utils.widgets import _fast_png

    ours, _ = _ipympl_canvas()
    theirs, _ = _ipympl_canvas()
    _fast_png.install(ours)
    for canvas in (ours, theirs):  # the first frame (full), as both would have sent it
        canvas.figure.draw(canvas.get_renderer())
        canvas._png_is_old = True
        canvas.get_diff_image()
    return ours, theirs


def _send(canvas, change):
    """Change the canvas's pixels directly (as a fast redraw does), then take the next image."""
    buf = np.asarray(canvas.get_renderer().buffer_rgba())
    change(buf)
    canvas._png_is_old = True
    return canvas.get_diff_image(), canvas._current_image_mode


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("case", ["last pixel", "first pixel", "transparent pixel", "force full", "resized"])
def test_fast_diff_image_follows_ipympl_in_every_mode(case):
    """The edge cases of the diff path, against ipympl's own code: a change in the very last
    (or first) pixel, a transparent pixel (a full frame: a diff cannot be drawn over it), a
    forced full frame (a new connection), a buffer of another size (a resize)."""
    ours, theirs = _diff_pair()
    results = []
    for canvas in (ours, theirs):
        if case == "force full":
            canvas._force_full = True
        if case == "resized":
            canvas._last_buff = canvas._last_buff[:-3]
        change = {"last pixel": lambda b: b.__setitem__((-1, -1), (1, 2, 3, 255)),
                  "first pixel": lambda b: b.__setitem__((0, 0), (1, 2, 3, 255)),
                  "transparent pixel": lambda b: b.__setitem__((5, 7, 3), 0)}.get(case, lambda b: None)
        results.append(_send(canvas, change))
    (a, mode_a), (b, mode_b) = results
    assert mode_a == mode_b == ("diff" if case.endswith(" pixel") and case != "transparent pixel" else "full")
    a, b = _read_png(a), _read_png(b)
    h, w, _ = a.shape
    assert np.array_equal(a, b[:h, :w]) and not b[h:].any() and not b[:, w:].any()
    if case == "first pixel":
        assert a.shape == (1, 1, 4)  # the image stops at the last changed row and column


def test_fast_png_compresses_a_changing_heat_map():
    """A smooth map whose every pixel changed (the diff of a heat-map panel) stays small: zlib's
    default matching, not run-length mode, which kept such a diff at ~half its raw size."""
    from lecture_utils.widgets._fast_png import encode_png

    y, x = np.mgrid[0:335, 0:335] / 335.0
    import matplotlib

    rgba = matplotlib.colormaps["PuOr_r"](1 / (1 + np.exp(-(3 * x - 2 * y))), bytes=True)
    data = encode_png(np.ascontiguousarray(rgba))
    assert np.array_equal(_read_png(data), rgba)
    assert len(data) < 0.2 * rgba.nbytes, f"{len(data)} bytes for {rgba.nbytes} raw"


@pytest.mark.parametrize("cls", FAST, ids=[c.__name__ for c in FAST])
def test_fast_redraw_leaves_nothing_for_pyplot_to_redraw(cls):
    """After a fast update the figure is not stale: pyplot's hook, which runs after every widget
    message in a kernel, would otherwise make a second, full draw of every key press."""
    import matplotlib.pyplot as plt

    panel = cls()
    try:
        panel.fig.canvas.draw()
        draws = []
        cid = panel.fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
        for name, control in panel.controls.items():
            if control.disabled or not hasattr(control, "value"):
                continue
            panel.set(**{name: _another_value(control)})
            before = len(draws)
            plt.draw_all()  # what pyplot's post-execute hook does in a kernel
            assert len(draws) == before, f"{cls.__name__}: '{name}' left the figure stale"
        panel.fig.canvas.mpl_disconnect(cid)
    finally:
        panel.close()


# -- overlays: static artists over moving ones, pasted as pixels (lecture_utils.widgets._overlays) --
class _SweepPanel(Panel):
    """A thick line sweeping across an opaque legend, a translucent legend and an opaque text box,
    over a static black line (black background pixels under the overlays: an underlay that a
    black test underlay alone would not tell apart)."""

    figsize = (6.0, 3.0)

    def __init__(self, x: float = 0.0) -> None:
        from lecture_utils.widgets._panel import float_slider

        super().__init__({"x": float_slider("x", x, 0.0, 1.0, 0.02)})

    def _build(self, fig):
        ax = self.ax = fig.add_subplot()
        (static,) = ax.plot([0, 1], [0.86, 0.86], color="black", linewidth=3, label="static")
        (self.moving,) = ax.plot([], [], color="#E69F00", linewidth=9, label="moving")
        (self.dot,) = ax.plot([], [], "o", markersize=18, color="#0072B2")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        self.opaque = ax.legend(handles=[static, self.moving], loc="upper left", framealpha=1.0)
        ax.add_artist(self.opaque)
        self.translucent = ax.legend(handles=[static], loc="upper right", framealpha=0.5)
        self.note = ax.text(0.42, 0.3, "a fixed note", fontsize=14,
                            bbox={"facecolor": "white", "edgecolor": "black", "alpha": 1.0})

    def _animated_artists(self):
        return [self.moving, self.dot, self.opaque, self.translucent, self.note]

    def _overlay_artists(self):
        return [self.opaque, self.translucent, self.note]

    def _update(self, values):
        x = float(values["x"])
        self.moving.set_data([x, x], [0.0, 1.0])
        self.dot.set_data([1.0 - x], [0.86])


def test_overlays_are_pasted_framed_or_drawn_and_always_exact(monkeypatch):
    from lecture_utils.widgets import _overlays

    kinds = []
    replay = _overlays.replay

    def spy(buf, keep, key, figure):
        box = buf[keep.rows, keep.cols]
        kind = ("paste" if np.array_equal(box, keep.under) else "frame" if keep.mask is not None
                else "draw") if keep.key == key else "draw"
        kinds.append((keep.artist, kind))
        return replay(buf, keep, key, figure)

    monkeypatch.setattr(_overlays, "replay", spy)
    panel = _SweepPanel()
    canvas = panel.fig.canvas
    try:
        canvas.draw()
        kept = {name: next(iter(panel._overlays[id(getattr(panel, name))].values()))
                for name in ("opaque", "note", "translucent")}
        assert kept["opaque"].mask is not None and kept["note"].mask is not None  # opaque frames: proven
        assert kept["translucent"].mask is None  # see-through: drawn when reached
        for x in np.arange(0.0, 1.0001, 0.02):
            panel.set(x=float(x))
            shown = np.asarray(canvas.buffer_rgba()).copy()
            canvas.draw()
            full = np.asarray(canvas.buffer_rgba())
            assert np.array_equal(shown, full), f"x = {x:.2f}: {int((shown != full).any(axis=2).sum())} pixels differ"
            panel.set(x=float(min(x + 0.01, 1.0)))  # and once more without a full draw in between
        seen = {(id(a), k) for a, k in kinds}
        for artist, kind in ((panel.opaque, "paste"), (panel.opaque, "frame"), (panel.note, "frame"),
                             (panel.translucent, "paste"), (panel.translucent, "draw")):
            assert (id(artist), kind) in seen, f"{kind} never used"
    finally:
        panel.close()


class _ChainPanel(_SweepPanel):
    """Overlays with keys: the line is an overlay keyed by its position, so an unchanged line and
    everything over it are pasted, a moved one drawn (and what lies on it too)."""

    def __init__(self, x: float = 0.0) -> None:
        super().__init__(x)

    def _overlay_artists(self):
        return [(self.moving, float(self.controls["x"].value)), self.opaque, self.translucent, self.note]


def test_keyed_overlays_replay_only_what_did_not_change():
    panel = _ChainPanel()
    canvas = panel.fig.canvas
    try:
        canvas.draw()
        for x in (0.3, 0.32, 0.3, 0.5, 0.5, 0.08, 0.3):
            panel.set(x=x)
            shown = np.asarray(canvas.buffer_rgba()).copy()
            canvas.draw()
            assert np.array_equal(shown, np.asarray(canvas.buffer_rgba())), f"x = {x}"
            panel._redraw()  # the same state again: every overlay from its kept pixels
        assert len(panel._overlays[id(panel.moving)]) <= 4  # a few looks kept per artist
    finally:
        panel.close()


def test_an_overlay_that_changes_is_caught_by_the_pixel_test():
    """Listing an artist that _update changes as an overlay is wrong: the comparison with a full
    draw (the test above, for every panel) sees the stale copy."""

    class Wrong(_SweepPanel):
        def _update(self, values):
            super()._update(values)
            self.opaque.get_texts()[0].set_text(f"x = {float(values['x']):.2f}")

    panel = Wrong()
    try:
        panel.fig.canvas.draw()
        panel.set(x=0.9)  # the line is far from the opaque legend: its old copy is pasted
        shown = np.asarray(panel.fig.canvas.buffer_rgba()).copy()
        panel.fig.canvas.draw()
        assert not np.array_equal(shown, np.asarray(panel.fig.canvas.buffer_rgba()))
    finally:
        panel.close()


def test_overlay_records_stay_few_when_overlays_are_replaced():
    """GradientPanel makes a new legend when the label changes: the records of the old ones are
    dropped (they held 47 MB after 500 updates before)."""
    from lecture_utils.widgets.gradient_panel import GradientPanel

    panel = GradientPanel()
    try:
        panel.fig.canvas.draw()
        for i in range(30):
            panel.set(y=i % 2, z=-6.0 + 0.1 * i)
        records = sum(len(kept) for kept in panel._overlays.values())
        assert len(panel._overlays) <= len(panel._overlay_artists()) and records <= 4 * len(panel._overlays)
    finally:
        panel.close()


# -- whole frames kept by control values (Panel.frame_cache) ------------------------------------
def test_frame_cache_shows_exactly_what_a_full_draw_shows():
    """SawtoothPanel keeps a frame per k: k pressed back and forth is shown from kept frames
    (no drawing), and each such frame is the full draw's frame for that k, pixel for pixel."""
    from lecture_utils.widgets.sawtooth_panel import SawtoothPanel

    panel = SawtoothPanel()
    canvas = panel.fig.canvas
    try:
        assert panel.frame_cache > 0
        canvas.draw()
        shown = []
        for k in (4, 3, 4, 5, 3, 8, 1, 4):
            panel.set(k=k)
            shown.append((k, np.asarray(canvas.buffer_rgba()).copy()))
        assert panel.frame_hits >= 4, panel.frame_hits
        for k, pixels in shown:
            panel.set(k=k)
            canvas.draw()  # a full draw (it also forgets the kept frames)
            assert np.array_equal(pixels, np.asarray(canvas.buffer_rgba())), f"k = {k}"
        hits = panel.frame_hits
        panel.fig.axes[0].set_xlabel("changed from a cell")  # the kept frames no longer hold
        canvas.draw()
        panel.set(k=3)
        assert panel.frame_hits == hits and "changed from a cell" in panel.fig.axes[0].get_xlabel()
    finally:
        panel.close()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # ipympl's Toolbar, built outside a kernel
def test_kept_diff_images_between_named_frames_are_ipympls():
    """Frames named by a panel (canvas._lecture_frame): the diff image from one named frame to
    another is kept and sent again; it is the image ipympl computes, every time."""
    from lecture_utils.widgets import _fast_png

    ours, line_a = _ipympl_canvas()
    theirs, line_b = _ipympl_canvas()
    _fast_png.install(ours)
    looks = {"a": 1.0, "b": 1.3, "c": 0.7}
    for step, name in enumerate("abababcbcab"):
        for canvas, line in ((ours, line_a), (theirs, line_b)):
            line.set_ydata(line.get_xdata() ** 2 * looks[name])
            canvas.figure.draw(canvas.get_renderer())
            canvas._png_is_old = True
        ours._lecture_frame = name
        a, b = _read_png(ours.get_diff_image()), _read_png(theirs.get_diff_image())
        h, w, _ = a.shape
        assert np.array_equal(a, b[:h, :w]) and not b[h:].any() and not b[:, w:].any(), f"frame {step} ({name})"
    assert set(ours._lecture_diffs) == {("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("c", "a")}

