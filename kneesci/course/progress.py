"""Progress that lasts: results kept between sessions, and a class summary for the lecturer.

Every committed game is appended to one file in the user's Jupyter data directory (never in the
course repository, so pulling a new version of the notebooks cannot overwrite it):

>>> import tempfile, pathlib
>>> store = Progress.open(pathlib.Path(tempfile.mkdtemp()) / "progress.json")
>>> store.summary().cases
0

A lecturer collects the CSV files students export (`Progress.export_csv`) and merges them with
`class_summary`: which cases are most often missed, and which red flags.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ..model.knowledge_base import KnowledgeBase
from .calibration import Calibration, calibration
from .game import ACTIONS, HIDDEN, SCORE_COLUMNS, Feedback, ScoreSheet

try:  # Linux and macOS
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

FILE_NAME = "progress.json"


def data_dir() -> Path:
    """The user's Jupyter data directory (as Jupyter itself resolves it), plus `kneesci`.

    JUPYTER_DATA_DIR is honoured, so a JupyterHub or a test can point it elsewhere.
    """
    try:
        from jupyter_core.paths import jupyter_data_dir
    except ImportError:  # a slim install without Jupyter's own packages
        root = os.environ.get("JUPYTER_DATA_DIR") or _platform_data_dir()
    else:
        root = jupyter_data_dir()
    return Path(root) / "kneesci"


def _platform_data_dir() -> str:
    home = Path.home()
    if sys.platform == "darwin":
        return str(home / "Library" / "Jupyter")
    if os.name == "nt":
        return str(Path(os.environ.get("APPDATA", home)) / "jupyter")
    return str(Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "jupyter")


@dataclass(frozen=True)
class ProgressSummary:
    """What a student can see of her own progress."""

    cases: int
    scored: int
    correct: int
    mean_questions: float | None
    mean_suggested_questions: float | None  # the information-gain order, on the same cases
    red_flags_missed: int
    calibration: Calibration | None

    def text(self) -> str:
        if not self.cases:
            return "No patients yet: play a case in the game and your progress is kept here."
        lines = [f"Patients seen: {self.cases}."]
        if self.scored:
            share = self.correct / self.scored
            lines.append(f"Correct: {self.correct} of {self.scored} ({share:.0%}).")
        if self.mean_questions is not None:
            line = f"Questions per patient: {self.mean_questions:.1f}"
            if self.mean_suggested_questions is not None:
                line += (
                    " (the model's information-gain order needed "
                    f"{self.mean_suggested_questions:.1f} to bring the diagnosis to the top)"
                )
            lines.append(line + ".")
        lines.append(f"Red flags missed: {self.red_flags_missed}.")
        lines.append(
            self.calibration.sentence()
            if self.calibration
            else "Say how sure you are when you commit; calibration appears after three answers."
        )
        return "\n".join(lines)


def summarise(sheet: ScoreSheet) -> ProgressSummary:
    rows = sheet.rows
    scored = [r for r in rows if r.get("correct") is not None]
    questions = [r["questions_used"] for r in rows if r.get("questions_used") is not None]
    suggested = [
        r["suggested_questions_to_lead"]
        for r in rows
        if r.get("suggested_questions_to_lead") is not None
    ]
    return ProgressSummary(
        cases=len(rows),
        scored=len(scored),
        correct=sum(bool(r["correct"]) for r in scored),
        mean_questions=sum(questions) / len(questions) if questions else None,
        mean_suggested_questions=sum(suggested) / len(suggested) if suggested else None,
        red_flags_missed=sum(bool(r.get("red_flags_missed")) for r in rows),
        calibration=calibration(rows),
    )


class ProgressNotSavedError(RuntimeError):
    """A committed game could not be written to the progress file; it is still held in memory.

    The message says why, and how to keep the games: export them to a folder that can be written.
    """

    def __init__(self, path: Path, reason: str, unsaved: int):
        self.path, self.reason, self.unsaved = path, reason, unsaved
        games = "this game" if unsaved == 1 else f"these {unsaved} games"
        super().__init__(
            f"Not saved: {games} could not be written to your progress file ({reason}; "
            f"{path}). They are kept only while this notebook runs. To keep them, export them "
            "now to a folder you can write to, e.g. progress.export_csv('my-results.csv'), or "
            "free some space; the next game you commit tries to save them again."
        )


# How long a commit waits for another session (a second tab) to finish saving.
LOCK_WAIT_SECONDS = 10.0


class Progress:
    """A score sheet that saves itself after every game, in the user's Jupyter data directory.

    Two sessions may be open on one file (two tabs, the game in two notebooks): every save re-reads
    the file under a lock, adds this session's new games and swaps the result in, so no session
    overwrites another's games. `sheet` holds every session's games as of the last save.
    """

    def __init__(self, path: Path, sheet: ScoreSheet, notice: str = ""):
        self.path = path
        self.sheet = sheet
        # Said once to the student when the file had to be set aside (nothing is deleted).
        self.notice = notice
        self._unsaved: list[dict] = []  # games committed here that are not in the file yet
        self._blocked = ""  # why the file must not be replaced (unreadable and not set aside)
        self._revealed: list[tuple[dict, dict]] = []  # (row as saved, row scored) to write

    @classmethod
    def open(cls, path: str | Path | None = None) -> Progress:
        """Open (or start) the progress file; an unreadable one is kept aside, never overwritten."""
        path = Path(path) if path is not None else data_dir() / FILE_NAME
        store = cls(path, ScoreSheet())
        if path.exists():
            try:
                with _locked(path):
                    store.sheet.rows[:] = store._read()
            except OSError as err:  # no lock in a read-only folder: read without one
                if path.exists():
                    store.sheet.rows[:] = store._read(set_aside=False)
                store.notice = store.notice or (
                    f"Your progress folder cannot be written ({_reason(err)}); new games will not "
                    "be saved there. Export them to keep them."
                )
        return store

    def record(self, feedback: Feedback) -> None:
        """Add one committed game and save at once; raises ProgressNotSavedError if it cannot.

        A game that cannot be saved stays in `sheet` (so it can be exported) and is saved with the
        next commit that can be.
        """
        added = ScoreSheet()
        added.add(feedback)
        self._unsaved.append(added.rows[0])
        self.sheet.rows.append(added.rows[0])
        self.save()

    def score(self, feedback: Feedback) -> None:
        """Fill in the diagnosis and verdict of a game committed with the answers hidden.

        Called when the answer is revealed, so hidden-answer games count in the student's results,
        calibration and the class summary like any other.
        """
        revealed = ScoreSheet()
        revealed.add(feedback)
        row = revealed.rows[0]
        scored = ("diagnosis", "correct", "action_correct")  # what the hidden game left blank
        hidden = {k: v for k, v in row.items() if k not in scored}
        hidden.update(diagnosis=HIDDEN, correct=None, action_correct=None)
        match = _last_index(self.sheet.rows, hidden)
        if match is not None:
            self.sheet.rows[match] = row
        match = _last_index(self._unsaved, hidden)
        if match is not None:
            self._unsaved[match] = row
        else:  # already in the file: change it there at the next save
            self._revealed.append((hidden, row))
        self.save()

    def save(self) -> Path:
        """Merge this session's unsaved games into the file, under a lock; atomic replace."""
        unsaved = len(self._unsaved) or 1
        if self._blocked:
            raise ProgressNotSavedError(self.path, self._blocked, unsaved)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(self.path):
                rows = self._read() if self.path.exists() else []
                for hidden, row in self._revealed:
                    match = _last_index(rows, hidden)
                    if match is not None:
                        rows[match] = row
                rows += self._unsaved
                _write_atomically(self.path, json.dumps({"rows": rows}, indent=1))
        except OSError as err:
            raise ProgressNotSavedError(self.path, _reason(err), unsaved) from err
        self._unsaved.clear()
        self._revealed.clear()
        self.sheet.rows[:] = rows
        return self.path

    def _read(self, set_aside: bool = True) -> list[dict]:
        """The rows in the file; a file or rows that cannot be read are kept aside and named."""
        try:
            data = json.loads(self.path.read_text("utf-8"))
            raw_rows = data["rows"]
            if not isinstance(raw_rows, list):
                raise TypeError(f"'rows' is {type(raw_rows).__name__}, not a list")
        except (OSError, ValueError, KeyError, TypeError) as err:
            problem, rows = _reason(err), []
        else:
            rows, problems = [], []
            for number, raw in enumerate(raw_rows, start=1):
                try:
                    rows.append(check_row(raw))
                except (TypeError, ValueError) as err:
                    problems.append(f"game {number}: {err}")
            if not problems:
                return rows
            problem = f"{len(problems)} game(s) could not be read, first {problems[0]}"
        kept = self._set_aside() if set_aside else None
        if kept is None:
            self._blocked = f"the file could not be read ({problem}) and was left as it is"
            self.notice = (
                f"Your progress file could not be read ({problem}). It was left untouched; "
                "new games are not saved until it is fixed or moved."
            )
        else:
            if rows:  # the readable games start the new file, so none is lost at the next save
                _write_atomically(self.path, json.dumps({"rows": rows}, indent=1))
            carried = f"; the {len(rows)} readable game(s) were kept" if rows else ""
            self.notice = (
                f"Your progress file could not be read ({problem}); it was kept as {kept.name}"
                f"{carried} and a new one started."
            )
        return rows

    def _set_aside(self) -> Path | None:
        """Move an unreadable file to a name no other file has; None if it cannot be moved."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1000):
            suffix = f"-{n}" if n else ""
            kept = self.path.with_name(f"{self.path.stem}.unreadable-{stamp}{suffix}.json")
            try:
                os.link(self.path, kept)  # fails if `kept` exists: never overwrites a kept file
            except FileExistsError:
                continue
            except OSError:
                try:
                    if kept.exists():
                        continue
                    self.path.replace(kept)
                except OSError:
                    return None
                return kept
            try:
                self.path.unlink()
            except OSError:
                pass
            return kept
        return None

    def summary(self) -> ProgressSummary:
        return summarise(self.sheet)

    def export_csv(self, path: str | Path) -> Path:
        """The sheet as CSV, to hand in to the lecturer."""
        path = Path(path)
        path.write_text(self.sheet.to_csv(), "utf-8")
        return path


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError) and err.errno == errno.ENOSPC:
        return "the disk is full"
    if isinstance(err, PermissionError):
        return "permission denied: the folder or file is read-only"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


def _last_index(rows: list[dict], wanted: dict) -> int | None:
    for index in range(len(rows) - 1, -1, -1):
        if all(rows[index].get(k) == v for k, v in wanted.items()):
            return index
    return None


def check_row(raw: object) -> dict:
    """One saved game, its fields of the right types; TypeError/ValueError names the field."""
    if not isinstance(raw, dict):
        raise TypeError(f"expected the fields of a game, not {type(raw).__name__}")
    row = {k: raw.get(k) for k in SCORE_COLUMNS}
    for key in ("case_id", "committed", "diagnosis"):
        if not isinstance(row[key], str):
            raise TypeError(f"{key} is {row[key]!r:.40}, not text")
    if row["action"] is not None and row["action"] not in ACTIONS:
        raise ValueError(f"action is {row['action']!r:.40}, not one of the actions")
    for key in ("simulated", "correct", "red_flags_missed", "action_correct"):
        if row[key] is not None and not isinstance(row[key], bool):
            raise TypeError(f"{key} is {row[key]!r:.40}, not true or false")
    for key in ("questions_used", "suggested_questions_to_lead"):
        value = row[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{key} is {value!r:.40}, not a whole number")
    for key in ("confidence", "model_probability"):
        value = row[key]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{key} is {value!r:.40}, not a number")
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{key} is {value!r}, not a probability between 0 and 1")
    return row


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the progress file's lock (a lock file beside it) while reading, merging and writing.

    fcntl on Linux and macOS, msvcrt on Windows; the lock is released if the process dies, so a
    crashed session never leaves a stale lock behind.
    """
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _acquire(fd, lock_path)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_path: Path) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            elif msvcrt is not None:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                raise
            if time.monotonic() > deadline:
                raise OSError(
                    errno.EBUSY,
                    f"another session has held {lock_path.name} for {LOCK_WAIT_SECONDS:.0f} s",
                ) from None
            time.sleep(0.01)


