"""Read knowledge-base files the way spreadsheet programs and text editors save them.

Every CSV and YAML file under `data/` is read here. What a spreadsheet adds harmlessly is accepted
without a word: a byte-order mark (Excel's "CSV UTF-8"), CRLF or CR line endings, empty rows (also
rows of empty cells), empty columns after the last one, and spaces around a value. What changes
the meaning is named with its fix: another encoding, semicolons or tabs between columns, a decimal
comma.

Loading raises the first problem (:func:`report` raises). Inside :func:`collecting`, which
``python -m kneesci check`` uses, problems are recorded instead and reading goes on: the reader
recovers where it can, and :func:`read_on` reads again without each row that had a problem, so one
run reports every problem.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .errors import DataError, did_you_mean

GUIDE = "docs/editing-the-knowledge-base.md"
_DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+")
_PERCENT = re.compile(r"[-+]?\d*[.,]?\d+\s*%")
_OTHER_DELIMITERS = {";": "semicolons (;)", "\t": "tabs"}
T = TypeVar("T")


class Problems:
    """The problems a check has found, in the order found, and the rows it has set aside."""

    def __init__(self) -> None:
        self.found: list[DataError] = []
        self._messages: set[str] = set()
        self._set_aside: dict[str, set[int]] = {}
        self._ids: set[str] = set()  # ids of rows set aside: a later "unknown id" follows from them
        self.unreadable: list[str] = []  # files read as empty, so every id they define is unknown
        # Rows whose structure broke (an unclosed quote, extra fields), by file: an id that
        # appears in their text may be unknown only because its row could not be read.
        self.damaged: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self) -> Iterator[DataError]:
        return iter(self.found)

    def add(self, error: DataError) -> None:
        """Record a problem once; an unknown id that names a row already reported is not new."""
        if str(error) in self._messages or self.follows(error):
            if error.row:  # its row is set aside all the same, so what names it follows too
                self._ids.add(error.row)
            return
        self._messages.add(str(error))
        self.found.append(error)
        if error.row:
            self._ids.add(error.row)

    def follows(self, error: DataError) -> bool:
        """True if an unknown id may only be unknown because of a problem already reported."""
        if not error.unknown:
            return False
        if error.unknown in self._ids or self.unreadable:
            return True
        word = re.compile(rf"(?<![\w]){re.escape(error.unknown)}(?![\w])")
        return any(word.search(text) for text in self.damaged.values())

    def set_aside(self, error: DataError) -> bool:
        """Record a row's problem and leave the row out from now on; False if there is no row."""
        self.add(error)
        lines = self._set_aside.setdefault(error.file or "", set())
        if error.file is None or error.line is None or error.line in lines:
            return False
        lines.add(error.line)
        return True

    def lines_set_aside(self, file: str) -> frozenset[int]:
        return frozenset(self._set_aside.get(file, ()))


_ACTIVE: ContextVar[Problems | None] = ContextVar("kneesci_problems", default=None)


@contextmanager
def collecting() -> Iterator[Problems]:
    """Within this block problems are recorded rather than raised (what the check command does)."""
    problems = Problems()
    token = _ACTIVE.set(problems)
    try:
        yield problems
    finally:
        _ACTIVE.reset(token)


def report(error: DataError) -> None:
    """Raise the problem when loading; when checking, record it and return so reading goes on."""
    problems = _ACTIVE.get()
    if problems is None:
        raise error
    problems.add(error)


def set_aside(file: str) -> frozenset[int]:
    """The lines of `file` the running check has reported and now leaves out (none when loading)."""
    problems = _ACTIVE.get()
    return frozenset() if problems is None else problems.lines_set_aside(file)


def read_on(read: Callable[[], T]) -> T | None:
    """Run a reader until it gets to the end, setting aside each row it stops at (checking only).

    A reader stops at its first problem; reading again without that row finds the next one. A
    problem raised outside any row (a case library that is not YAML, say) ends the reading, and
    None is returned. Problems about a whole file are reported with :func:`report` and do not stop.
    """
    problems = _ACTIVE.get()
    if problems is None:
        return read()
    while True:
        try:
            return read()
        except DataError as error:
            # After a file that could not be read at all, unknown ids would follow row after row.
            if not problems.set_aside(error) or (problems.unreadable and error.unknown):
                return None


def _damaged(name: str, text: str) -> None:
    """Note the text of rows whose structure broke, so what follows is not reported again."""
    problems = _ACTIVE.get()
    if problems is not None:
        problems.damaged[name] = problems.damaged.get(name, "") + "\n" + text


