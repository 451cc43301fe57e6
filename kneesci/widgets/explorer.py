"""The symptom explorer: set a patient's findings and watch the differential move.

    >>> from kneesci.widgets import Explorer
    >>> explorer = Explorer()
    >>> explorer.set_finding("femoral_nerve_stretch_positive", True)
    >>> explorer.findings
    {'femoral_nerve_stretch_positive': True}

Display it as the last line of a notebook cell. What is known about the patient lives in a plain
`kneesci.patient.Patient`; the widgets only show it. Every view updates in place on each change:
the charts are HTML written from the numbers and the body map an SVG written from the atlas
(`kneesci.views.html_charts`, `kneesci.views.body_map_svg`), so no matplotlib figure is built at
open or on a click; each is one image for screen readers with alt text and a text twin beside it.
`Explorer.chart` and `Explorer.why_chart` give the matplotlib charts for exports and notebooks.
A red flag raised at `immediate` or `urgent` shows in a banner that stays at the top of the window
while the explorer is on screen, with its level in words (on a phone, one line that opens to the
actions), and beside the finding that raised it; a
`screen` shows in a "Check now" panel and a `safety_net` in an "Advice to give" panel
(`kneesci.concern_views` renders all three). Below about 900 px the two columns become one, and
the top three stay in a line at the bottom of the window; above it the results column stays in
view.

History and Examination are shown in the sections of `data/finding_sections.csv`, each
examination test with how to perform it beside its section's heading. In Voila, the offline
template's script names each finding's radio group by its label and makes it one Tab stop.

The explorer is a composition of small panels (concerns, differential, ask next, why, body map),
each owning its widgets; a click computes one differential and hands it to every panel.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import ipywidgets as widgets

from .. import load
from ..course.citations import citation_html
from ..describe import (
    entered_text,
    explanation_text,
    measured_elsewhere_text,
    patient_report_html,
    patient_report_markdown,
    ranking_lines,
)
from ..errors import DataError, UnknownIdError
from ..inference import Differential
from ..knowledge_base import DEFAULT_SETTING, KnowledgeBase
from ..patient import Implied, Patient
from ..views.body_map_svg import BodyMapSVG
from ..views.concern_views import PLACES, concern_view
from ..views.html_charts import differential_html, top_three_html, why_html
from .bodymap import TappableBodyMap
from .controls import (
    FROM_VALUE,
    TO_VALUE,
    check_value,
    finding_control,
    plain_box,
    plain_button,
    text_view,
)
from .pairs_panel import PairsPanel
from .prediction_panel import PredictionPanel
from .theme import STYLE

if TYPE_CHECKING:
    from ..views.plots import ContributionChart, DifferentialChart

GROUP_TITLES = {"history": "History", "symptom": "Symptoms", "examination": "Examination"}
LEADING = "__leading__"
# The whiskers' interval and its draws: as `kneesci.plots.DifferentialChart`, so the page and an
# export agree (a bank of draws per knowledge base makes this a look-up per click).
LEVEL, DRAWS = 0.8, 200
ROOT_OF = {
    "l3_radiculopathy": "L3",
    "l4_radiculopathy": "L4",
    "l5_radiculopathy": "L5",
    "s1_radiculopathy": "S1",
}
# The help says it all here: a link to a notebook leaves the app (Voila will not serve one).
BITS_HELP = (
    "<b>Bits</b>: how much, on average, the answer would narrow the differential; 1 bit halves "
    "the uncertainty. A question that settles a 50:50 choice between two conditions is worth "
    "1 bit; one whose answer you can already predict is worth almost nothing."
)
LR_HELP = (
    "<b>Likelihood ratio</b>: how many times likelier a finding is with this condition than "
    "without it; above 1 raises the probability, below 1 lowers it. For example, a ratio of 10 "
    "turns a 10% pre-test probability into about 53% (odds 1:9 times 10 make 10:9). Notebook 2, "
    "<i>Reasoning with evidence</i>, works through it."
)
# What the ratios in "Why?" compare (Differential.explain): the chosen condition against the
# other conditions, each weighted by how likely it is given everything else the patient showed.
WHY_HELP = (
    "<b>Why?</b> Each ratio says how much more often the finding is seen in the chosen condition "
    "than in the other conditions, weighted by their probability given the rest of the findings. "
    "So a classic sign can still lower a condition's odds when a rival explains it even better. "
    'The share in brackets ("11% of the movement") is that finding\'s part of the total shift '
    "in the odds, counting rises and falls alike."
)
# Above this the leading condition is as good as settled: no single answer moves the ranking.
SETTLED = 0.99


class Explorer(widgets.VBox):
    """Widgets that set findings (not asked / present / absent) and show the differential.

    `instructor=True` shows each case's instructor title (which may name the diagnosis) in the
    case picker; students see neutral titles and reveal the answer themselves.
    """

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        setting: str = DEFAULT_SETTING,
        findings: Mapping[str, bool] | None = None,
        instructor: bool = False,
    ):
        self.kb = kb or load()
        self.patient = Patient(self.kb, setting)  # validates the setting before building anything
        if findings is not None:  # a contradiction is named, never silently resolved
            self.kb.check_findings(
                {f: v for f, v in findings.items() if v is not None}
                if isinstance(findings, Mapping)
                else findings
            )
        self.instructor = instructor
        self._holding = False
        self._syncing = False
        self._why_condition = LEADING
        self._chart: DifferentialChart | None = None
        self._why_chart: ContributionChart | None = None
        self._case_id = ""

        self.setting_picker = widgets.Dropdown(
            options=[(s.label, sid) for sid, s in self.kb.settings.items()],
            value=self.patient.setting,
            description="Setting",
        )
        self.case_picker = widgets.Dropdown(
            options=self._case_options(),
            value="",
            description="Load a case",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.reset_button = plain_button(
            description="Reset",
            icon="undo",
            tooltip="Every finding back to not asked, and the setting back to the start",
        )
        self.export_button = plain_button(
            description="Export", icon="download", tooltip="Save this patient as Markdown or HTML"
        )
        self.answer_button = widgets.Button(
            description="Show the answer",
            icon="eye",
            tooltip="Reveal this case's diagnosis, source and teaching point",
            layout=widgets.Layout(display="none"),
        )
        self.controls: dict[str, widgets.Widget] = {}
        self.flag_notes: dict[str, widgets.HTML] = {}
        triggers = self.kb.red_flag_findings
        groups: dict[str, list] = {g: [] for g in GROUP_TITLES}
        self.section_views: dict[str, widgets.HTML] = {}
        for fid in self._finding_order():
            finding = self.kb.findings[fid]
            section = self.kb.finding_sections.get(fid)
            if section and section not in self.section_views:
                # A heading for each section (screen readers jump by heading), with how to
                # perform its tests beside it: one view, not one per test.
                heading = text_view(self._section_html(section))
                self.section_views[section] = heading
                groups[finding.group].append(heading)
            control = finding_control(finding)
            control.observe(self._on_control, names="value")
            self.controls[fid] = control
            groups[finding.group].append(control)
            if fid in triggers:  # room for a warning right where the student clicked
                note = text_view(css_class="kneesci-flag-note")  # shares one Layout and style
                self.flag_notes[fid] = note
                groups[finding.group].append(note)
        self._group_sizes = {
            g: sum(f.group == g for f in self.kb.findings.values()) for g in GROUP_TITLES
        }
        self.groups = widgets.Accordion(
            children=[plain_box(groups[g]) for g in GROUP_TITLES],
            titles=tuple(self._group_titles()),
            selected_index=0,
        )
        self.group_index = {g: i for i, g in enumerate(GROUP_TITLES)}

        self.notice = text_view()
        self.entered = text_view()
        self.answer_view = text_view()
        self.export_view = text_view()
        # The right-hand column is a composition of small panels, each owning its widgets and
        # updated from the one differential each click computes.
        self.concerns_panel = _ConcernsPanel(self.kb)
        self.banner = self.concerns_panel.banner
        self.differential_panel = _DifferentialPanel(self.kb)
        self.chart_view = self.differential_panel.chart_view
        self.ranking_view = self.differential_panel.ranking_view
        self.why = _WhyPanel(self.kb, self._on_why)
        self.why_picker, self.why_view, self.why_text = (
            self.why.picker,
            self.why.view,
            self.why.text,
        )
        self.ask_next = _AskPanel(self._on_ask)
        self.ask_buttons = self.ask_next.buttons
        self.sensory = _SensoryPanel(self.kb, self.toggle_numbness)
        self.pairs_panel = PairsPanel()
        self.prediction = PredictionPanel(
            self.kb, lambda: self.findings, self.set_finding, lambda: self.setting
        )

        self.setting_picker.observe(self._on_setting, names="value")
        self.case_picker.observe(self._on_case, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.export_button.on_click(lambda _: self.show_export())
        self.answer_button.on_click(
            lambda _: self.hide_answer() if self.answer_view.value else self.show_answer()
        )

        left = plain_box(
            [
                text_view("<h3 class='kneesci-heading'>The patient's findings</h3>"),
                self.groups,
            ],
            css_class="kneesci-left",
        )
        right = plain_box(
            [
                self.concerns_panel.view,
                self.differential_panel.view,
                self.pairs_panel.view,
                self.prediction.view,
                self.ask_next.view,
                self.why.view_box,
                self.sensory.view,
                self.differential_panel.summary,
            ],
            css_class="kneesci-right",
        )
        columns = plain_box([left, right], horizontal=True, css_class="kneesci-columns")
        toolbar = plain_box(
            [
                self.setting_picker,
                self.case_picker,
                self.reset_button,
                self.export_button,
                self.answer_button,
            ],
            horizontal=True,
            css_class="kneesci-toolbar",
        )
        super().__init__(
            [
                text_view(STYLE),
                self.banner,
                toolbar,
                self.notice,
                self.answer_view,
                self.export_view,
                self.entered,
                columns,
            ],
            _dom_classes=("kneesci-explorer",),
        )
        self.differential: Differential | None = None
        with self.hold():
            for fid, value in (findings or {}).items():
                self.set_finding(fid, value)
        self.refresh()

    # --- the API tests and notebooks use ------------------------------------------------------
    @property
    def chart(self) -> DifferentialChart:
        """The differential as a matplotlib chart, for exports and notebooks: built on first use,
        never at open or on a click (the page shows the HTML chart)."""
        if self._chart is None:
            from ..views.plots import DifferentialChart

            self._chart = DifferentialChart(self.kb)
        if self.differential is not None:
            self._chart.update(self.differential)
        return self._chart

    @property
    def why_chart(self) -> ContributionChart:
        """The why chart as a matplotlib chart, built on first use (as `chart`)."""
        if self._why_chart is None:
            from ..views.plots import ContributionChart

            self._why_chart = ContributionChart(self.kb)
        if self.differential is not None:
            ranked = self.differential.ranked()
            why = self._why_condition
            self._why_chart.update(self.differential, ranked[0][0] if why == LEADING else why)
        return self._why_chart

    @property
    def findings(self) -> dict[str, bool]:
        """The observed findings: id -> True (present) / False (absent); not asked is left out."""
        return dict(self.patient.findings)

    @property
    def setting(self) -> str:
        return self.patient.setting

    def set_finding(self, finding: str, value: bool | None) -> None:
        """Set one finding exactly as a click would: True present, False absent, None not asked."""
        self.kb.check_finding(finding)
        self.controls[finding].value = check_value(finding, value)

    def toggle_numbness(self, finding: str) -> None:
        """A tap on a skin area of the body map: marks it numb, or clears it if it was."""
        self.set_finding(finding, None if self.patient.findings.get(finding) is True else True)

    def reset(self) -> None:
        """Every finding back to not asked, and the setting back to where the explorer began."""
        self.patient.clear()
        self._case_id = ""
        self._sync_controls()
        self.case_picker.value = ""
        self.answer_button.layout.display = "none"
        self.hide_answer()
        self.export_view.value = ""
        label = self.kb.settings[self.patient.setting].label
        self.notice.value = _status(
            f"Reset: every finding is not asked, and the setting is {html.escape(label)}."
        )
        self.refresh()

    def load_case(self, case_id: str) -> None:
        """Replace the findings with a case's findings and setting (from `data/cases.yaml`)."""
        if case_id not in self.cases:
            raise UnknownIdError("case", case_id, self.cases)
        case = self.cases[case_id]
        before = self.patient.setting
        self.patient.replace(case.findings, case.setting)
        self._case_id = case_id
        self._sync_controls()
        if self.case_picker.value != case_id:
            self.case_picker.value = case_id
        self.hide_answer()
        self.export_view.value = ""
        self.answer_button.layout.display = None
        settings = self.kb.settings
        if case.setting != before:
            change = (
                f"The setting changed from {html.escape(settings[before].label)} to "
                f"{html.escape(settings[case.setting].label)}."
            )
        else:
            change = f"The setting stays {html.escape(settings[case.setting].label)}."
        self.notice.value = _status(
            f"Loaded {html.escape(case.student_title)}: "
            f"{len(case.findings)} findings entered. {change}"
        )
        self.refresh()

    def show_answer(self) -> str:
        """Reveal the loaded case's diagnosis, teaching point and source, after trying."""
        if not self._case_id:
            self.answer_view.value = _status("Load a case first; a blank patient has no answer.")
            return ""
        case = self.cases[self._case_id]
        text = _answer_markdown(case, self.kb)
        body = case.answer(self.kb).html() if hasattr(case, "answer") else html.escape(text)
        self.answer_view.value = f"<div class='kneesci-answer' role='status'>{body}</div>"
        self.answer_button.description, self.answer_button.icon = "Hide the answer", "eye-slash"
        return text

    def hide_answer(self) -> None:
        """Put the answer away again (the button toggles between Show and Hide)."""
        self.answer_view.value = ""
        self.answer_button.description, self.answer_button.icon = "Show the answer", "eye"

    def to_markdown(self) -> str:
        """This patient as Markdown: findings, differential, explanation and red flags."""
        return patient_report_markdown(self.differential)

    def to_html(self) -> str:
        """This patient as a standalone HTML page, the chart included with its alt text."""
        return patient_report_html(self.differential, self.chart.to_html("kneesci-export-chart"))

    def show_export(self) -> None:
        """Offer the patient summary as two download links (Markdown, HTML)."""
        links = []
        for name, text, mime in (
            ("patient.md", self.to_markdown(), "text/markdown"),
            ("patient.html", self.to_html(), "text/html"),
        ):
            data = base64.b64encode(text.encode("utf-8")).decode("ascii")
            links.append(
                f'<a download="{name}" href="data:{mime};charset=utf-8;base64,{data}">'
                f"Download {name}</a>"
            )
        self.export_view.value = (
            "<p class='kneesci-export'>Save this patient: " + " &middot; ".join(links) + "</p>"
        )

    def hold(self) -> _Hold:
        """Context manager: make several changes, then refresh once."""
        return _Hold(self)

    # --- views ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the differential and update every view in place."""
        if self._holding:
            return
        dx = self.patient.differential()
        self.differential = dx
        if self.setting_picker.value != self.patient.setting:
            self._syncing = True
            try:
                self.setting_picker.value = self.patient.setting
            finally:
                self._syncing = False
        ranked = dx.ranked()  # once per click; the panels share it
        # One update per click: each panel takes the same differential; a widget whose several
        # traits change (an ask-next button) sends them in one message.
        with self.hold_sync():
            self.differential_panel.update(dx)
            self.pairs_panel.update(dx)
            self.prediction.refresh()
            self.concerns_panel.update(dx)
            self._update_flag_notes(dx)
            _set(self.entered, self._entered_html(dx))
            titles = tuple(self._group_titles())
            if tuple(self.groups.titles) != titles:
                self.groups.titles = titles
            condition = ranked[0][0] if self._why_condition == LEADING else self._why_condition
            self.why.update(dx, condition)
            self.ask_next.update(dx, self.kb)
            # A blank patient has no leading root worth outlining: the map stays unshaded, as
            # its caption says.
            self.sensory.update(dx, self._leading_root(ranked) if dx.findings else None)

    def _group_titles(self) -> list[str]:
        counts = self.patient.count_by_group()
        return [
            f"{title} ({counts.get(g, 0)} of {self._group_sizes[g]} set)"
            for g, title in GROUP_TITLES.items()
        ]

    def _entered_html(self, dx: Differential) -> str:
        text = html.escape(entered_text(dx))
        return f"<p id='kneesci-entered' class='kneesci-entered'>{text}</p>"

    def _update_flag_notes(self, dx: Differential) -> None:
        # A visual twin of the banner beside the finding that raised it; the banner itself is
        # the one announced to screen readers, so this one is hidden from them.
        for fid, note in self.flag_notes.items():
            labels = [
                f"{c.label} ({c.words.lower()})"
                for c in dx.concerns
                if c.flag in dx.red_flags and fid in c.reasons and dx.findings.get(fid)
            ]
            _set(
                note,
                (
                    "<div class='kneesci-flag-beside' aria-hidden='true'>&#9888; Red flag: "
                    f"{html.escape('; '.join(labels))}. See the action at the top.</div>"
                )
                if labels
                else "",
            )

    def _finding_order(self) -> list[str]:
        """Findings section by section (data/finding_sections.csv), the rest in file order."""
        sections = list(dict.fromkeys(self.kb.finding_sections.values()))
        listed = sorted(
            self.kb.finding_sections, key=lambda f: sections.index(self.kb.finding_sections[f])
        )
        return listed + [f for f in self.kb.findings if f not in self.kb.finding_sections]

    def _section_html(self, section: str) -> str:
        """The section's heading; for examination tests, an ⓘ per test that opens how to do it
        (a disclosure, so no hover is needed on a tablet) with its references as 'Author Year'."""
        items = []
        for fid, name in self.kb.finding_sections.items():
            finding = self.kb.findings[fid]
            if name != section or finding.group != "examination":
                continue
            how = _how_to(self.kb, fid) or html.escape(finding.description)
            if how:
                items.append(
                    "<details class='kneesci-howto'><summary aria-label='How to perform: "
                    f"{html.escape(finding.label, quote=True)}'><span aria-hidden='true'>"
                    f"&#9432;</span> {html.escape(finding.label)}</summary><p>{how}</p></details>"
                )
        tests = f"<div class='kneesci-howto-list'>{''.join(items)}</div>" if items else ""
        return f"<h4 class='kneesci-section'>{html.escape(section)}</h4>{tests}"

    def _leading_root(self, ranked: list[tuple[str, float]]) -> str | None:
        for condition, _ in ranked:
            if condition in ROOT_OF:
                return ROOT_OF[condition]
        return None

    # --- events --------------------------------------------------------------------------------
    def _on_control(self, change) -> None:
        if self._syncing:
            return
        fid = next(f for f, c in self.controls.items() if c is change["owner"])
        implied = self.patient.set(fid, TO_VALUE[change["new"]])
        self._sync_controls([i.finding for i in implied])
        self.notice.value = "".join(self._implied_html(i) for i in implied)
        self.refresh()

    def _implied_html(self, implied: Implied) -> str:
        state = "present" if implied.value else "absent"
        return _status(
            f"Set {html.escape(self.kb.findings[implied.finding].label)} to {state}, to agree "
            f"with {html.escape(self.kb.findings[implied.because].label)}."
        )

    def _sync_controls(self, findings=None) -> None:
        """Make the controls show the patient (without treating it as a click)."""
        self._syncing = True
        try:
            for fid in findings if findings is not None else self.controls:
                value = FROM_VALUE[self.patient.findings.get(fid)]
                if self.controls[fid].value != value:
                    self.controls[fid].value = value
        finally:
            self._syncing = False

    def _on_setting(self, change) -> None:
        if self._syncing:
            return
        self.patient.set_setting(change["new"])
        self.refresh()

    def _on_case(self, change) -> None:
        if change["new"] and change["new"] != self._case_id:
            self.load_case(change["new"])

    def _on_why(self, condition: str) -> None:
        self._why_condition = condition
        self.refresh()

    def _on_ask(self, finding: str) -> None:
        self.groups.selected_index = self.group_index[self.kb.findings[finding].group]
        self.controls[finding].focus()

    # --- cases ---------------------------------------------------------------------------------
    @property
    def cases(self) -> dict:
        """The case library the case picker offers (loaded on first use)."""
        if not hasattr(self, "_case_library"):
            from ..cases import load_cases

            self._case_library = load_cases(self.kb)
        return self._case_library

    def _case_order(self) -> list:
        """The cases as the game lists them (`game_order`: neighbours reveal no diagnosis), then
        the worked examples the game leaves out, so the explorer can still load them."""
        from ..cases import game_order

        ordered = game_order(self.cases)
        shown = {c.id for c in ordered}
        return ordered + [c for cid, c in self.cases.items() if cid not in shown]

    def _case_options(self) -> list[tuple[str, str]]:
        try:
            ordered = self._case_order()  # loads the library; a bad one is named in the picker
        except (FileNotFoundError, DataError) as error:
            # The explorer works without a case library; the picker says why it offers none.
            self._case_library = {}
            why = str(error)
            return [(f"(no cases to load: {why if len(why) < 160 else why[:157] + '...'})", "")]

        from ..course.cases import case_choices

        return [("(none: a blank patient)", ""), *case_choices(ordered, self.instructor)]


