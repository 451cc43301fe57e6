"""The two-level DVT Wells score, as NICE NG158 uses it to decide the next test for a suspected DVT.

Calf pain from an S1 root and calf pain from a deep vein thrombosis can feel alike; a swollen calf
sends the clinician to this score, not to the differential. Items and cut-off are those of NICE
NG158's two-level DVT Wells score (adapted from Wells 2003): one point for each clinical feature,
minus two if another diagnosis is at least as likely; 2 points or more is "DVT likely".

>>> wells_dvt_score({"calf_swelling_3cm", "pitting_oedema", "localised_deep_vein_tenderness"})
3
>>> wells_dvt_level(3)
'DVT likely'
>>> wells_dvt_score({"calf_swelling_3cm", "alternative_diagnosis_as_likely"})
-1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# id -> (points, the feature as NICE NG158's table words it)
WELLS_DVT_ITEMS: dict[str, tuple[int, str]] = {
    "active_cancer": (1, "Active cancer (treatment ongoing, within 6 months, or palliative)"),
    "paralysis_or_plaster": (
        1,
        "Paralysis, paresis or recent plaster immobilisation of the lower extremities",
    ),
    "bedridden_or_major_surgery": (
        1,
        "Recently bedridden for 3 days or more, or major surgery within 12 weeks requiring "
        "general or regional anaesthesia",
    ),
    "localised_deep_vein_tenderness": (
        1,
        "Localised tenderness along the distribution of the deep venous system",
    ),
    "entire_leg_swollen": (1, "Entire leg swollen"),
    "calf_swelling_3cm": (1, "Calf swelling at least 3 cm larger than the asymptomatic side"),
    "pitting_oedema": (1, "Pitting oedema confined to the symptomatic leg"),
    "collateral_superficial_veins": (1, "Collateral superficial veins (non-varicose)"),
    "previous_dvt": (1, "Previously documented DVT"),
    "alternative_diagnosis_as_likely": (
        -2,
        "An alternative diagnosis is at least as likely as DVT",
    ),
}
DVT_LIKELY_FROM = 2  # NG158: 2 points or more is "DVT likely"; 1 point or less "DVT unlikely"

NEXT_STEP = {
    # NG158 (2020) 1.1.4-1.1.6: the scan first; interim anticoagulation bridges a delay; the D-dimer
    # follows a negative scan (the D-dimer-first ordering was CG144's, 2012).
    "DVT likely": (
        "Proximal leg vein ultrasound with the result within 4 hours of the request; if that is "
        "not possible, interim therapeutic anticoagulation and the scan within 24 hours. If the "
        "scan is negative, a D-dimer test."
    ),
    "DVT unlikely": (
        "D-dimer test (result within 4 hours, or interim anticoagulation); if positive, a proximal "
        "leg vein ultrasound."
    ),
}


def wells_dvt_score(items: Iterable[str] | Mapping[str, bool]) -> int:
    """Sum the points of the features present. Accepts item ids, or a mapping id -> present.

    An unknown id is an error rather than zero points: a misspelt item must not lower a score.
    """
    present = [k for k, v in items.items() if v] if isinstance(items, Mapping) else list(items)
    unknown = sorted(set(present) - set(WELLS_DVT_ITEMS))
    if unknown:
        known = ", ".join(WELLS_DVT_ITEMS)
        raise ValueError(f"unknown Wells item(s) {', '.join(unknown)}; known items: {known}.")
    return sum(WELLS_DVT_ITEMS[item][0] for item in set(present))


def wells_dvt_level(score: int) -> str:
    """'DVT likely' (2 points or more) or 'DVT unlikely' (1 point or less), as in NICE NG158."""
    return "DVT likely" if score >= DVT_LIKELY_FROM else "DVT unlikely"


def wells_dvt_next_step(score: int) -> str:
    """The next test NICE NG158 recommends for this score."""
    return NEXT_STEP[wells_dvt_level(score)]


# The knowledge base's finding id for each Wells item (vocabulary 0.3 records them one by one).
WELLS_FINDINGS: dict[str, str] = {
    "active_cancer": "active_cancer",
    "leg_plaster_paralysis_or_paresis": "paralysis_or_plaster",
    "recent_bedridden_or_major_surgery": "bedridden_or_major_surgery",
    "calf_tenderness": "localised_deep_vein_tenderness",
    "whole_leg_swollen": "entire_leg_swollen",
    "unilateral_calf_swelling": "calf_swelling_3cm",
    "pitting_oedema_one_leg": "pitting_oedema",
    "collateral_superficial_veins": "collateral_superficial_veins",
    "previous_dvt": "previous_dvt",
    "alternative_diagnosis_as_likely": "alternative_diagnosis_as_likely",
}


@dataclass(frozen=True)
class WellsFromFindings:
    """The Wells score from what is known about a patient, and what is not yet known."""

    score: int  # the features recorded present; unknown items count nothing
    highest: int  # the score if every unknown item with positive points were present
    unknown: tuple[str, ...]  # finding ids of the Wells items not yet asked

    @property
    def level(self) -> str:
        return wells_dvt_level(self.score)


def wells_from_findings(findings: Mapping[str, bool]) -> WellsFromFindings:
    """Score the two-level Wells score from finding ids (True present, False absent, left out
    unknown), naming the items still unknown."""
    present = {WELLS_FINDINGS[f] for f, v in findings.items() if v and f in WELLS_FINDINGS}
    unknown = tuple(f for f in WELLS_FINDINGS if f not in findings)
    score = wells_dvt_score(present)
    lift = sum(max(WELLS_DVT_ITEMS[WELLS_FINDINGS[f]][0], 0) for f in unknown)
    return WellsFromFindings(score, score + lift, unknown)
