"""Drawings of the lower limb: dermatomes, the two maps side by side, nerve territories, numbness.

Every function takes an optional ``ax`` (one Axes per view, in the order of ``views``), draws,
and returns an :class:`AnatomyFigure` holding the figure, the axes, the artists by id and an
``alt_text`` description. Nothing here calls ``plt.show()``; without ``ax`` a bare
:class:`matplotlib.figure.Figure` is made (no pyplot figure manager), and the returned object
displays itself in a notebook as a PNG with its alt text.

>>> from kneesci import anatomy_plots
>>> shown = anatomy_plots.plot_dermatomes(highlight=["L3", "L4"])
>>> [axis.get_title() for axis in shown.axes]
['Front', 'Back']
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import matplotlib.patheffects as path_effects
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.patches import Polygon as PolygonPatch

from ..course import anatomy as anat
from ..model.errors import UnknownIdError
from .figure import FigureView
from .palette import (
    FEATURE_LINE,
    FONT_SIZE,
    HIGHLIGHT,
    LABEL_SIZE,
    NERVE_COLOURS,
    NUMB,
    OUTLINE,
    ROOT_COLOURS,
    SACRAL_COLOURS,
    SKIN,
    TITLE_SIZE,
)

VIEW_TITLES = {"anterior": "Front", "posterior": "Back"}
MAP_TITLES = {"consensus": "Consensus map", "keegan_garrett": "Keegan & Garrett (1948)"}
GREYED = "#E2DDD8"
XLIM = (-21.5, 21.5)
YLIM = (-19.0, 110.0)
# Small territories that matter clinically get a label outside the leg (x, y in cm).
CALLOUTS = {"anterior": {"deep_peroneal": (0.0, -13.0)}}
NERVE_ABBREVIATIONS = {
    "lateral_femoral_cutaneous": "LFCN",
    "anterior_femoral_cutaneous": "AFCN",
    "obturator": "Obt",
    "saphenous": "Saph",
    "saphenous_infrapatellar": "IPB",
    "common_peroneal": "CPN",
    "superficial_peroneal": "SPN",
    "deep_peroneal": "DPN",
    "sural": "Sural",
    "tibial_calcaneal": "MCN",
    "medial_plantar": "MPN",
    "lateral_plantar": "LPN",
    "posterior_femoral_cutaneous": "PFCN",
}
_HALO = [path_effects.withStroke(linewidth=2.6, foreground="white")]


def root_colour(root: str) -> str:
    """The palette colour of a root (L1-S2 from ROOT_COLOURS, S3 and S4-5 greys)."""
    return ROOT_COLOURS.get(root) or SACRAL_COLOURS[root]


@dataclass
class AnatomyFigure(FigureView):
    """What a drawing function returns: the figure, its axes, the artists by id, and alt text."""

    figure: Figure
    axes: tuple[Axes, ...]
    artists: dict[str, list[Artist]] = field(default_factory=dict)
    alt_text: str = ""

    def savefig(self, *args, **kwargs) -> None:
        """Save the figure (same arguments as :meth:`matplotlib.figure.Figure.savefig`)."""
        self.figure.savefig(*args, **kwargs)

    def to_png(self, dpi: int = 100) -> bytes:
        """The figure rendered as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()


# ---------------------------------------------------------------------------------- helpers
def _axes(ax, n: int, figsize: tuple[float, float]) -> tuple[Figure, list[Axes], bool]:
    """The axes to draw on: made fresh (a bare Figure) or taken from the caller."""
    if ax is None:
        fig = Figure(figsize=figsize, layout="constrained")
        axes = list(np.atleast_1d(fig.subplots(1, n)))
        return fig, axes, True
    axes = [ax] if isinstance(ax, Axes) else list(ax)
    if len(axes) != n or not all(isinstance(a, Axes) for a in axes):
        raise ValueError(f"ax must be {n} Axes (one per panel); got {len(axes)}.")
    return axes[0].figure, axes, False


