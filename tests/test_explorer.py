"""The symptom explorer, driven as a notebook or test would: every view follows each change."""

from __future__ import annotations

import pytest

import kneesci
from kneesci.widgets import Explorer
from kneesci_testing.counting import count_constructions
from kneesci_testing.fresh import fresh_python


@pytest.fixture
def explorer(kb):
    return Explorer(kb)


def ranking_items(explorer) -> list[str]:
    return explorer.ranking_view.value.split("<li>")[1:]


def test_starts_from_the_settings_pretest_probabilities(explorer, kb):
    assert explorer.findings == {}
    assert explorer.differential.ranked() == kb.differential({}).ranked()
    assert "Knee osteoarthritis" in ranking_items(explorer)[0]


def test_a_finding_change_updates_every_view(explorer):
    chart, ranking, why = (
        explorer.chart_view.value,
        explorer.ranking_view.value,
        explorer.why_view.value,
    )
    explorer.set_finding("femoral_nerve_stretch_positive", True)
    explorer.set_finding("patellar_reflex_reduced", True)
    assert explorer.findings == {
        "femoral_nerve_stretch_positive": True,
        "patellar_reflex_reduced": True,
    }
    assert explorer.chart_view.value != chart
    assert explorer.ranking_view.value != ranking
    assert explorer.why_view.value != why
    assert explorer.differential.top in {"l3_radiculopathy", "l4_radiculopathy"}
    assert 'role="img" aria-label="Bar chart of the differential' in explorer.chart_view.value


def test_setting_a_finding_back_to_not_asked_forgets_it(explorer):
    explorer.set_finding("knee_pain", True)
    explorer.set_finding("knee_pain", None)
    assert explorer.findings == {}


def test_red_flag_banner_appears_whatever_the_ranking(explorer):
    explorer.set_finding("knee_crepitus", True)
    explorer.set_finding("saddle_anaesthesia", True)
    assert explorer.differential.top == "knee_osteoarthritis"
    assert 'role="alert"' in explorer.banner.value
    assert "cauda equina" in explorer.banner.value.lower()
    assert "refer immediately" in explorer.banner.value.lower()
    explorer.reset()
    assert explorer.banner.value == ""


def test_unknown_finding_is_refused_with_suggestions(explorer):
    with pytest.raises(kneesci.UnknownIdError, match="Did you mean 'knee_pain'"):
        explorer.set_finding("knee_pian", True)


@pytest.mark.parametrize("value", ["present", 1, 0])
def test_values_other_than_true_false_none_are_refused(explorer, value):
    with pytest.raises(TypeError, match="'knee_pain' must be True"):
        explorer.set_finding("knee_pain", value)


def test_implied_findings_follow_instead_of_contradicting(explorer):
    explorer.set_finding("age_over_50", False)
    explorer.set_finding("age_over_65", True)
    assert explorer.findings == {"age_over_50": True, "age_over_65": True}
    assert "Age over 50" in explorer.notice.value


def test_ask_next_offers_unasked_findings_and_jumps_to_them(explorer, kb):
    explorer.set_finding("knee_pain", True)
    suggested = [b.finding for b in explorer.ask_buttons]
    assert suggested == [f for f, _ in explorer.differential.next_questions(3)]
    assert "knee_pain" not in suggested
    target = explorer.ask_buttons[0]
    target.click()
    group = kb.findings[target.finding].group
    assert explorer.groups.selected_index == list(explorer.group_index).index(group)


def test_why_follows_the_chosen_condition(explorer):
    explorer.set_finding("slr_positive", True)
    explorer.why_picker.value = "peroneal_neuropathy"
    assert "Why Common peroneal neuropathy" in explorer.why_text.value


def test_why_says_where_a_figure_was_measured(explorer):
    # The SLR figure for L5 comes from patients referred for injection (Ekedahl 2018), not from
    # primary care: the why panel names it in one line.
    explorer.set_finding("slr_positive", True)
    explorer.why_picker.value = "l5_radiculopathy"
    line = "Straight leg raise positive (measured in patients referred for injection)"
    assert f"Measured elsewhere: {line}" in explorer.why_text.value


def test_setting_selector_changes_the_pretest(explorer, kb):
    explorer.setting_picker.value = "spine_clinic"
    assert explorer.differential.ranked() == kb.differential({}, "spine_clinic").ranked()


def test_loading_a_case_sets_its_findings_and_setting(explorer):
    from kneesci.cases import load_cases

    case_id, case = next(iter(load_cases(explorer.kb).items()))
    explorer.case_picker.value = case_id
    assert explorer.findings == dict(case.findings)
    assert explorer.setting == case.setting


