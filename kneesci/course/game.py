"""The diagnostic game: meet a patient, ask one question at a time, commit, and get feedback.

The game is plain Python (no widgets) so that tests and notebooks drive it the same way a student
does through `kneesci.widgets.game`:

>>> import kneesci
>>> from kneesci.cases import load_cases
>>> kb = kneesci.load()
>>> game = Game(load_cases(kb)["hip_oa_after_knee_replacement"], kb)
>>> game.ask("knee_pain")
True
>>> feedback = game.commit("hip_osteoarthritis")
>>> feedback.correct
True

It also holds practice mode (`simulate_patient`), the session `ScoreSheet`, and the model's own
accuracy on the library (`library_accuracy`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from ..model.knowledge_base import KnowledgeBase
from ..model.patient import Patient
from ..model.probability import percent
from ..model.red_flag_rules import LEVEL_WORDS, LEVELS
from .calibration import brier_score
from .cases import Case
from .concerns import concern_text

SIMULATED_LABEL = (
    "SIMULATED PATIENT: findings drawn at random from the model's own probabilities; "
    "not a real person."
)
HIDDEN = "hidden by the instructor"
SUGGESTIONS_SHOWN = 3
# The actions a student chooses from: one per level of concern, most urgent first.
ACTIONS: tuple[str, ...] = tuple(LEVEL_WORDS[level] for level in LEVELS)


class GameError(ValueError):
    """A move the game does not allow (asking twice, asking after committing, ...)."""


@dataclass(frozen=True)
class Step:
    """One question and how the differential moved after its answer."""

    number: int
    finding: str
    answer: bool | None  # None: the record does not say
    suggested: tuple[str, ...]  # the model's best questions just before this one
    ranked: tuple[tuple[str, float], ...]  # the whole differential after the answer
    diagnosis_probability: float | None  # None when answers are hidden
    red_flags: tuple[str, ...]

    @property
    def followed_suggestion(self) -> bool:
        return self.finding in self.suggested

    @property
    def top(self) -> str:
        return self.ranked[0][0]


@dataclass(frozen=True)
class Feedback:
    """The verdict after committing, with everything needed to explain it."""

    case_id: str
    simulated: bool
    committed: str
    diagnosis: str | None  # None when answers are hidden
    correct: bool | None  # None when answers are hidden
    start: tuple[tuple[str, float], ...]
    steps: tuple[Step, ...]
    questions_used: int
    suggestions_followed: int
    questions_to_lead: int | None  # student's questions until the diagnosis led (None: never)
    suggested_questions_to_lead: int | None  # the same, asking in information-gain order
    missed_red_flag_findings: tuple[str, ...]
    unacknowledged_red_flags: tuple[str, ...]
    teaching_point: str | None
    message: str
    # How sure the student said they were of `committed` (None: not asked), and the model's own
    # posterior for the same condition given the same findings, to set the two side by side.
    confidence: float | None = None
    model_probability: float | None = None
    # The action chosen (a level's words, e.g. "Refer immediately"; None: none chosen), the one
    # the case's most urgent expected red flag calls for, and whether they agree (None: the case
    # expects no red flag, or answers are hidden). A case `scored_on: action` is scored on this.
    action: str | None = None
    correct_action: str | None = None
    action_correct: bool | None = None
    scored_on: str = "diagnosis"

    @property
    def red_flags_missed(self) -> bool:
        return bool(self.missed_red_flag_findings or self.unacknowledged_red_flags)


class Game:
    """One patient: ask questions (each reveals one finding), acknowledge red flags, commit."""

    def __init__(self, case: Case, kb: KnowledgeBase, *, hide_answers: bool = False):
        self.case = case
        self.kb = kb
        self.hide_answers = hide_answers
        # What the student has found so far: the same Patient object the explorer holds.
        self.patient = Patient(kb, case.setting, case.visible_findings)
        self.asked: list[str] = []
        self.steps: list[Step] = []
        self.acknowledged: set[str] = set()
        self.feedback: Feedback | None = None
        self.confidence: float | None = None
        self.action: str | None = None
        self.start = tuple(self.differential().ranked())

    @property
    def known(self) -> dict[str, bool]:
        """The findings found so far (the patient's), by id."""
        return self.patient.findings

    @property
    def finished(self) -> bool:
        return self.feedback is not None

    def differential(self):
        """The model's differential given what has been found so far."""
        return self.patient.differential()

    def suggestions(self, n: int = SUGGESTIONS_SHOWN) -> list[tuple[str, float]]:
        """Unasked findings ranked by expected information gain (bits), best first."""
        return _suggest(self.kb, self.differential(), set(self.asked) | set(self.known), n)

    def ask(self, finding: str) -> bool | None:
        """Ask one question or do one test; returns the finding (None: not recorded)."""
        self.kb.check_finding(finding)
        if self.finished:
            raise GameError("The game is over: you have already committed to a diagnosis.")
        if finding in self.asked or finding in self.known:
            raise GameError(f"{self.kb.findings[finding].label!r} is already known.")
        suggested = tuple(f for f, _ in self.suggestions())
        answer = self.case.reveal(finding)
        self.asked.append(finding)
        if answer is not None:
            self.patient.set(finding, answer)
        dx = self.differential()
        self.steps.append(
            Step(
                number=len(self.steps) + 1,
                finding=finding,
                answer=answer,
                suggested=suggested,
                ranked=tuple(dx.ranked()),
                diagnosis_probability=(
                    None if self.hide_answers else dx.probability(self.case.diagnosis)
                ),
                red_flags=tuple(dx.red_flags),
            )
        )
        return answer

    def acknowledge_red_flag(self, red_flag: str) -> None:
        """Say you would act on a red flag (for cauda equina: immediate referral to hospital)."""
        if red_flag not in self.kb.red_flags:
            raise GameError(f"Unknown red flag {red_flag!r}.")
        self.acknowledged.add(red_flag)

    def commit(
        self,
        condition: str | None = None,
        confidence: float | None = None,
        *,
        action: str | None = None,
    ) -> Feedback:
        """Commit to a diagnosis and an action, optionally saying how sure you are; get feedback.

        `action` is one of `ACTIONS` ("Refer immediately", "Refer urgently", "Screen further
        now", "Safety-net and manage") or a level id; a flagged case is scored on it too. A case
        `scored_on: action` (cauda equina, say) is scored on the action alone, so it needs no
        diagnosis. The game is then over. Saying how sure you are lets the score sheet measure
        calibration: are you right about as often as you expect to be?
        """
        action = check_action(action)
        if self.case.scored_on == "action":
            if action is None:
                raise GameError(
                    "This patient is scored on the action: choose one of " + _or(ACTIONS)
                )
            if condition:
                self.kb.check_condition(condition)
        else:
            if not condition:
                raise GameError("Choose a diagnosis to commit to.")
            self.kb.check_condition(condition)
        confidence = check_confidence(confidence)
        if self.finished:
            raise GameError("You have already committed to a diagnosis.")
        self.confidence = confidence
        self.action = action
        self.feedback = self._feedback(condition or "", hidden=self.hide_answers)
        return self.feedback

    def reveal(self) -> Feedback:
        """The full feedback with the answer, for the instructor to show after class."""
        if not self.finished:
            raise GameError("Nobody has committed to a diagnosis yet.")
        return self._feedback(self.feedback.committed, hidden=False)

    def _feedback(self, committed: str, hidden: bool) -> Feedback:
        case, kb = self.case, self.kb
        steps = tuple(
            replace(
                s,
                diagnosis_probability=None if hidden else _probability(s.ranked, case.diagnosis),
            )
            for s in self.steps
        )
        # the red-flag findings (not the back pain beside them) that raise the case's flags at
        # immediate or urgent
        triggers = {
            f
            for c in kb.concerns(case.findings)
            if c.level in ("immediate", "urgent")
            for f in c.reasons
            if f in kb.red_flag_findings
        }
        missed = tuple(
            f
            for f in kb.finding_ids
            if f in triggers and case.findings.get(f) is True and f not in self.known
        )
        raised = {r for s in self.steps for r in s.red_flags}
        unacknowledged = tuple(r for r in kb.red_flags if r in raised - self.acknowledged)
        action = self.action
        right_action = case.correct_action
        action_correct = None if hidden or right_action is None else action == right_action
        by_action = case.scored_on == "action"
        own = _first_lead(self.start, self.steps, case.diagnosis)
        greedy = suggested_order(kb, case)
        greedy_lead = _first_lead(self.start, greedy, case.diagnosis)
        feedback = Feedback(
            case_id=case.id,
            simulated=case.simulated,
            committed=committed,
            diagnosis=None if hidden else case.diagnosis,
            correct=None
            if hidden
            else (action_correct if by_action else committed == case.diagnosis),
            start=self.start,
            steps=steps,
            questions_used=len(self.steps),
            suggestions_followed=sum(s.followed_suggestion for s in self.steps),
            questions_to_lead=own,
            suggested_questions_to_lead=greedy_lead,
            missed_red_flag_findings=missed,
            unacknowledged_red_flags=unacknowledged,
            teaching_point=None if hidden else case.teaching_point,
            message="",
            confidence=self.confidence,
            model_probability=self.differential().probability(committed) if committed else None,
            action=action,
            correct_action=None if hidden else right_action,
            action_correct=action_correct,
            scored_on=case.scored_on,
        )
        return _with_message(feedback, kb, hidden, self._level_reason() if not hidden else "")

    def _level_reason(self) -> str:
        """The rule behind the right level: its action and the findings that raised it."""
        expected = self.case.red_flags
        if not expected:
            return ""
        raised = {c.flag: c for c in self.kb.concerns(self.case.findings)}
        most = min(expected, key=lambda f: LEVELS.index(expected[f]))
        concern = raised.get(most)
        if concern is None:  # the rules do not raise what the case expects: say the level only
            return f"{self.kb.red_flags[most].label}: {LEVEL_WORDS[expected[most]]}."
        return concern_text(concern, self.kb)


def check_action(action: object) -> str | None:
    """An action must be one of `ACTIONS` or a level id (None: none chosen); returns its words."""
    if action is None or action == "":
        return None
    if action in LEVEL_WORDS:
        return LEVEL_WORDS[action]
    if action in ACTIONS:
        return action
    raise GameError(f"Unknown action {action!r}: choose one of {_or(ACTIONS)}")


def _or(words: Sequence[str]) -> str:
    return ", ".join(f"'{w}'" for w in words[:-1]) + f" or '{words[-1]}'."


def check_confidence(confidence: object) -> float | None:
    """A stated confidence must be a probability above 0 and at most 1 (None: not stated)."""
    if confidence is None:
        return None
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.floating):
        raise TypeError(
            f"confidence must be a number between 0 and 1 (e.g. 0.7 for 70%), not {confidence!r}."
        )
    value = float(confidence)
    if not 0.0 < value <= 1.0:
        raise ValueError(
            f"confidence {value!r} is not above 0 and at most 1; say 0.7 for 70% sure."
        )
    return value


