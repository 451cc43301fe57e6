"""The case library: virtual patients from `data/cases.yaml`, checked against the knowledge base.

Each case is a published patient (or a labelled composite of a case series) retold in our own words:
what a student first hears (`complaint`), what the history and examination reveal if asked
(`findings`), and the diagnosis the source reached. Problems are reported as
``cases.yaml, case '<id>' (line <n>), field '<field>': <what is wrong>``.

>>> import kneesci
>>> from kneesci.cases import load_cases
>>> kb = kneesci.load()
>>> cases = load_cases(kb)
>>> case = cases["hip_oa_after_knee_replacement"]
>>> case.diagnosis
'hip_osteoarthritis'

Two titles. `student_title` is neutral ("Case 4: 68-year-old man with knee pain"): a number, who the
patient is and a short `presentation` that never names or hints at the diagnosis; the loader
rejects a presentation that does. `instructor_title` (also `title`) may name the diagnosis: show it
only to lecturers. `case.answer(kb)` is what a "Show the answer" step reveals once the student has
committed: diagnosis, teaching point and source.

`red_flags` maps each red flag the case should raise to the lowest level of concern it must reach
(`immediate`, `urgent`, `screen` or `safety_net`); `red_flag_problems` checks it against the model.
A case whose source's answer is an action rather than a diagnosis (a cauda equina syndrome is not
"a radiculopathy") says `scored_on: action`, and `correct_action` names that action.

>>> case.student_title
'Case 4: 68-year-old man with knee pain'
>>> case.answer(kb).diagnosis_label
'Hip osteoarthritis'
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..model.errors import ContradictionError, DataError, did_you_mean
from ..model.reading import SAFE_LOADER, read_yaml, set_aside, shown
from ..model.red_flag_rules import LEVEL_WORDS, LEVELS, RAISED
from .citations import readable, reference_html

if TYPE_CHECKING:
    from ..model.knowledge_base import KnowledgeBase

CASES_FILE = "cases.yaml"
SEXES = ("female", "male", "not stated")
REQUIRED = (
    "id",
    "instructor_title",
    "presentation",
    "age",
    "sex",
    "setting",
    "complaint",
    "story",
    "findings",
    "diagnosis",
    "red_flags",
    "teaching_point",
    "source",
    "source_note",
)
OPTIONAL = ("atypical", "composite", "scored_on")
TEXT_FIELDS = (
    "instructor_title",
    "presentation",
    "complaint",
    "story",
    "teaching_point",
    "source_note",
)
# Age bands the loader derives from `age` (the youngest age in each band), so a case never states
# them twice or inconsistently: "over 50" and "over 65" exclude the number, "55 or over" (the Ottawa
# knee rule) and "60 or over" (NICE NG12) include it.
AGE_FINDINGS = {"age_over_50": 51, "age_over_55": 55, "age_over_60": 60, "age_over_65": 66}

# A case scored on its action is answered at the level of its most urgent expected red flag, in
# the words the explorer shows (LEVEL_WORDS: "Refer immediately", "Refer urgently", ...). Flags
# raised at REFERRAL_LEVELS are the model's `dx.red_flags`: a case must declare every one of those.
REFERRAL_LEVELS = RAISED
SCORED_ON = ("diagnosis", "action")

# Words that name or hint at a diagnosis, kept out of everything a student sees before committing
# (the student title). Condition labels and ids are added from the knowledge base. Matched as whole
# words, ignoring case; a trailing "*" matches any ending (radicul* catches radiculopathy).
# fmt: off
DIAGNOSTIC_WORDS = (
    "disc", "disk", "hernia*", "prolapse*", "extrusion", "sequest*", "radicul*", "root", "roots",
    "sciatica", "neuropath*", "neuritis", "plexus", "plexopath*", "amyotrophy", "palsy", "nerve",
    "stenosis", "spondyl*", "claudication", "osteoarthritis", "arthritis", "arthrosis", "OA",
    "PAD", "SIJ", "sacroiliac", "piriformis", "deep gluteal", "facet", "zygapophys*", "peroneal",
    "fibular", "femoral", "sciatic", "obturator", "saphenous", "iliac", "iliacus", "haematoma",
    "hematoma", "artery", "arteries", "arterial", "vascular", "ischaemi*", "ischemi*", "occlusion",
    "atheroscler*", "diabet*", "cauda", "equina", "syndrome", "L1", "L2", "L3", "L4", "L5", "S1",
    "S2", "L3-L4", "L4-L5", "L5-S1", "composite",
)
# History that gives the diagnosis away in a title: the discriminating answer the student should
# earn by asking (a drug, an operation, a fall, a position, the walking pattern, the response to
# treatment, the quality of a neuropathic pain), where a title should name only the body region.
# Checked in titles, not in the complaint, where a patient may well say "since I fell".
HISTORY_GIVEAWAYS = (
    "warfarin", "anticoagula*", "apixaban", "rivaroxaban", "heparin", "INR", "blood thinner*",
    "fall", "falls", "fell", "fallen", "fracture*", "cancer", "tumour", "tumor", "malignan*",
    "metasta*", "weight loss", "weight-loss", "losing weight", "bariatric", "diet", "dieting",
    "childbirth", "birth", "delivery", "labour", "postpartum", "pregnan*", "surgery",
    "operation", "operated", "sitting on the floor", "cross-legged", "leg crossing",
    "prolonged squatting", "uphill", "cycling", "trolley", "cramp*", "stocking", "burning",
    "tingling",
    "did not help", "failed", "smok*", "steroid*", "fever*", "injecting", "chemotherapy",
    "insulin", "sugar",
)
# fmt: on


@dataclass(frozen=True)
class CaseAnswer:
    """What "Show the answer" reveals after the student commits (or up front in instructor mode)."""

    case_id: str
    instructor_title: str
    diagnosis: str
    diagnosis_label: str
    teaching_point: str
    sources: tuple[str, ...]  # full citations, one per reference key
    source_note: str
    red_flags: tuple[str, ...]  # labels of the red flags the case should raise, with their level
    atypical: bool
    composite: bool
    # The same teaching point, note and sources as HTML: labels for ids, linked "Author Year".
    teaching_point_html: str = ""
    source_note_html: str = ""
    sources_html: tuple[str, ...] = ()

    def _kind(self) -> str:
        kind = []
        if self.atypical:
            kind.append("an atypical presentation")
        if self.composite:
            kind.append("a composite of a published series or criteria set")
        return f" ({'; '.join(kind)})" if kind else ""

    def markdown(self) -> str:
        """The answer as Markdown, for a printed case card or a text export."""
        lines = [
            f"**Diagnosis:** {self.diagnosis_label}{self._kind()}",
            f"**Case:** {self.instructor_title}",
            f"**Teaching point:** {self.teaching_point}",
        ]
        if self.red_flags:
            lines.append(f"**Red flags to act on:** {'; '.join(self.red_flags)}")
        lines.append(f"**From the source:** {self.source_note}")
        lines.extend(f"**Source:** {citation}" for citation in self.sources)
        return "\n\n".join(lines)

    def html(self) -> str:
        """The answer as HTML for a widget's answer panel: headings, labels, linked references."""
        esc = html.escape
        parts = [
            f"<p><b>Diagnosis:</b> {esc(self.diagnosis_label + self._kind())}</p>",
            f"<p><b>Case:</b> {esc(self.instructor_title)}</p>",
            f"<p><b>Teaching point:</b> {self.teaching_point_html or esc(self.teaching_point)}</p>",
        ]
        if self.red_flags:
            parts.append(f"<p><b>Red flags to act on:</b> {esc('; '.join(self.red_flags))}</p>")
        note = self.source_note_html or esc(self.source_note)
        parts.append(f"<p><b>From the source:</b> {note}</p>")
        sources = self.sources_html or tuple(esc(s) for s in self.sources)
        label = "Source" if len(sources) == 1 else "Sources"
        items = "".join(f"<li>{s}</li>" for s in sources)
        parts.append(f"<p><b>{label}:</b></p><ul class='kneesci-sources'>{items}</ul>")
        return "".join(parts)


