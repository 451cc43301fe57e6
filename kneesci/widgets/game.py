"""The diagnostic game on screen: buttons to ask, a dropdown to commit, a feedback panel.

    >>> from kneesci.widgets.game import DiagnosticGame
    >>> game = DiagnosticGame(case_id="hip_oa_after_knee_replacement")
    >>> game.ask("knee_pain")
    >>> game.commit("hip_osteoarthritis").correct
    True

All the logic lives in `kneesci.game`; this module only draws it. `hide_answers=True` lets a
lecturer run the game in class without the diagnosis or teaching point appearing until
`reveal()` is called.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .. import load
from ..calibration import calibration
from ..calibration_plots import plot_calibration
from ..cases import load_cases
from ..game import Feedback, Game, ScoreSheet, practice_game
from ..knowledge_base import KnowledgeBase
from ..progress import Progress

GROUP_TITLES = {"history": "History", "symptom": "Symptoms", "examination": "Examination"}
ANSWER_WORDS = {True: "yes", False: "no", None: "not recorded"}
LIBRARY, PRACTICE = "library", "practice"
CONFIDENCE_STEPS = (20, 40, 60, 80, 95)


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

        self.mode = widgets.ToggleButtons(
            options=[("Case library", LIBRARY), ("Practice (simulated)", PRACTICE)],
            value=LIBRARY,
            description="Patients",
            style={"button_width": "auto"},  # the default fixed width cuts labels off
        )
        self.case_picker = widgets.Dropdown(
            # Neutral titles only: a title that names the diagnosis would give the game away.
            options=[
                (getattr(case, "student_title", "") or f"Patient {i + 1}", cid)
                for i, (cid, case) in enumerate(self.cases.items())
            ],
            description="Patient",
        )
        self.condition_picker = widgets.Dropdown(
            options=[("any condition (drawn at random)", "")]
            + [(c.label, cid) for cid, c in self.kb.conditions.items()],
            description="Practise",
        )
        self.new_button = widgets.Button(description="Meet this patient", icon="user")
        self.new_button.on_click(lambda _: self.new_patient())
        self.header = widgets.HTML()
        self.show_hints = widgets.Checkbox(value=False, description="Show the model's suggestions")
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
            lambda _: self.commit(self.answer_picker.value, self.confidence_picker.value)
        )
        self.history = widgets.HTML()
        self.feedback_panel = widgets.HTML()
        self.score = widgets.HTML()
        self.calibration = widgets.HTML()
        super().__init__(
            [
                widgets.HBox(
                    [self.mode, self.new_button], layout=widgets.Layout(flex_flow="row wrap")
                ),
                widgets.HBox(
                    [self.case_picker, self.condition_picker],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.header,
                self.questions,
                self.show_hints,
                self.hints,
                self.history,
                widgets.HBox(
                    list(self.flag_buttons.values()), layout=widgets.Layout(flex_flow="row wrap")
                ),
                widgets.HBox(
                    [self.answer_picker, self.confidence_picker, self.commit_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.feedback_panel,
                self.score,
                self.calibration,
            ]
        )
        self.add_class("kneesci-game")
        self.mode.observe(lambda _: self._refresh(), names="value")
        self.new_patient(case_id)

    # --- actions (the same calls the buttons make) ---------------------------------------------
    def new_patient(self, case_id: str | None = None, seed: int | None = None) -> None:
        """Start a game: a library case, or a simulated patient in practice mode."""
        if case_id is not None:
            self.mode.value, self.case_picker.value = LIBRARY, case_id
        if self.mode.value == LIBRARY:
            case = self.cases[self.case_picker.value]
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
        self.confidence_picker.value = None
        self.feedback_panel.value = ""
        self._refresh()

    def ask(self, finding: str) -> None:
        self.game.ask(finding)
        self._refresh()

    def commit(self, condition: str | None, confidence: float | None = None) -> Feedback | None:
        """Commit to a diagnosis (and how sure you are); with none chosen, score nothing."""
        if not condition:
            self.feedback_panel.value = _panel("Choose a diagnosis first, then press Commit.")
            return None
        feedback = self.game.commit(condition, confidence=confidence)
        self.score_sheet.add(feedback)
        self.progress.record(feedback)
        self.feedback_panel.value = _panel(feedback.message)
        self._refresh()
        return feedback

    def reveal(self) -> Feedback:
        """For the instructor: show the diagnosis and teaching point after a hidden game."""
        feedback = self.game.reveal()
        self.feedback_panel.value = _panel(feedback.message)
        return feedback

    # --- drawing -------------------------------------------------------------------------------
    def _acknowledge(self, red_flag: str, change) -> None:
        if change["new"] and self.game and not self.game.finished:
            self.game.acknowledge_red_flag(red_flag)

    def _refresh(self) -> None:
        game = self.game
        practice = self.mode.value == PRACTICE
        self.case_picker.layout.display = "none" if practice else ""
        self.condition_picker.layout.display = "" if practice else "none"
        if game is None:
            return
        label = "<b>SIMULATED PATIENT</b> (not a real person). " if game.case.simulated else ""
        self.header.value = f"<p>{label}{html.escape(game.case.describe())}</p>"
        for fid, button in self.buttons.items():
            button.disabled = game.finished or fid in game.asked or fid in game.known
        self.commit_button.disabled = game.finished or self.answer_picker.value is None
        self.commit_button.tooltip = (
            "Choose a diagnosis first"
            if self.answer_picker.value is None
            else "Commit to this diagnosis"
        )
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

    def _show_calibration(self) -> None:
        """The reliability plot, once enough answers carry a stated confidence."""
        rows = self.progress.sheet.rows
        state = len(rows)
        if state == self._calibration_state:
            return
        self._calibration_state = state
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


def _panel(message: str) -> str:
    """Feedback as an announced status region; the words carry the verdict, not colour."""
    return f'<div role="status" style="white-space:pre-wrap">{html.escape(message)}</div>'
