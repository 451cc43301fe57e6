"""Red flags raised at a level of concern, from the rules in `data/red_flag_rules.csv`.

A red flag is not one finding with one action. Each rule weighs risk factors and clinical features
together (IFOMPT, Finucane 2020: determine the level of concern, then decide the action) and names
its guideline's own action and timing. All the clinical logic is in the two data files, which a
lecturer can read and edit in a spreadsheet:

- `red_flag_terms.csv` names the groups the rules share ("spinal pain", "a new neurological
  symptom or sign", "evidence of PAD"), each defined once;
- `red_flag_rules.csv` has one row per rule: the flag, its level, the findings that must all be
  present, any-of and at-least-k-of groups, findings recorded absent, the answer assumed for an
  unasked finding (the safer one), an optional score (the two-level DVT Wells score), the action in
  the guideline's words, and the source.

A flag is raised at the most severe level any of its rules reaches; marking a finding present never
lowers a level (the rules only ask for findings present, except where they name an absent one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError
from .reading import report
from .wells import WELLS_FINDINGS, wells_from_findings

LEVELS: tuple[str, ...] = ("immediate", "urgent", "screen", "safety_net")  # most severe first
LEVEL_WORDS: dict[str, str] = {
    "immediate": "Refer immediately",
    "urgent": "Refer urgently",
    "screen": "Screen further now",
    "safety_net": "Safety-net and manage",
}
RAISED = ("immediate", "urgent")  # the levels `Differential.red_flags` lists

RULES_FILE = "red_flag_rules.csv"
TERMS_FILE = "red_flag_terms.csv"
RULE_COLUMNS = (
    "flag",
    "level",
    "all_of",
    "any_of",
    "at_least",
    "absent",
    "assume",
    "score",
    "action",
    "source",
    "note",
)
TERM_COLUMNS = ("term", "label", "any_of", "source", "note")
_SCORE = re.compile(r"^\s*([a-z_]+)\s*(could>=|>=|<=)\s*(-?\d+)\s*$")
_AT_LEAST = re.compile(r"^\s*(\d+)\s*:\s*(.+)$")


def _wells_score(findings: Mapping[str, bool]) -> tuple[int, int]:
    known = wells_from_findings(findings)
    return known.score, known.highest


# Scores a rule may use: name -> (lowest, highest) from what is known. A ">=" test uses the lowest
# (unknown items count nothing, so it can only rise as items are found); "<=" and "could>=" use the
# highest (unknown items count as present: a patient is settled low only when nothing unknown could
# lift the score, and "could>=" holds while it still might).
SCORES: dict[str, Callable[[Mapping[str, bool]], tuple[int, int]]] = {"wells_dvt": _wells_score}
SCORE_FINDINGS: dict[str, tuple[str, ...]] = {"wells_dvt": tuple(WELLS_FINDINGS)}


@dataclass(frozen=True)
class Term:
    """A group of findings the rules share, e.g. "spinal pain"; present if any member is."""

    id: str
    label: str
    members: tuple[str, ...]  # finding ids, other terms already expanded
    source: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Score:
    name: str
    op: str  # ">=", "<=" or "could>="
    value: int

    def __str__(self) -> str:
        return f"{self.name}{self.op}{self.value}"


@dataclass(frozen=True)
class Rule:
    """One row of `red_flag_rules.csv`: when it holds, `flag` is raised at `level`."""

    flag: str
    level: str
    all_of: tuple[str, ...]  # finding or term ids, every one present
    any_of: tuple[tuple[str, ...], ...]  # groups: at least one of each present
    at_least: tuple[tuple[int, tuple[str, ...]], ...]  # (k, ids): k or more present
    absent: tuple[str, ...]  # finding ids recorded absent (or assumed absent)
    assume: tuple[tuple[str, bool], ...]  # answer taken for an unasked finding
    score: Score | None
    action: str
    source: tuple[str, ...]
    note: str
    line: int = 0

    @property
    def assumptions(self) -> dict[str, bool]:
        return dict(self.assume)


@dataclass(frozen=True)
class Concern:
    """One raised red flag at its highest level, with what to do and why."""

    flag: str
    label: str
    level: str
    action: str
    reasons: tuple[str, ...]  # findings recorded present that raised it
    source: tuple[str, ...]  # reference keys
    ask_next: tuple[str, ...]  # unasked findings that would raise it further or settle it
    assumed: dict[str, bool] = field(default_factory=dict, hash=False)  # unasked answers taken
    detail: str = ""  # e.g. the Wells score from what is known and its unknown items

    @property
    def words(self) -> str:
        """The level in words, e.g. 'Refer immediately'."""
        return LEVEL_WORDS[self.level]


class RuleBook:
    """The terms and rules, evaluated against a patient's findings."""

    def __init__(
        self,
        terms: Mapping[str, Term],
        rules: tuple[Rule, ...],
        labels: Mapping[str, str],
        finding_labels: Mapping[str, str] | None = None,
    ):
        self.terms = dict(terms)
        self.rules = rules
        self.labels = dict(labels)  # flag id -> label
        self.finding_labels = dict(finding_labels or {})

    def rules_for(self, flag: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.flag == flag)

    def members(self, ref: str) -> tuple[str, ...]:
        """The findings a rule reference stands for: a term's members, or the finding itself."""
        return self.terms[ref].members if ref in self.terms else (ref,)

    # --- evaluation ---------------------------------------------------------------------------
    def _value(self, rule: Rule, findings: Mapping[str, bool], fid: str) -> bool | None:
        value = findings.get(fid)
        return rule.assumptions.get(fid) if value is None else value

    def _present(self, rule: Rule, findings: Mapping[str, bool], ref: str) -> list[str]:
        return [f for f in self.members(ref) if self._value(rule, findings, f) is True]

    def _holds(self, rule: Rule, findings: Mapping[str, bool]) -> tuple[str, ...] | None:
        """The findings that make the rule hold, or None if it does not."""
        used: list[str] = []
        for ref in rule.all_of:
            hit = self._present(rule, findings, ref)
            if not hit:
                return None
            used += hit
        for group in rule.any_of:
            hit = [f for ref in group for f in self._present(rule, findings, ref)]
            if not hit:
                return None
            used += hit
        for k, group in rule.at_least:
            hit = list(
                dict.fromkeys(f for ref in group for f in self._present(rule, findings, ref))
            )
            if len(hit) < k:
                return None
            used += hit
        if any(self._value(rule, findings, f) is not False for f in rule.absent):
            return None
        if rule.score is not None:
            lowest, highest = SCORES[rule.score.name](findings)
            ok = {
                ">=": lowest >= rule.score.value,
                "<=": highest <= rule.score.value,
                "could>=": highest >= rule.score.value,
            }[rule.score.op]
            if not ok:
                return None
        return tuple(dict.fromkeys(used))

    def _could_hold(self, rule: Rule, findings: Mapping[str, bool]) -> tuple[str, ...]:
        """Unasked findings that, if present, could make a rule hold that does not yet hold."""
        missing: list[str] = []

        def unknown(ref: str) -> list[str]:
            return [f for f in self.members(ref) if self._value(rule, findings, f) is None]

        for ref in rule.all_of:
            if not self._present(rule, findings, ref):
                if not unknown(ref):
                    return ()
                missing += unknown(ref)
        for group in rule.any_of:
            if not any(self._present(rule, findings, ref) for ref in group):
                options = [f for ref in group for f in unknown(ref)]
                if not options:
                    return ()
                missing += options
        for k, group in rule.at_least:
            have = {f for ref in group for f in self._present(rule, findings, ref)}
            options = [f for ref in group for f in unknown(ref) if f not in have]
            if len(have) < k:
                if len(have) + len(options) < k:
                    return ()
                missing += options
        for f in rule.absent:
            if self._value(rule, findings, f) is True:
                return ()
            if self._value(rule, findings, f) is None:
                missing.append(f)
        if rule.score is not None:
            missing += [f for f in SCORE_FINDINGS[rule.score.name] if f not in findings]
        return tuple(dict.fromkeys(missing))

    def concerns(self, findings: Mapping[str, bool]) -> tuple[Concern, ...]:
        """Every raised flag at its highest level, most severe first (then in file order)."""
        found: list[Concern] = []
        for flag in self.labels:
            rules = self.rules_for(flag)
            held = [(r, used) for r in rules if (used := self._holds(r, findings)) is not None]
            if not held:
                continue
            top = min(LEVELS.index(r.level) for r, _ in held)
            at_top = [(r, used) for r, used in held if LEVELS.index(r.level) == top]
            first = at_top[0][0]
            reasons = tuple(
                dict.fromkeys(f for _, used in at_top for f in used if findings.get(f) is True)
            )
            assumed = {f: v for r, _ in at_top for f, v in r.assume if findings.get(f) is None}
            ask: list[str] = list(assumed)  # an assumed answer is worth settling
            for r in rules:
                if LEVELS.index(r.level) < top:
                    ask += self._could_hold(r, findings)
            if any(r.score is not None for r in rules):
                ask += [f for f in WELLS_FINDINGS if f not in findings]
            found.append(
                Concern(
                    flag=flag,
                    label=self.labels[flag],
                    level=LEVELS[top],
                    action=first.action,
                    reasons=reasons,
                    source=tuple(dict.fromkeys(k for r, _ in at_top for k in r.source)),
                    ask_next=tuple(dict.fromkeys(f for f in ask if f not in findings)),
                    assumed=assumed,
                    detail=self._detail(rules, findings),
                )
            )
        found.sort(key=lambda c: LEVELS.index(c.level))  # stable: file order within a level
        return tuple(found)

    def _detail(self, rules: tuple[Rule, ...], findings: Mapping[str, bool]) -> str:
        if not any(r.score is not None and r.score.name == "wells_dvt" for r in rules):
            return ""
        wells = wells_from_findings(findings)
        words = "DVT likely" if wells.score >= 2 else "DVT unlikely"
        text = f"Two-level Wells score {wells.score} from what is known ({words})"
        if wells.unknown:
            labels = (self.finding_labels.get(f, f) for f in wells.unknown)
            names = ", ".join(label[:1].lower() + label[1:] for label in labels)
            text += f"; not yet known: {names}"
        return text + "."