def _check_views(views: Iterable[str]) -> tuple[str, ...]:
    views = tuple(views)
    if not views:
        raise ValueError("views must name at least one of 'anterior', 'posterior'.")
    for view in views:
        if view not in anat.VIEWS:
            raise UnknownIdError("view", view, anat.VIEWS)
    return views


def _check_roots(roots: Iterable[str], valid: Iterable[str], kind: str = "root") -> list[str]:
    roots, valid = list(roots), list(valid)
    for root in roots:
        if root not in valid:
            raise UnknownIdError(kind, root, valid)
    return roots


def draw_body(ax: Axes, view: str, title: str | None = None) -> dict[str, list[Artist]]:
    """Draw the skin, anatomical lines and outline of one view; return the artists by id."""
    atlas = anat.load()
    ring = atlas.outline(view)
    skin = ax.add_patch(PolygonPatch(ring, closed=True, facecolor=SKIN, edgecolor="none", zorder=0))
    lines = []
    for feature in atlas.features(view):
        pts = feature.points
        if feature.closed:
            pts = np.vstack([pts, pts[:1]])
        (line,) = ax.plot(
            pts[:, 0], pts[:, 1], color=FEATURE_LINE, lw=0.8, zorder=3, solid_capstyle="round"
        )
        lines.append(line)
    # stroke the outline but leave the waist open: the body continues above the drawing
    top = np.flatnonzero(np.isclose(ring[:-1, 1], ring[:, 1].max()))
    open_ring = ring[:-1]
    if len(top) == 2 and top[1] == top[0] + 1:
        open_ring = np.roll(open_ring, -int(top[1]), axis=0)
    (stroke,) = ax.plot(
        open_ring[:, 0], open_ring[:, 1], color=OUTLINE, lw=1.3, zorder=4, solid_joinstyle="round"
    )
    right_x = -11.0 if view == "anterior" else 11.0
    sides = [
        ax.text(x, YLIM[0] + 0.5, side, ha="center", va="bottom", size=LABEL_SIZE, color=OUTLINE)
        for x, side in ((right_x, "Right"), (-right_x, "Left"))
    ]
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title, fontsize=TITLE_SIZE)
    return {"skin": [skin], "features": lines, "outline": [stroke], "sides": sides}


def _fill(ax: Axes, polygon, colour, *, alpha=0.9, edge="white", lw=0.6, zorder=1, **kw):
    patch = PolygonPatch(
        polygon,
        closed=True,
        facecolor=to_rgba(colour, alpha),
        edgecolor=edge,
        lw=lw,
        zorder=zorder,
        **kw,
    )
    ax.add_patch(patch)
    return patch


def _label(ax: Axes, polygon, text: str, colour: str = "black", size: float = LABEL_SIZE):
    """Write text inside a region if it fits (by the region's clearance); else return None."""
    x, y, clearance = anat.inner_point(polygon)
    if clearance < 0.5 + 0.3 * len(text) * size / LABEL_SIZE:
        return None
    return ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=size,
        color=colour,
        fontweight="bold",
        zorder=6,
        path_effects=_HALO,
    )


def _callout(ax: Axes, polygon, text: str, where: tuple[float, float], size: float = 7.5):
    """A label outside the body with a thin leader line to a region too small to hold it."""
    x, y = anat.label_point(polygon)
    return ax.annotate(
        text,
        xy=(x, y),
        xytext=where,
        fontsize=size,
        fontweight="bold",
        ha="center",
        va="center",
        zorder=8,
        path_effects=_HALO,
        arrowprops={"arrowstyle": "-", "color": OUTLINE, "lw": 0.7},
    )


def _summary_list(info: dict[str, anat.RegionInfo], ids: Iterable[str]) -> str:
    return "; ".join(f"{i} ({info[i].summary})" for i in ids)


