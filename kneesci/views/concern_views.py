"""How a patient's concerns (raised red flags) read on a page: HTML and a text twin.

One rendering for the explorer, the comparison widget and the game, so a level looks and reads the
same wherever a student meets it. Each concern shows its level as a word ("Refer immediately"),
never as a colour alone; the colour is a second cue. Concerns fall into three places:

- the alert (`immediate` and `urgent`): act on these, whatever the ranking says;
- "Check now" (`screen`): what to ask or examine next, e.g. the DVT Wells items not yet known;
- "Advice to give" (`safety_net`): what to tell the patient, e.g. the cauda equina card advice.

    >>> import kneesci
    >>> kb = kneesci.load()
    >>> view = concern_view(kb.concerns({"low_back_pain": True, "saddle_anaesthesia": True}), kb)
    >>> "Refer immediately" in view.alert_html and 'role="alert"' in view.alert_html
    True
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from ..course.concerns import concern_text, finding_labels
from ..model.knowledge_base import KnowledgeBase
from ..model.red_flag_rules import LEVEL_WORDS, RAISED, Concern

# Text on the level badge is white on these; each has a contrast ratio of at least 4.5:1 (WCAG AA).
LEVEL_COLOURS = {
    "immediate": "#B00020",
    "urgent": "#8A3C00",
    "screen": "#0B57A4",
    "safety_net": "#2E6B30",
}
PLACES = {
    "alert": RAISED,
    "check": ("screen",),
    "advice": ("safety_net",),
}


@dataclass(frozen=True)
class ConcernView:
    """The three places a patient's concerns show, as HTML, and all of them as text."""

    alert_html: str  # immediate and urgent: the red banner ("" if none)
    check_html: str  # screen: the "Check now" panel ("" if none)
    advice_html: str  # safety_net: the "Advice to give" panel ("" if none)
    text: str  # every concern, one paragraph each (for exports and screen-reader twins)


def level_badge(level: str) -> str:
    """The level as a visible word on a coloured badge (the word carries the meaning)."""
    colour = LEVEL_COLOURS[level]
    return (
        f"<span class='kneesci-level kneesci-level-{level}' style='background:{colour};"
        "color:#FFFFFF;font-weight:bold;padding:0 0.4em;border-radius:3px;"
        f"white-space:nowrap'>{html.escape(LEVEL_WORDS[level])}</span>"
    )


def _item(concern: Concern, kb: KnowledgeBase, ask: bool) -> str:
    esc = html.escape
    reasons = f" ({esc(finding_labels(kb, concern.reasons))})" if concern.reasons else ""
    body = (
        f"<li data-red-flag='{concern.flag}' data-level='{concern.level}'>"
        f"{level_badge(concern.level)} <strong>{esc(concern.label)}</strong>{reasons}. "
        f"{esc(concern.action)}"
    )
    if concern.detail:
        body += f" <span class='kneesci-concern-detail'>{esc(concern.detail)}</span>"
    if ask and concern.ask_next:
        body += f"<br><em>Ask or examine next:</em> {esc(finding_labels(kb, concern.ask_next))}."
    return body + "</li>"


def level_lines(concerns: Iterable[Concern]) -> str:
    """Each concern in one short line, most severe first: "Refer immediately: <flag>"."""
    lines = [f"{LEVEL_WORDS[c.level]}: {c.label}" for c in concerns]
    return "\n".join(lines) if lines else "No red flag raised."


def concern_view(concerns: Iterable[Concern], kb: KnowledgeBase) -> ConcernView:
    """Sort a patient's concerns into the alert, "Check now" and "Advice to give"."""
    concerns = tuple(concerns)

    def at(place: str) -> list[Concern]:
        return [c for c in concerns if c.level in PLACES[place]]

    alert = at("alert")
    alert_html = ""
    if alert:
        word = "RED FLAG" if len(alert) == 1 else f"{len(alert)} RED FLAGS"
        alert_html = (
            '<div id="kneesci-red-flag" class="kneesci-red-flag" role="alert" '
            'style="border:3px solid #B00020;padding:0.5em 0.8em;margin:0.2em 0">'
            f"<span aria-hidden='true'>&#9888;</span> <strong>{word}</strong>: act on "
            f"{'it' if len(alert) == 1 else 'each'}, whatever the ranking says."
            f"<ul>{''.join(_item(c, kb, ask=False) for c in alert)}</ul></div>"
        )
    panels = {}
    for place, element_id, title, help_text in (
        ("check", "kneesci-check-now", "Check now", "Ask or examine before the patient leaves."),
        (
            "advice",
            "kneesci-advice",
            "Advice to give",
            "Safety-netting: tell the patient, and write it down.",
        ),
    ):
        items = at(place)
        panels[place] = (
            (
                f"<div id='{element_id}' class='kneesci-concern-panel kneesci-{place}' "
                "role='status' style='border-left:4px solid "
                f"{LEVEL_COLOURS['screen' if place == 'check' else 'safety_net']};"
                "padding:0.2em 0.6em;margin:0.2em 0'>"
                f"<strong>{title}</strong> <span class='kneesci-help'>{help_text}</span>"
                f"<ul>{''.join(_item(c, kb, ask=True) for c in items)}</ul></div>"
            )
            if items
            else ""
        )
    text = "\n".join(concern_text(c, kb) for c in concerns)
    return ConcernView(alert_html, panels["check"], panels["advice"], text)


__all__ = [
    "LEVEL_COLOURS",
    "ConcernView",
    "concern_text",
    "concern_view",
    "level_badge",
    "level_lines",
]
