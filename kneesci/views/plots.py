"""Charts of the differential and of why it moved (the view layer; matplotlib lives here and above).

Each chart is built once and then updated in place: the axes, labels and grid are rendered once
and cached, and an update redraws only the bars and numbers that changed (blitting). That keeps a
click well under the time a student would notice. Nothing here calls ``plt.show()``.

>>> import kneesci
>>> from kneesci.plots import DifferentialChart
>>> kb = kneesci.load()
>>> chart = DifferentialChart(kb)
>>> chart.update(kb.differential({"groin_pain": True}))
>>> chart.alt_text.startswith("Bar chart of the differential")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from . import palette
from .describe import contributions_alt_text, differential_alt_text, percent
from .figure import FigureView, figure_png, png_bytes, screen_png

if TYPE_CHECKING:
    from ..model.inference import Contribution, Differential
    from ..model.knowledge_base import KnowledgeBase

GROUP_COLOURS = palette.GROUP_COLOURS


def _new_axes(ax: Axes | None, size: tuple[float, float], left: float) -> tuple[Figure, Axes]:
    """The caller's axes, or a new figure whose fixed margins leave `left` for the labels."""
    if ax is not None:
        return ax.figure, ax
    figure = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=left, right=0.95, top=0.9, bottom=0.14)
    return figure, figure.add_subplot()


def fit_left_margin(figure: Figure, ax: Axes, pad: float = 6.0) -> None:
    """Widen the left margin until every y tick label lies inside the figure (no clipped names).

    Only for figures a chart made itself; a caller's axes keep the caller's layout.
    """
    figure.canvas.draw()  # lays out the tick labels so their extents are known
    renderer = figure.canvas.get_renderer()
    labels = [t for t in ax.get_yticklabels() if t.get_text()]
    if not labels:
        return
    overflow = pad - min(t.get_window_extent(renderer).x0 for t in labels)
    if overflow > 0:
        left = figure.subplotpars.left + overflow / figure.bbox.width
        figure.subplots_adjust(left=min(left, 0.6))


class TextStamps:
    """Text rendered to pixels once and pasted thereafter.

    Rendering glyphs is most of the cost of redrawing a chart; the strings a chart shows (finding
    names, percentages) repeat, so each is rasterised the first time and reused.
    """

    def __init__(self, size: float = palette.FONT_SIZE, dpi: float = 100):
        self.prop = FontProperties(size=size)
        self.dpi = dpi
        self._cache: dict[tuple[str, str], np.ndarray] = {}
        self._probe = RendererAgg(1, 1, dpi)

    def __call__(self, text: str, colour: str = "#000000") -> np.ndarray:
        key = (text, colour)
        if key not in self._cache:
            w, h, d = self._probe.get_text_width_height_descent(text, self.prop, ismath=False)
            width, height = int(np.ceil(w)) + 2, int(np.ceil(h)) + 2
            renderer = RendererAgg(width, height, self.dpi)
            gc = renderer.new_gc()
            gc.set_foreground(to_rgba(colour))
            renderer.draw_text(gc, 1, height - 1 - d, text, self.prop, 0)
            self._cache[key] = np.asarray(renderer.buffer_rgba()).copy()
        return self._cache[key]


class StampedText:
    """A line of text pasted from `TextStamps`, anchored at a point in data coordinates."""

    def __init__(self, ax: Axes, stamps: TextStamps, ha: str = "left"):
        self.ax, self.stamps, self.ha = ax, stamps, ha
        self.text = ""
        self.pixels: np.ndarray | None = None
        self.column = self.row = 0
        self.visible = True

    def set(self, text: str, x: float, y: float, ha: str | None = None, colour: str = "#000000"):
        self.text = text
        self.pixels = self.stamps(text, colour) if text else None
        if self.pixels is None:
            return
        px, py = self.ax.transData.transform((x, y))
        height, width = self.pixels.shape[:2]
        offset = {"left": 0, "center": width / 2, "right": width}[ha or self.ha]
        self.column = int(round(px - offset))
        # display y runs up from the bottom; image rows run down from the top
        self.row = int(round(self.ax.figure.bbox.height - py - height / 2))

    def set_visible(self, visible: bool) -> None:
        self.visible = visible

    def paste(self, canvas_pixels: np.ndarray) -> None:
        """Alpha-blend the text into the rendered canvas (clipped to its edges)."""
        if not self.visible or self.pixels is None:
            return
        h, w = self.pixels.shape[:2]
        top, left = max(self.row, 0), max(self.column, 0)
        bottom = min(self.row + h, canvas_pixels.shape[0])
        right = min(self.column + w, canvas_pixels.shape[1])
        if bottom <= top or right <= left:
            return
        src = self.pixels[
            top - self.row : bottom - self.row, left - self.column : right - self.column
        ]
        dst = canvas_pixels[top:bottom, left:right, :3]
        alpha = src[..., 3:4].astype(np.float32) / 255.0
        dst[:] = (src[..., :3] * alpha + dst * (1.0 - alpha)).astype(np.uint8)