# ---------------------------------------------------------------------------------- dermatomes
def plot_dermatomes(
    highlight: Iterable[str] | None = None,
    map: str = "consensus",  # noqa: A002 - the name the course uses
    views: Sequence[str] = anat.VIEWS,
    ax: Axes | Sequence[Axes] | None = None,
    key_points: bool = True,
    labels: bool = True,
) -> AnatomyFigure:
    """Dermatomes of a map in each view; roots in ``highlight`` in colour, the rest greyed.

    Without ``highlight`` every root is coloured. Black dots mark the ISNCSCI key sensory points
    (right leg). ``map`` is 'consensus' or 'keegan_garrett'.
    """
    views = _check_views(views)
    atlas = anat.load()
    regions = atlas.regions("dermatomes", map)
    info = atlas.dermatome_info(map)
    chosen = _check_roots(highlight, regions) if highlight is not None else list(regions)
    fig, axes, own = _axes(ax, len(views), (3.4 * len(views), 7.6))
    artists: dict[str, list[Artist]] = {root: [] for root in regions}
    artists["labels"], artists["key_points"] = [], []
    points = atlas.key_points()
    for axis, view in zip(axes, views, strict=True):
        body = draw_body(axis, view, VIEW_TITLES[view])
        artists.update({f"{view}_{k}": v for k, v in body.items()})
        for root, regs in regions.items():
            lit = root in chosen
            for region in (r for r in regs if r.view == view):
                colour = root_colour(root) if lit else GREYED
                artists[root].append(
                    _fill(axis, region.polygon, colour, alpha=0.92 if lit else 1.0)
                )
                text = (
                    _label(axis, region.polygon, root, "black" if lit else "#8C8680")
                    if labels
                    else None
                )
                if text is not None:
                    artists["labels"].append(text)
        if key_points:
            for root, p in points.items():
                if p.view != view or root not in regions:
                    continue
                lit = root in chosen
                artists["key_points"].append(
                    axis.scatter(
                        [p.x],
                        [p.y],
                        s=34 if lit else 16,
                        color="black" if lit else "#8C8680",
                        edgecolors="white",
                        linewidths=1.0,
                        zorder=7,
                    )
                )
    if own:
        fig.suptitle(f"Dermatomes: {MAP_TITLES[map].lower()}", fontsize=TITLE_SIZE + 1)
        if highlight is not None:
            handles = [
                Patch(facecolor=root_colour(r), edgecolor="none", label=f"{r}: {info[r].summary}")
                for r in chosen
            ]
            fig.legend(
                handles=handles, loc="outside lower center", fontsize=FONT_SIZE - 1, frameon=False
            )
    shown = " and ".join(VIEW_TITLES[v].lower() for v in views)
    if highlight is None:
        body = f"Every root is coloured: {_summary_list(info, regions)}."
    else:
        body = (
            f"Highlighted: {_summary_list(info, chosen)}. Other roots are greyed out."
            if chosen
            else "No root is highlighted; all roots are greyed out."
        )
    dots = " Black dots mark the ISNCSCI key sensory points on the right leg." if key_points else ""
    alt = (
        f"Outline of the lower trunk and both legs seen from the {shown}, with the "
        f"{MAP_TITLES[map]} of dermatomes. {body}{dots}"
    )
    return AnatomyFigure(fig, tuple(axes), artists, alt)


