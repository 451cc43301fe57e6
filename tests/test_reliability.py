"""Nothing lost, every bad input named: progress, the data check and the API's edges.

One test (or a few) per item of the 0.2 reliability review that concerns data and errors: progress
with two sessions open (7), a commit that cannot be saved (8), hidden-answer games scored when
revealed (9), repeated YAML keys (10), a gutted model the check must catch (11), crashes turned
into named errors (12) and unclear errors made clear (13).
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kneesci
from kneesci import DataError
from kneesci.cases import load_cases
from kneesci.check import check_folder, main
from kneesci.errors import ContradictionError, UnknownIdError
from kneesci.exercises import load_specs
from kneesci.game import Game, ScoreSheet, practice_game
from kneesci.knowledge_base import bundled_data_path
from kneesci.progress import Progress, ProgressNotSavedError, class_summary

ROOT = Path(__file__).resolve().parent.parent
HIP_CASE = "hip_oa_after_knee_replacement"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder, for breaking one file at a time."""
    target = tmp_path / "data"
    shutil.copytree(bundled_data_path(), target)
    return target


@pytest.fixture(scope="module")
def hip_feedback(kb):
    """(a right answer, a wrong one) on one library case, ready to record."""
    case = load_cases(kb)[HIP_CASE]
    return Game(case, kb).commit("hip_osteoarthritis"), Game(case, kb).commit("knee_osteoarthritis")


def check_output(folder: Path) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["check", str(folder)], out=out)
    return status, out.getvalue()


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), "utf-8")


