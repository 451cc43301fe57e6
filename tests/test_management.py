"""Graded management recommendations: what the data file promises and how it is checked."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import kneesci
from kneesci.errors import DataError, UnknownIdError
from kneesci.management import (
    COLUMNS,
    GUIDELINE_WORDS,
    REVIEW_VERDICTS,
    load_management,
    read_management,
)
from kneesci.widgets.management import ManagementExplorer

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def mg(kb):
    return load_management(kb)


@pytest.fixture
def broken(tmp_path: Path, kb):
    """Write a one-row management.csv with one field changed, and read it."""

    def read(**changes: str):
        row = {
            "id": "demo",
            "topic": "Demo",
            "conditions": "knee_osteoarthritis",
            "category": "exercise",
            "intervention": "Walking",
            "recommendation": "offer",
            "strength": "strong",
            "certainty": "not_stated",
            "source": "nice_ng59",
            "note": "hand-made test row",
            "corrects_seed": "",
        }
        row.update(changes)
        path = tmp_path / "management.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerow(row)
        return read_management(path, kb)

    return read


# --- the bundled file -------------------------------------------------------------------------
def test_bundled_file_loads_with_every_row_sourced(mg):
    assert len(mg) > 0
    assert all(r.provenance.keys for r in mg)


def test_nice_advises_against_acupuncture_for_sciatica(mg):
    rows = [r for r in mg.for_condition("l4_radiculopathy") if "Acupuncture" in r.intervention]
    assert [r.recommendation for r in rows] == ["do_not_offer"]
    assert rows[0].provenance.keys == ("nice_ng59",)


def test_gabapentinoids_are_advised_against_for_sciatica_but_offered_for_neuropathic_pain(mg):
    assert mg["sciatica_gabapentinoids"].recommendation == "do_not_offer"
    assert mg["neuropathic_pain_drugs"].recommendation == "offer"
    assert "peripheral_neuropathy" in mg["neuropathic_pain_drugs"].conditions


def test_paracetamol_alone_is_not_offered_for_low_back_pain(mg):
    assert mg["lbp_paracetamol_alone"].is_against


def test_exercise_is_supported_for_every_condition_with_recommendations(mg, kb):
    assert kb.conditions, "nothing to check"
    for cid in kb.conditions:
        rows = mg.for_condition(cid)
        if rows and cid not in {"peroneal_neuropathy", "piriformis_syndrome"}:
            kinds = {r.category for r in rows if not r.is_against}
            assert kinds & {"exercise", "education"}, cid


def test_cauda_equina_is_an_immediate_referral(mg):
    (row,) = mg.for_condition("cauda_equina_syndrome")
    assert row.recommendation == "refer_immediately"
    assert row.verdict.startswith("Refer immediately")


def test_seed_article_corrections_cover_the_overstated_claims(mg):
    corrected = {r.id for r in mg.corrections()}
    assert {"lbp_manual_therapy", "lbp_acupuncture", "hamstring_stretch_claim", "lbp_heat"} <= (
        corrected
    )


def test_every_reference_cited_exists(mg, kb):
    cited = {key for r in mg for key in r.provenance.keys}
    assert cited <= set(kb.references)


def test_counts_follow_the_fixed_order_of_words(mg):
    counts = mg.counts()
    order = list(GUIDELINE_WORDS) + list(REVIEW_VERDICTS)
    assert list(counts) == [w for w in order if w in counts]
    assert sum(counts.values()) == len(mg)


# --- reading a row ------------------------------------------------------------------------------
def test_guideline_word_and_strength_become_the_verdict(broken):
    row = broken(recommendation="do_not_offer")["demo"]
    assert row.verdict == "Do not offer (strong)"
    assert row.is_against and row.from_guideline


def test_review_verdict_shows_its_certainty(broken):
    row = broken(recommendation="supported", strength="not_graded", certainty="moderate")["demo"]
    assert row.verdict == "Supported by review evidence (moderate certainty)"
    assert not row.from_guideline


def test_conditions_may_be_empty_for_a_general_topic(broken):
    assert broken(conditions="")["demo"].conditions == ()


def test_several_conditions_are_split_on_spaces(broken):
    mg = broken(conditions="knee_osteoarthritis hip_osteoarthritis")
    assert mg.for_condition("hip_osteoarthritis") == [mg["demo"]]


# --- rejecting bad rows, naming file, line and field -------------------------------------------
def test_unknown_recommendation_word_is_rejected(broken):
    with pytest.raises(DataError, match=r"management.csv, line 2 \(demo\), field 'recommendation'"):
        broken(recommendation="maybe")


def test_unknown_condition_is_rejected_with_a_suggestion(broken):
    with pytest.raises(DataError, match="knee_osteoarthritis"):
        broken(conditions="knee_osteoarthritus")


def test_unknown_reference_key_is_rejected(broken):
    with pytest.raises(DataError, match="field 'source'"):
        broken(source="nice_ng999")


def test_an_estimate_is_not_a_source_for_a_recommendation(broken):
    with pytest.raises(DataError, match="must name its source"):
        broken(source="estimate")


def test_a_review_verdict_cannot_claim_a_guideline_strength(broken):
    with pytest.raises(DataError, match="not_graded"):
        broken(recommendation="supported", strength="strong")


def test_a_guideline_word_cannot_be_not_graded(broken):
    with pytest.raises(DataError, match="guideline strength"):
        broken(recommendation="offer", strength="not_graded")


def test_missing_note_is_rejected(broken):
    with pytest.raises(DataError, match="field 'note'"):
        broken(note="")


def test_missing_file_is_named(tmp_path, kb):
    with pytest.raises(DataError, match="file is missing"):
        read_management(tmp_path / "management.csv", kb)


def test_unknown_recommendation_id_suggests_the_nearest(mg):
    with pytest.raises(UnknownIdError, match="lbp_acupuncture"):
        mg["lbp_acupunture"]


def test_unknown_category_is_rejected(mg):
    with pytest.raises(ValueError, match="category"):
        mg.in_category("magic")


def test_loads_beside_any_knowledge_base_folder(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    kb = kneesci.load(tmp_path / "data")
    assert len(load_management(kb)) == len(load_management())


# --- views --------------------------------------------------------------------------------------
def test_text_view_has_one_line_per_row_with_its_sources(mg):
    rows = mg.for_condition("peripheral_artery_disease")
    lines = mg.to_text(rows).splitlines()
    assert len(lines) == len(rows)
    assert lines[0].endswith("[nice_cg147]")


def test_html_view_escapes_text_and_marks_advice_against(broken):
    mg = broken(recommendation="do_not_offer", intervention="<b>Walking</b>")
    table = mg.to_html()
    assert "&lt;b&gt;Walking" in table
    assert "&#10007; Do not offer" in table


def test_explorer_filters_by_condition_and_kind_of_care(kb, mg):
    explorer = ManagementExplorer(kb, mg, "knee_osteoarthritis")
    rows = explorer.show("knee_osteoarthritis", "medicine")
    assert rows and all(r.category == "medicine" for r in rows)
    assert "topical NSAID" in explorer._table.value


def test_explorer_lists_only_conditions_that_have_recommendations(kb, mg):
    explorer = ManagementExplorer(kb, mg)
    offered = [value for _, value in explorer._condition.options]
    assert all(mg.for_condition(cid) for cid in offered)


# --- issue 11: NG59 drug rows apart, NG59/NG226 additions, grades ---------------------------------
def test_a_root_lesion_gets_sciatica_drug_advice_not_low_back_pain_drug_advice(mg):
    # For sciatica NG59 (2020) makes no recommendation on NSAIDs, unlike for low back pain.
    drugs = [r for r in mg.for_condition("l5_radiculopathy") if r.category == "medicine"]
    assert {r.id for r in drugs} == {
        "sciatica_gabapentinoids",
        "sciatica_opioid_chronic",
        "sciatica_nsaids",
    }
    assert mg["sciatica_nsaids"].recommendation == "no_recommendation"
    assert "l5_radiculopathy" not in mg["lbp_nsaids"].conditions


def test_ng59_additions_use_the_guidelines_own_words(mg):
    assert mg["lbp_risk_stratification"].recommendation == "consider"
    assert "STarT Back" in mg["lbp_risk_stratification"].intervention
    assert mg["lbp_combined_programme"].recommendation == "consider"
    assert mg["sciatica_spinal_decompression"].recommendation == "consider"
    assert mg["lbp_return_to_work"].provenance.keys == ("nice_ng59",)


def test_ng226_additions_include_do_not_offer_items(mg):
    assert mg["oa_supervised_exercise"].recommendation == "consider"
    assert mg["oa_walking_aids"].recommendation == "consider"
    assert mg["oa_glucosamine"].is_against and mg["oa_strong_opioids"].is_against


def test_claudication_exercise_dose_is_consider_and_neuropathic_non_drug_is_discuss(mg):
    assert mg["pad_supervised_exercise"].recommendation == "offer"
    assert mg["pad_exercise_dose"].recommendation == "consider"
    assert mg["neuropathic_pain_non_drug"].verdict == "Discuss"


def test_steffens_grades_exercise_alone_low_and_education_alone_no_effect(mg):
    assert mg["prevention_exercise"].certainty == "moderate"
    assert mg["prevention_exercise_alone"].certainty == "low"
    education = mg["prevention_education_supports"]
    assert education.recommendation == "not_supported" and education.certainty == "moderate"
    assert "not sciatica" in education.provenance.note


def test_cauda_equina_referral_is_immediate(mg):
    assert "IMMEDIATE" in mg["cauda_equina_referral"].intervention
