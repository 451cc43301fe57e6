"""Read the knowledge-base files in `data/` and check every row before anything uses them.

Each problem is reported as ``<file>, line <n> (<id>), field '<field>': <what is wrong>`` so an
instructor editing a spreadsheet knows exactly where to look. The files themselves are read by
`kneesci.reading`, which also lets ``python -m kneesci check`` collect every problem in one run.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, did_you_mean
from .reading import number_hint, read_csv, report, set_aside
from .red_flag_rules import (
    RULE_COLUMNS,
    RULES_FILE,
    TERM_COLUMNS,
    TERMS_FILE,
    read_rules,
    read_terms,
)

ESTIMATE = "estimate"
FINDING_GROUPS = ("history", "symptom", "examination")
PRIOR_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str
    year: str
    title: str
    journal: str
    doi: str = ""
    pmid: str = ""
    url: str = ""

    def citation(self) -> str:
        """A short citation line: authors (year). Title. Journal. doi/PMID."""
        tail = f" doi:{self.doi}" if self.doi else (f" PMID {self.pmid}" if self.pmid else "")
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}.{tail}".strip()


@dataclass(frozen=True)
class Provenance:
    """Where a number comes from: reference keys, or an estimate with its reason."""

    source: str
    note: str

    @property
    def is_estimate(self) -> bool:
        return self.source == ESTIMATE

    @property
    def keys(self) -> tuple[str, ...]:
        return () if self.is_estimate else tuple(k.strip() for k in self.source.split(";"))


@dataclass(frozen=True)
class Condition:
    id: str
    label: str
    group: str
    description: str


@dataclass(frozen=True)
class Finding:
    id: str
    label: str
    group: str
    description: str
    background: float
    provenance: Provenance
    n: int | None = None  # evidence weight of the background (patients without the condition)
    population: str = ""  # who the background was measured in (POPULATIONS); "" = not recorded
    reference_standard: str = ""  # what decided who had the condition, in a few words


@dataclass(frozen=True)
class Setting:
    id: str
    label: str
    description: str
    population: str = ""  # the POPULATIONS value its patients belong to; "" = not recorded


@dataclass(frozen=True)
class RedFlag:
    """A red flag: what it is and its source. When it is raised, and at which level, is in the
    rules (`red_flag_rules.csv`, see `kneesci.red_flag_rules`)."""

    id: str
    label: str
    description: str
    provenance: Provenance


@dataclass(frozen=True)
class Estimate:
    """One probability with its provenance, e.g. P(slr_positive | l5_radiculopathy)."""

    value: float
    provenance: Provenance
    n: int | None = None  # evidence weight: patients behind a cited figure; None for an estimate
    population: str = ""  # who the figure was measured in (POPULATIONS); "" = not recorded
    reference_standard: str = ""  # what decided who had the condition, in a few words


@dataclass(frozen=True)
class Number:
    """One probability in `data/`, named as an instructor finds it: the file and the row.

    e.g. ``Number("likelihoods/l5_radiculopathy.csv", "slr_positive", estimate)``; the row of a
    prior is ``setting/condition`` and of a spectrum figure ``setting/condition/finding``.
    """

    file: str
    row: str
    estimate: Estimate

    @property
    def name(self) -> str:
        return f"{self.file}: {self.row}"


@dataclass(frozen=True)
class RawData:
    """Everything read from a data folder, checked row by row but not yet assembled."""

    conditions: dict[str, Condition]
    findings: dict[str, Finding]
    settings: dict[str, Setting]
    priors: dict[str, dict[str, Estimate]]  # setting -> condition -> estimate
    likelihoods: dict[str, dict[str, Estimate]]  # condition -> finding -> estimate
    red_flags: dict[str, RedFlag]
    implications: tuple[tuple[str, str], ...]
    references: dict[str, Reference]
    # setting -> condition id or BACKGROUND -> finding -> estimate (from the optional spectrum.csv)
    spectrum: dict[str, dict[str, dict[str, Estimate]]] = dataclasses.field(default_factory=dict)
    finding_groups: dict[str, FindingGroup] = dataclasses.field(default_factory=dict)
    red_flag_terms: dict = dataclasses.field(default_factory=dict)  # id -> red_flag_rules.Term
    red_flag_rules: tuple = ()  # red_flag_rules.Rule, in file order


class _Table:
    """Rows of one CSV file, with the file name and line number kept for error messages."""

    def __init__(
        self, path: Path, columns: tuple[str, ...], root: Path, *, require_rows: bool = False
    ):
        self.name = (
            path.relative_to(root.parent).as_posix()
            if path.is_relative_to(root.parent)
            else str(path)
        )
        skipped = set_aside(self.name)  # rows a running check has already reported
        read = read_csv(path, columns, self.name, require_rows=require_rows)
        self.rows = [(n, row) for n, row in read if n not in skipped]
        # Rows already reported by a running check: what follows from them is not reported again.
        self.rows_set_aside = [(n, row) for n, row in read if n in skipped]

    def error(self, line: int, row_id: str, field: str, problem: str) -> DataError:
        return DataError(
            f"{self.name}, line {line} ({row_id}), field '{field}': {problem}",
            file=self.name,
            line=line,
            row=row_id,
            field=field,
        )

    def required(self, line: int, row: dict, row_id: str, field: str) -> str:
        value = row.get(field, "")
        if not value:
            raise self.error(line, row_id, field, "is empty.")
        return value

    def probability(self, line: int, row: dict, row_id: str, field: str) -> float:
        text = self.required(line, row, row_id, field)
        try:
            value = float(text)
        except ValueError:
            raise self.error(
                line, row_id, field, f"{text!r} is not a number.{number_hint(text)}"
            ) from None
        if not (0.0 < value < 1.0) or math.isnan(value):
            raise self.error(
                line, row_id, field, f"{text} is not a probability strictly between 0 and 1."
            )
        return value

    def provenance(self, line: int, row: dict, row_id: str, references: dict) -> Provenance:
        source = self.required(line, row, row_id, "source")
        note = row.get("note", "")
        prov = Provenance(source, note)
        if not note:
            reason = (
                "an estimate needs its reason"
                if prov.is_estimate
                else "state the exact figure used"
            )
            raise self.error(line, row_id, "note", f"is empty ({reason}).")
        for key in prov.keys:
            if key not in references:
                error = self.error(
                    line,
                    row_id,
                    "source",
                    f"reference key {key!r} is not in references.csv (or write 'estimate').",
                )
                error.unknown = key  # unknown only because references.csv broke, perhaps
                raise error
        return prov

    def population(self, line: int, row: dict, row_id: str) -> str:
        value = row.get("population", "")
        if value not in POPULATIONS:
            known = ", ".join(POPULATIONS)
            hint = did_you_mean(value, POPULATIONS)
            raise self.error(line, row_id, "population", f"{value!r} is not one of {known}.{hint}")
        return value

    def known(self, line: int, row_id: str, field: str, value: str, valid: dict, kind: str) -> str:
        if value not in valid:
            hint = did_you_mean(value, valid)
            error = self.error(line, row_id, field, f"unknown {kind} id {value!r}.{hint}")
            error.unknown = value
            raise error
        return value


def _unique(table: _Table, line: int, seen: set, row_id: str) -> None:
    if row_id in seen:
        raise table.error(line, row_id, "id", f"duplicate id {row_id!r}.")
    seen.add(row_id)


def _records(table: _Table, fields: tuple[str, ...]) -> list[tuple[int, str, dict]]:
    """(line, id, row) for each row, with the id checked present, well formed and unique."""
    seen: set[str] = set()
    out = []
    for line, row in table.rows:
        row_id = table.required(line, row, "?", fields[0])
        if not row_id.replace("_", "").isalnum() or row_id != row_id.lower():
            raise table.error(line, row_id, fields[0], "ids are lower_snake_case.")
        _unique(table, line, seen, row_id)
        for field in fields[1:]:
            table.required(line, row, row_id, field)
        out.append((line, row_id, row))
    return out


def read_data(root: Path) -> RawData:
    """Read and check every file in a knowledge-base folder."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{root}: knowledge-base folder not found.")
    check_folder_readable(root)

    def table(name: str, *columns: str) -> _Table:
        # The model's own tables: emptied, they would silently change every answer.
        return _Table(root / name, columns, root, require_rows=name in REQUIRED_ROWS)

    refs_t = table(
        "references.csv", "key", "authors", "year", "title", "journal", "doi", "pmid", "url"
    )
    references = {
        key: Reference(**{k: row[k] for k in Reference.__dataclass_fields__})
        for _, key, row in _records(refs_t, ("key", "authors", "year", "title"))
    }

    cond_t = table("conditions.csv", "id", "label", "group", "description")
    conditions = {
        cid: Condition(cid, row["label"], row["group"], row["description"])
        for _, cid, row in _records(cond_t, ("id", "label", "group", "description"))
    }

    find_t = table(
        "findings.csv", "id", "label", "group", "description", "background", "source", "note"
    )
    findings = {}
    for line, fid, row in _records(find_t, ("id", "label", "group", "description")):
        if row["group"] not in FINDING_GROUPS:
            raise find_t.error(
                line, fid, "group", f"{row['group']!r} is not one of {', '.join(FINDING_GROUPS)}."
            )
        prov = find_t.provenance(line, row, fid, references)
        findings[fid] = Finding(
            fid,
            row["label"],
            row["group"],
            row["description"],
            find_t.probability(line, row, fid, "background"),
            prov,
            evidence_weight(find_t, line, row, fid, prov),
            *measured_in(find_t, line, row, fid, prov),
        )

    set_t = table("settings.csv", "id", "label", "description")
    settings = {
        sid: Setting(
            sid,
            row["label"],
            row["description"],
            set_t.population(line, row, sid) if row.get("population") else "",
        )
        for line, sid, row in _records(set_t, ("id", "label", "description"))
    }

    prior_t = table("priors.csv", "setting", "condition", "probability", "source", "note")
    priors: dict[str, dict[str, Estimate]] = {s: {} for s in settings}
    for line, row in prior_t.rows:
        sid = prior_t.known(line, "?", "setting", row["setting"], settings, "setting")
        cid = prior_t.known(line, sid, "condition", row["condition"], conditions, "condition")
        row_id = f"{sid}/{cid}"
        if cid in priors[sid]:
            raise prior_t.error(
                line, row_id, "condition", f"duplicate prior for {cid!r} in {sid!r}."
            )
        priors[sid][cid] = Estimate(
            prior_t.probability(line, row, row_id, "probability"),
            prov := prior_t.provenance(line, row, row_id, references),
            evidence_weight(prior_t, line, row, row_id, prov),
        )
    for sid, table_of_setting in priors.items():
        if set_aside(prior_t.name):  # a row the check has set aside would make the sums wrong
            break
        missing = [c for c in conditions if c not in table_of_setting]
        if missing:
            report(
                DataError(
                    f"{prior_t.name}: setting {sid!r} has no prior for {', '.join(missing)}.",
                    file=prior_t.name,
                )
            )
            continue
        total = sum(e.value for e in table_of_setting.values())
        if abs(total - 1.0) > PRIOR_TOLERANCE:
            report(
                DataError(
                    f"{prior_t.name}: priors for setting {sid!r} sum to {total:.6f}, not 1. "
                    "Adjust them so the conditions add up to 1.",
                    file=prior_t.name,
                )
            )

    likelihoods: dict[str, dict[str, Estimate]] = {c: {} for c in conditions}
    for path in likelihood_files(root, conditions):
        cid = path.stem
        like_t = _Table(
            path, ("finding", "probability", "source", "note"), root, require_rows=cid in conditions
        )
        if cid not in conditions:
            report(
                DataError(
                    f"{like_t.name}: file name {cid!r} is not a condition id in conditions.csv."
                    f"{did_you_mean(cid, conditions)}",
                    file=like_t.name,
                )
            )
            continue
        for line, row in like_t.rows:
            fid = like_t.known(line, "?", "finding", row["finding"], findings, "finding")
            if fid in likelihoods[cid]:
                raise like_t.error(line, fid, "finding", f"duplicate row for {fid!r}.")
            likelihoods[cid][fid] = Estimate(
                like_t.probability(line, row, fid, "probability"),
                prov := like_t.provenance(line, row, fid, references),
                evidence_weight(like_t, line, row, fid, prov),
                *measured_in(like_t, line, row, fid, prov),
            )

    flag_t = table("red_flags.csv", "id", "label", "description", "source", "note")
    red_flags = {}
    for line, rid, row in _records(flag_t, ("id", "label", "description")):
        red_flags[rid] = RedFlag(
            rid,
            row["label"],
            row["description"],
            flag_t.provenance(line, row, rid, references),
        )
    terms: dict = {}
    if (root / TERMS_FILE).is_file():
        terms = read_terms(table(TERMS_FILE, *TERM_COLUMNS), findings, references)
    rules = read_rules(table(RULES_FILE, *RULE_COLUMNS), red_flags, findings, terms, references)

    imp_t = table("implications.csv", "finding", "implies", "note")
    implications = []
    for line, row in imp_t.rows:
        a = imp_t.known(line, "?", "finding", row["finding"], findings, "finding")
        b = imp_t.known(line, a, "implies", row["implies"], findings, "finding")
        if a == b:
            raise imp_t.error(line, a, "implies", "a finding cannot imply itself.")
        implications.append((a, b))

    return RawData(
        conditions,
        findings,
        settings,
        priors,
        likelihoods,
        red_flags,
        tuple(implications),
        references,
        read_spectrum(root, settings, conditions, findings, references),
        read_finding_groups(root, findings, references),
        terms,
        rules,
    )


