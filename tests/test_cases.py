"""The case library: what it must contain, and how a broken case is reported."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import kneesci
from kneesci.cases import (
    DIAGNOSTIC_WORDS,
    LEVELS,
    REFERRAL_LEVELS,
    case_choices,
    cases_per_condition,
    gives_history_away,
    load_cases,
    names_a_diagnosis,
    red_flag_problems,
    title_giveaway,
)
from kneesci.library_plots import plot_confusion_matrix
from kneesci.library_report import library_report

GOOD_TINY_CASE = """\
  - id: tiny_alpha
    instructor_title: A tiny alpha patient
    presentation: something that hurts
    age: 60
    sex: female
    setting: clinic
    complaint: Something hurts.
    story: A short story.
    findings:
      sign: true
      symptom: true
    diagnosis: alpha
    red_flags: []
    teaching_point: Signs matter.
    source: nice_ng59
    source_note: Made up for a test of the loader.
"""


def write_cases(tmp_path: Path, *cases: str) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text("cases:\n" + "".join(cases), encoding="utf-8")
    return path


def edited(case: str, old: str, new: str) -> str:
    assert old in case, f"test setup: {old!r} not in the case text"
    return case.replace(old, new)


@pytest.fixture(scope="module")
def library(kb: kneesci.KnowledgeBase):
    return load_cases(kb)


# --- what the bundled library must contain ---------------------------------------------------


def test_library_has_at_least_60_cases(library):
    assert len(library) >= 60


def test_every_condition_has_at_least_three_cases(kb, library):
    counts = cases_per_condition(kb, library)
    assert {c: n for c, n in counts.items() if n < 3} == {}


def test_every_condition_has_a_typical_and_an_atypical_case(kb, library):
    kinds = {c: set() for c in kb.conditions}
    for case in library.values():
        kinds[case.diagnosis].add(case.atypical)
    assert {c: k for c, k in kinds.items() if k != {True, False}} == {}


def test_findings_are_only_vocabulary_ids(kb, library):
    checked = list(library.values())
    assert checked, "nothing to check"
    for case in checked:
        assert set(case.findings) <= set(kb.findings), case.id


def test_each_case_raises_its_red_flags_at_their_level_and_no_other_referral(kb, library):
    # Every expected flag at its level or a more urgent one; no unexpected flag at immediate or
    # urgent (an unexpected screen or safety-net concern only asks for more, so it may appear).
    problems = [p for case in library.values() for p in red_flag_problems(kb, case)]
    assert problems == []
    assert sum(bool(c.red_flags) for c in library.values()) >= 20


def test_red_flags_expected_at_a_referral_level_are_the_models_red_flags(kb, library):
    # dx.red_flags is the ids raised at immediate or urgent: it holds every flag a case expects at
    # those levels.
    checked = 0
    for case in library.values():
        expected = {f for f, level in case.red_flags.items() if level in REFERRAL_LEVELS}
        raised = set(kb.differential(case.findings, setting=case.setting).red_flags)
        assert expected <= raised, case.id
        checked += bool(expected)
    assert checked >= 15


def test_expected_levels_are_the_vocabularys_four():
    assert LEVELS == ("immediate", "urgent", "screen", "safety_net")


# Vocabulary 0.3's new red flags: the library holds at least two published patients for each.
NEW_FLAGS = [
    "hip_or_knee_fracture",
    "chronic_limb_threatening_ischaemia",
    "retroperitoneal_haematoma",
    "progressive_motor_deficit",
    "spinal_cord_compression",
    "active_diabetic_foot",
]


@pytest.mark.parametrize("red_flag", NEW_FLAGS)
def test_each_new_red_flag_has_two_published_cases(kb, library, red_flag):
    cases = [c for c in library.values() if red_flag in c.red_flags]
    assert len(cases) >= 2, red_flag
    assert all(c.source and not c.simulated for c in cases)


def test_the_four_haematoma_cases_are_flagged(library):
    haematomas = [c for c in library.values() if "haematoma" in c.id]
    assert len(haematomas) == 4
    for case in haematomas:
        assert any(level in REFERRAL_LEVELS for level in case.red_flags.values()), case.id
    # on an anticoagulant (or with a coagulopathy), with new groin or thigh pain: immediate
    painful = [
        c
        for c in haematomas
        if c.findings.get("on_anticoagulant_or_bleeding_disorder") is True
        and (c.findings.get("groin_pain") or c.findings.get("anterior_thigh_pain"))
    ]
    assert len(painful) == 2
    for case in painful:
        assert case.red_flags["retroperitoneal_haematoma"] == "immediate", case.id


# A tempting single finding that did not warrant an urgent referral: the case records it, and no
# red flag is expected, or raised, at immediate or urgent.
TEMPTING = ("history_of_cancer", "new_sexual_dysfunction", "fever", "calf_pain")


def test_the_library_holds_tempting_findings_that_needed_no_referral(kb, library):
    calm = [
        c
        for c in library.values()
        if any(c.findings.get(f) is True for f in TEMPTING)
        and not any(level in REFERRAL_LEVELS for level in c.red_flags.values())
    ]
    assert len(calm) >= 4
    for case in calm:
        assert kb.differential(case.findings, setting=case.setting).red_flags == [], case.id
    assert any(c.findings.get("new_sexual_dysfunction") for c in calm)


def test_the_fall_in_the_hip_case_is_recorded_and_a_fracture_excluded_first(library):
    case = library["hip_oa_after_knee_replacement"]
    assert case.findings["significant_trauma"] is True
    assert case.findings["unable_to_bear_weight"] is True
    assert case.red_flags["hip_or_knee_fracture"] == "immediate"
    assert "fracture" in case.teaching_point


def test_cauda_equina_cases_are_scored_on_the_action_not_as_a_radiculopathy(library):
    ces = [c for c in library.values() if "cauda_equina_syndrome" in c.red_flags]
    scored_on_action = [c for c in ces if c.diagnosis.endswith("_radiculopathy")]
    assert scored_on_action
    for case in scored_on_action:
        assert case.scored_on == "action", case.id
        assert case.correct_action == "Refer immediately", case.id


def test_a_case_without_red_flags_has_no_action_to_score(library):
    case = library["hip_oa_series_knee_referral"]
    assert (case.red_flags, case.correct_action, case.scored_on) == ({}, None, "diagnosis")


@pytest.mark.parametrize(
    "red_flag",
    ["cauda_equina_syndrome", "spinal_malignancy", "deep_vein_thrombosis"],
)
def test_the_library_holds_a_patient_who_raises(kb, library, red_flag):
    # at any level of concern: a DVT sign alone is screened (NICE NG158), not referred
    assert any(
        red_flag in {c.flag for c in kb.concerns(case.findings)} for case in library.values()
    )


def test_the_new_setting_is_used(library):
    assert any(c.setting == "primary_care_leg_pain" for c in library.values())


def test_cases_are_numbered_in_file_order(library):
    assert [c.number for c in library.values()] == list(range(1, len(library) + 1))


def test_at_least_two_cases_raise_cauda_equina(library):
    flagged = [c for c in library.values() if "cauda_equina_syndrome" in c.red_flags]
    assert len(flagged) >= 2


@pytest.mark.parametrize(
    "diagnoses, finding",
    [
        ({"l3_radiculopathy", "l4_radiculopathy"}, "knee_pain"),
        ({"hip_osteoarthritis"}, "knee_pain"),
        ({"peroneal_neuropathy"}, "foot_drop"),
        ({"peripheral_artery_disease"}, "worse_with_walking_or_standing"),
    ],
)
def test_library_holds_the_atypical_presentations_the_course_needs(library, diagnoses, finding):
    matches = [
        c
        for c in library.values()
        if c.diagnosis in diagnoses and c.atypical and c.findings.get(finding) is True
    ]
    assert matches, f"no atypical {sorted(diagnoses)} case with {finding}"


def test_every_case_cites_at_least_one_reference(kb, library):
    checked = list(library.values())
    assert checked, "nothing to check"
    for case in checked:
        assert case.source and all(key in kb.references for key in case.source), case.id


def test_age_bands_are_derived_from_age(library):
    older, younger = library["hip_oa_after_knee_replacement"], library["early_hip_oa_lateral_pain"]
    assert (older.findings["age_over_50"], older.findings["age_over_65"]) == (True, True)
    assert (younger.findings["age_over_50"], younger.findings["age_over_65"]) == (False, False)


def test_a_case_reveals_recorded_findings_and_nothing_else(library):
    case = library["pad_as_low_back_pain"]
    assert case.reveal("absent_foot_pulses") is True
    assert case.reveal("pain_radiates_below_knee") is False
    assert case.reveal("femoral_bruit") is None


# --- teaching: neutral titles for students, the answer after they commit ----------------------


def test_the_student_title_is_number_who_and_presentation(library):
    case = library["hip_oa_after_knee_replacement"]
    assert case.student_title == "Case 4: 68-year-old man with knee pain"
    assert "osteoarthritis" in case.instructor_title.lower()


def test_no_student_title_names_or_hints_at_a_diagnosis(kb, library):
    leaks = {c.id: names_a_diagnosis(c.student_title, kb) for c in library.values()}
    assert {cid: word for cid, word in leaks.items() if word} == {}


def test_no_opening_line_names_or_hints_at_a_diagnosis(kb, library):
    # The opening line (age, sex and complaint) is the other thing a student sees before committing.
    leaks = {c.id: names_a_diagnosis(c.describe(), kb) for c in library.values()}
    assert {cid: word for cid, word in leaks.items() if word} == {}


@pytest.mark.parametrize(
    "title",
    [
        "Case 1: 50-year-old man with L4 pain",
        "Case 2: woman with a slipped disc",
        "Case 3: man with PAD",
        "Case 4: woman with SIJ pain",
        "Case 5: man with peroneal neuropathy",
        "Case 6: woman with Hip osteoarthritis",
        "Case 7: man with femoral_neuropathy",
        "Case 8: woman with spinal stenosis",
        "Case 9: man with facet pain",
        "Case 10: woman with radicular pain",
    ],
)
def test_the_title_check_catches_diagnostic_words(kb, title):
    assert names_a_diagnosis(title, kb) is not None


@pytest.mark.parametrize(
    "title",
    [
        "Case 1: 84-year-old woman with groin pain on warfarin",
        "Case 2: 67-year-old man with leg pain after a fall",
        "Case 3: man with knee pain, diabetic",
        "Case 4: woman with a dropping foot after weight-loss surgery",
        "Case 5: woman with both knees buckling after childbirth",
        "Case 6: man with calf cramps on walking, worse uphill",
        "Case 7: man with outer leg pain after back surgery",
        "Case 8: adult with knee pain that knee treatment did not help",
        "Case 9: man with numb, burning feet",
        "Case 10: woman with sharp upper leg pain, weakness and weight loss",
        "Case 11: man with a foot that would not lift after sitting on the floor",
        "Case 12: man with tingling in both lower legs",
    ],
)
def test_the_title_check_catches_history_that_gives_the_diagnosis_away(kb, title):
    assert title_giveaway(title, kb) is not None


def test_history_giveaways_are_checked_in_titles_not_in_the_complaint(kb, library):
    # A patient may well say "since I fell"; only the title must stay a body region.
    case = library["hip_oa_after_knee_replacement"]
    assert gives_history_away(case.complaint) is not None
    assert title_giveaway(case.student_title, kb) is None


def test_no_student_title_gives_the_history_away(kb, library):
    leaks = {c.id: gives_history_away(c.student_title) for c in library.values()}
    assert {cid: word for cid, word in leaks.items() if word} == {}


def test_a_presentation_that_gives_the_history_away_is_rejected(tiny, tmp_path):
    broken = edited(
        GOOD_TINY_CASE, "presentation: something that hurts", "presentation: a leg on warfarin"
    )
    with pytest.raises(
        kneesci.DataError, match=r"field 'presentation': names or hints.*'warfarin'"
    ):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_the_title_check_passes_plain_presentations(kb):
    assert names_a_diagnosis("Case 7: 58-year-old woman with knee and groin pain", kb) is None
    assert names_a_diagnosis("Case 8: man with padded shoes and a discus injury", kb) is None


def test_the_word_list_holds_the_words_the_course_forbids():
    for word in (
        "disc",
        "neuropath*",
        "stenosis",
        "osteoarthritis",
        "PAD",
        "SIJ",
        "piriformis",
        "facet",
        "L3",
        "L4",
        "L5",
        "S1",
    ):
        assert word in DIAGNOSTIC_WORDS


def test_a_presentation_that_names_the_diagnosis_is_rejected(tiny, tmp_path):
    broken = edited(
        GOOD_TINY_CASE, "presentation: something that hurts", "presentation: an L5 root problem"
    )
    with pytest.raises(kneesci.DataError, match=r"field 'presentation': names or hints.*'root'"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_the_answer_reveals_diagnosis_teaching_point_and_source(kb, library):
    answer = library["hip_oa_after_knee_replacement"].answer(kb)
    assert answer.diagnosis == "hip_osteoarthritis"
    assert answer.diagnosis_label == "Hip osteoarthritis"
    assert answer.sources[0].startswith("Lam S, Amies V (2015)")
    assert "examine the hip" in answer.teaching_point
    assert answer.markdown().startswith("**Diagnosis:** Hip osteoarthritis")


def test_every_case_has_an_answer_to_reveal(kb, library):
    checked = list(library.values())
    assert checked, "nothing to check"
    for case in checked:
        answer = case.answer(kb)
        text = answer.markdown()
        assert answer.diagnosis_label == kb.conditions[case.diagnosis].label, case.id
        assert len(answer.sources) == len(case.source) >= 1, case.id
        assert all(citation in text for citation in answer.sources), case.id
        assert case.teaching_point in text, case.id


def test_the_answer_lists_the_red_flags_to_act_on(kb, library):
    flagged = next(c for c in library.values() if "cauda_equina_syndrome" in c.red_flags)
    label = kb.red_flags["cauda_equina_syndrome"].label
    assert label in flagged.answer(kb).markdown()


def test_case_choices_are_neutral_for_students_and_full_for_instructors(library):
    students = dict(case_choices(library.values()))
    instructors = dict(case_choices(library.values(), instructor=True))
    case = library["hip_oa_after_knee_replacement"]
    assert students[case.student_title] == case.id
    assert f"{case.student_title} ({case.instructor_title})" in instructors


# --- the model's accuracy on the library ------------------------------------------------------


def test_the_report_counts_every_case_once(kb, library):
    report = library_report(kb, library)
    scored = len(library) - sum(c.scored_on == "action" for c in library.values())
    assert scored < len(library)  # cases scored on the action are reported apart
    assert report.n == scored == int(report.confusion.sum())
    rows = report.per_condition
    assert sum(r.n for r in rows.values()) == scored
    diagonal = sum(int(report.confusion[i, i]) for i in range(len(report.conditions)))
    assert diagonal == sum(r.top1 for r in rows.values()) == round(report.top1 * report.n)


def test_the_report_on_two_hand_checked_cases(tiny, tmp_path):
    # alpha's own signs: the tiny model ranks alpha first; a case labelled beta with alpha's signs
    # is a top-1 miss, counted in the beta row under the alpha column.
    beta = edited(
        edited(GOOD_TINY_CASE, "tiny_alpha", "tiny_beta"), "diagnosis: alpha", "diagnosis: beta"
    )
    cases = load_cases(tiny, write_cases(tmp_path, GOOD_TINY_CASE, beta))
    report = library_report(tiny, cases)
    a, b = report.conditions.index("alpha"), report.conditions.index("beta")
    assert (report.confusion[a, a], report.confusion[b, a], report.confusion[b, b]) == (1, 1, 0)
    assert report.per_condition["alpha"].top1_rate == 1.0
    assert report.per_condition["beta"].top1_rate == 0.0
    assert report.top1 == 0.5


def test_the_confusion_matrix_draws_on_a_given_axes_with_alt_text(kb, library):
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    drawn = plot_confusion_matrix(library_report(kb, library), ax=ax)
    assert drawn.figure is ax.figure
    scored = len(library) - sum(c.scored_on == "action" for c in library.values())
    assert drawn.alt_text.startswith(f"Confusion matrix of {scored} library cases")
    assert "image/png" in drawn._repr_mimebundle_()


def test_the_opening_line_does_not_give_away_the_title(library):
    case = library["hip_oa_after_knee_replacement"]
    assert case.describe() == f"A 68-year-old man. {case.complaint}"
    assert "osteoarthritis" not in case.describe().lower()


# --- validation: each error names the file, the case, the line and the field ------------------


def test_a_valid_tiny_case_loads(tiny, tmp_path):
    cases = load_cases(tiny, write_cases(tmp_path, GOOD_TINY_CASE))
    assert cases["tiny_alpha"].findings == {"sign": True, "symptom": True}


def test_missing_field_is_named(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "    diagnosis: alpha\n", "")
    with pytest.raises(kneesci.DataError, match=r"case 'tiny_alpha' \(line 2\), field 'diagnosis'"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_unknown_finding_is_reported_with_a_suggestion(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "      sign: true", "      sing: true")
    with pytest.raises(
        kneesci.DataError, match=r"field 'findings': unknown finding id 'sing'.*'sign'"
    ):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_unknown_condition_is_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "diagnosis: alpha", "diagnosis: gamma")
    with pytest.raises(kneesci.DataError, match=r"field 'diagnosis': unknown condition id 'gamma'"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_unknown_setting_is_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "setting: clinic", "setting: ward")
    with pytest.raises(kneesci.DataError, match=r"field 'setting': unknown setting id 'ward'"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_unknown_red_flag_is_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "red_flags: []", "red_flags: [fire]")
    with pytest.raises(kneesci.DataError, match=r"field 'red_flags': unknown red-flag id 'fire'"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_red_flags_map_each_flag_to_its_expected_level(tiny, tmp_path):
    case = edited(GOOD_TINY_CASE, "red_flags: []", "red_flags: {danger: immediate}")
    assert load_cases(tiny, write_cases(tmp_path, case))["tiny_alpha"].red_flags == {
        "danger": "immediate"
    }


def test_the_old_list_of_red_flags_is_read_as_at_least_urgent(tiny, tmp_path):
    case = edited(GOOD_TINY_CASE, "red_flags: []", "red_flags: [danger]")
    loaded = load_cases(tiny, write_cases(tmp_path, case))["tiny_alpha"]
    assert loaded.red_flags == {"danger": "urgent"}
    assert loaded.correct_action == "Refer urgently"


def test_a_level_outside_the_four_is_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "red_flags: []", "red_flags: {danger: soon}")
    with pytest.raises(
        kneesci.DataError,
        match=r"field 'red_flags': danger: level 'soon' is not one of immediate, urgent, screen",
    ):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_red_flags_that_are_neither_a_list_nor_a_mapping_are_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "red_flags: []", "red_flags: danger")
    with pytest.raises(kneesci.DataError, match=r"field 'red_flags': must map red-flag ids"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_scored_on_must_be_diagnosis_or_action(tiny, tmp_path):
    broken = edited(
        GOOD_TINY_CASE, "    diagnosis: alpha\n", "    diagnosis: alpha\n    scored_on: luck\n"
    )
    with pytest.raises(kneesci.DataError, match=r"field 'scored_on': 'luck' is not one of"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_a_case_scored_on_its_action_must_expect_a_red_flag(tiny, tmp_path):
    broken = edited(
        GOOD_TINY_CASE, "    diagnosis: alpha\n", "    diagnosis: alpha\n    scored_on: action\n"
    )
    with pytest.raises(kneesci.DataError, match=r"field 'scored_on': a case scored on its action"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_a_red_flag_the_case_does_not_expect_is_a_problem(tiny, tmp_path):
    # The tiny model raises "danger" on "alarm"; a case recording the alarm but expecting no flag
    # is reported by red_flag_problems (and so fails the library test above).
    case = edited(GOOD_TINY_CASE, "      sign: true\n", "      sign: true\n      alarm: true\n")
    loaded = load_cases(tiny, write_cases(tmp_path, case))["tiny_alpha"]
    problems = red_flag_problems(tiny, loaded)
    assert len(problems) == 1
    assert problems[0].startswith("tiny_alpha: does not expect danger, the model raises it at")


def test_a_red_flag_below_its_expected_level_is_a_problem(tiny, tmp_path):
    case = edited(GOOD_TINY_CASE, "red_flags: []", "red_flags: {danger: immediate}")
    loaded = load_cases(tiny, write_cases(tmp_path, case))["tiny_alpha"]
    assert red_flag_problems(tiny, loaded) == [
        "tiny_alpha: expects danger at immediate, the model raises nothing"
    ]


def test_unknown_reference_key_is_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "source: nice_ng59", "source: nice_ng59; smith1999")
    with pytest.raises(kneesci.DataError, match=r"field 'source': reference key 'smith1999'"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_duplicate_case_id_is_reported(tiny, tmp_path):
    with pytest.raises(kneesci.DataError, match=r"case 'tiny_alpha' \(line 18\), field 'id'"):
        load_cases(tiny, write_cases(tmp_path, GOOD_TINY_CASE, GOOD_TINY_CASE))


def test_finding_values_must_be_true_or_false(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "      sign: true", "      sign: maybe")
    with pytest.raises(kneesci.DataError, match=r"field 'findings': sign: 'maybe' is not true"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_contradictory_findings_are_rejected(tiny, tmp_path):
    broken = edited(
        GOOD_TINY_CASE, "      sign: true\n", "      oldest: true\n      older: false\n"
    )
    with pytest.raises(kneesci.DataError, match=r"field 'findings': Contradictory findings"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_an_age_band_that_contradicts_age_is_rejected(kb, tmp_path):
    case = textwrap.dedent(
        """\
          - id: young_but_over_65
            instructor_title: Contradiction
            presentation: knee pain
            age: 40
            sex: male
            setting: primary_care
            complaint: Knee pain.
            story: A story.
            findings:
              knee_pain: true
              age_over_65: true
            diagnosis: knee_osteoarthritis
            red_flags: []
            teaching_point: Ages are checked.
            source: nice_ng59
            source_note: Made up for a test of the loader.
        """
    )
    with pytest.raises(kneesci.DataError, match=r"age_over_65: True contradicts age 40"):
        load_cases(kb, write_cases(tmp_path, textwrap.indent(case, "  ")))


def test_a_misspelt_field_is_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "    teaching_point:", "    teaching_point: x\n    teachng:")
    with pytest.raises(kneesci.DataError, match=r"field 'teachng': is not a case field"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_a_missing_library_file_is_reported(tiny, tmp_path):
    with pytest.raises(kneesci.DataError, match=r"cases.yaml: file is missing"):
        load_cases(tiny, tmp_path / "cases.yaml")


def test_invalid_yaml_is_reported(tiny, tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text("cases: [\n", encoding="utf-8")
    with pytest.raises(kneesci.DataError, match=r"cases.yaml: not valid YAML"):
        load_cases(tiny, path)