def _answer_markdown(case, kb: KnowledgeBase) -> str:
    if hasattr(case, "answer"):
        return case.answer(kb).markdown()
    return (
        f"Diagnosis: {kb.conditions[case.diagnosis].label}\n"
        f"Teaching point: {case.teaching_point}\n"
        f"Source: {', '.join(case.source)}"
    )


def _how_to(kb: KnowledgeBase, finding: str) -> str:
    """How to perform an examination (data/examination_howto.csv) as HTML, its references as
    'Author Year' links."""
    how = kb.how_to(finding)
    if how is None:
        return ""
    cited = "; ".join(citation_html(kb.references[key]) for key in how.keys)
    return f"{html.escape(how.how_to)} ({cited})"


def _status(text_html: str) -> str:
    return f"<div role='status' class='kneesci-notice'>{text_html}</div>"


def _set(view: widgets.HTML, value: str) -> None:
    # Send a value to the page only when it changed: less traffic, and no repeated announcement.
    if view.value != value:
        view.value = value


class _Hold:
    def __init__(self, explorer: Explorer):
        self.explorer = explorer
        self.outer = explorer._holding

    def __enter__(self) -> None:
        self.explorer._holding = True

    def __exit__(self, *exc) -> None:
        self.explorer._holding = self.outer


