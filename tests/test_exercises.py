"""The exercise bank: every notebook exercise comes from data, and no answer is readable early."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from kneesci.errors import DataError
from kneesci.exercises import build, get_exercise, load_specs, read_specs
from kneesci.widgets import MultipleChoice, NumericAnswer, exercise

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-7]_*.ipynb"))
CALL = re.compile(r'exercise\("(\d\d\.\d+)"\)')


@pytest.fixture(scope="module")
def bank(kb):
    return {eid: build(spec, kb) for eid, spec in load_specs(kb).items()}


def sources(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def sentences(text: str) -> list[str]:
    """The explanation's sentences long enough to be recognisable."""
    return [s.strip() for s in re.split(r"(?<=[.:;])\s+", text) if len(s.strip()) >= 30]


def test_every_exercise_in_the_bank_builds_with_its_answer_among_the_options(bank):
    checked = list(bank.values())
    assert checked, "nothing to check"
    for ex in checked:
        if ex.kind == "choice":
            assert ex.answer in ex.options, ex.id
        else:
            assert isinstance(ex.answer, float), ex.id
        assert ex.explanation and "{" not in ex.explanation, ex.id


def test_each_notebook_calls_its_own_exercises_once_each_in_order(bank):
    called = []
    for path in NOTEBOOKS:
        ids = [m for cell in sources(path) for m in CALL.findall(cell.source)]
        assert ids == sorted(ids), path.name
        assert all(bank[i].notebook == path.stem for i in ids), path.name
        called += ids
    assert sorted(called) == sorted(bank), "every exercise in the bank is used exactly once"


def test_no_notebook_builds_an_exercise_with_its_answer_in_the_code():
    assert NOTEBOOKS, "nothing to check"
    for path in NOTEBOOKS:
        for cell in sources(path):
            if cell.cell_type == "code":
                assert not re.search(r"\b(MultipleChoice|NumericAnswer)\(", cell.source), (
                    path.name,
                    cell.source[:80],
                )
                assert "answer=" not in cell.source and "explanation=" not in cell.source


def test_no_notebook_source_contains_an_answer_or_its_explanation(bank):
    assert NOTEBOOKS, "nothing to check"
    for path in NOTEBOOKS:
        cells = sources(path)
        text = "\n".join(c.source for c in cells)
        flat = " ".join(text.split())
        for ex in bank.values():
            for sentence in sentences(ex.explanation):
                assert sentence not in flat, (path.name, ex.id, sentence)
        for i, cell in enumerate(cells):
            for eid in CALL.findall(cell.source):
                ex = bank[eid]
                lead_in = cells[i - 1].source if i and cells[i - 1].cell_type == "markdown" else ""
                if ex.kind == "choice" and len(str(ex.answer)) > 3:
                    # the answer may be a common word elsewhere, but never right above the question
                    assert str(ex.answer) not in lead_in, (path.name, eid)
                    assert str(ex.answer) not in cell.source, (path.name, eid)


def test_what_a_student_sees_before_answering_holds_no_answer_or_explanation(bank):
    checked = list(bank.items())
    assert checked, "nothing to check"
    for eid, ex in checked:
        widget = exercise(eid)
        shown = repr(widget) + widget.prompt.value + widget.status.value
        for sentence in sentences(ex.explanation):
            assert sentence not in shown, eid
        assert "Correct" not in shown and "answer is" not in shown


def test_the_explanation_appears_only_after_checking():
    quiz = exercise("01.1")
    assert "ISNCSCI" not in quiz.status.value
    feedback = quiz.check("L4")
    assert feedback.correct and "ISNCSCI" in quiz.status.value


def test_exercises_are_the_right_widget_and_optional_ones_say_so():
    assert isinstance(exercise("01.1"), MultipleChoice)
    assert isinstance(exercise("05.1"), NumericAnswer)
    assert "optional extension" in repr(exercise("04.1"))
    assert "optional" not in repr(exercise("04.2"))


def test_computed_answers_follow_the_model(kb, bank):
    # 05.3 (0.3 levels): only patient 5 (saddle numbness) is an immediate referral; patient 2's
    # bladder trouble without back or leg pain is screened, patient 4's foot drop is urgent
    assert bank["05.3"].answer == 1
    assert "Patient 5:" in bank["05.3"].explanation
    # 02.1: 0.60 / (1 - 0.95) = 12
    assert bank["02.1"].answer == pytest.approx(12)
    assert bank["03.1"].answer == kb.conditions[kb.differential({"knee_pain": True}).top].label


def test_an_unknown_exercise_id_names_the_ones_there_are(kb):
    with pytest.raises(KeyError, match="01.1"):
        get_exercise("99.9", kb)


def test_a_bank_with_an_answer_outside_its_options_is_refused(tmp_path):
    path = tmp_path / "exercises.yaml"
    path.write_text(
        "- {id: '09.1', notebook: x, kind: choice, question: Which, options: [A, B], answer: C,\n"
        "   explanation: E.}\n"
    )
    with pytest.raises(DataError, match=r"09\.1.*answer 'C' is not one of the options"):
        read_specs(path)


def test_a_bank_naming_an_unknown_answer_function_is_refused(tmp_path):
    path = tmp_path / "exercises.yaml"
    path.write_text(
        "- {id: '09.1', notebook: x, kind: number, question: Which,\n"
        "   compute: guess, explanation: E.}\n"
    )
    with pytest.raises(DataError, match="no answer function 'guess'"):
        read_specs(path)


def test_the_lecturers_answer_sheet_gives_every_answer(kb):
    from kneesci.exercises import answer_sheet, build, load_specs

    sheet = answer_sheet(kb)
    checked = list(load_specs(kb).values())
    assert checked, "nothing to check"
    for spec in checked:
        exercise = build(spec, kb)
        assert f"**{exercise.id}**" in sheet
        assert exercise.explanation in sheet
