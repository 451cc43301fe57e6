"""The case library: what it must contain, and how a broken case is reported."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import kneesci
from kneesci.cases import cases_per_condition, load_cases

GOOD_TINY_CASE = """\
  - id: tiny_alpha
    title: A tiny alpha patient
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


def test_library_has_at_least_24_cases(library):
    assert len(library) >= 24


def test_every_condition_has_at_least_one_case(kb, library):
    counts = cases_per_condition(kb, library)
    assert [c for c, n in counts.items() if n == 0] == []


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
    for case in library.values():
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


def test_declared_red_flags_must_match_the_findings(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "      sign: true\n", "      sign: true\n      alarm: true\n")
    with pytest.raises(kneesci.DataError, match=r"field 'red_flags': lists none but the findings"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_unknown_reference_key_is_reported(tiny, tmp_path):
    broken = edited(GOOD_TINY_CASE, "source: nice_ng59", "source: nice_ng59; smith1999")
    with pytest.raises(kneesci.DataError, match=r"field 'source': reference key 'smith1999'"):
        load_cases(tiny, write_cases(tmp_path, broken))


def test_duplicate_case_id_is_reported(tiny, tmp_path):
    with pytest.raises(kneesci.DataError, match=r"case 'tiny_alpha' \(line 17\), field 'id'"):
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
            title: Contradiction
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
