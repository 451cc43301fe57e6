"""Comparing two conditions: ratios, ranking, two-way odds, and the widget as a student drives it.

Hand-worked numbers use the tiny knowledge base (tests/fixtures/tiny):
P(sign | alpha) 0.8, P(sign | beta) 0.1; P(symptom | alpha) 0.5, P(symptom | beta) 0.25;
priors in the clinic: alpha 0.2, beta 0.8.
"""

from __future__ import annotations

import doctest
import math

import pytest

import kneesci
import kneesci.compare
import kneesci.compare_plots
from kneesci.compare import (
    compare,
    compare_finding,
    comparison_table,
    pair_information,
    pair_posterior,
    profile_table,
    ratio_text,
    subset_posterior,
)
from kneesci.widgets.compare import Comparison

# --- one finding, two conditions ------------------------------------------------------------------


def test_ratio_when_present_is_the_ratio_of_the_two_probabilities(tiny):
    row = compare_finding(tiny, "alpha", "beta", "sign")
    assert row.lr_present == pytest.approx(0.8 / 0.1)


def test_ratio_when_absent_uses_the_complements(tiny):
    row = compare_finding(tiny, "alpha", "beta", "sign")
    assert row.lr_absent == pytest.approx(0.2 / 0.9)


def test_swapping_the_pair_inverts_the_ratios(tiny):
    ab = compare_finding(tiny, "alpha", "beta", "symptom")
    ba = compare_finding(tiny, "beta", "alpha", "symptom")
    assert ab.lr_present * ba.lr_present == pytest.approx(1.0)
    assert ab.lr_absent * ba.lr_absent == pytest.approx(1.0)


def test_a_finding_names_the_condition_it_favours(tiny):
    row = compare_finding(tiny, "alpha", "beta", "sign")
    assert (row.favours_when_present, row.favours_when_absent) == ("alpha", "beta")


def test_each_probability_carries_its_own_source(tiny):
    row = compare_finding(tiny, "alpha", "beta", "symptom")
    assert row.source_a.keys == ("nice_ng59",)  # alpha uses the cited background
    assert row.source_b.is_estimate  # beta has its own estimated row


def test_a_row_is_estimated_when_either_side_is(tiny):
    assert compare_finding(tiny, "alpha", "beta", "symptom").estimated


def test_comparing_a_condition_with_itself_is_refused(tiny):
    with pytest.raises(ValueError, match="two different conditions"):
        compare(tiny, "alpha", "alpha")


def test_an_unknown_condition_is_named(tiny):
    with pytest.raises(kneesci.UnknownIdError, match="gamma"):
        compare(tiny, "alpha", "gamma")


# --- information and ranking ----------------------------------------------------------------------


def test_a_finding_equally_common_in_both_carries_no_information():
    assert pair_information(0.3, 0.3) == 0.0


def test_a_perfect_separator_carries_one_bit_at_even_odds():
    assert pair_information(1.0, 0.0) == pytest.approx(1.0)


def test_information_matches_a_hand_worked_value():
    # P(yes) = 0.45; H(pair) = 1; after: 0.45 H(8/9) + 0.55 H(2/11)
    def h(p):
        return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))

    expected = 1 - (0.45 * h(0.4 / 0.45) + 0.55 * h(0.1 / 0.55))
    assert pair_information(0.8, 0.1) == pytest.approx(expected)


def test_the_better_separator_ranks_first(tiny):
    ranked = [r.finding for r in compare(tiny, "alpha", "beta").rows]
    assert ranked.index("sign") < ranked.index("symptom")


def test_findings_with_the_same_probability_rank_last(tiny):
    rows = compare(tiny, "alpha", "beta").rows
    assert {r.finding for r in rows[-3:]} == {"older", "oldest", "alarm"}
    assert all(r.information == 0.0 for r in rows[-3:])


def test_rank_is_one_based(tiny):
    assert compare(tiny, "alpha", "beta").rank("sign") == 1


def test_vascular_claudication_is_told_apart_by_standing_still_relief(kb):
    pair = compare(kb, "lumbar_spinal_stenosis", "peripheral_artery_disease")
    assert pair.row("relieved_by_standing_still").favours_when_present == (
        "peripheral_artery_disease"
    )
    assert pair.rank("relieved_by_standing_still") < pair.rank("worse_with_walking_or_standing")


def test_spared_hip_abduction_is_what_separates_l5_from_peroneal_palsy(kb):
    row = compare(kb, "l5_radiculopathy", "peroneal_neuropathy").row("hip_abduction_weakness")
    assert row.favours_when_present == "l5_radiculopathy"
    assert row.lr_present > 3


# --- two-way odds ---------------------------------------------------------------------------------


def test_pair_odds_without_findings_are_the_prior_odds(tiny):
    odds = pair_posterior(tiny, "alpha", "beta", {}, setting="clinic")
    assert odds.posterior_odds == pytest.approx(0.2 / 0.8)


def test_pair_odds_multiply_by_each_findings_ratio(tiny):
    odds = pair_posterior(tiny, "alpha", "beta", {"sign": True}, setting="clinic")
    assert odds.probability_a == pytest.approx(2 / 3)  # odds 0.25 x 8 = 2


def test_an_absent_finding_uses_its_absent_ratio(tiny):
    odds = pair_posterior(tiny, "alpha", "beta", {"sign": False}, setting="clinic")
    assert odds.likelihood_ratio == pytest.approx(0.2 / 0.9)


