"""The Fagan nomogram: a straight line through pre-test and LR lands on the post-test."""

from __future__ import annotations

import math

import pytest

from kneesci.nomogram import (
    LEFT,
    MIDDLE,
    RIGHT,
    lr_y,
    plot_nomogram,
    posttest_from_height,
    posttest_y,
    pretest_y,
)
from kneesci.widgets.nomogram import NomogramExplorer


def _height_at(display, x: float) -> float:
    """Height of the drawn line at x, from its two end points (it must be straight)."""
    xs, ys = display.line.get_data()
    slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])
    return ys[0] + slope * (x - xs[0])


# --- geometry ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pretest", "lr", "posttest"),
    [
        (0.2, 4.0, 0.5),  # odds 1:4 x 4 = 1:1
        (0.5, 9.0, 0.9),  # odds 1:1 x 9 = 9:1
        (0.1, 1.0, 0.1),  # LR 1 changes nothing
        (0.5, 1 / 9, 0.1),  # odds 1:1 / 9 = 1:9
    ],
)
def test_line_through_pretest_and_lr_hits_the_hand_worked_posttest(pretest, lr, posttest):
    display = plot_nomogram(pretest, lr)
    assert posttest_from_height(_height_at(display, RIGHT)) == pytest.approx(posttest)


def test_the_drawn_line_is_straight_through_all_three_scales():
    display = plot_nomogram(0.15, 6.0)
    xs, ys = display.line.get_data()
    assert list(xs) == [LEFT, MIDDLE, RIGHT]
    assert ys[1] == pytest.approx(_height_at(display, MIDDLE))


def test_line_starts_at_the_pretest_mark_and_crosses_the_lr_mark():
    display = plot_nomogram(0.3, 2.5)
    _, ys = display.line.get_data()
    assert ys[0] == pytest.approx(pretest_y(0.3))
    assert ys[1] == pytest.approx(lr_y(2.5))


def test_scales_run_the_classic_way_round():
    # Fagan's chart: low pre-test probabilities at the top, high post-test at the top.
    assert pretest_y(0.01) > pretest_y(0.9)
    assert posttest_y(0.9) > posttest_y(0.01)
    assert lr_y(10) > lr_y(1) == 0.0 > lr_y(0.1)


def test_likelihood_ratio_scale_is_logarithmic():
    assert lr_y(100) - lr_y(10) == pytest.approx(lr_y(10) - lr_y(1))


def test_display_keeps_the_three_numbers():
    display = plot_nomogram(0.2, 4.0)
    assert (display.pretest, display.likelihood_ratio) == (0.2, 4.0)
    assert display.posttest == pytest.approx(0.5)


# --- updating in place ------------------------------------------------------------------------
def test_update_moves_the_same_line_artist_rather_than_drawing_a_new_one():
    display = plot_nomogram(0.2, 4.0)
    line, lines_before = display.line, len(display.ax.lines)
    display.update(0.5, 9.0)
    assert display.line is line
    assert len(display.ax.lines) == lines_before
    assert posttest_from_height(_height_at(display, RIGHT)) == pytest.approx(0.9)


def test_update_rewrites_the_readout_and_alt_text():
    display = plot_nomogram(0.2, 4.0).update(0.5, 9.0)
    assert display.readout.get_text() == "Pre-test 50% × LR 9 → post-test 90%"
    assert "post-test probability of 90%" in display.alt_text


def test_alt_text_says_which_way_the_finding_moves_the_probability():
    assert "raises" in plot_nomogram(0.2, 4.0).alt_text
    assert "lowers" in plot_nomogram(0.2, 0.25).alt_text
    assert "leaves unchanged" in plot_nomogram(0.2, 1.0).alt_text


def test_draws_into_axes_the_caller_provides():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    display = plot_nomogram(0.2, 4.0, ax=ax)
    assert display.ax is ax and display.figure is ax.figure


def test_html_output_is_an_image_with_alt_text():
    html = plot_nomogram(0.2, 4.0)._repr_mimebundle_()["text/html"]
    assert html.startswith('<img src="data:image/png;base64,')
    assert 'alt="Fagan nomogram: ' in html


@pytest.mark.parametrize(("pretest", "lr"), [(0.0, 2.0), (1.0, 2.0), (0.2, 0.0), (0.2, -1.0)])
def test_impossible_inputs_are_rejected(pretest, lr):
    with pytest.raises(ValueError):
        plot_nomogram(pretest, lr)


def test_extreme_probabilities_stay_on_the_chart():
    assert math.isfinite(pretest_y(1e-9)) and math.isfinite(posttest_y(1 - 1e-12))


# --- the widget -------------------------------------------------------------------------------
def test_sliders_drive_the_line(tiny):
    explorer = NomogramExplorer(tiny, setting="clinic")
    explorer.pretest_slider.value = 50.0
    explorer.lr_slider.value = 9.0
    assert explorer.display.posttest == pytest.approx(0.9)
    assert "post-test 90%" in explorer.readout.value


def test_choosing_a_finding_uses_the_knowledge_base_post_test(tiny):
    # alpha: prior 0.2, P(sign | alpha) 0.8; the only other condition, beta, shows it 10% of the
    # time, so LR+ = 0.8 / 0.1 = 8 and odds 1:4 x 8 = 2:1, i.e. 2/3.
    explorer = NomogramExplorer(tiny, setting="clinic")
    result = explorer.choose("alpha", "sign", present=True)
    assert result.likelihood_ratio == pytest.approx(8.0)
    assert explorer.display.posttest == pytest.approx(2 / 3)
    assert explorer.pretest_slider.value == pytest.approx(20.0)


def test_absent_finding_uses_the_negative_likelihood_ratio(tiny):
    # LR- = (1 - 0.8) / (1 - 0.1) = 2/9.
    explorer = NomogramExplorer(tiny, setting="clinic")
    assert explorer.choose("alpha", "sign", present=False).likelihood_ratio == pytest.approx(2 / 9)


def test_picking_in_the_dropdowns_applies_the_finding(tiny):
    explorer = NomogramExplorer(tiny, setting="clinic")
    explorer._condition.value = "alpha"
    explorer._finding.value = "sign"
    assert explorer.post_test is not None
    assert explorer.display.posttest == pytest.approx(2 / 3)
    assert "sensitivity 80%" in explorer.readout.value


def test_moving_a_slider_after_a_pick_forgets_the_pick(tiny):
    explorer = NomogramExplorer(tiny, setting="clinic")
    explorer.choose("alpha", "sign")
    explorer.lr_slider.value = 1.0
    assert explorer.post_test is None
    assert explorer.display.posttest == pytest.approx(0.2)


def test_without_a_knowledge_base_there_is_nothing_to_choose():
    explorer = NomogramExplorer()
    with pytest.raises(ValueError, match="no knowledge base"):
        explorer.choose("alpha", "sign")


def test_readout_is_a_status_region_for_screen_readers():
    assert 'role="status"' in NomogramExplorer().readout.value
