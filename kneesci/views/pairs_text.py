"""Words for two problems at once: the text twin of the explorer's "both" panel.

>>> import kneesci
>>> kb = kneesci.load()
>>> print(pairs_text(kb.differential({})))  # doctest: +ELLIPSIS
No pair of conditions is likely enough to call "both" ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.pairs import SHOW_BOTH_AT, SHOW_BOTH_SHARE, PairResult
from ..model.probability import percent
from .describe import short_label

if TYPE_CHECKING:
    from ..model.inference import Differential


def pair_lines(dx: Differential, result: PairResult, n: int = 3) -> list[str]:
    """One pair: P(both) against each half alone, and the findings that argue for each half."""
    kb = dx.kb
    a = kb.conditions[result.pair.condition].label
    b = kb.conditions[result.pair.partner].label
    lines = [
        f"Both {a} and {b}: {percent(result.both)} "
        f"({a} alone {percent(result.only_condition)}, {b} alone {percent(result.only_partner)})."
    ]
    for label, arguing in ((a, result.for_condition), (b, result.for_partner)):
        if arguing:
            said = ", ".join(
                f"{short_label(kb, f, dx.findings[f])} (x{ratio:.1f})" for f, ratio in arguing[:n]
            )
            lines.append(f"  For {label}: {said}.")
    return lines


def pairs_text(dx: Differential) -> str:
    """The pairs that pass the threshold ("both"), or a sentence saying none does."""
    shown = [r for r in dx.pairs() if r.shown]
    if not shown:
        return (
            f'No pair of conditions is likely enough to call "both" (a pair needs '
            f"{percent(SHOW_BOTH_AT)} of all the explanations and to be at least as likely as its "
            f"two halves alone: {percent(SHOW_BOTH_SHARE)} of the three)."
        )
    return "\n".join(line for r in shown for line in pair_lines(dx, r))
