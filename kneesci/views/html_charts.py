"""The explorer's two charts as HTML and CSS, written from numbers (no figure, no picture).

A bar chart of the differential and a "why" chart of likelihood ratios, each one string for one
widget message per click. Text is real text in CSS pixels (at least 12 px on a phone, where a
picture scaled to the screen shrank it to 5-6 px); colours follow the page's theme through the
`--jp-*` CSS variables, so a dark theme gets light text on its own ground; each chart is one
`role="img"` with the same alt text as the matplotlib charts (`kneesci.describe`), and the
ranking as text stays beside it. The matplotlib charts (`kneesci.views.plots`) remain for notebooks,
exports and printed cards.

>>> import kneesci
>>> dx = kneesci.load().differential({"groin_pain": True})
>>> page = differential_html(dx, dx.intervals(0.8, 200, seed=0))
>>> 'role="img"' in page and "aria-label=\\"Bar chart of the differential" in page
True
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from . import palette
from .describe import contributions_alt_text, differential_alt_text, percent

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..model.inference import Differential
    from ..model.knowledge_base import KnowledgeBase

LEVEL = 0.8  # the whisker's interval
GROUP_COLOURS = palette.GROUP_COLOURS
GROUP_NAMES = {
    "nerve root": "nerve roots",
    "spinal": "other spinal causes",
    "peripheral nerve": "peripheral nerves",
    "vascular": "blood vessels",
    "joint": "joints",
}
# A bar longer than this carries its percentage inside, at its end; shorter ones just after it.
INSIDE_FROM = 0.78
# A whisker this long (in probability) is called wide, and the help line says why.
WIDE = 0.5
# A likelihood below this is "rare" for the why-so-wide sentence.
RARE = 0.1
ROWS = 8  # the why chart's rows; the rest is summed up in its text twin
LOG_LIMIT = float(np.log(100.0))  # the why chart spans likelihood ratios 1/100 to 100
LABEL_CHARS = 34

WHISKER_HELP = (
    "The thin line under each bar is its 80% interval: where the probability could lie if the "
    "model's own numbers are only as certain as the evidence behind them."
)
WHISKER_DETAILS = (
    "Each number in the model comes from a study of some number of patients, or is an estimate "
    "that counts as much as a study of 10. The model is recomputed with every number redrawn "
    "as uncertain as that, many times; 8 of 10 of those answers lie within the line. A short "
    "line means the answer rests on well-measured numbers. A long one means it rests on "
    "estimates, most of all for a rare finding: on the evidence of 10 patients, a sign "
    "estimated at 2% could lie anywhere from well under 0.1% to about 6% (8 times in 10), and a "
    "finding that rare in every condition moves the ranking by those ratios. The bar is the "
    "model's best answer; the line is how far to trust it."
)

CHART_CSS = """
.kneesci-hchart {
  font-size: 13px; line-height: 1.25; color: var(--jp-ui-font-color1, #1F1F1F);
  background: var(--jp-layout-color1, #FFFFFF);
  border: 1px solid var(--jp-border-color2, #E0E0E0); border-radius: 4px;
  padding: 6px 8px 4px; box-sizing: border-box; width: 100%;
}
.kneesci-hchart-title { font-weight: 600; font-size: 14px; margin: 0 0 4px;
  color: var(--jp-ui-font-color0, #111111); }
.kneesci-hchart-row { display: grid; grid-template-columns: minmax(6.5em, 36%) 1fr;
  column-gap: 6px; align-items: center; min-height: 24px; }
.kneesci-hchart-name { text-align: right; overflow-wrap: anywhere; }
.kneesci-hchart-track { position: relative; height: 24px;
  background: repeating-linear-gradient(to right, var(--jp-border-color2, #E0E0E0) 0 1px,
    transparent 1px 25%);
  border-right: 1px solid var(--jp-border-color2, #E0E0E0); }
.kneesci-hchart-bar { position: absolute; top: 2px; height: 14px; left: 0; min-width: 1px; }
.kneesci-hchart-value { position: absolute; top: 1px; white-space: nowrap; font-size: 13px;
  line-height: 16px; font-variant-numeric: tabular-nums; }
.kneesci-hchart-value.inside { padding-right: 3px; }
.kneesci-hchart-whisker { position: absolute; top: 19px; height: 4px; box-sizing: border-box;
  border: solid var(--jp-ui-font-color2, #616161); border-width: 0 1.5px;
  min-width: 1px; }
.kneesci-hchart-whisker::after { content: ""; position: absolute; left: 0; right: 0; top: 1px;
  border-top: 1.5px solid var(--jp-ui-font-color2, #616161); }
.kneesci-hchart-axis { display: grid; grid-template-columns: minmax(6.5em, 36%) 1fr;
  column-gap: 6px; color: var(--jp-ui-font-color2, #616161); font-size: 12px; }
.kneesci-hchart-ticks { position: relative; height: 16px; }
.kneesci-hchart-ticks span { position: absolute; transform: translateX(-50%); }
.kneesci-hchart-ticks span:first-child { transform: none; }
.kneesci-hchart-ticks span:last-child { transform: translateX(-100%); }
.kneesci-hchart-legend { display: flex; flex-flow: row wrap; gap: 2px 12px; margin-top: 4px;
  font-size: 12px; color: var(--jp-ui-font-color1, #1F1F1F); }
.kneesci-hchart-key { display: inline-flex; align-items: center; gap: 4px; }
.kneesci-hchart-swatch { display: inline-block; width: 12px; height: 12px; }
.kneesci-hchart-key .kneesci-hchart-whisker { position: relative; top: 0; width: 18px; }
.kneesci-hchart-centre { position: absolute; left: 50%; top: 0; bottom: 0;
  border-left: 1px solid var(--jp-ui-font-color2, #616161); }
.kneesci-hchart-why .kneesci-hchart-bar { top: 4px; height: 16px; }
.kneesci-hchart-why .kneesci-hchart-value { top: 4px; }
.kneesci-hchart-empty { color: var(--jp-ui-font-color2, #616161); padding: 1em 0; }
.kneesci-whisker-help {
  font-size: 13px; margin: 4px 0 0; color: var(--jp-ui-font-color1, #1F1F1F);
}
.kneesci-whisker-help summary { font-size: 13px; }
"""


def _text_on(colour: str) -> str:
    """Black or white text, whichever has the higher contrast on a bar of this colour (WCAG)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#FFFFFF" if (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / 0.05) else "#000000"


def _pct(x: float) -> str:
    """A position along the axis as a CSS percentage."""
    return f"{100.0 * min(max(x, 0.0), 1.0):.2f}%"


def _value_html(text: str, end: float, colour: str) -> str:
    """The bar's number at its end: after it, or inside it when the bar is long."""
    if end > INSIDE_FROM:
        return (
            f'<span class="kneesci-hchart-value inside" style="right:{_pct(1 - end)};'
            f'color:{_text_on(colour)}">{text}</span>'
        )
    return f'<span class="kneesci-hchart-value" style="left:calc({_pct(end)} + 4px)">{text}</span>'


def _ticks(labels: list[str]) -> str:
    step = 1 / (len(labels) - 1)
    spans = "".join(f'<span style="left:{_pct(i * step)}">{t}</span>' for i, t in enumerate(labels))
    return (
        f'<div class="kneesci-hchart-axis" aria-hidden="true"><span></span>'
        f'<div class="kneesci-hchart-ticks">{spans}</div></div>'
    )


def wide_interval_reason(dx: Differential, intervals: Mapping[str, tuple[float, float]]) -> str:
    """Why the widest whisker is wide, when one is: the rare findings whose likelihoods are
    estimates with a small evidence weight. Empty when no whisker spans `WIDE` or more."""
    if not intervals:
        return ""
    condition, (low, high) = max(intervals.items(), key=lambda kv: kv[1][1] - kv[1][0])
    if high - low < WIDE:
        return ""
    kb = dx.kb
    row = kb.condition_ids.index(condition)
    numbers = kb.number_of[dx.setting]
    rare = []
    for finding, present in dx.counted.items():
        estimate = kb.numbers[numbers[row, kb.finding_index(finding)]].estimate
        if (
            present
            and estimate.value < RARE
            and (estimate.provenance.is_estimate or not estimate.n)
        ):
            rare.append(kb.findings[finding].label.lower())
    name = kb.conditions[condition].label
    span = f"{percent(low)} to {percent(high)}"
    if not rare:
        return (
            f"{name}'s line is wide ({span}): several of the numbers behind it are estimates, "
            "each weighing as little as 10 patients."
        )
    which = ", ".join(rare)
    return (
        f"{name}'s line is wide ({span}) because {which} is rare and how rare is an estimate "
        "that counts as 10 patients' worth of evidence: a figure of a few percent could then be "
        "anything from almost never to three times as often, and the ranking moves by those "
        "ratios. The line is right about the model; better figures would shorten it."
    )


def differential_html(
    dx: Differential,
    intervals: Mapping[str, tuple[float, float]] | None = None,
    element_id: str = "kneesci-differential-chart",
) -> str:
    """Every condition's probability as a bar, in the knowledge base's fixed order (bars grow and
    shrink in place), its percentage at the bar's end, its interval as a line under the bar, a
    colour legend, and a one-line whisker help with a toggle.
    """
    kb = dx.kb
    intervals = dict(intervals or {})
    alt = differential_alt_text(dx)
    if intervals:
        low, high = intervals[dx.top]
        alt += (
            f" Lines under the bars show 80% intervals of the model's own uncertainty; "
            f"{kb.conditions[dx.top].label} {percent(low)} to {percent(high)}."
        )
    rows = []
    for condition in kb.condition_ids:
        info = kb.conditions[condition]
        colour = GROUP_COLOURS.get(info.group, palette.MUTED)
        p = dx.probability(condition)
        whisker = ""
        if condition in intervals:
            low, high = intervals[condition]
            whisker = (
                f'<span class="kneesci-hchart-whisker" style="left:{_pct(low)};'
                f'width:{_pct(high - low)}"></span>'
            )
        rows.append(
            f'<div class="kneesci-hchart-row" data-condition="{condition}">'
            f'<span class="kneesci-hchart-name">{html.escape(info.label)}</span>'
            f'<span class="kneesci-hchart-track">'
            f'<span class="kneesci-hchart-bar" style="width:{_pct(p)};background:{colour}"></span>'
            f"{_value_html(html.escape(percent(p)), p, colour)}{whisker}</span></div>"
        )
    groups = [g for g in GROUP_COLOURS if any(c.group == g for c in kb.conditions.values())]
    keys = "".join(
        f'<span class="kneesci-hchart-key"><span class="kneesci-hchart-swatch" '
        f'style="background:{GROUP_COLOURS[g]}"></span>{GROUP_NAMES[g]}</span>'
        for g in groups
    )
    if intervals:
        keys += (
            '<span class="kneesci-hchart-key"><span class="kneesci-hchart-whisker"></span>'
            "80% interval</span>"
        )
    chart = (
        f'<div id="{element_id}" class="kneesci-hchart kneesci-hchart-dx" role="img" '
        f'aria-label="{html.escape(alt)}">'
        '<div class="kneesci-hchart-title">Differential (this teaching model)</div>'
        + "".join(rows)
        + _ticks(["0%", "25%", "50%", "75%", "100%"])
        + f'<div class="kneesci-hchart-legend">{keys}</div></div>'
    )
    help_ = ""
    if intervals:
        reason = wide_interval_reason(dx, intervals)
        help_ = (
            f'<details class="kneesci-whisker-help"><summary>{WHISKER_HELP}</summary>'
            f"<p>{WHISKER_DETAILS}</p></details>"
            + (
                f'<p class="kneesci-whisker-help kneesci-whisker-why">{html.escape(reason)}</p>'
                if reason
                else ""
            )
        )
    return chart + help_


def top_three_html(dx: Differential) -> str:
    """The leading three in one line, for the top of a narrow screen's results: hidden from
    screen readers, which have the ranking as text."""
    top = " &middot; ".join(
        f"{i}. {html.escape(dx.kb.conditions[c].label)} {html.escape(percent(p))}"
        for i, (c, p) in enumerate(dx.ranked()[:3], start=1)
    )
    return f'<div class="kneesci-dx-summary" aria-hidden="true"><b>Top three:</b> {top}</div>'


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def why_html(
    dx: Differential, condition: str | None = None, element_id: str = "kneesci-why-chart"
) -> str:
    """Why a condition moved: a bar per observed finding from the centre line (ratio 1), to the
    right (blue) where it raised the odds and to the left (orange) where it lowered them, on a
    log scale from 1/100 to 100, with the ratio at the bar's end."""
    kb: KnowledgeBase = dx.kb
    condition = condition or dx.top
    contributions = dx.explain(condition)
    shown = contributions[:ROWS]
    more = len(contributions) - len(shown)
    alt = contributions_alt_text(kb, condition, contributions, more)
    rows = []
    for c in shown:
        width = float(np.clip(c.log_odds, -LOG_LIMIT, LOG_LIMIT)) / (2 * LOG_LIMIT)
        colour = palette.FOR if width >= 0 else palette.AGAINST
        name = _short(kb.findings[c.finding].label)
        name = name if c.present else f"{name} (absent)"
        ratio = html.escape(f"×{c.likelihood_ratio:.2g}")
        if width >= 0:
            bar = f"left:50%;width:{_pct(width)}"
            value = (
                f'<span class="kneesci-hchart-value" style="left:calc({_pct(0.5 + width)} + 4px)">'
                f"{ratio}</span>"
            )
        else:
            bar = f"left:{_pct(0.5 + width)};width:{_pct(-width)}"
            value = (
                f'<span class="kneesci-hchart-value" style="right:calc({_pct(0.5 - width)} + 4px)">'
                f"{ratio}</span>"
            )
        rows.append(
            f'<div class="kneesci-hchart-row"><span class="kneesci-hchart-name">'
            f'{html.escape(name)}</span><span class="kneesci-hchart-track">'
            f'<span class="kneesci-hchart-centre"></span>'
            f'<span class="kneesci-hchart-bar" style="{bar};background:{colour}"></span>'
            f"{value}</span></div>"
        )
    body = "".join(rows) or (
        '<div class="kneesci-hchart-empty">No findings yet: set one to present or absent.</div>'
    )
    label = html.escape(kb.conditions[condition].label)
    legend = (
        '<div class="kneesci-hchart-legend">'
        f'<span class="kneesci-hchart-key"><span class="kneesci-hchart-swatch" '
        f'style="background:{palette.FOR}"></span>raises the odds</span>'
        f'<span class="kneesci-hchart-key"><span class="kneesci-hchart-swatch" '
        f'style="background:{palette.AGAINST}"></span>lowers the odds</span>'
        + (f"<span>and {more} smaller effect(s)</span>" if more else "")
        + "</div>"
    )
    return (
        f'<div id="{element_id}" class="kneesci-hchart kneesci-hchart-why" role="img" '
        f'aria-label="{html.escape(alt)}">'
        f'<div class="kneesci-hchart-title">Why {label}? '
        f"({html.escape(percent(dx.probability(condition)))} now)</div>"
        + body
        + (_ticks(["1/100", "1/10", "1", "10", "100"]) if rows else "")
        + legend
        + "</div>"
    )


__all__ = [
    "CHART_CSS",
    "WHISKER_HELP",
    "differential_html",
    "top_three_html",
    "why_html",
    "wide_interval_reason",
]
