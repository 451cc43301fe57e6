"""Helpers for tests that edit a copy of a data folder and read the error it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import kneesci
from kneesci import DataError


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace text in a fixture file, failing if the text to replace is not there."""
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count))


def load_error(folder: Path) -> str:
    """The message of the DataError that loading `folder` raises."""
    with pytest.raises(DataError) as info:
        kneesci.load(folder)
    return str(info.value)
