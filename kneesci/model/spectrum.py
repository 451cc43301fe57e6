"""Spectrum: one test's accuracy in each setting, with the row of `data/` each figure comes from.

A test validated in operated patients meets a different spectrum of patients in primary care:
>>> import kneesci
>>> rows = accuracy_by_setting(kneesci.load(), "l5_radiculopathy", "slr_positive")
>>> [r.setting for r in rows][:2]
['primary_care', 'spine_clinic']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .knowledge_base import KnowledgeBase, Number


@dataclass(frozen=True)
class SettingAccuracy:
    """A finding's accuracy for one condition in one setting, as the model computes it.

    Specificity is against the prior-weighted mix of the other conditions in that setting
    (see `KnowledgeBase.post_test`); `source` is the row that gives the sensitivity.
    """

    setting: str
    sensitivity: float
    specificity: float
    lr_positive: float
    lr_negative: float
    source: Number


def accuracy_by_setting(kb: KnowledgeBase, condition: str, finding: str) -> list[SettingAccuracy]:
    """The model's sensitivity, specificity and likelihood ratios for one test in every setting."""
    rows = []
    for setting in kb.settings:
        positive = kb.post_test(condition, finding, present=True, setting=setting)
        negative = kb.post_test(condition, finding, present=False, setting=setting)
        rows.append(
            SettingAccuracy(
                setting,
                positive.sensitivity,
                positive.specificity,
                positive.likelihood_ratio,
                negative.likelihood_ratio,
                kb.number_for(finding, condition, setting),
            )
        )
    return rows


def accuracy_by_setting_text(
    kb: KnowledgeBase, condition: str, finding: str, notes: bool = True
) -> str:
    """One line per setting with the model's figures and the row they come from; then each row's
    note once (for a cited number the published figure, population and n; for an estimate its
    reasoning)."""
    lines = [f"{kb.findings[finding].label} for {kb.conditions[condition].label}:"]
    sources: dict[str, Number] = {}
    for row in accuracy_by_setting(kb, condition, finding):
        lines.append(
            f"  {kb.settings[row.setting].label}: sensitivity {row.sensitivity:.2f}, "
            f"specificity {row.specificity:.2f}, LR+ {row.lr_positive:.1f}, "
            f"LR- {row.lr_negative:.2f}  [{row.source.name}]"
        )
        sources.setdefault(row.source.name, row.source)
    if notes:
        lines.append("Where each sensitivity comes from:")
        for name, number in sources.items():
            prov = number.estimate.provenance
            lines.append(f"  {name} [{prov.source}]: {prov.note}")
    return "\n".join(lines)
