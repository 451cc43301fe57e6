"""Words for what the charts show: rankings, alt text, explanations (no plotting here).

Every chart in kneesci has a text twin, so a screen-reader user, or a student reading a printout,
gets the same information.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.probability import percent

if TYPE_CHECKING:
    from ..model.inference import Contribution, Differential
    from ..model.knowledge_base import KnowledgeBase


def short_label(kb: KnowledgeBase, finding: str, present: bool) -> str:
    """A finding's label with its observed value: 'Knee pain' or 'Knee pain (absent)'."""
    label = kb.findings[finding].label
    return label if present else f"{label} (absent)"


def ranking_lines(dx: Differential, n: int | None = None) -> list[str]:
    ranked = dx.ranked() if n is None else dx.ranked()[:n]
    return [f"{dx.kb.conditions[c].label}: {percent(p)}" for c, p in ranked]


def ranking_text(dx: Differential, n: int | None = None) -> str:
    """The differential as numbered lines, most likely first.

    >>> import kneesci
    >>> print(ranking_text(kneesci.load().differential({}), n=1))  # doctest: +ELLIPSIS
    1. ...
    """
    return "\n".join(f"{i}. {line}" for i, line in enumerate(ranking_lines(dx, n), start=1))


def differential_alt_text(dx: Differential) -> str:
    top = "; ".join(ranking_lines(dx, 3))
    flags = (
        " Red flag raised: " + ", ".join(dx.kb.red_flags[r].label for r in dx.red_flags) + "."
        if dx.red_flags
        else ""
    )
    return (
        f"Bar chart of the differential for {len(dx.kb.conditions)} conditions, "
        f"given {len(dx.findings)} finding(s). Most likely: {top}.{flags}"
    )


def contributions_alt_text(
    kb: KnowledgeBase, condition: str, contributions: list[Contribution], more: int = 0
) -> str:
    name = kb.conditions[condition].label
    if not contributions:
        return f"Chart of why {name} moved: no findings recorded yet."
    parts = [
        f"{short_label(kb, c.finding, c.present)} "
        f"{'raises' if c.log_odds >= 0 else 'lowers'} the odds ×{c.likelihood_ratio:.2g}"
        for c in contributions[:8]
    ]
    extra = f" and {more} smaller effect(s)" if more else ""
    return f"Chart of why {name} moved: " + "; ".join(parts) + extra + "."


def explanation_text(dx: Differential, condition: str | None = None) -> str:
    """Each observed finding's likelihood ratio for one condition, biggest effect first."""
    condition = condition or dx.top
    lines = [f"Why {dx.kb.conditions[condition].label} is at {percent(dx.probability(condition))}:"]
    for c in dx.explain(condition):
        direction = "raises" if c.log_odds >= 0 else "lowers"
        where = f"; {c.measured_in}" if c.measured_in else ""
        lines.append(
            f"  {short_label(dx.kb, c.finding, c.present)}: {direction} the odds "
            f"×{c.likelihood_ratio:.2f} ({_share(c.share)} of the movement{where})"
        )
    return "\n".join(lines)


def measured_elsewhere_text(dx: Differential, condition: str | None = None) -> str:
    """One line naming the findings whose figure for `condition` comes from other patients
    than the setting's, e.g. "Measured elsewhere: SLR positive (measured in a surgical
    series)."; "" when there are none."""
    items = [
        f"{short_label(dx.kb, c.finding, c.present)} ({c.measured_in})"
        for c in dx.explain(condition or dx.top)
        if c.measured_in
    ]
    return f"Measured elsewhere: {'; '.join(items)}." if items else ""


def _share(share: float) -> str:
    """A finding's part of the movement: a share, not a probability, so it may be all of it."""
    return "all" if share >= 0.995 else percent(share)


def next_questions_text(dx: Differential, n: int = 3) -> str:
    """The unasked findings that would sharpen the differential most, with their expected gain."""
    return "\n".join(
        f"{i}. {dx.kb.findings[f].label}: {bits:.2f} bits"
        for i, (f, bits) in enumerate(dx.next_questions(n), start=1)
    )


def entered_text(dx: Differential) -> str:
    """One line saying which findings are entered, so nothing hides in a collapsed section."""
    if not dx.findings:
        return "Entered so far: nothing yet (every finding is not asked)."
    items = [short_label(dx.kb, f, v) for f, v in dx.findings.items()]
    return f"Entered so far ({len(items)}): " + "; ".join(items) + "."


def red_flag_lines(dx: Differential) -> list[str]:
    """Each concern at every level, most severe first: level in words, what raised it, action."""
    from ..course.concerns import concern_text  # the words the explorer's banner uses

    return [concern_text(concern, dx.kb) for concern in dx.concerns]


def patient_report_markdown(dx: Differential, title: str = "Patient summary") -> str:
    """A patient as Markdown: setting, findings, red flags, differential and why it leads.

    >>> import kneesci
    >>> report = patient_report_markdown(kneesci.load().differential({"knee_pain": True}))
    >>> "## Findings" in report and "- Knee pain: present" in report
    True
    """
    kb = dx.kb
    lines = [f"# {title}", "", f"Setting: {kb.settings[dx.setting].label}", "", "## Findings", ""]
    if dx.findings:
        lines += [
            f"- {kb.findings[f].label}: {'present' if v else 'absent'}"
            for f, v in dx.findings.items()
        ]
    else:
        lines.append("- None entered (every finding not asked).")
    lines += ["", "## Red flags", ""]
    flags = red_flag_lines(dx)
    lines += [f"- **{line}**" for line in flags] if flags else ["- None raised."]
    lines += ["", "## Differential (this teaching model)", ""]
    lines += [f"{i}. {line}" for i, line in enumerate(ranking_lines(dx), start=1)]
    lines += ["", "## Why the leading condition leads", "", "```", explanation_text(dx), "```", ""]
    lines.append(
        "kneesci is a teaching model: it shows how evidence moves a probability; it does not "
        "diagnose, and a red flag means acting on the rule, not on the ranking."
    )
    return "\n".join(lines) + "\n"


def patient_report_html(
    dx: Differential, chart_html: str = "", title: str = "Patient summary"
) -> str:
    """The same summary as a standalone HTML page (chart image with its alt text, if given)."""
    import html

    kb = dx.kb
    esc = html.escape
    findings = (
        "".join(
            f"<li>{esc(kb.findings[f].label)}: {'present' if v else 'absent'}</li>"
            for f, v in dx.findings.items()
        )
        or "<li>None entered (every finding not asked).</li>"
    )
    flags = "".join(f"<li><strong>{esc(line)}</strong></li>" for line in red_flag_lines(dx))
    ranking = "".join(f"<li>{esc(line)}</li>" for line in ranking_lines(dx))
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:50em;margin:1em auto;padding:0 1em}"
        "img{max-width:100%;height:auto}.flag{border:3px solid #B00020;padding:0.4em}</style>"
        f"</head><body><h1>{esc(title)}</h1><p>Setting: {esc(kb.settings[dx.setting].label)}</p>"
        f"<h2>Findings</h2><ul>{findings}</ul>"
        "<h2>Red flags</h2>"
        + (f"<ul class='flag'>{flags}</ul>" if flags else "<p>None raised.</p>")
        + f"<h2>Differential (this teaching model)</h2>{chart_html}<ol>{ranking}</ol>"
        f"<h2>Why the leading condition leads</h2><pre>{esc(explanation_text(dx))}</pre>"
        "<p>kneesci is a teaching model: it shows how evidence moves a probability; it does not "
        "diagnose, and a red flag means acting on the rule, not on the ranking.</p></body></html>"
    )
