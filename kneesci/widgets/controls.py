"""The three-way finding control shared by every widget: not asked / present / absent.

The explorer shows about ninety of these. Each widget is a model the kernel and the page keep in
step (a message to open it, its state sent to every page), and a RadioButtons would bring its own
Layout and its own style with it: three models per finding. All controls with the same label width
share one Layout and one style instead, so a finding costs one model; this cuts the explorer's
models from about 350 to about 170, which is most of what a class pays for when it opens the page.
"""

from __future__ import annotations

import ipywidgets as widgets
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from ..model.loading import Finding

STATES = (("not asked", "unknown"), ("present", "present"), ("absent", "absent"))
TO_VALUE = {"unknown": None, "present": True, "absent": False}
FROM_VALUE = {None: "unknown", True: "present", False: "absent"}


# label width -> the (Layout, style) pair every control of that width shares
_SHARED: dict[str, tuple[widgets.Layout, DescriptionStyle]] = {}


def shared_look(label_width: str) -> tuple[widgets.Layout, DescriptionStyle]:
    """One Layout and one style for every finding control with this label width.

    Never change a control's layout or style in place: the change would reach every control. A
    closed pair (after `Widget.close_all()`) is replaced with a new one.
    """
    look = _SHARED.get(label_width)
    if look is None or any(part.comm is None for part in look):
        look = (
            widgets.Layout(width="auto"),
            DescriptionStyle(description_width=label_width),
        )
        _SHARED[label_width] = look
    return look


def finding_control(finding: Finding, label_width: str = "16em") -> widgets.RadioButtons:
    """A keyboard-operable radio group named by the finding's label; the CSS class
    ``kneesci-finding-<id>`` lets tests and instructors find it on the page."""
    layout, style = shared_look(label_width)
    control = widgets.RadioButtons(
        options=STATES,
        value="unknown",
        orientation="horizontal",
        description=finding.label,
        description_allow_html=False,
        tooltip=finding.description,
        style=style,
        layout=layout,
        # given at creation, the classes travel in the message that opens the control; added
        # afterwards, each was one more message per finding to every page (182 in all)
        _dom_classes=("kneesci-finding", f"kneesci-finding-{finding.id}"),
    )
    return control


# kind -> the (Layout, style) pair every text view or button of that kind shares
_SHARED_PLAIN: dict[str, tuple[widgets.Layout, widgets.Widget]] = {}


def _plain_look(kind: str, style: type[widgets.Widget]) -> tuple[widgets.Layout, widgets.Widget]:
    look = _SHARED_PLAIN.get(kind)
    if look is None or any(part.comm is None for part in look):
        look = (widgets.Layout(), style())
        _SHARED_PLAIN[kind] = look
    return look


def text_view(value: str = "", css_class: str | None = None) -> widgets.HTML:
    """An HTML view sharing one Layout and one style with every other: one widget model, not
    three, to open on every page. Only for views whose layout and style are never changed in
    place (their value and CSS classes may change)."""
    layout, style = _plain_look("text", HTMLStyle)
    classes = (css_class,) if css_class else ()
    return widgets.HTML(value, layout=layout, style=style, _dom_classes=classes)


def plain_button(**traits) -> widgets.Button:
    """A Button sharing one style (and, unless given one, one Layout) with the others."""
    layout, style = _plain_look("button", ButtonStyle)
    traits.setdefault("layout", layout)
    return widgets.Button(style=style, **traits)


_BOX_LAYOUT: list[widgets.Layout] = []


def plain_box(children, horizontal: bool = False, css_class: str | None = None) -> widgets.Box:
    """A VBox (or, with `horizontal`, a Box laid out by CSS) sharing one Layout with every other
    plain box: the explorer has a dozen boxes, and each Layout is one more model for every page
    to open. Only for boxes whose layout is never changed in place."""
    if not _BOX_LAYOUT or _BOX_LAYOUT[0].comm is None:
        _BOX_LAYOUT[:] = [widgets.Layout()]
    classes = (css_class,) if css_class else ()
    kind = widgets.Box if horizontal else widgets.VBox
    return kind(list(children), layout=_BOX_LAYOUT[0], _dom_classes=classes)


def check_value(finding: str, value: object) -> str:
    """The control state for True / False / None; anything else is a TypeError."""
    if not isinstance(value, bool | None):
        raise TypeError(
            f"Finding {finding!r} must be True (present), False (absent) or None "
            f"(not asked), not {value!r}."
        )
    return FROM_VALUE[value]
