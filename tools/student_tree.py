"""Write the copy of the course that students pull: no solutions, no answer tools.

    python tools/student_tree.py                 # writes build/student/
    python tools/student_tree.py TARGET          # or another (empty or absent) folder

The repository is the lecturer's copy: `assignments/source` holds the nbgrader solutions and
`tools/exercise_answers.py` writes the answer sheet. The nbgitpuller link and the Binder badge point
at a `student` branch made from this tree instead (docs/deploy.md gives the git commands). The tree
holds the package, the data, the notebooks, the Voila template and what Binder needs to build, and
the nbgrader assignments as `nbgrader generate_assignment` releases them (solutions replaced by
"YOUR CODE HERE", hidden tests removed). It is checked before it is written: a tree with a solution
marker or an answer tool in it is an error.

The case library's diagnoses and the exercises' answers stay readable in `data/` (the game and the
exercises need them): docs/lecturer-guide.md says what that means for assessment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGET = ROOT / "build" / "student"

# What students get, relative to the repository root. Everything else (tests, tools, benchmarks,
# assignments/source, the lecturer's guide) stays in the lecturer's copy.
INCLUDE = (
    "README.md",
    "Makefile",  # `make lab` on a student's own computer (the README's local install)
    "LICENSE",
    "LICENSE-CONTENT.md",
    "CITATION.cff",
    "pyproject.toml",
    "environment.yml",
    "voila.json",
    "kneesci",
    "data",
    "notebooks",
    "share",
    "jupyter_config",  # `make lab` hides nbgrader's menus and the Jupyter news toast
    "docs/explorer.png",  # the README's screenshot
    "docs/editing-the-knowledge-base.md",  # linked from the README and data/README.md
    "docs/deploy.md",
    "docs/deploy",
)
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
# Text that only a lecturer's copy of an assignment contains: nbgrader's solution and hidden-test
# markers.
FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
ANSWER_TOOLS = ("tools/exercise_answers.py",)

STUDENT_ASSIGNMENTS_README = """\
# Assignments

The assignments your lecturer sets, as nbgrader releases them: write your answers in the cells
marked *YOUR CODE HERE* or *YOUR ANSWER HERE* and leave the other cells as they are. The check
cells under each answer test only its form; your lecturer's autograder marks it.
"""


class StudentTreeError(Exception):
    """The student tree would hold something students must not get."""


def released_assignments(target: Path) -> list[Path]:
    """Run `nbgrader generate_assignment` on a copy of assignments/ and copy the releases."""
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch)
        shutil.copy(ROOT / "assignments" / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "assignments" / "source", course / "source", ignore=SKIP)
        # nbgrader upgrades its gradebook with `alembic`, which must be on PATH beside python.
        env_path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
        for source in sorted(p for p in (course / "source").iterdir() if p.is_dir()):
            done = subprocess.run(
                [sys.executable, "-m", "nbgrader", "generate_assignment", source.name, "--force"],
                cwd=course,
                capture_output=True,
                text=True,
                env={**os.environ, "PATH": env_path},
            )
            if done.returncode != 0:
                raise StudentTreeError(
                    f"nbgrader generate_assignment {source.name} failed:\n"
                    f"{done.stdout}{done.stderr}"
                )
            for notebook in sorted((course / "release" / source.name).glob("*.ipynb")):
                destination = target / "assignments" / source.name / notebook.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(notebook, destination)
                written.append(destination)
    (target / "assignments" / "README.md").write_text(STUDENT_ASSIGNMENTS_README, encoding="utf-8")
    return written


def problems(tree: Path) -> list[str]:
    """What in `tree` students must not get (an empty list for a clean tree)."""
    found = [f"{tool}: an answer tool" for tool in ANSWER_TOOLS if (tree / tool).exists()]
    if (tree / "assignments" / "source").exists():
        found.append("assignments/source: the nbgrader solutions")
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # pictures and other binary files carry no answers
        found += [
            f"{path.relative_to(tree)}: contains {marker!r}"
            for marker in FORBIDDEN
            if marker in text
        ]
    return found


def build(target: Path = DEFAULT_TARGET) -> Path:
    """Write the student tree to `target` (replacing an earlier build there) and return it."""
    if target.exists():
        if not (target / "kneesci").is_dir() and any(target.iterdir()):
            raise StudentTreeError(f"{target} is not empty and not an earlier student tree")
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in INCLUDE:
        source, destination = ROOT / name, target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=SKIP)
        else:
            shutil.copy(source, destination)
    released_assignments(target)
    found = problems(target)
    if found:
        shutil.rmtree(target)
        raise StudentTreeError("the student tree would hold:\n  " + "\n  ".join(found))
    return target


if __name__ == "__main__":
    written = build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TARGET)
    print(f"wrote {written}")