def test_updates_reuse_the_same_artists(explorer):
    figure = explorer.chart.figure
    before = len(figure.findobj())
    for value in (True, False, None, True):
        explorer.set_finding("groin_pain", value)
    assert len(figure.findobj()) == before


def test_core_imports_neither_ipywidgets_nor_matplotlib():
    code = (
        "import sys, kneesci, kneesci.inference, kneesci.describe, kneesci.cases, kneesci.game;"
        "kneesci.load().differential({'knee_pain': True}).next_questions();"
        "print(sorted(m for m in ('ipywidgets', 'matplotlib') if m in sys.modules))"
    )
    assert fresh_python(code) == "[]"


# --- orientation, red flags, export (issue 10) ------------------------------------------------


def test_reset_restores_the_setting_a_loaded_case_changed(explorer):
    case_id = next(
        cid for cid, c in explorer.cases.items() if c.setting != explorer.patient.setting
    )
    explorer.load_case(case_id)
    assert explorer.setting != "primary_care"
    explorer.reset()
    assert explorer.setting == "primary_care" == explorer.setting_picker.value
    assert explorer.findings == {} and explorer.case_picker.value == ""
    assert "Reset" in explorer.notice.value


def test_reset_returns_to_the_setting_the_explorer_was_opened_with(kb):
    explorer = Explorer(kb, setting="spine_clinic")
    explorer.setting_picker.value = "primary_care"
    explorer.reset()
    assert explorer.setting == "spine_clinic"


def test_loading_a_case_says_the_setting_changed(explorer, kb):
    case_id, case = next(
        (cid, c) for cid, c in explorer.cases.items() if c.setting != "primary_care"
    )
    explorer.load_case(case_id)
    assert "The setting changed from Primary care to" in explorer.notice.value.replace(
        kb.settings["primary_care"].label, "Primary care"
    )
    assert kb.settings[case.setting].label in explorer.notice.value


def test_case_titles_in_the_picker_name_no_diagnosis(explorer, kb):
    labels = [label for label, cid in explorer.case_picker.options if cid]
    assert labels
    for label in labels:
        for condition in kb.conditions.values():
            assert condition.label.lower() not in label.lower(), label


def test_the_picker_and_the_load_notice_use_the_cases_own_student_title(explorer, kb):
    labels = dict((cid, label) for label, cid in explorer.case_picker.options)
    case = explorer.cases["hip_oa_after_knee_replacement"]
    assert labels[case.id] == case.student_title == "Case 4: 68-year-old man with knee pain"
    assert sorted(list(labels)[1:]) == sorted(explorer.cases)  # every case, after the blank patient
    explorer.load_case(case.id)
    assert f"Loaded {case.student_title}: " in explorer.notice.value


def test_the_instructors_picker_adds_the_instructor_title(kb):
    labels = dict((cid, label) for label, cid in Explorer(kb, instructor=True).case_picker.options)
    case = kneesci.cases.load_cases(kb)["hip_oa_after_knee_replacement"]
    assert labels[case.id] == f"{case.student_title} ({case.instructor_title})"


def test_show_the_answer_reveals_the_diagnosis_only_when_asked(explorer, kb):
    case_id, case = next(iter(explorer.cases.items()))
    explorer.load_case(case_id)
    diagnosis = kb.conditions[case.diagnosis].label
    assert diagnosis not in explorer.answer_view.value
    explorer.answer_button.click()
    assert diagnosis in explorer.answer_view.value


def test_entered_so_far_lists_every_finding_even_when_its_section_is_closed(explorer):
    assert "nothing yet" in explorer.entered.value
    explorer.groups.selected_index = None
    explorer.set_finding("knee_pain", True)
    explorer.set_finding("slr_positive", False)
    assert "Entered so far (2): Knee pain; " in explorer.entered.value
    assert "(absent)" in explorer.entered.value


def test_section_titles_count_the_findings_set(explorer, kb):
    total = sum(f.group == "symptom" for f in kb.findings.values())
    assert explorer.groups.titles[1] == f"Symptoms (0 of {total} set)"
    explorer.set_finding("saddle_anaesthesia", True)
    assert explorer.groups.titles[1] == f"Symptoms (1 of {total} set)"


def test_each_raised_red_flag_is_listed_with_its_own_action(explorer, kb):
    explorer.set_finding("saddle_anaesthesia", True)
    explorer.set_finding("unilateral_calf_swelling", True)
    explorer.set_finding("recent_bedridden_or_major_surgery", True)  # Wells 2: DVT likely
    banner = explorer.banner.value
    assert 'role="alert"' in banner and "2 RED FLAGS" in banner
    concerns = {c.flag: c for c in explorer.differential.concerns}
    for rid in ("cauda_equina_syndrome", "deep_vein_thrombosis"):
        assert f"data-red-flag='{rid}'" in banner
        assert concerns[rid].action.split(":")[0] in banner


