"""The errors kneesci raises where bad input enters: data files, finding ids, finding values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_ID_LENGTH = 100


def nearest_ids(unknown: object, valid: Iterable[str]) -> list[str]:
    """Up to three valid ids spelled most like the unknown one."""
    if not isinstance(unknown, str | int | float) or len(str(unknown)) > MAX_ID_LENGTH:
        return []  # no id is spelled like a list or a page of text; comparing it would take long
    return difflib.get_close_matches(str(unknown), sorted(valid), n=3, cutoff=0.5)


def did_you_mean(unknown: object, valid: Iterable[str]) -> str:
    """The hint that ends an unknown-id message: " Did you mean 'x'?", or "" if none is close."""
    near = nearest_ids(unknown, valid)
    return f" Did you mean {', '.join(map(repr, near))}?" if near else ""


class DataError(ValueError):
    """A knowledge-base file is malformed or inconsistent; the message names file, row and field.

    The optional attributes say the same in parts, so that `python -m kneesci check` can set the
    row aside and read on: `file` and `line` locate it, `row` is the row's id, `field` the column,
    and `unknown` the id that was not found (if that is the problem).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        row: str | None = None,
        field: str | None = None,
        unknown: str | None = None,
    ):
        super().__init__(message)
        self.file, self.line, self.row, self.field, self.unknown = file, line, row, field, unknown


class UnknownIdError(KeyError):
    """An id that the knowledge base does not define; the message suggests the nearest valid ids."""

    def __init__(self, kind: str, unknown: str, valid: Iterable[str]):
        self.kind = kind
        self.id = unknown
        self.suggestions = nearest_ids(unknown, valid)
        text = repr(unknown)
        text = text if len(text) <= MAX_ID_LENGTH else text[: MAX_ID_LENGTH - 5] + "…" + text[-4:]
        self.message = f"Unknown {kind} id {text}.{did_you_mean(unknown, valid)}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.message


class ContradictionError(ValueError):
    """Two findings that cannot both hold, e.g. over 65 but not over 50."""

    def __init__(self, finding: str, implied: str):
        self.findings = (finding, implied)
        super().__init__(
            f"Contradictory findings: {finding!r} is present, which implies {implied!r}, "
            f"but {implied!r} is marked absent. Change one of them."
        )
