"""The nbgrader assignments: generate student versions, autograde filled-in copies, check scores.

Runs the real `nbgrader generate_assignment` and `nbgrader autograde` commands on a copy of
`assignments/`, as a lecturer would, with four students: one who answered everything correctly (the
source notebook, solutions in place), one who handed in the blank release, one who answered
only the first question, and one who answered everything wrongly and rebound what the checks use
(`math.isclose`, `sorted`, a method of `kb`, `==` through a class of their own).
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
STUDENTS = ("complete", "blank", "partial", "cheater")

# Every answer wrong, and each check fooled in the student's kernel by rebinding what it uses.
CHEATS = {
    "a1_q1_answer": (
        "import builtins\n"
        "import math\n"
        "math.isclose = lambda *args, **kwargs: True\n"
        "builtins.abs = lambda x: 0\n"
        "builtins.round = lambda *args, **kwargs: 0\n"
        "lr_positive = 0.5\n"
    ),
    "a1_q2_answer": "lr_negative = 99.0\n",
    "a1_q3_answer": "posttest = 0.5\n",
    "a2_q1_answer": (
        "class Anything(str):\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    __hash__ = str.__hash__\n"
        "\n"
        "leading = Anything('knee_osteoarthritis')\n"
    ),
    "a2_q2_answer": "strongest = Anything('knee_pain')\n",
    "a2_q3_answer": "ask_next = Anything('fever')\n",
    "a3_q1_answer": (
        "import builtins\n"
        "class AlwaysEqual(list):\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "\n"
        "builtins.sorted = lambda items, **kwargs: AlwaysEqual(items)\n"
        "flags = AlwaysEqual(['cauda_equina_syndrome', 'spinal_infection'])\n"
    ),
    "a3_q2_answer": (
        "import types\n"
        "flag_stays = True\n"
        "dx_knee = types.SimpleNamespace(\n"
        "    findings={'saddle_anaesthesia': True, 'knee_crepitus': 'yes'},\n"
        "    red_flags=['cauda_equina_syndrome'],\n"
        ")\n"
    ),
    "a3_q3_answer": (
        "import types\n"
        "flagged = types.SimpleNamespace(red_flags=['spinal_infection'])\n"
        "kb.differential = lambda *args, **kwargs: flagged\n"
        "infection_trigger = 'knee_pain'\n"
    ),
}


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


def cheating(release: Path, target: Path) -> None:
    """The release notebook with every code answer replaced by its cheat."""
    released = json.loads(release.read_text())
    for cell in released["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if cell["cell_type"] == "code" and grade_id in CHEATS:
            cell["source"] = CHEATS[grade_id]
    target.write_text(json.dumps(released))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ASSIGNMENTS / "nbgrader_config.py", course)
    shutil.copy(ASSIGNMENTS / "kneesci_grading.py", course)
    shutil.copytree(ASSIGNMENTS / "source", course / "source")
    for name in NAMES:
        run(["generate_assignment", name, "--force"], course)
        release = course / "release" / name / f"{name}.ipynb"
        source = course / "source" / name / f"{name}.ipynb"
        for student in STUDENTS:
            (course / "submitted" / student / name).mkdir(parents=True)
        shutil.copy(source, course / "submitted" / "complete" / name)
        shutil.copy(release, course / "submitted" / "blank" / name)
        only_first_answer(release, source, course / "submitted" / "partial" / name / release.name)
        cheating(release, course / "submitted" / "cheater" / name / release.name)
        run(["autograde", name, "--create", "--force"], course)
    return course


@pytest.fixture(scope="module")
def gradebook(course):
    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        yield {
            (name, student): gb.find_submission(name, student).code_score
            for name in NAMES
            for student in STUDENTS
        }


def test_the_release_students_get_hides_every_solution(course):
    assert NAMES, "nothing to check"
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


def check_cells(notebook: dict) -> list[dict]:
    return [
        c
        for c in notebook["cells"]
        if c["cell_type"] == "code"
        and c["metadata"].get("nbgrader", {}).get("grade")
        and not c["metadata"]["nbgrader"].get("solution")
    ]


@pytest.mark.parametrize("name", NAMES)
def test_item_4_a_submission_that_rebinds_what_the_checks_use_scores_zero(course, gradebook, name):
    assert gradebook[name, "cheater"] == 0
    autograded = json.loads(
        (course / "autograded" / "cheater" / name / f"{name}.ipynb").read_text()
    )
    checks = check_cells(autograded)
    assert len(checks) == 3
    for cell in checks:
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        # The cheat fooled every check in the student's kernel (it ran on to the hidden hand-in):
        # the only error left is the grader's.
        assert [e["ename"] for e in errors] == ["WrongAnswer"], cell["metadata"]["nbgrader"]
        assert cell["outputs"][0]["output_type"] == "error"


def test_item_4_the_hidden_hand_in_is_restored_only_for_the_autograder(course):
    assert NAMES, "nothing to check"
    for name in NAMES:
        release = (course / "release" / name / f"{name}.ipynb").read_text()
        graded = (course / "autograded" / "complete" / name / f"{name}.ipynb").read_text()
        assert "BEGIN HIDDEN TESTS" not in release
        assert "application/vnd.kneesci.answer+json" not in release
        assert graded.count('"application/vnd.kneesci.answer+json"') >= 3


def test_item_4_the_grader_refuses_answers_of_the_wrong_kind(kb):
    import sys as _sys

    _sys.path.insert(0, str(ASSIGNMENTS))
    try:
        from kneesci_grading import CHECKS, mark
    finally:
        _sys.path.remove(str(ASSIGNMENTS))
    right = {"lr_positive": 0.84 / 0.17}
    assert mark("a1_q1_check", [right], kb) is None
    for wrong in (
        [{"lr_positive": True}],  # a bool is not a number
        [{"lr_positive": float("nan")}],
        [{"lr_positive": "4.94"}],
        [{}],
        [right, right],  # two answers handed in
        [],  # none (the hand-in was suppressed)
        ["lr_positive"],
    ):
        assert mark("a1_q1_check", wrong, kb) is not None, wrong
    assert mark("a3_q3_check", [{"infection_trigger": "fever"}], kb) is None
    assert "not a finding id" in mark("a3_q3_check", [{"infection_trigger": "fevre"}], kb)
    assert len(CHECKS) == sum(
        1 for n in NAMES for m in nbgrader_cells(n) if m["grade"] and not m["solution"]
    )


def test_item_4_a_course_without_the_grader_module_gives_no_marks(tmp_path):
    """nbgrader only logs a config file that fails to load: the checks must then fail closed."""
    name = NAMES[0]
    shutil.copy(ASSIGNMENTS / "nbgrader_config.py", tmp_path)  # kneesci_grading.py left out
    shutil.copytree(ASSIGNMENTS / "source" / name, tmp_path / "source" / name)
    run(["generate_assignment", name, "--force"], tmp_path)
    (tmp_path / "submitted" / "complete" / name).mkdir(parents=True)
    shutil.copy(
        tmp_path / "source" / name / f"{name}.ipynb", tmp_path / "submitted" / "complete" / name
    )
    run(["autograde", name, "--create", "--force"], tmp_path)
    with nbgrader_api.Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        assert gb.find_submission(name, "complete").code_score == 0
