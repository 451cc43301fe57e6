"""The diagnostic game on screen: buttons to ask, a dropdown to commit, a feedback panel.

    >>> from kneesci.widgets.game import DiagnosticGame
    >>> game = DiagnosticGame(case_id="early_hip_oa_lateral_pain")
    >>> game.ask("hip_internal_rotation_limited")
    >>> game.commit("hip_osteoarthritis").correct
    True

Choosing a patient in the picker starts it. The picker offers the library without notebook 6's
worked examples, in a fixed shuffled order (`kneesci.cases.game_order`), so a case's neighbours
say nothing about its diagnosis.

All the logic lives in `kneesci.game`; this module only draws it. `hide_answers=True` lets a
lecturer run the game in class without the diagnosis or teaching point appearing until
`reveal()` is called.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable

import ipywidgets as widgets

from .. import load
from ..calibration import calibration
from ..calibration_plots import plot_calibration
from ..cases import game_order, load_cases
from ..game import ACTIONS, Feedback, Game, ScoreSheet, practice_game
from ..knowledge_base import KnowledgeBase
from ..progress import Progress, ProgressNotSavedError

GROUP_TITLES = {"history": "History", "symptom": "Symptoms", "examination": "Examination"}
ANSWER_WORDS = {True: "yes", False: "no", None: "not recorded"}
LIBRARY, PRACTICE = "library", "practice"
CONFIDENCE_STEPS = (20, 40, 60, 80, 95)
NO_ACTION = "No red flag: manage as usual"


class DiagnosticGame(widgets.VBox):
    """Play the case library or simulated practice patients, one question at a time."""

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        case_id: str | None = None,
        hide_answers: bool = False,
        score_sheet: ScoreSheet | None = None,
        progress: Progress | None = None,
    ):
        self.kb = kb or load()
        # Every committed game is kept between sessions (the user's Jupyter data directory).
        self.progress = progress if progress is not None else Progress.open()
        self._calibration_state: int | None = None
        self.cases = load_cases(self.kb)
        self.hide_answers = hide_answers
        self.score_sheet = score_sheet if score_sheet is not None else ScoreSheet()
        self.game: Game | None = None
        self._seed = 0
        self._starting = False  # set while new_patient moves the pickers itself

        self.mode = widgets.ToggleButtons(
            options=[("Case library", LIBRARY), ("Practice (simulated)", PRACTICE)],
            value=LIBRARY,
            description="Patients",
            style={"button_width": "auto"},  # the default fixed width cuts labels off
        )
        wide = {"width": "100%", "max_width": "52em"}  # the longest title fits, on a phone too
        self.case_picker = widgets.Dropdown(
            # Neutral titles only: a title that names the diagnosis would give the game away.
            options=[
                (getattr(case, "student_title", "") or f"Patient {i + 1}", case.id)
                for i, case in enumerate(game_order(self.cases))
            ],
            description="Patient",
            style={"description_width": "initial"},
            layout=widgets.Layout(**wide),
        )
        self.condition_picker = widgets.Dropdown(
            options=[("any condition (drawn at random)", "")]
            + [(c.label, cid) for cid, c in self.kb.conditions.items()],
            description="Practise",
            style={"description_width": "initial"},
            layout=widgets.Layout(**wide),
        )
        self.new_button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.new_button.on_click(lambda _: self.new_patient())
        self.start_help = widgets.HTML()
        self.header = widgets.HTML()
        self.show_hints = widgets.Checkbox(
            value=False,
            description="Show the model's suggestions",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.show_hints.observe(lambda _: self._refresh(), names="value")
        self.hints = widgets.HTML()
        self.buttons: dict[str, widgets.Button] = {}
        sections = []
        for group in GROUP_TITLES:
            row = []
            for fid, finding in self.kb.findings.items():
                if finding.group != group:
                    continue
                button = widgets.Button(
                    description=finding.label,
                    tooltip=finding.description,
                    layout=widgets.Layout(width="auto"),
                )
                button.on_click(lambda _, f=fid: self.ask(f))
                self.buttons[fid] = button
                row.append(button)
            sections.append(widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")))
        self.questions = widgets.Accordion(children=sections, titles=tuple(GROUP_TITLES.values()))
        self.flag_buttons = {
            rid: widgets.ToggleButton(
                description=f"Act on: {flag.label}",
                tooltip=flag.description,
                icon="flag",
                layout=widgets.Layout(width="auto", min_height="32px"),
            )
            for rid, flag in self.kb.red_flags.items()
        }
        for rid, button in self.flag_buttons.items():
            button.observe(lambda change, r=rid: self._acknowledge(r, change), names="value")
        # What the student would do, one level of concern each (and none): a flagged patient is
        # scored on acting at the right level; starts empty, like the diagnosis.
        self.action_picker = widgets.ToggleButtons(
            options=[(a, a) for a in ACTIONS] + [(NO_ACTION, NO_ACTION)],
            value=None,
            description="Action",
            tooltip="What would you do now for this patient?",
            style={"button_width": "auto"},
        )
        self.action_picker.add_class("kneesci-action-choice")
        self.action_picker.observe(lambda _: self._refresh(), names="value")
        # Starts empty: a preselected diagnosis would let Commit score without a choice.
        self.answer_picker = widgets.Dropdown(
            options=[(c.label, cid) for cid, c in self.kb.conditions.items()],
            value=None,
            description="Diagnosis",
            layout=widgets.Layout(width="auto"),
        )
        self.answer_picker.observe(lambda _: self._refresh(), names="value")
        self.commit_button = widgets.Button(
            description="Commit",
            button_style="primary",
            tooltip="Choose a diagnosis first",
            layout=widgets.Layout(width="auto"),
        )
        # How sure the student is: left unset, nothing is assumed (calibration needs a real answer).
        self.confidence_picker = widgets.ToggleButtons(
            options=[(f"{p}%", p / 100) for p in CONFIDENCE_STEPS],
            value=None,
            description="How sure?",
            tooltip="How likely is it that your diagnosis is right?",
            style={"button_width": "auto"},
        )
        self.commit_button.on_click(
            lambda _: self.commit(
                self.answer_picker.value,
                self.confidence_picker.value,
                action=self.action_picker.value,
            )
        )
        # With answers hidden, the lecturer reveals the answer to the room when ready.
        self.reveal_button = widgets.Button(
            description="Reveal the answer",
            icon="eye",
            tooltip="Show the diagnosis and teaching point of the patient just committed",
            layout=widgets.Layout(width="auto", display=None if hide_answers else "none"),
        )
        self.reveal_button.on_click(lambda _: self.reveal())
        self.history = widgets.HTML()
        self.feedback_panel = widgets.HTML()
        self.download = widgets.HTML()
        self.score = widgets.HTML()
        self.calibration = widgets.HTML()
        super().__init__(
            [
                self.mode,
                self.case_picker,
                self.condition_picker,
                widgets.HBox(
                    [self.new_button, self.start_help],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.header,
                self.questions,
                self.show_hints,
                self.hints,
                self.history,
                widgets.HBox(
                    list(self.flag_buttons.values()), layout=widgets.Layout(flex_flow="row wrap")
                ),
                self.action_picker,
                widgets.HBox(
                    [
                        self.answer_picker,
                        self.confidence_picker,
                        self.commit_button,
                        self.reveal_button,
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.feedback_panel,
                self.score,
                self.download,
                self.calibration,
            ]
        )
        self.add_class("kneesci-game")
        # Choosing a patient (or a mode, or a condition to practise) starts that patient at once.
        for picker in (self.mode, self.case_picker, self.condition_picker):
            picker.observe(self._on_pick, names="value")
        self.new_patient(case_id)

    # --- actions (the same calls the buttons make) ---------------------------------------------
    def new_patient(self, case_id: str | None = None, seed: int | None = None) -> None:
        """Start a game: a library case, or a simulated patient in practice mode.

        `case_id` may name any library case, a worked example included (for a lecturer); the
        picker offers only the game's own cases.
        """
        if case_id is not None:
            self._starting = True
            try:
                self.mode.value = LIBRARY
                offered = {cid for _, cid in self.case_picker.options}
                self.case_picker.value = case_id if case_id in offered else None
            finally:
                self._starting = False
        if self.mode.value == LIBRARY:
            current = self.game.case.id if self.game and not self.game.case.simulated else None
            cid = case_id or self.case_picker.value or current or self.case_picker.options[0][1]
            case = self.cases[cid]
            self.game = Game(case, self.kb, hide_answers=self.hide_answers)
        else:
            self._seed = self._seed + 1 if seed is None else seed
            self.game = practice_game(
                self.kb,
                self._seed,
                condition=self.condition_picker.value or None,
                hide_answers=self.hide_answers,
            )
        for button in self.flag_buttons.values():
            button.value = False
        self.answer_picker.value = None
        self.action_picker.value = None
        self.confidence_picker.value = None
        self.feedback_panel.value = ""
        self._refresh()

    def ask(self, finding: str) -> None:
        self.game.ask(finding)
        self._refresh()

    def commit(
        self,
        condition: str | None,
        confidence: float | None = None,
        action: str | None = None,
    ) -> Feedback | None:
        """Commit to a diagnosis and an action (and how sure you are); missing one, score nothing.

        A patient scored on the action needs only the action (`NO_ACTION` counts as none chosen).
        """
        by_action = self.game.case.scored_on == "action"
        chosen = None if action == NO_ACTION else action
        if by_action and action is None:
            self.feedback_panel.value = _panel("Choose an action first, then press Commit.")
            return None
        if not by_action and not condition:
            self.feedback_panel.value = _panel("Choose a diagnosis first, then press Commit.")
            return None
        feedback = self.game.commit(condition, confidence=confidence, action=chosen)
        self.score_sheet.add(feedback)
        self.feedback_panel.value = _panel(feedback.message, feedback.correct) + self._save(
            self.progress.record, feedback
        )
        self._refresh()
        return feedback

    def reveal(self) -> Feedback:
        """For the instructor: show the diagnosis and teaching point after a hidden game.

        The game is scored now, in the session's sheet and in the kept progress, so hidden-answer
        games count in results, calibration and the class summary.
        """
        feedback = self.game.reveal()
        for row in reversed(self.score_sheet.rows):
            if row["case_id"] == feedback.case_id and row["correct"] is None:
                row.update(
                    diagnosis=feedback.diagnosis,
                    correct=feedback.correct,
                    action_correct=feedback.action_correct,
                )
                break
        self.feedback_panel.value = _panel(feedback.message, feedback.correct) + self._save(
            self.progress.score, feedback
        )
        self._calibration_state = None
        self._refresh()
        return feedback

    def _save(self, save: Callable[[Feedback], None], feedback: Feedback) -> str:
        """Save to the kept progress; if that fails, say so on the page and how to keep the game."""
        try:
            save(feedback)
        except ProgressNotSavedError as error:
            return (
                "<div role='alert' class='kneesci-warning'><b>This game was not saved.</b> "
                f"{html.escape(str(error))}</div>"
            )
        return ""

    # --- drawing -------------------------------------------------------------------------------
    def _on_pick(self, change) -> None:
        if not self._starting and change["new"] is not None:
            self.new_patient()

    def _acknowledge(self, red_flag: str, change) -> None:
        if change["new"] and self.game and not self.game.finished:
            self.game.acknowledge_red_flag(red_flag)

    def _refresh(self) -> None:
        game = self.game
        practice = self.mode.value == PRACTICE
        self.case_picker.layout.display = "none" if practice else ""
        self.condition_picker.layout.display = "" if practice else "none"
        if practice:
            self.new_button.description, self.new_button.icon = "Another simulated patient", "user"
            self.start_help.value = (
                "<span class='kneesci-help'>Choosing a condition brings a new patient.</span>"
            )
        else:
            self.new_button.description, self.new_button.icon = "Start this patient again", "undo"
            self.start_help.value = (
                "<span class='kneesci-help'>Choosing a patient starts them straight away.</span>"
            )
        if game is None:
            return
        label = "<b>SIMULATED PATIENT</b> (not a real person). " if game.case.simulated else ""
        scored = (
            "<p class='kneesci-help'>This patient is scored on the action you choose, not on "
            "a diagnosis.</p>"
            if game.case.scored_on == "action"
            else ""
        )
        self.header.value = f"<p>{label}{html.escape(game.case.describe())}</p>{scored}"
        for fid, button in self.buttons.items():
            button.disabled = game.finished or fid in game.asked or fid in game.known
        missing = self._missing_choice()
        self.commit_button.disabled = game.finished or bool(missing)
        self.reveal_button.disabled = not game.finished
        self.commit_button.tooltip = missing or "Commit to this action and diagnosis"
        lines = [
            f"{step.number}. {html.escape(self.kb.findings[step.finding].label)}: "
            f"<b>{ANSWER_WORDS[step.answer]}</b>"
            for step in game.steps
        ]
        self.history.value = "<br>".join(lines)
        if self.show_hints.value and not game.finished:
            best = ", ".join(self.kb.findings[f].label for f, _ in game.suggestions())
            self.hints.value = f"<p>The model would ask next: {html.escape(best)}</p>"
        else:
            self.hints.value = ""
        self.score.value = f"<p><i>Session: {html.escape(self.score_sheet.summary())}</i></p>"
        self._show_calibration()

    def _missing_choice(self) -> str:
        """What the student must still choose before Commit ("" when nothing)."""
        if self.action_picker.value is None:
            return "Choose an action first"
        if self.game.case.scored_on != "action" and self.answer_picker.value is None:
            return "Choose a diagnosis first"
        return ""

    def _show_calibration(self) -> None:
        """The reliability plot, once enough answers carry a stated confidence."""
        rows = self.progress.sheet.rows
        state = len(rows)
        if state == self._calibration_state:
            return
        self._calibration_state = state
        self.download.value = _download_link(self.progress.sheet.to_csv()) if rows else ""
        notice = f"<p>{html.escape(self.progress.notice)}</p>" if self.progress.notice else ""
        if calibration(rows) is None:
            self.calibration.value = notice + (
                "<p class='kneesci-help'>Say how sure you are when you commit: after three "
                "answers you will see whether you are as right as you feel.</p>"
            )
            return
        self.calibration.value = (
            notice
            + "<h3 class='kneesci-heading'>Your calibration (all sessions)</h3>"
            + plot_calibration(rows).to_html()
        )


def _download_link(sheet_csv: str) -> str:
    """The student's results as a CSV download: the file a lecturer merges for the class."""
    data = base64.b64encode(sheet_csv.encode("utf-8")).decode("ascii")
    return (
        "<p class='kneesci-export'><a download='my-kneesci-results.csv' "
        f"href='data:text/csv;charset=utf-8;base64,{data}'>Download my results (CSV)</a>: "
        "hand this file in when your lecturer asks for it.</p>"
    )


