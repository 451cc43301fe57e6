"""The diagnostic game, practice mode, the score sheet and the model's accuracy on the library.

Hand-worked numbers use the tiny knowledge base (tests/fixtures/tiny): priors alpha 0.2, beta 0.8;
P(sign | alpha) = 0.8, background 0.1; P(symptom | beta) = 0.25, background 0.5.
"""

from __future__ import annotations

import json

import pytest

import kneesci
from kneesci.cases import load_cases
from kneesci.game import (
    SIMULATED_LABEL,
    Game,
    GameError,
    ScoreSheet,
    accuracy_report,
    action_cases,
    library_accuracy,
    practice_game,
    simulate_patient,
    suggested_order,
)
from kneesci_testing.players import tiny_case


@pytest.fixture(scope="module")
def library(kb):
    return load_cases(kb)


# --- asking --------------------------------------------------------------------------------------


def test_asking_reveals_the_recorded_finding(tiny):
    game = Game(tiny_case(), tiny)
    assert game.ask("sign") is True


def test_asking_an_unrecorded_finding_answers_none_but_counts(tiny):
    game = Game(tiny_case(sign=True), tiny)
    assert game.ask("older") is None
    assert len(game.steps) == 1 and "older" not in game.known


def test_each_answer_moves_the_differential_as_hand_worked(tiny):
    game = Game(tiny_case(), tiny)
    game.ask("sign")  # alpha 0.2*0.8 = 0.16 against beta 0.8*0.1 = 0.08
    assert game.steps[0].ranked[0] == ("alpha", pytest.approx(2 / 3))
    game.ask("symptom")  # alpha 0.16*0.5 = 0.08 against beta 0.08*0.25 = 0.02
    assert game.steps[1].ranked[0] == ("alpha", pytest.approx(0.8))


def test_asking_twice_is_refused(tiny):
    game = Game(tiny_case(), tiny)
    game.ask("sign")
    with pytest.raises(GameError, match="already known"):
        game.ask("sign")


def test_asking_an_unknown_finding_suggests_the_nearest_id(tiny):
    game = Game(tiny_case(), tiny)
    with pytest.raises(kneesci.UnknownIdError, match="sign"):
        game.ask("sing")


def test_asking_after_committing_is_refused(tiny):
    game = Game(tiny_case(), tiny)
    game.commit("alpha")
    with pytest.raises(GameError, match="already committed"):
        game.ask("sign")


def test_suggestions_exclude_what_was_already_asked(tiny):
    game = Game(tiny_case(sign=True), tiny)
    game.ask("older")
    assert "older" not in [f for f, _ in game.suggestions(n=None)]


# --- committing and feedback -------------------------------------------------------------------


def test_the_right_diagnosis_is_called_correct(tiny):
    game = Game(tiny_case(), tiny)
    game.ask("sign")
    feedback = game.commit("alpha")
    assert feedback.correct is True
    assert feedback.message.startswith("Correct: Alpha.")


def test_a_wrong_diagnosis_names_the_right_one(tiny):
    game = Game(tiny_case(), tiny)
    feedback = game.commit("beta")
    assert feedback.correct is False
    assert feedback.message.startswith("Not quite: you chose Beta; the diagnosis was Alpha.")


def test_feedback_records_the_trajectory_of_the_true_diagnosis(tiny):
    game = Game(tiny_case(), tiny)
    game.ask("sign")
    game.ask("symptom")
    feedback = game.commit("alpha")
    assert [s.diagnosis_probability for s in feedback.steps] == [
        pytest.approx(2 / 3),
        pytest.approx(0.8),
    ]
    assert "1. A sign: yes (leading: Alpha 67%)" in feedback.message


def test_feedback_counts_questions_until_the_diagnosis_led(tiny):
    game = Game(tiny_case(), tiny)
    game.ask("older")  # not recorded: beta still leads
    game.ask("sign")
    feedback = game.commit("alpha")
    assert (feedback.questions_used, feedback.questions_to_lead) == (2, 2)


def test_information_gain_order_asks_the_sign_first_and_leads_after_one_question(tiny):
    steps = suggested_order(tiny, tiny_case())
    assert steps[0].finding == "sign"
    assert Game(tiny_case(), tiny).commit("alpha").suggested_questions_to_lead == 1


def test_feedback_counts_how_often_the_student_followed_the_suggestions(tiny):
    game = Game(tiny_case(), tiny)
    suggested_first = game.suggestions(n=1)[0][0]
    game.ask(suggested_first)
    assert game.commit("alpha").suggestions_followed == 1