def _probability(ranked: Sequence[tuple[str, float]], condition: str) -> float:
    return dict(ranked)[condition]


def _suggest(kb: KnowledgeBase, dx, exclude: set[str], n: int | None) -> list[tuple[str, float]]:
    gains = sorted(
        ((f, g) for f, g in dx.information_gain().items() if f not in exclude),
        key=lambda kv: -kv[1],
    )
    return gains if n is None else gains[:n]


def _first_lead(
    start: Sequence[tuple[str, float]], steps: Sequence[Step], diagnosis: str
) -> int | None:
    """Questions asked before the diagnosis first led the differential (0: from the start)."""
    if start[0][0] == diagnosis:
        return 0
    for step in steps:
        if step.top == diagnosis:
            return step.number
    return None


def suggested_order(kb: KnowledgeBase, case: Case, limit: int | None = None) -> list[Step]:
    """Play the case by always asking the model's best question (greedy information gain).

    Questions the record cannot answer are still spent, as they would be in clinic. Stops when
    nothing is left to ask or after `limit` questions.
    """
    known = dict(case.visible_findings)
    asked: set[str] = set()
    steps: list[Step] = []
    limit = len(kb.finding_ids) if limit is None else limit
    while len(steps) < limit:
        dx = kb.differential(known, setting=case.setting)
        best = _suggest(kb, dx, asked | set(known), SUGGESTIONS_SHOWN)
        if not best:
            break
        finding = best[0][0]
        asked.add(finding)
        answer = case.reveal(finding)
        if answer is not None:
            known[finding] = answer
        after = kb.differential(known, setting=case.setting)
        steps.append(
            Step(
                number=len(steps) + 1,
                finding=finding,
                answer=answer,
                suggested=tuple(f for f, _ in best),
                ranked=tuple(after.ranked()),
                diagnosis_probability=after.probability(case.diagnosis),
                red_flags=tuple(after.red_flags),
            )
        )
        if answer is None and not _suggest(kb, after, asked | set(known), 1):
            break
    return steps


