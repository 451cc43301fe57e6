"""Bayes over the differential: the posterior, why it moved, and which question to ask next.

The model is naive Bayes over mutually exclusive conditions: for each condition,
log posterior = log prior + sum over observed findings of log P(finding as observed | condition),
then normalised. Working in log space keeps every combination of findings finite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np

from .loading import POPULATIONS, Finding, FindingGroup, Number, RedFlag
from .probability import entropy_bits, normalise_log, percent
from .red_flag_rules import RAISED, Concern
from .uncertainty import NumberTables, intervals, population_steps


class Tables(NumberTables, Protocol):
    """What a differential reads from its knowledge base (`kneesci.knowledge_base.KnowledgeBase`).

    A protocol, so that inference does not import the knowledge base that imports it.
    """

    finding_ids: tuple[str, ...]
    findings: dict[str, Finding]
    red_flags: dict[str, RedFlag]

    def check_condition(self, condition: str) -> str: ...

    def concerns(self, findings: Mapping[str, bool]) -> tuple[Concern, ...]: ...

    def redundant_findings(self, findings: Mapping[str, bool]) -> set[str]: ...

    def correlated_findings(self, findings: Mapping[str, bool], setting: str) -> dict[str, str]: ...

    def determined_findings(self, findings: Mapping[str, bool]) -> set[str]: ...

    def group_of(self, finding: str) -> FindingGroup | None: ...

    def log_tables(self, setting: str = ...) -> tuple[np.ndarray, np.ndarray]: ...

    def table_for(self, setting: str = ...) -> np.ndarray: ...

    def number_for(self, finding: str, condition: str, setting: str = ...) -> Number: ...


@dataclass(frozen=True)
class Contribution:
    """How much one observed finding moved one condition against the rest of the differential.

    `likelihood_ratio` is P(finding as observed | condition) / P(finding as observed | any other
    condition, given all the other findings); multiplying the condition's odds without this
    finding by it gives the odds with it. `log_odds` is its natural log; `share` its part of all
    the movement. `measured_in` says where the condition's figure was measured when that differs
    from the setting's patients (e.g. "measured in a surgical series"), else "".
    """

    finding: str
    present: bool
    likelihood_ratio: float
    log_odds: float
    share: float
    measured_in: str = ""


class Differential:
    """The result of `kb.differential(findings)`: a posterior over conditions plus red flags."""

    def __init__(
        self,
        kb: Tables,
        findings: dict[str, bool],
        setting: str,
        count_groups_once: bool = True,
    ):
        self.kb = kb
        self.findings = dict(findings)
        self.setting = setting
        # Findings implied by another observed finding add no evidence of their own, and of a
        # group of correlated findings (SLR and slump) only the strongest counts.
        redundant = kb.redundant_findings(self.findings)
        independent = {f: v for f, v in self.findings.items() if f not in redundant}
        self.set_aside: dict[str, str] = (
            kb.correlated_findings(independent, setting) if count_groups_once else {}
        )
        self.counted = {f: v for f, v in independent.items() if f not in self.set_aside}
        self._observed = np.array([kb.finding_index(f) for f in self.counted], dtype=int)
        self._values = np.array(list(self.counted.values()), dtype=bool)
        # One column per observed finding: log P(finding as observed | condition, setting).
        log_present, log_absent = kb.log_tables(setting)
        self._terms = np.where(
            self._values, log_present[:, self._observed], log_absent[:, self._observed]
        )
        self.log_joint = kb.log_prior(setting) + self._terms.sum(axis=1)
        self.posterior = normalise_log(self.log_joint)

    @cached_property
    def concerns(self) -> tuple[Concern, ...]:
        """Each raised red flag at its highest level of concern, most severe first."""
        return self.kb.concerns(self.findings)

    @cached_property
    def red_flags(self) -> list[str]:
        """The red flags raised at `immediate` or `urgent`: act on these, whatever the ranking."""
        return [c.flag for c in self.concerns if c.level in RAISED]

    def __repr__(self) -> str:
        top = ", ".join(f"{c} {percent(p)}" for c, p in self.ranked()[:3])
        flags = f"; RED FLAGS: {', '.join(self.red_flags)}" if self.red_flags else ""
        return f"<Differential ({len(self.findings)} findings, {self.setting}): {top}{flags}>"

    def ranked(self) -> list[tuple[str, float]]:
        """(condition id, probability) from most to least likely; ties keep the data-file order."""
        return list(self._ranked)

    @cached_property
    def _ranked(self) -> tuple[tuple[str, float], ...]:
        # Sorted once: a view asks for the ranking several times per click.
        order = np.argsort(-self.posterior, kind="stable")
        return tuple((self.kb.condition_ids[i], float(self.posterior[i])) for i in order)

    def probability(self, condition: str) -> float:
        self.kb.check_condition(condition)
        return float(self.posterior[self.kb.condition_ids.index(condition)])

    @property
    def top(self) -> str:
        return self.ranked()[0][0]

    @cached_property
    def entropy(self) -> float:
        """Uncertainty left in the differential, in bits."""
        return float(entropy_bits(self.posterior))

    def explain(self, condition: str | None = None) -> list[Contribution]:
        """Each observed finding's contribution to `condition` (the leading one by default).

        Sorted by the size of the effect, largest first. For each finding the comparison is made
        with everything else the patient showed, so the ratios are exact: leaving one finding out
        and multiplying the odds back by its ratio gives the full posterior odds.
        """
        cid = self.kb.check_condition(condition) if condition else self.top
        if cid not in self._explained:  # the chart and its text twin ask for the same one
            self._explained[cid] = tuple(self._explain(cid))
        return list(self._explained[cid])

    @cached_property
    def _explained(self) -> dict[str, tuple[Contribution, ...]]:
        return {}

    def _explain(self, cid: str) -> list[Contribution]:
        ci = self.kb.condition_ids.index(cid)
        if not self.counted:
            return []
        # Unnormalised posterior of every condition with each finding left out in turn.
        without = normalise_log(self.log_joint[:, None] - self._terms)
        likelihood = np.exp(self._terms)
        others = np.delete(np.arange(len(self.kb.condition_ids)), ci)
        p_other = (without[others] * likelihood[others]).sum(axis=0) / without[others].sum(axis=0)
        log_lr = self._terms[ci] - np.log(p_other)
        total = np.abs(log_lr).sum()
        shares = np.abs(log_lr) / total if total > 0 else np.zeros_like(log_lr)
        items = [
            Contribution(f, v, float(np.exp(lo)), float(lo), float(s), self.measured_in(f, cid))
            for f, v, lo, s in zip(self.counted, self.counted.values(), log_lr, shares, strict=True)
        ]
        return sorted(items, key=lambda c: -abs(c.log_odds))

    def measured_in(self, finding: str, condition: str) -> str:
        """Where P(finding | condition) was measured, if that is not this setting's kind of
        patient, e.g. "measured in a surgical series"; "" when it matches or is not recorded."""
        estimate = self.kb.number_for(finding, condition, self.setting).estimate
        home = self.kb.settings[self.setting].population
        if population_steps(estimate, home) == 0:
            return ""
        return f"measured {POPULATIONS[estimate.population][1]}"

    def intervals(
        self, level: float = 0.8, draws: int = 2000, seed: int | None = 0
    ) -> dict[str, tuple[float, float]]:
        """{condition: (low, high)}: how far each probability could move if the model's own
        numbers are as uncertain as the evidence behind them (see `kneesci.uncertainty`)."""
        return intervals(self, level, draws, seed)

    def information_gain(self) -> dict[str, float]:
        """Expected reduction in uncertainty (bits) from asking each unasked finding."""
        determined = self.kb.determined_findings(self.findings)
        # A finding whose group already has an answer is not suggested: the model would count
        # the group once, so the second test of the same structure tells it little.
        answered_groups = {self.kb.group_of(f) for f in self.findings} - {None}
        unasked = [
            i
            for i, f in enumerate(self.kb.finding_ids)
            if f not in self.findings
            and f not in determined
            and self.kb.group_of(f) not in answered_groups
        ]
        if not unasked:
            return {}
        p = self.kb.table_for(self.setting)[:, unasked]  # conditions x candidate findings
        joint_yes = self.posterior[:, None] * p
        joint_no = self.posterior[:, None] * (1.0 - p)
        p_yes = joint_yes.sum(axis=0)
        p_no = 1.0 - p_yes
        after = p_yes * entropy_bits(joint_yes / p_yes) + p_no * entropy_bits(joint_no / p_no)
        gains = np.maximum(self.entropy - after, 0.0)
        return {self.kb.finding_ids[i]: float(g) for i, g in zip(unasked, gains, strict=True)}

    def next_questions(self, n: int | None = 3) -> list[tuple[str, float]]:
        """Unasked findings ranked by expected information gain (bits), best first."""
        gains = sorted(self.information_gain().items(), key=lambda kv: -kv[1])
        return gains if n is None else gains[:n]