def test_a_red_flag_finding_never_asked_is_reported_missed(kb, library):
    game = Game(library["cauda_equina_without_sciatica"], kb)
    game.ask("low_back_pain")
    feedback = game.commit(action="Refer urgently")
    assert feedback.missed_red_flag_findings == (
        "saddle_anaesthesia",
        "bladder_or_bowel_dysfunction",
    )
    assert "RED FLAG MISSED" in feedback.message


def test_a_raised_red_flag_not_acted_on_is_reported(kb, library):
    game = Game(library["cauda_equina_without_sciatica"], kb)
    game.ask("saddle_anaesthesia")
    feedback = game.commit(action="Refer urgently")
    assert feedback.unacknowledged_red_flags == ("cauda_equina_syndrome",)


def test_an_acknowledged_red_flag_is_not_reported(kb, library):
    game = Game(library["cauda_equina_without_sciatica"], kb)
    game.ask("saddle_anaesthesia")
    game.ask("bladder_or_bowel_dysfunction")
    game.acknowledge_red_flag("cauda_equina_syndrome")
    assert not game.commit(action="Refer urgently").red_flags_missed


def test_hidden_answers_keep_the_diagnosis_out_of_the_feedback(tiny):
    game = Game(tiny_case(), tiny, hide_answers=True)
    game.ask("sign")
    feedback = game.commit("beta")
    assert (feedback.correct, feedback.diagnosis, feedback.teaching_point) == (None, None, None)
    assert "the diagnosis was" not in feedback.message
    assert "Teaching point" not in feedback.message
    assert feedback.steps[0].diagnosis_probability is None


def test_the_instructor_can_reveal_a_hidden_game(tiny):
    game = Game(tiny_case(), tiny, hide_answers=True)
    game.commit("beta")
    assert game.reveal().correct is False


def test_a_full_library_game_from_complaint_to_feedback(kb, library):
    case = library["pad_as_low_back_pain"]
    game = Game(case, kb)
    assert game.case.describe().startswith("A 49-year-old man.")
    for finding in ("worse_with_walking_or_standing", "absent_foot_pulses", "abi_below_0_9"):
        game.ask(finding)
    feedback = game.commit("peripheral_artery_disease")
    assert feedback.correct is True
    assert feedback.questions_used == 3
    assert feedback.steps[-1].diagnosis_probability > feedback.steps[0].diagnosis_probability
    assert "Teaching point:" in feedback.message


# --- practice mode -------------------------------------------------------------------------------


def test_a_simulated_patient_is_reproducible_with_its_seed(kb):
    first = simulate_patient(kb, "l4_radiculopathy", seed=7)
    again = simulate_patient(kb, "l4_radiculopathy", seed=7)
    assert first.findings == again.findings


def test_different_seeds_give_different_patients(kb):
    patients = {
        tuple(simulate_patient(kb, "l4_radiculopathy", seed=s).findings.items()) for s in range(5)
    }
    assert len(patients) > 1


def test_a_simulated_patient_is_clearly_labelled(kb):
    patient = simulate_patient(kb, "hip_osteoarthritis", seed=1)
    assert patient.simulated and patient.story == SIMULATED_LABEL
    assert patient.diagnosis == "hip_osteoarthritis"


def test_simulated_findings_follow_the_model_probability(tiny):
    draws = [
        simulate_patient(tiny, "alpha", seed=s, setting="clinic").findings["sign"]
        for s in range(2000)
    ]
    assert sum(draws) / len(draws) == pytest.approx(0.8, abs=0.03)


def test_simulated_patients_respect_implications(tiny):
    patients = [
        simulate_patient(tiny, "beta", seed=s, setting="clinic").findings for s in range(2000)
    ]
    assert not any(p["oldest"] and not p["older"] for p in patients)


def test_an_implying_finding_keeps_its_model_frequency(tiny):
    # P(oldest) = 0.2 (background): drawn as P(older) 0.4 times P(oldest | older) 0.5.
    draws = [
        simulate_patient(tiny, "beta", seed=s, setting="clinic").findings["oldest"]
        for s in range(2000)
    ]
    assert sum(draws) / len(draws) == pytest.approx(0.2, abs=0.03)


def test_practice_mode_draws_the_same_condition_for_the_same_seed(kb):
    assert practice_game(kb, seed=11).case.diagnosis == practice_game(kb, seed=11).case.diagnosis


# --- the score sheet -----------------------------------------------------------------------------


def finished(tiny, commit: str, hide: bool = False):
    game = Game(tiny_case(), tiny, hide_answers=hide)
    game.ask("sign")
    return game.commit(commit)


def test_the_score_sheet_summarises_a_session(tiny):
    sheet = ScoreSheet()
    sheet.add(finished(tiny, "alpha"))
    sheet.add(finished(tiny, "beta"))
    assert sheet.summary() == (
        "2 patients: 1 of 2 correct (50%); 1.0 questions on average; red flags missed in 0."
    )


