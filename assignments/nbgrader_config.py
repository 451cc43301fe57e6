# nbgrader configuration for the kneesci assignments. Run nbgrader from this folder:
#   cd assignments && nbgrader generate_assignment a1_likelihood_ratios
# Expected answers are computed by kneesci (in the locked check cells for the students' feedback,
# and in kneesci_grading.py for the marks), so they follow the course's knowledge base; the
# free-text questions are graded by hand (nbgrader formgrader).
c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "kneesci"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ExecutePreprocessor.timeout = 120

# Marking happens outside the student's kernel: after nbgrader's Execute step, kneesci_grading (in
# this folder) compares the answer each check cell hands in with values it computes in nbgrader's
# own process, so a submission that rebinds math.isclose or `==` in its kernel still earns nothing.
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kneesci_grading import MarkHandedInAnswers  # noqa: E402
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    Execute,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

c.Autograde.autograde_preprocessors = [
    Execute,
    MarkHandedInAnswers,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
