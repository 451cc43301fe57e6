"""Shared fixtures: the bundled knowledge base and a tiny hand-worked one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kneesci

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def kb() -> kneesci.KnowledgeBase:
    return kneesci.load()


@pytest.fixture
def tiny() -> kneesci.KnowledgeBase:
    return kneesci.load(TINY)


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny knowledge base, for breaking one file at a time."""
    target = tmp_path / "data"
    shutil.copytree(TINY, target)
    return target
