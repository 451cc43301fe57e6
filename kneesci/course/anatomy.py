"""Lower-limb anatomy as data: outline, dermatomes, nerve territories, key points, myotomes.

The geometry lives in ``data/anatomy/`` (see its README for the coordinate system and sources):
centimetres for an adult about 170 cm tall, x across the page from the body midline, y height
above the floor. Two views, ``"anterior"`` and ``"posterior"``. Polygons are returned as closed
``(N, 2)`` arrays (last vertex repeats the first) and are read-only.

>>> from kneesci import anatomy
>>> view, x, y = anatomy.key_sensory_points()["L4"]
>>> view
'anterior'
>>> "L4" in anatomy.roots_at(view, x, y)
True

This module draws nothing (no matplotlib); :mod:`kneesci.anatomy_plots` does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..model.errors import DataError, UnknownIdError
from ..model.reading import read_csv, read_yaml

VIEWS = ("anterior", "posterior")
ROOTS = ("L1", "L2", "L3", "L4", "L5", "S1", "S2")
MAPS = ("consensus", "keegan_garrett")
SIDES = ("right", "left")

Polygon = np.ndarray
ViewPolygon = tuple[str, Polygon]


# ------------------------------------------------------------------------------------ records
@dataclass(frozen=True, eq=False)
class Region:
    """One polygon of a dermatome, nerve territory or finding area, in one view, on one side."""

    id: str
    view: str
    side: str
    polygon: Polygon


@dataclass(frozen=True)
class RegionInfo:
    """What a region stands for and where the drawing comes from."""

    id: str
    summary: str
    source: str
    note: str


@dataclass(frozen=True)
class KeyPoint:
    """An ISNCSCI key sensory point, on the subject's right side."""

    root: str
    view: str
    x: float
    y: float
    landmark: str
    isncsci_wording: str
    source: str
    note: str


@dataclass(frozen=True)
class Nerve:
    """A peripheral nerve whose cutaneous territory is drawn."""

    id: str
    label: str
    roots: str
    branch_of: str
    inconstant: bool
    source: str
    note: str


@dataclass(frozen=True)
class Myotome:
    """The movement, muscles and reflex taught for one root, with the vocabulary finding ids."""

    root: str
    movement: str
    muscles: str
    other_movements: str
    reflex: str
    weakness_findings: tuple[str, ...]
    reflex_finding: str
    isncsci_key_muscle: str
    source: str
    note: str


@dataclass(frozen=True)
class VariabilityFigure:
    """A cited figure showing how far real patients depart from the dermatome maps."""

    key: str
    claim: str
    figure: str
    source: str
    note: str


@dataclass(frozen=True)
class Feature:
    """A decorative anatomical line (patella, inguinal ligament, toe clefts ...)."""

    name: str
    view: str
    closed: bool
    points: Polygon


# ------------------------------------------------------------------------------------ geometry
def _closed(points: np.ndarray) -> np.ndarray:
    if not np.array_equal(points[0], points[-1]):
        points = np.vstack([points, points[:1]])
    points = np.ascontiguousarray(points, dtype=float)
    points.setflags(write=False)
    return points


def contains(polygon: Polygon, x: float | np.ndarray, y: float | np.ndarray) -> np.ndarray | bool:
    """True where (x, y) lies inside the polygon (even-odd rule, ray casting)."""
    ring = np.asarray(polygon, dtype=float)
    if np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    px, py = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
    x0, y0 = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    pxe, pye = px[..., None], py[..., None]
    straddles = (y0 > pye) != (y1 > pye)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross_x = x0 + (pye - y0) * (x1 - x0) / (y1 - y0)
    inside = np.count_nonzero(straddles & (pxe < cross_x), axis=-1) % 2 == 1
    return bool(inside) if inside.ndim == 0 else inside


def _segments_cross(a0, a1, b0, b1) -> np.ndarray:
    """Proper or touching intersection of segments a (n,2) against b (m,2), as an (n, m) mask."""

    def orient(p, q, r):
        return np.sign(
            (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1])
            - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])
        )

    A0, A1 = a0[:, None, :], a1[:, None, :]
    B0, B1 = b0[None, :, :], b1[None, :, :]
    d1, d2 = orient(B0, B1, A0), orient(B0, B1, A1)
    d3, d4 = orient(A0, A1, B0), orient(A0, A1, B1)
    return (d1 * d2 <= 0) & (d3 * d4 <= 0) & ~((d1 == 0) & (d2 == 0))


