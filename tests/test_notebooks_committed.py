"""Committed notebooks are stripped, teach with a fixed outline, and really check their claims."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from notebooks import NOTEBOOKS, is_checked  # noqa: E402

NAMES = [p.name for p in NOTEBOOKS]


@pytest.fixture(params=NOTEBOOKS, ids=NAMES)
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_the_course_has_its_notebooks():
    assert len(NOTEBOOKS) >= 1
    assert NAMES[0] == "00_start_here.ipynb" or "00_start_here.ipynb" not in NAMES


def test_no_widget_state_is_committed(notebook):
    assert "widgets" not in notebook.metadata


def test_only_checked_cells_keep_output_and_only_as_text(notebook):
    assert notebook.cells, "nothing to check"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if not cell.outputs:
            assert cell.execution_count is None
        if not is_checked(cell):
            assert cell.outputs == [], cell.source[:60]
        for out in cell.outputs:
            assert out.output_type == "stream" or set(out.data) == {"text/plain"}


def test_every_checked_cell_has_an_expected_output(notebook):
    # Without stored output nbval has nothing to compare, and the check could never fail.
    assert notebook.cells, "nothing to check"
    for cell in notebook.cells:
        if is_checked(cell):
            assert cell.outputs, f"checked cell has no stored output: {cell.source[:80]!r}"


def test_outline_has_objectives_summary_and_references(notebook):
    headings = " ".join(
        line.lower()
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("#")
    )
    for part in ("objectives", "summary", "references"):
        assert part in headings
