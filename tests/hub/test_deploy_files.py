"""The deployment files, checked offline: the one-machine hub config, the Kubernetes values
(against the Helm chart's own schema, vendored), Binder's postBuild and the pinned proxy."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from jupyter_harness import REPO

DEPLOY = REPO / "deploy"
Z2JH = DEPLOY / "z2jh"


# -- the one-machine hub ------------------------------------------------------------------------
@pytest.fixture
def hub_config(tmp_path, monkeypatch):
    """deploy/jupyterhub_config.py as JupyterHub loads it, with no LECTURE_HUB_* set."""
    from traitlets.config.loader import PyFileConfigLoader

    for var in [v for v in os.environ if v.startswith("LECTURE_HUB_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("LECTURE_HUB_STATE", str(tmp_path / "state"))
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_hub_defaults_are_local_lab_and_the_project_environment(hub_config):
    c = hub_config
    assert c.JupyterHub.ip == "127.0.0.1" and c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.Spawner.default_url == "/lab"
    assert Path(c.Spawner.cmd[0]).name == "jupyterhub-singleuser"
    assert Path(c.Spawner.cmd[0]).parent == Path(os.sys.executable).parent, "students run this environment"
    assert Path(c.ConfigurableHTTPProxy.command[0]) == DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
    assert "--KernelManager.transport_encryption=auto" in c.Spawner.args
    assert c.JupyterHub.spawner_class == "localprocess", "a real class: each student a Unix user"
    assert c.Authenticator.allow_all is False, "nobody is let in by default"
    assert "LECTURE_UTILS_GRADED" not in c.Spawner.environment, "graded mode is the graded course's choice"


def test_idle_culler_is_a_hub_service_with_a_minimal_role(hub_config):
    c = hub_config
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert "--timeout=3600" in culler["command"]
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "idle-culler")
    assert role["services"] == ["idle-culler"]
    assert set(role["scopes"]) == {"list:users", "read:users:activity", "read:servers", "delete:servers"}


def test_nbgitpuller_server_extension_is_enabled_in_the_environment():
    """The single-user servers read the venv's etc/jupyter, where nbgitpuller enables itself
    (the class test proves the link works; this says why, without a browser)."""
    import sys

    from jupyter_core.paths import jupyter_config_path

    prefix_etc = Path(sys.prefix) / "etc" / "jupyter"
    assert str(prefix_etc) in jupyter_config_path()
    enabled = json.loads((prefix_etc / "jupyter_server_config.d" / "nbgitpuller.json").read_text())
    assert enabled["ServerApp"]["jpserver_extensions"]["nbgitpuller"] is True


def test_proxy_is_pinned_and_reinstalled_only_when_its_lock_changes():
    lock = json.loads((DEPLOY / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == "5.2.0"
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^\$\(PROXY_STAMP\): deploy/package\.json deploy/package-lock\.json$", makefile, re.M)
    assert "npm ci" in makefile
    assert subprocess.run(["git", "check-ignore", "-q", "deploy/node_modules/x"], cwd=REPO).returncode == 0


# -- Kubernetes: Zero to JupyterHub --------------------------------------------------------------
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _merge(base: dict, override: dict) -> dict:
    """Helm's merge of user values into the chart's defaults (maps deep, lists replaced, null deletes)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@functools.lru_cache(maxsize=1)
def _chart() -> tuple[object, dict]:
    import jsonschema

    schema = yaml.safe_load((Z2JH / "values.schema.yaml").read_text())
    return jsonschema.Draft7Validator(schema), yaml.safe_load((Z2JH / "values.yaml").read_text())


