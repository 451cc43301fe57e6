"""environment.yml (conda, Binder) and pyproject.toml (pip) must describe the same environment.

The rule: pyproject's runtime dependencies are only what `import kneesci` and its widgets need
(ipyevents included, for the tappable body map);
environment.yml is one environment holding those plus the lab, app and test extras. The hub extra
(JupyterHub itself) stays out of it, because every hub brings its own.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib", "python-build": "build"}
# ipyevents is what the body-map widget needs to hear a tap on the picture.
RUNTIME = {"ipyevents", "ipywidgets", "matplotlib", "numpy", "pyyaml"}
IN_ENVIRONMENT_YML = ("lab", "app", "test")
CONDA_ONLY = {"python", "pip"}


def split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def conda_packages() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    packages = {}
    for item in env["dependencies"]:
        if isinstance(item, str):
            name, spec = split(item)
            packages[CONDA_TO_PYPI.get(name, name)] = spec
    return packages


def pip_packages() -> dict[str, str]:
    project = pyproject()["project"]
    requirements = list(project["dependencies"])
    for extra in IN_ENVIRONMENT_YML:
        requirements += project["optional-dependencies"][extra]
    return dict(split(r) for r in requirements)


def test_runtime_dependencies_are_only_what_import_kneesci_needs():
    runtime = {split(r)[0] for r in pyproject()["project"]["dependencies"]}
    assert runtime == RUNTIME


def test_servers_are_extras_not_dependencies():
    extras = pyproject()["project"]["optional-dependencies"]
    assert {split(r)[0] for r in extras["lab"]} >= {"jupyterlab", "nbgitpuller"}
    assert {split(r)[0] for r in extras["app"]} == {"voila"}
    assert {split(r)[0] for r in extras["hub"]} == {"jupyterhub"}


def test_the_hub_is_left_to_the_hub():
    assert "jupyterhub" not in conda_packages()


def test_same_package_set():
    conda = {k for k in conda_packages() if k not in CONDA_ONLY}
    assert conda == set(pip_packages())


def test_same_version_bounds():
    conda = conda_packages()
    checked = list(pip_packages().items())
    assert checked, "nothing to check"
    for name, spec in checked:
        assert conda[name] == spec, f"{name}: environment.yml {conda[name]!r} != pyproject {spec!r}"


def test_same_python_version():
    assert conda_packages()["python"] == pyproject()["project"]["requires-python"]


def test_conda_forge_only_and_installs_the_project():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pip_section = next(i["pip"] for i in env["dependencies"] if isinstance(i, dict))
    # Not editable: a normal install also puts the offline Voila template (a data file) in place.
    assert pip_section == ["."]
