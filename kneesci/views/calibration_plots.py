"""The calibration view: stated confidence against how often the answer was right.

>>> rows = [{"correct": True, "confidence": 0.9, "model_probability": 0.6}] * 3
>>> display = plot_calibration(rows)
>>> display.alt_text.startswith("Reliability plot")
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..course.calibration import Calibration, calibration, reliability
from . import palette
from .figure import FigureView, figure_png


@dataclass
class CalibrationDisplay(FigureView):
    """A drawn reliability plot with the feedback sentence as its words."""

    figure: Figure
    ax: Axes
    result: Calibration | None

    @property
    def alt_text(self) -> str:
        if self.result is None:
            return "Reliability plot: not enough answers with a stated confidence yet."
        return (
            f"Reliability plot of {self.result.cases} answers: stated confidence against the "
            f"share answered correctly. {self.result.sentence()}"
        )

    def to_png(self) -> bytes:
        return figure_png(self.figure)

    def to_html(self, element_id: str | None = None) -> str:
        """The picture with its alt text, and the feedback sentence beneath it for everyone."""
        words = self.result.sentence() if self.result else self.alt_text
        return super().to_html(element_id) + f"<p>{html.escape(words)}</p>"


def plot_calibration(
    rows: Sequence[Mapping], ax: Axes | None = None, min_cases: int | None = None
) -> CalibrationDisplay:
    """Student (filled) and model (open) reliability points against perfect calibration.

    Point size follows how many answers fell in each band of stated confidence.
    """
    if ax is None:
        fig = Figure(figsize=(4.6, 4.2), layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure
    result = calibration(rows) if min_cases is None else calibration(rows, min_cases)
    ax.plot([0, 1], [0, 1], color=palette.MUTED, lw=1, ls="--", label="perfect calibration")
    for key, colour, label, filled in (
        ("confidence", palette.FOR, "you", True),
        ("model_probability", palette.AGAINST, "the model, same answers", False),
    ):
        bands = reliability(rows, key)
        if not bands:
            continue
        ax.scatter(
            [b.mean_confidence for b in bands],
            [b.accuracy for b in bands],
            s=[40 + 30 * b.count for b in bands],
            facecolors=colour if filled else "none",
            edgecolors=colour,
            linewidths=1.5,
            label=label,
            zorder=3,
        )
    ax.set(xlim=(0, 1.02), ylim=(-0.02, 1.02), aspect="equal")
    ax.set_xlabel("How sure (stated probability)", fontsize=palette.FONT_SIZE)
    ax.set_ylabel("How often right", fontsize=palette.FONT_SIZE)
    ax.set_title("Are you as right as you feel?", fontsize=palette.TITLE_SIZE)
    ax.legend(loc="upper left", fontsize=palette.FONT_SIZE - 1, frameon=False)
    return CalibrationDisplay(fig, ax, result)
