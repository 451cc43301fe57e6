"""Click to redrawn chart in a real browser: Voilà serving the explorer, headless Chromium.

    .venv/bin/python benchmarks/browser.py [--clicks 40]

Each click sets a finding in the page. The clock runs inside the page, from the radio button's
change event until the differential chart's image has been replaced in the DOM: the whole round
trip a student feels (browser → kernel → new PNG → browser), without the test driver's own overhead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository, so that the helper module shared with the browser tests is found when this
# file runs as a script.
sys.path.insert(0, str(ROOT))
from kneesci_testing.browser import (  # noqa: E402
    CHROMIUM,
    FLAGS,
    chart_src,
    serve_explorer_app,
    set_finding_in_group,
    stop,
)

# Started on the change event, stopped by a mutation observer when the chart's markup differs.
STOPWATCH = """() => {
  window.kneesciTimes = [];
  let start = null;
  let last = document.querySelector('#kneesci-differential-chart').outerHTML;
  document.addEventListener('change', () => { start = performance.now(); }, true);
  new MutationObserver(() => {
    const img = document.querySelector('#kneesci-differential-chart');
    if (start !== null && img && img.outerHTML !== last) {
      window.kneesciTimes.push(performance.now() - start);
      start = null;
      last = img.outerHTML;
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""

FINDINGS = [
    ("Symptoms", "knee_pain"),
    ("Symptoms", "anterior_thigh_pain"),
    ("Examination", "femoral_nerve_stretch_positive"),
    ("Examination", "slr_positive"),
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clicks", type=int, default=40)
    args = parser.parse_args()
    url, process, log = serve_explorer_app(Path(tempfile.mkdtemp()))
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, timeout=120_000)
            page.wait_for_selector("#kneesci-ranking li", state="attached", timeout=60_000)
            page.evaluate(STOPWATCH)
            for i in range(args.clicks):
                group, finding = FINDINGS[i % len(FINDINGS)]
                state = ("present", "absent", "not asked")[(i // len(FINDINGS)) % 3]
                before = chart_src(page)
                set_finding_in_group(page, group, finding, state)
                page.wait_for_function(
                    "old => document.querySelector('#kneesci-differential-chart').outerHTML"
                    " !== old",
                    arg=before,
                    timeout=10_000,
                )
                page.wait_for_timeout(50)  # let the observer record before the next click
            times = page.evaluate("() => window.kneesciTimes")
            browser.close()
    finally:
        stop(process, log)
    times.sort()
    print(
        f"browser: click -> redrawn chart  median {statistics.median(times):.0f} ms  "
        f"p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms  ({len(times)} clicks, Voilà, Chromium)"
    )


if __name__ == "__main__":
    main()
