"""The explorer's charts written as HTML: what they show, where the numbers sit, what they cost."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import kneesci
from kneesci.describe import differential_alt_text, percent
from kneesci.views.html_charts import (
    CHART_CSS,
    GROUP_NAMES,
    INSIDE_FROM,
    WHISKER_HELP,
    differential_html,
    top_three_html,
    why_html,
    wide_interval_reason,
)
from kneesci_testing.counting import count_constructions
from kneesci_testing.fresh import fresh_python


@pytest.fixture(scope="module")
def kb():
    return kneesci.load()


class Rows(HTMLParser):
    """Each chart row: its condition, name, and the style of its bar, value and whisker."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self._in: str | None = None
        self.root: dict = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if a.get("role") == "img" and not self.root:
            self.root = a
        if "kneesci-hchart-row" in cls:
            self.rows.append({"condition": a.get("data-condition"), "text": {}})
        elif self.rows and cls.startswith("kneesci-hchart-"):
            part = cls.split()[0].removeprefix("kneesci-hchart-")
            if part not in self.rows[-1]:  # the legend's sample whisker is not a row's
                self.rows[-1][part] = a.get("style", "")
                self._in = part

    def handle_data(self, data):
        if self.rows and self._in and data.strip():
            self.rows[-1]["text"][self._in] = data.strip()

    def handle_endtag(self, tag):
        self._in = None


def parse(page: str) -> Rows:
    rows = Rows()
    rows.feed(page)
    return rows


def percent_of(style: str, prop: str) -> float:
    match = re.search(rf"(?<![-\w]){prop}:(?:calc\()?([\d.]+)%", style)
    assert match, (prop, style)
    return float(match.group(1)) / 100


def test_every_condition_is_a_bar_of_its_probability_with_its_interval_beneath(kb):
    dx = kb.differential({"femoral_nerve_stretch_positive": True, "knee_pain": True})
    intervals = dx.intervals(0.8, 200, seed=0)
    chart = parse(differential_html(dx, intervals))
    assert [r["condition"] for r in chart.rows] == list(kb.condition_ids)
    for row in chart.rows:
        condition = row["condition"]
        p = dx.probability(condition)
        assert row["text"]["name"] == kb.conditions[condition].label
        assert row["text"]["value"] == percent(p)
        assert percent_of(row["bar"], "width") == pytest.approx(p, abs=1e-4)
        low, high = intervals[condition]
        assert percent_of(row["whisker"], "left") == pytest.approx(low, abs=1e-4)
        assert percent_of(row["whisker"], "width") == pytest.approx(high - low, abs=1e-4)


def test_the_percentage_sits_at_the_bar_end_never_at_the_whisker_end(kb):
    # Saddle numbness: wide whiskers (to about 90%) on bars of about 10%.
    dx = kb.differential({"saddle_anaesthesia": True})
    intervals = dx.intervals(0.8, 200, seed=0)
    chart = parse(differential_html(dx, intervals))
    wide = [r for r in chart.rows if intervals[r["condition"]][1] > 0.5]
    assert wide, "no wide whisker to test against"
    for row in chart.rows:
        p = dx.probability(row["condition"])
        if p > INSIDE_FROM:
            assert percent_of(row["value"], "right") == pytest.approx(1 - p, abs=1e-4)
        else:
            assert percent_of(row["value"], "left") == pytest.approx(p, abs=1e-4)


def test_a_long_bar_carries_its_percentage_inside_in_a_colour_that_reads_on_it(kb):
    from kneesci.cases import load_cases

    case = load_cases(kb)["knee_oa_acr_criteria"]
    dx = kb.differential(case.findings, case.setting)
    p = dx.probability(dx.top)
    assert p > INSIDE_FROM, f"the leading condition is at {p:.2f}: choose another case"
    row = next(r for r in parse(differential_html(dx)).rows if r["condition"] == dx.top)
    assert "right:" in row["value"] and "left:" not in row["value"]
    assert re.search(r"color:#(FFFFFF|000000)", row["value"])


def test_chart_is_one_image_with_the_alt_text_and_a_legend_of_every_colour(kb):
    dx = kb.differential({"groin_pain": True})
    page = differential_html(dx, dx.intervals(0.8, 200, seed=0))
    root = parse(page).root
    assert root["id"] == "kneesci-differential-chart"
    assert root["aria-label"].startswith(differential_alt_text(dx))
    assert "80% intervals" in root["aria-label"]
    groups = {c.group for c in kb.conditions.values()}
    assert groups
    for group in groups:
        assert GROUP_NAMES[group] in page
    assert "80% interval</span>" in page


def test_the_whisker_is_explained_where_it_is_drawn_and_why_it_is_wide(kb):
    dx = kb.differential({"knee_pain": True})
    page = differential_html(dx, dx.intervals(0.8, 200, seed=0))
    assert WHISKER_HELP in page and "<details" in page
    assert "kneesci-whisker-why" not in page  # nothing wide to explain
    dx = kb.differential({"saddle_anaesthesia": True})
    intervals = dx.intervals(0.8, 200, seed=0)
    reason = wide_interval_reason(dx, intervals)
    assert "saddle numbness" in reason and "estimate" in reason
    assert "kneesci-whisker-why" in differential_html(dx, intervals)
    # Without intervals there is no whisker and nothing to explain.
    assert WHISKER_HELP not in differential_html(dx)


