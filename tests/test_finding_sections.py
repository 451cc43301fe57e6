"""data/finding_sections.csv: the sections History and Examination are shown in."""

from __future__ import annotations

from pathlib import Path

import pytest

import kneesci
from kneesci import DataError


def write_sections(folder: Path, *rows: str) -> None:
    (folder / "finding_sections.csv").write_text("finding,section\n" + "\n".join(rows) + "\n")


def test_every_history_and_examination_finding_has_a_section(kb):
    sectioned = {f for f, x in kb.findings.items() if x.group in ("history", "examination")}
    assert set(kb.finding_sections) == sectioned
    assert "Reflexes" in kb.finding_sections.values()
    assert kb.finding_sections["patellar_reflex_reduced"] == "Reflexes"


def test_the_file_is_optional(tiny):
    assert tiny.finding_sections == {}


def test_sections_are_read_in_file_order(tiny_copy):
    write_sections(tiny_copy, "sign,Special tests")
    assert kneesci.load(tiny_copy).finding_sections == {"sign": "Special tests"}


def test_an_unknown_finding_is_named_with_file_and_line(tiny_copy):
    write_sections(tiny_copy, "sgn,Special tests")
    with pytest.raises(DataError, match=r"finding_sections.csv, line 2 .*'sgn'"):
        kneesci.load(tiny_copy)


def test_a_finding_listed_twice_is_refused(tiny_copy):
    write_sections(tiny_copy, "sign,Special tests", "sign,Reflexes")
    with pytest.raises(DataError, match=r"line 3 \(sign\).*duplicate row"):
        kneesci.load(tiny_copy)


def test_a_section_without_a_name_is_refused(tiny_copy):
    write_sections(tiny_copy, "sign,")
    with pytest.raises(DataError, match=r"line 2 \(sign\), field 'section'"):
        kneesci.load(tiny_copy)


def test_a_section_keeps_to_one_group(tiny_copy):
    write_sections(tiny_copy, "sign,Mixed", "older,Mixed")
    with pytest.raises(DataError, match=r"line 3 \(older\).*'Mixed' holds examination findings"):
        kneesci.load(tiny_copy)