def diagnostic_terms(kb: KnowledgeBase | None = None) -> tuple[str, ...]:
    """Every word or phrase a student-facing title must not contain (labels and ids of `kb`)."""
    terms = list(DIAGNOSTIC_WORDS)
    if kb is not None:
        for cid, condition in kb.conditions.items():
            terms += [cid, cid.replace("_", " "), condition.label]
    return tuple(terms)


def names_a_diagnosis(text: str, kb: KnowledgeBase | None = None) -> str | None:
    """The first diagnostic word or label in `text` (whole words, any case), or None."""
    return _first_match(text, diagnostic_terms(kb))


def gives_history_away(text: str) -> str | None:
    """The first history give-away in `text` ("after a fall", "on warfarin"), or None."""
    return _first_match(text, HISTORY_GIVEAWAYS)


def title_giveaway(text: str, kb: KnowledgeBase | None = None) -> str | None:
    """What a student title must not hold: a diagnostic word, or history that gives it away."""
    return names_a_diagnosis(text, kb) or gives_history_away(text)


def _first_match(text: str, terms: Iterable[str]) -> str | None:
    for term in terms:
        stem = r"\s+".join(re.escape(w) for w in term.rstrip("*").split())
        stem += r"\w*" if term.endswith("*") else ""
        if re.search(rf"(?<![\w-]){stem}(?![\w-])", text, flags=re.IGNORECASE):
            return term
    return None


