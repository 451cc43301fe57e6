"""Red flags at levels of concern (vocabulary 0.3, issue 17).

One test per vocabulary row ("must raise at least" and "must not raise on its own"), each arm with
a positive and a negative patient; the seven harms of the 0.2 clinical review with the patients it
used; the over-calls of issue 17; a property (marking a finding present never lowers a level); and
the validation of the rules file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import kneesci
import kneesci.wells
from kneesci import LEVEL_WORDS, LEVELS, Concern, ContradictionError, DataError
from kneesci.check import check_folder

T, F = True, False
NONE = len(LEVELS)  # rank of "not raised": below safety_net


def rank(level: str | None) -> int:
    return NONE if level is None else LEVELS.index(level)


def level_of(kb, findings: dict, flag: str) -> str | None:
    return {c.flag: c.level for c in kb.concerns(findings)}.get(flag)


def assert_at_least(kb, findings: dict, flag: str, level: str) -> None:
    got = level_of(kb, findings, flag)
    assert rank(got) <= rank(level), f"{flag}: {got} for {findings}, expected at least {level}"


def assert_at_most(kb, findings: dict, flag: str, level: str | None) -> None:
    got = level_of(kb, findings, flag)
    assert rank(got) >= rank(level), f"{flag}: {got} for {findings}, expected at most {level}"


def without(findings: dict, *ids: str) -> dict:
    """The same patient with these findings not asked: what a rule must not raise on."""
    return {k: v for k, v in findings.items() if k not in ids}


# --- the API ------------------------------------------------------------------------------------
def test_levels_and_their_words_are_exported_most_severe_first():
    assert kneesci.LEVELS == ("immediate", "urgent", "screen", "safety_net")
    assert LEVEL_WORDS == {
        "immediate": "Refer immediately",
        "urgent": "Refer urgently",
        "screen": "Screen further now",
        "safety_net": "Safety-net and manage",
    }


def test_concerns_are_one_per_flag_most_severe_first_and_cached(kb):
    dx = kb.differential({"low_back_pain": T, "saddle_anaesthesia": T, "wide_based_gait": T})
    flags = [c.flag for c in dx.concerns]
    assert len(flags) == len(set(flags)) >= 2
    assert [rank(c.level) for c in dx.concerns] == sorted(rank(c.level) for c in dx.concerns)
    assert dx.concerns is dx.concerns  # computed once
    first = dx.concerns[0]
    assert isinstance(first, Concern)
    assert (first.flag, first.level) == ("cauda_equina_syndrome", "immediate")
    assert set(first.reasons) == {"low_back_pain", "saddle_anaesthesia"}
    assert first.assumed == {"symptoms_new_or_worsening": True}
    assert "symptoms_new_or_worsening" in first.ask_next
    assert first.source and all(k in kb.references for k in first.source)
    assert "4 hours" in first.action
    assert dx.red_flags == ["cauda_equina_syndrome"]  # screen is not a red flag to act on


def test_concerns_need_no_posterior_and_agree_with_the_differential(kb):
    findings = {"low_back_pain": T, "fever": T}
    assert kb.concerns(findings) == kb.differential(findings).concerns


def test_kb_keeps_one_flag_per_id_and_the_rules_beside_it(kb):
    assert len(kb.red_flags) == 13
    assert {r.flag for r in kb.red_flag_rules} == set(kb.red_flags)
    assert {r.level for r in kb.red_flag_rules} == set(LEVELS)


def test_dvt_concern_names_the_wells_score_and_the_unknown_items(kb):
    (concern,) = kb.concerns({"calf_pain": T, "calf_tenderness": T, "previous_dvt": T})
    assert concern.flag == "deep_vein_thrombosis" and concern.level == "immediate"
    assert "Wells score 2" in concern.detail and "DVT likely" in concern.detail
    assert "whole leg swollen" in concern.detail  # an unknown item named
    assert "alternative_diagnosis_as_likely" in concern.ask_next


# --- vocabulary 0.3: one test per row, each arm with a positive and a negative patient ----------
CES = "cauda_equina_syndrome"
CES_AT_LEAST = [
    ({"low_back_pain": T, "saddle_anaesthesia": T}, "immediate"),
    ({"pain_radiates_below_knee": T, "bladder_or_bowel_dysfunction": T}, "immediate"),
    ({"low_back_pain": T, "bilateral_leg_weakness": T}, "immediate"),
    ({"thoracic_pain": T, "bilateral_leg_numbness": T}, "immediate"),
    ({"new_sexual_dysfunction": T, "slr_positive": T}, "immediate"),
    ({"new_sexual_dysfunction": T, "low_back_pain": T, "saddle_anaesthesia": T}, "immediate"),
    ({"bilateral_sciatica": T}, "urgent"),
    ({"new_sexual_dysfunction": T, "low_back_pain": T}, "screen"),
    ({"low_back_pain": T}, "safety_net"),
    ({"posterior_thigh_pain": T}, "safety_net"),
]


@pytest.mark.parametrize(("findings", "level"), CES_AT_LEAST, ids=str)
def test_cauda_equina_syndrome_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, CES, level)
    # negative: the same feature without back or leg pain or another feature raises less
    assert_at_most(kb, {"knee_pain": T, "knee_crepitus": T}, CES, None)


def test_cauda_equina_syndrome_over_14_days_and_stable_is_urgent_not_immediate(kb):
    patient = {"low_back_pain": T, "saddle_anaesthesia": T}
    assert level_of(kb, patient, CES) == "immediate"  # unasked: taken as new (the safer answer)
    assert level_of(kb, {**patient, "symptoms_new_or_worsening": F}, CES) == "urgent"
    assert level_of(kb, {**patient, "symptoms_new_or_worsening": T}, CES) == "immediate"


@pytest.mark.parametrize(
    ("findings", "most"),
    [
        ({"new_sexual_dysfunction": T, "low_back_pain": T}, "screen"),
        ({"bilateral_sciatica": T}, "urgent"),
    ],
    ids=["sexual_dysfunction_with_back_pain_only", "bilateral_sciatica_alone"],
)
def test_cauda_equina_syndrome_must_not_raise_on_its_own(kb, findings, most):
    assert_at_most(kb, findings, CES, most)
    # positive: add a cauda equina feature and it is immediate
    assert_at_least(kb, {**findings, "low_back_pain": T, "saddle_anaesthesia": T}, CES, "immediate")


MAL = "spinal_malignancy"
MAL_AT_LEAST = [
    ({"history_of_cancer": T, "low_back_pain": T, "numbness_or_tingling": T}, "immediate"),
    ({"thoracic_pain": T, "unexplained_weight_loss": T, "foot_drop": T}, "immediate"),
    ({"severe_unremitting_spinal_pain": T, "age_over_50": T, "slr_positive": T}, "immediate"),
    ({"history_of_cancer": T, "low_back_pain": T, "localised_spinal_tenderness": T}, "urgent"),
    ({"history_of_cancer": T, "buttock_pain": T, "spinal_pain_worse_on_straining": T}, "urgent"),
    ({"unexplained_weight_loss": T, "low_back_pain": T, "age_over_50": T}, "urgent"),
    ({"unexplained_weight_loss": T, "low_back_pain": T, "age_over_60": T}, "urgent"),
]


@pytest.mark.parametrize(("findings", "level"), MAL_AT_LEAST, ids=str)
def test_spinal_malignancy_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, MAL, level)
    without_spine = without(findings, "low_back_pain", "buttock_pain")
    without_spine.update(
        thoracic_pain=F,
        severe_unremitting_spinal_pain=F,
        localised_spinal_tenderness=F,
        spinal_pain_worse_on_straining=F,
    )
    assert_at_most(kb, without_spine, MAL, None)


def test_ng12_weight_loss_at_60_quotes_the_direct_access_ct(kb):
    patient = {"unexplained_weight_loss": T, "low_back_pain": T, "age_over_60": T}
    concern = next(c for c in kb.concerns(patient) if c.flag == MAL)
    assert "nice_ng12" in concern.source and "CT" in concern.action


@pytest.mark.parametrize("finding", ["history_of_cancer", "unexplained_weight_loss", "night_pain"])
def test_spinal_malignancy_must_not_raise_on_its_own(kb, finding):
    assert_at_most(kb, {finding: T}, MAL, "screen")
    assert_at_most(kb, {finding: T, "low_back_pain": T}, MAL, "screen")
    # positive: with spinal pain suggestive of metastases and a new neurological sign
    assert_at_least(
        kb,
        {finding: T, "thoracic_pain": T, "age_over_50": T, "numbness_or_tingling": T},
        MAL,
        "immediate",
    )


INF = "spinal_infection"
INF_AT_LEAST = [
    ({"low_back_pain": T, "fever": T}, "immediate"),
    ({"buttock_pain": T, "fever": T}, "immediate"),
    (
        {"low_back_pain": T, "infection_risk_factor": T, "severe_unremitting_spinal_pain": T},
        "immediate",
    ),
    ({"low_back_pain": T, "diabetes": T, "foot_drop": T, "fever": F}, "immediate"),
    ({"thoracic_pain": T, "long_term_corticosteroids": T, "numbness_or_tingling": T}, "immediate"),
    ({"low_back_pain": T, "infection_risk_factor": T}, "screen"),
]


@pytest.mark.parametrize(("findings", "level"), INF_AT_LEAST, ids=str)
def test_spinal_infection_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, INF, level)
    no_spine = without(findings, "low_back_pain", "buttock_pain", "thoracic_pain")
    assert_at_most(kb, no_spine, INF, None)


def test_spinal_infection_screen_says_a_normal_temperature_does_not_exclude_it(kb):
    concern = next(
        c for c in kb.concerns({"low_back_pain": T, "infection_risk_factor": T}) if c.flag == INF
    )
    assert "normal temperature does not exclude" in concern.action


def test_spinal_infection_must_not_raise_on_its_own(kb):
    assert_at_most(kb, {"fever": T}, INF, None)
    assert_at_least(kb, {"fever": T, "low_back_pain": T}, INF, "immediate")


FRAC = "spinal_fracture"
FRAC_AT_LEAST = [
    ({"major_trauma": T, "low_back_pain": T}, "immediate"),
    ({"significant_trauma": T, "low_back_pain": T, "numbness_or_tingling": T}, "immediate"),
    ({"low_back_pain": T, "osteoporosis": T}, "urgent"),
    ({"thoracic_pain": T, "long_term_corticosteroids": T}, "urgent"),
    ({"significant_trauma": T, "low_back_pain": T, "age_over_65": T}, "urgent"),
    ({"spinal_contusion_or_abrasion": T, "low_back_pain": T}, "urgent"),
    (
        {"female": T, "age_over_65": T, "low_back_pain": T, "localised_spinal_tenderness": T},
        "urgent",
    ),
    ({"female": T, "age_over_65": T, "thoracic_pain": T}, "urgent"),
]


@pytest.mark.parametrize(("findings", "level"), FRAC_AT_LEAST, ids=str)
def test_spinal_fracture_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, FRAC, level)
    no_spine = without(findings, "low_back_pain", "thoracic_pain") | {
        "low_back_pain": F,
        "thoracic_pain": F,
    }
    assert_at_most(kb, no_spine, FRAC, None)


@pytest.mark.parametrize(
    "findings",
    [
        {"female": T},
        {"age_over_65": T},
        {"female": T, "age_over_65": T},
        {"significant_trauma": T, "knee_pain": T},
        {"major_trauma": T},
        {"significant_trauma": T, "buttock_pain": T, "age_over_65": T},
    ],
    ids=str,
)
def test_spinal_fracture_must_not_raise_on_its_own(kb, findings):
    assert_at_most(kb, findings, FRAC, None)
    assert_at_least(kb, {**findings, "major_trauma": T, "low_back_pain": T}, FRAC, "immediate")


HIP = "hip_or_knee_fracture"
HIP_AT_LEAST = [
    ({"significant_trauma": T, "knee_pain": T, "age_over_55": T}, "immediate"),
    (
        {"significant_trauma": T, "knee_pain": T, "patella_or_fibular_head_tenderness": T},
        "immediate",
    ),
    ({"significant_trauma": T, "knee_pain": T, "cannot_flex_knee_90": T}, "immediate"),
    ({"significant_trauma": T, "knee_pain": T, "unable_to_bear_weight": T}, "immediate"),
    ({"significant_trauma": T, "groin_pain": T, "age_over_65": T}, "immediate"),
    (
        {"significant_trauma": T, "knee_pain": T, "osteoporosis": T, "unable_to_bear_weight": F},
        "immediate",
    ),
    ({"history_of_cancer": T, "anterior_thigh_pain": T, "night_pain": T}, "urgent"),
    ({"history_of_cancer": T, "groin_pain": T, "worse_with_walking_or_standing": T}, "urgent"),
    ({"osteoporosis": T, "groin_pain": T, "worse_with_walking_or_standing": T}, "screen"),
    ({"significant_trauma": T, "knee_pain": T}, "screen"),
]


def test_hip_or_knee_fracture_after_a_fall_with_knee_pain_asks_the_ottawa_items(kb):
    concern = next(c for c in kb.differential({"significant_trauma": T, "knee_pain": T}).concerns)
    assert (concern.flag, concern.level) == (HIP, "screen")
    assert {"age_over_55", "patella_or_fibular_head_tenderness", "cannot_flex_knee_90"} <= set(
        concern.ask_next
    )
    # with every Ottawa item answered no, the injury alone stays a screen, never a referral
    no_items = dict.fromkeys(
        ["age_over_55", "patella_or_fibular_head_tenderness", "cannot_flex_knee_90"], F
    )
    assert_at_most(
        kb,
        {"significant_trauma": T, "knee_pain": T, **no_items, "unable_to_bear_weight": F},
        HIP,
        "screen",
    )


@pytest.mark.parametrize(("findings", "level"), HIP_AT_LEAST, ids=str)
def test_hip_or_knee_fracture_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, HIP, level)
    # negative: the same without the injury, cancer or osteoporosis
    rest = without(findings, "significant_trauma", "history_of_cancer", "osteoporosis")
    assert_at_most(kb, rest, HIP, None)


DVT = "deep_vein_thrombosis"
DVT_AT_LEAST = [
    ({"unilateral_calf_swelling": T}, "screen"),
    ({"whole_leg_swollen": T}, "screen"),
    ({"pitting_oedema_one_leg": T}, "screen"),
    ({"calf_tenderness": T}, "screen"),
    ({"calf_pain": T, "previous_dvt": T}, "screen"),
    ({"calf_pain": T, "active_cancer": T}, "screen"),
    ({"calf_tenderness": T, "recent_bedridden_or_major_surgery": T}, "immediate"),
    ({"calf_tenderness": T, "alternative_diagnosis_as_likely": F}, "immediate"),
    ({"unilateral_calf_swelling": T, "pe_symptoms": T}, "immediate"),
]


@pytest.mark.parametrize(("findings", "level"), DVT_AT_LEAST, ids=str)
def test_deep_vein_thrombosis_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, DVT, level)
    assert_at_most(kb, {"calf_pain": T, "pe_symptoms": T}, DVT, None)


def test_deep_vein_thrombosis_safety_net_only_with_another_diagnosis_and_wells_1_or_less(kb):
    wells_items_absent = {
        "active_cancer": F,
        "leg_plaster_paralysis_or_paresis": F,
        "recent_bedridden_or_major_surgery": F,
        "whole_leg_swollen": F,
        "unilateral_calf_swelling": F,
        "pitting_oedema_one_leg": F,
        "collateral_superficial_veins": F,
        "previous_dvt": F,
    }
    settled = {"calf_tenderness": T, "alternative_diagnosis_as_likely": T, **wells_items_absent}
    assert level_of(kb, settled, DVT) == "safety_net"
    # one unknown Wells item cannot lift -1 to 2: still settled
    one_unknown = {k: v for k, v in settled.items() if k != "previous_dvt"}
    assert level_of(kb, one_unknown, DVT) == "safety_net"
    # three unknown items could: screened, and they are named to ask next
    unknown = {"previous_dvt", "active_cancer", "whole_leg_swollen"}
    unsettled = {k: v for k, v in settled.items() if k not in unknown}
    concern = next(c for c in kb.concerns(unsettled) if c.flag == DVT)
    assert concern.level == "screen"
    assert unknown <= set(concern.ask_next)


def test_deep_vein_thrombosis_must_not_raise_on_its_own(kb):
    assert_at_most(kb, {"calf_pain": T}, DVT, None)
    assert_at_least(kb, {"calf_pain": T, "calf_tenderness": T}, DVT, "screen")


ALI = "acute_limb_ischaemia"


def test_acute_limb_ischaemia_must_raise_at_least(kb):
    assert_at_least(kb, {"sudden_cold_pale_leg": T}, ALI, "immediate")
    assert_at_most(kb, {"sudden_cold_pale_leg": F, "calf_pain": T}, ALI, None)


@pytest.mark.parametrize("finding", ["calf_pain", "numbness_or_tingling", "cool_skin_foot"])
def test_acute_limb_ischaemia_must_not_raise_on_its_own(kb, finding):
    assert_at_most(kb, {finding: T}, ALI, "screen")
    assert_at_least(kb, {finding: T, "sudden_cold_pale_leg": T}, ALI, "immediate")


CLTI = "chronic_limb_threatening_ischaemia"
CLTI_AT_LEAST = [
    ({"ischaemic_rest_pain": T, "absent_foot_pulses": T}, "urgent"),
    ({"foot_ulcer": T, "abi_below_0_9": T}, "urgent"),
    ({"gangrene": T, "weak_femoral_pulse": T}, "urgent"),
    ({"ischaemic_rest_pain": T}, "screen"),
    ({"gangrene": T}, "screen"),
    ({"foot_ulcer": T, "absent_foot_pulses": T, "spreading_foot_infection": T}, "immediate"),
    ({"foot_ulcer": T, "absent_foot_pulses": T, "fever": T}, "immediate"),
]


@pytest.mark.parametrize(("findings", "level"), CLTI_AT_LEAST, ids=str)
def test_chronic_limb_threatening_ischaemia_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, CLTI, level)
    rest = without(findings, "ischaemic_rest_pain", "foot_ulcer", "gangrene")
    assert_at_most(kb, rest, CLTI, None)


def test_chronic_limb_threatening_ischaemia_must_not_raise_on_its_own(kb):
    assert_at_most(kb, {"foot_ulcer": T}, CLTI, "screen")
    assert_at_least(kb, {"foot_ulcer": T, "absent_foot_pulses": T}, CLTI, "urgent")


SEP = "septic_arthritis"
SEP_AT_LEAST = [
    ({"hot_swollen_knee": T}, "immediate"),
    ({"knee_effusion": T, "knee_palpable_warmth": T}, "immediate"),
    ({"groin_pain": T, "unable_to_bear_weight": T, "fever": F}, "immediate"),
    ({"prosthetic_joint": T, "knee_effusion": T}, "immediate"),
    ({"prosthetic_joint": T, "fever": T, "knee_pain": T}, "immediate"),
    ({"prosthetic_joint": T, "knee_pain": T}, "urgent"),
]


@pytest.mark.parametrize(("findings", "level"), SEP_AT_LEAST, ids=str)
def test_septic_arthritis_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, SEP, level)
    assert_at_most(kb, {"knee_effusion": T, "knee_palpable_warmth": F}, SEP, None)


@pytest.mark.parametrize(
    "findings", [{"prosthetic_joint": T}, {"fever": T}, {"fever": T, "low_back_pain": T}], ids=str
)
def test_septic_arthritis_must_not_raise_on_its_own(kb, findings):
    assert_at_most(kb, findings, SEP, None)
    assert_at_least(kb, {**findings, "hot_swollen_knee": T}, SEP, "immediate")


RPH = "retroperitoneal_haematoma"
RPH_AT_LEAST = [
    (
        {"on_anticoagulant_or_bleeding_disorder": T, "groin_pain": T, "quadriceps_weakness": T},
        "immediate",
    ),
    (
        {
            "on_anticoagulant_or_bleeding_disorder": T,
            "anterior_thigh_pain": T,
            "sensory_loss_anterior_thigh": T,
        },
        "immediate",
    ),
    ({"on_anticoagulant_or_bleeding_disorder": T, "groin_pain": T}, "screen"),
    # Consultant360: "pain or weakness" in the groin or thigh; a painless new femoral neuropathy
    ({"on_anticoagulant_or_bleeding_disorder": T, "quadriceps_weakness": T}, "immediate"),
    ({"on_anticoagulant_or_bleeding_disorder": T, "hip_flexion_weakness": T}, "immediate"),
    ({"on_anticoagulant_or_bleeding_disorder": T, "patellar_reflex_reduced": T}, "screen"),
]


@pytest.mark.parametrize(("findings", "level"), RPH_AT_LEAST, ids=str)
def test_retroperitoneal_haematoma_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, RPH, level)
    assert_at_most(kb, {**findings, "on_anticoagulant_or_bleeding_disorder": F}, RPH, None)


def test_retroperitoneal_haematoma_must_not_raise_on_its_own(kb):
    long_standing = {
        "on_anticoagulant_or_bleeding_disorder": T,
        "groin_pain": T,
        "symptoms_new_or_worsening": F,
    }
    assert_at_most(kb, long_standing, RPH, None)
    assert_at_most(kb, {"on_anticoagulant_or_bleeding_disorder": T}, RPH, None)
    assert_at_least(kb, {**long_standing, "symptoms_new_or_worsening": T}, RPH, "screen")


def test_retroperitoneal_haematoma_painless_femoral_neuropathy_on_an_anticoagulant(kb):
    # New quadriceps and hip-flexor weakness with a reduced knee jerk, no pain at all.
    patient = {
        "on_anticoagulant_or_bleeding_disorder": T,
        "quadriceps_weakness": T,
        "hip_flexion_weakness": T,
        "patellar_reflex_reduced": T,
        "groin_pain": F,
        "anterior_thigh_pain": F,
    }
    assert level_of(kb, patient, RPH) == "immediate"
    # negative: the same weakness without an anticoagulant, or long-standing and unchanged
    assert level_of(kb, {**patient, "on_anticoagulant_or_bleeding_disorder": F}, RPH) is None
    assert level_of(kb, {**patient, "symptoms_new_or_worsening": F}, RPH) is None
    # a reduced knee jerk alone on an anticoagulant is screened for the weakness or pain
    reflex = {"on_anticoagulant_or_bleeding_disorder": T, "patellar_reflex_reduced": T}
    assert level_of(kb, reflex, RPH) == "screen"
    assert level_of(kb, {**reflex, "on_anticoagulant_or_bleeding_disorder": F}, RPH) is None


PMD = "progressive_motor_deficit"
PMD_AT_LEAST = [
    ({"sudden_onset_weakness": T}, "immediate"),
    ({"bilateral_leg_weakness": T, "reflexes_reduced_bilaterally": T}, "immediate"),
    ({"new_severe_leg_weakness": T}, "urgent"),
    ({"progressing_leg_weakness": T}, "urgent"),
    ({"foot_drop": T, "symptoms_new_or_worsening": T}, "urgent"),
]


@pytest.mark.parametrize(("findings", "level"), PMD_AT_LEAST, ids=str)
def test_progressive_motor_deficit_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, PMD, level)
    assert_at_most(kb, {"foot_drop": T, "symptoms_new_or_worsening": F}, PMD, None)


CORD = "spinal_cord_compression"
STABLE = {"symptoms_new_or_worsening": F}
CORD_AT_LEAST = [
    ({"upper_motor_neurone_signs": T}, "immediate"),
    ({"upper_motor_neurone_signs": T, **STABLE, "bladder_or_bowel_dysfunction": T}, "immediate"),
    ({"upper_motor_neurone_signs": T, **STABLE, "history_of_cancer": T}, "immediate"),
    ({"upper_motor_neurone_signs": T, **STABLE, "infection_risk_factor": T}, "immediate"),
    ({"upper_motor_neurone_signs": T, **STABLE, "fever": T}, "immediate"),
    (
        {
            "upper_motor_neurone_signs": T,
            **STABLE,
            "thoracic_pain": T,
            "severe_unremitting_spinal_pain": T,
        },
        "immediate",
    ),
    ({"upper_motor_neurone_signs": T, **STABLE}, "urgent"),
    ({"wide_based_gait": T}, "screen"),
    ({"romberg_positive": T, "stocking_distribution_numbness": F}, "screen"),
]


@pytest.mark.parametrize(("findings", "level"), CORD_AT_LEAST, ids=str)
def test_spinal_cord_compression_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, CORD, level)
    assert_at_most(
        kb, {"reflexes_reduced_bilaterally": T, "stocking_distribution_numbness": T}, CORD, None
    )


def test_spinal_cord_compression_must_not_raise_on_its_own(kb):
    # brisk reflexes alone: no finding records them below the threshold of an upper motor
    # neurone sign, and the knee and ankle reflex findings alone raise nothing
    for finding in (
        "patellar_reflex_reduced",
        "achilles_reflex_reduced",
        "reflexes_reduced_bilaterally",
    ):
        assert_at_most(kb, {finding: T}, CORD, None)
    assert_at_least(kb, {"upper_motor_neurone_signs": T}, CORD, "immediate")


ADF = "active_diabetic_foot"
ADF_AT_LEAST = [
    ({"diabetes": T, "foot_ulcer": T}, "urgent"),
    ({"diabetes": T, "hot_swollen_foot": T}, "urgent"),
    ({"diabetes": T, "gangrene": T}, "immediate"),
    ({"diabetes": T, "foot_ulcer": T, "fever": T}, "immediate"),
    ({"diabetes": T, "foot_ulcer": T, "spreading_foot_infection": T}, "immediate"),
    ({"diabetes": T, "foot_ulcer": T, "absent_foot_pulses": T}, "immediate"),
    ({"diabetes": T, "foot_ulcer": T, "ischaemic_rest_pain": T}, "immediate"),
    ({"diabetes": T, "foot_ulcer": T, "sudden_cold_pale_leg": T}, "immediate"),
    ({"diabetes": T, "monofilament_loss": T}, "safety_net"),
]


@pytest.mark.parametrize(("findings", "level"), ADF_AT_LEAST, ids=str)
def test_active_diabetic_foot_must_raise_at_least(kb, findings, level):
    assert_at_least(kb, findings, ADF, level)
    assert_at_most(kb, {**findings, "diabetes": F}, ADF, None)


def test_active_diabetic_foot_must_not_raise_on_its_own(kb):
    assert_at_most(kb, {"diabetes": T}, ADF, None)
    assert_at_least(kb, {"diabetes": T, "foot_ulcer": T}, ADF, "urgent")


def test_every_flag_has_its_vocabulary_tests(kb):
    tested = {CES, MAL, INF, FRAC, HIP, DVT, ALI, CLTI, SEP, RPH, PMD, CORD, ADF}
    assert tested == set(kb.red_flags)


# --- marking a finding present never lowers a level ---------------------------------------------
# `alternative_diagnosis_as_likely` is the one finding whose presence settles a flag: the Wells
# item that subtracts 2 and, with Wells 1 or less, ends a DVT concern in safety-netting.
SETTLING = {"alternative_diagnosis_as_likely"}


def rule_findings(kb) -> list[str]:
    """Every finding a rule names, directly or through a term."""
    named = set()
    for rule in kb.red_flag_rules:
        refs = [*rule.all_of, *rule.absent, *(r for g in rule.any_of for r in g)]
        refs += [r for _, g in rule.at_least for r in g]
        for ref in refs:
            named.update(kb.rule_book.members(ref))
    named.update(f for f, _ in kneesci.wells.WELLS_FINDINGS.items())
    return sorted(named)


@pytest.mark.parametrize("pool", ["rule_findings", "all_findings"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_marking_a_finding_present_never_lowers_any_level(kb, pool, data):
    ids = rule_findings(kb) if pool == "rule_findings" else sorted(kb.findings)
    known = data.draw(st.dictionaries(st.sampled_from(ids), st.booleans(), max_size=12))
    target = data.draw(st.sampled_from([f for f in ids if f not in SETTLING]))
    assume(known.get(target) is not True)
    try:
        before = {c.flag: c.level for c in kb.concerns(known)}
        after = {c.flag: c.level for c in kb.concerns({**known, target: True})}
    except ContradictionError:
        assume(False)
    assert kb.red_flags, "nothing to check"
    for flag in kb.red_flags:
        assert rank(after.get(flag)) <= rank(before.get(flag)), (flag, target, known)


def test_marking_a_finding_absent_may_lower_a_level(kb):
    # the GIRFT 14-day rule: recorded over 14 days and stable, CES is urgent, not immediate
    patient = {"low_back_pain": T, "bladder_or_bowel_dysfunction": T}
    assert level_of(kb, patient, CES) == "immediate"
    assert level_of(kb, {**patient, "symptoms_new_or_worsening": F}, CES) == "urgent"


# --- the seven harms of the 0.2 clinical review, with its patients ------------------------------
def test_harm_1_anticoagulated_femoral_neuropathy_raises_a_haematoma(kb):
    patient = {
        "groin_pain": T,
        "hip_flexion_weakness": T,
        "quadriceps_weakness": T,
        "patellar_reflex_reduced": T,
        "low_back_pain": F,
        "on_anticoagulant_or_bleeding_disorder": T,
    }
    dx = kb.differential(patient)
    assert dx.top == "femoral_neuropathy"
    assert RPH in dx.red_flags and level_of(kb, patient, RPH) == "immediate"


def test_harm_2_new_foot_drop_and_upper_motor_neurone_signs_are_flags(kb):
    foot_drop = {
        "foot_drop": T,
        "ankle_dorsiflexion_weakness": T,
        "great_toe_extension_weakness": T,
        "low_back_pain": T,
        "pain_radiates_below_knee": T,
    }
    assert PMD in kb.differential(foot_drop).red_flags
    myelopathy = {"wide_based_gait": T, "romberg_positive": T}
    assert level_of(kb, myelopathy, CORD) == "screen"
    assert CORD in kb.differential({**myelopathy, "upper_motor_neurone_signs": T}).red_flags


def test_harm_3_bilateral_sciatica_and_numbness_raise_cauda_equina_and_back_pain_is_safety_netted(
    kb,
):
    assert level_of(kb, {"bilateral_sciatica": T, "slr_positive": T}, CES) == "urgent"
    assert level_of(kb, {"low_back_pain": T, "bilateral_leg_numbness": T}, CES) == "immediate"
    sciatica = {"low_back_pain": T, "pain_radiates_below_knee": T, "slr_positive": T}
    concern = next(c for c in kb.concerns(sciatica) if c.flag == CES)
    assert concern.level == "safety_net" and "in writing" in concern.action
    assert "saddle_anaesthesia" in concern.ask_next


def test_harm_4_calf_pain_with_deep_vein_tenderness_after_surgery_raises_dvt(kb):
    patient = {
        "calf_pain": T,
        "pain_behind_knee": T,
        "calf_tenderness": T,
        "recent_bedridden_or_major_surgery": T,
    }
    assert DVT in kb.differential(patient).red_flags
    assert level_of(kb, {"calf_pain": T, "pain_behind_knee": T}, DVT) is None


def test_harm_5_afebrile_spinal_infection_with_a_risk_factor(kb):
    patient = {
        "low_back_pain": T,
        "severe_unremitting_spinal_pain": T,
        "infection_risk_factor": T,
        "fever": F,
    }
    assert level_of(kb, patient, INF) == "immediate"


def test_harm_6_chronic_limb_threatening_ischaemia_in_pad_with_night_pain(kb):
    patient = {
        "calf_pain": T,
        "worse_with_walking_or_standing": T,
        "relieved_by_standing_still": T,
        "absent_foot_pulses": T,
        "night_pain": T,
        "ischaemic_rest_pain": T,
    }
    dx = kb.differential(patient)
    assert dx.top == "peripheral_artery_disease"
    assert CLTI in dx.red_flags and level_of(kb, patient, CLTI) == "urgent"


def test_harm_7_nice_ng19_diabetic_foot(kb):
    neuropathy = {"diabetes": T, "stocking_distribution_numbness": T, "monofilament_loss": T}
    assert kb.differential(neuropathy).top == "peripheral_neuropathy"
    concern = next(c for c in kb.concerns(neuropathy) if c.flag == ADF)
    assert concern.level == "safety_net" and "foot protection" in concern.action
    for active in ("foot_ulcer", "hot_swollen_foot"):
        concern = next(c for c in kb.concerns({**neuropathy, active: T}) if c.flag == ADF)
        assert concern.level == "urgent" and "1 working day" in concern.action


# --- the over-calls of issue 17 -------------------------------------------------------------------
def test_sexual_dysfunction_in_a_claudicant_is_screened_not_sent_to_the_emergency_department(kb):
    claudicant = {
        "age_over_65": T,
        "smoker": T,
        "calf_pain": T,
        "worse_with_walking_or_standing": T,
        "relieved_by_standing_still": T,
        "absent_foot_pulses": T,
        "low_back_pain": T,
        "new_sexual_dysfunction": T,
    }
    assert CES not in kb.differential(claudicant).red_flags
    assert level_of(kb, claudicant, CES) == "screen"


def test_past_cancer_alone_in_knee_osteoarthritis_does_not_flag_malignancy(kb):
    knee = {
        "knee_pain": T,
        "age_over_50": T,
        "morning_stiffness_under_30_min": T,
        "knee_crepitus": T,
        "knee_bony_tenderness": T,
        "knee_bony_enlargement": T,
        "low_back_pain": F,
        "history_of_cancer": T,
    }
    assert level_of(kb, knee, MAL) is None
    assert kb.differential({**knee, "symptoms_new_or_worsening": F}).red_flags == []


def test_a_fall_without_spinal_pain_does_not_raise_a_spinal_fracture(kb):
    fall = {"significant_trauma": T, "knee_pain": T, "low_back_pain": F, "age_over_50": T}
    assert level_of(kb, fall, FRAC) is None


def test_fever_with_a_hot_knee_raises_septic_arthritis_not_spinal_infection(kb):
    patient = {"fever": T, "hot_swollen_knee": T, "knee_pain": T}
    dx = kb.differential(patient)
    assert SEP in dx.red_flags
    assert level_of(kb, patient, INF) is None


# --- the rules file is validated with file, line and field --------------------------------------
TINY = Path(__file__).parent / "fixtures" / "tiny"
RULES = "red_flag_rules.csv"
HEADER = "flag,level,all_of,any_of,at_least,absent,assume,score,action,source,note\n"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(TINY, target)
    return target


def write_rules(folder: Path, *rows: str) -> None:
    (folder / RULES).write_text(HEADER + "".join(r + "\n" for r in rows))


GOOD = "danger,immediate,alarm,,,,,,Refer now.,nice_ng59,hand-worked"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "danger,immediate,alrm,,,,,,Refer now.,nice_ng59,x",
            "line 2 (danger), field 'all_of': unknown finding or term id 'alrm'."
            " Did you mean 'alarm'?",
        ),
        (
            "dangr,immediate,alarm,,,,,,Refer now.,nice_ng59,x",
            "line 2 (?), field 'flag': unknown red-flag id 'dangr'. Did you mean 'danger'?",
        ),
        (
            "danger,emergency,alarm,,,,,,Refer now.,nice_ng59,x",
            "line 2 (danger), field 'level': 'emergency' is not one of"
            " immediate, urgent, screen, safety_net.",
        ),
        (
            "danger,immediate,,,,,,,Refer now.,nice_ng59,x",
            "line 2 (danger), field 'all_of': the rule is empty",
        ),
        ("danger,immediate,alarm,,,,,,Refer now.,,x", "line 2 (danger), field 'source': is empty."),
        (
            "danger,immediate,alarm,,,,,,Refer now.,nice_ng95,x",
            "line 2 (danger), field 'source': reference key 'nice_ng95' is not in references.csv.",
        ),
        (
            "danger,immediate,alarm,,,,alarm=maybe,,Refer now.,nice_ng59,x",
            "line 2 (danger), field 'assume': 'alarm=maybe' should read",
        ),
        (
            "danger,immediate,alarm,,,,,wells>=2,Refer now.,nice_ng59,x",
            "line 2 (danger), field 'score': 'wells>=2' should read",
        ),
        (
            "danger,immediate,,,3: alarm sign,,,,Refer now.,nice_ng59,x",
            "line 2 (danger), field 'at_least': k = 3 must be between 1 and 2.",
        ),
        ("danger,immediate,alarm,,,,,,,nice_ng59,x", "line 2 (danger), field 'action': is empty."),
    ],
    ids=[
        "unknown_finding",
        "unknown_flag",
        "level_outside_the_four",
        "empty_rule",
        "no_source",
        "unknown_reference",
        "bad_assumption",
        "unknown_score",
        "impossible_at_least",
        "no_action",
    ],
)
def test_a_bad_rule_is_an_error_naming_file_line_and_field(rules_copy, row, expected):
    write_rules(rules_copy, row)
    with pytest.raises(DataError) as info:
        kneesci.load(rules_copy)
    assert f"data/{RULES}, {expected}" in str(info.value)


def test_check_lists_every_problem_in_the_rules_file(rules_copy):
    write_rules(
        rules_copy,
        GOOD,
        "danger,immediate,alrm,,,,,,Refer now.,nice_ng59,x",
        "danger,emergency,alarm,,,,,,Refer now.,nice_ng59,x",
        "danger,urgent,,,,,,,Refer now.,nice_ng59,x",
        "danger,screen,alarm,,,,,,Refer now.,,x",
    )
    messages = [str(p) for p in check_folder(rules_copy).problems]
    for line, field in ((3, "all_of"), (4, "level"), (5, "all_of"), (6, "source")):
        assert any(f"{RULES}, line {line} (danger), field '{field}'" in m for m in messages), (
            line,
            messages,
        )
    assert len(messages) == 4, messages


def test_at_least_and_terms_work_from_the_files(rules_copy):
    (rules_copy / "red_flag_terms.csv").write_text(
        "term,label,any_of,source,note\neither,either sign,alarm sign,nice_ng59,x\n"
    )
    write_rules(
        rules_copy,
        "danger,urgent,,,2: alarm sign older,,,,Refer soon.,nice_ng59,x",
        "danger,screen,either,,,,,,Look.,nice_ng59,x",
    )
    tiny = kneesci.load(rules_copy)
    assert [c.level for c in tiny.concerns({"alarm": T})] == ["screen"]
    assert [c.level for c in tiny.concerns({"alarm": T, "older": T})] == ["urgent"]


def test_a_flag_without_rules_is_reported(rules_copy):
    write_rules(rules_copy)
    with pytest.raises(DataError, match="red flag 'danger' has no rule"):
        kneesci.load(rules_copy)
