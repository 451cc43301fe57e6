"""Loading checks every file and names file, line and field when something is wrong."""

from __future__ import annotations

import re

from kneesci_testing.data import edit, load_error


def test_tiny_knowledge_base_loads(tiny):
    assert list(tiny.conditions) == ["alpha", "beta"]
    assert tiny.findings["sign"].group == "examination"
    assert tiny.red_flags["danger"].label == "Danger"
    (rule,) = tiny.red_flag_rules
    assert (rule.flag, rule.level, rule.all_of) == ("danger", "immediate", ("alarm",))


def test_probability_outside_0_1_names_file_line_and_field(tiny_copy):
    edit(
        tiny_copy / "findings.csv",
        "sign,A sign,examination,Twice as telling in alpha.,0.1",
        "sign,A sign,examination,Twice as telling in alpha.,1.2",
    )
    message = load_error(tiny_copy)
    assert message == (
        "data/findings.csv, line 2 (sign), field 'background': "
        "1.2 is not a probability strictly between 0 and 1."
    )


def test_zero_probability_is_rejected(tiny_copy):
    edit(tiny_copy / "likelihoods" / "alpha.csv", "sign,0.8", "sign,0")
    assert "likelihoods/alpha.csv, line 2 (sign), field 'probability': 0 is not" in load_error(
        tiny_copy
    )


def test_not_a_number_is_rejected(tiny_copy):
    edit(tiny_copy / "likelihoods" / "alpha.csv", "sign,0.8", "sign,high")
    assert "field 'probability': 'high' is not a number." in load_error(tiny_copy)


def test_unknown_finding_in_likelihood_file_suggests_nearest(tiny_copy):
    edit(tiny_copy / "likelihoods" / "alpha.csv", "sign,0.8", "sing,0.8")
    message = load_error(tiny_copy)
    assert "likelihoods/alpha.csv, line 2" in message
    assert "unknown finding id 'sing'. Did you mean 'sign'?" in message


def test_likelihood_file_for_unknown_condition(tiny_copy):
    (tiny_copy / "likelihoods" / "gamma.csv").write_text("finding,probability,source,note\n")
    assert "file name 'gamma' is not a condition id" in load_error(tiny_copy)


def test_duplicate_finding_id(tiny_copy):
    with (tiny_copy / "findings.csv").open("a") as f:
        f.write("sign,Again,examination,Duplicate.,0.1,estimate,dup\n")
    assert (
        load_error(tiny_copy)
        == "data/findings.csv, line 7 (sign), field 'id': duplicate id 'sign'."
    )


def test_duplicate_likelihood_row(tiny_copy):
    with (tiny_copy / "likelihoods" / "alpha.csv").open("a") as f:
        f.write("sign,0.7,estimate,again\n")
    assert "duplicate row for 'sign'" in load_error(tiny_copy)


def test_missing_provenance_note(tiny_copy):
    edit(
        tiny_copy / "likelihoods" / "beta.csv",
        "symptom,0.25,estimate,hand-worked example",
        "symptom,0.25,estimate,",
    )
    message = load_error(tiny_copy)
    assert "likelihoods/beta.csv, line 2 (symptom), field 'note': is empty" in message
    assert "an estimate needs its reason" in message


def test_missing_source(tiny_copy):
    edit(tiny_copy / "priors.csv", "clinic,beta,0.8,estimate", "clinic,beta,0.8,")
    assert "priors.csv, line 3 (clinic/beta), field 'source': is empty." in load_error(tiny_copy)


def test_unknown_reference_key(tiny_copy):
    edit(tiny_copy / "findings.csv", "0.5,nice_ng59,", "0.5,nice_ng95,")
    message = load_error(tiny_copy)
    assert "findings.csv, line 3 (symptom), field 'source'" in message
    assert "reference key 'nice_ng95' is not in references.csv" in message


def test_priors_must_sum_to_one(tiny_copy):
    edit(tiny_copy / "priors.csv", "clinic,beta,0.8", "clinic,beta,0.7")
    message = load_error(tiny_copy)
    assert "priors for setting 'clinic' sum to 0.900000, not 1" in message


def test_every_condition_needs_a_prior(tiny_copy):
    edit(tiny_copy / "priors.csv", "clinic,beta,0.8,estimate,hand-worked example\n", "")
    edit(tiny_copy / "priors.csv", "clinic,alpha,0.2", "clinic,alpha,0.5")
    assert "setting 'clinic' has no prior for beta" in load_error(tiny_copy)


def test_unknown_setting_in_priors(tiny_copy):
    edit(tiny_copy / "priors.csv", "clinic,beta", "clinc,beta")
    assert "unknown setting id 'clinc'. Did you mean 'clinic'?" in load_error(tiny_copy)


def test_bad_finding_group(tiny_copy):
    edit(tiny_copy / "findings.csv", "older,Over 50,history", "older,Over 50,past")
    assert "field 'group': 'past' is not one of history, symptom, examination" in load_error(
        tiny_copy
    )


def test_red_flag_rule_finding_must_be_known(tiny_copy):
    edit(tiny_copy / "red_flag_rules.csv", "immediate,alarm,", "immediate,alarm alrm,")
    assert (
        "red_flag_rules.csv, line 2 (danger), field 'all_of': unknown finding or term id 'alrm'."
        " Did you mean 'alarm'?"
    ) in load_error(tiny_copy)


def test_missing_column(tiny_copy):
    edit(tiny_copy / "findings.csv", "background,source,note", "background,source")
    assert re.search(r"findings.csv, line 1: missing column\(s\) note", load_error(tiny_copy))


def test_missing_file(tiny_copy):
    (tiny_copy / "settings.csv").unlink()
    assert load_error(tiny_copy) == "data/settings.csv: file is missing."


def test_missing_folder(tmp_path):
    assert "knowledge-base folder not found" in load_error(tmp_path / "nowhere")
