"""Slide metadata of the notebooks: check it, fill it in, print the outline and the speaker notes.

    python tools/slides.py --check notebooks/*.ipynb        # exit 1 and say why if any is invalid
    python tools/slides.py --outline notebooks/05_softmax.ipynb
    python tools/slides.py --notes notebooks/05_softmax.ipynb > notes_05.md   # for the lectern
    python tools/slides.py --auto notebooks/05_softmax.ipynb          # show proposed slide types
    python tools/slides.py --auto --write notebooks/05_softmax.ipynb  # ... and write them

The deck (jupyterlab-slideshow, "Start Deck") reads each cell's ``slideshow.slide_type``:
``slide`` starts a slide, ``subslide`` a sub-slide, ``fragment`` appears on the next key press,
``skip`` is left out, ``notes`` is a speaker note (not shown in the deck), and a cell with *no*
slide type continues the slide. Space goes to the next cell, fragment, sub-slide or slide,
Shift+Space back. Note: nbconvert's ``-`` ("continue") must not be written — jupyterlab-slideshow
0.3 does not know it and leaves such a cell off every slide (measured); ``--auto`` removes it.

The rules ``--check`` enforces (the hygiene test runs it on every notebook):

- every slide type is one the deck knows (``-`` is not); the first cell starts a slide;
- every ``## `` section heading starts a slide (one slide per section);
- the setup cell (the first code cell) is ``skip``;
- every slide has a speaker-notes cell — markdown, starting with ``**Speaker notes**`` and giving
  the minutes (``… 3 min``); notes cells hold nothing else;
- the notebook carries the deck style (``DECK_STYLE``: 20 px text, 16 px tables, 15 px code that wraps, while presenting).

``--auto`` never overwrites a slide type, except ``-`` (removed): unmarked headings ``#``/``##``
become slides, ``###`` sub-slides, the setup cell ``skip``, unmarked ``**Speaker notes**`` cells
``notes``; every other cell is left to continue its slide. It also adds the deck style.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

#: the slide types jupyterlab-slideshow handles (a cell without one continues the slide)
SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes")
NOTES_MARK = "**Speaker notes**"
#: notebook metadata read by the deck (via jupyterlab-fonts): larger text while presenting only
#: (the notebook view and the panels keep their sizes)
FONTS_KEY = "@deathbeds/jupyterlab-fonts"
DECK_STYLE = {"styles": {"": {
    "body[data-jp-deck-mode='presenting'] &": {"--jp-content-font-size1": "20px",
                                                 "--jp-code-font-size": "15px"},
    "body[data-jp-deck-mode='presenting'] & .jp-RenderedHTMLCommon table": {"font-size": "16px"},
    # long code lines wrap on a slide instead of running off its edge
    "body[data-jp-deck-mode='presenting'] & .cm-content": {
        "white-space": "pre-wrap", "overflow-wrap": "anywhere", "flex-shrink": "1"}}}}
MINUTES = re.compile(r"(\d+(?:\.\d+)?)\s*min\b")


def slide_type(cell: nbformat.NotebookNode) -> str | None:
    """The cell's ``slideshow.slide_type``, or None when it has none."""
    meta = cell.get("metadata", {}).get("slideshow")
    return meta.get("slide_type") if isinstance(meta, dict) else None


def _first_line(cell: nbformat.NotebookNode) -> str:
    lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip()]
    return lines[0] if lines else ""


def _heading_level(cell: nbformat.NotebookNode) -> int:
    m = re.match(r"(#{1,6})\s", _first_line(cell)) if cell.cell_type == "markdown" else None
    return len(m.group(1)) if m else 0


def _setup_index(nb: nbformat.NotebookNode) -> int | None:
    return next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)


@dataclass
class Slide:
    """One slide of the deck: its cells (by index), sub-slides and speaker notes."""

    number: int
    title: str
    cells: list[int] = field(default_factory=list)
    subslides: int = 0
    fragments: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def minutes(self) -> float:
        return sum(float(m) for n in self.notes for m in MINUTES.findall(n)[:1])


