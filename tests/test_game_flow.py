"""The game on screen, as a class meets it: the picker gives nothing away, choosing a patient starts
it, and the feedback shows the verdict at a glance before the reasons."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kneesci.cases import WORKED_EXAMPLES, game_order, load_cases
from kneesci.progress import Progress
from kneesci.widgets.game import DiagnosticGame

NOTEBOOK_6 = Path(__file__).resolve().parent.parent / "notebooks" / "06_cases.ipynb"


@pytest.fixture(scope="module")
def library(kb):
    return load_cases(kb)


@pytest.fixture
def game(kb, tmp_path):
    return DiagnosticGame(kb, progress=Progress.open(tmp_path / "progress.json"))


def offered(game) -> list[str]:
    return [cid for _, cid in game.case_picker.options]


def adjacent_same_diagnosis(library, ids) -> int:
    return sum(
        library[a].diagnosis == library[b].diagnosis for a, b in zip(ids[:-1], ids[1:], strict=True)
    )


def test_notebook_6_solves_only_cases_the_game_never_serves(game, library):
    code = "".join(
        "".join(cell["source"])
        for cell in json.loads(NOTEBOOK_6.read_text("utf-8"))["cells"]
        if cell["cell_type"] == "code"
    )
    solved = set(re.findall(r'cases\["([a-z0-9_]+)"\]', code))
    assert solved, "notebook 6 has worked examples"
    assert solved <= set(WORKED_EXAMPLES) <= set(library)
    assert not solved & set(offered(game))
    assert len(offered(game)) == len(library) - len(WORKED_EXAMPLES)


def test_the_picker_order_is_a_fixed_shuffle_not_the_library_order(game, library):
    ids = offered(game)
    assert ids == [c.id for c in game_order(dict(reversed(library.items())))]  # stable
    library_order = [cid for cid in library if cid in ids]
    assert ids != library_order
    assert set(ids) == set(library_order)


def test_neighbours_in_the_picker_share_a_diagnosis_no_more_than_chance(game, library):
    ids = offered(game)
    counts = Counter(library[cid].diagnosis for cid in ids)
    # Expected same-diagnosis neighbours in a random order: sum of c(c-1) over n.
    chance = sum(c * (c - 1) for c in counts.values()) / len(ids)
    library_order = [cid for cid in library if cid in ids]
    assert adjacent_same_diagnosis(library, library_order) > 4 * chance  # grouped
    # A shuffle is random, not spread out: allow chance plus three standard deviations (the
    # count is roughly Poisson), far below the grouped library order.
    assert adjacent_same_diagnosis(library, ids) <= chance + 3 * chance**0.5


def test_choosing_a_patient_starts_that_patient(game, kb):
    first, second = offered(game)[:2]
    assert game.game.case.id == first
    game.commit(kb.condition_ids[0])
    assert all(b.disabled for b in game.buttons.values())
    game.case_picker.value = second
    assert game.game.case.id == second and not game.game.finished
    assert game.feedback_panel.value == ""
    assert not all(b.disabled for b in game.buttons.values())
    assert "starts them straight away" in game.start_help.value


def test_switching_to_practice_brings_a_simulated_patient(game, kb):
    game.mode.value = "practice"
    assert game.game.case.simulated
    game.condition_picker.value = "peroneal_neuropathy"
    assert game.game.case.id.startswith("simulated_peroneal_neuropathy")
    game.mode.value = "library"
    assert not game.game.case.simulated


def test_a_worked_example_can_still_be_played_by_id(game):
    game.new_patient(case_id=WORKED_EXAMPLES[0])
    assert game.game.case.id == WORKED_EXAMPLES[0]
    assert game.case_picker.value is None
    game.case_picker.value = offered(game)[3]
    assert game.game.case.id == offered(game)[3]


def test_the_pickers_and_the_hint_checkbox_are_not_cut_short(game):
    assert game.case_picker.layout.width == "100%"
    assert game.case_picker.style.description_width == "initial"
    assert game.show_hints.indent is False and game.show_hints.layout.width == "auto"


def test_the_verdict_comes_first_and_the_reasons_after(game, kb, library):
    case = next(
        c for c in library.values() if c.red_flags and c.id in offered(game)
    )  # a cauda equina case: a wrong answer with a missed red flag
    game.case_picker.value = case.id
    game.ask("low_back_pain")
    wrong = next(c for c in kb.condition_ids if c != case.diagnosis)
    game.commit(wrong)
    shown = game.feedback_panel.value
    verdict = re.search(r"<p class='kneesci-verdict'>(.*?)</p>", shown).group(1)
    assert "<b>Not quite</b>" in verdict and "kneesci-wrong" in shown
    assert shown.index("kneesci-verdict") < shown.index("Red flag") < shown.index("<ul>")
    assert "<details><summary>How the differential moved" in shown


def test_the_feedback_speaks_plainly(game, kb):
    game.case_picker.value = offered(game)[0]
    game.ask("knee_pain")
    game.commit(kb.condition_ids[0])
    shown = game.feedback_panel.value
    assert "information-gain" not in shown
    assert not re.search(r"\b[01] of them were\b|\b1 questions\b", shown)


def test_a_right_answer_is_marked_right_at_a_glance(kb, tmp_path, library):
    game = DiagnosticGame(kb, progress=Progress.open(tmp_path / "p.json"))
    case = library[offered(game)[0]]
    game.commit(case.diagnosis)
    assert "<b>Correct</b>" in game.feedback_panel.value
    assert "kneesci-right" in game.feedback_panel.value


def test_notebook_6_prints_no_game_case_id(game):
    outputs = "".join(
        "".join(out.get("text", ""))
        for cell in json.loads(NOTEBOOK_6.read_text("utf-8"))["cells"]
        for out in cell.get("outputs", [])
    )
    assert "top-1" in outputs  # the accuracy totals are still there
    assert not [cid for cid in offered(game) if cid in outputs]


def test_the_library_report_waits_behind_a_button(kb, library):
    from kneesci.widgets.library import LibraryReport

    report = LibraryReport(kb, library)
    assert report.body.value == ""
    report.toggle.value = True
    assert "far_lateral_l3_thigh_pain: diagnosis L3 radiculopathy" in report.body.value
    assert "Sources of the cases" in report.body.value
    report.toggle.value = False
    assert report.body.value == "" and report.toggle.description.startswith("Show")
