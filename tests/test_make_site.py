"""tools/make_site.py without a browser: what a reader without a kernel gets from each output,
and that solutions never reach the site. (The built site itself: tests/browser/test_site.py.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from lecture_utils.style import use_lecture_style
from lecture_utils.widgets.activation_explorer import ActivationExplorer

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_site", ROOT / "tools" / "make_site.py")
make_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_site)

VIEW = {"version_major": 2, "version_minor": 0, "model_id": "abc"}


def _display(data: dict) -> nbformat.NotebookNode:
    return new_output("display_data", data=data)


@pytest.fixture
def panel_output():
    use_lecture_style()
    panel = ActivationExplorer()
    try:
        yield _display(panel._repr_mimebundle_())
    finally:
        panel.close()


def test_a_panel_becomes_its_snapshot(panel_output):
    out = make_site.static_output(panel_output)
    assert set(out.data) == {"text/html", "text/plain"}
    assert 'class="lecture-panel-snapshot"' in out.data["text/html"]
    assert "data:image/png;base64," in out.data["text/html"] and "weight w" in out.data["text/html"]
    assert make_site.WIDGET_VIEW in panel_output.data, "the input is not changed"


def test_an_ipympl_figure_becomes_its_png_and_a_bare_widget_a_note():
    figure = _display({make_site.WIDGET_VIEW: VIEW, "image/png": "iVBORw0KGgo=",
                       "text/html": "<div>Figure 1</div><img src='data:...'>", "text/plain": "Canvas(...)"})
    assert set(make_site.static_output(figure).data) == {"image/png", "text/plain"}
    bare = _display({make_site.WIDGET_VIEW: VIEW, "text/plain": "IntSlider(value=3)"})
    assert make_site.static_output(bare).data["text/html"] == make_site.PLACEHOLDER_HTML
    plain = _display({"text/plain": "42"})
    assert make_site.static_output(plain) is plain


def test_solutions_are_removed(monkeypatch):
    from lecture_utils.exercises import _core
    from lecture_utils.exercises.nb05 import q2_stable_softmax

    shown = []
    monkeypatch.setattr(_core, "_show_markdown", shown.append)
    q2_stable_softmax.solution()  # what an uncommented `q2.solution()` would display
    nb = new_notebook(cells=[
        new_markdown_cell("# Title"),
        new_code_cell("q2.check(answer)\nq2.solution()",
                      outputs=[_display({"text/html": "… Not attempted yet"}),
                               _display({"text/markdown": shown[0], "text/plain": "<Markdown>"})]),
        new_code_cell("answer = 1", metadata={"tags": ["solution"]}),
        new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"),
    ])
    static = make_site.make_static(nb)
    assert len(static.cells) == 3
    assert [o.data.get("text/html") for o in static.cells[1].outputs] == ["… Not attempted yet"]
    assert "return x" not in static.cells[2].source and "solution not shown" in static.cells[2].source
    assert len(nb.cells) == 4, "the executed notebook is not changed"


def test_error_demo_tracebacks_name_no_machine_paths():
    err = new_output("error", ename="ValueError", evalue="bad", traceback=[
        f"File {make_site.REPO}/lecture_utils/_checks.py:10", f"File {make_site.sys.prefix}/lib/x.py"])
    nb = new_notebook(cells=[new_code_cell("f()", outputs=[err])])
    make_site.shorten_paths(nb)
    assert nb.cells[0].outputs[0].traceback == ["File lecture_utils/_checks.py:10", "File lib/x.py"]


def test_math_headings_counts_and_discovery(tmp_path, panel_output):
    assert make_site.has_math(new_notebook(cells=[new_markdown_cell(r"so $\sigma(z)$ is")]))
    assert make_site.has_math(new_notebook(cells=[new_markdown_cell("$$\nL = -\\log p\n$$")]))
    assert not make_site.has_math(new_notebook(cells=[new_markdown_cell("costs `$5` and $3")]))
    page = ('<h1 id="T">Train it<a class="anchor-link" href="#T">¶</a></h1><h2 id="1.-Go">1. Go '
            '<em>now</em><a class="anchor-link" href="#1.-Go">¶</a></h2><h3 id="x">x</h3>')
    assert make_site.headings(page) == [(1, "T", "Train it"), (2, "1.-Go", "1. Go now")]
    figure = _display({"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    nb = new_notebook(cells=[new_code_cell("p", outputs=[make_site.static_output(panel_output), figure])])
    assert make_site.count_figures(nb) == {"panels": 1, "figures": 1}
    for name in ("02_b.ipynb", "01_a.ipynb", "_other.ipynb", "notes.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in make_site.discover(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]