def plot_map_comparison(
    roots: Iterable[str] = ("L3", "L4"),
    views: Sequence[str] = anat.VIEWS,
    ax: Sequence[Axes] | None = None,
) -> AnatomyFigure:
    """The consensus map beside the Keegan & Garrett map for the same roots (default L3, L4).

    Panels, left to right: consensus in each view, then Keegan & Garrett in each view.
    """
    views = _check_views(views)
    atlas = anat.load()
    roots = _check_roots(roots, atlas.regions("dermatomes", "keegan_garrett"))
    fig, axes, own = _axes(ax, 2 * len(views), (3.0 * 2 * len(views), 7.4))
    artists: dict[str, list[Artist]] = {}
    points = atlas.key_points()
    k = 0
    for map_id in anat.MAPS:
        regions = atlas.regions("dermatomes", map_id)
        for view in views:
            axis = axes[k]
            k += 1
            draw_body(axis, view, f"{MAP_TITLES[map_id]}\n{VIEW_TITLES[view].lower()}")
            for root in roots:
                for region in (r for r in regions[root] if r.view == view):
                    artists.setdefault(f"{map_id}:{root}", []).append(
                        _fill(axis, region.polygon, root_colour(root))
                    )
                    _label(axis, region.polygon, root)
                p = points[root]
                if p.view == view:
                    artists.setdefault("key_points", []).append(
                        axis.scatter(
                            [p.x],
                            [p.y],
                            s=34,
                            color="black",
                            edgecolors="white",
                            linewidths=1.0,
                            zorder=7,
                        )
                    )
    if own:
        fig.suptitle(f"Two maps of the same roots ({', '.join(roots)})", fontsize=TITLE_SIZE + 1)
        handles = [Patch(facecolor=root_colour(r), label=r) for r in roots]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=len(roots),
            fontsize=FONT_SIZE,
            frameon=False,
        )
    consensus, kg = atlas.dermatome_info("consensus"), atlas.dermatome_info("keegan_garrett")
    alt = (
        f"{2 * len(views)} outlines of the lower body. Left: the consensus map, where "
        f"{_summary_list(consensus, roots)}. Right: the Keegan & Garrett map, where "
        f"{_summary_list(kg, roots)}. Black dots mark the ISNCSCI key sensory points, which "
        "fall inside both versions."
    )
    return AnatomyFigure(fig, tuple(axes), artists, alt)


# ---------------------------------------------------------------------------------- nerves
def plot_nerve_territories(
    nerves: Iterable[str] | None = None,
    views: Sequence[str] = anat.VIEWS,
    ax: Axes | Sequence[Axes] | None = None,
    labels: bool = True,
    legend: bool = True,
) -> AnatomyFigure:
    """Cutaneous territories of the peripheral nerves (all by default), labelled on the right leg.

    The inconstant obturator branch is drawn hatched with a dashed edge.
    """
    views = _check_views(views)
    atlas = anat.load()
    regions = atlas.regions("nerves")
    catalogue = atlas.nerves()
    chosen = _check_roots(nerves, regions, "nerve") if nerves is not None else list(regions)
    fig, axes, own = _axes(ax, len(views), (3.4 * len(views), 8.4))
    artists: dict[str, list[Artist]] = {nid: [] for nid in chosen}
    artists["labels"] = []
    for axis, view in zip(axes, views, strict=True):
        draw_body(axis, view, VIEW_TITLES[view])
        for nid in chosen:
            dashed = catalogue[nid].inconstant
            for region in (r for r in regions[nid] if r.view == view):
                patch = _fill(
                    axis,
                    region.polygon,
                    NERVE_COLOURS[nid],
                    alpha=0.85,
                    edge="#555555" if dashed else "white",
                    lw=0.9 if dashed else 0.6,
                    zorder=2 if dashed else 1,
                    linestyle="--" if dashed else "-",
                    hatch="///" if dashed else None,
                )
                artists[nid].append(patch)
                if not labels or region.side != "right":
                    continue
                text = _label(axis, region.polygon, NERVE_ABBREVIATIONS[nid], size=7.5)
                if text is None and nid in CALLOUTS.get(view, {}):
                    text = _callout(
                        axis, region.polygon, NERVE_ABBREVIATIONS[nid], CALLOUTS[view][nid]
                    )
                if text is not None:
                    artists["labels"].append(text)
    if own and legend:
        handles = [
            Patch(
                facecolor=NERVE_COLOURS[n],
                edgecolor="#555555",
                hatch="///" if catalogue[n].inconstant else None,
                label=f"{NERVE_ABBREVIATIONS[n]}: {catalogue[n].label} ({catalogue[n].roots})",
            )
            for n in chosen
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=1,
            fontsize=FONT_SIZE - 2,
            frameon=False,
        )
        fig.suptitle("Skin supplied by each peripheral nerve", fontsize=TITLE_SIZE + 1)
    names = "; ".join(f"{catalogue[n].label}: {catalogue[n].note.split(' (')[0]}" for n in chosen)
    seen = " and ".join(VIEW_TITLES[v].lower() for v in views)
    alt = (
        f"Outline of both legs seen from the {seen}, coloured by the cutaneous nerve that "
        f"supplies each area. {names}."
    )
    return AnatomyFigure(fig, tuple(axes), artists, alt)


