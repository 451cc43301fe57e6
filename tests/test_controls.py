"""The finding control: three states, and one widget model per finding (Layout and style shared)."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from kneesci.widgets.controls import (
    check_value,
    finding_control,
    plain_button,
    shared_look,
    text_view,
)


def test_controls_of_one_width_share_one_layout_and_one_style(kb):
    first, second = (finding_control(kb.findings[f]) for f in list(kb.findings)[:2])
    assert first.layout is second.layout
    assert first.style is second.style
    assert first.style.description_width == "16em"


def test_a_different_label_width_gets_its_own_style(kb):
    finding = next(iter(kb.findings.values()))
    assert finding_control(finding, "14em").style is not finding_control(finding).style
    assert finding_control(finding, "14em").style.description_width == "14em"


def test_a_closed_shared_look_is_replaced():
    layout, style = shared_look("15em")
    style.close()
    new_layout, new_style = shared_look("15em")
    assert new_style is not style and new_style.comm is not None
    assert new_layout is not layout


def test_each_finding_adds_one_widget_model(kb):
    findings = list(kb.findings.values())[:10]
    finding_control(findings[0])  # the shared look exists from here on
    before = len(_instances)
    for finding in findings:
        finding_control(finding)
    assert len(_instances) - before == 10


def test_text_views_and_buttons_share_one_layout_and_one_style():
    first, second = text_view("<b>a</b>"), text_view()
    assert first.layout is second.layout and first.style is second.style
    assert first.value == "<b>a</b>"
    one, two = plain_button(description="A"), plain_button(description="B")
    assert one.style is two.style and one.layout is two.layout
    own = plain_button(layout=widgets.Layout(width="auto"))
    assert own.style is one.style and own.layout is not one.layout
    first.layout.close()
    assert text_view().layout.comm is not None  # a closed pair is replaced


# The explorer's budget of widget models grows with the knowledge base: one control per finding,
# one note beside each finding that can raise a red flag, and a fixed part for the toolbar, the
# panels, the charts and the Layouts and styles they share (83 when this was written, with 130
# findings of which 46 raise a flag: 259 models in all; 0.3 before the shared look opened 343).
FIXED_MODELS = 90


def model_budget(kb) -> int:
    return len(kb.findings) + len(kb.red_flag_findings) + FIXED_MODELS


def test_the_explorer_opens_with_few_widget_models(kb):
    # Every model is a message to open on every student's page.
    from kneesci.widgets import Explorer

    before = len(_instances)
    Explorer(kb)
    opened = len(_instances) - before
    assert opened >= len(kb.findings)  # one control per finding at least: the count is real
    assert opened <= model_budget(kb), (opened, model_budget(kb))


@pytest.mark.parametrize(
    ("value", "state"), [(True, "present"), (False, "absent"), (None, "unknown")]
)
def test_check_value_maps_the_three_states(value, state):
    assert check_value("slr_positive", value) == state


def test_check_value_rejects_anything_else():
    with pytest.raises(TypeError, match="slr_positive"):
        check_value("slr_positive", "yes")


@pytest.fixture
def published(monkeypatch) -> list[str]:
    """The type of every message the widgets send to the page, in order."""
    comm_class = type(widgets.HTML().comm)
    sent: list[str] = []
    publish = comm_class.publish_msg

    def counting(self, msg_type, *args, **kwargs):
        sent.append(msg_type)
        return publish(self, msg_type, *args, **kwargs)

    monkeypatch.setattr(comm_class, "publish_msg", counting)
    return sent


def test_the_explorer_opens_in_few_messages(kb, published):
    # Each message is handled by the server and by every student's page as the class opens; 0.2
    # sent 480 (CSS classes added one message at a time after each control had opened).
    from kneesci.widgets import Explorer

    Explorer(kb)
    opened = published.count("comm_open")
    assert opened >= len(kb.findings)  # the count below counts what it means to
    # One message to open each model, and a few more (the explorer's first refresh sends
    # the chart images and texts): the budget above plus a fixed 40 for those updates.
    assert len(published) <= model_budget(kb) + 40, len(published)


def test_a_click_sends_few_messages(kb, published):
    # 0.2 sent 12.3 a click on average here; each Ask-next button now changes in one message,
    # while the concerns now fill three panels (alert, check now, advice to give).
    from kneesci.widgets import Explorer

    explorer = Explorer(kb)
    published.clear()
    findings = ["femoral_nerve_stretch_positive", "slr_positive"]
    for i in range(12):
        explorer.set_finding(findings[i % 2], (True, False, None)[(i // 2) % 3])
    assert len(published) >= 12 * 5  # every click moved the views
    assert len(published) <= 12 * 12, len(published) / 12


def test_a_finding_control_opens_with_its_classes(kb):
    control = finding_control(kb.findings["slr_positive"])
    assert control._dom_classes == ("kneesci-finding", "kneesci-finding-slr_positive")
