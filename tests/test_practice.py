"""Practice that comes back to what you missed: a scripted history and the order cases return."""

from __future__ import annotations

import json

import pytest

from kneesci.course.cases import load_cases
from kneesci.course.practice import boxes, next_case, plan
from kneesci.course.progress import Progress


def _game(case_id: str, diagnosis: str, correct: bool, confidence: float, flags_missed=False):
    return {
        "case_id": case_id,
        "simulated": False,
        "committed": diagnosis if correct else "knee_osteoarthritis",
        "diagnosis": diagnosis,
        "correct": correct,
        "questions_used": 4,
        "suggested_questions_to_lead": 3,
        "red_flags_missed": flags_missed,
        "confidence": confidence,
        "model_probability": 0.5,
    }


# Five games: knee OA known, SIJ pain missed twice, L4 missed with 90% confidence in another
# answer, hip OA right but unsure.
HISTORY = [
    _game("knee_oa_acr_criteria", "knee_osteoarthritis", True, 0.9),
    _game("sacroiliac_pain_below_knee_series", "si_joint_pain", False, 0.4),
    _game("l4_groin_and_knee_pain", "l4_radiculopathy", False, 0.9),
    _game("hip_oa_acr_criteria", "hip_osteoarthritis", True, 0.3),
    _game("sacroiliac_pain_like_stenosis", "si_joint_pain", False, 0.5),
]


@pytest.fixture(scope="module")
def cases(kb):
    return load_cases(kb)


def test_the_boxes_after_the_scripted_history(kb, cases) -> None:
    got = {key[1]: item.box for key, item in boxes(HISTORY, cases).items()}
    assert got == {
        "knee_osteoarthritis": 3,  # right and sure: starts in box 3
        "si_joint_pain": 1,  # missed
        "l4_radiculopathy": 1,  # missed, confidently
        "hip_osteoarthritis": 2,  # right but unsure: kept low
    }


def test_cases_come_back_in_schedule_order(kb, cases) -> None:
    order = plan(HISTORY, cases, kb, n=len(kb.conditions) + 2)
    items = [c.item for c in order]
    # the confident miss first, then the condition missed twice...
    assert items[:2] == ["l4_radiculopathy", "si_joint_pain"]
    # ...then conditions never met, and last the ones not due yet: the unsure one (due in one
    # game, box 2) before the well-known one (due in one game, box 3)
    assert items[-2:] == ["hip_osteoarthritis", "knee_osteoarthritis"]
    met = {"l4_radiculopathy", "si_joint_pain", "hip_osteoarthritis", "knee_osteoarthritis"}
    middle = items[2:-2]
    assert middle and not set(middle) & met


def test_the_student_sees_why(kb, cases) -> None:
    first, second = plan(HISTORY, cases, kb, n=2)
    assert first.reason.startswith("You were 90% sure of another answer when it was L4")
    assert second.reason == "You missed Sacroiliac joint pain twice in your last 10 games."


def test_the_case_just_played_is_not_offered_again(kb, cases) -> None:
    si = plan(HISTORY, cases, kb, n=2)[1]
    assert si.item == "si_joint_pain"
    assert si.case_id not in ("sacroiliac_pain_like_stenosis", "sacroiliac_pain_below_knee_series")
    assert cases[si.case_id].diagnosis == "si_joint_pain"


def test_a_missed_red_flag_comes_back_first(kb, cases) -> None:
    history = [_game("hip_oa_after_knee_replacement", "hip_osteoarthritis", True, 0.8, True)]
    choice = next_case(history, cases, kb)
    assert choice.item in ("hip_or_knee_fracture", "septic_arthritis")
    assert "red flag" in choice.reason and "once" in choice.reason
    assert choice.case_id != "hip_oa_after_knee_replacement"


def test_a_well_known_condition_moves_up_and_waits_longer(kb, cases) -> None:
    history = [_game("knee_oa_acr_criteria", "knee_osteoarthritis", True, 0.9)] * 3
    (knee,) = boxes(history, cases).values()
    assert knee.box == 5


def test_it_reads_the_students_own_saved_history(kb, cases, tmp_path) -> None:
    # the file as Progress saves it: {"rows": [...]}
    (tmp_path / "progress.json").write_text(json.dumps({"rows": HISTORY}), encoding="utf-8")
    reopened = Progress.open(tmp_path / "progress.json")
    assert next_case(reopened.sheet.rows, cases, kb).item == "l4_radiculopathy"
