"""The pre-test probabilities of the bundled knowledge base: each one shows where it comes from.

A cited prior carries its derivation in the note (the published figure, the cohort size and the
arithmetic that gives the row's value); an estimated prior names the cohorts that were searched and
says why none gives that setting's mix of diagnoses (data/README.md, "Pre-test probabilities").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

PERCENT = re.compile(r"\d+(?:\.\d+)?%")


def _priors(kb, cited: bool):
    rows = []
    for setting in kb.settings:
        for condition in kb.condition_ids:
            est = kb.prior_estimate(condition, setting)
            if est.provenance.is_estimate != cited:
                rows.append((setting, condition, est))
    return rows


@pytest.fixture(scope="module")
def data_folder(kb) -> Path:
    from kneesci.knowledge_base import bundled_data_path

    return bundled_data_path()


def test_every_cited_prior_states_its_derivation(kb):
    cited = _priors(kb, cited=True)
    assert len(cited) >= 3, "the cited priors went missing"
    for setting, condition, est in cited:
        where = f"{setting}/{condition}"
        note = est.provenance.note
        assert est.n is not None, f"{where}: a cited prior needs the cohort size in n"
        assert f"n = {est.n}" in note, f"{where}: the note does not state n = {est.n}"
        assert PERCENT.search(note), f"{where}: the note quotes no published share"
        assert f"= {est.value:g}" in note, f"{where}: the note does not arrive at {est.value:g}"
        assert set(est.provenance.keys) <= set(kb.references), where


def test_every_estimated_prior_names_the_cohorts_searched(kb):
    estimated = _priors(kb, cited=False)
    assert len(estimated) >= 1
    for setting, condition, est in estimated:
        where = f"{setting}/{condition}"
        note = est.provenance.note.lower()
        assert est.n is None, f"{where}: an estimate has no n"
        assert "cohorts searched" in note, f"{where}: the note names no cohort searched"
        assert "none" in note, f"{where}: the note does not say why no cohort fits"


def test_every_prior_has_an_up_to_date_decision(kb, data_folder):
    latest: dict[str, float] = {}
    with (data_folder / "evidence_decisions.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["file"] == "priors.csv":
                latest[row["row"]] = float(row["new_value"])
    checked = 0
    for setting in kb.settings:
        for condition in kb.condition_ids:
            where = f"{setting}/{condition}"
            assert where in latest, f"{where} has no row in evidence_decisions.csv"
            assert latest[where] == pytest.approx(kb.prior(condition, setting)), where
            checked += 1
    assert checked == len(kb.settings) * len(kb.condition_ids)


def test_back_related_leg_pain_keeps_the_atlas_radicular_share(kb):
    # ATLAS: 74.2% of 609 clinically radicular; the five radicular rows carry that share, divided
    # by the setting's renormalisation factor (the raw shares sum to 1.00096).
    radicular = (
        "l3_radiculopathy",
        "l4_radiculopathy",
        "l5_radiculopathy",
        "s1_radiculopathy",
        "lumbar_spinal_stenosis",
    )
    total = sum(kb.prior(c, "primary_care_leg_pain") for c in radicular)
    assert total == pytest.approx(0.742 / 1.00096, abs=2e-4)
