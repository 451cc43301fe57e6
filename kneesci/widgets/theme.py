"""The explorer's style sheet: JupyterLab theme colours, one column on narrow screens, a red flag
that stays in view, touch-sized targets.

Colours come from the theme's CSS variables (`--jp-*`), so the explorer follows JupyterLab's or
Voila's light and dark themes; the fallbacks after each variable serve any other host. The
explorer's charts and body map are HTML and SVG written in those colours
(`kneesci.views.html_charts`, `kneesci.views.body_map_svg`); other pictures are PNG images drawn
on white, inverted in a dark theme with their hues kept.

The results stay in sight while findings are set: on a wide screen the right-hand column sticks to
the top of the window (scrolling on its own when taller), and below `NARROW` a one-line summary of
the top three sticks to the bottom.
"""

from __future__ import annotations

from ..views.body_map_svg import MAP_CSS
from ..views.html_charts import CHART_CSS

NARROW = "900px"  # below this the explorer's two columns become one

STYLE = f"""<style>
.kneesci-explorer {{
  container-type: inline-size;
  color: var(--jp-ui-font-color1, #1F1F1F);
  overflow: visible !important;
}}
.kneesci-explorer .widget-box, .kneesci-explorer.widget-box {{ overflow: visible; }}
/* A sticky banner needs no scrolling box between it and the page; these hosts' boxes clip. */
.jp-OutputArea-output:has(.kneesci-explorer),
.jp-OutputArea-child:has(.kneesci-explorer),
.jp-Cell-outputWrapper:has(.kneesci-explorer),
.jp-OutputArea:has(.kneesci-explorer) {{ overflow: visible !important; contain: none !important; }}
.kneesci-explorer .jupyter-widget-Collapse-header,
.kneesci-explorer .p-Collapse-header,
.kneesci-explorer .jupyter-widget-Collapse-header span {{
  color: var(--jp-ui-font-color0, #111111);
}}
.kneesci-explorer .kneesci-heading {{
  margin: 0.4em 0 0.2em; color: var(--jp-ui-font-color0, #111111);
}}
.kneesci-explorer .kneesci-help, .kneesci-explorer .kneesci-entered {{
  color: var(--jp-ui-font-color1, #1F1F1F); margin: 0.2em 0; line-height: 1.4;
}}
.kneesci-explorer a {{ color: var(--jp-content-link-color, #0B57D0); }}
.kneesci-sticky {{ position: sticky; top: 0; z-index: 20; }}
.kneesci-red-flag {{
  border: 3px solid var(--jp-error-color1, #B00020);
  background: color-mix(
    in srgb, var(--jp-error-color1, #B00020) 16%, var(--jp-layout-color0, #FFFFFF)
  );
  color: var(--jp-ui-font-color0, #111111);
  padding: 0.5em 0.8em; margin: 0.2em 0; font-size: 1.05em;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.35);
}}
.kneesci-red-flag ul {{ margin: 0.3em 0 0 1.2em; padding: 0; }}
.kneesci-flag-beside {{
  border-left: 4px solid var(--jp-error-color1, #B00020);
  background: color-mix(
    in srgb, var(--jp-error-color1, #B00020) 12%, var(--jp-layout-color0, #FFFFFF)
  );
  color: var(--jp-ui-font-color0, #111111);
  padding: 2px 8px; margin: 0 0 6px 1em; font-weight: bold;
}}
.kneesci-notice, .kneesci-answer, .kneesci-export {{
  border-left: 4px solid var(--jp-brand-color1, #1976D2);
  padding: 2px 8px; margin: 2px 0; color: var(--jp-ui-font-color1, #1F1F1F);
}}
.kneesci-toolbar {{ display: flex; flex-flow: row wrap; gap: 4px 10px; align-items: center; }}
.kneesci-columns {{
  display: flex; flex-flow: row nowrap; gap: 1em; align-items: flex-start; width: 100%;
}}
.kneesci-left {{ flex: 1 1 44%; min-width: 0; }}
.kneesci-right {{ flex: 1 1 56%; min-width: 0; }}
/* The results column stays in view while the findings scroll past it. */
.kneesci-explorer .kneesci-right.widget-box {{
  /* a little short of the window, so that the page's own bottom margin never pushes it up */
  position: sticky; top: 0; max-height: calc(100vh - 32px); overflow-y: auto;
  overscroll-behavior: contain;
}}
/* Below a red-flag alert, which sticks to the top too. */
.kneesci-explorer:has(.kneesci-red-flag) .kneesci-right.widget-box {{
  top: 7.5em; max-height: calc(100vh - 7.5em - 32px);
}}
.kneesci-explorer .kneesci-dx-summary-box {{ display: none; }}
.kneesci-right .kneesci-figure {{ width: 100%; height: auto; }}
.kneesci-explorer .kneesci-finding {{ flex-wrap: wrap; height: auto; }}
.kneesci-explorer .kneesci-finding .widget-label {{
  white-space: normal; overflow: visible; text-overflow: clip; height: auto; line-height: 1.3;
}}
/* Touch targets of at least 24 px (WCAG 2.2 target size). */
.kneesci-explorer .widget-radio-box label {{
  min-height: 24px; display: inline-flex; align-items: center; margin-right: 1.1em;
}}
.kneesci-explorer input[type="radio"] {{ width: 18px; height: 18px; margin: 3px 5px 3px 0; }}
/* The circle before its word, as in any form. */
.kneesci-explorer .widget-radio-box label {{
  flex-direction: row-reverse; justify-content: flex-end;
}}
/* A finding that is set stands out from the not-asked ones. */
.kneesci-explorer .kneesci-finding:has(input[value="1"]:checked),
.kneesci-explorer .kneesci-finding:has(input[value="2"]:checked) {{
  background: color-mix(
    in srgb, var(--jp-brand-color1, #1976D2) 14%, var(--jp-layout-color0, #FFFFFF)
  );
  border-left: 4px solid var(--jp-brand-color1, #1976D2); padding-left: 4px;
}}
.kneesci-explorer .kneesci-finding:has(input[value="1"]:checked) .widget-label,
.kneesci-explorer .kneesci-finding:has(input[value="2"]:checked) .widget-label {{
  font-weight: bold;
}}
.kneesci-explorer .kneesci-section {{
  margin: 0.8em 0 0.2em; color: var(--jp-ui-font-color0, #111111);
}}
.kneesci-explorer .kneesci-howto-list {{ display: flex; flex-flow: row wrap; gap: 0 1em; }}
.kneesci-explorer .kneesci-howto[open] {{ flex-basis: 100%; }}
.kneesci-explorer .kneesci-howto p {{ margin: 0.2em 0 0.4em 1.4em; }}
/* The short banner is for phones; the full one everywhere else. */
.kneesci-red-flag-short {{ display: none; padding: 0.2em 0.6em; }}
.kneesci-red-flag-short summary {{
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}}
.kneesci-red-flag-short details[open] summary {{ white-space: normal; }}
@container (max-width: 600px) {{
  .kneesci-red-flag-short {{ display: block; }}
  #kneesci-red-flag {{ display: none; }}
}}
.kneesci-body-map {{ scroll-margin-top: 3em; }}
.kneesci-explorer button, .kneesci-explorer select {{ min-height: 28px; }}
.kneesci-explorer summary {{ min-height: 24px; line-height: 24px; cursor: pointer; }}
.kneesci-explorer a {{ display: inline-block; min-height: 24px; line-height: 24px; }}
@container (max-width: {NARROW}) {{
  .kneesci-columns {{ flex-direction: column; align-items: stretch; }}
  .kneesci-left, .kneesci-right {{ display: contents; }}
  .kneesci-columns > * > * {{ order: 3; width: auto; max-width: 100%; box-sizing: border-box; }}
  .kneesci-columns .kneesci-chart-block {{ order: 1; }}
  .kneesci-columns .kneesci-left > * {{ order: 2; }}
  /* The top three, one line at the bottom of the window while the findings scroll. */
  .kneesci-explorer .kneesci-columns .kneesci-right > .kneesci-dx-summary-box {{
    display: block; order: 4; position: sticky; bottom: 0; z-index: 15;
  }}
  .kneesci-dx-summary-box .kneesci-dx-summary {{
    display: block; font-size: 14px; padding: 6px 8px;
    background: var(--jp-layout-color2, #EEEEEE); color: var(--jp-ui-font-color0, #111111);
    border-top: 2px solid var(--jp-brand-color1, #1976D2);
    box-shadow: 0 -2px 6px rgba(0, 0, 0, 0.25);
  }}
}}
/* On a tablet in JupyterLab, give the explorer the prompt column's width too. */
@media (max-width: {NARROW}) {{
  .jp-OutputArea-child:has(.kneesci-explorer) .jp-OutputArea-prompt {{ display: none; }}
  .jp-Cell:has(.kneesci-explorer) {{ padding-left: 0; padding-right: 0; }}
  .jp-Cell:has(.kneesci-explorer) .jp-Collapser {{ display: none; }}
  /* Its overlay (click to collapse the output) would lie over the radios at the left edge. */
  .jp-Cell:has(.kneesci-explorer) .jp-OutputArea-promptOverlay {{ display: none; }}
}}
{CHART_CSS}
{MAP_CSS}
body[data-jp-theme-light="false"] .kneesci-figure {{ filter: invert(1) hue-rotate(180deg); }}
@media print {{
  .kneesci-sticky, .kneesci-explorer .kneesci-right.widget-box {{ position: static; }}
  .kneesci-explorer .kneesci-right.widget-box {{ max-height: none; overflow: visible; }}
  .kneesci-dx-summary-box {{ display: none !important; }}
  .kneesci-toolbar, .kneesci-ask {{ display: none; }}
  .kneesci-figure {{ filter: none !important; }}
}}
</style>"""

__all__ = ["NARROW", "STYLE"]
