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
    Condition,
    Estimate,
    Finding,
    HowTo,
    Provenance,
    RawData,
    RedFlag,
    Reference,
    Setting,
    read_data,
    read_examination_howto,
)

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


def post_test_probability(pretest: float, likelihood_ratio: float) -> float:
    """Post-test probability from pre-test probability and a likelihood ratio.

    >>> round(post_test_probability(0.2, 4.0), 3)
    0.5
    """
    odds = pretest / (1.0 - pretest) * likelihood_ratio
    return odds / (1.0 + odds)


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
        # How to perform each examination finding; checked here so a bad row fails at load time.
        self.how_tos: dict[str, HowTo] = read_examination_howto(
            source, data.findings, data.references
        )
        self._priors = data.priors
        self._overrides = data.likelihoods
        self.condition_ids: tuple[str, ...] = tuple(data.conditions)
        self.finding_ids: tuple[str, ...] = tuple(data.findings)
        self._finding_index = {f: i for i, f in enumerate(self.finding_ids)}
        # P(finding present | condition): background everywhere, overridden per condition.
        table = np.array([[f.background for f in data.findings.values()]] * len(self.condition_ids))
        for ci, cid in enumerate(self.condition_ids):
            for fid, est in data.likelihoods[cid].items():
                table[ci, self._finding_index[fid]] = est.value
        table.setflags(write=False)
        self.table = table
        # Inference works in log space so that any number of findings stays finite.
        self.log_present = np.log(table)
        self.log_absent = np.log1p(-table)
        self._log_priors = {
            sid: np.log([data.priors[sid][c].value for c in self.condition_ids])
            for sid in self.settings
        }

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

    def likelihood(self, finding: str, condition: str) -> float:
        """P(finding present | condition)."""
        ci = self.condition_ids.index(self.check_condition(condition))
        return float(self.table[ci, self._finding_index[self.check_finding(finding)]])

    def likelihood_source(self, finding: str, condition: str) -> Provenance:
        """Where P(finding | condition) comes from (the condition's own row, or the background)."""
        self.check_finding(finding)
        est = self._overrides[self.check_condition(condition)].get(finding)
        return est.provenance if est else self.findings[finding].provenance

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
        provs = [f.provenance for f in self.findings.values()]
        provs += [e.provenance for table in self._overrides.values() for e in table.values()]
        provs += [e.provenance for table in self._priors.values() for e in table.values()]
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
        for finding, implied in self.implications:
            if clean.get(finding) is True and clean.get(implied) is False:
                raise ContradictionError(finding, implied)
        return clean

    def redundant_findings(self, findings: Mapping[str, bool]) -> set[str]:
        """Observed findings whose value already follows from another observed finding.

        Over 65 settles over 50, and not over 50 settles not over 65; counting both would apply
        the same evidence twice, so the implied one carries no extra weight.
        """
        redundant = set()
        for finding, implied in self.implications:
            if findings.get(finding) is True and findings.get(implied) is True:
                redundant.add(implied)
            if findings.get(implied) is False and findings.get(finding) is False:
                redundant.add(finding)
        return redundant

    def determined_findings(self, findings: Mapping[str, bool]) -> set[str]:
        """Unasked findings whose answer already follows from the observed ones (by implication)."""
        known = set()
        for finding, implied in self.implications:
            if findings.get(finding) is True:
                known.add(implied)
            if findings.get(implied) is False:
                known.add(finding)
        return known - set(findings)

    # --- inference ---------------------------------------------------------------------------
    def differential(
        self, findings: Mapping[str, bool] | None = None, setting: str = DEFAULT_SETTING
    ) -> Differential:
        """The posterior over all conditions given the observed findings, plus raised red flags."""
        return Differential(self, self.check_findings(findings or {}), self.check_setting(setting))

    def post_test(
        self, condition: str, finding: str, present: bool = True, setting: str = DEFAULT_SETTING
    ) -> PostTest:
        """Pre-test to post-test probability for one finding, the Fagan-nomogram calculation.

        The comparison group ("not this condition") is the mix of the other conditions, weighted by
        their pre-test probabilities in the setting, so specificity depends on the setting.
        """
        ci = self.condition_ids.index(self.check_condition(condition))
        fi = self.finding_index(finding)
        priors = np.exp(self.log_prior(setting))
        pretest = float(priors[ci])
        others = np.delete(np.arange(len(priors)), ci)
        sensitivity = float(self.table[ci, fi])
        false_positive = float(priors[others] @ self.table[others, fi] / priors[others].sum())
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
    return Path(__file__).resolve().parent.parent / "data"


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
