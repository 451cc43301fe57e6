"""Calibration: is a student right about as often as she says she is?

A student who commits to a diagnosis says how sure she is, p. Over many patients a well-calibrated
student who says 70% is right about 7 times in 10. Two measures, both on plain score-sheet rows
(dicts with `correct`, `confidence` and `model_probability`, as `kneesci.game.ScoreSheet`
keeps them):

- the Brier score, the mean of (1 - p)^2 when right and p^2 when wrong: 0 is perfect, 0.25 is
  what always saying 50% earns, and confident mistakes cost most;
- a reliability table: stated confidence in bands against how often the answer was right.

The model's own probability for the same answer on the same findings is scored the same way, so a
student can set her judgement beside the model's.

>>> rows = [{"correct": True, "confidence": 0.8}, {"correct": False, "confidence": 0.6}]
>>> round(brier_score(rows), 3)  # ((1 - 0.8)^2 + 0.6^2) / 2
0.2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Bands of stated confidence for the reliability table; the first is open at 0.
BANDS: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
# Fewer committed, confidence-stated patients than this and calibration feedback would be noise.
MIN_CASES = 3
# A gap between mean confidence and accuracy within this many points counts as calibrated.
CALIBRATED_WITHIN = 0.10


def _scored(rows: Iterable[Mapping], key: str) -> list[tuple[float, bool]]:
    """(stated probability, was right) for rows that were scored and state `key`."""
    return [
        (float(r[key]), bool(r["correct"]))
        for r in rows
        if r.get("correct") is not None and r.get(key) is not None
    ]


def brier_score(rows: Iterable[Mapping], key: str = "confidence") -> float | None:
    """Mean Brier score of the probabilities under `key` (None when no row has one)."""
    pairs = _scored(rows, key)
    if not pairs:
        return None
    return sum((1.0 - p) ** 2 if right else p**2 for p, right in pairs) / len(pairs)


@dataclass(frozen=True)
class Band:
    """One band of stated confidence: how sure on average, and how often right."""

    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability(
    rows: Iterable[Mapping], key: str = "confidence", bands: Sequence[float] = BANDS
) -> list[Band]:
    """Stated confidence in bands against the share of right answers; empty bands are left out."""
    pairs = _scored(rows, key)
    out = []
    for low, high in zip(bands[:-1], bands[1:], strict=True):
        inside = [(p, r) for p, r in pairs if low < p <= high]
        if inside:
            out.append(
                Band(
                    low,
                    high,
                    len(inside),
                    sum(p for p, _ in inside) / len(inside),
                    sum(r for _, r in inside) / len(inside),
                )
            )
    return out


@dataclass(frozen=True)
class Calibration:
    """A student's calibration over a sheet, beside the model's on the same answers."""

    cases: int
    mean_confidence: float
    accuracy: float
    brier: float
    model_brier: float | None

    @property
    def gap(self) -> float:
        """Mean confidence minus accuracy: above 0 overconfident, below 0 underconfident."""
        return self.mean_confidence - self.accuracy

    def sentence(self) -> str:
        """One sentence of feedback a student can act on."""
        sure, right = f"{self.mean_confidence:.0%}", f"{self.accuracy:.0%}"
        if self.gap > CALIBRATED_WITHIN:
            verdict = (
                f"On average you were {sure} sure but right {right} of the time: overconfident. "
                "Before committing, name the condition that would most embarrass you if it were "
                "the answer, and ask the question that rules it out."
            )
        elif self.gap < -CALIBRATED_WITHIN:
            verdict = (
                f"On average you were {sure} sure and right {right} of the time: "
                "underconfident. Your reasoning is better than you think; say so when you commit."
            )
        else:
            verdict = (
                f"On average you were {sure} sure and right {right} of the time: well calibrated."
            )
        model = (
            f" Your Brier score is {self.brier:.2f}; the model's, for the same answers on the "
            f"same findings, is {self.model_brier:.2f} (lower is better)."
            if self.model_brier is not None
            else f" Your Brier score is {self.brier:.2f} (lower is better)."
        )
        return verdict + model


def calibration(rows: Sequence[Mapping], min_cases: int = MIN_CASES) -> Calibration | None:
    """The student's calibration; None while fewer than `min_cases` answers state a confidence."""
    pairs = _scored(rows, "confidence")
    if len(pairs) < min_cases:
        return None
    stated = [r for r in rows if r.get("correct") is not None and r.get("confidence") is not None]
    with_model = [r for r in stated if r.get("model_probability") is not None]
    return Calibration(
        cases=len(pairs),
        mean_confidence=sum(p for p, _ in pairs) / len(pairs),
        accuracy=sum(r for _, r in pairs) / len(pairs),
        brier=brier_score(stated),
        model_brier=brier_score(with_model, "model_probability") if with_model else None,
    )