def _short_alert(concerns, alert_html: str) -> str:
    """The banner in one line for a phone (the full one is shown instead above 600 px): each
    flag's level word and name, its actions behind a tap or Enter. 0.2's full banner took 248 of
    a phone's 844 px and lay over the body map."""
    alert = [c for c in concerns if c.level in PLACES["alert"]]
    if not alert or "<ul>" not in alert_html:
        return ""
    line = "; ".join(f"{c.words}: {c.label}" for c in alert)
    actions = alert_html.split("<ul>", 1)[1].rsplit("</ul>", 1)[0]
    return (
        "<div id='kneesci-red-flag-short' class='kneesci-red-flag kneesci-red-flag-short' "
        "role='alert'><details><summary><span aria-hidden='true'>&#9888;</span> "
        f"<strong>{html.escape(line)}</strong></summary><ul>{actions}</ul></details></div>"
    )


class _ConcernsPanel:
    """The patient's concerns: the sticky alert (immediate, urgent), then "Check now" (screen)
    and "Advice to give" (safety_net), all from one rendering (`kneesci.concern_views`)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.banner = text_view(css_class="kneesci-sticky")
        self.check = text_view()
        self.advice = text_view()
        self.view = plain_box([self.check, self.advice])

    def update(self, dx: Differential) -> None:
        view = concern_view(dx.concerns, self.kb)
        _set(self.banner, view.alert_html + _short_alert(dx.concerns, view.alert_html))
        _set(self.check, view.check_html)
        _set(self.advice, view.advice_html)


class _DifferentialPanel:
    """The differential as a chart (HTML bars with alt text, whisker help and a compact top
    three for narrow screens) and as a ranked list. No picture is drawn: the chart is written
    from the numbers (`kneesci.views.html_charts`), one message per click."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.chart_view = text_view(css_class="kneesci-chart-block")
        self.ranking_view = text_view()
        self.view = widgets.VBox([self.chart_view, self.ranking_view])
        # The top three for narrow screens, where it sticks to the bottom of the window (the
        # style sheet shows it there, and hides it on wide screens and in print).
        self.summary = text_view(css_class="kneesci-dx-summary-box")

    def update(self, dx: Differential) -> None:
        intervals = dx.intervals(LEVEL, DRAWS, seed=0)
        self.chart_view.value = differential_html(dx, intervals, "kneesci-differential-chart")
        _set(self.summary, top_three_html(dx))
        items = "".join(f"<li>{html.escape(line)}</li>" for line in ranking_lines(dx))
        _set(
            self.ranking_view,
            "<details><summary>Ranking as text</summary>"
            f'<ol id="kneesci-ranking" aria-live="polite">{items}</ol></details>',
        )


