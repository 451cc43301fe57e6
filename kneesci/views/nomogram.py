"""The Fagan nomogram: pre-test probability, likelihood ratio and post-test probability on one line.

Three vertical scales. Each is placed so that a straight line through a pre-test probability and
a likelihood ratio crosses the right-hand scale at the post-test probability:

    left   y = -logit(pretest)      (low probabilities at the top, as on Fagan's chart)
    middle y = ln(LR) / 2
    right  y = logit(posttest)

Because logit(post) = logit(pre) + ln(LR), the middle point is the average of the outer two,
which is exactly what "a straight line" means. Plot with `plot_nomogram`; move the line with
`NomogramDisplay.update` (artists are updated, never redrawn from scratch).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from ..model.probability import post_test_probability
from . import palette
from .describe import percent
from .figure import FigureView

LEFT, MIDDLE, RIGHT = -1.0, 0.0, 1.0
# The probability scales stop short of 0 and 1 (logit is infinite there); Fagan's chart does too.
P_MIN, P_MAX = 0.001, 0.999
LR_MIN, LR_MAX = 0.001, 1000.0
PROBABILITY_TICKS = (
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5,
    0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999,
)  # fmt: skip
LR_TICKS = (
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1,
    2, 5, 10, 20, 50, 100, 200, 500, 1000,
)  # fmt: skip


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _clip_probability(p: float) -> float:
    return min(max(p, P_MIN), P_MAX)


def _clip_lr(lr: float) -> float:
    return min(max(lr, LR_MIN), LR_MAX)


def pretest_y(pretest: float) -> float:
    """Height of a pre-test probability on the left scale."""
    return -logit(_clip_probability(pretest))


def lr_y(likelihood_ratio: float) -> float:
    """Height of a likelihood ratio on the middle scale."""
    return math.log(_clip_lr(likelihood_ratio)) / 2.0


def posttest_y(posttest: float) -> float:
    """Height of a post-test probability on the right scale."""
    return logit(_clip_probability(posttest))


def posttest_from_height(y: float) -> float:
    """Read the right-hand scale: the probability at height y."""
    return 1.0 / (1.0 + math.exp(-y))


def _validate(pretest: float, likelihood_ratio: float) -> tuple[float, float]:
    pretest = float(pretest)
    likelihood_ratio = float(likelihood_ratio)
    if not 0.0 < pretest < 1.0:
        raise ValueError(f"pretest must be a probability strictly between 0 and 1, not {pretest}.")
    if not (likelihood_ratio > 0.0 and math.isfinite(likelihood_ratio)):
        raise ValueError(f"likelihood_ratio must be a positive number, not {likelihood_ratio}.")
    return pretest, likelihood_ratio


def _percent(p: float) -> str:
    """A probability as a percentage with sensible precision at the extremes."""
    return percent(p, decimals=1 if p < 0.01 or p > 0.99 else 0)


def _lr_text(lr: float) -> str:
    return f"{lr:.2g}" if lr < 10 else f"{lr:.0f}"


def _tick_label(p: float) -> str:
    pct = 100 * p
    return f"{pct:g}"


@dataclass
class NomogramDisplay(FigureView):
    """A drawn nomogram: its figure, the artists that move, and the numbers they show."""

    figure: Figure
    ax: Axes
    line: Line2D
    points: Line2D
    readout: Text
    pretest: float = 0.0
    likelihood_ratio: float = 1.0
    posttest: float = 0.0
    _owns_figure: bool = field(default=False, repr=False)

    def update(self, pretest: float, likelihood_ratio: float) -> NomogramDisplay:
        """Move the line to a new pre-test probability and likelihood ratio, in place."""
        pretest, likelihood_ratio = _validate(pretest, likelihood_ratio)
        self.pretest = pretest
        self.likelihood_ratio = likelihood_ratio
        self.posttest = post_test_probability(pretest, likelihood_ratio)
        y_left = pretest_y(pretest)
        y_mid = lr_y(likelihood_ratio)
        # Extend the straight line to the right axis; clipping only ever happens off the scale.
        y_right = 2 * y_mid - y_left
        xs = (LEFT, MIDDLE, RIGHT)
        ys = (y_left, y_mid, y_right)
        self.line.set_data(xs, ys)
        self.points.set_data(xs, ys)
        self.readout.set_text(self.summary)
        self.figure.canvas.draw_idle()
        return self

    @property
    def summary(self) -> str:
        """One line of text with the three numbers."""
        return (
            f"Pre-test {_percent(self.pretest)} × LR {_lr_text(self.likelihood_ratio)} "
            f"→ post-test {_percent(self.posttest)}"
        )

    @property
    def alt_text(self) -> str:
        """What the figure shows, for screen readers and text-only exports."""
        direction = (
            "raises"
            if self.likelihood_ratio > 1
            else ("lowers" if self.likelihood_ratio < 1 else "leaves unchanged")
        )
        return (
            "Fagan nomogram: a straight line from a pre-test probability of "
            f"{_percent(self.pretest)} on the left scale, through a likelihood ratio of "
            f"{_lr_text(self.likelihood_ratio)} on the middle scale, reaches a post-test "
            f"probability of {_percent(self.posttest)} on the right scale; the finding "
            f"{direction} the probability."
        )

    def to_png(self, dpi: int = 100) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()


def _draw_scale(ax: Axes, x: float, values: tuple[float, ...], height, labels, side: str) -> None:
    ax.plot([x, x], [height(values[0]), height(values[-1])], color=palette.OUTLINE, lw=1.2)
    sign = -1 if side == "left" else 1
    for value, label in zip(values, labels, strict=True):
        y = height(value)
        ax.plot([x, x + sign * 0.04], [y, y], color=palette.OUTLINE, lw=0.8)
        ax.text(
            x + sign * 0.07,
            y,
            label,
            ha="right" if side == "left" else "left",
            va="center",
            fontsize=palette.FONT_SIZE - 2,
        )


def plot_nomogram(
    pretest: float, likelihood_ratio: float, ax: Axes | None = None
) -> NomogramDisplay:
    """Draw a Fagan nomogram with the line for one pre-test probability and likelihood ratio.

    Pass `ax` to draw into your own axes; otherwise a new figure is made (not shown: the caller
    decides, e.g. by leaving the returned object as the last line of a notebook cell).
    """
    pretest, likelihood_ratio = _validate(pretest, likelihood_ratio)
    owns = ax is None
    if ax is None:
        figure = Figure(figsize=(5.2, 6.0), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    _draw_scale(
        ax, LEFT, PROBABILITY_TICKS, pretest_y, [_tick_label(p) for p in PROBABILITY_TICKS], "left"
    )
    _draw_scale(ax, MIDDLE, LR_TICKS, lr_y, [f"{v:g}" for v in LR_TICKS], "right")
    _draw_scale(
        ax,
        RIGHT,
        PROBABILITY_TICKS,
        posttest_y,
        [_tick_label(p) for p in PROBABILITY_TICKS],
        "right",
    )
    top = logit(P_MAX) + 0.9
    titles = {
        LEFT: "Pre-test\nprobability (%)",
        MIDDLE: "Likelihood\nratio",
        RIGHT: "Post-test\nprobability (%)",
    }
    for x, title in titles.items():
        ax.text(x, top, title, ha="center", va="bottom", fontsize=palette.FONT_SIZE)
    (line,) = ax.plot([], [], color=palette.HIGHLIGHT, lw=2.2, solid_capstyle="round")
    (points,) = ax.plot(
        [], [], linestyle="none", marker="o", ms=6, color=palette.HIGHLIGHT, zorder=3
    )
    readout = ax.text(
        0.0, -logit(P_MAX) - 1.0, "", ha="center", va="top", fontsize=palette.FONT_SIZE
    )
    ax.set_xlim(LEFT - 0.45, RIGHT + 0.45)
    ax.set_ylim(-logit(P_MAX) - 2.0, top + 1.4)
    ax.set_axis_off()
    display = NomogramDisplay(figure, ax, line, points, readout, _owns_figure=owns)
    return display.update(pretest, likelihood_ratio)