# ------------------------------------------------------------------------------------ text
def read_bytes(path: Path, name: str) -> bytes:
    """The bytes of a file; a missing or unreadable file is a DataError naming it and the fix."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise DataError(f"{name}: file is missing.", file=name) from None
    except PermissionError:
        raise DataError(
            f"{name}: permission denied, the file cannot be read ({path}). Give your user "
            f"permission to read it (e.g. chmod u+r '{path}', or the file's Properties, "
            "Security on Windows) and its folder, then try again.",
            file=name,
        ) from None
    except OSError as err:
        raise DataError(
            f"{name}: the file cannot be read ({err.strerror}; {path}).", file=name
        ) from None


def read_text(path: Path, name: str) -> str:
    """The text of a file saved as UTF-8 (with or without a BOM), with line endings made '\\n'."""
    data = read_bytes(path, name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        report(_utf16_error(name, path))
        text = data.decode("utf-16")
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            report(_encoding_error(name, path, data, exc.start))
            text = data.decode("cp1252", errors="replace")  # the check reads on
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _save_as(path: Path) -> str:
    if path.suffix == ".csv":
        return (
            'Save it again as "CSV UTF-8 (Comma delimited)" (Excel) or as Text CSV with the '
            'character set "Unicode (UTF-8)" (LibreOffice)'
        )
    return "Save it again with the encoding UTF-8 in your text editor"


def _encoding_error(name: str, path: Path, data: bytes, start: int) -> DataError:
    lines = re.split(rb"\r\n|\r|\n", data)
    line = len(re.split(rb"\r\n|\r|\n", data[:start]))
    bad = []
    for number, text in enumerate(lines, start=1):
        try:
            text.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    also = [n for n in bad if n != line]
    more = f" (also line{'s' if len(also) > 1 else ''} {_some(also)})" if also else ""
    byte = data[start]
    western = bytes([byte]).decode("cp1252", errors="replace")
    meaning = f" ({western!r} in Windows-1252)" if western != "\ufffd" else ""
    return DataError(
        f"{name}, line {line}: byte 0x{byte:02X}{meaning} is not UTF-8{more}; the file was "
        f'saved in another encoding, such as Excel\'s plain "CSV (Comma delimited)". '
        f"{_save_as(path)}; see {GUIDE}.",
        file=name,
        line=line,
    )


def _utf16_error(name: str, path: Path) -> DataError:
    return DataError(
        f'{name}, line 1: the file is UTF-16 (Excel\'s "Unicode Text"), not UTF-8. '
        f"{_save_as(path)}; see {GUIDE}.",
        file=name,
        line=1,
    )


def _some(numbers: list[int], shown: int = 5) -> str:
    text = ", ".join(map(str, numbers[:shown]))
    return text + (f" and {len(numbers) - shown} more" if len(numbers) > shown else "")


# ------------------------------------------------------------------------------------ CSV
def read_csv(
    path: Path, columns: Sequence[str], name: str, *, require_rows: bool = False
) -> list[tuple[int, dict[str, str]]]:
    """(line, row) for each row of a CSV file that has at least one value; values are stripped.

    `columns` are the columns the file must have; other columns are kept, empty ones ignored.
    With `require_rows`, a file with a header and no rows is a problem (a model table emptied).
    """
    try:
        text = read_text(path, name)
    except DataError as error:
        _cannot_read(error)
        return []
    delimiter = ","
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)), [])]
    missing = [c for c in columns if c not in header]
    if missing:
        used = _delimiter_used(text, columns)
        if used is None:
            hint = did_you_mean(missing[0], header) if len(missing) == 1 else ""
            _cannot_read(
                DataError(
                    f"{name}, line 1: missing column(s) {', '.join(missing)}.{hint}",
                    file=name,
                    line=1,
                )
            )
            return []
        delimiter = used
        report(_delimiter_error(name, text, delimiter))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    rows = []
    # The reader's line_num is the physical line, which respects quoted newlines.
    records = iter(reader)
    while True:
        start = reader.line_num + 1
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as err:  # a field over the csv module's limit: a quote never closed
            _damaged(name, "\n".join(text.split("\n")[start - 1 :]))
            report(_unclosed_quote(name, start, f"it is never closed: {err}"))
            break
        values = [v.strip() for v in record]
        if not any(values):
            continue
        if len(values) > len(header) and any(values[len(header) :]):
            _damaged(name, "\n".join(text.split("\n")[start - 1 : reader.line_num]))
            swallowed = reader.line_num > start and any("\n" in v for v in values)
            report(
                _unclosed_quote(
                    name,
                    start,
                    f"the next quote is on line {reader.line_num}, so the rows "
                    "between were read as one value",
                )
                if swallowed
                else _too_many_fields(name, reader.line_num, len(values), len(header))
            )
            continue
        if delimiter != ",":  # the check reads on, as if the file had been saved correctly
            values = [v.replace(",", ".") if _DECIMAL_COMMA.fullmatch(v) else v for v in values]
        row = dict.fromkeys(header, "")
        row.update((k, v) for k, v in zip(header, values, strict=False) if k)
        rows.append((reader.line_num, row))
    if require_rows and not rows and not set_aside(name):
        _cannot_read(
            DataError(
                f"{name}: the file has a header but no rows. Every row was deleted, or the file "
                "was saved empty; restore its rows (e.g. from the course repository with git).",
                file=name,
                line=2,
            )
        )
    return rows


def _unclosed_quote(name: str, line: int, detail: str) -> DataError:
    return DataError(
        f'{name}, line {line}: a double quote (") opens a text here that is not closed on '
        f"this line ({detail}). Close the quote, or remove it; rows that name ids from the rows "
        "it swallowed are not checked until it is fixed.",
        file=name,
        line=line,
    )


def _cannot_read(error: DataError) -> None:
    """Report a file that cannot be read at all; a check then reads it as empty."""
    report(error)
    problems = _ACTIVE.get()
    if problems is not None and error.file not in problems.unreadable:
        problems.unreadable.append(error.file or "")


def _delimiter_used(text: str, columns: Sequence[str]) -> str | None:
    """';' or a tab if the header has every column when split by it, else None."""
    first = text.split("\n", 1)[0]
    for delimiter in _OTHER_DELIMITERS:
        names = [n.strip() for n in next(csv.reader([first], delimiter=delimiter), [])]
        if all(c in names for c in columns):
            return delimiter
    return None


def _delimiter_error(name: str, text: str, delimiter: str) -> DataError:
    what = _OTHER_DELIMITERS[delimiter]
    commas = ""
    for line, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        example = next((v for v in record if _DECIMAL_COMMA.fullmatch(v.strip())), None)
        if example:
            commas = f", and numbers have a decimal comma ({example.strip()} on line {line})"
            break
    if delimiter == ";":
        cause = (
            "This is how Excel saves CSV on a computer set to a language that writes 0,35. "
            "Save the file with commas between columns and a decimal point (0.35)"
        )
    else:
        cause = 'This is a "Text (Tab delimited)" file. Save it as "CSV UTF-8 (Comma delimited)"'
    return DataError(
        f"{name}, line 1: the columns are separated by {what}, not commas{commas}. "
        f"{cause}; see {GUIDE}.",
        file=name,
        line=1,
    )


def _too_many_fields(name: str, line: int, fields: int, columns: int) -> DataError:
    return DataError(
        f"{name}, line {line}: more fields than columns ({fields} values, {columns} columns). "
        'A text with a comma in it needs double quotes around it ("a, b"), and a number is '
        "written with a decimal point (0.35, not 0,35).",
        file=name,
        line=line,
    )


def number_hint(text: str) -> str:
    """Why a spreadsheet value is not a number, when we can tell: a decimal comma or a percent."""
    if _DECIMAL_COMMA.fullmatch(text):
        return f" It has a decimal comma: write {text.replace(',', '.')}, with a decimal point."
    if _PERCENT.fullmatch(text):
        value = float(text.rstrip("% ").replace(",", ".")) / 100
        return f" Write percentages as a proportion: {value:g}, not {text}."
    return ""


# ------------------------------------------------------------------------------------ YAML
# libyaml's safe loader where PyYAML was built with it: the same documents, about ten times faster,
# which matters because every student's kernel reads the case library and anatomy on opening.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SHOWN_LIMIT = 80  # characters of a value an error message repeats


class RefusedYAML(yaml.MarkedYAMLError):
    """YAML that parses but that a data file must not hold: a repeated key, an alias."""


class _Strict:
    """Refuse what YAML allows but a hand-edited data file should never rely on.

    A repeated key silently keeps the last value (a second `diagnosis:` wins; a second top-level
    `cases:` drops every case above it). An alias (`*name`) repeats an anchored value, and nested
    aliases can expand to billions of values from a few lines ("billion laughs").
    """

    def construct_object(self, node, deep=False):  # noqa: ANN001, ANN201 (PyYAML's signature)
        if node in self.constructed_objects or node in self.recursive_objects:
            raise RefusedYAML(
                None,
                None,
                "an alias (*name) repeats an anchored value (&name); data files spell every "
                "value out, so remove the anchor and the alias",
                node.start_mark,
            )
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = (key_node.tag, key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise RefusedYAML(
                        None,
                        None,
                        f"the key {shown(key_node.value)} appears twice in one block (first on "
                        f"line {seen[key]}); YAML would silently keep only the last one. Keep one",
                        key_node.start_mark,
                    )
                seen[key] = line
        return super().construct_mapping(node, deep)


class StrictLoader(_Strict, SAFE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, refusing repeated keys and aliases."""


