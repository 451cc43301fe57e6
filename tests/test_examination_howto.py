"""Every examination finding says how to perform it, with a reference (read with kb.how_to)."""

from __future__ import annotations

from pathlib import Path

import pytest

import kneesci
from kneesci import DataError


def examination_findings(kb: kneesci.KnowledgeBase) -> list[str]:
    return [fid for fid, f in kb.findings.items() if f.group == "examination"]


def test_every_examination_finding_has_a_how_to_with_a_reference(kb):
    checked = list(examination_findings(kb))
    assert checked, "nothing to check"
    for fid in checked:
        how = kb.how_to(fid)
        assert how is not None, fid
        assert len(how.how_to.split()) >= 8, fid
        assert all(key in kb.references for key in how.keys), fid


def test_history_and_symptom_findings_have_no_how_to(kb):
    assert kb.how_to("diabetes") is None
    assert kb.how_to("knee_pain") is None


def test_how_to_checks_the_finding_id(kb):
    with pytest.raises(kneesci.UnknownIdError, match="slr_positive"):
        kb.how_to("slr_positve")


def test_the_sij_how_to_states_laslett_rule(kb):
    text = kb.how_to("sij_provocation_cluster_positive").how_to
    assert "3 or more of the 6" in text and "2 or more of the first four" in text


def test_the_abi_how_to_warns_about_calcified_arteries(kb):
    assert "calcified" in kb.how_to("abi_below_0_9").how_to


def write_howto(folder: Path, row: str) -> None:
    (folder / "examination_howto.csv").write_text("finding,how_to,source,note\n" + row + "\n")


def test_a_folder_without_the_file_loads_with_no_how_tos(tiny):
    assert tiny.how_tos == {}


def test_unknown_finding_is_named_with_file_and_line(tiny_copy):
    write_howto(tiny_copy, "sgn,Press here,nice_ng59,")
    with pytest.raises(DataError, match=r"examination_howto.csv, line 2 .*'sgn'"):
        kneesci.load(tiny_copy)


def test_a_how_to_for_a_history_item_is_rejected(tiny_copy):
    kb = kneesci.load(tiny_copy)
    history = next(f for f, x in kb.findings.items() if x.group != "examination")
    write_howto(tiny_copy, f"{history},Ask about it,nice_ng59,")
    with pytest.raises(DataError, match="not examination"):
        kneesci.load(tiny_copy)


def test_an_unknown_reference_key_is_rejected(tiny_copy):
    write_howto(tiny_copy, "sign,Press firmly over the joint and compare sides,nosuchkey,")
    with pytest.raises(DataError, match="nosuchkey"):
        kneesci.load(tiny_copy)
