"""Build a read-only HTML version of every notebook (run top to bottom) in build/html/.

    make html

For students who only want to read: figures and text are rendered; widgets need a live kernel,
so in the HTML they appear as their last state at best.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "html"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_REPR = re.compile(r"^\w+\((children|value|options)=")
PLACEHOLDER = "[Interactive widget: open this notebook in JupyterLab (make lab) to use it.]"


def without_widgets(nb) -> None:
    """Widget views need a live kernel (and a script from the web) to draw; show text instead."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if WIDGET_REPR.match(data.get("text/plain", "")):
                    data["text/plain"] = PLACEHOLDER


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        without_widgets(nb)
        body, _ = exporter.from_notebook_node(nb)
        target = OUT / path.with_suffix(".html").name
        target.write_text(body, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
