"""The chart of a two-condition comparison (view layer: matplotlib lives here and above).

Two stacked bars, each summing to 100%: the upper one is the pair on its own ("if it is one of
these two, which?"), the lower one the same two conditions inside the full differential, with every
other condition in grey. Built once; `update` moves the existing rectangles and labels. The second
condition is hatched as well as coloured, so the two never differ by colour alone.

>>> import kneesci
>>> from kneesci.compare_plots import PairChart
>>> kb = kneesci.load()
>>> chart = PairChart(kb, "lumbar_spinal_stenosis", "peripheral_artery_disease")
>>> chart.update(kb.differential({"relieved_by_standing_still": True}))
>>> chart.alt_text.startswith("Two stacked bars")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..course.compare import pair_odds
from . import palette
from .describe import percent
from .figure import FigureView, png_bytes

if TYPE_CHECKING:
    from ..model.inference import Differential
    from ..model.knowledge_base import KnowledgeBase

COLOUR_A = palette.OKABE_ITO["blue"]
COLOUR_B = palette.OKABE_ITO["orange"]
COLOUR_REST = palette.MUTED
HATCH_B = "///"
MIN_LABEL_WIDTH = 0.09  # segments narrower than this carry no label inside (the text twin has it)
ROWS = ("Within the pair", "Full differential")


class PairChart(FigureView):
    """Stacked bars of two conditions' probabilities: within the pair and in the differential."""

    def __init__(self, kb: KnowledgeBase, a: str, b: str, ax: Axes | None = None):
        self.kb, self.a, self.b = kb, a, b
        if ax is None:
            self.figure = Figure(figsize=(6.4, 2.5), dpi=100)
            FigureCanvasAgg(self.figure)
            self.figure.subplots_adjust(left=0.22, right=0.95, top=0.66, bottom=0.16)
            ax = self.figure.add_subplot()
        else:
            self.figure = ax.figure
        self.ax = ax
        y_pair, y_full = 1, 0
        self.pair_a = ax.barh(y_pair, 0.5, left=0, color=COLOUR_A, height=0.6)[0]
        self.pair_b = ax.barh(
            y_pair, 0.5, left=0.5, color=COLOUR_B, hatch=HATCH_B, edgecolor="white", height=0.6
        )[0]
        self.full_a = ax.barh(y_full, 0.0, left=0, color=COLOUR_A, height=0.6)[0]
        self.full_b = ax.barh(
            y_full, 0.0, left=0, color=COLOUR_B, hatch=HATCH_B, edgecolor="white", height=0.6
        )[0]
        self.full_rest = ax.barh(y_full, 1.0, left=0, color=COLOUR_REST, height=0.6)[0]
        self.labels = {
            key: ax.text(0, y, "", ha="center", va="center", fontsize=palette.FONT_SIZE, color=c)
            for key, y, c in (
                ("pair_a", y_pair, "white"),
                ("pair_b", y_pair, "black"),
                ("full_a", y_full, "white"),
                ("full_b", y_full, "black"),
                ("full_rest", y_full, "black"),
            )
        }
        ax.set_yticks([y_pair, y_full], list(ROWS))
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.5, 1.5)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=palette.FONT_SIZE)
        name_a, name_b = kb.conditions[a].label, kb.conditions[b].label
        self.figure.legend(
            handles=[
                Patch(color=COLOUR_A, label=name_a),
                Patch(facecolor=COLOUR_B, hatch=HATCH_B, edgecolor="white", label=name_b),
                Patch(color=COLOUR_REST, label="all other conditions"),
            ],
            loc="upper left",
            bbox_to_anchor=(0.01, 0.99),
            ncol=2,
            frameon=False,
            fontsize=palette.FONT_SIZE - 1,
            handlelength=1.6,
            columnspacing=1.0,
        )
        self.alt_text = ""

    def _segment(self, bar, key: str, left: float, width: float) -> None:
        bar.set_x(left)
        bar.set_width(width)
        label = self.labels[key]
        label.set_x(left + width / 2)
        label.set_text(percent(width) if width >= MIN_LABEL_WIDTH else "")

    def update(self, dx: Differential) -> None:
        """Move the bars to this differential's numbers (no new artists are made)."""
        odds = pair_odds(dx, self.a, self.b)
        pa = odds.probability_a
        fa, fb = dx.probability(self.a), dx.probability(self.b)
        self._segment(self.pair_a, "pair_a", 0.0, pa)
        self._segment(self.pair_b, "pair_b", pa, 1.0 - pa)
        self._segment(self.full_a, "full_a", 0.0, fa)
        self._segment(self.full_b, "full_b", fa, fb)
        self._segment(self.full_rest, "full_rest", fa + fb, max(1.0 - fa - fb, 0.0))
        name_a, name_b = self.kb.conditions[self.a].label, self.kb.conditions[self.b].label
        self.alt_text = (
            f"Two stacked bars. Within the pair: {name_a} {percent(pa)}, "
            f"{name_b} {percent(1.0 - pa)}. In the full differential: {name_a} {percent(fa)}, "
            f"{name_b} {percent(fb)}, all other conditions {percent(max(1.0 - fa - fb, 0.0))}."
        )

    def to_png(self) -> bytes:
        """Render and encode; the chart is small, so a full draw stays quick."""
        self.figure.canvas.draw()
        return png_bytes(self.figure.canvas)


__all__ = ["PairChart"]