@dataclass(frozen=True)
class Case:
    """One virtual patient. `findings` is what the patient or examination reveals if asked.

    `title` is the instructor's title and may name the diagnosis; students see `student_title`.
    """

    id: str
    title: str
    age: int | None
    sex: str
    setting: str
    complaint: str
    story: str
    findings: dict[str, bool] = field(hash=False)
    diagnosis: str
    # red flag -> the lowest level of concern it must reach. A plain sequence of ids (a simulated
    # patient's `dx.red_flags`, or a 0.2 case list) means each is raised at least at `urgent`.
    red_flags: Mapping[str, str] = field(hash=False)
    teaching_point: str
    source: tuple[str, ...]
    source_note: str
    atypical: bool = False
    composite: bool = False
    simulated: bool = False
    presentation: str = ""  # neutral: "knee and groin pain"; never names the diagnosis
    number: int | None = None  # 1-based position in the library (its student-facing number)
    scored_on: str = "diagnosis"  # "action": the game scores the action, not the diagnosis

    def __post_init__(self) -> None:
        flags = self.red_flags
        if not isinstance(flags, Mapping):
            flags = dict.fromkeys(flags, "urgent")
        object.__setattr__(self, "red_flags", dict(flags))

    @property
    def correct_action(self) -> str | None:
        """The action the most urgent expected red flag calls for ("Refer immediately"), or None."""
        if not self.red_flags:
            return None
        most_urgent = min(self.red_flags.values(), key=LEVELS.index)
        return LEVEL_WORDS[most_urgent]

    @property
    def instructor_title(self) -> str:
        """The lecturer's title: it may name the diagnosis, so show it only in instructor mode."""
        return self.title

    @property
    def student_title(self) -> str:
        """A neutral title for students: number, age, sex and presentation, never the diagnosis."""
        if self.simulated or self.number is None:
            return "Simulated patient" if self.simulated else "Patient"
        who = {"female": "woman", "male": "man"}.get(self.sex, "adult")
        if self.age is not None:
            who = f"{self.age}-year-old {who}"
        return f"Case {self.number}: {who} with {self.presentation}"

    def answer(self, kb: KnowledgeBase) -> CaseAnswer:
        """What "Show the answer" reveals: diagnosis, teaching point and source, with labels.

        Ids in the text become their labels and reference keys "Author Year", as students read.
        """
        return CaseAnswer(
            case_id=self.id,
            instructor_title=self.title,
            diagnosis=self.diagnosis,
            diagnosis_label=kb.conditions[self.diagnosis].label,
            teaching_point=readable(self.teaching_point, kb),
            sources=tuple(kb.references[key].citation() for key in self.source),
            source_note=readable(self.source_note, kb),
            red_flags=tuple(
                f"{kb.red_flags[r].label} ({LEVEL_WORDS[level].lower()})"
                for r, level in self.red_flags.items()
            ),
            atypical=self.atypical,
            composite=self.composite,
            teaching_point_html=readable(self.teaching_point, kb, as_html=True),
            source_note_html=readable(self.source_note, kb, as_html=True),
            sources_html=tuple(reference_html(kb.references[key]) for key in self.source),
        )

    def reveal(self, finding: str) -> bool | None:
        """The answer to one question: True, False, or None when the record does not say."""
        return self.findings.get(finding)

    @property
    def visible_findings(self) -> dict[str, bool]:
        """What a clinician knows on meeting the patient, before asking anything: the age bands."""
        return {f: v for f, v in self.findings.items() if f in AGE_FINDINGS}

    def describe(self) -> str:
        """The opening line a student sees: who the patient is and what they complain of."""
        if self.age is None and self.sex not in ("female", "male"):
            who = "An adult"
        else:
            age = f"{self.age}-year-old " if self.age is not None else ""
            phrase = age + {"female": "woman", "male": "man"}.get(self.sex, "adult")
            vowel_sound = phrase[0] in "aeiou8" or phrase.startswith(("11-", "18-"))
            who = f"{'An' if vowel_sound else 'A'} {phrase}"
        return f"{who}. {self.complaint}"


