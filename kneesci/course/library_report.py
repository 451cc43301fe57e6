"""How well the model does on the case library: per-condition accuracy and a confusion matrix.

Each case is scored in its own setting with all its recorded findings
(`kneesci.game.library_accuracy`).
Nothing here is tuned to the cases: the library measures the model, it never trains it.

>>> import kneesci
>>> from kneesci.cases import load_cases
>>> from kneesci.library_report import library_report
>>> kb = kneesci.load()
>>> report = library_report(kb, load_cases(kb))
>>> report.n == sum(row.n for row in report.per_condition.values())
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .game import CaseResult, library_accuracy

if TYPE_CHECKING:
    from ..model.knowledge_base import KnowledgeBase
    from .cases import Case


@dataclass(frozen=True)
class ConditionAccuracy:
    """The model's record on one condition's cases."""

    condition: str
    label: str
    n: int  # cases with this diagnosis
    top1: int  # of them, cases the model ranked first
    top3: int  # of them, cases the model ranked in its first three

    @property
    def top1_rate(self) -> float | None:
        """Share ranked first; None when the library has no case of this condition."""
        return self.top1 / self.n if self.n else None

    @property
    def top3_rate(self) -> float | None:
        return self.top3 / self.n if self.n else None


@dataclass(frozen=True)
class LibraryReport:
    """Top-1/top-3 over the library, the record per condition and the confusion matrix."""

    conditions: tuple[str, ...]  # condition ids, in the knowledge base's order
    labels: tuple[str, ...]  # their labels
    results: tuple[CaseResult, ...]  # one per case, in library order
    confusion: np.ndarray  # [true diagnosis, model's leading condition] -> number of cases

    @property
    def n(self) -> int:
        return len(self.results)

    @property
    def top1(self) -> float:
        return sum(r.top1 for r in self.results) / self.n

    @property
    def top3(self) -> float:
        return sum(r.top3 for r in self.results) / self.n

    @property
    def per_condition(self) -> dict[str, ConditionAccuracy]:
        rows = {}
        for cid, label in zip(self.conditions, self.labels, strict=True):
            mine = [r for r in self.results if r.diagnosis == cid]
            rows[cid] = ConditionAccuracy(
                cid, label, len(mine), sum(r.top1 for r in mine), sum(r.top3 for r in mine)
            )
        return rows

    def table(self) -> str:
        """Deterministic text: one line per condition, then the totals."""
        width = max(len(label) for label in self.labels)
        lines = [f"{'Condition':<{width}}  cases  top-1  top-3"]
        for row in self.per_condition.values():
            top1 = "-" if row.n == 0 else f"{row.top1}/{row.n}"
            top3 = "-" if row.n == 0 else f"{row.top3}/{row.n}"
            lines.append(f"{row.label:<{width}}  {row.n:>5}  {top1:>5}  {top3:>5}")
        lines.append(f"{'All cases':<{width}}  {self.n:>5}  {self.top1:>5.0%}  {self.top3:>5.0%}")
        return "\n".join(lines)

    def most_confused(self, limit: int = 5) -> list[tuple[str, str, int]]:
        """The commonest wrong leads: (true condition, model's lead, cases), largest first."""
        pairs = [
            (self.conditions[i], self.conditions[j], int(self.confusion[i, j]))
            for i in range(len(self.conditions))
            for j in range(len(self.conditions))
            if i != j and self.confusion[i, j] > 0
        ]
        return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))[:limit]


def library_report(
    kb: KnowledgeBase, cases: Mapping[str, Case] | Iterable[Case], setting: str | None = None
) -> LibraryReport:
    """Score every case (in its own setting unless `setting` is given) and tabulate the results."""
    _, _, results = library_accuracy(kb, cases, setting=setting)
    conditions = tuple(kb.condition_ids)
    index = {cid: i for i, cid in enumerate(conditions)}
    confusion = np.zeros((len(conditions), len(conditions)), dtype=int)
    for r in results:
        confusion[index[r.diagnosis], index[r.top]] += 1
    return LibraryReport(
        conditions=conditions,
        labels=tuple(kb.conditions[c].label for c in conditions),
        results=tuple(results),
        confusion=confusion,
    )
