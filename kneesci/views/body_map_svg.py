"""The explorer's body map as SVG: the atlas's outlines written once per kernel, numb skin and a
root's dermatome switched on per click (no figure, no picture).

The same drawing as `kneesci.views.anatomy_plots.SensoryMap` (front and back, numb skin dark and
hatched, the leading root's consensus dermatome dashed on the right leg), and the same lookup
from a tap to the skin area under it, in the SVG's own pixels.

>>> from kneesci.views.body_map_svg import BodyMapSVG
>>> body = BodyMapSVG()
>>> body.update(["sensory_loss_medial_leg"], "L4")
>>> body.finding_at(*body.point_of("sensory_loss_medial_leg"))
'sensory_loss_medial_leg'
>>> 'role="img"' in body.svg()
True
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..course import anatomy as anat
from ..model.errors import UnknownIdError
from .palette import FEATURE_LINE, NUMB, OUTLINE, ROOT_COLOURS, SACRAL_COLOURS, SKIN

XLIM = (-21.5, 21.5)  # cm, as the matplotlib drawing
YLIM = (-19.0, 110.0)
SCALE = 4.0  # px per cm at the drawing's own size
TITLE = 22.0  # px above each view for its title
GAP = 12.0  # px between the views
VIEW_TITLES = {"anterior": "Front", "posterior": "Back"}
VIEW_WIDTH = (XLIM[1] - XLIM[0]) * SCALE
WIDTH = 2 * VIEW_WIDTH + GAP
HEIGHT = TITLE + (YLIM[1] - YLIM[0]) * SCALE


def _origin(view: str) -> float:
    return anat.VIEWS.index(view) * (VIEW_WIDTH + GAP)


def to_pixels(view: str, x: float, y: float) -> tuple[float, float]:
    """A point of the atlas (cm) in the SVG's pixels (origin top left)."""
    return _origin(view) + (x - XLIM[0]) * SCALE, TITLE + (YLIM[1] - y) * SCALE


def _points(view: str, polygon) -> str:
    pts = np.asarray(polygon, dtype=float)
    px = _origin(view) + (pts[:, 0] - XLIM[0]) * SCALE
    py = TITLE + (YLIM[1] - pts[:, 1]) * SCALE
    # whole pixels: a quarter of a centimetre, finer than the drawing shows; a third fewer bytes
    return " ".join(f"{a:.0f},{b:.0f}" for a, b in zip(px, py, strict=True))


def root_colour(root: str) -> str:
    return ROOT_COLOURS.get(root) or SACRAL_COLOURS[root]