def _errors(values: dict) -> list[str]:
    validator, defaults = _chart()
    return [f"{'.'.join(map(str, e.path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(_merge(defaults, values))]


@pytest.fixture(scope="module")
def z2jh_values() -> dict:
    return yaml.safe_load((Z2JH / "config.yaml").read_text())


def test_vendored_schema_is_the_one_noted_in_its_source_file():
    note = (Z2JH / "SOURCE.md").read_text()
    for name in ("values.schema.yaml", "values.yaml"):
        assert _sha256(Z2JH / name) in note, f"{name} differs from the copy noted in SOURCE.md"
    assert "4.4.0" in note and "--version 4.4.0" in (Z2JH / "config.yaml").read_text()


def test_z2jh_config_is_valid_for_the_chart(z2jh_values):
    assert _errors(z2jh_values) == []


@pytest.mark.parametrize("typo", [{"singleuser": {"memmory": {"limit": "1G"}}},
                                  {"cull": {"timeOut": 10}},
                                  {"singleuser": {"memory": {"guarantee": "1G", "limt": "2G"}}}])
def test_the_schema_check_catches_a_misspelt_key(z2jh_values, typo):
    assert _errors(_merge(z2jh_values, typo)), f"{typo} was not rejected: the check proves nothing"


def test_z2jh_config_has_what_a_class_needs(z2jh_values):
    v = z2jh_values
    assert v["singleuser"]["defaultUrl"] == "/lab"
    assert v["singleuser"]["cmd"] == "jupyterhub-singleuser"
    assert v["cull"]["enabled"] is True and v["cull"]["timeout"] >= 600
    mem = v["singleuser"]["memory"]
    assert mem["guarantee"] and mem["limit"]
    assert "LECTURE_UTILS_GRADED" not in (v["singleuser"].get("extraEnv") or {})
    header = (Z2JH / "config.yaml").read_text()
    assert "--target-repo-dir" in header and "user-redirect/git-pull?repo=" in header


def test_z2jh_hub_config_names_real_traits(z2jh_values):
    """hub.config is free-form for the schema: check its class/trait names ourselves."""
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.spawner import Spawner

    classes = {"JupyterHub": JupyterHub, "Authenticator": Authenticator,
               "KubeSpawner": Spawner, "NativeAuthenticator": Authenticator}  # subclasses: their base's traits
    # NativeAuthenticator's own traits, read in its 1.3.0 source (not installed here)
    native = {"open_signup", "minimum_password_length", "check_common_password", "ask_email_on_signup",
              "allowed_failed_logins", "seconds_before_next_try", "enable_signup", "allow_2fa"}
    for cls_name, traits in z2jh_values["hub"]["config"].items():
        known = set(classes[cls_name].class_traits(config=True))
        if cls_name == "NativeAuthenticator":
            known |= native
        unknown = set(traits) - known
        assert not unknown, f"hub.config.{cls_name}: unknown {sorted(unknown)}"
        for name in set(traits) & set(classes[cls_name].class_traits(config=True)):
            assert "DEPRECATED" not in (classes[cls_name].class_traits()[name].help or ""), f"{cls_name}.{name} is deprecated"


def test_kubernetes_students_get_the_same_server_options_as_on_one_machine(z2jh_values, hub_config):
    assert set(z2jh_values["hub"]["config"]["KubeSpawner"]["args"]) <= set(hub_config.Spawner.args)


# -- Binder -------------------------------------------------------------------------------------
def test_binder_uses_environment_yml_and_postbuild():
    post = REPO / "postBuild"
    assert os.access(post, os.X_OK), "postBuild must be executable"
    assert subprocess.run(["bash", "-n", str(post)]).returncode == 0
    assert "jupyter-config" in post.read_text(), "postBuild installs the course's Jupyter settings"
    # a binder/ or .binder/ folder would make repo2docker ignore the top-level environment.yml
    assert not (REPO / "binder").exists() and not (REPO / ".binder").exists()
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    names = {str(d).split("=")[0] for d in env["dependencies"] if isinstance(d, str)}
    assert {"jupyterlab", "nbgitpuller", "jupyterhub"} <= names, "the image needs lab, nbgitpuller, singleuser"