def _label(kb: KnowledgeBase, cid: str) -> str:
    return kb.conditions[cid].label


def _answer_word(answer: bool | None) -> str:
    return {True: "yes", False: "no", None: "not recorded"}[answer]


def _with_message(fb: Feedback, kb: KnowledgeBase, hidden: bool, reason: str = "") -> Feedback:
    """Write the feedback as text a student can read (and a screen reader can speak)."""
    lines = []
    chose = fb.action or "no action"
    if fb.scored_on == "action" and not hidden:
        # Acting at the right level is the answer here: no diagnosis is scored.
        if fb.action_correct:
            lines.append(f"Correct action: {fb.correct_action}.")
        else:
            lines.append(f"Not quite: you chose {chose}; the right action is {fb.correct_action}.")
        lines.append("This patient is scored on the action, not on a diagnosis.")
    elif hidden:
        lines.append(
            f"Answer recorded: {_label(kb, fb.committed)}. The diagnosis is {HIDDEN}; "
            "it will be revealed after class."
        )
    elif fb.correct:
        lines.append(f"Correct: {_label(kb, fb.diagnosis)}.")
    else:
        lines.append(
            f"Not quite: you chose {_label(kb, fb.committed)}; "
            f"the diagnosis was {_label(kb, fb.diagnosis)}."
        )
    if fb.scored_on != "action" and fb.correct_action is not None:
        if fb.action_correct:
            lines.append(f"Action: right, {fb.correct_action}.")
        else:
            lines.append(f"Action: you chose {chose}; the right action is {fb.correct_action}.")
    if reason:
        lines.append(f"RED FLAG, the right level: {reason}")
    final = fb.steps[-1].ranked if fb.steps else fb.start
    lines.append(
        f"The model's leading diagnosis after your questions: {_label(kb, final[0][0])} "
        f"({percent(final[0][1])})."
    )
    lines.append(
        f"You asked {fb.questions_used} question{'s' if fb.questions_used != 1 else ''}; "
        f"{fb.suggestions_followed} of them were among the model's top {SUGGESTIONS_SHOWN} "
        "suggestions at the time."
    )
    if fb.confidence is not None and fb.committed:
        lines.append(
            f"You said you were {fb.confidence:.0%} sure; the model gives "
            f"{_label(kb, fb.committed)} {percent(fb.model_probability)} on the same findings."
        )
    if not hidden and fb.scored_on != "action":
        lines.append(_lead_sentence(fb))
    if fb.missed_red_flag_findings:
        names = ", ".join(kb.findings[f].label for f in fb.missed_red_flag_findings)
        lines.append(f"RED FLAG MISSED: you never asked about {names}, which this patient has.")
    if fb.unacknowledged_red_flags:
        names = ", ".join(kb.red_flags[r].label for r in fb.unacknowledged_red_flags)
        lines.append(f"RED FLAG NOT ACTED ON: {names} was raised but you did not acknowledge it.")
    if fb.steps:
        lines.append("How the differential moved:")
        for step in fb.steps:
            top, p = step.ranked[0]
            detail = f"leading: {_label(kb, top)} {percent(p)}"
            if step.diagnosis_probability is not None and top != fb.diagnosis:
                detail += f"; {_label(kb, fb.diagnosis)} {percent(step.diagnosis_probability)}"
            lines.append(
                f"  {step.number}. {kb.findings[step.finding].label}: "
                f"{_answer_word(step.answer)} ({detail})"
            )
    if fb.teaching_point:
        lines.append(f"Teaching point: {fb.teaching_point}")
    return replace(fb, message="\n".join(lines))


