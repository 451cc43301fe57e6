"""The nbgrader assignments: generate student versions, autograde filled-in copies, check scores.

Runs the real `nbgrader generate_assignment` and `nbgrader autograde` commands on a copy of
`assignments/`, as a lecturer would, with three students: one who answered everything correctly (the
source notebook, solutions in place), one who handed in the blank release, and one who answered
only the first question.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

nbgrader_api = pytest.importorskip("nbgrader.api")

ASSIGNMENTS = Path(__file__).resolve().parent.parent / "assignments"
NAMES = ("a1_likelihood_ratios", "a2_root_or_mimic", "a3_red_flags")


def nbgrader_cells(name: str) -> list[dict]:
    nb = json.loads((ASSIGNMENTS / "source" / name / f"{name}.ipynb").read_text())
    return [c["metadata"]["nbgrader"] for c in nb["cells"] if "nbgrader" in c["metadata"]]


def autograded_points(name: str) -> float:
    return sum(
        m["points"] for m in nbgrader_cells(name) if m.get("grade") and not m.get("solution")
    )


def test_there_are_at_least_eight_autograded_cells_in_three_assignments():
    autograded = [
        m for name in NAMES for m in nbgrader_cells(name) if m["grade"] and not m["solution"]
    ]
    manual = [m for name in NAMES for m in nbgrader_cells(name) if m["grade"] and m["solution"]]
    assert len(autograded) >= 8
    assert all(m["locked"] for m in autograded)  # students cannot edit the checks
    assert len(manual) >= 3  # free-text reasoning, graded by hand


def run(args: list[str], cwd: Path) -> None:
    # nbgrader upgrades its gradebook with the `alembic` command: it must be on PATH beside python.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def only_first_answer(release: Path, source: Path, target: Path) -> None:
    """The release notebook with the first solution cell filled in from the source."""
    released, solved = json.loads(release.read_text()), json.loads(source.read_text())
    first = next(
        i
        for i, c in enumerate(solved["cells"])
        if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")
    )
    released["cells"][first]["source"] = solved["cells"][first]["source"]
    target.write_text(json.dumps(released))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ASSIGNMENTS / "nbgrader_config.py", course)
    shutil.copytree(ASSIGNMENTS / "source", course / "source")
    for name in NAMES:
        run(["generate_assignment", name, "--force"], course)
        release = course / "release" / name / f"{name}.ipynb"
        source = course / "source" / name / f"{name}.ipynb"
        for student in ("complete", "blank", "partial"):
            (course / "submitted" / student / name).mkdir(parents=True)
        shutil.copy(source, course / "submitted" / "complete" / name)
        shutil.copy(release, course / "submitted" / "blank" / name)
        only_first_answer(release, source, course / "submitted" / "partial" / name / release.name)
        run(["autograde", name, "--create", "--force"], course)
    return course


@pytest.fixture(scope="module")
def gradebook(course):
    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        yield {
            (name, student): gb.find_submission(name, student).code_score
            for name in NAMES
            for student in ("complete", "blank", "partial")
        }


def test_the_release_students_get_hides_every_solution(course):
    for name in NAMES:
        source = json.loads((course / "source" / name / f"{name}.ipynb").read_text())
        release = (course / "release" / name / f"{name}.ipynb").read_text()
        solutions = [
            line.strip()
            for c in source["cells"]
            if c["metadata"].get("nbgrader", {}).get("solution") and c["cell_type"] == "code"
            for line in "".join(c["source"]).splitlines()
            if len(line.strip()) > 6 and not line.startswith("###")
        ]
        assert len(solutions) >= 3
        assert not [line for line in solutions if line in release]
        assert "BEGIN SOLUTION" not in release
        assert release.count("raise NotImplementedError()") >= 3


@pytest.mark.parametrize("name", NAMES)
def test_a_complete_submission_earns_every_autograded_point(gradebook, name):
    assert gradebook[name, "complete"] == autograded_points(name)


@pytest.mark.parametrize("name", NAMES)
def test_a_blank_submission_earns_nothing(gradebook, name):
    assert gradebook[name, "blank"] == 0


@pytest.mark.parametrize("name", NAMES)
def test_answering_only_the_first_question_earns_only_its_points(gradebook, name):
    first_check = next(m for m in nbgrader_cells(name) if m.get("grade") and not m.get("solution"))
    assert gradebook[name, "partial"] == first_check["points"]
