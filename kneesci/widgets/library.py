"""The case library's report, folded away until asked for: it names every case's diagnosis.

    >>> from kneesci.widgets.library import LibraryReport
    >>> report = LibraryReport()
    >>> report.body.value
    ''

Notebook 6 shows the model's accuracy on the library right under the game. The totals are safe to
show; the case-by-case list (each case with its diagnosis) and the sources (case reports' titles
name their diagnoses) would give the game away after Run All, so they wait behind a button.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as widgets

from .. import load
from ..course.cases import Case, load_cases
from ..course.citations import reference_html
from ..course.game import accuracy_report
from ..model.knowledge_base import KnowledgeBase

SHOW = "Show the library report (it names each case's diagnosis)"
HIDE = "Hide the library report"


class LibraryReport(widgets.VBox):
    """A button that shows (and hides) the case-by-case accuracy and the case sources."""

    def __init__(self, kb: KnowledgeBase | None = None, cases: Mapping[str, Case] | None = None):
        self.kb = kb or load()
        self.cases = cases if cases is not None else load_cases(self.kb)
        self.toggle = widgets.ToggleButton(
            value=False,
            description=SHOW,
            icon="eye",
            tooltip="Play the game first: this lists every case with its diagnosis",
            layout=widgets.Layout(width="auto"),
        )
        self.toggle.observe(lambda change: self._show(change["new"]), names="value")
        self.body = widgets.HTML()
        super().__init__([self.toggle, self.body])

    def report_html(self) -> str:
        """The case-by-case report and the sources of every case, as HTML."""
        keys = sorted({key for case in self.cases.values() for key in case.source})
        sources = "".join(f"<li>{reference_html(self.kb.references[k])}</li>" for k in keys)
        return (
            "<pre class='kneesci-report'>"
            + html.escape(accuracy_report(self.kb, self.cases))
            + "</pre><h4>Sources of the cases</h4><ul class='kneesci-sources'>"
            + sources
            + "</ul>"
        )

    def _show(self, shown: bool) -> None:
        self.body.value = self.report_html() if shown else ""
        self.toggle.description, self.toggle.icon = (HIDE, "eye-slash") if shown else (SHOW, "eye")