def deny(monkeypatch, path: Path) -> None:
    """Make one file unreadable, as chmod 000 would (root ignores file modes, so patch the read)."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


# --- 7. progress with two sessions open ---------------------------------------------------------
WORKER = textwrap.dedent(
    """
    import sys
    import kneesci
    from kneesci.cases import load_cases
    from kneesci.game import Game
    from kneesci.progress import Progress

    path, answer, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    kb = kneesci.load()
    feedback = Game(load_cases(kb)["hip_oa_after_knee_replacement"], kb).commit(answer)
    print("ready", flush=True)
    sys.stdin.readline()  # both processes start committing together
    for _ in range(n):
        Progress.open(path).record(feedback)
    print("done", flush=True)
    """
)


def test_item_7_two_processes_committing_keep_every_game(tmp_path):
    path = tmp_path / "progress.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    answers = {"hip_osteoarthritis": 100, "knee_osteoarthritis": 100}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), answer, str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for answer, n in answers.items()
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        assert out.strip() == "done"
    rows = json.loads(path.read_text())["rows"]
    kept = {a: sum(r["committed"] == a for r in rows) for a in answers}
    assert kept == answers, "every game of both processes is in the file"
    assert not list(tmp_path.glob("*.partial")), "no temporary file is left behind"


def test_item_7_two_tabs_in_one_process_keep_every_game(tmp_path, hip_feedback):
    right, wrong = hip_feedback
    path = tmp_path / "progress.json"
    tab1, tab2 = Progress.open(path), Progress.open(path)
    for number in range(5):  # interleaved, each tab with its own sheet in memory
        (tab1 if number % 2 else tab2).record(right if number % 2 else wrong)
    tab1.record(right)
    assert len(Progress.open(path).sheet.rows) == 6
    assert len(tab1.sheet.rows) == 6, "a tab's sheet shows the other tab's games after a save"


# --- 8. a commit that cannot be saved -----------------------------------------------------------
def _commit_in_widget(kb, store: Progress):
    from kneesci.widgets.game import DiagnosticGame

    widget = DiagnosticGame(kb, case_id=HIP_CASE, progress=store)
    widget.answer_picker.value = "hip_osteoarthritis"
    widget.commit_button.click()
    return widget


def test_item_8_a_read_only_folder_tells_the_student_the_game_was_not_saved(
    kb, tmp_path, monkeypatch
):
    folder = tmp_path / "kneesci"
    folder.mkdir()
    store = Progress.open(folder / "progress.json")
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anyway: make the write fail as it would for a student
        import kneesci.progress

        def refused(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(kneesci.progress.tempfile, "mkstemp", refused)
    try:
        widget = _commit_in_widget(kb, store)
        shown = widget.feedback_panel.value
        assert "This game was not saved" in shown
        assert "read-only" in shown and "export" in shown
        assert len(store.sheet.rows) == 1, "the game is still held, so it can be exported"
        exported = store.export_csv(tmp_path / "mine.csv")
        assert HIP_CASE in exported.read_text()
        assert not (folder / "progress.json").exists()
    finally:
        folder.chmod(0o755)
    monkeypatch.undo()
    store.save()  # writable again: the game held in memory is saved
    assert len(Progress.open(folder / "progress.json").sheet.rows) == 1


def test_item_8_a_full_disk_tells_the_student_and_keeps_the_file(
    kb, tmp_path, monkeypatch, hip_feedback
):
    import kneesci.progress

    path = tmp_path / "progress.json"
    store = Progress.open(path)
    store.record(hip_feedback[0])
    before = path.read_text()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kneesci.progress.os, "fsync", full)
    with pytest.raises(ProgressNotSavedError, match="the disk is full.*export"):
        store.record(hip_feedback[1])
    widget = _commit_in_widget(kb, store)
    assert "This game was not saved" in widget.feedback_panel.value
    assert "disk is full" in widget.feedback_panel.value
    assert path.read_text() == before, "the saved games are untouched"
    leftovers = {p.name for p in tmp_path.iterdir()} - {"progress.json", "progress.json.lock"}
    assert not leftovers, "no half-written temporary file is left"
    monkeypatch.undo()
    store.save()
    assert len(Progress.open(path).sheet.rows) == 3, "the unsaved games are saved next time"


# --- 9. answers-hidden games are scored when revealed ------------------------------------------
def test_item_9_hidden_answer_games_are_scored_when_revealed(kb, tmp_path):
    from kneesci.widgets.game import DiagnosticGame

    store = Progress.open(tmp_path / "progress.json")
    widget = DiagnosticGame(kb, hide_answers=True, progress=store)
    played = [
        (HIP_CASE, "hip_osteoarthritis"),
        ("far_lateral_l3_thigh_pain", "l4_radiculopathy"),
        ("painless_quadriceps_weakness", "l4_radiculopathy"),
    ]
    for case_id, answer in played:
        widget.new_patient(case_id)
        assert widget.commit(answer, 0.8).correct is None  # hidden until revealed
        widget.reveal()
    rows = Progress.open(tmp_path / "progress.json").sheet.rows
    assert len(rows) == 3
    assert [r["correct"] for r in rows] == [
        answer == load_cases(kb)[case_id].diagnosis for case_id, answer in played
    ]
    assert all(r["correct"] is not None for r in widget.score_sheet.rows)
    summary = class_summary([store.export_csv(tmp_path / "ana.csv")], kb)
    assert sum(n for n, _ in summary.case_results.values()) == 3
    assert summary.calibration is not None


# --- 10. repeated keys in YAML ------------------------------------------------------------------
def test_item_10_a_second_diagnosis_key_is_refused_with_file_and_line(kb, data_copy):
    cases = data_copy / "cases.yaml"
    text = cases.read_text()
    match = re.search(r"^    diagnosis: (\w+)$", text, flags=re.M)
    line = text[: match.end()].count("\n") + 2
    edit(cases, match.group(0), match.group(0) + "\n    diagnosis: knee_osteoarthritis")
    with pytest.raises(DataError, match=rf"cases.yaml, line {line}: the key 'diagnosis' appears"):
        load_cases(kb, cases)
    status, out = check_output(data_copy)
    assert status == 1 and f"line {line}: the key 'diagnosis' appears twice" in out


def test_item_10_a_second_top_level_cases_key_is_refused(kb, data_copy):
    cases = data_copy / "cases.yaml"
    edit(
        cases,
        "  - id: painless_quadriceps_weakness\n",
        "cases:\n  - id: painless_quadriceps_weakness\n",
    )
    with pytest.raises(DataError, match=r"cases.yaml, line \d+: the key 'cases' appears twice"):
        load_cases(kb, cases)


# --- 11. a gutted model is caught ---------------------------------------------------------------
L5 = "likelihoods/l5_radiculopathy.csv"


def _gut(folder: Path, how: str, monkeypatch) -> None:
    path = folder / L5
    if how == "missing":
        path.unlink()
    elif how == "renamed":
        path.rename(path.with_suffix(".CSV"))
    elif how == "header only":
        path.write_text(path.read_text().split("\n")[0] + "\n")
    elif how == "unreadable":
        deny(monkeypatch, path)
    elif how == "folder missing":
        shutil.rmtree(folder / "likelihoods")


@pytest.mark.parametrize(
    "how", ["missing", "renamed", "header only", "unreadable", "folder missing"]
)
def test_item_11_a_missing_or_empty_likelihood_file_fails_the_check_with_the_fix(
    data_copy, how, monkeypatch
):
    _gut(data_copy, how, monkeypatch)
    status, out = check_output(data_copy)
    assert status == 1
    assert "No problems found" not in out
    assert "likelihoods/" in out
    fix = {
        "missing": "restore it",
        "renamed": "rename l5_radiculopathy.CSV to l5_radiculopathy.csv",
        "header only": "restore its rows",
        "unreadable": "permission to read it",
        "folder missing": "Restore the folder",
    }[how]
    assert fix in out
    with pytest.raises(DataError, match="likelihoods/"):
        kneesci.load(data_copy)


def test_item_11_the_check_reads_exercises_yaml(data_copy):
    exercises = data_copy / "exercises.yaml"
    edit(exercises, "finding:slr_positive", "finding:slr_postive")
    status, out = check_output(data_copy)
    assert status == 1
    assert re.search(
        r"exercises.yaml, exercise \d+ \(line \d+\).*'slr_postive'. Did you mean 'slr_positive'",
        out,
    )
    lines = exercises.read_text().split("\n")
    number = next(i for i, text in enumerate(lines) if text.startswith("  question:"))
    lines[number] = "\t" + lines[number][2:]
    exercises.write_text("\n".join(lines))
    status, out = check_output(data_copy)
    assert status == 1 and f"exercises.yaml: not valid YAML at line {number + 1}" in out
    assert "never tabs" in out
    with pytest.raises(DataError, match=f"line {number + 1}"):
        load_specs(kneesci.load(data_copy))


def test_item_11_the_explorer_opens_on_a_folder_without_cases(data_copy):
    from kneesci.widgets import Explorer

    (data_copy / "cases.yaml").unlink()
    assert check_output(data_copy)[0] == 0  # a knowledge base without cases is allowed
    explorer = Explorer(kb=kneesci.load(data_copy))
    assert "no cases to load" in explorer.case_picker.options[0][0]
    explorer.set_finding("slr_positive", True)
    assert explorer.differential is not None


# --- 12. crashes turned into named errors -------------------------------------------------------
def test_item_12_an_unreadable_data_file_is_named_with_the_fix(data_copy, monkeypatch):
    deny(monkeypatch, data_copy / "findings.csv")
    status, out = check_output(data_copy)
    assert status == 1 and "findings.csv: permission denied" in out and "chmod u+r" in out
    monkeypatch.undo()
    deny(monkeypatch, data_copy / "cases.yaml")
    status, out = check_output(data_copy)
    assert status == 1 and "cases.yaml: permission denied" in out


def test_item_12_an_unclosed_quote_before_128_kb_of_text_is_named(data_copy):
    references = data_copy / "references.csv"
    lines = references.read_text().rstrip("\n").split("\n")
    # A title whose opening quote is never closed (as a spreadsheet leaves a stray quote).
    lines.append('stray_quote2000,A B,2000,"A title that never ends,Journal,,,')
    lines += [f"ref{k},A B,2000,{'x' * 300},J,,," for k in range(500)]
    references.write_text("\n".join(lines) + "\n")
    status, out = check_output(data_copy)
    assert status == 1
    assert f"references.csv, line {len(lines) - 500}: a double quote" in out
    assert "Traceback" not in out
    with pytest.raises(DataError, match="never closed"):
        kneesci.load(data_copy)


@pytest.mark.parametrize("where", ["defined only", "referenced"])
def test_item_12_yaml_aliases_are_refused_before_they_expand(kb, data_copy, where):
    cases = data_copy / "cases.yaml"
    bomb = 'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    bomb += "".join(f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9))
    text = bomb + cases.read_text()
    if where == "referenced":
        text = re.sub(r"^(    setting: )\w+$", r"\1*l8", text, count=1, flags=re.M)
    cases.write_text(text)
    with pytest.raises(DataError, match=r"cases.yaml, line 2: an alias") as error:
        load_cases(kb, cases)
    assert len(str(error.value)) < 300


def test_item_12_deep_nesting_is_a_named_error(kb, data_copy):
    cases = data_copy / "cases.yaml"
    edit(cases, "cases:\n", "deep: " + "[" * 10_000 + "]" * 10_000 + "\ncases:\n")
    with pytest.raises(DataError, match="cases.yaml: .*(nest|depth)"):
        load_cases(kb, cases)


def test_item_12_an_error_message_never_repeats_a_huge_value(kb, data_copy):
    cases = data_copy / "cases.yaml"
    text = cases.read_text()
    text = re.sub(r"^(    setting: )\w+$", r"\1" + "x" * 100_000, text, count=1, flags=re.M)
    cases.write_text(text)
    with pytest.raises(DataError, match="unknown setting id") as error:
        load_cases(kb, cases)
    assert len(str(error.value)) < 400


@pytest.mark.parametrize(
    "rows",
    [[1, 2, 3], ["a"], [{"case_id": "x", "confidence": "high"}]],
    ids=["numbers", "text", "wrong types"],
)
def test_item_12_a_hand_edited_progress_file_is_kept_aside_and_named(tmp_path, rows, hip_feedback):
    path = tmp_path / "progress.json"
    good = json.loads(ScoreSheet(rows=[]).to_json())
    sheet = ScoreSheet()
    sheet.add(hip_feedback[0])
    good["rows"] = sheet.rows + rows
    path.write_text(json.dumps(good))
    store = Progress.open(path)
    kept = list(tmp_path.glob("progress.unreadable-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == good, "nothing is lost"
    assert kept[0].name in store.notice and "could not be read" in store.notice
    assert len(store.sheet.rows) == 1, "the readable game is carried on"
    store.summary().text()
    store.record(hip_feedback[1])
    assert len(Progress.open(path).sheet.rows) == 2


def test_item_12_two_files_set_aside_in_one_second_keep_both(tmp_path):
    path = tmp_path / "progress.json"
    for garbage in ("first {", "second {"):
        path.write_text(garbage)
        Progress.open(path)
    kept = sorted(p.read_text() for p in tmp_path.glob("progress.unreadable-*.json"))
    assert kept == ["first {", "second {"]


def _sheet(tmp_path: Path, name: str, hip_feedback, encoding: str = "utf-8", edit=None) -> Path:
    sheet = ScoreSheet()
    for feedback in hip_feedback:
        sheet.add(feedback)
    text = sheet.to_csv()
    if edit:
        text = edit(text)
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_item_12_class_summary_reads_other_encodings_and_names_bad_files(
    kb, tmp_path, hip_feedback
):
    good = _sheet(tmp_path, "ana.csv", hip_feedback)
    utf16 = _sheet(tmp_path, "ben.csv", hip_feedback, "utf-16")
    cp1252 = _sheet(  # re-saved by a spreadsheet in Windows-1252, with an accent typed in
        tmp_path, "cai.csv", hip_feedback, "cp1252", lambda t: t.replace(",knee_", ",knée_", 1)
    )
    excel = _sheet(tmp_path, "dee.csv", hip_feedback, edit=lambda t: t.replace("True", "TRUE"))
    nan = _sheet(
        tmp_path, "eve.csv", hip_feedback, edit=lambda t: re.sub(r",,(0\.\d+),", r",nan,\1,", t)
    )
    formula = _sheet(
        tmp_path,
        "fay.csv",
        hip_feedback,
        edit=lambda t: t.replace(HIP_CASE, '"=HYPERLINK(""http://evil.example"")"', 1),
    )
    summary = class_summary([good, utf16, cp1252, excel, nan, formula], kb)
    assert summary.students == 3  # ana, ben (read with a note) and dee (Excel's TRUE)
    assert summary.games == 6
    assert any("ben.csv was saved as UTF-16" in n for n in summary.notes)
    problems = " ".join(summary.problems)
    assert "cai.csv, line 3: committed 'knée_osteoarthritis' is not a condition id" in problems
    assert "eve.csv, line 2" in problems and "not a probability" in problems
    assert "fay.csv, line 2" in problems and "not a case in the library" in problems
    assert "do not open this file in a spreadsheet" in problems
    assert "fay.csv" in summary.text() and "HYPERLINK" not in "".join(summary.case_results)


def test_item_12_csv_kneesci_writes_neutralises_formulas(tmp_path):
    sheet = ScoreSheet(rows=[{"case_id": "=1+1", "committed": "@SUM(A1)", "diagnosis": "-2+3"}])
    text = sheet.to_csv()
    assert "'=1+1" in text and "'@SUM(A1)" in text and "'-2+3" in text
    assert ScoreSheet.from_csv(text).rows[0]["case_id"] == "=1+1"


# --- 13. clear errors ---------------------------------------------------------------------------
def test_item_13_a_structural_csv_typo_is_reported_once(data_copy):
    findings = data_copy / "findings.csv"
    header = findings.read_text().split("\n")[0]
    findings.write_text(header + "\n")
    status, out = check_output(data_copy)
    assert (
        status == 1
        and "1 problem:" in out
        and "findings.csv: the file has a header but no rows" in out
    )


def test_item_13_an_extra_cell_is_reported_without_follow_on_lines(data_copy):
    findings = data_copy / "findings.csv"
    lines = findings.read_text().split("\n")
    lines[5] += ",surplus"
    findings.write_text("\n".join(lines))
    status, out = check_output(data_copy)
    assert status == 1 and "1 problem:" in out and "line 6: more fields than columns" in out


def test_item_13_a_removed_closing_quote_is_reported_once(data_copy):
    findings = data_copy / "findings.csv"
    lines = findings.read_text().split("\n")
    number = next(k for k, text in enumerate(lines) if k > 1 and text.count('"') >= 2)
    closing = lines[number].index('"', lines[number].index('"') + 1)
    lines[number] = lines[number][:closing] + lines[number][closing + 1 :]
    findings.write_text("\n".join(lines))
    status, out = check_output(data_copy)
    assert status == 1 and "1 problem:" in out, out  # 0.2 listed 44, one per swallowed id
    assert f"findings.csv, line {number + 1}: a double quote" in out


def test_item_13_post_test_present_must_be_true_or_false(kb):
    with pytest.raises(TypeError, match="present must be True .* not 'no'"):
        kb.post_test("l5_radiculopathy", "slr_positive", present="no")
    assert not kb.post_test("l5_radiculopathy", "slr_positive", present=False).present


@pytest.mark.parametrize(
    "pretest, lr, argument",
    [
        (1.5, 2, "pretest"),
        (1.0, 2, "pretest"),
        (0.2, -1, "likelihood_ratio"),
        (0.2, float("inf"), "likelihood_ratio"),
    ],
)
def test_item_13_post_test_probability_checks_its_range(pretest, lr, argument):
    with pytest.raises(ValueError, match=rf"^{argument} must be"):
        kneesci.post_test_probability(pretest, lr)


def test_item_13_the_explorer_names_a_contradiction_instead_of_flipping_it(kb):
    from kneesci.widgets import Explorer

    with pytest.raises(ContradictionError, match="'age_over_65' is present.*'age_over_50'"):
        Explorer(kb, findings={"age_over_65": True, "age_over_50": False})


def test_item_13_intervals_and_load_case_name_the_bad_argument(kb):
    from kneesci.widgets import Explorer

    dx = kb.differential({"slr_positive": True})
    with pytest.raises(TypeError, match="level must be a number"):
        dx.intervals(level="x")
    with pytest.raises(TypeError, match="draws must be a whole number"):
        dx.intervals(draws=2.5)
    with pytest.raises(ValueError, match="seed must be a whole number 0 or more"):
        practice_game(kb, -1)
    with pytest.raises(UnknownIdError, match=f"Unknown case id 'hip_oa_after_knee'.*{HIP_CASE}"):
        Explorer(kb).load_case("hip_oa_after_knee")
    assert check_folder().ok
