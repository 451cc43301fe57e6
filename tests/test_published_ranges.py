"""kb.post_test gives figures inside the published ranges for the matching population.

The ranges are the published figures with some slack (issue 9); each line names its setting.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "condition, finding, setting, low, high",
    [
        ("l5_radiculopathy", "slr_positive", "primary_care_leg_pain", None, 2.5),
        pytest.param(
            "s1_radiculopathy",
            "slr_positive",
            "spine_clinic",
            None,
            2.5,
            marks=pytest.mark.xfail(
                strict=True,
                reason="the spine-clinic SLR rows give LR+ about 2.8 against the clinic's mix; "
                "published surgical LR+ is about 1.3 (evidence review of the roots)",
            ),
        ),
        ("l5_radiculopathy", "crossed_slr_positive", "spine_clinic", 1.5, 5.0),
        ("si_joint_pain", "faber_positive", "spine_clinic", None, 2.5),
        ("si_joint_pain", "sij_provocation_cluster_positive", "spine_clinic", 2.5, 7.5),
        ("facet_joint_pain", "extension_rotation_pain", "spine_clinic", None, 2.5),
        ("piriformis_syndrome", "fair_test_positive", "primary_care_leg_pain", None, 8.0),
    ],
)
def test_positive_likelihood_ratio_in_the_published_range(
    kb, condition, finding, setting, low, high
):
    lr = kb.post_test(condition, finding, present=True, setting=setting).likelihood_ratio
    assert (low is None or lr >= low) and lr <= high, f"LR+ {lr:.2f}"


@pytest.mark.parametrize(
    "condition, finding, setting, high",
    [
        ("l5_radiculopathy", "slr_positive", "primary_care", 0.75),
        ("peripheral_artery_disease", "femoral_bruit", "primary_care", 0.35),
        ("l5_radiculopathy", "leg_pain_worse_than_back_pain", "primary_care_leg_pain", 0.72),
        ("l5_radiculopathy", "cough_sneeze_aggravates", "primary_care_leg_pain", 0.45),
    ],
)
def test_sensitivity_in_the_published_range(kb, condition, finding, setting, high):
    assert kb.post_test(condition, finding, setting=setting).sensitivity <= high