class BlitChart(FigureView):
    """Shared machinery: render the static parts once, then redraw only what changes."""

    def __init__(self, figure: Figure, ax: Axes):
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)  # blitting needs a raster canvas to copy from
        self.figure, self.ax = figure, ax
        self._background = None
        self._animated: list = []
        self._texts: list[StampedText] = []

    def animate(self, *artists) -> None:
        """Mark artists (or stamped texts) as the parts redrawn on every update."""
        for artist in artists:
            if isinstance(artist, StampedText):
                self._texts.append(artist)
            else:
                artist.set_animated(True)
                self._animated.append(artist)

    def render(self) -> None:
        """Draw into the canvas: the cached background plus the current bars and labels."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # lays out and draws everything not animated
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.ax.draw_artist(artist)
        pixels = np.asarray(canvas.buffer_rgba())
        for text in self._texts:
            text.paste(pixels)

    def to_png(self) -> bytes:
        self.render()
        return png_bytes(self.figure.canvas)

    def to_screen_png(self) -> bytes:
        """A palette PNG (`screen_png`): 2-3 times smaller, a few ms more to encode; for a page,
        not an export."""
        self.render()
        return screen_png(self.figure.canvas)


class DifferentialChart(BlitChart):
    """Horizontal bars of every condition's probability, in a fixed order so bars grow and shrink
    in place rather than jumping about; the ranking itself is given as text beside the chart.

    A whisker on each bar shows its 80% interval: how far the probability could move if the
    model's own numbers are as uncertain as the evidence behind them (`dx.intervals`).
    """

    LEVEL = 0.8
    # Enough draws for a whisker a few pixels wide to sit still, few enough for a click (~1 ms).
    DRAWS = 200

    def __init__(self, kb: KnowledgeBase, ax: Axes | None = None, show_intervals: bool = True):
        owns_figure = ax is None
        figure, ax = _new_axes(ax, (6.4, 4.6), left=0.33)
        super().__init__(figure, ax)
        self.kb = kb
        self.conditions = kb.condition_ids
        self.y = np.arange(len(self.conditions))[::-1]
        colours = [
            GROUP_COLOURS.get(kb.conditions[c].group, palette.MUTED) for c in self.conditions
        ]
        self.bars = ax.barh(self.y, np.zeros(len(self.y)), color=colours, height=0.7)
        stamps = TextStamps(palette.FONT_SIZE - 1)
        self.values = [StampedText(ax, stamps) for _ in self.y]
        # All whiskers are one line with gaps (NaN), so a click draws one artist, not fourteen.
        (self.whiskers,) = ax.plot([], [], color=palette.OUTLINE, linewidth=1.2)
        self.whiskers.set_visible(show_intervals)
        self.intervals: dict[str, tuple[float, float]] = {}
        self.animate(*self.bars, self.whiskers, *self.values)
        ax.set_yticks(self.y, [kb.conditions[c].label for c in self.conditions])
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.6, len(self.y) - 0.4)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
        ax.xaxis.grid(True, color="#DDDDDD", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=palette.FONT_SIZE)
        ax.set_xlabel(
            "Probability (this teaching model)"
            + ("; whisker: 80% interval" if show_intervals else ""),
            fontsize=palette.FONT_SIZE,
        )
        ax.set_title("Differential", fontsize=palette.TITLE_SIZE, loc="left")
        if owns_figure:
            fit_left_margin(figure, ax)
        self.alt_text = ""

    def update(self, dx: Differential) -> None:
        """Set bar widths, whiskers and percentage labels from a differential (no new artists)."""
        shown = self.whiskers.get_visible()
        self.intervals = dx.intervals(self.LEVEL, self.DRAWS, seed=0) if shown else {}
        xs, ys = [], []
        for bar, value, yi, condition in zip(
            self.bars, self.values, self.y, self.conditions, strict=True
        ):
            p = dx.probability(condition)
            bar.set_width(p)
            low, high = self.intervals.get(condition, (p, p))
            cap = 0.12
            xs += [low, high, np.nan, low, low, np.nan, high, high, np.nan]
            ys += [yi, yi, np.nan, yi - cap, yi + cap, np.nan, yi - cap, yi + cap, np.nan]
            # The label sits past the whisker, or before it when the whisker nears the edge.
            if high + 0.01 <= 0.86 or low < 0.14:
                value.set(percent(p), max(p, high) + 0.01, yi, ha="left")
            else:  # inside the bar: black or white, whichever reads better on its colour
                value.set(percent(p), low - 0.01, yi, ha="right", colour=_text_on(bar))
        self.whiskers.set_data(xs, ys)
        self.alt_text = differential_alt_text(dx)
        if self.intervals:
            top = dx.top
            low, high = self.intervals[top]
            self.alt_text += (
                f" Whiskers show 80% intervals of the model's own uncertainty; "
                f"{self.kb.conditions[top].label} {percent(low)} to {percent(high)}."
            )


def _text_on(bar) -> str:
    """Black or white text, whichever has the higher contrast on the bar's colour (WCAG)."""
    red, green, blue = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in bar.get_facecolor()[:3]
    )
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#FFFFFF" if (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / 0.05) else "#000000"


