"""The knowledge base: conditions, findings, the probability tables, and the one door to inference.

>>> import kneesci
>>> kb = kneesci.load()
>>> dx = kb.differential({"femoral_nerve_stretch_positive": True, "patellar_reflex_reduced": True})
>>> dx.top in {"l3_radiculopathy", "l4_radiculopathy"}
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import ContradictionError, UnknownIdError
from .inference import Differential
from .loading import (
    BACKGROUND,
    Condition,
    Estimate,
    Finding,
    FindingGroup,
    HowTo,
    Number,
    Provenance,
    RawData,
    RedFlag,
    Reference,
    Setting,
    read_data,
    read_examination_howto,
    read_finding_sections,
)
from .probability import post_test_probability
from .red_flag_rules import RAISED, Concern, Rule, RuleBook, Term

DEFAULT_SETTING = "primary_care"


@dataclass(frozen=True)
class PostTest:
    """One finding applied to one condition's pre-test probability (Bayes in odds form)."""

    condition: str
    finding: str
    present: bool
    pretest: float
    sensitivity: float
    specificity: float
    likelihood_ratio: float
    posttest: float


class KnowledgeBase:
    """Validated conditions, findings, priors and likelihoods, ready for inference."""

    def __init__(self, data: RawData, source: Path):
        self.source = source
        self.conditions: dict[str, Condition] = data.conditions
        self.findings: dict[str, Finding] = data.findings
        self.settings: dict[str, Setting] = data.settings
        self.red_flags: dict[str, RedFlag] = data.red_flags
        self.references: dict[str, Reference] = data.references
        self.implications: tuple[tuple[str, str], ...] = data.implications
        # The red-flag rules and the terms they share (data/red_flag_rules.csv, red_flag_terms.csv)
        self.red_flag_terms: dict[str, Term] = data.red_flag_terms
        self.red_flag_rules: tuple[Rule, ...] = data.red_flag_rules
        self.rule_book = RuleBook(
            data.red_flag_terms,
            data.red_flag_rules,
            {rid: flag.label for rid, flag in data.red_flags.items()},
            {fid: f.label for fid, f in data.findings.items()},
        )
        # How to perform each examination finding; checked here so a bad row fails at load time.
        self.how_tos: dict[str, HowTo] = read_examination_howto(
            source, data.findings, data.references
        )
        # The sections History and Examination are shown in (reflexes, power, ...).
        self.finding_sections: dict[str, str] = read_finding_sections(source, data.findings)
        self._priors = data.priors
        self._overrides = data.likelihoods
        self._spectrum = data.spectrum
        self.finding_groups: dict[str, FindingGroup] = data.finding_groups
        self._group_of = {f: g.id for g in data.finding_groups.values() for f in g.findings}
        self.condition_ids: tuple[str, ...] = tuple(data.conditions)
        self.finding_ids: tuple[str, ...] = tuple(data.findings)
        self._finding_index = {f: i for i, f in enumerate(self.finding_ids)}
        self._condition_index = {c: i for i, c in enumerate(self.condition_ids)}
        # Every probability once, so that a number shared by many cells (a background rate) is one
        # number: the uncertainty analysis draws it once per sample, not once per condition.
        self.numbers: list[Number] = []
        self.number_index: dict[tuple[str, str], int] = {}
        for fid, f in data.findings.items():
            background = Estimate(
                f.background, f.provenance, f.n, f.population, f.reference_standard
            )
            self._add_number("findings.csv", fid, background)
        for cid, rows in data.likelihoods.items():
            for fid, est in rows.items():
                self._add_number(f"likelihoods/{cid}.csv", fid, est)
        for sid, by_target in data.spectrum.items():
            for target, rows in by_target.items():
                for fid, est in rows.items():
                    self._add_number("spectrum.csv", f"{sid}/{target}/{fid}", est)
        for sid, rows in data.priors.items():
            for cid, est in rows.items():
                self._add_number("priors.csv", f"{sid}/{cid}", est)
        # P(finding present | condition, setting), one read-only table per setting, built once.
        # number_of[setting][c, f] is the index in `numbers` of the figure that cell uses.
        self.number_of: dict[str, np.ndarray] = {}
        self._tables: dict[str, np.ndarray] = {}
        self._log_tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        values = np.array([n.estimate.value for n in self.numbers])
        for sid in data.settings:
            cells = np.array(
                [[self._resolve(sid, c, f) for f in self.finding_ids] for c in self.condition_ids]
            )
            table = values[cells]
            for array in (cells, table):
                array.setflags(write=False)
            self.number_of[sid] = cells
            self._tables[sid] = table
            # Inference works in log space so that any number of findings stays finite.
            self._log_tables[sid] = (np.log(table), np.log1p(-table))
        # The primary-care table, from the base files alone (no spectrum rows).
        base = np.array([[f.background for f in data.findings.values()]] * len(self.condition_ids))
        for ci, cid in enumerate(self.condition_ids):
            for fid, est in data.likelihoods[cid].items():
                base[ci, self._finding_index[fid]] = est.value
        base.setflags(write=False)
        self.table = base
        self.log_present = np.log(base)
        self.log_absent = np.log1p(-base)
        self._log_priors = {
            sid: np.log([data.priors[sid][c].value for c in self.condition_ids])
            for sid in self.settings
        }

    def _add_number(self, file: str, row: str, estimate: Estimate) -> None:
        self.number_index[(file, row)] = len(self.numbers)
        self.numbers.append(Number(file, row, estimate))

    def _resolve(self, setting: str, condition: str, finding: str) -> int:
        """Which number gives P(finding | condition, setting): the first of
        1. the setting's spectrum row for this condition, 2. the condition's own likelihood row,
        3. the setting's spectrum background, 4. the finding's background (data-contract order).
        """
        spectrum = self._spectrum.get(setting, {})
        for file, row, found in (
            (
                "spectrum.csv",
                f"{setting}/{condition}/{finding}",
                finding in spectrum.get(condition, {}),
            ),
            (f"likelihoods/{condition}.csv", finding, finding in self._overrides[condition]),
            (
                "spectrum.csv",
                f"{setting}/{BACKGROUND}/{finding}",
                finding in spectrum.get(BACKGROUND, {}),
            ),
        ):
            if found:
                return self.number_index[(file, row)]
        return self.number_index[("findings.csv", finding)]

    def __repr__(self) -> str:
        return (
            f"<KnowledgeBase: {len(self.conditions)} conditions, {len(self.findings)} findings, "
            f"{len(self.settings)} settings, from {self.source}>"
        )

    # --- looking things up -------------------------------------------------------------------
    # The check_* methods return a known id unchanged or raise UnknownIdError with suggestions;
    # every layer that takes an id from a user calls them at its boundary.
    def check_condition(self, condition: str) -> str:
        if condition not in self.conditions:
            raise UnknownIdError("condition", condition, self.conditions)
        return condition

    def check_finding(self, finding: str) -> str:
        if finding not in self.findings:
            raise UnknownIdError("finding", finding, self.findings)
        return finding

    def check_setting(self, setting: str) -> str:
        if setting not in self.settings:
            raise UnknownIdError("setting", setting, self.settings)
        return setting

    def how_to(self, finding: str) -> HowTo | None:
        """How to perform an examination finding, with its reference; None for history items."""
        return self.how_tos.get(self.check_finding(finding))

    def likelihood(self, finding: str, condition: str, setting: str = DEFAULT_SETTING) -> float:
        """P(finding present | condition) in a setting (see `number_for` for which row)."""
        return self.number_for(finding, condition, setting).estimate.value

    def likelihood_source(
        self, finding: str, condition: str, setting: str = DEFAULT_SETTING
    ) -> Provenance:
        """Where P(finding | condition, setting) comes from: a spectrum row, the condition's own
        row, or a background rate."""
        return self.number_for(finding, condition, setting).estimate.provenance

    def number_for(self, finding: str, condition: str, setting: str = DEFAULT_SETTING) -> Number:
        """The row of `data/` that gives P(finding | condition) in a setting."""
        cells = self.number_of[self._table_setting(setting)]
        ci = self._condition_index[self.check_condition(condition)]
        return self.numbers[cells[ci, self.finding_index(finding)]]

    def table_for(self, setting: str = DEFAULT_SETTING) -> np.ndarray:
        """P(finding present | condition) in a setting: conditions x findings, read-only."""
        return self._tables[self._table_setting(setting)]

    def backgrounds(self, setting: str = DEFAULT_SETTING) -> np.ndarray:
        """P(finding present | a condition that does not produce it), one per finding, in a
        setting: the setting's spectrum background where there is one, else `findings.csv`'s."""
        sid = self._table_setting(setting)
        spectrum = self._spectrum.get(sid, {}).get(BACKGROUND, {})
        return np.array(
            [
                spectrum[f].value if f in spectrum else self.findings[f].background
                for f in self.finding_ids
            ]
        )

    def log_tables(self, setting: str = DEFAULT_SETTING) -> tuple[np.ndarray, np.ndarray]:
        """log P(present | condition) and log P(absent | condition) in a setting."""
        return self._log_tables[self._table_setting(setting)]

    def _table_setting(self, setting: str) -> str:
        # A knowledge base without the default setting (a small test one) reads its base table.
        if setting == DEFAULT_SETTING and setting not in self._tables:
            return next(iter(self._tables))
        return self.check_setting(setting)

    def group_of(self, finding: str) -> FindingGroup | None:
        """The group of correlated findings this finding belongs to, if any."""
        return self.finding_groups.get(self._group_of.get(self.check_finding(finding), ""))

    def prior(self, condition: str, setting: str = DEFAULT_SETTING) -> float:
        """Pre-test probability of a condition in a setting."""
        return self._priors[self.check_setting(setting)][self.check_condition(condition)].value

    def prior_estimate(self, condition: str, setting: str = DEFAULT_SETTING) -> Estimate:
        return self._priors[self.check_setting(setting)][self.check_condition(condition)]

    def log_prior(self, setting: str) -> np.ndarray:
        return self._log_priors[self.check_setting(setting)]

    def finding_index(self, finding: str) -> int:
        return self._finding_index[self.check_finding(finding)]

    @cached_property
    def provenance_counts(self) -> dict[str, int]:
        """How many numbers are cited and how many are estimates."""
        provs = [n.estimate.provenance for n in self.numbers]
        estimated = sum(p.is_estimate for p in provs)
        return {"cited": len(provs) - estimated, "estimated": estimated, "total": len(provs)}

    # --- checking what a user passes in -------------------------------------------------------
    def check_findings(self, findings: Mapping[str, bool]) -> dict[str, bool]:
        """Validate observed findings: known ids, boolean values, no contradictions."""
        if not isinstance(findings, Mapping):
            raise TypeError(
                "findings must be a mapping of finding id to True/False, "
                f"not {type(findings).__name__}."
            )
        clean: dict[str, bool] = {}
        for fid, value in findings.items():
            self.check_finding(fid)
            if not isinstance(value, bool | np.bool_):
                raise TypeError(
                    f"Finding {fid!r} must be True (present) or False (absent), not {value!r}; "
                    "leave a finding out when it was not asked."
                )
            clean[fid] = bool(value)
        for fid, value in clean.items():
            for other, follows in self.implied_by(fid, value):
                if clean.get(other, follows) != follows:
                    # named as the rule reads: the implying finding first (over 65, over 50)
                    raise ContradictionError(*((fid, other) if value else (other, fid)))
        return clean

    def implied_by(self, finding: str, value: bool) -> list[tuple[str, bool]]:
        """What one answer settles by the implication rule, the one place the rule is written.

        Each row of `implications.csv` reads "finding implies implied": over 65 present settles
        over 50 present, and over 50 absent settles over 65 absent. Nothing else follows.

        >>> kb = load()
        >>> kb.implied_by("major_trauma", True), kb.implied_by("significant_trauma", False)
        ([('significant_trauma', True)], [('major_trauma', False)])
        >>> kb.implied_by("major_trauma", False)
        []
        """
        if value:
            return [(implied, True) for f, implied in self.implications if f == finding]
        return [(f, False) for f, implied in self.implications if implied == finding]

    @cached_property
    def red_flag_findings(self) -> frozenset[str]:
        """Findings a rule names directly (not through a shared term) at immediate or urgent."""
        named: set[str] = set()
        for rule in self.red_flag_rules:
            if rule.level in RAISED:
                refs = [*rule.all_of, *(r for group in rule.any_of for r in group)]
                named.update(r for r in refs if r in self.findings)
        return frozenset(named)

    def concerns(self, findings: Mapping[str, bool]) -> tuple[Concern, ...]:
        """The red flags these findings raise, each at its highest level, most severe first.

        Needs no posterior (the game and the exercises call it directly). Findings implied by
        recorded ones count as recorded: over 65 is also over 50.
        """
        return self.rule_book.concerns(self.closed_findings(self.check_findings(findings)))

    def closed_findings(self, findings: Mapping[str, bool]) -> dict[str, bool]:
        """The findings plus every answer that follows from them by the implications."""
        closed = dict(findings)
        waiting = list(closed.items())
        while waiting:  # over 65 settles over 60, which settles over 55, ...
            for other, follows in self.implied_by(*waiting.pop()):
                if other not in closed:
                    closed[other] = follows
                    waiting.append((other, follows))
        return closed

    def redundant_findings(self, findings: Mapping[str, bool]) -> set[str]:
        """Observed findings whose value already follows from another observed finding.

        Over 65 settles over 50, and not over 50 settles not over 65; counting both would apply
        the same evidence twice, so the implied one carries no extra weight.
        """
        return {
            other
            for finding, value in findings.items()
            for other, follows in self.implied_by(finding, value)
            if other in findings and findings[other] == follows
        }

    def correlated_findings(
        self, findings: Mapping[str, bool], setting: str = DEFAULT_SETTING
    ) -> dict[str, str]:
        """Observed findings set aside because a stronger finding of their group counts instead.

        Returns finding -> group id. Of a group's observed findings (see `finding_groups.csv`),
        the one whose answer separates the conditions most counts: the widest range, across
        conditions, of log P(finding as observed | condition) in the setting; ties go to the one
        listed first. SLR and slump both tension the sciatic roots, so two positives are one
        piece of evidence, not two.
        """
        log_present, log_absent = self.log_tables(setting)
        set_aside: dict[str, str] = {}
        for gid, group in self.finding_groups.items():
            observed = [f for f in group.findings if f in findings]
            if len(observed) < 2:
                continue
            columns = [self._finding_index[f] for f in observed]
            terms = np.where(
                [findings[f] for f in observed], log_present[:, columns], log_absent[:, columns]
            )
            strongest = observed[int(np.argmax(np.ptp(terms, axis=0)))]
            set_aside.update({f: gid for f in observed if f != strongest})
        return set_aside

    def determined_findings(self, findings: Mapping[str, bool]) -> set[str]:
        """Unasked findings whose answer already follows from the observed ones (by implication)."""
        known = {
            other
            for finding, value in findings.items()
            for other, _ in self.implied_by(finding, value)
        }
        return known - set(findings)

    # --- inference ---------------------------------------------------------------------------
    def differential(
        self,
        findings: Mapping[str, bool] | None = None,
        setting: str = DEFAULT_SETTING,
        *,
        count_groups_once: bool = True,
    ) -> Differential:
        """The posterior over all conditions given the observed findings, plus raised red flags.

        `count_groups_once=False` multiplies correlated findings as if independent (the naive
        model), to show in teaching what counting a group once prevents.
        """
        return Differential(
            self,
            self.check_findings(findings or {}),
            self.check_setting(setting),
            count_groups_once=count_groups_once,
        )

    def post_test(
        self, condition: str, finding: str, present: bool = True, setting: str = DEFAULT_SETTING
    ) -> PostTest:
        """Pre-test to post-test probability for one finding, the Fagan-nomogram calculation.

        The comparison group ("not this condition") is the mix of the other conditions, weighted by
        their pre-test probabilities in the setting, so specificity depends on the setting; and
        the sensitivity is the setting's own where `spectrum.csv` gives one (spectrum bias).
        """
        if not isinstance(present, bool | np.bool_):
            raise TypeError(
                f"present must be True (the finding is present) or False (absent), not {present!r}."
            )
        ci = self._condition_index[self.check_condition(condition)]
        fi = self.finding_index(finding)
        priors = np.exp(self.log_prior(setting))
        table = self.table_for(setting)
        pretest = float(priors[ci])
        others = np.delete(np.arange(len(priors)), ci)
        sensitivity = float(table[ci, fi])
        false_positive = float(priors[others] @ table[others, fi] / priors[others].sum())
        if present:
            lr = sensitivity / false_positive
        else:
            lr = (1.0 - sensitivity) / (1.0 - false_positive)
        return PostTest(
            condition,
            finding,
            bool(present),
            pretest,
            sensitivity,
            1.0 - false_positive,
            lr,
            post_test_probability(pretest, lr),
        )


def bundled_data_path() -> Path:
    """The data folder shipped with the package (or the repository's `data/` in a checkout)."""
    installed = Path(str(resources.files("kneesci"))) / "data"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "data"


_CACHE: dict[Path, KnowledgeBase] = {}


def load(path: str | Path | None = None) -> KnowledgeBase:
    """Load and validate a knowledge base: the bundled one by default, or a data folder you name."""
    root = Path(path) if path is not None else bundled_data_path()
    if path is None and root in _CACHE:
        return _CACHE[root]
    kb = KnowledgeBase(read_data(root), root)
    if path is None:
        _CACHE[root] = kb
    return kb
