"""The "both" panel, its text twin and the prediction panel, without a browser."""

from __future__ import annotations

import doctest
import importlib

import pytest

from kneesci.views.pairs_text import pairs_text
from kneesci.widgets.pairs_panel import PairsPanel
from kneesci.widgets.prediction_panel import LEADING, PredictionPanel

KNEE_AND_SPINE = {
    "knee_pain": True,
    "knee_crepitus": True,
    "relieved_by_sitting_or_bending_forward": True,
    "age_over_65": True,
}


def test_both_is_shown_with_the_findings_for_each_half(kb) -> None:
    panel = PairsPanel()
    panel.update(kb.differential(KNEE_AND_SPINE))
    assert panel.shown == ["knee_osteoarthritis+lumbar_spinal_stenosis"]
    knee_half = panel.body.value.split("For Knee osteoarthritis:")[1].split("</li>")[0]
    assert "Knee pain" in knee_half and "Knee crepitus" in knee_half
    assert "For Lumbar spinal stenosis: Eased by sitting or bending forward" in panel.body.value


def test_nothing_is_shown_without_evidence_for_a_second_condition(kb) -> None:
    panel = PairsPanel()
    panel.update(kb.differential({}))
    assert panel.shown == []
    assert "No pair" in panel.body.value
    assert pairs_text(kb.differential({})).startswith("No pair")


def test_the_text_twin_says_what_the_panel_shows(kb) -> None:
    dx = kb.differential(KNEE_AND_SPINE)
    panel = PairsPanel()
    panel.update(dx)
    first = pairs_text(dx).splitlines()[0]
    assert first.startswith("Both Knee osteoarthritis and Lumbar spinal stenosis")
    assert first in panel.body.value


def test_predict_applies_the_finding_and_keeps_score(kb) -> None:
    applied = {}
    panel = PredictionPanel(kb, lambda: dict(applied), applied.__setitem__)
    assert panel.condition.value == LEADING
    panel.finding.value = "knee_crepitus"
    panel.direction.value = "up"
    panel.size.value = "large"
    verdict = panel.predict()
    assert applied == {"knee_crepitus": True}
    assert verdict.prediction.condition == "knee_osteoarthritis"  # the leading one
    assert verdict.right and "Right:" in panel.verdict.value
    assert "2 of 2 points" in panel.running.value
    assert "knee_crepitus" not in dict(panel.finding.options).values()


@pytest.mark.parametrize(
    "module", ["kneesci.model.pairs", "kneesci.course.prediction", "kneesci.views.pairs_text"]
)
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed


def test_the_explorer_says_both_and_takes_a_prediction(kb) -> None:
    from kneesci.widgets.explorer import Explorer

    explorer = Explorer(kb, findings=KNEE_AND_SPINE)
    assert explorer.pairs_panel.shown == ["knee_osteoarthritis+lumbar_spinal_stenosis"]
    explorer.prediction.finding.value = "femoral_nerve_stretch_positive"
    explorer.prediction.direction.value = "down"
    explorer.prediction.size.value = "medium"
    verdict = explorer.prediction.predict()
    # applied as a click: the explorer's own findings and differential follow
    assert explorer.findings["femoral_nerve_stretch_positive"] is True
    assert explorer.differential.probability("knee_osteoarthritis") == pytest.approx(verdict.after)


def test_the_game_practises_what_the_student_missed(kb, tmp_path) -> None:
    from kneesci.course.progress import Progress
    from kneesci.widgets.game import MISSED, DiagnosticGame

    game = DiagnosticGame(kb, progress=Progress.open(tmp_path / "progress.json"))
    game.mode.value = MISSED
    first = game.game.case
    assert game.start_help.value.count("You have not met")
    wrong = next(c for c in kb.conditions if c != first.diagnosis)
    game.commit(wrong, 0.9)  # a confident miss
    game.new_patient()
    assert game.game.case.diagnosis == first.diagnosis
    assert (
        game.game.case.id != first.id
        or len([c for c in game.cases.values() if c.diagnosis == first.diagnosis]) == 1
    )
    assert "90% sure" in game.start_help.value