class ContributionChart(BlitChart):
    """Why a condition moved: one bar per observed finding, its likelihood ratio on a log scale.

    Bars to the right (blue) pushed the condition up, bars to the left (orange) pushed it down.
    A fixed number of rows is built once; unused rows are hidden.
    """

    ROWS = 8
    LIMIT = np.log(100.0)  # the axis spans likelihood ratios from 1/100 to 100
    LABEL_CHARS = 34

    def __init__(self, kb: KnowledgeBase, ax: Axes | None = None):
        figure, ax = _new_axes(ax, (7.6, 3.4), left=0.45)
        super().__init__(figure, ax)
        self.kb = kb
        self.y = np.arange(self.ROWS)[::-1]
        self.bars = ax.barh(self.y, np.zeros(self.ROWS), height=0.6, color=palette.FOR)
        stamps = TextStamps(palette.FONT_SIZE)
        self.labels = [StampedText(ax, stamps, ha="right") for _ in self.y]
        self.values = [StampedText(ax, stamps) for _ in self.y]
        self.heading = StampedText(ax, TextStamps(palette.TITLE_SIZE))
        self.empty = ax.text(
            0,
            self.ROWS / 2,
            "No findings yet: set one to present or absent.",
            ha="center",
            va="center",
            fontsize=palette.FONT_SIZE,
            color="#555555",
        )
        self.animate(*self.bars, *self.labels, *self.values, self.heading, self.empty)
        ticks = [1 / 100, 1 / 10, 1, 10, 100]
        ax.set_xticks(np.log(ticks), ["1/100", "1/10", "1", "10", "100"])
        ax.set_xlim(-self.LIMIT, self.LIMIT)
        ax.set_ylim(-0.6, self.ROWS - 0.4)
        ax.set_yticks([])
        ax.axvline(0, color=palette.OUTLINE, linewidth=1)
        ax.xaxis.grid(True, color="#DDDDDD", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.tick_params(labelsize=palette.FONT_SIZE)
        ax.set_xlabel(
            "Likelihood ratio (log scale): right raises, left lowers", fontsize=palette.FONT_SIZE
        )
        self.alt_text = ""

    def _short(self, text: str) -> str:
        return text if len(text) <= self.LABEL_CHARS else text[: self.LABEL_CHARS - 1] + "…"

    def update(self, dx: Differential, condition: str | None = None) -> None:
        condition = condition or dx.top
        contributions: list[Contribution] = dx.explain(condition)
        shown = contributions[: self.ROWS]
        left = -self.LIMIT * 1.03
        for i, (bar, label, value, yi) in enumerate(
            zip(self.bars, self.labels, self.values, self.y, strict=True)
        ):
            visible = i < len(shown)
            for artist in (bar, label, value):
                artist.set_visible(visible)
            if not visible:
                continue
            c = shown[i]
            width = float(np.clip(c.log_odds, -self.LIMIT, self.LIMIT))
            bar.set_width(width)
            bar.set_color(palette.FOR if width >= 0 else palette.AGAINST)
            name = self._short(self.kb.findings[c.finding].label)
            label.set(name if c.present else f"{name} (absent)", left, yi)
            side = "left" if width >= 0 else "right"
            value.set(
                f"×{c.likelihood_ratio:.2g}", width + (0.15 if width >= 0 else -0.15), yi, side
            )
        self.empty.set_visible(not shown)
        name = self.kb.conditions[condition].label
        figure_left = self.ax.transData.inverted().transform((8, 0))[0]
        self.heading.set(
            f"Why {name}? ({percent(dx.probability(condition))} now)", figure_left, self.ROWS - 0.1
        )
        more = len(contributions) - len(shown)
        self.alt_text = contributions_alt_text(self.kb, condition, contributions, more)


__all__ = ["BlitChart", "ContributionChart", "DifferentialChart", "figure_png", "png_bytes"]
