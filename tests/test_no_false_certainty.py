"""No false certainty: nothing a student reads shows "100%" or "0%" from this model."""

from __future__ import annotations

import re

import pytest

from kneesci.cases import Case
from kneesci.describe import (
    differential_alt_text,
    explanation_text,
    percent,
    ranking_text,
)
from kneesci.evidence import natural_frequencies
from kneesci.game import Game, accuracy_report
from kneesci.nomogram import plot_nomogram

# "100%", "100.0%", "0%", "0.0%" as whole numbers (not "10%", "20%" or "< 0.1%")
CERTAIN = re.compile(r"(?<![\d.])(100(\.0+)?|0(\.0+)?)\s*%")


@pytest.mark.parametrize(
    "p, text",
    [
        (0.0, "< 1%"),
        (0.004, "< 1%"),
        (0.0051, "1%"),
        (0.5, "50%"),
        (0.994, "99%"),
        (0.995, "> 99%"),
        (1.0, "> 99%"),
    ],
)
def test_percent_never_claims_certainty(p, text):
    assert percent(p) == text


def test_percent_with_a_decimal():
    assert percent(0.0004, decimals=1) == "< 0.1%"
    assert percent(0.0123, decimals=1) == "1.2%"
    assert percent(0.9996, decimals=1) == "> 99.9%"


def test_the_scan_catches_certainty():
    assert CERTAIN.search("Knee osteoarthritis: 100%")
    assert CERTAIN.search("post-test 0.0%")
    assert not CERTAIN.search("10% or 20%, < 1% and > 99%, < 0.1%")


def near_certain(kb, condition: str) -> dict[str, bool]:
    """Every finding set the way that favours `condition` most: the posterior ends near 1."""
    table = kb.table_for("primary_care")
    ci = kb.condition_ids.index(condition)
    findings = {}
    for fi, fid in enumerate(kb.finding_ids):
        others = max(table[c, fi] for c in range(len(kb.condition_ids)) if c != ci)
        findings[fid] = bool(table[ci, fi] > others)
    for finding, implied in kb.implications:  # keep it consistent (over 65 => over 50)
        if findings[finding]:
            findings[implied] = True
    return findings


def rendered_texts(kb) -> list[str]:
    findings = near_certain(kb, "knee_osteoarthritis")
    dx = kb.differential(findings)
    assert dx.ranked()[0][1] > 0.995 and dx.ranked()[-1][1] < 0.005  # the extremes are tested
    texts = [
        ranking_text(dx),
        explanation_text(dx),
        explanation_text(dx, dx.ranked()[-1][0]),
        differential_alt_text(dx),
        repr(dx),
        plot_nomogram(0.999, 50).summary,
        plot_nomogram(0.0005, 0.05).alt_text,
        natural_frequencies(0.5, 0.9999, 0.9999).describe(),
    ]
    from kneesci.plots import ContributionChart, DifferentialChart

    chart = DifferentialChart(kb)
    chart.update(dx)
    why = ContributionChart(kb)
    why.update(dx)
    texts += [chart.alt_text, why.alt_text, why.heading.text]
    texts += [value.text for value in chart.values]
    case = Case(
        "extreme",
        "t",
        60,
        "female",
        "primary_care",
        "Knee pain.",
        "",
        findings,
        "l5_radiculopathy",
        (),
        "",
        (),
        "",
    )
    game = Game(case, kb)
    for finding in [f for f in findings if f not in game.known][:6]:
        game.ask(finding)
    texts.append(game.commit("knee_osteoarthritis").message)
    # the report's first line is a measured accuracy (which may be 0% or 100%), not the model's
    texts += accuracy_report(kb, {"extreme": case}).splitlines()[1:]
    return texts


def test_no_rendered_text_claims_certainty(kb):
    checked = list(rendered_texts(kb))
    assert checked, "nothing to check"
    for text in checked:
        assert not CERTAIN.search(text), text
