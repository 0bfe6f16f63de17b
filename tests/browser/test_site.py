"""The static site and the PDF handouts (``make site``, ``make handouts``), read in headless Chromium.

The site is built once for this module, as ``make handouts`` builds it (``tools/make_site.py
--out …``, every notebook executed in a fresh kernel, then ``print_handouts`` with the session's
one Chromium), into a temporary directory. Every link inside the site leads to a file (and
anchor) of the site; the contents show the notebooks' numbers and unnumbered section lists.
Then every page is opened from ``file://`` with request logging:
nothing is requested outside the site; every image loads, and there are at least as many as the
executed notebook has figures and panels; each panel shows its snapshot with the controls'
values; MathJax (the site's own copy) has typeset the formulas; no widget error; exercises show
the checker's verdict for the placeholder and no solution appears. Each PDF opens with pypdf,
has pages, selectable text with every section heading, the math fonts and the images, and no
link to the printing machine's files.
Screenshots of the index and of every page's first panel go to ``test-artifacts/site/``.
"""

from __future__ import annotations

import ast
import html
import importlib
import importlib.util
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from jupyter_harness import ARTIFACTS_DIR, NOTEBOOKS_DIR, REPO

pytestmark = pytest.mark.browser

MAKE_SITE = REPO / "tools" / "make_site.py"
_spec = importlib.util.spec_from_file_location("make_site", MAKE_SITE)
make_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_site)

NOTEBOOKS = make_site.discover(NOTEBOOKS_DIR)
IDS = [p.stem for p in NOTEBOOKS]
SHOTS = ARTIFACTS_DIR / "site"
#: MathJax's HTML-CSS output declares a reference font ``MathJax_Blank`` at ``url(about:blank)``
#: to detect when its web fonts have loaded; that is no request leaving the site.
HARMLESS = ("data:", "about:blank")


@pytest.fixture(scope="module")
def built(chromium_browser, tmp_path_factory):
    """``make site`` (a process of its own: every notebook in a fresh kernel), then the handouts
    as ``make handouts`` prints them (``print_handouts``), with the session's Chromium rather
    than a second one."""
    root = tmp_path_factory.mktemp("lecture-site")
    site, handouts = root / "site", root / "handouts"
    proc = subprocess.run([sys.executable, str(MAKE_SITE), "--out", str(site)],
                          capture_output=True, text=True, timeout=1500, cwd=REPO)
    assert proc.returncode == 0, f"make_site failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    assert "without encryption" not in proc.stdout + proc.stderr, "the build's kernels warn:\n" + proc.stderr[-2000:]
    log = [proc.stdout]
    make_site.print_handouts(site, handouts, chromium_browser, log=log.append)
    manifest = json.loads((site / "site.json").read_text(encoding="utf-8"))
    return SimpleNamespace(site=site, handouts=handouts, manifest=manifest, log="\n".join(log),
                           pages={Path(p["notebook"]).stem: p for p in manifest["pages"]})


def _open(browser, path: Path):
    """A page opened from disk, with every request and failure recorded."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.requests, page.failed, page.console = [], [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("requestfailed", lambda r: page.failed.append(f"{r.url} ({r.failure})"))
    page.on("console", lambda m: page.console.append(f"[{m.type}] {m.text}"))
    page.goto(path.resolve().as_uri())
    make_site.wait_until_rendered(page)
    return context, page


def _outside(page, site: Path) -> list[str]:
    inside = site.resolve().as_uri() + "/"
    return [u for u in page.requests if not u.startswith(inside) and not u.startswith(HARMLESS)]


def _figures_in(nb) -> tuple[int, int]:
    """(panels, other figures) of an executed notebook, counted from its outputs."""
    panels = figures = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "lecture-panel-snapshot" in data.get("text/html", ""):
                panels += 1
            elif "image/png" in data:
                figures += 1
    return panels, figures


def _panel_classes_imported(path: Path) -> set[str]:
    """Panel subclasses the notebook's source imports from lecture_utils.widgets."""
    from lecture_utils.widgets._panel import Panel

    names = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lecture_utils.widgets"):
                module = importlib.import_module(node.module)
                names.update(a.name for a in node.names
                             if isinstance(getattr(module, a.name, None), type)
                             and issubclass(getattr(module, a.name), Panel))
    return names


