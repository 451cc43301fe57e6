"""Textbook presentations: the model must reason the way the sources we teach from reason.

Each presentation is a classic picture of one condition, recorded as a clinician would record it
(findings present and findings looked for and absent), with the source of the picture beside it:
a reference key in data/references.csv or a note in /work/shared/reference/. The model passes when
the condition ranks first in the stated setting, or in the top two where the textbook itself says
the pair cannot be told apart at the bedside (the L3 and L4 roots).

A failure here means the evidence in data/ is wrong somewhere: find the row with
`dx.explain(condition)` and correct the evidence (with its source), never the presentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

T, F = True, False


@dataclass(frozen=True)
class Presentation:
    """One classic picture of a condition and where it comes from."""

    name: str
    condition: str
    setting: str
    findings: dict[str, bool] = field(hash=False)
    # Conditions the textbook says share this picture at the bedside (then top two is enough,
    # provided the other member of the top two is one of them).
    hard_to_separate_from: frozenset[str] = frozenset()


# The L3 and L4 roots and a femoral nerve or plexus lesion give the same anterior thigh and knee
# pain, weak quadriceps and reduced knee jerk (issue 11, anatomy.md §4.1). A picture that does not
# record what separates them (back pain, hip adductors, ankle dorsiflexion, diabetes) may put any
# two of them on top; the femoral-neuropathy tests at the end check the separating findings.
UPPER_LUMBAR_LOOKALIKES = frozenset({"l3_radiculopathy", "l4_radiculopathy", "femoral_neuropathy"})

PRESENTATIONS = [
    # --- L3 and L4: the roots that hurt at the knee ------------------------------------------
    # Harrison's table (Engstrom and Deyo) and the L3/L4 table in /work/shared/reference/anatomy.md
    # §4.1: anterior thigh and knee pain, weak hip flexion and quadriceps, knee jerk may fade,
    # femoral stretch positive, SLR usually negative. suri2011: the femoral stretch test is the
    # level-specific test at L3. The textbook cannot reliably split L3 from L4, hence top two.
    Presentation(
        "l3_anterior_thigh_and_knee",
        "l3_radiculopathy",
        "spine_clinic",
        {
            "age_over_50": T,
            "low_back_pain": T,
            "anterior_thigh_pain": T,
            "knee_pain": T,
            "pain_radiates_below_knee": F,
            "femoral_nerve_stretch_positive": T,
            "slr_positive": F,
            "hip_flexion_weakness": T,
            "quadriceps_weakness": T,
        },
        hard_to_separate_from=UPPER_LUMBAR_LOOKALIKES - {"l3_radiculopathy"},
    ),
    Presentation(
        "l3_in_primary_care",
        "l3_radiculopathy",
        "primary_care",
        {
            "anterior_thigh_pain": T,
            "knee_pain": T,
            "femoral_nerve_stretch_positive": T,
            "patellar_reflex_reduced": T,
            "quadriceps_weakness": T,
            "sensory_loss_anterior_thigh": T,
            "slr_positive": F,
            "knee_crepitus": F,
        },
        hard_to_separate_from=UPPER_LUMBAR_LOOKALIKES - {"l3_radiculopathy"},
    ),
    # anatomy.md §4.1 and Harrison's table: knee and medial shin pain, reduced knee jerk, weak
    # quadriceps, numb medial shin. niigata_hernia177: knee jerk reduced and L4 sensory change in
    # 67% of L3-4 herniations. suri2011: medial ankle pinprick and the patellar reflex point to L4.
    Presentation(
        "l4_knee_and_medial_shin",
        "l4_radiculopathy",
        "primary_care",
        {
            "low_back_pain": T,
            "knee_pain": T,
            "pain_radiates_below_knee": T,
            "femoral_nerve_stretch_positive": T,
            "patellar_reflex_reduced": T,
            "quadriceps_weakness": T,
            "sensory_loss_medial_leg": T,
            "slr_positive": F,
            "great_toe_extension_weakness": F,
        },
        hard_to_separate_from=UPPER_LUMBAR_LOOKALIKES - {"l4_radiculopathy"},
    ),
    Presentation(
        "l4_knee_pain_that_is_not_the_knee",
        "l4_radiculopathy",
        "primary_care",
        {
            "knee_pain": T,
            "pain_radiates_below_knee": T,
            "sensory_loss_medial_leg": T,
            "patellar_reflex_reduced": T,
            "quadriceps_weakness": T,
            "knee_crepitus": F,
            "knee_bony_tenderness": F,
        },
        hard_to_separate_from=UPPER_LUMBAR_LOOKALIKES - {"l4_radiculopathy"},
    ),
    # --- L5 and S1: sciatica proper --------------------------------------------------------------
    # Harrison's table: L5 pain down the lateral calf to the dorsum of the foot, weak toe
    # dorsiflexors, numb dorsum; deville2000: SLR positive in most surgically proven herniations;
    # niigata_hernia177: EHL weakness in 65% of L4-5 herniations; ankle jerk spared (S1 reflex).
    Presentation(
        "l5_sciatica_with_weak_big_toe",
        "l5_radiculopathy",
        "primary_care",
        {
            "age_over_50": F,
            "low_back_pain": T,
            "leg_pain_worse_than_back_pain": T,
            "pain_radiates_below_knee": T,
            "slr_positive": T,
            "great_toe_extension_weakness": T,
            "sensory_loss_dorsum_foot": T,
            "achilles_reflex_reduced": F,
            "knee_pain": F,
        },
    ),
    # Foot drop from the root: weak inversion and hip abduction as well (suri2011: hip abductor
    # weakness is the level-specific L5 sign; the peroneal contrast in evidence-starting-points.md).
    Presentation(
        "l5_foot_drop_with_weak_hip_abductors",
        "l5_radiculopathy",
        "spine_clinic",
        {
            "low_back_pain": T,
            "pain_radiates_below_knee": T,
            "foot_drop": T,
            "ankle_dorsiflexion_weakness": T,
            "great_toe_extension_weakness": T,
            "ankle_inversion_weakness": T,
            "hip_abduction_weakness": T,
            "slr_positive": T,
            "patellar_reflex_reduced": F,
        },
    ),
    # Harrison's table: S1 pain down the back of the thigh and calf to the sole, reduced ankle jerk,
    # weak plantarflexion, numb lateral foot; suri2011: the Achilles reflex is the useful low lumbar
    # test; niigata_hernia177: S1 sensory change in 44% of L5-S1 herniations.
    Presentation(
        "s1_sciatica_with_lost_ankle_jerk",
        "s1_radiculopathy",
        "primary_care",
        {
            "age_over_50": F,
            "low_back_pain": T,
            "leg_pain_worse_than_back_pain": T,
            "pain_radiates_below_knee": T,
            "slr_positive": T,
            "achilles_reflex_reduced": T,
            "sensory_loss_lateral_foot": T,
            "plantarflexion_weakness": T,
            "great_toe_extension_weakness": F,
        },
    ),
    Presentation(
        "s1_pain_behind_the_knee",
        "s1_radiculopathy",
        "spine_clinic",
        {
            "low_back_pain": T,
            "buttock_pain": T,
            "pain_behind_knee": T,
            "pain_radiates_below_knee": T,
            "cough_sneeze_aggravates": T,
            "slr_positive": T,
            "achilles_reflex_reduced": T,
            "great_toe_extension_weakness": F,
        },
    ),
    # --- Lumbar spinal stenosis ------------------------------------------------------------------
    # suri2010 (JAMA Rational Clinical Examination) and katz1995: older age, bilateral buttock or
    # leg symptoms brought on by walking or standing, eased by sitting or bending forward, not by
    # standing still; back pain in most; SLR usually negative.
    # In knee-pain primary care the knee OA prior (about ten to one) holds the two level until the
    # knee is examined: knee OA patients report back pain (57%, suri2010oai) and pain on activity
    # too. See test_examining_the_knee_separates_claudication_from_knee_osteoarthritis.
    Presentation(
        "stenosis_neurogenic_claudication",
        "lumbar_spinal_stenosis",
        "primary_care",
        {
            "age_over_65": T,
            "low_back_pain": T,
            "bilateral_leg_symptoms": T,
            "worse_with_walking_or_standing": T,
            "relieved_by_sitting_or_bending_forward": T,
            "relieved_by_standing_still": F,
            "slr_positive": F,
        },
        hard_to_separate_from=frozenset({"knee_osteoarthritis"}),
    ),
    # cook2011: the five-item cluster (bilateral symptoms, leg pain worse than back pain, pain on
    # walking or standing, relief on sitting, age over 48), derived in a tertiary spine setting;
    # standing still does not ease it (suri2010: exacerbation on standing).
    Presentation(
        "stenosis_cook_cluster",
        "lumbar_spinal_stenosis",
        "spine_clinic",
        {
            "age_over_50": T,
            "bilateral_leg_symptoms": T,
            "leg_pain_worse_than_back_pain": T,
            "worse_with_walking_or_standing": T,
            "relieved_by_sitting_or_bending_forward": T,
            "relieved_by_standing_still": F,
        },
    ),
    # --- Sacroiliac joint ------------------------------------------------------------------------
    # laslett2005: three or more positive provocation tests; slipman2000: buttock pain in 94% and
    # lower lumbar pain in 72% of block-confirmed patients, mean age 42; no root signs.
    Presentation(
        "sacroiliac_buttock_pain_with_positive_cluster",
        "si_joint_pain",
        "primary_care",
        {
            "age_over_50": F,
            "low_back_pain": T,
            "buttock_pain": T,
            "leg_pain_worse_than_back_pain": F,
            "pain_radiates_below_knee": F,
            "sij_provocation_cluster_positive": T,
            "slr_positive": F,
            "numbness_or_tingling": F,
        },
    ),
    # schwarzer1995: groin pain the referral pattern linked to a positive block; FABER provokes
    # posterior pelvic pain (named in evidence-notes B from a review table).
    Presentation(
        "sacroiliac_with_groin_referral",
        "si_joint_pain",
        "spine_clinic",
        {
            "buttock_pain": T,
            "low_back_pain": T,
            "groin_pain": T,
            "sij_provocation_cluster_positive": T,
            "faber_positive": T,
            "pain_radiates_below_knee": F,
            "slr_positive": F,
        },
    ),
    # --- Piriformis (deep gluteal) syndrome ------------------------------------------------------
    # hopayian2010: buttock pain, tenderness near the greater sciatic notch, worse sitting, pain on
    # manoeuvres that tension the piriformis; fishman2002: the FAIR test; neurology usually normal.
    Presentation(
        "piriformis_buttock_pain_worse_sitting",
        "piriformis_syndrome",
        "primary_care",
        {
            "age_over_50": F,
            "buttock_pain": T,
            "worse_with_sitting": T,
            "deep_gluteal_tenderness": T,
            "fair_test_positive": T,
            "low_back_pain": F,
            "great_toe_extension_weakness": F,
            "achilles_reflex_reduced": F,
        },
    ),
    # --- Peripheral polyneuropathy ---------------------------------------------------------------
    # kanji2010 (JAMA Rational Clinical Examination): in diabetes, reduced vibration sense and a
    # failed monofilament raise the likelihood; wang2017 (monofilament); symmetric distal loss.
    Presentation(
        "diabetic_stocking_neuropathy",
        "peripheral_neuropathy",
        "primary_care",
        {
            "diabetes": T,
            "stocking_distribution_numbness": T,
            "bilateral_leg_symptoms": T,
            "numbness_or_tingling": T,
            "vibration_loss_toes": T,
            "monofilament_loss": T,
            "achilles_reflex_reduced": T,
            "low_back_pain": F,
            "slr_positive": F,
        },
    ),
    # --- Common peroneal neuropathy --------------------------------------------------------------
    # /work/shared/reference/evidence-starting-points.md and fortier2021: foot drop with weak
    # eversion, inversion and hip abduction spared, Tinel at the fibular head, leg crossing or
    # squatting; no back pain, no root tension.
    Presentation(
        "peroneal_foot_drop_after_leg_crossing",
        "peroneal_neuropathy",
        "primary_care",
        {
            "prolonged_leg_crossing_or_squatting": T,
            "foot_drop": T,
            "ankle_dorsiflexion_weakness": T,
            "ankle_eversion_weakness": T,
            "ankle_inversion_weakness": F,
            "hip_abduction_weakness": F,
            "tinel_fibular_head": T,
            "low_back_pain": F,
            "slr_positive": F,
        },
    ),
    # --- Peripheral artery disease ---------------------------------------------------------------
    # khan2006 (JAMA Rational Clinical Examination): older smoker, exertional calf pain eased by
    # standing still, abnormal foot pulses; mcdermott1999: most have exertional leg symptoms.
    Presentation(
        "vascular_claudication",
        "peripheral_artery_disease",
        "primary_care",
        {
            "smoker": T,
            "age_over_65": T,
            "worse_with_walking_or_standing": T,
            "relieved_by_standing_still": T,
            "pain_radiates_below_knee": T,
            "absent_foot_pulses": T,
            "low_back_pain": F,
            "slr_positive": F,
        },
    ),
    Presentation(
        "vascular_claudication_referred_to_spine_clinic",
        "peripheral_artery_disease",
        "spine_clinic",
        {
            "age_over_65": T,
            "smoker": T,
            "worse_with_walking_or_standing": T,
            "relieved_by_standing_still": T,
            "absent_foot_pulses": T,
            "cool_skin_foot": T,
            "slr_positive": F,
        },
    ),
    # --- Facet joint pain ------------------------------------------------------------------------
    # cohen2007 and laslett2006: back-dominant pain referred to the buttock, not below the knee,
    # reproduced by extension-rotation, no root signs. Both sources stress that no bedside test
    # proves it; the picture is the textbook one, not a diagnosis.
    Presentation(
        "facet_back_dominant_pain",
        "facet_joint_pain",
        "spine_clinic",
        {
            "age_over_50": T,
            "low_back_pain": T,
            "buttock_pain": T,
            "leg_pain_worse_than_back_pain": F,
            "pain_radiates_below_knee": F,
            "extension_rotation_pain": T,
            "slr_positive": F,
            "numbness_or_tingling": F,
            "cough_sneeze_aggravates": F,
        },
    ),
    # --- Knee osteoarthritis ---------------------------------------------------------------------
    # altman1986: knee pain with age over 50, stiffness under 30 minutes, crepitus, bony tenderness,
    # bony enlargement and no palpable warmth; nice_ng226: activity-related pain.
    Presentation(
        "knee_oa_acr_clinical_criteria",
        "knee_osteoarthritis",
        "primary_care",
        {
            "knee_pain": T,
            "age_over_50": T,
            "morning_stiffness_under_30_min": T,
            "knee_crepitus": T,
            "knee_bony_tenderness": T,
            "knee_bony_enlargement": T,
            "knee_palpable_warmth": F,
            "low_back_pain": F,
        },
    ),
    Presentation(
        "knee_oa_nice_definition",
        "knee_osteoarthritis",
        "primary_care",
        {
            "age_over_50": T,
            "knee_pain": T,
            "worse_with_walking_or_standing": T,
            "morning_stiffness_under_30_min": T,
            "knee_crepitus": T,
            "numbness_or_tingling": F,
        },
    ),
    # --- Hip osteoarthritis ----------------------------------------------------------------------
    # altman1991: painful internal rotation under 15 degrees, short morning stiffness, age over 50;
    # poulsen2016 and khan2004: groin pain, knee pain in a minority; sutlive2008: scour positive.
    Presentation(
        "hip_oa_felt_at_the_knee",
        "hip_osteoarthritis",
        "primary_care",
        {
            "age_over_50": T,
            "groin_pain": T,
            "knee_pain": T,
            "hip_internal_rotation_limited": T,
            "hip_scour_positive": T,
            "morning_stiffness_under_30_min": T,
            "low_back_pain": F,
            "slr_positive": F,
        },
    ),
    Presentation(
        "hip_oa_groin_and_thigh",
        "hip_osteoarthritis",
        "primary_care",
        {
            "age_over_50": T,
            "groin_pain": T,
            "anterior_thigh_pain": T,
            "hip_internal_rotation_limited": T,
            "painful_squat": T,
            "numbness_or_tingling": F,
            "femoral_nerve_stretch_positive": F,
        },
    ),
    # --- Femoral neuropathy / lumbar plexopathy: the peripheral mimic of L3/L4 ------------------
    # dyck2002 and pinto2021: diabetic lumbosacral radiculoplexus neuropathy starts with severe
    # anterior thigh pain, then weakness and wasting of the quadriceps with a lost knee jerk,
    # in an older person with diabetes; back pain is usually absent. The femoral nerve spares
    # the obturator-supplied hip adductors and the ankle dorsiflexors (anatomy.md, nerve table).
    Presentation(
        "diabetic_thigh_pain_with_wasted_quadriceps",
        "femoral_neuropathy",
        "primary_care",
        {
            "age_over_65": T,
            "diabetes": T,
            "anterior_thigh_pain": T,
            "quadriceps_weakness": T,
            "quadriceps_wasting": T,
            "patellar_reflex_reduced": T,
            "low_back_pain": F,
            "hip_adduction_weakness": F,
            "ankle_dorsiflexion_weakness": F,
        },
    ),
    # The saphenous picture: knee buckling, numb inner shin and a reduced knee jerk, as an L4 root
    # would give, but with strong hip adductors and ankle dorsiflexion and no back pain.
    Presentation(
        "knee_gives_way_with_numb_inner_shin_and_no_back_pain",
        "femoral_neuropathy",
        "spine_clinic",
        {
            "knee_buckling": T,
            "quadriceps_weakness": T,
            "patellar_reflex_reduced": T,
            "sensory_loss_medial_leg": T,
            "low_back_pain": F,
            "hip_adduction_weakness": F,
            "ankle_dorsiflexion_weakness": F,
            "cough_sneeze_aggravates": F,
        },
    ),
]


def test_every_condition_has_a_classic_presentation(kb):
    assert {p.condition for p in PRESENTATIONS} == set(kb.conditions)


def test_presentations_are_five_to_nine_findings_with_some_absent():
    assert PRESENTATIONS, "nothing to check"
    for p in PRESENTATIONS:
        assert 5 <= len(p.findings) <= 9, p.name
        assert True in p.findings.values() and False in p.findings.values(), p.name


@pytest.mark.parametrize("presentation", PRESENTATIONS, ids=lambda p: p.name)
def test_classic_presentation_ranks_its_condition_first(kb, presentation):
    ranked = [c for c, _ in kb.differential(presentation.findings, presentation.setting).ranked()]
    if not presentation.hard_to_separate_from:
        assert ranked[0] == presentation.condition, ranked[:3]
    else:
        # Among look-alikes the condition is in the leading group, and everything ranked above it
        # is one of its look-alikes. (L3 and its two look-alikes: a root-injection series found
        # weakness in 2 of 17 L3 radiculopathies, so weak quadriceps now leans to L4 and the
        # femoral nerve, and the three cannot be separated at the bedside.)
        place = ranked.index(presentation.condition)
        assert place <= len(presentation.hard_to_separate_from), ranked[:4]
        assert set(ranked[:place]) <= presentation.hard_to_separate_from, ranked[:4]


# --- The teaching contrasts ----------------------------------------------------------------------

LEG_PAIN = {"low_back_pain": True, "leg_pain_worse_than_back_pain": True}
UPPER_ROOT_SIGNS = {"femoral_nerve_stretch_positive": True, "patellar_reflex_reduced": True}


@pytest.mark.parametrize("root", ["l3_radiculopathy", "l4_radiculopathy"])
def test_femoral_stretch_and_reduced_knee_jerk_move_upper_roots_up(kb, root):
    # suri2011: FST with the patellar reflex, LR 7.0 for mid-lumbar impingement.
    before = kb.differential(LEG_PAIN).probability(root)
    after = kb.differential({**LEG_PAIN, **UPPER_ROOT_SIGNS}).probability(root)
    assert after > 2 * before


@pytest.mark.parametrize("root", ["l5_radiculopathy", "s1_radiculopathy"])
def test_femoral_stretch_and_reduced_knee_jerk_move_lower_roots_down(kb, root):
    before = kb.differential(LEG_PAIN).probability(root)
    after = kb.differential({**LEG_PAIN, **UPPER_ROOT_SIGNS}).probability(root)
    assert after < before / 2


def test_numb_medial_shin_tips_l4_over_l3(kb):
    # suri2011: medial ankle pinprick loss was specific for the L4 level.
    findings = {**LEG_PAIN, **UPPER_ROOT_SIGNS, "knee_pain": True, "sensory_loss_medial_leg": True}
    dx = kb.differential(findings)
    assert dx.probability("l4_radiculopathy") > dx.probability("l3_radiculopathy")


FOOT_DROP = {
    "foot_drop": True,
    "ankle_dorsiflexion_weakness": True,
    "great_toe_extension_weakness": True,
}


def test_foot_drop_with_inversion_and_hip_abduction_spared_favours_peroneal_over_l5(kb):
    spared = {"ankle_inversion_weakness": False, "hip_abduction_weakness": False}
    dx = kb.differential({**FOOT_DROP, **spared})
    assert dx.probability("peroneal_neuropathy") > dx.probability("l5_radiculopathy")


@pytest.mark.parametrize("setting", ["spine_clinic", "primary_care_leg_pain"])
def test_foot_drop_with_inversion_and_hip_abduction_weak_favours_l5_over_peroneal(kb, setting):
    # In back-related leg pain and the spine clinic, where foot drop is usually the root's.
    weak = {"ankle_inversion_weakness": True, "hip_abduction_weakness": True}
    dx = kb.differential({**FOOT_DROP, **weak}, setting)
    assert dx.probability("l5_radiculopathy") > dx.probability("peroneal_neuropathy")


@pytest.mark.parametrize("setting", ["primary_care", "spine_clinic", "primary_care_leg_pain"])
def test_weak_inversion_and_hip_abduction_move_the_odds_tenfold_towards_l5(kb, setting):
    # In every setting the two muscles the peroneal nerve does not supply are the deciding test,
    # even where (primary care, knee-pain presentations) the peroneal nerve stays more likely.
    def odds(spared_or_weak: bool) -> float:
        both = {
            "ankle_inversion_weakness": spared_or_weak,
            "hip_abduction_weakness": spared_or_weak,
        }
        dx = kb.differential({**FOOT_DROP, **both}, setting)
        return dx.probability("l5_radiculopathy") / dx.probability("peroneal_neuropathy")

    assert odds(True) > 10 * odds(False)


# An older smoker whose calf pain comes on with walking: vascular or neurogenic claudication?
EXERTIONAL_LEG_PAIN = {
    "age_over_65": True,
    "smoker": True,
    "worse_with_walking_or_standing": True,
    "pain_radiates_below_knee": True,
}


@pytest.mark.parametrize(
    "knee_examined", [{"knee_pain": False}, {"knee_crepitus": False, "knee_bony_tenderness": False}]
)
def test_examining_the_knee_separates_claudication_from_knee_osteoarthritis(kb, knee_examined):
    claudication = next(
        p for p in PRESENTATIONS if p.name == "stenosis_neurogenic_claudication"
    ).findings
    dx = kb.differential({**claudication, **knee_examined}, "primary_care")
    assert dx.top == "lumbar_spinal_stenosis"
    assert dx.probability("knee_osteoarthritis") < dx.probability("lumbar_spinal_stenosis") / 4


def test_relief_by_standing_still_favours_vascular_over_neurogenic_claudication(kb):
    dx = kb.differential({**EXERTIONAL_LEG_PAIN, "relieved_by_standing_still": True})
    assert dx.probability("peripheral_artery_disease") > dx.probability("lumbar_spinal_stenosis")


def test_relief_by_sitting_or_flexion_favours_neurogenic_over_vascular_claudication(kb):
    relief = {"relieved_by_sitting_or_bending_forward": True, "relieved_by_standing_still": False}
    dx = kb.differential({**EXERTIONAL_LEG_PAIN, **relief})
    assert dx.probability("lumbar_spinal_stenosis") > dx.probability("peripheral_artery_disease")


def test_stocking_numbness_with_diabetes_favours_polyneuropathy_over_stenosis(kb):
    # Older adult with numbness in both legs: the classic stenosis / neuropathy confusion.
    both_legs = {"age_over_65": True, "bilateral_leg_symptoms": True, "numbness_or_tingling": True}
    dx = kb.differential({**both_legs, "stocking_distribution_numbness": True, "diabetes": True})
    assert dx.top == "peripheral_neuropathy"
    assert dx.probability("peripheral_neuropathy") > 5 * dx.probability("lumbar_spinal_stenosis")


def test_knee_pain_alone_in_an_older_adult_favours_knee_over_hip_osteoarthritis(kb):
    dx = kb.differential({"age_over_50": True, "knee_pain": True})
    assert dx.probability("knee_osteoarthritis") > dx.probability("hip_osteoarthritis")


def test_groin_pain_and_painful_limited_hip_rotation_turn_knee_pain_towards_the_hip(kb):
    # altman1991 (internal rotation), poulsen2016 and khan2004 (groin pain in hip OA).
    findings = {
        "age_over_50": True,
        "knee_pain": True,
        "groin_pain": True,
        "hip_internal_rotation_limited": True,
    }
    dx = kb.differential(findings)
    assert dx.probability("hip_osteoarthritis") > dx.probability("knee_osteoarthritis")


BY_NAME = {p.name: p for p in PRESENTATIONS}


@pytest.mark.parametrize("name", ["knee_oa_acr_clinical_criteria", "l5_sciatica_with_weak_big_toe"])
@pytest.mark.parametrize("symptom", ["saddle_anaesthesia", "bladder_or_bowel_dysfunction"])
def test_cauda_equina_red_flag_is_raised_whatever_the_ranking(kb, name, symptom):
    # girft2023_ces and bmj_bp_ces: with back or leg pain either symptom means immediate referral,
    # whatever else fits; new saddle numbness does so even without pain. Bladder trouble with knee
    # pain alone is screened (0.3 levels of concern).
    presentation = BY_NAME[name]
    dx = kb.differential({**presentation.findings, symptom: True}, presentation.setting)
    ces = {c.flag: c.level for c in dx.concerns}["cauda_equina_syndrome"]
    if symptom == "saddle_anaesthesia" or name == "l5_sciatica_with_weak_big_toe":
        assert ces == "immediate"
        assert "cauda_equina_syndrome" in dx.red_flags
    else:
        assert ces == "screen"
    assert dx.top == presentation.condition


# --- Femoral neuropathy against the L3 and L4 roots (issue 11, done-when) ---------------------
# Weak quadriceps and a reduced knee jerk point to the root only against a saphenous lesion: a
# femoral nerve or plexus lesion gives both. What separates them is the obturator-supplied hip
# adductors (spared by the femoral nerve), back pain, and the diabetic setting of DLRPN.
FEMORAL_NERVE_PATIENT = {
    "low_back_pain": False,
    "quadriceps_weakness": True,
    "patellar_reflex_reduced": True,
    "sensory_loss_medial_leg": True,
    "diabetes": True,
    "hip_adduction_weakness": False,
}
ROOT_LIKE_PATIENT = {
    **FEMORAL_NERVE_PATIENT,
    "low_back_pain": True,
    "hip_adduction_weakness": True,
    "diabetes": False,
}


@pytest.mark.parametrize("setting", ["primary_care", "spine_clinic", "primary_care_leg_pain"])
def test_femoral_nerve_patient_puts_femoral_neuropathy_in_the_top_two(kb, setting):
    ranked = [c for c, _ in kb.differential(FEMORAL_NERVE_PATIENT, setting).ranked()]
    assert "femoral_neuropathy" in ranked[:2], ranked[:3]


@pytest.mark.parametrize("setting", ["primary_care", "spine_clinic", "primary_care_leg_pain"])
def test_back_pain_weak_adductors_and_no_diabetes_rank_a_root_above_femoral_neuropathy(kb, setting):
    dx = kb.differential(ROOT_LIKE_PATIENT, setting)
    best_root = max(dx.probability("l3_radiculopathy"), dx.probability("l4_radiculopathy"))
    assert best_root > dx.probability("femoral_neuropathy")


@pytest.mark.parametrize("root", ["l3_radiculopathy", "l4_radiculopathy"])
def test_strong_hip_adductors_favour_femoral_neuropathy_over_each_root(kb, root):
    # The single teaching contrast: adductors tested strong move the odds towards the nerve.
    weak = kb.differential({"quadriceps_weakness": True, "hip_adduction_weakness": True})
    strong = kb.differential({"quadriceps_weakness": True, "hip_adduction_weakness": False})

    def odds(dx):
        return dx.probability("femoral_neuropathy") / dx.probability(root)

    assert odds(strong) > odds(weak)


# --- Red flags: each 0.2 trigger raises its flag with its companion, whatever the ranking ---------
# Vocabulary 0.3 raises flags from rules, not single findings: each 0.2 trigger with the finding
# its rule weighs it with (back pain, older age, a perfusion sign is part of the finding itself).
REQUIRED_TRIGGERS = {
    "cauda_equina_syndrome": [
        ("saddle_anaesthesia", {"low_back_pain": True}),
        ("bladder_or_bowel_dysfunction", {"low_back_pain": True}),
        ("bilateral_leg_weakness", {"low_back_pain": True}),
        ("new_sexual_dysfunction", {"pain_radiates_below_knee": True}),
    ],
    "spinal_malignancy": [
        ("history_of_cancer", {"low_back_pain": True, "thoracic_pain": True}),
        ("unexplained_weight_loss", {"low_back_pain": True, "age_over_60": True}),
    ],
    "spinal_infection": [("fever", {"low_back_pain": True})],
    "spinal_fracture": [("significant_trauma", {"low_back_pain": True, "age_over_65": True})],
    "deep_vein_thrombosis": [
        ("unilateral_calf_swelling", {"alternative_diagnosis_as_likely": False})
    ],
    "acute_limb_ischaemia": [("sudden_cold_pale_leg", {})],
    "septic_arthritis": [("hot_swollen_knee", {})],
}
ONE_TRIGGER = [(flag, f, c) for flag, triggers in REQUIRED_TRIGGERS.items() for f, c in triggers]


@pytest.mark.parametrize(("flag", "trigger", "companion"), ONE_TRIGGER, ids=str)
def test_each_trigger_with_its_companion_raises_its_red_flag(kb, flag, trigger, companion):
    assert flag in kb.differential({trigger: True, **companion}).red_flags
    # ...and beside a benign, confidently ranked knee.
    knee = BY_NAME["knee_oa_acr_clinical_criteria"]
    dx = kb.differential({**knee.findings, trigger: True, **companion}, knee.setting)
    assert flag in dx.red_flags


@pytest.mark.parametrize(("flag", "trigger", "companion"), ONE_TRIGGER, ids=str)
def test_a_trigger_answered_no_raises_nothing(kb, flag, trigger, companion):
    assert kb.differential({trigger: False}).red_flags == []


def test_cauda_equina_action_is_immediate_referral_with_emergency_mri(kb):
    # girft2023_ces and bmj_bp_ces: immediate, not "urgent same-day".
    (concern,) = kb.concerns({"low_back_pain": True, "saddle_anaesthesia": True})
    action = concern.action.lower()
    assert "immediate" in action
    assert "24/7 mri" in action and "4 hours" in action
    assert "same-day" not in action


def test_cauda_equina_text_carries_the_14_day_qualifier(kb):
    assert (
        "new within 14 days, or getting worse" in kb.red_flags["cauda_equina_syndrome"].description
    )


def test_every_red_flag_has_its_own_rules_actions_and_source(kb):
    checked = list(kb.red_flags.values())
    assert checked, "nothing to check"
    for flag in checked:
        rules = [r for r in kb.red_flag_rules if r.flag == flag.id]
        assert rules, flag.id
        assert all(r.action and r.source for r in rules), flag.id
        assert not flag.provenance.is_estimate, flag.id
        assert "placeholder" not in flag.description + flag.provenance.note, flag.id
