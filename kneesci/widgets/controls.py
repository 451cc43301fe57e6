"""The three-way finding control shared by every widget: not asked / present / absent."""

from __future__ import annotations

import ipywidgets as widgets

from ..loading import Finding

STATES = (("not asked", "unknown"), ("present", "present"), ("absent", "absent"))
TO_VALUE = {"unknown": None, "present": True, "absent": False}
FROM_VALUE = {None: "unknown", True: "present", False: "absent"}


def finding_control(finding: Finding, label_width: str = "16em") -> widgets.RadioButtons:
    """A keyboard-operable radio group named by the finding's label; the CSS class
    ``kneesci-finding-<id>`` lets tests and instructors find it on the page."""
    control = widgets.RadioButtons(
        options=STATES,
        value="unknown",
        orientation="horizontal",
        description=finding.label,
        description_allow_html=False,
        tooltip=finding.description,
        style={"description_width": label_width},
        layout=widgets.Layout(width="auto"),
    )
    control.add_class("kneesci-finding")
    control.add_class(f"kneesci-finding-{finding.id}")
    return control


def check_value(finding: str, value: object) -> str:
    """The control state for True / False / None; anything else is a TypeError."""
    if not isinstance(value, bool | None):
        raise TypeError(
            f"Finding {finding!r} must be True (present), False (absent) or None "
            f"(not asked), not {value!r}."
        )
    return FROM_VALUE[value]
