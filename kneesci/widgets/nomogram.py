"""An interactive Fagan nomogram: move the pre-test and LR sliders, or pick a model finding.

The figure is drawn once; each change moves the line's artists and re-renders the picture into an
<img> that carries alt text, so a screen reader gets the same numbers as the eye.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..model.knowledge_base import DEFAULT_SETTING, KnowledgeBase, PostTest
from ..views.describe import percent
from ..views.nomogram import LR_MAX, LR_MIN, NomogramDisplay, plot_nomogram

_PCT_MIN, _PCT_MAX = 0.1, 99.9


class NomogramExplorer:
    """Sliders for pre-test probability and likelihood ratio driving one Fagan nomogram.

    With a knowledge base, three pickers (condition, finding, present/absent) set both sliders
    from `kb.post_test`, so students can see where a finding from the model lands.
    """

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        pretest: float = 0.1,
        likelihood_ratio: float = 2.0,
        setting: str = DEFAULT_SETTING,
    ):
        self.kb = kb
        self.setting = setting
        self.post_test: PostTest | None = None
        self.display: NomogramDisplay = plot_nomogram(pretest, likelihood_ratio)
        self._syncing = False
        self.pretest_slider = widgets.FloatSlider(
            value=100 * pretest,
            min=_PCT_MIN,
            max=_PCT_MAX,
            step=0.1,
            description="Pre-test (%)",
            readout_format=".1f",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"),
        )
        self.lr_slider = widgets.FloatLogSlider(
            value=likelihood_ratio,
            base=10,
            min=-3,
            max=3,
            step=0.01,
            description="Likelihood ratio",
            readout_format=".3g",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"),
        )
        self.image = widgets.HTML()
        self.readout = widgets.HTML()
        self.pretest_slider.observe(self._on_slider, names="value")
        self.lr_slider.observe(self._on_slider, names="value")
        rows: list[widgets.Widget] = [self.pretest_slider, self.lr_slider]
        if kb is not None:
            rows.insert(0, self._build_pickers(kb))
        self.widget = widgets.VBox([*rows, self.readout, self.image])
        self._render()

    # --- building --------------------------------------------------------------------------
    def _build_pickers(self, kb: KnowledgeBase) -> widgets.Widget:
        self._condition = widgets.Dropdown(
            options=[("(choose)", None)]
            + sorted((c.label, cid) for cid, c in kb.conditions.items()),
            description="Condition",
            style={"description_width": "initial"},
        )
        self._finding = widgets.Dropdown(
            options=[("(choose)", None)] + sorted((f.label, fid) for fid, f in kb.findings.items()),
            description="Finding",
            style={"description_width": "initial"},
        )
        self._present = widgets.ToggleButtons(
            options=[("present", True), ("absent", False)],
            value=True,
            description="Finding is",
            tooltips=["the finding was found", "the finding was looked for and not found"],
            style={"description_width": "initial"},
        )
        for picker in (self._condition, self._finding, self._present):
            picker.observe(self._on_pick, names="value")
        return widgets.VBox([widgets.HBox([self._condition, self._finding]), self._present])

    # --- reacting --------------------------------------------------------------------------
    def _on_slider(self, _change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self.post_test = None
        self.set(self.pretest_slider.value / 100, self.lr_slider.value)

    def _on_pick(self, _change: dict[str, Any]) -> None:
        if self._syncing or self._condition.value is None or self._finding.value is None:
            return
        self.choose(self._condition.value, self._finding.value, self._present.value)

    # --- the public handles ----------------------------------------------------------------
    def set(self, pretest: float, likelihood_ratio: float) -> NomogramDisplay:
        """Move the line to exact numbers (the sliders follow, rounded to their steps)."""
        self.display.update(pretest, likelihood_ratio)
        self._syncing = True
        try:
            self.pretest_slider.value = min(max(100 * pretest, _PCT_MIN), _PCT_MAX)
            self.lr_slider.value = min(max(likelihood_ratio, LR_MIN), LR_MAX)
        finally:
            self._syncing = False
        self._render()
        return self.display

    def choose(self, condition: str, finding: str, present: bool = True) -> PostTest:
        """Apply one finding from the knowledge base to one condition's pre-test probability."""
        if self.kb is None:
            raise ValueError("This nomogram has no knowledge base; pass kb= to pick findings.")
        result = self.kb.post_test(condition, finding, present=present, setting=self.setting)
        self._syncing = True
        try:  # keep the pickers showing what was chosen in code, without re-triggering
            self._condition.value = condition
            self._finding.value = finding
            self._present.value = bool(present)
        finally:
            self._syncing = False
        self.set(result.pretest, result.likelihood_ratio)
        self.post_test = result
        self._render()
        return result

    # --- drawing ---------------------------------------------------------------------------
    def _render(self) -> None:
        self.image.value = self.display.to_html()
        text = html.escape(self.display.summary)
        if self.post_test is not None and self.kb is not None:
            pt = self.post_test
            text += html.escape(
                f" ({self.kb.findings[pt.finding].label} {'present' if pt.present else 'absent'}"
                f" in {self.kb.conditions[pt.condition].label}: sensitivity "
                f"{percent(pt.sensitivity)}, specificity {percent(pt.specificity)})"
            )
        self.readout.value = f'<div role="status" aria-live="polite">{text}</div>'

    def __repr__(self) -> str:
        return self.display.alt_text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = repr(self)
        return bundle
