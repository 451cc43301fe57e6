"""Anatomy drawings: what each figure shows, that the explorer map updates in place, and that
the pictures still look like their committed baselines.

Baselines live in tests/baseline/ and are rendered with Agg at a fixed, low dpi. To refresh them
after an intended change of the drawing, run these tests with KNEESCI_UPDATE_BASELINES=1 set.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

import kneesci  # noqa: E402
from kneesci import anatomy_plots as ap  # noqa: E402
from kneesci.palette import ROOT_COLOURS  # noqa: E402

BASELINE = Path(__file__).parent / "baseline"
DPI = 40
TOLERANCE = 6.0  # RMS difference (0-255) allowed for font rendering between machines


def _face(patch) -> tuple[float, float, float]:
    return tuple(round(c, 3) for c in patch.get_facecolor()[:3])


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(round(c, 3) for c in to_rgba(colour)[:3])


# --- dermatomes -------------------------------------------------------------------------------
def test_dermatome_plot_makes_a_bare_figure_not_a_pyplot_one():
    before = plt.get_fignums()
    shown = ap.plot_dermatomes(highlight=["L3", "L4"])
    assert isinstance(shown.figure, Figure) and plt.get_fignums() == before


def test_dermatome_plot_draws_front_and_back_by_default():
    shown = ap.plot_dermatomes()
    assert [a.get_title() for a in shown.axes] == ["Front", "Back"]


def test_highlighted_roots_keep_their_colour_and_the_rest_are_greyed():
    shown = ap.plot_dermatomes(highlight=["L3", "L4"])
    assert {_face(p) for p in shown.artists["L4"]} == {_rgb(ROOT_COLOURS["L4"])}
    assert {_face(p) for p in shown.artists["L3"]} == {_rgb(ROOT_COLOURS["L3"])}
    assert {_face(p) for p in shown.artists["L5"]} == {_rgb(ap.GREYED)}


def test_each_root_is_drawn_in_both_views_on_both_sides():
    shown = ap.plot_dermatomes()
    views = {p.axes.get_title() for p in shown.artists["L4"]}
    assert views == {"Front", "Back"} and len(shown.artists["L4"]) >= 4


def test_dermatome_plot_draws_on_the_axes_it_is_given():
    fig = Figure()
    axes = fig.subplots(1, 2)
    shown = ap.plot_dermatomes(ax=axes)
    assert shown.figure is fig and shown.axes == tuple(axes)


def test_one_view_can_be_drawn_on_a_single_axes():
    fig = Figure()
    ax = fig.subplots()
    shown = ap.plot_dermatomes(views=["anterior"], ax=ax)
    assert shown.axes == (ax,) and ax.get_title() == "Front"


def test_wrong_number_of_axes_is_refused():
    fig = Figure()
    with pytest.raises(ValueError, match="2 Axes"):
        ap.plot_dermatomes(ax=fig.subplots())


def test_unknown_root_is_reported_with_a_suggestion():
    with pytest.raises(kneesci.UnknownIdError, match="L4"):
        ap.plot_dermatomes(highlight=["L44"])


def test_key_points_are_drawn_one_per_root():
    shown = ap.plot_dermatomes()
    assert len(shown.artists["key_points"]) == 7


def test_alt_text_names_the_highlighted_roots_and_where_they_are():
    alt = ap.plot_dermatomes(highlight=["L3", "L4"]).alt_text
    assert "L3 (the lower front of the thigh" in alt and "L4 (the inner side of the leg" in alt
    assert "L5" not in alt


# --- map comparison, nerves, patterns -------------------------------------------------------
def test_comparison_draws_both_maps_in_four_panels():
    shown = ap.plot_map_comparison()
    assert len(shown.axes) == 4
    assert {"consensus:L4", "keegan_garrett:L4", "consensus:L3", "keegan_garrett:L3"} <= set(
        shown.artists
    )
    assert "Keegan & Garrett" in shown.alt_text


def test_comparison_refuses_a_root_the_variant_does_not_draw():
    with pytest.raises(kneesci.UnknownIdError):
        ap.plot_map_comparison(roots=["S1"])


def test_nerve_plot_draws_every_territory_and_dashes_the_inconstant_obturator():
    shown = ap.plot_nerve_territories()
    assert all(shown.artists[n] for n in kneesci.anatomy.nerves())
    assert {p.get_linestyle() for p in shown.artists["obturator"]} == {"--"}
    assert {p.get_linestyle() for p in shown.artists["saphenous"]} == {"-"}


def test_deep_peroneal_gets_a_label_even_though_it_is_small():
    shown = ap.plot_nerve_territories()
    assert "DPN" in {t.get_text() for t in shown.artists["labels"]}


def test_patterns_show_one_root_one_nerve_and_a_bilateral_stocking():
    shown = ap.plot_patterns()
    assert shown.artists["root"] and shown.artists["nerve"] and shown.artists["stocking"]
    assert "both feet" in shown.alt_text


# --- the explorer's sensory map ---------------------------------------------------------------
@pytest.fixture
def sensory_map() -> ap.SensoryMap:
    return ap.SensoryMap()


def _children(smap: ap.SensoryMap) -> int:
    return sum(len(a.get_children()) for a in smap.axes) + len(smap.figure.get_children())


def test_new_sensory_map_shows_nothing_shaded(sensory_map):
    assert not any(
        p.get_visible()
        for ps in sensory_map.artists.values()
        for p in ps
        if p is not sensory_map.artists["caption"][0]
    )
    assert "No numb skin" in sensory_map.alt_text


def test_update_shows_the_findings_and_the_root_and_nothing_else(sensory_map):
    sensory_map.update(["sensory_loss_medial_leg"], root="L4")
    artists = sensory_map.artists
    assert all(p.get_visible() for p in artists["sensory_loss_medial_leg"])
    assert all(p.get_visible() for p in artists["L4"])
    assert not any(p.get_visible() for p in artists["sensory_loss_dorsum_foot"])
    assert not any(p.get_visible() for p in artists["L5"])


def test_update_hides_what_the_previous_update_showed(sensory_map):
    sensory_map.update(["sensory_loss_medial_leg"], root="L4")
    sensory_map.update(["sensory_loss_dorsum_foot"])
    assert not any(p.get_visible() for p in sensory_map.artists["sensory_loss_medial_leg"])
    assert not any(p.get_visible() for p in sensory_map.artists["L4"])


def test_update_adds_no_artists(sensory_map):
    before = _children(sensory_map)
    sensory_map.update(["stocking_distribution_numbness", "saddle_anaesthesia"], root="S1")
    sensory_map.update([], None)
    assert _children(sensory_map) == before


def test_update_is_fast(sensory_map):
    timings = []
    for k in range(15):
        start = time.perf_counter()
        sensory_map.update(["sensory_loss_medial_leg"] if k % 2 else [], "L4" if k % 2 else None)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.010


def test_update_ignores_findings_without_a_skin_area(sensory_map):
    sensory_map.update(["slr_positive", "sensory_loss_medial_leg"])
    assert "slr_positive" not in sensory_map.finding_ids
    assert all(p.get_visible() for p in sensory_map.artists["sensory_loss_medial_leg"])


def test_update_refuses_an_unknown_root(sensory_map):
    with pytest.raises(kneesci.UnknownIdError):
        sensory_map.update([], root="L9")


def test_alt_text_describes_what_is_shaded_now(sensory_map):
    sensory_map.update(["stocking_distribution_numbness"], root="L5")
    alt = sensory_map.alt_text
    assert "both feet and lower legs" in alt and "(both sides)" in alt and "L5 dermatome" in alt


def test_sensory_map_needs_both_axes_or_neither():
    fig = Figure()
    with pytest.raises(ValueError, match="both"):
        ap.SensoryMap(ax_anterior=fig.subplots())


def test_plot_sensory_findings_refuses_an_unknown_finding():
    with pytest.raises(kneesci.UnknownIdError, match="sensory_loss_medial_leg"):
        ap.plot_sensory_findings(["sensory_loss_medial_legs"])


def test_figures_display_as_png_with_alt_text_in_a_notebook():
    bundle = ap.plot_dermatomes(highlight=["L4"])._repr_mimebundle_()
    assert bundle["image/png"].startswith(b"\x89PNG")
    assert 'alt="Outline of the lower trunk' in bundle["text/html"]


# --- image baselines --------------------------------------------------------------------------
FIGURES = {
    "dermatomes_l3_l4": lambda: ap.plot_dermatomes(highlight=["L3", "L4"]),
    "map_comparison": lambda: ap.plot_map_comparison(),
    "nerve_territories": lambda: ap.plot_nerve_territories(),
    "patterns": lambda: ap.plot_patterns(),
    "sensory_medial_leg_l4": lambda: ap.plot_sensory_findings(["sensory_loss_medial_leg"], "L4"),
}


def _render(shown, path: Path) -> None:
    shown.figure.savefig(path, dpi=DPI)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_matches_its_baseline(name, tmp_path):
    expected = BASELINE / f"{name}.png"
    actual = tmp_path / f"{name}.png"
    _render(FIGURES[name](), actual)
    if os.environ.get("KNEESCI_UPDATE_BASELINES"):
        BASELINE.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
    assert expected.exists(), f"no baseline {expected}; render it with KNEESCI_UPDATE_BASELINES=1"
    result = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert result is None, result


def test_baseline_comparison_catches_a_changed_drawing(tmp_path):
    wrong = tmp_path / "wrong.png"
    _render(ap.plot_dermatomes(highlight=["L5", "S1"]), wrong)
    result = compare_images(str(BASELINE / "dermatomes_l3_l4.png"), str(wrong), tol=TOLERANCE)
    assert result is not None


# --- tapping the body map ----------------------------------------------------------------------


def _pixel(sensory_map, view: str, x: float, y: float) -> tuple[float, float]:
    """Where a point of the drawing lands in the rendered picture (origin top left)."""
    ax = sensory_map.axes[kneesci.anatomy.VIEWS.index(view)]
    px, py = ax.transData.transform((x, y))
    return px, sensory_map.figure.bbox.height - py


@pytest.mark.parametrize(
    "finding",
    ["sensory_loss_medial_leg", "sensory_loss_anterior_thigh", "saddle_anaesthesia"],
)
def test_tapping_inside_a_skin_area_names_its_finding(finding):
    sensory_map = ap.SensoryMap()
    sensory_map.figure.canvas.draw()
    region = kneesci.anatomy.load().regions("findings")[finding][0]
    x, y, _ = kneesci.anatomy.inner_point(region.polygon)
    assert sensory_map.finding_at(*_pixel(sensory_map, region.view, x, y)) == finding


def test_tapping_outside_every_skin_area_names_nothing():
    sensory_map = ap.SensoryMap()
    sensory_map.figure.canvas.draw()
    assert sensory_map.finding_at(2, 2) is None  # the top-left corner, outside both views


def test_a_tap_on_the_foot_picks_the_smaller_overlapping_area():
    sensory_map = ap.SensoryMap()
    sensory_map.figure.canvas.draw()
    web = kneesci.anatomy.load().regions("findings")["sensory_loss_first_web_space"][0]
    x, y, _ = kneesci.anatomy.inner_point(web.polygon)
    assert sensory_map.finding_at(*_pixel(sensory_map, web.view, x, y)) == (
        "sensory_loss_first_web_space"
    )


def test_point_of_and_finding_at_are_inverses():
    sensory_map = ap.SensoryMap()
    sensory_map.figure.canvas.draw()
    # The stocking covers both feet, so its point lands in a smaller area on the foot: skip it.
    checked = list(set(sensory_map.finding_ids) - {"stocking_distribution_numbness"})
    assert checked, "nothing to check"
    for finding in checked:
        assert sensory_map.finding_at(*sensory_map.point_of(finding)) == finding
