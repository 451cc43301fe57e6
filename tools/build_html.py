"""Build a read-only HTML version of every notebook (run top to bottom) in build/html/.

    make html

For students who only want to read, or for a printout: figures and text are rendered, and each
widget appears as a static snapshot of its last state (its images with their alt text, its text,
the choices it offered) built from the widget state the run saved. No exercise answer is in a
snapshot, because answers stay in the kernel until a student presses Check. Printable case cards
(one patient per page) are written beside the notebooks.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "html"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SNAPSHOT_NOTE = (
    "<p class='kneesci-snapshot-note'><i>A snapshot of an interactive widget: open this notebook "
    "in JupyterLab to use it.</i></p>"
)


def _ref(value: object) -> str | None:
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        return value[len("IPY_MODEL_") :]
    return None


class Snapshot:
    """Turns saved widget state into static HTML, one model at a time."""

    def __init__(self, state: dict):
        self.models = state

    def hidden(self, model: dict) -> bool:
        layout = self.models.get(_ref(model["state"].get("layout")) or "", {})
        return layout.get("state", {}).get("display") == "none"

    def __call__(self, model_id: str) -> str:
        model = self.models.get(model_id)
        if model is None or self.hidden(model):
            return ""
        name = model.get("model_name", "")
        state = model.get("state", {})
        esc = html.escape
        label = esc(state.get("description", "") or "")
        if name in ("HTMLModel", "HTMLMathModel"):
            return f"<div>{state.get('value', '')}</div>"
        if name == "LabelModel":
            return f"<div>{esc(state.get('value', ''))}</div>"
        if name in ("VBoxModel", "BoxModel", "GridBoxModel", "HBoxModel"):
            direction = "row" if name == "HBoxModel" else "column"
            inner = "".join(self(_ref(c) or "") for c in state.get("children", []))
            return f"<div style='display:flex;flex-flow:{direction} wrap;gap:4px'>{inner}</div>"
        if name in ("AccordionModel", "TabModel", "StackModel"):
            titles = list(state.get("titles") or [])
            parts = []
            for i, child in enumerate(state.get("children", [])):
                title = esc(titles[i] if i < len(titles) and titles[i] else f"Section {i + 1}")
                is_open = " open" if state.get("selected_index") == i else ""
                parts.append(
                    f"<details{is_open}><summary>{title}</summary>{self(_ref(child) or '')}"
                    "</details>"
                )
            return "".join(parts)
        if name in ("DropdownModel", "SelectModel"):
            options = state.get("_options_labels", [])
            index = state.get("index")
            chosen = esc(options[index]) if index is not None and index < len(options) else "-"
            return f"<div>{label}: <b>{chosen}</b></div>"
        if name in ("RadioButtonsModel", "ToggleButtonsModel"):
            options = state.get("_options_labels", [])
            index = state.get("index")
            marks = " ".join(
                f"{'&#9673;' if i == index else '&#9675;'} {esc(o)}" for i, o in enumerate(options)
            )
            return f"<div>{label}{': ' if label else ''}{marks}</div>"
        if name in ("CheckboxModel", "ToggleButtonModel"):
            mark = "&#9745;" if state.get("value") else "&#9744;"
            return f"<div>{mark} {label}</div>"
        if name in ("TextModel", "TextareaModel", "FloatTextModel", "IntTextModel"):
            return f"<div>{label}: <code>{esc(str(state.get('value', '')))}</code></div>"
        if name == "OutputModel":
            return "".join(_output_html(o) for o in state.get("outputs", []))
        return ""  # buttons and the like do nothing on paper


def _output_html(output: dict) -> str:
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"])
    if "image/png" in data:
        return f"<img src='data:image/png;base64,{data['image/png']}' alt=''>"
    text = output.get("text") or "".join(data.get("text/plain", ""))
    return f"<pre>{html.escape(text)}</pre>" if text else ""


def snapshot_widgets(nb) -> int:
    """Replace each widget view with a static snapshot of its state; returns how many."""
    saved = nb.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    snapshot = Snapshot(saved)
    count = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            view = data.pop(WIDGET_VIEW, None)
            if view is None:
                continue
            body = snapshot(view.get("model_id", ""))
            if body:
                data["text/html"] = f"<div class='kneesci-snapshot'>{body}{SNAPSHOT_NOTE}</div>"
                count += 1
    return count


def run(path: Path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def render_docs(out: Path) -> list[Path]:
    """The guides in docs/ (lecturer's guide, spreadsheet editing, deployment) as HTML pages."""
    import mistune  # nbconvert's own Markdown renderer

    out.mkdir(parents=True, exist_ok=True)
    to_html = mistune.create_markdown(plugins=["table"])
    written = []
    for source in sorted((ROOT / "docs").glob("*.md")):
        body = to_html(source.read_text(encoding="utf-8"))
        # Links between the guides point at their HTML twins.
        body = body.replace('.md"', '.html"')
        title = html.escape(source.stem.replace("-", " ").capitalize())
        page = (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "<style>body{max-width:52em;margin:2em auto;font-family:sans-serif;line-height:1.5}"
            "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}"
            f"</style></head><body>{body}</body></html>"
        )
        target = out / source.with_suffix(".html").name
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written


def main(names: list[str] | None = None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        if names and path.stem not in names:
            continue
        nb = run(path)
        snapshot_widgets(nb)
        body, _ = exporter.from_notebook_node(nb)
        target = OUT / path.with_suffix(".html").name
        target.write_text(body, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    from kneesci import load
    from kneesci.cards import case_cards_html
    from kneesci.cases import load_cases

    kb = load()
    cases = load_cases(kb)
    for instructor, name in ((False, "case_cards.html"), (True, "case_cards_instructor.html")):
        (OUT / name).write_text(case_cards_html(kb, cases, instructor), encoding="utf-8")
        print(f"wrote {(OUT / name).relative_to(ROOT)}")
    for page in render_docs(OUT / "docs"):
        print(f"wrote {page.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:] or None)