def _solution_lines(stem: str) -> list[str]:
    """Distinctive lines of every exercise solution of notebook NN (lecture_utils.exercises.nbNN)
    that do not also appear in the notebook itself (those may be shown)."""
    from lecture_utils.exercises._core import Exercise

    try:
        module = importlib.import_module(f"lecture_utils.exercises.nb{stem[:2]}")
    except ModuleNotFoundError:
        return []
    source = "\n".join(c.source for c in nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4).cells)
    lines = []
    for obj in vars(module).values():
        if isinstance(obj, Exercise):
            for line in obj._solution.splitlines():
                line = line.strip()
                if len(line) >= 20 and line not in source and not line.startswith(("#", "```")):
                    lines.append(line)
    return lines


def _words(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _links(body: str, rel: str) -> list[str]:
    tags = re.findall(r"<a\s[^>]*>", body)
    return [re.search(r'href="([^"]+)"', t).group(1) for t in tags if f'rel="{rel}"' in t]


# -- the site --------------------------------------------------------------------------------------
def test_every_notebook_has_a_page_in_order(built):
    assert [p["notebook"] for p in built.manifest["pages"]] == [p.name for p in NOTEBOOKS]
    index = html.unescape((built.site / "index.html").read_text(encoding="utf-8"))
    positions = [index.find(f'href="{p["page"]}"') for p in built.manifest["pages"]]
    assert all(i >= 0 for i in positions) and positions == sorted(positions), "contents out of order"
    pages = built.manifest["pages"]
    for i, entry in enumerate(pages):
        body = (built.site / entry["page"]).read_text(encoding="utf-8")
        prev, nxt = _links(body, "prev"), _links(body, "next")
        assert prev == ([pages[i - 1]["page"]] * 2 if i else []), f"{entry['page']}: previous links {prev}"
        assert nxt == ([pages[i + 1]["page"]] * 2 if i + 1 < len(pages) else []), f"{entry['page']}: next {nxt}"
        for section in entry["sections"]:
            assert f'href="{entry["page"]}#{section["id"]}"' in index
            assert f'id="{section["id"]}"' in body


def _targets(body: str) -> list[str]:
    """Every href and src of a page that is not a web address, a data: URI or an in-page anchor."""
    found = re.findall(r'\b(?:href|src)="([^"]+)"', body)
    return [html.unescape(u) for u in found
            if not re.match(r"[a-z][a-z0-9+.-]*:", u) and not u.startswith("#")]


def test_every_link_inside_the_site_resolves(built):
    """A link to another notebook (``05_softmax.ipynb`` in the text) leads to its page, every file a
    page names is in the site, and every ``page.html#anchor`` names a heading of that page."""
    ids = {}
    broken = []
    for page in ["index.html"] + [p["page"] for p in built.manifest["pages"]]:
        body = (built.site / page).read_text(encoding="utf-8")
        for target in _targets(body):
            path, _, anchor = target.partition("#")
            file = (built.site / path.split("?")[0]).resolve()
            if not file.is_file() or built.site.resolve() not in file.parents:
                broken.append(f"{page}: {target}")
            elif anchor and file.suffix == ".html":
                if file not in ids:
                    ids[file] = set(re.findall(r'\bid="([^"]+)"', file.read_text(encoding="utf-8")))
                if html.unescape(anchor) not in {html.unescape(i) for i in ids[file]}:
                    broken.append(f"{page}: {target} (no such anchor)")
    assert not broken, "links that lead nowhere:\n" + "\n".join(broken)


def test_index_opens_offline(built, chromium_browser):
    context, page = _open(chromium_browser, built.site / "index.html")
    try:
        assert not _outside(page, built.site), _outside(page, built.site)
        assert page.locator("a.site-toc-page").count() == len(NOTEBOOKS)
        numbers = page.locator(".site-toc-number").all_inner_texts()
        assert numbers == [p.stem[:2] for p in NOTEBOOKS], numbers
        # no list markers: the notebooks' numbers are shown, the sections have their own
        styles = page.evaluate("""() => Array.from(document.querySelectorAll('.site-toc, .site-toc-sections'))
                                    .map(l => [l.tagName, getComputedStyle(l).listStyleType])""")
        assert all(tag == "UL" and kind == "none" for tag, kind in styles), styles
        text = page.locator("main").inner_text()
        assert "*" not in text, "Markdown left in a title"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "index.png"))
    finally:
        context.close()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_page_is_offline_complete_and_without_solutions(built, chromium_browser, path):
    entry = built.pages[path.stem]
    executed = nbformat.read(built.site / entry["executed"], as_version=4)
    panels, figures = _figures_in(executed)
    assert panels >= len(_panel_classes_imported(path)), "a panel the notebook imports shows no snapshot"
    context, page = _open(chromium_browser, built.site / entry["page"])
    try:
        assert not _outside(page, built.site), f"requests outside the site: {_outside(page, built.site)}"
        failed = [f for f in page.failed if not f.startswith(HARMLESS)]
        assert not failed, f"requests that failed: {failed}"
        images = page.evaluate("() => Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert all(ok and width > 0 for ok, width in images), f"images not loaded: {images}"
        shown = page.locator(".jp-OutputArea-output img").count()
        assert shown >= panels + figures, f"{shown} images for {panels} panels and {figures} figures"
        snapshots = page.locator("figure.lecture-panel-snapshot")
        assert snapshots.count() == panels
        for i in range(panels):
            caption = snapshots.nth(i).locator("figcaption").inner_text()
            assert "static snapshot" in caption and ("=" in caption or ":" in caption), caption
        text = page.locator("body").inner_text()
        for bad in ("Error displaying widget", "Loading widget", "Math Processing Error"):
            assert bad not in text
        html_text = (built.site / entry["page"]).read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget" not in html_text
        assert re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html_text) == [make_site.exporter().mathjax_url]
        if make_site.has_math(executed):
            assert page.locator(".MathJax, .MathJax_Display").count() > 0, "no typeset math"
            assert page.locator(".MathJax_Error, merror").count() == 0
            markdown = " ".join(page.locator(".jp-MarkdownOutput").all_inner_texts())
            assert "$$" not in markdown and "\\frac" not in markdown, "TeX left untypeset"
        if any(".check(" in c.source for c in executed.cells if c.cell_type == "code"):
            assert "not attempted" in text.lower(), "the exercises' verdicts for the placeholder are missing"
        assert "Solution —" not in text
        stored = (built.site / entry["executed"]).read_text(encoding="utf-8")
        for line in _solution_lines(path.stem):
            assert line not in text and json.dumps(line)[1:-1] not in stored, f"solution shown: {line!r}"
        if panels:
            snapshots.first.scroll_into_view_if_needed()
            page.wait_for_timeout(200)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{path.stem}.png"))
    finally:
        context.close()


