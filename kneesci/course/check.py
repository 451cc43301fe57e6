"""Check a knowledge-base folder and report every problem in one run: ``python -m kneesci check``.

Loading stops at the first problem; after an afternoon in a spreadsheet a lecturer wants them all.
The check reads the folder with the same readers as :func:`kneesci.load`, but inside
:func:`kneesci.reading.collecting`: each problem is recorded, its row set aside, and reading goes
on.
A problem that only follows from one already reported (a finding id that is unknown because its
row was set aside) is not reported twice.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..model.errors import DataError
from ..model.knowledge_base import KnowledgeBase, bundled_data_path
from ..model.loading import FINDING_GROUPS, check_folder_readable, read_data
from ..model.reading import GUIDE, collecting, read_on

CASES_FILE = "cases.yaml"
MANAGEMENT_FILE = "management.csv"
ANATOMY_FOLDER = "anatomy"


@dataclass
class CheckResult:
    """What a check found: the problems, the knowledge base if it could be built, and notes."""

    folder: Path
    problems: list[DataError]
    kb: KnowledgeBase | None = None
    cases: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_folder(folder: str | Path | None = None) -> CheckResult:
    """Read a data folder (the bundled one by default) and its case library; every problem."""
    root = Path(folder) if folder is not None else bundled_data_path()
    with collecting() as problems:
        if not root.is_dir():
            problems.add(DataError(f"{root}: knowledge-base folder not found."))
            return CheckResult(root, problems.found)
        try:
            check_folder_readable(root)
        except DataError as error:
            problems.add(error)
            return CheckResult(root, problems.found)
        kb = read_on(lambda: _knowledge_base(root))
        result = CheckResult(root, problems.found, kb)
        if problems.unreadable:
            result.notes.append(
                f"Could not read {', '.join(problems.unreadable)}: the rows that name its ids "
                "were not checked. Fix it and check again."
            )
        if kb is None:
            result.notes.append(
                "The case library and management table were not checked: the knowledge base "
                "could not be built. Fix the problems above and check again."
            )
        else:
            _check_beside(kb, root, result)
        anatomy = root / ANATOMY_FOLDER
        if anatomy.is_dir():
            from .anatomy import Anatomy

            read_on(lambda: Anatomy(anatomy))
    return result


def _knowledge_base(root: Path) -> KnowledgeBase | None:
    raw = read_data(root)
    try:
        return KnowledgeBase(raw, root)
    except (KeyError, IndexError):  # a table with rows set aside can be too incomplete to use
        return None


def _check_beside(kb: KnowledgeBase, root: Path, result: CheckResult) -> None:
    """The files checked against the knowledge base: the case library and the management table."""
    cases_file = root / CASES_FILE
    if cases_file.is_file():
        from .cases import load_cases

        result.cases = read_on(lambda: load_cases(kb, cases_file)) or {}
    else:
        result.notes.append(f"No case library ({CASES_FILE}) in this folder.")
    management_file = root / MANAGEMENT_FILE
    if management_file.is_file():
        from .management import read_management

        read_on(lambda: read_management(management_file, kb))
    _check_exercises(kb, root)


def _check_exercises(kb: KnowledgeBase, root: Path) -> None:
    """The exercise bank: its YAML, its fields and the ids it names (it is data, like the rest)."""
    from .exercises import FILE, read_specs

    path = root / FILE
    if path.is_file():
        read_on(lambda: read_specs(path, kb))


def summary(result: CheckResult) -> list[str]:
    """What the data holds, in a few lines a lecturer can compare with what they meant to add."""
    kb = result.kb
    if kb is None:
        return []
    by_group = ", ".join(
        f"{sum(f.group == g for f in kb.findings.values())} {g}" for g in FINDING_GROUPS
    )
    counts = kb.provenance_counts
    lines = [
        f"  conditions   {len(kb.conditions):>4}",
        f"  findings     {len(kb.findings):>4}  ({by_group})",
        f"  settings     {len(kb.settings):>4}  ({', '.join(kb.settings)})",
        f"  red flags    {len(kb.red_flags):>4}  ({len(kb.red_flag_rules)} rules, "
        f"{len(kb.red_flag_terms)} shared terms)",
        f"  references   {len(kb.references):>4}",
        f"  numbers      {counts['total']:>4}  ({counts['cited']} cited, "
        f"{counts['estimated']} estimated)",
    ]
    if result.cases:
        per_condition = dict.fromkeys(kb.conditions, 0)
        for case in result.cases.values():
            per_condition[case.diagnosis] += 1
        without = [c for c, n in per_condition.items() if n == 0]
        # With rows left out the count is of what was read, so a missing condition proves nothing.
        tail = f"  (no case yet for {', '.join(without)})" if without and result.ok else ""
        lines.append(f"  cases        {len(result.cases):>4}{tail}")
    return lines


def render(result: CheckResult, out: TextIO) -> None:
    """Print the problems, one a line, then the summary and what to do next."""
    print(f"Checking {result.folder}", file=out)
    n = len(result.problems)
    if n:
        print(f"\n{n} problem{'s' if n > 1 else ''}:", file=out)
        for number, problem in enumerate(result.problems, start=1):
            print(f"{number:>3}. {problem}", file=out)
    for note in result.notes:
        print(f"\n{note}", file=out)
    lines = summary(result)
    if lines:
        heading = "What the data holds" + (" (rows with problems left out)" if n else "")
        print(f"\n{heading}:", file=out)
        print("\n".join(lines), file=out)
    if n:
        print(
            f"\n{n} problem{'s' if n > 1 else ''} found. Fix them and run "
            f"`python -m kneesci check` again; {GUIDE} explains each kind.",
            file=out,
        )
    else:
        print("\nNo problems found.", file=out)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """The command line: ``python -m kneesci check [PATH]``; returns the exit status."""
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m kneesci", description="Tools for the kneesci knowledge base."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check",
        help="check a data folder and its case library; list every problem",
        description="Check a knowledge-base folder (default: the bundled data) and its case "
        "library, list every problem (file, line, field, what is wrong) and summarise what "
        "the data holds. Exits with status 1 if there is any problem.",
    )
    check.add_argument("path", nargs="?", help="the data folder (default: the bundled one)")
    args = parser.parse_args(argv)
    result = check_folder(args.path)
    render(result, out or sys.stdout)
    return 0 if result.ok else 1