def test_the_red_flag_also_shows_beside_the_finding_that_raised_it(explorer):
    assert explorer.flag_notes["saddle_anaesthesia"].value == ""
    explorer.set_finding("saddle_anaesthesia", True)
    assert "Red flag" in explorer.flag_notes["saddle_anaesthesia"].value
    assert explorer.flag_notes["bladder_or_bowel_dysfunction"].value == ""


def test_bits_and_likelihood_ratios_are_explained_in_the_app_without_a_notebook_link(explorer):
    # Voila answers a link to a notebook with 403, and following it lost the patient.
    page = "".join(w.value for w in _html_widgets(explorer))
    assert "<b>Bits</b>" in page and "<b>Likelihood ratio</b>" in page
    assert "50:50 choice" in page and "10% pre-test probability" in page
    assert ".ipynb" not in page


def test_each_examination_test_has_its_how_to_beside_its_section_without_hover(explorer, kb):
    exam = [f for f in kb.findings.values() if f.group == "examination"]
    page = "".join(v.value for v in explorer.section_views.values())
    assert page.count("<details class='kneesci-howto'>") == len(exam)
    for finding in exam:
        assert f"How to perform: {finding.label}" in page
    # references as 'Author Year', never a citation key
    assert "Source:" not in page and "deville2000" not in page
    assert "Devill" in page


def test_history_and_examination_are_shown_in_sections(explorer, kb):
    assert "Reflexes" in explorer.section_views and "Red-flag questions" in explorer.section_views
    exam_box = explorer.groups.children[explorer.group_index["examination"]]
    children = list(exam_box.children)
    reflexes = children.index(explorer.section_views["Reflexes"])
    power = children.index(explorer.section_views["Power"])
    knee_jerk = children.index(explorer.controls["patellar_reflex_reduced"])
    assert reflexes < knee_jerk < power


def test_ask_next_says_no_question_matters_when_one_condition_is_settled(kb):
    from kneesci.widgets import Explorer

    explorer = Explorer(kb)
    assert explorer.ask_next.settled.value == ""
    with explorer.hold():
        for fid in ("saddle_anaesthesia", "bladder_or_bowel_dysfunction", "slr_positive"):
            explorer.set_finding(fid, True)
    explorer.refresh()
    leader, p = explorer.differential.ranked()[0]
    if p <= 0.99:  # make it settle with the model's own strongest findings
        for fid in explorer.differential.next_questions(None)[:15]:
            explorer.set_finding(fid[0], True)
            if explorer.differential.ranked()[0][1] > 0.99:
                break
    assert explorer.differential.ranked()[0][1] > 0.99
    assert "no single question would change the ranking much" in explorer.ask_next.settled.value
    assert all(b.layout.display == "none" for b in explorer.ask_buttons)


def test_a_blank_patient_map_outlines_no_dermatome(explorer):
    assert explorer.sensory.map._root is None
    assert "No numb skin is shaded" in explorer.sensory.map.alt_text
    assert "dermatome" not in explorer.sensory.map.alt_text


def test_the_case_picker_lists_cases_in_the_games_order(explorer):
    from kneesci.cases import game_order

    ids = [value for _, value in explorer.case_picker.options if value]
    game = [c.id for c in game_order(explorer.cases)]
    assert ids[: len(game)] == game and sorted(ids) == sorted(explorer.cases)


def test_ranking_as_text_starts_closed(explorer):
    assert "<details><summary>Ranking as text" in explorer.ranking_view.value


def test_why_says_what_the_ratio_is_against(explorer):
    page = explorer.why.view_box.children[2].value
    assert "than in the other conditions, weighted by their probability" in page
    assert "of the movement" in page


def test_export_holds_findings_differential_explanation_and_red_flags(explorer):
    explorer.set_finding("knee_pain", True)
    explorer.set_finding("saddle_anaesthesia", True)
    markdown = explorer.to_markdown()
    for part in ("## Findings", "- Knee pain: present", "## Red flags", "Suspected cauda"):
        assert part in markdown
    assert "## Differential" in markdown and "## Why the leading condition leads" in markdown
    page = explorer.to_html()
    assert page.startswith("<!DOCTYPE html>") and 'alt="Bar chart of the differential' in page
    explorer.export_button.click()
    assert 'download="patient.md"' in explorer.export_view.value
    assert 'download="patient.html"' in explorer.export_view.value


