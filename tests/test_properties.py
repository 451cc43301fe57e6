"""Properties that must hold for any set of findings (hypothesis), and an independent oracle."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kneesci

KB = kneesci.load()
FINDINGS = sorted(KB.findings)


def consistent(findings: dict[str, bool]) -> dict[str, bool]:
    """Drop observations that would contradict an implication (those are tested elsewhere)."""
    clean = dict(findings)
    for a, b in KB.implications:
        if clean.get(a) is True and clean.get(b) is False:
            del clean[a]
    return clean


finding_sets = st.dictionaries(st.sampled_from(FINDINGS), st.booleans(), max_size=25).map(
    consistent
)
settings_ids = st.sampled_from(sorted(KB.settings))


@settings(max_examples=150, deadline=None)
@given(finding_sets, settings_ids)
def test_probabilities_sum_to_one_and_lie_in_unit_interval(findings, setting):
    ranked = KB.differential(findings, setting).ranked()
    assert sum(p for _, p in ranked) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for _, p in ranked)
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)


@settings(max_examples=100, deadline=None)
@given(finding_sets, st.randoms(use_true_random=False))
def test_order_of_findings_does_not_matter(findings, rng):
    items = list(findings.items())
    rng.shuffle(items)
    a = dict(KB.differential(findings).ranked())
    b = dict(KB.differential(dict(items)).ranked())
    assert a, "nothing to check"
    for condition in a:
        assert a[condition] == pytest.approx(b[condition], rel=1e-9, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    finding_sets,
    st.sampled_from(FINDINGS),
    st.sampled_from(sorted(KB.conditions)),
    st.sampled_from(sorted(KB.conditions)),
)
def test_present_finding_more_likely_in_x_never_lowers_x_against_y(findings, new, x, y):
    findings = {f: v for f, v in findings.items() if f != new}
    if KB.likelihood(new, x) <= KB.likelihood(new, y):
        x, y = y, x
    before = KB.differential(findings)
    try:
        after = KB.differential({**findings, new: True})
    except kneesci.ContradictionError:
        return
    odds_before = before.probability(x) / before.probability(y)
    odds_after = after.probability(x) / after.probability(y)
    assert odds_after >= odds_before * (1 - 1e-9)


def enumerate_posterior(kb, findings, setting):
    """Brute-force Bayes in plain Python floats: prior times each likelihood, then normalise.

    A finding that another observed finding logically settles (over 65 => over 50) has
    likelihood 1 given that finding, so it is left out of the product.
    """
    settled = set()
    for a, b in kb.implications:
        if findings.get(a) is True and findings.get(b) is True:
            settled.add(b)
        if findings.get(a) is False and findings.get(b) is False:
            settled.add(a)
    joint = {}
    for condition in kb.conditions:
        weight = kb.prior(condition, setting)
        for finding, present in findings.items():
            if finding in settled:
                continue
            p = kb.likelihood(finding, condition, setting)
            weight *= p if present else 1 - p
        joint[condition] = weight
    total = sum(joint.values())
    return {c: w / total for c, w in joint.items()}


@settings(max_examples=100, deadline=None)
@given(finding_sets, settings_ids)
def test_posterior_agrees_with_brute_force_enumeration(findings, setting):
    oracle = enumerate_posterior(KB, findings, setting)
    engine = dict(KB.differential(findings, setting, count_groups_once=False).ranked())
    checked = list(oracle.items())
    assert checked, "nothing to check"
    for condition, p in checked:
        assert engine[condition] == pytest.approx(p, rel=1e-9, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(finding_sets, settings_ids)
def test_a_group_counted_once_is_the_same_as_leaving_the_others_out(findings, setting):
    dx = KB.differential(findings, setting)
    kept = {f: v for f, v in findings.items() if f not in dx.set_aside}
    naive = KB.differential(kept, setting, count_groups_once=False)
    assert dx.posterior == pytest.approx(naive.posterior, rel=1e-12, abs=1e-15)
    for group in KB.finding_groups.values():
        assert len([f for f in group.findings if f in dx.counted]) <= 1


@settings(max_examples=60, deadline=None)
@given(finding_sets)
def test_information_gain_is_never_negative_and_at_most_the_entropy(findings):
    dx = KB.differential(findings)
    gains = dx.information_gain()
    assert all(0.0 <= g <= dx.entropy + 1e-9 for g in gains.values())
    assert not set(gains) & set(findings)


@settings(max_examples=60, deadline=None)
@given(finding_sets, st.sampled_from(sorted(KB.conditions)))
def test_explanation_shares_sum_to_one(findings, condition):
    contributions = KB.differential(findings).explain(condition)
    if contributions and any(c.log_odds for c in contributions):
        assert math.fsum(c.share for c in contributions) == pytest.approx(1.0)