def test_hidden_answers_are_not_scored(tiny):
    sheet = ScoreSheet()
    sheet.add(finished(tiny, "alpha", hide=True))
    assert sheet.summary().startswith("1 patient: answers hidden")


def test_the_score_sheet_exports_csv(tiny):
    sheet = ScoreSheet()
    sheet.add(finished(tiny, "alpha"))
    lines = sheet.to_csv().splitlines()
    assert lines[0].startswith("case_id,simulated,committed,diagnosis,correct")
    assert lines[1].startswith("tiny_alpha,False,alpha,alpha,True,1")


def test_the_score_sheet_survives_a_json_round_trip(tiny):
    sheet = ScoreSheet()
    sheet.add(finished(tiny, "beta"))
    assert ScoreSheet.from_json(sheet.to_json()).rows == sheet.rows


def test_the_score_sheet_saves_to_a_file(tiny, tmp_path):
    sheet = ScoreSheet()
    sheet.add(finished(tiny, "alpha"))
    path = sheet.save(tmp_path / "session.json")
    assert json.loads(path.read_text())["rows"][0]["correct"] is True


# --- the model's accuracy on the library -------------------------------------------------------


def test_library_accuracy_hand_worked(tiny):
    right = tiny_case("alpha", sign=True)  # alpha leads: 2/3
    wrong = tiny_case("alpha", sign=False)  # alpha 0.2*0.2 = 0.04 against beta 0.8*0.9 = 0.72
    top1, top3, details = library_accuracy(tiny, [right, wrong])
    assert (top1, top3) == (0.5, 1.0)
    assert [d.rank for d in details] == [1, 2]


def test_library_accuracy_scores_every_case(kb, library):
    top1, top3, details = library_accuracy(kb, library)
    by_action = action_cases(library)
    assert by_action  # the cauda equina cases are scored on the action and left out
    assert len(details) == len(library) - len(by_action)
    assert not {d.case_id for d in details} & {c.id for c in by_action}
    assert 0.0 <= top1 <= top3 <= 1.0
    assert top1 == sum(d.rank == 1 for d in details) / len(details)


def test_the_accuracy_report_lists_the_misses(kb, library):
    report = accuracy_report(kb, library)
    top1, _, details = library_accuracy(kb, library)
    scored = len(library) - len(action_cases(library))
    assert report.startswith(f"Model accuracy on {scored} library cases: top-1 {top1:.0%}")
    assert "scored on the action, not a diagnosis, are left out" in report
    assert all(d.case_id in report for d in details if d.rank > 1)


# --- the game on screen -------------------------------------------------------------------------


@pytest.fixture
def game_widget(kb):
    from kneesci.widgets.game import DiagnosticGame

    return DiagnosticGame(kb, case_id="hip_oa_after_knee_replacement")


def test_the_diagnosis_picker_starts_empty(game_widget):
    assert game_widget.answer_picker.value is None
    assert game_widget.answer_picker.index is None


def test_commit_is_disabled_until_a_diagnosis_and_an_action_are_chosen(game_widget, kb):
    assert game_widget.commit_button.disabled
    game_widget.answer_picker.value = kb.condition_ids[0]
    assert game_widget.commit_button.disabled
    assert game_widget.commit_button.tooltip == "Choose an action first"
    game_widget.action_picker.value = "No red flag: manage as usual"
    assert not game_widget.commit_button.disabled


def test_the_game_offers_the_four_levels_as_actions(game_widget):
    from kneesci import LEVEL_WORDS

    offered = [label for label, _ in game_widget.action_picker.options]
    assert offered[:4] == list(LEVEL_WORDS.values())
    assert game_widget.action_picker.value is None  # nothing assumed


def test_a_cauda_equina_patient_on_screen_is_scored_on_the_action(kb):
    from kneesci.widgets.game import DiagnosticGame

    widget = DiagnosticGame(kb, case_id="cauda_equina_without_sciatica")
    assert "scored on the action" in widget.header.value
    widget.action_picker.value = "Refer urgently"
    assert not widget.commit_button.disabled  # no diagnosis needed
    widget.commit_button.click()
    panel = widget.feedback_panel.value
    assert "Not quite" in panel and "the right action is Refer immediately" in panel
    assert widget.score_sheet.rows[0]["action"] == "Refer urgently"
    assert widget.score_sheet.rows[0]["action_correct"] is False


def test_pressing_commit_without_a_choice_scores_nothing(game_widget):
    game_widget.commit_button.click()
    assert game_widget.score_sheet.rows == []
    assert not game_widget.game.finished
    assert "Choose a diagnosis first" in game_widget.feedback_panel.value


