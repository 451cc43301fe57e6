"""Two mimics side by side: set the findings that separate them and watch both views move.

    >>> from kneesci.widgets.compare import Comparison
    >>> view = Comparison("l5_radiculopathy", "peroneal_neuropathy", findings={"foot_drop": True})
    >>> view.set_finding("low_back_pain", True)
    >>> view.pair.probability_a > 0.5
    True

Show it as the last line of a notebook cell. The controls are the findings that best separate the
pair (see `kneesci.compare`), each with the two probabilities and their sources beside it. On every
change the chart (an <img> with alt text) and its text twin update in place, and a red-flag banner
appears whenever a red-flag finding is present, whichever condition leads.

What is known is held by a `kneesci.patient.Patient`, as in the explorer and the game: it applies
the implication rule (over 65 present corrects an absent over 50), and the controls only show it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

import ipywidgets as widgets

from ..course.compare import (
    FindingComparison,
    PairPosterior,
    compare,
    pair_odds,
    posterior_text,
    provenance_tag,
    ratio_text,
)
from ..model.inference import Differential
from ..model.knowledge_base import DEFAULT_SETTING, KnowledgeBase, load
from ..model.patient import Patient
from ..model.probability import percent
from ..views.compare_plots import COLOUR_A, COLOUR_B, PairChart
from ..views.concern_views import concern_view
from ..views.figure import image_html
from .controls import FROM_VALUE, TO_VALUE, check_value, finding_control

DEFAULT_SHOWN = 6


class Comparison(widgets.VBox):
    """A side-by-side comparison of conditions `a` and `b` with three-way finding controls.

    The `n` findings that separate the pair best are offered, then any named in `also` (a specific
    but insensitive sign can rank low on expected information yet settle the question when
    present), then any set in `findings`.
    """

    def __init__(
        self,
        a: str,
        b: str,
        kb: KnowledgeBase | None = None,
        findings: Mapping[str, bool] | None = None,
        setting: str = DEFAULT_SETTING,
        n: int = DEFAULT_SHOWN,
        also: Sequence[str] = (),
    ):
        self.kb = kb or load()
        self.a, self.b = a, b
        self.comparison = compare(self.kb, a, b)  # validates both ids and that they differ
        start = self.kb.check_findings(findings or {})  # a contradiction is an error, not fixed
        # validates the setting before building anything
        self.patient = Patient(self.kb, setting, start)
        if n < 1:
            raise ValueError(f"Show at least one finding, not n={n}.")
        shown = [r.finding for r in self.comparison.top(n)]
        for fid in (*also, *start):  # findings the caller names or sets are always offered
            self.kb.check_finding(fid)
            if fid not in shown:
                shown.append(fid)
        self.rows: dict[str, FindingComparison] = {f: self.comparison.row(f) for f in shown}
        self._holding = False

        self.controls: dict[str, widgets.RadioButtons] = {}
        lines = []
        for fid, row in self.rows.items():
            control = finding_control(self.kb.findings[fid], label_width="14em")
            control.add_class("kneesci-compare-finding")
            control.observe(self._on_control, names="value")
            self.controls[fid] = control
            lines.append(widgets.HBox([control, widgets.HTML(self._row_note(row))]))

        name_a, name_b = self._name(a), self._name(b)
        self.reset_button = widgets.Button(
            description="Reset", icon="undo", tooltip="Set every finding back to not asked"
        )
        self.reset_button.on_click(lambda _: self.reset())
        self.banner = widgets.HTML()
        self.chart = PairChart(self.kb, a, b)
        self.chart_view = widgets.HTML()
        self.text_view = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(
                    f"<h3 style='margin:0.2em 0'>{self._swatch(COLOUR_A)}{html.escape(name_a)} "
                    f"<em>or</em> {self._swatch(COLOUR_B)}{html.escape(name_b)}?</h3>"
                    "<p style='margin:0.2em 0'>The findings that separate these two best, "
                    "best first. Set each to present or absent, or leave it not asked.</p>"
                ),
                widgets.VBox(lines),
                self.reset_button,
                self.banner,
                self.chart_view,
                self.text_view,
                widgets.HTML(self._evidence_html()),
            ]
        )
        self.add_class("kneesci-comparison")
        self.differential: Differential | None = None
        self.pair: PairPosterior | None = None
        self.text = ""
        self._show(start)
        self.refresh()

    # --- the API tests and notebooks use ------------------------------------------------------
    @property
    def findings(self) -> dict[str, bool]:
        """The observed findings: id -> True (present) / False (absent); not asked is left out."""
        return dict(self.patient.findings)

    @property
    def setting(self) -> str:
        return self.patient.setting

    @property
    def shown(self) -> tuple[str, ...]:
        """The findings offered as controls, best separator first."""
        return tuple(self.controls)

    def set_finding(self, finding: str, value: bool | None) -> None:
        """Set one finding exactly as a click would: True present, False absent, None not asked."""
        self.kb.check_finding(finding)
        if finding not in self.controls:
            raise KeyError(
                f"{finding!r} is not one of this comparison's findings: {list(self.controls)}."
            )
        self.controls[finding].value = check_value(finding, value)

    def reset(self) -> None:
        """Every finding back to not asked."""
        self.patient.clear()
        self._show(self.controls)
        self.refresh()

    def refresh(self) -> None:
        """Recompute both views and update the chart and text in place."""
        if self._holding:
            return
        dx = self.patient.differential()
        self.differential = dx
        self.pair = pair_odds(dx, self.a, self.b)
        self.chart.update(dx)
        self.chart_view.value = image_html(
            self.chart.to_png(), self.chart.alt_text, "kneesci-comparison-chart"
        )
        self.text = self._text(dx)
        self.text_view.value = (
            '<div role="status" aria-live="polite" class="kneesci-comparison-text">'
            + "<br>".join(html.escape(line) for line in self.text.splitlines())
            + "</div>"
        )
        self.banner.value = self._banner_html(dx)

    # --- pieces -----------------------------------------------------------------------------------
    def _name(self, condition: str) -> str:
        return self.kb.conditions[condition].label

    @staticmethod
    def _swatch(colour: str) -> str:
        return (
            f'<span aria-hidden="true" style="display:inline-block;width:0.8em;height:0.8em;'
            f'background:{colour};margin-right:0.3em"></span>'
        )

    def _row_note(self, row: FindingComparison) -> str:
        present = self._name(row.favours_when_present)
        return (
            "<span style='font-size:0.9em;color:#333'>"
            f"{percent(row.p_a)} vs {percent(row.p_b)}; present favours {html.escape(present)} "
            f"({ratio_text(max(row.lr_present, 1 / row.lr_present))})"
            f"{' · estimate' if row.estimated else ''}</span>"
        )

    def _text(self, dx: Differential) -> str:
        pair = self.pair
        lead, p_lead = dx.ranked()[0]
        lines = [
            posterior_text(self.kb, pair),
            f"In the full differential: {self._name(self.a)} {percent(dx.probability(self.a))}, "
            f"{self._name(self.b)} {percent(dx.probability(self.b))}; the leading condition "
            f"is {self._name(lead)} ({percent(p_lead)}).",
        ]
        concerns = concern_view(dx.concerns, self.kb).text
        if concerns:
            lines.append(concerns)
        return "\n".join(lines)

    def _banner_html(self, dx: Differential) -> str:
        # The same rendering as the explorer's: level word, action and reasons for each concern.
        view = concern_view(dx.concerns, self.kb)
        return view.alert_html + view.check_html + view.advice_html

    def _evidence_html(self) -> str:
        a, b = html.escape(self._name(self.a)), html.escape(self._name(self.b))
        body = "".join(
            "<tr>"
            f"<td>{html.escape(self.kb.findings[r.finding].label)}</td>"
            f"<td>{r.p_a:.2f}</td><td>{html.escape(provenance_tag(r.source_a))}</td>"
            f"<td>{r.p_b:.2f}</td><td>{html.escape(provenance_tag(r.source_b))}</td>"
            f"<td>{ratio_text(r.lr_present)}</td><td>{ratio_text(r.lr_absent)}</td>"
            "</tr>"
            for r in self.rows.values()
        )
        return (
            "<details><summary>Where these numbers come from</summary>"
            "<table><caption>P(finding present) in each condition, its source, and the "
            f"ratio {a} : {b} (× favours {a}, ÷ favours {b})</caption>"
            f"<thead><tr><th scope='col'>Finding</th><th scope='col'>{a}</th>"
            "<th scope='col'>source</th>"
            f"<th scope='col'>{b}</th><th scope='col'>source</th>"
            "<th scope='col'>if present</th><th scope='col'>if absent</th></tr></thead>"
            f"<tbody>{body}</tbody></table></details>"
        )

    # --- events -----------------------------------------------------------------------------------
    def _on_control(self, change) -> None:
        if self._holding:  # the control only shows what the patient already holds
            return
        fid = next(f for f, c in self.controls.items() if c is change["owner"])
        implied = self.patient.set(fid, TO_VALUE[change["new"]])
        # the patient only corrects answers already given, and every answer is a shown control
        self._show(i.finding for i in implied)
        self.refresh()

    def _show(self, findings: Iterable[str]) -> None:
        """Set these controls to what the patient holds, without each one recomputing."""
        holding, self._holding = self._holding, True
        try:
            for fid in findings:
                self.controls[fid].value = FROM_VALUE[self.patient.findings.get(fid)]
        finally:
            self._holding = holding


__all__ = ["Comparison"]
