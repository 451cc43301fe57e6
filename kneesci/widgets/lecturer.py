"""The lecturer's class session: collect the students' score sheets and show the class's results.

    >>> from kneesci.widgets.lecturer import ClassSheets
    >>> sheets = ClassSheets(folder="class_sheets")

Students press *Download my results* in the game and hand in the CSV file. The lecturer puts the
files in one folder (or adds them with *Add sheets*, which saves them there) and presses *Read the
sheets*: the class summary (`kneesci.progress.class_summary`) and the class's calibration
(`kneesci.calibration`) appear, with no code to type. Each case is named by its number and both
titles, because the lecturer may see the diagnosis; keep this off the projector until the reveal.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from .. import load
from ..course.calibration import calibration
from ..course.cases import load_cases
from ..course.game import ScoreSheet
from ..course.progress import ClassSummary, class_summary
from ..model.knowledge_base import KnowledgeBase
from ..views.calibration_plots import plot_calibration

DEFAULT_FOLDER = "class_sheets"


class ClassSheets(widgets.VBox):
    """A folder of exported score sheets, merged into the class summary and calibration."""

    def __init__(self, folder: str | Path = DEFAULT_FOLDER, kb: KnowledgeBase | None = None):
        self.kb = kb or load()
        self.cases = load_cases(self.kb)
        self.folder = widgets.Text(
            value=str(folder),
            description="Folder of sheets",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="40em"),
        )
        self.upload = widgets.FileUpload(
            accept=".csv", multiple=True, description="Add sheets", icon="upload"
        )
        self.upload.observe(self._on_upload, names="value")
        self.read_button = widgets.Button(
            description="Read the sheets",
            icon="users",
            button_style="primary",
            tooltip="Merge every .csv sheet in the folder into the class summary",
            layout=widgets.Layout(width="auto"),
        )
        self.read_button.on_click(lambda _: self.read())
        self.notice = widgets.HTML()
        self.summary = widgets.HTML()
        super().__init__(
            [
                self.folder,
                widgets.HBox(
                    [self.upload, self.read_button], layout=widgets.Layout(flex_flow="row wrap")
                ),
                self.notice,
                self.summary,
            ]
        )
        self.add_class("kneesci-class-sheets")

    @property
    def paths(self) -> list[Path]:
        """The sheets in the folder, in name order."""
        folder = Path(self.folder.value).expanduser()
        return sorted(folder.glob("*.csv")) if folder.is_dir() else []

    def add_sheet(self, name: str, content: bytes) -> Path:
        """Save one uploaded sheet into the folder (its own name, never a path) and return it."""
        folder = Path(self.folder.value).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / Path(name).name
        if path.suffix.lower() != ".csv":
            raise ValueError(f"{name}: a score sheet is a .csv file.")
        path.write_bytes(bytes(content))
        return path

    def read(self) -> ClassSummary | None:
        """Merge the folder's sheets and show the summary; a bad file is named, not a traceback."""
        paths = self.paths
        if not paths:
            self.summary.value = ""
            self.notice.value = _notice(
                f"No .csv sheets in {html.escape(self.folder.value)!s} yet. Put the students' "
                "files there, or add them with <b>Add sheets</b>, then press <b>Read the "
                "sheets</b>."
            )
            return None
        try:
            result = class_summary(paths)
            rows = [
                row
                for path in paths
                for row in ScoreSheet.from_csv(path.read_text("utf-8-sig"), name=path.name).rows
            ]
        except (ValueError, OSError) as err:
            self.summary.value = ""
            self.notice.value = _notice(f"Could not read the sheets: {html.escape(str(err))}")
            return None
        names = ", ".join(html.escape(p.name) for p in paths)
        self.notice.value = _notice(f"Read {len(paths)} sheets: {names}.")
        self.summary.value = self.summary_html(result, rows)
        return result

    def summary_html(self, result: ClassSummary, rows: list[dict]) -> str:
        """The class summary as headed tables, then the calibration plot beside the model's."""
        parts = [
            "<h3 class='kneesci-heading'>Class summary</h3>",
            f"<p><b>{result.students} students, {result.games} games.</b></p>",
        ]
        missed = [m for m in result.most_missed() if m[1] > 0]
        if missed:
            cells = "".join(
                f"<tr><td>{self._case_name(case)}</td><td>{rate:.0%}</td><td>{n}</td></tr>"
                for case, rate, n in missed
            )
            parts.append(
                "<table class='kneesci-class-table'><caption>Most often missed</caption>"
                "<tr><th>Case</th><th>Wrong</th><th>Games</th></tr>" + cells + "</table>"
            )
        elif result.case_results:
            parts.append("<p>Every scored game was answered correctly.</p>")
        if result.red_flags_missed:
            cells = "".join(
                f"<tr><td>{self._case_name(case)}</td><td>{count}</td></tr>"
                for case, count in sorted(result.red_flags_missed.items(), key=lambda kv: -kv[1])
            )
            parts.append(
                "<table class='kneesci-class-table'><caption>Red flags missed</caption>"
                "<tr><th>Case</th><th>Games</th></tr>" + cells + "</table>"
            )
        parts.append("<h3 class='kneesci-heading'>Class calibration</h3>")
        if result.calibration is None or calibration(rows) is None:
            parts.append(
                "<p>Not enough answers with a stated confidence yet: the calibration needs "
                "at least three, each with <b>How sure?</b> chosen before Commit.</p>"
            )
        else:
            parts.append(
                f"<p>{html.escape(_class_words(result.calibration.sentence()))}</p>"
                + plot_calibration(rows).to_html()
            )
        return "".join(parts)

    def _case_name(self, case_id: str) -> str:
        case = self.cases.get(case_id)
        if case is None:  # a simulated patient, or a case from another version of the library
            return html.escape(case_id)
        return f"{html.escape(case.student_title)}<br><i>{html.escape(case.instructor_title)}</i>"

    def _on_upload(self, change) -> None:
        saved = []
        try:
            for item in change["new"]:
                saved.append(self.add_sheet(item["name"], item["content"]))
        except (ValueError, OSError) as err:
            self.notice.value = _notice(html.escape(str(err)))
            return
        if saved:
            self.read()


def _class_words(sentence: str) -> str:
    """The student's calibration sentence, spoken to a class."""
    return (
        sentence.replace("On average you were", "On average the class was")
        .replace("Your reasoning is better than you think; say so when you commit.", "")
        .replace("Your Brier score", "The class's Brier score")
        .strip()
    )


def _notice(text_html: str) -> str:
    return f"<p role='status' class='kneesci-notice'>{text_html}</p>"
