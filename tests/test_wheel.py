"""The wheel is the package: build it, install it into a clean virtual environment outside the
checkout, and use it there as a JupyterHub image or a Colab session would.

If a data file were missing from the wheel, loading the knowledge base, the case library or a
notebook would fail here, although every other test (run against the checkout) would pass.
pip installs the dependencies from the configured package index or its local cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Run inside the clean environment, from a folder that is not the checkout.
USE_INSTALLED = """
import json, pathlib, sys
import kneesci
from kneesci.cases import load_cases
kb = kneesci.load()
cases = load_cases(kb)
top3 = sum(
    any(c == case.diagnosis for c, _ in kb.differential(case.findings, case.setting).ranked()[:3])
    for case in cases.values()
)
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3").execute()
errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
print(json.dumps({
    "module": kneesci.__file__,
    "data": str(kb.source),
    "conditions": len(kb.conditions),
    "findings": len(kb.findings),
    "cases": len(cases),
    "top3": top3,
    "notebook_errors": len(errors),
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("kneesci-*.whl")
    return built


@pytest.fixture(scope="module")
def clean_python(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with only the wheel, its dependencies and a kernel."""
    target = tmp_path_factory.mktemp("clean-env")
    assert not target.is_relative_to(ROOT)
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel), "ipykernel", "nbclient"],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return python


def test_wheel_declares_only_the_slim_runtime_dependencies(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode().splitlines()
    required = {
        line.split(":", 1)[1].split(">")[0].split(";")[0].strip().lower()
        for line in lines
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    # ipyevents: the body map hears a tap on its picture.
    assert required == {"ipyevents", "ipywidgets", "matplotlib", "numpy", "pyyaml"}


def test_wheel_carries_the_data_and_the_offline_voila_template(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "kneesci/data/findings.csv" in names
    assert "kneesci/data/cases.yaml" in names
    assert any(n.startswith("kneesci/data/likelihoods/") for n in names)
    assert any(n.endswith("share/jupyter/voila/templates/kneesci/index.html.j2") for n in names)


def test_installed_package_runs_a_notebook_and_the_case_library(clean_python, tmp_path):
    notebook = tmp_path / "00_start_here.ipynb"
    notebook.write_bytes((ROOT / "notebooks" / "00_start_here.ipynb").read_bytes())
    result = subprocess.run(
        [str(clean_python), "-c", USE_INSTALLED, str(notebook)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    environment = clean_python.parent.parent
    assert Path(report["module"]).is_relative_to(environment), report["module"]
    assert Path(report["data"]).is_relative_to(environment), report["data"]
    assert report["conditions"] >= 13 and report["findings"] >= 60
    assert report["cases"] >= 24
    assert report["top3"] > 0
    assert report["notebook_errors"] == 0
    template = environment / "share" / "jupyter" / "voila" / "templates" / "kneesci"
    assert (template / "index.html.j2").is_file()