REQUIRED_ROWS = ("references.csv", "conditions.csv", "findings.csv", "settings.csv", "priors.csv")
LIKELIHOODS = "likelihoods"


def check_folder_readable(folder: Path) -> None:
    """A folder whose contents cannot be listed is named with the fix, not a traceback."""
    try:
        os.listdir(folder)
    except PermissionError:
        raise DataError(
            f"{folder}: permission denied, the folder cannot be read. Give your user permission "
            f"to open it (e.g. chmod u+rx '{folder}'), then try again."
        ) from None


def likelihood_files(root: Path, conditions: Mapping[str, Condition]) -> list[Path]:
    """The likelihood files to read: every condition must have its own, a missing one is named.

    Without its file a condition silently falls back to the background rates, and its
    probability after a positive test can fall tenfold, so a missing, misnamed or unreadable file
    is a problem, never a quiet default.
    """
    folder = root / LIKELIHOODS
    where = f"{root.name}/{LIKELIHOODS}"
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        report(
            DataError(
                f"{where}/: folder is missing; every condition needs its likelihood file "
                f"({where}/<condition id>.csv). Restore the folder (e.g. with git).",
                file=where,
            )
        )
        return []
    except PermissionError:
        report(
            DataError(
                f"{where}/: permission denied, the folder cannot be read, so no condition has its "
                f"likelihoods. Give your user permission to open it (e.g. chmod u+rx "
                f"'{folder}'), then try again.",
                file=where,
            )
        )
        return []
    files = [folder / n for n in names if n.endswith(".csv")]
    present = {p.stem for p in files}
    for cid in conditions:
        if cid in present:
            continue
        other = next((n for n in names if n.lower() == f"{cid}.csv"), None)
        fix = (
            f"rename {other} to {cid}.csv (the extension is lower case)"
            if other
            else "restore it (e.g. with git) or add the condition's rows"
        )
        report(
            DataError(
                f"{where}/{cid}.csv: file is missing; condition {cid!r} has no likelihoods, so "
                f"every finding would fall back to its background rate. Fix: {fix}.",
                file=f"{where}/{cid}.csv",
            )
        )
    return files


