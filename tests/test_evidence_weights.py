"""Weights that match what was measured (issue: evidence v3).

A cited row's n may not exceed the patients its source examined, and a figure shared by several
conditions is cited only where the source reports each of those conditions; a figure reused for a
condition the study did not measure is an estimate leaning on it.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

import kneesci
from kneesci.loading import BACKGROUND

KB = kneesci.load()

# Patients each source examined, as its abstract or table states: the most that any of its
# figures can rest on. A row citing several sources may rest on their sum (a pooled figure).
STUDY_PATIENTS = {
    "abbas_merza2022": 118,  # knee OA at a rheumatology centre, Iraq
    "abraham2017": 312 + 47,  # 312 with polyneuropathy, 47 controls
    "alberta_lss2020": 97,
    "alvim2018": 1627,  # Baependi Heart Study residents screened by ABI (17 with PAD)
    "aprile2005": 69,
    "aprile_prelim": 69,
    "ayers2023": 9057,  # primary unilateral knee arthroplasty, FORCE-TJR
    "behrend2012": 5333,  # axial or radicular spinal pain, two academic centres
    "benson_schutzer1999": 14,  # operated post-traumatic piriformis syndrome (15 limbs)
    "bhs_sleep2018": 329,  # total hip replacements
    "bulut2020": 47,  # operated upper lumbar herniations (L1-2 3, L2-3 8, L3-4 32)
    "callaghan2012": 1031,  # HRS-Medicare: new claims diagnosis of peripheral neuropathy
    "capra2011": 2352,  # 1,305 with and 1,047 without a low lumbar herniation
    "chou2004": 54,
    "cihi_cjrr2023": 58348,  # knee replacement hospitalizations, Canada 2021-22 (OA 99.4%)
    "comer2013": 76,  # neurogenic claudication, primary-care physiotherapy (Leeds)
    "cpn_selective": 22,
    "dagostino2005": 600,  # painful knee OA, EULAR ultrasound study
    "davies2017": 368,  # PIPETTE: GP screening of adults with 2+ CV risk factors, 12 with PAD
    "deyo2013vasqip": 12154,  # veterans operated for lumbar stenosis (VASQIP 1998-2009)
    "dieppe2009": 1327,  # primary hip replacement for OA, 20 European centres (EUROHIP)
    "dobbs2016": 30,  # 25 with stenosis on MRI, 5 without
    "dreyfuss1996": 85,  # 45 block-positive, 40 block-negative
    "dube2015": 2250,  # OAI participants with radiographically confirmed knee OA
    "ducci2022": 380,  # EDX-confirmed polyneuropathy, tertiary neuromuscular centre, Brazil
    "ecq_noncalf2009": 1487,  # outpatients; 393 with PAD, about 122 with claudication
    "ekedahl2018": 99,
    "elldh178": 178,
    "erdogan2021": 32,  # operated L1-2 and L2-3 herniations with a fusion cage
    "errafia2019": 120,  # knee OA at a rheumatology consultation, Marrakech
    "felson2007": 2351,
    "fitzgerald2004": 105,
    "fores2022": 141520,  # Catalan primary-care records of PAD (SIDIAP-CMBD)
    "freedman2011": 2405,  # SPORT: disc herniation, stenosis, spondylolisthesis
    "fritz2021": 220,  # adults 18-60 consulting primary care with acute sciatica
    "geelong_selfreport2015": 1749,  # 906 men and 843 women
    "gerage2019": 174,  # claudicants with PAD, São Paulo physical-activity study
    "harding2005": 482,  # back pain triage clinic patients, none with serious pathology
    "hartstichting_pad2020": 4908,  # Dutch hospital admissions for PAD (I73.9), 2020
    "hindioglu2020": 30,  # peroneal neuropathies at an Istanbul EMG laboratory, 2016-19
    "hira_knee2009": 2135000,  # treated for gonarthrosis (M17), Korean health insurance 2009
    "imagama2011": 201,  # stenosis with intermittent claudication, orthopaedic outpatients
    "ingelsrud2019": 517,
    "iversen2001": 43,
    "iversen2013": 116,  # chronic radiculopathy referred to specialised care
    "iversen2016": 87,  # symptomatic radiographic knee OA, trial baseline
    "iwamoto2015pen": 17,  # operated peroneal nerve entrapments, Japanese neurosurgery
    "jeon2013": 61,  # foot drop: 28 peroneal neuropathies, 21 lumbar radiculopathies, 12 other
    "jin2025": 321,  # operated single-level disc herniations (L3/4 13, L4/5 148, L5/S1 160)
    "juch2017": 681,  # Mint trials (positive blocks): facet 251, sacroiliac 228, combination 202
    "karaaslan2017": 78,  # operated L1-2 and L2-3 herniations
    "katz1995": 93,
    "khan2004": 120,  # 60 awaiting hip arthroplasty, 60 awaiting decompression
    "khan2006": 47,  # effective n backed out of pooled LRs (no single cohort)
    "kim2017ldh": 524,  # herniation inpatients (367 followed up, 157 not), levels not shown
    "knoop2012": 105,
    "konno2007": 468,
    "konstantinou2015": 609,
    "konstantinou2019": 429,
    "kurosawa2017": 397,  # 127 SIJ dysfunction, 146 stenosis, 124 disc herniation
    "l3_series2009": 17,  # consecutive L3 radiculopathies confirmed by nerve root injection
    "laslett2005": 48,
    "laslett2006": 120,
    "lee1998": 31,  # high lumbar disc herniations (L1-2 13%, L2-3 29%, L3-4 58%), 14 operated
    "lee_son2024": 32,  # piriformis syndrome improved after sciatic nerve decompression
    "lesher2008": 51,
    "lroi_knee2023": 36351,  # primary knee arthroplasties, Dutch register 2023 (OA 97%)
    "lu2020": 185,  # decompressed common peroneal neuropathies, Washington University 2011-17
    "marmon_bilateral": 152,  # 68 bilateral and 84 unilateral knee OA
    "martin2010dgs": 35,  # deep gluteal sciatic entrapment treated endoscopically
    "martin2014": 33,  # 23 with endoscopic entrapment, 10 without
    "maslowski2010": 50,  # referred for fluoroscopic intra-articular hip injection
    "matharu2019": 60812,  # primary hip arthroplasties (operations), UK CPRD
    "matsudaira2016": 274,  # stenosis patients from 17 Japanese centres, 151 men
    "mcdermott1999": 460,
    "metcalfe2019": 1110,
    "morimoto2011": 137 + 134,  # hip OA before arthroplasty, operated disc herniations
    "morita2011": 96,  # MRI-defined one-level radicular lesions, 84 operated; 114 legs
    "muckelt2020": 23892,
    "murabito2005": 668,  # Framingham participants with incident claudication, 1950s-1990s
    "nhs_proms2019": 81130,  # elective hip replacement procedures, England 2018-19 (PROMs)
    "niigata_hernia177": 177,
    "nivel_vzinfo2020": 1557900,  # OA known to Dutch GPs, 2020 (hip 476,900, knee 746,100)
    "ontario_oa_backpain2010": 983,  # symptomatic hip or knee OA, pooled
    "osterbauer1993": 10,  # SIJ syndrome in a private chiropractic practice (of 153 new patients)
    "pace_pad2010": 5099,  # PAD patients followed up in German general practice (Fontaine stages)
    "pad_diabetes2014": 1637,
    "park2016dgs": 60,  # deep gluteal syndrome, endoscopic decompression (15 with major trauma)
    "parsons2018": 775,  # knees of 409 people: the unit of the figure is the knee
    "parvizi2010": 344,
    "pascoe1997": 44,  # subacute diabetic proximal neuropathy, Mayo Clinic (25 men, 19 women)
    "pdnscope2021": 1547,  # painful diabetic neuropathy outpatients, Chinese multicentre registry
    "pearson2011": 615 + 591,  # SPORT spinal stenosis and degenerative spondylolisthesis cohorts
    "peroneal_entrapment1998": 60,  # operated for peroneal entrapment at the fibular head
    "petersen2017": 181,  # Manchikanti 2000 rows: about 81 with, 100 without facet pain (CIs)
    "pinto2021": 59,  # lumbosacral radiculoplexus neuropathy, Olmsted County population-based
    "portrait2018": 1272,
    "portrait_bp2018": 1006,
    "poulsen2016": 109,
    "power2024": 626 + 754,  # hip and knee arthroplasty for OA, Toronto cohort
    "rainville2011": 50,
    "rayegani2019": 87,
    "roseen2025": 216,  # LSS trial recruited from the general public, Pittsburgh (of 259)
    "rotterdam2022": 4114,
    "rotterdam_pnp2016": 1310,
    "sacks2024": 123,  # microdiscectomies for disc herniation analysed (of 241), Stony Brook
    "santilli2023": 165,
    "sasaki2014": 210,  # single-level radiculopathies operated: 7 L3, 20 L4, 127 L5, 56 S1
    "shabat2002": 46,  # aged 65 and over, operated for lumbar spinal stenosis
    "shin2012": 41,  # operated upper lumbar disc herniations (levels not listed in the abstract)
    "siddiq2023": 38,  # piriformis syndrome at a community-based clinic, Bangladesh
    "sigmundsson2021": 15418,  # primary discectomies for disc herniation, Swespine 1998-2020
    "singh2013": 2910,  # outpatients with back or buttock pain and sciatica; 182 piriformis
    "skou2020": 13459,
    "slipman2000": 50,
    "stoffers1997": 2455,  # leg-complaint patients in general practice, 11.7% with a low ABPI
    "suri2010": 741,  # four studies in Table 3 of the JAMA review
    "suri2010events": 154,
    "suri2010oai": 1389,
    "suri2011jags": 133,  # 89 younger and 44 aged 60 or over, radicular pain, herniation on MRI
    "sutlive2008": 72,
    "tanenbaum2019": 500,  # 120 with coded spinal pathology and 380 at random
    "taylor2013": 174,  # 91 L5 and 83 S1 root compressions
    "thackeray2016": 120,  # nerve root compression signs, physiotherapy outpatients, Utah
    "thr_referral": 323,
    "tonosu2018": 154,  # 31 with SIJ pain, 123 with other low back pain
    "udby2023": 296,
    "ugalde1998": 36,  # 18 with PAD, 18 controls
    "upper_lumbar_discs": 16,  # 13 third and 3 second lumbar disc herniations operated
    "vanderwindt2010": 8224,
    "vanginckel2016": 164,  # medial knee OA, trial baseline, community volunteers
    "wang2012": 255,  # hip arthroplasty, knee pain before surgery
    "wang2017": 1000,  # eight pooled studies; n backed out of the CI (22) is far below
    "whang2015": 148,  # INSITE: sacroiliac joint pain, block-confirmed, 46 + 102 randomised
    "williamson2022boost": 435,  # BOOST trial: older adults with neurogenic claudication, England
    "xu2013": 569,
    "ylitalo2011": 2514,  # NHANES 2001-2004 adults 40+, about 274 with a low ABI (weighted 10.9%)
    "yuan2024": 60,  # endoscopic discectomy: 22 L1-2 or L2-3, 38 L4-5 herniations
    "yukawa1997": 512,  # single-level L4-5 or L5-S1 herniations, levels not separated
}

LOWER_ROOTS = frozenset({"l5_radiculopathy", "s1_radiculopathy"})
UPPER_ROOTS = frozenset({"l3_radiculopathy", "l4_radiculopathy"})

# Sources that report a figure for a group of conditions at once, and which model conditions
# that group stands for. A figure shared across conditions is cited only for these.
REPORTS = {
    # sciatica cohorts and herniation series with levels not separated: L5 and S1 make up most
    "konstantinou2019": LOWER_ROOTS,
    "ekedahl2018": LOWER_ROOTS,
    "vanderwindt2010": LOWER_ROOTS,
    "suri2010events": LOWER_ROOTS,
    "majlesi2008": LOWER_ROOTS,
    "suri2011jags": LOWER_ROOTS,
    "jin2025": LOWER_ROOTS,
    "kurosawa2017": LOWER_ROOTS,
    "kim2017ldh": LOWER_ROOTS,
    "sigmundsson2021": LOWER_ROOTS,
    "morimoto2011": LOWER_ROOTS | {"hip_osteoarthritis"},
    "yukawa1997": LOWER_ROOTS,
    "fritz2021": LOWER_ROOTS,
    "thackeray2016": LOWER_ROOTS,
    "sacks2024": LOWER_ROOTS,
    # upper lumbar herniation series with levels not separated: L3 and L4 make up most
    "shin2012": UPPER_ROOTS,
    "lee1998": UPPER_ROOTS,
    "bulut2020": UPPER_ROOTS,
    # L1-2 and L2-3 herniations only: the L3 root, not L4
    "karaaslan2017": {"l3_radiculopathy"},
    "yuan2024": {"l3_radiculopathy"},
    "erdogan2021": {"l3_radiculopathy"},
    # L4-5 and L5-S1 herniations on MRI, levels reported together
    "capra2011": LOWER_ROOTS,
    # reports each root separately (7 L3, 20 L4, 127 L5, 56 S1): its zero counts give L5 and S1
    # the same floor value
    "sasaki2014": UPPER_ROOTS | LOWER_ROOTS,
    # knee and hip OA pooled in one primary-care programme
    "muckelt2020": {"knee_osteoarthritis", "hip_osteoarthritis"},
    # Dutch general-practice registrations tabulated by type of osteoarthritis
    "nivel_vzinfo2020": {"knee_osteoarthritis", "hip_osteoarthritis"},
    # the entry criterion of back-related leg pain: every patient, whatever the cause
    "konstantinou2015": set(KB.condition_ids),
}


def cited_rows():
    """(number, condition, finding) for each cited likelihood, background or spectrum figure."""
    rows = []
    for number in KB.numbers:
        estimate = number.estimate
        if estimate.provenance.is_estimate or number.file == "priors.csv":
            continue
        if number.file.startswith("likelihoods/"):
            condition, finding = number.file.split("/")[1].removesuffix(".csv"), number.row
        elif number.file == "spectrum.csv":
            _, condition, finding = number.row.split("/")
        else:
            condition, finding = BACKGROUND, number.row
        rows.append((number, condition, finding))
    return rows


def test_no_cited_n_exceeds_the_patients_its_sources_examined():
    checked = 0
    for number, _, _ in cited_rows():
        n = number.estimate.n
        if n is None:
            continue
        keys = number.estimate.provenance.keys
        known = [k for k in keys if k in STUDY_PATIENTS]
        assert known, f"{number.name}: record the patients behind {keys} in STUDY_PATIENTS"
        assert n <= sum(STUDY_PATIENTS[k] for k in known), number.name
        checked += 1
    assert checked >= 100


def test_a_figure_shared_across_conditions_is_cited_only_where_the_source_reports_each():
    shared = defaultdict(set)
    for number, condition, finding in cited_rows():
        if condition != BACKGROUND:
            source = number.estimate.provenance.keys[0]
            shared[(source, finding, number.estimate.value)].add(condition)
    groups = {key: conditions for key, conditions in shared.items() if len(conditions) > 1}
    assert groups, "no shared figure found: the check would pass vacuously"
    for (source, finding, value), conditions in groups.items():
        assert conditions <= REPORTS.get(source, set()), (
            f"{source}'s {value} for {finding} is cited for {sorted(conditions)}, but the source "
            f"reports only {sorted(REPORTS.get(source, set()))}: make the others estimates"
        )


@pytest.mark.parametrize("condition", ["l5_radiculopathy", "s1_radiculopathy"])
@pytest.mark.parametrize("finding", ["slr_positive", "slump_positive"])
def test_injection_cohort_counts_are_labelled_as_positivity(condition, finding):
    estimate = KB.number_for(finding, condition, "primary_care").estimate
    assert estimate.provenance.keys == ("ekedahl2018",)
    assert estimate.provenance.note.startswith("positivity, not a sensitivity")
    assert estimate.population == "injection_cohort"
    assert "at most 39 of 99" in estimate.reference_standard


DERIVED_FROM_A_MEAN = ("normal spread", "spread evenly", "under a normal")


def test_an_age_share_computed_from_a_mean_is_an_estimate_not_a_citation():
    # A cohort's mean and SD give a share only under an assumed spread of ages; the share was
    # not read in the source, so it leans on the study with a pseudo-count, never the cohort's n.
    leaning = 0
    for number in KB.numbers:
        estimate = number.estimate
        note = estimate.provenance.note.lower()
        if any(words in note for words in DERIVED_FROM_A_MEAN):
            assert estimate.provenance.is_estimate and estimate.n is None, (
                f"{number.name}: a share derived from a mean age is an estimate leaning on it"
            )
            leaning += 1
    assert leaning >= 20  # the GLA:D, ATLAS, Poulsen, Iversen, Abraham and Tonosu age bands


def figures_in(note: str) -> set[float]:
    """Every proportion a note states: percentages, decimals and counts such as '12 of 17'."""
    found = {float(p) / 100 for p in re.findall(r"(\d+(?:\.\d+)?)\s*%", note)}
    found |= {float(d) for d in re.findall(r"(?<![\d.])(0\.\d+|1\.00?)(?!\d)", note)}
    for a, b in re.findall(r"(\d+)\s*(?:of|/)\s*(\d+)", note):
        if 0 < int(b) and int(a) <= int(b):
            found.add(int(a) / int(b))
    return found


def test_a_cited_value_is_a_figure_its_note_reads():
    # A cited row's value is the figure read, not a rounding or an adjustment of it: the note must
    # state it (or, for a false-positive rate, the specificity it complements).
    checked = 0
    for number, _, _ in cited_rows():
        value = number.estimate.value
        figures = figures_in(number.estimate.provenance.note)
        assert any(abs(value - f) <= 0.006 or abs(1 - value - f) <= 0.006 for f in figures), (
            f"{number.name}: {value} is not a figure its note states"
        )
        checked += 1
    assert checked >= 150


@pytest.mark.parametrize(
    "file, row",
    [
        # a figure measured for another condition
        ("spectrum.csv", "spine_clinic/si_joint_pain/slr_positive"),
        ("spectrum.csv", "spine_clinic/facet_joint_pain/slr_positive"),
        ("spectrum.csv", "primary_care_leg_pain/lumbar_spinal_stenosis/slr_positive"),
        ("spectrum.csv", "spine_clinic/si_joint_pain/extension_rotation_pain"),
        # an item about another finding (back pain, not leg pain, made worse by a cough)
        ("likelihoods/facet_joint_pain.csv", "cough_sneeze_aggravates"),
        ("spectrum.csv", "spine_clinic/background/cough_sneeze_aggravates"),
        # a read figure adjusted by judgement
        ("likelihoods/lumbar_spinal_stenosis.csv", "vascular_risk_factors"),
        ("likelihoods/peripheral_artery_disease.csv", "vascular_risk_factors"),
        ("findings.csv", "smoker"),
        ("findings.csv", "abi_below_0_9"),
        ("findings.csv", "on_anticoagulant_or_bleeding_disorder"),
        # a sensitivity worked out from a rounded likelihood ratio, not read
        ("likelihoods/peripheral_artery_disease.csv", "foot_ulcer"),
        # a share computed from other shares (a ratio of two percentages, prevalences by sex)
        ("likelihoods/peripheral_artery_disease.csv", "calf_pain"),
        ("likelihoods/peripheral_artery_disease.csv", "monofilament_loss"),
        # a lower or upper bound: a figure read for a narrower or broader finding
        ("likelihoods/knee_osteoarthritis.csv", "worse_with_walking_or_standing"),
        ("likelihoods/femoral_neuropathy.csv", "recent_bedridden_or_major_surgery"),
        ("likelihoods/peripheral_artery_disease.csv", "ischaemic_rest_pain"),
        ("likelihoods/facet_joint_pain.csv", "lumbar_movement_painful_or_limited"),
        ("spectrum.csv", "spine_clinic/background/lumbar_movement_painful_or_limited"),
        ("likelihoods/femoral_neuropathy.csv", "hip_flexion_weakness"),
        ("likelihoods/lumbar_spinal_stenosis.csv", "relieved_by_sitting_or_bending_forward"),
        ("likelihoods/lumbar_spinal_stenosis.csv", "great_toe_extension_weakness"),
        ("likelihoods/peripheral_neuropathy.csv", "reflexes_reduced_bilaterally"),
        ("likelihoods/peroneal_neuropathy.csv", "recent_bedridden_or_major_surgery"),
        ("likelihoods/si_joint_pain.csv", "sij_provocation_cluster_positive"),
        ("likelihoods/si_joint_pain.csv", "onset_after_lifting_or_bending"),
        ("findings.csv", "osteoporosis"),
        ("likelihoods/l3_radiculopathy.csv", "anterior_thigh_pain"),
        ("likelihoods/facet_joint_pain.csv", "spinal_pain_worse_on_straining"),
        ("spectrum.csv", "spine_clinic/background/spinal_pain_worse_on_straining"),
        # the audit of every cited note against its finding's meaning
        ("likelihoods/knee_osteoarthritis.csv", "night_pain"),
        ("likelihoods/hip_osteoarthritis.csv", "anterior_thigh_pain"),
        ("likelihoods/hip_osteoarthritis.csv", "hip_internal_rotation_limited"),
        ("likelihoods/si_joint_pain.csv", "significant_trauma"),
        ("likelihoods/piriformis_syndrome.csv", "significant_trauma"),
        ("likelihoods/l3_radiculopathy.csv", "hip_flexion_weakness"),
        ("likelihoods/l3_radiculopathy.csv", "quadriceps_weakness"),
        ("likelihoods/l5_radiculopathy.csv", "onset_after_lifting_or_bending"),
        ("likelihoods/s1_radiculopathy.csv", "onset_after_lifting_or_bending"),
        ("likelihoods/lumbar_spinal_stenosis.csv", "worse_with_walking_or_standing"),
        ("likelihoods/lumbar_spinal_stenosis.csv", "wide_based_gait"),
        ("likelihoods/peripheral_artery_disease.csv", "absent_foot_pulses"),
        ("likelihoods/peripheral_artery_disease.csv", "femoral_bruit"),
        ("likelihoods/peripheral_neuropathy.csv", "numbness_or_tingling"),
        ("likelihoods/peroneal_neuropathy.csv", "ankle_dorsiflexion_weakness"),
        ("likelihoods/peroneal_neuropathy.csv", "sensory_loss_dorsum_foot"),
        ("likelihoods/peroneal_neuropathy.csv", "prolonged_leg_crossing_or_squatting"),
        ("likelihoods/peroneal_neuropathy.csv", "pain_radiates_below_knee"),
        ("likelihoods/peroneal_neuropathy.csv", "significant_trauma"),
        ("likelihoods/peroneal_neuropathy.csv", "leg_plaster_paralysis_or_paresis"),
        ("findings.csv", "worse_with_walking_or_standing"),
        ("spectrum.csv", "spine_clinic/background/relieved_by_sitting_or_bending_forward"),
        ("spectrum.csv", "primary_care_leg_pain/background/relieved_by_sitting_or_bending_forward"),
        ("spectrum.csv", "spine_clinic/background/sij_provocation_cluster_positive"),
        ("spectrum.csv", "primary_care_leg_pain/background/sij_provocation_cluster_positive"),
        ("findings.csv", "absent_foot_pulses"),
        ("findings.csv", "hip_internal_rotation_limited"),
        ("findings.csv", "previous_dvt"),
        ("findings.csv", "ischaemic_rest_pain"),
        ("findings.csv", "gangrene"),
        ("findings.csv", "prosthetic_joint"),
        ("findings.csv", "reflexes_reduced_bilaterally"),
        ("spectrum.csv", "spine_clinic/s1_radiculopathy/achilles_reflex_reduced"),
        ("findings.csv", "knee_crepitus"),
        ("findings.csv", "knee_bony_tenderness"),
        ("findings.csv", "knee_bony_enlargement"),
    ],
)
def test_borrowed_figures_are_estimates_that_name_the_study(file, row):
    # Not seen in the source for this finding and condition: it leans on the study, with no n.
    estimate = KB.numbers[KB.number_index[(file, row)]].estimate
    assert estimate.provenance.is_estimate and estimate.n is None
    assert estimate.provenance.note.startswith("estimate leaning on")
