"""Progress that lasts: results kept between sessions, and a class summary for the lecturer.

Every committed game is appended to one file in the user's Jupyter data directory (never in the
course repository, so pulling a new version of the notebooks cannot overwrite it):

>>> import tempfile, pathlib
>>> store = Progress.open(pathlib.Path(tempfile.mkdtemp()) / "progress.json")
>>> store.summary().cases
0

A lecturer collects the CSV files students export (`Progress.export_csv`) and merges them with
`class_summary`: which cases are most often missed, and which red flags.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .calibration import Calibration, calibration
from .game import Feedback, ScoreSheet

FILE_NAME = "progress.json"


def data_dir() -> Path:
    """The user's Jupyter data directory (as Jupyter itself resolves it), plus `kneesci`.

    JUPYTER_DATA_DIR is honoured, so a JupyterHub or a test can point it elsewhere.
    """
    try:
        from jupyter_core.paths import jupyter_data_dir
    except ImportError:  # a slim install without Jupyter's own packages
        root = os.environ.get("JUPYTER_DATA_DIR") or _platform_data_dir()
    else:
        root = jupyter_data_dir()
    return Path(root) / "kneesci"


def _platform_data_dir() -> str:
    home = Path.home()
    if sys.platform == "darwin":
        return str(home / "Library" / "Jupyter")
    if os.name == "nt":
        return str(Path(os.environ.get("APPDATA", home)) / "jupyter")
    return str(Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "jupyter")


@dataclass(frozen=True)
class ProgressSummary:
    """What a student can see of her own progress."""

    cases: int
    scored: int
    correct: int
    mean_questions: float | None
    mean_suggested_questions: float | None  # the information-gain order, on the same cases
    red_flags_missed: int
    calibration: Calibration | None

    def text(self) -> str:
        if not self.cases:
            return "No patients yet: play a case in the game and your progress is kept here."
        lines = [f"Patients seen: {self.cases}."]
        if self.scored:
            share = self.correct / self.scored
            lines.append(f"Correct: {self.correct} of {self.scored} ({share:.0%}).")
        if self.mean_questions is not None:
            line = f"Questions per patient: {self.mean_questions:.1f}"
            if self.mean_suggested_questions is not None:
                line += (
                    " (the model's information-gain order needed "
                    f"{self.mean_suggested_questions:.1f} to bring the diagnosis to the top)"
                )
            lines.append(line + ".")
        lines.append(f"Red flags missed: {self.red_flags_missed}.")
        lines.append(
            self.calibration.sentence()
            if self.calibration
            else "Say how sure you are when you commit; calibration appears after three answers."
        )
        return "\n".join(lines)


def summarise(sheet: ScoreSheet) -> ProgressSummary:
    rows = sheet.rows
    scored = [r for r in rows if r.get("correct") is not None]
    questions = [r["questions_used"] for r in rows if r.get("questions_used") is not None]
    suggested = [
        r["suggested_questions_to_lead"]
        for r in rows
        if r.get("suggested_questions_to_lead") is not None
    ]
    return ProgressSummary(
        cases=len(rows),
        scored=len(scored),
        correct=sum(bool(r["correct"]) for r in scored),
        mean_questions=sum(questions) / len(questions) if questions else None,
        mean_suggested_questions=sum(suggested) / len(suggested) if suggested else None,
        red_flags_missed=sum(bool(r.get("red_flags_missed")) for r in rows),
        calibration=calibration(rows),
    )


class Progress:
    """A score sheet that saves itself after every game, in the user's Jupyter data directory."""

    def __init__(self, path: Path, sheet: ScoreSheet, notice: str = ""):
        self.path = path
        self.sheet = sheet
        # Said once to the student when the file had to be set aside (nothing is deleted).
        self.notice = notice

    @classmethod
    def open(cls, path: str | Path | None = None) -> Progress:
        """Open (or start) the progress file; an unreadable one is kept aside, never overwritten."""
        path = Path(path) if path is not None else data_dir() / FILE_NAME
        if not path.exists():
            return cls(path, ScoreSheet())
        try:
            sheet = ScoreSheet.from_json(path.read_text("utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as err:
            kept = path.with_name(f"{path.stem}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}.json")
            path.replace(kept)
            return cls(
                path,
                ScoreSheet(),
                f"Your progress file could not be read ({err}); it was kept as {kept.name} "
                "and a new one started.",
            )
        return cls(path, sheet)

    def record(self, feedback: Feedback) -> None:
        """Add one committed game and save at once."""
        self.sheet.add(feedback)
        self.save()

    def save(self) -> Path:
        # Write a temporary file and swap it in, so a crash mid-write cannot lose earlier results.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(self.sheet.to_json(), "utf-8")
        partial.replace(self.path)
        return self.path

    def summary(self) -> ProgressSummary:
        return summarise(self.sheet)

    def export_csv(self, path: str | Path) -> Path:
        """The sheet as CSV, to hand in to the lecturer."""
        path = Path(path)
        path.write_text(self.sheet.to_csv(), "utf-8")
        return path


@dataclass(frozen=True)
class ClassSummary:
    """A class's merged score sheets."""

    students: int
    games: int
    case_results: dict[str, tuple[int, int]]  # case id -> (games scored, correct)
    red_flags_missed: dict[str, int]  # case id -> games in which a red flag was missed
    calibration: Calibration | None

    def most_missed(self, n: int = 5) -> list[tuple[str, float, int]]:
        """(case id, share answered wrongly, games) for the cases most often missed."""
        rates = [
            (case, 1.0 - right / played, played)
            for case, (played, right) in self.case_results.items()
            if played
        ]
        return sorted(rates, key=lambda r: (-r[1], -r[2], r[0]))[:n]

    def text(self) -> str:
        lines = [f"{self.students} students, {self.games} games."]
        missed = [m for m in self.most_missed() if m[1] > 0]
        if missed:
            lines.append("Most often missed:")
            lines += [f"  {case}: wrong in {rate:.0%} of {n}" for case, rate, n in missed]
        if self.red_flags_missed:
            lines.append("Red flags missed:")
            lines += [
                f"  {case}: {count} game{'s' if count != 1 else ''}"
                for case, count in sorted(self.red_flags_missed.items(), key=lambda kv: -kv[1])
            ]
        if self.calibration:
            lines.append("Class calibration: " + self.calibration.sentence())
        return "\n".join(lines)


def class_summary(paths: Iterable[str | Path]) -> ClassSummary:
    """Merge students' exported CSV sheets into one class summary; a bad file is named."""
    sheets = []
    for path in paths:
        path = Path(path)
        sheets.append(ScoreSheet.from_csv(path.read_text("utf-8-sig"), name=path.name))
    rows = [row for sheet in sheets for row in sheet.rows]
    played: Counter[str] = Counter()
    right: Counter[str] = Counter()
    flags: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        if row.get("correct") is not None:
            played[row["case_id"]] += 1
            right[row["case_id"]] += bool(row["correct"])
        if row.get("red_flags_missed"):
            flags[row["case_id"]] += 1
    return ClassSummary(
        students=len(sheets),
        games=len(rows),
        case_results={c: (played[c], right[c]) for c in played},
        red_flags_missed=dict(flags),
        calibration=calibration(rows),
    )
