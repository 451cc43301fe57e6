"""The symptom explorer: set a patient's findings and watch the differential move.

    >>> from kneesci.widgets import Explorer
    >>> explorer = Explorer()
    >>> explorer.set_finding("femoral_nerve_stretch_positive", True)
    >>> explorer.findings
    {'femoral_nerve_stretch_positive': True}

Display it as the last line of a notebook cell. Every view updates in place on each change: the
charts are built once and redrawn by blitting (see `kneesci.plots`), and each image carries alt text
with a text twin beside it for screen readers.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping

import ipywidgets as widgets

from .. import load
from ..anatomy_plots import SensoryMap
from ..describe import explanation_text, ranking_lines
from ..inference import Differential
from ..knowledge_base import DEFAULT_SETTING, KnowledgeBase
from ..plots import BlitChart, ContributionChart, DifferentialChart
from .controls import FROM_VALUE, TO_VALUE, check_value, finding_control

GROUP_TITLES = {"history": "History", "symptom": "Symptoms", "examination": "Examination"}
LEADING = "__leading__"
# The default collapsed-section title colour fails WCAG AA contrast (4.45:1) on its grey header.
STYLE = """<style>
.kneesci-explorer .jupyter-widget-Collapse-header,
.kneesci-explorer .p-Collapse-header { color: #1F1F1F; }
.kneesci-explorer .widget-radio-box-horizontal label { margin-right: 0.6em; }
</style>"""
ROOT_OF = {
    "l3_radiculopathy": "L3",
    "l4_radiculopathy": "L4",
    "l5_radiculopathy": "L5",
    "s1_radiculopathy": "S1",
}


def image_html(png: bytes, alt: str, element_id: str) -> str:
    """An <img> with alt text; ipywidgets' Image widget has no alt attribute."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img id="{element_id}" src="data:image/png;base64,{data}" '
        f'alt="{html.escape(alt)}" style="max-width:100%;height:auto">'
    )