def _release(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    elif msvcrt is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _write_atomically(path: Path, text: str) -> None:
    """Write a temporary file with a unique name beside `path`, flush it to disk, swap it in."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


@dataclass(frozen=True)
class ClassSummary:
    """A class's merged score sheets."""

    students: int
    games: int
    case_results: dict[str, tuple[int, int]]  # case id -> (games scored, correct)
    red_flags_missed: dict[str, int]  # case id -> games in which a red flag was missed
    calibration: Calibration | None
    # Files left out (file, line and why) and files read with a note (another encoding).
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def most_missed(self, n: int = 5) -> list[tuple[str, float, int]]:
        """(case id, share answered wrongly, games) for the cases most often missed."""
        rates = [
            (case, 1.0 - right / played, played)
            for case, (played, right) in self.case_results.items()
            if played
        ]
        return sorted(rates, key=lambda r: (-r[1], -r[2], r[0]))[:n]

    def text(self) -> str:
        lines = [f"{self.students} students, {self.games} games."]
        if self.problems:
            lines.append(f"Left out ({len(self.problems)} file(s)):")
            lines += [f"  {problem}" for problem in self.problems]
        lines += [f"Note: {note}" for note in self.notes]
        missed = [m for m in self.most_missed() if m[1] > 0]
        if missed:
            lines.append("Most often missed:")
            lines += [f"  {case}: wrong in {rate:.0%} of {n}" for case, rate, n in missed]
        if self.red_flags_missed:
            lines.append("Red flags missed:")
            lines += [
                f"  {case}: {count} game{'s' if count != 1 else ''}"
                for case, count in sorted(self.red_flags_missed.items(), key=lambda kv: -kv[1])
            ]
        if self.calibration:
            lines.append("Class calibration: " + self.calibration.sentence())
        return "\n".join(lines)


def class_summary(
    paths: Iterable[str | Path],
    kb: KnowledgeBase | None = None,
    *,
    case_ids: Iterable[str] | None = None,
) -> ClassSummary:
    """Merge students' exported CSV sheets into one class summary.

    A file that cannot be read (another encoding is read with a note; a bad value, a case that is
    not in the library, a formula where an id belongs) is named with its line and left out, and
    the others are merged; if no file can be read, ValueError lists why. `case_ids` are the cases
    a sheet may name (default: the case library of `kb`, the bundled one by default), besides the
    simulated practice patients.
    """
    if kb is None:
        from ..model.knowledge_base import load

        kb = load()
    if case_ids is None:
        from .cases import load_cases

        case_ids = load_cases(kb)
    valid = _SheetIds(set(case_ids), set(kb.conditions))
    sheets, problems, notes, seen = [], [], [], set()
    for path in paths:
        path = Path(path)
        if path.resolve() in seen:
            notes.append(f"{path.name} was given twice; it is counted once.")
            continue
        seen.add(path.resolve())
        try:
            text, note = _sheet_text(path)
            sheet = ScoreSheet.from_csv(text, name=path.name)
            for line, row in enumerate(sheet.rows, start=2):
                valid.check(row, f"{path.name}, line {line}")
        except (OSError, ValueError) as err:
            problems.append(str(err) if not isinstance(err, OSError) else f"{path}: {_reason(err)}")
            continue
        if note:
            notes.append(note)
        sheets.append(sheet)
    if not sheets and problems:
        raise ValueError("No score sheet could be read: " + " ".join(problems))
    rows = [row for sheet in sheets for row in sheet.rows]
    played: Counter[str] = Counter()
    right: Counter[str] = Counter()
    flags: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        if row.get("correct") is not None:
            played[row["case_id"]] += 1
            right[row["case_id"]] += bool(row["correct"])
        if row.get("red_flags_missed"):
            flags[row["case_id"]] += 1
    return ClassSummary(
        students=len(sheets),
        games=len(rows),
        case_results={c: (played[c], right[c]) for c in played},
        red_flags_missed=dict(flags),
        calibration=calibration(rows),
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _sheet_text(path: Path) -> tuple[str, str]:
    """A handed-in sheet's text, and a note if it was saved in another encoding than UTF-8."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), f"{path.name} was saved as UTF-16 (read anyway)."
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return (
            data.decode("cp1252", errors="replace"),
            f"{path.name} was not saved as UTF-8 (read as Windows-1252).",
        )


_SIMULATED = re.compile(r"simulated_([a-z0-9_]+)_\d+")
_FORMULA_HINT = (
    " A cell starting with =, +, - or @ is a spreadsheet formula: do not open this file in a "
    "spreadsheet program; ask the student to export it again."
)


@dataclass(frozen=True)
class _SheetIds:
    """The ids a handed-in score sheet may name: library cases, practice patients, conditions."""

    cases: set[str]
    conditions: set[str]

    def check(self, row: dict, where: str) -> None:
        case_id = row["case_id"]
        simulated = _SIMULATED.fullmatch(case_id)
        if case_id not in self.cases and not (simulated and simulated[1] in self.conditions):
            raise ValueError(
                f"{where}: case id {case_id[:60]!r} is not a case in the library."
                + (_FORMULA_HINT if case_id.lstrip("'")[:1] in "=+-@" else "")
            )
        for key in ("committed", "diagnosis"):
            value = row[key]
            hidden = key == "diagnosis" and value == HIDDEN
            action_only = key == "committed" and value == "" and row.get("action")
            if value not in self.conditions and not (hidden or action_only):
                raise ValueError(
                    f"{where}: {key} {value[:60]!r} is not a condition id."
                    + (_FORMULA_HINT if value.lstrip("'")[:1] in "=+-@" else "")
                )
