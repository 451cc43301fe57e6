"""The explorer's "both" panel: a pair of conditions shown when it passes the threshold.

A plain class holding its view (`.view`), updated with the explorer's differential; the words are
the text twin's (`kneesci.views.pairs_text`), so a screen reader gets exactly what is shown.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..model.inference import Differential
from ..views.pairs_text import pair_lines
from .controls import shared_look, text_view

HELP = (
    "The ranking assumes one condition at a time. Older patients often have two sources of pain: "
    "a pair is shown here when it holds a fifth or more of all the explanations and is at least "
    "as likely as its two halves alone (notebook 8 explains the threshold)."
)


class PairsPanel:
    """Shows "Both: ..." with the findings that argue for each half, or nothing."""

    def __init__(self) -> None:
        self.body = text_view()
        self.view = widgets.VBox(
            [
                text_view(
                    "<h3 class='kneesci-heading'>When it is both</h3>"
                    f"<p class='kneesci-help'>{html.escape(HELP)}</p>"
                ),
                self.body,
            ],
            layout=shared_look("initial")[0],
            _dom_classes=("kneesci-pairs",),
        )
        self.shown: list[str] = []  # ids of the pairs shown, for tests and notebooks

    def update(self, dx: Differential) -> None:
        shown = [r for r in dx.pairs() if r.shown]
        self.shown = [r.pair.id for r in shown]
        if not shown:
            value = "<p class='kneesci-pairs-none'>No pair is likely enough to call both.</p>"
        else:
            items = []
            for result in shown:
                first, *why = pair_lines(dx, result)
                reasons = "".join(f"<li>{html.escape(line.strip())}</li>" for line in why)
                items.append(
                    f"<div class='kneesci-pair' role='status'><strong>{html.escape(first)}"
                    f"</strong><ul>{reasons}</ul></div>"
                )
            value = "".join(items)
        if self.body.value != value:
            self.body.value = value
