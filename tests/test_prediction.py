"""Predict, then see: the scoring, by hand on the tiny knowledge base (alpha 0.2, beta 0.8;
`sign` 0.8 in alpha, 0.1 in beta; `symptom` 0.5 in alpha, 0.25 in beta)."""

from __future__ import annotations

import pytest

from kneesci.course.prediction import (
    Prediction,
    PredictionScore,
    class_tally,
    judge,
    size_of,
)


def test_size_cut_offs_are_documented_points() -> None:
    assert [size_of(x) for x in (0.0, 0.049, 0.05, 0.199, 0.20, -0.5)] == [
        "small",
        "small",
        "medium",
        "medium",
        "large",
        "large",
    ]


def test_a_right_prediction_scores_two(tiny) -> None:
    # alpha: 0.2 -> 0.16 / (0.16 + 0.08) = 2/3, up by 47 points: large
    verdict = judge(tiny, {}, Prediction("alpha", "sign", True, "up", "large"), "clinic")
    assert verdict.before == pytest.approx(0.2)
    assert verdict.after == pytest.approx(2 / 3)
    assert (verdict.direction, verdict.size, verdict.points) == ("up", "large", 2)
    # odds 0.25 -> 2: the likelihood ratio of the sign is 8 (0.8 / 0.1)
    assert verdict.likelihood_ratio == pytest.approx(8.0)


def test_right_direction_wrong_size_scores_one_and_explains(tiny) -> None:
    # symptom absent: alpha 0.2*0.5 = 0.1 against beta 0.8*0.75 = 0.6 -> 1/7, down 5.7 points
    verdict = judge(tiny, {}, Prediction("alpha", "symptom", False, "down", "large"), "clinic")
    assert verdict.after == pytest.approx(1 / 7)
    assert (verdict.direction, verdict.size) == ("down", "medium")
    assert verdict.points == 1
    # odds 0.25 -> 1/6: ratio 2/3 (0.5 / 0.75)
    assert verdict.likelihood_ratio == pytest.approx(2 / 3)
    assert "likelihood ratio of 0.67" in verdict.text()


def test_wrong_direction_scores_nothing(tiny) -> None:
    verdict = judge(tiny, {}, Prediction("alpha", "sign", True, "down", "large"), "clinic")
    assert verdict.points == 0
    assert verdict.text().startswith("Not quite")


def test_a_finding_already_recorded_cannot_be_predicted(tiny) -> None:
    with pytest.raises(ValueError, match="already recorded"):
        judge(tiny, {"sign": True}, Prediction("alpha", "sign", True, "up", "small"), "clinic")


def test_bad_words_are_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        Prediction("alpha", "sign", True, "sideways", "small")
    with pytest.raises(ValueError, match="size"):
        Prediction("alpha", "sign", True, "up", "huge")


def test_running_score(tiny) -> None:
    score = PredictionScore()
    score.add(judge(tiny, {}, Prediction("alpha", "sign", True, "up", "large"), "clinic"))
    score.add(judge(tiny, {}, Prediction("alpha", "symptom", False, "down", "large"), "clinic"))
    assert (score.points, score.possible) == (3, 4)
    assert score.text().startswith("3 of 4 points; 1 of 2")


def test_class_tally_merges_sheets_and_names_a_bad_one(tiny, tmp_path) -> None:
    sheets = []
    for direction in ("up", "up", "down"):
        score = PredictionScore()
        score.add(judge(tiny, {}, Prediction("alpha", "sign", True, direction, "large"), "clinic"))
        sheets.append(score.export_csv(tmp_path / f"student_{len(sheets)}.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text(sheets[0].read_text().replace(",up,", ",sideways,"))
    tally = class_tally([*sheets, bad], tiny)
    key = ("alpha", "sign", True)
    assert tally.students == 3
    assert tally.answers[key] == {"up large": 2, "down large": 1}
    assert tally.right[key] == (3, 2, 2)
    assert tally.problems == ("bad.csv, line 2, field 'direction': 'sideways' is not up or down.",)
