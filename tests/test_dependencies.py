"""pyproject.toml, requirements.lock and environment.yml must agree on the package set."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"].get("optional-dependencies", {}).values():
        reqs += extra
    out = {}
    for req in reqs:
        name = re.match(r"[A-Za-z0-9_.\-]+", req).group(0)
        out[_norm(name)] = req
    return out


def _lock() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, version = line.partition("==")
        assert version, f"requirements.lock line {line!r} is not pinned with =="
        out[_norm(name)] = version
    return out


def _environment() -> dict[str, str]:
    out = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"\s*-\s+([A-Za-z0-9_.\-]+)\s*(==|=)\s*([0-9][0-9.*]*)", line)
        if m and _norm(m.group(1)) != "python":
            out[_norm(m.group(1))] = m.group(3).rstrip(".*")
    return out


def test_every_pyproject_package_is_locked():
    lock = _lock()
    missing = sorted(set(_pyproject()) - set(lock))
    assert not missing, f"in pyproject.toml but not in requirements.lock: {missing} (run `make lock`)"


def test_environment_yml_lists_the_same_packages_as_pyproject():
    env, py = set(_environment()), set(_pyproject())
    assert env == py, f"only in environment.yml: {sorted(env - py)}; only in pyproject.toml: {sorted(py - env)}"


def test_environment_yml_minor_pins_match_the_lock():
    lock = _lock()
    for name, minor in _environment().items():
        assert lock[name] == minor or lock[name].startswith(minor + "."), (
            f"{name}: environment.yml pins {minor}, requirements.lock has {lock[name]}")


def test_environment_yml_installs_the_project_editable():
    assert re.search(r"^\s*-\s+-e\s+\.\s*(#.*)?$", (ROOT / "environment.yml").read_text(), re.M)


def test_every_environment_package_has_a_comment_saying_who_needs_it():
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if re.match(r"\s*-\s+[A-Za-z].*[=]", line) and "python=" not in line:
            assert "#" in line, f"environment.yml line without a comment: {line.strip()!r}"
