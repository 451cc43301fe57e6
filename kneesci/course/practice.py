"""Practice that comes back to what you missed: the next case drawn from the student's own history.

A Leitner schedule over what the course wants known: each condition (the diagnosis of a case) and
each red flag (one a case expects). Every item sits in a box from 1 to 5; the lower the box, the
sooner it comes back. The boxes are worked out again from the saved history (`kneesci.progress`,
the same per-student file, offline and atomically written), so nothing else is stored.

Replaying the history, game by game:

- a wrong diagnosis puts the condition in box 1; so does a confident wrong one (stated
  confidence `CONFIDENT` or more), which also comes back first within box 1;
- a red flag missed puts the red flag in box 1;
- a right answer given with low confidence (below `UNSURE`) keeps the condition at box 2 at most;
- a right answer otherwise moves it up a box (a first right answer starts it in box 3);
- a red-flag case played without missing the flag moves the flag up a box.

An item is due again `INTERVAL[box]` games after it was last seen. The next case is for the due
item in the lowest box (confident wrong first, then the most misses, then the longest unseen);
conditions never met come after the due items of boxes 1 and 2 and before the rest; an item not
yet due comes last, soonest due first. Among the cases for an item, the one played longest ago (or
never) is chosen, never the case just played if there is another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model.knowledge_base import KnowledgeBase
from .cases import Case

BOXES = (1, 2, 3, 4, 5)
INTERVAL = {1: 0, 2: 2, 3: 5, 4: 10, 5: 20}  # games before an item in that box is due again
CONFIDENT = 0.7
UNSURE = 0.5
RECENT = 10  # "in your last 10 games"


@dataclass
class Item:
    """One thing to know: a condition, or a red flag, with its box and its history."""

    kind: str  # "condition" or "red_flag"
    id: str
    box: int = 3
    last_seen: int = -1  # index of the game in the history
    misses: list[int] = field(default_factory=list)  # indices of the games missed
    confident_wrong: float | None = None  # the confidence of the last confident wrong answer
    unsure_right: float | None = None  # the confidence of the last unsure right answer


@dataclass(frozen=True)
class Choice:
    """The next case, and the reason the student sees."""

    case_id: str
    item: str
    reason: str


def boxes(history: Sequence[Mapping], cases: Mapping[str, Case]) -> dict[tuple[str, str], Item]:
    """Replay the history (oldest game first) into Leitner boxes, keyed by (kind, id)."""
    items: dict[tuple[str, str], Item] = {}
    for index, row in enumerate(history):
        correct = row.get("correct")
        diagnosis = row.get("diagnosis")
        if correct is None or diagnosis not in _conditions(cases):
            continue  # a hidden answer not yet revealed, or not a library condition
        confidence = row.get("confidence")
        item = items.get(("condition", diagnosis))
        if item is None:
            item = items[("condition", diagnosis)] = Item("condition", diagnosis)
            item.box = 0  # set below by the first answer
        item.last_seen = index
        if not correct:
            item.box = 1
            item.misses.append(index)
            item.confident_wrong = (
                confidence if confidence is not None and confidence >= CONFIDENT else None
            )
            item.unsure_right = None
        elif confidence is not None and confidence < UNSURE:
            item.box = 2 if item.box == 0 else min(item.box + 1, 2)
            item.unsure_right, item.confident_wrong = confidence, None
        else:
            item.box = 3 if item.box == 0 else min(item.box + 1, BOXES[-1])
            item.unsure_right = item.confident_wrong = None
        case = cases.get(row.get("case_id", ""))
        for flag in case.red_flags if case else ():
            flag_item = items.setdefault(("red_flag", flag), Item("red_flag", flag))
            flag_item.last_seen = index
            if row.get("red_flags_missed"):
                flag_item.box = 1
                flag_item.misses.append(index)
            else:
                flag_item.box = min(flag_item.box + 1, BOXES[-1])
    return items


def _conditions(cases: Mapping[str, Case]) -> set[str]:
    return {c.diagnosis for c in cases.values()}


def plan(
    history: Sequence[Mapping], cases: Mapping[str, Case], kb: KnowledgeBase, n: int = 5
) -> list[Choice]:
    """The next `n` cases in the order the schedule would bring them back (one per item)."""
    items = boxes(history, cases)
    now = len(history)
    met = {i.id for i in items.values() if i.kind == "condition"}
    unseen = [
        Item("condition", c, box=0)
        for c in dict.fromkeys(case.diagnosis for case in cases.values())
        if c not in met
    ]

    def due_in(item: Item) -> int:
        return item.last_seen + INTERVAL[item.box] + 1 - now

    due = [i for i in items.values() if due_in(i) <= 0]
    waiting = sorted((i for i in items.values() if due_in(i) > 0), key=lambda i: (due_in(i), i.box))
    due.sort(key=lambda i: (i.box, i.confident_wrong is None, -len(i.misses), i.last_seen))
    early = [i for i in due if i.box <= 2]
    order = early + unseen + [i for i in due if i.box > 2] + waiting
    last_case = history[-1].get("case_id") if history else None
    played = {row.get("case_id"): k for k, row in enumerate(history)}
    choices: list[Choice] = []
    for item in order:
        case_id = _case_for(item, cases, played, last_case)
        if case_id is None:
            continue
        choices.append(Choice(case_id, item.id, _reason(item, kb, now)))
        if len(choices) == n:
            break
    return choices


def next_case(history: Sequence[Mapping], cases: Mapping[str, Case], kb: KnowledgeBase) -> Choice:
    """The case to practise next, with the reason the student sees."""
    choices = plan(history, cases, kb, n=1)
    if not choices:
        raise ValueError("There is no case in the library to practise on.")
    return choices[0]


def _case_for(
    item: Item, cases: Mapping[str, Case], played: Mapping[str, int], last_case: str | None
) -> str | None:
    if item.kind == "condition":
        candidates = [c.id for c in cases.values() if c.diagnosis == item.id and not c.simulated]
    else:
        candidates = [c.id for c in cases.values() if item.id in c.red_flags]
    if len(candidates) > 1 and last_case in candidates:
        candidates.remove(last_case)
    # Longest ago (never played counts as longest), then library order.
    return min(candidates, key=lambda c: played.get(c, -1), default=None)


def _times(k: int) -> str:
    return {1: "once", 2: "twice"}.get(k, f"{k} times")


def _reason(item: Item, kb: KnowledgeBase, now: int) -> str:
    """What the student reads: why this case now."""
    if item.kind == "red_flag":
        label = kb.red_flags[item.id].label if item.id in kb.red_flags else item.id
        recent = [m for m in item.misses if m >= now - RECENT]
        if item.box == 1 and recent:
            return f"You missed the red flag {label} {_times(len(recent))} in your last games."
        return f"A red flag to keep in view: {label} (box {item.box} of 5)."
    label = kb.conditions[item.id].label if item.id in kb.conditions else item.id
    if item.box == 0:
        return f"You have not met {label} yet."
    if item.confident_wrong is not None:
        return (
            f"You were {item.confident_wrong:.0%} sure of another answer when it was {label}: "
            "a confident miss comes back first."
        )
    recent = [m for m in item.misses if m >= now - RECENT]
    if item.box == 1 and recent:
        return f"You missed {label} {_times(len(recent))} in your last {RECENT} games."
    if item.unsure_right is not None:
        return f"You got {label} right but were only {item.unsure_right:.0%} sure."
    return (
        f"{label} is well known (box {item.box} of 5): back for a check after "
        f"{INTERVAL[item.box]} games."
    )
