"""Every notebook as live slides (jupyterlab-slideshow's deck), in JupyterLab in Chromium.

For each notebook with slide metadata (``slideshow.slide_type``; see tools/slides.py): run all
cells, start the deck from the first cell and page through it with Space — at 1280×720, then,
in the same page, at 1024×768. Every slide (and sub-slide) fits: its cells together are no
taller than the window, none reaches past its sides, and no panel, output, code line or
formula is wider than its box (fragments still to come take their room from the start). Every
panel the deck shows must follow a key press (its figure changes) while the deck is presenting.
The last step of every slide is saved as ``test-artifacts/slides/<notebook>/<W>x<H>_<NN>.png``.

And "reopening works": run a notebook, edit a code and a markdown cell, save, close, reopen with
a new kernel — no "Error displaying widget: model not found", the edits are there, and the file
holds no widget view (the save hook of lecture_utils.server_extension).

Reuses the session's JupyterLab server and Chromium (tests/browser/conftest.py); one page per
notebook, one Run All for both window sizes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from jupyter_harness import ARTIFACTS_DIR, NOTEBOOKS_DIR
from lab_page import (PANEL_SELECTOR, open_notebook, panel_class, press_and_measure,
                      restart_and_run_all, save_failure_artifacts, slider_room, wait_changes,
                      wait_quiet, watch, widget_errors)

pytestmark = pytest.mark.browser

VIEWPORTS = [(1280, 720), (1024, 768)]
SLIDES_DIR = ARTIFACTS_DIR / "slides"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_GONE = re.compile(r"Error displaying widget|model not found", re.I)
MAX_STEPS = 400  # a deck longer than this is a paging bug, not a long lecture


def _has_slides(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return any("slide_type" in c.metadata.get("slideshow", {}) for c in nb.cells)


NOTEBOOKS = [pytest.param(p.name, id=p.name, marks=[] if _has_slides(p) else [pytest.mark.skip(
    reason="no slide metadata yet (tools/slides.py --auto)")])
    for p in sorted(NOTEBOOKS_DIR.glob("*.ipynb"))]

# -- in-page helpers ---------------------------------------------------------------------------
_STATE_JS = r"""() => {
  const nb = window.jupyterapp.shell.currentWidget.content, cells = nb.widgets;
  const on = [], visible = [];
  cells.forEach((c, i) => { if (c.node.classList.contains('jp-deck-mod-onscreen')) on.push(i);
                            if (c.node.classList.contains('jp-deck-mod-visible')) visible.push(i); });
  const vw = innerWidth, vh = innerHeight, problems = [];
  const boxes = '.lecture-panel, .jp-OutputArea-output, .cm-scroller, .jp-RenderedMarkdown, mjx-container';
  let top = Infinity, bottom = -Infinity;
  for (const i of on) {
    const node = cells[i].node, r = node.getBoundingClientRect();
    if (r.height > 0) { top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom); }
    if (r.left < -1 || r.right > vw + 1)
      problems.push(`cell ${i} reaches from x = ${Math.round(r.left)} to ${Math.round(r.right)} px (window: 0 to ${vw})`);
    for (const e of node.querySelectorAll(boxes)) {
      if (e.scrollWidth > e.clientWidth + 2 && e.clientWidth > 0) {
        const what = e.classList.contains('lecture-panel') ? 'a panel' : e.classList.contains('cm-scroller')
          ? 'a code line' : e.tagName.toLowerCase() === 'mjx-container' ? 'a formula' : 'an output or text';
        problems.push(`cell ${i}: ${what} is ${e.scrollWidth} px wide in a ${e.clientWidth} px box`);
      }
    }
  }
  const height = Math.round(bottom - top);
  if (height > vh + 1) problems.push(`it is ${height} px tall; the window is ${vh} px`);
  const can = (d) => { const b = document.querySelector('.jp-deck-mod-direction-' + d);
                       return !!b && !b.classList.contains('jp-mod-disabled'); };
  return {active: nb.activeCellIndex, on, visible, problems, more: can('forward') || can('down'),
          presenting: document.body.dataset.jpDeckMode === 'presenting'};
}"""

_FOCUS_SLIDE_JS = """() => { const nb = window.jupyterapp.shell.currentWidget.content;
  nb.mode = 'command'; nb.activeCell.node.focus(); }"""


def _start_deck(page) -> None:
    """As the README says: click the notebook's first cell, then the deck button of the toolbar."""
    first = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first
    first.scroll_into_view_if_needed()
    first.locator(".jp-RenderedMarkdown, .jp-InputArea").first.click(position={"x": 4, "y": 4})
    page.keyboard.press("Escape")  # command mode, as after any click on a rendered cell
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.content.activeCellIndex === 0")
    page.click(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar [data-jp-item-name='deck']")
    page.wait_for_selector("body[data-jp-deck-mode='presenting']", state="attached", timeout=15_000)


def _stop_deck(page) -> None:
    """Leave the deck: the deck's "presenting" setting is remembered by the server for the
    next page, so every test stops it (also on failure)."""
    try:
        page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
        page.wait_for_function("() => document.body.dataset.jpDeckMode !== 'presenting'", timeout=10_000)
    except Exception:  # a crashed page: nothing to stop
        pass


def _settled(page) -> None:
    """Two animation frames: the deck has applied its classes and the layout is done."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _poke_panel(page, panel) -> str | None:
    """Press a key on the panel's first slider that moves its figure (or pick another option of
    a drop-down / toggle row); None if the figure changed, else what was tried."""
    tried = []
    handles = panel.locator(".noUi-target:not([disabled]) .noUi-handle")
    for i in range(min(handles.count(), 3)):
        handle = handles.nth(i)
        _below, above = slider_room(handle)
        key = "ArrowRight" if above > 0 else "ArrowLeft"
        if press_and_measure(page, panel, handle, key, timeout=10.0 if not tried else 3.0) is not None:
            wait_quiet(page)
            return None
        tried.append(f"slider {i + 1} ({key})")
    for select in panel.locator("select:not([disabled])").all()[:2]:
        options = select.evaluate("s => [...s.options].map(o => o.value).filter(v => v !== s.value)")
        if options:
            watch(page, panel)
            select.select_option(options[0])
            if wait_changes(page, 1, 5.0):
                wait_quiet(page)
                return None
            tried.append("a drop-down")
    for row in panel.locator(".widget-toggle-buttons").all()[:2]:
        buttons = row.locator("button:not([disabled]):not(.mod-active)")
        if buttons.count():
            watch(page, panel)
            buttons.first.click()
            if wait_changes(page, 1, 5.0):
                wait_quiet(page)
                return None
            tried.append("a toggle button")
    return ", ".join(tried) or "no control found"


def _page_through(page, notebook: str, size: tuple[int, int]) -> tuple[list[str], int]:
    """Present the notebook from the first slide to the last at one window size.

    Returns (problems, number of slides seen). Panels are poked at 1024×768 only (the smaller
    window; once per panel is enough to show it is live in the deck).
    """
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    out_dir = SLIDES_DIR / Path(notebook).stem
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{width}x{height}_*.png"):
        old.unlink()
    _start_deck(page)
    problems: list[str] = []
    poked: set[int] = set()
    slides, screen, steps = 0, None, 0
    while True:
        _settled(page)
        state = page.evaluate(_STATE_JS)
        if not state["presenting"]:
            problems.append(f"{width}x{height}: the deck stopped at cell {state['active']} (a key left it?)")
            break
        if state["on"] != screen:  # a new slide or sub-slide: all its cells are laid out now
            screen, slides = state["on"], slides + 1
            for p in state["problems"]:
                problems.append(f"{width}x{height}, slide {slides} (cells {screen[0]}–{screen[-1]}): {p}")
        if (width, height) == VIEWPORTS[-1]:
            panels = page.locator(PANEL_SELECTOR)
            for i in range(panels.count()):
                panel = panels.nth(i)
                cell = panel.evaluate("""p => { const nb = window.jupyterapp.shell.currentWidget.content;
                    return nb.widgets.findIndex(c => c.node.contains(p)); }""")
                if cell in poked or cell not in state["visible"]:
                    continue
                poked.add(cell)
                why = _poke_panel(page, panel)
                if why is not None:
                    problems.append(f"slide {slides}: panel {panel_class(panel)} (cell {cell}) did not "
                                    f"change its figure in the deck (tried {why})")
                after = page.evaluate(_STATE_JS)
                if not after["presenting"] or after["active"] != state["active"]:
                    problems.append(f"slide {slides}: a key press on panel {panel_class(panel)} also "
                                    f"moved the deck (to cell {after['active']})")
        if state["active"] == state["on"][-1]:  # the last step of this slide: all of it shown
            page.screenshot(path=str(out_dir / f"{width}x{height}_{slides:02d}.png"))
        if not state["more"]:
            break
        steps += 1
        if steps > MAX_STEPS:
            problems.append(f"{width}x{height}: more than {MAX_STEPS} steps — the deck loops")
            break
        page.evaluate(_FOCUS_SLIDE_JS)  # as a lecturer clicks the slide before pressing Space
        page.keyboard.press("Space")
        try:
            page.wait_for_function("a => window.jupyterapp.shell.currentWidget.content.activeCellIndex !== a",
                                   arg=state["active"], timeout=5_000)
        except Exception:  # playwright's TimeoutError
            problems.append(f"{width}x{height}: Space did not move on from cell {state['active']}")
            break
    _stop_deck(page)
    return problems, slides


@pytest.fixture
def deck_page(chromium_browser, lab, request):
    """A fresh tab whose console is recorded; the deck is stopped and kernels shut down after."""
    context = chromium_browser.new_context(viewport={"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    console: list[str] = []
    tab.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    tab.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    tab.console_messages_seen = console
    yield tab
    _stop_deck(tab)
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)
        print("browser artifacts:", *map(str, save_failure_artifacts(tab, console, stem,
                                                                      ARTIFACTS_DIR / "browser")))
    context.close()
    lab.shutdown_kernels()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_deck_fits_the_projector_and_its_panels_are_live(lab, deck_page, notebook):
    page = deck_page
    open_notebook(page, lab.url(notebook))
    run = restart_and_run_all(page)
    assert not run.problems, f"{notebook}: Run All failed:\n- " + "\n- ".join(run.problems)
    problems, counts = [], {}
    for size in VIEWPORTS:
        found, counts[size] = _page_through(page, notebook, size)
        problems += found
    assert counts[VIEWPORTS[0]] == counts[VIEWPORTS[1]], f"slide counts differ: {counts}"
    problems += [f"widget failed to display: {t}" for t in widget_errors(page)]
    assert not problems, f"{notebook} as slides:\n- " + "\n- ".join(problems)
    print(f"{notebook}: {counts[VIEWPORTS[0]]} slides; screenshots in {SLIDES_DIR / Path(notebook).stem}")


# -- reopening ----------------------------------------------------------------------------------
REOPEN_NOTEBOOK = "00_start_here.ipynb"
CODE_EDIT = "# my own note: 2*3 + 3*1"
MARKDOWN_EDIT = "My summary, in my words."


def _output_errors(page) -> list[str]:
    """Texts of cell outputs saying a widget cannot be shown (not the notebook's own prose)."""
    texts = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]"
                          ".map(e => e.innerText)")
    return [t[:200] for t in texts if MODEL_GONE.search(t)] + widget_errors(page)


