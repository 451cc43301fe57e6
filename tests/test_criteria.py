"""The ACR clinical criteria for knee OA and NICE NG226's clinical diagnosis, as rules."""

import pytest

from kneesci.criteria import acr_clinical_knee_oa, acr_knee_oa_items, nice_clinical_oa


def test_three_items_with_knee_pain_meet_the_acr_criteria():
    findings = {
        "knee_pain": True,
        "age_over_50": True,
        "knee_crepitus": True,
        "knee_bony_tenderness": True,
    }
    assert acr_knee_oa_items(findings) == 3
    assert acr_clinical_knee_oa(findings)


def test_two_items_do_not():
    assert not acr_clinical_knee_oa({"knee_pain": True, "age_over_50": True, "knee_crepitus": True})


def test_no_warmth_counts_only_when_recorded_absent():
    assert acr_knee_oa_items({"knee_palpable_warmth": False}) == 1
    assert acr_knee_oa_items({"knee_palpable_warmth": True}) == 0
    assert acr_knee_oa_items({}) == 0


def test_without_knee_pain_the_criteria_do_not_apply():
    items = {f: True for f in ("age_over_50", "knee_crepitus", "knee_bony_tenderness")}
    assert not acr_clinical_knee_oa({**items, "knee_pain": False})


def test_nice_clinical_diagnosis_needs_age_45_activity_pain_and_short_stiffness():
    assert nice_clinical_oa(45, True, 30)
    assert nice_clinical_oa(60, True, 0)
    assert not nice_clinical_oa(44, True, 10)
    assert not nice_clinical_oa(60, False, 10)
    assert not nice_clinical_oa(60, True, 31)


def test_negative_minutes_are_an_error():
    with pytest.raises(ValueError):
        nice_clinical_oa(60, True, -5)