# ---------------------------------------------------------------------------------- patterns
def _stocking_gradient(ax: Axes, polygon, zorder: int = 2):
    """Shade a polygon dark at the toes fading to clear at its upper border."""
    (xmin, ymin), (xmax, ymax) = polygon.min(axis=0), polygon.max(axis=0)
    ramp = np.linspace(0.85, 0.05, 64)[:, None]  # image row 0 is the bottom (origin='lower')
    rgba = np.zeros((64, 2, 4))
    rgba[..., :3] = to_rgba(NUMB)[:3]
    rgba[..., 3] = ramp
    image = ax.imshow(
        rgba,
        extent=(xmin, xmax, ymin, ymax),
        origin="lower",
        aspect="auto",
        zorder=zorder,
        interpolation="bilinear",
    )
    clip = PolygonPatch(
        polygon, closed=True, transform=ax.transData, facecolor="none", edgecolor="none"
    )
    ax.add_patch(clip)
    image.set_clip_path(clip)
    edge = ax.add_patch(
        PolygonPatch(
            polygon,
            closed=True,
            facecolor="none",
            edgecolor=NUMB,
            lw=0.8,
            linestyle="--",
            zorder=zorder + 1,
        )
    )
    return [image, edge]


def plot_patterns(ax: Sequence[Axes] | None = None) -> AnatomyFigure:
    """Three ways to lose sensation, front view: one root (L4), one nerve (common peroneal),
    and length-dependent polyneuropathy (stocking)."""
    atlas = anat.load()
    fig, axes, own = _axes(ax, 3, (9.6, 7.4))
    artists: dict[str, list[Artist]] = {"root": [], "nerve": [], "stocking": []}
    l4 = [
        r for r in atlas.regions("dermatomes")["L4"] if r.view == "anterior" and r.side == "right"
    ]
    peroneal = [
        r
        for nid in ("common_peroneal", "superficial_peroneal", "deep_peroneal")
        for r in atlas.regions("nerves")[nid]
        if r.view == "anterior" and r.side == "right"
    ]
    stocking = [
        r
        for r in atlas.regions("findings")["stocking_distribution_numbness"]
        if r.view == "anterior"
    ]
    panels = [
        ("Nerve root (L4)", "one leg; a strip that\nfollows the root's dermatome"),
        ("Peripheral nerve\n(common peroneal)", "one leg; the patch\nof one nerve's branches"),
        ("Polyneuropathy\n(stocking)", "both legs; a level border,\nworst at the toes"),
    ]
    for axis, (title, caption) in zip(axes, panels, strict=True):
        draw_body(axis, "anterior", title)
        axis.text(
            0.5,
            -0.02,
            caption,
            transform=axis.transAxes,
            ha="center",
            va="top",
            fontsize=LABEL_SIZE,
        )
    for region in l4:
        artists["root"].append(_fill(axes[0], region.polygon, ROOT_COLOURS["L4"]))
    for region in peroneal:
        artists["nerve"].append(
            _fill(axes[1], region.polygon, HIGHLIGHT, alpha=0.85, edge=HIGHLIGHT, lw=0.0)
        )
    for region in stocking:
        artists["stocking"].extend(_stocking_gradient(axes[2], region.polygon))
    if own:
        fig.suptitle(
            "Root, nerve or polyneuropathy? The shape of the numb area", fontsize=TITLE_SIZE + 1
        )
    alt = (
        "Three front views of both legs. First: the L4 dermatome on the right leg, a strip "
        "down the inner side of the leg to the inner ankle and inner border of the foot. "
        "Second: the common peroneal nerve territory on the right leg, the outer upper leg, "
        "the lower outer leg and the top of the foot. Third: both feet and lower legs shaded "
        "to the same height, darkest at the toes and fading upwards, the stocking pattern "
        "of a length-dependent polyneuropathy."
    )
    return AnatomyFigure(fig, tuple(axes), artists, alt)


