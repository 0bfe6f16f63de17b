"""Read the series without a kernel: an offline static site and PDF handouts.

    .venv/bin/python tools/make_site.py                      # site/  (make site)
    .venv/bin/python tools/make_site.py --handouts handouts  # site/ and handouts/*.pdf (make handouts)
    .venv/bin/python tools/make_site.py --out /tmp/s --notebooks notebooks

Every notebook in ``notebooks/`` (``NN_name.ipynb``, found by glob) is executed in a fresh kernel
(nbclient), then exported with nbconvert's HTML exporter and the template in
``tools/site_template/lecture_site`` (the JupyterLab look, without require.js, mermaid or the
widget manager). The site is offline: MathJax 2.7 is copied from ``jupyter-server-mathjax`` into
``site/mathjax/``, CSS is inlined, images are embedded. Each panel shows the static snapshot its
display bundle carries (the figure at its default values and the controls' values as text, see
``Panel._repr_mimebundle_``); a plain ipympl figure shows its PNG; any other widget a note.
Exercise checks show their verdict for the untouched placeholder; solutions are never shown
(cells tagged ``solution``, nbgrader ``### BEGIN SOLUTION`` regions and ``solution()`` outputs are
removed — a build that still finds one fails).

Writes ``site/index.html`` (table of contents), one ``site/NN_name.html`` per notebook with
previous / next links, ``site/notebooks/NN_name.ipynb`` (the executed notebook, as rendered) and
``site/site.json`` (what was built). ``--handouts DIR`` then prints every page to
``DIR/NN_name.pdf`` with the Debian Chromium the browser tests use (Playwright ``page.pdf``),
after MathJax has typeset the page.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "site_template"
SERIES_TITLE = "Neural Networks 2 — an interactive lecture series"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SNAPSHOT_CLASS = "lecture-panel-snapshot"
PLACEHOLDER_HTML = ('<p class="lecture-widget-placeholder">An interactive control: run the notebook '
                    "to use it.</p>")
SOLUTION_OUTPUT = re.compile(r"^\s*\*\*Solution\b")  # what Exercise.solution() displays
SOLUTION_REGION = re.compile(r"^[ \t]*#+ *BEGIN SOLUTION.*?^[ \t]*#+ *END SOLUTION[^\n]*\n?", re.M | re.S)
SOLUTION_TAGS = {"solution", "solutions", "hide-solution"}
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"


def discover(notebooks_dir: Path) -> list[Path]:
    """The series' notebooks in teaching order (``NN_name.ipynb``)."""
    return sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))


