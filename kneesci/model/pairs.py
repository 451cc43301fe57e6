"""Two problems at once: clinically recognised pairs of conditions beside the single conditions.

Older adults with knee or leg pain often have two sources (knee or hip osteoarthritis with lumbar
stenosis or an L3/L4 root, a root lesion with polyneuropathy, stenosis with peripheral artery
disease). `dx.ranked()` keeps the one-condition-at-a-time model; `dx.pairs()` asks, in a small
hypothesis space of the single conditions plus the pairs in `data/pairs.csv`, how likely each
pair is against either of its halves alone.

The model, stated so that it can be checked by hand:

- **Prior.** A row of `pairs.csv` gives P(partner | condition): of patients whose leg pain is
  put down to `condition` (the index condition, the one the prevalence was measured in), the
  share who also have `partner`. The pair's prior is carved out of the index condition's:
  P(both) = P(condition) x P(partner | condition), and P(condition alone) = P(condition) x
  (1 - the sum of its partners' shares). The partner's own prior is unchanged, so the priors of
  the whole space still sum to 1.
- **Likelihood (leaky noisy-OR).** A finding is present if either condition produces it, or if
  something else does (the leak: the finding's background rate L, its probability in a
  condition that does not produce it). Each condition's P(present) already includes the leak,
  so the leak is counted once:
  P(present | both) = 1 - (1 - p_a)(1 - p_b) / (1 - L).
  With L = 0 this is the textbook noisy-OR 1 - (1 - p_a)(1 - p_b). Where one condition makes a
  finding rarer than the background, the result lies between p_a and p_b; where both do, it is
  held at the smaller of the two (having both cannot make a finding rarer than the rarer half).
- **Absent findings.** P(absent | both) = 1 - P(present | both) = (1 - p_a)(1 - p_b) / (1 - L):
  smaller than for either half alone when both produce the finding. An absent finding that
  both halves usually produce counts *more* against the pair than against either condition:
  the pair has to explain the absence twice.

Findings are counted as in `dx` (implied findings and correlated groups set aside the same way).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .loading import Estimate, _Table, evidence_weight
from .probability import normalise_log

# A differential and its knowledge base are read through their attributes only: importing either
# module here, even for type hints, would close an import circle (inference imports this module).
Differential = Any
KnowledgeBase = Any

FILE = "pairs.csv"
COLUMNS = ("condition", "partner", "label", "probability", "n", "source", "note")
# "Both" is shown when the pair holds at least this much of the whole hypothesis space...
SHOW_BOTH_AT = 0.20
# ...and is at least as likely as its two halves alone together (odds of 1 or more).
SHOW_BOTH_SHARE = 0.5
# A finding argues for one half when the pair explains it this many times better than the
# other half alone does.
ARGUES_FOR = 1.5


@dataclass(frozen=True)
class Pair:
    """Two conditions that are recognised to occur together, with P(partner | condition)."""

    condition: str  # the index condition: the prevalence was measured in patients with it
    partner: str
    label: str
    co_occurrence: Estimate

    @property
    def id(self) -> str:
        return f"{self.condition}+{self.partner}"


def noisy_or(p_a: np.ndarray, p_b: np.ndarray, leak: np.ndarray) -> np.ndarray:
    """P(finding present | both conditions), leaky noisy-OR, the leak counted once.

    >>> float(noisy_or(np.array(0.5), np.array(0.5), np.array(0.0)))
    0.75
    >>> round(float(noisy_or(np.array(0.6), np.array(0.3), np.array(0.1))), 4)
    0.6889
    """
    p_a, p_b, leak = np.asarray(p_a), np.asarray(p_b), np.asarray(leak)
    both = 1.0 - (1.0 - p_a) * (1.0 - p_b) / (1.0 - leak)
    result: np.ndarray = np.maximum(both, np.minimum(p_a, p_b))
    return result


def read_pairs(path: Path, kb: KnowledgeBase) -> dict[str, Pair]:
    """Read and check `pairs.csv` against the knowledge base (file, line and field in errors)."""
    table = _Table(path, COLUMNS, path.parent)
    pairs: dict[str, Pair] = {}
    shares: dict[str, float] = {}
    for line, row in table.rows:
        # A condition may index several pairs, so the row is named by its pair, not its first
        # column, and uniqueness is checked on the pair.
        cid = table.required(line, row, "?", "condition")
        table.known(line, cid, "condition", cid, kb.conditions, "condition")
        for field in ("partner", "label"):
            table.required(line, row, cid, field)
        partner = row["partner"]
        table.known(line, cid, "partner", partner, kb.conditions, "condition")
        if partner == cid:
            raise table.error(line, cid, "partner", "a pair needs two different conditions.")
        pid = f"{cid}+{partner}"
        if pid in pairs or f"{partner}+{cid}" in pairs:
            raise table.error(line, cid, "partner", f"the pair {pid!r} is listed twice.")
        probability = table.probability(line, row, cid, "probability")
        provenance = table.provenance(line, row, cid, kb.references)
        n = evidence_weight(table, line, row, cid, provenance)
        shares[cid] = shares.get(cid, 0.0) + probability
        if shares[cid] >= 1.0:
            raise table.error(
                line, cid, "probability", f"the partners of {cid} add up to {shares[cid]:.2f}; "
                "they share its prior, so together they must stay below 1."
            )  # fmt: skip
        estimate = Estimate(probability, provenance, n)
        pairs[pid] = Pair(cid, partner, row["label"], estimate)
    return pairs


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def pairs_for(kb: KnowledgeBase) -> dict[str, Pair]:
    """The pairs beside a knowledge base ({} when its folder has no `pairs.csv`), read once."""
    if kb not in _CACHE:
        path = Path(kb.source) / FILE
        _CACHE[kb] = read_pairs(path, kb) if path.is_file() else {}
    pairs: dict[str, Pair] = _CACHE[kb]
    return pairs


@dataclass(frozen=True)
class PairResult:
    """One pair in the hypothesis space: P(both), P(each half alone), and why."""

    pair: Pair
    both: float
    only_condition: float
    only_partner: float
    # (finding, how many times better the pair explains it than the other half alone)
    for_condition: tuple[tuple[str, float], ...]
    for_partner: tuple[tuple[str, float], ...]

    @property
    def share(self) -> float:
        """P(both) against either half alone: both / (both + condition alone + partner alone)."""
        return self.both / (self.both + self.only_condition + self.only_partner)

    @property
    def shown(self) -> bool:
        """True when the explorer says "both" (see SHOW_BOTH_AT and SHOW_BOTH_SHARE)."""
        return self.both >= SHOW_BOTH_AT and self.share >= SHOW_BOTH_SHARE


def hypothesis_space(dx: Differential) -> tuple[list[str], np.ndarray]:
    """(hypothesis ids, posterior): every single condition, then every pair ("a+b")."""
    kb = dx.kb
    pairs = list(pairs_for(kb).values())
    priors = np.exp(kb.log_prior(dx.setting))
    index = {c: i for i, c in enumerate(kb.condition_ids)}
    single_prior = priors.copy()
    pair_prior = np.array(
        [priors[index[p.condition]] * p.co_occurrence.value for p in pairs], dtype=float
    )
    for p, weight in zip(pairs, pair_prior, strict=True):
        single_prior[index[p.condition]] -= weight
    single_terms = dx._terms.sum(axis=1) if dx.counted else np.zeros(len(priors))
    pair_terms = np.array([_pair_terms(dx, p).sum() for p in pairs], dtype=float)
    log_joint = np.concatenate(
        [np.log(single_prior) + single_terms, np.log(pair_prior) + pair_terms]
    )
    return [*kb.condition_ids, *(p.id for p in pairs)], normalise_log(log_joint)


def _pair_terms(dx: Differential, pair: Pair) -> np.ndarray:
    """log P(each counted finding as observed | both conditions of the pair)."""
    if not dx.counted:
        return np.zeros(0)
    kb = dx.kb
    table = kb.table_for(dx.setting)
    a, b = kb.condition_ids.index(pair.condition), kb.condition_ids.index(pair.partner)
    observed = dx._observed
    present = noisy_or(table[a, observed], table[b, observed], kb.backgrounds(dx.setting)[observed])
    terms: np.ndarray = np.where(dx._values, np.log(present), np.log1p(-present))
    return terms


def pairs_of(dx: Differential) -> list[PairResult]:
    """Each pair with P(both), P(condition alone), P(partner alone); most probable pair first."""
    ids, posterior = hypothesis_space(dx)
    p = dict(zip(ids, posterior, strict=True))
    results = []
    kb = dx.kb
    for pair in pairs_for(kb).values():
        both_terms = _pair_terms(dx, pair)
        rows = {c: dx._terms[kb.condition_ids.index(c)] for c in (pair.condition, pair.partner)}
        results.append(
            PairResult(
                pair,
                float(p[pair.id]),
                float(p[pair.condition]),
                float(p[pair.partner]),
                # A finding argues for the partner when the pair explains it better than the
                # index condition alone does, and the other way round.
                _arguing(dx, both_terms - rows[pair.partner]),
                _arguing(dx, both_terms - rows[pair.condition]),
            )
        )
    return sorted(results, key=lambda r: -r.both)


def _arguing(dx: Differential, log_ratio: np.ndarray) -> tuple[tuple[str, float], ...]:
    ratios = [(f, float(np.exp(r))) for f, r in zip(dx.counted, log_ratio, strict=True)]
    return tuple(sorted(((f, r) for f, r in ratios if r >= ARGUES_FOR), key=lambda fr: -fr[1]))
