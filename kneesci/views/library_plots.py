"""The confusion matrix of the case library as a figure (view layer: matplotlib lives here).

Rows are the sources' diagnoses, columns the model's leading condition; each cell counts cases and
prints its number, so the figure never relies on colour alone. The diagonal is outlined.

>>> import kneesci
>>> from kneesci.cases import load_cases
>>> from kneesci.library_report import library_report
>>> from kneesci.library_plots import plot_confusion_matrix
>>> kb = kneesci.load()
>>> figure = plot_confusion_matrix(library_report(kb, load_cases(kb)))
>>> figure.alt_text.startswith("Confusion matrix of")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import palette
from .anatomy_plots import AnatomyFigure

if TYPE_CHECKING:
    from ..course.library_report import LibraryReport

# White (no cases) to the course blue; numbers switch to white text on the darker cells.
CMAP = LinearSegmentedColormap.from_list("cases", ["#FFFFFF", palette.OKABE_ITO["blue"]])


def plot_confusion_matrix(report: LibraryReport, ax: Axes | None = None) -> AnatomyFigure:
    """Draw the library's confusion matrix on `ax` (or a new figure); returns it with alt text."""
    if ax is None:
        figure = Figure(figsize=(8.0, 7.0), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    counts = report.confusion
    k = len(report.conditions)
    most = max(int(counts.max()), 1)
    ax.imshow(counts, cmap=CMAP, vmin=0, vmax=most)
    for i in range(k):
        for j in range(k):
            value = int(counts[i, j])
            if value:
                colour = "white" if value > most / 2 else "black"
                ax.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    color=colour,
                    fontsize=palette.FONT_SIZE,
                )
        ax.add_patch(
            Rectangle(
                (i - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=palette.OUTLINE, linewidth=1.2
            )
        )
    ax.set_xticks(range(k), report.labels, rotation=60, ha="right", fontsize=palette.FONT_SIZE - 1)
    ax.set_yticks(
        range(k),
        [f"{label} ({int(counts[i].sum())})" for i, label in enumerate(report.labels)],
        fontsize=palette.FONT_SIZE - 1,
    )
    ax.set_xlabel("Model's leading condition", fontsize=palette.FONT_SIZE)
    ax.set_ylabel("Diagnosis in the source (cases)", fontsize=palette.FONT_SIZE)
    ax.set_title(
        f"{report.n} library cases: top-1 {report.top1:.0%}, top-3 {report.top3:.0%}",
        fontsize=palette.TITLE_SIZE,
    )
    return AnatomyFigure(figure, (ax,), alt_text=confusion_alt_text(report))


def confusion_alt_text(report: LibraryReport) -> str:
    """A sentence a screen reader can use instead of the matrix."""
    rows = report.per_condition.values()
    right = "; ".join(f"{r.label} {r.top1} of {r.n}" for r in rows if r.n)
    confused = "; ".join(
        f"{report.per_condition[a].label} led by {report.per_condition[b].label} ({n})"
        for a, b, n in report.most_confused(3)
    )
    text = (
        f"Confusion matrix of {report.n} library cases: the source's diagnosis in rows, the "
        f"model's leading condition in columns. Top-1 {report.top1:.0%}, top-3 {report.top3:.0%}. "
        f"Ranked first, per condition: {right}."
    )
    return text + (f" Commonest confusions: {confused}." if confused else "")
