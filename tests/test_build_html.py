"""The HTML build: widgets become static snapshots (image and text), with no exercise answer,
and case cards print one patient per page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

from kneesci.cards import case_cards_html
from kneesci.cases import load_cases

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("build_html", ROOT / "tools" / "build_html.py")
build_html = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_html)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from kneesci.widgets import Explorer, exercise\n"
            "Explorer(findings={'saddle_anaesthesia': True})"
        ),
        nbformat.v4.new_code_cell('exercise("01.1")'),
    ]
    path = folder / "tiny.ipynb"
    nbformat.write(nb, path)
    executed = build_html.run(path)
    count = build_html.snapshot_widgets(executed)
    return executed, count


def html_of(nb, cell: int) -> str:
    return "".join(
        "".join(out.get("data", {}).get("text/html", "")) for out in nb.cells[cell].outputs
    )


def test_every_widget_becomes_a_snapshot_not_a_placeholder(built):
    nb, count = built
    assert count == 2
    for cell in nb.cells:
        for out in cell.outputs:
            assert build_html.WIDGET_VIEW not in out.get("data", {})
    assert "widgets" not in nb.metadata


def test_the_explorer_snapshot_has_its_chart_with_alt_text_and_its_words(built):
    page = html_of(built[0], 0)
    assert 'id="kneesci-differential-chart"' in page
    # The chart is HTML written in the explorer's style sheet, which the snapshot carries.
    assert 'role="img" aria-label="Bar chart of the differential' in page
    assert ".kneesci-hchart" in page
    assert "Suspected cauda equina syndrome" in page and "Entered so far (1)" in page
    assert "Symptoms (1 of" in page  # the sections, as closed disclosures with their counts


def test_the_exercise_snapshot_shows_the_question_and_options_but_no_answer(built):
    page = html_of(built[0], 1)
    assert "medial malleolus" in page and "&#9675; L4" in page
    assert "ISNCSCI" not in page and "Correct" not in page


def test_case_cards_name_no_diagnosis_for_students_and_give_it_to_instructors(kb):
    cases = load_cases(kb)
    students = case_cards_html(kb, cases)
    instructors = case_cards_html(kb, cases, instructor=True)
    assert students.count('class="card"') == len(cases)
    assert "break-after: page" in students
    case = next(iter(cases.values()))
    assert case.story not in students and case.story in instructors
    assert f"Diagnosis:** {kb.conditions[case.diagnosis].label}" in instructors or (
        kb.conditions[case.diagnosis].label in instructors
    )
    for condition in kb.conditions.values():
        assert condition.label.lower() not in students.lower(), condition.label


def test_the_guides_are_rendered_as_pages(tmp_path):
    pages = {p.name: p.read_text() for p in build_html.render_docs(tmp_path)}
    guide = pages["lecturer-guide.html"]
    assert "<h2>Lesson plans (50 minutes each)</h2>" in guide
    assert "<table>" in guide  # the timings tables
    assert 'href="editing-the-knowledge-base.html"' in guide  # links point at the HTML twins
    assert "editing-the-knowledge-base.html" in pages
