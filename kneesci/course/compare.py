"""Two conditions side by side: which findings tell them apart, and by how much.

A mimic is a condition that looks like another. The question a clinician asks is narrower than the
whole differential: *this one or that one?* For a pair (a, b) every finding has a likelihood ratio
when present, P(f | a) / P(f | b), and one when absent, (1 - P(f | a)) / (1 - P(f | b)). Findings
whose ratios are far from 1 separate the pair; findings with ratios near 1 do not, however typical
they are of either condition.

>>> import kneesci
>>> from kneesci.compare import compare, pair_posterior
>>> kb = kneesci.load()
>>> pair = compare(kb, "l5_radiculopathy", "peroneal_neuropathy")
>>> pair.row("hip_abduction_weakness").favours_when_present
'l5_radiculopathy'
>>> odds = pair_posterior(kb, "l5_radiculopathy", "peroneal_neuropathy", {"foot_drop": True})
>>> round(odds.probability_a + odds.probability_b, 6)
1.0

No plotting here: the chart is in `kneesci.compare_plots`, the widget in `kneesci.widgets.compare`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model.inference import Differential
from ..model.knowledge_base import DEFAULT_SETTING, KnowledgeBase
from ..model.loading import Provenance
from ..model.probability import percent

EVEN = 0.5


def _bits(p: float) -> float:
    """Binary entropy in bits (0 log 0 taken as 0)."""
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1.0 - p) * math.log2(1.0 - p))


def pair_information(p_a: float, p_b: float, prior_a: float = EVEN) -> float:
    """Expected information (bits) that asking one finding gives about "a or b".

    This is the mutual information between the finding and the pair: the uncertainty about a vs b
    before asking, minus the uncertainty expected after the answer. At even odds its ceiling is
    1 bit (a finding present in every a and no b).

    >>> pair_information(0.9, 0.9)
    0.0
    >>> round(pair_information(0.99, 0.01), 2)
    0.92
    """
    p_yes = prior_a * p_a + (1.0 - prior_a) * p_b
    after = 0.0
    if p_yes > 0.0:
        after += p_yes * _bits(prior_a * p_a / p_yes)
    if p_yes < 1.0:
        after += (1.0 - p_yes) * _bits(prior_a * (1.0 - p_a) / (1.0 - p_yes))
    return max(_bits(prior_a) - after, 0.0)


@dataclass(frozen=True)
class FindingComparison:
    """One finding in two conditions, with the evidence behind each number.

    `lr_present` and `lr_absent` are likelihood ratios for a *against* b: above 1 favours a, below
    1 favours b. `information` is the expected information (bits) the finding gives about the pair.
    """

    finding: str
    a: str
    b: str
    p_a: float
    p_b: float
    lr_present: float
    lr_absent: float
    information: float
    source_a: Provenance
    source_b: Provenance

    @property
    def log_lr_present(self) -> float:
        return math.log(self.lr_present)

    @property
    def log_lr_absent(self) -> float:
        return math.log(self.lr_absent)

    @property
    def strongest_log_lr(self) -> float:
        """The larger of |log LR| when present and when absent: the most this finding can move."""
        return max(abs(self.log_lr_present), abs(self.log_lr_absent))

    @property
    def favours_when_present(self) -> str:
        """Which condition a present finding points to (a on a tie)."""
        return self.a if self.lr_present >= 1.0 else self.b

    @property
    def favours_when_absent(self) -> str:
        return self.a if self.lr_absent >= 1.0 else self.b

    @property
    def estimated(self) -> bool:
        """True when either probability is an estimate rather than a cited figure."""
        return self.source_a.is_estimate or self.source_b.is_estimate


@dataclass(frozen=True)
class PairComparison:
    """Every finding compared for one pair, the best separators first."""

    a: str
    b: str
    rows: tuple[FindingComparison, ...]

    def top(self, n: int = 5) -> tuple[FindingComparison, ...]:
        """The n findings that separate the pair best."""
        return self.rows[:n]

    def row(self, finding: str) -> FindingComparison:
        for r in self.rows:
            if r.finding == finding:
                return r
        raise KeyError(f"Finding {finding!r} is not in this comparison.")

    def rank(self, finding: str) -> int:
        """1-based position of a finding in the ranking (1 separates best)."""
        return [r.finding for r in self.rows].index(self.row(finding).finding) + 1


@dataclass(frozen=True)
class PairPosterior:
    """The two-way odds "a rather than b" before and after the findings.

    The rest of the differential is left out: this answers "if it is one of these two, which?".
    """

    a: str
    b: str
    prior_odds: float
    likelihood_ratio: float
    posterior_odds: float

    @property
    def probability_a(self) -> float:
        return self.posterior_odds / (1.0 + self.posterior_odds)

    @property
    def probability_b(self) -> float:
        return 1.0 / (1.0 + self.posterior_odds)

    @property
    def prior_probability_a(self) -> float:
        return self.prior_odds / (1.0 + self.prior_odds)


def _check_pair(kb: KnowledgeBase, a: str, b: str) -> None:
    kb.check_condition(a)
    kb.check_condition(b)
    if a == b:
        raise ValueError(f"Compare two different conditions, not {a!r} with itself.")


def compare_finding(kb: KnowledgeBase, a: str, b: str, finding: str) -> FindingComparison:
    """One finding in conditions a and b, with likelihood ratios a:b and their sources.

    >>> import kneesci
    >>> row = compare_finding(kneesci.load(), "lumbar_spinal_stenosis", "peripheral_artery_disease",
    ...                       "relieved_by_standing_still")
    >>> row.favours_when_present
    'peripheral_artery_disease'
    """
    _check_pair(kb, a, b)
    p_a, p_b = kb.likelihood(finding, a), kb.likelihood(finding, b)
    return FindingComparison(
        finding=finding,
        a=a,
        b=b,
        p_a=p_a,
        p_b=p_b,
        lr_present=p_a / p_b,
        lr_absent=(1.0 - p_a) / (1.0 - p_b),
        information=pair_information(p_a, p_b),
        source_a=kb.likelihood_source(finding, a),
        source_b=kb.likelihood_source(finding, b),
    )


def compare(kb: KnowledgeBase, a: str, b: str) -> PairComparison:
    """Compare two conditions over every finding, ranked by how well each separates them.

    The ranking is by expected information about the pair at even odds, so it says how useful a
    question is in itself, whatever the setting; ties are broken by the larger |log LR|, then by the
    order of `findings.csv`. Findings with the same probability in both conditions come last.
    """
    _check_pair(kb, a, b)
    rows = [compare_finding(kb, a, b, f) for f in kb.finding_ids]
    order = sorted(
        range(len(rows)),
        key=lambda i: (-round(rows[i].information, 12), -rows[i].strongest_log_lr, i),
    )
    return PairComparison(a, b, tuple(rows[i] for i in order))


def pair_posterior(
    kb: KnowledgeBase,
    a: str,
    b: str,
    findings: Mapping[str, bool] | None = None,
    setting: str = DEFAULT_SETTING,
) -> PairPosterior:
    """Odds of a rather than b: prior odds from the setting times each finding's ratio a:b.

    Under the model's independence assumption this is exactly the ratio of the two conditions'
    probabilities in the full differential, so the pair view and the full view never disagree:
    it uses the setting's figures and the findings the differential counts (an implied finding or
    a correlated one set aside adds nothing here either).
    """
    return pair_odds(kb.differential(findings or {}, setting), a, b)


def pair_odds(dx: Differential, a: str, b: str) -> PairPosterior:
    """`pair_posterior` for a differential already computed (a view redrawn on a click reuses
    the click's differential instead of computing another)."""
    kb, setting = dx.kb, dx.setting
    _check_pair(kb, a, b)
    prior_odds = kb.prior(a, setting) / kb.prior(b, setting)
    log_lr = 0.0
    for fid, present in dx.counted.items():
        p_a, p_b = kb.likelihood(fid, a, setting), kb.likelihood(fid, b, setting)
        log_lr += math.log(p_a / p_b) if present else math.log((1.0 - p_a) / (1.0 - p_b))
    lr = math.exp(log_lr)
    return PairPosterior(a, b, prior_odds, lr, prior_odds * lr)


def subset_posterior(
    kb: KnowledgeBase,
    conditions: Sequence[str],
    findings: Mapping[str, bool] | None = None,
    setting: str = DEFAULT_SETTING,
) -> dict[str, float]:
    """The differential restricted to a few conditions and renormalised: "if it is one of these".

    For two conditions this is `pair_posterior`; for three (SIJ, facet, piriformis) it answers the
    same question about a group of look-alikes.

    >>> import kneesci
    >>> shares = subset_posterior(kneesci.load(), ["si_joint_pain", "facet_joint_pain"])
    >>> round(sum(shares.values()), 6)
    1.0
    """
    if len(set(conditions)) < 2 or len(set(conditions)) != len(conditions):
        raise ValueError(f"Name two or more different conditions, not {list(conditions)!r}.")
    dx = kb.differential(findings or {}, setting)
    weights = {c: dx.probability(c) for c in conditions}
    total = sum(weights.values())
    return {c: w / total for c, w in weights.items()}


def profile_table(kb: KnowledgeBase, conditions: Sequence[str], findings: Sequence[str]) -> str:
    """P(finding present) in each of several conditions, as plain text; * marks an estimate.

    >>> import kneesci
    >>> print(profile_table(kneesci.load(), ["facet_joint_pain"], ["low_back_pain"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    finding        facet_joint_pain
    Low back pain  0.95*
    """
    for c in conditions:
        kb.check_condition(c)
    width = max([len(kb.findings[kb.check_finding(f)].label) for f in findings] + [7])
    widths = [max(len(c), 5) for c in conditions]
    lines = [
        f"{'finding':<{width}}  "
        + "  ".join(f"{c:<{w}}" for c, w in zip(conditions, widths, strict=True))
    ]
    for f in findings:
        cells = []
        for c, w in zip(conditions, widths, strict=True):
            mark = "*" if kb.likelihood_source(f, c).is_estimate else " "
            cells.append(f"{kb.likelihood(f, c):.2f}{mark}".ljust(w))
        lines.append(f"{kb.findings[f].label:<{width}}  " + "  ".join(cells))
    return "\n".join(line.rstrip() for line in lines)


# --- words (the text twin of the chart and tables) ---------------------------------------------
def ratio_text(lr: float) -> str:
    """A likelihood ratio as ×3.2, or ÷4.0 when it favours the second condition (never ÷1.0)."""
    if lr >= 1.0 or round(1.0 / lr, 1) == 1.0:
        return f"×{lr:.1f}"
    return f"÷{1.0 / lr:.1f}"


def provenance_tag(provenance: Provenance) -> str:
    """'estimate' or the reference key(s) behind a number."""
    return "estimate" if provenance.is_estimate else "; ".join(provenance.keys)


def comparison_table(kb: KnowledgeBase, pair: PairComparison, n: int | None = 5) -> str:
    """The best separating findings as a plain-text table (deterministic, for checked cells).

    Columns: the finding, P(present) in each condition, the ratio a:b when present and when absent
    (× favours the first condition, ÷ the second), and the information in bits.
    """
    rows = pair.rows if n is None else pair.top(n)
    a, b = kb.conditions[pair.a].label, kb.conditions[pair.b].label
    width = max([len(kb.findings[r.finding].label) for r in rows] + [7])
    lines = [
        f"{pair.a} (A) vs {pair.b} (B): {a} vs {b}",
        f"{'finding':<{width}}  P(A)  P(B)  present  absent  bits",
    ]
    for r in rows:
        lines.append(
            f"{kb.findings[r.finding].label:<{width}}  {r.p_a:.2f}  {r.p_b:.2f}  "
            f"{ratio_text(r.lr_present):>7}  {ratio_text(r.lr_absent):>6}  {r.information:.2f}"
        )
    return "\n".join(lines)


def posterior_text(kb: KnowledgeBase, odds: PairPosterior) -> str:
    """One line: the pair's probabilities and the odds multiplier the findings produced."""
    a, b = kb.conditions[odds.a].label, kb.conditions[odds.b].label
    return (
        f"Within the pair: {a} {percent(odds.probability_a)}, {b} {percent(odds.probability_b)} "
        f"(before the findings {percent(odds.prior_probability_a)} vs "
        f"{percent(1.0 - odds.prior_probability_a)}; findings multiplied the odds "
        f"{ratio_text(odds.likelihood_ratio)})"
    )


__all__ = [
    "FindingComparison",
    "PairComparison",
    "PairPosterior",
    "compare",
    "compare_finding",
    "comparison_table",
    "pair_information",
    "pair_odds",
    "pair_posterior",
    "posterior_text",
    "profile_table",
    "subset_posterior",
    "provenance_tag",
    "ratio_text",
]