class _StrictPythonLoader(_Strict, yaml.SafeLoader):
    """The same in pure Python, whose syntax errors say more (e.g. name a tab)."""


def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """repr(value), cut short: an error message never repeats a huge value in full."""
    if isinstance(value, str | int | float | bool) or value is None:
        text = repr(value)
    else:
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def _pure_python_error(text: str) -> yaml.YAMLError | None:
    """The pure-Python parser's error for the same text: it says more (e.g. names a tab)."""
    try:
        yaml.load(text, Loader=_StrictPythonLoader)
    except yaml.YAMLError as exc:
        return exc
    except RecursionError:
        return None
    return None


def parse_yaml(text: str, name: str) -> Any:
    """What a YAML text holds; a syntax error, a repeated key or an alias names its line."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except RecursionError:
        raise DataError(
            f"{name}: the YAML is nested too deeply to read (lists or blocks inside one another "
            "hundreds of levels deep); no data file needs that. Look for a long run of '[' or '-'.",
            file=name,
        ) from None
    except yaml.YAMLError as fast_error:
        refused = fast_error if isinstance(fast_error, RefusedYAML) else None
        exc: yaml.YAMLError = refused or _pure_python_error(text) or fast_error
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, RefusedYAML):
            line = _first_alias_line(text) if "alias" in problem else line
            raise DataError(f"{name}, line {line}: {problem}.", file=name, line=line) from None
        where = f" at line {line}, column {mark.column + 1}" if mark else ""
        tabs = " YAML indents with spaces, never tabs." if "\\t" in problem else ""
        raise DataError(
            f"{name}: not valid YAML{where}: {problem}.{tabs}",
            file=name,
            line=line,
        ) from None


def _first_alias_line(text: str) -> int | None:
    """The line of the first alias (the node it repeats keeps only the anchor's line)."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1 if event.start_mark else None
    return None


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree of a YAML text (which keeps lines), for text `parse_yaml` has accepted."""
    return yaml.compose(text, Loader=SAFE_LOADER)


# What every kernel reads from YAML (the case library, the anatomy: about 0.1 CPU-s of parsing per
# student opening the explorer) is kept in one JSON file, keyed by the SHA-256 of each file's text,
# so a changed file is parsed afresh and its new form saved. JSON, never pickle: a cache file that
# has been tampered with can only fail to load. The file carries the SHA-256 of its own body and is
# ignored (and rewritten) when it does not match or does not parse. KNEESCI_CACHE names the file;
# set it empty to parse every time.
CACHE_ENV = "KNEESCI_CACHE"
_cached_yaml: dict[str, dict[str, str]] = {}  # cache file -> {sha256 of a text: its JSON}


def yaml_cache_path() -> Path | None:
    """Where parsed YAML is kept: $KNEESCI_CACHE, or the user's cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kneesci" / "parsed-yaml.json"


def _read_cache(path: Path) -> dict[str, str]:
    try:
        checksum, _, body = path.read_bytes().partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode("ascii") != checksum:
            return {}
        documents = json.loads(body)
    except (OSError, ValueError):
        return {}
    if not isinstance(documents, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in documents.items()
    ):
        return {}
    return documents


def _write_cache(path: Path, documents: dict[str, str]) -> None:
    body = json.dumps(documents, separators=(",", ":")).encode("utf-8")
    part = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
        os.replace(part, path)  # readers see the old file or the new one, never half of one
    except OSError:
        part.unlink(missing_ok=True)  # a read-only cache: parse each time


def _parse_yaml(text: str, name: str) -> Any:
    """`parse_yaml`, or the same text's result saved by an earlier kernel."""
    path = yaml_cache_path()
    if path is None:
        return parse_yaml(text, name)
    documents = _cached_yaml.get(str(path))
    if documents is None:
        documents = _cached_yaml[str(path)] = _read_cache(path)
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if key in documents:
        return json.loads(documents[key])  # a fresh copy: callers may change what they get
    data = parse_yaml(text, name)  # refuses repeated keys and aliases, naming the line
    try:
        encoded = json.dumps(data, separators=(",", ":"))
    except (TypeError, ValueError):  # a date, say: JSON cannot hold it
        return data
    if json.loads(encoded) == data:  # only what JSON holds exactly (no number keys)
        documents[key] = encoded
        merged = {**_read_cache(path), **documents}  # what other kernels saved meanwhile
        # Texts of edited files stay behind; past a few dozen, keep only this process's.
        _write_cache(path, merged if len(merged) <= 64 else documents)
    return data


def read_yaml(path: Path, name: str) -> tuple[str, Any]:
    """The text of a YAML file and what it holds; a syntax error names its line and column."""
    text = read_text(path, name)
    return text, _parse_yaml(text, name)
