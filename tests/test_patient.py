"""The plain Patient object under the explorer and the game: findings, setting, implications."""

from __future__ import annotations

import pytest

from kneesci.patient import Implied, Patient


def test_not_asked_forgets_a_finding(kb):
    patient = Patient(kb)
    patient.set("knee_pain", True)
    patient.set("knee_pain", None)
    assert patient.findings == {}


def test_over_65_corrects_an_absent_over_50(kb):
    patient = Patient(kb)
    patient.set("age_over_50", False)
    assert patient.set("age_over_65", True) == [Implied("age_over_50", True, "age_over_65")]
    assert patient.findings == {"age_over_50": True, "age_over_65": True}


def test_not_over_50_corrects_a_present_over_65(kb):
    patient = Patient(kb, findings={"age_over_65": True})
    assert patient.set("age_over_50", False) == [Implied("age_over_65", False, "age_over_50")]


def test_clear_returns_to_the_starting_setting(kb):
    patient = Patient(kb, setting="spine_clinic", findings={"knee_pain": True})
    patient.set_setting("primary_care")
    patient.clear()
    assert (patient.findings, patient.setting) == ({}, "spine_clinic")


def test_the_differential_uses_the_findings_and_setting(kb):
    patient = Patient(kb, setting="spine_clinic", findings={"slr_positive": True})
    expected = kb.differential({"slr_positive": True}, "spine_clinic").ranked()
    assert patient.differential().ranked() == expected


def test_counts_by_group(kb):
    patient = Patient(kb, findings={"knee_pain": True, "saddle_anaesthesia": False})
    counts = patient.count_by_group()
    assert sum(counts.values()) == 2
    assert counts[kb.findings["saddle_anaesthesia"].group] >= 1


@pytest.mark.parametrize("value", ["yes", 1])
def test_values_other_than_true_false_none_are_refused(kb, value):
    with pytest.raises(TypeError, match="'knee_pain' must be True"):
        Patient(kb).set("knee_pain", value)


def test_an_unknown_setting_is_refused_at_once(kb):
    with pytest.raises(Exception, match="spine_clinik"):
        Patient(kb, setting="spine_clinik")