class BodyMapSVG:
    """Front and back outlines written once; `update` chooses what is shaded, `svg` writes it."""

    def __init__(self, element_id: str = "kneesci-sensory-map"):
        self.element_id = element_id
        atlas = anat.load()
        self._atlas = atlas
        self._finding_info = atlas.finding_info()
        self._root_info = atlas.dermatome_info("consensus")
        self._regions = atlas.regions("findings")
        parts = [
            '<defs><pattern id="kneesci-numb-hatch" width="6" height="6" '
            'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="{NUMB}" fill-opacity="0.45"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#FFFFFF" stroke-width="1.5"/>'
            "</pattern></defs>"
        ]
        for view in anat.VIEWS:
            parts.append(self._body(view))
        self._static = "".join(parts)
        self._finding_parts = {
            fid: "".join(
                f'<polygon points="{_points(r.view, r.polygon)}" fill="url(#kneesci-numb-hatch)" '
                f'stroke="{NUMB}" stroke-width="1"/>'
                for r in regs
            )
            for fid, regs in self._regions.items()
        }
        self._root_parts = {}
        for root, regs in atlas.regions("dermatomes", "consensus").items():
            colour = root_colour(root)
            self._root_parts[root] = "".join(
                f'<polygon points="{_points(r.view, r.polygon)}" fill="{colour}" '
                f'fill-opacity="0.35" stroke="{colour}" stroke-width="2.5" '
                'stroke-dasharray="7 4"/>'
                for r in regs
                if r.side == "right"
            )
        self._findings: tuple[str, ...] = ()
        self._root: str | None = None

    def _body(self, view: str) -> str:
        atlas = self._atlas
        ring = atlas.outline(view)
        out = [f'<polygon points="{_points(view, ring)}" fill="{SKIN}"/>']
        for feature in atlas.features(view):
            tag = "polygon" if feature.closed else "polyline"
            out.append(
                f'<{tag} points="{_points(view, feature.points)}" fill="none" '
                f'stroke="{FEATURE_LINE}" stroke-width="1"/>'
            )
        x0 = _origin(view) + VIEW_WIDTH / 2
        out.append(
            f'<text x="{x0:.1f}" y="16" text-anchor="middle" class="kneesci-map-title">'
            f"{VIEW_TITLES[view]}</text>"
        )
        right_x = -11.0 if view == "anterior" else 11.0
        for x, word in ((right_x, "Right"), (-right_x, "Left")):
            px, py = to_pixels(view, x, YLIM[0] + 0.5)
            out.append(f'<text x="{px:.1f}" y="{py - 2:.1f}" text-anchor="middle">{word}</text>')
        self._outline_parts = getattr(self, "_outline_parts", {})
        # the outline is stroked last, over the shading (`svg` appends it)
        self._outline_parts[view] = (
            f'<polyline points="{_points(view, ring)}" fill="none" stroke="{OUTLINE}" '
            'stroke-width="1.5" stroke-linejoin="round"/>'
        )
        return "".join(out)

    @property
    def finding_ids(self) -> tuple[str, ...]:
        """Finding ids that have a drawn skin area."""
        return tuple(self._regions)

    @property
    def width(self) -> float:
        """The drawing's width in its own pixels (a tap on a scaled picture scales by it)."""
        return WIDTH

    def update(self, sensory_findings: Iterable[str], root: str | None = None) -> None:
        """Shade the skin of the findings present and outline the consensus dermatome of root."""
        if root is not None and root not in self._root_parts:
            raise UnknownIdError("root", root, self._root_parts)
        wanted = [f for f in dict.fromkeys(sensory_findings) if f in self._finding_parts]
        self._findings, self._root = tuple(wanted), root

    def svg(self) -> str:
        """The map as it stands: one `role="img"` with the alt text, filling its column."""
        shaded = "".join(self._finding_parts[f] for f in self._findings)
        root = self._root_parts[self._root] if self._root else ""
        return (
            f'<svg id="{self.element_id}" class="kneesci-map-svg" role="img" '
            f'aria-label="{html.escape(self.alt_text)}" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
            'preserveAspectRatio="xMidYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f"{self._static}{root}{shaded}{''.join(self._outline_parts.values())}</svg>"
        )

    def finding_at(self, x: float, y: float) -> str | None:
        """The sensory finding whose skin area is under a point of the drawing (its pixels,
        origin top left, as a browser reports a click), if any; the smallest area wins where
        areas overlap (the stocking covers the foot)."""
        for view in anat.VIEWS:
            left = _origin(view)
            if not (left <= x <= left + VIEW_WIDTH and TITLE <= y <= HEIGHT):
                continue
            cx = (x - left) / SCALE + XLIM[0]
            cy = YLIM[1] - (y - TITLE) / SCALE
            # The areas are drawn on the right leg (x < 0); a tap on the left leg counts as the
            # same area, mirrored across the midline, as a root or nerve is the same on each side.
            for px in (cx, -cx):
                hits = [
                    (anat.area(r.polygon), fid)
                    for fid, regs in self._regions.items()
                    for r in regs
                    if r.view == view and anat.contains(r.polygon, px, cy)
                ]
                if hits:
                    return min(hits)[1]
            return None
        return None

    def point_of(self, finding: str) -> tuple[float, float]:
        """A point inside a finding's first skin area, in the drawing's pixels."""
        if finding not in self._regions:
            raise UnknownIdError("sensory finding", finding, self._regions)
        region = self._regions[finding][0]
        x, y, _ = anat.inner_point(region.polygon)
        return to_pixels(region.view, x, y)

    @property
    def alt_text(self) -> str:
        """What the map shows now, in words (as `SensoryMap.alt_text`)."""
        return sensory_alt_text(
            self._findings, self._root, self._regions, self._finding_info, self._root_info
        )


MAP_CSS = """
.kneesci-body-map { max-width: 440px; }
.kneesci-map-svg { display: block; width: 100%; height: auto; cursor: pointer; }
.kneesci-map-svg text { font-size: 13px; fill: var(--jp-ui-font-color1, #1F1F1F); }
.kneesci-map-svg .kneesci-map-title { font-size: 15px; font-weight: 600; }
"""

__all__ = ["MAP_CSS", "BodyMapSVG"]


def sensory_alt_text(
    findings: Iterable[str],
    root: str | None,
    regions: Mapping[str, Sequence],
    finding_info: Mapping,
    root_info: Mapping,
) -> str:
    """The body map in words: the numb areas shaded (which leg), and the root outlined."""
    parts = ["Front and back outlines of the lower trunk and both legs."]
    if findings:
        areas = []
        for fid in findings:
            both = len({r.side for r in regions[fid]}) == 2
            where = "both sides" if both else "right leg"
            areas.append(f"{finding_info[fid].summary} ({where})")
        parts.append("Shaded as numb: " + "; ".join(areas) + ".")
    else:
        parts.append("No numb skin is shaded.")
    if root:
        parts.append(
            f"Outlined for comparison on the right leg: the consensus {root} "
            f"dermatome, {root_info[root].summary}."
        )
    return " ".join(parts)