# -- the handouts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_handout_pdf(built, path):
    from pypdf import PdfReader

    pdf = built.handouts / f"{path.stem}.pdf"
    assert pdf.exists(), f"no {pdf.name}; make_site said:\n{built.log[-2000:]}"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) > 0
    text = _words("".join(p.extract_text() or "" for p in reader.pages))
    assert len(text) > 1000, "the PDF has (almost) no selectable text"
    entry = built.pages[path.stem]
    for section in entry["sections"] + [{"title": entry["title"]}]:
        plain = re.sub(r"\$[^$]*\$|\\\(.*?\\\)|[`*_]", " ", section["title"])
        for word in re.findall(r"[^\W\d_]{3,}", plain):
            assert _words(word) in text, f"heading {section['title']!r}: {word!r} not in the PDF"
    executed = nbformat.read(built.site / entry["executed"], as_version=4)
    panels, figures = _figures_in(executed)
    uris = [str(a.get_object()["/A"].get_object().get("/URI")) for p in reader.pages
            for a in (p.get("/Annots") or []) if "/A" in a.get_object()]
    local = [u for u in uris if u.startswith("file:")]
    assert not local, f"links to the printing machine's files: {local[:5]}"
    images = sum(len(p.images) for p in reader.pages)
    assert images >= max(1, panels + figures), f"{images} images for {panels} panels and {figures} figures"
    if make_site.has_math(executed):
        # Chromium embeds MathJax's STIX web fonts as Type 3 fonts (the page's own text is in
        # system fonts, Type 0); no TeX source may be left in the text
        kinds = {str(f.get_object().get("/Subtype")) for p in reader.pages
                 for f in ((p.get("/Resources") or {}).get("/Font") or {}).values()}
        assert "/Type3" in kinds, f"no typeset math (MathJax web fonts) in the PDF: {kinds}"
        assert not re.search(r"\\(frac|sum|mathbf|hat)\b|\$\$", text), "TeX left untypeset in the PDF"
