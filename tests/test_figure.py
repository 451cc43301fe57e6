"""One way to be a figure: the hand-written PNG encoder, alt text, and labels that fit."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from kneesci.compare_plots import PairChart
from kneesci.figure import FigureView, figure_png, image_html
from kneesci.nomogram import plot_nomogram
from kneesci.plots import ContributionChart, DifferentialChart


def decode(png: bytes) -> np.ndarray:
    """Pillow's decoder, independent of the encoder under test."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.fixture
def chart(kb):
    chart = DifferentialChart(kb)
    chart.update(kb.differential({"knee_pain": True, "groin_pain": True}))
    return chart


def test_the_png_encoder_round_trips_to_matplotlibs_own_pixels(chart):
    png = chart.to_png()
    rendered = np.asarray(chart.figure.canvas.buffer_rgba())[..., :3]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert np.array_equal(decode(png), rendered)


def test_the_screen_png_is_the_same_picture_several_times_smaller(chart):
    exact, small = chart.to_png(), chart.to_screen_png()
    rendered = np.asarray(chart.figure.canvas.buffer_rgba())[..., :3].astype(int)
    pixels = decode(small).astype(int)
    assert pixels.shape == rendered.shape
    # Anti-aliased edges move by a few levels; no pixel changes colour.
    assert np.abs(pixels - rendered).max() <= 24
    assert np.abs(pixels - rendered).mean() < 3
    assert len(small) < len(exact) / 2, (len(small), len(exact))


def test_the_png_encoder_matches_matplotlibs_savefig():
    # A plain figure (nothing blitted): our encoder and matplotlib's savefig give the same pixels.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(3, 2), dpi=100)
    ax = figure.add_subplot()
    ax.barh(["Knee osteoarthritis", "L4 radiculopathy"], [0.6, 0.3], color=["#E69F00", "#0072B2"])
    ax.set_title("Differential")
    ours = decode(figure_png(figure))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    assert ours.shape == (200, 300, 3)
    assert np.array_equal(ours, decode(buffer.getvalue()))


def test_every_figure_is_a_figure_view_with_png_and_alt_text(kb):
    pair = PairChart(kb, "l5_radiculopathy", "peroneal_neuropathy")
    pair.update(kb.differential({"foot_drop": True}))
    figures = [
        DifferentialChart(kb),
        ContributionChart(kb),
        pair,
        plot_nomogram(0.2, 4.0),
    ]
    figures[0].update(kb.differential({}))
    figures[1].update(kb.differential({"knee_pain": True}))
    assert figures, "nothing to check"
    for figure in figures:
        assert isinstance(figure, FigureView), type(figure).__name__
        bundle = figure._repr_mimebundle_()
        assert bundle["image/png"].startswith(b"\x89PNG")
        assert figure.alt_text and f'alt="{figure.alt_text[:20]}' in bundle["text/html"]


def test_image_html_escapes_the_alt_text_and_carries_the_theme_class():
    html = image_html(b"png", 'Knee "OA" < 50%', "x")
    assert html.startswith('<img id="x" src="data:image/png;base64,')
    assert 'alt="Knee &quot;OA&quot; &lt; 50%"' in html and 'class="kneesci-figure"' in html


def test_no_differential_label_is_clipped(chart):
    # "Common peroneal neuropathy" once ran off the left edge at every size.
    chart.render()
    renderer = chart.figure.canvas.get_renderer()
    width = chart.figure.bbox.width
    checked = list(chart.ax.get_yticklabels() + chart.ax.get_xticklabels())
    assert checked, "nothing to check"
    for label in checked:
        box = label.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= width, label.get_text()


def test_no_contribution_label_is_clipped(kb):
    chart = ContributionChart(kb)
    dx = kb.differential(
        {
            "prolonged_leg_crossing_or_squatting": True,
            "sensory_loss_dorsum_foot": False,
            "tinel_fibular_head": True,
        }
    )
    chart.update(dx, "peroneal_neuropathy")
    chart.render()
    width = chart.figure.bbox.width
    for text in [*chart.labels, *chart.values, chart.heading]:
        if text.visible and text.pixels is not None:
            assert text.column >= 0 and text.column + text.pixels.shape[1] <= width, text.text
