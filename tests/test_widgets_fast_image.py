"""The panels' cheaper heat maps (lecture_utils.widgets._fast_image) draw what matplotlib draws."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lecture_utils.widgets import _fast_image

RNG = np.random.default_rng(0)
CASES = {
    "tall, few columns (a layer's activations)": (RNG.normal(size=(200, 5)), {}),
    "square map on an extent": (np.add.outer(np.linspace(0, 1, 81), np.linspace(0, 2, 81)) ** 2,
                                {"extent": (-3, 3, -3, 3), "aspect": "equal"}),
    "zoomed in (partly outside the axes)": (RNG.normal(size=(30, 40)), {"xlim": (5, 30), "ylim": (3, 25)}),
    "reversed x axis": (RNG.normal(size=(30, 40)), {"xlim": (30, 5)}),
    "class labels with alpha": (RNG.integers(0, 3, size=(150, 150)).astype(float), {"alpha": 0.35}),
}


def _draw(fast: bool, data, interpolation: str, origin: str, xlim=None, ylim=None, **kw) -> np.ndarray:
    fig = Figure(figsize=(5, 4), dpi=80)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 200], [0, 200], linewidth=5)  # something under a translucent map
    image = ax.imshow(data, interpolation=interpolation, origin=origin, cmap="PuOr_r", **kw)
    if xlim:
        ax.set_xlim(*xlim)
    if ylim:
        ax.set_ylim(*ylim)
    if fast:
        _fast_image.install(image)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).astype(int)


@pytest.mark.parametrize("origin", ["upper", "lower"])
@pytest.mark.parametrize("case", list(CASES))
def test_nearest_is_pixel_identical(case, origin):
    data, kw = CASES[case]
    assert np.array_equal(_draw(True, data, "nearest", origin, **kw), _draw(False, data, "nearest", origin, **kw))


@pytest.mark.parametrize("origin", ["upper", "lower"])
@pytest.mark.parametrize("case", list(CASES))
def test_bilinear_is_within_a_few_colour_levels(case, origin):
    data, kw = CASES[case]
    diff = np.abs(_draw(True, data, "bilinear", origin, **kw) - _draw(False, data, "bilinear", origin, **kw))
    assert diff.max() <= 4, f"{case}: up to {diff.max()} levels apart"


def test_what_it_cannot_draw_is_left_to_matplotlib(monkeypatch):
    from matplotlib.image import AxesImage

    calls = []

    original = AxesImage.make_image

    def spy(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AxesImage, "make_image", spy)
    masked = np.ma.masked_less(RNG.normal(size=(20, 20)), 0)
    for data, interpolation, kw in ((masked, "nearest", {}), (RNG.normal(size=(20, 20)), "hanning", {}),
                                    (RNG.uniform(size=(20, 20, 3)), "nearest", {}),
                                    (RNG.normal(size=(20, 20)), "nearest", {"alpha": RNG.uniform(size=(20, 20))})):
        before = len(calls)
        _draw(True, data, interpolation, "upper", **kw)
        assert len(calls) > before, f"{interpolation} {kw or ''} was not left to matplotlib"