def _wait_saved(page) -> None:
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty",
                           timeout=15_000)


def test_a_saved_notebook_reopens_without_model_not_found_and_keeps_edits(lab, deck_page):
    page = deck_page
    page.set_viewport_size({"width": 1280, "height": 900})
    open_notebook(page, lab.url(REOPEN_NOTEBOOK))
    run = restart_and_run_all(page)
    assert not run.problems, run.problems
    page.wait_for_selector(f"{PANEL_SELECTOR} .jupyter-matplotlib canvas")
    # a student's edits: type into a code cell, change a markdown cell
    code_index = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .findIndex(c => c.model.type === 'code' && c.model.sharedModel.getSource().startsWith('answer = '))""")
    editor = page.locator(".jp-Notebook .jp-Cell").nth(code_index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n" + CODE_EDIT)
    page.keyboard.press("Escape")
    page.evaluate("""t => { const cells = window.jupyterapp.shell.currentWidget.content.widgets;
        const md = cells.find(c => c.model.type === 'markdown' && c.model.sharedModel.getSource().startsWith('## Summary'));
        md.model.sharedModel.setSource(md.model.sharedModel.getSource() + '\\n\\n' + t); }""", MARKDOWN_EDIT)
    page.keyboard.press("Control+s")
    _wait_saved(page)

    saved = json.loads((lab.root / REOPEN_NOTEBOOK).read_text(encoding="utf-8"))
    text = json.dumps(saved)
    assert WIDGET_VIEW not in text, "the saved notebook still holds widget views (save hook not active?)"
    sources = ["".join(c["source"]) for c in saved["cells"]]
    assert any(CODE_EDIT in s for s in sources), "the typed code edit was not saved"
    assert any(MARKDOWN_EDIT in s for s in sources), "the markdown edit was not saved"
    assert not _output_errors(page), f"the live page lost its widgets on save: {_output_errors(page)}"

    # close, shut the kernel down, reopen in a new page with a new kernel
    page.evaluate("() => window.jupyterapp.commands.execute('application:close-all')")
    lab.shutdown_kernels()
    page.goto(lab.url(REOPEN_NOTEBOOK))
    page.wait_for_function("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                           " return !!(w && w.content && w.content.widgets && w.content.widgets.length"
                           " && w.sessionContext.session && w.sessionContext.session.kernel); }",
                           timeout=60_000)
    _settled(page)
    assert not _output_errors(page), f"the reopened notebook shows: {_output_errors(page)}"
    body = page.inner_text("body")
    assert CODE_EDIT in body.replace("\u200b", "") and MARKDOWN_EDIT in body
    if any(o.get("data", {}).get("image/png") for c in saved["cells"] for o in c.get("outputs", [])):
        # the panel's static snapshot (kept by the save hook) stands in for the live panel
        snapshot = page.locator(".jp-OutputArea-output img").first
        snapshot.wait_for()
        snapshot.scroll_into_view_if_needed()
        assert "static snapshot" in page.inner_text("body")
    SLIDES_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SLIDES_DIR / "reopened_00_start_here.png"), full_page=False)