def outline(nb: nbformat.NotebookNode) -> list[Slide]:
    """The slides of a notebook in deck order (``skip`` cells left out)."""
    slides: list[Slide] = []
    for i, cell in enumerate(nb.cells):
        kind = slide_type(cell)
        if i == 0 and kind in (None, "subslide"):
            kind = "slide"  # what the deck does with a first cell
        if kind == "skip":
            continue
        if kind == "slide" or not slides:
            title = _first_line(cell).lstrip("#").strip() if cell.cell_type == "markdown" else ""
            slides.append(Slide(len(slides) + 1, title or f"(code cell {i})"))
        current = slides[-1]
        if kind == "notes":
            current.notes.append(cell.source)
            continue
        current.cells.append(i)
        current.subslides += kind == "subslide"
        current.fragments += kind == "fragment"
    return slides


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """Everything wrong with a notebook's slide metadata (empty: it is a valid deck)."""
    found = []
    for i, cell in enumerate(nb.cells):
        kind = slide_type(cell)
        where = f"cell {i} ({cell.cell_type}: {_first_line(cell)[:50]!r})"
        if kind == "-":
            found.append(f"{where} has slide_type '-': the deck leaves such a cell off every slide; "
                         "remove it (no slide type continues the slide; tools/slides.py --auto does it)")
        elif kind is not None and kind not in SLIDE_TYPES:
            found.append(f"{where} has slide_type {kind!r}; expected one of {', '.join(SLIDE_TYPES)}")
        elif i == 0 and kind not in (None, "slide"):
            found.append(f"{where}: the first cell must start a slide, not be {kind!r}")
        if kind == "notes":
            if cell.cell_type != "markdown":
                found.append(f"{where}: a notes cell must be markdown")
            elif not cell.source.lstrip().startswith(NOTES_MARK):
                found.append(f"{where}: a notes cell starts with {NOTES_MARK} (students see it too)")
            elif not MINUTES.search(cell.source):
                found.append(f"{where}: speaker notes give the minutes the slide takes ('… 3 min')")
        elif cell.cell_type == "markdown" and cell.source.lstrip().startswith(NOTES_MARK):
            found.append(f"{where} reads like speaker notes but its slide_type is {kind!r}, not 'notes'")
        if _heading_level(cell) == 2 and kind != "slide":
            found.append(f"{where}: a section heading (##) starts a slide; it is {kind!r}")
    if not isinstance(nb.metadata.get(FONTS_KEY, {}).get("styles"), dict):
        found.append(f"the notebook has no deck style (metadata {FONTS_KEY!r}; tools/slides.py --auto adds it)")
    setup = _setup_index(nb)
    if setup is not None and slide_type(nb.cells[setup]) != "skip":
        found.append(f"cell {setup} (the setup cell) should be 'skip' in the deck, "
                     f"not {slide_type(nb.cells[setup])!r}")
    if not found:
        for s in outline(nb):
            if not s.notes:
                found.append(f"slide {s.number} ({s.title[:50]!r}) has no speaker-notes cell")
    return found


def auto(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """Default slide types for unmarked cells (and ``-`` removed); returns the (index, type) set.

    A type is never overwritten; ``"continue"`` in the result means a ``-`` was removed.
    """
    setup, changed = _setup_index(nb), []
    if FONTS_KEY not in nb.metadata:
        nb.metadata[FONTS_KEY] = copy.deepcopy(DECK_STYLE)
        changed.append((-1, "deck style"))
    for i, cell in enumerate(nb.cells):
        kind = slide_type(cell)
        if kind == "-":
            del cell.metadata["slideshow"]["slide_type"]
            if not cell.metadata["slideshow"]:
                del cell.metadata["slideshow"]
            changed.append((i, "continue"))
            continue
        if kind is not None:
            continue
        level = _heading_level(cell)
        if i == 0 or level in (1, 2):
            kind = "slide"
        elif level == 3:
            kind = "subslide"
        elif i == setup:
            kind = "skip"
        elif cell.cell_type == "markdown" and cell.source.lstrip().startswith(NOTES_MARK):
            kind = "notes"
        else:
            continue
        cell.metadata.setdefault("slideshow", {})["slide_type"] = kind
        changed.append((i, kind))
    return changed


def notes_markdown(nb: nbformat.NotebookNode, name: str) -> str:
    """The speaker notes of one notebook as a Markdown page: slide by slide, with the minutes."""
    slides = outline(nb)
    total = sum(s.minutes for s in slides)
    lines = [f"# Speaker notes: {name}", "", f"{len(slides)} slides, about {total:g} min.", ""]
    for s in slides:
        extra = ", ".join(x for x in (f"{s.subslides} sub-slide(s)" if s.subslides else "",
                                      f"{s.fragments} fragment(s)" if s.fragments else "") if x)
        lines += [f"## Slide {s.number}: {s.title}" + (f" ({extra})" if extra else ""), ""]
        for note in s.notes:
            lines += [note.strip().removeprefix(NOTES_MARK).strip(" \n:—-"), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", type=Path)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report invalid slide metadata (exit 1)")
    mode.add_argument("--outline", action="store_true", help="print the slides of each notebook")
    mode.add_argument("--notes", action="store_true", help="print the speaker notes as Markdown")
    mode.add_argument("--auto", action="store_true", help="propose slide types for unmarked cells")
    ap.add_argument("--write", action="store_true", help="with --auto: write the notebooks")
    args = ap.parse_args(argv)
    bad = 0
    for path in args.paths:
        nb = nbformat.read(path, as_version=4)
        if args.check:
            found = problems(nb)
            bad += bool(found)
            print(f"{path}: " + ("ok" if not found else f"{len(found)} problem(s)"))
            for p in found:
                print(f"  - {p}")
        elif args.outline:
            slides = outline(nb)
            print(f"{path}: {len(slides)} slides, {sum(s.minutes for s in slides):g} min of notes")
            for s in slides:
                print(f"  {s.number:2d}. {s.title[:60]:60s} cells {s.cells[0] if s.cells else '-'}-{s.cells[-1] if s.cells else '-'}"
                      f"{f'  +{s.subslides} sub' if s.subslides else ''}"
                      f"{f'  +{s.fragments} frag' if s.fragments else ''}  {s.minutes:g} min")
        elif args.notes:
            print(notes_markdown(nb, path.name))
        else:
            changed = auto(nb)
            for i, kind in changed:
                print(f"{path}: " + (f"cell {i} -> {kind}" if i >= 0 else f"notebook -> {kind}"))
            if args.write and changed:
                text = nbformat.writes(nb)
                path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
                print(f"wrote {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
