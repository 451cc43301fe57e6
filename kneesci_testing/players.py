"""Players for the game's tests: a tiny case, and a class's score sheets written to a folder."""

from __future__ import annotations

from pathlib import Path

from kneesci.cases import Case, game_order, load_cases
from kneesci.game import Game, ScoreSheet


def tiny_case(diagnosis: str = "alpha", **findings: bool) -> Case:
    return Case(
        id=f"tiny_{diagnosis}",
        title="Tiny",
        age=None,
        sex="not stated",
        setting="clinic",
        complaint="Something hurts.",
        story="A story.",
        findings=findings or {"sign": True, "symptom": True},
        diagnosis=diagnosis,
        red_flags=(),
        teaching_point="Signs matter.",
        source=("nice_ng59",),
        source_note="test",
    )


def class_sheets(kb, folder: Path, students: int = 3) -> list[Path]:
    """Each student plays the same three cases, 80% sure: right on the first, wrong on the rest."""
    cases = game_order(load_cases(kb))[:3]
    paths = []
    for n in range(students):
        sheet = ScoreSheet()
        for i, case in enumerate(cases):
            game = Game(case, kb)
            game.ask("knee_pain")
            answer = (
                case.diagnosis
                if i == 0
                else next(c for c in kb.condition_ids if c != case.diagnosis)
            )
            sheet.add(game.commit(answer, confidence=0.8))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"student-{n + 1}.csv"
        path.write_text(sheet.to_csv(), "utf-8")
        paths.append(path)
    return paths
