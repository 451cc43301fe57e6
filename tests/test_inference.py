"""The posterior, explanations and information gain, checked against hand-worked numbers."""

from __future__ import annotations

import math

import pytest

import kneesci
from kneesci import ContradictionError, UnknownIdError

# The tiny knowledge base: priors alpha 0.2, beta 0.8.
# P(sign | alpha) = 0.8, P(sign | beta) = 0.1 (background); P(symptom | alpha) = 0.5, | beta = 0.25.


def test_no_findings_gives_the_priors(tiny):
    dx = tiny.differential({}, setting="clinic")
    assert dx.ranked() == [("beta", pytest.approx(0.8)), ("alpha", pytest.approx(0.2))]


def test_one_present_finding_hand_worked(tiny):
    # alpha: 0.2 * 0.8 = 0.16; beta: 0.8 * 0.1 = 0.08 -> alpha 2/3
    dx = tiny.differential({"sign": True}, setting="clinic")
    assert dx.probability("alpha") == pytest.approx(2 / 3)
    assert dx.top == "alpha"


def test_present_and_absent_findings_hand_worked(tiny):
    # alpha: 0.16 * (1 - 0.5) = 0.08; beta: 0.08 * (1 - 0.25) = 0.06 -> alpha 4/7
    dx = tiny.differential({"sign": True, "symptom": False}, setting="clinic")
    assert dx.probability("alpha") == pytest.approx(4 / 7)
    assert sum(p for _, p in dx.ranked()) == pytest.approx(1.0)


def test_explain_gives_exact_likelihood_ratios(tiny):
    dx = tiny.differential({"sign": True, "symptom": False}, setting="clinic")
    contributions = {c.finding: c for c in dx.explain("alpha")}
    # Only two conditions, so the comparison group is beta alone: LR = P(f|alpha) / P(f|beta).
    assert contributions["sign"].likelihood_ratio == pytest.approx(0.8 / 0.1)
    assert contributions["symptom"].likelihood_ratio == pytest.approx(0.5 / 0.75)
    assert contributions["symptom"].present is False
    assert contributions["sign"].log_odds == pytest.approx(math.log(8))
    total = math.log(8) + abs(math.log(0.5 / 0.75))
    assert contributions["sign"].share == pytest.approx(math.log(8) / total)
    assert [c.finding for c in dx.explain("alpha")] == ["sign", "symptom"]  # biggest first


def test_explain_ratio_recovers_posterior_odds(kb):
    findings = {"knee_pain": True, "femoral_nerve_stretch_positive": True, "slr_positive": False}
    dx = kb.differential(findings)
    checked = list(dx.explain("l3_radiculopathy"))
    assert checked, "nothing to check"
    for contribution in checked:
        rest = {f: v for f, v in findings.items() if f != contribution.finding}
        before = kb.differential(rest).probability("l3_radiculopathy")
        after = dx.probability("l3_radiculopathy")
        assert after / (1 - after) == pytest.approx(
            before / (1 - before) * contribution.likelihood_ratio
        )


def test_explain_defaults_to_the_leading_condition(tiny):
    dx = tiny.differential({"sign": True}, setting="clinic")
    assert dx.explain() == dx.explain("alpha")


def test_information_gain_hand_worked(tiny):
    dx = tiny.differential({}, setting="clinic")
    h = -(0.2 * math.log2(0.2) + 0.8 * math.log2(0.8))
    p_yes = 0.2 * 0.8 + 0.8 * 0.1
    post_yes = [0.16 / p_yes, 0.08 / p_yes]
    post_no = [0.04 / (1 - p_yes), 0.72 / (1 - p_yes)]

    def entropy(ps):
        return -sum(p * math.log2(p) for p in ps)

    expected = h - p_yes * entropy(post_yes) - (1 - p_yes) * entropy(post_no)
    assert dx.information_gain()["sign"] == pytest.approx(expected)
    # a finding equally likely in both conditions tells nothing
    assert dx.information_gain()["older"] == pytest.approx(0.0, abs=1e-12)
    assert dx.next_questions(1)[0][0] == "sign"


