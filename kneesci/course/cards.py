"""Printable case cards for class: one patient per page, the answer only on the instructor's copy.

    >>> import kneesci
    >>> from kneesci.cases import load_cases
    >>> kb = kneesci.load()
    >>> page = case_cards_html(kb, load_cases(kb))
    >>> page.count('class="card"') == len(load_cases(kb))
    True

Print the page from a browser (each card starts a new sheet), or save it as PDF there.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from ..model.knowledge_base import KnowledgeBase
from .cases import Case

PRINT_CSS = """
body { font-family: sans-serif; margin: 1em auto; max-width: 42em; padding: 0 1em; color: #111; }
.card { border: 1px solid #888; border-radius: 6px; padding: 1em 1.2em; margin: 1em 0; }
.card h2 { margin-top: 0; }
.answer { border-top: 2px dashed #888; margin-top: 1em; padding-top: 0.6em; }
.note { color: #444; font-size: 0.9em; }
@media print {
  body { margin: 0; max-width: none; }
  .card { page-break-after: always; break-after: page; border: none; margin: 0; }
  .screen-only { display: none; }
}
"""


def _answer(case: Case, kb: KnowledgeBase) -> str:
    if hasattr(case, "answer"):
        lines = case.answer(kb).html()
    else:
        text = f"Diagnosis: {kb.conditions[case.diagnosis].label}\n{case.teaching_point}"
        lines = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<div class='answer'><h3>Answer (instructor)</h3>{lines}</div>"


def case_cards_html(kb: KnowledgeBase, cases: Mapping[str, Case], instructor: bool = False) -> str:
    """Every case as a card with its neutral title and opening line, room to reason on paper.

    Students' cards never name the diagnosis or give the findings away; `instructor=True` adds the
    whole story and the answer (diagnosis, teaching point, source) to each card.
    """
    cards = []
    for case in cases.values():
        setting = kb.settings[case.setting].label
        cards.append(
            '<section class="card">'
            f"<h2>{html.escape(case.student_title)}</h2>"
            f"<p><b>{html.escape(case.describe())}</b></p>"
            f"<p class='note'>Seen in: {html.escape(setting)}.</p>"
            + (
                f"<h3>The whole story</h3><p>{html.escape(case.story)}</p>" + _answer(case, kb)
                if instructor
                else "<p>Which questions and tests would you choose first, and why?</p>"
                "<p>Any red flag? ______________________________</p>"
                "<p>Your leading diagnosis: ______________________________</p>"
            )
            + "</section>"
        )
    who = "instructor's copy, with answers" if instructor else "students' copy"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>kneesci case cards ({who})</title><style>{PRINT_CSS}</style></head><body>"
        f"<h1 class='screen-only'>kneesci case cards ({who})</h1>"
        "<p class='screen-only'>Print this page: each card starts a new sheet.</p>"
        + "".join(cards)
        + "</body></html>"
    )


__all__ = ["case_cards_html"]
