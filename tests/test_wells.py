"""The two-level DVT Wells score (NICE NG158): points, the cut-off and the next test."""

import pytest

from kneesci.wells import (
    WELLS_DVT_ITEMS,
    wells_dvt_level,
    wells_dvt_next_step,
    wells_dvt_score,
)


def test_the_table_has_nine_one_point_features_and_one_minus_two():
    points = sorted(p for p, _ in WELLS_DVT_ITEMS.values())
    assert points == [-2] + [1] * 9


def test_swollen_tender_calf_after_a_plaster_cast_is_dvt_likely():
    score = wells_dvt_score(
        {"calf_swelling_3cm", "localised_deep_vein_tenderness", "paralysis_or_plaster"}
    )
    assert score == 3
    assert wells_dvt_level(score) == "DVT likely"
    assert "ultrasound with the result within 4 hours" in wells_dvt_next_step(score)


def test_one_point_is_dvt_unlikely_and_goes_to_a_d_dimer():
    score = wells_dvt_score({"calf_swelling_3cm": True, "pitting_oedema": False})
    assert score == 1
    assert wells_dvt_level(score) == "DVT unlikely"
    assert wells_dvt_next_step(score).startswith("D-dimer")


def test_dvt_likely_is_scanned_first_and_the_d_dimer_follows_a_negative_scan():
    # NG158 (2020): ultrasound within 4 hours, else interim anticoagulation and a scan within 24
    # hours; the D-dimer comes after a negative scan, not before the scan (CG144's older order).
    step = wells_dvt_next_step(2)
    assert step.startswith("Proximal leg vein ultrasound")
    assert step.index("interim therapeutic anticoagulation") < step.index("within 24 hours")
    assert step.index("within 24 hours") < step.index("D-dimer")
    assert "If the scan is negative, a D-dimer" in step


def test_cut_off_is_two_points():
    assert wells_dvt_level(2) == "DVT likely"
    assert wells_dvt_level(1) == "DVT unlikely"


def test_an_alternative_diagnosis_at_least_as_likely_takes_two_points_off():
    # Calf swelling and pitting oedema (2), but S1 sciatica explains the pain as well (-2): 0.
    items = {"calf_swelling_3cm", "pitting_oedema", "alternative_diagnosis_as_likely"}
    assert wells_dvt_score(items) == 0


def test_an_item_counts_once():
    assert wells_dvt_score(["previous_dvt", "previous_dvt"]) == 1


def test_a_misspelt_item_is_an_error_not_zero_points():
    with pytest.raises(ValueError, match="calf_swelling"):
        wells_dvt_score({"calf_swelling"})
