"""The model's own uncertainty: Beta distributions from evidence weights, intervals, sensitivity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import kneesci
from kneesci.cases import load_cases
from kneesci.course.library_evaluation import sensitivity_ranking
from kneesci.loading import Estimate, Provenance
from kneesci.uncertainty import (
    PSEUDO_COUNT,
    beta_interval,
    beta_parameters,
    evidence_weight,
    posterior_draws,
    prior_concentration,
)

ENGINE = Path(__file__).parent / "fixtures" / "engine"
GUESS = Provenance("estimate", "a guess")
CITED = Provenance("nice_ng59", "a figure")


@pytest.fixture(scope="module")
def eng() -> kneesci.KnowledgeBase:
    return kneesci.load(ENGINE)


def test_an_estimate_weighs_the_pseudo_count():
    assert evidence_weight(Estimate(0.3, GUESS)) == PSEUDO_COUNT == 10
    assert beta_parameters(Estimate(0.3, GUESS)) == pytest.approx((3.0, 7.0))


def test_a_cited_figure_weighs_its_patients():
    assert beta_parameters(Estimate(0.8, CITED, n=20)) == pytest.approx((16.0, 4.0))


def test_a_cited_figure_without_n_weighs_like_an_estimate():
    assert evidence_weight(Estimate(0.8, CITED)) == PSEUDO_COUNT


def test_more_patients_give_a_narrower_interval():
    wide = beta_interval(Estimate(0.5, GUESS))
    narrow = beta_interval(Estimate(0.5, CITED, n=400))
    # Beta(5, 5): 80% interval about 0.30-0.70; Beta(200, 200): about 0.468-0.532
    assert wide == pytest.approx((0.30, 0.70), abs=0.01)
    assert narrow == pytest.approx((0.468, 0.532), abs=0.005)


def test_prior_weight_is_the_smallest_of_the_settings(eng):
    assert prior_concentration(eng, "surgery") == 100  # both cited, cohort of 100
    assert prior_concentration(eng, "clinic") == PSEUDO_COUNT


def test_draws_average_near_the_point_estimate(eng):
    # Surgery, sign present, all numbers cited or weighted: the mean of the draws is close to
    # the point estimate 0.75 (not equal: the posterior is not linear in the numbers).
    dx = eng.differential({"sign": True}, setting="surgery")
    draws = posterior_draws(dx, draws=4000, seed=3)
    assert draws.shape == (4000, 2)
    assert np.allclose(draws.sum(axis=1), 1.0)
    assert draws[:, 0].mean() == pytest.approx(0.75, abs=0.05)


def test_a_shared_background_is_one_number(eng):
    # In surgery, the sign's background (0.3) serves beta only; in the clinic, findings.csv's
    # background serves beta. Either way each cell names exactly one row of data/.
    assert eng.number_of["surgery"].shape == (2, len(eng.finding_ids))
    assert eng.numbers[eng.number_of["clinic"][1, 0]].name == "findings.csv: sign"


def test_intervals_are_reproducible_with_a_seed(eng):
    dx = eng.differential({"sign": True, "symptom": False}, setting="clinic")
    assert dx.intervals(seed=7) == dx.intervals(seed=7)
    assert dx.intervals(seed=7) != dx.intervals(seed=8)


def test_more_evidence_narrows_the_interval(eng):
    # The surgery priors rest on 100 patients, the clinic's on the pseudo-count of 10.
    clinic = eng.differential({}, setting="clinic").intervals()["alpha"]
    surgery = eng.differential({}, setting="surgery").intervals()["alpha"]
    assert surgery[1] - surgery[0] < clinic[1] - clinic[0]


@pytest.mark.parametrize("level", [0.5, 0.8, 0.95])
def test_every_interval_contains_the_point_estimate(kb, level):
    patients = [
        {},
        {"slr_positive": True},
        {"saddle_anaesthesia": True, "knee_pain": False},
        {f: i % 2 == 0 for i, f in enumerate(kb.finding_ids[:12])},
    ]
    assert patients, "nothing to check"
    for findings in patients:
        dx = kb.differential(kb.check_findings(findings) if findings else {})
        for condition, (low, high) in dx.intervals(level=level, draws=300).items():
            assert 0.0 <= low <= dx.probability(condition) <= high <= 1.0, condition


def test_wider_level_gives_wider_intervals(eng):
    dx = eng.differential({"sign": True}, setting="clinic")
    low50, high50 = dx.intervals(level=0.5)["alpha"]
    low95, high95 = dx.intervals(level=0.95)["alpha"]
    assert low95 <= low50 and high50 <= high95


@pytest.mark.parametrize("level", [0, 1, 1.5])
def test_level_must_be_a_fraction(eng, level):
    with pytest.raises(ValueError, match="level must lie strictly between 0 and 1"):
        eng.differential({}, setting="clinic").intervals(level=level)


def test_sensitivity_ranks_only_estimates(kb):
    cases = list(load_cases(kb).values())[:6]
    ranking = sensitivity_ranking(kb, cases)
    estimated = sum(n.estimate.provenance.is_estimate for n in kb.numbers)
    assert len(ranking) == estimated
    assert all(0 <= r.changed_top1 <= len(cases) for r in ranking)
    keys = [(-r.changed_top1, -r.mean_change) for r in ranking]
    assert keys == sorted(keys)


def test_sensitivity_hand_worked(eng):
    # One clinic case, true diagnosis alpha, symptom present. Estimated numbers used: the
    # clinic priors (0.2/0.8), P(symptom | beta) = 0.25, the symptom's background 0.5 (alpha).
    # Posterior alpha = 0.2 x 0.5 / (0.1 + 0.8 x 0.25) = 1/3: beta leads.
    from kneesci.cases import Case

    case = Case("c", "t", None, "", "clinic", "", "", {"symptom": True}, "alpha", (), "", (), "")
    rows = {(r.file, r.row): r for r in sensitivity_ranking(eng, [case])}
    symptom_beta = rows[("likelihoods/beta.csv", "symptom")]
    # Beta(2.5, 7.5) 80% interval about 0.08-0.43; at 0.08 alpha = 0.1 / (0.1 + 0.064) > 1/2
    assert symptom_beta.low == pytest.approx(0.08, abs=0.02)
    assert symptom_beta.changed_top1 == 1
    assert symptom_beta.cases_using == 1
    # The sign is not observed, so its numbers change nothing.
    assert rows[("likelihoods/alpha.csv", "sign2")].cases_using == 0
    assert rows[("likelihoods/alpha.csv", "sign2")].mean_change == 0
    # The surgery priors belong to another setting.
    assert ("priors.csv", "surgery/alpha") not in rows  # cited, so not ranked
    assert rows[("priors.csv", "clinic/alpha")].cases_using == 1


def test_the_differential_chart_draws_each_bars_interval(kb):
    from kneesci.plots import DifferentialChart

    dx = kb.differential({"slr_positive": True})
    chart = DifferentialChart(kb)
    chart.update(dx)
    assert chart.intervals == dx.intervals(level=0.8, draws=DifferentialChart.DRAWS, seed=0)
    xs, ys = chart.whiskers.get_data()
    first = kb.condition_ids[0]
    assert (xs[0], xs[1]) == chart.intervals[first]  # the first bar's whisker, low to high
    assert "80% intervals" in chart.alt_text


def test_the_chart_can_leave_intervals_out(kb):
    from kneesci.plots import DifferentialChart

    chart = DifferentialChart(kb, show_intervals=False)
    chart.update(kb.differential({}))
    assert not chart.whiskers.get_visible()
    assert chart.intervals == {}
    assert "interval" not in chart.alt_text


def test_the_to_do_list_replaces_only_its_own_section():
    from kneesci.course.library_evaluation import TODO_END, TODO_START, replace_generated_section

    text = f"before\n{TODO_START}\nold list\n{TODO_END}\nafter\n"
    assert replace_generated_section(text, "new list") == (
        f"before\n{TODO_START}\nnew list\n{TODO_END}\nafter\n"
    )
    with pytest.raises(ValueError, match="markers"):
        replace_generated_section("no markers here", "new list")


def test_the_to_do_list_names_file_row_and_interval(eng):
    from kneesci.cases import Case
    from kneesci.course.library_evaluation import evidence_todo_markdown

    case = Case("c", "t", None, "", "clinic", "", "", {"symptom": True}, "alpha", (), "", (), "")
    table = evidence_todo_markdown(sensitivity_ranking(eng, [case]), cases=1, top=2)
    assert "(1 cases)" in table
    assert "| 1 | `likelihoods/beta.csv`: `symptom` | 0.25 |" in table
    assert len(table.splitlines()) == 4 + 2


def test_the_readme_has_the_to_do_markers():
    from kneesci.course.library_evaluation import TODO_END, TODO_START

    readme = (Path(__file__).parent.parent / "data" / "README.md").read_text()
    assert TODO_START in readme and TODO_END in readme


def test_intervals_text_gives_the_leading_conditions(eng):
    from kneesci.uncertainty import intervals_text

    dx = eng.differential({"sign": True}, setting="surgery")
    first = intervals_text(dx, n=1)
    assert first.startswith("Alpha: 75% (80% interval ")
    assert first.count("\n") == 0


def test_banked_and_fresh_draws_agree(eng):
    # 500 draws come from a bank of every number; 4000 are drawn fresh: same distribution.
    dx = eng.differential({"sign": True, "symptom": False}, setting="surgery")
    banked = posterior_draws(dx, draws=500, seed=2)[:, 0]
    fresh = posterior_draws(dx, draws=4000, seed=2)[:, 0]
    assert banked.mean() == pytest.approx(fresh.mean(), abs=0.03)
    assert np.quantile(banked, 0.1) == pytest.approx(np.quantile(fresh, 0.1), abs=0.05)


def test_a_label_inside_a_bar_takes_the_readable_colour():
    from matplotlib.patches import Rectangle

    from kneesci.plots import _text_on

    # Okabe-Ito blue (#0072B2): white 5.0:1 against black 4.2:1; orange (#E69F00): black wins
    assert _text_on(Rectangle((0, 0), 1, 1, color="#0072B2")) == "#FFFFFF"
    assert _text_on(Rectangle((0, 0), 1, 1, color="#E69F00")) == "#000000"
