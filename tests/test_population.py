"""Where a figure was measured: the `population` column, its checks, and the weight discount.

The engine fixture's `sign` has P = 0.8 in alpha from 20 patients (the base file) and a spectrum
row of 0.9 from 40 operated patients in `surgery`; the background of `sign` rests on 50.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kneesci
from kneesci.describe import explanation_text, measured_elsewhere_text
from kneesci.loading import POPULATIONS, Estimate, Provenance
from kneesci.uncertainty import PSEUDO_COUNT, beta_parameters, evidence_weight, population_steps
from kneesci_testing.data import edit, load_error

ENGINE = Path(__file__).parent / "fixtures" / "engine"
CITED = Provenance("nice_ng59", "a figure")
GUESS = Provenance("estimate", "a guess")


@pytest.fixture
def engine_copy(tmp_path: Path) -> Path:
    """The engine fixture with populations: clinic is primary care, surgery a surgical series,
    and alpha's `sign` figure (20 patients) was measured in a surgical series."""
    target = tmp_path / "data"
    shutil.copytree(ENGINE, target)
    edit(target / "settings.csv", "id,label,description\n", "id,label,description,population\n")
    edit(target / "settings.csv", "(the base files).\n", "(the base files).,primary_care\n")
    edit(target / "settings.csv", "spectrum of patients.\n", "spectrum of patients.,surgical\n")
    like = target / "likelihoods" / "alpha.csv"
    edit(like, "source,note\n", "source,note,population,reference_standard\n")
    edit(like, "(20 patients with alpha)\n", "(20 patients with alpha),surgical,at operation\n")
    return target


# --- the discount rule, worked by hand ----------------------------------------------------------
@pytest.mark.parametrize(
    "population, setting, steps, weight",
    [
        ("primary_care", "primary_care", 0, 40.0),  # measured where it is used: full weight
        ("community", "primary_care", 0, 40.0),  # unselected patients too: same step
        ("referred", "primary_care", 1, 20.0),  # one step away: 40 / 2
        ("surgical", "referred", 1, 20.0),  # a surgical series in a spine clinic: 40 / 2
        ("surgical", "primary_care", 2, 10.0),  # two steps: 40 / 4
        ("block_confirmed", "surgical", 0, 40.0),  # both selected by a confirming procedure
        ("", "primary_care", 0, 40.0),  # population not recorded: no discount
        ("surgical", "", 0, 40.0),  # setting's population not recorded: no discount
    ],
)
def test_weight_halves_per_step_away(population, setting, steps, weight):
    estimate = Estimate(0.8, CITED, 40, population)
    assert population_steps(estimate, setting) == steps
    assert evidence_weight(estimate, setting) == weight


def test_the_discount_never_falls_below_an_estimate():
    # 24 / 4 = 6 would weigh less than a guess (10): it stays at 10; a figure from 6 patients
    # keeps its own 6, since it never weighed more than that.
    assert evidence_weight(Estimate(0.8, CITED, 24, "surgical"), "primary_care") == PSEUDO_COUNT
    assert evidence_weight(Estimate(0.8, CITED, 6, "surgical"), "primary_care") == 6


def test_an_estimate_is_not_discounted():
    assert evidence_weight(Estimate(0.3, GUESS), "referred") == PSEUDO_COUNT


def test_discounted_beta_parameters_by_hand():
    # 0.8 from 80 operated patients, used in primary care: weight 80 / 4 = 20 -> Beta(16, 4).
    estimate = Estimate(0.8, CITED, 80, "surgical")
    assert beta_parameters(estimate, "primary_care") == pytest.approx((16.0, 4.0))
    assert beta_parameters(estimate) == pytest.approx((64.0, 16.0))


def test_every_population_has_a_step_and_a_phrase():
    assert len(POPULATIONS) >= 5
    for population, (step, phrase) in POPULATIONS.items():
        assert step in (0, 1, 2), population
        assert phrase.startswith("in "), population


# --- the columns and their checks ---------------------------------------------------------------
def test_population_and_reference_standard_are_read(engine_copy):
    kb = kneesci.load(engine_copy)
    number = kb.number_for("sign", "alpha", "clinic")
    assert number.file == "likelihoods/alpha.csv"
    assert (number.estimate.population, number.estimate.reference_standard) == (
        "surgical",
        "at operation",
    )
    assert kb.settings["surgery"].population == "surgical"