def _lead_sentence(fb: Feedback) -> str:
    own, greedy = fb.questions_to_lead, fb.suggested_questions_to_lead
    if own == 0:
        return "The right diagnosis led the model's differential before any question."
    mine = (
        f"With your questions the right diagnosis first led the differential after question {own}"
        if own
        else "With your questions the right diagnosis never led the differential"
    )
    theirs = (
        f"in the model's information-gain order it leads after {greedy} questions"
        if greedy is not None
        else "in the model's information-gain order it never leads with this record"
    )
    return f"{mine}; {theirs}."


# --- practice mode -------------------------------------------------------------------------------


def simulate_patient(
    kb: KnowledgeBase, condition: str, seed: int, setting: str = "primary_care"
) -> Case:
    """A simulated patient with `condition`: each finding drawn from the model's probabilities.

    Reproducible with `seed`. Implications are respected (over 65 implies over 50): an implied
    finding is drawn first and the implying one is drawn only when it can hold, with its
    probability divided by that of what it implies, so its overall frequency stays as in the table.
    """
    kb.check_condition(condition)
    kb.check_setting(setting)
    rng = np.random.default_rng(seed)
    ci = kb.condition_ids.index(condition)
    p = {f: float(kb.table_for(setting)[ci, i]) for i, f in enumerate(kb.finding_ids)}
    implies: dict[str, list[str]] = {}
    for a, b in kb.implications:
        implies.setdefault(a, []).append(b)
    findings: dict[str, bool] = {}
    draws = {f: float(rng.random()) for f in kb.finding_ids}  # one draw per finding, fixed order
    # the least implied first: over 55 before over 60 before over 65
    for finding in sorted(kb.finding_ids, key=lambda f: len(implies.get(f, []))):
        needed = implies.get(finding, [])
        if any(not findings[b] for b in needed):
            findings[finding] = False
            continue
        # over 65 given over 60 (which already holds over 55 and 50): divide by the nearest only
        nearest = [b for b in needed if not any(b in implies.get(c, []) for c in needed)]
        denominator = float(np.prod([p[b] for b in nearest])) if nearest else 1.0
        findings[finding] = draws[finding] < min(1.0, p[finding] / denominator)
    findings = {f: findings[f] for f in kb.finding_ids}
    return Case(
        id=f"simulated_{condition}_{seed}",
        title=f"Simulated patient #{seed}",
        age=None,
        sex="not stated",
        setting=setting,
        complaint="Leg or knee symptoms. (Simulated patient.)",
        story=SIMULATED_LABEL,
        findings=findings,
        diagnosis=condition,
        red_flags=tuple(kb.differential(findings, setting=setting).red_flags),
        teaching_point=(
            "Simulated patients are textbook by construction: every finding follows the model's "
            "probabilities independently, so they are easier than real patients, whose findings "
            "hang together and are often incompletely recorded."
        ),
        source=(),
        source_note=SIMULATED_LABEL,
        simulated=True,
    )