def test_text_is_never_below_12_px_and_colours_follow_the_theme():
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", CHART_CSS)]
    assert sizes and min(sizes) >= 12
    assert not re.search(r"font-size:\s*[\d.]+(em|rem|%|vw)", CHART_CSS)
    colours = re.findall(r"(?<![-\w])(?:color|background|border[-\w]*):\s*([^;]+);", CHART_CSS)
    assert colours
    for value in colours:
        if "#" in value:
            assert "var(--jp-" in value, value  # a fixed colour only as a variable's fallback


def test_compact_top_three(kb):
    dx = kb.differential({"groin_pain": True})
    summary = re.search(r'class="kneesci-dx-summary"[^>]*>(.*?)</div>', top_three_html(dx))
    assert summary
    for condition, p in dx.ranked()[:3]:
        assert f"{kb.conditions[condition].label} {percent(p)}" in summary.group(1)


def test_why_chart_bars_run_from_the_centre_each_way(kb):
    dx = kb.differential({"femoral_nerve_stretch_positive": True, "low_back_pain": False})
    condition = "l3_radiculopathy"
    chart = parse(why_html(dx, condition))
    contributions = dx.explain(condition)
    assert len(chart.rows) == min(8, len(contributions)) > 0
    assert chart.root["id"] == "kneesci-why-chart"
    for row, c in zip(chart.rows, contributions, strict=False):
        if c.log_odds >= 0:
            assert percent_of(row["bar"], "left") == 0.5
        else:
            start, width = percent_of(row["bar"], "left"), percent_of(row["bar"], "width")
            assert start + width == pytest.approx(0.5, abs=1e-4)
        assert row["text"]["value"] == f"×{c.likelihood_ratio:.2g}"
    empty = why_html(kb.differential({}))
    assert "No findings yet" in empty and 'role="img"' in empty


def test_drawing_the_charts_loads_no_matplotlib():
    code = (
        "import sys, kneesci; from kneesci.views.html_charts import differential_html, why_html;"
        "dx = kneesci.load().differential({'knee_pain': True});"
        "differential_html(dx, dx.intervals(0.8, 200, seed=0)); why_html(dx);"
        "print('matplotlib' in sys.modules)"
    )
    assert fresh_python(code) == "False"


def test_opening_the_explorer_and_a_click_load_no_matplotlib():
    # Each student's kernel in a class would otherwise carry a plotting library it never calls
    # (about 30 MB: docs/performance.md, "Memory"); an export still draws, on demand.
    code = (
        "import sys; from kneesci.widgets import Explorer; e = Explorer();"
        "e.set_finding('slr_positive', True); e.set_finding('knee_pain', False);"
        "print('matplotlib' in sys.modules, 'kneesci.widgets.game' in sys.modules)"
    )
    assert fresh_python(code) == "False False"


def test_the_widgets_package_still_offers_every_widget_by_name():
    import kneesci.widgets as package

    for name in package.__all__:
        assert getattr(package, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Explorerr'"):
        package.Explorerr  # noqa: B018


# --- the body map as SVG ---------------------------------------------------------------------


def test_the_svg_body_map_says_what_the_matplotlib_map_says():
    from kneesci.anatomy_plots import SensoryMap
    from kneesci.views.body_map_svg import BodyMapSVG

    svg, figure = BodyMapSVG(), SensoryMap()
    assert set(svg.finding_ids) == set(figure.finding_ids)
    states = [((), None), (("sensory_loss_medial_leg", "saddle_anaesthesia"), "L4")]
    for findings, root in states:
        svg.update(findings, root)
        figure.update(findings, root)
        assert svg.alt_text == figure.alt_text
        assert f'aria-label="{svg.alt_text}"' in svg.svg()
    assert svg.svg().count("kneesci-numb-hatch") > 1  # the numb areas are drawn


def test_every_skin_area_of_the_svg_map_is_found_where_it_is_drawn():
    from kneesci import anatomy
    from kneesci.views.body_map_svg import HEIGHT, BodyMapSVG

    regions = anatomy.load().regions("findings")
    body = BodyMapSVG()
    exact = 0
    for finding in body.finding_ids:
        x, y = body.point_of(finding)
        assert 0 <= x <= body.width and 0 <= y <= HEIGHT
        hit = body.finding_at(x, y)
        # Areas overlap (the stocking covers the foot): the smaller area is the one aimed at.
        assert hit == finding or (
            anatomy.area(regions[hit][0].polygon) < anatomy.area(regions[finding][0].polygon)
        ), (finding, hit)
        exact += hit == finding
    assert exact >= len(body.finding_ids) - 2
    assert body.finding_at(1, 1) is None


def test_the_explorer_builds_no_matplotlib_figure_to_open_or_on_a_click(monkeypatch):
    from matplotlib.figure import Figure

    from kneesci.widgets import Explorer

    made = count_constructions(monkeypatch, Figure)
    explorer = Explorer()
    for finding in ("saddle_anaesthesia", "sensory_loss_medial_leg", "slr_positive"):
        explorer.set_finding(finding, True)
    assert explorer.differential.findings  # the clicks happened
    assert made == []
    explorer.to_html()  # an export draws the printable chart, on demand
    assert made