def cases_path(kb: KnowledgeBase) -> Path:
    """The case library that belongs with a knowledge base (its data folder's cases.yaml)."""
    return Path(kb.source) / CASES_FILE


def load_cases(kb: KnowledgeBase | None = None, path: str | Path | None = None) -> dict[str, Case]:
    """Read and validate the case library; returns cases keyed by id, in file order."""
    if kb is None:
        from ..model.knowledge_base import load

        kb = load()
    file = Path(path) if path is not None else cases_path(kb)
    name = file.name
    if not file.is_file():
        raise DataError(f"{name}: file is missing ({file}).")
    text, document = read_yaml(file, name)
    lines = _case_lines(text)
    if not isinstance(document, Mapping) or not isinstance(document.get("cases"), list):
        raise DataError(f"{name}: expected a top-level 'cases:' list.")
    cases: dict[str, Case] = {}
    for index, raw in _cases_to_read(document["cases"], lines, name):
        line = lines[index] if index < len(lines) else 0
        case = _read_case(raw, kb, name, line, index, number=index + 1)
        if case.id in cases:
            raise _Checker(name, case.id, line).error("id", "duplicate id.")
        cases[case.id] = case
    return cases


def _cases_to_read(items: list, lines: list[int], name: str) -> list[tuple[int, Any]]:
    """(index, case) for each case, less those a running check has already reported."""
    skipped = set_aside(name)
    return [
        (index, raw)
        for index, raw in enumerate(items)
        if index >= len(lines) or lines[index] not in skipped
    ]


def _case_lines(text: str) -> list[int]:
    """The 1-based line on which each item of the `cases:` list starts (YAML keeps no lines)."""
    root = yaml.compose(text, Loader=SAFE_LOADER)
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "cases" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


class _Checker:
    """Builds messages that name the file, the case, the line and the field."""

    def __init__(self, name: str, case_id: str, line: int):
        self.name, self.case_id, self.line = name, case_id, line

    def error(self, field_name: str, problem: str) -> DataError:
        return DataError(
            f"{self.name}, case '{self.case_id}' (line {self.line}), field '{field_name}': "
            f"{problem}",
            file=self.name,
            line=self.line,
            row=self.case_id,
            field=field_name,
        )

    def known(self, field_name: str, value: Any, valid: Mapping, kind: str) -> str:
        if not isinstance(value, str) or value not in valid:
            hint = did_you_mean(value, valid)
            error = self.error(field_name, f"unknown {kind} id {shown(value)}.{hint}")
            error.unknown = str(value)
            raise error
        return value


