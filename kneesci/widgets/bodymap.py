"""The body map you can tap: click (or tap) a patch of skin to toggle that sensory finding.

The picture is the explorer's sensory map, an SVG written from the atlas
(`kneesci.views.body_map_svg`); a click is turned into the finding under it by a point-in-polygon
lookup on the drawing's own regions (`BodyMapSVG.finding_at`). Beneath it, one
button per skin area does the same for keyboard and screen-reader users, so the map is never the
only way in.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping

import ipywidgets as widgets
from ipyevents import Event

from ..views.body_map_svg import BodyMapSVG
from .controls import plain_button, text_view

# One shared layout for the area buttons: fewer widget models, and a touch target of 32 px.
_BUTTON_LAYOUT = widgets.Layout(width="auto", min_height="32px")
PRESSED, UNPRESSED = "info", ""


class TappableBodyMap(widgets.VBox):
    """A sensory map picture that reports which finding was tapped; keyboard buttons beneath."""

    def __init__(
        self,
        sensory_map: BodyMapSVG,
        labels: Mapping[str, str],
        on_tap: Callable[[str], None],
    ):
        self.map = sensory_map
        self.on_tap = on_tap
        self.picture = text_view(css_class="kneesci-body-map")
        self._png_width = float(sensory_map.width)
        self.events = Event(
            source=self.picture, watched_events=["click"], prevent_default_action=True
        )
        self.events.on_dom_event(self._clicked)
        self.buttons: dict[str, widgets.Button] = {}
        for fid in sensory_map.finding_ids:
            label = labels.get(fid, fid)
            button = plain_button(
                description=label,
                tooltip=f"Toggle: {label}",
                layout=_BUTTON_LAYOUT,
            )
            button.on_click(lambda _, f=fid: self.on_tap(f))
            self.buttons[fid] = button
        hint = text_view(
            "<p class='kneesci-hint'>Tap a patch of skin on the map (or use a button below) to "
            "mark that area numb; tap again to clear it.</p>"
        )
        row = widgets.HBox(list(self.buttons.values()), layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([hint, self.picture, row])

    def show(self) -> None:
        """Put the map as it stands in place, its caption beneath (the map fills the box's
        width, so clicks scale by width; a click on the caption is below every skin area)."""
        caption = html.escape(self.map.alt_text)
        self.picture.value = f"{self.map.svg()}<p class='kneesci-map-caption'>{caption}</p>"

    def mark(self, present: set[str] | frozenset[str]) -> None:
        """Show which areas are marked numb on the buttons (pressed look, and aria text)."""
        for fid, button in self.buttons.items():
            on = fid in present
            button.button_style = PRESSED if on else UNPRESSED
            button.tooltip = f"{'Clear' if on else 'Mark'}: {button.description}"

    def tap(self, x: float, y: float, displayed_width: float | None = None) -> str | None:
        """A tap at (x, y) on the picture as displayed; toggles and returns the finding, if any."""
        scale = self._png_width / displayed_width if displayed_width else 1.0
        finding = self.map.finding_at(x * scale, y * scale)
        if finding is not None:
            self.on_tap(finding)
        return finding

    def _clicked(self, event: Mapping) -> None:
        # The event comes over the kernel's socket and anyone can forge one: a click without
        # usable coordinates is ignored quietly, so no error (and no traceback) reaches the page.
        point = _click_point(event, self._png_width)
        if point is not None:
            self.tap(*point)


def _number(value: object) -> float | None:
    """A finite number, or None (a bool, a string or anything else is not a coordinate)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _click_point(event: object, picture_width: float) -> tuple[float, float, float] | None:
    """(x, y, displayed width) of a genuine click on the picture, or None for a malformed event.

    The browser reports the click relative to the picture and the picture's width on screen; a
    coordinate outside the picture (with a little slack for rounding) is not a click on it.
    """
    if not isinstance(event, Mapping):
        return None
    x, y = _number(event.get("relativeX")), _number(event.get("relativeY"))
    width = _number(event.get("boundingRectWidth"))
    if x is None or y is None:
        return None
    if width is None or width <= 0:
        width = picture_width  # no width reported: the picture is shown at its own size
    height = _number(event.get("boundingRectHeight"))
    limit_y = height if height is not None and height > 0 else width * 10
    if not (-1 <= x <= width + 1 and -1 <= y <= limit_y + 1):
        return None
    return x, y, width
