"""The save hook (lecture_utils.server_extension) and the Jupyter settings shipped in jupyter-config/.

The hook is tested on notebook dicts, then once through a real JupyterLab server's contents API
(the settings are those ``make`` installs into the environment: a server started from it must
load the hook and JupyterLab's no-news defaults). The browser side — run, save, reopen with a new
kernel, no "model not found" — is in tests/browser/test_slides.py.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import urllib.request
from pathlib import Path

import pytest

from lecture_utils.server_extension import WIDGET_VIEW_MIME, pre_save_hook, strip_widget_views

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "jupyter-config"
#: repository file -> where `make` / environment.yml install it (relative to sys.prefix)
INSTALLED = {
    CONFIG / "jupyter_server_config.d" / "lecture-series.json":
        Path("etc/jupyter/jupyter_server_config.d/lecture-series.json"),
    CONFIG / "etc" / "jupyter_lab_config.json": Path("etc/jupyter/jupyter_lab_config.json"),
    CONFIG / "lab_settings" / "overrides.d" / "lecture-series.json":
        Path("share/jupyter/lab/settings/overrides.d/lecture-series.json"),
}
VIEW = {"model_id": "0123abcd", "version_major": 2, "version_minor": 0}


def _out(data, kind="display_data", **extra):
    return {"output_type": kind, "metadata": {}, "data": data, **extra}


def _notebook():
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3"}, "widgets": {"state": {}}},
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": "# My notes\nA student's *edit*."},
                {"cell_type": "code", "metadata": {"tags": ["mine"]}, "execution_count": 3,
                 "source": ["panel = Panel()\n", "panel"],
                 "outputs": [_out({"text/plain": "a panel", "image/png": "iVBORw0KGgo=",
                                   WIDGET_VIEW_MIME: VIEW}),
                             _out({WIDGET_VIEW_MIME: VIEW}),
                             {"output_type": "stream", "name": "stdout", "text": "hello\n"},
                             _out({"text/plain": "3", WIDGET_VIEW_MIME: VIEW}, "execute_result",
                                  execution_count=3)]},
                {"cell_type": "code", "metadata": {}, "execution_count": 1,
                 "source": "# NBVAL_CHECK_OUTPUT\nprint(1)",
                 "outputs": [_out({"text/plain": "w", WIDGET_VIEW_MIME: VIEW})]},
                {"cell_type": "raw", "metadata": {}, "source": "raw text"},
            ]}


def test_widget_views_go_other_data_stays():
    nb = _notebook()
    assert strip_widget_views(nb) == 3
    outputs = nb["cells"][1]["outputs"]
    assert [o["output_type"] for o in outputs] == ["display_data", "stream", "execute_result"]
    assert outputs[0]["data"] == {"text/plain": "a panel", "image/png": "iVBORw0KGgo="}
    assert outputs[2]["data"] == {"text/plain": "3"} and outputs[2]["execution_count"] == 3
    assert "widgets" not in nb["metadata"]


def test_code_markdown_metadata_and_checked_outputs_are_untouched():
    before, nb = _notebook(), _notebook()
    strip_widget_views(nb)
    for i in (0, 2, 3):  # markdown, NBVAL_CHECK_OUTPUT cell, raw: identical
        assert nb["cells"][i] == before["cells"][i]
    for key in ("source", "metadata", "execution_count", "cell_type"):
        assert nb["cells"][1][key] == before["cells"][1][key]


def test_a_notebook_without_widget_views_is_unchanged():
    nb = _notebook()
    strip_widget_views(nb)
    again = copy.deepcopy(nb)
    assert strip_widget_views(again) == 0 and again == nb


@pytest.mark.parametrize("model", [
    {"type": "file", "format": "text", "content": "not a notebook"},
    {"type": "directory", "content": None},
    {"type": "notebook", "content": None},
])
def test_the_hook_leaves_other_models_alone(model):
    before = copy.deepcopy(model)
    pre_save_hook(model=model, path="x", contents_manager=None)
    assert model == before


def test_the_hook_tolerates_malformed_cells():
    nb = {"cells": [None, {"cell_type": "code", "outputs": None}, {"cell_type": "code",
          "outputs": ["junk", {"data": "junk"}]}], "metadata": {}}
    assert strip_widget_views(nb) == 0


@pytest.mark.parametrize("source", list(INSTALLED), ids=lambda p: str(p.relative_to(CONFIG)))
def test_settings_are_installed_in_this_environment(source):
    json.loads(source.read_text(encoding="utf-8"))  # valid JSON
    target = Path(sys.prefix) / INSTALLED[source]
    assert target.is_file(), (f"{target} is missing: run `make setup` (it installs ./jupyter-config), "
                              "or `pip install ./jupyter-config` in a conda environment")
    assert json.loads(target.read_text()) == json.loads(source.read_text()), (
        f"{target} is older than {source.relative_to(ROOT)}: run `make setup`")


def test_a_server_from_this_environment_strips_on_save_and_fetches_no_news(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    try:
        from jupyter_harness import JupyterLab
    finally:
        sys.path.pop(0)
    with JupyterLab([], workdir=tmp_path) as lab:
        body = json.dumps({"type": "notebook", "format": "json", "content": _notebook()}).encode()
        req = urllib.request.Request(f"{lab.base}/api/contents/saved.ipynb", data=body, method="PUT",
                                     headers={"Authorization": f"token {lab.token}",
                                              "Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=30).read()
        on_disk = json.loads((lab.root / "saved.ipynb").read_text(encoding="utf-8"))
        assert WIDGET_VIEW_MIME not in json.dumps(on_disk["cells"][1])
        assert on_disk["cells"][1]["outputs"][0]["data"]["image/png"] == "iVBORw0KGgo="
        assert WIDGET_VIEW_MIME in json.dumps(on_disk["cells"][2]), "checked cell must be kept"
        assert "".join(on_disk["cells"][0]["source"]) == "# My notes\nA student's *edit*."
        schema = lab.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]
        assert schema["properties"]["fetchNews"]["default"] == "false"
        assert schema["properties"]["checkForUpdates"]["default"] is False
        with urllib.request.urlopen(f"{lab.base}/lab?token={lab.token}", timeout=30) as resp:
            page = resp.read().decode()
        config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)[1])
        assert config["news"] == {"disabled": True}, "LabApp.news_url should be None"
        assert config["extensionManager"]["name"] == "read-only"
