"""Predict, then see: the student commits to a direction and a size, then the finding is applied.

A plain class holding its view (`.view`). It reads the patient's current findings from
`get_findings` and applies the predicted finding through `apply(finding, present)`, so in the
explorer the finding is set exactly as a click would set it; on its own it keeps its own patient.
The scoring is `kneesci.course.prediction`'s.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from ..course.prediction import SIZES, Prediction, PredictionScore, Verdict, judge
from ..model.knowledge_base import DEFAULT_SETTING, KnowledgeBase
from .controls import plain_button, shared_look, text_view

LEADING = "__leading__"
HELP = (
    "Before you add a finding, say which way it will move the condition and how far: small is "
    "under 5 percentage points, medium 5 to 20, large 20 or more. Then see."
)


class PredictionPanel:
    """Condition, finding, present/absent, direction and size pickers, a button, the verdict."""

    def __init__(
        self,
        kb: KnowledgeBase,
        get_findings: Callable[[], dict[str, bool]] | None = None,
        apply: Callable[[str, bool], None] | None = None,
        setting: Callable[[], str] | str = DEFAULT_SETTING,
    ):
        self.kb = kb
        self._own: dict[str, bool] = {}
        self.get_findings = get_findings or (lambda: dict(self._own))
        self.apply = apply or self._own.__setitem__
        self._setting = setting
        self.score = PredictionScore()
        self.last: Verdict | None = None
        # Shared layouts and styles: each model is one more message to open on every page.
        layout, style = shared_look("initial")
        toggle_layout, toggle_style = widgets.Layout(), widgets.ToggleButtonsStyle()
        self.condition = widgets.Dropdown(
            options=[("The leading condition", LEADING)]
            + sorted((c.label, cid) for cid, c in kb.conditions.items()),
            description="Condition",
            style=style,
            layout=layout,
        )
        self.finding = widgets.Dropdown(description="Finding", style=style, layout=layout)
        self.present = widgets.ToggleButtons(
            options=[("present", True), ("absent", False)],
            description="Recorded",
            style=toggle_style,
            layout=toggle_layout,
        )
        self.direction = widgets.ToggleButtons(
            options=[("up", "up"), ("down", "down")],
            description="It will go",
            style=toggle_style,
            layout=toggle_layout,
        )
        self.size = widgets.ToggleButtons(
            options=list(SIZES), description="By", style=toggle_style, layout=toggle_layout
        )
        self.button = plain_button(description="Predict, then see", button_style="primary")
        self.button.add_class("kneesci-predict")
        self.verdict = text_view()
        self.verdict.add_class("kneesci-verdict")
        self.running = text_view()
        self.button.on_click(lambda _: self.predict())
        self.view = widgets.VBox(
            [
                text_view(
                    "<h3 class='kneesci-heading'>Predict, then see</h3>"
                    f"<p class='kneesci-help'>{html.escape(HELP)}</p>"
                ),
                self.condition,
                self.finding,
                self.present,
                self.direction,
                self.size,
                self.button,
                self.verdict,
                self.running,
            ],
            layout=toggle_layout,
            _dom_classes=("kneesci-prediction",),
        )
        self.refresh()

    @property
    def setting(self) -> str:
        return self._setting() if callable(self._setting) else self._setting

    def refresh(self) -> None:
        """Offer only findings not yet recorded (call after the patient changes)."""
        known = self.get_findings()
        options = sorted((f.label, fid) for fid, f in self.kb.findings.items() if fid not in known)
        if list(self.finding.options) != options:
            current = self.finding.value
            self.finding.options = options
            if current in dict(options).values():
                self.finding.value = current

    def predict(self) -> Verdict:
        """Judge the prediction in the pickers, apply the finding, show the verdict."""
        findings = self.get_findings()
        condition = self.condition.value
        if condition == LEADING:
            condition = self.kb.differential(findings, self.setting).top
        prediction = Prediction(
            condition,
            self.finding.value,
            bool(self.present.value),
            self.direction.value,
            self.size.value,
        )
        verdict = self.score.add(judge(self.kb, findings, prediction, self.setting))
        self.last = verdict
        self.apply(prediction.finding, prediction.present)
        self.verdict.value = (
            f"<p role='status' class='kneesci-verdict-text'>{html.escape(verdict.text(self.kb))}"
            "</p>"
        )
        self.running.value = f"<p>Running score: {html.escape(self.score.text())}</p>"
        self.refresh()
        return verdict
