"""Write the evidence to-do list into data/README.md (the section between its markers).

    .venv/bin/python tools/evidence_todo.py          # refresh after the numbers change
    .venv/bin/python tools/evidence_todo.py --check  # exit 1 if the README is out of date

Ranks the estimated numbers by how much the case library's answers move when each is set to an
end of its 80% interval (see `kneesci.course.library_evaluation.sensitivity_ranking`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import kneesci
from kneesci.cases import load_cases
from kneesci.course.library_evaluation import (
    evidence_todo_markdown,
    replace_generated_section,
    sensitivity_ranking,
)

README = Path(__file__).resolve().parent.parent / "data" / "README.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check that it is current")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    kb = kneesci.load()
    cases = load_cases(kb)
    body = evidence_todo_markdown(sensitivity_ranking(kb, cases.values()), len(cases), args.top)
    text = README.read_text(encoding="utf-8")
    new = replace_generated_section(text, body)
    if args.check:
        if new != text:
            print(f"{README}: the evidence to-do list is out of date; run {sys.argv[0]}.")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print(f"Wrote the evidence to-do list ({args.top} numbers) to {README}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
