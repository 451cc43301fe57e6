"""The bundled knowledge base: complete against the public vocabulary, every number sourced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

VOCABULARY = (Path(__file__).parent / "vocabulary.md").read_text()


def vocabulary_ids(heading: str) -> list[str]:
    """Ids in the first column of the tables under a level-2 heading of vocabulary.md."""
    section = VOCABULARY.split(f"## {heading}")[1].split("\n## ")[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE)


def test_vocabulary_parsing_finds_every_table():
    assert len(vocabulary_ids("Conditions of the differential")) == 14
    assert len(vocabulary_ids("Findings")) == 91
    assert len(vocabulary_ids("Red flags")) == 7
    assert len(vocabulary_ids("Settings")) == 3


@pytest.mark.parametrize(
    "heading, attribute",
    [
        ("Conditions of the differential", "conditions"),
        ("Red flags", "red_flags"),
        ("Findings", "findings"),
        ("Settings", "settings"),
    ],
)
def test_every_vocabulary_id_is_defined(kb, heading, attribute):
    missing = set(vocabulary_ids(heading)) - set(getattr(kb, attribute))
    assert not missing


def test_findings_carry_the_vocabulary_group(kb):
    section = VOCABULARY.split("## Findings")[1]
    groups = {"History": "history", "Symptoms": "symptom", "Examination": "examination"}
    checked = list(groups.items())
    assert checked, "nothing to check"
    for title, group in checked:
        block = section.split(f"\n{title}")[1].split("\n\n|")[1].split("\n\n")[0]
        for fid in re.findall(r"^\| `([a-z0-9_]+)` \|", "|" + block, flags=re.MULTILINE):
            assert kb.findings[fid].group == group, fid


def test_every_record_has_label_and_description(kb):
    for table in (kb.conditions, kb.findings, kb.settings, kb.red_flags):
        for record in table.values():
            assert record.label.strip() and record.description.strip(), record.id


def test_every_number_names_a_source_or_reason(kb):
    counts = kb.provenance_counts
    assert counts["total"] == counts["cited"] + counts["estimated"]
    assert counts["cited"] > 0
    sources = [f.provenance for f in kb.findings.values()]
    assert all(p.note for p in sources)


def test_cauda_equina_raised_by_either_symptom_with_back_pain(kb):
    # 0.3: a cauda equina feature raises the flag with back or leg pain (GIRFT), not on its own
    for trigger in ("saddle_anaesthesia", "bladder_or_bowel_dysfunction"):
        dx = kb.differential({"low_back_pain": True, trigger: True})
        assert dx.red_flags == ["cauda_equina_syndrome"]
    assert kb.differential({"saddle_anaesthesia": False}).red_flags == []


def test_default_setting_is_primary_care(kb):
    assert kb.differential({}).setting == "primary_care"


def test_bundled_data_loads_from_the_installed_package():
    from kneesci.knowledge_base import bundled_data_path

    assert (bundled_data_path() / "findings.csv").is_file()


def test_data_readme_states_the_current_cited_and_estimated_counts(kb):
    readme = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text()
    match = re.search(
        r"Of the (\d+) numbers in the knowledge base.*?, (\d+) are cited .*?"
        r" and (\d+) are reasoned",
        readme,
        flags=re.DOTALL,
    )
    assert match, "data/README.md no longer states the provenance counts"
    counts = kb.provenance_counts
    assert tuple(map(int, match.groups())) == (
        counts["total"],
        counts["cited"],
        counts["estimated"],
    )
