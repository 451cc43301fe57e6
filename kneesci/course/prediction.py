"""Predict, then see: the student commits to how a finding will move a condition before seeing it.

Predicting first makes a demonstration teach more than watching it (Crouch et al. 2004, physics
demonstrations). Before a finding is applied the student says which way the leading condition
(or one she chooses) will move and roughly how far; then the differential is updated and the
prediction is judged:

- **Direction**: `up` or `down`. A change smaller than `NO_CHANGE` (half a percentage point) is
  too small to have a direction, so either answer counts as right.
- **Size**, on the change in the condition's probability, in percentage points:
  `small` below 5 points, `medium` from 5 to under 20, `large` 20 or more (`SIZES`). Points, not
  log-odds, because the student watches a percentage move; the likelihood ratio shown with a
  wrong prediction is what explains why the same finding moves a 5% condition a little and a
  50% one a lot.
- **Points**: 1 for the direction, 1 more for the size (both right: 2).

Where the prediction was wrong the verdict gives the likelihood ratio that explains the move: the
condition's odds after the finding divided by its odds before (exact, given everything else the
patient showed).

A lecturer can run it for a room: everyone predicts on one patient, each exports her sheet
(`PredictionScore.export_csv`), and `class_tally` merges the sheets.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..model.knowledge_base import DEFAULT_SETTING, KnowledgeBase
from ..model.probability import percent

DIRECTIONS = ("up", "down")
# Upper bounds (exclusive) of the change in probability for each size; `large` has none.
SIZES = {"small": 0.05, "medium": 0.20, "large": float("inf")}
NO_CHANGE = 0.005
SHEET_COLUMNS = (
    "condition",
    "finding",
    "present",
    "direction",
    "size",
    "before",
    "after",
    "direction_right",
    "size_right",
    "points",
)


def size_of(change: float) -> str:
    """The size word for a change in probability (either sign).

    >>> size_of(0.03), size_of(-0.12), size_of(0.31)
    ('small', 'medium', 'large')
    """
    return next(word for word, below in SIZES.items() if abs(change) < below)


@dataclass(frozen=True)
class Prediction:
    """What the student expects: `condition` moves `direction` by a `size` change when
    `finding` is recorded present (or absent)."""

    condition: str
    finding: str
    present: bool
    direction: str
    size: str

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}.")
        if self.size not in SIZES:
            raise ValueError(f"size must be one of {tuple(SIZES)}, not {self.size!r}.")


@dataclass(frozen=True)
class Verdict:
    """What happened to the predicted condition, and whether the prediction was right."""

    prediction: Prediction
    before: float
    after: float
    likelihood_ratio: float  # odds after / odds before: what the finding did, given the rest

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def direction(self) -> str:
        return "up" if self.change >= 0 else "down"

    @property
    def size(self) -> str:
        return size_of(self.change)

    @property
    def direction_right(self) -> bool:
        return abs(self.change) < NO_CHANGE or self.direction == self.prediction.direction

    @property
    def size_right(self) -> bool:
        return self.size == self.prediction.size

    @property
    def points(self) -> int:
        return int(self.direction_right) + int(self.direction_right and self.size_right)

    @property
    def right(self) -> bool:
        return self.direction_right and self.size_right

    def text(self, kb: KnowledgeBase | None = None) -> str:
        """The verdict in a sentence or two, with the likelihood ratio when it was wrong."""
        p = self.prediction
        name = kb.conditions[p.condition].label if kb else p.condition
        finding = kb.findings[p.finding].label if kb else p.finding
        state = "present" if p.present else "absent"
        moved = (
            f"{name} went {self.direction} from {percent(self.before)} to {percent(self.after)} "
            f"(a {self.size} change)."
        )
        if self.right:
            return f"Right: {moved} {self.points} points."
        said = f"You said {p.direction}, {p.size}."
        why = (
            f"{finding} {state} has a likelihood ratio of {self.likelihood_ratio:.2g} for "
            f"{name} given the rest: the odds were multiplied by {self.likelihood_ratio:.2g}."
        )
        if self.direction_right:
            why += (
                " How far a probability moves depends on where it starts: the same ratio moves a "
                "probability near 50% most."
            )
        return f"Not quite: {moved} {said} {why} {self.points} point{'s' * (self.points != 1)}."


def judge(
    kb: KnowledgeBase,
    findings: Mapping[str, bool],
    prediction: Prediction,
    setting: str = DEFAULT_SETTING,
) -> Verdict:
    """Apply the predicted finding to the patient's findings and judge the prediction."""
    kb.check_condition(prediction.condition)
    kb.check_finding(prediction.finding)
    if prediction.finding in findings:
        raise ValueError(
            f"{prediction.finding} is already recorded for this patient; predict a new finding."
        )
    before = kb.differential(findings, setting).probability(prediction.condition)
    after_findings = {**findings, prediction.finding: prediction.present}
    after = kb.differential(after_findings, setting).probability(prediction.condition)
    odds = (after / (1.0 - after)) / (before / (1.0 - before))
    return Verdict(prediction, before, after, odds)


