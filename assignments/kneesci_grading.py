"""Marking outside the student's kernel: the autograder marks the answers handed in.

nbgrader runs a submission's check cells in the student's own kernel, after the student's code.
Code in an answer cell can therefore rebind what a check uses (`math.isclose = lambda *a, **k:
True`, `builtins.abs`, `sorted`, a method of `kb`, a class whose `==` is always true) and every
check passes with every answer wrong. So each check cell also hands its answer over as plain JSON,
in a hidden test (`### BEGIN HIDDEN TESTS`, put back by nbgrader only when it autogrades), and this
preprocessor, which nbgrader runs in its own process after the notebook has run, compares that
answer with values it computes itself from the course's knowledge base. Nothing the student's code
did to the kernel reaches this process: what it can change is only the answer it hands in, and a
JSON number, string or list has no `==` of its own. A check whose answer is wrong, missing, handed
in twice or of the wrong kind gets an error at the top of its outputs, which nbgrader scores as 0.

The hidden test ends by raising an error that this preprocessor clears: if nbgrader_config.py could
not load this module (nbgrader then only logs the error and goes on), every check scores zero, so a
misconfigured course is noticed on the first submission and never passes a cheat.

What stays true: the student's code still runs as whoever runs `nbgrader autograde`. Run autograde
in a disposable container or as an unprivileged user (assignments/README.md).

Registered in nbgrader_config.py, right after nbgrader's Execute step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from traitlets import Bool

import kneesci
from kneesci.evidence import likelihood_ratios

# The MIME type a check cell's hidden test displays its answer under (raw JSON, no repr).
ANSWER_MIME = "application/vnd.kneesci.answer+json"
# The hidden test then raises this error, so that a check earns nothing unless this preprocessor
# ran and found the answer right (a course whose nbgrader_config.py failed to load it fails closed).
AWAITING = "awaiting the kneesci grader"

# The patient of assignment 2's setup cell.
A2_PATIENT = {
    "knee_pain": True,
    "anterior_thigh_pain": True,
    "low_back_pain": True,
    "femoral_nerve_stretch_positive": True,
    "patellar_reflex_reduced": True,
    "slr_positive": False,
}
A3_Q1_FINDINGS = {"saddle_anaesthesia": True, "slr_positive": True}


class WrongAnswer(Exception):
    """The answer handed in is not the expected one (the message says why, for the feedback)."""


def number(answer: dict, name: str) -> float:
    value = answer.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise WrongAnswer(f"`{name}` must be a number, not {value!r}")
    return float(value)


def text(answer: dict, name: str) -> str:
    value = answer.get(name)
    if not isinstance(value, str):
        raise WrongAnswer(f"`{name}` must be an id (a string), not {value!r}")
    return value


def close(value: float, expected: float, name: str, *, rel: float = 0, absolute: float = 0) -> None:
    if not math.isclose(value, expected, rel_tol=rel, abs_tol=absolute):
        raise WrongAnswer(f"`{name}` is {value:.4g}; that is not the expected value")


def same(value: Any, expected: Any, name: str) -> None:
    if value != expected:
        raise WrongAnswer(f"`{name}` is {value!r}; that is not the expected answer")


def a1_q1(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    close(number(answer, "lr_positive"), likelihood_ratios(0.84, 0.83)[0], "lr_positive", rel=0.01)


def a1_q2(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    close(number(answer, "lr_negative"), likelihood_ratios(0.84, 0.83)[1], "lr_negative", rel=0.01)


def a1_q3(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    expected = kb.post_test("l5_radiculopathy", "slr_positive").posttest
    close(number(answer, "posttest"), expected, "posttest", absolute=0.005)


def a2_q1(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    same(text(answer, "leading"), kb.differential(A2_PATIENT).top, "leading")


def a2_q2(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    dx = kb.differential(A2_PATIENT)
    same(text(answer, "strongest"), dx.explain(dx.top)[0].finding, "strongest")


def a2_q3(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    expected = kb.differential(A2_PATIENT).next_questions(1)[0][0]
    same(text(answer, "ask_next"), expected, "ask_next")


def a3_q1(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    flags = answer.get("flags")
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise WrongAnswer(f"`flags` must be a list of red-flag ids, not {flags!r}")
    same(sorted(flags), sorted(kb.differential(A3_Q1_FINDINGS).red_flags), "flags")


def a3_q2(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    findings = answer.get("dx_knee_findings")
    if not isinstance(findings, dict) or not all(isinstance(v, bool) for v in findings.values()):
        raise WrongAnswer("`dx_knee` must be a differential made with kb.differential(...)")
    if findings.get("saddle_anaesthesia") is not True:
        raise WrongAnswer("keep the saddle numbness in `dx_knee`")
    try:
        raised = "cauda_equina_syndrome" in kb.differential(findings).red_flags
    except (KeyError, TypeError, ValueError) as error:  # unknown ids, contradictions
        raise WrongAnswer(f"`dx_knee`'s findings are not valid: {error}") from None
    if answer.get("flag_stays") is not True or not raised:
        raise WrongAnswer("`flag_stays` is not the expected answer")


def a3_q3(kb: kneesci.KnowledgeBase, answer: dict) -> None:
    trigger = text(answer, "infection_trigger")
    if trigger not in kb.findings:
        raise WrongAnswer(f"{trigger!r} is not a finding id")
    with_back_pain = {trigger: True, "low_back_pain": True}
    if "spinal_infection" not in kb.differential(with_back_pain).red_flags:
        raise WrongAnswer(f"{trigger!r} with back pain does not raise the spinal infection flag")


# grade_id of each autograded check cell -> how its answer is marked.
CHECKS: dict[str, Callable[[kneesci.KnowledgeBase, dict], None]] = {
    "a1_q1_check": a1_q1,
    "a1_q2_check": a1_q2,
    "a1_q3_check": a1_q3,
    "a2_q1_check": a2_q1,
    "a2_q2_check": a2_q2,
    "a2_q3_check": a2_q3,
    "a3_q1_check": a3_q1,
    "a3_q2_check": a3_q2,
    "a3_q3_check": a3_q3,
}


def mark(grade_id: str, handed_in: list[Any], kb: kneesci.KnowledgeBase) -> str | None:
    """Why the answers a check cell handed in earn nothing, or None when they are right."""
    if len(handed_in) != 1:
        return f"{len(handed_in)} answers reached the grader (one expected)"
    if not isinstance(handed_in[0], dict):
        return "the answer reached the grader in the wrong form"
    try:
        CHECKS[grade_id](kb, handed_in[0])
    except WrongAnswer as wrong:
        return str(wrong)
    return None


class MarkHandedInAnswers(Preprocessor):
    """After nbgrader's Execute: mark each check cell's handed-in answer in the grader's process."""

    enabled = Bool(True)  # nbconvert runs a preprocessor only when it is enabled

    def preprocess(self, nb, resources):
        self.kb = kneesci.load()
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        grading = cell.metadata.get("nbgrader", {})
        grade_id = grading.get("grade_id")
        if cell.cell_type != "code" or not grading.get("grade") or grading.get("solution"):
            return cell, resources
        if grade_id not in CHECKS:
            self.log.warning(
                "check cell %s has no grader-side marking; kernel checks only", grade_id
            )
            return cell, resources
        handed_in = [
            output["data"][ANSWER_MIME]
            for output in cell.get("outputs", [])
            if output.get("output_type") in ("display_data", "execute_result")
            and ANSWER_MIME in output.get("data", {})
        ]
        problem = mark(grade_id, handed_in, self.kb)
        cell.outputs = [o for o in cell.get("outputs", []) if not awaiting(o)]
        if problem is not None:
            # First among the outputs: nbgrader scores a cell by the first error or result it meets.
            cell.outputs.insert(
                0,
                new_output("error", ename="WrongAnswer", evalue=problem, traceback=[problem]),
            )
        return cell, resources


def awaiting(output: dict) -> bool:
    """The hidden test's own error, which stands until this preprocessor has marked the answer."""
    return output.get("output_type") == "error" and output.get("evalue") == AWAITING
