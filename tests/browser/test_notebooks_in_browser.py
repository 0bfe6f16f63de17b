"""Every notebook, run in JupyterLab in a real (headless) Chromium, with every panel poked.

For each notebook in notebooks/ (found at collection time, so new notebooks are covered):
restart the kernel and run all cells from the Kernel menu, check that every code cell ran, that
no cell shows an error (except deliberate ``# NBVAL_RAISES_EXCEPTION`` cells) and that no widget
failed to display; then, for every ``.lecture-panel``, press arrow keys on its sliders, change its
drop-downs and toggle buttons, and check the panel's figure changed each time. A generated
notebook showing every Panel subclass with its defaults covers panels no notebook uses yet.

Run: ``.venv/bin/python -m pytest tests/browser -p no:cacheprovider`` (about a minute per notebook
on two cores). Timing is never asserted here: see ``bench/bench_browser_latency.py``.
"""

from __future__ import annotations

import re
import time

import pytest

from jupyter_harness import NOTEBOOKS_DIR, OTHER_PANELS_NOTEBOOK
from lab_page import (PANEL_SELECTOR, callback_errors, figure_signature, open_notebook,
                      panel_class, press_and_measure, restart_and_run_all, slider_room,
                      wait_changes, wait_quiet, watch, widget_errors)

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))
# what the widget managers log when a widget model or view breaks
WIDGET_CONSOLE_ERROR = re.compile(r"Error setting state|Could not create (a )?view|"
                                  r"Error displaying widget|Failed to (create|load) (model|view)|"
                                  r"Error rendering", re.I)
CHANGE_TIMEOUT = 10.0  # seconds for one figure update (the kernel may share the CPU)
INERT_TIMEOUT = 2.0  # once a panel has responded: a control that does nothing in 2 s is inert


def _label(control) -> str:
    return control.evaluate("e => { const w = e.closest('.jupyter-widgets.widget-inline-hbox, "
                            ".widget-toggle-buttons'); const l = w && w.querySelector('.widget-label');"
                            " return (l && l.textContent.trim()) || '?'; }")


def _exercise_sliders(page, panel, name) -> tuple[list[str], list[str]]:
    """Press →/← on every slider; returns (problems, labels of sliders inert in this state).

    A slider that moves the figure one way must move it back. Once one slider has moved the
    figure, the others get a shorter time-out (the panel is known to be responsive).
    """
    problems, inert, moved = [], [], 0
    handles = panel.locator(".noUi-target:not([disabled]) .noUi-handle")
    for i in range(handles.count()):
        handle = handles.nth(i)
        label = _label(handle)
        below, above = slider_room(handle)
        keys = ["ArrowRight", "ArrowLeft"] if above > 0 else ["ArrowLeft", "ArrowRight"]
        timeout = CHANGE_TIMEOUT if not moved else INERT_TIMEOUT
        first = press_and_measure(page, panel, handle, keys[0], timeout=timeout)
        wait_quiet(page)
        if first is None:
            inert.append(label)
            continue
        back = press_and_measure(page, panel, handle, keys[1], timeout=CHANGE_TIMEOUT)
        wait_quiet(page)
        if back is None:
            problems.append(f"{name}: slider {label!r}: {keys[0]} changed the figure but {keys[1]} "
                            f"did not within {CHANGE_TIMEOUT:.0f} s")
        moved += 1
    return problems, inert


def _exercise_choice(page, panel, control, options, current, choose) -> str | None:
    """Pick up to two other options of a drop-down / toggle row; its label if the figure stayed."""
    for option in [o for o in options if o != current][:2]:
        watch(page, panel)
        choose(option)
        if wait_changes(page, 1, INERT_TIMEOUT):
            wait_quiet(page)
            return None
    return _label(control)


def _exercise_panel(page, panel) -> list[str]:
    """Poke every control of one panel; problems found (inert controls are only printed).

    A control may do nothing visible in the panel's current state (a slope that only matters for
    one activation, a batch size that acts on the next training step), so a panel fails when *no*
    control moves its figure, or a slider moves it one way but not back. Exceptions raised by the
    panel's callbacks are caught separately, from the log console (see ``callback_errors``).
    """
    name = panel_class(panel)
    panel.scroll_into_view_if_needed()
    sig, deadline = figure_signature(page, panel), time.monotonic() + CHANGE_TIMEOUT
    while sig in (None, "empty") and time.monotonic() < deadline:  # still being rendered?
        time.sleep(0.25)
        sig = figure_signature(page, panel)
    if sig is None:
        return [f"{name}: no figure in the panel (neither an ipympl canvas nor an image)"]
    if sig == "empty":
        return [f"{name}: the figure canvas is still 0×0 px after {CHANGE_TIMEOUT:.0f} s — the ipympl "
                "front-end never sized it (a broken initial image: see 'Error setting state' in the "
                "console log, and Panel._configure_canvas in lecture_utils/widgets/_panel.py)"]
    problems, inert = _exercise_sliders(page, panel, name)
    choices = 0
    for select in panel.locator("select:not([disabled])").all():  # disabled: on purpose
        options = select.evaluate("s => [...s.options].map(o => o.value)")
        current = select.evaluate("s => s.value")
        choices += 1
        label = _exercise_choice(page, panel, select, options, current,
                                 lambda v, s=select: s.select_option(v))
        inert += [label] if label else []
    for row in panel.locator(".widget-toggle-buttons").all():
        texts = [b.inner_text().strip() for b in row.locator("button:not([disabled])").all()]
        active = row.locator("button.mod-active")
        current = active.first.inner_text().strip() if active.count() else None
        choices += 1
        label = _exercise_choice(page, panel, row, texts, current,
                                 lambda t, r=row: r.locator("button", has_text=t).first.click())
        inert += [label] if label else []
    controls = panel.locator(".noUi-target:not([disabled]) .noUi-handle").count() + choices
    if controls and len(inert) == controls:
        problems.append(f"{name}: no control changed the figure (tried {inert})")
    elif inert:
        print(f"{name}: control(s) {inert} left the figure unchanged in the state they were tried in")
    return problems


def _check_page(page, run) -> list[str]:
    problems = list(run.problems)
    problems += [f"widget failed to display: {t}" for t in widget_errors(page)]
    bad = [m[:300] for m in page.console_messages_seen if WIDGET_CONSOLE_ERROR.search(m)]
    problems += [f"console ({bad.count(m)}×): {m}" for m in dict.fromkeys(bad)]
    panels = page.locator(PANEL_SELECTOR)
    for i in range(panels.count()):
        problems += _exercise_panel(page, panels.nth(i))
    errors = callback_errors(page)
    problems += [f"a widget callback raised ({errors.count(e)}×) {e}" for e in dict.fromkeys(errors)]
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_its_panels_respond(lab, page, notebook):
    open_notebook(page, lab.url(notebook))
    run = restart_and_run_all(page)
    problems = _check_page(page, run)
    assert not problems, f"{notebook} in JupyterLab:\n- " + "\n- ".join(problems)


def test_panels_no_notebook_uses_yet_render_and_respond(lab, page):
    """Each Panel subclass no notebook imports, built with its defaults, follows its controls."""
    if not lab.other_panels:
        pytest.skip("every Panel class is already shown by some notebook")
    open_notebook(page, lab.url(OTHER_PANELS_NOTEBOOK))
    run = restart_and_run_all(page)
    problems = _check_page(page, run)
    assert not problems, "panels with their defaults, in JupyterLab:\n- " + "\n- ".join(problems)