def test_a_row_without_the_columns_reads_as_not_recorded(engine_copy):
    # sign2 (an estimate) has no population field at all: the row is shorter than the header.
    kb = kneesci.load(engine_copy)
    sign2 = kb.number_for("sign2", "alpha", "clinic").estimate
    assert (sign2.population, sign2.reference_standard) == ("", "")


def test_an_unknown_population_names_file_line_and_field(engine_copy):
    edit(engine_copy / "likelihoods" / "alpha.csv", ",surgical,", ",surgicle,")
    message = load_error(engine_copy)
    assert "likelihoods/alpha.csv, line 2 (sign), field 'population'" in message
    assert "'surgicle' is not one of" in message
    assert "surgical" in message  # the suggestion


def test_an_estimate_names_no_population(engine_copy):
    edit(
        engine_copy / "likelihoods" / "alpha.csv",
        "sign2,0.6,,estimate,hand-worked example",
        "sign2,0.6,,estimate,hand-worked example,referred,MRI",
    )
    message = load_error(engine_copy)
    assert "line 3 (sign2), field 'population'" in message
    assert "an estimate was measured in no population" in message


def test_an_estimate_may_write_estimate(engine_copy):
    edit(
        engine_copy / "likelihoods" / "alpha.csv",
        "sign2,0.6,,estimate,hand-worked example",
        "sign2,0.6,,estimate,hand-worked example,estimate,",
    )
    assert kneesci.load(engine_copy).number_for("sign2", "alpha").estimate.population == ""


def test_a_reference_standard_without_a_population_is_rejected(engine_copy):
    edit(engine_copy / "likelihoods" / "alpha.csv", ",surgical,at operation", ",,at operation")
    assert "field 'population': is empty, but a reference standard" in load_error(engine_copy)


def test_a_setting_population_is_checked(engine_copy):
    edit(engine_copy / "settings.csv", ",surgical\n", ",theatre\n")
    assert "settings.csv, line 3 (surgery), field 'population'" in load_error(engine_copy)


# --- what a student sees, and the whiskers ------------------------------------------------------
def test_explain_says_where_a_figure_was_measured(engine_copy):
    kb = kneesci.load(engine_copy)
    dx = kb.differential({"sign": True}, setting="clinic")
    (contribution,) = dx.explain("alpha")
    assert contribution.measured_in == "measured in a surgical series"
    assert "measured in a surgical series" in explanation_text(dx, "alpha")
    assert measured_elsewhere_text(dx, "alpha") == (
        "Measured elsewhere: A sign (measured in a surgical series)."
    )


def test_explain_is_silent_where_the_figure_matches_the_setting(engine_copy):
    kb = kneesci.load(engine_copy)
    # In surgery alpha's figure is the spectrum row (no population recorded: not flagged), and
    # beta's comes from the background (not recorded either).
    dx = kb.differential({"sign": True}, setting="surgery")
    assert [c.measured_in for c in dx.explain("alpha")] == [""]
    assert measured_elsewhere_text(dx, "alpha") == ""


def test_a_figure_from_elsewhere_widens_the_interval(engine_copy):
    plain = kneesci.load(ENGINE).differential({"sign": True}, setting="clinic")
    marked = kneesci.load(engine_copy).differential({"sign": True}, setting="clinic")
    assert marked.posterior == pytest.approx(plain.posterior)  # the answer itself is unchanged
    low, high = plain.intervals(draws=2000, seed=3)["alpha"]
    low_m, high_m = marked.intervals(draws=2000, seed=3)["alpha"]
    # 20 patients weigh as 10 two steps from a surgical series: the whisker widens.
    assert high_m - low_m > high - low


def test_every_cited_figure_in_the_bundled_data_names_its_population():
    kb = kneesci.load()
    checked = 0
    for number in kb.numbers:
        if number.file == "priors.csv" or number.estimate.provenance.is_estimate:
            continue
        checked += 1
        assert number.estimate.population in POPULATIONS, number.name
        assert number.estimate.reference_standard, number.name
    assert checked >= 130
