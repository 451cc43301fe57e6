"""Pick a condition and see what guidelines and reviews support for it, graded."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..course.management import CATEGORIES, Management
from ..model.knowledge_base import KnowledgeBase

ALL = "all"


class ManagementExplorer:
    """A condition picker and a category filter over the graded recommendations table."""

    def __init__(self, kb: KnowledgeBase, management: Management, condition: str | None = None):
        self.kb = kb
        self.management = management
        targets = {**{c: x.label for c, x in kb.conditions.items()},
                   **{r: x.label for r, x in kb.red_flags.items()}}  # fmt: skip
        covered = [t for t in targets if management.for_condition(t)]
        self._condition = widgets.Dropdown(
            options=[(targets[t], t) for t in covered],
            value=condition if condition in covered else covered[0],
            description="Condition",
            style={"description_width": "initial"},
        )
        self._category = widgets.Dropdown(
            options=[("all kinds of care", ALL)] + [(c.replace("_", " "), c) for c in CATEGORIES],
            value=ALL,
            description="Kind of care",
            style={"description_width": "initial"},
        )
        self._table = widgets.HTML()
        for control in (self._condition, self._category):
            control.observe(self._refresh, names="value")
        self.widget = widgets.VBox([widgets.HBox([self._condition, self._category]), self._table])
        self._refresh()

    def show(self, condition: str, category: str = ALL) -> list:
        """Select a condition (and optionally a kind of care); returns the rows shown."""
        self._condition.value = condition
        self._category.value = category
        return self.rows

    @property
    def rows(self) -> list:
        rows = self.management.for_condition(self._condition.value)
        if self._category.value != ALL:
            rows = [r for r in rows if r.category == self._category.value]
        return rows

    def _refresh(self, _change: dict[str, Any] | None = None) -> None:
        rows = self.rows
        if rows:
            self._table.value = self.management.to_html(rows)
        else:
            self._table.value = "<p>No recommendation of this kind for this condition.</p>"

    def __repr__(self) -> str:
        return self.management.to_text(self.rows)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = repr(self)
        return bundle