# Plainer words for the feedback's technical phrases and number agreement, applied when shown.
PLAIN_WORDS = (
    (
        r"in the model's information-gain order",
        "asking the model's most informative question each time,",
    ),
    (r"\b1 of them were\b", "1 of them was"),
    (r"You asked 0 questions; 0 of them were among .*", "You asked no questions."),
    (r"\b0 of them were\b", "none of them was"),
    (r"\bafter 1 questions\b", "after 1 question"),
    (r"but you did not acknowledge it", "but you did not press its Act on button"),
)
VERDICTS = {
    True: ("\u2714", "kneesci-right"),  # check mark
    False: ("\u2718", "kneesci-wrong"),  # cross
    None: ("\u25cf", "kneesci-recorded"),  # answers hidden, or no verdict
}
FEEDBACK_STYLE = (
    "<style>"
    ".kneesci-feedback{border-left:6px solid var(--jp-border-color1,#888);padding:0.2em 0.8em;"
    "margin:0.5em 0}"
    ".kneesci-feedback.kneesci-right{border-left-color:#009E73}"
    ".kneesci-feedback.kneesci-wrong{border-left-color:#D55E00}"
    ".kneesci-verdict{font-size:1.25em;margin:0.3em 0}"
    ".kneesci-feedback-flag{border:2px solid #D55E00;padding:0.3em 0.6em;margin:0.4em 0;"
    "font-weight:bold}"
    "</style>"
)