class Explorer(widgets.VBox):
    """Widgets that set findings (not asked / present / absent) and show the differential."""

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        setting: str = DEFAULT_SETTING,
        findings: Mapping[str, bool] | None = None,
    ):
        self.kb = kb or load()
        self.kb.differential({}, setting)  # validates the setting id before building anything
        self._holding = False
        self._why_condition = LEADING

        self.setting_picker = widgets.Dropdown(
            options=[(s.label, sid) for sid, s in self.kb.settings.items()],
            value=setting,
            description="Setting",
        )
        self.case_picker = widgets.Dropdown(
            options=[("(none: a blank patient)", "")] + self._case_options(),
            value="",
            description="Load a case",
            style={"description_width": "initial"},
        )
        self.reset_button = widgets.Button(
            description="Reset", icon="undo", tooltip="Set every finding back to not asked"
        )
        self.controls: dict[str, widgets.RadioButtons] = {}
        groups = {g: [] for g in GROUP_TITLES}
        for fid, finding in self.kb.findings.items():
            control = finding_control(finding)
            control.observe(self._on_control, names="value")
            self.controls[fid] = control
            groups[finding.group].append(control)
        self.groups = widgets.Accordion(
            children=[widgets.VBox(groups[g]) for g in GROUP_TITLES],
            titles=tuple(f"{t} ({len(groups[g])})" for g, t in GROUP_TITLES.items()),
            selected_index=0,
        )
        self._group_index = {g: i for i, g in enumerate(GROUP_TITLES)}

        self.notice = widgets.HTML()
        self.banner = widgets.HTML()
        self.chart = DifferentialChart(self.kb)
        self.chart_view = widgets.HTML()
        self.ranking_view = widgets.HTML()
        self.why_picker = widgets.Dropdown(
            options=[("the leading condition", LEADING)]
            + [(c.label, cid) for cid, c in self.kb.conditions.items()],
            value=LEADING,
            description="Why?",
        )
        self.why_chart = ContributionChart(self.kb)
        self.why_view = widgets.HTML()
        self.why_text = widgets.HTML()
        self.ask_buttons = [widgets.Button(layout=widgets.Layout(width="auto")) for _ in range(3)]
        for button in self.ask_buttons:
            button.add_class("kneesci-ask")
            button.on_click(self._on_ask)
        self.sensory = _SensoryPanel(self.kb)

        self.setting_picker.observe(lambda _: self.refresh(), names="value")
        self.case_picker.observe(self._on_case, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.why_picker.observe(self._on_why, names="value")

        left = widgets.VBox(
            [
                widgets.HTML("<h3 style='margin:0.2em 0'>The patient's findings</h3>"),
                self.groups,
            ],
            layout=widgets.Layout(width="48%", min_width="30em"),
        )
        right = widgets.VBox(
            [
                self.banner,
                self.chart_view,
                self.ranking_view,
                widgets.HTML("<h3 style='margin:0.4em 0 0.2em'>Ask next</h3>"),
                widgets.HTML(
                    "The unasked findings expected to sharpen the differential most "
                    "(information gain in bits). Click one to jump to it."
                ),
                widgets.HBox(self.ask_buttons, layout=widgets.Layout(flex_flow="row wrap")),
                self.why_picker,
                self.why_view,
                self.why_text,
                self.sensory.view,
            ],
            layout=widgets.Layout(width="52%", min_width="30em"),
        )
        super().__init__(
            [
                widgets.HTML(STYLE),
                widgets.HBox([self.setting_picker, self.case_picker, self.reset_button]),
                self.notice,
                widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap")),
            ]
        )
        self.add_class("kneesci-explorer")
        self.differential: Differential | None = None
        with self.hold():
            for fid, value in (findings or {}).items():
                self.set_finding(fid, value)
        self.refresh()

    # --- the API tests and notebooks use ------------------------------------------------------
    @property
    def findings(self) -> dict[str, bool]:
        """The observed findings: id -> True (present) / False (absent); not asked is left out."""
        return {fid: TO_VALUE[c.value] for fid, c in self.controls.items() if c.value != "unknown"}

    @property
    def setting(self) -> str:
        return self.setting_picker.value

    def set_finding(self, finding: str, value: bool | None) -> None:
        """Set one finding exactly as a click would: True present, False absent, None not asked."""
        self.kb.check_finding(finding)
        self.controls[finding].value = check_value(finding, value)

    def reset(self) -> None:
        """Every finding back to not asked."""
        with self.hold():
            for control in self.controls.values():
                control.value = "unknown"
            self.case_picker.value = ""
        self.refresh()

    def load_case(self, case_id: str) -> None:
        """Replace the findings with a case's findings and setting (from `data/cases.yaml`)."""
        case = self._cases()[case_id]
        with self.hold():
            for control in self.controls.values():
                control.value = "unknown"
            self.setting_picker.value = case.setting
            for fid, value in case.findings.items():
                self.controls[fid].value = FROM_VALUE[value]
        self.refresh()

    def hold(self) -> _Hold:
        """Context manager: make several changes, then refresh once."""
        return _Hold(self)

    # --- views ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the differential and update every view in place."""
        if self._holding:
            return
        dx = self.kb.differential(self.findings, self.setting)
        self.differential = dx
        self.chart.update(dx)
        self.chart_view.value = image_html(
            self.chart.to_png(), self.chart.alt_text, "kneesci-differential-chart"
        )
        self.ranking_view.value = self._ranking_html(dx)
        self.banner.value = self._banner_html(dx)
        condition = dx.top if self._why_condition == LEADING else self._why_condition
        self.why_chart.update(dx, condition)
        self.why_view.value = image_html(
            self.why_chart.to_png(), self.why_chart.alt_text, "kneesci-why-chart"
        )
        self.why_text.value = (
            "<details><summary>Why, as text</summary><pre style='white-space:pre-wrap'>"
            f"{html.escape(explanation_text(dx, condition))}</pre></details>"
        )
        suggestions = dx.next_questions(len(self.ask_buttons))
        for button, item in zip(self.ask_buttons, suggestions + [None] * 3, strict=False):
            button.layout.display = "none" if item is None else None
            if item is not None:
                fid, bits = item
                button.description = f"{self.kb.findings[fid].label} ({bits:.2f} bits)"
                button.tooltip = f"Jump to: {self.kb.findings[fid].label}"
                button.finding = fid
        self.sensory.update(dx, self._leading_root(dx))

    def _ranking_html(self, dx: Differential) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in ranking_lines(dx))
        return (
            "<details open><summary>Ranking as text</summary>"
            f'<ol id="kneesci-ranking" aria-live="polite">{items}</ol></details>'
        )

    def _banner_html(self, dx: Differential) -> str:
        if not dx.red_flags:
            return ""
        parts = []
        for rid in dx.red_flags:
            flag = self.kb.red_flags[rid]
            triggers = ", ".join(
                self.kb.findings[f].label.lower() for f in flag.any_of if dx.findings.get(f)
            )
            parts.append(
                f"<strong>RED FLAG: {html.escape(flag.label)}</strong> ({html.escape(triggers)}). "
                f"{html.escape(flag.action)}"
            )
        return (
            '<div id="kneesci-red-flag" role="alert" style="border:3px solid #B00020;'
            "background:#FDECEE;color:#5A0010;padding:0.6em 0.8em;margin:0.3em 0;"
            'font-size:1.05em">&#9888; ' + "<br>".join(parts) + "</div>"
        )

    def _leading_root(self, dx: Differential) -> str | None:
        for condition, _ in dx.ranked():
            if condition in ROOT_OF:
                return ROOT_OF[condition]
        return None

    # --- events --------------------------------------------------------------------------------
    def _on_control(self, change) -> None:
        fid = next(f for f, c in self.controls.items() if c is change["owner"])
        self._apply_implications(fid, TO_VALUE[change["new"]])
        self.refresh()

    def _apply_implications(self, finding: str, value: bool | None) -> None:
        """Keep the findings consistent: over 65 present makes over 50 present, and so on."""
        notes = []
        with self.hold():
            for a, b in self.kb.implications:
                if finding == a and value is True and self.controls[b].value == "absent":
                    self.controls[b].value = "present"
                    notes.append((b, "present", a))
                if finding == b and value is False and self.controls[a].value == "present":
                    self.controls[a].value = "absent"
                    notes.append((a, "absent", b))
        self.notice.value = "".join(
            f"<div role='status'>Set {html.escape(self.kb.findings[x].label)} to {state}, "
            f"to agree with {html.escape(self.kb.findings[y].label)}.</div>"
            for x, state, y in notes
        )

    def _on_case(self, change) -> None:
        if change["new"]:
            self.load_case(change["new"])

    def _on_why(self, change) -> None:
        self._why_condition = change["new"]
        self.refresh()

    def _on_ask(self, button: widgets.Button) -> None:
        finding = getattr(button, "finding", None)
        if finding is None:
            return
        self.groups.selected_index = self._group_index[self.kb.findings[finding].group]
        self.controls[finding].focus()

    # --- cases ---------------------------------------------------------------------------------
    def _cases(self) -> dict:
        if not hasattr(self, "_case_library"):
            from ..cases import load_cases

            self._case_library = load_cases(self.kb)
        return self._case_library

    def _case_options(self) -> list[tuple[str, str]]:
        try:
            cases = self._cases()
        except FileNotFoundError:
            return []
        return [(case.title, cid) for cid, case in cases.items()]


