"""Clinical diagnostic rules for knee osteoarthritis, written as rules so they can be checked.

The ACR clinical classification criteria (Altman 1986): knee pain plus at least 3 of 6 items
(age over 50, morning stiffness under 30 minutes, crepitus, bony tenderness, bony enlargement, no
palpable warmth); sensitivity 0.95, specificity 0.69 in the development sample. NICE NG226
diagnoses osteoarthritis clinically, without imaging, at 45 or over with activity-related joint
pain and no morning stiffness or stiffness lasting 30 minutes or less. The items are the model's
finding ids, so a patient's findings can be checked directly; an item left out counts as absent.

>>> acr_knee_oa_items({"age_over_50": True, "knee_crepitus": True, "knee_palpable_warmth": False})
3
>>> acr_clinical_knee_oa({"knee_pain": True, "age_over_50": True, "knee_crepitus": True,
...                       "knee_palpable_warmth": False})
True
"""

from __future__ import annotations

from collections.abc import Mapping

# The six ACR items as finding ids; True means the item counts when the finding is present,
# False when it is recorded absent ("no palpable warmth").
ACR_KNEE_ITEMS: dict[str, bool] = {
    "age_over_50": True,
    "morning_stiffness_under_30_min": True,
    "knee_crepitus": True,
    "knee_bony_tenderness": True,
    "knee_bony_enlargement": True,
    "knee_palpable_warmth": False,
}
ACR_ITEMS_NEEDED = 3


def acr_knee_oa_items(findings: Mapping[str, bool]) -> int:
    """How many of the six ACR clinical items the recorded findings meet (unrecorded: not met)."""
    return sum(1 for fid, counts_when in ACR_KNEE_ITEMS.items() if findings.get(fid) is counts_when)


def acr_clinical_knee_oa(findings: Mapping[str, bool]) -> bool:
    """ACR clinical criteria for knee OA: knee pain plus at least 3 of the 6 items."""
    return findings.get("knee_pain") is True and acr_knee_oa_items(findings) >= ACR_ITEMS_NEEDED


def nice_clinical_oa(age: int, activity_related_pain: bool, morning_stiffness_minutes: int) -> bool:
    """NICE NG226 1.1.1: diagnose osteoarthritis clinically, without imaging, when all three hold.

    Age 45 or over, activity-related joint pain, and no morning joint stiffness or stiffness that
    lasts no longer than 30 minutes (pass 0 minutes for none).
    """
    if age < 0 or morning_stiffness_minutes < 0:
        raise ValueError("age and morning stiffness minutes cannot be negative.")
    return age >= 45 and activity_related_pain and morning_stiffness_minutes <= 30
