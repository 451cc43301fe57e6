"""Confidence, calibration and progress that lasts (the learning loop).

Hand-worked numbers use the tiny knowledge base (tests/fixtures/tiny): priors alpha 0.2, beta 0.8;
P(sign | alpha) = 0.8, background 0.1. After "sign" is found, P(alpha) = 0.16 / 0.24 = 2/3.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kneesci.calibration import brier_score, calibration, reliability
from kneesci.calibration_plots import plot_calibration
from kneesci.game import Game, ScoreSheet
from kneesci.progress import Progress, class_summary, data_dir
from kneesci_testing.players import tiny_case  # the same tiny patient as the game's tests


def played(tiny, commit: str, confidence: float | None, diagnosis: str = "alpha"):
    game = Game(tiny_case(diagnosis), tiny)
    game.ask("sign")
    return game.commit(commit, confidence=confidence)


# --- committing with a confidence --------------------------------------------------------------


def test_commit_records_the_stated_confidence_and_the_models_own(tiny):
    feedback = played(tiny, "alpha", 0.9)
    assert feedback.confidence == 0.9
    assert feedback.model_probability == pytest.approx(2 / 3)
    assert "You said you were 90% sure; the model gives Alpha 67%" in feedback.message


@pytest.mark.parametrize("bad", [0, 0.0, -0.2, 1.01, 70])
def test_a_confidence_outside_zero_to_one_is_refused(tiny, bad):
    game = Game(tiny_case(), tiny)
    with pytest.raises(ValueError, match="above 0 and at most 1"):
        game.commit("alpha", confidence=bad)
    assert not game.finished  # the student can still commit with a valid confidence


@pytest.mark.parametrize("bad", ["70%", True, None.__class__])
def test_a_confidence_that_is_not_a_number_is_refused(tiny, bad):
    with pytest.raises(TypeError, match="between 0 and 1"):
        Game(tiny_case(), tiny).commit("alpha", confidence=bad)


def test_full_confidence_is_allowed(tiny):
    assert played(tiny, "alpha", 1).confidence == 1.0


# --- the Brier score -------------------------------------------------------------------------


def test_brier_score_hand_worked(tiny):
    sheet = ScoreSheet()
    sheet.add(played(tiny, "alpha", 0.8))  # right: (1 - 0.8)^2 = 0.04
    sheet.add(played(tiny, "beta", 0.6))  # wrong: 0.6^2 = 0.36
    sheet.add(played(tiny, "alpha", None))  # no confidence stated: not scored
    assert sheet.brier_score() == pytest.approx((0.04 + 0.36) / 2)


def test_hidden_answers_do_not_count_towards_the_brier_score(tiny):
    game = Game(tiny_case(), tiny, hide_answers=True)
    sheet = ScoreSheet()
    sheet.add(game.commit("alpha", confidence=0.9))
    assert sheet.brier_score() is None


def test_confidence_is_a_column_in_csv_and_json(tiny):
    sheet = ScoreSheet()
    sheet.add(played(tiny, "alpha", 0.75))
    header, row = sheet.to_csv().splitlines()
    columns = header.split(",")
    assert columns[-4:-2] == ["confidence", "model_probability"]  # then action, action_correct
    assert row.split(",")[columns.index("confidence")] == "0.75"
    assert ScoreSheet.from_json(sheet.to_json()).rows == sheet.rows
    assert ScoreSheet.from_csv(sheet.to_csv()).rows == sheet.rows


def test_a_sheet_saved_before_confidence_existed_still_reads():
    old = (
        '{"rows": [{"case_id": "a", "simulated": false, "committed": "x", "diagnosis": "x",'
        ' "correct": true, "questions_used": 2, "suggested_questions_to_lead": 1,'
        ' "red_flags_missed": false}]}'
    )
    assert ScoreSheet.from_json(old).rows[0]["confidence"] is None


# --- calibration ------------------------------------------------------------------------------

OVERCONFIDENT = [{"correct": c, "confidence": 0.9, "model_probability": 0.5} for c in (1, 0, 0, 1)]


def test_reliability_bands_hand_worked():
    rows = [
        {"correct": True, "confidence": 0.9},
        {"correct": False, "confidence": 0.85},
        {"correct": True, "confidence": 0.3},
    ]
    bands = reliability(rows)
    assert [(b.low, b.high, b.count) for b in bands] == [(0.2, 0.4, 1), (0.8, 1.0, 2)]
    assert bands[1].mean_confidence == pytest.approx(0.875)
    assert bands[1].accuracy == 0.5


def test_overconfidence_is_named():
    result = calibration(OVERCONFIDENT)
    assert result.gap == pytest.approx(0.4)
    assert "overconfident" in result.sentence()
    # The model said 50% on the same answers: 0.25 each, against the student's (0.01+0.81)/2.
    assert result.model_brier == pytest.approx(0.25)
    assert result.brier == pytest.approx(0.41)


def test_underconfidence_is_named():
    rows = [{"correct": True, "confidence": 0.4}] * 4
    assert "underconfident" in calibration(rows).sentence()


def test_calibration_waits_for_three_answers():
    assert calibration(OVERCONFIDENT[:2]) is None
    assert brier_score([]) is None


def test_the_calibration_view_has_words_and_points():
    display = plot_calibration(OVERCONFIDENT)
    assert "overconfident" in display.alt_text
    assert len(display.ax.collections) == 2  # the student's points and the model's
    assert display.to_png().startswith(b"\x89PNG")


def test_the_calibration_view_draws_on_a_given_axes():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    assert plot_calibration(OVERCONFIDENT, ax=ax).ax is ax


# --- progress that lasts ----------------------------------------------------------------------


def test_progress_is_kept_in_the_jupyter_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path / "kneesci"


def test_progress_survives_a_restart(tmp_path):
    """Two separate Python processes, as two kernel sessions: the second sees the first's game."""
    env = {"JUPYTER_DATA_DIR": str(tmp_path), "PATH": ""}
    play = textwrap.dedent(
        """
        import kneesci
        from kneesci.cases import load_cases
        from kneesci.game import Game
        from kneesci.progress import Progress
        kb = kneesci.load()
        case = load_cases(kb)["hip_oa_after_knee_replacement"]
        game = Game(case, kb)
        game.ask("knee_pain")
        Progress.open().record(game.commit("hip_osteoarthritis", confidence=0.8))
        """
    )
    subprocess.run([sys.executable, "-c", play], env=env, check=True)
    look = "from kneesci.progress import Progress; print(Progress.open().summary().text())"
    out = subprocess.run(
        [sys.executable, "-c", look], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert "Patients seen: 1." in out
    assert "Correct: 1 of 1 (100%)." in out


def test_an_unreadable_progress_file_is_kept_aside_not_lost(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{ not json")
    store = Progress.open(path)
    assert store.sheet.rows == []
    kept = list(tmp_path.glob("progress.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "{ not json"
    assert kept[0].name in store.notice


def test_progress_summary_counts(tiny, tmp_path):
    store = Progress.open(tmp_path / "p.json")
    store.record(played(tiny, "alpha", 0.9))
    store.record(played(tiny, "beta", 0.9))
    store.record(played(tiny, "alpha", 0.9))
    summary = Progress.open(tmp_path / "p.json").summary()
    assert (summary.cases, summary.scored, summary.correct) == (3, 3, 2)
    assert summary.mean_questions == 1.0
    assert summary.calibration is not None
    assert "Correct: 2 of 3 (67%)." in summary.text()


def test_class_summary_merges_exported_sheets(tiny, tmp_path):
    for student, answers in {"ana": ["alpha", "alpha"], "ben": ["beta", "alpha"]}.items():
        store = Progress.open(tmp_path / f"{student}.json")
        for answer in answers:
            store.record(played(tiny, answer, 0.7))
        store.export_csv(tmp_path / f"{student}.csv")
    summary = class_summary(sorted(tmp_path.glob("*.csv")), tiny, case_ids={"tiny_alpha"})
    assert (summary.students, summary.games) == (2, 4)
    assert summary.case_results == {"tiny_alpha": (4, 3)}
    assert summary.most_missed(1) == [("tiny_alpha", 0.25, 4)]
    assert "wrong in 25% of 4" in summary.text()


def test_class_summary_names_a_file_that_is_not_a_score_sheet(tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("name,mark\nana,7\n")
    with pytest.raises(ValueError, match="notes.csv: not a kneesci score sheet"):
        class_summary([bad], case_ids=())