# --- reading the files ----------------------------------------------------------------------------
def read_terms(table, findings: Mapping[str, object], references: Mapping[str, object]) -> dict:
    """`red_flag_terms.csv`: each term's members are findings or terms defined above it."""
    terms: dict[str, Term] = {}
    seen: set[str] = set()
    for line, row in table.rows:
        tid = table.required(line, row, "?", "term")
        if not tid.replace("_", "").isalnum() or tid != tid.lower():
            raise table.error(line, tid, "term", "ids are lower_snake_case.")
        if tid in seen or tid in findings:
            raise table.error(line, tid, "term", f"{tid!r} is already a term or a finding id.")
        seen.add(tid)
        table.required(line, row, tid, "label")
        refs = table.required(line, row, tid, "any_of").split()
        members: list[str] = []
        for ref in refs:
            if ref in terms:
                members += terms[ref].members
            else:
                members.append(
                    table.known(line, tid, "any_of", ref, {**findings, **terms}, "finding or term")
                )
        terms[tid] = Term(
            tid,
            row["label"],
            tuple(dict.fromkeys(members)),
            _sources(table, line, row, tid, references),
            row.get("note", ""),
        )
    return terms


def _sources(table, line: int, row: dict, row_id: str, references: Mapping) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in table.required(line, row, row_id, "source").split(";"))
    for key in keys:
        if key not in references:
            error = table.error(
                line,
                row_id,
                "source",
                f"reference key {key!r} is not in references.csv.",
            )
            raise error
    return keys


