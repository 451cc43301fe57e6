"""Shared fixtures: the bundled knowledge base and a tiny hand-worked one."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import kneesci
from kneesci_testing.browser import CHROMIUM, FLAGS

TINY = Path(__file__).parent / "fixtures" / "tiny"


def pytest_configure(config) -> None:
    # The game keeps every student's progress in the Jupyter data directory. Point the whole run
    # (and the kernels and servers it starts) at a throwaway one, so tests never touch the real
    # file of whoever runs them.
    os.environ["JUPYTER_DATA_DIR"] = tempfile.mkdtemp(prefix="kneesci-test-data-")


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


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module (the browser tests, marked `browser`)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is not installed: run `make test` (installs it) or apt-get install chromium"
        )
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