def test_pair_odds_agree_with_the_full_differential(kb):
    findings = {"foot_drop": True, "low_back_pain": False, "ankle_inversion_weakness": False}
    odds = pair_posterior(kb, "l5_radiculopathy", "peroneal_neuropathy", findings)
    dx = kb.differential(findings)
    expected = dx.probability("l5_radiculopathy") / dx.probability("peroneal_neuropathy")
    assert odds.posterior_odds == pytest.approx(expected)


def test_pair_odds_refuse_contradictory_findings(tiny):
    with pytest.raises(kneesci.ContradictionError):
        pair_posterior(tiny, "alpha", "beta", {"oldest": True, "older": False}, setting="clinic")


def test_a_subset_posterior_renormalises_the_differential(tiny):
    shares = subset_posterior(tiny, ["alpha", "beta"], {"sign": True}, setting="clinic")
    assert shares["alpha"] == pytest.approx(2 / 3)


def test_a_subset_needs_two_different_conditions(tiny):
    with pytest.raises(ValueError, match="two or more"):
        subset_posterior(tiny, ["alpha", "alpha"], setting="clinic")


# --- text -----------------------------------------------------------------------------------------


def test_ratios_below_one_are_written_as_division():
    assert (ratio_text(4.0), ratio_text(0.25)) == ("×4.0", "÷4.0")


def test_the_table_lists_the_best_separators_in_order(tiny):
    lines = comparison_table(tiny, compare(tiny, "alpha", "beta"), n=2).splitlines()
    assert lines[2].startswith("A sign") and lines[3].startswith("A symptom")
    assert "×8.0" in lines[2]


def test_the_profile_marks_estimates_with_a_star(tiny):
    lines = profile_table(tiny, ["alpha", "beta"], ["symptom"]).splitlines()
    assert lines[1].split()[-2:] == ["0.50", "0.25*"]  # alpha: cited background; beta: estimate


@pytest.mark.parametrize("module", [kneesci.compare, kneesci.compare_plots])
def test_docstring_examples_run(module):
    assert doctest.testmod(module).failed == 0


# --- the widget -----------------------------------------------------------------------------------


@pytest.fixture
def tiny_view(tiny):
    return Comparison("alpha", "beta", kb=tiny, setting="clinic", n=2)


def test_the_widget_offers_the_best_separators(tiny_view):
    assert tiny_view.shown == ("sign", "symptom")


def test_a_click_updates_the_pair_probability(tiny_view):
    tiny_view.set_finding("sign", True)
    assert tiny_view.pair.probability_a == pytest.approx(2 / 3)


def test_the_text_twin_states_both_views(tiny_view):
    tiny_view.set_finding("sign", True)
    assert "Within the pair: Alpha 67%, Beta 33%" in tiny_view.text
    assert "In the full differential: Alpha 67%" in tiny_view.text


def test_the_chart_is_an_image_with_alt_text(tiny_view):
    assert '<img id="kneesci-comparison-chart"' in tiny_view.chart_view.value
    assert 'alt="Two stacked bars. Within the pair: Alpha 20%' in tiny_view.chart_view.value


def test_the_text_twin_is_announced_politely(tiny_view):
    assert 'role="status"' in tiny_view.text_view.value


def test_the_chart_is_updated_not_rebuilt(tiny_view):
    bar = tiny_view.chart.pair_a
    tiny_view.set_finding("sign", True)
    assert tiny_view.chart.pair_a is bar
    assert bar.get_width() == pytest.approx(2 / 3)


def test_reset_sets_every_finding_back_to_not_asked(tiny_view):
    tiny_view.set_finding("sign", False)
    tiny_view.reset()
    assert tiny_view.findings == {}
    assert tiny_view.pair.probability_a == pytest.approx(0.2)


def test_named_and_preset_findings_are_offered_too(tiny):
    view = Comparison(
        "alpha", "beta", kb=tiny, setting="clinic", n=1, also=["older"], findings={"alarm": True}
    )
    assert view.shown == ("sign", "older", "alarm")
    assert view.findings == {"alarm": True}


def test_a_red_flag_shows_whichever_condition_leads(tiny):
    view = Comparison("alpha", "beta", kb=tiny, setting="clinic", findings={"alarm": True})
    banner = view.banner.value
    assert "RED FLAG" in banner and "<strong>Danger</strong>" in banner
    assert 'role="alert"' in banner and "Refer immediately" in banner  # the level as a word
    assert "REFER IMMEDIATELY: Danger (alarm). Refer now." in view.text


def test_no_banner_without_a_red_flag(tiny_view):
    assert tiny_view.banner.value == ""


def test_a_finding_not_offered_cannot_be_set(tiny_view):
    with pytest.raises(KeyError, match="alarm"):
        tiny_view.set_finding("alarm", True)


def test_a_finding_value_must_be_true_false_or_none(tiny_view):
    with pytest.raises(TypeError, match="present"):
        tiny_view.set_finding("sign", "yes")


def test_an_implied_finding_follows_when_both_are_shown(tiny):
    view = Comparison("alpha", "beta", kb=tiny, setting="clinic", n=1, also=["oldest", "older"])
    view.set_finding("older", False)
    view.set_finding("oldest", True)
    assert view.findings["older"] is True


def test_the_evidence_table_names_sources(tiny_view):
    evidence = tiny_view.children[-1].value
    assert "nice_ng59" in evidence and "estimate" in evidence