def _read_case(raw: Any, kb: KnowledgeBase, name: str, line: int, index: int, number: int) -> Case:
    if not isinstance(raw, Mapping):
        raise DataError(
            f"{name}, case #{index + 1} (line {line}): expected a mapping of fields.",
            file=name,
            line=line,
        )
    case_id = raw.get("id")
    check = _Checker(name, str(case_id) if case_id else f"#{index + 1}", line)
    for key in REQUIRED:
        if key not in raw:
            raise check.error(key, "is missing.")
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise check.error(unknown[0], f"is not a case field (fields: {', '.join(REQUIRED)}).")
    if (
        not isinstance(case_id, str)
        or not case_id.replace("_", "").isalnum()
        or (case_id != case_id.lower())
    ):
        raise check.error("id", "ids are lower_snake_case.")
    for key in TEXT_FIELDS:
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise check.error(key, "must be non-empty text.")
    hint = title_giveaway(raw["presentation"], kb)
    if hint:
        raise check.error(
            "presentation", f"names or hints at a diagnosis ({hint!r}); students see it first."
        )
    age = raw["age"]
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 < age < 120):
        raise check.error("age", f"{shown(age)} is not a whole number of years (or null).")
    if raw["sex"] not in SEXES:
        raise check.error("sex", f"{shown(raw['sex'])} is not one of {', '.join(SEXES)}.")
    setting = check.known("setting", raw["setting"], kb.settings, "setting")
    diagnosis = check.known("diagnosis", raw["diagnosis"], kb.conditions, "condition")
    findings = _read_findings(raw["findings"], age, kb, check)
    red_flags = _read_red_flags(raw["red_flags"], kb, check)
    source = _read_source(raw["source"], kb, check)
    flags: dict[str, Any] = {}
    for key in ("atypical", "composite"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise check.error(key, f"must be true or false, not {shown(value)}.")
        flags[key] = value
    scored_on = raw.get("scored_on", "diagnosis")
    if scored_on not in SCORED_ON:
        raise check.error("scored_on", f"{scored_on!r} is not one of {', '.join(SCORED_ON)}.")
    if scored_on == "action" and not red_flags:
        raise check.error("scored_on", "a case scored on its action must expect a red flag.")
    return Case(
        id=case_id,
        title=" ".join(raw["instructor_title"].split()),
        age=age,
        sex=raw["sex"],
        setting=setting,
        complaint=raw["complaint"].strip(),
        story=" ".join(raw["story"].split()),
        findings=findings,
        diagnosis=diagnosis,
        red_flags=red_flags,
        teaching_point=" ".join(raw["teaching_point"].split()),
        source=source,
        source_note=" ".join(raw["source_note"].split()),
        **flags,
        presentation=" ".join(raw["presentation"].split()),
        number=number,
        scored_on=scored_on,
    )


def _read_findings(
    raw: Any, age: int | None, kb: KnowledgeBase, check: _Checker
) -> dict[str, bool]:
    if not isinstance(raw, Mapping) or not raw:
        raise check.error("findings", "must map at least one finding id to true/false.")
    findings: dict[str, bool] = {}
    for fid, value in raw.items():
        check.known("findings", fid, kb.findings, "finding")
        if not isinstance(value, bool):
            raise check.error("findings", f"{fid}: {shown(value)} is not true or false.")
        findings[fid] = value
    if age is not None:
        for fid, threshold in AGE_FINDINGS.items():
            if fid not in kb.findings:
                continue
            derived = age >= threshold
            if fid in findings and findings[fid] != derived:
                raise check.error(
                    "findings", f"{fid}: {findings[fid]} contradicts age {age}; leave it out."
                )
            findings[fid] = derived
    try:
        kb.check_findings(findings)
    except ContradictionError as exc:
        raise check.error("findings", str(exc)) from None
    # Age bands first, then the file's order: the order a clinician would read the record.
    return {f: findings[f] for f in sorted(findings, key=lambda f: f not in AGE_FINDINGS)}


def _read_red_flags(raw: Any, kb: KnowledgeBase, check: _Checker) -> dict[str, str]:
    """flag id -> expected level. The 0.2 list of ids is read as each flag at least `urgent`."""
    if isinstance(raw, list):
        raw = dict.fromkeys(raw, "urgent")
    if not isinstance(raw, Mapping):
        raise check.error(
            "red_flags",
            "must map red-flag ids to a level, e.g. {cauda_equina_syndrome: immediate}.",
        )
    declared: dict[str, str] = {}
    for rid, level in raw.items():
        check.known("red_flags", rid, kb.red_flags, "red-flag")
        if level not in LEVELS:
            raise check.error(
                "red_flags", f"{rid}: level {level!r} is not one of {', '.join(LEVELS)}."
            )
        declared[rid] = level
    return declared


def red_flag_problems(kb: KnowledgeBase, case: Case) -> list[str]:
    """How the model's concerns for the case's findings differ from what the case expects.

    Each expected flag must be raised at its level or a more urgent one; no other flag may be
    raised at `immediate` or `urgent` (a `screen` or `safety_net` concern the case does not list is
    allowed: it asks for more, it does not send the patient anywhere). Empty when they agree.
    """
    dx = kb.differential(case.findings, setting=case.setting)
    raised: dict[str, str] = {}
    for concern in dx.concerns:
        level = raised.get(concern.flag)
        if level is None or LEVELS.index(concern.level) < LEVELS.index(level):
            raised[concern.flag] = concern.level
    problems = []
    for flag, expected in case.red_flags.items():
        got = raised.get(flag)
        if got is None:
            problems.append(f"{case.id}: expects {flag} at {expected}, the model raises nothing")
        elif LEVELS.index(got) > LEVELS.index(expected):
            problems.append(f"{case.id}: expects {flag} at {expected}, the model raises {got}")
    for flag, got in raised.items():
        if flag not in case.red_flags and got in REFERRAL_LEVELS:
            problems.append(f"{case.id}: does not expect {flag}, the model raises it at {got}")
    return problems


def _read_source(raw: Any, kb: KnowledgeBase, check: _Checker) -> tuple[str, ...]:
    if not isinstance(raw, str) or not raw.strip():
        raise check.error("source", "must name reference key(s) from references.csv.")
    keys = tuple(k.strip() for k in raw.split(";") if k.strip())
    for key in keys:
        if key not in kb.references:
            error = check.error("source", f"reference key {shown(key)} is not in references.csv.")
            error.unknown = key
            raise error
    return keys


def cases_per_condition(kb: KnowledgeBase, cases: Mapping[str, Case]) -> dict[str, int]:
    """How many cases the library holds for each condition (zero included), in condition order."""
    counts = dict.fromkeys(kb.conditions, 0)
    for case in cases.values():
        counts[case.diagnosis] += 1
    return counts


def case_choices(cases: Iterable[Case], instructor: bool = False) -> list[tuple[str, str]]:
    """(label, case id) pairs for a case picker, in library order.

    Students see neutral titles; in instructor mode each label adds the instructor's title.
    """
    return [
        (f"{c.student_title} ({c.instructor_title})" if instructor else c.student_title, c.id)
        for c in cases
    ]


# Notebook 6 solves these two in the open, so the game never serves them.
WORKED_EXAMPLES = ("hip_oa_after_knee_replacement", "bilateral_foot_drop_after_diet")


def game_order(cases: Mapping[str, Case]) -> list[Case]:
    """The cases the game offers: worked examples left out, in a fixed shuffled order.

    The library is written condition by condition, so in that order a case's neighbours hint at
    its diagnosis. Sorting by a hash of the id mixes them, and every student sees the same list.
    """
    playable = [c for cid, c in cases.items() if cid not in WORKED_EXAMPLES]
    return sorted(playable, key=lambda c: hashlib.sha256(c.id.encode("utf-8")).hexdigest())
