"""Files saved by a spreadsheet load, or fail with a message that names the cause and the fix.

The Excel-style files are in tests/fixtures/excel/ (see its README); files made from the whole
bundled knowledge base are generated here.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kneesci
from kneesci import DataError
from kneesci.anatomy import Anatomy
from kneesci.cases import load_cases
from kneesci.check import check_folder
from kneesci.knowledge_base import bundled_data_path
from kneesci.reading import GUIDE
from kneesci_testing.data import load_error

EXCEL = Path(__file__).parent / "fixtures" / "excel"
BOM = b"\xef\xbb\xbf"
REPO = Path(__file__).resolve().parent.parent


def put(fixture: str, folder: Path, target: str) -> None:
    """Replace one file of a data folder by an Excel-saved fixture, byte for byte."""
    shutil.copyfile(EXCEL / fixture, folder / target)


def as_csv_utf8(text: str) -> bytes:
    """What Excel's "CSV UTF-8 (Comma delimited)" writes: a byte-order mark and CRLF endings."""
    return BOM + text.replace("\n", "\r\n").encode("utf-8")


def as_european_excel(text: str) -> bytes:
    """A CSV re-saved with semicolons between columns and decimal commas, as Excel does in
    languages that write 0,35."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow(re.sub(r"^(\d*)\.(\d+)$", r"\1,\2", value) for value in row)
    return BOM + out.getvalue().encode("utf-8")


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(bundled_data_path(), target)
    return target


# ------------------------------------------------------------------------ harmless: accepted
def test_bundled_data_saved_as_excel_csv_utf8_loads_unchanged(bundled_copy):
    for path in [*bundled_copy.rglob("*.csv"), *bundled_copy.rglob("*.yaml")]:
        path.write_bytes(as_csv_utf8(path.read_text(encoding="utf-8")))
    kb, bundled = kneesci.load(bundled_copy), kneesci.load()
    assert kb.findings == bundled.findings
    assert kb.references == bundled.references
    assert (kb.table == bundled.table).all()
    assert list(load_cases(kb)) == list(load_cases(bundled))
    anatomy, bundled_anatomy = Anatomy(bundled_copy / "anatomy"), kneesci.anatomy.load()
    assert anatomy.key_points() == bundled_anatomy.key_points()
    assert anatomy.nerves().keys() == bundled_anatomy.nerves().keys()


def test_bom_crlf_spaces_and_empty_rows_load(tiny_copy):
    raw = (EXCEL / "findings-csv-utf8.csv").read_bytes()
    assert raw.startswith(BOM) and b"\r\n" in raw and b" sign ," in raw and raw.endswith(b",\r\n")
    put("findings-csv-utf8.csv", tiny_copy, "findings.csv")
    kb = kneesci.load(tiny_copy)
    assert list(kb.findings) == ["sign", "symptom", "older", "oldest", "alarm"]
    assert kb.findings["sign"].background == 0.1


def test_cr_line_endings_load(tiny_copy):
    assert b"\r" in (EXCEL / "alpha-csv-macintosh.csv").read_bytes()
    put("alpha-csv-macintosh.csv", tiny_copy, "likelihoods/alpha.csv")
    assert kneesci.load(tiny_copy).likelihood("sign", "alpha") == 0.8


def test_a_row_number_stays_the_line_a_spreadsheet_shows(tiny_copy):
    # An empty row 2 is skipped, but the missing source is still reported on line 4.
    header = "setting,condition,probability,source,note\n"
    rows = "\nclinic,alpha,0.2,estimate,x\nclinic,beta,0.8,,x\n"
    (tiny_copy / "priors.csv").write_bytes(as_csv_utf8(header + rows))
    assert load_error(tiny_copy) == (
        "data/priors.csv, line 4 (clinic/beta), field 'source': is empty."
    )


# ------------------------------------------------------------------------ named: what and how
def test_semicolons_and_decimal_commas_are_named(tiny_copy):
    put("priors-european-excel.csv", tiny_copy, "priors.csv")
    message = load_error(tiny_copy)
    assert message.startswith(
        "data/priors.csv, line 1: the columns are separated by semicolons (;), not commas, "
        "and numbers have a decimal comma (0,2 on line 2)."
    )
    assert "decimal point (0.35)" in message
    assert "docs/editing-the-knowledge-base.md" in message


def test_a_bundled_file_saved_by_european_excel_is_named(bundled_copy):
    priors = bundled_copy / "priors.csv"
    priors.write_bytes(as_european_excel(priors.read_text(encoding="utf-8")))
    assert "priors.csv, line 1: the columns are separated by semicolons (;)" in load_error(
        bundled_copy
    )


def test_tab_separated_columns_are_named(tiny_copy):
    settings = tiny_copy / "settings.csv"
    settings.write_text(settings.read_text().replace(",", "\t"))
    assert load_error(tiny_copy).startswith(
        "data/settings.csv, line 1: the columns are separated by tabs, not commas."
    )


def test_a_decimal_comma_is_named_with_line_and_field(tiny_copy):
    put("beta-decimal-comma.csv", tiny_copy, "likelihoods/beta.csv")
    assert load_error(tiny_copy) == (
        "data/likelihoods/beta.csv, line 2 (symptom), field 'probability': '0,25' is not a "
        "number. It has a decimal comma: write 0.25, with a decimal point."
    )


def test_a_percentage_is_named(tiny_copy):
    (tiny_copy / "likelihoods" / "alpha.csv").write_text(
        "finding,probability,source,note\nsign,80%,estimate,x\n"
    )
    assert "'80%' is not a number. Write percentages as a proportion: 0.8, not 80%." in (
        load_error(tiny_copy)
    )


def test_an_unquoted_decimal_comma_is_explained(tiny_copy):
    (tiny_copy / "likelihoods" / "alpha.csv").write_text(
        "finding,probability,source,note\nsign,0,8,estimate,x\n"
    )
    message = load_error(tiny_copy)
    assert message.startswith("data/likelihoods/alpha.csv, line 2: more fields than columns")
    assert "(0.35, not 0,35)" in message


def test_windows_1252_is_named_with_line_byte_and_fix(tiny_copy):
    put("references-csv-windows-1252.csv", tiny_copy, "references.csv")
    assert load_error(tiny_copy) == (
        "data/references.csv, line 3: byte 0xE9 ('é' in Windows-1252) is not UTF-8; the file "
        'was saved in another encoding, such as Excel\'s plain "CSV (Comma delimited)". Save '
        'it again as "CSV UTF-8 (Comma delimited)" (Excel) or as Text CSV with the character '
        'set "Unicode (UTF-8)" (LibreOffice); see docs/editing-the-knowledge-base.md.'
    )


def test_every_line_in_another_encoding_is_counted(bundled_copy):
    references = bundled_copy / "references.csv"
    text = references.read_text(encoding="utf-8")
    saved = text.encode("cp1252", errors="replace")  # a letter cp1252 lacks becomes '?'
    accented = [n for n, line in enumerate(saved.splitlines(), 1) if not line.isascii()]
    assert len(accented) > 3
    references.write_bytes(saved)
    message = load_error(bundled_copy)
    assert message.startswith(f"data/references.csv, line {accented[0]}: byte 0x")
    assert f"(also lines {', '.join(map(str, accented[1:6]))}" in message


def test_excel_unicode_text_is_named(tiny_copy):
    settings = tiny_copy / "settings.csv"
    settings.write_bytes(settings.read_text().replace(",", "\t").encode("utf-16"))  # with its BOM
    assert load_error(tiny_copy).startswith(
        'data/settings.csv, line 1: the file is UTF-16 (Excel\'s "Unicode Text"), not UTF-8.'
    )


def test_a_case_library_in_another_encoding_is_named(tiny, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_bytes("cases:\n  - id: caf\u00e9\n".encode("cp1252"))
    with pytest.raises(DataError, match=r"^cases.yaml, line 2: byte 0xE9 \('é'.*text editor"):
        load_cases(tiny, cases)


def test_a_yaml_tab_is_named_with_its_line(tiny, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n\t- id: x\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^cases.yaml: not valid YAML at line 2, column 1: .*tabs"):
        load_cases(tiny, cases)


# ------------------------------------------------------------------------ python -m kneesci check
def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kneesci", "check", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def test_check_passes_the_bundled_data():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found." in result.stdout
    kb = kneesci.load()
    assert re.search(rf"conditions +{len(kb.conditions)}\n", result.stdout)
    assert re.search(rf"findings +{len(kb.findings)} ", result.stdout)
    counts = kb.provenance_counts
    assert f"({counts['cited']} cited, {counts['estimated']} estimated)" in result.stdout
    assert re.search(rf"cases +{len(load_cases(kb))}", result.stdout)


def break_in_five_places(folder: Path) -> None:
    """Five independent mistakes a lecturer could make in one afternoon."""
    references = folder / "references.csv"
    references.write_bytes(references.read_text(encoding="utf-8").encode("cp1252", "replace"))
    priors = folder / "priors.csv"
    priors.write_bytes(as_european_excel(priors.read_text(encoding="utf-8")))
    stenosis = folder / "likelihoods" / "lumbar_spinal_stenosis.csv"
    text = stenosis.read_text(encoding="utf-8")
    stenosis.write_text(text.replace("\nage_over_65,", "\nage_ovr_65,", 1), encoding="utf-8")
    findings = folder / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(re.sub(r"\n(age_over_50,[^\n]*?),0\.\d+,", r"\n\1,1.5,", text, count=1))
    cases = folder / "cases.yaml"
    text = cases.read_text(encoding="utf-8")
    cases.write_text(text.replace("      slr_positive:", "      slr_postive:", 1), encoding="utf-8")


def test_check_reports_every_problem_of_a_broken_folder_in_one_run(bundled_copy):
    break_in_five_places(bundled_copy)
    result = run_check(str(bundled_copy))
    assert result.returncode == 1
    out = result.stdout
    expected = [
        r"data/references.csv, line \d+: byte 0x[0-9A-F]{2} .* is not UTF-8",
        r"data/findings.csv, line 2 \(age_over_50\), field 'background': 1.5 is not a probability",
        r"data/priors.csv, line 1: the columns are separated by semicolons",
        r"data/likelihoods/lumbar_spinal_stenosis.csv, line \d+ \(\?\), field 'finding': "
        r"unknown finding id 'age_ovr_65'. Did you mean 'age_over_65'",
        r"cases.yaml, case '\w+' \(line \d+\), field 'findings': unknown finding id "
        r"'slr_postive'. Did you mean 'slr_positive'",
    ]
    for pattern in expected:
        assert re.search(pattern, out), f"{pattern!r} not in:\n{out}"
    assert "5 problems:" in out and "5 problems found." in out
    assert "What the data holds (rows with problems left out):" in out


def test_check_does_not_repeat_what_follows_from_a_reported_row(tiny_copy):
    # 'sign' is set aside for its background; likelihoods/alpha.csv, which names it, is not
    # reported for an unknown id.
    findings = tiny_copy / "findings.csv"
    text = findings.read_text()
    findings.write_text(
        text.replace("Twice as telling in alpha.,0.1", "Twice as telling in alpha.,2")
    )
    result = run_check(str(tiny_copy))
    assert result.returncode == 1
    assert "1 problem:" in result.stdout
    assert "unknown finding id 'sign'" not in result.stdout


def test_the_loader_still_stops_at_the_first_problem(bundled_copy):
    break_in_five_places(bundled_copy)
    assert load_error(bundled_copy).startswith("data/references.csv, line ")


def test_check_of_a_missing_folder_fails(tmp_path):
    result = run_check(str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "knowledge-base folder not found" in result.stdout


def test_the_guide_the_messages_point_to_explains_each_problem():
    guide = (REPO / GUIDE).read_text(encoding="utf-8")
    for topic in (
        "CSV UTF-8 (Comma delimited)",
        "semicolons",
        "decimal comma",
        "Windows-1252",
        "LibreOffice",
        "Google Sheets",
        "python -m kneesci check",
        "## Adding a finding",
        "## Adding a case",
    ):
        assert topic in guide, topic


def test_a_file_that_cannot_be_read_is_named_once_not_row_after_row(bundled_copy):
    findings = bundled_copy / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace(",source,note,", ",source,notes,", 1), encoding="utf-8")
    result = check_folder(bundled_copy)
    assert [str(p) for p in result.problems] == [
        "data/findings.csv, line 1: missing column(s) note. Did you mean 'notes'?"
    ]
    assert "Could not read data/findings.csv" in result.notes[0]