@dataclass
class PredictionScore:
    """A running score over one student's predictions; exports a sheet for the class tally."""

    verdicts: list[Verdict] = field(default_factory=list)

    def add(self, verdict: Verdict) -> Verdict:
        self.verdicts.append(verdict)
        return verdict

    @property
    def points(self) -> int:
        return sum(v.points for v in self.verdicts)

    @property
    def possible(self) -> int:
        return 2 * len(self.verdicts)

    def text(self) -> str:
        if not self.verdicts:
            return "No predictions yet."
        right = sum(v.right for v in self.verdicts)
        return (
            f"{self.points} of {self.possible} points; {right} of {len(self.verdicts)} "
            "predictions right in direction and size."
        )

    def rows(self) -> list[dict]:
        return [
            {
                "condition": v.prediction.condition,
                "finding": v.prediction.finding,
                "present": v.prediction.present,
                "direction": v.prediction.direction,
                "size": v.prediction.size,
                "before": round(v.before, 4),
                "after": round(v.after, 4),
                "direction_right": v.direction_right,
                "size_right": v.size_right,
                "points": v.points,
            }
            for v in self.verdicts
        ]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=SHEET_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return out.getvalue()

    def export_csv(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.to_csv(), encoding="utf-8")
        return path


@dataclass(frozen=True)
class ClassTally:
    """A room's predictions merged: for each question asked, what the class predicted."""

    students: int
    # (condition, finding, present) -> Counter of "direction size" answers
    answers: dict[tuple[str, str, bool], Counter]
    # (condition, finding, present) -> (predictions, right in direction, right in both)
    right: dict[tuple[str, str, bool], tuple[int, int, int]]
    problems: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [f"{self.students} students."]
        if self.problems:
            lines += [f"Left out: {p}" for p in self.problems]
        for key, counts in self.answers.items():
            condition, finding, present = key
            n, direction, both = self.right[key]
            spread = ", ".join(f"{answer} {k}" for answer, k in counts.most_common())
            lines.append(
                f"{finding} {'present' if present else 'absent'} -> {condition}: {spread}; "
                f"direction right {direction} of {n}, direction and size {both} of {n}."
            )
        return "\n".join(lines)


def class_tally(paths: Iterable[str | Path], kb: KnowledgeBase | None = None) -> ClassTally:
    """Merge students' exported prediction sheets; a sheet that cannot be read is named (file,
    line, field) and left out. ValueError if none can be read."""
    if kb is None:
        from ..model.knowledge_base import load

        kb = load()
    answers: defaultdict[tuple[str, str, bool], Counter] = defaultdict(Counter)
    right: defaultdict[tuple[str, str, bool], list[int]] = defaultdict(lambda: [0, 0, 0])
    problems: list[str] = []
    students = 0
    for path in paths:
        path = Path(path)
        try:
            rows = read_sheet(path, kb)
        except (OSError, ValueError) as err:
            problems.append(str(err))
            continue
        students += 1
        for row in rows:
            key = (row["condition"], row["finding"], row["present"])
            answers[key][f"{row['direction']} {row['size']}"] += 1
            right[key][0] += 1
            right[key][1] += row["direction_right"]
            right[key][2] += row["direction_right"] and row["size_right"]
    if not students and problems:
        raise ValueError("No prediction sheet could be read: " + " ".join(problems))
    return ClassTally(
        students,
        dict(answers),
        {k: (v[0], v[1], v[2]) for k, v in right.items()},
        tuple(problems),
    )


def read_sheet(path: Path, kb: KnowledgeBase) -> list[dict]:
    """One student's exported predictions, checked: errors name the file, line and field."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in SHEET_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"{path.name}: not a prediction sheet (missing {', '.join(missing)}).")
    rows = []
    for line, raw in enumerate(reader, start=2):

        def bad(field: str, problem: str, _line: int = line) -> ValueError:
            return ValueError(f"{path.name}, line {_line}, field '{field}': {problem}")

        if raw["condition"] not in kb.conditions:
            raise bad("condition", f"{raw['condition'][:40]!r} is not a condition id.")
        if raw["finding"] not in kb.findings:
            raise bad("finding", f"{raw['finding'][:40]!r} is not a finding id.")
        if raw["direction"] not in DIRECTIONS:
            raise bad("direction", f"{raw['direction'][:20]!r} is not up or down.")
        if raw["size"] not in SIZES:
            raise bad("size", f"{raw['size'][:20]!r} is not small, medium or large.")
        flags = {}
        for key in ("present", "direction_right", "size_right"):
            if raw[key] not in ("True", "False"):
                raise bad(key, f"{raw[key][:20]!r} is not True or False.")
            flags[key] = raw[key] == "True"
        rows.append(
            {
                "condition": raw["condition"],
                "finding": raw["finding"],
                "direction": raw["direction"],
                "size": raw["size"],
                **flags,
            }
        )
    return rows
