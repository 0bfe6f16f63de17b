"""Server and browser helpers for the benchmarks: the same code the browser tests use.

The one implementation lives in ``tests/browser/jupyter_harness.py`` (JupyterLab server,
Chromium, panel discovery) and ``tests/browser/lab_page.py`` (running a notebook, watching a
figure); this module only makes them importable from ``bench/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HARNESS = Path(__file__).resolve().parents[1] / "tests" / "browser"
if str(_HARNESS) not in sys.path:
    sys.path.insert(0, str(_HARNESS))

from jupyter_harness import (NOTEBOOKS_DIR, REPO, JupyterLab, chromium,  # noqa: E402,F401
                             discover_panels, find_chromium, panels_notebook)
import lab_page  # noqa: E402,F401
