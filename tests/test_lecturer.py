"""The lecturer's class session: answers hidden in the game, the class's sheets merged from a folder
with no code to type, the summary and calibration shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kneesci.cases import game_order, load_cases
from kneesci.progress import Progress
from kneesci.widgets.game import DiagnosticGame
from kneesci.widgets.lecturer import ClassSheets
from kneesci_testing.players import class_sheets

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "lecturer_class_session.ipynb"


@pytest.fixture
def sheets(kb, tmp_path) -> Path:
    class_sheets(kb, tmp_path / "class_sheets")
    return tmp_path / "class_sheets"


def test_three_sheets_in_a_folder_make_the_class_summary(kb, sheets):
    widget = ClassSheets(sheets, kb)
    widget.read_button.click()
    shown = widget.summary.value
    assert "3 students, 9 games." in shown
    assert "Most often missed" in shown and "100%" in shown
    assert "Class calibration" in shown and "On average the class was 80% sure" in shown
    assert "<img" in shown and "alt=" in shown  # the reliability plot, with its alt text
    assert "Read 3 sheets: student-1.csv, student-2.csv, student-3.csv." in widget.notice.value


def test_the_summary_names_cases_by_both_titles(kb, sheets):
    missed = game_order(load_cases(kb))[1]
    widget = ClassSheets(sheets, kb)
    widget.read()
    assert missed.student_title in widget.summary.value
    assert missed.instructor_title in widget.summary.value


def test_an_uploaded_sheet_is_saved_in_the_folder_and_read(kb, tmp_path):
    source = class_sheets(kb, tmp_path / "handed_in", students=1)[0]
    widget = ClassSheets(tmp_path / "class_sheets", kb)
    widget._on_upload({"new": ({"name": "../../alice.csv", "content": source.read_bytes()},)})
    assert (tmp_path / "class_sheets" / "alice.csv").exists()  # its name only, never a path
    assert "1 students, 3 games." in widget.summary.value


def test_an_empty_folder_says_what_to_do(kb, tmp_path):
    widget = ClassSheets(tmp_path / "nothing_here", kb)
    assert widget.read() is None
    assert "No .csv sheets" in widget.notice.value and "Add sheets" in widget.notice.value


def test_a_file_that_is_not_a_sheet_is_named_not_a_traceback(kb, sheets):
    (sheets / "notes.csv").write_text("name,mark\nalice,3\n", "utf-8")
    widget = ClassSheets(sheets, kb)
    assert widget.read() is None
    assert "notes.csv" in widget.notice.value and "not a kneesci score sheet" in widget.notice.value


def test_the_hidden_game_reveals_only_when_the_lecturer_asks(kb, tmp_path):
    game = DiagnosticGame(kb, hide_answers=True, progress=Progress.open(tmp_path / "p.json"))
    case = game.game.case
    assert game.reveal_button.layout.display is None and game.reveal_button.disabled
    game.commit(case.diagnosis, 0.6)
    hidden = game.feedback_panel.value
    assert "hidden by the instructor" in hidden
    assert "Correct" not in hidden and "Not quite" not in hidden and "Teaching point" not in hidden
    assert not game.reveal_button.disabled
    game.reveal_button.click()
    assert "<b>Correct</b>" in game.feedback_panel.value
    assert "Teaching point" in game.feedback_panel.value


def test_students_can_download_their_results_without_code(kb, tmp_path):
    game = DiagnosticGame(kb, progress=Progress.open(tmp_path / "p.json"))
    assert game.download.value == ""
    game.commit(game.game.case.diagnosis, 0.8)
    assert "download='my-kneesci-results.csv'" in game.download.value
    assert game.reveal_button.layout.display == "none"


def test_the_lecturer_notebook_runs_the_game_with_answers_hidden(kb):
    nb = json.loads(NOTEBOOK.read_text("utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "DiagnosticGame(hide_answers=True)" in code
    assert 'ClassSheets("class_sheets")' in code
    assert nb["metadata"]["title"] == "kneesci class session (lecturer)"
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