class _WhyPanel:
    """Why a condition stands where it does: each finding's share, as a chart and as text."""

    def __init__(self, kb: KnowledgeBase, on_pick: Callable[[str], None]):
        self.picker = widgets.Dropdown(
            options=[("the leading condition", LEADING)]
            + [(c.label, cid) for cid, c in kb.conditions.items()],
            value=LEADING,
            description="Why?",
        )
        self.picker.observe(lambda change: on_pick(change["new"]), names="value")
        # The chart and its text twin in one view: one message per click, not two.
        self.view = self.text = text_view()
        self.view_box = widgets.VBox(
            [self.picker, self.view, text_view(f"<p class='kneesci-help'>{WHY_HELP} {LR_HELP}</p>")]
        )

    def update(self, dx: Differential, condition: str) -> None:
        # explain() is computed once, then cached by dx
        _set(
            self.view,
            why_html(dx, condition, "kneesci-why-chart")
            + "<details><summary>Why, as text</summary><pre style='white-space:pre-wrap'>"
            f"{html.escape(explanation_text(dx, condition))}</pre></details>"
            f"<div>{html.escape(measured_elsewhere_text(dx, condition))}</div>",
        )


class _AskPanel:
    """The three unasked findings expected to sharpen the differential most (in bits)."""

    def __init__(self, on_ask: Callable[[str], None]):
        self.buttons = [plain_button(layout=widgets.Layout(width="auto")) for _ in range(3)]
        for button in self.buttons:
            button.add_class("kneesci-ask")
            button.on_click(lambda b: on_ask(b.finding) if getattr(b, "finding", None) else None)
        self.settled = text_view()
        self.view = plain_box(
            [
                text_view(
                    "<h3 class='kneesci-heading'>Ask next</h3><p class='kneesci-help'>The "
                    "unasked findings expected to sharpen the differential most (in bits). "
                    f"Click one to jump to it. {BITS_HELP}</p>"
                ),
                self.settled,
                widgets.HBox(self.buttons, layout=widgets.Layout(flex_flow="row wrap")),
            ]
        )

    def update(self, dx: Differential, kb: KnowledgeBase) -> None:
        leader, probability = dx.ranked()[0]
        if probability > SETTLED:
            # Every answer would be worth about 0.00 bits: say so instead of offering them.
            suggestions = []
            _set(
                self.settled,
                f"<p class='kneesci-help' role='status'>{html.escape(kb.conditions[leader].label)}"
                f" is above {SETTLED:.0%}: no single question would change the ranking much. "
                "Check the red flags, and whether the findings entered are right.</p>",
            )
        else:
            suggestions = dx.next_questions(len(self.buttons))
            _set(self.settled, "")
        for button, item in zip(self.buttons, suggestions + [None] * 3, strict=False):
            button.layout.display = "none" if item is None else None
            if item is not None:
                fid, bits = item
                with button.hold_sync():  # description and tooltip in one message
                    button.description = f"{kb.findings[fid].label} ({bits:.2f} bits)"
                    button.tooltip = f"Jump to: {kb.findings[fid].label}"
                button.finding = fid


class _SensoryPanel:
    """Where the patient's reported numbness is, beside the leading root's dermatome.

    The body outlines are written once as SVG (`kneesci.views.body_map_svg`); a change sends the
    map again only when the numbness or the leading root changes. Tapping a patch of skin
    toggles that sensory finding, as its radio buttons do.
    """

    def __init__(self, kb: KnowledgeBase, on_tap: Callable[[str], None]):
        self.kb = kb
        self._state: tuple | None = None
        self.map = BodyMapSVG()
        labels = {f: kb.findings[f].label for f in self.map.finding_ids if f in kb.findings}
        self.body_map = TappableBodyMap(self.map, labels, on_tap)
        self.view = widgets.VBox(
            [text_view("<h3 class='kneesci-heading'>Where is the numbness?</h3>"), self.body_map]
        )

    def update(self, dx: Differential, root: str | None) -> None:
        present = tuple(
            sorted(f for f, v in dx.findings.items() if v and f in self.map.finding_ids)
        )
        state = (present, root)
        if state == self._state:  # send the map only when what it shows has changed
            return
        self._state = state
        self.map.update(present, root)
        self.body_map.show()  # the map with its caption beneath, in one message
        self.body_map.mark(set(present))


__all__ = ["Explorer"]
