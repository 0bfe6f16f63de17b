"""Every notebook is a slide deck: valid slide metadata (tools/slides.py --check), speaker notes
for every slide, and a first cell that tells students how to start. The deck itself is driven in
Chromium by tests/browser/test_slides.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("slides_tool", ROOT / "tools" / "slides.py")
slides = importlib.util.module_from_spec(_spec)
sys.modules["slides_tool"] = slides  # dataclasses look their module up there
_spec.loader.exec_module(slides)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RUN_ALL = "Run ▸ Run All Cells (or Kernel ▸ Restart Kernel and Run All)"
#: notebooks being rewritten while their slides are written (remove once they have slides)
NO_SLIDES_YET = {"01_nonlinearity.ipynb", "02_forward_propagation.ipynb",
                 "03_universal_approximation.ipynb", "04_theorem_and_depth.ipynb", "05_softmax.ipynb",
                 "06_cross_entropy.ipynb", "07_training.ipynb"}


def _params():
    return [pytest.param(p, id=p.name, marks=[pytest.mark.xfail(
        reason="slide metadata and speaker notes come with the notebook's rewrite", strict=False)]
        if p.name in NO_SLIDES_YET else []) for p in NOTEBOOKS]


@pytest.mark.parametrize("path", _params())
def test_slide_metadata_is_valid_and_every_slide_has_notes(path):
    found = slides.problems(nbformat.read(path, as_version=4))
    assert not found, f"{path.name}:\n- " + "\n- ".join(found)


@pytest.mark.parametrize("path", _params())
def test_first_cell_says_how_to_start(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown" and RUN_ALL in first.source, (
        f"the first cell of {path.name} should tell students: {RUN_ALL!r}")


# -- the tool itself -------------------------------------------------------------------------------
def _nb(*cells):
    v4 = nbformat.v4
    out = []
    for kind, source, slide_type in cells:
        cell = v4.new_markdown_cell(source) if kind == "md" else v4.new_code_cell(source)
        if slide_type is not None:
            cell.metadata["slideshow"] = {"slide_type": slide_type}
        out.append(cell)
    nb = v4.new_notebook(cells=out)
    nb.metadata[slides.FONTS_KEY] = slides.DECK_STYLE
    return nb


NOTE = "**Speaker notes** — the point. *Time:* 2 min"


def test_a_valid_deck_has_no_problems_and_an_outline():
    nb = _nb(("md", "# Title", "slide"), ("md", NOTE, "notes"), ("code", "import x", "skip"),
             ("md", "## 1. One", "slide"), ("code", "panel", "subslide"), ("md", NOTE, "notes"),
             ("md", "more", "fragment"), ("md", "## Summary", "slide"), ("md", NOTE, "notes"))
    assert slides.problems(nb) == []
    outline = slides.outline(nb)
    assert [s.title for s in outline] == ["Title", "1. One", "Summary"]
    assert outline[1].subslides == 1 and outline[1].fragments == 1
    assert sum(s.minutes for s in outline) == 6
    text = slides.notes_markdown(nb, "x.ipynb")
    assert "3 slides, about 6 min" in text and "## Slide 2: 1. One" in text


@pytest.mark.parametrize("cells, expected", [
    ([("md", "# T", "slide"), ("md", "text", "-"), ("md", NOTE, "notes")], "slide_type '-'"),
    ([("md", "# T", "slide"), ("md", "x", "bogus"), ("md", NOTE, "notes")], "expected one of"),
    ([("md", "# T", "fragment"), ("md", NOTE, "notes")], "first cell must start a slide"),
    ([("md", "# T", "slide"), ("md", "## 1. A", None), ("md", NOTE, "notes")], "section heading"),
    ([("md", "# T", "slide"), ("code", "import x", None), ("md", NOTE, "notes")], "setup cell"),
    ([("md", "# T", "slide"), ("md", "the point, 2 min", "notes")], "starts with **Speaker notes**"),
    ([("md", "# T", "slide"), ("md", "**Speaker notes** no time", "notes")], "minutes"),
    ([("md", "# T", "slide"), ("code", "# Speaker notes", "skip"), ("code", "x", "notes")], "markdown"),
    ([("md", "# T", "slide"), ("md", NOTE, None)], "reads like speaker notes"),
    ([("md", "# T", "slide"), ("md", NOTE, "notes"), ("md", "## 1. A", "slide")], "no speaker-notes"),
])
def test_check_reports_each_mistake(cells, expected):
    found = slides.problems(_nb(*cells))
    assert any(expected in p for p in found), found


def test_auto_fills_defaults_removes_dash_and_never_overwrites():
    nb = _nb(("md", "# T", None), ("code", "import x", None), ("md", "## 1. A", None),
             ("md", "### a detail", None), ("md", "text", "-"), ("md", NOTE, None),
             ("code", "y", "fragment"), ("code", "z", None))
    del nb.metadata[slides.FONTS_KEY]
    changed = dict(slides.auto(nb))
    assert nb.metadata[slides.FONTS_KEY] == slides.DECK_STYLE
    assert changed == {-1: "deck style", 0: "slide", 1: "skip", 2: "slide", 3: "subslide", 4: "continue", 5: "notes"}
    assert [slides.slide_type(c) for c in nb.cells] == [
        "slide", "skip", "slide", "subslide", None, "notes", "fragment", None]
    assert "slideshow" not in nb.cells[4].metadata
    assert slides.auto(nb) == []


def test_check_wants_the_deck_style():
    nb = _nb(("md", "# T", "slide"), ("md", NOTE, "notes"))
    del nb.metadata[slides.FONTS_KEY]
    assert any("deck style" in p for p in slides.problems(nb))


def test_cli_check_exit_code(tmp_path, capsys):
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nbformat.write(_nb(("md", "# T", "slide"), ("md", NOTE, "notes")), good)
    nbformat.write(_nb(("md", "# T", "slide"), ("md", "x", "-")), bad)
    assert slides.main(["--check", str(good)]) == 0
    assert slides.main(["--check", str(good), str(bad)]) == 1
    assert "slide_type '-'" in capsys.readouterr().out
