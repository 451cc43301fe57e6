"""Evidence weights, setting-specific figures (spectrum) and correlated findings.

The fixture `tests/fixtures/engine` has two conditions (alpha, beta) and two settings: `clinic`
reads the base files; `surgery` has its own rows in spectrum.csv:
  P(sign | alpha):   clinic 0.8 (alpha.csv)        surgery 0.9 (spectrum row for alpha)
  P(sign | beta):    clinic 0.1 (background)       surgery 0.3 (spectrum background)
  P(symptom | beta): 0.25 in both (beta.csv beats the spectrum background)
  P(symptom | alpha): clinic 0.5 (background)      surgery 0.6 (spectrum background)
Priors: clinic alpha 0.2 / beta 0.8; surgery 0.5 / 0.5.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kneesci
from kneesci_testing.data import edit, load_error

ENGINE = Path(__file__).parent / "fixtures" / "engine"


@pytest.fixture(scope="module")
def eng() -> kneesci.KnowledgeBase:
    return kneesci.load(ENGINE)


@pytest.fixture
def eng_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ENGINE, target)
    return target


# --- the n column ---------------------------------------------------------------------------------
def test_cited_numbers_carry_their_n(eng):
    assert eng.findings["sign"].n == 50
    assert eng.number_for("sign", "alpha", "clinic").estimate.n == 20
    assert eng.prior_estimate("alpha", "surgery").n == 100


def test_estimates_have_no_n(eng):
    assert eng.findings["symptom"].n is None
    assert eng.prior_estimate("alpha", "clinic").n is None


def test_the_n_column_is_optional(tiny):
    assert tiny.findings["sign"].n is None


@pytest.mark.parametrize("bad", ["0", "2.5", "-3", "many"])
def test_n_must_be_a_whole_number_of_patients(eng_copy, bad):
    edit(eng_copy / "likelihoods" / "alpha.csv", "sign,0.8,20,", f"sign,0.8,{bad},", count=1)
    message = load_error(eng_copy)
    assert "likelihoods/alpha.csv, line 2 (sign), field 'n'" in message


def test_an_estimate_with_n_is_an_error(eng_copy):
    edit(eng_copy / "likelihoods" / "alpha.csv", "sign2,0.6,,", "sign2,0.6,30,", count=1)
    assert "field 'n': an estimate has no patients behind it" in load_error(eng_copy)


# --- spectrum.csv -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "finding, condition, setting, expected",
    [
        ("sign", "alpha", "surgery", 0.9),  # 1. the setting's own row for the condition
        ("symptom", "beta", "surgery", 0.25),  # 2. own row beats spectrum background
        ("sign", "beta", "surgery", 0.3),  # 3. the setting's background
        ("sign2", "beta", "surgery", 0.3),  # 4. the finding's background
        ("symptom", "alpha", "surgery", 0.6),
        ("sign", "alpha", "clinic", 0.8),
        ("sign", "beta", "clinic", 0.1),
    ],
)
def test_likelihood_resolution_order(eng, finding, condition, setting, expected):
    assert eng.likelihood(finding, condition, setting=setting) == expected


def test_likelihood_source_follows_the_same_order(eng):
    assert eng.number_for("sign", "alpha", "surgery").name == "spectrum.csv: surgery/alpha/sign"
    assert eng.likelihood_source("sign", "alpha", "surgery").note.endswith("(40 operated patients)")
    assert eng.likelihood_source("sign", "beta", "surgery").is_estimate
    assert eng.number_for("sign", "beta", "clinic").name == "findings.csv: sign"


def test_setting_tables_are_read_only(eng):
    with pytest.raises(ValueError):
        eng.table_for("surgery")[0, 0] = 0.5


def test_post_test_uses_the_settings_figures(eng):
    # surgery: sensitivity 0.9, false-positive rate 0.3 -> LR+ 3; pre-test 0.5 -> odds 1 x 3 = 3
    surgical = eng.post_test("alpha", "sign", present=True, setting="surgery")
    assert surgical.sensitivity == pytest.approx(0.9)
    assert surgical.specificity == pytest.approx(0.7)
    assert surgical.likelihood_ratio == pytest.approx(3.0)
    assert surgical.posttest == pytest.approx(0.75)
    # clinic: 0.8 / 0.1 = LR+ 8; pre-test 0.2 -> odds 0.25 x 8 = 2 -> 2/3
    clinic = eng.post_test("alpha", "sign", present=True, setting="clinic")
    assert clinic.likelihood_ratio == pytest.approx(8.0)
    assert clinic.posttest == pytest.approx(2 / 3)


def test_differential_uses_the_settings_figures(eng):
    # surgery, symptom present: alpha 0.5 x 0.6 = 0.30, beta 0.5 x 0.25 = 0.125 -> 0.30/0.425
    dx = eng.differential({"symptom": True}, setting="surgery")
    assert dx.probability("alpha") == pytest.approx(0.30 / 0.425)


def test_explain_uses_the_settings_figures(eng):
    (only,) = eng.differential({"sign": True}, setting="surgery").explain("alpha")
    assert only.likelihood_ratio == pytest.approx(3.0)


def test_information_gain_uses_the_settings_figures(eng):
    # Priors 0.5/0.5. Sign 0.9 vs 0.3: P(yes) = 0.6, P(alpha | yes) = 0.75, P(alpha | no) = 0.125;
    # gain = 1 - 0.6 H(0.75) - 0.4 H(0.125) = 1 - 0.6 x 0.8113 - 0.4 x 0.5436 = 0.2958 bits.
    gains = eng.differential({}, setting="surgery").information_gain()
    assert gains["sign"] == pytest.approx(0.2958, abs=1e-4)
    # With the clinic's 0.8 vs 0.1 the same question is worth something else.
    clinic = eng.differential({}, setting="clinic").information_gain()
    assert clinic["sign"] != pytest.approx(gains["sign"], abs=1e-3)


def test_spectrum_is_optional(tiny):
    assert tiny.likelihood("sign", "alpha") == 0.8


@pytest.mark.parametrize(
    "old, new, problem",
    [
        ("surgery,alpha,sign,0.9", "theatre,alpha,sign,0.9", "field 'setting': unknown setting"),
        ("surgery,alpha,sign,0.9", "surgery,gamma,sign,0.9", "field 'condition': unknown"),
        ("surgery,alpha,sign,0.9", "surgery,alpha,sing,0.9", "Did you mean 'sign'"),
        ("surgery,alpha,sign,0.9", "surgery,alpha,sign,1.9", "field 'probability'"),
        (",40,nice_ng59,", ",40,unknown_key,", "field 'source': reference key"),
        (",40,nice_ng59,", ",40.5,nice_ng59,", "field 'n'"),
        ("surgery,background,sign,0.3", "surgery,alpha,sign,0.3", "duplicate row"),
    ],
)
def test_spectrum_rows_are_validated(eng_copy, old, new, problem):
    edit(eng_copy / "spectrum.csv", old, new, count=1)
    message = load_error(eng_copy)
    assert message.startswith("data/spectrum.csv, line ")
    assert problem in message


# --- correlated findings (finding_groups.csv) ---------------------------------------------------
def test_a_correlated_pair_counts_once(eng):
    # clinic, sign and sign2 both present. Spread of log P(present | condition) across conditions:
    # sign log(0.8/0.1) = 2.08, sign2 log(0.6/0.3) = 0.69, so only the sign counts:
    # alpha 0.2 x 0.8 = 0.16, beta 0.8 x 0.1 = 0.08 -> alpha 2/3 (both counted it would be 0.8).
    dx = eng.differential({"sign": True, "sign2": True}, setting="clinic")
    assert dx.probability("alpha") == pytest.approx(2 / 3)
    assert dx.set_aside == {"sign2": "same_structure"}
    assert list(dx.counted) == ["sign"]


def test_the_strongest_answer_counts_even_when_absent(eng):
    # sign absent: log(0.2/0.9) spread 1.50; sign2 present: 0.69 -> the absent sign counts.
    # alpha 0.2 x 0.2 = 0.04, beta 0.8 x 0.9 = 0.72 -> alpha 0.04/0.76
    dx = eng.differential({"sign": False, "sign2": True}, setting="clinic")
    assert dx.set_aside == {"sign2": "same_structure"}
    assert dx.probability("alpha") == pytest.approx(0.04 / 0.76)


def test_one_finding_of_a_group_counts_normally(eng):
    dx = eng.differential({"sign2": True}, setting="clinic")
    # alpha 0.2 x 0.6 = 0.12, beta 0.8 x 0.3 = 0.24 -> 1/3
    assert dx.probability("alpha") == pytest.approx(1 / 3)
    assert dx.set_aside == {}


def test_a_group_already_answered_is_not_suggested_again(eng):
    gains = eng.differential({"sign": True}, setting="clinic").information_gain()
    assert "sign2" not in gains
    assert "symptom" in gains


@pytest.mark.parametrize(
    "old, new, problem",
    [
        ("sign sign2,strongest", "sign sing,strongest", "unknown finding id 'sing'"),
        ("sign sign2,strongest", "sign,strongest", "a group needs two or more findings"),
        ("sign sign2,strongest", "sign sign2,average", "'average' is not one of strongest"),
    ],
)
def test_finding_groups_are_validated(eng_copy, old, new, problem):
    edit(eng_copy / "finding_groups.csv", old, new, count=1)
    message = load_error(eng_copy)
    assert message.startswith("data/finding_groups.csv, line 2 (same_structure)")
    assert problem in message


def test_a_finding_joins_one_group(eng_copy):
    with (eng_copy / "finding_groups.csv").open("a") as f:
        f.write("again,sign symptom,strongest,estimate,overlaps the first group\n")
    assert "'sign' is already in group 'same_structure'" in load_error(eng_copy)


def test_the_bundled_sciatic_tension_tests_form_one_group(kb):
    group = kb.group_of("slr_positive")
    assert group is not None and group.rule == "strongest"
    assert {"slump_positive", "crossed_slr_positive"} <= set(group.findings)
    dx = kb.differential({"slr_positive": True, "slump_positive": True})
    assert len(dx.set_aside) == 1


# --- teaching views of spectrum and correlation --------------------------------------------------
def test_accuracy_by_setting_hand_worked(eng):
    from kneesci.spectrum import accuracy_by_setting

    clinic, surgery = accuracy_by_setting(eng, "alpha", "sign")
    # clinic: sens 0.8, spec 0.9 -> LR+ 8, LR- 0.2/0.9; surgery: sens 0.9, spec 0.7 -> 3, 0.1/0.7
    assert (clinic.setting, clinic.lr_positive) == ("clinic", pytest.approx(8.0))
    assert clinic.lr_negative == pytest.approx(0.2 / 0.9)
    assert (surgery.sensitivity, surgery.specificity) == (pytest.approx(0.9), pytest.approx(0.7))
    assert surgery.lr_negative == pytest.approx(0.1 / 0.7)
    assert surgery.source.name == "spectrum.csv: surgery/alpha/sign"


def test_accuracy_by_setting_text_names_each_source_once(eng):
    from kneesci.spectrum import accuracy_by_setting_text

    text = accuracy_by_setting_text(eng, "alpha", "sign")
    assert "Clinic: sensitivity 0.80, specificity 0.90, LR+ 8.0, LR- 0.22" in text
    assert "Surgery: sensitivity 0.90, specificity 0.70, LR+ 3.0, LR- 0.14" in text
    assert text.count("(40 operated patients)") == 1


def test_the_naive_model_can_still_be_shown(eng):
    # Both counted: alpha 0.2 x 0.8 x 0.6 = 0.096, beta 0.8 x 0.1 x 0.3 = 0.024 -> 0.8
    naive = eng.differential({"sign": True, "sign2": True}, "clinic", count_groups_once=False)
    assert naive.set_aside == {}
    assert naive.probability("alpha") == pytest.approx(0.8)


@pytest.mark.parametrize("setting", ["primary_care", "spine_clinic", "primary_care_leg_pain"])
def test_the_pair_view_agrees_with_the_full_differential_in_every_setting(kb, setting):
    from kneesci.compare import pair_posterior

    findings = {"slr_positive": True, "slump_positive": True, "low_back_pain": True}
    dx = kb.differential(findings, setting)
    pair = pair_posterior(kb, "l5_radiculopathy", "facet_joint_pain", findings, setting)
    ratio = dx.probability("l5_radiculopathy") / dx.probability("facet_joint_pain")
    assert pair.posterior_odds == pytest.approx(ratio)
