"""Test accuracy in the forms clinicians meet it: likelihood ratios, odds and natural frequencies.

Pure arithmetic, no plotting. The post-test calculation itself lives in the knowledge base
(`kneesci.post_test_probability`); this module adds the ways of reading it.

>>> [round(lr, 3) for lr in likelihood_ratios(0.9, 0.8)]
[4.5, 0.125]
>>> print(natural_frequencies(0.2, 0.9, 0.8).describe())
Of 1000 patients like this, 200 have the condition and 800 do not.
Of the 200 with it, 180 test positive (true positives) and 20 test negative (false negatives).
Of the 800 without it, 160 test positive (false positives) and 640 test negative (true negatives).
So 180 of the 340 positive tests are true: 53%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.probability import percent, post_test_probability

__all__ = [
    "NaturalFrequencies",
    "likelihood_ratios",
    "natural_frequencies",
    "odds",
    "post_test_probability",
    "probability_from_odds",
]


def _check_probability(name: str, value: float, *, open_interval: bool = False) -> float:
    value = float(value)
    inside = 0.0 < value < 1.0 if open_interval else 0.0 <= value <= 1.0
    if math.isnan(value) or not inside:
        bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise ValueError(f"{name} must be a probability {bounds}, not {value!r}.")
    return value


def odds(probability: float) -> float:
    """Odds in favour: 0.2 -> 0.25 (one for, four against)."""
    p = _check_probability("probability", probability)
    if p == 1.0:
        return math.inf
    return p / (1.0 - p)


def probability_from_odds(odds_value: float) -> float:
    """Back from odds to probability: 0.25 -> 0.2."""
    if math.isnan(odds_value) or odds_value < 0:
        raise ValueError(f"odds must be 0 or more, not {odds_value!r}.")
    if math.isinf(odds_value):
        return 1.0
    return odds_value / (1.0 + odds_value)


def likelihood_ratios(sensitivity: float, specificity: float) -> tuple[float, float]:
    """(LR+, LR-) of a test: how much a positive / negative result multiplies the odds.

    LR+ = sensitivity / (1 - specificity); LR- = (1 - sensitivity) / specificity.
    """
    sens = _check_probability("sensitivity", sensitivity)
    spec = _check_probability("specificity", specificity)
    positive = math.inf if spec == 1.0 else sens / (1.0 - spec)
    negative = math.inf if spec == 0.0 else (1.0 - sens) / spec
    return positive, negative


@dataclass(frozen=True)
class NaturalFrequencies:
    """A 2x2 table as counts of people, the form most readers reason with correctly.

    Counts are whole people, rounded; each row adds up exactly to its total.
    """

    population: int
    with_condition: int
    true_positives: int
    false_negatives: int
    without_condition: int
    false_positives: int
    true_negatives: int

    @property
    def positives(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def negatives(self) -> int:
        return self.false_negatives + self.true_negatives

    @property
    def share_of_positives_true(self) -> float:
        """Of those who test positive, the share who have the condition (post-test, positive)."""
        return self.true_positives / self.positives if self.positives else math.nan

    @property
    def share_of_negatives_false(self) -> float:
        """Of those who test negative, the share who still have it (post-test, negative)."""
        return self.false_negatives / self.negatives if self.negatives else math.nan

    def describe(self) -> str:
        """The table told as four sentences a patient could follow."""
        return "\n".join(
            [
                f"Of {self.population} patients like this, {self.with_condition} have the "
                f"condition and {self.without_condition} do not.",
                f"Of the {self.with_condition} with it, {self.true_positives} test positive "
                f"(true positives) and {self.false_negatives} test negative (false negatives).",
                f"Of the {self.without_condition} without it, {self.false_positives} test "
                f"positive (false positives) and {self.true_negatives} test negative "
                "(true negatives).",
                f"So {self.true_positives} of the {self.positives} positive tests are true: "
                f"{percent(self.share_of_positives_true)}.",
            ]
        )


def natural_frequencies(
    pretest: float, sensitivity: float, specificity: float, population: int = 1000
) -> NaturalFrequencies:
    """Turn pre-test probability, sensitivity and specificity into counts out of `population`.

    Rounding to whole people makes the count-based post-test differ slightly from the exact one
    when groups are small; a larger population shrinks the gap.
    """
    pre = _check_probability("pretest", pretest)
    sens = _check_probability("sensitivity", sensitivity)
    spec = _check_probability("specificity", specificity)
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError(f"population must be a whole number of people, 1 or more: {population!r}")
    with_condition = round(population * pre)
    without_condition = population - with_condition
    true_positives = round(with_condition * sens)
    false_positives = round(without_condition * (1.0 - spec))
    return NaturalFrequencies(
        population,
        with_condition,
        true_positives,
        with_condition - true_positives,
        without_condition,
        false_positives,
        without_condition - false_positives,
    )
