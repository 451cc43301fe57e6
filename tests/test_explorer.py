"""The symptom explorer, driven as a notebook or test would: every view follows each change."""

from __future__ import annotations

import subprocess
import sys

import pytest

import kneesci
from kneesci.widgets import Explorer


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
    assert 'alt="Bar chart of the differential' in explorer.chart_view.value


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
    assert "referral" in explorer.banner.value.lower()
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
    assert explorer.groups.selected_index == list(explorer._group_index).index(group)


def test_why_follows_the_chosen_condition(explorer):
    explorer.set_finding("slr_positive", True)
    explorer.why_picker.value = "peroneal_neuropathy"
    assert "Why Common peroneal neuropathy" in explorer.why_text.value


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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
