"""A Jupyter server extension: notebooks reopen cleanly after a run ("no model not found").

A widget view saved in a notebook (``application/vnd.jupyter.widget-view+json``) points at a
widget model that lives only in the kernel that created it. Reopen the notebook with a new
kernel and JupyterLab shows "Error displaying widget: model not found" in place of every panel.
This extension registers a pre-save hook on the server's contents manager that removes the
widget-view entry from each output before the notebook is written, and keeps everything else:

- the other data of that output (a panel's static ``image/png`` snapshot and its text), so a
  reopened notebook shows a picture of the panel until the cell is run again; an output left
  with no data at all is dropped;
- every output of a ``# NBVAL_CHECK_OUTPUT`` cell, untouched (they are the test references);
- every cell's source, metadata, attachments and execution count, and every markdown/raw cell.

The open browser tab keeps its live widgets: only the file on disk changes. The hook is enabled
for every server started from the course environment by
``jupyter-config/jupyter_server_config.d/lecture-series.json`` (installed by ``make`` and by
``environment.yml``). Check it is active with ``jupyter server extension list``.

>>> nb = {"cells": [{"cell_type": "code", "source": "panel", "metadata": {}, "outputs": [
...     {"output_type": "display_data", "metadata": {},
...      "data": {"text/plain": "a panel", "image/png": "iVBOR...",
...               "application/vnd.jupyter.widget-view+json": {"model_id": "ab12"}}}]}]}
>>> strip_widget_views(nb)
1
>>> sorted(nb["cells"][0]["outputs"][0]["data"])
['image/png', 'text/plain']
"""

from __future__ import annotations

from typing import Any

__all__ = ["WIDGET_VIEW_MIME", "strip_widget_views", "pre_save_hook"]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_CHECKED = "NBVAL_CHECK_OUTPUT"


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def strip_widget_views(nb: dict[str, Any]) -> int:
    """Remove widget-view data from the outputs of a notebook (a dict, changed in place).

    Parameters
    ----------
    nb : dict
        Notebook content as the contents API carries it (nbformat 4 JSON, not yet validated).

    Returns
    -------
    int
        How many outputs had a widget view removed (0: the notebook is unchanged).
    """
    removed = 0
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if _CHECKED in _source(cell).split("\n", 1)[0]:
            continue  # the reference outputs of nbval's checked cells are never touched
        outputs = cell.get("outputs")
        if not isinstance(outputs, list):
            continue
        kept = []
        for out in outputs:
            data = out.get("data") if isinstance(out, dict) else None
            if isinstance(data, dict) and WIDGET_VIEW_MIME in data:
                removed += 1
                del data[WIDGET_VIEW_MIME]
                meta = out.get("metadata")
                if isinstance(meta, dict):
                    meta.pop(WIDGET_VIEW_MIME, None)
                if not data:
                    continue  # nothing left to show: drop the output
            kept.append(out)
        cell["outputs"] = kept
    if removed and isinstance(nb.get("metadata"), dict):
        # saved widget state would only describe models that no longer exist
        nb["metadata"].pop("widgets", None)
    return removed


def pre_save_hook(model: dict[str, Any], path: str = "", contents_manager: Any = None,
                  **kwargs: Any) -> None:
    """Contents-manager pre-save hook: strip widget views from a notebook being saved."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    removed = strip_widget_views(model["content"])
    log = getattr(contents_manager, "log", None)
    if removed and log is not None:
        log.debug("lecture_utils: removed %d widget view(s) from %s before saving", removed, path)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "lecture_utils.server_extension"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Register :func:`pre_save_hook` with the server's contents manager."""
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.debug("lecture_utils: widget views are removed from notebooks on save "
                        "(a reopened notebook shows no 'model not found')")