def is_simple(polygon: Polygon) -> bool:
    """True if the closed polygon has at least 3 vertices and no two non-adjacent edges meet."""
    ring = np.asarray(polygon, dtype=float)
    if np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    n = len(ring)
    if n < 3 or len(np.unique(ring, axis=0)) != n:
        return False
    a0, a1 = ring, np.roll(ring, -1, axis=0)
    hits = _segments_cross(a0, a1, a0, a1)
    i, j = np.triu_indices(n, k=2)
    adjacent = j - i == n - 1  # first and last edges share a vertex
    return not np.any(hits[i[~adjacent], j[~adjacent]])


def edges_cross(polygon: Polygon, other: Polygon) -> bool:
    """True if any edge of one closed polygon meets an edge of the other."""
    p, o = np.asarray(polygon, float), np.asarray(other, float)
    return bool(np.any(_segments_cross(p[:-1], p[1:], o[:-1], o[1:])))


def area(polygon: Polygon) -> float:
    """Area of a closed polygon (shoelace formula), in square centimetres."""
    p = np.asarray(polygon, float)
    return float(abs(np.dot(p[:-1, 0], p[1:, 1]) - np.dot(p[1:, 0], p[:-1, 1])) / 2)


def label_point(polygon: Polygon) -> tuple[float, float]:
    """A point well inside the polygon (farthest from its edges on a grid), for a text label."""
    x, y, _ = inner_point(polygon)
    return x, y


def inner_point(polygon: Polygon) -> tuple[float, float, float]:
    """(x, y, clearance): the grid point inside the polygon farthest from its edges."""
    p = np.asarray(polygon, float)
    (xmin, ymin), (xmax, ymax) = p.min(axis=0), p.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, 24), np.linspace(ymin, ymax, 48))
    gx, gy = gx.ravel(), gy.ravel()
    inside = contains(p, gx, gy)
    if not np.any(inside):
        c = p[:-1].mean(axis=0)
        return float(c[0]), float(c[1]), 0.0
    gx, gy = gx[inside], gy[inside]
    a, b = p[:-1], p[1:]
    ab = b - a
    t = ((gx[:, None] - a[:, 0]) * ab[:, 0] + (gy[:, None] - a[:, 1]) * ab[:, 1]) / np.maximum(
        (ab**2).sum(axis=1), 1e-12
    )
    t = np.clip(t, 0, 1)
    dx = a[:, 0] + t * ab[:, 0] - gx[:, None]
    dy = a[:, 1] + t * ab[:, 1] - gy[:, None]
    d2 = np.min(dx**2 + dy**2, axis=1)
    k = int(np.argmax(d2))
    return float(gx[k]), float(gy[k]), float(np.sqrt(d2[k]))


# ------------------------------------------------------------------------------------ loading
def _data_dir() -> Path:
    from ..model.knowledge_base import bundled_data_path

    return bundled_data_path() / "anatomy"


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise DataError(f"{path}: anatomy file not found.")
    _, data = read_yaml(path, str(path))
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a mapping at the top level.")
    return data


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    if not path.is_file():
        raise DataError(f"{path}: anatomy file not found.")
    return read_csv(path, columns, str(path))


def _field(where: str, mapping: Mapping, key: str, kind: type = str):
    if key not in mapping:
        raise DataError(f"{where}: field '{key}' is missing.")
    value = mapping[key]
    if not isinstance(value, kind):
        raise DataError(f"{where}: field '{key}' should be {kind.__name__}, got {value!r}.")
    return value


def _polygon(where: str, points) -> Polygon:
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{where}: field 'points' must be a list of [x, y] pairs.") from exc
    if arr.ndim != 2 or arr.shape[1] != 2 or len(arr) < 3:
        raise DataError(f"{where}: field 'points' needs at least 3 [x, y] pairs.")
    if not np.all(np.isfinite(arr)):
        raise DataError(f"{where}: field 'points' contains a non-finite number.")
    return _closed(arr)


