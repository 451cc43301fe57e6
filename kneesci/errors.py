"""The errors kneesci raises where bad input enters: data files, finding ids, finding values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DataError(ValueError):
    """A knowledge-base file is malformed or inconsistent; the message names file, row and field."""


class UnknownIdError(KeyError):
    """An id that the knowledge base does not define; the message suggests the nearest valid ids."""

    def __init__(self, kind: str, unknown: str, valid: Iterable[str]):
        self.kind = kind
        self.id = unknown
        self.suggestions = difflib.get_close_matches(str(unknown), sorted(valid), n=3, cutoff=0.5)
        hint = (
            f" Did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else ""
        )
        self.message = f"Unknown {kind} id {unknown!r}.{hint}"
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
