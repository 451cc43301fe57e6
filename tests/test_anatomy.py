"""Anatomy geometry and tables: where each root, nerve and finding sits, and that the data hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import kneesci
from kneesci import anatomy
from kneesci.anatomy import contains, inner_point, is_simple

ATLAS = anatomy.load()


def _all_regions():
    for map_id in anatomy.MAPS:
        for rid, regs in ATLAS.regions("dermatomes", map_id).items():
            for r in regs:
                yield pytest.param(r, id=f"{map_id}-{rid}-{r.view}-{r.side}")
    for kind in ("nerves", "findings"):
        for rid, regs in ATLAS.regions(kind).items():
            for r in regs:
                yield pytest.param(r, id=f"{kind}-{rid}-{r.view}-{r.side}")


def _right(kind: str, rid: str, view: str, map_id: str = "consensus"):
    return [
        r.polygon for r in ATLAS.regions(kind, map_id)[rid] if r.view == view and r.side == "right"
    ]


def _inside_any(polygons, x: float, y: float) -> bool:
    return any(contains(p, x, y) for p in polygons)


# --- geometry helpers -------------------------------------------------------------------------
def test_point_in_square_is_inside_and_point_beyond_is_not():
    square = np.array([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]], float)
    assert contains(square, 1, 1)
    assert not contains(square, 3, 1)


def test_bow_tie_is_not_a_simple_polygon():
    bow_tie = np.array([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]], float)
    assert not is_simple(bow_tie)


def test_inner_point_of_a_square_is_its_centre():
    square = np.array([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], float)
    x, y, clearance = inner_point(square)
    assert abs(x - 2) < 0.2 and abs(y - 2) < 0.2 and clearance > 1.8


# --- key sensory points -----------------------------------------------------------------------
def test_key_points_are_given_for_l1_to_s2():
    assert set(anatomy.key_sensory_points()) == set(anatomy.ROOTS)


@pytest.mark.parametrize("root", anatomy.ROOTS)
def test_each_key_point_lies_in_its_own_consensus_dermatome_and_no_other(root):
    view, x, y = anatomy.key_sensory_points()[root]
    assert anatomy.roots_at(view, x, y) == [root]


def test_s1_and_s2_points_are_on_the_back_view_and_the_others_on_the_front():
    views = {root: v for root, (v, _, _) in anatomy.key_sensory_points().items()}
    assert {r for r, v in views.items() if v == "posterior"} == {"S1", "S2"}


def test_l4_key_point_is_also_in_the_saphenous_territory():
    view, x, y = anatomy.key_sensory_points()["L4"]
    assert "saphenous" in anatomy.nerves_at(view, x, y)


# --- polygons are valid -----------------------------------------------------------------------
@pytest.mark.parametrize("view", anatomy.VIEWS)
def test_outline_is_a_closed_simple_polygon(view):
    ring = ATLAS.outline(view)
    assert np.array_equal(ring[0], ring[-1]) and is_simple(ring)


@pytest.mark.parametrize("region", list(_all_regions()))
def test_region_is_closed_simple_and_inside_the_outline(region):
    ring, outline = region.polygon, ATLAS.outline(region.view)
    assert np.array_equal(ring[0], ring[-1])
    assert is_simple(ring)
    assert np.all(contains(outline, ring[:, 0], ring[:, 1]))
    assert not anatomy.edges_cross(ring, outline)


def test_left_side_is_the_mirror_of_the_right():
    right, left = (ATLAS.regions("dermatomes")["L4"][k].polygon for k in (0, 1))
    assert np.allclose(left * [-1, 1], right)


def test_returned_polygons_are_read_only():
    polygon = anatomy.dermatome_regions()["L3"][0][1]
    with pytest.raises(ValueError):
        polygon[0, 0] = 0.0


@pytest.mark.parametrize("view", anatomy.VIEWS)
def test_consensus_dermatomes_do_not_overlap(view):
    regions = {root: _right("dermatomes", root, view) for root in ATLAS.regions("dermatomes")}
    checked = list(regions.items())
    assert checked, "nothing to check"
    for root, polygons in checked:
        for polygon in polygons:
            x, y, _ = inner_point(polygon)
            others = [r for r, ps in regions.items() if r != root and _inside_any(ps, x, y)]
            assert others == [], f"{root} overlaps {others} in the {view} view"


# --- what the maps say ------------------------------------------------------------------------
def test_dermatome_regions_api_shape():
    regions = anatomy.dermatome_regions()
    view, polygon = regions["L4"][0]
    assert view in anatomy.VIEWS and polygon.ndim == 2 and polygon.shape[1] == 2
    assert set(anatomy.ROOTS) <= set(regions)


def test_keegan_garrett_variant_has_l3_and_l4():
    assert set(anatomy.dermatome_regions(map="keegan_garrett")) == {"L3", "L4"}


def test_consensus_l4_stays_below_the_knee_on_the_front():
    checked = list(_right("dermatomes", "L4", "anterior"))
    assert checked, "nothing to check"
    for polygon in checked:
        assert polygon[:, 1].max() < 48.0  # knee joint line


def test_keegan_garrett_l4_reaches_the_lateral_thigh_and_the_great_toe():
    lateral_thigh = (-15.0, 66.0)  # right leg, front view
    great_toe = (-7.0, -6.5)
    kg = _right("dermatomes", "L4", "anterior", "keegan_garrett")
    consensus = _right("dermatomes", "L4", "anterior")
    assert _inside_any(kg, *lateral_thigh) and _inside_any(kg, *great_toe)
    assert not _inside_any(consensus, *lateral_thigh)
    assert not _inside_any(consensus, *great_toe)


def test_the_two_maps_disagree_about_the_front_of_the_knee():
    patella = (-9.2, 51.0)  # centre of the right patella
    assert anatomy.roots_at("anterior", *patella) == ["L3"]
    assert anatomy.roots_at("anterior", *patella, map="keegan_garrett") == ["L4"]


def test_unknown_map_is_reported_with_suggestions():
    with pytest.raises(kneesci.UnknownIdError, match="keegan_garrett"):
        anatomy.dermatome_regions(map="keegan")


# --- nerves and findings ----------------------------------------------------------------------
def test_nerve_territories_include_every_nerve_the_course_names():
    expected = {
        "lateral_femoral_cutaneous",
        "anterior_femoral_cutaneous",
        "obturator",
        "saphenous",
        "saphenous_infrapatellar",
        "common_peroneal",
        "superficial_peroneal",
        "deep_peroneal",
        "sural",
        "tibial_calcaneal",
        "medial_plantar",
        "lateral_plantar",
        "posterior_femoral_cutaneous",
    }
    assert set(anatomy.nerve_territories()) == expected


def test_first_web_space_is_deep_peroneal_skin_not_superficial():
    (polygon,) = _right("findings", "sensory_loss_first_web_space", "anterior")
    x, y, _ = inner_point(polygon)
    assert anatomy.nerves_at("anterior", x, y) == ["deep_peroneal"]


@pytest.mark.parametrize(
    ("finding", "view", "root"),
    [
        ("sensory_loss_medial_knee", "anterior", "L3"),
        ("sensory_loss_medial_leg", "anterior", "L4"),
        ("sensory_loss_dorsum_foot", "anterior", "L5"),
        ("sensory_loss_first_web_space", "anterior", "L5"),
        ("sensory_loss_lateral_foot", "posterior", "S1"),
    ],
)
def test_finding_area_centre_lies_in_the_root_it_points_to(finding, view, root):
    (polygon,) = _right("findings", finding, view)
    x, y, _ = inner_point(polygon)
    assert anatomy.roots_at(view, x, y) == [root]


def test_every_sensory_finding_of_the_vocabulary_has_an_area_and_no_other_ids(kb):
    sensory = {f for f in kb.findings if f.startswith("sensory_loss_")}
    sensory |= {"stocking_distribution_numbness", "saddle_anaesthesia"}
    assert set(anatomy.sensory_finding_regions()) == sensory


def test_one_sided_findings_are_drawn_on_the_right_leg_only():
    checked = list(ATLAS.regions("findings").items())
    assert checked, "nothing to check"
    for fid, regs in checked:
        if fid.startswith("sensory_loss_"):
            assert {r.side for r in regs} == {"right"}, fid


def test_stocking_reaches_the_same_height_on_both_legs():
    regs = [
        r
        for r in ATLAS.regions("findings")["stocking_distribution_numbness"]
        if r.view == "anterior"
    ]
    tops = {r.side: r.polygon[:, 1].max() for r in regs}
    assert set(tops) == {"right", "left"} and tops["right"] == pytest.approx(tops["left"])


# --- myotomes and sources ---------------------------------------------------------------------
def test_myotomes_cover_l2_to_s1():
    assert {"L2", "L3", "L4", "L5", "S1"} <= set(anatomy.myotomes())


def test_myotome_finding_ids_exist_in_the_knowledge_base(kb):
    checked = list(anatomy.myotomes().items())
    assert checked, "nothing to check"
    for root, m in checked:
        for fid in (*m.weakness_findings, *([m.reflex_finding] if m.reflex_finding else [])):
            assert fid in kb.findings, f"{root}: {fid}"


def test_l4_myotome_is_ankle_dorsiflexion_and_its_reflex_the_knee_jerk():
    l4 = anatomy.myotomes()["L4"]
    assert l4.movement == "ankle dorsiflexion" and l4.reflex_finding == "patellar_reflex_reduced"


def test_myotome_table_prints_one_line_per_root():
    lines = anatomy.myotome_table(["L3", "S1"]).splitlines()
    assert lines[2].startswith("L3") and lines[3].startswith("S1") and len(lines) == 4


def _source_keys():
    keys = set()
    for map_id in anatomy.MAPS:
        for info in ATLAS.dermatome_info(map_id).values():
            keys.update(info.source.split(";"))
    for record in (
        *ATLAS.nerves().values(),
        *ATLAS.key_points().values(),
        *ATLAS.myotomes().values(),
        *ATLAS.variability(),
    ):
        keys.update(record.source.split(";"))
    return sorted(k for k in keys if k)


@pytest.mark.parametrize("key", _source_keys())
def test_every_anatomy_source_is_a_reference(kb, key):
    assert key in kb.references


def test_variability_figures_carry_their_numbers():
    figures = {v.key: v.figure for v in anatomy.variability()}
    assert "64.1%" in figures["lumbar_pain_non_dermatomal"]


# --- bad data is reported where it enters ---------------------------------------------------
@pytest.fixture
def anatomy_copy(tmp_path: Path) -> Path:
    target = tmp_path / "anatomy"
    shutil.copytree(Path(anatomy._data_dir()), target)
    return target


def test_region_with_too_few_points_names_file_map_and_root(anatomy_copy):
    path = anatomy_copy / "dermatomes.yaml"
    text = path.read_text()
    start = text.index("      L4:")
    head, tail = text[:start], text[start:]
    first_points = tail.index("points:") + len("points:\n")
    lines = tail[first_points:].splitlines(keepends=True)
    kept = lines[:2] + [ln for ln in lines[2:] if not ln.lstrip().startswith("- [")]
    path.write_text(head + tail[:first_points] + "".join(kept))
    with pytest.raises(kneesci.DataError, match=r"dermatomes.yaml, map 'consensus', root 'L4'"):
        anatomy.load(anatomy_copy)


def test_unknown_view_names_the_field(anatomy_copy):
    path = anatomy_copy / "nerves.yaml"
    path.write_text(path.read_text().replace("view: posterior", "view: lateral", 1))
    with pytest.raises(kneesci.DataError, match=r"field 'view' is 'lateral'"):
        anatomy.load(anatomy_copy)


def test_missing_key_point_is_reported(anatomy_copy):
    path = anatomy_copy / "key_points.csv"
    path.write_text(
        "".join(ln for ln in path.read_text().splitlines(keepends=True) if not ln.startswith("S2,"))
    )
    with pytest.raises(kneesci.DataError, match=r"key_points.csv: key point\(s\) for S2 missing"):
        anatomy.load(anatomy_copy)
