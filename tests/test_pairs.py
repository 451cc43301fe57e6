"""Two problems at once: the noisy-OR, the pair priors, `dx.pairs()` and the cases with two
diagnoses. Hand-worked numbers use the tiny knowledge base (alpha 0.2, beta 0.8; `sign` 0.8 in
alpha, background 0.1; `symptom` 0.25 in beta, background 0.5) with alpha+beta sharing 0.5."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import kneesci
from kneesci.course.cases import load_cases
from kneesci.model.errors import DataError
from kneesci.model.pairs import SHOW_BOTH_AT, hypothesis_space, noisy_or, read_pairs

HEADER = "condition,partner,label,probability,n,source,note\n"


def _with_pairs(folder: Path, rows: str) -> kneesci.KnowledgeBase:
    (folder / "pairs.csv").write_text(HEADER + rows, encoding="utf-8")
    return kneesci.load(folder)


@pytest.fixture
def tiny_pair(tiny_copy: Path) -> kneesci.KnowledgeBase:
    return _with_pairs(tiny_copy, "alpha,beta,Alpha with beta,0.5,,estimate,hand-worked example\n")


# --- the noisy-OR, by hand ---------------------------------------------------------------------


def test_noisy_or_without_leak_is_the_textbook_formula() -> None:
    # 1 - (1 - 0.5)(1 - 0.5) = 0.75
    assert float(noisy_or(np.array(0.5), np.array(0.5), np.array(0.0))) == pytest.approx(0.75)


def test_noisy_or_counts_the_leak_once() -> None:
    # 1 - (0.4)(0.7) / 0.9 = 1 - 0.31111 = 0.68889
    assert float(noisy_or(np.array(0.6), np.array(0.3), np.array(0.1))) == pytest.approx(
        0.688889, abs=1e-6
    )


def test_a_condition_at_the_background_adds_nothing() -> None:
    # p_b equals the leak: 1 - (0.4)(0.9) / 0.9 = 0.6, the other condition's own figure
    assert float(noisy_or(np.array(0.6), np.array(0.1), np.array(0.1))) == pytest.approx(0.6)


def test_two_conditions_that_make_a_finding_rarer_are_held_at_the_rarer() -> None:
    # 1 - (0.95)(0.9) / 0.7 < 0, so the result is held at min(0.05, 0.1)
    assert float(noisy_or(np.array(0.05), np.array(0.1), np.array(0.3))) == pytest.approx(0.05)


def test_an_absent_finding_both_produce_counts_more_against_the_pair() -> None:
    p_a, p_b, leak = 0.7, 0.6, 0.1
    absent_both = 1 - float(noisy_or(np.array(p_a), np.array(p_b), np.array(leak)))
    # (0.3)(0.4) / 0.9 = 0.1333, below either half's own 0.3 and 0.4
    assert absent_both == pytest.approx(0.3 * 0.4 / 0.9)
    assert absent_both < min(1 - p_a, 1 - p_b)


# --- the hypothesis space, by hand --------------------------------------------------------------


def test_pair_prior_is_carved_out_of_the_index_condition(tiny_pair) -> None:
    ids, posterior = hypothesis_space(tiny_pair.differential({}, "clinic"))
    p = dict(zip(ids, posterior, strict=True))
    # alpha 0.2 x 0.5 = 0.1 alone and 0.1 with beta; beta keeps 0.8; the space sums to 1
    assert p == pytest.approx({"alpha": 0.1, "beta": 0.8, "alpha+beta": 0.1})


def test_pair_posterior_hand_worked(tiny_pair) -> None:
    dx = tiny_pair.differential({"sign": True, "symptom": False}, "clinic")
    (result,) = dx.pairs()
    # sign: alpha 0.8, beta 0.1, both 1 - 0.2*0.9/0.9 = 0.8
    # symptom absent: alpha 0.5, beta 0.75, both 1 - 0.25 = 0.75 (held at beta's 0.25 present)
    # joint: alpha 0.1*0.8*0.5 = 0.04; beta 0.8*0.1*0.75 = 0.06; both 0.1*0.8*0.75 = 0.06
    assert result.both == pytest.approx(0.06 / 0.16)
    assert result.only_condition == pytest.approx(0.04 / 0.16)
    assert result.only_partner == pytest.approx(0.06 / 0.16)
    assert result.share == pytest.approx(0.375)


def test_findings_that_argue_for_each_half(tiny_pair) -> None:
    (result,) = tiny_pair.differential({"sign": True, "symptom": False}, "clinic").pairs()
    # the sign is explained 8 times better by the pair than by beta alone: it argues for alpha
    assert dict(result.for_condition) == pytest.approx({"sign": 8.0})
    # the absent symptom is explained 1.5 times better by the pair than by alpha alone
    assert dict(result.for_partner) == pytest.approx({"symptom": 1.5})


def test_ranked_is_unchanged_by_the_pairs(tiny_pair) -> None:
    dx = tiny_pair.differential({"sign": True}, "clinic")
    before = dx.ranked()
    dx.pairs()
    # alpha 0.2 x 0.8 = 0.16 against beta 0.8 x 0.1 = 0.08: single conditions as in 0.2
    assert dx.ranked() == before
    assert dict(before) == pytest.approx({"alpha": 2 / 3, "beta": 1 / 3})


def test_ranked_still_sums_to_one_with_the_bundled_pairs(kb) -> None:
    dx = kb.differential({"knee_pain": True, "relieved_by_sitting_or_bending_forward": True})
    ranked = dx.ranked()
    assert [c for c, _ in ranked] == [c for c, _ in dx.ranked()]
    dx.pairs()
    assert dx.ranked() == ranked
    assert len(ranked) == len(kb.conditions)
    assert sum(p for _, p in ranked) == pytest.approx(1.0)


def test_without_a_pairs_file_there_are_no_pairs(tiny) -> None:
    assert tiny.differential({"sign": True}, "clinic").pairs() == []


# --- the data file -----------------------------------------------------------------------------


def test_bundled_pairs_are_the_recognised_ones(kb) -> None:
    pairs = {r.pair.id for r in kb.differential({}).pairs()}
    assert {
        "knee_osteoarthritis+lumbar_spinal_stenosis",
        "hip_osteoarthritis+lumbar_spinal_stenosis",
        "hip_osteoarthritis+l4_radiculopathy",
        "knee_osteoarthritis+l4_radiculopathy",
        "l5_radiculopathy+peripheral_neuropathy",
        "lumbar_spinal_stenosis+peripheral_artery_disease",
    } <= pairs


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("alpha,gamma,X,0.5,,estimate,why\n", "partner", "unknown condition id 'gamma'"),
        ("alpha,alpha,X,0.5,,estimate,why\n", "partner", "two different conditions"),
        ("alpha,beta,X,1.5,,estimate,why\n", "probability", "strictly between 0 and 1"),
        ("alpha,beta,X,0.5,,estimate,\n", "note", "is empty"),
        ("alpha,beta,X,0.5,,nobody2020,why\n", "source", "not in references.csv"),
    ],
)
def test_a_bad_row_names_file_line_and_field(tiny_copy, row, field, words) -> None:
    kb = kneesci.load(tiny_copy)
    (tiny_copy / "pairs.csv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(DataError) as error:
        read_pairs(tiny_copy / "pairs.csv", kb)
    assert "pairs.csv, line 2" in str(error.value)
    assert f"field '{field}'" in str(error.value)
    assert words in str(error.value)


def test_a_pair_listed_twice_either_way_is_refused(tiny_copy) -> None:
    kb = kneesci.load(tiny_copy)
    rows = "alpha,beta,X,0.6,,estimate,why\nbeta,alpha,Y,0.5,,estimate,why\n"
    (tiny_copy / "pairs.csv").write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(DataError, match="listed twice"):
        read_pairs(tiny_copy / "pairs.csv", kb)


def test_the_check_command_reports_a_bad_pairs_row(tiny_copy) -> None:
    from kneesci.course.check import check_folder

    (tiny_copy / "pairs.csv").write_text(HEADER + "alpha,gamma,X,0.5,,estimate,why\n")
    result = check_folder(tiny_copy)
    assert any("pairs.csv, line 2" in str(p) for p in result.problems)


# --- the cases with two sources of pain --------------------------------------------------------


def _two_source_cases(kb) -> list:
    return [c for c in load_cases(kb).values() if c.also]


def test_the_library_has_at_least_four_cases_with_two_sources(kb) -> None:
    assert len(_two_source_cases(kb)) >= 4


@pytest.mark.parametrize(
    "case_id",
    [
        "iliac_occlusion_with_stenosis",
        "hip_spine_groin_and_thigh_pain",
        "knee_oa_with_stenosis_before_replacement",
        "radiculopathy_with_polyneuropathy",
    ],
)
def test_both_halves_are_seen(kb, case_id) -> None:
    """Both halves in the top three single conditions, or the pair above its threshold."""
    case = load_cases(kb)[case_id]
    dx = kb.differential(case.findings, case.setting)
    top3 = {c for c, _ in dx.ranked()[:3]}
    (pair,) = [
        r for r in dx.pairs() if {r.pair.condition, r.pair.partner} == {case.diagnosis, case.also}
    ]
    assert {case.diagnosis, case.also} <= top3 or (pair.shown and pair.both >= SHOW_BOTH_AT)


def test_a_case_cannot_name_its_diagnosis_as_its_second(kb, tmp_path) -> None:
    text = Path(kb.source, "cases.yaml").read_text(encoding="utf-8")
    broken = text.replace(
        "    also: lumbar_spinal_stenosis\n    red_flags: {}\n    atypical: true",
        "    also: peripheral_artery_disease\n    red_flags: {}\n    atypical: true",
        1,
    )
    assert broken != text
    (tmp_path / "cases.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(DataError, match="field 'also'"):
        load_cases(kb, tmp_path / "cases.yaml")