# --- evidence weight, spectrum and correlated findings ------------------------------------------
# Kept apart from the general CSV reading above: these are the model's own extensions.
BACKGROUND = "background"
GROUP_RULES = ("strongest",)


def evidence_weight(
    table: _Table, line: int, row: dict, row_id: str, provenance: Provenance
) -> int | None:
    """The optional `n` column: how many patients a cited figure rests on (blank = unknown).

    An estimate has no patients behind it, so its `n` stays blank; the engine gives it a small
    pseudo-count instead (see `kneesci.uncertainty`).
    """
    text = row.get("n", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise table.error(line, row_id, "n", f"{text!r} is not a whole number.") from None
    if not value.is_integer() or value < 1:
        raise table.error(
            line, row_id, "n", f"{text} is not a whole number of patients (1 or more)."
        )
    if provenance.is_estimate:
        raise table.error(
            line, row_id, "n", "an estimate has no patients behind it: leave n blank, or cite."
        )
    return int(value)


# Who a figure was measured in. The first-contact patient is step 0; patients sent on to a
# specialist or for imaging are step 1; patients selected by the test that confirmed them (a block,
# an operation, an angiogram, nerve studies, an arthroscopy) are step 2. The steps between a
# figure's population and a setting's discount its evidence weight (`kneesci.uncertainty`).
POPULATIONS: dict[str, tuple[int, str]] = {
    "primary_care": (0, "in primary care"),
    "community": (0, "in a community cohort"),
    "referred": (1, "in patients referred to specialist care"),
    "imaging_referenced": (1, "in patients sent for imaging"),
    "surgical": (2, "in a surgical series"),
    "block_confirmed": (2, "in patients selected for diagnostic blocks"),
    "injection_cohort": (2, "in patients referred for injection"),
    "angiography": (2, "in patients having angiography"),
    "arthroscopy": (2, "in patients having hip arthroscopy"),
    "electrodiagnostic": (2, "in patients referred for nerve studies"),
}
NOT_MEASURED = ("", ESTIMATE)  # an estimate's population: blank or 'estimate'


def measured_in(
    table: _Table, line: int, row: dict, row_id: str, provenance: Provenance
) -> tuple[str, str]:
    """The optional `population` and `reference_standard` columns (blank = not recorded).

    A cited row names one of `POPULATIONS`; an estimate was measured in no one, so it leaves
    both blank (or writes `estimate`). A row without the columns (appended by an older editor)
    reads as not recorded.
    """
    population = row.get("population", "")
    standard = row.get("reference_standard", "")
    if provenance.is_estimate:
        if population not in NOT_MEASURED:
            raise table.error(
                line,
                row_id,
                "population",
                f"an estimate was measured in no population: leave it blank or write "
                f"'estimate', not {population!r}.",
            )
        return "", ""
    if population:
        table.population(line, row, row_id)
    elif standard:
        raise table.error(
            line, row_id, "population", "is empty, but a reference standard is given: name both."
        )
    return population, standard


def read_spectrum(
    root: Path,
    settings: dict[str, Setting],
    conditions: dict[str, Condition],
    findings: dict[str, Finding],
    references: dict[str, Reference],
) -> dict[str, dict[str, dict[str, Estimate]]]:
    """Setting-specific probabilities from the optional `spectrum.csv`.

    Returns setting -> condition id (or ``background``) -> finding -> estimate.
    """
    path = root / "spectrum.csv"
    if not path.is_file():
        return {}
    table = _Table(path, ("setting", "condition", "finding", "probability", "source", "note"), root)
    targets = {**conditions, BACKGROUND: None}
    spectrum: dict[str, dict[str, dict[str, Estimate]]] = {}
    for line, row in table.rows:
        sid = table.known(line, "?", "setting", row["setting"], settings, "setting")
        cid = table.known(
            line, sid, "condition", row["condition"], targets, "condition (or 'background')"
        )
        fid = table.known(line, f"{sid}/{cid}", "finding", row["finding"], findings, "finding")
        row_id = f"{sid}/{cid}/{fid}"
        rows = spectrum.setdefault(sid, {}).setdefault(cid, {})
        if fid in rows:
            raise table.error(line, row_id, "finding", f"duplicate row for {row_id!r}.")
        prov = table.provenance(line, row, row_id, references)
        rows[fid] = Estimate(
            table.probability(line, row, row_id, "probability"),
            prov,
            evidence_weight(table, line, row, row_id, prov),
            *measured_in(table, line, row, row_id, prov),
        )
    return spectrum


@dataclass(frozen=True)
class FindingGroup:
    """Findings that examine the same structure, so they are not independent evidence.

    Rule ``strongest``: of the group's observed findings only the one that separates the
    conditions most is counted; the others add nothing (see `KnowledgeBase.correlated_findings`).
    """

    id: str
    findings: tuple[str, ...]
    rule: str
    provenance: Provenance


def read_finding_groups(
    root: Path, findings: dict[str, Finding], references: dict[str, Reference]
) -> dict[str, FindingGroup]:
    """Groups of correlated findings from the optional `finding_groups.csv`."""
    path = root / "finding_groups.csv"
    if not path.is_file():
        return {}
    table = _Table(path, ("id", "findings", "rule", "source", "note"), root)
    groups: dict[str, FindingGroup] = {}
    member_of: dict[str, str] = {}
    for line, gid, row in _records(table, ("id", "findings", "rule")):
        members = tuple(row["findings"].split())
        for fid in members:
            table.known(line, gid, "findings", fid, findings, "finding")
            if fid in member_of:
                raise table.error(
                    line,
                    gid,
                    "findings",
                    f"{fid!r} is already in group {member_of[fid]!r}; a finding joins one group.",
                )
            member_of[fid] = gid
        if len(set(members)) < 2:
            raise table.error(line, gid, "findings", "a group needs two or more findings.")
        if row["rule"] not in GROUP_RULES:
            raise table.error(
                line, gid, "rule", f"{row['rule']!r} is not one of {', '.join(GROUP_RULES)}."
            )
        groups[gid] = FindingGroup(
            gid, members, row["rule"], table.provenance(line, row, gid, references)
        )
    return groups


# --- Sections within History and Examination (data/finding_sections.csv) -------------------------
SECTIONS_FILE = "finding_sections.csv"


def read_finding_sections(root: Path, findings: dict[str, Finding]) -> dict[str, str]:
    """Read and check `finding_sections.csv`: finding id -> the section it is shown under.

    Sections appear in the order of their first row, findings in the order of the rows. The file
    is optional, and a finding it leaves out is shown after the sections; a row must name a known
    finding once, give a section, and keep each section within one group.
    """
    path = Path(root) / SECTIONS_FILE
    if not path.is_file():
        return {}
    table = _Table(path, ("finding", "section"), Path(root))
    out: dict[str, str] = {}
    group_of_section: dict[str, str] = {}
    for line, row in table.rows:
        fid = table.known(line, "?", "finding", row["finding"], findings, "finding")
        if fid in out:
            raise table.error(line, fid, "finding", f"duplicate row for {fid!r}.")
        section = table.required(line, row, fid, "section")
        group = group_of_section.setdefault(section, findings[fid].group)
        if group != findings[fid].group:
            raise table.error(
                line,
                fid,
                "section",
                f"section {section!r} holds {group} findings; {fid!r} is a "
                f"{findings[fid].group} finding.",
            )
        out[fid] = section
    return out


# --- How to perform each examination finding (data/examination_howto.csv) -----------------------
HOWTO_FILE = "examination_howto.csv"


@dataclass(frozen=True)
class HowTo:
    """A short description of how to perform one examination, with its reference(s)."""

    finding: str
    how_to: str
    source: str
    note: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.source.split(";"))


