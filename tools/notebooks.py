"""Keep committed notebooks readable: outputs stripped, widget state removed.

The one exception is the text output of cells marked ``# NBVAL_CHECK_OUTPUT``: that text is the
teaching claim nbval compares against the live model, so it stays in the file.

    python tools/notebooks.py strip      # strip every notebook in notebooks/
    python tools/notebooks.py refresh    # run, keep the checked outputs, strip the rest
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECK = "# NBVAL_CHECK_OUTPUT"
KEEP_MIME = "text/plain"


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK)


def text_only(outputs: list) -> list:
    """Keep streams and plain-text results; drop images, HTML and widget views."""
    kept = []
    for out in outputs:
        if out.output_type == "stream":
            kept.append(out)
        elif out.output_type in ("execute_result", "display_data") and KEEP_MIME in out.data:
            out.data = {KEEP_MIME: out.data[KEEP_MIME]}
            out.metadata = {}
            kept.append(out)
    return kept


def strip(nb) -> None:
    nb.metadata.pop("widgets", None)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = text_only(cell.outputs) if is_checked(cell) else []
        # nbval refuses stored outputs on a cell with no execution count, so checked cells keep one
        if cell.outputs:
            count += 1
            cell.execution_count = count
        else:
            cell.execution_count = None


def refresh(path: Path) -> None:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
    strip(nb)
    nbformat.write(nb, path)


def main(command: str, paths: list[str]) -> None:
    targets = [Path(p) for p in paths] or NOTEBOOKS
    for path in targets:
        if command == "refresh":
            refresh(path)
        else:
            nb = nbformat.read(path, as_version=4)
            strip(nb)
            nbformat.write(nb, path)
        print(f"{command}: {path.relative_to(ROOT) if path.is_absolute() else path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "strip", sys.argv[2:])