# ---------------------------------------------------------------------------------- explorer
class SensoryMap:
    """Front and back views drawn once; :meth:`update` shades numb skin and outlines a root.

    Built for the symptom explorer: ``update`` only changes the visibility of artists made
    here and the text of the caption (no new artists), so it is fast; the caller redraws
    (``map.figure.canvas.draw_idle()``). Pass both axes or neither (a bare Figure is made).

    Finding ids without a drawn area (e.g. ``slr_positive``) are ignored by ``update``;
    :attr:`finding_ids` lists those that have one.
    """

    def __init__(self, ax_anterior: Axes | None = None, ax_posterior: Axes | None = None):
        if (ax_anterior is None) != (ax_posterior is None):
            raise ValueError("Pass both ax_anterior and ax_posterior, or neither.")
        ax = None if ax_anterior is None else [ax_anterior, ax_posterior]
        self.figure, axes, own = _axes(ax, 2, (6.4, 7.6))
        self.axes = tuple(axes)
        atlas = anat.load()
        self._finding_info = atlas.finding_info()
        self._root_info = atlas.dermatome_info("consensus")
        self._finding_patches: dict[str, list[Artist]] = {}
        self._root_patches: dict[str, list[Artist]] = {}
        for axis, view in zip(self.axes, anat.VIEWS, strict=True):
            draw_body(axis, view, VIEW_TITLES[view])
            for fid, regs in atlas.regions("findings").items():
                for region in (r for r in regs if r.view == view):
                    patch = _fill(
                        axis,
                        region.polygon,
                        NUMB,
                        alpha=0.55,
                        edge=NUMB,
                        lw=0.8,
                        zorder=2,
                        hatch="////",
                        visible=False,
                    )
                    self._finding_patches.setdefault(fid, []).append(patch)
            for root, regs in atlas.regions("dermatomes", "consensus").items():
                for region in (r for r in regs if r.view == view and r.side == "right"):
                    patch = _fill(
                        axis,
                        region.polygon,
                        root_colour(root),
                        alpha=0.35,
                        edge=root_colour(root),
                        lw=2.2,
                        zorder=1,
                        linestyle="--",
                        visible=False,
                    )
                    self._root_patches.setdefault(root, []).append(patch)
        # the caption lives in the front axes so a constrained layout leaves room for it
        self._caption = self.axes[0].text(
            0.0,
            -0.01,
            "",
            transform=self.axes[0].transAxes,
            ha="left",
            va="top",
            fontsize=LABEL_SIZE,
        )
        self._findings: tuple[str, ...] = ()
        self._root: str | None = None
        self.update((), None)

    @property
    def finding_ids(self) -> tuple[str, ...]:
        """Finding ids that have a drawn skin area."""
        return tuple(self._finding_patches)

    @property
    def artists(self) -> dict[str, list[Artist]]:
        """Finding patches by finding id and root outlines by root id."""
        return {**self._finding_patches, **self._root_patches, "caption": [self._caption]}

    def update(self, sensory_findings: Iterable[str], root: str | None = None) -> None:
        """Shade the skin of the findings present and outline the consensus dermatome of root."""
        if root is not None and root not in self._root_patches:
            raise UnknownIdError("root", root, self._root_patches)
        wanted = [f for f in dict.fromkeys(sensory_findings) if f in self._finding_patches]
        for fid, patches in self._finding_patches.items():
            for patch in patches:
                patch.set_visible(fid in wanted)
        for rid, patches in self._root_patches.items():
            for patch in patches:
                patch.set_visible(rid == root)
        self._findings, self._root = tuple(wanted), root
        self._caption.set_text(self._caption_text())

    def finding_at(self, x: float, y: float) -> str | None:
        """The sensory finding whose skin area is under a point of the rendered image, if any.

        ``x`` and ``y`` are pixels of the figure as rendered (origin top left, as a browser
        reports a click on the picture). The figure must have been drawn, so that the layout
        has fixed where each view sits. Used to tap the body map instead of the radio buttons.
        """
        height = self.figure.bbox.height
        regions = anat.load().regions("findings")
        for axis, view in zip(self.axes, anat.VIEWS, strict=True):
            if not axis.bbox.contains(x, height - y):
                continue
            dx, dy = axis.transData.inverted().transform((x, height - y))
            # The one-sided areas are drawn on the right leg; the findings name no side, so a
            # tap on the same place of the left leg (mirrored across the midline, x = 0) counts.
            hits = [
                (anat.area(r.polygon), fid)
                for fid, regs in regions.items()
                for r in regs
                for px in (dx, -dx)
                if r.view == view and anat.contains(r.polygon, px, dy)
            ]
            # Areas overlap (the stocking covers the foot): the smallest is the one aimed at.
            return min(hits)[1] if hits else None
        return None

    def point_of(self, finding: str) -> tuple[float, float]:
        """Where a finding's skin area sits in the rendered image (pixels, origin top left).

        The inverse of :meth:`finding_at`: a point inside the area's first region, in the layout
        the figure was last drawn with.
        """
        regions = anat.load().regions("findings")
        if finding not in regions:
            raise UnknownIdError("sensory finding", finding, regions)
        region = regions[finding][0]
        x, y, _ = anat.inner_point(region.polygon)
        axis = self.axes[anat.VIEWS.index(region.view)]
        px, py = axis.transData.transform((x, y))
        return float(px), float(self.figure.bbox.height - py)

    def _caption_text(self) -> str:
        shaded = "Hatched: reduced sensation" if self._findings else "No reduced sensation shown"
        outlined = f"; dashed: {self._root} dermatome" if self._root else ""
        return shaded + outlined

    @property
    def alt_text(self) -> str:
        """What the figure shows now, in words."""
        from .body_map_svg import sensory_alt_text

        regions = anat.load().regions("findings")
        return sensory_alt_text(
            self._findings, self._root, regions, self._finding_info, self._root_info
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return AnatomyFigure(self.figure, self.axes, self.artists, self.alt_text)._repr_mimebundle_(
            include, exclude
        )


def plot_sensory_findings(
    findings: Iterable[str],
    root: str | None = None,
    ax: Sequence[Axes] | None = None,
) -> AnatomyFigure:
    """Where a patient's numbness is: shade the skin of each sensory finding (front and back).

    ``root`` optionally outlines that root's consensus dermatome for comparison. Unlike
    :meth:`SensoryMap.update`, unknown finding ids raise :class:`~kneesci.UnknownIdError`.
    """
    findings = list(findings)
    atlas = anat.load()
    _check_roots(findings, atlas.regions("findings"), "sensory finding")
    axes = (None, None) if ax is None else tuple(ax)
    if len(axes) != 2:
        raise ValueError("ax must be two Axes: front, then back.")
    sensory = SensoryMap(*axes)
    sensory.update(findings, root)
    return AnatomyFigure(sensory.figure, sensory.axes, sensory.artists, sensory.alt_text)