def test_next_questions_skip_asked_and_implied_findings(tiny):
    dx = tiny.differential({"oldest": True}, setting="clinic")
    asked = dict(dx.next_questions(None))
    assert "oldest" not in asked and "older" not in asked


def test_red_flag_raised_whatever_the_ranking(tiny):
    dx = tiny.differential({"alarm": True, "sign": False}, setting="clinic")
    assert dx.red_flags == ["danger"]
    assert tiny.differential({"alarm": False}, setting="clinic").red_flags == []


def test_unknown_finding_names_nearest_ids(kb):
    with pytest.raises(UnknownIdError) as info:
        kb.differential({"slr_positve": True})
    assert isinstance(info.value, KeyError)
    assert str(info.value).startswith(
        "Unknown finding id 'slr_positve'. Did you mean 'slr_positive', "
    )
    assert info.value.suggestions[0] == "slr_positive"


def test_unknown_setting_names_nearest_ids(kb):
    with pytest.raises(UnknownIdError, match="Unknown setting id 'spine'.*'spine_clinic'"):
        kb.differential({}, setting="spine")


@pytest.mark.parametrize("value", [1, "yes", None, 0.5])
def test_non_boolean_value_is_a_type_error(kb, value):
    with pytest.raises(TypeError, match="'knee_pain' must be True \\(present\\) or False"):
        kb.differential({"knee_pain": value})


def test_findings_must_be_a_mapping(kb):
    with pytest.raises(TypeError, match="must be a mapping"):
        kb.differential(["knee_pain"])


def test_contradiction_names_both_findings(kb):
    with pytest.raises(ContradictionError) as info:
        kb.differential({"age_over_65": True, "age_over_50": False})
    assert info.value.findings == ("age_over_65", "age_over_50")
    assert "'age_over_65' is present, which implies 'age_over_50'" in str(info.value)


def test_an_implied_finding_is_not_counted_twice(tiny_copy):
    # oldest implies older; make older telling (0.8 in alpha vs 0.4) so double counting would show
    with (tiny_copy / "likelihoods" / "alpha.csv").open("a") as f:
        f.write("older,0.8,estimate,test\n")
    tiny = kneesci.load(tiny_copy)
    alone = tiny.differential({"oldest": True}, setting="clinic")
    both = tiny.differential({"oldest": True, "older": True}, setting="clinic")
    assert both.ranked() == alone.ranked()
    young = tiny.differential({"older": False}, setting="clinic")
    young_both = tiny.differential({"older": False, "oldest": False}, setting="clinic")
    assert young_both.ranked() == young.ranked()
    assert [c.finding for c in young_both.explain("alpha")] == ["older"]


def test_age_bands_count_once_in_the_bundled_knowledge_base(kb):
    over_65 = kb.differential({"age_over_65": True, "age_over_50": True})
    assert over_65.ranked() == kb.differential({"age_over_65": True}).ranked()


def test_post_test_hand_worked(tiny):
    result = tiny.post_test("alpha", "sign", setting="clinic")
    assert result.pretest == pytest.approx(0.2)
    assert result.sensitivity == pytest.approx(0.8)
    assert result.specificity == pytest.approx(0.9)
    assert result.likelihood_ratio == pytest.approx(8.0)
    assert result.posttest == pytest.approx(2 / 3)  # agrees with the full differential
    negative = tiny.post_test("alpha", "sign", present=False, setting="clinic")
    assert negative.likelihood_ratio == pytest.approx(0.2 / 0.9)


def test_post_test_probability_formula():
    assert kneesci.post_test_probability(0.5, 1.0) == pytest.approx(0.5)
    assert kneesci.post_test_probability(0.1, 9.0) == pytest.approx(0.5)


def test_all_findings_at_once_stay_finite(kb):
    for value in (True, False):
        findings = {f: value for f in kb.findings}
        dx = kb.differential(findings)
        probabilities = [p for _, p in dx.ranked()]
        assert all(math.isfinite(p) for p in probabilities)
        assert sum(probabilities) == pytest.approx(1.0)
