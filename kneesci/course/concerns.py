"""A patient's concerns (raised red flags) as plain text: the words the game and exports use.

The HTML for the explorer's banner and panels (`kneesci.views.concern_views`) is built from the
same words, so a level reads the same wherever a student meets it.

    >>> import kneesci
    >>> kb = kneesci.load()
    >>> [concern] = kb.concerns({"low_back_pain": True, "saddle_anaesthesia": True})
    >>> concern_text(concern, kb).startswith("REFER IMMEDIATELY: Suspected cauda equina syndrome")
    True
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.knowledge_base import KnowledgeBase
from ..model.red_flag_rules import LEVEL_WORDS, RAISED, Concern


def finding_labels(kb: KnowledgeBase, ids: Iterable[str]) -> str:
    """Finding ids as the labels a student reads, in lower case, comma separated."""
    return ", ".join(kb.findings[f].label.lower() for f in ids if f in kb.findings)


def concern_text(concern: Concern, kb: KnowledgeBase) -> str:
    """One concern as a line of text: level word, flag, what raised it, action, what to ask."""
    parts = [f"{LEVEL_WORDS[concern.level].upper()}: {concern.label}"]
    if concern.reasons:
        parts[0] += f" ({finding_labels(kb, concern.reasons)})"
    parts.append(concern.action)
    if concern.detail:
        parts.append(concern.detail)
    if concern.level not in RAISED and concern.ask_next:
        parts.append(f"Ask or examine next: {finding_labels(kb, concern.ask_next)}.")
    return " ".join(p if p.endswith(".") else p + "." for p in parts)
