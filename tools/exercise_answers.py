"""Write the lecturer's answer sheet: every exercise's answer, as the current model gives it.

    python tools/exercise_answers.py            # writes build/exercise-answers.md

The sheet is generated, not committed: students open the course folder in JupyterLab, so a file of
answers in it would be one click away. Generate it on the lecturer's own machine.
"""

from __future__ import annotations

from pathlib import Path

import kneesci
from kneesci.exercises import answer_sheet

TARGET = Path(__file__).resolve().parent.parent / "build" / "exercise-answers.md"

if __name__ == "__main__":
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(answer_sheet(kneesci.load()), encoding="utf-8")
    print(f"wrote {TARGET}")
