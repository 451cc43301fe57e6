"""Likelihood ratios, odds and natural frequencies, checked against hand-worked numbers."""

from __future__ import annotations

import math

import pytest

from kneesci.evidence import (
    likelihood_ratios,
    natural_frequencies,
    odds,
    post_test_probability,
    probability_from_odds,
)


def test_likelihood_ratios_from_sensitivity_and_specificity():
    # 0.9 / (1 - 0.8) = 4.5 and (1 - 0.9) / 0.8 = 0.125
    positive, negative = likelihood_ratios(0.9, 0.8)
    assert positive == pytest.approx(4.5)
    assert negative == pytest.approx(0.125)


def test_a_perfectly_specific_test_has_an_infinite_positive_ratio():
    assert likelihood_ratios(0.5, 1.0)[0] == math.inf


def test_sensitive_but_unspecific_test_has_a_weak_positive_ratio():
    # An SLR-like profile: very sensitive, poorly specific -> LR+ barely above 1.
    positive, negative = likelihood_ratios(0.91, 0.26)
    assert positive == pytest.approx(0.91 / 0.74)
    assert negative == pytest.approx(0.09 / 0.26)


@pytest.mark.parametrize("bad", [-0.1, 1.1, math.nan])
def test_probabilities_outside_zero_to_one_are_rejected(bad):
    with pytest.raises(ValueError, match="sensitivity"):
        likelihood_ratios(bad, 0.5)


def test_odds_and_probability_round_trip():
    assert odds(0.2) == pytest.approx(0.25)
    assert probability_from_odds(0.25) == pytest.approx(0.2)


def test_negative_odds_are_rejected():
    with pytest.raises(ValueError, match="odds"):
        probability_from_odds(-1.0)


def test_post_test_probability_is_the_engine_function_not_a_copy():
    import kneesci

    assert post_test_probability is kneesci.post_test_probability


def test_natural_frequencies_hand_worked():
    table = natural_frequencies(0.2, 0.9, 0.8, population=1000)
    assert (table.with_condition, table.without_condition) == (200, 800)
    assert (table.true_positives, table.false_negatives) == (180, 20)
    assert (table.false_positives, table.true_negatives) == (160, 640)


def test_natural_frequencies_agree_with_bayes_when_counts_are_whole():
    table = natural_frequencies(0.2, 0.9, 0.8)
    lr_positive = likelihood_ratios(0.9, 0.8)[0]
    assert table.share_of_positives_true == pytest.approx(post_test_probability(0.2, lr_positive))


def test_share_of_negatives_that_are_false():
    assert natural_frequencies(0.2, 0.9, 0.8).share_of_negatives_false == pytest.approx(20 / 660)


def test_rounded_counts_still_add_up_to_the_population():
    table = natural_frequencies(0.037, 0.333, 0.871, population=100)
    assert table.with_condition + table.without_condition == 100
    assert table.true_positives + table.false_negatives == table.with_condition
    assert table.false_positives + table.true_negatives == table.without_condition


def test_description_tells_the_counts_in_words():
    text = natural_frequencies(0.2, 0.9, 0.8).describe()
    assert "Of 1000 patients like this, 200 have the condition and 800 do not." in text
    assert text.endswith("So 180 of the 340 positive tests are true: 53%.")


@pytest.mark.parametrize("population", [0, -5, 10.5, True])
def test_population_must_be_a_whole_positive_number(population):
    with pytest.raises(ValueError, match="population"):
        natural_frequencies(0.2, 0.9, 0.8, population=population)
