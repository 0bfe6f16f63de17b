"""Screenshots of every panel, as a student sees it in JupyterLab (headless Chromium).

    .venv/bin/python tools/screenshots.py                 # all notebooks -> test-artifacts/screenshots/
    .venv/bin/python tools/screenshots.py 05 --out shots

Each notebook is opened, restarted and run (Run All), then every panel (``.lecture-panel``)
is saved as ``<notebook>__<n>_<PanelClass>.png``. Uses the browser tests' harness.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "browser" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("match", nargs="?", default="", help="only notebooks whose name contains this")
    ap.add_argument("--out", type=Path, default=REPO / "test-artifacts" / "screenshots")
    args = ap.parse_args(argv)
    harness, lab_page = _load("jupyter_harness"), _load("lab_page")
    args.out.mkdir(parents=True, exist_ok=True)
    notebooks = [p for p in sorted(harness.NOTEBOOKS_DIR.glob("*.ipynb")) if args.match in p.name]
    with harness.JupyterLab() as lab, harness.chromium() as browser:
        for nb in notebooks:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            lab_page.open_notebook(page, lab.url(nb.name))
            result = lab_page.restart_and_run_all(page)
            for problem in result.problems:
                print(f"  ! {nb.name}: {problem}")
            page.wait_for_timeout(1500)  # let every figure's first draw arrive
            for i, panel in enumerate(page.locator(".lecture-panel").all(), start=1):
                panel.scroll_into_view_if_needed()
                page.wait_for_timeout(300)
                path = args.out / f"{nb.stem}__{i}_{lab_page.panel_class(panel)}.png"
                panel.screenshot(path=str(path))
                print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