def test_a_new_patient_empties_the_picker_again(game_widget, kb):
    game_widget.commit(kb.condition_ids[0])
    game_widget.answer_picker.value = kb.condition_ids[1]
    game_widget.new_patient()
    assert game_widget.answer_picker.value is None and game_widget.commit_button.disabled


def test_no_game_label_is_cut_to_a_fixed_width(game_widget):
    # Fixed-width buttons cut "Practice (simulated)" and "Act on: Suspected ..." short.
    assert game_widget.mode.style.button_width == "auto"
    for button in [*game_widget.flag_buttons.values(), *game_widget.buttons.values()]:
        assert button.layout.width == "auto", button.description


def test_the_patient_picker_names_no_diagnosis(game_widget):
    labels = [label for label, _ in game_widget.case_picker.options]
    assert labels, "nothing to check"
    for label in labels:
        for condition in game_widget.kb.conditions.values():
            assert condition.label.lower() not in label.lower(), label


def test_the_game_widget_keeps_progress_and_asks_how_sure(kb, tmp_path):
    from kneesci.progress import Progress
    from kneesci.widgets.game import DiagnosticGame

    store = Progress.open(tmp_path / "progress.json")
    widget = DiagnosticGame(kb, case_id="hip_oa_after_knee_replacement", progress=store)
    assert widget.confidence_picker.value is None  # nothing assumed
    widget.confidence_picker.value = 0.8
    widget.commit("hip_osteoarthritis", widget.confidence_picker.value)
    again = Progress.open(tmp_path / "progress.json")  # as after a kernel restart
    assert [r["confidence"] for r in again.sheet.rows] == [0.8]
    assert "after three answers" in widget.calibration.value


def test_the_calibration_view_appears_after_three_answers(kb, tmp_path):
    from kneesci.progress import Progress
    from kneesci.widgets.game import DiagnosticGame

    widget = DiagnosticGame(kb, progress=Progress.open(tmp_path / "progress.json"))
    for _ in range(3):
        widget.new_patient(case_id="hip_oa_after_knee_replacement")
        widget.commit("hip_osteoarthritis", 0.6)
    assert "Your calibration" in widget.calibration.value
    assert "underconfident" in widget.calibration.value


# --- acting at the right level ---------------------------------------------------------------


def test_a_case_scored_on_the_action_needs_no_diagnosis_and_scores_the_level(kb, library):
    case = library["cauda_equina_without_sciatica"]
    assert case.scored_on == "action" and case.correct_action == "Refer immediately"
    right = Game(case, kb).commit(action="Refer immediately")
    assert right.correct is True and right.action_correct is True
    assert right.committed == "" and right.model_probability is None
    assert "Correct action: Refer immediately" in right.message
    assert "scored on the action, not on a diagnosis" in right.message
    # the rule's own action and the findings that raised it
    assert "REFER IMMEDIATELY: Suspected cauda equina" in right.message
    assert "saddle numbness" in right.message
    wrong = Game(case, kb).commit("s1_radiculopathy", action="Safety-net and manage")
    assert wrong.correct is False and wrong.action_correct is False
    assert "the right action is Refer immediately" in wrong.message
    assert "radiculopathy" not in wrong.message.splitlines()[0].lower()


def test_a_case_scored_on_the_action_refuses_a_diagnosis_alone(kb, library):
    with pytest.raises(GameError, match="scored on the action"):
        Game(library["cauda_equina_without_sciatica"], kb).commit("s1_radiculopathy")


def test_a_flagged_case_scored_on_its_diagnosis_scores_the_action_beside_it(kb, library):
    case = next(c for c in library.values() if c.red_flags and c.scored_on == "diagnosis")
    feedback = Game(case, kb).commit(case.diagnosis, action="Safety-net and manage")
    assert feedback.correct is True  # the diagnosis is right ...
    assert feedback.action_correct is (case.correct_action == "Safety-net and manage")
    assert f"the right action is {case.correct_action}" in feedback.message


def test_an_unknown_action_is_named(kb, library):
    with pytest.raises(GameError, match="'Wait and see'.*Refer immediately"):
        Game(library["cauda_equina_without_sciatica"], kb).commit(action="Wait and see")


def test_the_score_sheet_records_the_action_and_reads_old_sheets(kb, library):
    sheet = ScoreSheet()
    sheet.add(Game(library["cauda_equina_without_sciatica"], kb).commit(action="immediate"))
    row = ScoreSheet.from_csv(sheet.to_csv()).rows[0]
    assert (row["action"], row["action_correct"]) == ("Refer immediately", True)
    assert "the right action in 1 of 1 flagged" in sheet.summary()
    old = "\n".join(
        line.rsplit(",", 2)[0] for line in sheet.to_csv().splitlines()
    )  # a 0.2 sheet: without the two new columns
    assert ScoreSheet.from_csv(old).rows[0]["action"] is None