def read_examination_howto(
    root: Path, findings: dict[str, Finding], references: dict[str, Reference]
) -> dict[str, HowTo]:
    """Read and check `examination_howto.csv`: one row per examination finding, each referenced.

    The file is optional (a teaching data folder may leave it out); when present every row must
    name a known examination finding once, say how to do it, and cite keys in references.csv.
    """
    path = Path(root) / HOWTO_FILE
    if not path.is_file():
        return {}
    table = _Table(path, ("finding", "how_to", "source", "note"), Path(root))
    out: dict[str, HowTo] = {}
    for line, row in table.rows:
        fid = table.known(line, "?", "finding", row["finding"], findings, "finding")
        if findings[fid].group != "examination":
            raise table.error(
                line,
                fid,
                "finding",
                f"{fid!r} is a {findings[fid].group} finding, not examination.",
            )
        if fid in out:
            raise table.error(line, fid, "finding", f"duplicate row for {fid!r}.")
        how = HowTo(
            fid,
            table.required(line, row, fid, "how_to"),
            table.required(line, row, fid, "source"),
            row.get("note", ""),
        )
        for key in how.keys:
            if key not in references:
                raise table.error(
                    line, fid, "source", f"reference key {key!r} is not in references.csv."
                )
        out[fid] = how
    return out