def _regions(where: str, entry: Mapping, rid: str, mirror: bool) -> list[Region]:
    out = []
    items = _field(where, entry, "regions", list)
    for k, item in enumerate(items, start=1):
        here = f"{where}, region {k}"
        if not isinstance(item, dict):
            raise DataError(f"{here}: expected a mapping with 'view' and 'points'.")
        view = _field(here, item, "view")
        if view not in VIEWS:
            raise DataError(f"{here}: field 'view' is {view!r}; use one of {', '.join(VIEWS)}.")
        poly = _polygon(here, _field(here, item, "points", list))
        out.append(Region(rid, view, "right", poly))
        if mirror:
            out.append(Region(rid, view, "left", _closed(poly * np.array([-1.0, 1.0]))))
    return out


class Anatomy:
    """All anatomy tables of one data folder, checked on load. Use :func:`load`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._outline, self._features = self._read_outline()
        self._dermatomes, self._dermatome_info = self._read_dermatomes()
        self._nerve_regions, self._nerves = self._read_nerves()
        self._finding_regions, self._finding_info = self._read_findings()
        self._key_points = self._read_key_points()
        self._myotomes = self._read_myotomes()
        self._variability = self._read_variability()

    # -- readers
    def _read_outline(self):
        path = self.folder / "outline.yaml"
        data = _read_yaml(path)
        views = _field(f"{path.name}", data, "views", dict)
        outline, features = {}, {}
        for view in VIEWS:
            where = f"{path.name}, view '{view}'"
            entry = _field(path.name, views, view, dict)
            outline[view] = _polygon(where, _field(where, entry, "outline", list))
            feats = []
            for name, feat in (entry.get("features") or {}).items():
                here = f"{where}, feature '{name}'"
                pts = np.asarray(_field(here, feat, "points", list), dtype=float)
                if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2:
                    raise DataError(f"{here}: field 'points' needs at least 2 [x, y] pairs.")
                pts.setflags(write=False)
                feats.append(Feature(name, view, bool(feat.get("closed", False)), pts))
            features[view] = tuple(feats)
        return outline, features

    def _read_dermatomes(self):
        path = self.folder / "dermatomes.yaml"
        maps = _field(path.name, _read_yaml(path), "maps", dict)
        regions, info = {}, {}
        for map_id in MAPS:
            entry = _field(path.name, maps, map_id, dict)
            mirror = bool(entry.get("mirror", True))
            roots = _field(f"{path.name}, map '{map_id}'", entry, "roots", dict)
            regions[map_id], info[map_id] = {}, {}
            for root, rentry in roots.items():
                where = f"{path.name}, map '{map_id}', root '{root}'"
                if not isinstance(rentry, dict):
                    raise DataError(f"{where}: expected a mapping.")
                regions[map_id][root] = _regions(where, rentry, root, mirror)
                info[map_id][root] = RegionInfo(
                    root,
                    _field(where, rentry, "summary"),
                    _field(where, rentry, "source"),
                    _field(where, rentry, "note"),
                )
        missing = [r for r in ROOTS if r not in regions["consensus"]]
        if missing:
            raise DataError(f"{path.name}, map 'consensus': root(s) {', '.join(missing)} missing.")
        return regions, info

    def _read_nerves(self):
        path = self.folder / "nerves.yaml"
        data = _read_yaml(path)
        mirror = bool(data.get("mirror", True))
        regions, nerves = {}, {}
        for nid, entry in _field(path.name, data, "nerves", dict).items():
            where = f"{path.name}, nerve '{nid}'"
            regions[nid] = _regions(where, entry, nid, mirror)
            nerves[nid] = Nerve(
                nid,
                _field(where, entry, "label"),
                _field(where, entry, "roots"),
                str(entry.get("branch_of") or ""),
                bool(entry.get("inconstant", False)),
                _field(where, entry, "source"),
                _field(where, entry, "note"),
            )
        return regions, nerves

    def _read_findings(self):
        path = self.folder / "sensory_findings.yaml"
        data = _read_yaml(path)
        regions, info = {}, {}
        for fid, entry in _field(path.name, data, "findings", dict).items():
            where = f"{path.name}, finding '{fid}'"
            bilateral = bool(entry.get("bilateral", False))
            regions[fid] = _regions(where, entry, fid, mirror=bilateral)
            info[fid] = RegionInfo(fid, _field(where, entry, "note"), "", "")
        return regions, info

    def _read_key_points(self):
        path = self.folder / "key_points.csv"
        cols = ("root", "view", "x", "y", "landmark", "isncsci_wording", "source", "note")
        points = {}
        for line, row in _read_csv(path, cols):
            root = row["root"]
            where = f"{path.name}, line {line} ({root})"
            if row["view"] not in VIEWS:
                raise DataError(f"{where}, field 'view': {row['view']!r} is not one of {VIEWS}.")
            try:
                x, y = float(row["x"]), float(row["y"])
            except ValueError as exc:
                raise DataError(f"{where}, field 'x'/'y': not a number.") from exc
            if not (math.isfinite(x) and math.isfinite(y)):
                raise DataError(f"{where}, field 'x'/'y': not a finite number.")
            points[root] = KeyPoint(
                root,
                row["view"],
                x,
                y,
                row["landmark"],
                row["isncsci_wording"],
                row["source"],
                row["note"],
            )
        missing = [r for r in ROOTS if r not in points]
        if missing:
            raise DataError(f"{path.name}: key point(s) for {', '.join(missing)} missing.")
        return points

    def _read_myotomes(self):
        path = self.folder / "myotomes.csv"
        cols = (
            "root",
            "movement",
            "muscles",
            "other_movements",
            "reflex",
            "weakness_findings",
            "reflex_finding",
            "isncsci_key_muscle",
            "source",
            "note",
        )
        out = {}
        for line, row in _read_csv(path, cols):
            for field in ("root", "movement", "muscles", "source"):
                if not row[field].strip():
                    raise DataError(
                        f"{path.name}, line {line} ({row['root']}), field '{field}': empty."
                    )
            weak = tuple(f for f in row["weakness_findings"].split(";") if f.strip())
            out[row["root"]] = Myotome(
                row["root"],
                row["movement"],
                row["muscles"],
                row["other_movements"],
                row["reflex"],
                weak,
                row["reflex_finding"],
                row["isncsci_key_muscle"],
                row["source"],
                row["note"],
            )
        return out

    def _read_variability(self):
        path = self.folder / "variability.csv"
        cols = ("key", "claim", "figure", "source", "note")
        return tuple(VariabilityFigure(*(row[c] for c in cols)) for _, row in _read_csv(path, cols))

    # -- public accessors
    def outline(self, view: str) -> Polygon:
        """The closed outline of the lower trunk and both legs in one view."""
        return self._outline[_check_view(view)]

    def features(self, view: str) -> tuple[Feature, ...]:
        """Decorative anatomical lines for one view (patella, malleoli, gluteal folds ...)."""
        return self._features[_check_view(view)]

    def key_points(self) -> dict[str, KeyPoint]:
        """ISNCSCI key sensory points L1-S2 with landmark names and sources."""
        return dict(self._key_points)

    def regions(self, kind: str, map: str = "consensus") -> dict[str, list[Region]]:  # noqa: A002
        """Region records by id: ``kind`` is 'dermatomes', 'nerves' or 'findings'."""
        if kind == "dermatomes":
            return {k: list(v) for k, v in self._dermatomes[_check_map(map)].items()}
        if kind == "nerves":
            return {k: list(v) for k, v in self._nerve_regions.items()}
        if kind == "findings":
            return {k: list(v) for k, v in self._finding_regions.items()}
        raise ValueError(f"kind must be 'dermatomes', 'nerves' or 'findings', not {kind!r}.")

    def dermatome_info(self, map: str = "consensus") -> dict[str, RegionInfo]:  # noqa: A002
        """Plain-language summary, source keys and note for each root of a map."""
        return dict(self._dermatome_info[_check_map(map)])

    def finding_info(self) -> dict[str, RegionInfo]:
        """A plain-language description of the skin area of each sensory finding."""
        return dict(self._finding_info)

    def nerves(self) -> dict[str, Nerve]:
        """The peripheral nerves whose territories are drawn."""
        return dict(self._nerves)

    def myotomes(self) -> dict[str, Myotome]:
        """Myotome and reflex per root, L2-S2."""
        return dict(self._myotomes)

    def variability(self) -> tuple[VariabilityFigure, ...]:
        """Cited figures on how far real patients depart from the maps."""
        return self._variability


def _check_view(view: str) -> str:
    if view not in VIEWS:
        raise UnknownIdError("view", view, VIEWS)
    return view


def _check_map(map_id: str) -> str:
    if map_id not in MAPS:
        raise UnknownIdError("dermatome map", map_id, MAPS)
    return map_id


@lru_cache(maxsize=4)
def _cached(folder: str) -> Anatomy:
    return Anatomy(folder)


def load(path: str | Path | None = None) -> Anatomy:
    """The bundled anatomy tables (cached), or those of another ``anatomy/`` folder."""
    if path is None:
        return _cached(str(_data_dir()))
    return Anatomy(path)


# ------------------------------------------------------------------------------------ the API
def _as_view_polygons(regions: Mapping[str, list[Region]], side: str) -> dict[str, list]:
    if side not in ("both", *SIDES):
        raise ValueError(f"side must be 'both', 'right' or 'left', not {side!r}.")
    return {
        rid: [(r.view, r.polygon) for r in regs if side == "both" or r.side == side]
        for rid, regs in regions.items()
    }


def key_sensory_points() -> dict[str, tuple[str, float, float]]:
    """Root ('L1' ... 'S2') -> (view, x, y) of its ISNCSCI key sensory point, right side."""
    return {root: (p.view, p.x, p.y) for root, p in load().key_points().items()}


def dermatome_regions(map: str = "consensus", side: str = "both") -> dict[str, list[ViewPolygon]]:  # noqa: A002
    """Root -> list of (view, polygon) for a dermatome map: 'consensus' or 'keegan_garrett'.

    The consensus map has L1-S2 plus S3 and S4-5; the Keegan & Garrett variant has L3 and L4.
    ``side`` picks the subject's 'right', 'left' or 'both' (default) sides.
    """
    return _as_view_polygons(load().regions("dermatomes", map), side)


def nerve_territories(side: str = "both") -> dict[str, list[ViewPolygon]]:
    """Nerve id -> list of (view, polygon) of its cutaneous territory."""
    return _as_view_polygons(load().regions("nerves"), side)


def sensory_finding_regions() -> dict[str, list[ViewPolygon]]:
    """Sensory finding id -> list of (view, polygon) of the skin it describes.

    One-sided findings (``sensory_loss_*``) are drawn on the subject's right leg;
    ``stocking_distribution_numbness`` and ``saddle_anaesthesia`` on both sides.
    """
    return _as_view_polygons(load().regions("findings"), "both")


def myotomes() -> dict[str, Myotome]:
    """Root -> Myotome (movement, muscles, reflex, vocabulary finding ids, sources), L2-S2."""
    return load().myotomes()


def nerves() -> dict[str, Nerve]:
    """Nerve id -> Nerve (label, roots, parent nerve, sources)."""
    return load().nerves()


def variability() -> tuple[VariabilityFigure, ...]:
    """Cited figures on overlap and variability of dermatomes."""
    return load().variability()


def roots_at(view: str, x: float, y: float, map: str = "consensus") -> list[str]:  # noqa: A002
    """Roots whose dermatome region (either side) contains the point, in root order."""
    _check_view(view)
    return [
        root
        for root, regs in load().regions("dermatomes", map).items()
        if any(r.view == view and contains(r.polygon, x, y) for r in regs)
    ]


def nerves_at(view: str, x: float, y: float) -> list[str]:
    """Nerves whose cutaneous territory (either side) contains the point."""
    _check_view(view)
    return [
        nid
        for nid, regs in load().regions("nerves").items()
        if any(r.view == view and contains(r.polygon, x, y) for r in regs)
    ]


def myotome_table(roots: Iterable[str] | None = None) -> str:
    """A plain-text table of the myotome, key muscles and reflex per root, for printing."""
    table = myotomes()
    chosen = list(table) if roots is None else list(roots)
    for root in chosen:
        if root not in table:
            raise UnknownIdError("root", root, table)
    header = ("Root", "Test this movement", "Main muscles", "Reflex")
    return _text_table(
        header, [(r, table[r].movement, table[r].muscles, table[r].reflex) for r in chosen]
    )


def key_point_table() -> str:
    """A plain-text table: root, ISNCSCI key sensory point, and the consensus root it lies in."""
    header = ("Root", "Key sensory point", "Lies in (consensus map)")
    rows = []
    for root, p in load().key_points().items():
        rows.append((root, p.landmark, ", ".join(roots_at(p.view, p.x, p.y)) or "none"))
    return _text_table(header, rows)


def _text_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Left-aligned columns with a dashed rule under the header; no trailing spaces."""
    widths = [max(len(str(row[k])) for row in [header, *rows]) for k in range(len(header))]

    def line(cells) -> str:
        return "  ".join(f"{str(c):<{w}}" for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line("-" * w for w in widths), *(line(r) for r in rows)])
