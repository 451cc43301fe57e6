"""Write docs/exercise-answers.md: every exercise's answer, as the current model gives it.

    python tools/exercise_answers.py

Run it after changing data/exercises.yaml or a number in data/; tests/test_exercises.py checks the
committed file is current.
"""

from __future__ import annotations

from pathlib import Path

import kneesci
from kneesci.exercises import answer_sheet

TARGET = Path(__file__).resolve().parent.parent / "docs" / "exercise-answers.md"

if __name__ == "__main__":
    TARGET.write_text(answer_sheet(kneesci.load()), encoding="utf-8")
    print(f"wrote {TARGET}")
