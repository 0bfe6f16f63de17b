"""A burst of key presses on a panel's sliders settles, in a real Chromium, for every panel.

A student holding an arrow key sends many slider updates; the kernel must end on the last value
and the figure must stop changing. A panel that sets other sliders from the kernel can instead
start a loop with the browser: a browser slider snaps a value it is given onto its own step grid
and sends the snapped value back (noUiSlider's update event), and if the panel answers that
with new corrections, the two never stop — DivergencePanel did so for ever (its sliders chasing
each other at 12 redraws/s) until its corrections were put on the grid. Every slider of every
panel (one generated notebook with each Panel class and its defaults) gets a burst of 12
presses; the figure must then be still for 0.6 s within 6 s.
"""

from __future__ import annotations

import time

import pytest

from jupyter_harness import discover_panels, panels_notebook
from lab_page import (PANEL_SELECTOR, open_notebook, panel_class, restart_and_run_all, slider_room,
                      wait_quiet, watch)

pytestmark = pytest.mark.browser

NOTEBOOK = "_bursts.ipynb"
PRESSES, QUIET_S, TIMEOUT_S = 12, 0.6, 6.0


def _changes(page) -> int:
    return page.evaluate("() => window.__lp.changes()")


def test_a_burst_of_key_presses_settles_on_every_slider_of_every_panel(page, lab):
    panels = [(m, n) for m, n in discover_panels() if not n.endswith("JS")]  # prototypes: their own test
    lab.add_notebook(NOTEBOOK, panels_notebook(panels))
    open_notebook(page, lab.url(NOTEBOOK))
    run = restart_and_run_all(page)
    assert not run.problems, run.problems
    restless, seen = [], set()
    for element in page.locator(PANEL_SELECTOR).all():
        cls = panel_class(element)
        seen.add(cls)
        for handle in element.locator(".noUi-target:not([disabled]) .noUi-handle").all():
            try:
                handle.scroll_into_view_if_needed(timeout=10_000)
            except Exception as exc:  # noqa: BLE001 - playwright's TimeoutError: say which one
                restless.append(f"{cls}: a slider could not be reached ({type(exc).__name__})")
                continue
            below, above = slider_room(handle)
            key = "ArrowRight" if above >= below else "ArrowLeft"
            handle.focus()
            watch(page, element)
            for _ in range(PRESSES):
                page.keyboard.press(key)
            start = time.monotonic()
            wait_quiet(page, QUIET_S, timeout=TIMEOUT_S)
            took = time.monotonic() - start
            if took >= TIMEOUT_S - 0.1:
                label = handle.evaluate("h => (h.closest('.widget-slider')?.querySelector('.widget-label')"
                                        "?.textContent || '?').trim()")
                restless.append(f"{cls} '{label}': still changing after {TIMEOUT_S:.0f} s "
                                f"({_changes(page)} figure changes)")
    assert {n for _, n in panels} <= seen, f"panels not shown: {sorted({n for _, n in panels} - seen)}"
    assert not restless, "\n".join(restless)