def plain_words(line: str) -> str:
    for pattern, plain in PLAIN_WORDS:
        line = re.sub(pattern, plain, line)
    return line


def _panel(message: str, correct: bool | None = None) -> str:
    """Feedback that scans: the verdict first and large, red flags next, then the why.

    An announced status region; the words and a symbol carry the verdict, colour only repeats it.
    """
    lines = [plain_words(line) for line in message.splitlines() if line.strip()]
    if not lines:
        return ""
    esc = html.escape
    head, _, rest = lines[0].partition(":")
    symbol, kind = VERDICTS[correct]
    verdict = f"<b>{esc(head)}</b>:{esc(rest)}" if rest else f"<b>{esc(head)}</b>"
    parts = [f"<p class='kneesci-verdict'><span aria-hidden='true'>{symbol}</span> {verdict}</p>"]
    flags, teaching, why, moves = [], [], [], []
    for line in lines[1:]:
        if line.startswith("  "):
            moves.append(f"<li>{esc(line.strip().partition('. ')[2] or line.strip())}</li>")
        elif line.upper().startswith("RED FLAG"):
            label, _, text = line.partition(":")
            flags.append(
                "<div class='kneesci-feedback-flag' role='alert'>"
                f"\u2691 {esc(label.capitalize())}:{esc(text)}</div>"
            )
        elif line.startswith("Teaching point:"):
            teaching.append(f"<p><b>Teaching point:</b>{esc(line[len('Teaching point:') :])}</p>")
        elif line.endswith(":") and "differential moved" in line:
            continue
        else:
            why.append(f"<li>{esc(line)}</li>")
    parts += flags + teaching
    if why:
        parts.append(f"<ul>{''.join(why)}</ul>")
    if moves:
        parts.append(
            f"<details><summary>How the differential moved, question by question "
            f"({len(moves)})</summary><ol>{''.join(moves)}</ol></details>"
        )
    return (
        FEEDBACK_STYLE
        + f"<div role='status' class='kneesci-feedback {kind}'>{''.join(parts)}</div>"
    )