class _Hold:
    def __init__(self, explorer: Explorer):
        self.explorer = explorer
        self.outer = explorer._holding

    def __enter__(self) -> None:
        self.explorer._holding = True

    def __exit__(self, *exc) -> None:
        self.explorer._holding = self.outer


class _SensoryPanel:
    """Where the patient's reported numbness is, beside the leading root's dermatome.

    The body outlines are rendered once; a change redraws only the shaded areas (blitting).
    """

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.view = widgets.HTML()
        self._state: tuple | None = None
        self.map = SensoryMap()
        self._canvas = BlitChart(self.map.figure, self.map.axes[0])
        for artists in self.map.artists.values():
            self._canvas._animate(*artists)

    def update(self, dx: Differential, root: str | None) -> None:
        present = tuple(
            sorted(f for f, v in dx.findings.items() if v and f in self.map.finding_ids)
        )
        state = (present, root)
        if state == self._state:  # redraw only when what it shows has changed
            return
        self._state = state
        self.map.update(present, root)
        self.view.value = (
            "<h3 style='margin:0.4em 0 0.2em'>Where is the numbness?</h3>"
            + image_html(self._canvas.to_png(), self.map.alt_text, "kneesci-sensory-map")
            + f"<p>{html.escape(self.map.alt_text)}</p>"
        )


__all__ = ["Explorer"]
