"""Strip notebook outputs, keeping only the reference outputs of NBVAL_CHECK_OUTPUT cells.

    python tools/strip_notebooks.py notebooks/*.ipynb            # strip in place
    python tools/strip_notebooks.py --execute notebooks/05_softmax.ipynb   # run, then strip
    python tools/strip_notebooks.py --check notebooks/*.ipynb    # exit 1 if any is not stripped

Kept outputs are plain text only (stream and text/plain), so they are stable under nbval.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

CHECK = "NBVAL_CHECK_OUTPUT"
RAISES = "NBVAL_RAISES_EXCEPTION"


def is_checked(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and CHECK in cell.source.split("\n", 1)[0]


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove outputs and execution counts, except text outputs of NBVAL_CHECK_OUTPUT cells.

    Checked cells are numbered 1, 2, 3 … (nbval skips a reference cell without a count).
    """
    checked = 0
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type == "code" and RAISES in cell.source.split("\n", 1)[0]:
            # JupyterLab's Run All stops at an error unless the cell carries this tag
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        if is_checked(cell):
            checked += 1
            cell.execution_count = checked
            kept = []
            for out in cell.outputs:
                if out.output_type == "stream" and out.name == "stdout":
                    kept.append(out)
                elif out.output_type == "execute_result" and "text/plain" in out.get("data", {}):
                    kept.append(nbformat.v4.new_output(
                        "execute_result", data={"text/plain": out.data["text/plain"]}, execution_count=checked))
            cell.outputs = kept
        else:
            cell.outputs = []
    return nb


def execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    strip(nb)  # tags the deliberate error demos, so nbclient runs past them
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--execute", action="store_true", help="run the notebook first to record reference outputs")
    parser.add_argument("--check", action="store_true", help="only report notebooks that are not stripped")
    args = parser.parse_args(argv)
    dirty = []
    for path in args.paths:
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        if args.execute:
            nb = execute(nb, path.parent)
        nb = strip(nb)
        after = nbformat.writes(nb)
        if args.check:
            if after != before:
                dirty.append(path)
            continue
        if after != before:
            path.write_text(after + ("" if after.endswith("\n") else "\n"), encoding="utf-8")
            print(f"wrote {path}")
    if dirty:
        print("not stripped (run `make strip`):", *map(str, dirty), sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