def practice_game(
    kb: KnowledgeBase,
    seed: int,
    condition: str | None = None,
    setting: str = "primary_care",
    hide_answers: bool = False,
) -> Game:
    """A game on a simulated patient; without `condition`, one is drawn from the priors."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number 0 or more (e.g. 1), not {seed!r}.")
    if condition is None:
        priors = np.exp(kb.log_prior(setting))
        rng = np.random.default_rng([seed, 1])
        condition = kb.condition_ids[int(rng.choice(len(priors), p=priors / priors.sum()))]
    return Game(simulate_patient(kb, condition, seed, setting), kb, hide_answers=hide_answers)


# --- score sheet ---------------------------------------------------------------------------------

SCORE_COLUMNS = (
    "case_id",
    "simulated",
    "committed",
    "diagnosis",
    "correct",
    "questions_used",
    "suggested_questions_to_lead",
    "red_flags_missed",
    "confidence",
    "model_probability",
    "action",  # added in 0.3: older sheets without these two columns are still read
    "action_correct",
)


@dataclass
class ScoreSheet:
    """A session's results, one row per patient; export to CSV or JSON to keep them."""

    rows: list[dict] = field(default_factory=list)

    def add(self, feedback: Feedback) -> None:
        self.rows.append(
            {
                "case_id": feedback.case_id,
                "simulated": feedback.simulated,
                "committed": feedback.committed,
                "diagnosis": feedback.diagnosis if feedback.diagnosis is not None else HIDDEN,
                "correct": feedback.correct,
                "questions_used": feedback.questions_used,
                "suggested_questions_to_lead": feedback.suggested_questions_to_lead,
                "red_flags_missed": feedback.red_flags_missed,
                "confidence": feedback.confidence,
                "model_probability": feedback.model_probability,
                "action": feedback.action,
                "action_correct": feedback.action_correct,
            }
        )

    def brier_score(self) -> float | None:
        """Mean Brier score of the stated confidences: (1 - p)^2 when right, p^2 when wrong.

        0 is perfect, 0.25 is what always saying 50% earns; only scored games with a stated
        confidence count. None when there are none yet.
        """
        return brier_score(self.rows)

    @property
    def scored(self) -> list[dict]:
        return [r for r in self.rows if r["correct"] is not None]

    def summary(self) -> str:
        """One paragraph a student can keep: patients seen, correct, questions, red flags."""
        n = len(self.rows)
        if not n:
            return "No patients yet."
        scored = self.scored
        right = sum(bool(r["correct"]) for r in scored)
        mean_q = sum(r["questions_used"] for r in self.rows) / n
        missed = sum(bool(r["red_flags_missed"]) for r in self.rows)
        score = (
            f"{right} of {len(scored)} correct ({right / len(scored):.0%})"
            if scored
            else "answers hidden"
        )
        acted = [r for r in self.rows if r.get("action_correct") is not None]
        action = (
            f"; the right action in {sum(bool(r['action_correct']) for r in acted)} of "
            f"{len(acted)} flagged"
            if acted
            else ""
        )
        return (
            f"{n} patient{'s' if n != 1 else ''}: {score}{action}; {mean_q:.1f} questions on "
            f"average; red flags missed in {missed}."
        )

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=SCORE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _safe_cell(row.get(k)) for k in SCORE_COLUMNS} for row in self.rows)
        return out.getvalue()

    @classmethod
    def from_csv(cls, text: str, name: str = "score sheet") -> ScoreSheet:
        """Read a sheet written by `to_csv` (or `save` to .csv): the format students hand in."""
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        missing = [c for c in SCORE_COLUMNS[:8] if c not in (reader.fieldnames or ())]
        if missing:
            semicolons = ";" in text.lstrip("\ufeff").split("\n", 1)[0]
            hint = (
                " Its columns are separated by semicolons (a spreadsheet set to a language that "
                "writes 0,8 saved it): hand in the file as exported, without opening it."
                if semicolons
                else ""
            )
            raise ValueError(
                f"{name}: not a kneesci score sheet (missing {', '.join(missing)}).{hint}"
            )
        rows = []
        line = 1
        try:
            for line, raw in enumerate(reader, start=2):
                try:
                    rows.append({k: _parse_cell(k, raw.get(k)) for k in SCORE_COLUMNS})
                except ValueError as err:
                    raise ValueError(f"{name}, line {line}: {err}") from None
        except csv.Error as err:  # a field over the csv module's limit: an unclosed quote
            raise ValueError(
                f"{name}, line {line + 1}: a value runs on for more than 128 KB ({err}); this "
                "is not a score sheet as kneesci exports it."
            ) from None
        return cls(rows=rows)

    def to_json(self) -> str:
        return json.dumps({"rows": self.rows}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> ScoreSheet:
        data = json.loads(text)
        # Sheets saved before confidence was recorded lack its columns: read them as not stated.
        return cls(rows=[{k: row.get(k) for k in SCORE_COLUMNS} for row in data["rows"]])

    def save(self, path: str | Path) -> Path:
        """Write the sheet as CSV (.csv) or JSON (anything else); returns the path."""
        path = Path(path)
        path.write_text(self.to_csv() if path.suffix == ".csv" else self.to_json(), "utf-8")
        return path


_BOOL_COLUMNS = {"simulated", "correct", "red_flags_missed", "action_correct"}
_INT_COLUMNS = {"questions_used", "suggested_questions_to_lead"}
_FLOAT_COLUMNS = {"confidence", "model_probability"}


def _parse_cell(column: str, text: str | None) -> object:
    """One CSV cell back to the value `ScoreSheet.add` stored (blank: None)."""
    text = (text or "").strip()
    if column in _BOOL_COLUMNS:
        if text in ("", "None"):
            return None
        if text.lower() not in ("true", "false"):  # Excel saves TRUE and FALSE
            raise ValueError(f"column {column!r}: {text[:40]!r} is not True or False.")
        return text.lower() == "true"
    if column in _INT_COLUMNS | _FLOAT_COLUMNS:
        if text in ("", "None"):
            return None
        try:
            value = int(text) if column in _INT_COLUMNS else float(text)
        except ValueError:
            raise ValueError(f"column {column!r}: {text[:40]!r} is not a number.") from None
        if column in _FLOAT_COLUMNS and not 0.0 <= value <= 1.0:  # also refuses nan
            raise ValueError(f"column {column!r}: {text[:40]!r} is not a probability from 0 to 1.")
        return value
    if text.startswith("'") and text[1:2] in _FORMULA_STARTS:  # as `_safe_cell` wrote it
        return text[1:]
    if column == "action":
        if text in ("", "None"):
            return None
        if text not in ACTIONS:
            raise ValueError(f"column 'action': {text[:40]!r} is not one of {_or(ACTIONS)}")
    return text


# A cell a spreadsheet would run as a formula starts with one of these; written with a leading
# apostrophe, it is shown as text instead.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


# --- the model's accuracy on the library ---------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    """How the model ranks one case's true diagnosis given all the case's recorded findings."""

    case_id: str
    diagnosis: str
    top: str
    rank: int  # 1 = the model's leading condition
    probability: float
    findings_used: int

    @property
    def top1(self) -> bool:
        return self.rank == 1

    @property
    def top3(self) -> bool:
        return self.rank <= 3


def library_accuracy(
    kb: KnowledgeBase, cases: Mapping[str, Case] | Iterable[Case], setting: str | None = None
) -> tuple[float, float, list[CaseResult]]:
    """Top-1 and top-3 accuracy of the model on the case library, with per-case details.

    Each case is scored in its own setting unless `setting` is given. Nothing is tuned to the cases.
    Cases `scored_on: action` (cauda equina, say: the answer is acting, not a diagnosis) are left
    out; `action_cases` lists them.
    """
    items = list(cases.values()) if isinstance(cases, Mapping) else list(cases)
    items = [c for c in items if c.scored_on != "action"]
    if not items:
        raise ValueError("No cases to score.")
    results = []
    for case in items:
        dx = kb.differential(case.findings, setting=setting or case.setting)
        ranked = dx.ranked()
        rank = [c for c, _ in ranked].index(case.diagnosis) + 1
        results.append(
            CaseResult(
                case.id,
                case.diagnosis,
                ranked[0][0],
                rank,
                dx.probability(case.diagnosis),
                len(case.findings),
            )
        )
    n = len(results)
    return sum(r.top1 for r in results) / n, sum(r.top3 for r in results) / n, results


def action_cases(cases: Mapping[str, Case] | Iterable[Case]) -> list[Case]:
    """The cases scored on the action (the right level of concern), not on a diagnosis."""
    items = cases.values() if isinstance(cases, Mapping) else cases
    return [c for c in items if c.scored_on == "action"]


def accuracy_report(kb: KnowledgeBase, cases: Mapping[str, Case]) -> str:
    """Deterministic text: the model's top-1/top-3 accuracy and the cases it misses."""
    top1, top3, results = library_accuracy(kb, cases)
    lines = [
        f"Model accuracy on {len(results)} library cases: top-1 {top1:.0%}, top-3 {top3:.0%}.",
    ]
    by_action = action_cases(cases)
    if by_action:
        lines.append(
            f"{len(by_action)} cases scored on the action, not a diagnosis, are left out: "
            + ", ".join(c.id for c in by_action)
            + "."
        )
    missed = [r for r in results if not r.top1]
    if missed:
        lines.append("Cases where the model's leading condition is wrong:")
        for r in missed:
            lines.append(
                f"  {r.case_id}: diagnosis {_label(kb, r.diagnosis)} ranked {r.rank} "
                f"({percent(r.probability)}); model led with {_label(kb, r.top)}"
            )
    return "\n".join(lines)


def feedback_as_dict(feedback: Feedback) -> dict:
    """The feedback as plain data (for nbgrader-style checks or saving)."""
    return asdict(feedback)
