"""What is known about one patient: the findings, the setting, kept consistent by the implications.

The explorer and the game both hold a `Patient`; their widgets only show it. Setting a finding
applies the knowledge base's implication rule (over 65 corrects an absent over 50 to present;
not over 50 corrects a present over 65 to absent) and reports what else it changed, so a view
can say so.

    >>> import kneesci
    >>> patient = Patient(kneesci.load())
    >>> patient.set("age_over_50", False)
    []
    >>> patient.set("age_over_65", True)
    [Implied(finding='age_over_50', value=True, because='age_over_65')]
    >>> patient.findings
    {'age_over_50': True, 'age_over_65': True}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .inference import Differential
from .knowledge_base import DEFAULT_SETTING, KnowledgeBase


@dataclass(frozen=True)
class Implied:
    """A finding set to agree with another one the user set."""

    finding: str
    value: bool
    because: str


class Patient:
    """Findings (True present, False absent; not asked is left out) and the setting."""

    def __init__(
        self,
        kb: KnowledgeBase,
        setting: str = DEFAULT_SETTING,
        findings: Mapping[str, bool] | None = None,
    ):
        self.kb = kb
        self.default_setting = kb.check_setting(setting)
        self.setting = self.default_setting
        self.findings: dict[str, bool] = {}
        for finding, value in (findings or {}).items():
            self.set(finding, value)

    def set(self, finding: str, value: bool | None) -> list[Implied]:
        """Record one finding (None: not asked) and return the findings it implied."""
        self.kb.check_finding(finding)
        if value is None:
            self.findings.pop(finding, None)
            return []
        if not isinstance(value, bool):
            raise TypeError(
                f"Finding {finding!r} must be True (present), False (absent) or None "
                f"(not asked), not {value!r}."
            )
        self.findings[finding] = value
        implied = []
        for other, follows in self.kb.implied_by(finding, value):
            # an answer the user gave that the rule contradicts is corrected, and said so
            if self.findings.get(other) is (not follows):
                self.findings[other] = follows
                implied.append(Implied(other, follows, finding))
        return implied

    def set_setting(self, setting: str) -> None:
        self.setting = self.kb.check_setting(setting)

    def clear(self) -> None:
        """Every finding back to not asked, and the setting back to where the patient started."""
        self.findings.clear()
        self.setting = self.default_setting

    def replace(self, findings: Mapping[str, bool], setting: str) -> None:
        """Replace everything known, as loading a case does."""
        self.findings = dict(self.kb.check_findings(findings))
        self.setting = self.kb.check_setting(setting)

    def differential(self) -> Differential:
        return self.kb.differential(self.findings, self.setting)

    def count_by_group(self) -> dict[str, int]:
        """How many findings are entered in each group (history, symptom, examination)."""
        counts = {f.group: 0 for f in self.kb.findings.values()}
        for finding in self.findings:
            counts[self.kb.findings[finding].group] += 1
        return counts

    def __repr__(self) -> str:
        return f"Patient(setting={self.setting!r}, findings={self.findings!r})"


__all__ = ["Implied", "Patient"]