def read_rules(
    table,
    flags: Mapping[str, object],
    findings: Mapping[str, object],
    terms: Mapping[str, Term],
    references: Mapping[str, object],
) -> tuple[Rule, ...]:
    """`red_flag_rules.csv`, each row checked: known ids, one of the four levels, a condition, a
    source, an action."""
    refs = {**findings, **terms}
    rules: list[Rule] = []
    for line, row in table.rows:
        flag = table.known(
            line, "?", "flag", table.required(line, row, "?", "flag"), flags, "red-flag"
        )
        level = table.required(line, row, flag, "level")
        if level not in LEVELS:
            raise table.error(line, flag, "level", f"{level!r} is not one of {', '.join(LEVELS)}.")

        def ids(
            text: str, column: str, valid: Mapping, kind: str, line=line, flag=flag
        ) -> tuple[str, ...]:
            return tuple(table.known(line, flag, column, i, valid, kind) for i in text.split())

        all_of = ids(row.get("all_of", ""), "all_of", refs, "finding or term")
        any_of = tuple(
            ids(group, "any_of", refs, "finding or term")
            for group in row.get("any_of", "").split(";")
            if group.strip()
        )
        at_least = []
        for group in (g for g in row.get("at_least", "").split(";") if g.strip()):
            match = _AT_LEAST.match(group)
            if not match:
                raise table.error(
                    line, flag, "at_least", f"{group.strip()!r} should read 'k: id id id'."
                )
            k, members = int(match[1]), ids(match[2], "at_least", refs, "finding or term")
            if not 1 <= k <= len(members):
                raise table.error(
                    line, flag, "at_least", f"k = {k} must be between 1 and {len(members)}."
                )
            at_least.append((k, members))
        absent = ids(row.get("absent", ""), "absent", findings, "finding")
        assume = []
        for item in row.get("assume", "").split():
            fid, _, answer = item.partition("=")
            table.known(line, flag, "assume", fid, findings, "finding")
            if answer not in ("present", "absent"):
                raise table.error(
                    line, flag, "assume", f"{item!r} should read 'finding=present' or '=absent'."
                )
            assume.append((fid, answer == "present"))
        score = None
        if row.get("score", "").strip():
            match = _SCORE.match(row["score"])
            if not match or match[1] not in SCORES:
                raise table.error(
                    line,
                    flag,
                    "score",
                    f"{row['score']!r} should read e.g. 'wells_dvt>=2'; known scores: "
                    f"{', '.join(SCORES)}.",
                )
            score = Score(match[1], match[2], int(match[3]))
        if not (all_of or any_of or at_least):
            raise table.error(
                line,
                flag,
                "all_of",
                "the rule is empty: name the findings in all_of, any_of or at_least.",
            )
        action = table.required(line, row, flag, "action")
        source = _sources(table, line, row, flag, references)
        rules.append(
            Rule(
                flag,
                level,
                all_of,
                any_of,
                tuple(at_least),
                absent,
                tuple(assume),
                score,
                action,
                source,
                row.get("note", ""),
                line,
            )
        )
    reported = {row.get("flag", "").strip() for _, row in table.rows_set_aside}
    for flag in flags:
        if not any(r.flag == flag for r in rules) and flag not in reported:
            # a whole-file problem: reported, not raised, so a check reads on
            report(DataError(f"{table.name}: red flag {flag!r} has no rule.", file=table.name))
    return tuple(rules)


def rules_path(root: Path) -> Path:
    return root / RULES_FILE