# -- executing -----------------------------------------------------------------------------------
def execute(path: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Run ``path`` top to bottom in a fresh kernel (its directory as working directory).

    Cells tagged ``raises-exception`` may raise (the deliberate error demos); any other error
    fails the build with nbclient's ``CellExecutionError``. No widget state is stored: the page
    shows each panel's static snapshot, never a widget view.
    """
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    env_backend = os.environ.pop("MPLBACKEND", None)  # the notebook's %matplotlib decides
    try:
        # CurveZMQ between client and kernel, as `make lab` and the hub set it (no "Kernel is
        # running over TCP without encryption" warning in the build's log)
        config = Config({"KernelManager": {"transport_encryption": "auto"}})
        NotebookClient(nb, timeout=timeout, kernel_name=kernel, store_widget_state=False, config=config,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    return nb


# -- what a reader without a kernel sees ---------------------------------------------------------
def static_output(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The static form of one output: a panel's snapshot (its ``text/html``), a plain figure's
    PNG, or a note for any other widget. Outputs without a widget view are returned unchanged."""
    data = output.get("data", {})
    if WIDGET_VIEW not in data:
        return output
    out = copy.deepcopy(output)
    if SNAPSHOT_CLASS in data.get("text/html", ""):
        keep = {"text/html": data["text/html"], "text/plain": data.get("text/plain", "")}
    elif "image/png" in data:  # an ipympl figure: its PNG, without ipympl's "Figure N" label
        keep = {"image/png": data["image/png"], "text/plain": data.get("text/plain", "")}
    else:
        keep = {"text/html": PLACEHOLDER_HTML, "text/plain": "(interactive control)"}
    out["data"] = keep
    if "image/png" not in keep:
        out.get("metadata", {}).pop("image/png", None)
    return out


def is_solution_output(output: nbformat.NotebookNode) -> bool:
    """True for what ``Exercise.solution()`` displays (``**Solution — …**`` Markdown)."""
    data = output.get("data", {})
    text = data.get("text/markdown", "") or output.get("text", "")
    return bool(SOLUTION_OUTPUT.match(text if isinstance(text, str) else "".join(text)))


def remove_solutions(nb: nbformat.NotebookNode) -> int:
    """Drop solution cells, nbgrader solution regions and ``solution()`` outputs; returns how many."""
    removed = 0
    cells = []
    for cell in nb.cells:
        if SOLUTION_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            removed += 1
            continue
        source, n = SOLUTION_REGION.subn("# (solution not shown)\n", cell.source)
        if n:
            cell.source, removed = source, removed + n
        if cell.cell_type == "code":
            kept = [o for o in cell.outputs if not is_solution_output(o)]
            removed += len(cell.outputs) - len(kept)
            cell.outputs = kept
        cells.append(cell)
    nb.cells = cells
    return removed


def shorten_paths(nb: nbformat.NotebookNode) -> None:
    """Tracebacks of the error demos name files relative to the repository, not this machine."""
    prefixes = sorted({str(REPO) + os.sep, sys.prefix + os.sep, sys.base_prefix + os.sep}, key=len,
                      reverse=True)

    def short(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix, "")
        return text

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                out.traceback = [short(line) for line in out.traceback]
            elif out.output_type == "stream":
                out.text = short(out.text)


def make_static(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of an executed notebook as the site shows it (see the module docstring)."""
    nb = copy.deepcopy(nb)
    remove_solutions(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [static_output(o) for o in cell.outputs]
    shorten_paths(nb)
    nb.metadata.pop("widgets", None)
    return nb


def count_figures(nb: nbformat.NotebookNode) -> dict[str, int]:
    """Panels (outputs with a snapshot) and figures (any other output with a PNG) in ``nb``."""
    panels = figures = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if SNAPSHOT_CLASS in data.get("text/html", ""):
                panels += 1
            elif "image/png" in data:
                figures += 1
    return {"panels": panels, "figures": figures}


def has_math(nb: nbformat.NotebookNode) -> bool:
    """True if a Markdown cell has TeX (``$…$``, ``$$…$$``, ``\\(…\\)`` or ``\\[…\\]``)."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)
    return bool(re.search(r"\$[^$\n]+\$|\$\$.+?\$\$|\\\(.+?\\\)|\\\[.+?\\\]", text, re.S))


# -- exporting -----------------------------------------------------------------------------------
class _Headings(HTMLParser):
    """(level, id, text) of every h1/h2 in an nbconvert page (anchor links left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str, str]] = []
        self._open: list | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2") and self._open is None:
            self._open = [int(tag[1]), attrs.get("id", ""), ""]
        elif tag == "a" and "anchor-link" in (attrs.get("class") or "") and self._open is not None:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        elif self._open is not None and tag == f"h{self._open[0]}":
            level, hid, text = self._open
            self.found.append((level, hid, " ".join(text.split())))
            self._open = None

    def handle_data(self, data):
        if self._open is not None and not self._skip:
            self._open[2] += data


def headings(page_html: str) -> list[tuple[int, str, str]]:
    parser = _Headings()
    parser.feed(page_html)
    return parser.found


def exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="lecture_site",
                        exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
                        mathjax_url=f"mathjax/MathJax.js?config={MATHJAX_CONFIG}",
                        # never a CDN, even if a block of the template is left in by mistake
                        require_js_url="", mermaid_js_url="", mermaid_layout_elk_js_url="",
                        jquery_url="", jupyter_widgets_base_url="", widget_renderer_url="")


def plain_title(markdown: str) -> str:
    """A Markdown heading as plain text (``*Neural Networks 2*`` → ``Neural Networks 2``): the
    title goes into ``<title>``, the contents and the previous / next links, which show no Markdown."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [text](link) → text
    while True:  # nested markers (**`softmax`**) one layer at a time; intraword _ is no emphasis
        plain = re.sub(r"(\*\*|\*|`)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)",
                       lambda m: m.group(2) if m.group(1) else m.group(4), text)
        if plain == text:
            return " ".join(text.split())
        text = plain


def title_of(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return plain_title(m.group(1))
    return fallback


def link_pages(page_html: str, stems: set[str]) -> str:
    """Links between the series' notebooks (``05_softmax.ipynb``, ``./05_softmax.ipynb#3.-Four``)
    point to their pages on the site (``05_softmax.html``): the site has no ``NN_name.ipynb`` beside
    the pages (the executed notebooks are under ``notebooks/``, and keep their ``.ipynb`` links)."""
    def page(m: re.Match) -> str:
        stem = m.group(2)
        return f'{m.group(1)}{stem}.html{m.group(3) or ""}"' if stem in stems else m.group(0)

    return re.sub(r'(href=")(?:\./)?([0-9][0-9]_[\w-]+)\.ipynb(#[^"]*)?"', page, page_html)


def copy_mathjax(out: Path) -> None:
    """MathJax 2.7 from the jupyter-server-mathjax package (a locked dependency) into the site."""
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (source / "MathJax.js").exists():
        raise FileNotFoundError(f"no MathJax.js under {source}: reinstall jupyter-server-mathjax")
    target = out / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)


def build_site(notebooks: list[Path], out: Path, log=print) -> dict:
    """Execute and export every notebook into ``out``; returns the manifest written to site.json."""
    import jinja2

    if not notebooks:
        raise SystemExit("no notebooks (NN_name.ipynb) found")
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("*.html")) + list((out / "notebooks").glob("*.ipynb")):
        old.unlink()  # a renamed or removed notebook leaves no stale page behind
    (out / "notebooks").mkdir(exist_ok=True)
    copy_mathjax(out)
    shutil.copy2(TEMPLATES / "site.css", out / "site.css")
    static = []
    for path in notebooks:
        t0 = time.perf_counter()
        executed = execute(path)
        nb = make_static(executed)
        leftover = sum(is_solution_output(o) for c in nb.cells for o in c.get("outputs", []))
        assert leftover == 0, f"{path.name}: a solution output survived"
        entry = {"notebook": path.name, "page": f"{path.stem}.html", "title": title_of(nb, path.stem),
                 "number": path.stem[:2],
                 "executed": f"notebooks/{path.name}", "has_math": has_math(nb), **count_figures(nb),
                 "seconds": round(time.perf_counter() - t0, 1)}
        nbformat.write(nb, out / entry["executed"])
        static.append((entry, nb))
        log(f"  executed {path.name}: {entry['panels']} panels, {entry['figures']} figures "
            f"({entry['seconds']} s)")
    ex = exporter()
    pages = [e for e, _ in static]
    for i, (entry, nb) in enumerate(static):
        nb.metadata["title"] = f"{entry['title']} — {SERIES_TITLE}"
        nav = {"prev": pages[i - 1] if i > 0 else None, "next": pages[i + 1] if i + 1 < len(pages) else None,
               "number": i + 1, "count": len(pages), "code": entry["number"], "series": SERIES_TITLE,
               "notebook": entry["executed"]}
        body, _ = ex.from_notebook_node(nb, resources={"lecture_nav": nav,
                                                       "metadata": {"name": Path(entry["notebook"]).stem}})
        body = link_pages(body, {Path(p["notebook"]).stem for p in pages})
        (out / entry["page"]).write_text(body, encoding="utf-8")
        entry["sections"] = [{"id": hid, "title": text} for level, hid, text in headings(body) if level == 2]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    index = env.get_template("contents.html.j2").render(
        pages=pages, series=SERIES_TITLE, resources={"mathjax_url": ex.mathjax_url})
    (out / "index.html").write_text(index, encoding="utf-8")
    manifest = {"series": SERIES_TITLE, "pages": pages}
    (out / "site.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


# -- handouts ------------------------------------------------------------------------------------
PDF_FOOTER = ('<div style="font-size: 8px; width: 100%; text-align: center; color: #555;">'
              '<span class="title"></span> · page <span class="pageNumber"></span> of '
              '<span class="totalPages"></span></div>')


#: Links to other pages of the site (and to the notebooks' files) would become ``file://`` links
#: to the machine that printed the PDF: on paper they are plain text. In-page ``#…`` links (which
#: Chromium makes internal PDF links) and web addresses are kept.
UNLINK_LOCAL_JS = """() => {
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    const web = /^[a-z][a-z0-9+.-]*:/i.test(href) && !/^file:/i.test(href);
    if (!href.startsWith('#') && !web) a.removeAttribute('href');
  }
}"""


def wait_until_rendered(page, timeout_ms: float = 60_000) -> None:
    """Wait until MathJax has typeset the page (if it has MathJax) and every image is decoded."""
    page.wait_for_function("() => !window.MathJax || document.documentElement.dataset.mathjax === 'done'",
                           timeout=timeout_ms)
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=timeout_ms)


def print_handouts(site: Path, out: Path, browser=None, log=print) -> list[Path]:
    """One PDF per page of the site, printed by Chromium (A4, backgrounds, page numbers)."""
    manifest = json.loads((site / "site.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    if browser is None:
        harness = _harness()
        with harness.chromium() as own:
            return print_handouts(site, out, own, log)
    written = []
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    try:
        for entry in manifest["pages"]:
            page = context.new_page()
            page.goto((site / entry["page"]).resolve().as_uri())
            wait_until_rendered(page)
            page.evaluate(UNLINK_LOCAL_JS)
            target = out / f"{Path(entry['notebook']).stem}.pdf"
            page.pdf(path=str(target), format="A4", print_background=True, display_header_footer=True,
                     header_template="<span></span>", footer_template=PDF_FOOTER,
                     margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
            page.close()
            written.append(target)
            log(f"  printed {target.name} ({target.stat().st_size / 1e6:.1f} MB)")
    finally:
        context.close()
    return written


def _harness():
    """tests/browser/jupyter_harness.py: the one Chromium launcher (Debian's, never a download)."""
    import importlib.util

    path = REPO / "tests" / "browser" / "jupyter_harness.py"
    spec = importlib.util.spec_from_file_location("jupyter_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("jupyter_harness", module)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebooks", type=Path, default=REPO / "notebooks")
    ap.add_argument("--out", type=Path, default=REPO / "site", help="the site's directory (default site/)")
    ap.add_argument("--handouts", type=Path, default=None, help="also print one PDF per page into this directory")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    notebooks = discover(args.notebooks)
    print(f"building {args.out} from {len(notebooks)} notebooks (load average {os.getloadavg()[0]:.2f})")
    manifest = build_site(notebooks, args.out)
    print(f"site: {args.out / 'index.html'} ({len(manifest['pages'])} pages, "
          f"{time.perf_counter() - t0:.0f} s)")
    if args.handouts is not None:
        t1 = time.perf_counter()
        pdfs = print_handouts(args.out, args.handouts)
        print(f"handouts: {len(pdfs)} PDFs in {args.handouts} ({time.perf_counter() - t1:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