def test_the_style_follows_the_theme_instead_of_forcing_dark_text(explorer):
    style = explorer.children[0].value
    assert "#1F1F1F;" not in style.replace("var(--jp-ui-font-color1, #1F1F1F)", "")
    assert "var(--jp-ui-font-color0" in style and "@container (max-width: 900px)" in style


def _html_widgets(widget):
    import ipywidgets

    if isinstance(widget, ipywidgets.HTML):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _html_widgets(child)


# --- the body map you can tap ------------------------------------------------------------------


def test_tapping_a_skin_area_marks_it_numb_and_a_second_tap_clears_it():
    explorer = Explorer()
    body = explorer.sensory.body_map
    x, y = body.map.point_of("sensory_loss_medial_leg")
    # As the browser reports it: the picture shown at half size.
    assert body.tap(x / 2, y / 2, displayed_width=body.map.width / 2) == ("sensory_loss_medial_leg")
    assert explorer.findings == {"sensory_loss_medial_leg": True}
    assert body.buttons["sensory_loss_medial_leg"].button_style == "info"
    body.tap(x, y)
    assert explorer.findings == {}


def test_tapping_the_left_leg_marks_the_same_area_as_the_right():
    from kneesci.course import anatomy as anat
    from kneesci.views.body_map_svg import to_pixels
    from kneesci.widgets import Explorer

    explorer = Explorer()
    sensory = explorer.sensory.map
    region = sensory._regions["sensory_loss_medial_leg"][0]  # drawn on the right leg (x < 0)
    x, y, _ = anat.inner_point(region.polygon)
    right = to_pixels(region.view, x, y)
    left = to_pixels(region.view, -x, y)  # the same place on the left leg
    assert left[0] > right[0]  # the mirrored point is on the other leg
    assert sensory.finding_at(*left) == "sensory_loss_medial_leg"
    explorer.sensory.body_map.tap(*left)
    assert explorer.findings == {"sensory_loss_medial_leg": True}


def test_a_tap_outside_the_skin_areas_changes_nothing():
    explorer = Explorer()
    assert explorer.sensory.body_map.tap(1, 1) is None
    assert explorer.findings == {}


def test_every_skin_area_has_a_button_for_the_keyboard():
    explorer = Explorer()
    body = explorer.sensory.body_map
    assert set(body.buttons) == set(body.map.finding_ids)
    body.buttons["saddle_anaesthesia"].click()
    assert explorer.findings == {"saddle_anaesthesia": True}
    assert "cauda_equina_syndrome" in explorer.patient.differential().red_flags


def test_a_screen_and_an_immediate_concern_show_apart_each_with_its_level_word(explorer):
    # Calf pain with swelling: DVT is screened; saddle numbness with back pain: CES, immediate.
    for fid in ("calf_pain", "unilateral_calf_swelling", "low_back_pain", "saddle_anaesthesia"):
        explorer.set_finding(fid, True)
    levels = {c.flag: c.level for c in explorer.differential.concerns}
    assert levels["cauda_equina_syndrome"] == "immediate"
    assert levels["deep_vein_thrombosis"] == "screen"
    banner = explorer.banner.value
    check = explorer.concerns_panel.check.value
    assert "Refer immediately" in banner and "data-red-flag='cauda_equina_syndrome'" in banner
    assert "deep_vein_thrombosis" not in banner  # a screen is not a red alarm
    assert "Check now" in check and "Screen further now" in check
    assert "data-red-flag='deep_vein_thrombosis'" in check
    assert "Wells" in check and "Ask or examine next" in check


def test_safety_net_advice_shows_in_its_own_panel(explorer):
    explorer.set_finding("low_back_pain", True)
    explorer.set_finding("pain_radiates_below_knee", True)
    advice = explorer.concerns_panel.advice.value
    assert "Advice to give" in advice and "Safety-net and manage" in advice
    assert "CES card" in advice
    assert explorer.banner.value == ""


def test_each_click_computes_the_differential_once(explorer, monkeypatch):
    from kneesci.inference import Differential

    made = count_constructions(monkeypatch, Differential)
    for fid in ("knee_pain", "slr_positive", "low_back_pain"):
        made.clear()
        explorer.set_finding(fid, True)
        assert len(made) == 1, fid
    made.clear()
    explorer.why_picker.value = "l4_radiculopathy"
    assert len(made) == 1


def test_the_export_lists_every_concern_with_its_level_word(explorer):
    explorer.set_finding("calf_pain", True)
    explorer.set_finding("unilateral_calf_swelling", True)
    report = explorer.to_markdown()
    assert "SCREEN FURTHER NOW: Possible deep vein thrombosis" in report
    assert "Two-level Wells score" in report
